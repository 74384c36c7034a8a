"""汇编: declared compilations are checked like entries; every kind is built
as a page and a Word file with one Heading 1 per entry; printed to PDF in
Chromium each entry starts a page."""

from __future__ import annotations

import io
import re
from textwrap import dedent

import pytest
from casebook.core.compilations import demote_headings
from casebook.core.library import check_entries, load_library
from casebook.core.site import plan_site
from conftest import ROOT
from libtools import GOOD_CASE, GOOD_PRACTICE, make_library, write_entry

docx = pytest.importorskip("docx")


@pytest.fixture
def lib(tmp_path):
    make_library(tmp_path)
    write_entry(tmp_path, "practices/p.md", GOOD_PRACTICE)
    write_entry(tmp_path, "warnings/c.md", GOOD_CASE)
    write_entry(tmp_path, "warnings/hidden.md", GOOD_CASE.replace("person:", "audience: internal\nperson:"))
    return tmp_path


def declare(root, text: str):
    (root / "cases" / "compilations.yml").write_text(dedent(text), encoding="utf-8")


def test_filter_and_list_compilations(lib):
    declare(lib, """\
        - name: jing-shi
          title: 警示教育汇编
          foreword: 供警示教育会使用。
          filter: {类型: 警示案例, violation: [违反八项规定, 违反廉洁纪律], year: 2022}
        - name: pei-xun
          title: 培训材料
          entries: [c, p.md]
        """)
    library = load_library(lib)
    assert library.problems == []
    comps = {c.name: c for c in plan_site(library).compilations}
    assert [e.slug for e in comps["jing-shi"].entries] == ["c", "hidden"]  # the internal build has both
    assert comps["jing-shi"].foreword == "供警示教育会使用。"
    assert [e.slug for e in comps["pei-xun"].entries] == ["c", "p"]  # the editor's order
    public = {c.name: c for c in plan_site(load_library(lib, profile="public")).compilations}
    assert [e.slug for e in public["jing-shi"].entries] == ["c"]
    for kind in ("type-practices", "type-warnings", "theme-jing-shi-jiao-yu", "unit-shi-cai-zheng-ju", "year-2022"):
        assert kind in comps, kind


BAD = [
    ("- name: a\n  title: 甲\n", 1, "filter", "filter（筛选条件）或 entries（条目列表）之一"),
    ("- name: a\n  title: 甲\n  entries: [c]\n  filter: {year: 2022}\n", 1, "filter", "之一"),
    ("- title: 甲\n  entries: [c]\n", 1, "name", "缺少 name"),
    ("- name: 汇编\n  title: 甲\n  entries: [c]\n", 1, "name", "只能用小写字母"),
    ("- name: a\n  title: 甲\n  entries: [cc]\n", 3, "entries", "条目“cc”不存在（是否指 c？）"),
    ("- name: a\n  title: 甲\n  filter: {unit: 财政局}\n", 3, "filter", "未知单位“财政局”"),
    ("- name: a\n  title: 甲\n  filter: {year: 22}\n", 3, "filter", "年份“22”应写四位数字"),
    ("- name: a\n  title: 甲\n  filter: {season: 春}\n", 3, "filter", "未知筛选条件“season”"),
    ("- name: a\n  title: 甲\n  entrys: [c]\n", 3, "entrys", "是否指 entries？"),
    ("- name: a\n  title: 甲\n  entries: [c]\n- name: a\n  title: 乙\n  entries: [p]\n", 4, "name", "重复"),
    ("- name: theme-x\n  title: 甲\n  entries: [c]\n", 1, "name", "与自动生成的汇编冲突"),
    ("name: a\n", 1, "汇编", "应为列表"),
    ("- name: [a\n", 1, "yaml", "YAML"),
]


@pytest.mark.parametrize("text, line, field, words", BAD)
def test_bad_compilations_are_reported_by_check(lib, text, line, field, words):
    declare(lib, text)
    problems = [p for p in load_library(lib).problems if p.path == "cases/compilations.yml"]
    assert problems, text
    problem = next((p for p in problems if p.field == field), problems[0])
    assert (problem.line, problem.field) == (line, field) and words in problem.format(), problem.format()
    # naming the file to `casebook check` checks it too
    assert [p.format() for p in check_entries(lib, [lib / "cases" / "compilations.yml"])] == [p.format() for p in problems]


def test_headings_move_one_level_down_keeping_their_ids():
    # the ids are unique on the page already: bodylinks.rebase_body prefixes them with the entry's
    html = '<h2 id="e-a--_1">一、做法</h2><p>正文 <a href="#x">h2</a></p><h6>最深</h6>'
    assert demote_headings(html) == '<h3 id="e-a--_1">一、做法</h3><p>正文 <a href="#x">h2</a></p><h6>最深</h6>'


@pytest.fixture(scope="module")
def compilations():
    return plan_site(load_library(ROOT, include_drafts=False)).compilations


def test_every_kind_is_built_with_its_word_file(built_site, compilations):
    kinds = {c.kind for c in compilations}
    assert kinds == {"declared", "type", "theme", "unit", "year"}
    index = (built_site / "compilations" / "index.html").read_text(encoding="utf-8")
    for comp in [part for c in compilations for part in c.printable]:
        page = (built_site / comp.url / "index.html").read_text(encoding="utf-8")
        assert f'href="{comp.docx_name}" download' in page
        assert comp.title in index
        for entry in comp.entries:
            assert f'<h2 id="t-{entry.slug}">' in page
        document = docx.Document(io.BytesIO((built_site / comp.docx_uri).read_bytes()))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert headings == [e.title for e in comp.entries], comp.name
        assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [comp.full_title]


def test_the_word_file_names_chinese_fonts_a4_and_a_contents_field(built_site, compilations):
    comp = next(c for c in compilations if c.kind == "declared")
    document = docx.Document(io.BytesIO((built_site / comp.docx_uri).read_bytes()))
    fonts = {name: document.styles[name].element.rPr.rFonts for name in ("Normal", "Heading 1", "Title")}
    east_asia = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    assert fonts["Normal"].get(east_asia) == "宋体" and document.styles["Normal"].font.name == "SimSun"
    assert fonts["Heading 1"].get(east_asia) == "黑体" and fonts["Title"].get(east_asia) == "黑体"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    xml = document.element.xml
    assert 'TOC \\o "1-1"' in xml and "PAGE" in section.footer.paragraphs[0]._p.xml
    body_headings = [p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Heading 2" in body_headings  # the entries' own sections, one level below


def test_term_and_type_pages_link_their_compilation(built_site, compilations):
    theme = next(c for c in compilations if c.kind == "theme")
    page = (built_site / "themes" / theme.name.removeprefix("theme-") / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'href="../../{theme.url}">打印汇编</a> · <a href="../../{theme.docx_uri}" download>下载 Word', page)
    listing = (built_site / "warnings" / "index.html").read_text(encoding="utf-8")
    assert 'href="../compilations/type-warnings/">打印汇编' in listing
