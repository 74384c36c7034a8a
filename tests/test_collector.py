"""The cycle collector around builds (mkdocs/collector.py): frozen while a
build runs, everything seen again after it, the preview's garbage collected
when idle and never left to pile up."""

import gc

import pytest

from casebook.mkdocs import collector as C


@pytest.fixture
def full_collections(monkeypatch):
    """Counts the collector's full passes."""
    seen = []

    def callback(phase, info):
        if phase == "stop" and info["generation"] == 2:
            seen.append(info["collected"])
    gc.callbacks.append(callback)
    yield seen
    gc.callbacks.remove(callback)
    gc.unfreeze()


def _cycle():
    a = []
    a.append(a)
    return a


def test_a_build_freezes_what_exists_and_its_end_unfreezes_it(full_collections):
    collector = C.Collector()
    collector.build_started()
    assert gc.get_freeze_count() > 0
    collector.keep()
    collector.build_ended(collect_when_idle=False)
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("command, frozen", [("build", True), ("serve", False)])
def test_the_end_of_mkdocs_build_freezes_everything_and_the_preview_s_does_not(full_collections, command, frozen):
    """``mkdocs build`` exits after on_shutdown: what is alive then is not
    walked once more by the collection Python makes as it exits."""
    from casebook.mkdocs.plugin import CasebookPlugin
    plugin = CasebookPlugin()
    plugin.on_startup(command=command, dirty=False)
    plugin.on_shutdown()
    assert (gc.get_freeze_count() > 0) is frozen


def test_the_preview_collects_the_last_builds_cycles_when_idle(full_collections):
    collector = C.Collector(idle_seconds=0.01)
    collector.build_started()
    _cycle()  # garbage of this build
    collector.build_ended(collect_when_idle=True)
    collector._timer.join()
    assert collector.idle_collections == 1
    assert full_collections and full_collections[-1] >= 1


def test_a_build_that_starts_first_cancels_the_idle_collection(full_collections):
    collector = C.Collector(idle_seconds=60)
    collector.build_started()
    collector.build_ended(collect_when_idle=True)
    timer = collector._timer
    collector.build_started()
    assert not timer.is_alive() or timer.finished.is_set()
    collector.build_ended(collect_when_idle=False)
    assert collector.idle_collections == 0


def test_rebuilds_without_idle_time_still_collect(full_collections):
    collector = C.Collector(idle_seconds=60)
    for _ in range(C.MISSED_AT_MOST):
        collector.build_started()
        _cycle()
        collector.build_ended(collect_when_idle=True)
    before = len(full_collections)
    collector.build_started()  # the next build collects first
    assert len(full_collections) > before
    collector.build_ended(collect_when_idle=False)


def test_a_failing_build_ends_once_and_is_unfrozen(full_collections):
    collector = C.Collector(idle_seconds=60)
    collector.build_started()
    collector.build_ended(collect_when_idle=True)
    collector.build_ended(collect_when_idle=True)  # on_post_build failed, then on_build_error
    assert gc.get_freeze_count() == 0
    timers = [collector._timer]
    collector.build_started()
    assert all(t.finished.is_set() for t in timers)
    collector.build_ended(collect_when_idle=False)
