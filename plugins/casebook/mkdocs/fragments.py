"""Pieces of pages rendered once per build, not once per page they are on.

An entry's card is on its unit's, its themes' and its type's pages and in
the related lists of other entries; its facts head it in every compilation
it is in. The templates call ``casebook_once(key, macro, *args)``: the
macro's output is kept under ``key``, which must name all the piece depends
on that can differ within a build -- the entry's slug and the link to it as
written from this page (``e.url | url``), which differs from place to place.
Entries change between the preview's builds: each build's environment gets
a new, empty store (``on_env``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from markupsafe import Markup

GLOBAL = "casebook_once"


class Fragments:
    """One build's rendered pieces, by key."""

    def __init__(self):
        self._kept: dict[Hashable, Markup] = {}

    def once(self, key: Hashable, macro: Callable[..., Markup], *args) -> Markup:
        found = self._kept.get(key)
        if found is None:
            found = self._kept[key] = macro(*args)
        return found

    def __len__(self) -> int:
        return len(self._kept)


def keep_fragments(env) -> Fragments:
    """A new store for this build's ``env``, as the templates' ``casebook_once``."""
    fragments = Fragments()
    env.globals[GLOBAL] = fragments.once
    return fragments
