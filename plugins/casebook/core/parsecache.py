"""Parsed entries kept between the preview's rebuilds, keyed by content.

Reading and checking an entry (YAML, vocabulary look-ups, review rules) and
cutting its automatic summary (Markdown rendering) are most of a library's
load time; in the preview an edit changes one file, so the other results are
reused. A result is reused only when the file's bytes, its place and the
vocabularies are all the same as when it was made, so a cached load gives
exactly what a fresh one gives (tests/test_parse_cache.py compares them).
When only the vocabularies changed, the file's reading (its YAML, which
needs no vocabulary) is kept; its check is kept too when every question it
asked the vocabularies (``Asked``: a name resolved, a label, suggestions)
gets the same answer from the new ones, else it is made again.
Reading every file to hash it is itself most of a cached load, so a file
whose stat (inode, size, mtime, ctime) is unchanged since a read that was
safely after its last change is not read again.
Callers get the cached entries themselves, which nothing may change; the
library's finished entry (``related`` filtered, summary set) comes from
``finish``: last load's object when made from the same cached entry with
the same related list and summary, or equal to it; else a copy. So what
is made from an unchanged entry can be known again by identity
(site.plan_site, mkdocs.incremental), and an unchanged entry costs no
copy; nothing changes an entry after the load.
"""

from __future__ import annotations

import copy
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from casebook.core.entry import (
    Entry,
    ParsedFile,
    ReadEntry,
    check_entry,
    read_entry,
    read_entry_source,
)
from casebook.core.paths import relative_path
from casebook.core.vocab import Vocabularies


class Asked:
    """The vocabularies as a check sees them, with every question it asks
    and the answer written down: ``same_answers`` tells whether other
    vocabularies would answer all of them alike, i.e. whether the check
    would come out the same. Anything asked other than a vocabulary's
    attributes is not written down but makes the answers never the same
    (a new kind of question fails closed: the entry is checked again)."""

    def __init__(self, vocabs: Vocabularies):
        self._vocabs = vocabs
        self.answers: list[tuple[str, str, tuple | None, object]] = []  # (vocabulary, attribute, call args, answer)

    def __getitem__(self, name: str) -> _AskedVocabulary:
        return _AskedVocabulary(self._vocabs[name], name, self.answers)

    def __getattr__(self, attr: str):
        self.answers.append(("", attr, None, _NEVER))
        return getattr(self._vocabs, attr)

    @staticmethod
    def same_answers(answers: tuple, vocabs: Vocabularies) -> bool:
        for name, attr, args, answer in answers:
            if answer is _NEVER or name not in vocabs.by_name:
                return False
            found = getattr(vocabs[name], attr)
            if (found(*args) if args is not None else found) != answer:
                return False
        return True


_NEVER = object()  # an answer no vocabulary gives again


class _AskedVocabulary:
    def __init__(self, vocab, name: str, answers: list):
        self._vocab, self._name, self._answers = vocab, name, answers

    def __getattr__(self, attr: str):
        found = getattr(self._vocab, attr)
        if not callable(found):
            self._answers.append((self._name, attr, None, found))
            return found

        def asked(*args):
            answer = found(*args)
            self._answers.append((self._name, attr, args, answer))
            return answer
        return asked


def vocabulary_key(vocabs: Vocabularies) -> str:
    """Changes whenever any term, alias or group changes (terms are frozen
    dataclasses, so their repr is their whole content)."""
    text = repr([(name, v.terms) for name, v in sorted(vocabs.by_name.items())])
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


# A file whose last change (mtime or ctime) is this close to the moment its
# stat was taken may change again within the same timestamp tick, leaving its
# stat as it was ("racy git"): such a file is read again until it is older.
# Two seconds covers the coarsest file system clocks (FAT: 2 s).
RACY_NS = 3_000_000_000


