"""What the site consists of: the generated pages, their URLs, titles,
templates and data. The adapter turns this plan into generator pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from casebook.core import fields as F
from casebook.core.compilations import (
    KIND_LABELS,
    Compilation,
    CompilationLink,
    entry_facts,
    plan_compilations,
)
from casebook.core.dates import chinese_date
from casebook.core.entry import Entry
from casebook.core.fields import ENTRY_TYPES, EntryType
from casebook.core.history import FileDates
from casebook.core.library import Library
from casebook.core.problems import Problem
from casebook.core.related import related_entries
from casebook.core.stats import TYPE, YEAR, Link, Stats, build_stats, search_link
from casebook.core.taxonomy import (
    Paged,
    Taxonomy,
    TermGroup,
    TermLink,
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


# -- what each template receives (as ``casebook``) -----------------------------
@dataclass(frozen=True)
class When:
    """A date shown in Chinese, with its ISO form for <time datetime>."""
    iso: str
    text: str


@dataclass(frozen=True)
class PanelValue:
    text: str
    url: str | None = None  # a page of the site listing this value's entries
    search: str | None = None  # query of the facet search for this value on /search/
    search_title: str = ""
    datetime: str = ""  # a date: ISO form for <time datetime>


@dataclass(frozen=True)
class PanelRow:
    key: str  # field key (CSS class)
    label: str
    links: list[PanelValue]


@dataclass(frozen=True)
class Narrowing:
    """Links from a listing into the search page with its facets set."""
    all: Link
    years: list[tuple[str, Link]]


@dataclass(frozen=True)
class EntryView:
    entry: Entry
    related: list[Entry]
    panel: list[PanelRow]
    crumbs: list[tuple[str, str]]
    updated: When | None


@dataclass(frozen=True)
class HomeView:
    totals: list[tuple[EntryType, int]]
    total: int
    latest: list[Entry]
    unit_groups: list[TermGroup]  # of TermLinks, like every view's terms but a term page's own
    themes: list[TermLink]
    years: list[TermLink]
    problems: list[Problem]


@dataclass(frozen=True)
class ListingView:
    type: EntryType
    paged: Paged
    count: int
    narrow: Narrowing
    browse: list[tuple[str, str]]
    compilation: CompilationLink | None


@dataclass(frozen=True)
class GroupsView:
    groups: list[TermGroup]
    group_counts: bool = False
    lead: str = ""


@dataclass(frozen=True)
class TermsView:
    kind: str
    terms: list[TermLink]


@dataclass(frozen=True)
class TermView:
    term: TermLink  # its entries are those of ``paged``, by type
    paged: Paged
    by_type: list
    section: tuple[str, str]
    narrow: Link | None
    compilation: CompilationLink | None


@dataclass(frozen=True)
class CompilationsView:
    groups: list[tuple[str, list[CompilationLink]]]


@dataclass(frozen=True)
class CompilationView:
    compilation: Compilation
    kind: str
    facts: dict[str, list[tuple[str, str]]]  # slug -> (label, text)


@dataclass(frozen=True)
class StatsView:
    stats: Stats


@dataclass(frozen=True)
class SearchView:
    pass


@dataclass(frozen=True)
class ProblemsView:
    problems: list[Problem]


@dataclass
class PlannedPage:
    src_uri: str  # where the generator puts it; decides the URL
    title: str
    template: str  # under casebook/
    data: object = field(default_factory=SearchView)  # one of the views above
    crumbs: list[tuple[str, str]] = field(default_factory=list)  # (title, url) above this page


@dataclass
class SitePlan:
    pages: list[PlannedPage]
    entries: dict[str, EntryView]  # slug -> the entry page's view
    home: HomeView
    taxonomy: Taxonomy
    files: dict[str, str] = field(default_factory=dict)  # site path -> text of a generated download (CSV)
    compilations: list[Compilation] = field(default_factory=list)
    # slug -> (entry, what its printed copy states): the preview's next plan keeps them for the same object
    facts: dict[str, tuple[Entry, list]] = field(default_factory=dict, repr=False, compare=False)

    def page_data(self, src_uri: str) -> PlannedPage | None:
        return self._by_uri.get(src_uri)

    def __post_init__(self):
        self._by_uri = {p.src_uri: p for p in self.pages}


def compilations_of(library: Library, tax=None, previous: list[Compilation] | None = None) -> list[Compilation]:
    """The site's compilations (``SitePlan.compilations``); ``tax``: the
    library's taxonomy, if made already."""
    tax = tax if tax is not None else build_taxonomy(library.entries, library.vocabs)
    return plan_compilations(library.entries, library.compilations, tax, previous)


