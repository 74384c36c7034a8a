"""Search in Debian's Chromium against the sample library built and served
on 127.0.0.1. Expected results come from the core (records and taxonomy),
never from the client itself. No timing assertions: speed lives in
scripts/bench.py. Every page asserts that no request left 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from casebook.core.library import load_library
from casebook.core.taxonomy import build_taxonomy
from casebook.search import make_records
from casebook.search.text import normalise, query_words, runs, text_grams

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT, include_drafts=False)


@pytest.fixture(scope="module")
def records(library):
    return make_records(library.entries)


def truth(records, query):
    words = query_words(query)
    return {r.url for r in records if all(w in normalise(r.text) for w in words)}


def wait_done(page, selector="#cb-search"):
    page.wait_for_selector(f"{selector}[data-state=done]", state="attached")


def open_search(page, site_url, query_string):
    page.goto(f"{site_url}/search/?{query_string}")
    wait_done(page)
    return page


def engine_urls(page, query, filters=None, sort=""):
    """Every result of the page's own engine, as entry URLs relative to the site root."""
    return page.evaluate(
        """async ([q, filters, sort]) => {
             const engine = casebookSearch.engine(document.getElementById('cb-search').dataset.cbRoot);
             const result = await engine.search(q, filters, sort, true);
             const docs = await Promise.all(result.ids.map(id => engine.doc(id)));
             return docs.map(d => d.u);
           }""", [query, filters or {}, sort])


def facet_counts(page, key):
    return page.evaluate(
        """key => Object.fromEntries(Array.from(document.querySelectorAll('.cb-facet--' + key + ' li'))
             .map(li => [li.querySelector('input').value, Number(li.querySelector('.cb-count').textContent.replace(/,/g, ''))]))""",
        key)


QUERIES = ["家风", "八小时", "廉政党课", "妇联", "12345热线", "2023年", "警示教育 家风", "市妇女联合会", "ＰＰＴ", "违反中央八项规定精神"]


@pytest.mark.parametrize("query", QUERIES)
def test_query_finds_every_sample_entry_containing_it(page_factory, site_url, records, query):
    page = open_search(page_factory(**DESKTOP), site_url, f"q={quote(query)}")
    expected = truth(records, query)
    assert set(engine_urls(page, query)) == expected
    status = page.inner_text(".cb-search__status")
    if expected:
        assert f"找到 {len(expected)} 条" in status
        first = page.locator(".cb-results .cb-card__title").first
        # the words are marked, or the result says through which other name it was found
        assert first.locator("mark").count() >= 1 or page.locator(".cb-results mark").count() >= 1 \
            or page.locator(".cb-results .cb-result__alias").count() >= 1
    else:
        assert "没有找到" in status


def phrases_with_pieces_apart(records, limit=3):
    """Phrases of 4 to 6 characters from the entries' text, each with the
    entries that hold every trigram of it, but apart (not the phrase)."""
    texts = [normalise(r.text) for r in records]
    grams = [text_grams(t) for t in texts]
    found = []
    for text in texts:
        for run in runs(text):
            for length in (6, 5, 4):
                for i in range(len(run) - length + 1):
                    phrase = run[i:i + length]
                    trigrams = [phrase[j:j + 3] for j in range(length - 2)]
                    apart = [r.url for r, t, g in zip(records, texts, grams)
                             if phrase not in t and all(x in g for x in trigrams)]
                    if apart and phrase not in (f[0] for f in found):
                        found.append((phrase, apart))
                        if len(found) == limit:
                            return found
    return found


def test_pieces_of_a_phrase_apart_are_not_results(page_factory, site_url, records):
    """The page counts and lists only the entries holding the phrase itself,
    not those holding all its pieces in different places."""
    cases = phrases_with_pieces_apart(records)
    assert cases, "the sample library has no phrase whose pieces occur apart"
    page = page_factory(**DESKTOP)
    for phrase, apart in cases:
        open_search(page, site_url, f"q={quote(phrase)}")
        expected = truth(records, phrase)
        found = set(engine_urls(page, phrase))
        assert found == expected and not found & set(apart), phrase
        assert f"找到 {len(expected)} 条" in page.inner_text(".cb-search__status")
        shown = page.eval_on_selector_all(".cb-results .cb-card__title", "els => els.map(e => e.href)")
        assert {urlsplit(u).path.lstrip("/") for u in shown} <= expected


