"""One entry of a compilation as WordprocessingML text: a page break, its
title (``Heading 1``), the facts table, summary, body and lessons.

Made once per entry and build; every compilation holding the entry joins
the same text (worddoc)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from casebook.core import wordml
from casebook.core.compilations import entry_facts


@dataclass(frozen=True)
class Layout:
    """What entries need from the package skeleton: style ids by style
    name, the width of the text on the page and the facts table's columns, in twips."""

    style_ids: dict[str, str]
    text_width: int
    facts_widths: tuple[int, int]


class _Paragraph:
    """A paragraph being written: its place in the body is taken when it
    starts, its runs come as the HTML goes on."""

    __slots__ = ("style_id", "runs")

    def __init__(self, style_id: str | None):
        self.style_id = style_id
        self.runs: list[str] = []

    def __str__(self) -> str:
        return wordml.paragraph("".join(self.runs), self.style_id)


class _Body(HTMLParser):
    """Sanitised HTML of one entry body into Word paragraphs and tables:
    headings one level below the entry's, lists, tables, quotes; bold and
    italic kept; any other markup keeps its text. Paper has no links: a link
    is its text followed by its address (（网址）), an image a line naming it
    and its address; a link to an anchor of the entry itself is its text.
    Relative addresses are read against ``link_base`` (the site's address):
    the body's links must be relative to the site's root (bodylinks)."""

    _HEADINGS = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}

    def __init__(self, layout: Layout, link_base: str = "/"):
        super().__init__(convert_charrefs=True)
        self.layout = layout
        self.link_base = link_base
        self.blocks: list = []  # paragraphs (_Paragraph) and tables (str) in the body's order
        self.links: list[tuple[str, int]] = []  # (address, where its text starts in self.seen) of open <a>
        self.seen: list[str] = []  # the body's text so far
        self.paragraph: _Paragraph | None = None
        self.bold = self.italic = 0
        self.lists: list[str] = []
        self.cell_text: list[str] | None = None
        self.rows: list[list[str]] = []

    def _new(self, style: str | None = None):
        self.paragraph = _Paragraph(self.layout.style_ids[style] if style else None)
        self.blocks.append(self.paragraph)

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
            self.paragraph.runs.append(wordml.line_break_run())
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
        # the paragraph's first run starts at its first word; a line break later on is a space
        text = data.replace("\n", " ") if self.paragraph.runs else data.lstrip()
        self.paragraph.runs.append(wordml.run(text, bool(self.bold), bool(self.italic)))

    def _table(self):
        rows = [r for r in self.rows if r]
        self.rows = []
        if not rows:
            return
        width = max(len(r) for r in rows)
        self.blocks.append(wordml.table([[wordml.run(text) for text in row] for row in rows],
                                        [self.layout.text_width // width] * width, self.layout.style_ids["Table Grid"]))
        self.paragraph = None


def entry_xml(entry, html: str, url: str, layout: Layout, link_base: str = "/") -> str:
    """The entry from the page break before it to its lessons, as the
    ``w:body`` content of a compilation."""
    ids = layout.style_ids
    out = [wordml.PAGE_BREAK, wordml.paragraph(wordml.run(entry.title), ids["Heading 1"])]
    facts = [[wordml.run(label, bold=True), wordml.run(text)]
             for label, text in [*entry_facts(entry), ("网址", url)] if wordml.xml_chars(text)]  # no empty rows
    out.append(wordml.table(facts, list(layout.facts_widths), ids["Table Grid"]))
    if entry.summary_given:
        out.append(wordml.paragraph(wordml.run("摘要：", bold=True) + wordml.run(entry.summary)))
    parser = _Body(layout, link_base)
    parser.feed(wordml.xml_chars(html))  # before the walk: Python counts some controls as spaces
    parser.close()
    out.extend(str(block) for block in parser.blocks)
    if entry.lessons:
        out.append(wordml.paragraph(wordml.run("警示启示：", bold=True) + wordml.run(entry.lessons)))
    return "".join(out)
