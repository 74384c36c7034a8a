"""Vocabularies: the declared units, themes, violation types and outcomes.

Each is a YAML list in ``cases/<name>.yml``. Values are resolved by name or
alias to the canonical item; unknown values get the closest names as hints.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from casebook.core.fields import OPTIONAL_VOCABULARIES, VOCABULARIES, VOCABULARY_LABELS
from casebook.core.paths import relative_path
from casebook.core.problems import Problem
from casebook.core.slugs import slugify
from casebook.core.textfile import MAX_VOCABULARY_BYTES, read_text
from casebook.core.yamlsource import load_yaml, yaml_problem

_GROUPED = {"units", "outcomes"}  # vocabularies whose items must name a group
MAX_TERM_LENGTH = 200  # characters of a name, alias or group; as for an entry's values


@dataclass(frozen=True)
class Term:
    name: str
    slug: str
    aliases: tuple[str, ...] = ()
    group: str = ""
    description: str = ""


@dataclass
class Vocabulary:
    name: str  # units / themes / violations / outcomes / ranks
    terms: list[Term] = field(default_factory=list)
    _lookup: dict[str, Term] = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        return VOCABULARY_LABELS.get(self.name, self.name)

    def add(self, term: Term) -> None:
        self.terms.append(term)
        for key in (term.name, *term.aliases):
            self._lookup.setdefault(_normalise(key), term)

    def resolve(self, value: str) -> Term | None:
        return self._lookup.get(_normalise(value))

    def suggest(self, value: str, limit: int = 3) -> list[str]:
        """Closest canonical names, best first (by name or alias)."""
        choices = {key: term.name for key, term in self._lookup.items()}
        found = process.extract(_normalise(value), list(choices), scorer=fuzz.WRatio, limit=limit * 3)
        names: list[str] = []
        for key, score, _ in found:
            name = choices[key]
            if score >= 50 and name not in names:
                names.append(name)
        return names[:limit]

    def groups(self) -> list[str]:
        """Group names in the order they first appear in the file."""
        seen: list[str] = []
        for term in self.terms:
            if term.group and term.group not in seen:
                seen.append(term.group)
        return seen


def _is_scalar(value) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _normalise(value: str) -> str:
    return "".join(str(value).split())


@dataclass
class Vocabularies:
    by_name: dict[str, Vocabulary]

    def __getitem__(self, name: str) -> Vocabulary:
        return self.by_name[name]

    def terms(self) -> list[Term]:
        """Every term of every vocabulary."""
        return [term for vocab in self.by_name.values() for term in vocab.terms]


def load_vocabularies(cases_dir: Path, root: Path) -> tuple[Vocabularies, list[Problem]]:
    problems: list[Problem] = []
    loaded = {}
    for name in VOCABULARIES:
        vocab, found = _load_one(cases_dir / f"{name}.yml", name, root)
        loaded[name] = vocab
        problems.extend(found)
    return Vocabularies(loaded), problems


def _load_one(path: Path, name: str, root: Path) -> tuple[Vocabulary, list[Problem]]:
    if name in OPTIONAL_VOCABULARIES and not path.exists() and not path.is_symlink():
        return Vocabulary(name), []
    vocab, problems = _read_terms(path, name, root)
    if not vocab.terms and not any(p.blocking for p in problems):
        problems.append(Problem(relative_path(path, root), 1, name, f"{vocab.label}词表中没有可用的条目",
                                "每项写作“- name: 名称”", blocking=True))
    return vocab, problems


def _read_terms(path: Path, name: str, root: Path) -> tuple[Vocabulary, list[Problem]]:
    rel = relative_path(path, root)
    vocab = Vocabulary(name)

    def unreadable(problem: Problem) -> tuple[Vocabulary, list[Problem]]:
        return vocab, [dataclasses.replace(problem, blocking=True)]

    if not path.is_file():
        return unreadable(Problem(rel, 0, name, f"找不到{vocab.label}词表文件", f"请创建 {rel}"))
    text, problem = read_text(path, rel, MAX_VOCABULARY_BYTES)
    if problem:
        return unreadable(problem)
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        return unreadable(yaml_problem(rel, exc, 0))
    if data is None:
        return unreadable(Problem(rel, 1, name, f"{vocab.label}词表为空", "每项写作“- name: 名称”"))
    if not isinstance(data, list):
        return unreadable(Problem(rel, 1, name, f"{vocab.label}词表应为列表", "每项以“- name: 名称”开头"))
    problems: list[Problem] = []
    seen_keys: dict[str, int] = {}
    seen_slugs: dict[str, int] = {}
    for item in data:
        line = getattr(item, "line", 1)
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not _is_scalar(item.get("name")) or not str(item["name"]).strip():
            problems.append(Problem(rel, line, "name", "词表项缺少名称，或名称不是一段文字", "写作“- name: 名称”"))
            continue
        term_name = str(item["name"]).strip()
        texts = [("name", term_name), *(("aliases", str(a)) for a in (item.get("aliases") or []) if _is_scalar(a)),
                 ("group", str(item.get("group") or ""))]
        too_long = [(key, text) for key, text in texts if len(text.strip()) > MAX_TERM_LENGTH]
        if too_long:
            key, text = too_long[0]
            problems.append(Problem(rel, line, key, f"“{text[:20]}…”有 {len(text)} 个字，超过上限 {MAX_TERM_LENGTH}",
                                    "名称、别名和分组写简短的词"))
            continue
        for key, written in getattr(item, "repeated", {}).items():
            problems.append(Problem(rel, written[-1][0], str(key), f"“{term_name}”的 {key} 写了 {len(written)} 次",
                                    "只保留一行"))
        for key in ("slug", "group", "description"):
            if key in item and not _is_scalar(item[key]):
                problems.append(Problem(rel, line, key, f"“{term_name}”的 {key} 应为一段文字", f"写作 {key}: 值"))
                item = {**item, key: None}
        aliases = item.get("aliases") or []
        if _is_scalar(aliases):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(_is_scalar(a) for a in aliases):
            problems.append(Problem(rel, line, "aliases", f"“{term_name}”的别名应为文字列表", "写作 aliases: [别名一, 别名二]"))
            aliases = []
        slug = str(item.get("slug") or slugify(term_name))
        group = str(item.get("group") or "").strip()
        unknown = set(item) - {"name", "aliases", "slug", "group", "description"}
        for key in sorted(unknown):
            problems.append(Problem(rel, line, key, f"词表项“{term_name}”有未知字段 {key}",
                                    "可用字段：name、aliases、slug、group、description"))
        if name in _GROUPED and not group:
            problems.append(Problem(rel, line, "group", f"{vocab.label}“{term_name}”缺少分组 group",
                                    "例如 group: 党委部门"))
        if not slug.isascii() or slugify(slug) != slug:
            problems.append(Problem(rel, line, "slug", f"slug“{slug}”只能由小写字母、数字和连字符组成",
                                    f"可改为 {slugify(slug)}"))
        for key in (term_name, *map(str, aliases)):
            norm = _normalise(key)
            if norm in seen_keys:
                problems.append(Problem(rel, line, "name", f"名称或别名“{key}”重复",
                                        f"第 {seen_keys[norm]} 行已使用"))
            else:
                seen_keys[norm] = line
        if slug in seen_slugs:
            problems.append(Problem(rel, line, "slug", f"slug“{slug}”重复", f"第 {seen_slugs[slug]} 行已使用"))
        seen_slugs.setdefault(slug, line)
        vocab.add(Term(term_name, slug, tuple(str(a) for a in aliases), group,
                       str(item.get("description") or "")))
    return vocab, problems

