"""The search index writer: static files a browser reads piece by piece.

Layout under the output folder (``assets/casebook/search/`` in the site)::

    manifest.json   version, number of entries, number of shards
    facets.json     facet values (with aliases) and one column per facet
    g/<k>.bin       posting lists of the grams whose hash falls in shard k
    d/<id>.json     one entry: title, URL, date, type, unit, summary, text

A shard is a sequence of grams, each followed by three id sets (the entries
with the gram anywhere, in the title, in the metadata)::

    varint byte length of the gram, the gram in UTF-8, set, set, set
    set   = varint tag, then tag >> 1 bytes
            tag & 1 == 1: a bitmap, bit i (byte i >> 3, bit i & 7) = entry i
            tag & 1 == 0: varints, first id then gaps (each >= 1)

Entry ids are positions in the library (newest first), so sorting by date
is sorting by id and the facet columns are plain per-entry arrays.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from array import array
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..fields import ENTRY_TYPES
from ..vocab import Vocabularies
from .records import FACETS, FIELDS, SearchRecord
from .text import MAX_GRAM, fnv1a, normalise, text_grams

SHARD_TARGET = 6 * 1024  # average shard size the shard count aims at
FORMAT = 1


@dataclass
class IndexStats:
    entries: int
    grams: int
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


def collect_postings(records: list[SearchRecord]) -> dict[str, tuple[array, array, array]]:
    """gram -> ids with it anywhere, in the title, in the metadata (ascending)."""
    postings: dict[str, tuple[array, array, array]] = defaultdict(lambda: (array("I"), array("I"), array("I")))
    for record in records:
        per_field = {name: text_grams(normalise(text)) for name, text in record.texts.items()}
        everywhere = per_field["title"] | per_field["meta"] | per_field["body"]
        title, meta = per_field["title"], per_field["meta"]
        for gram in everywhere:
            lists = postings[gram]
            lists[0].append(record.id)
            if gram in title:
                lists[1].append(record.id)
            if gram in meta:
                lists[2].append(record.id)
    return postings


def facet_columns(records: list[SearchRecord], vocabs: Vocabularies) -> list[dict]:
    """Per facet: its values (display name first, then accepted aliases) and
    a column of value numbers per entry, as a compact string."""
    value_lists: dict[str, list[list[str]]] = {
        "type": [[t.label, t.key] for t in ENTRY_TYPES],
        "unit": [[t.name, *t.aliases] for t in vocabs["units"].terms],
        "themes": [[t.name, *t.aliases] for t in vocabs["themes"].terms],
        "year": [[y] for y in sorted({r.facets["year"][0] for r in records}, reverse=True)],
        "violations": [[t.name, *t.aliases] for t in vocabs["violations"].terms],
        "outcomes": [[t.name, *t.aliases] for t in vocabs["outcomes"].terms],
    }
    key_of = {"type": {t.key: i for i, t in enumerate(ENTRY_TYPES)}}
    result = []
    for key, param, label in FACETS:
        values = value_lists[key]
        index = key_of.get(key) or {v[0]: i for i, v in enumerate(values)}
        single = key in ("type", "unit", "year")
        cells = ["".join(chr(0x30 + index[v]) for v in r.facets[key]) for r in records]
        result.append({"key": key, "param": param, "label": label, "values": values, "single": single,
                       "col": "".join(cells) if single else ",".join(cells)})
    return result


def doc_json(record: SearchRecord) -> dict:
    """What a result shows: title, URL, date, type, unit, and the text the
    excerpt is cut from (metadata ``m``, body ``b``, which starts with the
    given summary, if any)."""
    return {"t": record.title, "u": record.url, "d": record.date, "y": record.type, "n": record.unit,
            "m": record.meta, "b": record.body}


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_index(records: list[SearchRecord], vocabs: Vocabularies, out_dir: Path,
                shard_target: int = SHARD_TARGET) -> IndexStats:
    """Write the whole index into ``out_dir`` (replaced if it exists)."""
    n = len(records)
    encoded: dict[str, bytes] = {}
    for gram, lists in collect_postings(records).items():
        buf = bytearray()
        raw = gram.encode("utf-8")
        varint(len(raw), buf)
        buf += raw
        for ids in lists:
            encode_set(ids, n, buf)
        encoded[gram] = bytes(buf)
    total = sum(len(b) for b in encoded.values())
    shard_count = max(1, round(total / shard_target))
    shards: list[list[str]] = [[] for _ in range(shard_count)]
    for gram in encoded:
        shards[fnv1a(gram.encode("utf-8")) % shard_count].append(gram)

    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "g").mkdir(parents=True)
    (out_dir / "d").mkdir()
    digest = hashlib.sha256()
    for k, grams in enumerate(shards):
        data = b"".join(encoded[g] for g in sorted(grams))
        digest.update(data)
        (out_dir / "g" / f"{k}.bin").write_bytes(data)
    doc_bytes = 0
    for record in records:
        data = _dump(doc_json(record))
        digest.update(data)
        doc_bytes += len(data)
        (out_dir / "d" / f"{record.id}.json").write_bytes(data)
    facets = _dump({"n": n, "facets": facet_columns(records, vocabs)})
    digest.update(facets)
    (out_dir / "facets.json").write_bytes(facets)
    manifest = {"format": FORMAT, "version": digest.hexdigest()[:12], "n": n, "shards": shard_count,
                "grams": MAX_GRAM, "fields": list(FIELDS)}
    (out_dir / "manifest.json").write_bytes(_dump(manifest))
    return IndexStats(n, len(encoded), shard_count, total, len(facets), doc_bytes)
