"""The whole library: vocabularies and every entry under ``cases/``,
with the cross-entry rules (unique slugs, known ``related`` slugs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rapidfuzz import process

from casebook.core import fields as F
from casebook.core.compilations import FILE_NAME as COMPILATIONS_FILE
from casebook.core.compilations import DeclaredCompilation, read_compilations
from casebook.core.entry import Entry, read_entry_file
from casebook.core.htmlsafe import sanitise_html
from casebook.core.parsecache import ParseCache
from casebook.core.paths import RelativePaths, relative_path
from casebook.core.problems import Problem
from casebook.core.scan import scan_cases
from casebook.core.text import default_renderer, summary_from_html
from casebook.core.vocab import Vocabularies, Vocabulary, load_vocabularies

PROFILES = ("internal", "public")
PROFILE_LABELS = {"internal": "内部版", "public": "公开版"}


@dataclass
class Library:
    root: Path
    cases_dir: Path
    # What the site may name. In the public profile only the terms that
    # published public entries use: a term used only by hidden entries would
    # reveal that they exist.
    vocabs: Vocabularies
    entries: list[Entry]  # what the site shows: published, in the profile, newest first
    problems: list[Problem] = field(default_factory=list)
    drafts: int = 0
    left_out: int = 0  # internal entries left out of a public build
    profile: str = "internal"
    all_vocabs: Vocabularies | None = None  # as declared, for checking
    # Entry names `related` may use: every file in cases/ (internal), or only
    # the public entries (the public schema must not name the others).
    slugs: list[str] = field(default_factory=list)
    compilations: list[DeclaredCompilation] = field(default_factory=list)  # cases/compilations.yml

    def by_slug(self) -> dict[str, Entry]:
        return {e.slug: e for e in self.entries}

    @property
    def blocking(self) -> list[Problem]:
        """Problems no build may go on with (an unreadable vocabulary)."""
        return [p for p in self.problems if p.blocking]


def entry_files(cases_dir: Path) -> list[Path]:
    return scan_cases(cases_dir, cases_dir)[0]


# (function, items, shared) -> the function of every item, in order; objects
# of ``shared`` (the entry types, the vocabularies' terms) in what it returns
# must be those very objects, not copies (mkdocs/sidebuild.split_map)
MapMany = Callable[[Callable, list, list], list]


def _map_here(function: Callable, items: list, shared: list) -> list:
    return list(map(function, items))


def load_library(root: Path, cases_dir: Path | None = None, profile: str = "internal",
                 include_drafts: bool = True, render: Callable[[str], str] | None = None,
                 show_drafts: bool = False, cache: ParseCache | None = None,
                 render_many: Callable[[list[str]], list[str]] | None = None,
                 map_many: MapMany | None = None) -> Library:
    """Read and check everything. A build passes ``include_drafts=False``: a
    draft is work in progress and its problems must not break the site.
    ``render`` turns Markdown into HTML the way the site does; automatic
    summaries are cut from its (sanitised) text; ``render_many``, if given,
    does that for a list of bodies at once (the build renders them on both
    cores and keeps them for the index and the Word files). ``show_drafts`` (the local
    preview only, never the public profile) lets drafts that parse be shown.
    ``cache`` (the preview's) reuses what unchanged files gave last time.
    ``map_many``, if given, reads the files (the build: on both cores)."""
    show_drafts = show_drafts and profile == "internal"
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}")  # callers validate first; never guess
    root = root.resolve()
    cases_dir = (cases_dir or root / "cases").resolve()
    vocabs, problems = load_vocabularies(cases_dir, root)
    paths, file_problems = scan_cases(cases_dir, root)
    problems.extend(file_problems)

    parsed: list[tuple[Path, Entry | None, str]] = []
    names = RelativePaths(root)
    rels = [names(path) for path in paths]
    if cache is not None:
        cache.start(vocabs)
        cache.forget_missing(set(rels))
        results = [cache.read(path, root, cases_dir, vocabs, rel) for path, rel in zip(paths, rels)]
    else:
        results = (map_many or _map_here)(lambda pair: read_entry_file(pair[0], root, cases_dir, vocabs, pair[1]),
                                          list(zip(paths, rels)), [*F.ENTRY_TYPES, *vocabs.terms()])
    for path, result in zip(paths, results):
        if include_drafts or result.status != "draft":
            problems.extend(result.problems)
        parsed.append((path, result.entry, result.status))

    problems.extend(cross_entry_problems(parsed, root, None))
    compilations, found = read_compilations(cases_dir, root, vocabs, {path.stem for path, _, _ in parsed})
    problems.extend(found)
    drafts = sum(1 for _, _, status in parsed if status == "draft")
    seen: set[str] = set()
    entries: list[Entry] = []
    left_out = 0
    for _, entry, _ in parsed:
        if entry is None or not (entry.is_published or show_drafts) or entry.slug in seen:
            continue
        seen.add(entry.slug)
        if profile == "public" and entry.audience == "internal":
            left_out += 1
            continue
        entries.append(entry)
    shown = {e.slug for e in entries}
    if render_many is None:
        render = render or default_renderer()  # one Markdown instance for every summary, not one each
        render_many = lambda bodies: [sanitise_html(render(body)) for body in bodies]  # noqa: E731
    # the bodies whose summary is the start of the body (the preview's cache knows those it cut before)
    pending = list(dict.fromkeys(e.body for e in entries
                                 if not e.summary_given and (cache is None or cache.known_summary(e.body) is None)))
    html = dict(zip(pending, render_many(pending)))
    finished = []
    for entry in entries:
        related = [s for s in entry.related if s in shown]
        summary = entry.summary
        if not entry.summary_given:
            summary = (cache.summary(entry.body, lambda body: summary_from_html(html[body])) if cache
                       else summary_from_html(html[entry.body]))
        if cache is not None:  # the cache's entries are shared: it finishes a copy (or last load's)
            entry = cache.finish(entry, related, summary)
        else:
            entry.related, entry.summary = related, summary
        finished.append(entry)
    entries = finished
    entries.sort(key=lambda e: e.sort_key)
    problems.sort(key=lambda p: (p.path, p.line, p.field))
    visible = vocabs if profile == "internal" else used_terms_only(vocabs, entries)
    slugs = sorted({p.stem for p, _, _ in parsed} if profile == "internal" else shown)
    return Library(root, cases_dir, visible, entries, problems, drafts, left_out, profile, vocabs,
                   slugs=slugs, compilations=compilations)


def used_terms_only(vocabs: Vocabularies, entries: list[Entry]) -> Vocabularies:
    """The vocabularies with only the terms these entries carry."""
    terms = [spec for spec in F.FIELDS if spec.vocabulary]
    used = {id(t) for e in entries for spec in terms
            for t in (getattr(e, spec.key) if spec.is_list else [getattr(e, spec.key)]) if t}
    pruned = {}
    for name, vocab in vocabs.by_name.items():
        kept = Vocabulary(name)
        for term in vocab.terms:
            if id(term) in used:
                kept.add(term)
        pruned[name] = kept
    return Vocabularies(pruned)


def check_entries(root: Path, only: list[Path], cases_dir: Path | None = None) -> list[Problem]:
    """Problems of some entries, at editor speed: only these files are read;
    the others take part in the cross-entry rules (unique names, known
    ``related``) by their file names alone."""
    root = root.resolve()
    cases_dir = (cases_dir or root / "cases").resolve()
    vocabs, problems = load_vocabularies(cases_dir, root)
    wanted = {p.resolve() for p in only}
    paths, file_problems = scan_cases(cases_dir, root)
    wanted_rel = {relative_path(p, root) for p in only}
    problems.extend(p for p in file_problems if p.path in wanted_rel)
    parsed: list[tuple[Path, Entry | None, str]] = []
    for path in paths:
        if path.resolve() in wanted:
            result = read_entry_file(path, root, cases_dir, vocabs)
            problems.extend(result.problems)
            parsed.append((path, result.entry, result.status))
        else:
            parsed.append((path, None, ""))
    problems.extend(cross_entry_problems(parsed, root, wanted))
    if (cases_dir / COMPILATIONS_FILE).resolve() in wanted:
        problems.extend(read_compilations(cases_dir, root, vocabs, {path.stem for path, _, _ in parsed})[1])
    return sorted(problems, key=lambda p: (p.path, p.line, p.field))


def cross_entry_problems(parsed, root: Path, wanted: set[Path] | None) -> list[Problem]:
    """Unique slugs and known ``related`` slugs; ``wanted`` limits the report
    to problems of those files (None: all)."""
    problems: list[Problem] = []
    first_path: dict[str, Path] = {}
    for path, _, _ in parsed:
        slug = path.stem
        if slug in first_path:
            if wanted is None or path.resolve() in wanted or first_path[slug].resolve() in wanted:
                other = relative_path(first_path[slug], root)
                problems.append(Problem(relative_path(path, root), 1, "文件名",
                                        f"条目名“{slug}”重复，与 {other} 相同", "改一个文件名，条目名在 cases/ 中必须唯一"))
        else:
            first_path[slug] = path
    slugs = list(first_path)
    for path, entry, _ in parsed:
        if entry is None or (wanted is not None and path.resolve() not in wanted):
            continue
        for slug in entry.related:
            if slug not in first_path:
                close = process.extractOne(slug, [s for s in slugs if s != entry.slug])
                hint = f"是否指 {close[0]}？" if close and close[1] >= 90 else "写被关联条目的文件名（不含 .md）"
                line = entry.related_line
                problems.append(Problem(entry.path, line, "related", f"相关条目“{slug}”不存在", hint))
            elif slug == entry.slug:
                problems.append(Problem(entry.path, entry.related_line, "related", "条目不能关联自己", "删除这一项"))
    return problems
