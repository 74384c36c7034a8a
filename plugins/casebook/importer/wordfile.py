"""Reading a Word (.docx) file into blocks.

Kept from Word: heading styles (``Heading 1``/``标题 1``, outline levels) as
heading levels, the ``Title`` style as the title, automatic numbering as the
text it displays (``一、`` ``（一）`` ``1.``), tables, and text boxes. Page
headers and footers are page furniture: left out, and said so.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .model import HEADING, PARAGRAPH, TABLE, Block, ImportFailure, Source

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS = {"w": W, "mc": MC}
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_TITLE_STYLES = {"title", "标题"}


def read_docx(path: Path) -> Source:
    try:
        import docx

        document = docx.Document(str(path))
    except PermissionError:
        raise ImportFailure("没有读取权限，无法打开文件") from None
    except Exception:  # noqa: BLE001 - python-docx raises many kinds for a bad file
        raise ImportFailure("不是有效的 Word（.docx）文件，或文件已损坏：请在 Word 中打开后重新保存") from None

    numbering = _Numbering(document)
    notes: list[str] = []
    blocks: list[Block] = []
    boxes = 0
    for item in document.iter_inner_content():
        if item.__class__.__name__ == "Table":
            rows = _table_rows(item)
            if any(any(cell.strip() for cell in row) for row in rows):
                blocks.append(Block("", TABLE, rows=rows))
            continue
        blocks.extend(_paragraph_blocks(item, numbering))
        for text in _text_box_texts(item._p):
            blocks.append(Block(text))
            boxes += 1
    if boxes:
        notes.append(f"文本框中的文字 {boxes} 段已作为普通段落导入，请核对位置")
    furniture = _header_footer_text(document)
    if furniture:
        notes.append(f"页眉页脚中的文字未导入：{furniture}")
    pictures = len(_xp(document.element.body, ".//w:drawing | .//w:pict"))
    if pictures:
        notes.append(f"Word 中的 {pictures} 张图片或图形未导入：如需要，请另存图片并在正文中引用")
    footnotes = _footnote_count(document)
    if footnotes:
        notes.append(f"Word 中的 {footnotes} 条脚注或尾注未导入：请把需要的内容补入正文")
    if not any(b.text.strip() or b.rows for b in blocks):
        raise ImportFailure("Word 文件中没有文字内容")

    year, reason = "", ""
    created = document.core_properties.created
    if created is not None and 1990 <= created.year <= 2100:
        year, reason = str(created.year), "原文未写年份，取自 Word 文件属性中的创建时间"
    return Source(path.name, blocks, "Word（.docx）", year_hint=year, year_hint_reason=reason, notes=notes)


def _paragraph_blocks(paragraph, numbering: _Numbering) -> list[Block]:
    text = paragraph.text
    label = numbering.label(paragraph)
    if label and text.strip():
        text = label + text.lstrip()
    if not text.strip():
        return []
    level, is_title = _heading_level(paragraph)
    # A soft line break (Shift+Enter) separates paragraphs as much as Enter does.
    lines = [line for line in text.split("\n") if line.strip()]
    if level:
        return [Block(" ".join(line.strip() for line in lines), HEADING, level=level)]
    return [Block(line, PARAGRAPH, is_title=is_title) for line in lines]


def _heading_level(paragraph) -> tuple[int, bool]:
    """(heading level or 0, whether it is the document title)."""
    style = paragraph.style
    while style is not None:
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


def _table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text)
        rows.append(cells)
    return rows


@lru_cache(maxsize=None)
def _compiled(expr: str) -> etree.XPath:
    return etree.XPath(expr, namespaces=NS)


def _xp(element, expr: str) -> list:
    """XPath with the Word namespaces, on python-docx and plain lxml elements alike."""
    return _compiled(expr)(element)


def _text_box_texts(p) -> list[str]:
    texts = []
    # Word stores a text box twice (mc:Choice and mc:Fallback): read one copy.
    for para in _xp(p, ".//w:txbxContent[not(ancestor::mc:Fallback)]/w:p"):
        text = "".join(_xp(para, ".//w:t/text()"))
        if text.strip():
            texts.append(text)
    return texts


def _header_footer_text(document) -> str:
    found: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            try:
                if part.is_linked_to_previous:
                    continue
                for para in part.paragraphs:
                    text = para.text.strip()
                    if text and text not in found:
                        found.append(text)
            except Exception:  # noqa: BLE001 - a missing header part is no text
                continue
    text = "；".join(found)
    return text if len(text) <= 60 else text[:60] + "……"


def _footnote_count(document) -> int:
    count = 0
    for rel in document.part.rels.values():
        if rel.reltype.endswith(("/footnotes", "/endnotes")) and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob)
            # ids -1 and 0 are Word's separator lines, not notes
            count += sum(1 for note in _xp(root, "./w:footnote | ./w:endnote")
                         if note.get(f"{{{W}}}id") not in ("-1", "0") and "".join(_xp(note, ".//w:t/text()")).strip())
    return count


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
        if not num_id or num_id == "0":
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
        style = paragraph.style
        while not num_ids and style is not None:  # numbering given by the style
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
