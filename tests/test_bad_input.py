"""Hostile and broken input, one kind at a time: each gives its Chinese
``path:line: field`` message and exit 1 from ``casebook check``, never a
traceback, and every valid entry beside it still loads. Then all entry-level
kinds at once in a real build: nothing takes the site down, a strict or a
public build stops before writing anything, and a vocabulary that cannot be
read stops every build."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from casebook.commands.cli import main
from casebook.core.library import load_library
from conftest import copy_project, run_mkdocs_build
from libtools import GOOD_CASE, GOOD_PRACTICE, make_library, write_entry

GOOD = {"practices/good.md": GOOD_PRACTICE, "warnings/good-case.md": GOOD_CASE}
HEAD = "---\ntitle: 标题\nunit: 市妇联\ndate: 2023-06-15\nthemes: [家风建设]\n"


def entry(extra: str = "", head: str = HEAD, body: str = "正文。\n") -> str:
    """Front matter ``head`` plus ``extra`` lines (from line 6 on), then a body."""
    return head + extra + "---\n\n" + body


def write(name: str, data: str | bytes):
    def setup(root: Path):
        path = root / "cases" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.write_bytes if isinstance(data, bytes) else lambda d: path.write_text(d, encoding="utf-8"))(data)
    return setup


def symlink(name: str, target):
    def setup(root: Path):
        path = root / "cases" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target(root) if callable(target) else target, path)
    return setup


def outside_file(root: Path) -> Path:
    secret = root.parent / f"{root.name}-secret.md"
    secret.write_text(entry(body="机密正文。\n"), encoding="utf-8")
    return secret


def outside_folder(root: Path) -> Path:
    folder = root.parent / f"{root.name}-folder"
    folder.mkdir(exist_ok=True)
    (folder / "x.md").write_text(entry(), encoding="utf-8")
    return folder


BOMB = ('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")))
P = "practices/x.md"
F = f"cases/{P}"

# id -> (setup, path, line (None: any), field, words in the message)
KINDS = {
    "empty title": (write(P, entry(head=HEAD.replace("title: 标题", "title:"))), F, 2, "title", ["标题不能为空"]),
    "blank title": (write(P, entry(head=HEAD.replace("title: 标题", 'title: "  "'))), F, 2, "title", ["标题不能为空"]),
    "empty unit": (write(P, entry(head=HEAD.replace("unit: 市妇联", "unit:"))), F, 3, "unit", ["单位不能为空"]),
    "empty themes": (write(P, entry(head=HEAD.replace("[家风建设]", "[]"))), F, 5, "themes", ["至少要写一个"]),
    "missing title": (write(P, entry(head=HEAD.replace("title: 标题\n", ""))), F, 2, "title", ["缺少必填字段 title"]),
    "deep nesting": (write(P, entry("tags: " + "[" * 300 + "]" * 300 + "\n")), F, 6, "yaml", ["嵌套层级超过"]),
    "alias bomb": (write(P, entry(BOMB)), F, 6, "yaml", ["锚点"]),
    "alias": (write(P, entry("source: *x\n")), F, 6, "yaml", ["引用"]),
    "merge key": (write(P, entry("<<: {audience: public}\n")), F, 6, "yaml", ["合并键"]),
    "python tag": (write(P, entry("source: !!python/object/apply:os.system [ls]\n")), F, 6, "yaml", ["标签"]),
    "env tag": (write(P, entry("source: !ENV HOME\n")), F, 6, "yaml", ["标签"]),
    "audience twice": (write(P, entry("audience: internal\naudience: public\n")), F, 7, "audience", ["写了 2 次"]),
    "audience key and alias": (write(P, entry("audience: public\n范围: internal\n")), F, 7, "audience",
                               ["写了 2 次", "范围"]),
    "status twice": (write(P, entry("状态: 发布\nstatus: draft\n")), F, 7, "status", ["写了 2 次"]),
    "title twice": (write(P, entry("title: 另一个\n")), F, 6, "title", ["写了 2 次"]),
    "misspelt audience": (write(P, entry("Audience: internal\n")), F, 6, "Audience", ["未知字段", "audience"]),
    "template key": (write(P, entry("template: ../../main.html\n")), F, 6, "template", ["未知字段"]),
    "date 2099 as YAML date": (write(P, entry(head=HEAD.replace("2023-06-15", "2099-01-01"))), F, 4, "date",
                               ["年份 2099 不在合理范围内"]),
    "date 2099 as text": (write(P, entry(head=HEAD.replace("2023-06-15", '"2099-01"'))), F, 4, "date", ["2099"]),
    "date 1800 as number": (write(P, entry(head=HEAD.replace("2023-06-15", "1800"))), F, 4, "date", ["1800"]),
    "date as list": (write(P, entry(head=HEAD.replace("2023-06-15", "[2023]"))), F, 4, "date", ["日期应写作一个日期"]),
    "empty date": (write(P, entry(head=HEAD.replace("2023-06-15", ""))), F, 4, "date", ["还没有填写日期"]),
    "impossible date": (write(P, entry(head=HEAD.replace("2023-06-15", "2023-02-30"))), F, 4, "date", ["不存在"]),
    "GBK file": (write(P, ("---\ntitle: 标题\nunit: 市妇联\n" + "date: 2023-06-15\nthemes: [家风建设]\n---\n正文\n")
                       .encode("gbk")), F, 2, "文件", ["不是 UTF-8", "第 2 行"]),
    "binary file": (write(P, b"---\ntitle: x\n\x00\x01\x02"), F, 3, "文件", ["二进制"]),
    "file over 2 MB": (write(P, entry(body="很长的正文。" * 400_000)), F, 0, "文件", ["文件过大", "2.0 MB"]),
    "front matter over 64 KB": (write(P, entry("source: " + "长" * 70_000 + "\n")), F, 2, "文件", ["字段区超过 64 KB"]),
    "title over 200 characters": (write(P, entry(head=HEAD.replace("标题", "题" * 201))), F, 2, "title",
                                  ["201 个字", "上限 200"]),
    "31 tags": (write(P, entry("tags: [" + ", ".join(f"t{i}" for i in range(31)) + "]\n")), F, 6, "tags",
                ["31 项", "上限 30"]),
    "tag over 50 characters": (write(P, entry("tags: [" + "签" * 51 + "]\n")), F, 6, "tags", ["超过 50 个字"]),
    "no front matter": (write(P, "只有正文，没有字段区。\n"), F, 1, "文件", ["缺少开头的 front matter"]),
    "empty file": (write(P, ""), F, 1, "文件", ["缺少开头的 front matter"]),
    "front matter is a list": (write(P, "---\n- a\n- b\n---\n正文\n"), F, 2, "文件", ["字段: 值"]),
    "unclosed bracket": (write(P, entry("tags: [a, b\n")), F, 6, "yaml", ["方括号"]),
    "title as mapping": (write(P, entry(head=HEAD.replace("title: 标题", "title: {a: b}"))), F, 2, "title",
                         ["应为一段文字"]),
    "unhashable key": (write(P, entry("[a, b]: c\n")), F, 6, "yaml", ["字段名不能是列表"]),
    "index.md in a type folder": (write("practices/index.md", entry()), "cases/practices/index.md", 0, "文件",
                                  ["保留名", "经验做法"]),
    "entry in a subfolder": (write("practices/sub/x.md", entry()), "cases/practices/sub/x.md", 0, "文件",
                             ["子文件夹", "cases/practices/"]),
    "upper-case .MD": (write("practices/x.MD", entry()), "cases/practices/x.MD", 0, "文件", ["x.md"]),
    ".markdown": (write("practices/x.markdown", entry()), "cases/practices/x.markdown", 0, "文件", ["x.md"]),
    "Word file in a type folder": (write("practices/报告.docx", b"PK\x03\x04"), "cases/practices/报告.docx", 0, "文件",
                                   ["不是条目文件", "casebook import"]),
    "dangling symlink": (symlink(P, "/nonexistent/x.md"), F, 0, "文件", ["符号链接", "不存在"]),
    "symlink to a file outside": (symlink(P, outside_file), F, 0, "文件", ["符号链接"]),
    "symlinked folder": (symlink("practices/more", outside_folder), "cases/practices/more", 0, "文件",
                         ["文件夹是符号链接"]),
    "entry outside the type folders": (write("x.md", entry()), "cases/x.md", 1, "type", ["不在类型文件夹中"]),
    "bad file name": (write("practices/Bad_Name.md", entry()), "cases/practices/Bad_Name.md", 1, "文件名",
                      ["只能用小写字母"]),
    "duplicate slug": (write("reports/good.md", entry(head=HEAD.replace("标题", "同名"))), "cases/reports/good.md",
                       1, "文件名", ["重复"]),
    "type against folder": (write(P, entry("type: case\n")), F, 6, "type", ["与所在文件夹 practices/ 不符"]),
    "unknown related": (write(P, entry("related: [no-such-entry]\n")), F, 6, "related", ["不存在"]),
    "script in a tag name": (write(P, entry("tags: ['<script>alert(1)</script>' ]\n", body="正文\n")), None, None,
                             None, []),  # valid: text, escaped on every page (see the browser test)
}


BUILT_ALL_THE_SAME = {"unknown related"}


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    make_library(root)
    for rel, text in GOOD.items():
        write_entry(root, rel, text)
    return root


def check(root: Path, capsys) -> tuple[int, str]:
    code = main(["--root", str(root), "check"])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_gives_its_message_and_the_valid_entries_still_load(lib, kind, capsys):
    setup, path, line, field, words = KINDS[kind]
    setup(lib)
    started = time.process_time()
    code, output = check(lib, capsys)
    assert "Traceback" not in output
    loaded = load_library(lib, include_drafts=False)
    assert {"good", "good-case"} <= set(loaded.by_slug()), loaded.problems
    if path is None:  # accepted as valid input
        assert code == 0, output
        return
    assert code == 1, output
    mine = [p for p in load_library(lib).problems if p.path == path and p.field == field]
    assert mine, output
    problem = mine[0]
    if line is not None:
        assert problem.line == line, problem.format()
    assert problem.format() in output
    for word in words:
        assert word in problem.format(), problem.format()
    # nothing broken is built (one unknown `related` link hides only the link)
    assert ("x" in {e.slug for e in loaded.entries}) == (kind in BUILT_ALL_THE_SAME)
    assert time.process_time() - started < 10  # bounded: far below, e.g. the bomb is refused at once


def test_the_battery_is_large(lib):
    assert len(KINDS) >= 40


VOCABULARY_KINDS = {
    "GBK units.yml": ("units.yml", "- name: 市妇联\n  group: 群团组织\n".encode("gbk"), ["不是 UTF-8"]),
    "empty units.yml": ("units.yml", b"", ["单位词表为空"]),
    "broken units.yml": ("units.yml", "- name: [市妇联\n".encode(), ["YAML 格式错误"]),
    "units.yml as a mapping": ("units.yml", "name: 市妇联\n".encode(), ["应为列表"]),
    "alias bomb in themes.yml": ("themes.yml", BOMB.encode(), ["锚点"]),
    "no usable theme": ("themes.yml", "- 1: x\n- name: ''\n".encode(), ["没有可用的条目"]),
    "missing outcomes.yml": ("outcomes.yml", None, ["找不到处理结果词表文件"]),
}


@pytest.mark.parametrize("kind", list(VOCABULARY_KINDS))
def test_an_unreadable_vocabulary_stops_every_build(tmp_path, kind):
    name, data, words = VOCABULARY_KINDS[kind]
    project = copy_project(tmp_path)
    for rel, text in GOOD.items():
        write_entry(project, rel, text.replace("市财政局", "市财政局").replace("市妇联", "市妇联"))
    vocab = project / "cases" / name
    if data is None:
        vocab.unlink()
    else:
        vocab.write_bytes(data)
    site = tmp_path / "site"
    result = run_mkdocs_build(project, site, strict=False)  # not even a lenient build goes on
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert f"cases/{name}" in output and "词表无法读取" in output
    for word in words:
        assert word in output
    assert not site.exists() or not any(site.iterdir())


@pytest.fixture(scope="module")
def battered(tmp_path_factory) -> Path:
    """The sample library with every entry-level kind of bad input at once,
    each in its own file."""
    root = tmp_path_factory.mktemp("battered")
    project = copy_project(root, with_entries=True)
    for number, (setup, path, *_) in enumerate(KINDS.values()):
        if path != F:
            continue
        # written into a scratch library, then moved in as practices/bad-<n>.md
        staging = root / f"k{number}"
        make_library(staging)
        setup(staging)
        for found in (staging / "cases" / "practices").iterdir():
            os.replace(found, project / "cases" / "practices" / found.name.replace("x", f"bad-{number}", 1))
    for kind in ("index.md in a type folder", "entry in a subfolder", "upper-case .MD", "Word file in a type folder",
                 "dangling symlink", "symlinked folder", "entry outside the type folders", "bad file name"):
        KINDS[kind][0](project)
    return project


def test_all_kinds_at_once_do_not_take_the_site_down(battered, tmp_path):
    library = load_library(battered, include_drafts=False)
    expected = {e.slug for e in library.entries}
    assert len(expected) >= 39 and len(library.problems) >= 40
    site = tmp_path / "site"
    result = run_mkdocs_build(battered, site, strict=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Traceback" not in output
    for slug in expected:
        assert any((site / folder / slug / "index.html").exists() for folder in ("practices", "warnings", "reports"))
    assert (site / "problems" / "index.html").exists()


@pytest.mark.parametrize("profile,strict", [("public", False), ("internal", True)])
def test_a_public_or_strict_build_with_problems_writes_nothing(battered, tmp_path, profile, strict):
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("上一次的站点", encoding="utf-8")
    result = run_mkdocs_build(battered, site, strict=strict, env={"CASEBOOK_PROFILE": profile})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-2000:]
    assert "未写入任何文件" in output and "Traceback" not in output
    assert [p.name for p in site.iterdir()] == ["old.html"]  # not even cleaned


@pytest.mark.parametrize("env,config", [({"CASEBOOK_PROFILE": "Public"}, None), ({"CASEBOOK_PROFILE": "pub"}, None),
                                        ({}, "Public")])
def test_an_unknown_profile_stops_the_build(tmp_path, env, config):
    project = copy_project(tmp_path, with_entries=True)
    if config:
        yml = project / "mkdocs.yml"
        yml.write_text(yml.read_text(encoding="utf-8").replace("cases_dir: cases", f"cases_dir: cases\n      profile: {config}"),
                       encoding="utf-8")
    site = tmp_path / "site"
    result = run_mkdocs_build(project, site, strict=False, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-2000:]
    assert "无效" in output and "public（公开版）" in output and "Traceback" not in output
    assert not site.exists() or not any(site.iterdir())
