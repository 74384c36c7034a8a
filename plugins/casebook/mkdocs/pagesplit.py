"""The preview renders its pages on both cores.

A full build already gives the second core the search index and the Word
files (sidebuild.py); the preview makes those in its own process, so while
it renders pages the second core is idle. When a rebuild has many pages to
render (the first one; a new or deleted entry moves the later pages of
every listing it is on: hundreds at 10,000 entries), a forked process
renders every other one of them with MkDocs' own ``_build_page`` (MkDocs
1.6.1, pinned), and the build's process skips those. Pages are rendered
from what the build has gathered by then (every page's HTML, the nav, the
template environment) and each writes only its own file, so the output is
the same either way; tests/test_preview_incremental.py compares the preview
with a clean build after every edit, the first build going this way.
"""

from __future__ import annotations

from mkdocs.commands.build import _build_page
from mkdocs.structure.files import InclusionLevel

from casebook.mkdocs.sidebuild import SideBuild, can_fork

# Below this many pages to render, forking (a copy of a process of up to a
# gigabyte's page tables) costs about what it saves.
MIN_PAGES = 24


def split_pages(files, config, nav, env, render_titles: dict[str, str]) -> tuple[SideBuild | None, int]:
    """Start rendering every other page MkDocs would render in this build
    in a forked process; those pages are then not modified for MkDocs here.
    ``render_titles`` gets each page's title, as this process would have
    recorded it rendering the page. Returns the process (None when not worth
    it or not possible) and how many pages it renders."""
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    to_render = [f for f in doc_files if f.page is not None and f.is_modified()]
    if len(to_render) < MIN_PAGES or not can_fork():
        return None, 0
    theirs = to_render[1::2]

    def render() -> int:
        for file in theirs:
            _build_page(file.page, config, doc_files, nav, env, dirty=True,
                        excluded=file.inclusion.is_excluded())
        return len(theirs)

    side = SideBuild(render, fork=True)
    for file in theirs:
        render_titles[file.src_uri] = file.page.title
        file.is_modified = _not_modified
    return side, len(theirs)


def _not_modified() -> bool:
    return False
