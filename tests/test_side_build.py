"""A build makes its search index and the entries' Word paragraphs in a
forked process on the other core (mkdocs/sidebuild.py): the output equals a
build in one process, and a failure there stops the build with a Chinese
message."""

from __future__ import annotations

import os
import re
import time

import pytest
from casebook.mkdocs.sidebuild import SideBuild, SideBuildError, can_fork
from conftest import ROOT, hooked_env, run_mkdocs_build, sample_project, site_differences


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


def _delivering(deliver):
    deliver({"parts": list(range(100_000)), "pid": os.getpid()})  # more than a pipe holds
    return "index"


@pytest.mark.parametrize("fork", [True, False])
def test_work_hands_a_value_over_before_it_ends(fork, tmp_path, monkeypatch):
    """``delivered`` gives what the work handed over (in a temporary file,
    removed once read), ``result`` then what it returned."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    side = SideBuild(_delivering, fork=fork, delivers=True)
    value = side.delivered()
    assert value["parts"] == list(range(100_000)) and (value["pid"] != os.getpid()) is fork
    assert side.result() == "index"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fork", [True, False])
def test_a_failure_before_the_hand_over_comes_back_from_delivered(fork):
    def work(deliver):
        raise ValueError("坏了")

    side = SideBuild(work, fork=fork, delivers=True)
    with pytest.raises(SideBuildError, match="ValueError: 坏了"):
        side.delivered()


def test_a_value_handed_over_but_never_asked_for_is_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    assert SideBuild(_delivering, fork=True, delivers=True).result() == "index"
    assert list(tmp_path.iterdir()) == []


def test_stop_ends_the_work_and_removes_what_it_handed_over(tmp_path, monkeypatch):
    """A failing build stops the other process: it ends, and a value it
    handed over that nobody asked for is removed."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)

    def work(deliver):
        deliver([1, 2, 3])
        time.sleep(60)

    side = SideBuild(work, fork=True, delivers=True)
    while not side._receive.poll():  # handed over (its name sent)
        time.sleep(0.01)
    assert len(list(tmp_path.iterdir())) == 1
    side.stop()
    assert not side._process.is_alive() and list(tmp_path.iterdir()) == []


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
    assert site_differences(built_site, single) == []


def _word_work(output: str) -> tuple[int, int, int, int]:
    """From the build's log: the entries' Word paragraphs the other process
    made, how many this process used, and the Word files each process made."""
    found = re.search(r"另一进程生成 (\d+) 个条目的 Word 段落（用上 (\d+) 个）、搜索索引和 (\d+) 个汇编 Word 文件"
                      r".*?本进程页面生成后生成 (\d+) 个 Word 文件", output)
    assert found, output
    return int(found[1]), int(found[2]), int(found[3]), int(found[4])


def _build_with(tmp_path, name: str, hook: str) -> str:
    (tmp_path / name).mkdir()
    result = run_mkdocs_build(ROOT, tmp_path / name / "site", env=hooked_env(tmp_path / name, hook))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


_DRAINED = ("def drained(self, printables):\n"  # until the other process has taken every Word file from the queue
            "    while self.word_queue._next.value <= len(printables):\n"
            "        time.sleep(0.05)\n")


@pytest.mark.parametrize("hook, who", [
    # the pages' process waits until the other one has taken every Word file (after its index)
    ("import casebook.mkdocs.plugin as p, time\n" + _DRAINED + "f = p.CasebookPlugin._finish\n"
     "p.CasebookPlugin._finish = lambda self, config: (drained(self, p.printed_parts(self.plan.compilations)), "
     "f(self, config))[1]\n", "elsewhere"),
    # the other process waits until this one has taken them all (after its pages)
    ("import casebook.mkdocs.plugin as p, time\n" + _DRAINED + "f = p.CasebookPlugin._word_files_made_elsewhere\n"
     "p.CasebookPlugin._word_files_made_elsewhere = lambda self, config, parts: "
     "(drained(self, p.printed_parts(p.compilations_of(self.library))), f(self, config, parts))[1]\n", "here"),
])
def test_word_files_are_made_by_whichever_process_is_free(tmp_path, built_site, hook, who):
    """Both processes take Word files from one queue (the other process
    from its paragraphs, for entries whose page took the body converted
    ahead): the site is the same whoever makes them."""
    made, taken, elsewhere, here = _word_work(_build_with(tmp_path, "b", hook))
    count = len(list(built_site.glob("compilations/**/*.docx")))
    assert 0 < made == taken and elsewhere + here == count
    assert (elsewhere, here) == ((count, 0) if who == "elsewhere" else (0, count))
    assert site_differences(built_site, tmp_path / "b" / "site") == []


