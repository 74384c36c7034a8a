"""Minimal absent words: what makes the n-gram index exact for long words.

A word longer than three characters is looked up by its trigrams; an entry
holding every trigram may still lack the word (清廉机关建设 and 建设任务 in
different sentences hold every trigram of 清廉机关建设任务). A string is
absent from a text exactly when one of its factors is a *minimal absent
word* of that text: a string ``a + u + b`` that does not occur although
``a + u`` and ``u + b`` do. Holding every trigram rules out the ones of up
to three characters, so for each entry the index stores its minimal absent
words of four characters or more, and a long query word matches an entry
when the entry holds all its trigrams and none of the word's factors is one
of the entry's minimal absent words. No text is fetched to check.

How they are found: ``u`` must occur with two different characters before
it and two different ones after it (a run's start or end counts as one
character). The occurrences of ``u`` with two different characters before
it are found for the shortest ``u`` in bulk, from how often each ``u`` and
each ``a + u`` occur (``a + u`` rarer than ``u`` at some occurrence). Every
longer middle starts with one of them (having two characters before it is
kept by every shorter prefix), so the search grows each such group of
occurrences to the right, jumping over the characters all of them share
(there, nothing differs after ``u``) and splitting the group where they
part, as a suffix tree would; a group whose occurrences all have the same
character before them is dropped with everything longer.
"""

from __future__ import annotations

from collections import defaultdict, deque
from itertools import compress
from operator import lt

from casebook.search.text import MAX_GRAM, SEPARATOR, Factors, factors

_STEP = 16  # characters compared at once when occurrences go on alike


def minimal_absent_words(runs: list[str], shortest: int = 4) -> set[str]:
    """The minimal absent words of at least ``shortest`` (>= 3) characters of
    the text whose runs of letters and digits are ``runs`` (a word never
    spans two runs)."""
    return absent_words(factors(runs, shortest - 1), shortest)


def absent_words(found: Factors, shortest: int = MAX_GRAM + 1) -> set[str]:
    """``minimal_absent_words`` of the runs ``found`` was cut from (it must
    hold the grams of ``shortest - 1`` characters)."""
    size = shortest - 2  # length of the shortest middle part
    chars, middles, extended = found.grams[0], found.grams[size - 1], found.grams[size]
    middle_counts, extended_counts = found.counts[size - 1], found.counts[size]
    # middles[i] has two characters before it where its left extension extended[i - 1] is rarer than itself
    branching = compress(range(1, len(middles)),
                         map(lt, map(extended_counts.__getitem__, extended), map(middle_counts.__getitem__, middles[1:])))
    groups: dict[str, list[int]] = defaultdict(list)
    at = list(branching)  # each into the group of its middle, by C-level maps (no loop per position)
    deque(map(list.append, map(groups.__getitem__, map(middles.__getitem__, at)), at), maxlen=0)
    return grow(found.text, chars, [(size, where) for middle, where in groups.items() if SEPARATOR not in middle])


def grow(text: str, chars: list[str], stack: list[tuple[int, list[int]]]) -> set[str]:
    """The minimal absent words whose middle starts with a group's middle.
    A group is (depth, positions): the positions in ``text`` (its runs
    joined by SEPARATOR, one at each end; ``chars`` its characters, as a
    list: indexing a string makes a new string each time) of one string of
    ``depth`` letters with two different characters before it. ``bulk.py``
    finds the groups of many texts at once, takes their first step there
    and grows the rest here."""
    result: set[str] = set()
    while stack:
        depth, where = stack.pop()
        lefts_list = [chars[i - 1] for i in where]
        lefts = set(lefts_list)
        if len(lefts) < 2:
            continue  # so for every longer middle starting here
        rights_list = [chars[i + depth] for i in where]
        rights = set(rights_list)
        if len(rights) < 2:
            if SEPARATOR in rights:
                continue  # every occurrence ends its run here
            depth = _parting(text, where, depth + 1)
            rights_list = [chars[i + depth] for i in where]
            rights = set(rights_list)
            if len(rights) < 2:
                continue
        pairs = set(zip(lefts_list, rights_list))
        if len(pairs) < len(lefts) * len(rights):
            middle = text[where[0]:where[0] + depth]
            lefts.discard(SEPARATOR)
            for right in rights:
                if right != SEPARATOR:
                    for left in lefts:
                        if (left, right) not in pairs:
                            result.add(left + middle + right)
        if len(rights) < len(where):  # some go on with the same character
            children: dict[str, list[int]] = defaultdict(list)
            for i, right in zip(where, rights_list):
                children[right].append(i)
            children.pop(SEPARATOR, None)
            stack.extend((depth + 1, group) for group in children.values() if len(group) > 1)
    return result


def _parting(text: str, where: list[int], depth: int) -> int:
    """The first depth from ``depth`` on where the occurrences ``where``
    differ or one of them reaches a separator."""
    while True:
        pieces = [text[i + depth:i + depth + _STEP] for i in where]
        low, high = min(pieces), max(pieces)  # what all share, these two share
        same = 0
        for a, b in zip(low, high):
            if a != b or a == SEPARATOR:
                break
            same += 1
        depth += same
        if same < _STEP:
            return depth
