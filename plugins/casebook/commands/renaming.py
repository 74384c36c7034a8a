"""``casebook rename``: a file whose name starts with another date than its
``date`` gets the name of its date, and every ``related`` that names it is
updated, so a corrected date never leaves a wrong URL or a broken link.
A name with no date at all (``casebook import`` writes one when the document
states no date) gets the date once it is filled in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from casebook.core.entry import split_front_matter, written_date
from casebook.core.review import date_disagrees, renamed_slug, slug_date
from casebook.core.scan import scan_cases
from casebook.core.textfile import MAX_ENTRY_BYTES, read_text


@dataclass
class Rename:
    old: Path
    new: Path
    refused: str = ""  # why it cannot be done
    links: list[Path] = field(default_factory=list)  # entries whose `related` name it


def plan_renames(root: Path, only: list[Path] | None = None) -> list[Rename]:
    cases_dir = (root / "cases").resolve()
    paths, _ = scan_cases(cases_dir, root)
    texts = {p: read_text(p, str(p), MAX_ENTRY_BYTES)[0] or "" for p in paths}
    wanted = {p.resolve() for p in only} if only else None
    taken = {p.stem for p in paths}
    plans: list[Rename] = []
    for path in paths:
        if wanted is not None and path.resolve() not in wanted:
            continue
        date = written_date(texts[path])
        if not date or not (date_disagrees(path.stem, date) or not slug_date(path.stem)):
            continue
        new_slug = renamed_slug(path.stem, date)
        plan = Rename(path, path.with_name(f"{new_slug}.md"))
        if new_slug in taken:
            plan.refused = f"条目名“{new_slug}”已被占用"
        taken.add(new_slug)
        plan.links = [p for p, text in texts.items() if p != path and _names(text, path.stem)]
        plans.append(plan)
    return plans


def _slug_pattern(slug: str) -> re.Pattern:
    return re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(slug)}(?![A-Za-z0-9_-])")


def _names(text: str, slug: str) -> bool:
    front, _, _ = split_front_matter(text)
    return bool(front) and bool(_slug_pattern(slug).search(front))


def apply_rename(plan: Rename) -> None:
    """Move the file, then point the ``related`` of other entries at the new
    name (only in their front matter; the body is the editor's text)."""
    plan.old.rename(plan.new)
    pattern = _slug_pattern(plan.old.stem)
    for path in plan.links:
        text = path.read_text(encoding="utf-8-sig")
        front, _, _ = split_front_matter(text)
        start = text.index(front)
        updated = text[:start] + pattern.sub(plan.new.stem, front) + text[start + len(front):]
        path.write_text(updated, encoding="utf-8", newline="\n")
