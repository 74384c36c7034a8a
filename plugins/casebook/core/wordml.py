"""WordprocessingML written as text: runs, paragraphs, tables.

Building the same elements with python-docx's object layer cost about
50 ms per entry (BENCHMARKS.md, 汇编的 Word 文件); writing the markup as
text costs a small fraction of that. Every text goes through ``run``,
which escapes it and drops the characters XML 1.0 forbids (lxml, and so
python-docx, refuse them); nothing else writes text into markup. Style
ids come from the package skeleton python-docx made (worddoc), never
spelled here. A run's text is read as python-docx's ``add_run`` reads it:
a tab is ``w:tab``, each line break (``\\n``, ``\\r``) a ``w:br``.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

# XML 1.0 Char minus what it forbids: C0 controls but tab/newline/return, lone surrogates, U+FFFE/U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"(\t|\r|\n)")
_BREAK_XML = {"\t": "<w:tab/>", "\r": "<w:br/>", "\n": "<w:br/>"}

PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def xml_chars(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (invisible controls)."""
    return _NOT_XML.sub("", text)


def xml_text(text: str) -> str:
    """``text`` safe as the content of an XML element."""
    return escape(xml_chars(text))


def run(text: str, bold: bool = False, italic: bool = False) -> str:
    """A ``w:r`` holding ``text``."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    inner = "".join(_BREAK_XML[piece] if piece in _BREAK_XML else f'<w:t xml:space="preserve">{xml_text(piece)}</w:t>'
                    for piece in _BREAKS.split(text) if piece)
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{inner}</w:r>"


def line_break_run() -> str:
    return "<w:r><w:br/></w:r>"


def paragraph(runs: str = "", style_id: str | None = None, centred: bool = False) -> str:
    """A ``w:p`` of already written ``runs``."""
    props = (f'<w:pStyle w:val="{style_id}"/>' if style_id else "") + ('<w:jc w:val="center"/>' if centred else "")
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs}</w:p>"


def field(instruction: str, placeholder: str) -> str:
    """A run holding a field (a table of contents, a page number) and the
    text shown until Word updates it."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/>'
            f'<w:instrText xml:space="preserve"> {xml_text(instruction)} </w:instrText>'
            f'<w:fldChar w:fldCharType="separate"/><w:t xml:space="preserve">{xml_text(placeholder)}</w:t>'
            '<w:fldChar w:fldCharType="end"/></w:r>')


def table(rows: list[list[str]], widths: list[int], style_id: str) -> str:
    """A ``w:tbl`` in ``style_id`` of cells already written as runs, one
    paragraph each; ``widths`` in twips, one per column (a short row gets
    empty cells, as Word has them)."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [(f'<w:tbl><w:tblPr><w:tblStyle w:val="{style_id}"/><w:tblW w:type="auto" w:w="0"/>'
            '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
            f'w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>')]
    for row in rows:
        out.append("<w:tr>")
        for j, width in enumerate(widths):
            out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
                       f"<w:p>{row[j] if j < len(row) else ''}</w:p></w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)
