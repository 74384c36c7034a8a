"""Compilation Word files, written as WordprocessingML text, read back
with python-docx: every paragraph and table cell, in order, with its style
and its bold and italic runs, equals what the python-docx builder they
replace made of the same input (tests/worddoc_reference.py), for entries of
a generated library and bodies assembled at random from its text with
hostile characters; and the body's text is all there, in order."""

from __future__ import annotations

import copy
import html as htmllib
import io
import os
import random
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")
import markdown
import worddoc_reference
from libtools import gen_corpus
from casebook.core.compilations import Compilation
from casebook.core.htmlsafe import sanitise_html
from casebook.core.library import load_library
from casebook.core.site import plan_site
from casebook.core.worddoc import compilation_docx
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]
SEED = int(os.environ.get("CASEBOOK_TEST_SEED") or random.SystemRandom().randrange(10**6))
SITE = "http://neibu.example/anli/"
# characters XML 1.0 forbids, written out here apart from the code's own list
FORBIDDEN = "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), 0xD800, 0xDFFF, 0xFFFE, 0xFFFF]))
HOSTILE = ["a < b && c > d", "]]>", "<![CDATA[x]]>", "&amp;lt;", "x\x01y\x0bz\x1fw\x00v", "\ufffe\uffff",
           "😀👨‍👩‍👧 表情", "𠀀𪚥𫝀 扩展B", "tab\there", '"引号" \'单\'', "line\r\nbreak", "　全角空格　",
           "长" * 30_000]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated library, its plan and the site's Markdown."""
    project = gen_corpus().generate(120, tmp_path_factory.mktemp("corpus") / "project", seed=SEED)
    library = load_library(project, include_drafts=False)
    config = load_config(str(project / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    return library, plan_site(library), md


def without_forbidden(text: str) -> str:
    return "".join(c for c in text if c not in FORBIDDEN)


def blocks(data: bytes) -> list:
    """The body of a Word file as python-docx reads it: paragraphs (style,
    alignment, page break, runs with bold/italic) and tables (style, cells
    with the bold of their runs), in order."""
    document = docx.Document(io.BytesIO(data))
    out = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = Paragraph(child, document._body)
            out.append(("p", p.style.name, p.alignment, p.contains_page_break,
                        [(r.text, bool(r.bold), bool(r.italic)) for r in p.runs if r.text]))
        elif child.tag == qn("w:tbl"):
            t = Table(child, document._body)
            out.append(("table", t.style.name, [[(c.text, [bool(r.bold) for p in c.paragraphs for r in p.runs if r.text])
                                                  for c in row.cells] for row in t.rows]))
    return out


def both(comp, bodies: dict, hostile_fields: bool = False):
    """The new file and the reference's for ``comp``; the reference gets
    its input without the characters XML forbids (lxml refuses them)."""
    url_of = lambda e: SITE + e.url  # noqa: E731
    new = compilation_docx(comp, lambda e: bodies[e.slug], "清廉机关建设案例库", "2026年1月1日", url_of, {}, SITE)
    clean = copy.copy(comp)
    if hostile_fields:
        clean.entries = []
        for entry in comp.entries:
            twin = copy.copy(entry)
            twin.values = {k: without_forbidden(v) if isinstance(v, str) else v for k, v in entry.values.items()}
            clean.entries.append(twin)
        clean.title, clean.foreword, clean.compiler = (without_forbidden(comp.title), without_forbidden(comp.foreword),
                                                       without_forbidden(comp.compiler))
    old = worddoc_reference.compilation_docx(clean, lambda e: without_forbidden(bodies[e.slug]), "清廉机关建设案例库",
                                             "2026年1月1日", url_of, {}, SITE)
    return new, old


def word_text(data: bytes) -> str:
    return "".join(text for block in blocks(data) for text in _texts(block))


def _texts(block):
    if block[0] == "p":
        yield "".join(r[0] for r in block[4])
    else:
        yield from (cell[0] for row in block[2] for cell in row)


def in_order(needle: str, haystack: str) -> bool:
    """Every character of ``needle`` appears in ``haystack``, in order."""
    found = iter(haystack)
    return all(c in found for c in needle)


def html_text(html: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]*>", "", html))


def squeeze(text: str) -> str:
    return "".join(without_forbidden(text).split())


def same_as_reference(new: bytes, old: bytes) -> None:
    got, want = blocks(new), blocks(old)
    assert len(got) == len(want), (SEED, len(got), len(want))
    for i, (a, b) in enumerate(zip(got, want)):
        assert a == b, (SEED, i, a, b)


def test_generated_entries_read_back_as_the_reference_made_them(corpus):
    library, plan, md = corpus
    rng = random.Random(SEED)
    bodies = {e.slug: sanitise_html(md.reset().convert(e.body)) for e in library.entries}
    printable = [p for c in plan.compilations for p in c.printable]
    for comp in rng.sample(printable, 3):
        comp = copy.copy(comp)
        comp.entries = comp.entries[:20]  # the reference takes ~50 ms an entry
        new, old = both(comp, bodies)
        same_as_reference(new, old)
        text = squeeze(word_text(new))
        for entry in comp.entries:
            assert in_order(squeeze(html_text(bodies[entry.slug])), text), (SEED, entry.slug)
        headings = [b[4][0][0] for b in blocks(new) if b[0] == "p" and b[1] == "Heading 1"]
        assert headings == [e.title for e in comp.entries]


def random_markdown(rng: random.Random, lines: list[str]) -> str:
    """A body of real sentences in every structure the site renders, with hostile text among them."""
    def words():
        return rng.choice(HOSTILE) if rng.random() < 0.25 else rng.choice(lines)[: rng.randrange(5, 80)]

    kinds = [0, 0, 0, 0, *range(1, 7)]  # every structure once (headings of four levels), then at random
    rng.shuffle(kinds)
    kinds += [rng.randrange(10) for _ in range(rng.randrange(0, 8))]
    levels = [2, 3, 4, 6]  # the first headings: Heading 2, 3, 4 and the deepest
    pieces = []
    for kind in kinds:
        if kind == 0:
            pieces.append(f"{'#' * (levels.pop(0) if levels else rng.randrange(1, 7))} {words()}")
        elif kind == 1:
            pieces.append(f"{words()} **{words()}** *{words()}* ***{words()}***\n{words()}  \n{words()}")
        elif kind == 2:
            marker = rng.choice(["-", "1."])
            pieces.append("\n".join(f"{marker} {words()}" + (f"\n    - {words()}" if rng.random() < 0.3 else "")
                                    for _ in range(rng.randrange(1, 4))))
        elif kind == 3:
            pieces.append(f"> {words()}\n>\n> **{words()}**")
        elif kind == 4:
            rows = [f"| {words()} | {words()} |" for _ in range(rng.randrange(1, 4))]
            pieces.append("\n".join([f"| {words()} | {words()} |", "| --- | --- |", *rows, f"| {words()} |"]))
        elif kind == 5:
            pieces.append(f"见[{words()}](/practices/x-{rng.randrange(9)}/)、[上文](#zuo-fa)、<https://example.org/a?b=1&c=2>、"
                          f"[同一](https://example.org/)。")
        elif kind == 6:
            pieces.append(f"![{words()}](/images/tu-{rng.randrange(9)}.png) ![](/images/kong.png)")
        else:
            pieces.append(words())
    return "\n\n".join(pieces)


def test_random_structures_and_hostile_text_read_back_as_the_reference_made_them(corpus):
    library, _, md = corpus
    rng = random.Random(SEED + 1)
    lines = [line.strip("#-> ") for e in library.entries for line in e.body.splitlines() if len(line) > 20]
    entries = []
    for entry in rng.sample(library.entries, 12):
        entry = copy.copy(entry)
        entry.values = dict(entry.values)
        entry.title = f"{rng.choice(HOSTILE)[:200]}{entry.title}"
        entry.source, entry.lessons = rng.choice(HOSTILE), f"{rng.choice(HOSTILE)}\n{rng.choice(lines)}"
        entry.summary, entry.summary_given = rng.choice(HOSTILE), True
        entries.append(entry)
    bodies = {e.slug: sanitise_html(md.reset().convert(random_markdown(rng, lines))) for e in entries}
    # no file holds a lone surrogate (and nh3 refuses one), but a Python string can
    bodies[entries[0].slug] = "<p>\x01\x1f\ud800 前有控制字符</p><table><tr><td>\x1fa\x1fb</td></tr></table>" + "".join(HOSTILE)
    comp = Compilation("x", "汇编 <&> ]]>\x01", "declared", entries, foreword="前言 & <b>不是标记</b>\n第二行",
                       compiler="编者\x0b<甲>\udfff")
    new, old = both(comp, bodies, hostile_fields=True)
    same_as_reference(new, old)
    found = blocks(new)
    styles = {b[1] for b in found}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Bullet", "List Number", "Quote",
            "Table Grid"} <= styles, (SEED, styles)
    runs = [r for b in found if b[0] == "p" for r in b[4]]
    assert any(r[1] and r[2] for r in runs) and any(r[1] and not r[2] for r in runs) and any(r[2] and not r[1] for r in runs)
    text = squeeze(word_text(new))
    for entry in entries:
        assert in_order(squeeze(html_text(bodies[entry.slug])), text), (SEED, entry.slug)
    assert "长" * 30_000 in word_text(new) and "𠀀𪚥𫝀" in text and "😀👨‍👩‍👧" in text and "]]>" in text
    assert "［图片：" in text and "（https://example.org/a?b=1&c=2）" not in text  # an address shown as itself is not repeated


def test_the_file_is_a_sound_reproducible_package_with_its_properties(corpus):
    library, plan, md = corpus
    comp = next(p for c in plan.compilations for p in c.printable if c.kind == "type")
    comp = copy.copy(comp)
    comp.entries, comp.compiler = comp.entries[:5], "市纪委 <监委> & 派驻组"
    bodies = {e.slug: sanitise_html(md.reset().convert(e.body)) for e in comp.entries}
    made = [compilation_docx(comp, lambda e: bodies[e.slug], "站", "2026年1月1日", parts=parts, link_base=SITE)
            for parts in ({}, {}, None)]
    assert made[0] == made[1] == made[2]  # the same bytes, with or without entries made before
    with zipfile.ZipFile(io.BytesIO(made[0])) as package:
        assert package.testzip() is None
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert package.namelist()[0] == "[Content_Types].xml" and "word/styles.xml" in package.namelist()
    document = docx.Document(io.BytesIO(made[0]))
    core = document.core_properties
    assert (core.title, core.author, core.language) == (comp.full_title, "市纪委 <监委> & 派驻组", "zh-CN")
    facts = document.tables[0]
    assert facts.style.name == "Table Grid" and [c.width.twips for c in facts.rows[0].cells] == [Mm(28).twips, Mm(132).twips]
    grid = facts._tbl.tblGrid.gridCol_lst
    assert [g.w.twips for g in grid] == [Mm(28).twips, Mm(132).twips]  # the grid as wide as the cells


def test_no_office_program_is_needed(corpus, monkeypatch):
    library, _, _ = corpus
    def refuse(*args, **kwargs):
        raise AssertionError("a program was started")
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(os, "system", refuse)
    comp = Compilation("y", "汇编", "declared", library.entries[:3])
    data = compilation_docx(comp, lambda e: "<p>正文</p>", "站", "2026年1月1日")
    assert [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.style.name == "Heading 1"] == \
        [e.title for e in library.entries[:3]]


def test_packed_parts_give_back_what_was_put_in_and_keep_it_smaller():
    from casebook.core.worddoc import PackedParts
    parts = PackedParts()
    made = ("<w:p><w:r><w:t>清廉机关建设</w:t></w:r></w:p>" * 200).encode("utf-8")
    parts[("slug", "/practices/slug/")] = made
    assert parts.get(("slug", "/practices/slug/")) == made
    assert parts.get(("slug", "/elsewhere/")) is None and len(parts) == 1
    assert parts.packed_bytes() < len(made) / 5
