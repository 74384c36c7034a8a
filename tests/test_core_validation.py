"""Every validation rule: the problem names file, line and field in Chinese,
suggests a fix where one exists, and no content problem raises."""

from __future__ import annotations

import pytest
from casebook.core.library import load_library
from libtools import GOOD_CASE, GOOD_PRACTICE, make_library, write_entry


@pytest.fixture
def lib(tmp_path):
    make_library(tmp_path)
    return tmp_path


def problems_of(lib, relpath, text):
    write_entry(lib, relpath, text)
    return load_library(lib).problems


def only(problems):
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


CASES = [
    # (name, file, text, line, field, words in the message or suggestion)
    ("missing title", "practices/a.md", GOOD_PRACTICE.replace("title: 市妇联以家风建设带动清廉机关建设\n", ""),
     2, "title", ["缺少必填字段", "标题"]),
    ("missing themes", "practices/a.md", GOOD_PRACTICE.replace("themes: [家风建设, 警示教育]\n", ""),
     2, "themes", ["缺少必填字段"]),
    ("missing violations on a case", "warnings/a.md", GOOD_CASE.replace("violations: [违反廉洁纪律]\n", ""),
     2, "violations", ["缺少必填字段", "违纪类型"]),
    ("title as a list", "practices/a.md", GOOD_PRACTICE.replace("title: 市妇联以家风建设带动清廉机关建设", "title: [a, b]"),
     2, "title", ["应为一段文字"]),
    ("unit as a list", "practices/a.md", GOOD_PRACTICE.replace("unit: 市妇联", "unit: [市妇联, 市财政局]"),
     3, "unit", ["只能写一个"]),
    ("unknown type", "practices/a.md", GOOD_PRACTICE.replace("tags:", "type: 新闻\ntags:"),
     6, "type", ["未知类型", "practice"]),
    ("type against folder", "practices/a.md", GOOD_PRACTICE.replace("tags:", "type: case\ntags:"),
     6, "type", ["与所在文件夹", "cases/warnings/"]),
    ("bad date format", "practices/a.md", GOOD_PRACTICE.replace("2023-06-15", "2023年6月15日"),
     4, "date", ["格式不对", "2023-06-15"]),
    ("date that does not exist", "practices/a.md", GOOD_PRACTICE.replace("2023-06-15", "2023-02-30"),
     4, "date", ["不存在"]),
    ("month 13", "practices/a.md", GOOD_PRACTICE.replace("2023-06-15", "2023-13-01"),
     4, "date", ["不存在"]),
    ("unknown unit", "practices/a.md", GOOD_PRACTICE.replace("unit: 市妇联", "unit: 市妇女联会"),
     3, "unit", ["未知单位“市妇女联会”", "市妇联"]),
    ("unknown theme", "practices/a.md", GOOD_PRACTICE.replace("[家风建设, 警示教育]", "[家风建设, 警示教肓]"),
     5, "themes", ["未知主题“警示教肓”", "警示教育"]),
    ("unknown violation", "warnings/a.md", GOOD_CASE.replace("[违反廉洁纪律]", "[违反廉洁纪侓]"),
     6, "violations", ["未知违纪类型", "违反廉洁纪律"]),
    ("unknown outcome", "warnings/a.md", GOOD_CASE.replace("outcomes: [警告]", "outcomes: [警戒]"),
     7, "outcomes", ["未知处理结果", "警告"]),
    ("unknown key", "practices/a.md", GOOD_PRACTICE.replace("tags:", "titel: x\ntags:"),
     6, "titel", ["未知字段", "title"]),
    ("key and alias both", "practices/a.md", GOOD_PRACTICE.replace("tags:", "标题: 另一个\ntags:"),
     6, "title", ["写了 2 次", "第 2 行 title", "第 6 行 标题"]),
    ("case field on a practice", "practices/a.md", GOOD_PRACTICE.replace("tags:", "person: 某某\ntags:"),
     6, "person", ["只适用于警示案例"]),
    ("bad status", "practices/a.md", GOOD_PRACTICE.replace("tags:", "status: 待定\ntags:"),
     6, "status", ["不是可选值", "published"]),
    ("bad report kind", "reports/a.md", GOOD_PRACTICE.replace("tags:", "report_kind: 总结\ntags:"),
     6, "report_kind", ["不是可选值", "工作汇报"]),
    ("invalid yaml", "practices/a.md", GOOD_PRACTICE.replace("themes: [家风建设, 警示教育]", "themes: [家风建设, 警示教育"),
     5, "yaml", ["themes 的值", "括号没有成对", "方括号"]),
    ("colon in a value", "practices/a.md", GOOD_PRACTICE.replace("title: 市妇联以家风建设带动清廉机关建设", "title: 标题: 副标题"),
     2, "yaml", ["YAML 格式错误", "引号"]),
    ("no front matter", "practices/a.md", "只有正文。\n", 1, "文件", ["缺少开头的 front matter"]),
    ("non-ascii file name", "practices/市妇联.md", GOOD_PRACTICE, 1, "文件名", ["小写字母", "shi-fu-lian.md"]),
    ("outside a type folder", "misc/a.md", GOOD_PRACTICE, 1, "type", ["不在类型文件夹", "cases/practices/"]),
]


