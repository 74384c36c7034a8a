"""An entry's body shown somewhere else than its own page (a compilation, a
Word file): its relative links and images made to lead where they lead on the
entry's page, and its ids made unique among the other entries shown with it.

On its own page an entry's links are resolved by MkDocs: a link to a file the
site knows (``../practices/x.md``, ``../images/a.png``) becomes that file's
address; any other relative link stays as written and so is read against the
entry's address (``warnings/<slug>/``). This module does the same from the
body's sanitised HTML, then writes each address relative to the new page.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from casebook.core.htmlsafe import sanitise_html

# Sanitised HTML (nh3) writes every attribute as name="value", with '"' escaped,
# and no '<' or '>' inside text or values: a tag is `<name ...>`, a value "[^"]*".
# The attributes are read one after the other, so a value is never read as a name.
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(\s[^>]*)?>")
_ATTR = re.compile(r'(\s)([^\s="]+)="([^"]*)"')
_MOVED = ("href", "src", "id")
# What a browser or the sanitiser could read as other than a path inside the
# site: a scheme or host in front, a backslash, a space or control character.
_NOT_PATH = re.compile(r"[\x00-\x20\x7f\\]|^/|^[^/]*:")


def attribute_text(value: str) -> str:
    """``value`` escaped for a double-quoted attribute, as the sanitiser
    writes it (so a copy reads the same as if it had been sanitised again)."""
    return (value.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace('"', "&quot;")
            .replace("<", "&lt;").replace(">", "&gt;"))


def site_path(href: str, src_uri: str, page_url: str, url_of_file: Callable[[str], str | None]) -> str | None:
    """Where a relative ``href`` of the entry written at ``src_uri`` (shown at
    ``page_url``) leads, as a path from the site's root with its #fragment;
    None when it is not relative (a scheme, //host, /path or #fragment only)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    query = f"?{parts.query}" if parts.query else ""
    known = url_of_file(posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), unquote(parts.path))))
    if known is not None:
        return known + query + fragment
    target = posixpath.normpath(posixpath.join(page_url, parts.path))
    if target == ".":
        target = ""
    elif parts.path.endswith("/"):
        target += "/"
    return target + query + fragment


def relative_to(target: str, page_url: str) -> str:
    """``target`` (a path from the site's root, maybe with ?query/#fragment)
    written relative to the page at ``page_url`` (e.g. compilations/x/)."""
    cut = min((i for i in (target.find("?"), target.find("#")) if i >= 0), default=len(target))
    path, rest = target[:cut], target[cut:]
    start = page_url.rstrip("/") or "."
    rel = posixpath.relpath(path.rstrip("/") or ".", start)
    if path.endswith("/") or path == "":
        rel = "./" if rel == "." else rel + "/"
    return rel + rest


class MovedBody:
    """An entry's sanitised body, prepared once for every other page it is
    shown on (compilations, Word files): every id starts with ``id_prefix``,
    links to the entry's own anchors follow, and each relative link or image
    is kept as the place in the site it leads to from the entry's page
    (``entry_url``; the body is written at ``src_uri``), written relative to
    each page in ``on``.

    Only values of href, src and id change, each escaped as the sanitiser
    escapes them; the markup around them stays as sanitised. A copy is
    ``plain`` when every address written for the page is a path inside the
    site (``_NOT_PATH``): then it is as safe as the sanitised body it came from.
    Else (a crafted address such as ``…/javascript:x`` that the page's folder
    would turn into a scheme) the caller sanitises that copy again."""

    def __init__(self, body: str, src_uri: str, entry_url: str, id_prefix: str,
                 url_of_file: Callable[[str], str | None]):
        self._pieces: list[str] = []  # markup, then a target, markup, target, ... markup
        done: list[str] = []  # markup since the last target
        at = 0

        def attribute(match: re.Match) -> None:
            nonlocal at
            space, name, raw = match.groups()
            if name not in _MOVED:
                return
            value = html.unescape(raw)
            if name == "id":
                new = attribute_text(id_prefix + value)
            elif value.startswith("#"):
                new = attribute_text("#" + id_prefix + value[1:])
            else:
                target = site_path(value, src_uri, entry_url, url_of_file)
                if target is None:  # not relative: left as sanitised
                    return
                done.append(body[at:match.start(3)])
                self._pieces.append("".join(done))
                self._pieces.append(target)
                done.clear()
                at = match.end(3)
                return
            done.append(body[at:match.start(3)])
            done.append(new)
            at = match.end(3)

        for tag in _TAG.finditer(body):
            if tag.group(2):
                for match in _ATTR.finditer(body, tag.start(2), tag.end(2)):
                    attribute(match)
        done.append(body[at:])
        self._pieces.append("".join(done))
        self._copies: dict[str, tuple[str, bool]] = {}

    def on(self, page_url: str) -> tuple[str, bool]:
        """(the copy for the page at ``page_url``, whether it is plain)."""
        if len(self._pieces) == 1:  # no relative address: the same copy on every page
            return self._pieces[0], True
        copy = self._copies.get(page_url)
        if copy is None:
            parts, plain = [], True
            for i, piece in enumerate(self._pieces):
                if i % 2:
                    address = relative_to(piece, page_url)
                    plain = plain and not _NOT_PATH.search(address)
                    piece = attribute_text(address)
                parts.append(piece)
            copy = self._copies[page_url] = ("".join(parts), plain)
        return copy


def rebase_body(body: str, src_uri: str, entry_url: str, page_url: str, id_prefix: str,
                url_of_file: Callable[[str], str | None]) -> str:
    """The sanitised ``body`` of the entry (written at ``src_uri``, at home on
    ``entry_url``) for the page at ``page_url``: relative links and images
    lead where they lead on the entry's page, every id starts with
    ``id_prefix`` and links to the entry's own anchors follow. Sanitised
    again unless the copy is plain (see ``MovedBody``)."""
    copy, plain = MovedBody(body, src_uri, entry_url, id_prefix, url_of_file).on(page_url)
    return copy if plain else sanitise_html(copy)
