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
import math
import shutil
from array import array
from bisect import bisect_left, insort
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from casebook.core.fields import ENTRY_TYPES
from casebook.core.fields import SEARCH_FACETS as FACETS
from casebook.core.memo import Memo
from casebook.core.vocab import Vocabularies
from casebook.search.absent import absent_words
from casebook.search.records import FIELDS, SearchRecord
from casebook.search.text import MAX_GRAM, factors, fnv1a, grams_of, normalise, runs

# Average shard size the shard count aims at. A query fetches one shard per
# key, so the bytes of a shard beside the key it came for are waste: with
# 6 KB shards a long query at 50,000 entries fetched up to 160 KB of shards,
# with 1 KB at most 69 KB (BENCHMARKS.md, issue 12); the cost is more files
# (65,536 shards at 50,000 entries) and 6 % more bytes on disk.
SHARD_TARGET = 1024
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


class KeysCache(Memo[tuple[str, ...], Keys]):
    """The preview's: a record whose texts did not change since the last
    build keeps its keys (finding minimal absent words is most of the index
    build)."""

    def __init__(self):
        super().__init__(record_keys)

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
    return IndexWriter(shard_target, cache).write(records, vocabs, out_dir)


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


class IndexWriter:
    """Writes the index. The preview keeps one between builds: when the
    records keep their ids (no entry added, removed or moved in date order),
    only the keys of the records whose text changed are updated, and only
    the shards holding them, the changed records' files and the facets are
    written again. The files are those a fresh ``write_index`` writes, byte
    for byte (tests/test_index_writer.py)."""

    def __init__(self, shard_target: int = SHARD_TARGET, cache: KeysCache | None = None):
        self.shard_target = shard_target
        self.cache = cache
        self.written = False
        self.rewritten = 0  # files written by the last write (all of them when it was a full write)

    def _keys(self, texts: tuple[str, ...]) -> Keys:
        return self.cache.keys(texts) if self.cache is not None else record_keys(texts)

    def write(self, records: list[SearchRecord], vocabs: Vocabularies, out_dir: Path) -> IndexStats:
        if any(record.id != i for i, record in enumerate(records)):
            raise ValueError("records must be numbered 0, 1, 2, ... in library order (ids are positions)")
        texts = [tuple(r.texts[name] for name in SETS) for r in records]
        slugs = tuple(r.slug for r in records)
        if (self.written and self.cache is not None and slugs == self.slugs and out_dir == self.out_dir
                and self._on_disk_unchanged()):
            if self._update(records, texts, vocabs):
                return self._stats()
        self._full(records, texts, vocabs, out_dir)
        return self._stats()

    # -- the state of the files on disk ------------------------------------
    def _on_disk_unchanged(self) -> bool:
        try:
            manifest = json.loads((self.out_dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return manifest.get("version") == self.version

    def _stats(self) -> IndexStats:
        return IndexStats(self.n, len(self.grams), len(self.absent), self.shard_count, sum(self.shard_sizes),
                          self.facet_size, sum(self.doc_sizes))

    # -- full ---------------------------------------------------------------
    def _full(self, records, texts, vocabs, out_dir: Path) -> None:
        n = len(records)
        self.n, self.out_dir, self.slugs = n, out_dir, tuple(r.slug for r in records)
        self.texts = texts
        self.grams, self.absent = self._postings(texts)
        self.continuations: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.absent):
            self.continuations[word[:MAX_GRAM]].append(word[MAX_GRAM:])
        self.encoded = {key: self._encode(key) for key in (*self.grams, *self.absent)}
        self.total = sum(len(b) for b in self.encoded.values())
        self.shard_count = self._shard_count()
        self.members: list[set[str]] = [set() for _ in range(self.shard_count)]
        for key in self.encoded:
            self.members[self._shard_of(key)].add(key)

        if out_dir.exists():
            shutil.rmtree(out_dir)
        (out_dir / "g").mkdir(parents=True)
        (out_dir / "d").mkdir()
        self.shard_digests, self.shard_sizes = [b""] * self.shard_count, [0] * self.shard_count
        for k in range(self.shard_count):
            self._write_shard(k)
        self.json_digests, self.doc_digests, self.doc_sizes = [b""] * n, [b""] * n, [0] * n
        for record in records:
            self._write_doc(record, _dump(doc_json(record)))
        self._write_facets(records, vocabs)
        self.rewritten = self.shard_count + n + 2
        self.written = True

    def _postings(self, texts: list[tuple[str, ...]]) -> tuple[Postings, Postings]:
        """Grams and minimal absent words, each -> ids of the records where
        it is one, per field of ``SETS`` (ascending)."""
        self.keys = []  # kept only with a cache (the preview), which holds them anyway

        def lists():
            return tuple(array("I") for _ in SETS)

        grams: Postings = defaultdict(lists)
        absent: Postings = defaultdict(lists)
        for entry, record_texts in enumerate(texts):
            record_grams, record_absent = found = self._keys(record_texts)
            _add(grams, record_grams, entry)
            _add(absent, record_absent, entry)
            if self.cache is not None:
                self.keys.append(found)
        return dict(grams), dict(absent)

    # -- incremental --------------------------------------------------------
    def _update(self, records, texts, vocabs) -> bool:
        """Bring the files up to ``records`` (same ids as last time); False
        when the shard count would change (then everything is written again)."""
        changed_keys: set[str] = set()
        changed_records = [i for i, t in enumerate(texts) if t != self.texts[i]]
        new_keys = {i: self._keys(texts[i]) for i in changed_records}
        for i in changed_records:
            for postings, old, new in ((self.grams, self.keys[i][0], new_keys[i][0]),
                                       (self.absent, self.keys[i][1], new_keys[i][1])):
                for f in range(len(SETS)):
                    for key in old[f] - new[f]:
                        self._remove(postings, key, f, i, changed_keys)
                    for key in new[f] - old[f]:
                        self._insert(postings, key, f, i, changed_keys)
        for key in changed_keys:
            self.total -= len(self.encoded.pop(key, b""))
            if key in self.grams or key in self.absent:
                self.encoded[key] = self._encode(key)
                self.total += len(self.encoded[key])
        if self._shard_count() != self.shard_count:
            return False
        for i in changed_records:
            self.keys[i] = new_keys[i]
        self.texts = texts
        for i, record_texts in enumerate(texts):  # the next build (an entry added: all ids move) reuses them all
            if i not in new_keys:
                self.cache.keep(record_texts, self.keys[i])
        shards = set()
        for key in changed_keys:
            k = self._shard_of(key)
            shards.add(k)
            if key in self.encoded:
                self.members[k].add(key)
            else:
                self.members[k].discard(key)
        for k in sorted(shards):
            self._write_shard(k)
        docs = 0
        for record in records:
            raw = _dump(doc_json(record))
            if _digest(raw) != self.json_digests[record.id]:
                self._write_doc(record, raw)
                docs += 1
        self._write_facets(records, vocabs)
        self.rewritten = len(shards) + docs + 2
        return True

    def _insert(self, postings: Postings, key: str, f: int, entry: int, changed: set[str]) -> None:
        lists = postings.get(key)
        if lists is None:
            lists = postings[key] = tuple(array("I") for _ in SETS)
            if postings is self.absent:  # a new absent word: its trigram lists one more continuation
                insort(self.continuations.setdefault(key[:MAX_GRAM], []), key[MAX_GRAM:])
                changed.add(key[:MAX_GRAM])
        ids = lists[f]
        ids.insert(bisect_left(ids, entry), entry)
        changed.add(key)

    def _remove(self, postings: Postings, key: str, f: int, entry: int, changed: set[str]) -> None:
        lists = postings[key]
        lists[f].remove(entry)
        changed.add(key)
        if not any(lists):
            del postings[key]
            if postings is self.absent:
                rests = self.continuations[key[:MAX_GRAM]]
                rests.remove(key[MAX_GRAM:])
                if not rests:
                    del self.continuations[key[:MAX_GRAM]]
                changed.add(key[:MAX_GRAM])

    # -- pieces ---------------------------------------------------------------
    def _encode(self, key: str) -> bytes:
        if key in self.grams:
            return _record(key, self.grams[key], self.n, self.continuations.get(key, []))
        return _record(key, self.absent[key], self.n, [])

    def _shard_count(self) -> int:
        """A power of two near total / target (shards of 0.7 to 1.4 times the
        target): an edit changes the total a little, the count almost never,
        so the preview rewrites a few shards, not all."""
        return 1 << max(0, round(math.log2(max(1.0, self.total / self.shard_target))))

    def _shard_of(self, key: str) -> int:
        return fnv1a(key.encode("utf-8")) % self.shard_count

    def _write_shard(self, k: int) -> None:
        data = packed(b"".join(self.encoded[key] for key in sorted(self.members[k])))
        self.shard_digests[k], self.shard_sizes[k] = _digest(data), len(data)
        (self.out_dir / "g" / f"{k}.bin").write_bytes(data)

    def _write_doc(self, record: SearchRecord, raw: bytes) -> None:
        data = packed(raw)
        self.json_digests[record.id] = _digest(raw)
        self.doc_digests[record.id], self.doc_sizes[record.id] = _digest(data), len(data)
        (self.out_dir / "d" / f"{record.id}.bin").write_bytes(data)

    def _write_facets(self, records, vocabs) -> None:
        """The facet columns and the manifest, whose version is a digest of
        every file's digest (a changed file changes it)."""
        facets = packed(_dump({"n": self.n, "facets": facet_columns(records, vocabs)}))
        self.facet_size = len(facets)
        (self.out_dir / FACETS_FILE).write_bytes(facets)
        every = b"".join([*self.shard_digests, *self.doc_digests, _digest(facets)])
        self.version = hashlib.sha256(every).hexdigest()[:12]
        manifest = {"format": FORMAT, "version": self.version, "n": self.n, "shards": self.shard_count,
                    "grams": MAX_GRAM, "sets": list(SETS)}
        (self.out_dir / "manifest.json").write_bytes(_dump(manifest))
