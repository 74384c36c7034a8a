"""/stats/: every bar and number equals a count made here from the entries
in the simplest way, links to a page that lists that many, and each table
is a CSV download with the same numbers."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from html import unescape
from urllib.parse import parse_qsl

import pytest
from casebook.core.library import load_library
from casebook.core.site import plan_site
from casebook.core.stats import to_csv
from conftest import ROOT

BAR = re.compile(r'<a class="cb-bar" href="([^"]*)" data-value="(\d+)"><span class="cb-bar__label">([^<]*)</span>')


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT, include_drafts=False)


def section(page: str, key: str) -> str:
    start = page.index(f'<h2 id="{key}">')
    end = page.find("<section", start)
    return page[start:end if end > 0 else len(page)]


def bars(page: str, key: str) -> dict[str, tuple[int, str]]:
    """label -> (value, href) of the bars of one chart."""
    return {unescape(label): (int(value), unescape(href)) for href, value, label in BAR.findall(section(page, key))}


def truth(library):
    entries = library.entries
    cases = [e for e in entries if e.type.key == "case"]
    return {
        "by-type": Counter(e.type.label for e in entries),
        "by-year": Counter(f"{e.year}年" for e in entries),
        "by-unit": Counter(e.unit.name for e in entries),
        "by-theme": Counter(t.name for e in entries for t in e.themes),
        "cases-by-year": Counter(f"{e.year}年" for e in cases),
        "cases-by-violation": Counter(v.name for e in cases for v in e.violations),
        "cases-by-outcome": Counter(o.name for e in cases for o in e.outcomes),
        "cases-by-rank": Counter(e.rank.name for e in cases if e.rank),
    }


def test_every_bar_equals_the_count_of_the_entries(built_site, library):
    page = (built_site / "stats" / "index.html").read_text(encoding="utf-8")
    for key, expected in truth(library).items():
        shown = {label: value for label, (value, _) in bars(page, key).items()}
        assert shown == dict(expected), key


def test_discipline_totals_count_each_case_once(library):
    plan = plan_site(library)
    stats = plan.page_data("stats/index.md").data.stats
    chart = next(c for c in stats.charts if c.key == "cases-by-violation")
    groups = {t.name: t.group for t in library.vocabs["violations"].terms}
    cases = [e for e in library.entries if e.type.key == "case"]
    for group in chart.groups:
        expected = sum(1 for e in cases if any(groups[v.name] == group.name for v in e.violations))
        assert group.total == expected, group.name
        assert sorted(v for k, v in parse_qsl(group.link.query)) == sorted(b.label for b in group.bars)
    names = [g.name for g in chart.groups]
    assert names == [g for g in library.vocabs["violations"].groups() if g in names]  # the six disciplines' order


def test_listing_links_lead_to_pages_that_list_that_many(built_site, library):
    page = (built_site / "stats" / "index.html").read_text(encoding="utf-8")
    checked = 0
    for key in truth(library):
        for label, (value, href) in bars(page, key).items():
            if "search/" in href:
                continue  # the search page counts in the browser: test_stats_browser
            target = (built_site / "stats" / href.split("?")[0] / "index.html").resolve()
            text = target.read_text(encoding="utf-8")
            assert f"共 {value} 条" in text, (key, label, href)
            checked += 1
    assert checked > 30


def test_cross_tables_add_up_and_match_the_entries(library):
    stats = plan_site(library).page_data("stats/index.md").data.stats
    unit_year = next(t for t in stats.tables if t.key == "unit-by-year")
    years = [name for name, _ in unit_year.columns]
    counts = Counter((e.unit.name, e.year) for e in library.entries)
    assert {r.label for r in unit_year.rows} == {e.unit.name for e in library.entries}
    for row in unit_year.rows:
        assert [c.value for c in row.cells] == [counts[(row.label, y)] for y in years]
        assert row.total.value == sum(c.value for c in row.cells)
        for year, cell in zip(years, row.cells):
            assert (cell.link is None) == (cell.value == 0)
            if cell.link:
                assert sorted(parse_qsl(cell.link.query)) == sorted([("unit", row.label), ("year", year)])
    assert unit_year.grand_total.value == len(library.entries)


def test_each_table_is_a_csv_with_the_same_numbers(built_site, library):
    stats = plan_site(library).page_data("stats/index.md").data.stats
    page = (built_site / "stats" / "index.html").read_text(encoding="utf-8")
    for uri, text in stats.csv_files().items():
        written = (built_site / uri).read_bytes()
        assert written.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
        assert written.decode("utf-8") == text
        assert f'href="{uri.split("/")[-1]}" download' in page
    rows = list(csv.reader(io.StringIO((built_site / "stats" / "by-unit.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["分组", "单位", "条目数"]
    assert {r[1]: int(r[2]) for r in rows[1:]} == dict(Counter(e.unit.name for e in library.entries))


def test_csv_cells_never_start_a_formula():
    text = to_csv([["名称", "数"], ["=HYPERLINK(\"x\")", 3], ["+1", 1], ["-2", 2], ["@SUM(A1)", 0], ["市妇联", 1]])
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "市妇联"]
    assert rows[1][1] == "3"
