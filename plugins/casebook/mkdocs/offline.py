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

import re
import shutil
from pathlib import Path

UNUSED_WITHOUT_SEARCH = ("assets/javascripts/lunr", "assets/javascripts/workers")
OUTSIDE_URL = re.compile(r"https?://(?!www\.w3\.org/|127\.0\.0\.1|localhost)")
SCRUBBED_SUFFIXES = (".js", ".css")


def scrub_theme_assets(site_dir: Path, theme_search_enabled: bool) -> list[str]:
    """Returns what it changed, relative to ``site_dir``."""
    changed: list[str] = []
    if not theme_search_enabled:
        for rel in UNUSED_WITHOUT_SEARCH:
            if (site_dir / rel).is_dir():
                shutil.rmtree(site_dir / rel)
                changed.append(rel)
    assets = site_dir / "assets"
    for path in sorted(assets.rglob("*.map")) if assets.is_dir() else []:
        path.unlink()  # source maps point at the theme's sources; no reader needs them
        changed.append(path.relative_to(site_dir).as_posix())
    for path in sorted(assets.rglob("*")) if assets.is_dir() else []:
        if path.suffix not in SCRUBBED_SUFFIXES or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        cleaned = OUTSIDE_URL.sub("", text)
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")
            changed.append(path.relative_to(site_dir).as_posix())
    return changed
