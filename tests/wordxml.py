"""Word files for import tests, written as WordprocessingML.

python-docx writes styles, tables and headers, but not tracked changes,
content controls, fields or footnotes; those are written here as the raw
XML Word itself produces. A paragraph is a list of segments; ``shown``
gives the text Word displays for it with all changes accepted, computed
from the segments alone (never by the code under test).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
DATE = 'w:author="审核人" w:date="2024-01-02T03:04:05Z"'


def run(text: str, rpr: str = "") -> str:
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


@dataclass
class Seg:
    """One piece of a paragraph: ``kind`` says how Word stores it."""

    kind: str
    text: str = ""
    extra: str = ""  # field instruction, note text, link address

    def shown(self) -> str:
        """What Word displays for it, changes accepted (a soft break joins)."""
        return "" if self.kind in ("del", "movefrom", "hidden", "br", "footnote", "endnote") else self.text

    def xml(self, ids: dict) -> str:
        t, k = self.text, self.kind
        if k == "text":
            return run(t)
        if k == "ins":
            return f'<w:ins w:id="{_next(ids)}" {DATE}>{run(t)}</w:ins>'
        if k == "del":
            return (f'<w:del w:id="{_next(ids)}" {DATE}><w:r><w:delText xml:space="preserve">{escape(t)}'
                    "</w:delText></w:r></w:del>")
        if k == "moveto":
            return f'<w:moveTo w:id="{_next(ids)}" {DATE}>{run(t)}</w:moveTo>'
        if k == "movefrom":
            return (f'<w:moveFrom w:id="{_next(ids)}" {DATE}><w:r><w:t xml:space="preserve">{escape(t)}'
                    "</w:t></w:r></w:moveFrom>")
        if k == "sdt":  # an inline content control, e.g. a date picker
            return (f'<w:sdt><w:sdtPr><w:id w:val="{_next(ids)}"/><w:date w:fullDate="2023-06-15T00:00:00Z">'
                    '<w:dateFormat w:val="yyyy年M月d日"/></w:date></w:sdtPr>'
                    f"<w:sdtContent>{run(t)}</w:sdtContent></w:sdt>")
        if k == "field":  # a complex field: instruction, then the result Word shows
            instruction = escape(self.extra or "REF _Ref1 \\h")
            return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                    f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                    f'{run(t)}<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        if k == "simple":
            return f'<w:fldSimple w:instr=" {escape(self.extra or "DOCPROPERTY Company")} ">{run(t)}</w:fldSimple>'
        if k == "link":
            return f'<w:hyperlink w:anchor="_Toc1" w:history="1">{run(t)}</w:hyperlink>'
        if k == "smart":
            return (f'<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">'
                    f"{run(t)}</w:smartTag>")
        if k == "hidden":
            return run(t, "<w:rPr><w:vanish/></w:rPr>")
        if k == "br":
            return "<w:r><w:br/></w:r>"
        if k in ("footnote", "endnote"):
            texts = ids.setdefault(k + "s", [])  # the notes part is written from these
            texts.append(self.extra)
            return f'<w:r><w:{k}Reference w:id="{len(texts)}"/></w:r>'
        raise ValueError(k)


def _next(ids: dict) -> int:
    ids["n"] = ids.get("n", 100) + 1
    return ids["n"]


@dataclass
class Para:
    segs: list[Seg]
    style: str = ""  # a paragraph style id, e.g. Title
    mark_deleted: bool = False  # the paragraph mark is a tracked deletion

    def shown(self) -> str:
        return "".join(s.shown() for s in self.segs)

    def xml(self, ids: dict) -> str:
        ppr = f'<w:pStyle w:val="{self.style}"/>' if self.style else ""
        if self.mark_deleted:
            ppr += f'<w:rPr><w:del w:id="{_next(ids)}" {DATE}/></w:rPr>'
        return f"<w:p {NSDECL}><w:pPr>{ppr}</w:pPr>{''.join(s.xml(ids) for s in self.segs)}</w:p>"


@dataclass
class MergedTable:
    """Rows of cells; a cell ``None`` continues the vertical merge of the cell above."""

    rows: list[list[str | None]]

    def xml(self, ids: dict) -> str:
        columns = len(self.rows[0])
        body = []
        for r, row in enumerate(self.rows):
            cells = []
            for c, text in enumerate(row):
                below = r + 1 < len(self.rows) and self.rows[r + 1][c] is None
                merge = '<w:vMerge/>' if text is None else ('<w:vMerge w:val="restart"/>' if below else "")
                content = run(text) if text else ""
                cells.append(f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/>{merge}</w:tcPr><w:p>{content}</w:p></w:tc>')
            body.append(f"<w:tr>{''.join(cells)}</w:tr>")
        grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(columns))
        return (f'<w:tbl {NSDECL}><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
                f"<w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>")


@dataclass
class WordFile:
    items: list = field(default_factory=list)  # Para | MergedTable | raw XML of a block (declaring NSDECL)
    header: str = ""
    footer: str = ""
    comments: list[str] = field(default_factory=list)  # attached to the first run of the first paragraph

    def save(self, path: Path) -> Path:
        document = docx.Document()
        body = document.element.body
        ids: dict = {}
        for item in self.items:
            xml = item if isinstance(item, str) else item.xml(ids)
            body.insert(len(body) - 1, parse_xml(xml))  # before the section properties
        if self.header:
            document.sections[0].header.paragraphs[0].text = self.header
        if self.footer:
            document.sections[0].footer.paragraphs[0].text = self.footer
        for text in self.comments:
            first = document.paragraphs[0]
            runs = first.runs or [first.add_run("")]
            document.add_comment(runs[0], text=text, author="审核人")
        for kind in ("footnote", "endnote"):
            if ids.get(kind + "s"):
                _add_notes_part(document, kind, ids[kind + "s"])
        document.save(path)
        return path


def _add_notes_part(document, kind: str, texts: list[str]) -> None:
    """footnotes.xml / endnotes.xml with Word's two separator notes and the notes."""
    notes = [f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
             f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
             f"</w:p></w:{kind}>"]
    for number, text in enumerate(texts, 1):
        paragraphs = "".join(f"<w:p>{run(line)}</w:p>" for line in text.split("\n"))
        paragraphs = paragraphs.replace("<w:p>", f'<w:p><w:r><w:{kind}Ref/></w:r>', 1)
        notes.append(f'<w:{kind} w:id="{number}">{paragraphs}</w:{kind}>')
    blob = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {NSDECL}>{"".join(notes)}</w:{kind}s>'
    content_type = CT.WML_FOOTNOTES if kind == "footnote" else CT.WML_ENDNOTES
    reltype = RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, blob.encode("utf-8"), document.part.package)
    document.part.relate_to(part, reltype)
