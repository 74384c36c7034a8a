"""related_entries after the first call computes again only the entries
whose answer can change: after any sequence of edits (entries added and
deleted, terms, dates and ``related`` changed) its answer equals one
computed from scratch."""

from __future__ import annotations

import copy
import random

import casebook.core.related as related_module
from casebook.core.library import load_library
from casebook.core.related import related_entries
from libtools import gen_corpus


def _answer(result) -> dict[str, list[str]]:
    return {slug: [e.slug for e in found] for slug, found in result.items()}


def _from_scratch(entries, limit):
    kept = related_module._last
    related_module._last = None
    try:
        return _answer(related_entries(entries, limit))
    finally:
        related_module._last = kept


def test_edits_give_the_answer_computed_from_scratch(tmp_path, monkeypatch):
    monkeypatch.setattr(related_module, "WINDOW", 3)  # windows much shorter than the terms' lists
    monkeypatch.setattr(related_module, "_last", None)
    library = load_library(gen_corpus().generate(120, tmp_path / "lib", seed=5), include_drafts=False)
    pool = list(library.entries)
    themes = sorted({t for e in pool for t in e.themes}, key=lambda t: t.name)
    rng = random.Random(3)
    present = rng.sample(pool, 80)
    kinds = set()
    for step in range(60):
        kind = rng.choice(["add", "delete", "themes", "date", "related", "nothing"])
        shown = {e.slug for e in present}
        if kind == "add":
            present.append(rng.choice([e for e in pool if e.slug not in shown]))
        elif kind == "delete":
            gone = present.pop(rng.randrange(len(present)))
            present = [_without(e, gone.slug) for e in present]
        else:
            i = rng.randrange(len(present))
            entry = present[i] = copy.copy(present[i])
            entry.values = dict(entry.values)
            if kind == "themes":
                entry.themes = rng.sample(themes, rng.randint(1, 3))
            elif kind == "date":
                entry.date = rng.choice(present).date
            elif kind == "related":
                entry.related = [e.slug for e in rng.sample(present, 2)]
        kinds.add(kind)
        present.sort(key=lambda e: e.sort_key)
        limit = 6 if step != 40 else 4  # another limit: computed from scratch
        assert _answer(related_entries(present, limit)) == _from_scratch(present, limit), (step, kind)
    assert kinds == {"add", "delete", "themes", "date", "related", "nothing"}


def _without(entry, slug):
    if slug not in entry.related:
        return entry
    entry = copy.copy(entry)
    entry.values = dict(entry.values)
    entry.related = [s for s in entry.related if s != slug]
    return entry
