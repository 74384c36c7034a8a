"""The python-docx builder of compilation Word files as it was before the
body was written as WordprocessingML text (commit e64153c, worddoc.py),
kept unchanged as the reference test_word_files.py compares the new files
with. Not used by the project."""

from __future__ import annotations

import copy
import io
from html.parser import HTMLParser
from urllib.parse import urljoin

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from casebook.core.compilations import Compilation, entry_facts

_STYLES = ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Quote", "List Bullet", "List Number", "Table Grid")
BODY_FONT = ("SimSun", "宋体")  # (Latin name, East Asian name)
HEADING_FONT = ("SimHei", "黑体")


def _font(style, font: tuple[str, str], size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = font[0]
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), font[0])
    fonts.set(qn("w:eastAsia"), font[1])
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme_attr), None)  # a theme font would win over the named one
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def _setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(25)
    styles = document.styles
    _font(styles["Normal"], BODY_FONT, 12)
    for level, size in ((1, 16), (2, 14), (3, 13), (4, 12)):
        _font(styles[f"Heading {level}"], HEADING_FONT, size, True)
        styles[f"Heading {level}"].font.color.rgb = None
    _font(styles["Title"], HEADING_FONT, 22, True)
    styles["Title"].font.color.rgb = None
    # Word asks to update fields (the table of contents) when the file opens
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    # page numbers in the footer
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", "1")


def _field(paragraph, instruction: str, placeholder: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", placeholder), ("end", None)):
        if kind == "instr":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = f" {text} "
        elif kind == "text":
            node = OxmlElement("w:t")
            node.text = text
        else:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        run._r.append(node)


def _paragraph(document, style=None):
    """A new paragraph in ``style``, set by its id: python-docx's own lookup
    scans every style for each paragraph, which dominated the build."""
    paragraph = document.add_paragraph()
    if style is not None:
        paragraph._p.style = style.style_id
    return paragraph


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


class _Body(HTMLParser):
    """Sanitised HTML of one entry body into paragraphs of ``document``:
    headings one level below the entry's, lists, tables, quotes; bold and
    italic kept; any other markup keeps its text. Paper has no links: a link
    is its text followed by its address (（网址）), an image a line naming it
    and its address; a link to an anchor of the entry itself is its text.
    Relative addresses are read against ``link_base`` (the site's address):
    the body's links must be relative to the site's root (bodylinks)."""

    _HEADINGS = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}

    def __init__(self, document, styles: dict, link_base: str = "/"):
        super().__init__(convert_charrefs=True)
        self.doc = document
        self.styles = styles  # looked up once: python-docx finds a style by name slowly
        self.link_base = link_base
        self.links: list[tuple[str, int]] = []  # (address, where its text starts in self.seen) of open <a>
        self.seen: list[str] = []  # the body's text so far
        self.paragraph = None
        self.bold = self.italic = 0
        self.lists: list[str] = []
        self.cell_text: list[str] | None = None
        self.rows: list[list[str]] = []

    def _new(self, style: str | None = None):
        self.paragraph = _paragraph(self.doc, self.styles[style] if style else None)

    def _address(self, href: str) -> str:
        return "" if not href or href.startswith("#") else urljoin(self.link_base, href)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append((self._address(dict(attrs).get("href") or ""), len(self.seen)))
            return
        if tag == "img":
            found = dict(attrs)
            alt, address = (found.get("alt") or "").strip(), self._address(found.get("src") or "")
            self.handle_data(f"［图片{'：' + alt if alt else ''}{'，见 ' + address if address else ''}］")
            return
        if self.cell_text is not None and tag not in ("td", "th", "tr"):
            return
        if tag in self._HEADINGS:
            self._new(f"Heading {self._HEADINGS[tag]}")
        elif tag == "p":
            self._new("Quote" if "blockquote" in self.lists else None)
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "blockquote":
            self.lists.append("blockquote")
        elif tag == "li":
            self._new("List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet")
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()
        elif tag == "table":
            self.rows = []
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell_text = []

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            address, at = self.links.pop()
            text = "".join(self.seen[at:]).strip()
            if address and text and text != address:  # the address after the text it was under
                self.handle_data(f"（{address}）")
            return
        if tag in ("td", "th") and self.cell_text is not None:
            if self.rows:
                self.rows[-1].append(" ".join("".join(self.cell_text).split()))
            self.cell_text = None
        elif tag == "table":
            self._table()
        elif tag in ("ul", "ol", "blockquote") and self.lists:
            self.lists.pop()
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag in ("p", "li") or tag in self._HEADINGS:
            self.paragraph = None

    def handle_data(self, data):
        self.seen.append(data)
        if self.cell_text is not None:
            self.cell_text.append(data)
            return
        if not data.strip() and self.paragraph is None:
            return
        if self.paragraph is None:
            self._new()
        run = self.paragraph.add_run(data.replace("\n", " ") if self.paragraph.runs else data.lstrip())
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None

    def _table(self):
        rows = [r for r in self.rows if r]
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table._tbl.tblStyle_val = self.styles["Table Grid"].style_id
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
        self.rows = []
        self.paragraph = None


