"""Loading entries: types, aliases, defaults, drafts and profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from casebook.core.library import load_library
from libtools import GOOD_CASE, GOOD_PRACTICE, make_library, write_entry


@pytest.fixture
def lib(tmp_path):
    make_library(tmp_path)
    return tmp_path


def test_good_entries_load_with_type_from_folder(lib):
    write_entry(lib, "practices/2023-06-jia-feng.md", GOOD_PRACTICE)
    write_entry(lib, "warnings/2022-03-wang-mou.md", GOOD_CASE)
    library = load_library(lib)
    assert library.problems == []
    by_slug = library.by_slug()
    practice, case = by_slug["2023-06-jia-feng"], by_slug["2022-03-wang-mou"]
    assert practice.type.key == "practice" and case.type.key == "case"
    assert practice.url == "practices/2023-06-jia-feng/"
    assert case.url == "warnings/2022-03-wang-mou/"
    assert [t.name for t in practice.themes] == ["家风建设", "警示教育"]
    assert case.date == "2022-03" and case.year == "2022"
    assert [v.name for v in case.violations] == ["违反廉洁纪律"]
    assert [o.name for o in case.outcomes] == ["警告"]
    assert case.person == "某局原科长王某"
    # newest first
    assert [e.slug for e in library.entries] == ["2023-06-jia-feng", "2022-03-wang-mou"]


def test_chinese_keys_and_aliases_are_stored_canonically(lib):
    write_entry(lib, "practices/x.md", """\
        ---
        标题: 组织部加强选人用人监督
        单位: 市妇女联合会
        日期: 2021
        主题: 家风、作风建设
        标签: [监督]
        摘要: 一句话摘要。
        来源: 某某汇报
        类型: 经验做法
        ---
        正文。
        """)
    library = load_library(lib)
    assert library.problems == []
    entry = library.entries[0]
    assert entry.title == "组织部加强选人用人监督"
    assert entry.unit.name == "市妇联"  # alias resolved to the canonical name
    assert [t.name for t in entry.themes] == ["家风建设", "作风建设"]
    assert entry.date == "2021"
    assert entry.summary == "一句话摘要。" and entry.summary_given
    assert entry.source == "某某汇报"


def test_summary_defaults_to_the_start_of_the_body(lib):
    write_entry(lib, "practices/x.md", GOOD_PRACTICE)
    entry = load_library(lib).entries[0]
    assert entry.summary == "开展清廉家庭创建活动，全年举办家风讲座 12 场。"
    assert not entry.summary_given


def test_drafts_are_left_out_and_their_problems_do_not_break_a_build(lib):
    write_entry(lib, "practices/draft.md", GOOD_PRACTICE.replace("tags:", "status: draft\nunit2: x\ntags:"))
    assert load_library(lib, include_drafts=False).problems == []
    assert load_library(lib, include_drafts=False).entries == []
    assert load_library(lib, include_drafts=False).drafts == 1
    # `casebook check` still shows the draft's problems to its editor
    assert [p.field for p in load_library(lib).problems] == ["unit2"]


def test_internal_entries_are_left_out_of_a_public_build(lib):
    write_entry(lib, "practices/inside.md", GOOD_PRACTICE.replace("tags:", "audience: internal\ntags:"))
    write_entry(lib, "warnings/case.md", GOOD_CASE)
    assert {e.slug for e in load_library(lib).entries} == {"inside", "case"}
    public = load_library(lib, profile="public")
    assert [e.slug for e in public.entries] == ["case"]
    assert public.left_out == 1


def test_related_to_a_left_out_entry_is_dropped_silently_from_the_page(lib):
    write_entry(lib, "practices/inside.md", GOOD_PRACTICE.replace("tags:", "audience: internal\ntags:"))
    write_entry(lib, "warnings/case.md", GOOD_CASE.replace("lessons:", "related: [inside]\nlessons:"))
    public = load_library(lib, profile="public")
    assert public.problems == []  # a known slug: no problem
    # ... but a public build must not even name the hidden entry
    assert public.entries[0].related == []
    assert load_library(lib).by_slug()["case"].related == ["inside"]


def test_bom_and_crlf_are_accepted(lib):
    path = lib / "cases" / "practices" / "crlf.md"
    from textwrap import dedent
    path.write_bytes(b"\xef\xbb\xbf" + dedent(GOOD_PRACTICE).replace("\n", "\r\n").encode("utf-8"))
    library = load_library(lib)
    assert library.problems == []
    assert library.entries[0].title == "市妇联以家风建设带动清廉机关建设"


def test_repeated_slug_with_cases_outside_the_project_is_a_problem_not_a_traceback(tmp_path):
    """cases_dir outside the project root (mkdocs.yml ``cases_dir: ../cases``):
    the message names both files as given, through ``paths.relative_path``."""
    from casebook.core.library import check_entries

    root, elsewhere = tmp_path / "project", tmp_path / "shared"
    root.mkdir()
    make_library(elsewhere)
    cases = elsewhere / "cases"
    first = write_entry(elsewhere, "practices/2023-06-jia-feng.md", GOOD_PRACTICE)
    second = write_entry(elsewhere, "reports/2023-06-jia-feng.md", GOOD_PRACTICE)
    for problems in (load_library(root, cases).problems, check_entries(root, [second], cases)):
        [problem] = [p for p in problems if p.field == "文件名"]
        assert problem.path == second.as_posix()
        assert "重复" in problem.message and first.as_posix() in problem.message


def test_relative_paths_of_a_load_name_files_as_relative_path_does(tmp_path):
    """paths.RelativePaths (a folder resolved once per load) against
    paths.relative_path: inside the root, at its top, through a symbolic
    link to a folder, outside the root, and given relative to the cwd."""
    import os

    from casebook.core.paths import RelativePaths, relative_path

    root = tmp_path / "project"
    (root / "cases" / "practices").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (root / "linked").symlink_to(tmp_path / "elsewhere")
    (root / "inside").symlink_to(root / "cases")
    paths = [root / "cases" / "practices" / "a.md", root / "mkdocs.yml", root / "linked" / "b.md",
             root / "inside" / "practices" / "c.md", tmp_path / "other.md", root / "cases" / ".." / "d.md",
             root / "cases" / "practices" / "link.md"]
    (root / "cases" / "practices" / "link.md").symlink_to(tmp_path / "missing.md")
    names = RelativePaths(root)
    for path in paths:
        assert names(path) == relative_path(path, root), path
    old = os.getcwd()
    os.chdir(root)
    try:
        relative = RelativePaths(Path("."))
        for path in [Path("cases/practices/a.md"), Path("mkdocs.yml"), Path("linked/b.md")]:
            assert relative(path) == relative_path(path, Path(".")), path
    finally:
        os.chdir(old)


def test_the_summary_is_the_first_paragraph_however_far_into_the_body():
    """Cut from the whole body as the site renders it: a paragraph after
    a long table (no blank line in 2,000 characters) is still found."""
    from casebook.core.text import summary_from_markdown
    rows = "\n".join(f"| 第{i}项 | 整改措施落实情况说明{i} |" for i in range(80))
    body = f"| 事项 | 情况 |\n| --- | --- |\n{rows}\n\n市局扎实推进清廉机关建设。\n"
    assert len(rows) > 1500
    assert summary_from_markdown(body) == "市局扎实推进清廉机关建设。"
    assert summary_from_markdown("| 事项 | 情况 |\n| --- | --- |\n| 甲 | 乙 |\n") == "事项"  # no paragraph: the first block
