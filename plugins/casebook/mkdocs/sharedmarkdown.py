"""Entry pages share one Markdown converter.

MkDocs 1.6.1 builds a new ``markdown.Markdown`` with all of the site's
extensions for every page it renders (0.2 ms, 2 s of a 10,000-entry build)
and throws it away. Python-Markdown's converters are made to be reused:
``reset()`` clears what one document left (footnotes, table of contents,
references, stashed HTML). ``SharedMarkdown.use`` gives a page a ``render``
that does what ``Page.render`` does -- the same MkDocs processors, made
anew for the page and registered under their names, which replaces last
page's -- on the build's one converter. tests/test_shared_markdown.py renders
pages both ways, one after another, and compares every attribute, so an
upgrade of MkDocs that changes ``Page.render`` fails there.
"""

from __future__ import annotations

import logging

import markdown
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc

_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")  # Page.render keeps links_to_anchors by its level


class SharedMarkdown:
    """One converter per build configuration (a preview's rebuild has a new one)."""

    def __init__(self):
        self._config = None
        self._md: markdown.Markdown | None = None

    def _converter(self, config) -> markdown.Markdown:
        if self._md is None or self._config is not config:
            self._md = markdown.Markdown(extensions=config["markdown_extensions"],
                                         extension_configs=config["mdx_configs"] or {})
            self._config = config
        return self._md

    def use(self, page: Page) -> None:
        """From now on, ``page.render`` converts on the shared converter."""
        def render(config, files) -> None:
            if page.markdown is None:
                Page.render(page, config, files)  # MkDocs' own error
                return
            md = self._converter(config)
            md.reset()
            raw_html = _RawHTMLPreprocessor()
            raw_html._register(md)
            anchors = _ExtractAnchorsTreeprocessor(page.file, files, config)
            anchors._register(md)
            relative = _RelativePathTreeprocessor(page.file, files, config)
            relative._register(md)
            title = _ExtractTitleTreeprocessor()
            title._register(md)
            page.content = md.convert(page.markdown)
            page.toc = get_toc(getattr(md, "toc_tokens", []))
            page._title_from_render = title.title
            page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
            if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
                page.links_to_anchors = relative.links_to_anchors
        page.render = render
