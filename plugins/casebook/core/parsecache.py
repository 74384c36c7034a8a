"""Parsed entries kept between the preview's rebuilds, keyed by content.

Reading and checking an entry (YAML, vocabulary look-ups, review rules) and
cutting its automatic summary (Markdown rendering) are most of a library's
load time; in the preview an edit changes one file, so the other results are
reused. A result is reused only when the file's bytes, its place and the
vocabularies are all the same as when it was made, so a cached load gives
exactly what a fresh one gives (tests/test_parse_cache.py compares them).
Callers get copies: the library filters ``related`` and sets summaries on
the entries it is handed.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from casebook.core.entry import ParsedFile, parse_entry, read_entry_source
from casebook.core.paths import relative_path
from casebook.core.vocab import Vocabularies


def vocabulary_key(vocabs: Vocabularies) -> str:
    """Changes whenever any term, alias or group changes (terms are frozen
    dataclasses, so their repr is their whole content)."""
    text = repr([(name, v.terms) for name, v in sorted(vocabs.by_name.items())])
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@dataclass
class ParseCache:
    """One per preview session (the MkDocs plugin instance outlives rebuilds)."""
    _files: dict[tuple[str, str, str], tuple[str, ParsedFile]] = field(default_factory=dict)
    _summaries: dict[str, str] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    _vocab_key: str = ""

    def start(self, vocabs: Vocabularies) -> None:
        """Called once per load: a changed vocabulary invalidates every entry."""
        key = vocabulary_key(vocabs)
        if key != self._vocab_key:
            self._files.clear()
            self._vocab_key = key
        self.hits = self.misses = 0

    def read(self, path: Path, root: Path, cases_dir: Path, vocabs: Vocabularies) -> ParsedFile:
        source = read_entry_source(path, root, cases_dir)
        if source.text is None:
            return ParsedFile(None, [source.problem])
        key = (source.rel, source.src_uri, str(cases_dir))
        digest = hashlib.blake2b(source.text.encode("utf-8"), digest_size=16).hexdigest()
        cached = self._files.get(key)
        if cached is not None and cached[0] == digest:
            self.hits += 1
            return _copy(cached[1])
        self.misses += 1
        result = parse_entry(source.text, source.rel, source.src_uri, vocabs)
        self._files[key] = (digest, _copy(result))
        return result

    def forget_missing(self, present: set[Path], root: Path) -> None:
        """Drop what belongs to deleted files (keeps a long session's memory flat)."""
        keep = {relative_path(p, root) for p in present}
        for key in [k for k in self._files if k[0] not in keep]:
            del self._files[key]

    def summary(self, body: str, make: Callable[[str], str]) -> str:
        key = hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()
        if key not in self._summaries:
            self._summaries[key] = make(body)
        return self._summaries[key]


def _copy(result: ParsedFile) -> ParsedFile:
    entry = copy.copy(result.entry) if result.entry is not None else None
    if entry is not None:  # what a caller may change: field values (a dict of them) and lists; the rest is immutable
        object.__setattr__(entry, "values", {k: list(v) if isinstance(v, list) else v for k, v in entry.values.items()})
        object.__setattr__(entry, "review_notes", list(entry.review_notes))
    return ParsedFile(entry, list(result.problems), result.status)
