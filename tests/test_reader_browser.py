"""What a reader meets in Chromium: statistics whose links list what they
count, the home page pickers, the skip link, collapsing facets, and an
axe-core run over every page type at desktop and phone widths."""

from __future__ import annotations

import random
import re
import unicodedata
from urllib.parse import quote, unquote

import pytest
from casebook.core.library import load_library
from conftest import ROOT

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
STATUS = re.compile(r"(?:筛选出|共) (\d+) 条条目")
SAMPLE = 25  # search links followed per run, drawn at random from all on /stats/


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT, include_drafts=False)


def search_count(page) -> int:
    page.wait_for_function("() => /(筛选出|共) \\d+ 条条目/.test(document.querySelector('.cb-search__status').textContent)")
    return int(STATUS.search(page.inner_text(".cb-search__status")).group(1))


def test_every_number_on_stats_that_opens_a_search_finds_that_many(page_factory, site_url):
    page = page_factory(**DESKTOP)
    page.goto(site_url + "/stats/")
    links = page.eval_on_selector_all(
        ".cb-chart a[href*='search/']",
        "els => els.map(a => [a.href, a.dataset.value || (a.textContent.match(/\\d+/) || [''])[0]])")
    links = sorted({(href, int(value)) for href, value in links if value})
    assert len(links) > 40  # type × year, unit × year, discipline totals, cases by year
    seed = random.randrange(10**6)
    for href, value in random.Random(seed).sample(links, min(SAMPLE, len(links))):
        page.goto(href)
        assert search_count(page) == value, (seed, unquote(href))


def test_home_pickers_are_above_the_fold_and_lead_to_the_units_entries(page_factory, site_url, library):
    page = page_factory(**DESKTOP)
    page.goto(site_url + "/")
    for picker in ("#cb-pick-unit", "#cb-pick-theme"):
        box = page.locator(picker).bounding_box()
        assert box["y"] + box["height"] <= 768, picker
    unit = max({e.unit.name for e in library.entries}, key=lambda u: sum(e.unit.name == u for e in library.entries))
    page.select_option("#cb-pick-unit", unit)
    page.locator("#cb-pick-unit ~ button").click()
    page.wait_for_url("**/search/**")
    assert search_count(page) == sum(e.unit.name == unit for e in library.entries)


def test_home_lists_latest_additions_with_chinese_dates(page_factory, site_url):
    page = page_factory(**DESKTOP)
    page.goto(site_url + "/")
    assert page.locator("h2", has_text="最近收录").count() == 1
    first = page.locator(".cb-card time").first
    assert re.fullmatch(r"\d{4}年(\d{1,2}月(\d{1,2}日)?)?", first.inner_text())
    assert re.fullmatch(r"\d{4}(-\d{2}){0,2}", first.get_attribute("datetime"))


