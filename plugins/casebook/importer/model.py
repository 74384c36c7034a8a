"""What the import steps hand to each other."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PARAGRAPH, HEADING, TABLE = "paragraph", "heading", "table"

# A footnote reference travels through clean-up and structure as one
# character from a private-use plane, so no step can escape, split or
# reorder it; it becomes ``[^n]`` only when the Markdown is written.
_NOTE_BASE = 0xF0000
NOTE_MARKS = re.compile("[\U000F0001-\U000FFFFD]")


def note_mark(number: int) -> str:
    """The stand-in for footnote ``number`` (1-based)."""
    return chr(_NOTE_BASE + number)


def note_number(mark: str) -> int:
    return ord(mark) - _NOTE_BASE


@dataclass
class Block:
    """One paragraph of the source, before Markdown.

    ``level`` is a heading level the source itself declares (a Word heading
    style, a Markdown ``#``); levels written as text (``一、``) are found later.
    """

    text: str
    kind: str = PARAGRAPH
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)  # TABLE only
    is_title: bool = False  # the source marks it as the document title (Word "Title" style)


@dataclass
class Source:
    name: str  # file name, for messages and the ``source`` field
    blocks: list[Block]
    encoding: str  # how the file was read, e.g. "UTF-8", "GB18030", "Word"
    markdown: bool = False  # the text is Markdown already: keep its syntax
    year_hint: str = ""  # a year from file properties, used when the text names none
    year_hint_reason: str = ""
    notes: list[str] = field(default_factory=list)  # things the reader noticed, for the report and the draft
    footnotes: list[str] = field(default_factory=list)  # text of note n at index n-1 (see note_mark)


class ImportFailure(Exception):
    """A file that cannot be imported; the message is for the editor (Chinese)."""