def test_word_paragraphs_made_elsewhere_are_used_only_where_the_page_took_the_body_made_ahead(tmp_path, built_site):
    """Pages made without the bodies converted ahead (here: never offered
    them) leave the other process's paragraphs unused and every Word file
    to this process, which makes the same site."""
    output = _build_with(tmp_path, "b", "import casebook.mkdocs.sharedmarkdown as m\n"
                                        "use = m.SharedMarkdown.use\n"
                                        "m.SharedMarkdown.use = lambda self, page, ahead=None, source=None: "
                                        "use(self, page, None, source)\n")
    made, taken, elsewhere, here = _word_work(output)
    assert made > 0 and taken == 0 and elsewhere == 0 and here > 0
    assert site_differences(built_site, tmp_path / "b" / "site") == []


@pytest.mark.parametrize("broken, message", [
    # a compilations.yml naming a Word title no file system takes would be contrived: break the function instead
    ("build_index", "另一进程生成搜索索引时出错"),
    ("entry_part", "另一进程生成条目的 Word 段落时出错"),  # its first step
    ("compilation_docx", "生成汇编 Word 文件时出错"),  # whichever process takes the first one
])
def test_a_failure_in_either_process_stops_the_build(tmp_path, broken, message):
    """An error in the forked work, or in the Word files this process
    makes after its pages, fails the build with a Chinese message, no
    traceback as the last word."""
    project = sample_project(tmp_path)
    env = hooked_env(tmp_path, "import casebook.mkdocs.plugin as p\n"
                               "def broken(*a, **k):\n"
                               "    raise OSError('磁盘已满')\n"
                               f"p.{broken} = broken\n")
    result = run_mkdocs_build(project, tmp_path / "site", env=env, strict=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert message in output and "磁盘已满" in output
    assert "Traceback" not in output.strip().splitlines()[-1]


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


def test_split_map_gives_back_shared_objects_themselves_and_copies_of_the_rest():
    from casebook.mkdocs.sidebuild import split_map
    shared = [object(), ["a term"]]
    other = ["not shared"]
    mapped = split_map(lambda i: (i, shared[i % 2], other), list(range(6)), at=1, shared=shared)
    assert [i for i, _, _ in mapped] == list(range(6))
    assert all(thing is shared[i % 2] for i, thing, _ in mapped)  # from the other process too
    assert mapped[0][2] is other and mapped[1][2] is not other and mapped[1][2] == other


def test_a_library_read_on_two_cores_is_the_library_read_on_one(tmp_path):
    """The build reads the entry files on both cores: the entries are the
    same, and their types and terms are the vocabularies' own objects."""
    from casebook.core.fields import ENTRY_TYPES
    from casebook.core.library import load_library
    from casebook.mkdocs.sidebuild import split_map

    project = sample_project(tmp_path)
    both = load_library(project, map_many=lambda f, items, shared: split_map(f, items, at=1, shared=shared))
    one = load_library(project)
    assert [e.slug for e in both.entries] == [e.slug for e in one.entries] and len(both.entries) > 10
    assert [(e.body, e.values) for e in both.entries] == [(e.body, e.values) for e in one.entries]
    assert both.problems == one.problems
    terms = {id(t) for t in both.vocabs.terms()}
    assert all(e.unit is not None and id(e.unit) in terms for e in both.entries)
    assert all(id(t) in terms for e in both.entries for t in e.themes)
    assert all(any(e.type is t for t in ENTRY_TYPES) for e in both.entries)


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

    project = sample_project(tmp_path)
    for path in project.glob("cases/*/*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\nsummary: [^|>\n][^\n]*", "", text, count=1), encoding="utf-8")
    env = hooked_env(tmp_path, "import casebook.mkdocs.sidebuild as s\ns.SPLIT_AT = 1\n")
    split, single = tmp_path / "split", tmp_path / "single"
    for site, extra in ((split, env), (single, {"CASEBOOK_JOBS": "1"})):
        result = run_mkdocs_build(project, site, env=extra)
        assert result.returncode == 0, result.stdout + result.stderr
    assert site_differences(split, single) == []
