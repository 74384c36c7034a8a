"""The text of WordprocessingML as Word shows it with all changes accepted.

python-docx's ``paragraph.text`` reads only the runs that sit directly in
a paragraph: a tracked insertion (``w:ins``), a content control
(``w:sdt``), a simple field (``w:fldSimple``) or a smart tag hides its text
from it. Here every container is walked, and only what Word would not show
is left out:

- deletions (``w:del``, ``w:moveFrom``) and deleted table rows;
- field instructions (``w:instrText``); the result Word displays is kept,
  except a table of contents, which repeats the headings;
- placeholder prompts of empty content controls, hidden text (``w:vanish``);
- property elements (``w:pPr``, ``w:rPr`` …) and the second copy Word keeps
  of drawings for old readers (``mc:Fallback``).

Everything not imported is counted in ``Leftovers`` and reported by name.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Callable, Iterator

from lxml import etree

from casebook.importer.model import note_mark

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
SOFT, PAGE = "\n", "\f"  # a soft line break and a page break, in the text handed on


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@lru_cache(maxsize=None)
def _compiled(expr: str) -> etree.XPath:
    return etree.XPath(expr, namespaces=NS)


def xp(element, expr: str) -> list:
    """XPath with the Word namespaces, on python-docx and plain lxml elements alike."""
    return _compiled(expr)(element)


def is_on(element) -> bool:
    """A Word on/off property (``<w:vanish/>``, ``w:val="0"`` turns it off)."""
    return element is not None and element.get(w("val"), "true").lower() not in ("0", "false", "off")


# -- what is left out ----------------------------------------------------------
# kind: (name, counting word, advice); the order is the order of the report.
LEFT_OUT = {
    "header": ("页眉", "处", ""),
    "footer": ("页脚", "处", ""),
    "comment": ("批注", "条", "如需要，请把意见处理后写入正文"),
    "picture": ("图片", "张", "如需要，请另存图片并在正文中引用"),
    "chart": ("图表", "个", "如需要，请把数据做成表格"),
    "diagram": ("SmartArt 图形", "个", "如需要，请把其中的文字补入正文"),
    "shape": ("图形（线条、形状等）", "个", ""),
    "object": ("嵌入对象（Excel 表格、Visio 图等）", "个", "如需要，请把内容做成表格或文字"),
    "ink": ("墨迹", "处", ""),
    "hidden": ("隐藏文字", "处", "Word 中不显示；如需要，请补入正文"),
    "toc": ("目录（TOC 域）", "处", "网站按小标题自动生成目录"),
    "placeholder": ("未填写的内容控件中的提示文字", "处", ""),
    "symbol": ("符号字体中的符号", "个", "请对照原文补上"),
    "embedded": ("嵌入的其他文档（altChunk、子文档）", "个", "请另行导入"),
    "link": ("超链接的地址", "个", "正文只保留了链接文字"),
    "covered": ("合并单元格中被覆盖的文字", "处", "Word 中不显示"),
}
# kind: message; imported, but in a form worth a look.
CHANGED = {
    "textbox": "文本框中的文字 {n} 段已作为普通段落导入，请核对位置",
    "math": "公式 {n} 个已按文字导入，请核对",
    "nested": "嵌套表格 {n} 个已展开为单元格中的文字，请核对",
}
_SAMPLES, _SAMPLE_CHARS = 3, 30


class Leftovers:
    """What a Word file holds that the entry does not, by name, with examples."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.samples: dict[str, list[str]] = {}

    def add(self, kind: str, sample: str = "", count: int = 1) -> None:
        self.counts[kind] += count
        sample = " ".join(sample.split())
        if sample:
            if len(sample) > _SAMPLE_CHARS:
                sample = sample[:_SAMPLE_CHARS] + "……"
            found = self.samples.setdefault(kind, [])
            if sample not in found:
                found.append(sample)

    def notes(self) -> list[str]:
        """One Chinese line per kind, in a fixed order."""
        lines = [message.format(n=self.counts[kind]) for kind, message in CHANGED.items() if self.counts[kind]]
        for kind, (name, word, advice) in LEFT_OUT.items():
            count = self.counts[kind]
            if not count:
                continue
            line = f"{name} {count} {word}未导入"
            samples = self.samples.get(kind, [])
            if samples:
                shown = "；".join(f"“{s}”" for s in samples[:_SAMPLES])
                line += f"：{shown}" + ("等" if len(samples) > _SAMPLES else "")
            if advice:
                line += f"（{advice}）"
            lines.append(line)
        return lines


