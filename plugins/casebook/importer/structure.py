"""From blocks of text to a Markdown body: headings of the right depth,
paragraphs, 一是/二是 runs as bold leads, tables.

Chinese reports number their headings in words, not styles:

    一、        section                         (level 1)
    （一） (一)  subsection                      (level 2)
    1.  1、     point                           (level 3)
    （1）        sub-point                       (level 4)

and speeches often use a short lead sentence as a heading
(``结合主题教育，思想“筑廉”。`` at the start of parallel paragraphs).
A heading may share its line with the text that follows it; it is split off.
Depth comes from nesting, so a report that starts at （一） gets ``##``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casebook.importer.model import HEADING, NOTE_MARKS, TABLE, Block, note_number

CN_NUM = "一二三四五六七八九十百零〇"
# (level, pattern of the number at the start of a heading)
MARKERS = (
    (0, re.compile(rf"^第[{CN_NUM}]+(?:部分|章|篇)")),
    (1, re.compile(rf"^[{CN_NUM}]+、")),
    (2, re.compile(rf"^[（(][{CN_NUM}]+[)）]")),
    (3, re.compile(r"^[0-9０-９]{1,2}(?:[.．](?![0-9０-９])|、)")),
    (4, re.compile(r"^[（(][0-9０-９]{1,2}[)）]")),
)
LEAD_LEVEL = 2.5  # a lead-sentence heading nests under 一、/（一） and above 1.
ORDINAL = re.compile(rf"^[{CN_NUM}]+是")  # 一是、二是 … starting a sentence

MAX_HEADING = 40  # characters after the number; longer, it is a numbered paragraph
MAX_BOLD_LEAD = 40
LEAD_MIN, LEAD_MAX = 4, 20  # length of a lead sentence that can be a heading
SENTENCE_END = "。！？!?"
_OPENERS, _CLOSERS = "“‘（《【「", "”’）》】」"
_TITLE_END = set("。！？；：，,;:!?")


@dataclass
class Heading:
    level: float  # the kind of heading (see MARKERS, LEAD_LEVEL, or a Word/Markdown level)
    text: str
    depth: int = 2  # Markdown depth, set by nesting


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    rows: list[list[str]]


@dataclass
class Outline:
    title: str  # "" when the source has no title line
    items: list = field(default_factory=list)  # Heading | Paragraph | Table
    markdown: str = ""

    @property
    def headings(self) -> list[Heading]:
        return [i for i in self.items if isinstance(i, Heading)]

    @property
    def first_paragraph(self) -> str:
        return next((i.text for i in self.items if isinstance(i, Paragraph)), "")

    @property
    def plain_text(self) -> str:
        parts = [self.title]
        for item in self.items:
            parts.append(" ".join(" ".join(r) for r in item.rows) if isinstance(item, Table) else item.text)
        return NOTE_MARKS.sub("", "\n".join(p for p in parts if p))  # footnote marks are not words


def build_outline(blocks: list[Block], markdown_source: bool = False, footnotes: list[str] | None = None) -> Outline:
    """``footnotes``: the text of note n at index n-1, referred to by
    ``note_mark(n)`` in the blocks; written as Markdown footnotes."""
    title, rest = take_title(blocks)
    if NOTE_MARKS.search(title):  # a title is a field, with no room for a footnote: its note is kept below
        title = NOTE_MARKS.sub("", title).strip()
    items = _classify(rest)
    items = _lead_headings(items)
    _set_depths(items)
    items = _split_runs(items)
    outline = Outline(title, items)
    outline.markdown = render(items, escape=not markdown_source)
    if footnotes:
        outline.markdown = render_footnotes(outline.markdown, footnotes, escape_markdown)
    return outline


# -- title --------------------------------------------------------------------
def take_title(blocks: list[Block]) -> tuple[str, list[Block]]:
    """The first block when it reads as a title: short, no sentence punctuation
    at its end, no heading number, and more text after it."""
    if len(blocks) < 2:
        return "", blocks
    first = blocks[0]
    text = first.text.strip()
    if first.kind == TABLE or not text:
        return "", blocks
    if first.is_title:
        return text, blocks[1:]
    if first.kind == HEADING and any(b.kind == HEADING and b.level == first.level for b in blocks[1:]):
        return "", blocks  # one of several headings of its level, not the title
    if len(text) > 50 or text[-1] in _TITLE_END or marker_level(text) is not None or ORDINAL.match(text):
        return "", blocks
    if any(mark in text for mark in "。！？"):
        return "", blocks
    return text, blocks[1:]


# -- headings -----------------------------------------------------------------
def marker_level(text: str) -> int | None:
    found = _marker(text)
    return found[0] if found else None


def _marker(text: str) -> tuple[int, re.Match] | None:
    """(level, match of the number) when the text starts with a heading number."""
    for level, pattern in MARKERS:
        match = pattern.match(text)
        if match:
            return level, match
    return None


def _classify(blocks: list[Block]) -> list:
    items: list = []
    for block in blocks:
        if block.kind == TABLE:
            items.append(Table(block.rows))
            continue
        text = block.text.strip()
        level = marker_level(text)
        if block.kind == HEADING:
            items.append(Heading(level if level is not None else block.level, _heading_text(text)))
            continue
        if level is not None:
            head, rest = split_heading(text)
            if head:
                items.append(Heading(level, head))
                if rest:
                    items.append(Paragraph(rest))
                continue
        items.append(Paragraph(text))
    return items


def split_heading(text: str) -> tuple[str, str]:
    """("一、标题", "rest of the line") when a numbered line starts with a heading;
    ("", text) when it is a numbered paragraph."""
    _, number = _marker(text)
    body = text[number.end():]
    parts = sentences(text)
    first = parts[0]
    if len(first) == len(text) and first[-1] not in SENTENCE_END:  # no sentence end: a heading line
        return (_heading_text(text), "") if len(body) <= MAX_HEADING + 10 else ("", text)
    if len(first) - number.end() <= MAX_HEADING:
        return _heading_text(first), text[len(first):].strip()
    colon = body.find("：")
    if 0 < colon <= 30:  # 一、基本情况：今年以来……
        cut = number.end() + colon + 1
        return _heading_text(text[:cut]), text[cut:].strip()
    return "", text


def _heading_text(text: str) -> str:
    return text.strip().rstrip("。：:").strip()


def _lead_headings(items: list) -> list:
    """Parallel paragraphs that open with a short sentence of the same shape
    (``结合主题教育，思想“筑廉”。``, ``结合妇联职能，作风“促廉”。``) are headed
    by that sentence. One such paragraph alone is just a paragraph."""
    candidates: dict[tuple, list[int]] = {}
    section = 0
    for index, item in enumerate(items):
        if isinstance(item, Heading):
            section = index + 1
            continue
        if not isinstance(item, Paragraph):
            continue
        lead = _lead_sentence(item.text)
        if lead:
            candidates.setdefault((section, _shape(lead)), []).append(index)
    chosen: set[int] = set()
    for indexes in candidates.values():
        starts = {items[i].text[:2] for i in indexes}
        if len(indexes) >= 3 or (len(indexes) == 2 and len(starts) == 1):
            chosen.update(indexes)
    result: list = []
    for index, item in enumerate(items):
        if index in chosen:
            lead = _lead_sentence(item.text)
            result.append(Heading(LEAD_LEVEL, _heading_text(lead)))
            result.append(Paragraph(item.text[len(lead):].strip()))
        else:
            result.append(item)
    return result


def _lead_sentence(text: str) -> str:
    if ORDINAL.match(text) or marker_level(text) is not None:
        return ""
    first = sentences(text)[0]
    size = len(first) - 1
    if first[-1] in SENTENCE_END and LEAD_MIN <= size <= LEAD_MAX and "：" not in first \
            and len(text) - len(first) >= 20:
        return first
    return ""


def _shape(sentence: str) -> str:
    """Punctuation skeleton: ``结合主题教育，思想“筑廉”。`` -> ``x，x“x”。``."""
    return re.sub(r"[\w*]+", "x", sentence)


def _set_depths(items: list) -> None:
    """Markdown depth from nesting: a heading goes under the nearest open
    heading of a higher level (smaller number); ``##`` is the top, the entry
    title being the page's ``#``."""
    stack: list[float] = []
    for item in items:
        if isinstance(item, Heading):
            while stack and stack[-1] >= item.level:
                stack.pop()
            stack.append(item.level)
            item.depth = min(len(stack) + 1, 6)


