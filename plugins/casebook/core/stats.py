"""The statistics page as data: charts (bars) and cross tables, each value
with the link that lists what it counts, and each table as CSV.

Everything is counted from the entries the site shows (``Library.entries``
and the profile's vocabularies), so a public build counts nothing hidden.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from casebook.core.fields import facet_param
from casebook.core.library import Library
from casebook.core.taxonomy import Taxonomy, TermGroup, TermPage

STATS_URL = "stats/"
# URL parameters of the search page that the links set, from the field table
TYPE, UNIT, YEAR, VIOLATION, OUTCOME = map(facet_param, ("type", "unit", "date", "violations", "outcomes"))


@dataclass(frozen=True)
class Link:
    """A place in the site: a path (relative to the site root) and a query."""
    path: str
    query: str = ""

    @property
    def href(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")


def search_link(*pairs: tuple[str, str]) -> Link:
    """The search page with these facets set (repeated keys: any of them)."""
    return Link("search/", urlencode(list(pairs)))


@dataclass
class Bar:
    label: str
    value: int
    link: Link | None  # lists exactly ``value`` entries
    share: float = 0.0  # of the chart's largest value, 0..100, for the bar's length


@dataclass
class BarGroup:
    name: str  # "" when the chart is not grouped
    bars: list[Bar]
    total: int | None = None  # entries counted once for the whole group
    link: Link | None = None


@dataclass
class Chart:
    key: str  # CSV name: stats/<key>.csv
    title: str
    note: str  # what a bar counts
    label_header: str
    groups: list[BarGroup]
    extra: str = ""  # a remark under the chart (e.g. cases without a rank)

    @property
    def csv_uri(self) -> str:
        return f"{STATS_URL}{self.key}.csv"

    def rows(self) -> list[list]:
        grouped = any(g.name for g in self.groups)
        head = (["分组"] if grouped else []) + [self.label_header, "条目数"]
        body = [([g.name] if grouped else []) + [b.label, b.value] for g in self.groups for b in g.bars]
        return [head, *body]


@dataclass
class Cell:
    value: int
    link: Link | None


@dataclass
class CrossRow:
    label: str
    link: Link | None
    cells: list[Cell]
    total: Cell


@dataclass
class CrossTable:
    key: str
    title: str
    note: str
    corner: str  # header of the label column
    columns: list[tuple[str, Link | None]]
    rows: list[CrossRow]
    totals: list[Cell] = field(default_factory=list)
    grand_total: Cell | None = None

    @property
    def csv_uri(self) -> str:
        return f"{STATS_URL}{self.key}.csv"

    def rows_for_csv(self) -> list[list]:
        out = [[self.corner, *(c for c, _ in self.columns), "合计"]]
        out += [[r.label, *(c.value for c in r.cells), r.total.value] for r in self.rows]
        if self.totals:
            out.append(["合计", *(c.value for c in self.totals), self.grand_total.value if self.grand_total else ""])
        return out


@dataclass
class Stats:
    total: int
    cases: int
    charts: list[Chart]
    tables: list[CrossTable]

    def csv_files(self) -> dict[str, str]:
        """Site path -> CSV text of every chart and table."""
        files = {c.csv_uri: to_csv(c.rows()) for c in self.charts}
        files.update({t.csv_uri: to_csv(t.rows_for_csv()) for t in self.tables})
        return files


def _cell(value: int, link: Link | None) -> Cell:
    return Cell(value, link if value else None)  # a link to nothing helps no one


def _bars(pairs: list[tuple[str, int, Link | None]]) -> list[Bar]:
    return [Bar(label, value, link if value else None) for label, value, link in pairs]


def _scaled(groups: list[BarGroup]) -> list[BarGroup]:
    top = max((b.value for g in groups for b in g.bars), default=0) or 1
    for group in groups:
        for bar in group.bars:
            bar.share = round(100 * bar.value / top, 1)
    return groups


def _term_bars(terms: list[TermPage]) -> list[Bar]:
    return _bars([(t.name, t.count, Link(t.url)) for t in terms if t.count])


def build_stats(library: Library, tax: Taxonomy) -> Stats:
    entries = library.entries
    cases = [e for e in entries if e.type.key == "case"]
    years = [y.name for y in tax.years]
    charts: list[Chart] = [
        Chart("by-type", "按类型", "每类的条目数", "类型",
              _scaled([BarGroup("", _bars([(t.type.label, t.count, Link(f"{t.type.folder}/")) for t in tax.types]))])),
        Chart("by-year", "按年份", "每年的条目数（按条目日期）", "年份",
              _scaled([BarGroup("", _bars([(f"{y.name}年", y.count, Link(y.url)) for y in tax.years]))])),
        Chart("by-unit", "按单位", "各单位的条目数，按单位分组", "单位",
              _scaled(_unit_groups(tax.unit_groups))),
        Chart("by-theme", "按主题", "各主题的条目数（一个条目可属多个主题）", "主题",
              _scaled([BarGroup("", sorted(_term_bars(tax.themes), key=lambda b: -b.value))])),
    ]
    if cases:
        case_years = Counter(e.year for e in cases)
        no_rank = sum(1 for e in cases if e.rank is None)
        charts += [
            Chart("cases-by-year", "警示案例按年份", "每年的警示案例数", "年份",
                  _scaled([BarGroup("", _bars([(f"{y}年", case_years[y], search_link((TYPE, "case"), (YEAR, y)))
                                               for y in years if case_years[y]]))])),
            Chart("cases-by-violation", "警示案例按违纪类型（六大纪律）",
                  "各违纪类型的案例数；分组合计按案例计，一个案例可有多种违纪类型", "违纪类型",
                  _scaled(_case_groups(tax.violation_groups, cases, VIOLATION, lambda e: e.violations))),
            Chart("cases-by-outcome", "警示案例按处理结果", "各处理结果的案例数；一个案例可有多项处理", "处理结果",
                  _scaled(_case_groups(tax.outcome_groups, cases, OUTCOME, lambda e: e.outcomes))),
        ]
        if any(t.count for t in tax.ranks):
            charts.append(Chart("cases-by-rank", "警示案例按职级", "当事人各职级的案例数", "职级",
                                _scaled([BarGroup("", _term_bars(tax.ranks))]),
                                extra=f"另有 {no_rank} 件未注明职级。" if no_rank else ""))
    tables = [_type_year(tax, years), _unit_year(tax, entries, years)]
    return Stats(tax.total, len(cases), charts, tables)


def _unit_groups(groups: list[TermGroup]) -> list[BarGroup]:
    result = []
    for group in groups:
        used = [t for t in group.terms if t.count]
        if used:
            result.append(BarGroup(group.name, sorted(_term_bars(used), key=lambda b: -b.value), group.count,
                                   search_link(*((UNIT, t.name) for t in used))))
    return result


def _case_groups(groups: list[TermGroup], cases, param: str, terms_of) -> list[BarGroup]:
    """Bars per term under its group; the group's total counts each case once
    (what the search with the group's terms finds)."""
    result = []
    for group in groups:
        used = [t for t in group.terms if t.count]
        if not used:
            continue
        names = {t.name for t in used}
        total = sum(1 for e in cases if any(t.name in names for t in terms_of(e)))
        result.append(BarGroup(group.name, _term_bars(used), total, search_link(*((param, t.name) for t in used))))
    return result


def _type_year(tax: Taxonomy, years: list[str]) -> CrossTable:
    counts = Counter((e.type.key, e.year) for t in tax.types for e in t.entries)
    rows = [CrossRow(t.type.label, Link(f"{t.type.folder}/"),
                     [_cell(counts[(t.type.key, y)], search_link((TYPE, t.type.key), (YEAR, y))) for y in years],
                     _cell(t.count, Link(f"{t.type.folder}/")))
            for t in tax.types]
    return CrossTable("type-by-year", "类型 × 年份", "每类每年的条目数", "类型",
                      [(y, Link(f"years/{y}/")) for y in years], rows,
                      [_cell(y.count, Link(y.url)) for y in tax.years], _cell(tax.total, None))


def _unit_year(tax: Taxonomy, entries, years: list[str]) -> CrossTable:
    counts = Counter((e.unit.name, e.year) for e in entries)
    rows = [CrossRow(u.name, Link(u.url),
                     [_cell(counts[(u.name, y)], search_link((UNIT, u.name), (YEAR, y))) for y in years],
                     _cell(u.count, Link(u.url)))
            for g in tax.unit_groups for u in g.terms if u.count]
    return CrossTable("unit-by-year", "单位 × 年份", "各单位每年的条目数", "单位",
                      [(y, Link(f"years/{y}/")) for y in years], rows,
                      [_cell(y.count, Link(y.url)) for y in tax.years], _cell(tax.total, None))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_csv(rows: list[list]) -> str:
    """CSV that Excel opens as UTF-8 (byte order mark) and never runs: a text
    cell that starts like a formula gets a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA_START) else v for v in row])
    return "\ufeff" + out.getvalue()

