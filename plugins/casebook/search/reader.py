"""Reads a written index the way the browser's reader
(``mkdocs/assets/search/engine.js``) does: the reference for it, used by
the tests and by ``scripts/bench.py`` to check recall and precision
without a browser. ``tests/js`` runs both over the same index."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from casebook.search.index import FACETS_FILE, FORMAT, SETS, read_varint, unpacked
from casebook.search.rules import WEIGHTS
from casebook.search.text import MAX_GRAM, fnv1a, query_words, word_grams


class IndexFormatError(ValueError):
    """An index written in another format than this reader reads."""


def decode_set(data: bytes, pos: int) -> tuple[set[int], int]:
    tag, pos = read_varint(data, pos)
    size = tag >> 1
    end = pos + size
    ids: set[int] = set()
    if tag & 1:
        for i in range(size):
            byte = data[pos + i]
            while byte:
                low = byte & -byte
                ids.add(i * 8 + low.bit_length() - 1)
                byte ^= low
    else:
        current = -1
        first = True
        while pos < end:
            gap, pos = read_varint(data, pos)
            current = gap if first else current + gap
            first = False
            ids.add(current)
    return ids, end


@dataclass
class Key:
    sets: tuple[set[int], ...]  # per field of SETS: title, metadata, body, aliases
    continuations: list[str]  # a trigram's: the rest of the absent words starting with it


NOTHING = Key(tuple(set() for _ in SETS), [])


def _read_text(data: bytes, pos: int) -> tuple[str, int]:
    length, pos = read_varint(data, pos)
    return data[pos:pos + length].decode("utf-8"), pos + length


def parse_shard(data: bytes) -> dict[str, Key]:
    keys = {}
    pos = 0
    while pos < len(data):
        key, pos = _read_text(data, pos)
        sets = []
        for _ in SETS:
            ids, pos = decode_set(data, pos)
            sets.append(ids)
        count, pos = read_varint(data, pos)
        rest = []
        for _ in range(count):
            text, pos = _read_text(data, pos)
            rest.append(text)
        keys[key] = Key(tuple(sets), rest)
    return keys


@dataclass
class Result:
    ids: list[int]  # ranked
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # facet key -> value name -> count
    alias_only: set[int] = field(default_factory=set)  # found only through aliases, groups or date words


class SearchIndex:
    def __init__(self, out_dir: Path):
        self.dir = Path(out_dir)
        self.manifest = json.loads((self.dir / "manifest.json").read_text(encoding="utf-8"))
        found = self.manifest.get("format")
        if found != FORMAT:  # read with other rules, it would answer wrongly without a sign
            raise IndexFormatError(f"搜索索引 {self.dir} 的格式是 {found}，本程序只读格式 {FORMAT}；"
                                   f"请重新生成站点（make build）")
        self.n = self.manifest["n"]  # slots
        self.order = self.manifest.get("order") or list(range(self.n))  # the entries' slots, newest first
        self.rank = {slot: r for r, slot in enumerate(self.order)}
        self._shards: dict[int, dict] = {}
        self._facets = None

    # -- text ------------------------------------------------------------
    def key(self, key: str) -> Key:
        k = fnv1a(key.encode("utf-8")) % self.manifest["shards"]
        if k not in self._shards:
            self._shards[k] = parse_shard(unpacked((self.dir / "g" / f"{k}.bin").read_bytes()))
        return self._shards[k].get(key, NOTHING)

    def word_sets(self, word: str) -> list[set[int]]:
        """The entries holding ``word``, per field of ``SETS`` (title,
        metadata, body, aliases): those with all its grams there, less
        those where a factor of the word is a minimal absent word (see
        ``absent.py``)."""
        grams = word_grams(word)
        keys = [self.key(g) for g in grams]
        found = [set.intersection(*(key.sets[f] for key in keys)) for f in range(len(SETS))]
        if len(word) > MAX_GRAM:
            for start, (gram, key) in enumerate(zip(grams, keys)):
                for rest in key.continuations:
                    if word.startswith(rest, start + MAX_GRAM):
                        absent = self.key(gram + rest).sets
                        for f in range(len(SETS)):
                            found[f] -= absent[f]
        return found

    def match(self, query: str) -> dict[int, tuple[int, int]] | None:
        """Entry id -> (1 if its own text holds every word else 0, score) for
        the entries holding every query word; None for a query without words
        (browse mode: everything matches). A word scores by the best field
        of the entry's own text that holds it (title, metadata, body), and
        nothing when only an alias, group or date word holds it."""
        words = query_words(query)
        if not words:
            return None
        scores: dict[int, tuple[int, int]] | None = None
        for word in words:
            title, meta, body, aliases = self.word_sets(word)
            word_score = {i: (0, 0) for i in aliases}
            for field_ids, weight in ((body, WEIGHTS[2]), (meta, WEIGHTS[1]), (title, WEIGHTS[0])):
                for i in field_ids:
                    word_score[i] = (1, weight)
            if scores is None:
                scores = word_score
            else:
                scores = {i: (own & word_score[i][0], s + word_score[i][1])
                          for i, (own, s) in scores.items() if i in word_score}
        return scores

    def doc(self, entry: int) -> dict:
        return json.loads(unpacked((self.dir / "d" / f"{entry}.bin").read_bytes()))

    # -- facets ----------------------------------------------------------
    @property
    def facets(self) -> list[dict]:
        if self._facets is None:
            data = json.loads(unpacked((self.dir / FACETS_FILE).read_bytes()))
            for facet in data["facets"]:
                col = facet["col"]
                cells = list(col) if facet["single"] else col.split(",")
                facet["cells"] = [[ord(c) - 0x30 for c in cell] for cell in cells]
                facet["lookup"] = {alias: i for i, v in enumerate(facet["values"]) for alias in v}
            self._facets = data["facets"]
        return self._facets

    def search(self, query: str = "", filters: dict[str, list[str]] | None = None, sort: str = "") -> Result:
        """``filters``: facet key -> value names (or aliases); values of one
        facet combine with OR, facets with AND. Counts per facet follow the
        query and every other facet's filter."""
        scores = self.match(query)
        base = set(self.order) if scores is None else set(scores)
        wanted: dict[str, set[int]] = {}
        for facet in self.facets:
            names = (filters or {}).get(facet["key"]) or []
            chosen = {facet["lookup"][v] for v in names if v in facet["lookup"]}
            if names:
                wanted[facet["key"]] = chosen
        passes = {f["key"]: {i for i in base if set(f["cells"][i]) & wanted[f["key"]]}
                  for f in self.facets if f["key"] in wanted}
        hits = set(base)
        for ids in passes.values():
            hits &= ids
        counts = {}
        for facet in self.facets:
            pool = set(base)
            for key, ids in passes.items():
                if key != facet["key"]:
                    pool &= ids
            tally: dict[str, int] = {}
            for i in pool:
                for v in facet["cells"][i]:
                    name = facet["values"][v][0]
                    tally[name] = tally.get(name, 0) + 1
            counts[facet["key"]] = tally
        rank = self.rank
        if sort == "date" or scores is None:
            ranked = sorted(hits, key=rank.__getitem__)
        else:  # the entries that say every word first, then by score, then newest first
            ranked = sorted(hits, key=lambda i: (-scores[i][0], -scores[i][1], rank[i]))
        alias_only = set() if scores is None else {i for i in hits if not scores[i][0]}
        return Result(ranked, counts, alias_only)


