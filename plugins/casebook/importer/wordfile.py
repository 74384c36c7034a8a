"""Reading a Word (.docx) file into blocks.

The text is the document as Word shows it with all changes accepted (see
``wordtext``). Kept from Word: heading styles (``Heading 1``/``标题 1``,
outline levels) as heading levels, the ``Title`` style as the title,
automatic numbering as the text it displays (``一、`` ``（一）`` ``1.``),
tables (merged cells once), text boxes, footnotes and endnotes (as Markdown
footnotes). Page headers and footers, comments and pictures are not
imported: each is named, with examples, in the notes.
"""

from __future__ import annotations

import re
from functools import reduce
from pathlib import Path

from casebook.importer.limits import check_docx_package
from casebook.importer.linebreaks import glue, join_soft_breaks
from casebook.importer.model import (
    HEADING,
    PARAGRAPH,
    TABLE,
    Block,
    ImportFailure,
    Source,
)
from casebook.importer.wordtext import (
    PAGE,
    SOFT,
    Leftovers,
    NoteRefs,
    WordText,
    block_items,
    mark_deleted,
    table_grid,
    w,
)
from casebook.importer.wordtext import xp as _xp

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_TITLE_STYLES = {"title", "标题"}
_STYLE_DEPTH = 20  # styles based on styles: a cycle in a damaged file must not loop for ever


def read_docx(path: Path) -> Source:
    check_docx_package(path)
    try:
        import docx

        document = docx.Document(str(path))
    except PermissionError:
        raise ImportFailure("没有读取权限，无法打开文件") from None
    except Exception:  # noqa: BLE001 - python-docx raises many kinds for a bad file
        raise ImportFailure("不是有效的 Word（.docx）文件，或文件已损坏：请在 Word 中打开后重新保存") from None

    reader = _DocumentReader(document)
    blocks = reader.blocks(document.element.body)
    footnotes = reader.footnotes()
    if not any(b.text.strip() or b.rows for b in blocks):
        raise ImportFailure("Word 文件中没有文字内容")
    reader.list_furniture()

    year, reason = "", ""
    created = document.core_properties.created
    if created is not None and 1990 <= created.year <= 2100:
        year, reason = str(created.year), "Word 文件属性中的创建时间"
    return Source(path.name, blocks, "Word（.docx）", year_hint=year, year_hint_reason=reason,
                  notes=reader.left.notes(), footnotes=footnotes)


