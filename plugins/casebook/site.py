"""What the site consists of: the generated pages, their URLs, titles,
templates and data. The adapter turns this plan into generator pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from .entry import Entry
from .fields import ENTRY_TYPES, FIELD_BY_KEY, TYPE_BY_KEY
from .library import Library
from .related import related_entries
from .taxonomy import Taxonomy, TermGroup, TermPage, build_taxonomy, group_by_type, paginate

PER_PAGE = 30  # entries on one page of a listing
LATEST_ON_HOME = 8

HOME = ("首页", "")
SECTIONS = {  # nav section of each kind of page: (title, url)
    "units": ("按单位", "units/"),
    "themes": ("按主题", "themes/"),
    "years": ("按年份", "years/"),
    "tags": ("标签", "tags/"),
    "stats": ("统计", "stats/"),
    "problems": ("内容问题", "problems/"),
}
TYPE_SECTIONS = {t.key: (t.label, f"{t.folder}/") for t in ENTRY_TYPES}


@dataclass
class PlannedPage:
    src_uri: str  # where the generator puts it; decides the URL
    title: str
    template: str  # under casebook/
    data: dict = field(default_factory=dict)
    crumbs: list[tuple[str, str]] = field(default_factory=list)  # (title, url) above this page


@dataclass
class SitePlan:
    pages: list[PlannedPage]
    entries: dict[str, dict]  # slug -> data for the entry page
    home: dict
    taxonomy: Taxonomy

    def page_data(self, src_uri: str) -> PlannedPage | None:
        return self._by_uri.get(src_uri)

    def __post_init__(self):
        self._by_uri = {p.src_uri: p for p in self.pages}


def plan_site(library: Library, per_page: int = PER_PAGE) -> SitePlan:
    entries = library.entries
    tax = build_taxonomy(entries, library.vocabs)
    pages: list[PlannedPage] = []

    for listing in tax.types:
        label, url = TYPE_SECTIONS[listing.type.key]
        for paged in paginate(listing.entries, url, per_page):
            title = label if paged.number == 1 else f"{label}（第 {paged.number} 页）"
            crumbs = [HOME] if paged.number == 1 else [HOME, (label, url)]
            pages.append(PlannedPage(_uri(paged.url), title, "listing.html",
                                     {"type": listing.type, "paged": paged, "count": listing.count}, crumbs))

    pages.append(PlannedPage("units/index.md", "按单位", "units.html", {"groups": tax.unit_groups}, [HOME]))
    pages.append(PlannedPage("themes/index.md", "按主题", "terms.html",
                             {"kind": "themes", "terms": tax.themes}, [HOME]))
    pages.append(PlannedPage("years/index.md", "按年份", "terms.html", {"kind": "years", "terms": tax.years}, [HOME]))
    pages.append(PlannedPage("tags/index.md", "标签", "terms.html", {"kind": "tags", "terms": tax.tags}, [HOME]))
    for term in [*tax.units, *tax.themes, *tax.years, *tax.tags]:
        pages.extend(_term_pages(term, per_page))
    pages.append(PlannedPage("stats/index.md", "统计", "stats.html", {"stats": _stats(library, tax)}, [HOME]))
    pages.append(PlannedPage("search/index.md", "搜索", "search.html", {}, [HOME]))
    if library.problems and library.profile != "public":
        pages.append(PlannedPage("problems/index.md", "内容问题", "problems.html",
                                 {"problems": library.problems}, [HOME]))

    related = related_entries(entries)
    entry_data = {
        e.slug: {"entry": e, "related": related.get(e.slug, []), "panel": entry_panel(e, tax),
                 "crumbs": [HOME, TYPE_SECTIONS[e.type.key]]}
        for e in entries
    }
    home = {
        "totals": [(t.type, t.count) for t in tax.types],
        "total": tax.total,
        "latest": entries[:LATEST_ON_HOME],
        "unit_groups": [TermGroup(g.name, [t for t in g.terms if t.count]) for g in tax.unit_groups],
        "themes": sorted((t for t in tax.themes if t.count), key=lambda t: -t.count),
        "years": tax.years,
        "problems": library.problems if library.profile != "public" else [],
    }
    return SitePlan(pages, entry_data, home, tax)


def _uri(url: str) -> str:
    return f"{url}index.md"


def _term_pages(term: TermPage, per_page: int) -> list[PlannedPage]:
    section = SECTIONS[term.kind]
    ordered = [e for _, group in group_by_type(term.entries) for e in group]  # by type, newest first
    result = []
    for paged in paginate(ordered, term.url, per_page):
        title = term.name if paged.number == 1 else f"{term.name}（第 {paged.number} 页）"
        crumbs = [HOME, section] if paged.number == 1 else [HOME, section, (term.name, term.url)]
        result.append(PlannedPage(_uri(paged.url), title, "term.html",
                                  {"term": term, "paged": paged, "by_type": group_by_type(paged.entries),
                                   "section": section}, crumbs))
    return result


_SEARCH_LABELS = {"unit": "单位", "theme": "主题", "violation": "违纪类型", "outcome": "处理结果"}


def entry_panel(entry: Entry, tax: Taxonomy) -> list[dict]:
    """The metadata panel rows, in field order: label, and values with links."""
    def row(key, values):
        return {"key": key, "label": FIELD_BY_KEY[key].label if key in FIELD_BY_KEY else key, "links": values}

    def link(text, url=None, search=None):
        # search: (URL parameter, value) of the facet search for this value on /search/
        if not search:
            return {"text": text, "url": url, "search": None}
        param, value = search
        what = f" {value} 年" if param == "year" else f"{_SEARCH_LABELS[param]}为“{value}”"
        return {"text": text, "url": url, "search": urlencode([search]), "search_title": f"搜索{what}的全部条目"}

    rows = [
        row("type", [link(entry.type.label, f"{entry.type.folder}/")]),
        row("unit", [link(entry.unit.name, f"units/{entry.unit.slug}/", ("unit", entry.unit.name))]),
        row("date", [link(entry.date, f"years/{entry.year}/", ("year", entry.year)) if entry.date
                     else link("待填写（草稿）")]),
        row("themes", [link(t.name, f"themes/{t.slug}/", ("theme", t.name)) for t in entry.themes]),
    ]
    if entry.report_kind:
        rows.append(row("report_kind", [link(entry.report_kind)]))
    if entry.type.key == "case":
        rows.append(row("violations", [link(v.name, search=("violation", v.name)) for v in entry.violations]))
        rows.append(row("outcomes", [link(o.name + (f"（{o.group}）" if o.group else ""), search=("outcome", o.name))
                                     for o in entry.outcomes]))
        if entry.person:
            rows.append(row("person", [link(entry.person)]))
    if entry.tags:
        rows.append(row("tags", [link(t, f"tags/{tax.tag_slugs[t]}/") for t in entry.tags]))
    if entry.source:
        rows.append(row("source", [link(entry.source)]))
    if entry.audience == "internal":
        rows.append(row("audience", [link("内部（公开版站点不包含）")]))
    return rows


def _stats(library: Library, tax: Taxonomy) -> dict:
    years = [y.name for y in tax.years]
    by_type_year = Counter((e.type.key, e.year) for e in library.entries)
    table = [{"type": t.type, "cells": [by_type_year[(t.type.key, y)] for y in years], "total": t.count}
             for t in tax.types]
    return {
        "years": years,
        "type_year": table,
        "year_totals": [y.count for y in tax.years],
        "total": tax.total,
        "unit_groups": [(g.name, g.count, len([t for t in g.terms if t.count])) for g in tax.unit_groups],
        "top_units": sorted((u for u in tax.units if u.count), key=lambda u: (-u.count, u.slug))[:15],
        "themes": sorted((t for t in tax.themes if t.count), key=lambda t: (-t.count, t.slug)),
        "violations": sorted((t for t in tax.violations if t.count), key=lambda t: (-t.count, t.slug)),
        "outcomes": sorted((t for t in tax.outcomes if t.count), key=lambda t: (-t.count, t.slug)),
        "type_labels": {k: t.label for k, t in TYPE_BY_KEY.items()},
    }