def test_a_word_cut_differently_by_jieba_and_the_browser_is_found(page_factory, site_url, records):
    """Pagefind's failure: the index cut by jieba, the query by Intl.Segmenter.
    Both cuts are shown to disagree here, and the search finds every entry."""
    jieba = pytest.importorskip("jieba")
    page = open_search(page_factory(**DESKTOP), site_url, "")
    for query in ("廉政党课", "八小时"):
        browser_cut = page.evaluate(
            """q => Array.from(new Intl.Segmenter('zh', {granularity: 'word'}).segment(q))
                     .filter(s => s.isWordLike).map(s => s.segment)""", query)
        holding = [r for r in records if query in r.text]
        assert holding, f"the sample library has no entry with {query}"
        disagreeing = []
        for record in holding:
            tokens = [t for t in jieba.lcut(record.text) if t.strip()]
            runs_of_browser_cut = any(tokens[i:i + len(browser_cut)] == browser_cut for i in range(len(tokens)))
            if not runs_of_browser_cut:
                disagreeing.append(record.url)
        assert disagreeing, f"jieba and the browser cut {query} the same way; pick another example"
        found = set(engine_urls(page, query))
        assert set(disagreeing) <= found
        assert found == truth(records, query)


def test_browse_mode_facet_counts_match_the_core(page_factory, site_url, library):
    page = open_search(page_factory(**DESKTOP), site_url, "")
    tax = build_taxonomy(library.entries, library.vocabs)
    assert f"共 {tax.total} 条条目" in page.inner_text(".cb-search__status")
    page.evaluate("document.querySelectorAll('.cb-facet__more').forEach(b => b.click())")
    assert facet_counts(page, "type") == {t.type.label: t.count for t in tax.types if t.count}
    assert facet_counts(page, "unit") == {t.name: t.count for t in tax.units if t.count}
    assert facet_counts(page, "themes") == {t.name: t.count for t in tax.themes if t.count}
    assert facet_counts(page, "year") == {t.name: t.count for t in tax.years if t.count}
    assert facet_counts(page, "violations") == {t.name: t.count for t in tax.violations if t.count}
    assert facet_counts(page, "outcomes") == {t.name: t.count for t in tax.outcomes if t.count}


def test_facet_counts_follow_the_query_and_other_facets(page_factory, site_url, records):
    page = open_search(page_factory(**DESKTOP), site_url, f"q={quote('廉政')}&type={quote('警示案例')}")
    page.evaluate("document.querySelectorAll('.cb-facet__more').forEach(b => b.click())")
    hits = [r for r in records if "廉政" in normalise(r.text)]
    warnings = [r for r in hits if r.type == "case"]
    units: dict[str, int] = {}
    for r in warnings:
        units[r.unit] = units.get(r.unit, 0) + 1
    assert facet_counts(page, "unit") == units
    # the type facet ignores its own filter: all types of the query's hits
    types = {}
    labels = {"practice": "经验做法", "case": "警示案例", "report": "工作报告"}
    for r in hits:
        types[labels[r.type]] = types.get(labels[r.type], 0) + 1
    assert facet_counts(page, "type") == types
    assert f"找到 {len(warnings)} 条" in page.inner_text(".cb-search__status")


def test_several_values_of_a_facet_combine_with_or(page_factory, site_url, records, library):
    tax = build_taxonomy(library.entries, library.vocabs)
    two = [t.name for t in sorted(tax.units, key=lambda t: -t.count)[:2]]
    page = open_search(page_factory(**DESKTOP), site_url, "&".join(f"unit={quote(u)}" for u in two))
    expected = {r.url for r in records if r.unit in two}
    assert set(engine_urls(page, "", {"unit": two})) == expected
    assert f"筛选出 {len(expected)} 条条目" in page.inner_text(".cb-search__status")


def test_unit_filter_from_an_entry_page(page_factory, site_url, records):
    record = next(r for r in records if r.unit == "市妇联") if any(r.unit == "市妇联" for r in records) else records[0]
    page = page_factory(**DESKTOP)
    page.goto(f"{site_url}/{record.url}")
    page.locator(".cb-panel__row--unit a.cb-search-link").click()
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query) == {"unit": [record.unit]}
    expected = {r.url for r in records if r.unit == record.unit}
    assert f"筛选出 {len(expected)} 条条目" in page.inner_text(".cb-search__status")
    assert page.locator(f".cb-facet--unit input[value='{record.unit}']").is_checked()
    shown = page.eval_on_selector_all(".cb-results .cb-card__title", "els => els.map(e => e.href)")
    assert {urlsplit(u).path.lstrip("/") for u in shown} <= expected
    assert page.locator(".cb-search__chips").inner_text().startswith(f"单位：{record.unit}")


