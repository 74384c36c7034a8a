"""Dates in Chinese, and 最后更新 from git history with fallbacks that never
fail: no git, not a repository, a shallow clone, uncommitted changes, and
SOURCE_DATE_EPOCH."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from casebook.core.dates import chinese_date
from casebook.core.history import FileDates, file_dates, source_date
from conftest import copy_project, run_mkdocs_build

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


@pytest.mark.parametrize("iso, text", [
    ("2023-06-27", "2023年6月27日"), ("2023-06", "2023年6月"), ("2023", "2023年"), ("2023-11-05", "2023年11月5日"),
    ("", ""), ("昨天", "昨天"), ("2023-06-27-01", "2023-06-27-01"),
])
def test_chinese_dates(iso, text):
    assert chinese_date(iso) == text


def git(cwd: Path, *args: str, when: str = "2024-03-05T10:00:00+08:00"):
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "编辑",
           "GIT_AUTHOR_EMAIL": "e@example.invalid", "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "e@example.invalid"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def write(root: Path, rel: str, text: str = "x\n") -> str:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")
    return rel


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write(root, "cases/practices/a.md")
    write(root, "cases/practices/b.md")
    git(root, "add", ".")
    git(root, "commit", "-qm", "一", when="2024-03-05T10:00:00+08:00")
    write(root, "cases/practices/b.md", "y\n")
    write(root, "cases/practices/c.md")
    git(root, "add", ".")
    git(root, "commit", "-qm", "二", when="2024-05-20T23:30:00+08:00")
    return root


PATHS = ["cases/practices/a.md", "cases/practices/b.md", "cases/practices/c.md"]


@needs_git
def test_added_and_updated_come_from_the_history(repo):
    dates = file_dates(repo, PATHS, environ={})
    assert dates["cases/practices/a.md"] == FileDates("2024-03-05", "2024-03-05")
    assert dates["cases/practices/b.md"] == FileDates("2024-03-05", "2024-05-20")  # the committer's own day
    assert dates["cases/practices/c.md"] == FileDates("2024-05-20", "2024-05-20")


@needs_git
def test_an_uncommitted_change_is_dated_by_the_file(repo):
    write(repo, "cases/practices/a.md", "changed\n")
    os.utime(repo / "cases/practices/a.md", (1_700_000_000, 1_700_000_000))  # 2023-11-14/15 in any zone
    write(repo, "cases/practices/new.md")
    dates = file_dates(repo, [*PATHS, "cases/practices/new.md"], environ={})
    assert dates["cases/practices/a.md"].updated in ("2023-11-14", "2023-11-15")
    assert dates["cases/practices/a.md"].added == "2024-03-05"
    assert dates["cases/practices/new.md"].added == "" and dates["cases/practices/new.md"].updated
    assert file_dates(repo, PATHS, environ={"SOURCE_DATE_EPOCH": "1700000000"})["cases/practices/a.md"].updated \
        == "2023-11-14"  # reproducible builds: the given time, in UTC


@needs_git
def test_a_shallow_clone_does_not_pass_its_cut_off_as_history(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True, capture_output=True)
    dates = file_dates(clone, PATHS, environ={})
    # one commit is all the clone has: it cannot tell when a.md changed, nor when anything was added
    assert dates["cases/practices/a.md"] == FileDates("", "")
    assert dates["cases/practices/c.md"] == FileDates("", "")
    with_epoch = file_dates(clone, PATHS, environ={"SOURCE_DATE_EPOCH": "1716200000"})
    assert with_epoch["cases/practices/a.md"] == FileDates("", "2024-05-20")


def test_without_git_or_outside_a_repository_nothing_fails(tmp_path, monkeypatch):
    write(tmp_path, "cases/practices/a.md")
    assert file_dates(tmp_path, ["cases/practices/a.md"], environ={})["cases/practices/a.md"] == FileDates("", "")
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))  # no git at all
    assert file_dates(tmp_path, ["cases/practices/a.md"], environ={"SOURCE_DATE_EPOCH": "0"}) == {
        "cases/practices/a.md": FileDates("", "1970-01-01")}


@pytest.mark.parametrize("value", ["", "abc", "-5", "1e9", "99999999999999999999"])
def test_a_bad_source_date_epoch_is_ignored(value):
    assert source_date({"SOURCE_DATE_EPOCH": value}) == ""


def test_a_build_without_git_shows_no_last_update_unless_given_one(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p", with_entries=True)  # a copy: not a git repository
    entry = next((project / "cases" / "warnings").glob("*.md")).stem
    result = run_mkdocs_build(project, tmp_path / "site", env={"SOURCE_DATE_EPOCH": "1687824000", "GIT_DIR": "/nonexistent"})
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "warnings" / entry / "index.html").read_text(encoding="utf-8")
    assert '最后更新：<time datetime="2023-06-27">2023年6月27日</time>' in page
    result = run_mkdocs_build(project, tmp_path / "site2", env={"GIT_DIR": "/nonexistent"})
    assert result.returncode == 0, result.stderr
    assert "最后更新" not in (tmp_path / "site2" / "warnings" / entry / "index.html").read_text(encoding="utf-8")


@needs_git
def test_the_sample_build_dates_entries_by_their_last_commit(built_site):
    from casebook.core.library import load_library
    from conftest import ROOT
    checked = 0
    for entry in load_library(ROOT, include_drafts=False).entries:
        dirty = subprocess.run(["git", "status", "--porcelain", "--", entry.path], cwd=ROOT, capture_output=True,
                               text=True).stdout.strip()
        last = subprocess.run(["git", "log", "-1", "--format=%cI", "--", entry.path], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()[:10]
        if dirty or not last:
            continue
        page = (built_site / entry.url / "index.html").read_text(encoding="utf-8")
        assert f'最后更新：<time datetime="{last}">{chinese_date(last)}</time>' in page, entry.url
        checked += 1
    assert checked or os.environ.get("CI") is None  # a fresh checkout has every entry committed
