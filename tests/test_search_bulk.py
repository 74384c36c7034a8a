"""A build files every record's keys at once (``search.bulk``, numpy); the
preview files them record by record (``index.record_keys``, checked against
the definitions in test_search_keys.py). Both must give the same postings:
the same keys, each with the same records in the same order. Records are
drawn at random: windows of real reports and generated entries, random
Unicode (astral letters, full width, lone surrogates, NUL), tiny alphabets
and long repeats (many minimal absent words), empty fields."""

from __future__ import annotations

import random

import pytest
from casebook.search import bulk
from casebook.search.index import SETS, IndexWriter, KeysCache
from casebook.search.text import letter_ranges
from test_search_keys import SHAPES, _random_unicode, _window


def _one_by_one(texts: list[tuple[str, ...]]):
    """The record-by-record postings (the preview's path: a writer with a cache)."""
    return IndexWriter(cache=KeysCache())._postings(texts)


def _as_lists(postings) -> tuple:
    return tuple({key: ids.tolist() for key, ids in field.items()} for field in postings)


def _assert_same(texts: list[tuple[str, ...]]) -> None:
    grams, absent = bulk.postings(texts, len(SETS))
    expected_grams, expected_absent = _one_by_one(texts)
    assert _as_lists(grams) == _as_lists(expected_grams)
    assert _as_lists(absent) == _as_lists(expected_absent)


def _field(rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return ""
    if kind == 1:
        return _random_unicode(rng)
    if kind == 2:
        return "，".join(SHAPES[rng.choice(sorted(SHAPES))](rng))
    return _window(rng, rng.choice([30, 300, 3000]))


def _records(rng: random.Random, count: int) -> list[tuple[str, ...]]:
    return [tuple(_field(rng) for _ in SETS) for _ in range(count)]


@pytest.mark.parametrize("seed", range(12))
def test_bulk_postings_are_the_record_by_record_postings(seed):
    _assert_same(_records(random.Random(seed), random.Random(seed).randint(1, 60)))


@pytest.mark.parametrize("batch", [1, 40, 1000])
def test_batches_of_any_size_give_the_same_postings(monkeypatch, batch):
    """Records are filed batch by batch (a batch ends once it holds
    ``BATCH_CHARS`` characters): a key's records from several batches join
    in order."""
    monkeypatch.setattr(bulk, "BATCH_CHARS", batch)
    _assert_same(_records(random.Random(batch), 50))


def test_a_batch_with_too_many_characters_to_pack_is_halved():
    """A gram of three characters and its record share 64 bits: 1,500 records
    over every letter Unicode has need more, so the batch is cut in halves
    (down to one record, whose trigram of any three characters fits)."""
    letters = [chr(cp) for first, last in letter_ranges() for cp in range(first, last + 1)]
    rng = random.Random(3)
    rng.shuffle(letters)
    per = len(letters) // 1500 + 1
    texts = [("".join(letters[i * per:(i + 1) * per]), "", rng.choice(letters) * 5, "") for i in range(1500)]
    assert len({c for t in texts for c in t[0]}) > 1 << 17  # more than 17 bits a character
    _assert_same(texts)


def test_no_records_and_records_without_letters():
    assert bulk.postings([], len(SETS)) == (({},) * len(SETS), ({},) * len(SETS))
    _assert_same([("", "，。", " \n", "")] * 3)


def test_groups_too_many_to_pack_with_their_characters_grow_in_python(monkeypatch):
    """Where a group's number and two characters do not fit in one number,
    every group takes its first step in Python too: the same postings."""
    monkeypatch.setattr(bulk, "PACKED_BITS", 12)  # (the arithmetic stays 64-bit: only the choice changes)
    _assert_same(_records(random.Random(7), 30))
