"""汇编 of any size and bodies shown away from home: a compilation above
PART_SIZE entries is printed in parts (annual volumes, cut further when a
year is too long) with stable addresses; an entry's relative links, images
and anchors lead on a compilation page (and in its Word file) where they lead
on the entry's own page."""

from __future__ import annotations

import io
import os
import random
import re
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest
from casebook.core.bodylinks import rebase_body, relative_to, site_path
from casebook.core.compilations import PART_SIZE, Compilation, split_into_parts
from conftest import ROOT, copy_project, run_mkdocs_build
from test_links import broken_links, read, target_file

docx = pytest.importorskip("docx")


def _entries(years: dict[str, int]) -> list:
    return [SimpleNamespace(slug=f"{year}-{i}", year=year) for year, n in years.items() for i in range(n)]


def _parts(comp: Compilation) -> dict[str, list[str]]:
    return {p.part: [e.slug for e in p.entries] for p in comp.printable}


@pytest.mark.parametrize("years", [{"2023": 40, "2022": 60}, {"2023": 1}])
def test_a_compilation_that_fits_stays_whole(years):
    comp = split_into_parts(Compilation("x", "甲", "type", _entries(years)))
    assert comp.parts == [] and comp.printable == [comp] and comp.docx_uri == "compilations/x/x.docx"