class NoteRefs:
    """Footnote and endnote references in the order the text meets them:
    they are numbered 1, 2, 3 … in that order, as Word shows them."""

    def __init__(self) -> None:
        self.order: list[tuple[str, str]] = []  # (footnote | endnote, w:id)

    def refer(self, kind: str, note_id: str) -> int:
        self.order.append((kind, note_id))
        return len(self.order)


class _Field:
    __slots__ = ("instruction", "showing", "hidden")

    def __init__(self, hidden: bool):
        self.instruction: list[str] = []
        self.showing = False  # past w:fldCharType="separate": the result Word displays
        self.hidden = hidden  # inside a table of contents


# Elements whose content is never shown as text.
_SKIP = {w(t) for t in (
    "pPr", "rPr", "sectPr", "tblPr", "tblGrid", "trPr", "tcPr", "sdtPr", "sdtEndPr", "del", "moveFrom",
    "delText", "delInstrText", "pPrChange", "rPrChange", "proofErr", "bookmarkStart", "bookmarkEnd",
    "commentRangeStart", "commentRangeEnd", "commentReference", "annotationRef", "footnoteRef", "endnoteRef",
    "separator", "continuationSeparator", "lastRenderedPageBreak", "permStart", "permEnd", "fldData",
    "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd", "softHyphen",
    "txbxContent",  # read as blocks of their own (see drawings)
)} | {f"{{{NS['mc']}}}Fallback"}


