"""ASCII slugs for URLs and file names, from Chinese text via pinyin."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

ENTRY_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_words: int | None = None) -> str:
    """``市妇联 2023`` -> ``shi-fu-lian-2023``; ASCII letters and digits are kept."""
    words = lazy_pinyin(text, style=Style.NORMAL, errors="default", v_to_u=False)
    parts: list[str] = []
    for word in words:
        parts.extend(p for p in _NON_SLUG.split(word.lower()) if p)
    if max_words:
        parts = parts[:max_words]
    return "-".join(parts) or "x"


def entry_slug(title: str, date: str) -> str:
    """The file-name rule shared by ``casebook new`` and ``casebook import``:
    the date as written (``2023-06-15``, ``2023-06`` or ``2023``), then the
    pinyin of the first eight characters of the title."""
    return f"{date}-{slugify(title, max_words=8)}" if date else slugify(title, max_words=8)
