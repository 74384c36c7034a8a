"""Plain text from Markdown as the site renders it, for summaries (search
records read the rendered body too: ``casebook.search.records``)."""

from __future__ import annotations

from typing import Callable

import markdown as markdown_lib
from pymdownx.slugs import slugify

from casebook.core.htmlsafe import first_prose, sanitise_html

# What the site's mkdocs.yml enables (heading ids included: search results
# link to them); the MkDocs adapter passes the site's own renderer, this
# default serves the command line, the benchmark and tests.
DEFAULT_EXTENSIONS = ("toc", "tables", "admonition", "attr_list", "footnotes")
SUMMARY_LIMIT = 120


def default_renderer() -> Callable[[str], str]:
    md = markdown_lib.Markdown(extensions=list(DEFAULT_EXTENSIONS), extension_configs={
        # as mkdocs.yml: Chinese headings keep their words as ids (test_search_index.py checks they agree)
        "toc": {"permalink": False, "slugify": slugify(case="lower")},
    })
    return lambda text: md.reset().convert(text)


def cut_sentences(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """``text`` cut at a sentence end near ``limit``."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。！？；")
    return text[: cut + 1] if cut >= limit // 3 else text[:limit] + "……"


def summary_from_html(html: str) -> str:
    """The start of a body as a reader sees it, from the body as the site
    renders it, sanitised: its first paragraph read as text (admonition
    titles, headings, code and footnote marks left out), cut near
    ``SUMMARY_LIMIT``. The whole body, not a prefix: the build renders every
    body once anyway (the search index and the Word files read it too)."""
    return cut_sentences(first_prose(html))


def summary_from_markdown(markdown: str, render: Callable[[str], str] | None = None) -> str:
    """``summary_from_html`` of ``markdown`` rendered the way the site renders it."""
    return summary_from_html(sanitise_html((render or default_renderer())(markdown)))
