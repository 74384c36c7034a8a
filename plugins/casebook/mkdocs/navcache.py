"""The theme's navigation (sidebar and tabs) rendered once per place, not once per page.

Material renders the whole site navigation on every page. The thousands of
pages Casebook adds (entries, term pages, compilations) are not in the
navigation, so on each of them no item is active and no table of contents is
shown: the navigation differs between them only in its links, which are
written relative to the page. The rendered partial is kept per build, keyed by
exactly those links (made by MkDocs' own ``url`` filter for this page); a page
in the navigation, or any page while an item is active, is rendered as usual.

The links themselves are made once per *place*: a link relative to a page
depends only on the page's folders that begin some link's path, and on how
deep the page is (practices/a/ and practices/b/ get the same links). Making
them for every page was 60 ``url`` calls a page, a tenth of an entry page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from jinja2 import Environment
from mkdocs.utils.templates import url_filter

PARTIALS = ("partials/nav.html", "partials/tabs.html")


def _items(items) -> Iterator:
    for item in items:
        yield item
        yield from _items(getattr(item, "children", None) or [])


class _Places:
    """A build's navigation: its items and the addresses they link to."""

    def __init__(self, nav):
        self.nav = nav
        self.items = list(_items(nav.items))
        self.pages = {id(p) for p in nav.pages}
        self.targets = sorted({str(i.url) for i in self.items if getattr(i, "url", None) is not None})
        # every run of leading folders of a link's path: a page's place keeps those it starts with
        self.beginnings = {tuple(parts[:n]) for parts in map(_folders, self.targets) for n in range(len(parts) + 1)}
        self.links: dict[tuple, tuple] = {}  # place -> the links from there

    def key(self, context) -> tuple | None:
        page = context.get("page")
        if page is None or id(page) in self.pages or any(getattr(i, "active", False) for i in self.items):
            return None
        place = self.place(str(page.url))
        found = self.links.get(place) if place is not None else None
        if found is None:
            found = tuple(url_filter(context, t) for t in self.targets)
            if place is not None:
                self.links[place] = found
        return found

    def place(self, url: str) -> tuple | None:
        """The leading folders of ``url`` that begin some link's path, and
        its depth; None for an address with a dot, ``..`` or an empty
        folder in it (MkDocs reads those otherwise: made link by link)."""
        parts = _folders(url)
        if any(not part or "." in part for part in parts):
            return None
        kept = 0
        while kept < len(parts) and tuple(parts[:kept + 1]) in self.beginnings:
            kept += 1
        return tuple(parts[:kept]), len(parts)


def _folders(url: str) -> list[str]:
    """The folders of a site address (``a/b/`` -> a, b; the site root has none)."""
    url = url.strip("/")
    return url.split("/") if url else []


def cache_navigation(env: Environment) -> None:
    """Make ``PARTIALS`` of this build's ``env`` render once per set of links."""
    for name in PARTIALS:
        template = env.get_template(name)
        template.root_render_func = _cached(template.root_render_func)


def _cached(render: Callable) -> Callable:
    places: list[_Places] = []  # the build's navigation, read at the first page

    def key(context) -> tuple | None:
        nav = context.get("nav")
        if nav is None:
            return None
        if not places or places[0].nav is not nav:
            places[:] = [_Places(nav)]
        links = places[0].key(context)
        return None if links is None else (places[0], links)  # another navigation: other keys
    return rendered_once(render, key)


def rendered_once(render: Callable, key_of: Callable) -> Callable:
    """A template's or block's render function that renders once per key
    (``key_of(context)``) and gives that text again; a context whose key is
    None is rendered as usual."""
    rendered: dict = {}

    def part(context):
        key = key_of(context)
        if key is None:
            yield from render(context)
            return
        html = rendered.get(key)
        if html is None:
            html = rendered[key] = "".join(render(context))
        yield html
    return part
