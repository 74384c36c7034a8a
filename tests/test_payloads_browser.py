"""A site full of hostile input, opened in Chromium: nothing runs.

Payloads go into every text field of entries of all three types, into
unit, theme, violation and outcome names, aliases and groups, into a broken
entry's values (shown on /problems/) and into bodies as raw HTML, links and
backslash escapes, and a relative link that would read as ``javascript:``
from a compilation's folder. Every page type is opened; no dialog may open, no payload
may set its flag, and no live script, frame, event handler or
``javascript:`` link may reach the DOM."""

from __future__ import annotations

import pytest
from conftest import copy_project, run_mkdocs_build, serve_dir

pytestmark = pytest.mark.browser


def payloads(tag: str) -> list[str]:
    """Ways to run ``mark(tag)``: element, attribute breakout, entity, title breakout."""
    run = f"alert('{tag}')"  # short: values have length limits; the dialog is what the test watches
    return [
        f'<img src=x onerror="{run}">',
        f"<script>{run}</script>",
        f'"><svg onload="{run}">',
        f'</title><details open ontoggle="{run}">',
        f'&lt;img src=x onerror="{run}"&gt;',
    ]


def yaml_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def pay(tag: str, only: int | None = None) -> str:
    """All payloads for ``tag`` (or only the one numbered ``only``) as one YAML string."""
    chosen = payloads(tag) if only is None else [payloads(tag)[only]]
    return yaml_text(tag + "".join(chosen))


BODY = """正文开头\\<img src=x onerror="window.__pwned=['bs'];alert('bs')"\\>之后。

<script>window.__pwned=['body-script'];alert('body-script')</script>
<iframe srcdoc="<script>parent.__pwned=['iframe'];parent.alert('iframe')</script>"></iframe>
<svg onload="window.__pwned=['svg'];alert('svg')"></svg>
<details open ontoggle="window.__pwned=['details'];alert('details')"><summary>摘要</summary>内容</details>
<a href="javascript:window.__pwned=['a'];alert('a')" id="js-a">链接</a>
[点我](javascript:alert('md-link')) and <a href="data:text/html,<script>alert('data')</script>">数据</a>
<img src="x" onerror="window.__pwned=['img'];alert('img')">
<style>body{display:none}</style>
<meta http-equiv="refresh" content="0;url=http://example.invalid/">
<base href="http://example.invalid/">
<a href="../../compilations/unit-payload-unit-0/javascript:window.__pwned=['moved'];alert('moved')">移入汇编目录后的相对链接</a>

## <img src=x onerror="window.__pwned=['heading'];alert('heading')">小标题

| 列 | <img src=x onerror="alert('th')"> |
| --- | --- |
| <b onmouseover="alert('td')">格</b> | 值 |
"""

N = len(payloads(""))
# Term n carries payload n in its name, alias and group.
VOCAB = {
    "units.yml": "".join(f"- name: {pay('unit', n)}\n  aliases: [{pay('ua', n)}]\n  slug: payload-unit-{n}\n"
                         f"  group: {pay('ug', n)}\n" for n in range(N)),
    "themes.yml": "".join(f"- name: {pay('theme', n)}\n  aliases: [{pay('ta', n)}]\n  slug: payload-theme-{n}\n"
                          for n in range(N)),
    "violations.yml": "".join(f"- name: {pay('violation', n)}\n  slug: payload-violation-{n}\n" for n in range(N)),
    "outcomes.yml": "".join(f"- name: {pay('outcome', n)}\n  slug: payload-outcome-{n}\n  group: {pay('og', n)}\n"
                            for n in range(N)),
}


