"""What the site consists of: the generated pages, their URLs, titles,
templates and data. The adapter turns this plan into generator pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from casebook.core.compilations import (
    KIND_LABELS,
    Compilation,
    entry_facts,
    plan_compilations,
)
from casebook.core.dates import chinese_date
from casebook.core.entry import Entry
from casebook.core.fields import ENTRY_TYPES, FIELD_BY_KEY, SEARCH_FACETS
from casebook.core.history import FileDates
from casebook.core.library import Library
from casebook.core.related import related_entries
from casebook.core.stats import build_stats, search_link
from casebook.core.taxonomy import (
    Taxonomy,
    TermGroup,
    TermPage,
    build_taxonomy,
    group_by_type,
    paginate,
)

PER_PAGE = 30  # entries on one page of a listing
LATEST_ON_HOME = 8

HOME = ("首页", "")
SECTIONS = {  # nav section of each kind of page: (title, url)
    "units": ("按单位", "units/"),
    "themes": ("按主题", "themes/"),
    "years": ("按年份", "years/"),
    "tags": ("标签", "tags/"),
    "violations": ("违纪类型", "violations/"),
    "outcomes": ("处理结果", "outcomes/"),
    "ranks": ("职级", "ranks/"),
    "stats": ("统计", "stats/"),
    "compilations": ("汇编", "compilations/"),
    "problems": ("内容问题", "problems/"),
}
CASE_INDEXES = ("violations", "outcomes", "ranks")  # browse pages of warning cases, linked from their listing
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
    files: dict[str, str] = field(default_factory=dict)  # site path -> text of a generated download (CSV)
    compilations: list[Compilation] = field(default_factory=list)

    def page_data(self, src_uri: str) -> PlannedPage | None:
        return self._by_uri.get(src_uri)

    def __post_init__(self):
        self._by_uri = {p.src_uri: p for p in self.pages}


def plan_site(library: Library, per_page: int = PER_PAGE, dates: dict[str, FileDates] | None = None) -> SitePlan:
    """``dates``: when each entry file was added and last changed (by
    ``Entry.path``); without it no entry shows 最后更新."""
    entries = library.entries
    dates = dates or {}
    tax = build_taxonomy(entries, library.vocabs)
    pages: list[PlannedPage] = []
    compilations = plan_compilations(entries, library.compilations, tax)
    compilation_of = {c.name: c for c in compilations}

    for listing in tax.types:
        label, url = TYPE_SECTIONS[listing.type.key]
        for paged in paginate(listing.entries, url, per_page):
            title = label if paged.number == 1 else f"{label}（第 {paged.number} 页）"
            crumbs = [HOME] if paged.number == 1 else [HOME, (label, url)]
            pages.append(PlannedPage(_uri(paged.url), title, "listing.html",
                                     {"type": listing.type, "paged": paged, "count": listing.count,
                                      "narrow": _narrowing(listing.type.key, listing.entries),
                                      "browse": [SECTIONS[k] for k in CASE_INDEXES] if listing.type.key == "case" else [],
                                      "compilation": compilation_of.get(f"type-{listing.type.folder}")},
                                     crumbs))

    pages.append(PlannedPage("units/index.md", "按单位", "groups.html",
                             {"groups": tax.unit_groups, "group_counts": True}, [HOME]))
    cases_crumbs = [HOME, TYPE_SECTIONS["case"]]
    pages.append(PlannedPage("violations/index.md", "违纪类型", "groups.html",
                             {"groups": tax.violation_groups,
                              "lead": "警示案例按违纪类型浏览，按所属纪律（六大纪律）分组。"}, cases_crumbs))
    pages.append(PlannedPage("outcomes/index.md", "处理结果", "groups.html",
                             {"groups": tax.outcome_groups,
                              "lead": "警示案例按处理结果浏览，按处理的性质分组。"}, cases_crumbs))
    pages.append(PlannedPage("ranks/index.md", "职级", "terms.html", {"kind": "ranks", "terms": tax.ranks},
                             cases_crumbs))
    pages.append(PlannedPage("themes/index.md", "按主题", "terms.html",
                             {"kind": "themes", "terms": tax.themes}, [HOME]))
    pages.append(PlannedPage("years/index.md", "按年份", "terms.html", {"kind": "years", "terms": tax.years}, [HOME]))
    pages.append(PlannedPage("tags/index.md", "标签", "terms.html", {"kind": "tags", "terms": tax.tags}, [HOME]))
    for term in [*tax.units, *tax.themes, *tax.years, *tax.tags, *tax.violations, *tax.outcomes, *tax.ranks]:
        pages.extend(_term_pages(term, per_page, compilation_of.get(f"{_COMPILATION_KIND.get(term.kind)}-{term.slug}")))
    pages.append(PlannedPage("compilations/index.md", "汇编", "compilations.html",
                             {"groups": [(label, [c for c in compilations if c.kind == kind])
                                         for kind, label in KIND_LABELS.items()
                                         if any(c.kind == kind for c in compilations)]}, [HOME]))
    for comp in compilations:
        crumbs = [HOME, SECTIONS["compilations"]]
        if comp.parts:  # a front page naming the parts, then a page per part
            pages.append(PlannedPage(_uri(comp.url), comp.title, "compilation_parts.html",
                                     {"compilation": comp, "kind": KIND_LABELS[comp.kind]}, crumbs))
            crumbs = [*crumbs, (comp.title, comp.url)]
        for part in comp.printable:
            pages.append(PlannedPage(_uri(part.url), part.full_title, "compilation.html",
                                     {"compilation": part, "kind": KIND_LABELS[comp.kind],
                                      "facts": {e.slug: entry_facts(e) for e in part.entries}}, crumbs))
    stats = build_stats(library, tax)
    pages.append(PlannedPage("stats/index.md", "统计", "stats.html", {"stats": stats}, [HOME]))
    pages.append(PlannedPage("search/index.md", "搜索", "search.html", {}, [HOME]))
    if library.problems and library.profile != "public":
        pages.append(PlannedPage("problems/index.md", "内容问题", "problems.html",
                                 {"problems": library.problems}, [HOME]))

    related = related_entries(entries)
    entry_data = {
        e.slug: {"entry": e, "related": related.get(e.slug, []), "panel": entry_panel(e, tax),
                 "crumbs": [HOME, TYPE_SECTIONS[e.type.key]], "updated": _when(dates.get(e.path, FileDates()).updated)}
        for e in entries
    }
    home = {
        "totals": [(t.type, t.count) for t in tax.types],
        "total": tax.total,
        "latest": latest_additions(entries, dates)[:LATEST_ON_HOME],
        "unit_groups": [TermGroup(g.name, [t for t in g.terms if t.count]) for g in tax.unit_groups],
        "themes": sorted((t for t in tax.themes if t.count), key=lambda t: -t.count),
        "years": tax.years,
        "problems": library.problems if library.profile != "public" else [],
    }
    return SitePlan(pages, entry_data, home, tax, stats.csv_files(), compilations)


def latest_additions(entries: list[Entry], dates: dict[str, FileDates]) -> list[Entry]:
    """Most recently added to the library first (by git history); entries
    whose addition date is unknown follow by their own date."""
    return sorted(entries, key=lambda e: (_negated(dates.get(e.path, FileDates()).added), e.sort_key))


def _negated(iso: str) -> tuple:
    return (0, tuple(-int(p) for p in iso.split("-"))) if iso else (1,)


def _when(iso: str) -> dict | None:
    return {"iso": iso, "text": chinese_date(iso)} if iso else None


def _narrowing(type_key: str, entries: list[Entry]) -> dict:
    """Links from a listing into the search page with its facets set: the
    listing's years, and the same listing sorted by date with facets to pick."""
    years = sorted({e.year for e in entries}, reverse=True)
    return {
        "all": search_link(("type", type_key), ("sort", "date")),
        "years": [(y, search_link(("type", type_key), ("year", y), ("sort", "date"))) for y in years],
    }