@pytest.mark.parametrize("name,relpath,text,line,field,words", CASES, ids=[c[0] for c in CASES])
def test_each_rule_names_file_line_field(lib, name, relpath, text, line, field, words):
    problem = only(problems_of(lib, relpath, text))
    assert problem.path == f"cases/{relpath}"
    if line is not None:
        assert problem.line == line
    else:
        assert problem.line > 1
    assert problem.field == field
    formatted = problem.format()
    assert formatted.startswith(f"cases/{relpath}:{problem.line}: {field}: ")
    for word in words:
        assert word in formatted


def test_invalid_yaml_points_at_the_broken_line(lib):
    text = GOOD_PRACTICE.replace("date: 2023-06-15", "date: 2023-06-15\nthemes: [a\nx: : y")
    problem = only(problems_of(lib, "practices/a.md", text))
    assert problem.field == "yaml" and 5 <= problem.line <= 7


def test_unclosed_bracket_points_at_its_own_line(lib):
    text = GOOD_PRACTICE.replace("themes: [家风建设, 警示教育]", "themes: [家风建设, 警示教育")
    problem = only(problems_of(lib, "practices/a.md", text))
    assert (problem.line, problem.field) == (5, "yaml")
    assert "方括号" in problem.suggestion


def test_all_problems_of_a_file_are_collected_in_one_pass(lib):
    text = GOOD_CASE.replace("unit: 市财政局", "unit: 市财政厅").replace("2022-03", "22-3") \
        .replace("[警告]", "[警戒]")
    fields = sorted(p.field for p in problems_of(lib, "warnings/a.md", text))
    assert fields == ["date", "outcomes", "unit"]


def test_duplicate_slug_across_folders(lib):
    write_entry(lib, "practices/same.md", GOOD_PRACTICE)
    problem = only(problems_of(lib, "warnings/same.md", GOOD_CASE))
    assert problem.field == "文件名" and "重复" in problem.message and "cases/practices/same.md" in problem.message
    assert len(load_library(lib).entries) == 1  # the first one is kept


def test_unknown_related_slug_suggests_the_closest(lib):
    write_entry(lib, "practices/2023-06-jia-feng-jian-she.md", GOOD_PRACTICE)
    text = GOOD_CASE.replace("lessons:", "related: [2023-06-jia-feng-jian-se]\nlessons:")
    problem = only(problems_of(lib, "warnings/a.md", text))
    assert (problem.field, problem.line) == ("related", 9)
    assert "不存在" in problem.message and "2023-06-jia-feng-jian-she" in problem.suggestion
    # the entry itself is still built: one wrong link is no reason to hide it
    assert "a" in load_library(lib).by_slug()


