"""The preview's parse cache: after any sequence of edits, a load that reuses
it gives exactly what a fresh load of the same files gives."""

from __future__ import annotations

import random
from dataclasses import asdict

from casebook.core.library import load_library
from casebook.core.parsecache import ParseCache
from libtools import GOOD_CASE, GOOD_PRACTICE, make_library, write_entry


def snapshot(library):
    return ([asdict(e) for e in library.entries], [p.format() for p in library.problems],
            library.drafts, library.slugs)


def practice(i: int, unit: str = "市妇联", extra: str = "") -> str:
    return (GOOD_PRACTICE.replace("unit: 市妇联", f"unit: {unit}")
            .replace("2023-06-15", f"2023-0{1 + i % 9}-1{i % 10}")
            .replace("title: 市妇联以家风建设带动清廉机关建设", f"title: 经验{i}") + extra)


def test_cached_loads_equal_fresh_loads_through_random_edits(tmp_path):
    make_library(tmp_path)
    for i in range(12):
        write_entry(tmp_path, f"practices/p{i}.md", practice(i))
    write_entry(tmp_path, "warnings/c.md", GOOD_CASE)
    cache = ParseCache()
    rng = random.Random(20261122)
    edits = [
        lambda i: write_entry(tmp_path, f"practices/p{i}.md", practice(i, extra=f"\n新增一段{rng.random()}\n")),
        lambda i: write_entry(tmp_path, f"practices/p{i}.md", practice(i, unit="市财政局")),
        lambda i: write_entry(tmp_path, f"practices/p{i}.md", practice(i).replace("unit: 市妇联", "unit: 不存在的单位")),
        lambda i: write_entry(tmp_path, f"practices/new{i}.md", practice(100 + i)),
        lambda i: (tmp_path / "cases" / "practices" / f"p{i}.md").unlink(missing_ok=True),
        lambda i: write_entry(tmp_path, f"practices/p{i}.md", practice(i).replace("---\n\n", "related: [c]\n---\n\n", 1)),
        # a vocabulary edit: an alias renamed changes how every entry reads
        lambda i: (tmp_path / "cases" / "units.yml").write_text(
            (tmp_path / "cases" / "units.yml").read_text(encoding="utf-8").replace(
                "市妇女联合会", f"市妇女联合会{i}"), encoding="utf-8"),
    ]
    assert snapshot(load_library(tmp_path, cache=cache)) == snapshot(load_library(tmp_path))
    for _ in range(30):
        rng.choice(edits)(rng.randrange(12))
        cached = load_library(tmp_path, cache=cache)
        assert snapshot(cached) == snapshot(load_library(tmp_path))
    assert cache.hits > 0  # the comparison above is not two fresh loads


def test_an_unchanged_library_is_not_parsed_again_and_an_edit_only_once(tmp_path):
    make_library(tmp_path)
    for i in range(5):
        write_entry(tmp_path, f"practices/p{i}.md", practice(i))
    cache = ParseCache()
    load_library(tmp_path, cache=cache)
    assert (cache.hits, cache.misses) == (0, 5)
    load_library(tmp_path, cache=cache)
    assert (cache.hits, cache.misses) == (5, 0)
    write_entry(tmp_path, "practices/p3.md", practice(3, extra="\n改了一句。\n"))
    load_library(tmp_path, cache=cache)
    assert (cache.hits, cache.misses) == (4, 1)


def test_entries_handed_out_are_copies(tmp_path):
    """The library filters ``related`` on what it is handed; the cache must
    not keep that filtering when the missing entry comes back."""
    make_library(tmp_path)
    write_entry(tmp_path, "practices/p1.md", practice(1).replace("---\n\n", "related: [c]\n---\n\n", 1))
    write_entry(tmp_path, "warnings/c.md", GOOD_CASE)
    cache = ParseCache()
    load_library(tmp_path, cache=cache, profile="public")  # GOOD_CASE may be internal: related filtered
    first = load_library(tmp_path, cache=cache)
    assert snapshot(first) == snapshot(load_library(tmp_path))
    first.entries[0].related.append("zzz")
    assert snapshot(load_library(tmp_path, cache=cache)) == snapshot(load_library(tmp_path))


