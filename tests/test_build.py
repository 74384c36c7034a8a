"""`mkdocs build --strict` on the sample library: the pages, their contents,
their size, and that nothing points outside the intranet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from casebook.core.library import load_library
from casebook.core.vocab import load_vocabularies
from conftest import ROOT, copy_project, run_mkdocs_build

# Host names under .example (RFC 2606, used in the deployment guide) can never be reached.
OUTSIDE = re.compile(r"https?://(?!www\.w3\.org/|www\.sitemaps\.org/schemas/|[\w.-]+\.example[/:])[^\s\"'<>)]+")
MAX_ENTRY_PAGE = 60 * 1024


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT, include_drafts=False)


def html(site: Path, url: str) -> str:
    path = site / url / "index.html"
    assert path.exists(), f"/{url} is missing"
    return path.read_text(encoding="utf-8")


def test_sample_library_is_big_enough_and_clean(library):
    assert library.problems == []
    by_type = {t: sum(1 for e in library.entries if e.type.key == t) for t in ("practice", "case", "report")}
    assert all(n >= 12 for n in by_type.values()), by_type
    assert library.drafts >= 1


def test_every_contract_url_exists(built_site, library):
    vocabs, _ = load_vocabularies(ROOT / "cases", ROOT)
    urls = ["", "practices/", "warnings/", "reports/", "units/", "themes/", "years/", "tags/", "stats/"]
    urls += [f"units/{t.slug}/" for t in vocabs["units"].terms]
    urls += [f"themes/{t.slug}/" for t in vocabs["themes"].terms]
    urls += [f"years/{y}/" for y in {e.year for e in library.entries}]
    urls += [e.url for e in library.entries]
    for url in urls:
        assert (built_site / url / "index.html").exists(), f"/{url} is missing"
    tag_pages = list((built_site / "tags").glob("*/index.html"))
    assert len(tag_pages) == len({t for e in library.entries for t in e.tags})


def test_drafts_are_not_built(built_site):
    drafts = [p.stem for p in (ROOT / "cases").rglob("*.md")
              if re.search(r"^(status|状态):\s*(draft|草稿)\s*$", p.read_text(encoding="utf-8"), re.M)]
    assert drafts
    for slug in drafts:
        assert not list(built_site.glob(f"*/{slug}/index.html"))
        assert slug not in (built_site / "practices" / "index.html").read_text(encoding="utf-8")


def test_entry_page_shows_metadata_and_related(built_site, library):
    case = next(e for e in library.entries if e.type.key == "case")
    page = html(built_site, case.url)
    assert f"<h1>{case.title}</h1>" in page or case.title in page
    panel = page[page.index('class="cb-panel"'):page.index("</dl>")]
    for text in (case.unit.name, case.date, "警示案例", *[t.name for t in case.themes],
                 *[v.name for v in case.violations], *[o.name for o in case.outcomes], case.person):
        assert text in panel, text
    assert f'href="../../units/{case.unit.slug}/"' in panel
    assert case.lessons in page
    assert "相关条目" in page
    with_related = next(e for e in library.entries if e.related)
    page = html(built_site, with_related.url)
    related = page[page.index('class="cb-related"'):]
    first = library.by_slug()[with_related.related[0]]
    assert first.title in related
    assert related.index(first.title) < 600 + related.index("cb-cards")  # the editor's choice comes first


def test_unit_page_lists_the_units_entries_by_type(built_site, library):
    unit = max({e.unit.name: e.unit for e in library.entries}.values(),
               key=lambda u: len({e.type.key for e in library.entries if e.unit is u}))
    mine = [e for e in library.entries if e.unit is unit]
    page = html(built_site, f"units/{unit.slug}/")
    for entry in mine:
        assert entry.title in page
    headings = re.findall(r'<h2 id="(practice|case|report)"', page)
    assert headings == [k for k in ("practice", "case", "report") if any(e.type.key == k for e in mine)]
    assert f"共 {len(mine)} 条" in page


def test_unit_index_is_grouped_with_counts(built_site, library):
    page = html(built_site, "units/")
    vocabs, _ = load_vocabularies(ROOT / "cases", ROOT)
    for group in vocabs["units"].groups():
        assert f"<h2>{group}" in page
    count = sum(1 for e in library.entries if e.unit.name == library.entries[0].unit.name)
    assert re.search(rf'{library.entries[0].unit.name}</span><span class="cb-count">{count}</span>', page)


def test_type_index_is_newest_first(built_site, library):
    page = html(built_site, "practices/")
    practices = [e for e in library.entries if e.type.key == "practice"]
    positions = [page.index(e.title) for e in practices[:10]]
    assert positions == sorted(positions)


def test_home_page_totals_latest_and_entry_points(built_site, library):
    page = html(built_site, "")
    for key, label in (("practice", "经验做法"), ("case", "警示案例"), ("report", "工作报告")):
        n = sum(1 for e in library.entries if e.type.key == key)
        assert re.search(rf'<span class="cb-totals__n">{n}</span><span class="cb-totals__label">{label}', page)
    assert library.entries[0].title in page
    assert 'href="units/' in page and 'href="themes/' in page


def test_navigation_holds_sections_never_entries(built_site, library):
    page = html(built_site, library.entries[0].url)
    nav = page[page.index('<nav class="md-nav md-nav--primary'):]
    nav = nav[:nav.index('<nav class="md-nav md-nav--secondary')]
    titles = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*(?:<span[^>]*>)?\s*([^<\s][^<]*?)\s*<', nav)
    assert not any(e.title in nav for e in library.entries)
    assert "经验做法" in nav and "按单位" in nav and "编辑指南" in nav
    assert len(set(titles)) <= 20, titles  # a fixed set of sections and guide pages, whatever the library size


def test_breadcrumbs_on_entry_pages(built_site, library):
    entry = library.entries[0]
    page = html(built_site, entry.url)
    crumbs = page[page.index('class="cb-crumbs"'):]
    crumbs = crumbs[:crumbs.index("</nav>")]
    assert "首页" in crumbs and entry.type.label in crumbs and entry.title in crumbs


def test_entry_pages_stay_small(built_site, library):
    sizes = {e.url: (built_site / e.url / "index.html").stat().st_size for e in library.entries}
    assert max(sizes.values()) <= MAX_ENTRY_PAGE, max(sizes.items(), key=lambda kv: kv[1])


def test_no_file_names_an_outside_address(built_site):
    found = []
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix not in (".png", ".ico", ".gz", ".woff", ".woff2"):
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{path.relative_to(built_site)}: {m}" for m in OUTSIDE.findall(text)]
    assert found == []


def test_theme_is_chinese_and_offline(built_site):
    page = html(built_site, "")
    assert '<html lang="zh"' in page
    assert "fonts.googleapis" not in page and "fonts.gstatic" not in page
    assert 'name="viewport"' in page


def test_schema_is_published(built_site):
    import json
    schema = json.loads((built_site / "schema" / "casebook-front-matter.schema.json").read_text(encoding="utf-8"))
    assert "unit" in schema["properties"] and "单位" in schema["properties"]


def test_public_profile_leaves_internal_entries_out(tmp_path):
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p", with_entries=True)
    internal = load_library(project).entries
    internal_only = [e for e in internal if e.audience == "internal"]
    assert internal_only, "the sample library should have internal entries"
    result = run_mkdocs_build(project, tmp_path / "site", env={"CASEBOOK_PROFILE": "public"})
    assert result.returncode == 0, result.stderr
    for entry in internal_only:
        assert not (tmp_path / "site" / entry.url).exists()
        assert entry.title not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_strict_build_lists_every_problem_without_traceback(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    copy_project(project, with_entries=True)
    good = next((project / "cases" / "practices").glob("*.md"))
    text = good.read_text(encoding="utf-8")
    (project / "cases" / "practices" / "broken-unit.md").write_text(
        re.sub(r"^(unit|单位):.*$", "unit: 不存在的单位", text, count=1, flags=re.M), encoding="utf-8")
    (project / "cases" / "practices" / "broken-yaml.md").write_text("---\ntitle: [未闭合\n---\n正文\n", encoding="utf-8")
    (project / "cases" / "practices" / "broken-date.md").write_text(
        re.sub(r"^(date|日期):.*$", "date: 2023年5月", text, count=1, flags=re.M), encoding="utf-8")
    result = run_mkdocs_build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert "cases/practices/broken-unit.md:" in output and "未知单位“不存在的单位”" in output
    assert re.search(r"cases/practices/broken-yaml\.md:2: yaml: title 的值：括号没有成对", output)
    assert re.search(r"cases/practices/broken-date\.md:\d+: date: 日期“2023年5月”格式不对（可改为 2023-05）", output)


def test_non_strict_build_keeps_the_valid_entries_and_shows_the_problems(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    copy_project(project, with_entries=True)
    (project / "cases" / "practices" / "broken.md").write_text("---\ntitle: 缺字段\n---\n正文\n", encoding="utf-8")
    import os  # noqa: E401
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")], cwd=project,
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "practices" / "broken").exists()
    problems = (tmp_path / "site" / "problems" / "index.html").read_text(encoding="utf-8")
    assert "cases/practices/broken.md:2" in problems and "缺少必填字段 unit" in problems
    assert "内容问题" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