def _uri(url: str) -> str:
    return f"{url}index.md"


_COMPILATION_KIND = {"units": "unit", "themes": "theme", "years": "year"}


def _term_pages(term: TermPage, per_page: int, compilation: Compilation | None = None) -> list[PlannedPage]:
    section = SECTIONS[term.kind]
    ordered = [e for _, group in group_by_type(term.entries) for e in group]  # by type, newest first
    param = _TERM_SEARCH.get(term.kind)
    narrow = search_link((param, term.name), ("sort", "date")) if param and term.count else None
    result = []
    for paged in paginate(ordered, term.url, per_page):
        title = term.name if paged.number == 1 else f"{term.name}（第 {paged.number} 页）"
        crumbs = [HOME, section] if paged.number == 1 else [HOME, section, (term.name, term.url)]
        result.append(PlannedPage(_uri(paged.url), title, "term.html",
                                  {"term": term, "paged": paged, "by_type": group_by_type(paged.entries),
                                   "section": section, "narrow": narrow, "compilation": compilation}, crumbs))
    return result


_SEARCH_LABELS = {param: label for _, param, label in SEARCH_FACETS}  # the search page's facets, one definition
# The search page's URL parameter for the entries of a term page, where it has one.
_TERM_SEARCH = {"units": "unit", "themes": "theme", "years": "year", "violations": "violation", "outcomes": "outcome"}


