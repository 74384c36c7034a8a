"""The preview renders again only the pages an edit changed.

``casebook serve`` runs MkDocs' dirty preview: the output folder is kept
between rebuilds and MkDocs renders a page only when its file says it was
modified. MkDocs decides that by file times, which is wrong for Casebook:
an entry's page also shows its related entries, a listing shows other
entries' titles, and every generated page would count as modified. So each
page gets a fingerprint of everything it is made from (the core's view of
it, its Markdown, the vocabularies), and a page is rendered again when its
fingerprint changed or its output is missing. Pages that are no longer
planned (a deleted entry, a listing that lost a page) are removed.

Anything that affects every page (mkdocs.yml, templates, assets, the
profile) starts over with a full render. tests/test_preview_incremental.py
compares the preview after a sequence of edits with a clean build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class Fingerprinter:
    """Digests of nested view data; an object seen twice (an entry on many
    listings) is digested once per build."""

    def __init__(self):
        self._memo: dict[int, tuple[object, str]] = {}

    def of(self, value) -> str:
        return _digest(self._text(value))

    def _text(self, value) -> str:
        if value is None or isinstance(value, (str, int, float, bool)):
            return repr(value)
        if isinstance(value, dict):
            return "{" + ",".join(f"{self._text(k)}:{self._text(v)}" for k, v in value.items()) + "}"
        if isinstance(value, (list, tuple)):
            return "[" + ",".join(self._text(v) for v in value) + "]"
        if isinstance(value, (set, frozenset)):
            return "{" + ",".join(sorted(self._text(v) for v in value)) + "}"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            key = id(value)
            memo = self._memo.get(key)
            if memo is not None and memo[0] is value:
                return memo[1]
            text = type(value).__name__ + "(" + ",".join(
                f"{f.name}={self._text(getattr(value, f.name))}" for f in dataclasses.fields(value)) + ")"
            digest = _digest(text)
            self._memo[key] = (value, digest)  # the value is kept alive, so its id stays its own
            return digest
        return repr(value)


def site_token(paths: list[Path], extra: str) -> str:
    """Changes when anything every page depends on changes: the files under
    ``paths`` (templates, assets, mkdocs.yml) by name, size and time, and
    ``extra`` (profile, site address)."""
    parts = [extra]
    for base in paths:
        if base.is_file():
            stat = base.stat()
            parts.append(f"{base}:{stat.st_size}:{stat.st_mtime_ns}")
        elif base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    stat = path.stat()
                    parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return _digest("\n".join(parts))


class PageTracker:
    """What the previous preview build rendered, and from what."""

    def __init__(self):
        self._rendered: dict[str, tuple[str, str]] = {}  # src_uri -> (fingerprint, output path)
        self._token = ""
        self._current: dict[str, tuple[str, str]] = {}
        self._written: set[str] = set()  # every output file of the last build (pages, Word files, CSV ...)
        self._writing: set[str] = set()
        self.changed: list[str] = []  # this build's pages to render, for the log and the benchmark
        # MkDocs learns a page's title only when it renders it; the nav on
        # every rendered page names the others, so their titles are kept.
        self.titles: dict[str, str] = {}

    def begin(self, token: str) -> None:
        if token != self._token:
            self._rendered.clear()
            self._token = token
        self._current = {}
        self.changed = []

    def outputs(self, files) -> None:
        """This build's output files, so that last build's others can go."""
        self._writing = {f.abs_dest_path for f in files}

    def track(self, file, fingerprint: str) -> None:
        """Give ``file`` (a MkDocs File) the preview's notion of modified."""
        before = self._rendered.get(file.src_uri)
        changed = before is None or before[0] != fingerprint or before[1] != file.abs_dest_path
        self._current[file.src_uri] = (fingerprint, file.abs_dest_path)
        if changed:
            self.changed.append(file.src_uri)
        dest = file.abs_dest_path
        file.is_modified = lambda: changed or not os.path.isfile(dest)

    def restore_titles(self, pages) -> None:
        """Before rendering: the pages MkDocs skips keep last build's title."""
        for page in pages:
            if page.title is None and not page.file.is_modified() and page.file.src_uri in self.titles:
                page.title = self.titles[page.file.src_uri]

    def finish(self, site_dir: Path) -> list[str]:
        """After a build that succeeded: remove what the last build wrote and
        this one did not (a deleted entry's page, a compilation's Word file),
        and remember this build. Returns the removed paths."""
        removed = []
        for dest in sorted(self._written - self._writing):
            if os.path.isfile(dest):
                os.remove(dest)
                removed.append(dest)
                folder = Path(dest).parent
                while folder != site_dir and folder.is_relative_to(site_dir) and not any(folder.iterdir()):
                    folder.rmdir()
                    folder = folder.parent
        self._written, self._writing = self._writing, set()
        self._rendered, self._current = self._current, {}
        return removed
