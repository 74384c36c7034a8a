"""``casebook new TYPE``: from flags (no questions), by asking (questionary,
driven through a pipe), bad usage exits 2 in Chinese, and a new entry
passes ``casebook check`` and ``mkdocs build --strict`` at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import casebook.commands.newentry as newentry
import pytest
from casebook.commands.cli import main
from casebook.core.slugs import entry_slug
from conftest import vocabulary_files
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent

PRACTICE = ["practice", "--title", "市妇联以家风建设带动清廉机关建设", "--unit", "市妇联", "--date", "2023-06-15",
            "--themes", "家风建设,廉洁文化"]


@pytest.fixture
def project(project, monkeypatch) -> Path:
    """The shared empty library (conftest), as the current folder."""
    monkeypatch.chdir(project)
    monkeypatch.setattr(newentry, "is_interactive", lambda: False)
    return project


def run(root: Path, *args: str) -> int:
    try:
        return main(["--root", str(root), "new", *args])
    except SystemExit as exc:
        return exc.code


def created(root: Path) -> list[Path]:
    return sorted((root / "cases").rglob("*.md"))


def test_from_flags_without_asking(project, capsys):
    assert run(project, *PRACTICE, "--tags", "清廉家庭", "--tags", "家书、最美家庭") == 0
    [entry] = created(project)
    slug = entry_slug("市妇联以家风建设带动清廉机关建设", "2023-06-15")
    assert entry == project / "cases" / "practices" / f"{slug}.md"
    text = entry.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 市妇联以家风建设带动清廉机关建设\nunit: 市妇联\ndate: 2023-06-15\n"
                           "themes: [家风建设, 廉洁文化]\ntags: [清廉家庭, 家书, 最美家庭]\nstatus: draft\n---\n")
    assert "## 主要做法" in text
    assert f"已创建 cases/practices/{slug}.md" in capsys.readouterr().out
    assert main(["--root", str(project), "check"]) == 0


@pytest.mark.parametrize("written, folder", [("case", "warnings"), ("警示案例", "warnings")])
def test_case_by_english_or_chinese_type(written, folder, project):
    assert run(project, written, "--title", "某局干部违规吃喝被处理", "--unit", "市财政局", "--date", "2023",
               "--themes", "作风建设", "--violations", "违规公款吃喝", "--outcomes", "党内警告",
               "--person", "某局原副科长李某", "--lessons", "小节不保，大节难守。") == 0
    [entry] = created(project)
    assert entry.parent.name == folder
    text = entry.read_text(encoding="utf-8")
    assert "violations: [违规吃喝]" in text and "outcomes: [警告]" in text  # aliases made canonical
    assert main(["--root", str(project), "check", str(entry)]) == 0


def test_case_with_the_notice_fields(project):
    assert run(project, "case", "--title", "某局干部违规吃喝被处理", "--unit", "市财政局", "--date", "2023-3",
               "--themes", "作风建设", "--violations", "违规吃喝", "--outcomes", "警告", "--rank", "科级",
               "--issued-by", "市纪委监委", "--issued-on", "2023-4-2") == 0
    [entry] = created(project)
    text = entry.read_text(encoding="utf-8")
    assert "rank: 乡科级\n" in text and "issued_by: 市纪委监委\n" in text and "issued_on: 2023-04-02\n" in text
    assert main(["--root", str(project), "check", str(entry)]) == 0
    assert run(project, "case", "--title", "另一案", "--unit", "市财政局", "--date", "2023", "--themes", "作风建设",
               "--violations", "违规吃喝", "--outcomes", "警告", "--rank", "处级") == 2


@pytest.mark.parametrize("written", ["report", "工作报告"])
def test_report_with_kind(written, project):
    assert run(project, written, "--title", "市委组织部2022年党风廉政建设责任制情况汇报", "--unit", "市委组织部",
               "--date", "2022", "--themes", "责任落实", "--report-kind", "工作汇报", "--draft") == 0
    [entry] = created(project)
    text = entry.read_text(encoding="utf-8")
    assert entry.parent.name == "reports"
    assert "report_kind: 工作汇报" in text and "status: draft" in text
    assert main(["--root", str(project), "check"]) == 0


def test_aliases_and_loose_dates_are_written_canonically(project):
    assert run(project, "practice", "--title", "家风建设", "--unit", "市妇女联合会", "--date", "2023-6",
               "--themes", "清廉文化") == 0
    [entry] = created(project)
    text = entry.read_text(encoding="utf-8")
    assert "unit: 市妇联\n" in text and "date: 2023-06\n" in text and "themes: [廉洁文化]" in text
    assert entry.name.startswith("2023-06-")


def test_date_defaults_to_today(project):
    import datetime as dt

    assert run(project, "practice", "--title", "家风建设", "--unit", "市妇联", "--themes", "家风建设") == 0
    [entry] = created(project)
    assert f"date: {dt.date.today().isoformat()}" in entry.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, words", [
    ([], "缺少条目类型 TYPE：practice（经验做法）"),
    (["practice", "--unit"], "--unit 后面要写一个值"),
    (["经验"], "未知条目类型“经验”"),
    (["practice", "--title", "x"], "缺少必填项：--unit（单位）、--themes（主题）"),
    (["case", "--title", "x", "--unit", "市财政局", "--themes", "作风建设"],
     "缺少必填项：--violations（违纪类型）、--outcomes（处理结果）"),
    (PRACTICE[:3] + ["--unit", "市妇女会"] + PRACTICE[5:], "--unit：未知单位“市妇女会”（是否指：市妇联"),
    (PRACTICE[:5] + ["--date", "2023年6月"] + PRACTICE[7:], "--date：日期“2023年6月”格式不对（可改为 2023-06）"),
    (PRACTICE + ["--themes", "清廉文华"], "--themes：未知主题“清廉文华”（是否指：廉洁文化"),
    (PRACTICE + ["--report-kind", "工作汇报"], "--report-kind：字段 report_kind 只适用于工作报告"),
    (PRACTICE + ["--slug", "中文名"], "只能用小写字母、数字和连字符"),
    (PRACTICE + ["--bogus"], "无法识别的参数：--bogus"),
])
def test_bad_usage_exits_2_in_chinese(args, words, project, capsys):
    assert run(project, *args) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err
    assert created(project) == []


def test_never_overwrites_without_force(project, capsys):
    assert run(project, *PRACTICE) == 0
    [entry] = created(project)
    entry.write_text(entry.read_text(encoding="utf-8") + "\n编辑写的正文。\n", encoding="utf-8")
    assert run(project, *PRACTICE) == 1
    assert "已存在，没有覆盖" in capsys.readouterr().err
    assert "编辑写的正文" in entry.read_text(encoding="utf-8")
    assert run(project, *PRACTICE, "--force") == 0
    assert "编辑写的正文" not in entry.read_text(encoding="utf-8")


def test_name_taken_in_another_folder_is_refused(project, capsys):
    assert run(project, *PRACTICE) == 0
    assert run(project, "report", *PRACTICE[1:], "--report-kind", "工作汇报") == 1
    assert "必须唯一" in capsys.readouterr().err
    assert len(created(project)) == 1


def test_out_dir(project, tmp_path):
    out = tmp_path / "草稿"
    assert run(project, *PRACTICE, "--out", str(out)) == 0
    assert created(project) == []
    assert len(list(out.glob("*.md"))) == 1


# -- asking ---------------------------------------------------------------------
class ScriptedPrompter(newentry.QuestionaryPrompter):
    """The real questionary prompts, fed keystrokes through a pipe: one
    scripted answer per question, in order."""

    def __init__(self, answers: list[str]):
        super().__init__(output=DummyOutput())
        self.answers = list(answers)
        self.questions: list[str] = []

    def _run(self, method, message, *args, **kwargs):
        self.questions.append(message)
        with create_pipe_input() as pipe:
            self.input = pipe
            pipe.send_text(self.answers.pop(0))
            return method(self, message, *args, **kwargs)

    def text(self, message, default="", validate=None):
        return self._run(newentry.QuestionaryPrompter.text, message, default, validate)

    def autocomplete(self, message, choices, validate=None):
        return self._run(newentry.QuestionaryPrompter.autocomplete, message, choices, validate)

    def select(self, message, choices):
        return self._run(newentry.QuestionaryPrompter.select, message, choices)

    def checkbox(self, message, choices, validate=None):
        return self._run(newentry.QuestionaryPrompter.checkbox, message, choices, validate)

DOWN, ENTER, SPACE = "\x1b[B", "\r", " "


def test_asks_for_what_is_missing(project, monkeypatch, capsys):
    prompter = ScriptedPrompter([
        "市妇联开展清廉家访" + ENTER,  # 标题
        "市妇女联合会" + ENTER,  # 单位, by its alias
        "\x7f" * 10 + "2023-07" + ENTER,  # 日期: clear the default, type another
        DOWN * 5 + SPACE + DOWN + SPACE + ENTER,  # 主题: the 6th and 7th themes
        "家访、家书" + ENTER,  # 标签
    ])
    monkeypatch.setattr(newentry, "is_interactive", lambda: True)
    monkeypatch.setattr(newentry, "make_prompter", lambda: prompter)
    assert run(project, "practice") == 0
    [entry] = created(project)
    text = entry.read_text(encoding="utf-8")
    assert "title: 市妇联开展清廉家访\nunit: 市妇联\ndate: 2023-07\nthemes: [家风建设, 作风建设]\ntags: [家访, 家书]\n" in text
    assert [q.split("（")[0].rstrip("：") for q in prompter.questions] == ["标题", "单位", "日期", "主题", "标签"]
    assert main(["--root", str(project), "check"]) == 0


def test_asking_only_for_the_missing_and_type_specific_fields(project, monkeypatch):
    prompter = ScriptedPrompter([
        DOWN * 2 + SPACE + ENTER,  # 违纪类型: the 3rd (违反廉洁纪律)
        SPACE + ENTER,  # 处理结果: the first (警告)
        ENTER,  # 当事人: skipped
        ENTER,  # 警示启示: skipped
        ENTER,  # 标签: skipped
    ])
    monkeypatch.setattr(newentry, "is_interactive", lambda: True)
    monkeypatch.setattr(newentry, "make_prompter", lambda: prompter)
    assert run(project, "case", "--title", "某局干部收受礼金", "--unit", "市财政局", "--date", "2023",
               "--themes", "作风建设") == 0
    [entry] = created(project)
    text = entry.read_text(encoding="utf-8")
    assert "violations: [违反廉洁纪律]" in text and "outcomes: [警告]" in text
    assert "person" not in text and "tags" not in text


def test_full_flags_never_ask(project, monkeypatch):
    monkeypatch.setattr(newentry, "is_interactive", lambda: True)
    monkeypatch.setattr(newentry, "make_prompter", lambda: ScriptedPrompter([]))
    assert run(project, *PRACTICE) == 0


def test_cancelled_prompt_creates_nothing(project, monkeypatch, capsys):
    class Cancelling:
        def text(self, *args, **kwargs):
            raise newentry.Cancelled

    monkeypatch.setattr(newentry, "is_interactive", lambda: True)
    monkeypatch.setattr(newentry, "make_prompter", lambda: Cancelling())
    assert run(project, "practice") == 1
    assert "已取消" in capsys.readouterr().err
    assert created(project) == []


def test_no_input_flag_turns_asking_off(project, monkeypatch, capsys):
    monkeypatch.setattr(newentry, "is_interactive", lambda: True)
    assert run(project, "practice", "--no-input") == 2
    assert "缺少必填项" in capsys.readouterr().err


# -- the whole path -------------------------------------------------------------
def test_new_then_check_then_mkdocs_build_strict(tmp_path):
    """In a copy of the project (mkdocs.yml, docs/, the vocabularies), as an
    editor would run it: the casebook and mkdocs commands of this venv."""
    root = tmp_path / "site-project"
    (root / "cases").mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root)
    shutil.copytree(REPO / "docs", root / "docs")
    for vocab in vocabulary_files(REPO / "cases"):
        shutil.copy(vocab, root / "cases")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    def command(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=300,
                              stdin=subprocess.DEVNULL)

    made = command(str(VENV_BIN / "casebook"), "new", *PRACTICE)
    assert made.returncode == 0, made.stderr
    slug = entry_slug("市妇联以家风建设带动清廉机关建设", "2023-06-15")
    path = root / "cases" / "practices" / f"{slug}.md"
    checked = command(str(VENV_BIN / "casebook"), "check", f"cases/practices/{slug}.md")
    assert checked.returncode == 0, checked.stdout + checked.stderr  # a draft, with the template's hints
    # publishing the template as it is: refused, on the line of the first hint
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: draft\n", ""), encoding="utf-8")
    checked = command(str(VENV_BIN / "casebook"), "check", f"cases/practices/{slug}.md")
    assert checked.returncode == 1 and "模板的提示" in checked.stdout, checked.stdout
    # written and published, as the editor is told to
    path.write_text(text.replace("status: draft\n", "").split("---\n\n", 1)[0] + "---\n\n家风讲座 12 场。\n",
                    encoding="utf-8")
    checked = command(str(VENV_BIN / "casebook"), "check", f"cases/practices/{slug}.md")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = command(str(VENV_BIN / "mkdocs"), "build", "--strict", "--site-dir", str(tmp_path / "site"))
    assert built.returncode == 0, built.stderr
    page = tmp_path / "site" / "practices" / slug / "index.html"
    assert "市妇联以家风建设带动清廉机关建设" in page.read_text(encoding="utf-8")
    # the editor guide is built too, its tables generated from the field definitions and vocabularies
    fields = (tmp_path / "site" / "guide" / "fields" / "index.html").read_text(encoding="utf-8")
    assert "<code>report_kind</code>" in fields and "<code>cases/warnings/</code>" in fields
    vocabularies = (tmp_path / "site" / "guide" / "vocabularies" / "index.html").read_text(encoding="utf-8")
    assert "市妇女联合会" in vocabularies and "严重警告" in vocabularies and "casebook:" not in vocabularies


@pytest.mark.parametrize("title", ["关于: 冒号的标题", "#号开头的标题", "- 横线开头", "[方括号]标题", "它's 引号"])
def test_titles_yaml_would_misread_are_quoted(title, project):
    assert run(project, "practice", "--title", title, "--unit", "市妇联", "--themes", "家风建设", "--slug", "t") == 0
    assert main(["--root", str(project), "check"]) == 0
    assert title in (project / "cases" / "practices" / "t.md").read_text(encoding="utf-8")
