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

Only a factor ``u`` that occurs at least twice can be the middle of one
(with a single occurrence, its one left and one right neighbour occur
together), so the search grows repeated factors one character at a time.
"""

from __future__ import annotations

from collections import defaultdict


def minimal_absent_words(runs: list[str], shortest: int = 4) -> set[str]:
    """The minimal absent words of at least ``shortest`` (>= 3) characters of
    the text whose runs of letters and digits are ``runs`` (a word never
    spans two runs)."""
    text = "\0".join(runs)  # \0 is in no run: it stops every factor
    size = shortest - 2  # length of the middle part
    places: dict[str, list[int]] = defaultdict(list)
    for i in range(len(text) - size + 1):
        places[text[i:i + size]].append(i)
    found: set[str] = set()
    end = len(text)
    while places:
        longer: dict[str, list[int]] = defaultdict(list)
        for middle, where in places.items():
            if len(where) < 2 or "\0" in middle:
                continue
            lefts, rights, pairs = set(), set(), set()
            for i in where:
                left = text[i - 1] if i else "\0"
                right = text[i + size] if i + size < end else "\0"
                if left != "\0":
                    lefts.add(left)
                if right != "\0":
                    rights.add(right)
                    longer[middle + right].append(i)
                    if left != "\0":
                        pairs.add(left + right)
            if len(lefts) > 1 or len(rights) > 1 or not pairs:
                for left in lefts:
                    for right in rights:
                        if left + right not in pairs:
                            found.add(left + middle + right)
        places = longer
        size += 1
    return found
