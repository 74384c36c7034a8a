"""MkDocs' ``url`` filter, each answer worked out once for all the pages it
holds for.

Every link in a template goes through ``url``, which writes it relative to
the page: about 35 calls a page, 450,000 in a 10,000-entry build, each
splitting and normalising both paths. The answer depends on the link and on
the page's address. MkDocs compares the two paths part by part; a page
``a/b/last/`` differs from ``a/b/other/`` only in its last part, so where
the link does not even hold the text ``last``, no part of the link equals
it and the answer is the one for any page in ``a/b/`` whose last part the
link does not hold either: all entry pages of a type share the answer for
a link to a term page. Any other page (no closing slash, a link holding
the page's last part) is answered for its own address, and that answer is
not kept. The answers are
always MkDocs' own (tests/test_frame_cache.py compares them page after page,
and a site built with and without this cache).
"""

from __future__ import annotations

from collections.abc import Callable

from jinja2 import Environment, pass_context
from mkdocs.utils import templates

_NOT_A_NAME = ("", ".", "..")  # parts normalising takes away: such a page is answered for its own address


def cache_urls(env: Environment) -> Callable[[], None]:
    """Make this build's ``url`` filter remember its answers (only MkDocs'
    own: another plugin's filter may read more of the page than its
    address); returns what forgets them once the pages are rendered."""
    original = env.filters.get("url")
    answers: dict[tuple[str, str], str] = {}  # (link, the page's folder) -> the link from any page there
    if original is not templates.url_filter:
        return answers.clear

    @pass_context
    def url(context, value) -> str:
        page = context["page"]
        if page is None:  # relative to base_url
            return original(context, value)
        value = str(value)
        where = page.url
        parent, _, last = where[:-1].rpartition("/")
        if not where.endswith("/") or last in _NOT_A_NAME or last in value:
            return original(context, value)  # this page's own answer: not kept
        found = answers.get((value, parent))
        if found is None:
            found = answers[(value, parent)] = original(context, value)
        return found

    env.filters["url"] = url
    return answers.clear
