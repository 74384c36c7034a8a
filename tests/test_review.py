"""Review that cannot be skipped: a published entry with 待核对 marks, the
template of ``casebook new`` or a file name whose date contradicts ``date``
fails ``check`` on the line concerned; ``casebook rename`` fixes the name and
the links to it; drafts keep all of this to themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
from casebook.commands.cli import main
from casebook.core.library import load_library
from casebook.core.review import TEMPLATE_BODIES, date_disagrees, renamed_slug
from libtools import GOOD_CASE, GOOD_PRACTICE, make_library, write_entry

IMPORTED = """---
# 由 casebook import 于 2026-11-22 从“报告.docx”导入。
# 标有“待核对”的值是自动推断的：逐项核对或改正，然后删去该注释。
title: 市妇联工作汇报  # 待核对：取自原文第一行
unit: 市妇联
date: 2023-06-15
themes: [家风建设]
---

正文。
"""


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    make_library(tmp_path)
    return tmp_path


def problems(lib: Path, rel: str, text: str):
    write_entry(lib, rel, text)
    return [p for p in load_library(lib).problems if p.path == f"cases/{rel}"]


def test_review_marks_are_refused_in_a_published_entry_on_their_lines(lib):
    found = problems(lib, "practices/2023-06-x.md", IMPORTED)
    assert [(p.line, p.field) for p in found] == [(3, "review"), (4, "review")]
    assert all("待核对" in p.message for p in found)
    assert "x" not in {e.slug for e in load_library(lib).entries}


def test_a_draft_may_keep_its_review_marks(lib):
    text = IMPORTED.replace("themes: [家风建设]", "themes: [家风建设]\nstatus: draft")
    assert problems(lib, "practices/2023-06-x.md", text) == []


@pytest.mark.parametrize("kind,folder", [("practice", "practices"), ("case", "warnings"), ("report", "reports")])
def test_the_template_of_casebook_new_is_refused_when_published(lib, kind, folder):
    head = (GOOD_CASE if kind == "case" else GOOD_PRACTICE).split("---\n\n")[0]
    text = head + "---\n\n" + TEMPLATE_BODIES[kind]
    found = problems(lib, f"{folder}/x.md", text)
    assert found and all(p.field == "正文" and "模板的提示" in p.message for p in found)
    hint_lines = [n for n, line in enumerate(text.split("\n"), start=1) if "<!--" in line]
    assert [p.line for p in found] == hint_lines


@pytest.mark.parametrize("slug,date,disagrees", [
    ("2023-06-x", "2023-06-15", False), ("2023-x", "2023-06-15", False), ("x", "2023", False),
    ("2026-x", "2023", True), ("2023-07-x", "2023-06", True), ("2023-06-14-x", "2023-06-15", True),
    ("2023-06-x", "2023", False), ("2024-xx-x", "2023", True),
])
def test_file_name_dates(slug, date, disagrees):
    assert date_disagrees(slug, date) == disagrees


def test_a_file_name_date_against_date_is_refused_with_the_rename_command(lib):
    text = GOOD_PRACTICE.replace("2023-06-15", "2023")
    [problem] = problems(lib, "practices/2026-shi-fu-lian.md", text)
    assert (problem.line, problem.field) == (1, "文件名")
    assert "casebook rename cases/practices/2026-shi-fu-lian.md" in problem.suggestion
    assert "2023-shi-fu-lian.md" in problem.suggestion


def test_rename_moves_the_file_and_the_links_to_it(lib, capsys):
    write_entry(lib, "practices/2026-shi-fu-lian.md", GOOD_PRACTICE.replace("2023-06-15", "2023"))
    write_entry(lib, "warnings/2022-03-case.md", GOOD_CASE.replace("lessons:", "related: [2026-shi-fu-lian]\nlessons:")
                .replace("王某在", "见 2026-shi-fu-lian 一文。王某在"))
    assert main(["--root", str(lib), "rename", "--dry-run"]) == 0
    assert "将改名 " in capsys.readouterr().out and (lib / "cases/practices/2026-shi-fu-lian.md").exists()
    assert main(["--root", str(lib), "rename"]) == 0
    assert "更新 1 个条目中的 related" in capsys.readouterr().out
    assert (lib / "cases/practices/2023-shi-fu-lian.md").exists()
    assert not (lib / "cases/practices/2026-shi-fu-lian.md").exists()
    case = (lib / "cases/warnings/2022-03-case.md").read_text(encoding="utf-8")
    assert "related: [2023-shi-fu-lian]" in case and "见 2026-shi-fu-lian 一文" in case  # the body is left alone
    assert main(["--root", str(lib), "check"]) == 0
    assert main(["--root", str(lib), "rename"]) == 0
    assert "没有需要改名的条目" in capsys.readouterr().out


def test_rename_never_overwrites(lib, capsys):
    write_entry(lib, "practices/2026-a.md", GOOD_PRACTICE.replace("2023-06-15", "2023"))
    write_entry(lib, "reports/2023-a.md", GOOD_PRACTICE.replace("2023-06-15", "2023"))
    assert main(["--root", str(lib), "rename"]) == 1
    assert "已被占用" in capsys.readouterr().err
    assert (lib / "cases/practices/2026-a.md").exists()


def test_renamed_slug_keeps_the_rest_of_the_name():
    assert renamed_slug("2026-shi-fu-lian", "2023") == "2023-shi-fu-lian"
    assert renamed_slug("2026-11-22-x", "2023-06") == "2023-06-x"
