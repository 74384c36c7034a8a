"""One file through the steps: read, clean, structure, guess, render, place.

The result is checked with the same validation as ``casebook check``, so the
summary can say what the reviewer still has to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from casebook.core.entry import parse_entry
from casebook.core.paths import relative_path
from casebook.core.problems import Problem
from casebook.core.vocab import Vocabularies
from casebook.importer.cleanup import CleanupReport, clean_blocks, clean_text
from casebook.importer.decode import read_source
from casebook.importer.limits import check_entry_size
from casebook.importer.metadata import Metadata, Overrides, guess_metadata
from casebook.importer.model import ImportFailure, Source
from casebook.importer.structure import Outline, build_outline
from casebook.importer.writer import TargetPlanner, inert, render_entry

WRITTEN, PLANNED, SKIPPED, FAILED = "written", "planned", "skipped", "failed"


@dataclass
class ImportResult:
    source: Path
    status: str  # WRITTEN, PLANNED (dry run), SKIPPED or FAILED
    target: Path | None = None
    text: str = ""
    encoding: str = ""
    meta: Metadata | None = None
    outline: Outline | None = None
    cleanup: CleanupReport | None = None
    notes: list[str] = field(default_factory=list)  # for the editor, in Chinese
    problems: list[Problem] = field(default_factory=list)  # what casebook check will report
    overwrote: bool = False
    review_notes: list[str] = field(default_factory=list)  # written into the draft as # 待核对 lines

    @property
    def review_count(self) -> int:
        """How many front-matter values carry a 待核对 comment."""
        if self.meta is None:
            return 0
        guesses = (self.meta.title, self.meta.type, self.meta.unit, self.meta.date, self.meta.themes,
                   self.meta.report_kind, self.meta.violations, self.meta.outcomes, self.meta.rank,
                   self.meta.issued_by, self.meta.issued_on)
        return (sum(1 for g in guesses if g is not None and g.note) + len(self.review_notes)
                + (self.meta.new_unit is not None))


@dataclass
class ImportSettings:
    root: Path
    cases_dir: Path
    vocabs: Vocabularies
    planner: TargetPlanner
    overrides: Overrides = field(default_factory=Overrides)
    dry_run: bool = False
    today: dt.date = field(default_factory=dt.date.today)
    encoding: str | None = None  # --encoding: how to read text files, instead of guessing


def import_file(path: Path, settings: ImportSettings) -> ImportResult:
    try:
        source = read_source(path, settings.encoding)
    except ImportFailure as exc:
        return ImportResult(path, FAILED, notes=[str(exc)])
    blocks, cleanup = clean_blocks(source.blocks, markdown=source.markdown)
    if not blocks:
        return ImportResult(path, FAILED, notes=["清理后没有剩下文字（文件只有抓取标记或空白）"], cleanup=cleanup)
    footnotes = [clean_text(note, cleanup) for note in source.footnotes]
    outline = build_outline(blocks, markdown_source=source.markdown, footnotes=footnotes)
    meta = guess_metadata(outline, settings.vocabs, settings.overrides, source.year_hint,
                          source.year_hint_reason, settings.today)
    _make_inert(meta)
    review = [*source.notes, *_markup_notes(source, outline)]
    text = render_entry(meta, outline.markdown, source.name, settings.today, review_notes=review)
    result = ImportResult(path, PLANNED, text=text, encoding=source.encoding, meta=meta, outline=outline,
                          cleanup=cleanup, notes=[*review, *meta.warnings], review_notes=review)
    try:
        check_entry_size(text)
    except ImportFailure as exc:
        result.status, result.notes = FAILED, [str(exc)]
        return result

    folder = meta.type.value.folder
    target = settings.planner.plan(meta.title.value, meta.date.value, folder, source.name)
    if target.reason:
        result.notes.append(target.reason)
    if target.path is None:
        result.status = SKIPPED
        return result
    result.target, result.overwrote = target.path, target.overwrite
    src_uri = f"{folder}/{target.slug}.md"  # as if in its type folder, also with --out
    result.problems = parse_entry(text, relative_path(target.path, settings.root), src_uri, settings.vocabs).problems
    if settings.dry_run:
        return result
    try:
        target.path.parent.mkdir(parents=True, exist_ok=True)
        target.path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        result.status = FAILED
        result.notes.append(f"无法写入 {target.path}（{exc.strerror or exc}）")
        return result
    result.status = WRITTEN
    return result



_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^<>\n]{0,40}>?")


def _markup_notes(source: Source, outline: Outline) -> list[str]:
    """HTML tags written in a Markdown source stay Markdown (the build
    sanitises them); the reviewer is told. In Word and text files they are
    escaped into plain text by ``structure.escape_markdown``."""
    if not source.markdown:
        return []
    tags = list(dict.fromkeys(m.group(0) for m in _TAG.finditer(outline.markdown)))
    if not tags:
        return []
    shown = "、".join(f"“{t}”" for t in tags[:3]) + ("等" if len(tags) > 3 else "")
    return [f"原文中有 HTML 标签 {shown}：发布时只保留安全的标签和属性，请核对是否需要"]


def _make_inert(meta: Metadata) -> None:
    """Values taken from the document's text cannot become HTML on any page
    that shows them: ``<`` ``>`` turn full-width, and the reviewer is told."""
    for guess in (meta.title, meta.unit, meta.issued_by):
        if guess is None:
            continue
        value = guess.value if isinstance(guess.value, str) else ""
        if inert(value) != value:
            guess.value = inert(value)
            guess.note = "；".join(n for n in (guess.note, "原文中的 < > 已改为全角 ＜ ＞，以免被当作网页代码") if n)