# -- 一是 / 二是 runs -----------------------------------------------------------
def _split_runs(items: list) -> list:
    result: list = []
    for item in items:
        if isinstance(item, Paragraph):
            result.extend(Paragraph(p) for p in split_run(item.text))
        else:
            result.append(item)
    return result


def split_run(text: str) -> list[str]:
    """A paragraph holding 一是…二是…三是… becomes one paragraph per point;
    the text before 一是 stays a paragraph of its own. Points only start at
    a sentence start, so 一是 in mid-sentence (``主要有：一是…；二是…``) stays."""
    parts = sentences(text)
    starts = [i for i, s in enumerate(parts) if ORDINAL.match(s)]
    if not starts:
        return [text]
    if starts[0] != 0:
        numbers = [ORDINAL.match(parts[i]).group(0) for i in starts]
        if len(starts) < 2 or numbers[0] != "一是":
            return [text]
    pieces = []
    cuts = ([0] if starts[0] != 0 else []) + starts + [len(parts)]
    for begin, end in zip(cuts, cuts[1:]):
        pieces.append("".join(parts[begin:end]).strip())
    return [p for p in pieces if p]


def bold_lead(text: str, escape) -> str:
    """``一是压紧压实责任。始终把…`` -> ``**一是压紧压实责任**。始终把…``.
    The closing ``**`` goes before the 。 so CommonMark renderers bold it too."""
    match = ORDINAL.match(text)
    if not match:
        return escape(text)
    first = sentences(text)[0]
    core = first.rstrip("".join(NOTE_MARKS.findall(first)))  # footnote marks go after the stop, outside the bold
    lead, end = (core[:-1], first[len(core) - 1:]) if core[-1:] in tuple(SENTENCE_END) else (first, "")
    if len(lead) > MAX_BOLD_LEAD or len(first) == len(text) and not end:
        lead, end = match.group(0), ""
    return f"**{escape(lead)}**{end}{escape(text[len(lead) + len(end):])}"


