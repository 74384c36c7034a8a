"""Grouping, sorting and counting, done once; templates only render it.

Hugo-style taxonomies: for each vocabulary (and free tags, years, types) a
term list with counts, and for each term the entries that carry it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from casebook.core.entry import Entry
from casebook.core.fields import ENTRY_TYPES, EntryType
from casebook.core.slugs import slugify
from casebook.core.vocab import Vocabularies


@dataclass
class TermPage:
    """One term (unit, theme, year, tag) and its entries, newest first."""
    kind: str  # units / themes / years / tags / violations / outcomes / ranks
    name: str
    slug: str
    entries: list[Entry]
    group: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def url(self) -> str:
        return f"{self.kind}/{self.slug}/"

    @property
    def by_type(self) -> list[tuple[EntryType, list[Entry]]]:
        return group_by_type(self.entries)

    @property
    def link(self) -> TermLink:
        return TermLink(self.kind, self.name, self.slug, self.count, self.group, self.aliases)


@dataclass(frozen=True)
class TermLink:
    """A term as pages about something else show it: name, address, count,
    never its entries. Such a page is made from the link alone, so the
    preview renders it again only when these change (not when any of the
    term's entries does)."""
    kind: str
    name: str
    slug: str
    count: int
    group: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"{self.kind}/{self.slug}/"


@dataclass
class TermGroup:
    name: str
    terms: list[TermPage] | list[TermLink]

    @property
    def links(self) -> TermGroup:
        return TermGroup(self.name, [t.link for t in self.terms])

    @property
    def count(self) -> int:
        return sum(t.count for t in self.terms)


@dataclass
class TypeListing:
    type: EntryType
    entries: list[Entry]

    @property
    def count(self) -> int:
        return len(self.entries)


@dataclass
class Taxonomy:
    types: list[TypeListing]
    units: list[TermPage]
    unit_groups: list[TermGroup]
    themes: list[TermPage]
    years: list[TermPage]
    tags: list[TermPage]
    violations: list[TermPage]
    outcomes: list[TermPage]
    total: int
    tag_slugs: dict[str, str] = field(default_factory=dict)  # tag text -> slug
    ranks: list[TermPage] = field(default_factory=list)
    violation_groups: list[TermGroup] = field(default_factory=list)  # by discipline (六大纪律)
    outcome_groups: list[TermGroup] = field(default_factory=list)  # 党纪处分 / 政务处分 / ...


def group_by_type(entries: list[Entry]) -> list[tuple[EntryType, list[Entry]]]:
    buckets: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        buckets[entry.type.key].append(entry)
    return [(t, buckets[t.key]) for t in ENTRY_TYPES if buckets[t.key]]


def build_taxonomy(entries: list[Entry], vocabs: Vocabularies) -> Taxonomy:
    """``entries`` must already be sorted newest first; every list keeps that order."""
    units = _vocab_terms("units", vocabs, entries, lambda e: [e.unit])
    themes = _vocab_terms("themes", vocabs, entries, lambda e: e.themes)
    violations = _vocab_terms("violations", vocabs, entries, lambda e: e.violations)
    outcomes = _vocab_terms("outcomes", vocabs, entries, lambda e: e.outcomes)
    ranks = _vocab_terms("ranks", vocabs, entries, lambda e: [e.rank] if e.rank else [])

    by_year: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.year:  # an undated draft (preview only) is in no year
            by_year[entry.year].append(entry)
    years = [TermPage("years", y, y, by_year[y]) for y in sorted(by_year, reverse=True)]

    tag_slugs = _tag_slugs(entries)
    by_tag: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        for tag in dict.fromkeys(entry.tags):
            by_tag[tag].append(entry)
    tags = [TermPage("tags", tag, tag_slugs[tag], found) for tag, found in by_tag.items()]
    tags.sort(key=lambda t: (-t.count, t.slug))

    types = [TypeListing(t, [e for e in entries if e.type is t]) for t in ENTRY_TYPES]
    return Taxonomy(types, units, group_terms(units, vocabs["units"].groups()), themes, years, tags, violations,
                    outcomes, len(entries), tag_slugs, ranks,
                    group_terms(violations, vocabs["violations"].groups()),
                    group_terms(outcomes, vocabs["outcomes"].groups()))


def group_terms(pages: list[TermPage], order: list[str]) -> list[TermGroup]:
    """Terms by their group, groups in the vocabulary's order; terms without
    a group last, under 其他."""
    groups: dict[str, list[TermPage]] = {name: [] for name in order}
    for page in pages:
        groups.setdefault(page.group or "其他", []).append(page)
    return [TermGroup(name, found) for name, found in groups.items() if found]


def _vocab_terms(name: str, vocabs: Vocabularies, entries: list[Entry], terms_of) -> list[TermPage]:
    found: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        for term in terms_of(entry):
            found[term.name].append(entry)
    return [TermPage(name, t.name, t.slug, found[t.name], t.group, t.aliases) for t in vocabs[name].terms]


def _tag_slugs(entries: list[Entry]) -> dict[str, str]:
    """Free tags get pinyin slugs; two tags with the same pinyin get -2, -3."""
    counts = Counter(tag for e in entries for tag in e.tags)
    slugs: dict[str, str] = {}
    used: set[str] = set()
    for tag in sorted(counts, key=lambda t: (-counts[t], t)):
        base = slugify(tag)
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        slugs[tag] = slug
    return slugs


@dataclass
class Paged:
    """One page of a long listing."""
    number: int
    count: int  # how many pages
    entries: list[Entry]
    base_url: str  # e.g. practices/

    def url_of(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

    @property
    def url(self) -> str:
        return self.url_of(self.number)

    @property
    def previous_url(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.count else None


def paginate(entries: list[Entry], base_url: str, per_page: int) -> list[Paged]:
    count = max(1, -(-len(entries) // per_page))
    return [Paged(n + 1, count, entries[n * per_page:(n + 1) * per_page], base_url) for n in range(count)]
