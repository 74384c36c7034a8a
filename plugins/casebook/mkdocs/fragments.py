"""Pieces of pages rendered once per build, not once per page they are on.

An entry's card is on its unit's, its themes' and its type's pages and in
the related lists of other entries; its facts head it in every compilation
it is in. Such a piece is the same everywhere but for its link to the entry,
which is written relative to the page. The first time, its macro is
rendered with a placeholder as its last argument, the link, and kept as the
text before and after it; after that the two are joined around each page's
link (escaped as the template would have escaped it). A piece's key must
name all else it depends on that can differ within a build (the entry's
slug). Entries change between the preview's builds: each build's
environment gets a new, empty store (``on_env``).

The templates hand over whole lists, and the loop runs here, not in the
template (a listing holds up to a hundred cards, 130,000 in a 10,000-entry
build, and a macro call costs more than the card), each entry's link its
``url`` through the page's ``url`` filter:
``casebook_linked_each(kind, entries, macro, *args)`` for cards;
``casebook_kept_each`` for pieces with no link (a compilation's contents
lines), kept whole (``casebook_kept(key, macro)`` for a single one, an
icon); ``casebook_around_each`` for a compilation's entries, each entry's
body, which differs from page to page, between two kept pieces.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from jinja2 import pass_context
from markupsafe import Markup, escape

EACH = "casebook_linked_each"
KEPT = "casebook_kept"
KEPT_EACH = "casebook_kept_each"
AROUND_EACH = "casebook_around_each"
# Stands for the link while a piece is first rendered: letters only, so
# escaping leaves it as it is. A piece holding it anywhere else (an editor
# could write it into a title) is not kept: rendered with its link each time.
PLACEHOLDER = "casebookLinkPlaceholder7f3a"


class Fragments:
    """One build's rendered pieces, by key: (before the link, after it)."""

    def __init__(self):
        self._kept: dict[Hashable, tuple[Markup, Markup] | None] = {}

    def _pieces(self, key: Hashable, link: str, macro: Callable[..., Markup], *args) -> tuple[Markup, ...]:
        """The piece kept at ``key`` around ``link`` (escaped), made by ``macro(*args, link)``."""
        found = self._kept.get(key, False)
        if found is False:
            made = macro(*args, PLACEHOLDER)
            # a macro of an autoescaping template gives Markup, and so do its parts: nothing is made markup here
            kept = isinstance(made, Markup) and made.count(PLACEHOLDER) == 1
            found = self._kept[key] = made.partition(PLACEHOLDER)[::2] if kept else None
        if found is None:
            return (macro(*args, link),)
        return found[0], escape(link), found[1]

    def linked_each(self, url: Callable[[str], str], kind: str, entries, macro: Callable[..., Markup], *args) -> Markup:
        """The piece of each of ``entries`` (key ``(kind, e.slug, *args)``, made by
        ``macro(e, *args, link)``) around its link ``url(e.url)``, in a row."""
        pieces = self._pieces
        return Markup("").join([piece for e in entries
                                for piece in pieces((kind, e.slug, *args), url(e.url), macro, e, *args)])

    def kept(self, key: Hashable, macro: Callable[..., Markup], *args) -> Markup:
        """A piece with no link (the same on every page): rendered once."""
        found = self._kept.get(key)
        if found is None:
            found = macro(*args)
            if isinstance(found, Markup):
                self._kept[key] = (found, Markup(""))
            return found
        return found[0]

    def kept_each(self, kind: str, entries, macro: Callable[..., Markup], *args) -> Markup:
        """The kept piece of each of ``entries`` (key ``(kind, e.slug, *args)``,
        made by ``macro(e, *args)``), in a row."""
        kept = self.kept
        return Markup("").join([kept((kind, e.slug, *args), macro, e, *args) for e in entries])

    def around_each(self, url: Callable[[str], str], kind: str, entries, inner: dict, start: Callable[..., Markup],
                    end: Callable[..., Markup]) -> Markup:
        """Each of ``entries`` as ``start(e, link)`` (its link ``url(e.url)``),
        ``inner[e.slug]``, ``end(e)``, the two pieces kept; all in a row."""
        pieces, kept = self._pieces, self.kept
        return Markup("").join([piece for e in entries
                                for piece in (*pieces((kind, e.slug), url(e.url), start, e), inner[e.slug],
                                              kept((kind + "-end", e.slug), end, e))])

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        """The pages are rendered: what they shared is not needed any more."""
        self._kept.clear()


def keep_fragments(env) -> Fragments:
    """A new store for this build's ``env``, as the templates'
    ``casebook_linked_each``, ``casebook_kept``, ``casebook_kept_each`` and ``casebook_around_each``."""
    fragments = Fragments()

    def page_url(context) -> Callable[[str], str]:
        """An address through this page's ``url`` filter, as the template's own ``| url``."""
        return lambda address: env.call_filter("url", address, context=context)

    @pass_context
    def linked_each(context, *args) -> Markup:
        return fragments.linked_each(page_url(context), *args)

    @pass_context
    def around_each(context, *args) -> Markup:
        return fragments.around_each(page_url(context), *args)

    env.globals[EACH] = linked_each
    env.globals[KEPT] = fragments.kept
    env.globals[KEPT_EACH] = fragments.kept_each
    env.globals[AROUND_EACH] = around_each
    return fragments
