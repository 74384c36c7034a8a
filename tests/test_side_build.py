"""A build makes its search index and Word files in a forked process on the
other core (mkdocs/sidebuild.py): the output equals a build in one process,
and a failure there stops the build with a Chinese message."""

from __future__ import annotations

import filecmp
import os

import pytest
from casebook.mkdocs.sidebuild import SideBuild, SideBuildError, can_fork
from conftest import ROOT, run_mkdocs_build


def _differences(a, b) -> list[str]:
    found = []

    def walk(cmp, prefix=""):
        found.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(a, b, ignore=[]))
    return found


def test_forked_work_returns_its_value():
    side = SideBuild(lambda: {"pid": os.getpid(), "value": [1, 2, 3]}, fork=True)
    assert side.forked
    result = side.result()
    assert result["value"] == [1, 2, 3]
    assert result["pid"] != os.getpid()  # it really ran in another process


@pytest.mark.parametrize("fork", [True, False])
def test_the_time_the_work_took_is_kept_for_the_log(fork):
    import time

    def work():
        time.sleep(0.05)
        return 1

    side = SideBuild(work, fork=fork)
    side.result()
    assert side.seconds >= 0.05  # measured where the work ran
    assert side.waited >= (0.05 if not fork else 0.0)


@pytest.mark.parametrize("fork", [True, False])
def test_a_failure_comes_back_with_its_message(fork):
    def work():
        raise ValueError("坏了")

    side = SideBuild(work, fork=fork)
    with pytest.raises(SideBuildError, match="ValueError: 坏了") as caught:
        side.result()
    assert "raise ValueError" in caught.value.trace


def test_a_process_that_dies_is_a_failure():
    side = SideBuild(lambda: os._exit(3), fork=True)
    with pytest.raises(SideBuildError, match="退出码 3"):
        side.result()


def test_one_process_when_asked():
    assert not can_fork({"CASEBOOK_JOBS": "1"})
    assert SideBuild(lambda: 7, fork=False).result() == 7


def test_forked_build_equals_one_process_build(built_site, tmp_path):
    """The sample site (index, Word files, every page) is the same made by
    two processes (the session's build) or by one."""
    single = tmp_path / "single"
    result = run_mkdocs_build(ROOT, single, env={"CASEBOOK_JOBS": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert any(single.glob("compilations/**/*.docx")) and (single / "assets/casebook/search/manifest.json").exists()
    assert _differences(built_site, single) == []


def test_side_failure_stops_the_build(tmp_path, monkeypatch):
    """An error in the forked work fails the build with a Chinese message,
    no traceback as the last word."""
    from conftest import copy_project
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p", with_entries=True)
    # A compilations.yml naming a Word title no file system takes would be
    # contrived; break the index writer instead, in the child only, through
    # an import hook the build process loads (sitecustomize on PYTHONPATH).
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import casebook.search as s\n"
        "def broken(*a, **k):\n"
        "    raise OSError('磁盘已满')\n"
        "s.build_index = broken\n"
        "import casebook.mkdocs.plugin as p\n"
        "p.build_index = broken\n", encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(hook), str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")])}
    result = run_mkdocs_build(project, tmp_path / "site", env=env, strict=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "生成搜索索引和汇编 Word 文件时出错" in output and "磁盘已满" in output
