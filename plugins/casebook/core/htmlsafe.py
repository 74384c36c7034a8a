"""HTML from editors made safe, and read back as text.

Entry bodies may contain raw HTML (pasted or imported). It goes through an
allowlist sanitiser from a maintained package (nh3, the binding of Rust's
Ammonia) before any reader sees it: no script, style, iframe, event handler
or ``javascript:``/``data:`` URL survives; what Markdown and its extensions
produce (tables, lists, admonitions, footnotes, details) does. Images load
only from within the site: the intranet has no outside, and an outside image
would tell a third party who reads what.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
_ATTRIBUTES = {
    "*": {"class", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "ol": {"start", "type"},
    "details": {"open"},
    # anchors for headings (table of contents) and footnotes
    **{tag: {"id"} for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "div", "dt")},
}
_URL_SCHEMES = {"http", "https", "mailto"}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # within the site only: no scheme, no //host
        if ":" in value.split("/", 1)[0] or value.startswith(("//", "\\\\")):
            return None
    return value


def sanitise_html(html: str) -> str:
    """The allowlisted part of ``html``; text is kept, escaped where needed."""
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, attribute_filter=_keep_attribute,
                     url_schemes=_URL_SCHEMES, filter_style_properties={"text-align"},
                     clean_content_tags={"script", "style"}, link_rel="noopener noreferrer")


_BLOCKS = {"p", "li", "dt", "dd", "td", "th", "div", "blockquote", "ul", "ol", "table", "tr", "details",
           "summary", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr", "br"}
_SKIPPED_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "pre", "script", "style"}
_SKIPPED_CLASSES = {"admonition-title", "footnote", "footnote-ref", "headerlink", "toc"}
_VOID = {"br", "hr", "img", "col", "wbr", "input"}


class _BlockText(HTMLParser):
    """Walks (sanitised, so well-formed) HTML block by block: the text of a
    block, whitespace collapsed and entities decoded, goes to ``_emit``;
    elements for which ``_skips`` is true are left out with all they hold."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self._current: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self._skipping = 0

    def _skips(self, tag: str, attributes: dict) -> bool:
        raise NotImplementedError

    def _opened(self, tag: str, attributes: dict) -> None:
        """An element starts (before it is on the stack)."""

    def _emit(self, text: str) -> None:
        raise NotImplementedError

    def _flush(self):
        text = " ".join("".join(self._current).split())
        if text:
            self._emit(text)  # while the block is still open: its tag is on the stack
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS and not self._skipping:
            self._flush()
        if tag in _VOID:
            return
        attributes = dict(attrs)
        skipped = self._skips(tag, attributes)
        self._opened(tag, attributes)
        self._stack.append((tag, skipped))
        self._skipping += skipped

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if tag in _BLOCKS and not self._skipping:
            self._flush()
        while self._stack:  # close up to the matching tag
            open_tag, skipped = self._stack.pop()
            self._skipping -= skipped
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self._skipping:
            self._current.append(data)

    def close(self):
        super().close()
        self._flush()


class _Paragraphs(_BlockText):
    """Text of the prose blocks of an HTML fragment, in order: headings, code,
    admonition titles and footnote marks are left out."""

    def __init__(self):
        super().__init__()
        self.blocks: list[tuple[str, str]] = []  # (innermost block tag, text)

    def _skips(self, tag, attributes):
        return tag in _SKIPPED_TAGS or bool(set((attributes.get("class") or "").split()) & _SKIPPED_CLASSES)

    def _emit(self, text):
        self.blocks.append((next((t for t, _ in reversed(self._stack) if t in _BLOCKS), ""), text))


def html_blocks(html: str) -> list[tuple[str, str]]:
    """(block tag, plain text) of the text blocks of (sanitised) HTML, in
    order, entities decoded."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    return parser.blocks


def first_prose(html: str) -> str:
    """The text of the first paragraph (else of the first text block)."""
    blocks = html_blocks(html)
    return next((text for tag, text in blocks if tag == "p"), blocks[0][1] if blocks else "")


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_NOT_TEXT_CLASSES = {"footnote-ref", "footnote-backref", "headerlink", "toc"}  # marks and links, not words


class _Lines(_BlockText):
    """Every text block of an HTML fragment as a line (headings, tables,
    admonitions, code and footnotes included: what a reader sees), and
    where each heading with an id starts."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self.headings: list[tuple[int, str, str]] = []  # (line number, id, text)
        self._heading: str | None = None  # the id of the heading being read

    def _skips(self, tag, attributes):
        return tag in ("script", "style") or bool(set((attributes.get("class") or "").split()) & _NOT_TEXT_CLASSES)

    def _opened(self, tag, attributes):
        if tag in _HEADINGS and attributes.get("id") and not self._skipping:
            self._heading = attributes["id"]

    def _emit(self, text):
        if self._heading is not None:
            self.headings.append((len(self.lines), self._heading, text))
            self._heading = None
        self.lines.append(text)


def text_and_headings(html: str) -> tuple[str, list[tuple[int, str, str]]]:
    """The text of (sanitised) HTML, one line per block, entities decoded;
    and its headings that have an id, as (offset of the heading's line in
    the text, id, heading text)."""
    parser = _Lines()
    parser.feed(html)
    parser.close()
    offsets, at = [], 0
    for line in parser.lines:
        offsets.append(at)
        at += len(line) + 1
    return "\n".join(parser.lines), [(offsets[n], hid, text) for n, hid, text in parser.headings]
