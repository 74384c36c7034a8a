"""The search page's scripts and style as the site serves them: ES modules
under names that carry their content hash, so a browser never pairs a
cached old script with a new index (or a new script with old rules).

The modules live in ``assets/search/`` and import each other as
``./name.js``; ``rules.js`` is generated from the Python rules
(``casebook.search.rules``). Each module is written as
``name.<hash>.js`` with its imports rewritten to the hashed names of
what it imports (dependencies first), so a change anywhere renames every
module that depends on it, up to the entry point the pages load.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from casebook.search.rules import rules_module

SOURCE_DIR = Path(__file__).parent / "assets" / "search"
OUT_DIR = "assets/casebook/app/"  # hashed files only: served as immutable (docs/guide/deploy/casebook.conf)
ENTRY = "ui.js"  # the search box and page
HIGHLIGHT = "mark.js"  # entry pages: the words of ?hl= marked on arrival
STYLE = "search.css"
_IMPORT = re.compile(r'^(import .*? from |import )"\./([a-z]+)\.js";$', re.M)


@dataclass
class SearchAssets:
    script: str  # the entry module the pages load, a site URI
    highlight: str  # the module entry pages load as well
    style: str
    files: dict[str, bytes] = field(default_factory=dict)  # site URI -> content


def _hashed(stem: str, ext: str, data: bytes) -> str:
    return f"{OUT_DIR}{stem}.{hashlib.sha256(data).hexdigest()[:12]}.{ext}"


def search_assets() -> SearchAssets:
    sources = {path.name: path.read_text(encoding="utf-8") for path in SOURCE_DIR.glob("*.js")}
    sources["rules.js"] = rules_module()
    files: dict[str, bytes] = {}
    uris: dict[str, str] = {}

    def emit(name: str, chain: tuple[str, ...] = ()) -> str:
        if name in uris:
            return uris[name]
        if name in chain or name not in sources:
            raise ValueError(f"search module {name}: imported by {' > '.join(chain)} but missing or circular")

        def imported(match: re.Match) -> str:
            target = emit(f"{match.group(2)}.js", (*chain, name))
            return f'{match.group(1)}"./{target.rsplit("/", 1)[1]}";'

        data = _IMPORT.sub(imported, sources[name]).encode("utf-8")
        uris[name] = _hashed(name[:-3], "js", data)
        files[uris[name]] = data
        return uris[name]

    script = emit(ENTRY)
    highlight = emit(HIGHLIGHT)
    css = (SOURCE_DIR / STYLE).read_bytes()
    style = _hashed(STYLE[:-4], "css", css)
    files[style] = css
    return SearchAssets(script, highlight, style, files)
