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

The index build cuts every text once (``factors``): its runs joined by a
separator, and the lists of its grams at every position, counted. The
grams (``grams_of``) and the minimal absent words are both read from them,
with C-level ``map``/``Counter`` passes rather than a Python loop per
character (building the index is mostly this).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from functools import lru_cache
from operator import add
from typing import NamedTuple

MAX_GRAM = 3  # unigrams, bigrams and trigrams are indexed
SEPARATOR = "\0"  # joins the runs in ``Factors.text``: in no run, so it stops every gram and word


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


@lru_cache(maxsize=2)
def letter_ranges(last: int = sys.maxunicode) -> tuple[tuple[int, int], ...]:
    """The code points a run is made of, as (first, last) ranges: Unicode
    letters (L*) and numbers (N*) in Python's ``unicodedata``. Python's
    ``\\w`` differs at the edges (it adds ``_`` and some symbols), and a
    browser's ``\\p{L}`` follows its own Unicode version, so neither is used.
    ``last``: only the code points up to it (the BMP is 6 % of the scan)."""
    if last < sys.maxunicode:  # cut from the whole table: one scan per process, not two
        return tuple((first, min(end, last)) for first, end in letter_ranges() if first <= last)
    ranges: list[tuple[int, int]] = []
    start = None
    for cp in range(last + 2):
        inside = cp <= last and unicodedata.category(chr(cp))[0] in "LN"
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            ranges.append((start, cp - 1))
            start = None
    return tuple(ranges)


BMP_LAST = 0xFFFF
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@lru_cache(maxsize=2)
def _run_re(astral: bool) -> re.Pattern:
    """A character class of all letter ranges: with the ranges above the BMP
    in it, ``re`` tests every character against a list of ranges (about 7
    times slower), so text without such characters gets the BMP's alone."""
    ranges = letter_ranges() if astral else letter_ranges(BMP_LAST)
    parts = "".join(_escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in ranges)
    return re.compile(f"[{parts}]+")


def _escape(cp: int) -> str:
    return f"\\U{cp:08x}"


def runs(normalised: str) -> list[str]:
    """The runs of letters and digits in already-normalised text."""
    return _run_re(_ASTRAL.search(normalised) is not None).findall(normalised)


def query_words(query: str) -> list[str]:
    """The words of a query: its runs, duplicates and words contained in a
    longer word dropped (containing the longer one implies the shorter)."""
    words: list[str] = []
    for word in sorted(dict.fromkeys(runs(normalise(query))), key=len, reverse=True):
        if not any(word in longer for longer in words):
            words.append(word)
    return words


class Factors(NamedTuple):
    """A text's runs cut once into grams at every position."""
    runs: list[str]
    text: str  # the runs joined by SEPARATOR, with one at each end too
    grams: tuple[list[str], ...]  # grams[k - 1][i] == text[i:i + k] for every i, k = 1 .. longest
    counts: tuple[Counter, ...]  # counts[k - 1]: how often each string of grams[k - 1] occurs


def factors(runs_: list[str], longest: int = MAX_GRAM) -> Factors:
    """The grams of 1 to ``longest`` characters of the joined runs (those
    with the separator in them too). One character object per position,
    then each length from the one before by ``map(add, ...)``: no slicing
    loop in Python."""
    text = SEPARATOR + SEPARATOR.join(runs_) + SEPARATOR
    chars = list(text)
    grams = [chars]
    for k in range(2, longest + 1):
        grams.append(list(map(add, grams[-1], chars[k - 1:])))
    return Factors(runs_, text, tuple(grams), tuple(map(Counter, grams)))


def grams_of(found: Factors) -> set[str]:
    """Every unigram, bigram and trigram inside the runs: the distinct
    grams of the joined text but those across a separator."""
    return {gram for counted in found.counts[:MAX_GRAM] for gram in counted if SEPARATOR not in gram}


def text_grams(normalised: str) -> set[str]:
    """Every unigram, bigram and trigram inside the runs of the text."""
    return grams_of(factors(runs(normalised)))


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
