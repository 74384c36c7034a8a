"""Plain text from Markdown, for summaries and search records."""

from __future__ import annotations

import re

_RULES = (
    (re.compile(r"```.*?```", re.S), " "),
    (re.compile(r"<[^>]+>"), " "),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"^\s*(?:[-*+]|\d+\.)\s+", re.M), ""),
    (re.compile(r"^\s*>\s?", re.M), ""),
    (re.compile(r"(\*\*|__|\*|`|~~)"), ""),
    (re.compile(r"^\s*\|?[-: |]+\|?\s*$", re.M), ""),
)


# A backslash-escaped character is text, not markup (imports escape the
# ``**`` of masked names such as ``尊敬的**书记``): set aside, then restored.
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_SET_ASIDE = re.compile("\ue000(\\d+)\ue001")


def markdown_to_text(markdown: str) -> str:
    kept: list[str] = []

    def set_aside(match: re.Match) -> str:
        kept.append(match.group(1))
        return f"\ue000{len(kept) - 1}\ue001"

    text = _ESCAPED.sub(set_aside, markdown)
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return _SET_ASIDE.sub(lambda m: kept[int(m.group(1))], text)


def paragraphs(markdown: str) -> list[str]:
    """Plain-text paragraphs that are prose, headings left out."""
    result = []
    for block in re.split(r"\n\s*\n", markdown):
        block = block.strip()
        if not block or block.startswith("#"):
            continue
        text = " ".join(markdown_to_text(block).split())
        if text:
            result.append(text)
    return result


def first_sentences(markdown: str, limit: int = 120) -> str:
    """The start of the body, cut at a sentence end near ``limit``."""
    paras = paragraphs(markdown)
    if not paras:
        return ""
    text = paras[0]
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。！？；")
    return text[: cut + 1] if cut >= limit // 3 else text[:limit] + "……"