class _DocumentReader:
    """Blocks of the body, the notes it refers to, and what is left out."""

    def __init__(self, document):
        self.document = document
        self.left = Leftovers()
        self.refs = NoteRefs()
        self.numbering = _Numbering(document)
        self.text = WordText(self.left, self.refs, self._link_target)
        self.styles: dict[str, object] = {}  # python-docx looks a style up slowly: once per style id

    def _link_target(self, rid: str) -> str:
        rel = self.document.part.rels.get(rid) if rid else None
        return rel.target_ref if rel is not None and rel.is_external else ""

    # -- body -----------------------------------------------------------------
    def blocks(self, container) -> list[Block]:
        from docx.text.paragraph import Paragraph

        blocks: list[Block] = []
        carry = ""  # text of a paragraph whose mark was deleted: it runs on into the next
        for item in block_items(container, self.left):
            if item.tag == w("tbl"):
                if carry:
                    blocks.extend(self._paragraph_blocks(carry, "", 0, False))
                    carry = ""
                rows = table_grid(item, self._cell_text, self.left)
                if any(any(cell.strip() for cell in row) for row in rows):
                    blocks.append(Block("", TABLE, rows=rows))
                continue
            text = glue(carry, self.text.paragraph_text(item)) if carry else self.text.paragraph_text(item)
            boxes = self.text.take_boxes()
            if mark_deleted(item):
                carry = text
            else:
                carry = ""
                paragraph = _StyledParagraph(item, self._style(item, Paragraph))
                label = self.numbering.label(paragraph)
                level, is_title = _heading_level(paragraph)
                blocks.extend(self._paragraph_blocks(text, label, level, is_title))
            for box in boxes:
                inside = self.blocks(box)
                self.left.add("textbox", count=sum(1 for b in inside if b.kind != TABLE))
                blocks.extend(inside)
        if carry:
            blocks.extend(self._paragraph_blocks(carry, "", 0, False))
        return blocks

    def _style(self, p, paragraph_class):
        style_id = "".join(_xp(p, "./w:pPr/w:pStyle/@w:val")[:1])
        if style_id not in self.styles:
            self.styles[style_id] = paragraph_class(p, self.document._body).style
        return self.styles[style_id]

    @staticmethod
    def _paragraph_blocks(text: str, label: str, level: int, is_title: bool) -> list[Block]:
        if not text.strip():
            return []
        if label:
            text = label + text.lstrip()
        if level or is_title:  # one line, whatever breaks it holds
            line = reduce(glue, [part for part in re.split(f"[{SOFT}{PAGE}]", text) if part.strip()])
            return [Block(line.strip(), HEADING, level=level)] if level else [Block(line, is_title=True)]
        lines: list[str] = []
        for page in text.split(PAGE):  # a page break ends a paragraph
            lines.extend(join_soft_breaks(page.split(SOFT)))
        return [Block(line, PARAGRAPH) for line in lines]

    def _cell_text(self, tc) -> str:
        lines: list[str] = []
        for block in self.blocks(tc):
            if block.kind == TABLE:
                self.left.add("nested")
                lines.extend(" | ".join(c for c in row if c.strip()) for row in block.rows)
            else:
                lines.append(block.text)
        return "\n".join(line for line in lines if line.strip())

    # -- notes ----------------------------------------------------------------
    def footnotes(self) -> list[str]:
        """The text of every note referred to, in the order of reference."""
        roots = {kind: _related_root(self.document.part, kind + "s") for kind in ("footnote", "endnote")}
        body_text, texts = self.text, []
        try:
            for kind, note_id in self.refs.order:
                self.text = WordText(self.left, None, self._link_target)  # a note is a story of its own
                root = roots[kind]
                lines: list[str] = []
                for note in [] if root is None else root.iterfind(w(kind)):
                    if note.get(w("id")) == note_id:
                        for block in self.blocks(note):
                            lines.extend([block.text] if block.kind != TABLE
                                         else (" | ".join(c for c in row if c.strip()) for row in block.rows))
                texts.append("\n".join(line for line in lines if line.strip()))
        finally:
            self.text = body_text
        return texts

    # -- what is not imported -------------------------------------------------
    def list_furniture(self) -> None:
        """Headers, footers and comments: named, with their text, never imported."""
        for rel in self.document.part.rels.values():
            if rel.is_external:
                continue
            kind = rel.reltype.rsplit("/", 1)[-1]
            if kind not in ("header", "footer", "comments"):
                continue
            root = _part_root(rel.target_part)
            if root is None:
                continue
            if kind == "comments":
                for comment in root.iterfind(w("comment")):
                    self.left.add("comment", _plain_text(comment))
            else:
                text = _plain_text(root)
                if text.strip():
                    self.left.add(kind, text)


def _heading_level(paragraph) -> tuple[int, bool]:
    """(heading level or 0, whether it is the document title)."""
    style, depth = paragraph.style, 0
    while style is not None and depth < _STYLE_DEPTH:
        depth += 1
        name = (style.name or "").strip()
        if name.lower() in _TITLE_STYLES:
            return 0, True
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1)), False
        outline = _outline_level(style.element)
        if outline:
            return outline, False
        style = style.base_style
    return _outline_level(paragraph._p), False


def _outline_level(element) -> int:
    values = _xp(element, "./w:pPr/w:outlineLvl/@w:val")
    if values and values[0].isdigit() and int(values[0]) < 9:  # 9 means body text
        return int(values[0]) + 1
    return 0



class _StyledParagraph:
    """What the heading and numbering rules read of a paragraph: its XML and its style."""

    def __init__(self, p, style):
        self._p, self.style = p, style


def _related_root(part, reltype_end: str):
    for rel in part.rels.values():
        if not rel.is_external and rel.reltype.endswith("/" + reltype_end):
            return _part_root(rel.target_part)
    return None


def _part_root(part):
    """The XML of a package part, parsed without entities or network access."""
    element = getattr(part, "element", None)
    if element is not None:
        return element
    from docx.oxml.parser import parse_xml

    try:
        return parse_xml(part.blob)
    except Exception:  # noqa: BLE001 - an unreadable side part is no text
        return None


def _plain_text(element) -> str:
    """Text of a header, footer or comment, for naming it in a note."""
    reader = WordText(Leftovers())
    parts = []
    for p in element.iter(w("p")):
        text = reader.paragraph_text(p).replace(SOFT, " ").replace(PAGE, " ").strip()
        if text:
            parts.append(text)
    return " ".join(parts)