def printed_parts(compilations: list[Compilation]) -> list[Compilation]:
    """Each compilation, or each of its parts, as a Word file: in order."""
    return [printable for comp in compilations for printable in comp.printable]


def plan_site(library: Library, per_page: int = PER_PAGE, dates: dict[str, FileDates] | None = None,
              previous: SitePlan | None = None) -> SitePlan:
    """``dates``: when each entry file was added and last changed (by
    ``Entry.path``); without it no entry shows 最后更新. ``previous``: the
    preview's last plan, whose entry views are kept where made from the same
    objects (``_entry_views``)."""
    entries = library.entries
    dates = dates or {}
    tax = build_taxonomy(entries, library.vocabs)
    pages: list[PlannedPage] = []
    compilations = compilations_of(library, tax, previous.compilations if previous is not None else None)
    compilation_of = {c.name: c for c in compilations}
    # an entry is in several compilations: its facts made once (the preview: once while it is the same object)
    facts: dict[str, tuple[Entry, list]] = {}
    facts_before = previous.facts if previous is not None else {}

    def facts_of(entry: Entry) -> list[tuple[str, str]]:
        found = facts.get(entry.slug)
        if found is None:
            found = facts_before.get(entry.slug)
            if found is None or found[0] is not entry:
                found = (entry, entry_facts(entry))
            facts[entry.slug] = found
        return found[1]

    for listing in tax.types:
        label, url = TYPE_SECTIONS[listing.type.key]
        narrowing = _narrowing(listing.type.key, listing.entries)  # the same on every page of the listing
        for paged in paginate(listing.entries, url, per_page):
            title = label if paged.number == 1 else f"{label}（第 {paged.number} 页）"
            crumbs = [HOME] if paged.number == 1 else [HOME, (label, url)]
            pages.append(PlannedPage(_uri(paged.url), title, "listing.html",
                                     ListingView(listing.type, paged, listing.count, narrowing,
                                                 [SECTIONS[k] for k in CASE_INDEXES] if listing.type.key == "case" else [],
                                                 _link(compilation_of.get(f"type-{listing.type.folder}"))),
                                     crumbs))

    pages.append(PlannedPage("units/index.md", "按单位", "groups.html",
                             GroupsView([g.links for g in tax.unit_groups], group_counts=True), [HOME]))
    cases_crumbs = [HOME, TYPE_SECTIONS["case"]]
    pages.append(PlannedPage("violations/index.md", "违纪类型", "groups.html",
                             GroupsView([g.links for g in tax.violation_groups], lead="警示案例按违纪类型浏览，按所属纪律（六大纪律）分组。"),
                             cases_crumbs))
    pages.append(PlannedPage("outcomes/index.md", "处理结果", "groups.html",
                             GroupsView([g.links for g in tax.outcome_groups], lead="警示案例按处理结果浏览，按处理的性质分组。"),
                             cases_crumbs))
    pages.append(PlannedPage("ranks/index.md", "职级", "terms.html", TermsView("ranks", _links(tax.ranks)),
                             cases_crumbs))
    pages.append(PlannedPage("themes/index.md", "按主题", "terms.html",
                             TermsView("themes", _links(tax.themes)), [HOME]))
    pages.append(PlannedPage("years/index.md", "按年份", "terms.html", TermsView("years", _links(tax.years)), [HOME]))
    pages.append(PlannedPage("tags/index.md", "标签", "terms.html", TermsView("tags", _links(tax.tags)), [HOME]))
    for term in [*tax.units, *tax.themes, *tax.years, *tax.tags, *tax.violations, *tax.outcomes, *tax.ranks]:
        pages.extend(_term_pages(term, per_page,
                                 _link(compilation_of.get(f"{_COMPILATION_KIND.get(term.kind)}-{term.slug}"))))
    pages.append(PlannedPage("compilations/index.md", "汇编", "compilations.html",
                             CompilationsView([(label, [c.link for c in compilations if c.kind == kind])
                                               for kind, label in KIND_LABELS.items()
                                               if any(c.kind == kind for c in compilations)]), [HOME]))
    # the preview's last compilation pages: one whose part is kept is kept too (the same object)
    pages_before = {p.src_uri: p for p in previous.pages if p.template == "compilation.html"} if previous else {}
    for comp in compilations:
        crumbs = [HOME, SECTIONS["compilations"]]
        if comp.parts:  # a front page naming the parts, then a page per part
            pages.append(PlannedPage(_uri(comp.url), comp.title, "compilation_parts.html",
                                     CompilationView(comp, KIND_LABELS[comp.kind], {}), crumbs))
            crumbs = [*crumbs, (comp.title, comp.url)]
        for part in comp.printable:
            kept = pages_before.get(_uri(part.url))
            if kept is not None and kept.data.compilation is part and kept.crumbs == crumbs:
                pages.append(kept)  # a kept part (compilations.plan_compilations) prints the same facts
                for e in part.entries:
                    facts.setdefault(e.slug, (e, kept.data.facts[e.slug]))
                continue
            pages.append(PlannedPage(_uri(part.url), part.full_title, "compilation.html",
                                     CompilationView(part, KIND_LABELS[comp.kind],
                                                     {e.slug: facts_of(e) for e in part.entries}), crumbs))
    stats = build_stats(library, tax)
    pages.append(PlannedPage("stats/index.md", "统计", "stats.html", StatsView(stats), [HOME]))
    pages.append(PlannedPage("search/index.md", "搜索", "search.html", SearchView(), [HOME]))
    if library.problems and library.profile != "public":
        pages.append(PlannedPage("problems/index.md", "内容问题", "problems.html",
                                 ProblemsView(library.problems), [HOME]))

    entry_data = _entry_views(entries, tax, dates, previous)
    home = HomeView(
        totals=[(t.type, t.count) for t in tax.types],
        total=tax.total,
        latest=latest_additions(entries, dates)[:LATEST_ON_HOME],
        unit_groups=[TermGroup(g.name, [t.link for t in g.terms if t.count]) for g in tax.unit_groups],
        themes=_links(sorted((t for t in tax.themes if t.count), key=lambda t: -t.count)),
        years=_links(tax.years),
        problems=library.problems if library.profile != "public" else [],
    )
    return SitePlan(pages, entry_data, home, tax, stats.csv_files(), compilations, facts)


