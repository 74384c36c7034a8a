"""Keep the built site free of outside addresses.

The intranet has no internet access. Material ships files that name outside
addresses even when nothing uses them: the lunr search (off here), source
maps, and URLs inside its bundle (a mermaid loader on unpkg, rxjs error
texts, licence comments). Unused files are removed; in the remaining theme
assets the scheme is cut from such URLs, so nothing can ever be fetched from
outside while comments stay readable. XML namespace names (www.w3.org) are
identifiers, not addresses, and are kept: inline SVG needs them.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

UNUSED_WITHOUT_SEARCH = ("assets/javascripts/lunr", "assets/javascripts/workers")
OUTSIDE_URL = re.compile(r"https?://(?!www\.w3\.org/|127\.0\.0\.1|localhost)")
SCRUBBED_SUFFIXES = (".js", ".css")


def scrub_theme_assets(site_dir: Path, theme_search_enabled: bool, skip: tuple[str, ...] = ()) -> list[str]:
    """Returns what it changed, relative to ``site_dir``. ``skip``: folders
    (relative to ``site_dir``) holding no theme file, not walked (the search
    index: tens of thousands of files in a large library)."""
    changed: list[str] = []
    if not theme_search_enabled:
        for rel in UNUSED_WITHOUT_SEARCH:
            if (site_dir / rel).is_dir():
                shutil.rmtree(site_dir / rel)
                changed.append(rel)
    files = _files(site_dir / "assets", {site_dir / rel for rel in skip})
    for path in files:
        if path.suffix == ".map":
            path.unlink()  # source maps point at the theme's sources; no reader needs them
            changed.append(path.relative_to(site_dir).as_posix())
    for path in files:
        if path.suffix not in SCRUBBED_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8")
        cleaned = OUTSIDE_URL.sub("", text)
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")
            changed.append(path.relative_to(site_dir).as_posix())
    return changed


def _files(folder: Path, skip: set[Path]) -> list[Path]:
    """Files under ``folder``, sorted, not looking into ``skip``."""
    found = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if Path(top, d) not in skip]
        found += [Path(top, name) for name in names]
    return sorted(found)