# -- sentences ----------------------------------------------------------------
def sentences(text: str) -> list[str]:
    """Sentences with their end marks; 。 inside quotes or brackets does not
    end one (unless the bracket seems never closed)."""
    parts, depth, start, opened_at = [], 0, 0, 0
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            if depth == 0:
                opened_at = i
            depth += 1
        elif ch in _CLOSERS and depth:
            depth -= 1
        elif ch in SENTENCE_END:
            if depth and i - opened_at > 120:  # an unclosed quote must not swallow the text
                depth = 0
            if depth == 0:
                end = i + 1
                while end < len(text) and (text[end] in SENTENCE_END or NOTE_MARKS.match(text[end])):
                    end += 1  # ！！ and a footnote mark after the stop end the same sentence
                if end > start:
                    parts.append(text[start:end])
                    start = end
    if start < len(text):
        parts.append(text[start:])
    return [p for p in parts if p] or [text]


# -- Markdown -----------------------------------------------------------------
_LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|[>+-](?=\s)|[-=_*]{3,}\s*$)")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])(?=\s)")


def escape_markdown(text: str) -> str:
    """Text shown as written: ``**`` in a masked name (``**书记``) must not turn bold."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*_`\[\]])", r"\\\1", text)
    text = re.sub(r"&(?=#?[0-9A-Za-z]+;)", "&amp;", text)  # “&lt;” written in the text stays as written
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    text = _LIST_NUMBER.sub(r"\1\\\2", text)
    return _LINE_START.sub(r"\\\1", text)


def render(items: list, escape: bool = True) -> str:
    esc = escape_markdown if escape else (lambda s: s)
    out = []
    for item in items:
        if isinstance(item, Heading):
            out.append("#" * item.depth + " " + esc(item.text))
        elif isinstance(item, Table):
            out.append(_table(item.rows, esc))
        else:
            out.append(bold_lead(item.text, esc))
    return "\n\n".join(out) + "\n"


def _table(rows: list[list[str]], esc) -> str:
    width = max(len(r) for r in rows)

    def cell(text: str) -> str:
        return "<br>".join(esc(line.strip()) for line in text.split("\n") if line.strip()).replace("|", "\\|")

    lines = []
    for number, row in enumerate(rows):
        cells = [cell(c) for c in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if number == 0:
            lines.append("|" + " --- |" * width)
    return "\n".join(lines)


def render_footnotes(markdown: str, footnotes: list[str], escape) -> str:
    """Footnote marks to ``[^n]``, and the notes as definitions at the end.
    A note of several paragraphs continues with indented lines."""
    body = NOTE_MARKS.sub(lambda m: f"[^{note_number(m.group(0))}]", markdown).rstrip("\n")
    definitions = []
    for number, text in enumerate(footnotes, 1):
        paragraphs = [escape(line.strip()) for line in NOTE_MARKS.sub("", text).split("\n") if line.strip()]
        paragraphs = paragraphs or ["（原文脚注为空）"]
        definitions.append(f"[^{number}]: " + "\n\n    ".join(paragraphs))
    return body + "\n\n" + "\n".join(definitions) + "\n"
