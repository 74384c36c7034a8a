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

# Sanitised HTML (nh3) writes every attribute in double quotes with '"' escaped,
# and no '<' or '>' inside text or values: a tag is `<name ...>`, a value "[^"]*".
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(\s[^>]*)?>")
_ATTR = re.compile(r'(\s)(href|src|id)="([^"]*)"')


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


def rebase_body(body: str, src_uri: str, entry_url: str, page_url: str, id_prefix: str,
                url_of_file: Callable[[str], str | None]) -> str:
    """The sanitised ``body`` of the entry (written at ``src_uri``, at home on
    ``entry_url``) for the page at ``page_url``: relative links and images
    lead where they lead on the entry's page, every id starts with
    ``id_prefix`` and links to the entry's own anchors follow."""
    def attribute(match: re.Match) -> str:
        space, name, value = match.groups()
        value = html.unescape(value)
        if name == "id":
            value = id_prefix + value
        elif value.startswith("#"):
            value = "#" + id_prefix + value[1:]
        else:
            target = site_path(value, src_uri, entry_url, url_of_file)
            if target is not None:
                value = relative_to(target, page_url)
        return f'{space}{name}="{html.escape(value, quote=True)}"'

    def tag(match: re.Match) -> str:
        return match.group(0) if not match.group(2) else f"<{match.group(1)}{_ATTR.sub(attribute, match.group(2))}>"

    return _TAG.sub(tag, body)
