"""Searched words highlighted on arrival (?hl=): the Node unit tests of the
pure part, its folding against the search's own rule, and the page in
Chromium with words drawn at random from a real entry and a hostile ?hl=."""

from __future__ import annotations

import random
import re
from urllib.parse import quote

import pytest
from casebook.core.library import load_library
from casebook.mkdocs.search_assets import SOURCE_DIR as ASSETS
from casebook.mkdocs.search_assets import search_assets
from casebook.search.text import normalise
from conftest import ROOT


def test_highlighting_has_no_text_rules_of_its_own():
    """Words and folding come from the search's generated rules (text.js),
    never from the browser's Unicode tables: the Node tests in tests/js
    (tests/test_js.py) check the behaviour, this checks there is no copy."""
    for name in ("highlight.js", "mark.js"):
        source = (ASSETS / name).read_text(encoding="utf-8")
        for own in (r"normalize\(\s*[\"']NF", r"toLowerCase", r"toUpperCase", r"\\p\{"):
            assert not re.search(own, source), (name, own)  # (Node.normalize() merges text nodes: not text rules)
    assert 'import RULES from "./rules.js"' in (ASSETS / "mark.js").read_text(encoding="utf-8")


def test_entry_pages_load_the_hashed_module_and_other_pages_do_not(built_site):
    uri = search_assets().highlight
    assert re.fullmatch(r"assets/casebook/app/mark\.[0-9a-f]{12}\.js", uri)
    assert (built_site / uri).read_bytes() == search_assets().files[uri]
    library = load_library(ROOT, include_drafts=False)
    entry = library.entries[0]
    page = (built_site / entry.url / "index.html").read_text(encoding="utf-8")
    tags = re.findall(r'<script type="module" src="([^"]+)"></script>', page)
    assert len(tags) == 1 and tags[0].endswith(uri)
    for other in ("index.html", "search/index.html", "units/index.html", "stats/index.html"):
        assert "/mark." not in (built_site / other).read_text(encoding="utf-8"), other


# ---------------------------------------------------------------- in Chromium

DESKTOP = {"viewport": {"width": 1366, "height": 768}}
WORD = re.compile(r"[\u4e00-\u9fff]{2,6}")
GROUPS = """() => {
  // Marked stretches of text: marks with no unmarked character between are one.
  const root = document.querySelector('.cb-entry .cb-body');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let groups = 0, inside = false, texts = [], current = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.data.length) continue;
    const marked = !!n.parentElement.closest('mark.casebook-hl');
    if (marked && !inside) { groups++; current = ''; }
    if (marked) current += n.data;
    if (!marked && inside) texts.push(current);
    inside = marked;
  }
  if (inside) texts.push(current);
  return {groups, texts};
}"""


def _fold(text: str) -> str:
    return normalise(text)  # the search's rule, which the page uses through the generated tables


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT, include_drafts=False)


@pytest.mark.browser
def test_words_drawn_from_an_entry_are_marked_where_they_occur(page_factory, site_url, library):
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    page = page_factory(**DESKTOP)
    entries = rng.sample([e for e in library.entries if len(e.body) > 400], 5)
    for entry in entries:
        page.goto(f"{site_url}/{entry.url}")
        body = page.text_content(".cb-entry .cb-body")
        runs = WORD.findall(body)
        assert runs, entry.slug
        run = rng.choice(runs)
        start = rng.randrange(len(run) - 1)
        word = run[start:start + rng.randint(2, 4)]
        page.goto(f"{site_url}/{entry.url}?hl={quote(word)}")
        page.wait_for_selector("mark.casebook-hl")
        found = page.evaluate(GROUPS)
        # the truth: occurrences of the word in the body's text, counted by Python
        assert found["groups"] == _fold(body).count(_fold(word)), (seed, entry.slug, word)
        assert all(_fold(word) in _fold(text) for text in found["texts"]), (seed, entry.slug, word)
        assert page.text_content(".cb-entry .cb-body") == body  # nothing altered, only wrapped
        first = page.locator("mark.casebook-hl").first.bounding_box()
        assert 0 <= first["y"] < 768, (seed, entry.slug, word)  # scrolled to the first match
        bar = page.locator(".casebook-hl-bar")
        assert f"已标出 {page.locator('mark.casebook-hl').count()} 处" in bar.inner_text()
        bar.get_by_role("button", name="取消高亮").click()
        assert page.locator("mark.casebook-hl").count() == 0 and bar.count() == 0
        assert page.text_content(".cb-entry .cb-body") == body
        assert "hl=" not in page.url


@pytest.mark.browser
def test_two_words_and_an_anchor_land_on_the_heading(page_factory, site_url, library):
    page = page_factory(**DESKTOP)
    for entry in library.entries:
        page.goto(f"{site_url}/{entry.url}")
        ids = page.eval_on_selector_all(".cb-body h2[id], .cb-body h3[id]", "hs => hs.map(h => h.id)")
        if len(ids) >= 3:
            break
    else:
        pytest.fail("no sample entry has three headings")
    heading = ids[-1]
    title = page.text_content(f"[id='{heading}']")
    words = WORD.findall(title)[:1] + ["ＡＢＣ"]  # a word not in the body shows no mark
    page.goto(f"{site_url}/{entry.url}?hl={quote(' '.join(words))}#{quote(heading)}")
    page.wait_for_selector("mark.casebook-hl")
    box = page.locator(f"[id='{heading}']").bounding_box()
    assert 0 <= box["y"] < 768 / 2  # the heading asked for is on screen, not the first mark
    assert page.locator(f"[id='{heading}'] mark.casebook-hl").count() >= 1


HOSTILE = ['<img src=x onerror="window.__pwned=1;alert(1)">', '"><svg onload=window.__pwned=2>',
           "</script><script>window.__pwned=3</script>", "javascript:window.__pwned=4", "%E0%A4%A", "廉" * 5000]


@pytest.mark.browser
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_hl_runs_nothing_and_stays_text(page_factory, site_url, library, value):
    entry = library.entries[0]
    page = page_factory(**DESKTOP)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{site_url}/{entry.url}")
    before = page.evaluate("document.querySelectorAll('img,script,svg,iframe,[onerror],[onload]').length")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site_url}/{entry.url}?hl={quote(value, safe='%')}#{quote(value, safe='%')}")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__pwned") is None and dialogs == [] and errors == []
    after = page.evaluate("document.querySelectorAll('img,script,svg,iframe,[onerror],[onload]').length")
    assert after == before
    bar = page.locator(".casebook-hl-bar")
    if bar.count():  # what is shown is the parameter's letters, as text
        assert "<" not in bar.inner_text() and bar.evaluate("b => b.querySelectorAll('*').length") <= 2
