"""A compilation as a Word file (.docx).

Word's own styles carry the structure, so the navigation pane and a table
of contents work: the compilation's title is ``Title``, each entry a
``Heading 1`` starting on a new page, the entry's sections ``Heading 2``
and below. Fonts are named for Chinese Word: 宋体 (SimSun) for text, 黑体
(SimHei) for headings. Bodies come in as the site's sanitised HTML.

python-docx makes the package once per process: the styled empty document
(page, fonts, headings, the footer's page number). Its parts are kept
deflated (deflatedzip); the body is written as WordprocessingML text
(wordentry), each entry once per build, joined and deflated for each file.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from casebook.core.compilations import Compilation
from casebook.core.deflatedzip import Piece, archive, piece
from casebook.core.wordentry import Layout, entry_xml
from casebook.core.wordml import PAGE_BREAK, field, paragraph, run, xml_text

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


class _Skeleton:
    """The styled empty document python-docx makes, as package parts:
    every member but the body and the core properties deflated once."""

    def __init__(self):
        document = Document()
        _setup(document)
        core = document.core_properties
        core.title, core.author, core.language = _TITLE, _AUTHOR, "zh-CN"  # placeholders: filled in for each file
        section = document.sections[0]
        styles = document.styles
        names = [*_STYLES, "Title"] + (["TOC Heading"] if "TOC Heading" in styles else [])
        self.layout = Layout(style_ids={name: styles[name].style_id for name in names},
                             text_width=Emu(section.page_width - section.left_margin - section.right_margin).twips,
                             facts_widths=(Mm(28).twips, Mm(132).twips))
        out = io.BytesIO()
        document.save(out)
        self.members: list[tuple[str, Piece | None]] = []  # None: made for each file
        with zipfile.ZipFile(out) as package:
            for name in package.namelist():
                data = package.read(name)
                if name == _DOCUMENT:
                    text = data.decode("utf-8")
                    body_starts, section_starts = text.index("<w:body>") + len("<w:body>"), text.index("<w:sectPr")
                    if text[body_starts:section_starts].strip():
                        raise RuntimeError("python-docx's template has a body: the skeleton expects none")
                    self.head, self.tail = text[:body_starts].encode("utf-8"), text[section_starts:].encode("utf-8")
                elif name == _CORE:
                    self.core = data.decode("utf-8")
                    if self.core.count(f">{_TITLE}<") != 1 or self.core.count(f">{_AUTHOR}<") != 1:
                        raise RuntimeError("python-docx's core properties: the placeholders are not found once")
                self.members.append((name, None if name in (_DOCUMENT, _CORE) else piece(data)))

    def core_properties(self, title: str, author: str) -> bytes:
        return (self.core.replace(f">{_TITLE}<", f">{xml_text(title)}<")
                .replace(f">{_AUTHOR}<", f">{xml_text(author)}<").encode("utf-8"))

    def front_matter(self, compilation: Compilation, title: str, compiler: str, date_text: str) -> str:
        """The title page and the table of contents, before the first entry."""
        ids = self.layout.style_ids
        out = [paragraph(run(title), ids["Title"], centred=True)]
        out += [paragraph(run(line), centred=True)
                for line in (f"编者：{compiler}", f"编印日期：{date_text}", f"共收录 {len(compilation.entries)} 篇")]
        if compilation.foreword:
            out += [paragraph(run("前言", bold=True)), paragraph(run(compilation.foreword))]
        out += [PAGE_BREAK, paragraph(run("目录", bold=True), ids.get("TOC Heading")),
                paragraph(field('TOC \\o "1-1" \\h \\z \\u', "（打开文件时更新目录；或右键点此处选择“更新域”）"))]
        return "".join(out)


_DOCUMENT, _CORE = "word/document.xml", "docProps/core.xml"
# Each compilation's text is deflated for its own file: 354 MB of WordML in
# the 723 files of a 10,000-entry library took 3.2 s at zlib's level 6 and
# 1.2 s at level 2, for 46 MB of files instead of 35 MB.
DOCUMENT_LEVEL = 2
_TITLE, _AUTHOR = "casebook-title-7f3a", "casebook-author-7f3a"  # no text python-docx escapes
_SKELETON: list[_Skeleton] = []  # made on first use: python-docx's template costs ~40 ms to open


def _skeleton() -> _Skeleton:
    if not _SKELETON:
        _SKELETON.append(_Skeleton())
    return _SKELETON[0]


class PackedParts:
    """A cache of entries' Word paragraphs (``compilation_docx``'s ``parts``)
    that keeps each deflated: about a sixth of the memory (a plain dict of
    every entry's paragraphs was 0.6 GB at 50,000 entries), for a few
    microseconds per entry to pack and unpack -- against a third of a
    millisecond to make them again for every compilation holding the entry."""

    def __init__(self):
        self._packed: dict = {}

    def get(self, key):
        packed = self._packed.get(key)
        return None if packed is None else zlib.decompress(packed)

    def __setitem__(self, key, value: bytes) -> None:
        self._packed[key] = zlib.compress(value, 1)

    def __len__(self) -> int:
        return len(self._packed)

    def __contains__(self, key) -> bool:
        return key in self._packed

    def packed_bytes(self) -> int:
        return sum(map(len, self._packed.values()))

    def take(self, other: PackedParts, keep) -> int:
        """The parts of ``other`` whose key ``keep`` accepts (as they are,
        packed); how many."""
        taken = {key: packed for key, packed in other._packed.items() if keep(key)}
        self._packed.update(taken)
        return len(taken)


def entry_part(entry, body_html: str, url: str, link_base: str = "/") -> bytes:
    """An entry's paragraphs in a compilation's Word file (``parts``' values):
    ``body_html`` its body, links relative to the site's root; ``url``
    where it is on the site."""
    return entry_xml(entry, body_html, url, _skeleton().layout, link_base).encode("utf-8")


def compilation_docx(compilation: Compilation, body_html, site_name: str, date_text: str,
                     url_of=lambda entry: entry.url, parts: dict | None = None, link_base: str = "/") -> bytes:
    """``body_html(entry)``: the entry's body as sanitised HTML, its links
    relative to the site's root; ``url_of``: where the entry is on the site,
    printed under it; ``parts``: a cache of entries already made, shared by
    the compilations of one build (keyed by slug and address); ``link_base``:
    the site's address, before the body's links."""
    skeleton = _skeleton()
    title = compilation.full_title  # a part names itself: 某某汇编（2023年）
    compiler = compilation.compiler or site_name
    body = [skeleton.head, skeleton.front_matter(compilation, title, compiler, date_text).encode("utf-8")]
    for entry in compilation.entries:
        key = (entry.slug, url_of(entry))
        made = parts.get(key) if parts is not None else None
        if made is None:
            made = entry_part(entry, body_html(entry), key[1], link_base)
            if parts is not None:
                parts[key] = made
        body.append(made)
    body.append(skeleton.tail)
    members = []
    for name, constant in skeleton.members:
        if name == _DOCUMENT:  # deflated whole: entries deflated apart made it 2.5 times as large
            members.append((name, piece(b"".join(body), DOCUMENT_LEVEL)))
        elif name == _CORE:
            members.append((name, piece(skeleton.core_properties(title, compiler))))
        else:
            members.append((name, constant))
    return archive(members)