def test_entries_with_fatal_problems_are_not_built_but_others_are(lib):
    write_entry(lib, "practices/good.md", GOOD_PRACTICE)
    write_entry(lib, "practices/bad.md", GOOD_PRACTICE.replace("unit: 市妇联", "unit: 不存在的单位"))
    library = load_library(lib)
    assert [e.slug for e in library.entries] == ["good"]
    assert len(library.problems) == 1


def test_non_utf8_file_is_a_problem_not_a_traceback(lib):
    path = lib / "cases" / "practices" / "gbk.md"
    path.write_bytes("---\ntitle: 标题\n---\n正文".encode("gbk"))
    problem = only(load_library(lib).problems)
    assert problem.field == "文件" and "UTF-8" in problem.message and "casebook import" in problem.suggestion


def test_vocabulary_problems_are_reported_with_lines(lib):
    (lib / "cases" / "units.yml").write_text(
        "- name: 市妇联\n  slug: shi-fu-lian\n  group: 群团组织\n"
        "- name: 市财政局\n  aliases: [市妇联]\n  slug: 财政\n", encoding="utf-8")
    problems = load_library(lib).problems
    found = {(p.line, p.field) for p in problems}
    assert (4, "group") in found and (4, "name") in found and (4, "slug") in found
    assert all(p.path == "cases/units.yml" for p in problems)


def test_broken_vocabulary_yaml_is_reported(lib):
    (lib / "cases" / "themes.yml").write_text("- name: 家风建设\n  slug: [x\n", encoding="utf-8")
    problems = load_library(lib).problems
    assert any(p.path == "cases/themes.yml" and p.field == "yaml" for p in problems)


ODD_FRONT_MATTER = [
    ("tags as a mapping", "tags: {a: 1}", "tags"),
    ("unit as a mapping", "unit: {a: 1}", "unit"),
    ("status as a list", "status: [draft]", "status"),
    ("audience as a mapping", "audience: {x: 1}", "audience"),
    ("themes as a number", "themes: 5", "themes"),
]


@pytest.mark.parametrize("name,line,field", ODD_FRONT_MATTER, ids=[c[0] for c in ODD_FRONT_MATTER])
def test_values_of_the_wrong_shape_are_reported_not_crashed(lib, name, line, field):
    key = line.split(":")[0]
    text = "\n".join(line if row.startswith(f"{key}:") else row for row in GOOD_PRACTICE.splitlines())
    if not any(row.startswith(f"{key}:") for row in GOOD_PRACTICE.splitlines()):
        text = GOOD_PRACTICE.replace("tags:", f"{line}\ntags:")
    problems = problems_of(lib, "practices/a.md", text)
    assert [p.field for p in problems] == [field], [p.format() for p in problems]


ODD_VOCABULARIES = [
    ("aliases holding a mapping", "- name: 市妇联\n  aliases: [{a: 1}]\n  group: 群团组织\n", "aliases"),
    ("name as a list", "- name: [甲, 乙]\n  group: 群团组织\n", "name"),
    ("group as a list", "- name: 市妇联\n  group: [群团组织]\n", "group"),
    ("an item that is a number", "- 5\n", "name"),
]


@pytest.mark.parametrize("name,text,field", ODD_VOCABULARIES, ids=[c[0] for c in ODD_VOCABULARIES])
def test_vocabulary_items_of_the_wrong_shape_are_reported(lib, name, text, field):
    (lib / "cases" / "units.yml").write_text(text, encoding="utf-8")
    problems = [p for p in load_library(lib).problems if p.path == "cases/units.yml"]
    assert field in {p.field for p in problems}, [p.format() for p in problems]


def test_a_single_alias_needs_no_list(lib):
    (lib / "cases" / "units.yml").write_text("- name: 市妇联\n  aliases: 市妇女联合会\n  group: 群团组织\n",
                                             encoding="utf-8")
    write_entry(lib, "practices/a.md", GOOD_PRACTICE.replace("unit: 市妇联", "unit: 市妇女联合会"))
    library = load_library(lib)
    assert [p for p in library.problems if p.path == "cases/units.yml"] == []
    assert library.entries[0].unit.name == "市妇联"
