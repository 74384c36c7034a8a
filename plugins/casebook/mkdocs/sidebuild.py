"""Work a build does on the machine's other core while MkDocs renders pages.

The search index is made from the library and the entries' bodies, never
from the rendered pages, so a forked process can write it into the site
folder while the main process plans and renders the pages and then makes
the compilations' Word files; the build waits for it at the end
(``SideBuild.result``). Before the fork, the entry files are read and the
bodies converted on both cores (``split_map``). Where a process cannot be
forked (Windows, macOS's default), or ``CASEBOOK_JOBS=1`` asks for one
process, the work runs in the build's own process at that point instead:
the output is the same either way (tests/test_side_build.py).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import time
import traceback
from collections.abc import Callable, Iterable

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


def split_map(function: Callable[[object], object], items: list, at: int | None = None,
              shared: Iterable[object] = ()) -> list:
    """``function`` of every item, in order; with ``at`` (``SPLIT_AT``) items
    or more (and a fork possible) every other one is mapped in a forked
    process meanwhile (what it returns must pickle; its failure is raised
    here as ``SideBuildError``). Objects of ``shared`` in what that process
    returns come back as themselves, not as copies (an entry's unit is the
    vocabulary's own term, which the build compares by identity)."""
    if len(items) < (SPLIT_AT if at is None else at) or not can_fork():
        return list(map(function, items))
    by_id = {id(thing): thing for thing in shared}
    theirs = SideBuild(lambda: _dumps(list(map(function, items[1::2])), by_id), fork=True)
    mapped = list(items)
    mapped[::2] = map(function, items[::2])
    mapped[1::2] = _loads(theirs.result(), by_id)
    return mapped


# A forked process holds the objects it inherited at the addresses they have
# here, and no object it makes can take an address one of them holds: an
# inherited object is named by its id() and found here by it.
class _Pickler(pickle.Pickler):
    def __init__(self, file, by_id: dict[int, object]):
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.by_id = by_id

    def persistent_id(self, obj):
        return id(obj) if id(obj) in self.by_id else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, by_id: dict[int, object]):
        super().__init__(file)
        self.by_id = by_id

    def persistent_load(self, pid):
        return self.by_id[pid]


def _dumps(value, by_id: dict[int, object]) -> bytes | list:
    if not by_id:
        return value
    buffer = io.BytesIO()
    _Pickler(buffer, by_id).dump(value)
    return buffer.getvalue()


def _loads(value, by_id: dict[int, object]):
    return _Unpickler(io.BytesIO(value), by_id).load() if by_id else value
