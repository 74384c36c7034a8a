"""Blocks of the theme's frame rendered once per place, not once per page.

Material's ``base.html`` writes the same head links, scripts, app
configuration (with a dozen translated strings) and "back to top" button
into every page, and Casebook's header the same logo, icons and search box;
they differ only in how their links to the theme's and the site's assets,
the search page and the home page are written relative to the page. Such a link
depends on the page's folders and how deep it is, but not on the page's own
last folder, unless it points into that folder. The header links to the
search page, search/, so a page one folder deep (the search page, the
listings) is keyed by its whole address; deeper ones, an entry's
practices/<slug>/ say, hold only the page and its attachments, and are
keyed by ``base_url`` and their other folders: a block is rendered once for
all entry pages of a type, once for all term pages of a kind. The blocks
named here read nothing else of the page (Material 9.x;
tests/test_frame_cache.py renders pages with and without this cache).

The table of contents beside a page reads only the page's headings, whose
links are anchors in the page itself: it is rendered once for every page
with the same headings (reports of one kind share their sections).
"""

from __future__ import annotations

from jinja2 import Environment

from casebook.mkdocs.navcache import rendered_once

TEMPLATE = "base.html"
BLOCKS = ("styles", "libs", "fonts", "analytics", "config", "scripts")
# Casebook's header around the page's title (partials/header.html), Material's
# "back to top" button and its script for content tabs (the same on every page)
PARTIALS = ("partials/casebook-header-start.html", "partials/casebook-header-end.html", "partials/top.html",
            "partials/javascripts/content.html")
# The page's table of contents: once per set of headings (entries share the sections of a kind of report)
TOC = "partials/toc.html"


def cache_frame(env: Environment) -> None:
    """Make ``BLOCKS`` of this build's ``env``'s base template and ``PARTIALS``
    render once per place, and ``TOC`` once per set of headings."""
    template = env.get_template(TEMPLATE)
    for name in BLOCKS:
        if name in template.blocks:
            template.blocks[name] = rendered_once(template.blocks[name], place)
    for name in PARTIALS:
        partial = env.get_template(name)
        partial.root_render_func = rendered_once(partial.root_render_func, place)
    toc = env.get_template(TOC)
    toc.root_render_func = rendered_once(toc.root_render_func, headings)


def headings(context) -> tuple | None:
    """What Material's table of contents reads of the page: its headings'
    titles, links (``#id``) and levels, nested; None for a page-less render
    or a heading with more (Material's typeset plugin)."""
    page = context.get("page")
    if page is None:
        return None

    def shape(items) -> tuple | None:
        found = []
        for item in items:
            if hasattr(item, "typeset"):
                return None
            children = shape(item.children)
            if children is None:
                return None
            found.append((item.title, item.url, item.level, children))
        return tuple(found)

    return shape(page.toc or [])


def place(context) -> tuple | None:
    """What a frame block's links depend on; None for a page-less render."""
    page = context.get("page")
    if page is None:
        return None
    folders, _, last = str(page.url).strip("/").rpartition("/")
    return context.get("base_url"), folders or last
