"""``casebook check``: every broken-entry fixture gives its Chinese message
at the right ``path:line``, exit codes follow DESIGN.md, paths limit the
per-file checks, and ``--format json`` serves CI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from casebook.commands.cli import main
from conftest import vocabulary_files

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "check"

# fixture folder -> (file, line, field, words the message must hold)
EXPECTED = {
    "missing-required": ("practices/2023-06-que-dan-wei.md", 2, "unit", ["缺少必填字段 unit（单位）", "例如 unit:"]),
    "wrong-type": ("practices/2023-06-lei-xing-cuo-wu.md", 3, "type", ["未知类型“经验”", "practice（经验做法）"]),
    "wrong-value": ("practices/2023-06-biao-ti-lie-biao.md", 2, "title", ["标题应为一段文字"]),
    "bad-date": ("practices/2023-06-ri-qi-cuo-wu.md", 4, "date", ["日期“2023年6月”格式不对", "可改为 2023-06"]),
    "impossible-date": ("practices/2023-02-ri-qi-bu-cun-zai.md", 4, "date", ["日期“2023-02-30”不存在"]),
    "unknown-unit": ("practices/2023-06-wei-zhi-dan-wei.md", 3, "unit", ["未知单位“市妇女会”", "是否指：市妇联"]),
    "unknown-theme": ("practices/2023-06-wei-zhi-zhu-ti.md", 5, "themes", ["未知主题“清廉文华”", "是否指：廉洁文化"]),
    "unknown-violation": ("warnings/2023-06-wei-zhi-wei-ji.md", 6, "violations",
                          ["未知违纪类型“违规吃饭”", "是否指：违规吃喝"]),
    "unknown-outcome": ("warnings/2023-06-wei-zhi-chu-li.md", 7, "outcomes", ["未知处理结果“严重警高”", "是否指：严重警告"]),
    "duplicate-slug": ("warnings/2023-06-tong-ming.md", 1, "文件名",
                       ["条目名“2023-06-tong-ming”重复", "cases/practices/2023-06-tong-ming.md"]),
    "unknown-related": ("practices/2023-07-xiang-guan-cuo-wu.md", 6, "related",
                        ["相关条目“2023-06-shi-fu-lian-jia-feng-jian-she-x”不存在",
                         "是否指 2023-06-shi-fu-lian-jia-feng-jian-she"]),
    "invalid-yaml": ("practices/2023-06-yaml-cuo-wu.md", 5, "yaml", ["themes 的值：括号没有成对"]),
    "case-without-violations": ("warnings/2023-06-que-wei-ji.md", 2, "violations", ["缺少必填字段 violations（违纪类型）"]),
    "violations-on-practice": ("practices/2023-06-zuo-fa-wei-ji.md", 6, "violations", ["只适用于警示案例"]),
    "empty-title": ("practices/2023-06-kong-biao-ti.md", 2, "title", ["标题不能为空"]),
    "type-against-folder": ("reports/2023-06-lei-xing-bu-fu.md", 3, "type", ["与所在文件夹 reports/ 不符"]),
}


def make_project(tmp_path: Path, fixture: str | None = None) -> Path:
    """A project with the real vocabularies and, optionally, one fixture's entries."""
    root = tmp_path / "proj"
    (root / "cases").mkdir(parents=True)
    for vocab in vocabulary_files(REPO / "cases"):
        shutil.copy(vocab, root / "cases")
    (root / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    if fixture:
        shutil.copytree(FIXTURES / fixture, root / "cases", dirs_exist_ok=True)
    return root


def run(root: Path, *args: str, capsys) -> tuple[int, str, str]:
    code = main(["--root", str(root), "check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_every_fixture_is_expected():
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_broken_entry_reports_chinese_message_at_path_line(fixture, tmp_path, capsys):
    root = make_project(tmp_path, fixture)
    file, line, field, words = EXPECTED[fixture]
    code, out, err = run(root, capsys=capsys)
    assert code == 1
    prefix = f"cases/{file}:{line}: {field}: "
    lines = [x for x in out.splitlines() if x.startswith(prefix)]
    assert lines, f"no line starting with {prefix!r} in:\n{out}"
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in out + err
    assert "发现" in err and "处问题" in err


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_checking_only_the_broken_file_finds_the_same(fixture, tmp_path, capsys, monkeypatch):
    root = make_project(tmp_path, fixture)
    file, line, field, _ = EXPECTED[fixture]
    monkeypatch.chdir(root)
    code, out, err = run(root, f"cases/{file}", capsys=capsys)
    assert code == 1
    assert f"cases/{file}:{line}: {field}: " in out
    assert "检查文件：1" in err


def test_clean_project_exits_0(tmp_path, capsys):
    root = make_project(tmp_path)
    code, out, err = run(root, capsys=capsys)
    assert code == 0
    assert out == ""
    assert "没有发现问题" in err


def test_paths_limit_per_file_checks_but_not_cross_entry_rules(tmp_path, capsys, monkeypatch):
    root = make_project(tmp_path, "unknown-unit")
    shutil.copytree(FIXTURES / "duplicate-slug", root / "cases", dirs_exist_ok=True)
    monkeypatch.chdir(root)
    good = "cases/practices/2023-06-tong-ming.md"
    code, out, _ = run(root, good, capsys=capsys)
    # The unknown unit is in another file: not reported. The name this file
    # shares with a warning case is: that rule looks at every entry.
    assert "市妇女会" not in out
    assert "重复" in out
    assert code == 1


def test_folder_path_checks_the_entries_inside(tmp_path, capsys, monkeypatch):
    root = make_project(tmp_path, "unknown-violation")
    monkeypatch.chdir(root)
    code, out, err = run(root, "cases/warnings", capsys=capsys)
    assert code == 1
    assert "违规吃饭" in out
    assert "检查文件：1" in err


def test_json_format_for_ci(tmp_path, capsys):
    root = make_project(tmp_path, "unknown-theme")
    code, out, _ = run(root, "--format", "json", capsys=capsys)
    assert code == 1
    data = json.loads(out)
    assert data["count"] == len(data["problems"]) == 1
    problem = data["problems"][0]
    assert problem == {
        "path": "cases/practices/2023-06-wei-zhi-zhu-ti.md", "line": 5, "field": "themes",
        "message": "未知主题“清廉文华”", "suggestion": problem["suggestion"],
    }
    assert "廉洁文化" in problem["suggestion"]


def test_json_format_when_clean(tmp_path, capsys):
    root = make_project(tmp_path)
    code, out, _ = run(root, "--format", "json", capsys=capsys)
    assert code == 0
    assert json.loads(out) == {"problems": [], "count": 0}


@pytest.mark.parametrize("args, words", [
    (["--format", "xml"], ["用法错误", "--format 的值 'xml' 无效"]),
    (["--nonsense"], ["用法错误", "无法识别的参数：--nonsense"]),
    (["no/such/file.md"], ["找不到 no/such/file.md"]),
    (["mkdocs.yml"], ["只能检查 cases/ 中的条目"]),
])
def test_bad_usage_exits_2_in_chinese(args, words, tmp_path, capsys, monkeypatch):
    root = make_project(tmp_path)
    monkeypatch.chdir(root)
    code = exit_code(["--root", str(root), "check", *args])
    err = capsys.readouterr().err
    assert code == 2
    for word in words:
        assert word in err
    assert "Traceback" not in err


def exit_code(argv: list[str]) -> int:
    """main's return value, or the code argparse exits with."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


def test_vocabulary_file_path_checks_vocabularies(tmp_path, capsys, monkeypatch):
    root = make_project(tmp_path)
    themes = root / "cases" / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8") + "- name: 廉洁文化\n  slug: lian-jie-wen-hua-2\n",
                      encoding="utf-8")
    monkeypatch.chdir(root)
    code, out, _ = run(root, "cases/themes.yml", capsys=capsys)
    assert code == 1
    assert "cases/themes.yml:" in out and "重复" in out


def test_pre_commit_hook_runs_check_on_staged_entries():
    import yaml

    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]}
    entries = hooks["casebook-check"]
    assert entries["entry"] == "scripts/precommit-check" and entries["language"] == "script"
    assert entries["files"] == r"^cases/.*\.md$"
    assert entries.get("pass_filenames", True) is True
    assert (REPO / entries["entry"]).stat().st_mode & 0o111  # executable


def test_pre_commit_hook_works_without_an_activated_venv(tmp_path):
    """Run as pre-commit runs it: a plain PATH without the venv; it finds the
    project's .venv itself, and says in Chinese when there is none."""
    import os
    import subprocess

    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if ".venv" not in p)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")} | {"PATH": path}
    good = sorted((REPO / "cases" / "practices").glob("*.md"))[0]
    result = subprocess.run([str(REPO / "scripts" / "precommit-check"), str(good)], capture_output=True,
                            text=True, env=env, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "没有发现问题" in result.stderr
    # a clone without .venv: the hook copied elsewhere finds none
    hook = tmp_path / "scripts" / "precommit-check"
    hook.parent.mkdir()
    hook.write_bytes((REPO / "scripts" / "precommit-check").read_bytes())
    hook.chmod(0o755)
    result = subprocess.run([str(hook)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 1 and "make setup" in result.stderr and "Traceback" not in result.stderr


def _jsonc(text: str):
    """VS Code's settings are JSON with // comments."""
    import re

    return json.loads(re.sub(r"^\s*//.*$", "", text, flags=re.M))


def test_vscode_maps_the_published_schemas_to_their_folders(tmp_path):
    from casebook.core.fields import ENTRY_TYPES
    from casebook.core.schema import type_schema_uri

    settings = _jsonc((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping == {f"./site/{type_schema_uri(t)}": [f"cases/{t.folder}/*.md"] for t in ENTRY_TYPES}
    # `casebook schema --out-dir` writes the files the setting names (where the site publishes them too)
    root = make_project(tmp_path)
    assert main(["--root", str(root), "schema", "--out-dir", str(root / "site" / "schema")]) == 0
    for schema_path in mapping:
        schema = json.loads((root / schema_path).read_text(encoding="utf-8"))
        assert "市妇联" in schema["properties"]["unit"]["enum"]
    warnings = json.loads((root / "site/schema/casebook-warnings.schema.json").read_text(encoding="utf-8"))
    assert "violations" in warnings["properties"] and "report_kind" not in warnings["properties"]


def test_guide_task_problem_matcher_reads_check_output():
    import re

    from casebook.core.problems import Problem

    guide = (REPO / "docs" / "guide" / "editor.md").read_text(encoding="utf-8")
    task = json.loads(re.search(r"```json\n(.*?)```", guide, re.S).group(1))
    pattern = task["tasks"][0]["problemMatcher"]["pattern"]
    line = Problem("cases/practices/2023-06-x.md", 3, "unit", "未知单位“市妇女会”", "是否指：市妇联？").format()
    match = re.match(pattern["regexp"], line)
    assert match
    assert match.group(pattern["file"]) == "cases/practices/2023-06-x.md"
    assert match.group(pattern["line"]) == "3"
    assert match.group(pattern["code"]) == "unit"
    assert match.group(pattern["message"]).startswith("未知单位")
