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
            tag & 1 == 1: a bitmap, bit i (byte i >> 3, bit i & 7) = entry i
            tag & 1 == 0: varints, first id then gaps (each >= 1)

A key of up to three characters is a gram; its sets hold the entries that
contain it. A longer key is a minimal absent word (``absent.py``); its
sets hold the entries where it is one, and a trigram's continuations are
the rest of the absent words that start with it, so a query fetches the
sets of only those that are factors of its words.

Entry ids are positions in the library (newest first), so sorting by date
is sorting by id and the facet columns are plain per-entry arrays.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from array import array
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from casebook.core.fields import ENTRY_TYPES
from casebook.core.fields import SEARCH_FACETS as FACETS
from casebook.core.vocab import Vocabularies
from casebook.search.absent import absent_words
from casebook.search.records import FIELDS, SearchRecord
from casebook.search.text import MAX_GRAM, factors, fnv1a, grams_of, normalise, runs

SHARD_TARGET = 6 * 1024  # average shard size the shard count aims at
FORMAT = 4  # 3: the readers check it; 4: one set per field, aliases apart (ranking)
SETS = FIELDS  # the id sets of every key, in order (see above)
FACETS_FILE = "facets.bin"


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


def encode_set(ids: array, n: int, out: bytearray) -> None:
    """Smaller of bitmap and delta varints; an empty set is the tag 0."""
    if not ids:
        out.append(0)
        return
    gaps = [ids[0], *(b - a for a, b in zip(ids, ids[1:]))]
    if max(gaps) < 0x80:
        payload = bytes(gaps)
    else:
        buf = bytearray()
        for gap in gaps:
            varint(gap, buf)
        payload = bytes(buf)
    bitmap_len = (n + 7) >> 3
    if bitmap_len < len(payload):
        bits = bytearray(bitmap_len)
        for i in ids:
            bits[i >> 3] |= 1 << (i & 7)
        varint(bitmap_len << 1 | 1, out)
        out += bits
    else:
        varint(len(payload) << 1, out)
        out += payload


Postings = dict[str, tuple[array, ...]]


def _add(postings: Postings, per_field: tuple[set[str], ...], entry: int) -> None:
    """``entry`` into the lists of every key, for the fields that hold it."""
    for f, keys in enumerate(per_field):
        for key in keys:
            postings[key][f].append(entry)


Keys = tuple[tuple[set[str], ...], tuple[set[str], ...]]  # (grams, absent words) per field of SETS


def record_keys(texts: tuple[str, ...]) -> Keys:
    """The grams and minimal absent words of one record's texts (both read
    from the same cut of each text)."""
    cut = [factors(runs(normalise(t))) for t in texts]
    return tuple(map(grams_of, cut)), tuple(map(absent_words, cut))


class KeysCache:
    """The preview's: a record whose texts did not change since the last
    build keeps its keys (finding minimal absent words is most of the index
    build). Keys of texts no longer seen are dropped at each build."""

    def __init__(self):
        self._last: dict[tuple[str, ...], Keys] = {}
        self._now: dict[tuple[str, ...], Keys] = {}
        self.made = 0  # records whose keys this build computed

    def keys(self, texts: tuple[str, ...]) -> Keys:
        found = self._now.get(texts) or self._last.get(texts)
        if found is None:
            found = record_keys(texts)
            self.made += 1
        self._now[texts] = found
        return found

    def next_build(self) -> None:
        self._last, self._now, self.made = self._now, {}, 0


def collect_postings(records: list[SearchRecord], cache: KeysCache | None = None) -> tuple[Postings, Postings]:
    """Grams and minimal absent words, each -> ids of the entries where it
    is one, per field of ``SETS`` (ascending)."""
    def lists():
        return tuple(array("I") for _ in SETS)

    grams: Postings = defaultdict(lists)
    absent: Postings = defaultdict(lists)
    for record in records:
        texts = tuple(record.texts[name] for name in SETS)
        record_grams, record_absent = cache.keys(texts) if cache is not None else record_keys(texts)
        _add(grams, record_grams, record.id)
        _add(absent, record_absent, record.id)
    return grams, absent


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


