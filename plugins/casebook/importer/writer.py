"""The entry file: front matter with a ``# 待核对：…`` comment on every
guessed value, the body, a file name by the shared slug rule, and a place
to put it that never overwrites another entry unless asked to."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from casebook.core.compose import yaml_value
from casebook.core.entry import split_front_matter
from casebook.core.paths import shown
from casebook.core.review import REVIEW_MARKER
from casebook.core.slugs import entry_slug
from casebook.importer.metadata import Guess, Metadata

REVIEW = f"{REVIEW_MARKER}："  # check refuses a published entry that still has one


def render_entry(meta: Metadata, body: str, source_name: str, today: dt.date | None = None,
                 review_notes: list[str] | tuple = ()) -> str:
    """``review_notes``: what the reviewer must look at beyond the fields
    (content of the source not imported, or imported in another form);
    each is a ``# 待核对：`` comment at the top of the front matter."""
    today = today or dt.date.today()
    lines = [
        "---",
        f"# 由 casebook import 于 {today.isoformat()} 从“{_comment(source_name)}”导入。",
        f"# 标有“{REVIEW[:-1]}”的值是自动推断的：逐项核对或改正，然后删去该注释。",
        "# 全部核对完毕后删去 status: draft 一行，条目才会发布。",
        *(f"# {REVIEW}{_comment(note)}" for note in review_notes),
        *_new_unit_lines(meta),
        _line("title", meta.title),
        _line("type", Guess(meta.type.value.key, meta.type.note)),
        _line("unit", meta.unit),
        _line("date", meta.date, raw=True),
        _line("themes", meta.themes),
    ]
    for key in ("report_kind", "violations", "outcomes", "rank", "issued_by", "issued_on"):
        guess = getattr(meta, key)
        if guess is not None:
            lines.append(_line(key, guess, raw=key == "issued_on"))
    lines += [_line("source", Guess(inert(source_name))), "status: draft", "---", "", body.rstrip("\n"), ""]
    return "\n".join(lines)


def inert(text: str) -> str:
    """Text that no page can take for an HTML tag, however it is shown:
    ASCII ``<`` ``>`` become full-width ``＜`` ``＞``."""
    return text.replace("<", "＜").replace(">", "＞")


def _comment(text: str) -> str:
    """One line of a YAML comment: a line break in a file name or a note
    must not end the comment and start a field."""
    return re.sub(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+", " ", text)


def _line(key: str, guess: Guess, raw: bool = False) -> str:
    value = str(guess.value) if raw else yaml_value(guess.value)
    comment = f"  # {REVIEW}{_comment(guess.note)}" if guess.note else ""
    if value == "":  # left for the reviewer (a date the document does not state): YAML reads it as empty
        return f"{key}:{comment}"
    return f"{key}: {value}{comment}"


def new_unit_advice(meta: Metadata) -> str:
    """The review note for a unit that is not in the vocabulary."""
    new = meta.new_unit
    return (f"单位“{new.name}”不在 cases/units.yml 中。是新单位的话，把下面 {len(new.yaml_lines())} 行"
            f"（去掉每行开头的“# ”）加到 cases/units.yml 末尾，再删去这几行；分组“{new.group}”是推断的"
            f"（{new.group_reason}），请核对。不是新单位就把 unit 改为词表中的单位")


def _new_unit_lines(meta: Metadata) -> list[str]:
    if meta.new_unit is None:
        return []
    return [f"# {REVIEW}{_comment(new_unit_advice(meta))}", *(f"# {line}" for line in meta.new_unit.yaml_lines())]


# -- where it goes ------------------------------------------------------------
@dataclass
class Target:
    path: Path | None  # None: not written (see ``reason``)
    slug: str
    overwrite: bool = False
    reason: str = ""  # why skipped, or why the name differs from the plain slug


class TargetPlanner:
    """File names for a batch: unique across ``cases/`` and the batch itself.

    With ``force`` an entry at the very same path is overwritten. Otherwise a
    name taken by the same source (an earlier import of this file) is
    skipped, and a name taken by another entry gets ``-2``, ``-3`` … so
    neither is lost.
    """

    def __init__(self, cases_dir: Path, out_dir: Path | None, force: bool):
        self.out_dir, self.force = out_dir, force
        self.cases_dir = cases_dir
        self.existing: dict[str, Path] = {}
        for folder in (cases_dir, out_dir):
            if folder is not None and folder.is_dir():
                for path in sorted(folder.rglob("*.md")):
                    self.existing.setdefault(path.stem, path)
        self.planned: set[str] = set()

    def plan(self, title: str, date: str, folder: str, source_name: str) -> Target:
        base = entry_slug(title, str(date))
        directory = self.out_dir if self.out_dir is not None else self.cases_dir / folder
        slug, number = base, 1
        while True:
            path = directory / f"{slug}.md"
            other = self.existing.get(slug)
            if slug not in self.planned:  # else: taken earlier in this batch
                if other is None:
                    break
                same_place = other.resolve() == path.resolve()
                if same_place and self.force:
                    self.planned.add(slug)
                    return Target(path, slug, overwrite=True)
                if _source_of(other) == source_name:
                    hint = "加 --force 覆盖" if same_place else "如需重新导入，请先删除该文件"
                    return Target(None, slug, reason=f"已导入过：{shown(other)}（{hint}）")
            number += 1
            slug = f"{base}-{number}"
        self.planned.add(slug)
        reason = f"条目名 {base} 已被占用，改用 {slug}" if slug != base else ""
        return Target(path, slug, reason=reason)


def _source_of(path: Path) -> str:
    try:
        front, _, _ = split_front_matter(path.read_text(encoding="utf-8-sig"))
        data = yaml.safe_load(front or "") or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    return str(data.get("source") or data.get("来源") or "") if isinstance(data, dict) else ""

