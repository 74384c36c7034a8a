"""The preview's index writer: after any sequence of edits a reader finds in
its files what it finds in a fresh write of the same records (the same
files, byte for byte, while no entry came, went or moved), and an edit
rewrites only a few of them."""

from __future__ import annotations

import dataclasses
import json
import random

from casebook.core.library import load_library
from casebook.search import make_records
from casebook.search.index import IndexWriter, KeysCache, write_index
from casebook.search.reader import SearchIndex, contents
from conftest import ROOT
from libtools import gen_corpus


def _files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _edit(rng: random.Random, records: list, donors: list[str]) -> list:
    """One editor-like change to a random record: text put in or cut out of
    its body, a new title, metadata or aliases, another facet value; the
    records keep their ids."""
    records = list(records)
    i = rng.randrange(len(records))
    record = records[i]
    donor = rng.choice(donors)
    start = rng.randrange(max(1, len(donor) - 40))
    piece = donor[start:start + rng.randint(2, 40)]
    kind = rng.choice(["insert", "cut", "title", "meta", "aliases", "facet", "same"])
    if kind == "insert":
        at = rng.randrange(len(record.body) + 1)
        record = dataclasses.replace(record, body=record.body[:at] + piece + record.body[at:])
    elif kind == "cut" and len(record.body) > 10:
        a = rng.randrange(len(record.body) - 5)
        record = dataclasses.replace(record, body=record.body[:a] + record.body[a + rng.randint(1, 200):])
    elif kind == "title":
        record = dataclasses.replace(record, title=piece or "标题")
    elif kind == "meta":
        record = dataclasses.replace(record, meta=record.meta + "\n" + piece)
    elif kind == "aliases":
        record = dataclasses.replace(record, alias_terms=[*record.alias_terms[1:], (piece or "别名", "名", "别名")])
    elif kind == "facet":
        other = rng.choice(records)
        record = dataclasses.replace(record, facets={**record.facets, "themes": list(other.facets.get("themes", []))})
    records[i] = record
    return records


def test_incremental_writes_equal_fresh_writes(tmp_path):
    library = load_library(ROOT, include_drafts=False)
    records = make_records(library.entries)
    donors = [r.body for r in records]
    writer = IndexWriter(shard_target=1024, cache=KeysCache())  # small shards: many, as in a large library
    out = tmp_path / "preview"
    writer.write(records, library.vocabs, out)
    assert writer.rewritten == len(_files(out))
    rng = random.Random(7)
    partial = 0
    for step in range(40):
        records = _edit(rng, records, donors)
        if step % 3 == 0:  # several edits between two builds, as when saving quickly
            records = _edit(rng, records, donors)
        writer.cache.next_build()
        writer.write(records, library.vocabs, out)
        fresh = tmp_path / f"fresh{step}"
        write_index(records, library.vocabs, fresh, shard_target=1024)
        assert _files(out) == _files(fresh), f"step {step}"
        partial += writer.rewritten < len(_files(fresh)) // 2
    assert partial >= 36  # nearly every edit rewrote only a few files
    # and what the reader finds follows the edits
    last = records[-1]
    word = last.body[:4] if len(last.body) >= 4 else last.title
    assert last.id in SearchIndex(out).search(word).ids


def test_a_new_entry_writes_its_own_files_and_a_changed_folder_writes_everything(tmp_path):
    library = load_library(ROOT, include_drafts=False)
    records = make_records(library.entries)
    writer = IndexWriter(cache=KeysCache())
    older = [dataclasses.replace(r, id=i) for i, r in enumerate(records[1:])]  # before the newest was added
    writer.write(older, library.vocabs, tmp_path / "a")
    shards = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))["shards"]
    writer.write(records, library.vocabs, tmp_path / "a")  # the newest first in order, in a new slot
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["order"] == [len(older), *range(len(older))]
    assert manifest["shards"] == shards
    # its entry file, the shards of its keys, facets and manifest: no other entry's file
    assert writer.rewritten <= 1 + shards + 2
    assert (tmp_path / "a" / "d" / f"{len(older)}.bin").exists()
    write_index(records, library.vocabs, tmp_path / "fresh")
    assert contents(tmp_path / "a") == contents(tmp_path / "fresh")
    assert SearchIndex(tmp_path / "a").search("").ids == [len(older), *range(len(older))]
    (tmp_path / "a" / "manifest.json").write_text("{}", encoding="utf-8")  # someone touched the files
    writer.write(records, library.vocabs, tmp_path / "a")
    assert writer.rewritten == len(_files(tmp_path / "a"))
    assert _files(tmp_path / "a") == _files(tmp_path / "fresh")