def test_unit_alias_in_the_url_finds_the_canonical_unit(page_factory, site_url, records):
    page = open_search(page_factory(**DESKTOP), site_url, f"unit={quote('市妇女联合会')}")
    assert parse_qs(urlsplit(page.url).query) == {"unit": ["市妇联"]}
    expected = {r.url for r in records if r.unit == "市妇联"}
    assert f"筛选出 {len(expected)} 条条目" in page.inner_text(".cb-search__status")


def test_state_is_in_the_url_and_the_back_button_works(page_factory, site_url, records):
    page = open_search(page_factory(**DESKTOP), site_url, f"q={quote('家风')}")
    before = page.inner_text(".cb-search__status")
    unit = page.locator(".cb-facet--unit input").first
    value = unit.get_attribute("value")
    unit.check()
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["家风"], "unit": [value]}
    page.select_option("select[name=sort]", "date")
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query)["sort"] == ["date"]
    dates = page.eval_on_selector_all(".cb-results time", "els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True)
    page.go_back()
    wait_done(page)
    page.go_back()
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["家风"]}
    assert not page.locator(f".cb-facet--unit input[value='{value}']").is_checked()
    assert page.inner_text(".cb-search__status") == before
    assert page.input_value("#cb-search-q") == "家风"


def test_typing_updates_the_url_and_results(page_factory, site_url, records):
    page = open_search(page_factory(**DESKTOP), site_url, "")
    page.locator("#cb-search-q").fill("八小时")
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === '八小时'")
    wait_done(page)
    assert f"找到 {len(truth(records, '八小时'))} 条" in page.inner_text(".cb-search__status")


@pytest.mark.parametrize("query", ['<script>window.__pwned=1</script>', '"><img src=x onerror="window.__pwned=1">', '家风"'])
def test_hostile_queries_render_as_text(page_factory, site_url, query):
    page = page_factory(**DESKTOP)
    page.on("dialog", lambda d: pytest.fail(f"dialog opened: {d.message}"))
    open_search(page, site_url, f"q={quote(query)}")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#cb-search img, #cb-search script").count() == 0
    status = page.inner_text(".cb-search__status")
    assert query.strip() in status
    page.goto(f"{site_url}/")
    page.locator("#cb-sbox-q").fill(query)
    page.wait_for_selector(".cb-sbox[data-state=done]", state="attached")
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".cb-sbox img, .cb-sbox script").count() == 0


def test_zero_results_show_the_chinese_hint(page_factory, site_url):
    page = open_search(page_factory(**DESKTOP), site_url, f"q={quote('这个词不会出现在案例库里')}")
    status = page.inner_text(".cb-search__status")
    assert "没有找到包含“这个词不会出现在案例库里”的条目" in status
    assert "错别字" in status and "市妇联" in status
    assert page.locator(".cb-results li").count() == 0


def test_header_box_instant_results_by_keyboard(page_factory, site_url, records):
    page = page_factory(**DESKTOP)
    page.goto(f"{site_url}/units/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "cb-sbox-q"
    page.keyboard.type("家风")
    page.wait_for_selector(".cb-sbox[data-state=done]", state="attached")
    expected = truth(records, "家风")
    assert f"找到 {len(expected)} 条结果" in page.inner_text(".cb-sbox__status")
    page.keyboard.press("ArrowDown")
    option = page.locator("#cb-sbox-list [aria-selected=true]")
    assert option.count() == 1
    assert page.get_attribute("#cb-sbox-q", "aria-activedescendant") == option.get_attribute("id")
    href = option.locator("a").get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(href)
    assert urlsplit(page.url).path.lstrip("/") in expected
    # Enter without choosing a result opens the search page with the query
    page.locator("#cb-sbox-q").fill("家风")
    page.wait_for_selector(".cb-sbox[data-state=done]", state="attached")
    page.keyboard.press("Escape")
    assert page.locator(".cb-sbox__panel").is_hidden()
    page.locator("#cb-sbox-q").press("Enter")
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["家风"]}


