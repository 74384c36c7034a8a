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

import hashlib
import io
import os
import pickle
from pathlib import Path

from casebook.core.compilations import Compilation
from casebook.core.entry import Entry
from casebook.core.taxonomy import TermPage
from casebook.core.vocab import Term


def _digest(text: str) -> str:
    return _digest_bytes(text.encode("utf-8"))


def _digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _seen(digest: str) -> str:
    """Stands in a pickle for a shared object already digested."""
    return digest


# Objects many pages show (an entry on listings, term pages, related lists,
# compilations): digested once per build, and named by that digest elsewhere.
SHARED = (Entry, Term, TermPage, Compilation)


class Fingerprinter:
    """Digests of nested view data, by their pickle: pickling is the C
    library's walk through the whole value, every attribute of every object
    (more than the dataclass fields, never less), much faster than a walk in
    Python. Equal bytes mean equal content (unpickling them gives the content
    back); which parts happen to be one object shows in the bytes too, which
    could only make an unchanged page look changed (rendered again, never
    stale), and plan_site builds the same views the same way every build.
    An object of a ``SHARED`` type is pickled once per build and stands as
    its digest on every page that shows it. A value pickle cannot take falls
    back to a walk by repr (slower, as strict).

    ``previous``: the preview's last build's fingerprinter. A value it
    digested that is the very same object now keeps its digest: nothing
    changes what the core made once it is made (entries the parse cache
    keeps, views plan_site keeps: objects are kept only when made from the
    same objects, and never changed), so the same object is the same
    content. A value is digested once per build either way."""

    def __init__(self, shared: tuple[type, ...] = SHARED, previous: Fingerprinter | None = None):
        self._table = {kind: self._reduce for kind in shared}  # by exact type: the rest is pickled in C alone
        # id -> (the object, kept alive so its id stays its own; digest): values
        # asked for (``of``), and shared objects within them, apart (not one digest)
        self._whole: dict[int, tuple[object, str]] = {}
        self._memo: dict[int, tuple[object, str]] = {}
        self._whole_before = previous._whole if previous is not None else {}
        self._memo_before = previous._memo if previous is not None else {}

    @staticmethod
    def _known(value, now: dict, before: dict) -> str | None:
        key = id(value)
        found = now.get(key)
        if found is not None and found[0] is value:
            return found[1]
        found = before.get(key)
        if found is not None and found[0] is value:
            now[key] = found
            return found[1]
        return None

    def of(self, value) -> str:
        found = self._known(value, self._whole, self._whole_before)
        if found is None:
            found = self._digest(value)
            self._whole[id(value)] = (value, found)
        return found

    def _digest(self, value) -> str:
        try:
            return _digest_bytes(self._pickle(value))
        except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
            try:
                return _digest(self._text(value))
            except RecursionError:  # a cycle: never the same as any other build's, so always rendered
                return os.urandom(16).hex()

    def _pickle(self, value) -> bytes:
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=5)
        pickler.dispatch_table = self._table
        pickler.dump(value)
        return out.getvalue()

    def _reduce(self, value):
        found = self._known(value, self._memo, self._memo_before)
        if found is None:
            found = _digest_bytes(self._pickle(value.__reduce_ex__(5)))
            self._memo[id(value)] = (value, found)
        return _seen, (found,)

    def _text(self, value) -> str:
        if value is None or isinstance(value, (str, int, float, bool)):
            return repr(value)
        if isinstance(value, dict):
            return "{" + ",".join(f"{self._text(k)}:{self._text(v)}" for k, v in value.items()) + "}"
        if isinstance(value, (list, tuple)):
            return "[" + ",".join(self._text(v) for v in value) + "]"
        if isinstance(value, (set, frozenset)):
            return "{" + ",".join(sorted(self._text(v) for v in value)) + "}"
        if hasattr(value, "__dict__") and not isinstance(value, type):
            return type(value).__qualname__ + "(" + self._text(vars(value)) + ")"
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
        self._contents: dict[str, str] = {}  # output path -> digest of the bytes last written there (files made in memory)
        self._contents_now: dict[str, str] = {}
        self.changed: list[str] = []  # this build's pages to render, for the log and the benchmark
        # MkDocs makes a Page for every page on every build (its canonical
        # URL, build date ...: a second at 10,000 entries); a page not
        # rendered again keeps last build's, emptied of its HTML.
        self._pages: dict[str, object] = {}  # src_uri -> MkDocs Page
        self._files = None  # this build's MkDocs Files
        # (src_uri, dest_dir, use_directory_urls) -> (dest_uri, url, abs_dest_path):
        # MkDocs works them out anew for 13,000 new File objects every build
        self._places: dict[tuple, tuple[str, str, str]] = {}
        # MkDocs learns a page's title only when it renders it; the nav on
        # every rendered page names the others, so their titles are kept.
        self.titles: dict[str, str] = {}

    @property
    def token(self) -> str:
        """What every page depends on, as of this build (``site_token``)."""
        return self._token

    def begin(self, token: str) -> None:
        if token != self._token:
            self._rendered.clear()
            self._contents.clear()
            self._token = token
        self._current = {}
        self._contents_now = {}
        self.changed = []

    def outputs(self, files) -> None:
        """This build's output files, so that last build's others can go.
        A file made in memory (a Word file, a schema, a CSV) counts as
        modified, for MkDocs, on every build: it is written again only when
        its bytes differ from what was written there last time."""
        self._files = files
        self._place(files)
        self._writing = {f.abs_dest_path for f in files}
        for file in files:
            if file.abs_src_path is None and not file.is_documentation_page():
                file.is_modified = self._content_check(file)

    def _place(self, files) -> None:
        """Give each file last build's destination when it has the same
        source path, folder and URL style: MkDocs derives the destination
        from those alone (a file given its own ``dest_uri`` is left be)."""
        places = {}
        for file in files:
            key = (file.src_uri, file.dest_dir, file.use_directory_urls)
            own = vars(file)
            if "dest_uri" in own:  # given, or worked out already: not from the key alone
                continue
            known = self._places.get(key)
            if known is not None and not {"url", "abs_dest_path"} & own.keys():
                own["dest_uri"], own["url"], own["abs_dest_path"] = known
            places[key] = (file.dest_uri, file.url, file.abs_dest_path)
        self._places = places

    def _content_check(self, file):
        def is_modified() -> bool:
            dest = file.abs_dest_path
            digest = _digest_bytes(file.content_bytes)  # when MkDocs asks: every plugin has had its say
            self._contents_now[dest] = digest
            if self._contents.get(dest) == digest and os.path.isfile(dest):
                return False
            self._contents.pop(dest, None)  # about to be written: if this build fails, written again next time
            return True
        return is_modified

    def track(self, file, fingerprint: str) -> None:
        """Give ``file`` (a MkDocs File) the preview's notion of modified."""
        before = self._rendered.get(file.src_uri)
        changed = before is None or before[0] != fingerprint or before[1] != file.abs_dest_path
        self._current[file.src_uri] = (fingerprint, file.abs_dest_path)
        if changed:
            self.changed.append(file.src_uri)
            self._rendered.pop(file.src_uri, None)  # if this build fails, rendered again next time
        dest = file.abs_dest_path
        file.is_modified = lambda: changed or not os.path.isfile(dest)
        page = None if changed else self._pages.get(file.src_uri)
        if page is not None and page.file.abs_dest_path == dest and os.path.isfile(dest):
            file.page, page.file = page, file  # MkDocs makes no Page for a file that has one

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
        self._pages = {}
        for file in self._files.documentation_pages() if self._files is not None else ():
            if file.page is not None:
                file.page.markdown = file.page.content = None  # written out: only the Page is kept
                self._pages[file.src_uri] = file.page
        self._files = None
        self._contents, self._contents_now = self._contents_now, {}
        return removed