@pytest.mark.parametrize("path", ["warnings/", "stats/"])
def test_the_skip_link_is_first_and_lands_on_the_content(page_factory, site_url, library, path):
    entry = next(e for e in library.entries if e.type.key == "case")
    page = page_factory(**DESKTOP)
    page.goto(f"{site_url}/{entry.url if path == 'warnings/' else path}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳转至正文"
    assert page.locator(".cb-skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "cb-main"
    # the next Tab goes into the content, not past the title and panel
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#cb-main')")
    h1 = page.locator("#cb-main h1").first.bounding_box()
    assert h1 and h1["y"] < 768


def test_search_facets_collapse_to_their_first_values(page_factory, site_url):
    page = page_factory(**DESKTOP)
    page.goto(site_url + "/search/")
    page.wait_for_selector(".cb-facet--unit li")
    items = page.locator(".cb-facet--unit li")
    hidden = page.locator(".cb-facet--unit li[hidden]")
    assert hidden.count() > 0, "the sample library has more units than a facet shows at first"
    assert all(not hidden.nth(i).is_visible() for i in range(hidden.count()))
    more = page.locator(".cb-facet--unit .cb-facet__more")
    assert more.is_visible()
    more.click()
    assert page.locator(".cb-facet--unit li:visible").count() == items.count()


def page_types(library) -> dict[str, str]:
    by_type = {e.type.key: e for e in library.entries}
    case = next(e for e in library.entries if e.type.key == "case" and e.rank)
    marked = quote(re.search(r"[\u4e00-\u9fff]{2}", by_type["practice"].body).group())  # searched words marked
    return {
        "home": "", "listing": "warnings/", "practice": f"{by_type['practice'].url}?hl={marked}", "case": case.url,
        "report": by_type["report"].url, "units": "units/", "unit": f"units/{case.unit.slug}/",
        "themes": "themes/", "theme": f"themes/{case.themes[0].slug}/", "years": "years/",
        "year": f"years/{case.year}/", "tags": "tags/", "violations": "violations/",
        "violation": f"violations/{case.violations[0].slug}/", "outcomes": "outcomes/",
        "outcome": f"outcomes/{case.outcomes[0].slug}/", "ranks": "ranks/", "rank": f"ranks/{case.rank.slug}/",
        "stats": "stats/", "search": "search/?q=%E5%BB%89%E6%B4%81&unit=" + case.unit.name,
        "guide": "guide/fields/", "about": "about/", "compilations": "compilations/",
        "compilation": "compilations/lian-jie-ji-lv-jing-shi/",
    }


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violation(page_factory, site_url, library, size):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_module.Axe()
    page = page_factory(**(DESKTOP if size == "desktop" else PHONE))
    found = []
    for name, path in page_types(library).items():
        page.goto(f"{site_url}/{path}")
        page.wait_for_load_state("networkidle")
        if name == "stats":
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # the tables too
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response
        assert result["testEngine"]["version"].startswith("4.")
        found += [(name, v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
                  for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert found == []


def _flat(text: str) -> str:
    """Without white space; Kangxi radicals PDF text gives (⼈ for 人) folded back by NFKC."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _starts_with(page_text: str, title: str) -> bool:
    """The page (after its page-number line) opens with ``title``. Fuzzy:
    PDF text extraction gives some characters as their CJK radical forms
    (长 as ⻓), which no Unicode normalisation maps back."""
    from rapidfuzz import fuzz
    lines = [line for line in page_text.split("\n") if line.strip() and not re.fullmatch(r"\s*第 \d+ \S\s*", line)]
    if not lines or re.match(r"\s*(\S录|\d+\.)", lines[0]):  # a page of the contents (目 may come out as ⽬)
        return False
    return fuzz.ratio(_flat(title), _flat("".join(lines))[:len(_flat(title))]) >= 75


def test_every_kind_of_compilation_prints_each_entry_on_its_own_pages(page_factory, site_url, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    from casebook.core.site import plan_site
    from rapidfuzz import fuzz
    comps = plan_site(load_library(ROOT, include_drafts=False)).compilations
    chosen = {}
    for comp in comps:  # the smallest of each kind with two entries or more
        if len(comp.entries) >= 2 and (comp.kind not in chosen or len(comp.entries) < len(chosen[comp.kind].entries)):
            chosen[comp.kind] = comp
    assert set(chosen) == {"declared", "type", "theme", "unit", "year"}
    page = page_factory(**DESKTOP)
    for kind, comp in chosen.items():
        page.goto(f"{site_url}/{comp.url}")
        page.wait_for_load_state("networkidle")
        pdf = tmp_path / f"{comp.name}.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        pages = [p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages]
        assert round(float(pypdf.PdfReader(str(pdf)).pages[0].mediabox.height)) == 842  # A4
        assert all(re.search(r"第 \d+ \S", text) for text in pages)  # page numbers in the margin
        assert _starts_with(pages[0], "清廉机关建设案例库")  # the cover: site, kind, title
        assert fuzz.partial_ratio(_flat(comp.title), _flat(pages[0])) >= 75, pages[0]
        openings = [i for i, text in enumerate(pages) for e in comp.entries if _starts_with(text, e.title)]
        assert len(openings) == len(comp.entries), (kind, comp.name)  # each entry opens a page, once
        assert openings == sorted(openings) and openings[0] >= 2  # after the cover and the contents
        assert not any("跳转至正文" in t or "搜索案例库" in t for t in pages)  # no site chrome