def entry_text(kind: str, n: int) -> str:
    """Entry ``n`` of a type carries payload ``n`` in each field (values have
    length limits) and uses the terms that carry it."""
    case = kind == "warnings"
    return f"""---
title: {pay(kind + '-title', n)}
unit: {pay('unit', n)}
date: 2023-05-01
themes: [{pay('theme', n)}]
tags: [{pay(kind[0], n)}]
source: {pay(kind + '-source', n)}
""" + ("" if kind == "practices" else f"summary: {pay(kind + '-summary', n)}\n") + (f"""violations: [{pay('violation', n)}]
outcomes: [{pay('outcome', n)}]
person: {pay('person', n)}
lessons: {pay('lessons', n)}
""" if case else "") + "---\n\n" + BODY


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    project = copy_project(root, with_entries=True)
    cases = project / "cases"
    for name, item in VOCAB.items():
        path = cases / name
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + item, encoding="utf-8")
    for kind in ("practices", "warnings", "reports"):
        for n in range(N):
            (cases / kind / f"2023-05-payload-{kind}-{n}.md").write_text(entry_text(kind, n), encoding="utf-8")
    # a broken entry: its values reach /problems/ and the home page's alert
    (cases / "practices" / "2023-05-broken.md").write_text(
        f"---\ntitle: 坏条目\nunit: {pay('problem-unit')}\ndate: 2023-05-01\nthemes: [{pay('problem-theme')}]\n---\n正文\n",
        encoding="utf-8")
    site = root / "site"
    result = run_mkdocs_build(project, site, strict=False)
    assert result.returncode == 0, result.stdout + result.stderr
    # only the broken entry may have problems: every payload entry is built
    problems = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if "cases/" in line]
    assert problems and all("2023-05-broken.md" in line for line in problems), problems
    server, url = serve_dir(site)
    yield site, url
    server.shutdown()


PAGES = [
    "", "practices/", "warnings/", "reports/",
    *(f"{kind}/2023-05-payload-{kind}-{n}/" for kind in ("practices", "warnings", "reports") for n in range(N)),
    "units/", *(f"units/payload-unit-{n}/" for n in range(N)), "themes/", "themes/payload-theme-0/", "years/", "years/2023/", "tags/",
    "compilations/", "compilations/unit-payload-unit-0/", "compilations/theme-payload-theme-0/",
    "stats/", "problems/", "guide/vocabularies/", "guide/fields/", "search/?q=unit", "search/?q=%3Cimg",
    "search/?unit=%3Cimg", "404.html",
]


def visit(page, url: str) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # let late handlers (ontoggle, onerror, search results) fire
    return dialogs


@pytest.mark.parametrize("path", PAGES)
def test_nothing_runs_on_any_page(page_factory, hostile_site, path):
    site, url = hostile_site
    page = page_factory()
    dialogs = visit(page, f"{url}/{path}")
    assert dialogs == []
    assert page.evaluate("() => window.__pwned || null") is None
    assert page.url.startswith(url)  # no refresh or <base> took the page away
    live = page.evaluate("""() => {
        const all = [...document.querySelectorAll('*')];
        return {
          handlers: all.flatMap(e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),
          jsLinks: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
                    .filter(h => /^\\s*(javascript|data|vbscript):/i.test(h)),
          frames: document.querySelectorAll('iframe, object, embed, base, meta[http-equiv]').length,
          scripts: [...document.scripts].filter(s => /__pwned/.test(s.textContent)).length,
        };
    }""")
    assert live == {"handlers": [], "jsLinks": [], "frames": 0, "scripts": 0}


def test_payloads_show_as_text(page_factory, hostile_site):
    """The page still shows what the editor wrote, as text."""
    site, url = hostile_site
    page = page_factory()
    visit(page, f"{url}/practices/2023-05-payload-practices-0/")
    assert page.locator("h1").inner_text().startswith("practices-title<img src=x onerror=")
    assert "unit<img src=x" in page.locator(".cb-panel__row--unit").inner_text()
    assert "theme<img src=x" in page.locator(".cb-panel__row--themes").inner_text()
    assert page.title().startswith("practices-title<img")
    visit(page, f"{url}/practices/")
    card = page.locator(".cb-card", has_text="practices-title").first.locator(".cb-card__summary")
    assert card.inner_text().startswith("正文开头\\<img src=x onerror=")  # the escaped <img> of the body, as text


def test_the_header_search_shows_payloads_as_text(page_factory, hostile_site):
    site, url = hostile_site
    page = page_factory()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{url}/")
    page.keyboard.press("/")
    page.locator("#cb-sbox-q").fill("title<img")
    page.wait_for_selector(".cb-sbox__list li")
    page.wait_for_timeout(200)
    assert dialogs == [] and page.evaluate("() => window.__pwned || null") is None
    assert "title<img" in page.locator(".cb-sbox__list").inner_text()
