"""What a rendered MkDocs page holds, for comparing two ways of rendering it
(test_blank_page.py, test_shared_markdown.py)."""

from __future__ import annotations


def toc(items) -> list:
    return [(item.title, item.id, item.level, toc(item.children)) for item in items]


def page_state(page) -> dict:
    """Every attribute but ``render`` (replaced by the way under test), the
    table of contents as plain values."""
    state = {k: v for k, v in vars(page).items() if k != "render"}
    state["toc"] = toc(page.toc)
    return state
