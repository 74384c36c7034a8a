"""Entry pages share one Markdown converter, and most are converted ahead.

MkDocs 1.6.1 builds a new ``markdown.Markdown`` with all of the site's
extensions for every page it renders (0.2 ms, 2 s of a 10,000-entry build)
and throws it away. Python-Markdown's converters are made to be reused:
``reset()`` clears what one document left (footnotes, table of contents,
references, stashed HTML). ``SharedMarkdown.use`` gives a page a ``render``
that does what ``Page.render`` does -- the same MkDocs processors, made
anew for the page and registered under their names, which replaces last
page's -- on the build's one converter.

A build also converts every entry body before MkDocs reads any page (the
summaries, the search index and the Word files read them), on both cores
(``convert``: no page, no files needed). Of MkDocs' processors only the
one that rewrites links depends on the page, and it changes and records
nothing where the body has no link and no image (``Converted.plain``).
Such a page then takes what was converted ahead instead of being
converted again. tests/test_shared_markdown.py renders pages all these
ways and compares every attribute with MkDocs' own ``Page.render``, so an
upgrade of MkDocs that changes it fails there.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Converted:
    """A body as MkDocs' converter makes it for a page, but for the links
    (what a forked process sends back: it pickles)."""

    html: str
    toc_tokens: list
    title: str | None
    anchors: frozenset[str]

    @property
    def plain(self) -> bool:
        """No link and no image: MkDocs' link processor (which alone needs
        the page) would change and record nothing."""
        return "<a" not in self.html and "<img" not in self.html


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

    def _run(self, text: str, config, links: _RelativePathTreeprocessor | None):
        md = self._converter(config)
        md.reset()
        raw_html = _RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = _ExtractAnchorsTreeprocessor(None, None, config)  # it keeps neither
        anchors._register(md)
        if links is None:
            md.treeprocessors.deregister("relpath", strict=False)
        else:
            links._register(md)
        title = _ExtractTitleTreeprocessor()
        title._register(md)
        html = md.convert(text)
        return Converted(html, getattr(md, "toc_tokens", []), title.title,
                         frozenset(anchors.present_anchor_ids | raw_html.present_anchor_ids))

    def convert(self, text: str, config) -> Converted:
        """``text`` converted as for any page, but for its links."""
        return self._run(text, config, None)

    def use(self, page: Page, ahead: Converted | None = None, source: str | None = None) -> None:
        """From now on, ``page.render`` converts on the shared converter, or
        takes ``ahead`` (``source`` converted ahead) if that is plain and
        the page's Markdown is still ``source`` (no later plugin changed it)."""
        def render(config, files) -> None:
            if page.markdown is None:
                Page.render(page, config, files)  # MkDocs' own error
                return
            if ahead is not None and ahead.plain and page.markdown == source:
                done, links = ahead, {}
            else:
                relative = _RelativePathTreeprocessor(page.file, files, config)
                done, links = self._run(page.markdown, config, relative), relative.links_to_anchors
            page.content = done.html
            page.toc = get_toc(done.toc_tokens)
            page._title_from_render = done.title
            page.present_anchor_ids = set(done.anchors)
            if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
                page.links_to_anchors = links
        page.render = render