def _stat_key(path: Path) -> tuple | None:
    """What changes whenever the file is written, renamed or replaced: size,
    mtime, and the inode's change time, which no tool can set back."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclass
class ParseCache:
    """One per preview session (the MkDocs plugin instance outlives rebuilds).

    A file is read and hashed again unless its stat is exactly what it was
    when it was last read, and that was long enough after its last change
    (``racy_ns``); the content hash decides whether it is parsed again."""
    # (rel, src_uri, cases_dir) -> what its content gave
    _files: dict[tuple[str, str, str], _Cached] = field(default_factory=dict)
    _summaries: dict[str, str] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    unread: int = 0  # answered by the file's stat alone, without reading it
    rechecked: int = 0  # checked again (the vocabularies changed its answers), not read again
    unaffected: int = 0  # kept through a vocabulary change (same answers)
    racy_ns: int = RACY_NS
    _vocab_key: str = ""
    # slug -> (cached entry, the finished one made from it): this load's, last load's
    _finished: dict[str, tuple[Entry, Entry]] = field(default_factory=dict)
    _finished_before: dict[str, tuple[Entry, Entry]] = field(default_factory=dict)

    def start(self, vocabs: Vocabularies) -> None:
        """Called once per load: after a vocabulary changed, an entry's
        check is kept only if the new vocabularies answer all its questions
        alike (``_checked``); its reading is kept in any case."""
        self._vocab_key = vocabulary_key(vocabs)
        self._finished_before, self._finished = self._finished, {}
        self.hits = self.misses = self.unread = self.rechecked = self.unaffected = 0

    def read(self, path: Path, root: Path, cases_dir: Path, vocabs: Vocabularies, rel: str | None = None) -> ParsedFile:
        rel = rel or relative_path(path, root)
        folder = str(cases_dir)
        text = str(path)  # scan_cases makes it as cases_dir / folder / name: no need of Path.relative_to
        inside = (text[len(folder) + 1:].replace(os.sep, "/") if text.startswith(folder + os.sep)
                  else path.relative_to(cases_dir).as_posix())
        key = (rel, inside, folder)
        cached = self._files.get(key)
        now = time.time_ns()  # before the stat: a change after it gets a later time
        stat = _stat_key(path)
        if cached is not None and stat is not None and cached.stat == stat:
            self.unread += 1
            return self._checked(cached, vocabs)
        source = read_entry_source(path, root, cases_dir, rel)
        if source.text is None:
            self._files.pop(key, None)
            return ParsedFile(None, [source.problem])
        trusted = stat if stat is not None and max(stat[3], stat[4]) < now - self.racy_ns else None
        digest = hashlib.blake2b(source.text.encode("utf-8"), digest_size=16).hexdigest()
        if cached is not None and cached.digest == digest:
            cached.stat = trusted
            return self._checked(cached, vocabs)
        self.misses += 1
        cached = self._files[key] = _Cached(digest, read_entry(source.text, source.rel, source.src_uri), None, trusted)
        self._check(cached, vocabs)
        return _handed(cached.result)

    def _check(self, cached: _Cached, vocabs: Vocabularies) -> None:
        asked = Asked(vocabs)
        cached.result = check_entry(cached.read, asked)
        cached.answers, cached.vocab_key = tuple(asked.answers), self._vocab_key

    def _checked(self, cached: _Cached, vocabs: Vocabularies) -> ParsedFile:
        """The file's result: kept, or checked again against new vocabularies
        that answer one of its questions otherwise."""
        if cached.vocab_key == self._vocab_key:
            self.hits += 1
        elif Asked.same_answers(cached.answers, vocabs):
            self.unaffected += 1
            cached.vocab_key = self._vocab_key
        else:
            self.rechecked += 1
            self._check(cached, vocabs)
        return _handed(cached.result)

    def finish(self, entry: Entry, related: list[str], summary: str) -> Entry:
        """The library's finished entry made from ``entry`` (one ``read``
        handed out): last load's object when made from this very entry with
        the same ``related`` and summary, or equal to what would be made
        now; else a new one. ``entry`` itself is never changed."""
        last = self._finished_before.get(entry.slug)
        if last is not None and last[0] is entry and last[1].related == related and last[1].summary == summary:
            done = last[1]
        else:
            done = _own_copy(entry)
            done.related, done.summary = related, summary
            if last is not None and last[1] == done:
                done = last[1]
        self._finished[entry.slug] = (entry, done)
        return done

    def forget_missing(self, present: set[str]) -> None:
        """Drop what belongs to deleted files (``present``: the files there
        are, relative to the root, as ``read`` is given them)."""
        for key in [k for k in self._files if k[0] not in present]:
            del self._files[key]

    def summary(self, body: str, make: Callable[[str], str]) -> str:
        key = _body_key(body)
        if key not in self._summaries:
            self._summaries[key] = make(body)
        return self._summaries[key]

    def known_summary(self, body: str) -> str | None:
        """The summary cut from ``body`` before, if any."""
        return self._summaries.get(_body_key(body))


def _body_key(body: str) -> str:
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()


@dataclass
class _Cached:
    digest: str  # of the file's content
    read: ReadEntry  # its reading, which no vocabulary changes
    result: ParsedFile | None  # its check (None only while being made)
    stat: tuple | None  # when read; None when not to be trusted
    answers: tuple = ()  # what the check asked the vocabularies, with their answers (Asked)
    vocab_key: str = ""  # of the vocabularies the check was made or kept with


def _handed(result: ParsedFile) -> ParsedFile:
    """The cached result for one load: the entry itself (``finish`` copies
    it before anything is set), the list of problems its own."""
    return ParsedFile(result.entry, list(result.problems), result.status)


def _own_copy(entry: Entry) -> Entry:
    done = copy.copy(entry)  # what may be set: field values (a dict of them) and lists; the rest is immutable
    object.__setattr__(done, "values", {k: list(v) if isinstance(v, list) else v for k, v in entry.values.items()})
    object.__setattr__(done, "review_notes", list(entry.review_notes))
    return done
