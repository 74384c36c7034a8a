"""Pages without Markdown skip MkDocs' Markdown converter.

Every page Casebook generates (listings, term pages, compilations,
statistics: 3,000 of them at 10,000 entries) is made by its template from
the core's view; its Markdown is empty. MkDocs 1.6.1 still builds a new
``markdown.Markdown`` with all of the site's extensions for each (about a
millisecond) only for ``convert`` to return "" for blank input. A page
given ``skip_markdown`` gets, without it, what ``Page.render`` leaves on a
page whose Markdown is blank; tests/test_blank_page.py renders blank pages
both ways and compares every attribute, so an upgrade of MkDocs that
changes ``Page.render`` fails there.
"""

from __future__ import annotations

import logging

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")  # Page.render keeps links_to_anchors by its level


def skip_markdown(page: Page) -> None:
    """From now on, ``page.render`` skips the converter while the page's
    Markdown is blank (Python-Markdown returns "" for it untouched)."""
    def render(config, files) -> None:
        if page.markdown is None or page.markdown.strip():
            Page.render(page, config, files)  # not blank after all: MkDocs' own
            return
        page.content = ""
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = set()
        if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {}
    page.render = render