_SCRATCH: list = []  # one scratch document for the process: opening python-docx's template costs ~40 ms


def _scratch():
    """The scratch document, emptied, and its styles."""
    if not _SCRATCH:
        document = Document()
        _SCRATCH.append((document, {name: document.styles[name] for name in _STYLES}))
    document, styles = _SCRATCH[0]
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)  # what the last entry made is kept by its caller, detached
    return document, styles


def _entry_parts(entry, html: str, url: str, link_base: str = "/") -> list:
    """The Word paragraphs and tables of one entry, from a page break to its
    lessons, made in the scratch document: every compilation that holds the
    entry copies them (documents from python-docx's template share style ids)."""
    document, styles = _scratch()
    body = document.element.body
    _page_break(document)
    _paragraph(document, styles["Heading 1"]).add_run(entry.title)
    facts = document.add_table(rows=0, cols=2)
    facts._tbl.tblStyle_val = styles["Table Grid"].style_id
    for label, text in [*entry_facts(entry), ("网址", url)]:
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, text
        cells[0].paragraphs[0].runs[0].bold = True
        cells[0].width, cells[1].width = Mm(28), Mm(132)
    if entry.summary_given:
        summary = document.add_paragraph()
        summary.add_run("摘要：").bold = True
        summary.add_run(entry.summary)
    parser = _Body(document, styles, link_base)
    parser.feed(html)
    parser.close()
    if entry.lessons:
        lessons = document.add_paragraph()
        lessons.add_run("警示启示：").bold = True
        lessons.add_run(entry.lessons)
    return [child for child in body if child.tag != qn("w:sectPr")]


def compilation_docx(compilation: Compilation, body_html, site_name: str, date_text: str,
                     url_of=lambda entry: entry.url, parts: dict | None = None, link_base: str = "/") -> bytes:
    """``body_html(entry)``: the entry's body as sanitised HTML, its links
    relative to the site's root; ``url_of``: where the entry is on the site,
    printed under it; ``parts``: a cache of entries already made, shared by
    the compilations of one build; ``link_base``: the site's address, before
    the body's links."""
    document = Document()
    _setup(document)
    core = document.core_properties
    title = compilation.full_title  # a part names itself: 某某汇编（2023年）
    core.title, core.author, core.language = title, compilation.compiler or site_name, "zh-CN"

    document.add_paragraph(title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (f"编者：{compilation.compiler or site_name}", f"编印日期：{date_text}",
                 f"共收录 {len(compilation.entries)} 篇"):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if compilation.foreword:
        heading = document.add_paragraph()
        heading.add_run("前言").bold = True
        document.add_paragraph(compilation.foreword)
    _page_break(document)

    heading = document.add_paragraph(style="TOC Heading" if "TOC Heading" in document.styles else None)
    heading.add_run("目录").bold = True
    _field(document.add_paragraph(), 'TOC \\o "1-1" \\h \\z \\u', "（打开文件时更新目录；或右键点此处选择“更新域”）")

    body = document.element.body
    for entry in compilation.entries:
        key = (entry.slug, url_of(entry))
        if parts is None or key not in parts:
            made = _entry_parts(entry, body_html(entry), url_of(entry), link_base)
            if parts is None:
                parts_of_entry = made
            else:
                parts[key] = parts_of_entry = made
        else:
            parts_of_entry = parts[key]
        for element in parts_of_entry:
            body.sectPr.addprevious(copy.deepcopy(element))
    out = io.BytesIO()
    document.save(out)
    return _without_timestamps(out.getvalue())


_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold


def _without_timestamps(data: bytes) -> bytes:
    """The .docx with every member dated 1980-01-01: python-docx stamps the
    zip members with the clock, which would make two builds differ."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=_ZIP_EPOCH)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, member.external_attr
            target.writestr(info, source.read(member))
    return out.getvalue()
