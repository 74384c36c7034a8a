"""The keys of a whole build's records at once, with numpy.

``index.record_keys`` cuts one record's texts with Python's C-level maps,
position by position; over 10,000 entries that, and filing each key's
record, took about 20 s of a build's 31 s of index (BENCHMARKS.md). Here
each field of a batch of records is one array of code points: folding,
runs, grams, which records hold which key, which middles of two letters a
minimal absent word may grow from, and the first step of growing them are
array operations. The rest of the growing is ``absent.grow``, the loop the
one-record path runs too. Both paths give the same postings
(tests/test_search_bulk.py); the preview, which keeps each record's keys
from build to build, still uses the one-record path.

Nothing here decides what a key is: the fold table and the letter ranges
are ``text.py``'s own, read into lookup arrays.
"""

from __future__ import annotations

from array import array
from functools import lru_cache

import numpy as np

from casebook.search.absent import grow
from casebook.search.text import MAX_GRAM, SEPARATOR, fold_table, letter_ranges

LAST_CODE_POINT = 0x10FFFF
# Characters per batch: the arrays of a batch take about 100 bytes per
# character at their peak (2 M characters: about 200 MB beside the build),
# and each batch costs a Python step per key it holds.
BATCH_CHARS = 250_000
PACKED_BITS = 64  # the codes of a gram or a group and what follows it share one unsigned 64-bit number
_ID = np.dtype(np.uintc)  # array("I")'s item: the postings' lists are filled from these bytes
_TEXT = np.dtype("<u4")  # UTF-32-LE code units: one per character (surrogatepass keeps lone surrogates)
assert MAX_GRAM == 3  # the gram codes below are of one, two and three characters
assert SEPARATOR == "\0"  # code 0 in the dense alphabet: the smallest, and never a letter


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """Per code point: its folded code point (``normalise``), and whether it
    is a letter or digit (in a run)."""
    fold = np.arange(LAST_CODE_POINT + 1, dtype=_TEXT)
    table = fold_table()
    fold[np.fromiter(table.keys(), np.int64, len(table))] = np.fromiter(table.values(), np.int64, len(table))
    letter = np.zeros(LAST_CODE_POINT + 1, dtype=bool)
    for first, last in letter_ranges():
        letter[first:last + 1] = True
    return fold, letter


Postings = tuple[dict[str, array], ...]


def postings(texts: list[tuple[str, ...]], fields: int) -> tuple[Postings, Postings]:
    """Per field, every gram and every minimal absent word (of four
    characters or more) -> the ascending numbers of the records (their
    places in ``texts``) where it is one, as ``record_keys`` of each record
    would file them."""
    grams: Postings = tuple({} for _ in range(fields))
    absent: Postings = tuple({} for _ in range(fields))
    start = 0
    while start < len(texts):
        end, chars = start, 0
        while end < len(texts) and (end == start or chars < BATCH_CHARS):
            chars += sum(map(len, texts[end]))
            end += 1
        for f in range(fields):
            _file_batch([record[f] for record in texts[start:end]], start, grams[f], absent[f])
        start = end
    return grams, absent


def _file_batch(texts: list[str], first: int, grams: dict[str, array], absent: dict[str, array]) -> None:
    """The keys of ``texts`` (records ``first``, ``first + 1``, ...) into the lists."""
    text, dense, alphabet, record = _cut(texts)
    bits = max(1, (len(alphabet) - 1).bit_length())
    record_bits = (len(texts) - 1).bit_length()
    if 3 * bits + record_bits > PACKED_BITS and len(texts) > 1:  # too many distinct characters to pack: halves
        half = len(texts) // 2
        _file_batch(texts[:half], first, grams, absent)
        _file_batch(texts[half:], first + half, grams, absent)
        return
    _file_grams(dense, alphabet, record, bits, record_bits, first, grams)
    _file_absent(text, dense, alphabet, record, bits, first, absent)


def _cut(texts: list[str]) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """The texts folded and cut into runs, each text as its runs between
    separators (SEPARATOR, one between two runs and one at each end, as in
    ``text.factors``), all in a row: as a string, as numbers into the
    alphabet of its characters (the separator 0), that alphabet (code
    points, ascending), and the number of the text each position is in."""
    fold, letter = _tables()
    # every text between two separators of its own, so none of its grams reaches into the next
    raw = np.frombuffer(("\0" + "\0\0".join(texts) + "\0").encode("utf-32-le", "surrogatepass"), dtype=_TEXT)
    lengths = np.fromiter(map(len, texts), np.int64, len(texts)) + 2
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    folded = fold[raw]
    in_run = letter[folded]
    # a letter stays; of the other characters, the first after a letter (or a text's first) stands for all
    keep = in_run.copy()
    keep[1:] |= in_run[:-1]
    keep[starts] = True
    codes = np.where(in_run, folded, 0)[keep]
    record = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)[keep]
    present = np.zeros(LAST_CODE_POINT + 1, dtype=bool)  # the alphabet by a table, not a sort
    present[codes] = True
    alphabet = np.flatnonzero(present)
    number = np.zeros(LAST_CODE_POINT + 1, dtype=np.uint64)  # (zeroed lazily by the kernel: only pages read cost)
    number[alphabet] = np.arange(len(alphabet), dtype=np.uint64)
    return codes.tobytes().decode("utf-32-le"), number[codes], alphabet, record


