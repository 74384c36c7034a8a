"""Normalisation, word runs and character n-grams: the one place that
decides what the index and a query see. The browser never has a copy of
its own: ``rules.py`` ships these very tables (the fold table and the
letter ranges, computed here from Python's ``unicodedata``) as a generated
module, and ``tests/js`` checks that both readers agree.

No word segmentation happens anywhere: text is cut into runs of letters and
digits (CJK characters are letters), and every run is indexed by all its
character unigrams, bigrams and trigrams. A query word is looked up by the
same grams, so a string is found however a segmenter would have cut it; a
word longer than a trigram must also not contain a minimal absent word of
the entry (``absent.py``), which makes the match exact.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

MAX_GRAM = 3  # unigrams, bigrams and trigrams are indexed


@lru_cache(maxsize=1)
def fold_table() -> dict[int, int]:
    """Full-width ASCII to ASCII, ideographic space to space, and lower case
    for every BMP character whose lower case is one BMP character. Each
    character maps to exactly one character, so positions never move."""
    table: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
    table[0x3000] = 0x20
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        source = chr(table.get(cp, cp))
        low = source.lower()
        if len(low) == 1 and ord(low) < 0x10000 and low != source:
            table[cp] = ord(low)
    return table


def normalise(text: str) -> str:
    """Case- and width-folded text, same length as ``text``."""
    return text.translate(fold_table())


@lru_cache(maxsize=1)
def letter_ranges() -> tuple[tuple[int, int], ...]:
    """The code points a run is made of, as (first, last) ranges: Unicode
    letters (L*) and numbers (N*) in Python's ``unicodedata``. Python's
    ``\\w`` differs at the edges (it adds ``_`` and some symbols), and a
    browser's ``\\p{L}`` follows its own Unicode version, so neither is used."""
    ranges: list[tuple[int, int]] = []
    start = None
    for cp in range(sys.maxunicode + 2):
        inside = cp <= sys.maxunicode and unicodedata.category(chr(cp))[0] in "LN"
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            ranges.append((start, cp - 1))
            start = None
    return tuple(ranges)


@lru_cache(maxsize=1)
def _run_re() -> re.Pattern:
    parts = "".join(_escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in letter_ranges())
    return re.compile(f"[{parts}]+")


def _escape(cp: int) -> str:
    return f"\\U{cp:08x}"


def runs(normalised: str) -> list[str]:
    """The runs of letters and digits in already-normalised text."""
    return _run_re().findall(normalised)


def query_words(query: str) -> list[str]:
    """The words of a query: its runs, duplicates and words contained in a
    longer word dropped (containing the longer one implies the shorter)."""
    words: list[str] = []
    for word in sorted(dict.fromkeys(runs(normalise(query))), key=len, reverse=True):
        if not any(word in longer for longer in words):
            words.append(word)
    return words


def text_grams(normalised: str) -> set[str]:
    """Every unigram, bigram and trigram inside the runs of the text."""
    grams: set[str] = set()
    for run in runs(normalised):
        n = len(run)
        grams.update(run)
        grams.update(run[i:i + 2] for i in range(n - 1))
        grams.update(run[i:i + 3] for i in range(n - 2))
    return grams


def word_grams(word: str) -> list[str]:
    """The grams a query word is looked up by: itself up to three
    characters, else all its overlapping trigrams (in order)."""
    if len(word) <= MAX_GRAM:
        return [word]
    return [word[i:i + MAX_GRAM] for i in range(len(word) - MAX_GRAM + 1)]


def fnv1a(data: bytes) -> int:
    """32-bit FNV-1a; picks the shard of a gram (UTF-8 bytes)."""
    h = 0x811C9DC5
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h