def test_keys_of_unchanged_records_outlive_an_edit(tmp_path):
    """An edit in place, then a new entry (every id moves): only the new
    record's keys are computed again, not every record's."""
    library = load_library(ROOT, include_drafts=False)
    records = make_records(library.entries)
    writer = IndexWriter(cache=KeysCache())
    older = [dataclasses.replace(r, id=i) for i, r in enumerate(records[1:])]
    writer.write(older, library.vocabs, tmp_path / "a")
    writer.cache.next_build()
    edited = [*older[:-1], dataclasses.replace(older[-1], body=older[-1].body + "又改了一句")]
    writer.write(edited, library.vocabs, tmp_path / "a")
    assert writer.cache.made == 1
    writer.cache.next_build()
    records = [records[0], *(dataclasses.replace(r, id=i + 1) for i, r in enumerate(edited))]
    writer.write(records, library.vocabs, tmp_path / "a")
    assert writer.cache.made == 1  # the newest entry's
    write_index(records, library.vocabs, tmp_path / "fresh")
    assert contents(tmp_path / "a") == contents(tmp_path / "fresh")


def _in_library_order(records: list) -> list:
    """Newest first, numbered by position, as the library hands them over."""
    ordered = sorted(records, key=lambda r: (r.date, r.slug), reverse=True)
    return [dataclasses.replace(r, id=i) for i, r in enumerate(ordered)]


def test_adds_deletes_and_edits_leave_the_files_of_a_fresh_write(tmp_path):
    """Random sequences of new, deleted and edited entries (an edited date
    moves an entry) drawn from the sample library and a generated one: after
    each build a reader finds in the preview's folder what it finds in a
    fresh write of the same records (keys, entries, facets, order), and the
    same bytes when the slots are in library order."""
    library = load_library(ROOT, include_drafts=False)
    project = gen_corpus().generate(40, tmp_path / "generated", seed=3)
    generated = load_library(project, include_drafts=False)
    pool = make_records(library.entries) + [
        dataclasses.replace(r, slug=f"g{r.slug}", url=f"g/{r.url}") for r in make_records(generated.entries)]
    donors = [r.body for r in pool]
    rng = random.Random(11)
    present = _in_library_order(rng.sample(pool, 30))
    writer = IndexWriter(shard_target=256, cache=KeysCache())  # many shards, whose count changes
    fresh_cache = KeysCache()  # only makes the fresh writes quicker: it answers for equal texts alone
    out = tmp_path / "preview"
    writer.write(present, library.vocabs, out)
    kinds = set()
    shapes = set()
    for step in range(30):
        for _ in range(rng.choice([1, 1, 2, 3])):
            kind = rng.choice(["add", "add", "delete", "delete", "edit", "date"])
            slugs = {r.slug for r in present}
            if kind == "add" or len(present) < 3:
                present = present + [rng.choice([r for r in pool if r.slug not in slugs])]
            elif kind == "delete":
                present = [r for r in present if r is not rng.choice(present)]
            elif kind == "edit":
                present = _edit(rng, present, donors)
            else:
                i = rng.randrange(len(present))
                present[i] = dataclasses.replace(present[i], date=rng.choice(present).date)
            kinds.add(kind)
            present = _in_library_order(present)
        writer.cache.next_build()
        writer.write(present, library.vocabs, out)
        fresh = tmp_path / f"fresh{step}"
        write_index(present, library.vocabs, fresh, shard_target=256, cache=fresh_cache)
        assert contents(out) == contents(fresh), f"step {step}"
        order = json.loads((out / "manifest.json").read_text(encoding="utf-8")).get("order")
        if order is None:
            assert _files(out) == _files(fresh), f"step {step}"
        shapes.add("in order" if order is None else "free slots" if len(order) < writer.n else "moved")
        searched = SearchIndex(out)
        assert [searched.doc(s)["u"] for s in searched.search("").ids] == [r.url for r in present]
    assert kinds == {"add", "delete", "edit", "date"}
    assert {"free slots", "moved"} <= shapes  # slots were freed, filled and out of order