def _file_grams(dense: np.ndarray, alphabet: np.ndarray, record: np.ndarray, bits: int, record_bits: int,
                first: int, grams: dict[str, array]) -> None:
    """Every distinct (gram, text) once. A gram's code is its characters'
    numbers side by side, ``bits`` each (no number is 0, the separator's),
    so unigrams < bigrams < trigrams; the text's number below it."""
    b = np.uint64(bits)
    one, two, three = dense[:-2], dense[1:-1], dense[2:]
    has = (one != 0, two != 0, three != 0)
    unigrams = dense[dense != 0] << np.uint64(record_bits) | record[dense != 0].astype(np.uint64)
    pair = has[0] & has[1]
    bigrams = (one << b | two)[pair] << np.uint64(record_bits) | record[:-2][pair].astype(np.uint64)
    triple = pair & has[2]
    trigrams = ((one << b | two) << b | three)[triple] << np.uint64(record_bits) | record[:-2][triple].astype(np.uint64)
    # a text ends with a separator: the last two positions start no gram of two or three letters
    every = np.sort(np.concatenate((unigrams, bigrams, trigrams)))
    found = every[_distinct(every)]
    codes = found >> np.uint64(record_bits)
    records = (found & np.uint64((1 << record_bits) - 1)).astype(np.int64) + first
    starts = _distinct(codes)
    _file(_decoded(codes[starts], alphabet, bits), starts, records, grams)


def _decoded(codes: np.ndarray, alphabet: np.ndarray, bits: int) -> list[str]:
    """Gram codes (ascending: by length, then code) as strings."""
    keys: list[str] = []
    mask = np.uint64((1 << bits) - 1)
    bounds = np.searchsorted(codes, [np.uint64(1) << np.uint64(bits), np.uint64(1) << np.uint64(2 * bits)])
    for size, part in zip((1, 2, 3), np.split(codes, bounds)):
        chars = np.stack([alphabet[(part >> np.uint64(bits * (size - 1 - k))) & mask] for k in range(size)], axis=1)
        joined = chars.astype(_TEXT).tobytes().decode("utf-32-le")
        keys.extend(joined[i:i + size] for i in range(0, len(joined), size))
    return keys


def _file(keys: list[str], starts: np.ndarray, records: np.ndarray, lists: dict[str, array]) -> None:
    """Append to each key's list its records: key i's are ``records`` from
    ``starts[i]`` to the next start, ascending."""
    ids = memoryview(records.astype(_ID).tobytes())
    size = _ID.itemsize
    bounds = starts.tolist()
    for key, low, high in zip(keys, bounds, [*bounds[1:], len(records)]):
        found = lists.get(key)
        if found is None:
            found = lists[key] = array("I")
        found.frombytes(ids[low * size:high * size])


def _file_absent(text: str, dense: np.ndarray, alphabet: np.ndarray, record: np.ndarray, bits: int, first: int,
                 absent: dict[str, array]) -> None:
    """The minimal absent words of four characters or more: their middles
    start with two letters that occur in the text with two different
    characters before them (``absent.py``). The groups of those positions
    take their first step here (``_first_step``), ``absent.grow`` the rest
    (a group's positions in any order: what it finds is a set)."""
    b = np.uint64(bits)
    before, one, two = dense[:-2], dense[1:-1], dense[2:]
    middle = np.flatnonzero((one != 0) & (two != 0))  # position - 1 of two letters (a text starts with a separator)
    if not len(middle):
        return
    # sorted by text, then the two letters (a group), then the character before them
    key = ((record[middle + 1].astype(np.uint64) << np.uint64(2 * bits) | one[middle] << b | two[middle]) << b
           | before[middle])
    order = np.argsort(key)
    key, where = key[order], middle[order] + 1
    starts = _distinct(key >> b)
    sizes = np.diff(starts, append=len(key))
    branching = key[starts] != key[starts + sizes - 1]  # two different characters before the group's letters
    if not branching.any():
        return
    kept = np.repeat(branching, sizes)
    key, where, sizes = key[kept], where[kept], sizes[branching]
    starts = np.cumsum(sizes) - sizes
    texts = (key[starts] >> np.uint64(3 * bits)).astype(np.int64)
    words, word_groups, later = _first_step(dense, alphabet, where, starts, bits)
    # one string object per character of the alphabet: grow's sets hash each once
    chars = np.array(list(alphabet.astype(_TEXT).tobytes().decode("utf-32-le")), dtype=object)[dense].tolist()
    # the words of four characters (in the order of their texts), then the longer ones grown here, text by
    # text: no word is in both, so each word's list stays ascending
    _file_words(words, (texts[word_groups] + first).tolist(), absent)
    stacks: dict[int, list[tuple[int, list[int]]]] = {}
    text_of = texts.tolist()
    for group, depth, positions in later:
        stacks.setdefault(text_of[group] + first, []).append((depth, positions))
    for number in sorted(stacks):
        found = grow(text, chars, stacks[number])
        _file_words(found, [number] * len(found), absent)


