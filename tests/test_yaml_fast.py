"""Front matter is parsed by libyaml (C) when its text cannot hold what the
pure-Python loader refuses; anything libyaml finds wrong is read again by
the pure-Python loader. Both must give the same: the same values, the same
lines, and the same problems, on real front matter and on broken variants of it."""

from __future__ import annotations

import random

import pytest
import yaml
from casebook.core.entry import split_front_matter
from casebook.core.yamlsource import (
    LineDict,
    LineList,
    LineLoader,
    _fast_enough,
    load_yaml,
)
from conftest import ROOT, vocabulary_files
from libtools import gen_corpus

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")


def _shape(value):
    """Everything a loaded value carries: types, values, lines."""
    if isinstance(value, LineDict):
        return ("map", value.line, sorted(value.key_lines.items(), key=repr),
                sorted(((k, [(line, _shape(v)) for line, v in vs]) for k, vs in value.repeated.items()), key=repr),
                sorted(value.raw.items(), key=repr), [(repr(k), _shape(v)) for k, v in value.items()])
    if isinstance(value, LineList):
        return ("seq", value.line, value.item_lines, [_shape(v) for v in value])
    return (type(value).__name__, repr(value))


def _outcome(load, text):
    try:
        return ("ok", _shape(load(text)))
    except yaml.YAMLError as error:
        return ("error", str(error))


def _pure(text):
    return yaml.load(text, Loader=LineLoader)  # noqa: S506 - a safe constructor


@pytest.fixture(scope="module")
def front_matters(tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("corpus")
    gen_corpus().generate(300, out)
    texts = []
    for folder in (ROOT / "cases", out / "cases"):
        for path in sorted(folder.rglob("*.md")):
            front, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
            if front is not None:
                texts.append(front)
    texts += [p.read_text(encoding="utf-8") for p in vocabulary_files(ROOT / "cases")]
    return texts


def test_real_front_matter_is_read_the_same_and_fast(front_matters):
    fast = [t for t in front_matters if _fast_enough(t)]
    assert len(fast) >= 0.9 * len(front_matters)  # nearly every entry takes the fast path
    for text in front_matters:
        assert _outcome(load_yaml, text) == _outcome(_pure, text), text


# What editors get wrong, and what an attacker tries: quotes, colons,
# brackets, indentation, tabs, control and special characters.
NOISE = [*":-[]{},#'\"|>?%@`&*!<= \n\t", "\x00", "\x07", "\x1b", "\x85", "\u2028", "\ufeff", "\U0001f600",
         "：", "，", "、", "  ", "\n  ", "\n- ", ": ", "- ", "- - - ", "[[", "]]", "{a: ", "\r\n", "\r", "\\"]


def test_broken_front_matter_gets_the_same_answer(front_matters):
    rng = random.Random(20261123)
    checked = fast = 0
    for _ in range(3000):
        text = list(rng.choice(front_matters))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.3 and text:
                del text[min(at, len(text) - 1)]
            else:
                text.insert(at, rng.choice(NOISE))
        broken = "".join(text)
        fast += _fast_enough(broken)
        assert _outcome(load_yaml, broken) == _outcome(_pure, broken), repr(broken)
        checked += 1
    assert fast >= checked // 4  # the fast path was really exercised


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: !!python/object:os.system x\n", "a:\n\tb: 1\n",
                                  "a: " + "[" * 3000 + "]" * 3000, "- " * 3000 + "x"])
def test_what_only_the_pure_loader_can_refuse_never_takes_the_fast_path(text):
    assert not _fast_enough(text)
    assert _outcome(load_yaml, text) == _outcome(_pure, text)