def entry_panel(entry: Entry, tax: Taxonomy) -> list[dict]:
    """The metadata panel rows, in field order: label, and values with links."""
    def row(key, values):
        return {"key": key, "label": FIELD_BY_KEY[key].label if key in FIELD_BY_KEY else key, "links": values}

    def link(text, url=None, search=None, iso=""):
        # search: (URL parameter, value) of the facet search for this value on /search/;
        # iso: a date, shown in Chinese with the ISO form kept for <time datetime>
        shown = {"text": chinese_date(iso) if iso else text, "url": url, "search": None, "datetime": iso}
        if search:
            param, value = search
            what = f" {value} 年" if param == "year" else f"{_SEARCH_LABELS[param]}为“{value}”"
            shown.update(search=urlencode([search]), search_title=f"搜索{what}的全部条目")
        return shown

    rows = [
        row("type", [link(entry.type.label, f"{entry.type.folder}/")]),
        row("unit", [link(entry.unit.name, f"units/{entry.unit.slug}/", ("unit", entry.unit.name))]),
        row("date", [link("", f"years/{entry.year}/", ("year", entry.year), iso=entry.date) if entry.date
                     else link("待填写（草稿）")]),
        row("themes", [link(t.name, f"themes/{t.slug}/", ("theme", t.name)) for t in entry.themes]),
    ]
    if entry.report_kind:
        rows.append(row("report_kind", [link(entry.report_kind)]))
    if entry.type.key == "case":
        rows.append(row("violations", [link(v.name, f"violations/{v.slug}/", ("violation", v.name))
                                       for v in entry.violations]))
        rows.append(row("outcomes", [link(o.name + (f"（{o.group}）" if o.group else ""), f"outcomes/{o.slug}/",
                                          ("outcome", o.name)) for o in entry.outcomes]))
        if entry.person:
            rows.append(row("person", [link(entry.person)]))
        if entry.rank:
            rows.append(row("rank", [link(entry.rank.name, f"ranks/{entry.rank.slug}/", ("rank", entry.rank.name))]))
        if entry.issued_by:
            rows.append(row("issued_by", [link(entry.issued_by)]))
        if entry.issued_on:
            rows.append(row("issued_on", [link("", iso=entry.issued_on)]))
    if entry.tags:
        rows.append(row("tags", [link(t, f"tags/{tax.tag_slugs[t]}/") for t in entry.tags]))
    if entry.source:
        rows.append(row("source", [link(entry.source)]))
    if entry.audience == "internal":
        rows.append(row("audience", [link("内部（公开版站点不包含）")]))
    return rows