def contents(out_dir: Path) -> dict:
    """What an index says, with every entry named by its URL instead of its
    slot: two indexes with equal contents answer every query alike (the
    preview's, whose slots are its own, and a fresh write's). A key is
    marked if it sits in another shard than the one its hash names (no
    reader would find it); an id in no entry's slot raises KeyError."""
    index = SearchIndex(out_dir)
    url = {slot: index.doc(slot)["u"] for slot in index.order}
    shards = index.manifest["shards"]
    keys = {}
    for k in range(shards):
        for key, found in parse_shard(unpacked((index.dir / "g" / f"{k}.bin").read_bytes())).items():
            named = [sorted(url[i] for i in ids) for ids in found.sets]
            keys[key] = (named, found.continuations, fnv1a(key.encode("utf-8")) % shards == k)
    facets = [{**{name: value for name, value in facet.items() if name not in ("col", "cells", "lookup")},
               "cells": {url[slot]: facet["cells"][slot] for slot in index.order}} for facet in index.facets]
    return {"manifest": {k: v for k, v in index.manifest.items() if k not in ("version", "n", "order", "shards")},
            "order": [url[slot] for slot in index.order], "keys": keys, "facets": facets,
            "docs": {url[slot]: index.doc(slot) for slot in index.order},
            "entry_files": sorted(p.name for p in (index.dir / "d").iterdir())
            == sorted(f"{slot}.bin" for slot in index.order)}