class WordText:
    """Reads the inline content of paragraphs. One instance per story
    (body, a note, a header): complex fields may run across paragraphs."""

    def __init__(self, leftovers: Leftovers, notes: NoteRefs | None = None,
                 link_target: Callable[[str], str] | None = None):
        self.left = leftovers
        self.notes = notes  # None: references are not followed (inside notes, headers)
        self.link_target = link_target or (lambda rid: "")
        self.fields: list[_Field] = []
        self.boxes: list = []  # text boxes met since the last take_boxes()
        self.hiding = 0  # inside hidden text: nothing is shown, no note is referred to

    def paragraph_text(self, p) -> str:
        """The paragraph's text; SOFT and PAGE mark its line and page breaks."""
        out: list[str] = []
        self._walk(p, out)
        # An instruction cannot cross a paragraph mark: a field still in it is broken.
        while self.fields and not self.fields[-1].showing:
            self.fields.pop()
        return "".join(out)

    def take_boxes(self) -> list:
        boxes, self.boxes = self.boxes, []
        return boxes

    # -- walking ------------------------------------------------------------
    def _walk(self, element, out: list[str]) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            handler = _HANDLERS.get(tag)
            if handler is None:
                self._walk(child, out)  # a container: w:ins, w:moveTo, w:smartTag, w:customXml, mc:Choice …
            else:
                handler(self, child, out)

    def _in_view(self) -> bool:
        """Not in a field instruction (or a field nested in one), not in a table of contents."""
        return all(f.showing and not f.hidden for f in self.fields)

    def _shown(self) -> bool:
        return not self.hiding and self._in_view()

    def _emit(self, out: list[str], text: str) -> None:
        if text and self._in_view():  # hidden text goes to its own list, to be named
            out.append(text)

    def _run(self, r, out: list[str]) -> None:
        if is_on(r.find(f"{w('rPr')}/{w('vanish')}")):
            hidden: list[str] = []
            boxes = len(self.boxes)
            self.hiding += 1
            try:
                self._walk(r, hidden)
            finally:
                self.hiding -= 1
            del self.boxes[boxes:]  # a hidden drawing's text box is hidden too
            text = "".join(hidden).strip()
            if text:
                self.left.add("hidden", text)
            return
        self._walk(r, out)

    def _text(self, t, out):
        self._emit(out, t.text or "")

    def _tab(self, _, out):
        self._emit(out, "\t")

    def _break(self, br, out):
        self._emit(out, PAGE if br.get(w("type")) == "page" else SOFT)

    def _soft(self, _, out):
        self._emit(out, SOFT)

    def _hyphen(self, _, out):
        self._emit(out, "-")

    def _symbol(self, sym, out):
        try:
            code = int(sym.get(w("char"), ""), 16)
        except ValueError:
            code = 0
        if 0xF000 <= code <= 0xF0FF or code == 0:  # a glyph of a symbol font, not a character
            if self._shown():
                self.left.add("symbol", sym.get(w("font"), ""))
            return
        self._emit(out, chr(code))

    def _field_char(self, fld, out):
        kind = fld.get(w("fldCharType"))
        if kind == "begin":
            self.fields.append(_Field(hidden=any(f.hidden for f in self.fields)))
        elif kind == "separate" and self.fields:
            field = self.fields[-1]
            field.showing = True
            if _is_toc("".join(field.instruction)) and not field.hidden:
                field.hidden = True
                self.left.add("toc")
        elif kind == "end" and self.fields:
            self.fields.pop()

    def _instruction(self, instr, out):
        if self.fields and not self.fields[-1].showing:
            self.fields[-1].instruction.append(instr.text or "")

    def _simple_field(self, fld, out):
        if _is_toc(fld.get(w("instr"), "")):
            self.left.add("toc")
            return
        self._walk(fld, out)  # its runs are the result

    def _hyperlink(self, link, out):
        target = self.link_target(link.get(f"{{{NS['r']}}}id", ""))
        if target:
            self.left.add("link", target)
        self._walk(link, out)

    def _content_control(self, sdt, out):
        if _showing_placeholder(sdt):
            self.left.add("placeholder", "".join(xp(sdt, "./w:sdtContent//w:t/text()")))
            return
        for content in sdt.iterfind(w("sdtContent")):
            self._walk(content, out)

    def _drawing(self, drawing, out):
        boxes = top_level_boxes(drawing)
        if boxes:
            self.boxes.extend(boxes)
            return
        uri = "".join(xp(drawing, ".//a:graphicData/@uri")[:1])
        kind = ("picture" if uri.endswith("/picture") else "chart" if uri.endswith("/chart")
                else "diagram" if uri.endswith("/diagram") else "shape")
        self.left.add(kind, "".join(xp(drawing, ".//*[local-name()='docPr']/@descr")[:1]))

    def _vml(self, pict, out):
        boxes = top_level_boxes(pict)
        if boxes:
            self.boxes.extend(boxes)
        elif xp(pict, ".//v:imagedata"):
            self.left.add("picture")
        else:
            self.left.add("shape")

    def _object(self, obj, out):
        self.left.add("object", "".join(xp(obj, ".//*[local-name()='OLEObject']/@ProgID")[:1]))

    def _ink(self, _, out):
        self.left.add("ink")

    def _subdocument(self, _, out):
        self.left.add("embedded")

    def _note_reference(self, ref, out):
        if self.notes is None or not self._shown():
            return  # a reference Word does not show has no note in the entry
        kind = "footnote" if ref.tag == w("footnoteReference") else "endnote"
        self._emit(out, note_mark(self.notes.refer(kind, ref.get(w("id"), ""))))

    def _math(self, math, out):
        text = "".join(xp(math, ".//m:t/text()"))
        if text:
            self.left.add("math")
            self._emit(out, text)