def test_search_keys_kept_between_builds_give_the_same_index(tmp_path):
    """The preview's search-keys cache: after an edit, the index written with
    it is byte for byte the index written from scratch, and only the edited
    record's keys are computed again."""
    from casebook.search import KeysCache, build_index

    make_library(tmp_path)
    for i in range(6):
        write_entry(tmp_path, f"practices/p{i}.md", practice(i))
    cache = KeysCache()

    def files(out):
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    build_index(load_library(tmp_path), tmp_path / "cached", cache=cache)
    assert cache.made == 6
    write_entry(tmp_path, "practices/p2.md", practice(2, extra="\n新加的一段：以案促改。\n"))
    library = load_library(tmp_path)
    build_index(library, tmp_path / "cached", cache=cache)
    assert cache.made == 1
    build_index(library, tmp_path / "fresh")
    assert files(tmp_path / "cached") == files(tmp_path / "fresh")


def test_a_file_is_read_again_whenever_its_stat_changed(tmp_path):
    """Unchanged files are answered by their stat alone; an edit that keeps
    the size and puts the old mtime back (or a file replaced by another)
    is still read, and the load equals a fresh one."""
    import os
    import time

    make_library(tmp_path)
    paths = [write_entry(tmp_path, f"practices/p{i}.md", practice(i)) for i in range(4)]
    cache = ParseCache()
    cache.racy_ns = 0  # trust a stat taken after the last change at once
    time.sleep(0.01)
    load_library(tmp_path, cache=cache)
    assert snapshot(load_library(tmp_path, cache=cache)) == snapshot(load_library(tmp_path))
    assert cache.unread == 4  # the second load read no entry file
    before = paths[1].stat()
    text = paths[1].read_text(encoding="utf-8")
    paths[1].write_text(text.replace("经验1", "经验9"), encoding="utf-8")  # same size
    os.utime(paths[1], ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    assert paths[1].stat().st_size == before.st_size
    cached = load_library(tmp_path, cache=cache)
    assert snapshot(cached) == snapshot(load_library(tmp_path))
    assert "经验9" in [e.title for e in cached.entries]
    assert (cache.unread, cache.misses) == (3, 1)
    paths[2].unlink()  # another file in its place (it may get the same inode)
    paths[2].write_text(practice(2).replace("经验2", "经验8"), encoding="utf-8")
    assert snapshot(load_library(tmp_path, cache=cache)) == snapshot(load_library(tmp_path))


def test_a_file_changed_just_after_it_was_read_is_read_again(tmp_path):
    """With the real margin, a file written moments before a load is read
    on every load until it is older: a change within the same clock tick
    cannot hide behind an unchanged stat."""
    make_library(tmp_path)
    write_entry(tmp_path, "practices/p0.md", practice(0))
    cache = ParseCache()
    load_library(tmp_path, cache=cache)
    load_library(tmp_path, cache=cache)
    assert (cache.hits, cache.unread) == (1, 0)


def test_a_vocabulary_edit_checks_again_only_the_entries_it_answers_otherwise(tmp_path, monkeypatch):
    """A new unit changes the check of the entry that named it (unknown
    before), not of the others; an alias of the unit the others name changes
    theirs. No YAML is read again either way."""
    import casebook.core.entry as entry_module
    import casebook.core.parsecache as parsecache_module

    make_library(tmp_path)
    for i in range(4):
        write_entry(tmp_path, f"practices/p{i}.md", practice(i))
    write_entry(tmp_path, "practices/bad.md", practice(9).replace("unit: 市妇联", "unit: 新设的单位"))
    cache = ParseCache()
    load_library(tmp_path, cache=cache)
    kept = {key: repr(c.read) for key, c in cache._files.items()}
    units = tmp_path / "cases" / "units.yml"
    units.write_text(units.read_text(encoding="utf-8").replace(
        "- name: 市财政局", "- name: 新设的单位\n  slug: xin-she\n  group: 政府部门\n- name: 市财政局", 1), encoding="utf-8")
    read_yaml = []
    monkeypatch.setattr(parsecache_module, "read_entry", lambda *a: read_yaml.append(a) or entry_module.read_entry(*a))
    cached = load_library(tmp_path, cache=cache)
    assert (cache.rechecked, cache.unaffected, cache.misses, read_yaml) == (1, 4, 0, [])
    assert snapshot(cached) == snapshot(load_library(tmp_path))  # the new unit is known now, as in a fresh load
    assert "新设的单位" in {e.unit.name for e in cached.entries}
    assert {key: repr(c.read) for key, c in cache._files.items()} == kept  # checking changed no reading
    units.write_text(units.read_text(encoding="utf-8").replace("市妇女联合会", "市妇女联合会（全称）"), encoding="utf-8")
    cached = load_library(tmp_path, cache=cache)
    assert (cache.rechecked, cache.unaffected, cache.misses, read_yaml) == (4, 1, 0, [])
    assert snapshot(cached) == snapshot(load_library(tmp_path))
    assert {e.unit.aliases for e in cached.entries if e.unit.name == "市妇联"} == {("市妇女联合会（全称）",)}


def test_a_question_the_record_does_not_know_fails_closed():
    """Whatever else a check might ask the vocabularies one day is never
    taken as answered alike: the entry is checked again."""
    from casebook.core.parsecache import Asked
    from casebook.core.vocab import Term, Vocabularies, Vocabulary

    units = Vocabulary("units")
    units.add(Term("市妇联", "shi-fu-lian", group="群团组织"))
    vocabs = Vocabularies({"units": units})
    asked = Asked(vocabs)
    assert asked["units"].resolve("市妇联").slug == "shi-fu-lian"
    assert Asked.same_answers(tuple(asked.answers), vocabs)
    other = Vocabulary("units")
    other.add(Term("市妇联", "fu-lian", group="群团组织"))
    assert not Asked.same_answers(tuple(asked.answers), Vocabularies({"units": other}))
    asked.by_name  # noqa: B018 - a question about the whole set
    assert not Asked.same_answers(tuple(asked.answers), vocabs)


def test_unchanged_entries_are_the_same_objects_and_keep_their_views(tmp_path):
    """The preview knows what did not change by identity: an unchanged
    entry is last load's object, and plan_site keeps its view; an edited
    entry is new, and so are the views of entries that show it."""
    from casebook.core.site import plan_site

    make_library(tmp_path)
    for i in range(4):
        write_entry(tmp_path, f"practices/p{i}.md", practice(i))
    write_entry(tmp_path, "warnings/c.md", GOOD_CASE)  # in compilations without p0
    cache = ParseCache()
    first = load_library(tmp_path, cache=cache)
    plan = plan_site(first)
    write_entry(tmp_path, "practices/p0.md", practice(0, extra="\n改了一句。\n"))
    second = load_library(tmp_path, cache=cache)
    again = plan_site(second, previous=plan)
    before = {e.slug: e for e in first.entries}
    for entry in second.entries:
        assert (entry is before[entry.slug]) == (entry.slug != "p0")
    for slug, view in again.entries.items():
        shows_p0 = slug == "p0" or any(r.slug == "p0" for r in view.related)
        assert (view is plan.entries[slug]) == (not shows_p0), slug
    assert snapshot(second) == snapshot(load_library(tmp_path))
    fresh = plan_site(load_library(tmp_path))
    assert again.entries == fresh.entries  # the kept views are what a fresh plan makes
    assert again.pages == fresh.pages  # compilations too, with the printed facts kept for unchanged entries
    assert all((again.facts[slug][1] is plan.facts[slug][1]) == (slug != "p0") for slug in again.facts)
    before = {c.name: c for c in plan.compilations}  # kept unless they hold the edited entry
    assert all((c is before[c.name]) == all(e.slug != "p0" for e in c.entries) for c in again.compilations)
    assert any(c is before[c.name] for c in again.compilations)
    pages_before = {p.src_uri: p for p in plan.pages}
    printed = [p for p in again.pages if p.template == "compilation.html"]
    parts_before = {id(part) for c in plan.compilations for part in c.printable}
    assert all((p is pages_before[p.src_uri]) == (id(p.data.compilation) in parts_before) for p in printed)
    assert any(p is pages_before[p.src_uri] for p in printed)
    assert again.compilations == fresh.compilations