def _entry_views(entries: list[Entry], tax: Taxonomy, dates: dict[str, FileDates],
                 previous: SitePlan | None) -> dict[str, EntryView]:
    """Each entry page's view. One of ``previous`` is kept (the same
    object, which the preview knows again by identity) when made from the
    same entry object, the same related entry objects, an equal date, and
    the same tag addresses (the panel's only other input)."""
    related = related_entries(entries)
    values: dict = {}  # panel values shared by many entries (a unit, a theme): made once
    before = previous.entries if previous is not None and previous.taxonomy.tag_slugs == tax.tag_slugs else {}
    views = {}
    for e in entries:
        shown = related.get(e.slug, [])
        updated = when(dates.get(e.path, FileDates()).updated)
        kept = before.get(e.slug)
        if (kept is None or kept.entry is not e or kept.updated != updated or len(kept.related) != len(shown)
                or any(a is not b for a, b in zip(kept.related, shown))):
            kept = EntryView(e, shown, entry_panel(e, tax, values), [HOME, TYPE_SECTIONS[e.type.key]], updated)
        views[e.slug] = kept
    return views


def _links(terms: list[TermPage]) -> list[TermLink]:
    return [t.link for t in terms]


def _link(comp: Compilation | None) -> CompilationLink | None:
    return None if comp is None else comp.link


def latest_additions(entries: list[Entry], dates: dict[str, FileDates]) -> list[Entry]:
    """Most recently added to the library first (by git history); entries
    whose addition date is unknown follow by their own date."""
    return sorted(entries, key=lambda e: (_negated(dates.get(e.path, FileDates()).added), e.sort_key))


def _negated(iso: str) -> tuple:
    return (0, tuple(-int(p) for p in iso.split("-"))) if iso else (1,)


def when(iso: str) -> When | None:
    return When(iso, chinese_date(iso)) if iso else None


