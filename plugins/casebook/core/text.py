"""Plain text from Markdown as the site renders it, for summaries (search
records read the rendered body too: ``casebook.search.records``)."""

from __future__ import annotations

import re
from typing import Callable

import markdown as markdown_lib
from pymdownx.slugs import slugify

from casebook.core.htmlsafe import first_prose, sanitise_html

# What the site's mkdocs.yml enables (heading ids included: search results
# link to them); the MkDocs adapter passes the site's own renderer, this
# default serves the command line, the benchmark and tests.
DEFAULT_EXTENSIONS = ("toc", "tables", "admonition", "attr_list", "footnotes")
SUMMARY_LIMIT = 120
_PREFIX_CHARS = 1500  # enough Markdown for the first paragraphs
_FENCE = re.compile(r"^\s{0,3}(```|~~~)", re.M)
_DEFINITION = re.compile(r"^\s{0,3}\[[^\]\n]+\]:.*$", re.M)  # [ref]: url and [^note]: text


def default_renderer() -> Callable[[str], str]:
    md = markdown_lib.Markdown(extensions=list(DEFAULT_EXTENSIONS), extension_configs={
        # as mkdocs.yml: Chinese headings keep their words as ids (test_search_index.py checks they agree)
        "toc": {"permalink": False, "slugify": slugify(case="lower")},
    })
    return lambda text: md.reset().convert(text)


def _prefix(markdown: str) -> str:
    """The opening blocks of ``markdown`` (never cut inside a code fence),
    with the reference definitions they may use."""
    if len(markdown) <= _PREFIX_CHARS:
        return markdown
    cut = markdown.find("\n\n", _PREFIX_CHARS)
    if cut < 0:
        return markdown
    head = markdown[:cut]
    if len(_FENCE.findall(head)) % 2:
        closing = _FENCE.search(markdown, cut)
        if closing is None:
            return markdown
        end = markdown.find("\n", closing.end())
        head = markdown[: end if end >= 0 else len(markdown)]
    rest = markdown[len(head):]
    return head + "\n\n" + "\n".join(m.group(0) for m in _DEFINITION.finditer(rest))


def cut_sentences(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """``text`` cut at a sentence end near ``limit``."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。！？；")
    return text[: cut + 1] if cut >= limit // 3 else text[:limit] + "……"


def summary_from_markdown(markdown: str, render: Callable[[str], str] | None = None) -> str:
    """The start of the body as a reader sees it: rendered the way the site
    renders it, sanitised, and read as text (admonition titles, headings,
    code and footnote marks left out)."""
    html = (render or default_renderer())(_prefix(markdown))
    return cut_sentences(first_prose(sanitise_html(html)))