def test_search_fits_a_phone(page_factory, site_url):
    page = page_factory(**PHONE)
    open_search(page, site_url, f"q={quote('廉政')}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator(".cb-facets__list").is_hidden()
    page.locator(".cb-facets__toggle").click()
    assert page.locator(".cb-facets__list").is_visible()
    page.goto(f"{site_url}/warnings/")
    page.locator(".cb-sbox__toggle").click()
    page.keyboard.type("妇联")
    page.wait_for_selector(".cb-sbox[data-state=done]", state="attached")
    assert page.locator(".cb-sbox__panel").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("where", ["search/", "warnings/"])
def test_an_index_of_another_format_is_refused_in_chinese(page_factory, site_url, built_site, where):
    """A cached old script meeting a new index (or the reverse) says so on the
    page instead of reading the index wrongly."""
    manifest = json.loads((built_site / "assets/casebook/search/manifest.json").read_text(encoding="utf-8"))
    page = page_factory(**DESKTOP)
    page.route("**/assets/casebook/search/manifest.json",
               lambda route: route.fulfill(status=200, content_type="application/json",
                                           body=json.dumps({**manifest, "format": manifest["format"] + 1})))
    if where == "search/":
        page.goto(f"{site_url}/search/?q={quote('家风')}")
        page.wait_for_selector("#cb-search[data-state=failed]", state="attached")
        status = page.inner_text(".cb-search__status")
        assert page.locator(".cb-results li").count() == 0
    else:
        page.goto(f"{site_url}/{where}")
        page.locator("#cb-sbox-q").fill("家风")
        page.wait_for_selector(".cb-sbox[data-state=failed]", state="attached")
        status = page.inner_text(".cb-sbox__status")
    assert "版本不一致" in status and f"索引格式 {manifest['format'] + 1}" in status, status


def test_search_modules_are_loaded_by_their_hashed_names(built_site):
    """Every page loads the entry module as type=module under a name that is the
    hash of its content, and each module imports the others by such names."""
    page = (built_site / "warnings" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]*assets/casebook/app/[^"]+)" type="module">', page)
    assert len(scripts) == 1, scripts
    app = built_site / "assets" / "casebook" / "app"
    assert not (built_site / "assets" / "casebook" / "search.js").exists()
    modules = sorted(app.glob("*.js"))
    assert {m.name.split(".")[0] for m in modules} == {"ui", "rules", "text", "engine", "codec", "source", "excerpt",
                                                        "highlight", "mark"}  # the last two: entry pages only
    for path in [*modules, *app.glob("*.css")]:
        assert path.name.split(".")[1] == hashlib.sha256(path.read_bytes()).hexdigest()[:12], path.name
    for module in modules:
        for target in re.findall(r'from "\./([^"]+)";', module.read_text(encoding="utf-8")):
            assert (app / target).exists(), (module.name, target)


def test_entries_saying_the_words_first_alias_matches_labelled_links_land_on_the_section(
        page_factory, site_url, records):
    """以案促改 (an alias of the theme 警示教育): the entries whose text says it
    come first; the others are labelled; a result names the section holding
    the words and its link opens that heading, carrying the words (?hl=)."""
    page = open_search(page_factory(**DESKTOP), site_url, "q=" + quote("以案促改"))
    own = {r.url for r in records if "以案促改" in normalise(r.own_text)}
    cards = page.eval_on_selector_all(".cb-results .cb-result", """els => els.map(e => ({
        href: e.querySelector('a').href,
        alias: (e.querySelector('.cb-result__alias') || {}).textContent || '',
        section: (e.querySelector('.cb-result__section') || {}).textContent || ''}))""")
    assert len(cards) > len(own) > 0
    assert {urlsplit(c["href"]).path.lstrip("/") for c in cards[:len(own)]} == own
    assert all(c["alias"] == "" for c in cards[:len(own)])
    assert all(c["alias"] == "经别名匹配：警示教育" for c in cards[len(own):])
    with_section = [c for c in cards if c["section"]]
    assert with_section, "no result names a section"
    for card in with_section[:3]:
        parts = urlsplit(card["href"])
        assert parse_qs(parts.query) == {"hl": ["以案促改"]}
        page.goto(card["href"])
        heading = page.locator(f"[id='{unquote(parts.fragment)}']")
        assert heading.count() == 1 and card["section"] == "见于：" + heading.inner_text()
