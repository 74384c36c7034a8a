"""Chinese full-text search without word segmentation.

The core builds records from entries (``records``), writes a static n-gram
index (``index``) that ``assets/search.js`` reads in the browser, and can
read it back the same way (``reader``) for checks. Nothing here imports
MkDocs.
"""

from __future__ import annotations

from pathlib import Path

from casebook.core.library import Library
from casebook.search.index import IndexStats, write_index
from casebook.search.records import SearchRecord, make_records

INDEX_URI = "assets/casebook/search"  # where the index lives in the site

__all__ = ["INDEX_URI", "IndexStats", "SearchRecord", "build_index", "make_records", "write_index"]


def build_index(library: Library, out_dir: Path) -> IndexStats:
    """Records of the library's entries (the ones the site shows) written as
    the static index in ``out_dir``."""
    return write_index(make_records(library.entries), library.vocabs, out_dir)
