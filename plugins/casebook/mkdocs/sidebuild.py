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
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator

JOBS_VARIABLE = "CASEBOOK_JOBS"


class Described(Exception):
    """A failure already said in Chinese (what failed, and why): the build's
    message shows it as it is."""


def _said(error: BaseException) -> str:
    return str(error) if isinstance(error, Described) else f"{type(error).__name__}: {error}"


class step:
    """``with step("生成搜索索引"):`` -- a failure inside becomes
    ``Described("生成搜索索引时出错（OSError: ...）")``."""

    def __init__(self, what: str):
        self.what = what

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if isinstance(error, Exception) and not isinstance(error, Described):
            raise Described(f"{self.what}时出错（{type(error).__name__}: {error}）") from error
        return False


class SharedQueue:
    """Numbers 0, 1, 2, ... each handed to exactly one of the processes
    forked after it was made (and this one), whoever asks first: the Word
    files go to the other process once its index is made and to this one
    once its pages are, so neither waits with work left."""

    def __init__(self):
        self._next = multiprocessing.Value("q", 0)  # shared memory with its own lock, inherited by a fork

    def take(self, count: int) -> Iterator[int]:
        """The numbers below ``count`` no process has taken yet, one at a time."""
        while True:
            with self._next.get_lock():
                taken = self._next.value
                self._next.value = taken + 1
            if taken >= count:
                return
            yield taken


class SharedFlags:
    """Flags this process sets for the processes it forked before (shared memory)."""

    def __init__(self, count: int):
        self._flags = multiprocessing.Array("b", count, lock=False)

    def set(self, number: int) -> None:
        self._flags[number] = 1

    def __getitem__(self, number: int) -> bool:
        return self._flags[number] == 1


class SideBuildError(RuntimeError):
    """The side process failed; the message says how, the trace is its own."""

    def __init__(self, message: str, trace: str = ""):
        super().__init__(message)
        self.trace = trace


def can_fork(environ=os.environ) -> bool:
    return environ.get(JOBS_VARIABLE, "").strip() != "1" and "fork" in multiprocessing.get_all_start_methods()


def _run(work: Callable, send, delivers: bool) -> None:
    started = time.perf_counter()
    try:
        value = work(lambda delivered: _deliver(delivered, send)) if delivers else work()
        outcome = ("ok", value, "", time.perf_counter() - started)
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the build
        outcome = ("error", _said(error), traceback.format_exc(), 0.0)
    try:
        send.send(outcome)
    finally:
        send.close()


def _deliver(value, send) -> None:
    """``value`` for the build's process before the work ends: in a file,
    of which the pipe carries only the name (a pipe holds 64 KB: the work
    would wait for the build to read it, which it does after its pages)."""
    handle, path = tempfile.mkstemp(prefix="casebook-", suffix=".pickle")
    with os.fdopen(handle, "wb") as file:
        pickle.dump(value, file, pickle.HIGHEST_PROTOCOL)
    send.send(("delivered", path, "", 0.0))


class SideBuild:
    """``work`` (no arguments; what it returns must pickle) started in a
    forked process now, or run later in this one where forking is not
    possible. With ``delivers``, ``work`` is given a function through which
    it hands one value over before it ends (``delivered``)."""

    def __init__(self, work: Callable, fork: bool | None = None, delivers: bool = False):
        self._work = work
        self._delivers = delivers
        self._process = None
        self._here: tuple | None = None  # the outcome of work run in this process
        self._outcome: tuple | None = None  # the other process's, when delivered() met it first
        self._delivered_here = None
        # For the build's log: how long the work took, and how long the build
        # waited for it (the part not hidden behind page rendering).
        self.seconds = 0.0
        self.waited = 0.0
        if can_fork() if fork is None else fork:
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_run, args=(work, send, delivers), daemon=True)
            self._process.start()
            send.close()  # the child holds the only sending end: its death ends recv()

    @property
    def forked(self) -> bool:
        return self._process is not None

    def delivered(self):
        """What the work handed over (waiting for it); its failure before
        that raised here as ``SideBuildError``."""
        started = time.perf_counter()
        try:
            if self._process is None:
                self._run_here()
                return self._delivered_here
            message = self._message()
            if message[0] != "delivered":  # it ended first (failed, or never delivered)
                self._outcome = message
                self.result()  # raises the failure
                raise SideBuildError("另一进程没有交回中间结果")
            try:
                with open(message[1], "rb") as file:
                    return pickle.load(file)
            finally:
                os.unlink(message[1])
        finally:
            self.waited += time.perf_counter() - started

    def result(self):
        """What the work returned; its failure raised here as ``SideBuildError``."""
        started = time.perf_counter()
        try:
            if self._process is None:
                self._run_here()
                self._raise_if_failed(self._here)
                return self._here[1]
            outcome = self._outcome or self._message()
            while outcome[0] == "delivered":  # handed over but not asked for
                os.unlink(outcome[1])
                outcome = self._message()
            self._receive.close()
            self._process.join()
            self.seconds = outcome[3]
            self._raise_if_failed(outcome)
            return outcome[1]
        finally:
            self.waited += time.perf_counter() - started

    def stop(self) -> None:
        """The build failed: the other process is ended if it still runs, and
        a value it handed over but nobody asked for is removed."""
        if self._process is None:
            return
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        try:
            while self._receive.poll():
                message = self._receive.recv()
                if message[0] == "delivered":
                    os.unlink(message[1])
        except (EOFError, OSError):
            pass
        self._receive.close()

    def _message(self) -> tuple:
        try:
            return self._receive.recv()
        except EOFError:  # died without a word (killed, out of memory)
            return "error", "", "", 0.0

    def _raise_if_failed(self, outcome: tuple) -> None:
        status, value, trace, _ = outcome
        if status == "error":
            code = self._process.exitcode if self._process is not None else None
            raise SideBuildError(value or f"进程意外退出（退出码 {code}）", trace)

    def _run_here(self) -> None:
        """The work in this process, once (``delivered`` then ``result``)."""
        if self._here is not None:
            return
        started = time.perf_counter()

        def deliver(value) -> None:
            self._delivered_here = value

        try:
            value = self._work(deliver) if self._delivers else self._work()
            self._here = ("ok", value, "", 0.0)
        except Exception as error:  # the same report as from the other process
            self._here = ("error", _said(error), traceback.format_exc(), 0.0)
        self.seconds = time.perf_counter() - started
        self._raise_if_failed(self._here)


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