class _Numbering:
    """The text Word shows before automatically numbered paragraphs.

    Word keeps ``1.`` or ``一、`` out of the paragraph text, in numbering
    definitions: without this, the numbers that carry the structure would be
    lost on import.
    """

    def __init__(self, document):
        try:
            self.root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no numbering part: nothing is numbered
            self.root = None
        self.counters: dict[tuple[str, int], int] = {}
        self.levels: dict[tuple[str, int], dict] = {}

    def label(self, paragraph) -> str:
        if self.root is None:
            return ""
        num_id, ilvl = self._num_pr(paragraph)
        if not num_id.isdigit() or num_id == "0":
            return ""
        spec = self._level(num_id, ilvl)
        if spec is None or spec["format"] in ("bullet", "none"):
            return ""
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, spec["start"] - 1) + 1
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[deeper]  # a new item restarts the levels below it

        def number(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            level_spec = self._level(num_id, level) or spec
            value = self.counters.get((num_id, level), level_spec["start"])
            return _format_number(value, level_spec["format"])

        return re.sub(r"%(\d)", number, spec["text"])

    def _num_pr(self, paragraph) -> tuple[str, int]:
        num_ids = _xp(paragraph._p, "./w:pPr/w:numPr/w:numId/@w:val")
        ilvls = _xp(paragraph._p, "./w:pPr/w:numPr/w:ilvl/@w:val")
        style, depth = paragraph.style, 0
        while not num_ids and style is not None and depth < _STYLE_DEPTH:  # numbering given by the style
            depth += 1
            num_ids = _xp(style.element, "./w:pPr/w:numPr/w:numId/@w:val")
            ilvls = ilvls or _xp(style.element, "./w:pPr/w:numPr/w:ilvl/@w:val")
            style = style.base_style
        ilvl = int(ilvls[0]) if ilvls and ilvls[0].isdigit() else 0
        return (num_ids[0] if num_ids else ""), ilvl

    def _level(self, num_id: str, ilvl: int) -> dict | None:
        if (num_id, ilvl) in self.levels:
            return self.levels[(num_id, ilvl)]
        spec = None
        abstract_ids = _xp(self.root, f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
        if abstract_ids:
            abstract = abstract_ids[0]
            lvl = _xp(self.root, f'./w:abstractNum[@w:abstractNumId="{abstract}"]/w:lvl[@w:ilvl="{ilvl}"]')
            if lvl:
                lvl = lvl[0]
                start = _xp(lvl, "./w:start/@w:val")
                override = _xp(self.root,
                               f'./w:num[@w:numId="{num_id}"]/w:lvlOverride[@w:ilvl="{ilvl}"]/w:startOverride/@w:val')
                start = override or start
                spec = {
                    "start": int(start[0]) if start and start[0].lstrip("-").isdigit() else 1,
                    "format": (_xp(lvl, "./w:numFmt/@w:val") or ["decimal"])[0],
                    "text": (_xp(lvl, "./w:lvlText/@w:val") or [""])[0],
                }
        self.levels[(num_id, ilvl)] = spec
        return spec


_CN_DIGITS = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
               "ideographDigital", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese_numeral(value)
    if fmt == "ideographTraditional" and 1 <= value <= 10:
        return _TIANGAN[value - 1]
    if fmt in ("lowerLetter", "upperLetter") and value >= 1:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 1 <= value < 4000:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalEnclosedCircle" and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def chinese_numeral(value: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五."""
    if value <= 0:
        return str(value)
    if value < 10:
        return _CN_DIGITS[value]
    if value < 20:
        return "十" + (_CN_DIGITS[value % 10] if value % 10 else "")
    if value < 100:
        return _CN_DIGITS[value // 10] + "十" + (_CN_DIGITS[value % 10] if value % 10 else "")
    if value < 1000:
        rest = value % 100
        tail = "" if rest == 0 else ("零" + chinese_numeral(rest) if rest < 10 else
                                     ("一" + chinese_numeral(rest) if rest < 20 else chinese_numeral(rest)))
        return _CN_DIGITS[value // 100] + "百" + tail
    return str(value)


def _roman(value: int) -> str:
    parts = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
             (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for number, letters in parts:
        while value >= number:
            out += letters
            value -= number
    return out
