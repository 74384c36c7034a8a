"""The search index writer: static files a browser reads piece by piece.

Layout under the output folder (``assets/casebook/search/`` in the site)::

    manifest.json   version, number of entries, number of shards
    facets.bin      facet values (with aliases), one column per facet (JSON)
    g/<k>.bin       the keys whose hash (FNV-1a of UTF-8) falls in shard k
    d/<id>.bin      one entry: title, URL, date, type, unit, text (JSON)

Every .bin file is gzip-compressed (a plain static server sends them
as they are; the browser unpacks them with DecompressionStream).

A shard is a sequence of keys, each followed by one id set per text field
of the records (title, metadata, body, aliases: ``SETS``, named in the
manifest) and a list of continuations::

    varint byte length of the key, the key in UTF-8, set, set, set, set,
    varint count, count times (varint byte length, continuation in UTF-8)
    set   = varint tag, then tag >> 1 bytes
            tag & 1 == 1: a bitmap, bit i (byte i >> 3, bit i & 7) = entry i,
                          up to the byte of the set's highest id
            tag & 1 == 0: varints, first id then gaps (each >= 1)

A key of up to three characters is a gram; its sets hold the entries that
contain it. A longer key is a minimal absent word (``absent.py``); its
sets hold the entries where it is one, and a trigram's continuations are
the rest of the absent words that start with it, so a query fetches the
sets of only those that are factors of its words.

An entry's id is its slot: the facet columns and ``d/`` are per slot, and
``n`` in the manifest counts the slots. A fresh write gives the entries
slots in library order (newest first), so sorting by date is sorting by id.
The preview's writer keeps each entry in its slot from build to build (an
entry added or removed then changes the lists of its own keys only): a new
entry takes the lowest free slot or one more, a removed one leaves its slot
free, and the manifest's ``order`` lists the slots in library order. It is
there only when the slots are not in library order with none free (never in
a fresh write).
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import math
import os
import shutil
from array import array
from bisect import bisect_left, insort
from collections import Counter, defaultdict, deque
from collections.abc import Collection
from dataclasses import dataclass, fields
from itertools import chain, repeat
from operator import itemgetter, sub
from pathlib import Path

import numpy as np

from casebook.core.fields import ENTRY_TYPES
from casebook.core.fields import SEARCH_FACETS as FACETS
from casebook.core.memo import Memo
from casebook.core.vocab import Vocabularies
from casebook.search import bulk
from casebook.search.absent import absent_words
from casebook.search.records import FIELDS, SearchRecord
from casebook.search.text import MAX_GRAM, factors, fnv1a, grams_of, normalise, runs

# Average shard size the shard count aims at. A query fetches one shard per
# key, so the bytes of a shard beside the key it came for are waste: with
# 6 KB shards a long query at 50,000 entries fetched up to 160 KB of shards,
# with 1 KB at most 69 KB (BENCHMARKS.md, issue 12); the cost is more files
# (65,536 shards at 50,000 entries) and 6 % more bytes on disk.
SHARD_TARGET = 1024
FORMAT = 5  # 3: the readers check it; 4: one set per field, aliases apart (ranking); 5: slots, ``order``
SETS = FIELDS  # the id sets of every key, in order (see above)
FACETS_FILE = "facets.bin"
_ID = np.dtype(np.uintc)  # array("I")'s item
_ENCODED_AT_ONCE = 50_000  # keys joined by _encode_all in one go


@dataclass
class IndexStats:
    entries: int
    grams: int
    absent_words: int
    shards: int
    index_bytes: int  # all shards
    facet_bytes: int
    doc_bytes: int


def varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _varints(top: int) -> list[bytes]:
    """The varint of every number up to ``top`` (grown on demand): a set's
    payload is then a C-level join of table entries, not a loop per gap."""
    table = _VARINTS
    for value in range(len(table), top + 1):
        buf = bytearray()
        varint(value, buf)
        table.append(bytes(buf))
    return table


_VARINTS: list[bytes] = [bytes((v,)) for v in range(0x80)]


def _bitmap(ids: array, size: int) -> bytes:
    """``size`` bytes, bit i (byte i >> 3, bit i & 7) set for every id i."""
    bits = np.zeros(size << 3, dtype=bool)
    bits[np.frombuffer(ids, dtype=_ID)] = True
    return np.packbits(bits, bitorder="little").tobytes()


def encode_set(ids: array, out: bytearray, before: bytes | None = None, flipped: list[int] | None = None) -> None:
    """Smaller of bitmap and delta varints; an empty set is the tag 0. The
    bitmap ends with the byte of the highest id: a set's bytes depend on
    its ids alone, not on the number of entries (one more entry would
    otherwise lengthen every bitmap in the index). ``before``: the set's
    last bitmap, and ``flipped`` the ids that came or went since: the new
    bitmap is that one with their bits flipped, not built again bit by bit."""
    if not ids:
        out.append(0)
        return
    if len(ids) == 1:  # most keys (88 % at 10,000 entries): the varint of the id, never longer than a bitmap
        table = _VARINTS if ids[0] < len(_VARINTS) else _varints(ids[0])
        payload = table[ids[0]]
        out.append(len(payload) << 1)
        out += payload
        return
    bitmap_len = (ids[-1] >> 3) + 1
    if len(ids) <= bitmap_len:  # else the varints, one byte per id at least, are longer
        gaps = list(map(sub, ids, chain((0,), ids)))  # first id, then gaps
        top = max(gaps)
        if top < 0x80:
            payload = bytes(gaps)
        else:
            table = _VARINTS if top < len(_VARINTS) else _varints(top)
            payload = b"".join(map(table.__getitem__, gaps))
        if bitmap_len >= len(payload):
            varint(len(payload) << 1, out)
            out += payload
            return
    varint(bitmap_len << 1 | 1, out)
    if before is None:
        out += _bitmap(ids, bitmap_len)
        return
    bits = bytearray(before)
    bits.extend(bytes(max(0, bitmap_len - len(bits), (max(flipped) >> 3) + 1 - len(bits))))
    for i in flipped:
        bits[i >> 3] ^= 1 << (i & 7)
    del bits[bitmap_len:]  # beyond the highest id: bits of ids that went, flipped off
    out += bits


# Per field of SETS, key -> ascending ids of the records where it is one (a
# key no record holds in a field has no list there: most keys are in one or two).
Postings = tuple[dict[str, array], ...]
_NONE = array("I")  # the list of a key a field does not hold (never changed)


def _add(postings: Postings, per_field: tuple[set[str], ...], entry: int) -> None:
    """``entry`` into the lists of every key, for the fields that hold it
    (a C-level ``map``: millions of appends in a full build)."""
    for lists, keys in zip(postings, per_field):  # defaultdicts: a new key gets its list
        deque(map(array.append, map(lists.__getitem__, keys), repeat(entry)), maxlen=0)


def _new_list() -> array:
    return array("I")


def _keys_of(postings: Postings) -> set[str]:
    return set().union(*postings)


Keys = tuple[tuple[Collection[str], ...], tuple[Collection[str], ...]]  # (grams, absent words) per field of SETS


def record_keys(texts: tuple[str, ...]) -> Keys:
    """The grams and minimal absent words of one record's texts (both read
    from the same cut of each text)."""
    cut = [factors(runs(normalise(t))) for t in texts]
    return tuple(map(grams_of, cut)), tuple(map(absent_words, cut))


def _lasting(found: Keys) -> Keys:
    """Keys as tuples: kept from build to build, sets of 10,000 records'
    keys made every pass of Python's cycle collector visit millions of
    strings (2.5 s); a tuple of strings it stops tracking, and it is smaller."""
    return tuple(tuple(map(tuple, per_field)) for per_field in found)


class KeysCache(Memo[tuple[str, ...], Keys]):
    """The preview's: a record whose texts did not change since the last
    build keeps its keys (finding minimal absent words is most of the index
    build)."""

    def __init__(self):
        super().__init__(lambda texts: _lasting(record_keys(texts)))

    def keys(self, texts: tuple[str, ...]) -> Keys:
        return self.read(texts)


def facet_values(records: list[SearchRecord], vocabs: Vocabularies) -> dict[str, list[list[str]]]:
    """Per facet, the values the records use (display name first, then
    accepted aliases), in vocabulary order. A value no record uses is left
    out, so a public build never names a term only hidden entries carry."""
    used = {key: {v for r in records for v in r.facets.get(key, ())} for key, _, _ in FACETS}
    return {
        "type": [[t.label, t.key] for t in ENTRY_TYPES if t.key in used["type"]],
        "unit": [[t.name, *t.aliases] for t in vocabs["units"].terms if t.name in used["unit"]],
        "themes": [[t.name, *t.aliases] for t in vocabs["themes"].terms if t.name in used["themes"]],
        "year": [[y] for y in sorted(used["year"], reverse=True)],
        "violations": [[t.name, *t.aliases] for t in vocabs["violations"].terms if t.name in used["violations"]],
        "outcomes": [[t.name, *t.aliases] for t in vocabs["outcomes"].terms if t.name in used["outcomes"]],
        "rank": [[t.name, *t.aliases] for t in vocabs["ranks"].terms if t.name in used["rank"]],
    }


_FREE_SLOT = {True: "0", False: ""}  # a free slot's cell (single-valued or not): read by no search


def facet_columns(records: list[SearchRecord], vocabs: Vocabularies, slots: list[int] | None = None,
                  n: int | None = None) -> list[dict]:
    """Per facet: its values and a column of value numbers per slot (``n``
    of them; record i in ``slots[i]``, by default slot i), as a compact
    string (one character per value, ``,`` between the cells of a facet
    with several values per entry)."""
    value_lists = facet_values(records, vocabs)
    slots = range(len(records)) if slots is None else slots
    n = len(records) if n is None else n
    result = []
    for key, param, label in FACETS:
        values = value_lists[key]
        by = 1 if key == "type" else 0  # records hold the type key, [label, key]
        index = {v[by]: i for i, v in enumerate(values)}
        single = key in ("type", "unit", "year")
        cells = [_FREE_SLOT[single]] * n
        for s, r in zip(slots, records):
            cells[s] = "".join(chr(0x30 + index[v]) for v in r.facets.get(key, ()))
        result.append({"key": key, "param": param, "label": label, "values": values, "single": single,
                       "col": "".join(cells) if single else ",".join(cells)})
    return result


def utf16_offset(text: str, at: int) -> int:
    """Code point offset ``at`` of ``text`` in UTF-16 units (a browser's string index)."""
    return len(text[:at].encode("utf-16-le", "surrogatepass")) // 2


def doc_json(record: SearchRecord) -> dict:
    """What a result shows: title, URL, date, type, unit, and the text the
    excerpt is cut from (metadata ``m``, body ``b``, which starts with the
    given summary, if any); the body's headings ``h`` (offset in ``b`` in
    UTF-16 units, id on the entry page, text); the aliases ``a`` (word,
    the name it stands for, kind)."""
    return {"t": record.title, "u": record.url, "d": record.date, "y": record.type, "n": record.unit,
            "m": record.meta, "b": record.body,
            "h": [[utf16_offset(record.body, at), hid, text] for at, hid, text in record.headings],
            "a": [list(term) for term in record.alias_terms]}


_BUT_ID = [f.name for f in fields(SearchRecord) if f.name != "id"]


def _same_but_id(a: SearchRecord, b: SearchRecord) -> bool:
    """Equal but for the id (an entry file does not hold it: files are
    renamed to their entry's new id). Records the preview made again from an
    unchanged entry share their values: compared by identity, at once."""
    return a is b or all(getattr(a, name) == getattr(b, name) for name in _BUT_ID)


# Measured on 8,000 files of a 10,000-entry index: level 9 (gzip's default)
# 1.26 s, 6 1.35 s, 4 0.61 s, for 0.6 % more bytes (the index is made on
# every build, 26,000 files at 10,000 entries).
PACK_LEVEL = 4


def packed(data: bytes) -> bytes:
    """gzip, with no time stamp: the same index gives the same bytes."""
    return gzip.compress(data, compresslevel=PACK_LEVEL, mtime=0)


def unpacked(data: bytes) -> bytes:
    """What ``packed`` packed; bytes a server already unpacked as they are."""
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """The varint at ``pos`` (``varint``'s inverse) and the position after it."""
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _set_slices(record: bytes) -> list[tuple[int, int, int]]:
    """(tag, start, end) of each set in a key's record (``_record``): start
    at its tag, its payload the last tag >> 1 bytes before end."""
    length, pos = read_varint(record, 0)
    pos += length
    found = []
    for _ in SETS:
        start = pos
        tag, pos = read_varint(record, pos)
        pos += tag >> 1
        found.append((tag, start, pos))
    return found


def _record(key: str, lists: list[array], continuations: list[str], before: bytes | None = None,
            flipped: dict[int, list[int]] | None = None) -> bytes:
    """A key's bytes. ``before``: its last record, and ``flipped`` per field
    the ids that came or went since: a set none came to or went from is
    copied (a set's bytes depend on its ids alone), a bitmap is patched."""
    raw = key.encode("utf-8")
    buf = bytearray(_VARINTS[len(raw)] if len(raw) < 0x80 else _varints(len(raw))[len(raw)])
    buf += raw
    slices = _set_slices(before) if before is not None else None
    for f, ids in enumerate(lists):
        if slices is not None and f not in flipped:
            buf += before[slices[f][1]:slices[f][2]]
        elif ids:
            tag, _, end = slices[f] if slices is not None else (0, 0, 0)
            if tag & 1:
                encode_set(ids, buf, before[end - (tag >> 1):end], flipped[f])
            else:
                encode_set(ids, buf)
        else:  # most keys are in one or two of the fields
            buf.append(0)
    varint(len(continuations), buf)
    for rest in continuations:
        raw = rest.encode("utf-8")
        varint(len(raw), buf)
        buf += raw
    return bytes(buf)


def _texts(record: SearchRecord) -> tuple[str, ...]:
    return tuple(record.texts[name] for name in SETS)


def write_index(records: list[SearchRecord], vocabs: Vocabularies, out_dir: Path,
                shard_target: int = SHARD_TARGET, cache: KeysCache | None = None) -> IndexStats:
    """Write the whole index into ``out_dir`` (replaced if it exists)."""
    return IndexWriter(shard_target, cache).write(records, vocabs, out_dir)


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _put(path: Path | str, data: bytes) -> None:
    """``data`` as the file's bytes, written over the old ones in place: a
    file opened with O_TRUNC (``write_bytes``) makes ext4 flush it at close
    (``auto_da_alloc``), which made rewriting 4,000 shards 7 times slower."""
    try:
        with open(path, "r+b") as file:
            file.write(data)
            file.truncate()
    except FileNotFoundError:
        with open(path, "wb") as file:
            file.write(data)


def _keep_only(folder: Path, wanted: set[str]) -> None:
    """Remove what ``folder`` holds beyond ``wanted`` (names)."""
    with os.scandir(folder) as found:
        strays = [entry for entry in found if entry.name not in wanted]
    for entry in strays:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


class IndexWriter:
    """Writes the index. The preview keeps one between builds and brings the
    files up to the new records: a record is known again by its slug and
    keeps its slot (its id); one whose texts did not change keeps its keys,
    the keys of the others leave or join the id lists, and only keys whose
    lists changed are encoded again, only the shards holding them written,
    only entry files whose text changed written again. A reader finds in
    the files what it finds in a fresh ``write_index`` of the same records,
    the same entries in the same order (tests/test_index_writer.py); they
    are that write's files, byte for byte, as long as no entry came or went
    and none moved in the library's order."""

    def __init__(self, shard_target: int = SHARD_TARGET, cache: KeysCache | None = None):
        self.shard_target = shard_target
        self.cache = cache
        self.written = False
        self.rewritten = 0  # files the last write wrote (all of them when it was a full write)
        self._flips: dict[str, dict[int, list[int]]] = {}  # key -> field -> ids that came or went (an update's)

    def _keys(self, texts: tuple[str, ...]) -> Keys:
        return self.cache.keys(texts) if self.cache is not None else record_keys(texts)

    def write(self, records: list[SearchRecord], vocabs: Vocabularies, out_dir: Path) -> IndexStats:
        """``records`` in library order; their ``id`` is not read (a fresh
        write gives record i slot i, the preview's keeps slots)."""
        collecting = gc.isenabled()
        gc.disable()  # millions of new lists and keys, no cycles: the collector's passes cost a third
        try:
            if self.written and self.cache is not None and out_dir == self.out_dir and self._on_disk_unchanged():
                self._update(records, vocabs)
            else:
                self._full(records, list(map(_texts, records)), vocabs, out_dir)
        finally:
            if collecting:
                gc.enable()
        return self._stats()

    # -- the state of the files on disk ------------------------------------
    def _on_disk_unchanged(self) -> bool:
        try:
            manifest = json.loads((self.out_dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return manifest.get("version") == self.version

    def _stats(self) -> IndexStats:
        if self.grams is None:  # a build's writer let go of its postings (_full)
            grams, absent = self.key_counts
        else:
            grams, absent = len(_keys_of(self.grams)), len(_keys_of(self.absent))
        return IndexStats(len(self.order), grams, absent, self.shard_count,
                          sum(self.shard_sizes), self.facet_size, sum(self.doc_sizes))

    # -- full ---------------------------------------------------------------
    def _full(self, records, texts, vocabs, out_dir: Path) -> None:
        n = len(records)
        self.n, self.out_dir, self.slugs, self.order = n, out_dir, [r.slug for r in records], list(range(n))
        self.texts = texts
        self.grams, self.absent = self._postings(texts)
        self.hashes: dict[str, int] = {}  # FNV-1a of every key (see _shard_of)
        words = sorted(_keys_of(self.absent))
        self.continuations: dict[str, list[str]] = defaultdict(list)
        for word in words:
            self.continuations[word[:MAX_GRAM]].append(word[MAX_GRAM:])
        self.encoded = self._encode_all([*_keys_of(self.grams), *words])
        self.total = sum(map(len, self.encoded.values()))
        self.shard_count = self._shard_count()
        self._assign_shards()
        if self.cache is None:  # a build's writer writes once: what only an update reads goes before the files
            self.key_counts = (len(self.encoded) - len(words), len(words))
            self.grams = self.absent = self.continuations = self.hashes = None

        # files of an older index are written over (faster than new ones), the rest removed
        (out_dir / "g").mkdir(parents=True, exist_ok=True)
        (out_dir / "d").mkdir(exist_ok=True)
        self.shard_digests, self.shard_sizes = [b""] * self.shard_count, [0] * self.shard_count
        for k in range(self.shard_count):
            self._write_shard(k)
        if self.cache is None:
            self.encoded = self.members = None
        self.json_digests, self.doc_digests, self.doc_sizes = [b""] * n, [b""] * n, [0] * n
        for slot, record in enumerate(records):
            self._write_doc(slot, _dump(doc_json(record)))
        self._write_facets(records, vocabs)
        _keep_only(out_dir / "g", {f"{k}.bin" for k in range(self.shard_count)})
        _keep_only(out_dir / "d", {f"{j}.bin" for j in range(n)})
        _keep_only(out_dir, {"g", "d", FACETS_FILE, "manifest.json"})
        self.records = list(records) if self.cache is not None else []  # the preview's: a record met again is not dumped again
        self.rewritten = self.shard_count + n + 2
        self.written = True

    def _postings(self, texts: list[tuple[str, ...]]) -> tuple[Postings, Postings]:
        """Grams and minimal absent words, each -> ids of the records where
        it is one, per field of ``SETS`` (ascending)."""
        self.keys = []  # kept only with a cache (the preview), which holds them anyway
        if self.cache is None:  # all records at once (bulk.py): the same lists
            return bulk.postings(texts, len(SETS))

        grams = tuple(defaultdict(_new_list) for _ in SETS)
        absent = tuple(defaultdict(_new_list) for _ in SETS)
        for entry, record_texts in enumerate(texts):
            record_grams, record_absent = found = self._keys(record_texts)
            _add(grams, record_grams, entry)
            _add(absent, record_absent, entry)
            if self.cache is not None:
                self.keys.append(found)
        return tuple(map(dict, grams)), tuple(map(dict, absent))

    def _assign_shards(self) -> None:
        self.members: list[set[str]] = [set() for _ in range(self.shard_count)]
        for key in self.encoded:
            self.members[self._shard_of(key)].add(key)

    # -- incremental --------------------------------------------------------
    def _update(self, records, vocabs) -> None:
        """Bring the files written last time up to ``records``: each entry
        in its slot, a new one in a free slot, a removed one's slot freed."""
        slot_of = {slug: s for s, slug in enumerate(self.slugs) if slug is not None}
        order = [slot_of.get(r.slug, -1) for r in records]
        self._flips = {}
        staying = set(order)
        changed: set[str] = set()
        for s, slug in enumerate(self.slugs):
            if slug is not None and s not in staying:  # gone: its keys leave their lists
                self._edit_keys(self.keys[s], s, self._remove, changed)
                self._free(s)
        free = [s for s, slug in enumerate(self.slugs) if slug is None][::-1]  # pop() gives the lowest
        # the record the preview kept for an unchanged entry is the same object: its texts are too
        texts = [self.texts[s] if s >= 0 and self.records[s] is r else _texts(r) for r, s in zip(records, order)]
        for j, s in enumerate(order):
            if s < 0:  # new: its keys join their lists
                s = order[j] = free.pop() if free else self._grow()
                self.slugs[s], self.texts[s], self.keys[s] = records[j].slug, texts[j], self._keys(texts[j])
                self._edit_keys(self.keys[s], s, self._insert, changed)
            elif texts[j] == self.texts[s]:
                self.cache.keep(texts[j], self.keys[s])  # the next build reuses it too
            else:  # an edit: only the keys it took away or added
                old, now = self.keys[s], self._keys(texts[j])
                gone = tuple(tuple(set(o).difference(k) for o, k in zip(a, b)) for a, b in zip(old, now))
                came = tuple(tuple(set(k).difference(o) for o, k in zip(a, b)) for a, b in zip(old, now))
                self._edit_keys(gone, s, self._remove, changed)
                self._edit_keys(came, s, self._insert, changed)
                self.keys[s], self.texts[s] = now, texts[j]
        while self.slugs and self.slugs[-1] is None:  # no free slots at the end
            for per_slot in self._per_slot():
                per_slot.pop()
        self.order, self.n = order, len(self.slugs)

        flips, self._flips = self._flips, {}
        for key in changed:
            before = self.encoded.pop(key, None)
            self.total -= len(before or b"")
            found = self._encode(key, before, flips.get(key, {}))
            if found is not None:
                self.encoded[key] = found
                self.total += len(found)
        written = self._write_shards(changed)
        for key in changed.difference(self.encoded):  # gone from the index
            self.hashes.pop(key, None)
        written += self._write_docs(records)
        self._write_facets(records, vocabs)
        self.rewritten = written + 2

    def _per_slot(self) -> tuple[list, ...]:
        return (self.slugs, self.texts, self.keys, self.records, self.json_digests, self.doc_digests,
                self.doc_sizes)

    def _grow(self) -> int:
        """One more slot, free; its number."""
        for per_slot, empty in zip(self._per_slot(), (None, None, None, None, b"", b"", 0)):
            per_slot.append(empty)
        return len(self.slugs) - 1

    def _free(self, s: int) -> None:
        self.slugs[s] = self.texts[s] = self.keys[s] = self.records[s] = None
        self.json_digests[s] = self.doc_digests[s] = b""
        self.doc_sizes[s] = 0
        os.unlink(f"{self.out_dir}/d/{s}.bin")

    def _edit_keys(self, found: Keys, entry: int, edit, changed: set[str]) -> None:
        for postings, per_field in zip((self.grams, self.absent), found):
            for f, keys in enumerate(per_field):
                for key in keys:
                    edit(postings, key, f, entry, changed)

    def _insert(self, postings: Postings, key: str, f: int, entry: int, changed: set[str]) -> None:
        ids = postings[f].get(key)
        if ids is None:
            if postings is self.absent and not self._holds(key):  # a new absent word: one more continuation
                insort(self.continuations.setdefault(key[:MAX_GRAM], []), key[MAX_GRAM:])
                changed.add(key[:MAX_GRAM])
            ids = postings[f][key] = array("I")
        ids.insert(bisect_left(ids, entry), entry)
        changed.add(key)
        self._flips.setdefault(key, {}).setdefault(f, []).append(entry)

    def _remove(self, postings: Postings, key: str, f: int, entry: int, changed: set[str]) -> None:
        ids = postings[f][key]
        del ids[bisect_left(ids, entry)]
        changed.add(key)
        self._flips.setdefault(key, {}).setdefault(f, []).append(entry)
        if not ids:
            del postings[f][key]
            if postings is self.absent and not self._holds(key):
                rests = self.continuations[key[:MAX_GRAM]]
                rests.remove(key[MAX_GRAM:])
                if not rests:
                    del self.continuations[key[:MAX_GRAM]]
                changed.add(key[:MAX_GRAM])

    def _write_shards(self, changed: set[str]) -> int:
        """The shards holding a changed key (all when their count changed:
        every key may go to another); the number written."""
        count, old_count = self._shard_count(), self.shard_count
        if count != old_count:
            self.shard_count = count
            self._assign_shards()
            shards = range(count)
            self.shard_digests, self.shard_sizes = [b""] * count, [0] * count
            for k in range(count, old_count):
                (self.out_dir / "g" / f"{k}.bin").unlink(missing_ok=True)
        else:
            shards = set()
            for key in changed:
                k = self._shard_of(key)
                shards.add(k)
                if key in self.encoded:
                    self.members[k].add(key)
                else:
                    self.members[k].discard(key)
        return sum(self._write_shard(k) for k in sorted(shards))

    def _write_docs(self, records) -> int:
        """The entry file of each record whose text is not the one its slot
        holds; the number written."""
        done = 0
        for record, s in zip(records, self.order):
            kept = self.records[s]
            if kept is None or not _same_but_id(record, kept):
                raw = _dump(doc_json(record))
                if _digest(raw) != self.json_digests[s]:
                    self._write_doc(s, raw)
                    done += 1
            self.records[s] = record
        return done

    # -- pieces ---------------------------------------------------------------
    def _postings_of(self, key: str) -> Postings:
        return self.grams if len(key) <= MAX_GRAM else self.absent  # an absent word is longer

    def _holds(self, key: str) -> bool:
        return any(key in lists for lists in self._postings_of(key))

    def _encode(self, key: str, before: bytes | None = None,
                flipped: dict[int, list[int]] | None = None) -> bytes | None:
        """None for a key no record holds any more; ``before``, ``flipped``:
        see ``_record``."""
        sets = [lists.get(key, _NONE) for lists in self._postings_of(key)]
        if not any(sets):
            return None
        return _record(key, sets, self.continuations.get(key, []), before, flipped)

    def _encode_all(self, keys: list[str]) -> dict[str, bytes]:
        """``_encode`` of every key of a full write. A key in one field and
        one record, with no continuation (83 % at 10,000 entries), is its
        length, its text, empty sets before and after the one set (its
        tag and its id's varint, from a table) and a zero: such keys are
        joined by C-level maps, field by field; the others are encoded
        one by one (tests/test_search_index.py: the same bytes). A part at a
        time: the keys' texts as bytes are not all held at once."""
        encoded: dict[str, bytes] = {}
        table = _varints(self.n)
        sets_of_one = [bytes((len(v) << 1,)) + v for v in table[:self.n]]  # by id: the tag, the varint
        for postings in (self.grams, self.absent):
            fields_holding = Counter()
            for lists in postings:
                fields_holding.update(lists.keys())
            for f, lists in enumerate(postings):
                alone = [key for key, ids in lists.items()
                         if len(ids) == 1 and fields_holding[key] == 1 and key not in self.continuations]
                before, after = bytes(f), bytes(len(SETS) - f)  # empty sets; after them no continuation
                for start in range(0, len(alone), _ENCODED_AT_ONCE):
                    part = alone[start:start + _ENCODED_AT_ONCE]
                    raws = "\0".join(part).encode("utf-8").split(b"\0")
                    if len(raws) != len(part):  # (no key holds the separator: the others' way if one did)
                        continue
                    table = _varints(max(self.n, *map(len, raws)))
                    ids = map(sets_of_one.__getitem__, map(itemgetter(0), map(lists.__getitem__, part)))
                    encoded.update(zip(part, map(b"".join, zip(map(table.__getitem__, map(len, raws)), raws,
                                                               repeat(before), ids, repeat(after)))))
        rest = [key for key in keys if key not in encoded]
        encoded.update(zip(rest, map(self._encode, rest)))
        return encoded

    def _shard_count(self) -> int:
        """A power of two near total / target (shards of 0.7 to 1.4 times the
        target): an edit changes the total a little, the count almost never,
        so the preview rewrites a few shards, not all."""
        return 1 << max(0, round(math.log2(max(1.0, self.total / self.shard_target))))

    def _shard_of(self, key: str) -> int:
        if self.cache is None:  # a build's: written once, never updated
            return fnv1a(key.encode("utf-8")) % self.shard_count
        found = self.hashes.get(key)
        if found is None:  # hashed byte by byte in Python: kept for the next build
            found = self.hashes[key] = fnv1a(key.encode("utf-8"))
        return found % self.shard_count

    def _write_shard(self, k: int) -> bool:
        """False when the file already holds these bytes."""
        data = packed(b"".join([self.encoded[key] for key in sorted(self.members[k])]))
        digest = _digest(data)
        if digest == self.shard_digests[k]:
            return False
        self.shard_digests[k], self.shard_sizes[k] = digest, len(data)
        _put(f"{self.out_dir}/g/{k}.bin", data)  # not a Path: 16,000 of them cost a second
        return True

    def _write_doc(self, entry: int, raw: bytes) -> None:
        data = packed(raw)
        self.json_digests[entry] = _digest(raw)
        self.doc_digests[entry], self.doc_sizes[entry] = _digest(data), len(data)
        _put(f"{self.out_dir}/d/{entry}.bin", data)

    def _write_facets(self, records, vocabs) -> None:
        """The facet columns and the manifest, whose version is a digest of
        every file's digest (a changed file changes it)."""
        facets = packed(_dump({"n": self.n, "facets": facet_columns(records, vocabs, self.order, self.n)}))
        self.facet_size = len(facets)
        _put(self.out_dir / FACETS_FILE, facets)
        every = b"".join([*self.shard_digests, *self.doc_digests, _digest(facets)])
        self.version = hashlib.sha256(every).hexdigest()[:12]
        manifest = {"format": FORMAT, "version": self.version, "n": self.n, "shards": self.shard_count,
                    "grams": MAX_GRAM, "sets": list(SETS)}
        if self.order != list(range(self.n)):  # the preview's slots after an entry came, went or moved
            manifest["order"] = self.order
        _put(self.out_dir / "manifest.json", _dump(manifest))