_HANDLERS = {
    w("r"): WordText._run,
    w("t"): WordText._text,
    w("tab"): WordText._tab,
    w("ptab"): WordText._tab,
    w("br"): WordText._break,
    w("cr"): WordText._soft,
    w("noBreakHyphen"): WordText._hyphen,
    w("sym"): WordText._symbol,
    w("fldChar"): WordText._field_char,
    w("instrText"): WordText._instruction,
    w("fldSimple"): WordText._simple_field,
    w("hyperlink"): WordText._hyperlink,
    w("sdt"): WordText._content_control,
    w("drawing"): WordText._drawing,
    w("pict"): WordText._vml,
    w("object"): WordText._object,
    w("contentPart"): WordText._ink,
    w("subDoc"): WordText._subdocument,
    w("footnoteReference"): WordText._note_reference,
    w("endnoteReference"): WordText._note_reference,
    f"{{{NS['m']}}}oMath": WordText._math,
}


def _is_toc(instruction: str) -> bool:
    return instruction.strip().upper().startswith("TOC")


def _showing_placeholder(sdt) -> bool:
    return is_on(sdt.find(f"{w('sdtPr')}/{w('showingPlcHdr')}"))


def top_level_boxes(element) -> list:
    """Text boxes in a drawing, each once: not the copy in mc:Fallback, not
    a box inside another box (read with its outer box)."""
    return [box for box in xp(element, ".//w:txbxContent[not(ancestor::mc:Fallback)]")
            if not any(a.tag == w("txbxContent") for a in box.iterancestors()
                       if a is not element and _is_below(a, element))]


def _is_below(ancestor, element) -> bool:
    return any(a is element for a in ancestor.iterancestors())


# -- block structure -----------------------------------------------------------
def block_items(container, left: Leftovers) -> Iterator:
    """Paragraphs and tables of a story in order, through the containers
    that may wrap them (block content controls, custom XML, tracked moves)."""
    for child in container:
        tag = child.tag
        if tag in (w("p"), w("tbl")):
            yield child
        elif tag == w("sdt"):
            if _showing_placeholder(child):
                left.add("placeholder", "".join(xp(child, "./w:sdtContent//w:t/text()")))
            else:
                for content in child.iterfind(w("sdtContent")):
                    yield from block_items(content, left)
        elif tag in (w("customXml"), w("ins"), w("moveTo")):
            yield from block_items(child, left)
        elif tag == w("altChunk"):
            left.add("embedded")


def mark_deleted(p) -> bool:
    """A deleted paragraph mark: accepted, the paragraph runs on into the next."""
    return bool(xp(p, "./w:pPr/w:rPr/w:del | ./w:pPr/w:rPr/w:moveFrom"))


def table_grid(tbl, cell_text: Callable, left: Leftovers) -> list[list[str]]:
    """Rows of cells as Word lays them out with changes accepted: a cell
    spanning columns fills the first of them; a vertically merged cell's
    text is in its first row, the rows below have an empty cell; deleted
    rows and cells are gone."""
    rows = []
    for tr in _wrapped(tbl, w("tr")):
        if xp(tr, "./w:trPr/w:del"):
            continue
        before = xp(tr, "./w:trPr/w:gridBefore/@w:val")
        cells = [""] * _int(before[0] if before else "0")
        for tc in _wrapped(tr, w("tc")):
            if xp(tc, "./w:tcPr/w:cellDel"):
                continue
            span = _int((xp(tc, "./w:tcPr/w:gridSpan/@w:val") or ["1"])[0], 1)
            vmerge = xp(tc, "./w:tcPr/w:vMerge")
            covered = (bool(vmerge) and vmerge[0].get(w("val"), "continue") != "restart") \
                or xp(tc, "./w:tcPr/w:hMerge/@w:val") == ["continue"]
            text = cell_text(tc)
            if covered:
                if text.strip():
                    left.add("covered", text)
                text = ""
            cells.append(text)
            cells.extend([""] * (span - 1))
        rows.append(cells)
    return rows


def _wrapped(element, tag: str) -> Iterator:
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == w("sdt"):
            for content in child.iterfind(w("sdtContent")):
                yield from _wrapped(content, tag)
        elif child.tag == w("customXml"):
            yield from _wrapped(child, tag)


def _int(value: str, least: int = 0) -> int:
    return max(least, min(int(value), 64)) if value.isdigit() else least
