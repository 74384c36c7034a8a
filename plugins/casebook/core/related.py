"""Related entries: the editor's ``related`` first, then by shared themes,
unit and tags (Hugo-style weighted indices), in a stable order."""

from __future__ import annotations

import heapq
from collections import defaultdict

from casebook.core.entry import Entry

THEME_WEIGHT, UNIT_WEIGHT, TAG_WEIGHT = 3, 2, 1
WINDOW = 40
_WEIGHTS = {"theme": THEME_WEIGHT, "unit": UNIT_WEIGHT, "tag": TAG_WEIGHT}


_last: tuple[tuple, dict[str, list[str]]] | None = None  # one-slot memo: the preview rebuilds with mostly the same input


def related_entries(entries: list[Entry], limit: int = 6) -> dict[str, list[Entry]]:
    """For every entry, up to ``limit`` related entries. Built from inverted
    indices so the cost follows shared terms, not entries squared. The same
    input as the last call (an edit that changed no term, date or ``related``)
    gives the last answer without computing it again."""
    global _last
    by_slug = {e.slug: e for e in entries}
    keys = {e.slug: tuple(_keys(e)) for e in entries}
    order = {e.slug: e.sort_key for e in entries}
    signature = (limit, tuple((e.slug, order[e.slug], tuple(dict.fromkeys(e.related)), keys[e.slug]) for e in entries))
    if _last is not None and _last[0] == signature:
        return {slug: [by_slug[s] for s in chosen] for slug, chosen in _last[1].items()}
    result = _related(entries, by_slug, keys, order, limit)
    _last = (signature, {slug: [e.slug for e in chosen] for slug, chosen in result.items()})
    return result


def _related(entries: list[Entry], by_slug: dict[str, Entry], keys: dict[str, tuple], order: dict[str, tuple],
             limit: int) -> dict[str, list[Entry]]:
    """``keys``: each entry's terms (``_keys``); ``order``: its sort key (read once, not per comparison)."""
    index: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    position: dict[tuple[tuple[str, str], str], int] = {}
    for entry in entries:
        for key in keys[entry.slug]:
            position[(key, entry.slug)] = len(index[key])
            index[key].append(entry)

    result: dict[str, list[Entry]] = {}
    for entry in entries:
        chosen = [by_slug[s] for s in dict.fromkeys(entry.related) if s in by_slug and s != entry.slug]
        scores: dict[str, int] = defaultdict(int)
        for key in keys[entry.slug]:
            weight = _WEIGHTS[key[0]]
            # Only the entries nearest in date within a term: keeps the cost
            # linear in the library size when a term is on thousands of entries.
            at = position[(key, entry.slug)]
            for other in index[key][max(0, at - WINDOW): at + WINDOW]:
                scores[other.slug] += weight
        scores.pop(entry.slug, None)
        for slug in [s.slug for s in chosen]:
            scores.pop(slug, None)
        ranked = heapq.nsmallest(max(0, limit - len(chosen)), scores, key=lambda s: (-scores[s], order[s]))
        chosen += [by_slug[s] for s in ranked]
        result[entry.slug] = chosen
    return result


def _keys(entry: Entry):
    for theme in entry.themes:
        yield ("theme", theme.name)
    yield ("unit", entry.unit.name)
    for tag in entry.tags:
        yield ("tag", tag)
