"""Soft line breaks (Shift+Enter in Word) inside one paragraph.

Office staff press Shift+Enter for two different reasons: to wrap a long
line by hand, in the middle of a sentence, and as a quicker Enter between
sentences. A break inside a sentence is joined, so the sentence (and a
``一是……二是……`` run across it) stays whole; a break after a sentence, a
heading line or before a new heading or a signature date separates
paragraphs as Enter does.
"""

from __future__ import annotations

import re

from casebook.importer.model import NOTE_MARKS
from casebook.importer.structure import ORDINAL, marker_level

_FULL_STOP = "。！？!?…"  # a sentence is over
_PAUSE = "；;：:"  # a list item or an announcement is over: the next line starts a new one
_CLOSERS = "”’）》】」\"')"
_MID_SENTENCE = "，、,（(“‘《"  # a line ending in these is cut in the middle of a sentence
_DATE_LINE = re.compile(r"^[0-9〇○零一二三四五六七八九]{4}\s*年\s*[0-9一二三四五六七八九十]{1,2}\s*月"
                        r"(?:\s*[0-9一二三四五六七八九十]{1,3}\s*日)?$")


def join_soft_breaks(lines: list[str]) -> list[str]:
    """The lines of one paragraph between soft breaks -> its paragraphs."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        if out and _continues(out[-1], line):
            out[-1] = glue(out[-1], line)
        else:
            out.append(line)
    return out


def glue(before: str, after: str) -> str:
    """Two pieces of one line: no space between Chinese characters, one between words."""
    before, after = before.rstrip(), after.lstrip()
    if before and after and before[-1].isascii() and before[-1].isalnum() \
            and after[0].isascii() and after[0].isalnum():
        return f"{before} {after}"
    return before + after


def _continues(before: str, after: str) -> bool:
    """Whether ``after`` continues the sentence or run that ``before`` ends in."""
    a, b = _last_char_text(before), after.strip()
    if _DATE_LINE.match(b) or marker_level(b) is not None:
        return False  # a new heading, or the date under a signature
    if not a:
        return True
    if a[-1] in _FULL_STOP:
        # Sentences of one 一是/二是 run belong together: the run is split later.
        return bool(ORDINAL.match(b))
    if a[-1] in _PAUSE:
        return False
    if ORDINAL.match(b):
        return False
    if marker_level(before.strip()) is not None and a[-1] not in _MID_SENTENCE:
        return False  # ``一、标题`` alone on its line
    return True


def _last_char_text(text: str) -> str:
    """The text with closing quotes, brackets and footnote marks after its last
    punctuation taken off, so ``……。”`` ends a sentence as ``……。`` does."""
    text = NOTE_MARKS.sub("", text).rstrip()
    while text and text[-1] in _CLOSERS and len(text) > 1 and text[-2] in _FULL_STOP + _PAUSE:
        text = text[:-1]
    return text
