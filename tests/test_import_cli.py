"""``casebook import`` on the command line: where files go, --dry-run,
--force, name collisions, overrides, bad usage (exit 2) and unreadable
files (exit 1), all in Chinese and without tracebacks."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from casebook.commands.cli import main
from casebook.core.slugs import entry_slug

REPO = Path(__file__).resolve().parents[1]

REPORT = """市妇联关于清廉机关建设情况的汇报
今年以来，市妇联坚持把清廉机关建设融入机关党建，家风建设成效明显。现将有关情况汇报如下：
一、加强思想教育。一是组织集中学习12次。二是开展“清廉家风”主题活动。
二、完善制度机制。修订内部管理制度8项。
"""


@pytest.fixture
def project(project, monkeypatch) -> Path:
    """The shared empty library (conftest), as the current folder."""
    monkeypatch.chdir(project)
    return project


def write(path: Path, text: str = REPORT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(root: Path, *args: str) -> int:
    try:
        return main(["--root", str(root), "import", *map(str, args)])
    except SystemExit as exc:  # argparse's own usage errors
        return exc.code


def entries(root: Path) -> list[Path]:
    return sorted((root / "cases").rglob("*.md"))


def test_writes_into_the_type_folder_named_by_the_slug_rule(project, capsys):
    source = write(project / "材料" / "汇报.txt")
    assert run(project, source) == 0
    out = capsys.readouterr().out
    [entry] = entries(project)
    # the text states no date: none is invented, in the field or in the file name
    assert entry.parent == project / "cases" / "reports"
    assert entry.name == entry_slug("市妇联关于清廉机关建设情况的汇报", "") + ".md"
    assert not entry.name.startswith(str(dt.date.today().year))
    assert "已写入" in out and "共 1 个文件：已写入 1 个" in out
    assert "待填写" in out and "检查：date：还没有填写日期" in out
    assert main(["--root", str(project), "check"]) == 1
    assert "reports/" + entry.name + ":8: date: 还没有填写日期" in capsys.readouterr().out
    entry.write_text(entry.read_text(encoding="utf-8").replace("\ndate:", "\ndate: 2023 "), encoding="utf-8")
    assert main(["--root", str(project), "check"]) == 0


def test_dry_run_prints_and_writes_nothing(project, capsys):
    source = write(project / "汇报.txt")
    assert run(project, "--dry-run", source) == 0
    out = capsys.readouterr().out
    assert entries(project) == []
    assert "将写入 cases/reports/" in out
    assert "## 一、加强思想教育" in out
    assert "**一是组织集中学习12次**。" in out
    assert "预览，未写文件" in out


def test_never_overwrites_without_force(project, capsys):
    source = write(project / "汇报.txt")
    assert run(project, source) == 0
    [entry] = entries(project)
    entry.write_text(entry.read_text(encoding="utf-8").replace("status: draft\n", ""), encoding="utf-8")
    reviewed = entry.read_text(encoding="utf-8")
    capsys.readouterr()

    assert run(project, source) == 0
    out = capsys.readouterr().out
    assert "已跳过" in out and "已导入过" in out and "--force" in out
    assert entries(project) == [entry]
    assert entry.read_text(encoding="utf-8") == reviewed

    assert run(project, "--force", source) == 0
    assert "已写入（覆盖）" in capsys.readouterr().out
    assert "status: draft" in entry.read_text(encoding="utf-8")


def test_a_different_document_with_the_same_name_gets_a_new_one(project, capsys):
    first = write(project / "甲" / "汇报.txt")
    second = write(project / "乙" / "汇报二.txt", REPORT.replace("修订内部管理制度8项", "修订内部管理制度9项"))
    assert run(project, first, second) == 0
    names = {p.stem for p in entries(project)}
    base = entry_slug("市妇联关于清廉机关建设情况的汇报", "")
    assert names == {base, f"{base}-2"}
    assert "已被占用" in capsys.readouterr().out


def test_out_dir(project, tmp_path):
    source = write(project / "汇报.txt")
    out = tmp_path / "审核"
    assert run(project, "--out", out, source) == 0
    assert entries(project) == []
    [written] = list(out.glob("*.md"))
    assert "type: report" in written.read_text(encoding="utf-8")


def test_many_files_and_folders_with_a_summary(project, capsys):
    folder = project / "材料"
    write(folder / "一.txt")
    write(folder / "二.md", REPORT.replace("市妇联", "市总工会"))
    write(folder / "旧格式.doc", "x")
    write(folder / "~$锁文件.docx", "x")
    assert run(project, folder) == 0
    captured = capsys.readouterr()
    assert len(entries(project)) == 2
    assert "共 2 个文件：已写入 2 个" in captured.out
    assert "市总工会" in captured.out
    assert "旧格式.doc" in captured.err and "另存为" in captured.err


def test_overrides(project):
    source = write(project / "汇报.txt")
    assert run(project, "--type", "经验做法", "--unit", "市妇女联合会", "--date", "2023-6", source) == 0
    [entry] = entries(project)
    text = entry.read_text(encoding="utf-8")
    assert entry.parent.name == "practices"
    assert entry.name.startswith("2023-06-")
    assert "unit: 市妇联\n" in text  # given by the editor: canonical and no review comment
    assert "date: 2023-06\n" in text
    assert "type: practice\n" in text
    assert "report_kind" not in text


def test_unknown_unit_reported_with_the_closest_known(project, capsys):
    source = write(project / "汇报.txt", REPORT.replace("市妇联", "市妇女会"))
    assert run(project, source) == 0
    out = capsys.readouterr().out
    assert "单位“市妇女会”不在单位词表中（最接近的是：市妇联" in out
    assert "检查：unit：未知单位“市妇女会”" in out
    [entry] = entries(project)
    assert "unit: 市妇女会  # 待核对：标题中的“市妇女会”不在 cases/units.yml 中" in entry.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, words", [
    (["不存在.txt"], "找不到这个文件"),
    (["旧.doc"], "另存为” .docx"),
    (["图片.png"], "只能导入 .txt、.md 和 .docx"),
    (["--unit", "市妇女会", "汇报.txt"], "--unit：未知单位“市妇女会”（是否指：市妇联"),
    (["--date", "2023年6月", "汇报.txt"], "--date：日期“2023年6月”格式不对"),
    (["--type", "案例", "汇报.txt"], "--type：未知条目类型“案例”"),
    (["--report-kind", "通报", "汇报.txt"], "--report-kind 的值 '通报' 无效"),
    ([], "缺少参数：FILE"),
])
def test_bad_usage_exits_2_and_writes_nothing(args, words, project, capsys):
    write(project / "汇报.txt")
    write(project / "旧.doc", "x")
    write(project / "图片.png", "x")
    assert run(project, *args) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err
    assert entries(project) == []


@pytest.mark.parametrize("content", ["", "##paidbegin##\n##paidend##\n"])
def test_empty_file_exits_1_and_the_rest_is_imported(content, project, capsys):
    empty = write(project / "空.txt", content)
    good = write(project / "汇报.txt")
    assert run(project, empty, good) == 1
    out = capsys.readouterr().out
    assert "失败" in out and "已写入 1 个" in out
    assert len(entries(project)) == 1


def test_existing_entry_markdown_is_refused(project, capsys):
    entry = write(project / "条目.md", "---\ntitle: x\n---\n正文\n")
    assert run(project, entry) == 1
    assert "已经是条目格式" in capsys.readouterr().out


def test_outside_a_project_is_bad_usage(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    source = write(tmp_path / "汇报.txt")
    assert main(["--root", str(tmp_path), "import", str(source)]) == 2
    assert "找不到可用的单位词表" in capsys.readouterr().err


def test_progress_bar_on_a_terminal(project, monkeypatch):
    """With a terminal, many files show a progress bar on stderr; the results are the same."""
    import io

    from casebook.commands import importing as command

    sources = [write(project / f"{n}.txt", REPORT.replace("8项", f"{n}项")) for n in range(3)]
    screen = io.StringIO()
    real_console = command.Console
    monkeypatch.setattr(command, "Console", lambda file=None, **kw: real_console(
        file=screen, force_terminal=True, width=100) if file is sys.stderr else real_console(file=file, **kw))
    assert run(project, *sources) == 0
    assert len(entries(project)) == 3
    assert "导入" in screen.getvalue() and "3/3" in screen.getvalue()


def test_a_program_error_in_one_file_fails_that_file_only(project, monkeypatch, capsys):
    from casebook.commands import importing as command

    good, bad = write(project / "好.txt"), write(project / "坏.txt", REPORT.replace("市妇联", "市总工会"))
    real = command.import_file

    def fragile(path, settings):
        if path.name == "坏.txt":
            raise RuntimeError("模拟的程序错误")
        return real(path, settings)

    monkeypatch.setattr(command, "import_file", fragile)
    assert run(project, good, bad) == 1
    out = capsys.readouterr().out
    assert "程序错误（RuntimeError: 模拟的程序错误）" in out and "Traceback" not in out
    assert len(entries(project)) == 1