def _file_words(words, numbers: list[int], absent: dict[str, array]) -> None:
    for word, number in zip(words, numbers):
        filed = absent.get(word)
        if filed is None:
            filed = absent[word] = array("I")
        filed.append(number)


def _first_step(dense: np.ndarray, alphabet: np.ndarray, where: np.ndarray, starts: np.ndarray,
                bits: int) -> tuple[list[str], np.ndarray, list[tuple[int, int, list[int]]]]:
    """``absent.grow``'s step at depth two for every group at once (groups:
    ``where`` from each of ``starts`` to the next, two letters alike at
    each position, two different characters before them): the absent
    words of four characters it finds, the group of each, and what is left
    to grow: (group, depth, positions) of each group whose positions all
    go on with one letter (grown from depth two), and of each set of
    positions in a group that go on with the same letter (from depth
    three)."""
    count = len(starts)
    group = np.repeat(np.arange(count), np.diff(starts, append=len(where)))
    group_bits = max(1, (count - 1).bit_length())
    positions = where.tolist()
    if group_bits + 2 * bits > PACKED_BITS:  # a huge text with a huge alphabet: every group grown in Python
        ends = [*starts.tolist()[1:], len(positions)]
        return [], np.zeros(0, dtype=np.int64), [(g, 2, positions[s:e]) for g, (s, e) in enumerate(zip(starts.tolist(), ends))]
    b, wide = np.uint64(bits), group.astype(np.uint64)
    left, right = dense[where - 1], dense[where + 2]
    # runs of positions going on with the same character, within each group (ascending in each run)
    by_right = np.argsort(wide << b | right, kind="stable")
    run_starts = _distinct((wide << b | right)[by_right])
    run_lengths = np.diff(run_starts, append=len(by_right))
    run_group, run_right = group[by_right[run_starts]], right[by_right[run_starts]]
    rights = np.bincount(run_group, minlength=count)
    first_right = run_right[np.searchsorted(run_group, np.arange(count))]
    later: list[tuple[int, int, list[int]]] = []
    ends = np.append(starts[1:], len(where))
    for g in np.flatnonzero((rights == 1) & (first_right != 0)).tolist():  # one letter after all: parted in Python
        later.append((g, 2, positions[starts[g]:ends[g]]))
    in_runs = where[by_right].tolist()
    several = rights[run_group] >= 2
    for k in np.flatnonzero(several & (run_right != 0) & (run_lengths >= 2)).tolist():  # a child group (depth 3)
        low = int(run_starts[k])
        later.append((int(run_group[k]), 3, in_runs[low:low + int(run_lengths[k])]))
    # the words: a left and a right of a group (separators aside) that never occur around its middle together
    chosen = (rights >= 2)[group]
    lefts = wide << b | left
    lefts = np.sort(lefts[chosen & (left != 0)])
    lefts = lefts[_distinct(lefts)]
    left_group, left_char = (lefts >> b).astype(np.int64), lefts & np.uint64((1 << bits) - 1)
    keep = several & (run_right != 0)
    right_group, right_char = run_group[keep], run_right[keep]
    per_group = np.bincount(right_group, minlength=count)
    offset = np.cumsum(per_group) - per_group
    repeat = per_group[left_group]
    row = np.repeat(np.arange(len(left_group)), repeat)
    within = np.arange(int(repeat.sum())) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    g, l, rt = left_group[row], left_char[row], right_char[offset[left_group[row]] + within]
    candidate = (g.astype(np.uint64) << b | l) << b | rt
    present = np.sort(((wide << b | left) << b | right)[chosen])
    present = present[_distinct(present)]
    at = np.searchsorted(present, candidate)
    missing = present[np.minimum(at, len(present) - 1)] != candidate if len(present) else np.ones(len(candidate), bool)
    g, l, rt = g[missing], l[missing], rt[missing]
    head = where[starts[g]]
    codes = np.stack([alphabet[l], alphabet[dense[head]], alphabet[dense[head + 1]], alphabet[rt]], axis=1)
    joined = codes.astype(_TEXT).tobytes().decode("utf-32-le")
    return [joined[i:i + 4] for i in range(0, len(joined), 4)], g, later


def _distinct(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array starts. (np.unique
    hashes integers since numpy 2.3: six times slower than sorting here.)"""
    if not len(ordered):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))