def test_a_long_compilation_is_cut_into_annual_volumes_and_long_years_into_even_parts():
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    years = {str(y): rng.randint(1, 3 * PART_SIZE) for y in range(2015, 2025)}
    entries = _entries(years)
    rng.shuffle(entries)  # any order the compilation has: each part keeps it
    comp = split_into_parts(Compilation("unit-x", "甲", "unit", list(entries)))
    parts = _parts(comp)
    assert comp.docx_uri == "" and all(p.docx_uri for p in comp.parts)
    # every entry in exactly one part, each part within the size, newest year first
    assert sorted(s for slugs in parts.values() for s in slugs) == sorted(e.slug for e in entries), seed
    assert all(0 < len(slugs) <= PART_SIZE for slugs in parts.values()), seed
    keys = list(parts)
    assert [k[:4] for k in keys] == sorted((k[:4] for k in keys), reverse=True)
    for year, count in years.items():
        mine = [k for k in keys if k[:4] == year]
        expected = [year] if count <= PART_SIZE else [f"{year}-{n}" for n in range(1, -(-count // PART_SIZE) + 1)]
        assert mine == expected, (seed, year, count)
        sizes = [len(parts[k]) for k in mine]
        assert max(sizes) - min(sizes) <= 1  # even: never a part of one entry after a full one
        order = [e.slug for e in entries if e.year == year]
        assert [s for k in mine for s in parts[k]] == order  # the compilation's order within the year
    part = comp.parts[0]
    assert part.url == f"compilations/unit-x/{part.part}/" and part.docx_uri.endswith(f"unit-x-{part.part}.docx")
    assert part.full_title.startswith("甲（") and part.part_label in part.full_title
    # an entry of another year leaves every other year's volume where it was
    added = split_into_parts(Compilation("unit-x", "甲", "unit", [*entries, SimpleNamespace(slug="new", year="2010")]))
    assert {k: v for k, v in _parts(added).items() if k != "2010"} == parts


def test_a_list_the_editor_ordered_is_cut_in_that_order():
    entries = _entries({"2023": PART_SIZE + 5, "2021": PART_SIZE})
    random.Random(7).shuffle(entries)
    comp = split_into_parts(Compilation("pei-xun", "甲", "declared", list(entries)), ordered_by_editor=True)
    assert [p.part for p in comp.parts] == ["1", "2", "3"] and comp.parts[1].part_label == "第2册"
    assert [e.slug for p in comp.parts for e in p.entries] == [e.slug for e in entries]


# ------------------------------------------------------------ links, unit

KNOWN = {"practices/b.md": "practices/b/", "images/tu.png": "images/tu.png", "guide/fields.md": "guide/fields/",
         "index.md": ""}


@pytest.mark.parametrize("href, target", [
    ("b.md", "practices/b/"),
    ("b.md#zuo-fa", "practices/b/#zuo-fa"),
    ("../images/tu.png", "images/tu.png"),
    ("../guide/fields.md", "guide/fields/"),
    ("../index.md", ""),
    ("../b/", "practices/b/"),  # not a file: read against the entry's address, as the browser does there
    ("../../stats/?year=2023", "stats/?year=2023"),
    ("https://example.org/x", None), ("mailto:a@b", None), ("/abs/", None), ("#zuo-fa", None),
])
def test_a_relative_link_leads_where_it_leads_on_the_entry_page(href, target):
    assert site_path(href, "practices/a.md", "practices/a/", KNOWN.get) == target


@pytest.mark.parametrize("target, page, expected", [
    ("practices/b/", "compilations/x/", "../../practices/b/"),
    ("practices/b/#f", "compilations/x/2023/", "../../../practices/b/#f"),
    ("images/tu.png", "compilations/x/", "../../images/tu.png"),
    ("", "compilations/x/", "../../"),
    ("compilations/x/", "compilations/x/", "./"),
    ("practices/b/", "", "practices/b/"),
])
def test_relative_addresses(target, page, expected):
    assert relative_to(target, page) == expected
    assert urljoin(f"http://h/{page}", expected) == f"http://h/{target}"


def test_ids_are_prefixed_and_own_anchors_follow_values_stay_escaped():
    body = ('<h2 id="zuo-fa">做法</h2><p><a href="#zuo-fa">上文</a><sup id="fnref:1"><a href="#fn:1">1</a></sup>'
            '<a href="b.md?a=1&amp;b=2">乙</a><img alt="图" src="../images/tu.png"></p>')
    moved = rebase_body(body, "practices/a.md", "practices/a/", "compilations/x/", "e-a--", KNOWN.get)
    assert moved == ('<h2 id="e-a--zuo-fa">做法</h2><p><a href="#e-a--zuo-fa">上文</a><sup id="e-a--fnref:1">'
                     '<a href="#e-a--fn:1">1</a></sup><a href="../../practices/b/?a=1&amp;b=2">乙</a>'
                     '<img alt="图" src="../../images/tu.png"></p>')


# Addresses a page's folder could turn into something else than a path: a
# scheme (javascript:, data:, http:), a host (\\\\host, /\\host), a space or
# a tab in front. On compilations/x/ each leads from inside that folder.
CRAFTED = [
    '<a href="../../compilations/x/javascript:alert(1)">j</a>',
    '<a href="../../compilations/x/data:text/html,x">d</a>',
    '<a href="../../compilations/x/http:evil.example/">h</a>',  # an outside link, as written elsewhere
    '<img src="../../compilations/x/\\\\evil.example/a.png">',
    '<a href="../../compilations/x/\tjavascript:alert(1)">t</a>',
    '<a href="../../compilations/x/ /evil.example">s</a>',
]


def _real_bodies() -> list[str]:
    """Every sample entry's body and the hostile test's, as the site renders and sanitises them."""
    from casebook.core.htmlsafe import sanitise_html
    from casebook.core.text import default_renderer
    from conftest import ROOT
    from test_payloads_browser import BODY
    render = default_renderer()
    texts = [p.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for p in sorted((ROOT / "cases").rglob("*.md"))]
    return [sanitise_html(render(t)) for t in [*texts, BODY, LINKING.format(n=0, date="2023-01-01", other=1)]]


@pytest.mark.parametrize("page", ["compilations/x/", "compilations/x/2023/", "", "practices/a/"])
def test_a_moved_body_is_what_sanitising_it_again_would_give(page):
    """The copies are not sanitised a second time when their addresses are
    plain paths: they must read exactly as if they had been."""
    from casebook.core.bodylinks import MovedBody
    from casebook.core.htmlsafe import sanitise_html
    bodies = _real_bodies()
    assert len(bodies) > 5
    for body in bodies:
        for src_uri, entry_url in (("practices/a.md", "practices/a/"), ("warnings/c.md", "warnings/c/")):
            copy, plain = MovedBody(body, src_uri, entry_url, "e-a--", KNOWN.get).on(page)
            assert plain
            assert copy == sanitise_html(copy)
            assert "e-a--" in copy or ' id="' not in body


@pytest.mark.parametrize("crafted", CRAFTED)
def test_a_crafted_address_moved_into_the_page_folder_is_sanitised_again(crafted):
    from casebook.core.bodylinks import MovedBody
    from casebook.core.htmlsafe import sanitise_html
    body = sanitise_html(crafted)
    assert ("href" in body) or ("src" in body)  # relative on the entry page: kept by the first pass
    copy, plain = MovedBody(body, "practices/a.md", "practices/a/", "e-a--", KNOWN.get).on("compilations/x/")
    moved = rebase_body(body, "practices/a.md", "practices/a/", "compilations/x/", "e-a--", KNOWN.get)
    assert not plain and moved == sanitise_html(copy)
    assert not re.search(r'(href|src)="\s*(javascript|data):', moved, re.I)  # http: is an ordinary link
    assert not re.search(r'(href|src)="\s*[/\\][/\\]', moved)  # no other host
    elsewhere = rebase_body(body, "practices/a.md", "practices/a/", "compilations/y/", "e-a--", KNOWN.get)
    assert elsewhere.count("../x/") == 1  # from another folder the same address is a plain path


def test_a_value_that_looks_like_an_attribute_is_not_moved():
    from casebook.core.htmlsafe import sanitise_html
    body = sanitise_html('<a title="x href=" class="y" href="b.md">乙</a><h2 title=\' id="z\' id="h">标</h2>')
    moved = rebase_body(body, "practices/a.md", "practices/a/", "compilations/x/", "e-a--", KNOWN.get)
    assert moved == body.replace('href="b.md"', 'href="../../practices/b/"').replace('id="h"', 'id="e-a--h"')


# ------------------------------------------------------------ a real build

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f6d1f30000000049454e44ae426082")
LINKING = """\
---
title: 链接样本{n}
unit: 市直机关工委
date: {date}
themes: [警示教育]
---

## 主要做法 {{#zuo-fa}}

详见[另一篇](yang-ben-{other}.md)、[其做法](yang-ben-{other}.md#zuo-fa)和[同类做法](../yang-ben-{other}/)，
[填写说明](../guide/fields.md)，[首页](../index.md)，[上文](#zuo-fa)，[统计](../../stats/)。注释[^1]

![示意图](../images/tu.png)

[^1]: 注释内容。
"""
PLAIN = "---\ntitle: 样本{n}\nunit: 市直机关工委\ndate: {date}\nthemes: [警示教育]\n---\n\n样本{n}的正文。\n"


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img" and dict(attrs).get("src"):
            self.sources.append(dict(attrs)["src"])


@pytest.fixture(scope="module")
def long_project(tmp_path_factory):
    """One unit with PART_SIZE + 30 entries in 2023 and 20 in 2022: its
    compilations are split; three entries link every way an editor may."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    (root / "docs" / "images").mkdir()
    (root / "docs" / "images" / "tu.png").write_bytes(PNG)
    practices = root / "cases" / "practices"
    for n in range(PART_SIZE + 50):
        date = f"2023-{n % 12 + 1:02d}-{n % 28 + 1:02d}" if n < PART_SIZE + 30 else f"2022-{n % 12 + 1:02d}"
        text = (LINKING.format(n=n, date=date, other=(n + 1) % 3) if n < 3 else PLAIN.format(n=n, date=date))
        (practices / f"yang-ben-{n}.md").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def long_site(long_project, tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    result = run_mkdocs_build(long_project, site)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return site


def test_bodies_copied_from_entry_pages_equal_bodies_rendered_again(long_project, long_site, tmp_path):
    """A build copies into compilation pages the bodies MkDocs rendered for
    the entry pages; the preview renders unchanged entries' bodies again.
    Both ways give the same pages, links and images included."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import casebook.mkdocs.plugin as p\np.CasebookPlugin.reuse_page_bodies = False\n", encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(hook), str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")])}
    again = tmp_path / "site"
    result = run_mkdocs_build(long_project, again, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pages = sorted(p.relative_to(long_site) for p in (long_site / "compilations").rglob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        assert (again / page).read_bytes() == (long_site / page).read_bytes(), page


def test_a_long_compilation_is_built_in_parts_with_their_word_files(long_site):
    front = (long_site / "compilations" / "unit-shi-zhi-ji-guan-gong-wei" / "index.html").read_text(encoding="utf-8")
    assert "共收录 150 篇" in front and "分 3 册" in front
    found = {}
    for key, count in (("2023-1", 65), ("2023-2", 65), ("2022", 20)):
        folder = long_site / "compilations" / "unit-shi-zhi-ji-guan-gong-wei" / key
        page = (folder / "index.html").read_text(encoding="utf-8")
        assert f'href="{key}/"' in front and f"{count} 篇" in page
        assert len(re.findall(r'<section class="cb-comp__entry"', page)) == count
        document = docx.Document(io.BytesIO((folder / f"unit-shi-zhi-ji-guan-gong-wei-{key}.docx").read_bytes()))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert len(headings) == count
        found.update(dict.fromkeys(headings))
    assert len(found) == 150  # every entry printed once
    unit_page = (long_site / "units" / "shi-zhi-ji-guan-gong-wei" / "index.html").read_text(encoding="utf-8")
    assert "分 3 册" in unit_page
    assert "分 3 册" in (long_site / "compilations" / "index.html").read_text(encoding="utf-8")


def test_every_link_and_image_of_a_compilation_page_resolves(long_site):
    assert broken_links(long_site) == []  # every page, the compilations' parts with their bodies too
    pages = sorted((long_site / "compilations").rglob("index.html"))
    checked = 0
    for path in pages:
        base = "/" + path.relative_to(long_site).as_posix()
        text = path.read_text(encoding="utf-8")
        images = _Images()
        images.feed(text)
        for src in images.sources:
            assert target_file(long_site, urlsplit(urljoin(base, src)).path).is_file(), (base, src)
        for href in read(path).links:
            url = urlsplit(urljoin(base, href))
            if "yang-ben" in url.path or url.fragment.startswith("e-yang-ben"):
                checked += 1
        if "链接样本0" in text:  # the first linking entry: its body's links, rebased
            assert 'href="#e-yang-ben-0--zuo-fa"' in text and 'id="e-yang-ben-0--zuo-fa"' in text
            assert re.search(r'href="(\.\./)+practices/yang-ben-1/#zuo-fa"', text)
            assert re.search(r'src="(\.\./)+images/tu.png"', text)
    assert checked >= 3 * 6  # the links of the three linking entries, in every compilation holding them


def test_the_word_file_gives_each_link_and_image_its_address(long_site):
    texts = ["\n".join(p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs)
             for path in sorted((long_site / "compilations" / "unit-shi-zhi-ji-guan-gong-wei").rglob("*.docx"))]
    assert len(texts) == 3
    text = next(t for t in texts if "链接样本0" in t)
    assert "另一篇（/practices/yang-ben-1/）" in text
    assert "其做法（/practices/yang-ben-1/#zuo-fa）" in text
    assert "同类做法（/practices/yang-ben-1/）" in text
    assert "填写说明（/guide/fields/）" in text and "统计（/stats/）" in text
    assert "［图片：示意图，见 /images/tu.png］" in text
    assert "上文" in text and "（#" not in text  # an anchor of the entry itself is its text
    assert not re.search(r"（[^）]*\.md[#）]", text)  # no source file name leaks into print
