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


def _where(item):
    return item * 2, os.getpid()


def test_split_map_maps_every_other_item_in_another_process_in_order():
    from casebook.mkdocs.sidebuild import split_map
    mapped = split_map(_where, list(range(7)), at=2)
    assert [value for value, _ in mapped] == [0, 2, 4, 6, 8, 10, 12]
    assert {pid for _, pid in mapped[::2]} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in mapped[1::2]}


def test_split_map_stays_here_below_its_threshold_or_when_asked(monkeypatch):
    from casebook.mkdocs.sidebuild import split_map
    assert {pid for _, pid in split_map(_where, [1, 2, 3], at=4)} == {os.getpid()}
    monkeypatch.setenv("CASEBOOK_JOBS", "1")
    assert {pid for _, pid in split_map(_where, [1, 2, 3], at=1)} == {os.getpid()}
    assert split_map(_where, [], at=0) == []


def test_split_map_failure_elsewhere_comes_back():
    from casebook.mkdocs.sidebuild import split_map

    def fails_on_odd(item):
        if item % 2:
            raise ValueError(f"第 {item} 项坏了")
        return item

    with pytest.raises(SideBuildError, match="第 1 项坏了"):
        split_map(fails_on_odd, [0, 1, 2, 3], at=1)


def test_summaries_rendered_on_two_cores_give_the_same_site(tmp_path):
    """The bodies a build renders for the automatic summaries (and keeps for
    the index and the Word files) are split between two processes from 200
    of them on. Here the sample library's entries lose their given
    summaries, the threshold is lowered to 1 in the build process (through
    an import hook), and the site is the one a build in one process makes."""
    import re

    from conftest import copy_project
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p", with_entries=True)
    for path in project.glob("cases/*/*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\nsummary: [^|>\n][^\n]*", "", text, count=1), encoding="utf-8")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import casebook.mkdocs.sidebuild as s\n"
        "s.SPLIT_AT = 1\n", encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(hook), str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")])}
    split, single = tmp_path / "split", tmp_path / "single"
    for site, extra in ((split, env), (single, {"CASEBOOK_JOBS": "1"})):
        result = run_mkdocs_build(project, site, env=extra)
        assert result.returncode == 0, result.stdout + result.stderr
    assert _differences(split, single) == []


def test_a_shared_queue_gives_every_item_to_exactly_one_process():
    from casebook.mkdocs.sidebuild import SharedQueue
    queue = SharedQueue(list(range(500)))
    theirs = SideBuild(lambda: list(queue), fork=True)
    mine = list(queue)
    taken = theirs.result()
    assert sorted(mine + taken) == list(range(500))  # each once, none lost
    assert mine == sorted(mine) and taken == sorted(taken)  # in order, whoever asks


def test_a_word_file_failure_in_either_process_stops_the_build(tmp_path):
    """The Word files are made by whichever process is free (the other one
    after the index, this one after the pages): a failure in either stops
    the build with a Chinese message."""
    from conftest import copy_project
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p", with_entries=True)
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import casebook.mkdocs.plugin as p\n"
        "def broken(*a, **k):\n"
        "    raise OSError('磁盘已满')\n"
        "p.compilation_docx = broken\n", encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(hook), str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")])}
    result = run_mkdocs_build(project, tmp_path / "site", env=env, strict=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Word 文件时出错" in output and "磁盘已满" in output
    assert "Traceback" not in output.strip().splitlines()[-1]
