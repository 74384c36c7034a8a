"""Work a build does on the machine's other core while MkDocs renders pages.

The search index and the compilations' Word files are made from the library
and the entries' bodies, never from the rendered pages, so a forked process
can write them into the site folder while the main process renders; the
build waits for it at the end (``SideBuild.result``). The Word files are
taken from a ``SharedQueue`` by whichever process is free first (the other
after the index, this one after the pages). Before the fork, the bodies are
converted on both cores (``split_map``). Where a process cannot be forked
(Windows, macOS's default), or ``CASEBOOK_JOBS=1`` asks for one process, the
work runs in the build's own process at that point instead: the output is
the same either way (tests/test_side_build.py).
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from collections.abc import Callable

JOBS_VARIABLE = "CASEBOOK_JOBS"


class SideBuildError(RuntimeError):
    """The side process failed; the message says how, the trace is its own."""

    def __init__(self, message: str, trace: str = ""):
        super().__init__(message)
        self.trace = trace


def can_fork(environ=os.environ) -> bool:
    return environ.get(JOBS_VARIABLE, "").strip() != "1" and "fork" in multiprocessing.get_all_start_methods()


def _run(work: Callable[[], object], send) -> None:
    started = time.perf_counter()
    try:
        outcome = ("ok", work(), "", time.perf_counter() - started)
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the build
        outcome = ("error", f"{type(error).__name__}: {error}", traceback.format_exc(), 0.0)
    try:
        send.send(outcome)
    finally:
        send.close()


class SideBuild:
    """``work`` (no arguments; what it returns must pickle) started in a
    forked process now, or run later in this one where forking is not possible."""

    def __init__(self, work: Callable[[], object], fork: bool | None = None):
        self._work = work
        self._process = None
        # For the build's log: how long the work took, and how long the build
        # waited for it at the end (the part not hidden behind page rendering).
        self.seconds = 0.0
        self.waited = 0.0
        if can_fork() if fork is None else fork:
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_run, args=(work, send), daemon=True)
            self._process.start()
            send.close()  # the child holds the only sending end: its death ends recv()

    @property
    def forked(self) -> bool:
        return self._process is not None

    def result(self):
        """What the work returned; its failure raised here as ``SideBuildError``."""
        started = time.perf_counter()
        if self._process is None:
            try:
                return self._work()
            except Exception as error:  # the same report as from the other process
                raise SideBuildError(f"{type(error).__name__}: {error}", traceback.format_exc()) from error
            finally:
                self.seconds = self.waited = time.perf_counter() - started
        try:
            status, value, trace, self.seconds = self._receive.recv()
        except EOFError:  # died without a word (killed, out of memory)
            status, value, trace = "error", "", ""
        finally:
            self._receive.close()
            self._process.join()
            self.waited = time.perf_counter() - started
        if status != "ok":
            code = self._process.exitcode
            raise SideBuildError(value or f"进程意外退出（退出码 {code}）", trace)
        return value


# Below this many items a fork (page tables of a process of hundreds of
# megabytes, the results pickled back) costs about what the other core saves.
SPLIT_AT = 200


def split_map(function: Callable[[object], object], items: list, at: int | None = None) -> list:
    """``function`` of every item, in order; with ``at`` (``SPLIT_AT``) items
    or more (and a fork possible) every other one is mapped in a forked
    process meanwhile (what it returns must pickle; its failure is raised
    here as ``SideBuildError``)."""
    if len(items) < (SPLIT_AT if at is None else at) or not can_fork():
        return list(map(function, items))
    theirs = SideBuild(lambda: list(map(function, items[1::2])), fork=True)
    mapped = list(items)
    mapped[::2] = map(function, items[::2])
    mapped[1::2] = theirs.result()
    return mapped


class SharedQueue:
    """``items`` for the processes forked after it was made: each item is
    taken by exactly one of them, in order, whoever asks first (the Word
    files: the other process makes them after the search index, the build's
    own after its pages, so neither waits for the other with work left)."""

    def __init__(self, items: list):
        self.items = items
        self._next = multiprocessing.Value("q", 0)  # shared memory with its own lock, inherited by a fork

    def __iter__(self):
        while True:
            with self._next.get_lock():
                taken = self._next.value
                self._next.value = taken + 1
            if taken >= len(self.items):
                return
            yield self.items[taken]
