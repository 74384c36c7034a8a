"""Related entries: the editor's ``related`` first, then by shared themes,
unit and tags (Hugo-style weighted indices), in a stable order."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from casebook.core.entry import Entry

THEME_WEIGHT, UNIT_WEIGHT, TAG_WEIGHT = 3, 2, 1
WINDOW = 40
_WEIGHTS = {"theme": THEME_WEIGHT, "unit": UNIT_WEIGHT, "tag": TAG_WEIGHT}


@dataclass
class _Last:
    """The last call's input and answer (the preview rebuilds with mostly the same input)."""
    limit: int
    own: dict[str, tuple]  # slug -> (sort key, ``related``, terms): what its own answer starts from
    index: dict[tuple[str, str], list[str]]  # term -> slugs carrying it, in library order
    chosen: dict[str, list[str]]  # slug -> slugs of its related entries


_last: _Last | None = None


def related_entries(entries: list[Entry], limit: int = 6) -> dict[str, list[Entry]]:
    """For every entry, up to ``limit`` related entries. Built from inverted
    indices so the cost follows shared terms, not entries squared. After the
    first call only the entries whose answer can differ from the last call's
    are computed again (``_stale``): a new or deleted entry, or one whose
    terms, date or ``related`` changed, and those near it in a term's list."""
    global _last
    by_slug = {e.slug: e for e in entries}
    keys = {e.slug: tuple(_keys(e)) for e in entries}
    order = {e.slug: e.sort_key for e in entries}
    own = {e.slug: (order[e.slug], tuple(dict.fromkeys(e.related)), keys[e.slug]) for e in entries}
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in entries:
        for key in keys[entry.slug]:
            index[key].append(entry.slug)
    last = _last if _last is not None and _last.limit == limit else None
    stale = set(own) if last is None else _stale(last, own, index, keys)
    chosen = {slug: found for slug, found in last.chosen.items() if slug not in stale} if last else {}
    chosen.update(_related([e for e in entries if e.slug in stale], by_slug, keys, order, limit, index))
    _last = _Last(limit, own, dict(index), chosen)
    return {e.slug: [by_slug[s] for s in chosen[e.slug]] for e in entries}


def _stale(last: _Last, own: dict[str, tuple], index: dict[tuple[str, str], list[str]],
           keys: dict[str, tuple]) -> set[str]:
    """Entries whose answer may differ from the last call's. An answer is
    made from the entry's own terms, date and ``related``, and from the
    window of entries around it in each of its terms' lists (their dates
    break ties): so the entries that changed themselves, those whose window
    reaches into the part of a list that changed, and those whose window
    holds an entry that changed."""
    changed = {slug for slug, mine in own.items() if last.own.get(slug) != mine}
    stale = set(changed)
    for key in index.keys() | last.index.keys():
        now, before = index.get(key, []), last.index.get(key, [])
        if now == before:
            continue
        first = next((i for i, (a, b) in enumerate(zip(now, before)) if a != b), min(len(now), len(before)))
        tail = next((i for i, (a, b) in enumerate(zip(reversed(now), reversed(before))) if a != b),
                    min(len(now), len(before)))
        tail = min(tail, len(now) - first, len(before) - first)  # the common head and tail do not overlap
        stale.update(now[max(0, first - WINDOW):len(now) - tail + WINDOW])
    for slug in changed:
        for key in keys.get(slug, ()):
            slugs = index[key]
            at = slugs.index(slug)
            stale.update(slugs[max(0, at - WINDOW):at + WINDOW + 1])
    return stale & own.keys()


def _related(entries: list[Entry], by_slug: dict[str, Entry], keys: dict[str, tuple], order: dict[str, tuple],
             limit: int, index: dict[tuple[str, str], list[str]]) -> dict[str, list[str]]:
    """The answers of ``entries`` (slugs); ``keys``: each entry's terms
    (``_keys``); ``order``: its sort key (read once, not per comparison);
    ``index``: every entry's slug under each of its terms, in library order."""
    position: dict[tuple[tuple[str, str], str], int] = {}
    for entry in entries:
        for key in keys[entry.slug]:
            if (key, entry.slug) not in position:
                slugs = index[key]
                position.update(((key, s), i) for i, s in enumerate(slugs))

    result: dict[str, list[str]] = {}
    for entry in entries:
        chosen = [s for s in dict.fromkeys(entry.related) if s in by_slug and s != entry.slug]
        scores: Counter[str] = Counter()
        for key in keys[entry.slug]:
            # Only the entries nearest in date within a term: keeps the cost
            # linear in the library size when a term is on thousands of entries.
            at = position[(key, entry.slug)]
            window = index[key][max(0, at - WINDOW): at + WINDOW]
            for _ in range(_WEIGHTS[key[0]]):  # counted in C, once per unit of weight
                scores.update(window)
        scores.pop(entry.slug, None)
        for slug in chosen:
            scores.pop(slug, None)
        result[entry.slug] = chosen + _best(scores, max(0, limit - len(chosen)), order)
    return result


def _best(scores: dict[str, int], count: int, order: dict[str, tuple]) -> list[str]:
    """The ``count`` first of ``scores`` by (highest score, then ``order``):
    ``sorted(scores, key=...)[:count]``, but with the lowest score taken
    found first, so only the few above it and the ties at it are sorted."""
    if count <= 0 or not scores:
        return []
    if len(scores) <= count:
        return sorted(scores, key=lambda s: (-scores[s], order[s]))
    lowest = sorted(scores.values(), reverse=True)[count - 1]
    above = sorted([s for s, v in scores.items() if v > lowest], key=lambda s: (-scores[s], order[s]))
    tied = sorted([s for s, v in scores.items() if v == lowest], key=order.__getitem__)
    return above + tied[:count - len(above)]


def _keys(entry: Entry):
    for theme in entry.themes:
        yield ("theme", theme.name)
    yield ("unit", entry.unit.name)
    for tag in entry.tags:
        yield ("tag", tag)
