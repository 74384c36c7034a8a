"""When each entry file was added and last changed, from git history.

One ``git log`` over ``cases/`` gives both dates for every file. Anything
git cannot answer falls back, never fails: no git, not a repository, a file
not committed yet, or a shallow clone (whose oldest commit seems to add
every file, so its date proves nothing). The fallback is SOURCE_DATE_EPOCH
when set (reproducible builds), else the file's modification time for a
changed file, else no date at all.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT = 60  # seconds; a library of 10,000 entries takes about one
_RECORD = "\x1e"


@dataclass(frozen=True)
class FileDates:
    added: str = ""  # ISO date, or "" when unknown
    updated: str = ""


def source_date(environ=None) -> str:
    """SOURCE_DATE_EPOCH as an ISO date (UTC), or "" when unset or bad."""
    value = (environ if environ is not None else os.environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return ""
    try:
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return ""


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=root, capture_output=True,
                                timeout=GIT_TIMEOUT, text=True, encoding="utf-8", errors="replace")
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def git_dates(root: Path, folder: str = "cases") -> tuple[dict[str, FileDates], set[str]] | None:
    """(dates known from history, paths changed since the last commit), all
    relative to ``root``; None when git cannot tell."""
    log = _git(root, "log", "--no-renames", "--name-only", "--relative", f"--format={_RECORD}%cI %P", "--", folder)
    if log is None:
        return None
    shallow = (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    newest: dict[str, str] = {}
    oldest: dict[str, str] = {}
    for record in log.split(_RECORD)[1:]:
        head, _, names = record.partition("\n")
        stamp, *parents = head.split()
        day = stamp[:10]
        cut_off = shallow and not parents
        for name in filter(None, (n.strip() for n in names.split("\n"))):
            if name not in newest:
                newest[name] = "" if cut_off else day
            oldest[name] = "" if cut_off else day
    dates = {name: FileDates(oldest[name], newest[name]) for name in newest}
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", folder) or ""
    changed = {line[3:].split(" -> ")[-1].strip() for line in status.splitlines() if len(line) > 3}
    return dates, changed


def file_dates(root: Path, paths: list[str], folder: str = "cases", environ=None) -> dict[str, FileDates]:
    """Dates of ``paths`` (relative to ``root``, as ``Entry.path``)."""
    fallback = source_date(environ)
    found = git_dates(root, folder)
    known, changed = found if found is not None else ({}, set(paths))
    result: dict[str, FileDates] = {}
    for path in paths:
        dates = known.get(path, FileDates())
        updated = dates.updated
        if path in changed or not updated:
            updated = fallback or (_mtime(root / path) if path in changed and found is not None else "") or updated
        result[path] = FileDates(dates.added, updated)
    return result


def _mtime(path: Path) -> str:
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
    except OSError:
        return ""