def facet_columns(records: list[SearchRecord], vocabs: Vocabularies) -> list[dict]:
    """Per facet: its values and a column of value numbers per entry, as a
    compact string (one character per value, ``,`` between the cells of a
    facet with several values per entry)."""
    value_lists = facet_values(records, vocabs)
    result = []
    for key, param, label in FACETS:
        values = value_lists[key]
        by = 1 if key == "type" else 0  # records hold the type key, [label, key]
        index = {v[by]: i for i, v in enumerate(values)}
        single = key in ("type", "unit", "year")
        cells = ["".join(chr(0x30 + index[v]) for v in r.facets.get(key, ())) for r in records]
        result.append({"key": key, "param": param, "label": label, "values": values, "single": single,
                       "col": "".join(cells) if single else ",".join(cells)})
    return result


def utf16_offset(text: str, at: int) -> int:
    """Code point offset ``at`` of ``text`` in UTF-16 units (a browser's string index)."""
    return at + sum(1 for c in text[:at] if ord(c) > 0xFFFF)


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


def packed(data: bytes) -> bytes:
    """gzip, with no time stamp: the same index gives the same bytes."""
    return gzip.compress(data, mtime=0)


def unpacked(data: bytes) -> bytes:
    """What ``packed`` packed; bytes a server already unpacked as they are."""
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _record(key: str, lists: tuple[array, ...], n: int, continuations: list[str]) -> bytes:
    buf = bytearray()
    raw = key.encode("utf-8")
    varint(len(raw), buf)
    buf += raw
    for ids in lists:
        encode_set(ids, n, buf)
    varint(len(continuations), buf)
    for rest in continuations:
        raw = rest.encode("utf-8")
        varint(len(raw), buf)
        buf += raw
    return bytes(buf)


def write_index(records: list[SearchRecord], vocabs: Vocabularies, out_dir: Path,
                shard_target: int = SHARD_TARGET, cache: KeysCache | None = None) -> IndexStats:
    """Write the whole index into ``out_dir`` (replaced if it exists)."""
    n = len(records)
    grams, absent = collect_postings(records, cache)
    continuations: dict[str, list[str]] = defaultdict(list)
    for word in sorted(absent):
        continuations[word[:MAX_GRAM]].append(word[MAX_GRAM:])
    encoded: dict[str, bytes] = {}
    for gram, lists in grams.items():
        encoded[gram] = _record(gram, lists, n, continuations.get(gram, []))
    for word, lists in absent.items():
        encoded[word] = _record(word, lists, n, [])
    total = sum(len(b) for b in encoded.values())
    shard_count = max(1, round(total / shard_target))
    shards: list[list[str]] = [[] for _ in range(shard_count)]
    for key in encoded:
        shards[fnv1a(key.encode("utf-8")) % shard_count].append(key)

    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "g").mkdir(parents=True)
    (out_dir / "d").mkdir()
    digest = hashlib.sha256()
    index_bytes = 0
    for k, keys in enumerate(shards):
        data = packed(b"".join(encoded[key] for key in sorted(keys)))
        digest.update(data)
        index_bytes += len(data)
        (out_dir / "g" / f"{k}.bin").write_bytes(data)
    doc_bytes = 0
    for record in records:
        data = packed(_dump(doc_json(record)))
        digest.update(data)
        doc_bytes += len(data)
        (out_dir / "d" / f"{record.id}.bin").write_bytes(data)
    facets = packed(_dump({"n": n, "facets": facet_columns(records, vocabs)}))
    digest.update(facets)
    (out_dir / FACETS_FILE).write_bytes(facets)
    manifest = {"format": FORMAT, "version": digest.hexdigest()[:12], "n": n, "shards": shard_count,
                "grams": MAX_GRAM, "sets": list(SETS)}
    (out_dir / "manifest.json").write_bytes(_dump(manifest))
    return IndexStats(n, len(grams), len(absent), shard_count, index_bytes, len(facets), doc_bytes)