def _narrowing(type_key: str, entries: list[Entry]) -> Narrowing:
    """Links from a listing into the search page with its facets set: the
    listing's years, and the same listing sorted by date with facets to pick."""
    years = sorted({e.year for e in entries}, reverse=True)
    return Narrowing(search_link((TYPE, type_key), ("sort", "date")),
                     [(y, search_link((TYPE, type_key), (YEAR, y), ("sort", "date"))) for y in years])


def _uri(url: str) -> str:
    return f"{url}index.md"


_COMPILATION_KIND = {"units": "unit", "themes": "theme", "years": "year"}


def _term_pages(term: TermPage, per_page: int, compilation: CompilationLink | None = None) -> list[PlannedPage]:
    section = SECTIONS[term.kind]
    ordered = [e for _, group in group_by_type(term.entries) for e in group]  # by type, newest first
    param = _term_search(term.kind)
    narrow = search_link((param, term.name), ("sort", "date")) if param and term.count else None
    result = []
    for paged in paginate(ordered, term.url, per_page):
        title = term.name if paged.number == 1 else f"{term.name}（第 {paged.number} 页）"
        crumbs = [HOME, section] if paged.number == 1 else [HOME, section, (term.name, term.url)]
        result.append(PlannedPage(_uri(paged.url), title, "term.html",
                                  TermView(term.link, paged, group_by_type(paged.entries), section, narrow, compilation),
                                  crumbs))
    return result


def _term_search(kind: str) -> str | None:
    """The search page's URL parameter for the entries of a term page
    (``kind``: its browse folder), where the field is a facet."""
    return next((f.facet.param for f in F.FIELDS if f.browse == kind and f.facet), None)


def entry_panel(entry: Entry, tax: Taxonomy, made: dict | None = None) -> list[PanelRow]:
    """The metadata panel rows, in the field table's panel order: label, and
    values with links to their browse page and their facet search.
    ``made``: what was made so far for this plan (a plan's entries share
    most of their values)."""
    made = {} if made is None else made
    panelled = made.get(entry.type.key)  # the type's panel fields, found once per plan (the table may change)
    if panelled is None:
        panelled = made[entry.type.key] = sorted((f for f in F.FIELDS if f.panel and f.applies_to(entry.type.key)),
                                                 key=lambda f: f.panel.order)
    rows = []
    for spec in panelled:
        value = getattr(entry, spec.key)
        items = value if spec.is_list else [value]
        if spec.kind == F.CHOICE and spec.default:  # shown only when it is not the default
            items = [] if value == spec.default else [F.choice_label(spec, value) + spec.panel.note]
        items = [v for v in items if v not in (None, "")]
        if items:
            rows.append(PanelRow(spec.key, spec.label, [_made(made, spec, v, tax) for v in items]))
        elif spec.required:  # a draft not yet dated
            rows.append(PanelRow(spec.key, spec.label, [PanelValue("待填写（草稿）")]))
    return rows


def _made(made: dict, spec: F.Field, value, tax: Taxonomy) -> PanelValue:
    key = (spec.key, type(value), value)  # a term, a type or text: equal only when it shows the same
    try:
        found = made.get(key)
    except TypeError:  # not hashable: made each time
        return _panel_value(spec, value, tax)
    if found is None:
        found = made[key] = _panel_value(spec, value, tax)
    return found


def _panel_value(spec: F.Field, value, tax: Taxonomy) -> PanelValue:
    if isinstance(value, EntryType):
        return PanelValue(value.label, f"{value.folder}/")
    iso = value if spec.kind == F.DATE else ""
    text = chinese_date(iso) if iso else getattr(value, "name", value)
    if spec.panel.group and getattr(value, "group", ""):
        text += f"（{value.group}）"
    url = None
    if spec.browse:
        slug = value[:4] if iso else getattr(value, "slug", None) or tax.tag_slugs.get(value)
        url = f"{spec.browse}/{slug}/"
    if not (spec.facet and spec.panel.search):
        return PanelValue(text, url, datetime=iso)
    searched = F.facet_value(spec, value)
    what = f" {searched} 年" if spec.kind == F.DATE else f"{spec.facet.label}为“{searched}”"
    return PanelValue(text, url, urlencode([(spec.facet.param, searched)]), f"搜索{what}的全部条目", iso)
