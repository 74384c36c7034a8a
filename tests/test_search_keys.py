"""The keys an entry is indexed by (runs, grams, minimal absent words),
computed the fast way (one cut of each text, ``search.text.factors``),
against simple references: the former per-run implementation of runs and
grams, and minimal absent words by their definition. Inputs are drawn at
random: tiny alphabets (many repeats), long repeats, single characters,
separated runs, and windows of real reports (``/work/shared/seeds``) and of
``scripts/gen_corpus.py`` entries."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest
from casebook.search.absent import minimal_absent_words
from casebook.search.index import record_keys
from casebook.search.text import BMP_LAST, letter_ranges, normalise, runs, text_grams
from conftest import SEEDS
from libtools import gen_corpus

ROOT = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def _all_letters_re() -> re.Pattern:
    """The former run pattern: one class of every letter range."""
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in letter_ranges()) + "]+")


def _reference_runs(normalised: str) -> list[str]:
    return _all_letters_re().findall(normalised)


def _reference_grams(normalised: str) -> set[str]:
    """The former implementation: every slice of 1 to 3 characters of every run."""
    grams: set[str] = set()
    for run in _reference_runs(normalised):
        for size in (1, 2, 3):
            grams.update(run[i:i + size] for i in range(len(run) - size + 1))
    return grams


def _defined_absent_words(runs_: list[str], shortest: int) -> set[str]:
    """By the definition: a + u + b of at least ``shortest`` characters that
    occurs in no run although a + u and u + b do."""
    present = {run[i:j] for run in runs_ for i in range(len(run)) for j in range(i + 1, len(run) + 1)}
    before: dict[str, set[str]] = defaultdict(set)
    after: dict[str, set[str]] = defaultdict(set)
    for factor in present:
        if len(factor) > 1:
            before[factor[1:]].add(factor[0])
            after[factor[:-1]].add(factor[-1])
    return {a + u + b for u in present if len(u) >= shortest - 2
            for a in before.get(u, ()) for b in after.get(u, ()) if a + u + b not in present}


def _real_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    generator = gen_corpus().Generator(11)
    texts += [generator.entry(number)[2] for number in range(1, 25)]
    return texts


REAL = _real_texts()


def _window(rng: random.Random, longest: int) -> str:
    text = rng.choice(REAL)
    start = rng.randrange(len(text))
    return text[start:start + rng.randint(1, longest)]


def _small_alphabet(rng: random.Random) -> list[str]:
    alphabet = rng.choice(["a", "ab", "abc", "廉政党课", "abcdefgh"])
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(rng.randint(0, 6))]


def _long_repeats(rng: random.Random) -> list[str]:
    """A phrase repeated within and across runs, sometimes with one character changed."""
    phrase = "".join(rng.choice("清廉机关建设任务abc12") for _ in range(rng.randint(3, 40)))
    out = []
    for _ in range(rng.randint(1, 5)):
        run = phrase * rng.randint(1, 3)
        if rng.random() < 0.5:
            at = rng.randrange(len(run))
            run = run[:at] + rng.choice("清廉xyz") + run[at + 1:]
        out.append(run[rng.randrange(len(run) // 2 + 1):])
    return out


def _single_characters(rng: random.Random) -> list[str]:
    return [rng.choice("abc廉") * rng.choice([1, 1, 2, 3, 7]) for _ in range(rng.randint(1, 12))]


SHAPES = {"small alphabet": _small_alphabet, "long repeats": _long_repeats, "single characters": _single_characters}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", range(60))
def test_absent_words_match_the_definition_on_made_up_runs(shape, seed):
    rng = random.Random(f"{shape}-{seed}")
    runs_ = SHAPES[shape](rng)
    for shortest in (3, 4, 5):
        assert minimal_absent_words(runs_, shortest) == _defined_absent_words(runs_, shortest), (runs_, shortest)


@pytest.mark.parametrize("seed", range(40))
def test_absent_words_match_the_definition_on_real_text(seed):
    rng = random.Random(seed)
    runs_ = runs(normalise(_window(rng, 3000)))
    assert minimal_absent_words(runs_, 4) == _defined_absent_words(runs_, 4)
    assert minimal_absent_words(runs_, 3) == _defined_absent_words(runs_, 3)


def test_absent_words_of_whole_reports():
    for text in REAL[:5]:
        runs_ = runs(normalise(text))
        assert minimal_absent_words(runs_, 4) == _defined_absent_words(runs_, 4)


def test_absent_words_of_a_run_and_its_copy_and_of_nothing():
    assert minimal_absent_words([], 4) == set()
    assert minimal_absent_words(["", ""], 4) == set()
    assert minimal_absent_words(["清廉机关建设", "清廉机关建设"], 4) == set()
    assert minimal_absent_words(["abcx", "ybcd"], 4) == {"abcd", "ybcx"}


def _random_unicode(rng: random.Random) -> str:
    """Letters, digits, punctuation, full width, astral letters and symbols, marks."""
    pools = ["abcXYZ019", "清廉机关建设任务", "，。、“”；：（）《》 \n\t_-", "ＡＢＣ１２３　", "𠀀𠀁𝟘𝟙𐐀😀🀄",
             "\u0301\u00e9\u0130ǅⅫ½", "\ud800\uffff\u0000"]
    return "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 80)))


@pytest.mark.parametrize("seed", range(40))
def test_runs_and_grams_match_the_former_implementation(seed):
    rng = random.Random(seed)
    for text in (_random_unicode(rng), _window(rng, 2000)):
        normalised = normalise(text)
        assert runs(normalised) == _reference_runs(normalised), text
        assert text_grams(normalised) == _reference_grams(normalised), text


def test_bmp_letter_ranges_are_the_full_ranges_cut_at_the_bmp():
    assert letter_ranges(BMP_LAST) == tuple((a, min(b, BMP_LAST)) for a, b in letter_ranges() if a <= BMP_LAST)


@pytest.mark.parametrize("seed", range(15))
def test_record_keys_match_the_references(seed):
    """title, metadata, body, aliases of a made-up record: the keys the index stores."""
    rng = random.Random(seed)
    texts = (_window(rng, 40), _window(rng, 120), _window(rng, 3000), rng.choice(["", "妇联 市妇联", _window(rng, 30)]))
    grams, absent = record_keys(texts)
    assert grams == tuple(_reference_grams(normalise(t)) for t in texts)
    assert absent == tuple(_defined_absent_words(_reference_runs(normalise(t)), 4) for t in texts)
