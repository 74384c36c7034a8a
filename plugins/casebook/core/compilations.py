"""汇编: printable collections of entries for a meeting or a summary.

Two kinds: one per type, theme, unit and year, made automatically; and the
ones editors declare in ``cases/compilations.yml``, each a title, an optional
foreword and compiler, and either a filter or an ordered list of entries::

    - name: 2024-jing-shi-jiao-yu-hui        # the URL: /compilations/<name>/
      title: 2024年警示教育大会案例汇编
      compiler: 市直机关工委                   # optional
      foreword: 本汇编收录……                  # optional
      filter: {type: case, year: [2023, 2024], violation: 违反廉洁纪律}
    - name: xin-gan-bu-pei-xun
      title: 新任职干部廉政培训材料
      entries: [2023-06-shi-fu-lian-jia-feng-jian-she, 2022-01-shi-cai-zheng-ju-wei-gui-chi-he]

Within a filter key the values combine with OR, across keys with AND.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml
from rapidfuzz import process

from casebook.core import fields as F
from casebook.core.dates import chinese_date
from casebook.core.entry import Entry
from casebook.core.fields import ENTRY_TYPES, FIELD_BY_KEY, TYPE_BY_NAME
from casebook.core.paths import relative_path
from casebook.core.problems import Problem
from casebook.core.slugs import slugify
from casebook.core.textfile import MAX_VOCABULARY_BYTES, read_text
from casebook.core.vocab import Vocabularies
from casebook.core.yamlsource import load_yaml, yaml_problem

FILE_NAME = "compilations.yml"
PART_SIZE = 100  # entries per printed part (分册) at most: a volume one prints for a meeting
MAX_DECLARED = 500  # entries an editor may list by name
# filter key -> (Chinese key, vocabulary, label): the search facets, whose URL
# parameters they are; year and type are checked by hand
FILTERS = {f.facet.param: (f.facet.label, f.vocabulary, f.facet.label) for f in F.facet_fields(F.FIELDS)}
FILTER_BY_NAME = {**{k: k for k in FILTERS}, **{v[0]: k for k, v in FILTERS.items()}}
KEYS = {"name": "名称", "title": "标题", "foreword": "前言", "compiler": "编者", "filter": "筛选", "entries": "条目"}
KEY_BY_NAME = {**{k: k for k in KEYS}, **{v: k for k, v in KEYS.items()}}


@dataclass
class DeclaredCompilation:
    """One compilation of ``compilations.yml``, checked; values canonical."""
    name: str
    title: str
    line: int
    foreword: str = ""
    compiler: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    slugs: list[str] = field(default_factory=list)


@dataclass
class Compilation:
    """A printable page with its Word file; or, when it holds more than
    PART_SIZE entries, a front page whose ``parts`` are the printable ones."""
    name: str  # URL segment and file name of the Word file
    title: str
    kind: str  # declared / type / theme / unit / year
    entries: list[Entry]
    foreword: str = ""
    compiler: str = ""
    part: str = ""  # a part's key in its URL: "2023", "2023-2" or "2"; "" for a whole compilation
    part_label: str = ""  # 2023年、2023年 第2册、第2册
    parts: list[Compilation] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"compilations/{self.name}/{self.part}/" if self.part else f"compilations/{self.name}/"

    @property
    def full_title(self) -> str:
        return f"{self.title}（{self.part_label}）" if self.part else self.title

    @property
    def docx_name(self) -> str:
        return f"{self.name}-{self.part}.docx" if self.part else f"{self.name}.docx"

    @property
    def docx_uri(self) -> str:
        """The Word file; none for the front page of a split compilation."""
        return "" if self.parts else f"{self.url}{self.docx_name}"

    @property
    def printable(self) -> list[Compilation]:
        """What is printed and has a Word file: the parts, or this one."""
        return self.parts or [self]

    @property
    def link(self) -> CompilationLink:
        return CompilationLink(self.title, self.url, self.docx_uri, len(self.entries), len(self.parts))


@dataclass(frozen=True)
class CompilationLink:
    """A compilation as other pages show it (see taxonomy.TermLink): no entries."""
    title: str
    url: str
    docx_uri: str  # "" when it is printed in parts
    count: int  # entries
    parts: int  # 0 when it is printed as one


def split_into_parts(comp: Compilation, ordered_by_editor: bool = False) -> Compilation:
    """``comp`` itself when it fits in one part; else ``comp`` with parts.

    A list the editor ordered is cut in its order (第1册, 第2册, …). Any other
    compilation is cut by year, newest first, as annual volumes: a part's
    address (compilations/<name>/2023/) stays when entries of other years are
    added; a year with more than PART_SIZE entries is cut into 2023-1, 2023-2.
    Every entry is in exactly one part, in the compilation's order."""
    if len(comp.entries) <= PART_SIZE:
        return comp
    years: dict[str, list[Entry]] = {}
    if not ordered_by_editor:
        for entry in comp.entries:
            years.setdefault(entry.year, []).append(entry)
    if ordered_by_editor or len(years) == 1:
        chunks = _chunks(comp.entries)
        comp.parts = [_part(comp, str(n), f"第{n}册", chunk) for n, chunk in enumerate(chunks, 1)]
        return comp
    for year in sorted(years, reverse=True):
        chunks = _chunks(years[year])
        if len(chunks) == 1:
            comp.parts.append(_part(comp, year, f"{year}年", chunks[0]))
        else:
            comp.parts += [_part(comp, f"{year}-{n}", f"{year}年 第{n}册", c) for n, c in enumerate(chunks, 1)]
    return comp


def _chunks(entries: list[Entry]) -> list[list[Entry]]:
    count = -(-len(entries) // PART_SIZE)
    size, longer = divmod(len(entries), count)  # even parts: 101 entries give 51 + 50, not 100 + 1
    starts = [n * size + min(n, longer) for n in range(count + 1)]
    return [entries[starts[n]:starts[n + 1]] for n in range(count)]


def _part(comp: Compilation, key: str, label: str, entries: list[Entry]) -> Compilation:
    return Compilation(comp.name, comp.title, comp.kind, entries, comp.foreword, comp.compiler, key, label)


def read_compilations(cases_dir: Path, root: Path, vocabs: Vocabularies,
                      slugs: set[str]) -> tuple[list[DeclaredCompilation], list[Problem]]:
    """The declared compilations (none without the file) and their problems;
    ``slugs``: every entry file name, for the ordered lists."""
    path = cases_dir / FILE_NAME
    if not path.is_file():
        return [], []
    rel = relative_path(path, root)
    text, problem = read_text(path, rel, MAX_VOCABULARY_BYTES)
    if problem:
        return [], [problem]
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        return [], [yaml_problem(rel, exc, 0)]
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [Problem(rel, 1, "汇编", "汇编文件应为列表", "每项以“- name: 网址名”开头，见编辑指南")]
    checker = _Checker(rel, vocabs, slugs)
    found = [c for c in (checker.item(item) for item in data) if c is not None]
    return found, checker.problems


class _Checker:
    def __init__(self, rel: str, vocabs: Vocabularies, slugs: set[str]):
        self.rel, self.vocabs, self.slugs = rel, vocabs, slugs
        self.problems: list[Problem] = []
        self.names: dict[str, int] = {}

    def problem(self, line, key, message, hint=""):
        self.problems.append(Problem(self.rel, line, key, message, hint))

    def item(self, item) -> DeclaredCompilation | None:
        line = getattr(item, "line", 1)
        if not isinstance(item, dict):
            self.problem(line, "汇编", "每个汇编应写作“键: 值”", "例如 - name: 2024-jing-shi-jiao-yu")
            return None
        lines = getattr(item, "key_lines", {})
        values = {}
        before = len(self.problems)
        for key, value in item.items():
            canonical = KEY_BY_NAME.get(str(key).strip())
            if canonical is None:
                close = process.extractOne(str(key), list(KEY_BY_NAME))
                hint = f"是否指 {close[0]}？" if close and close[1] >= 60 else f"可用：{'、'.join(KEYS)}"
                self.problem(lines.get(key, line), str(key), f"汇编中有未知字段“{key}”", hint)
                continue
            values[canonical] = (value, lines.get(key, line))
        name = self.text(values, "name", line, required=True)
        title = self.text(values, "title", line, required=True)
        if name and (slugify(name) != name or not name.isascii()):
            self.problem(values["name"][1], "name", f"汇编网址名“{name}”只能用小写字母、数字和连字符",
                         f"可改为 {slugify(name) or slugify(title) or 'hui-bian'}")
        elif name in self.names:
            self.problem(values["name"][1], "name", f"汇编网址名“{name}”重复", f"第 {self.names[name]} 行已使用")
        elif name.startswith(tuple(f"{kind}-" for kind in ("type", "theme", "unit", "year"))):
            self.problem(values["name"][1], "name", f"网址名“{name}”与自动生成的汇编冲突", "换一个开头，如 hui-bian-…")
        if name:
            self.names.setdefault(name, values["name"][1])
        declared = DeclaredCompilation(name, title, line, self.text(values, "foreword", line, limit=5000),
                                       self.text(values, "compiler", line))
        if ("filter" in values) == ("entries" in values):
            self.problem(line, "filter", f"汇编“{title or name}”应写 filter（筛选条件）或 entries（条目列表）之一",
                         "例如 filter: {type: case, year: 2024}，或 entries: [条目文件名, …]")
        elif "filter" in values:
            declared.filters = self.filters(*values["filter"])
        else:
            declared.slugs = self.entry_list(*values["entries"])
        return declared if len(self.problems) == before else None

    def text(self, values, key, line, required=False, limit=200) -> str:
        if key not in values:
            if required:
                self.problem(line, key, f"汇编缺少 {key}（{KEYS[key]}）", "name 写网址名，title 写汇编标题")
            return ""
        value, at = values[key]
        if isinstance(value, (dict, list)) or value is None:
            self.problem(at, key, f"汇编的 {key}（{KEYS[key]}）应为一段文字", f"写作 {key}: 值")
            return ""
        text = str(value).strip()
        if len(text) > limit:
            self.problem(at, key, f"汇编的 {key} 有 {len(text)} 个字，超过上限 {limit}", "精简后再写")
            return ""
        return text

    def filters(self, value, line) -> dict[str, list[str]]:
        if not isinstance(value, dict) or not value:
            self.problem(line, "filter", "filter 应为“条件: 值”，至少一项", "例如 filter: {type: case, year: 2024}")
            return {}
        result: dict[str, list[str]] = {}
        for key, wanted in value.items():
            canonical = FILTER_BY_NAME.get(str(key).strip())
            if canonical is None:
                self.problem(line, "filter", f"未知筛选条件“{key}”", f"可用：{'、'.join(FILTERS)}")
                continue
            items = wanted if isinstance(wanted, list) else [wanted]
            if not items or any(isinstance(i, (dict, list)) or i is None for i in items):
                self.problem(line, "filter", f"筛选条件 {key} 的值应为文字或文字列表", f"例如 {key}: [甲, 乙]")
                continue
            result[canonical] = [v for v in (self.filter_value(canonical, str(i).strip(), line) for i in items) if v]
        return result

    def filter_value(self, key: str, value: str, line: int) -> str | None:
        _, vocabulary, label = FILTERS[key]
        if key == "type":
            found = TYPE_BY_NAME.get(value)
            if found is None:
                self.problem(line, "filter", f"未知类型“{value}”",
                             f"可选：{'、'.join(f'{t.key}（{t.label}）' for t in ENTRY_TYPES)}")
            return found.key if found else None
        if key == "year":
            if not (value.isdigit() and len(value) == 4):
                self.problem(line, "filter", f"年份“{value}”应写四位数字", "例如 year: 2024")
                return None
            return value
        term = self.vocabs[vocabulary].resolve(value)
        if term is None:
            close = self.vocabs[vocabulary].suggest(value)
            self.problem(line, "filter", f"未知{label}“{value}”",
                         f"是否指：{'、'.join(close)}？" if close else f"须为 cases/{vocabulary}.yml 中的名称或别名")
        return term.name if term else None

    def entry_list(self, value, line) -> list[str]:
        items = value if isinstance(value, list) else None
        if not items or any(isinstance(i, (dict, list)) or i is None for i in items):
            self.problem(line, "entries", "entries 应为条目文件名的列表", "例如 entries: [2023-06-shi-fu-lian-jia-feng]")
            return []
        if len(items) > MAX_DECLARED:
            self.problem(line, "entries", f"一个汇编最多 {MAX_DECLARED} 个条目，这里有 {len(items)} 个", "分成几个汇编")
            return []
        slugs: list[str] = []
        for item in items:
            slug = str(item).strip().removesuffix(".md").split("/")[-1]
            if slug not in self.slugs:
                close = process.extractOne(slug, sorted(self.slugs)) if self.slugs else None
                self.problem(line, "entries", f"汇编中的条目“{slug}”不存在",
                             f"是否指 {close[0]}？" if close and close[1] >= 90 else "写条目的文件名（不含 .md）")
            elif slug in slugs:
                self.problem(line, "entries", f"条目“{slug}”在同一汇编中写了两次", "删除重复的一项")
            else:
                slugs.append(slug)
        return slugs


def _matches(entry: Entry, filters: dict[str, list[str]]) -> bool:
    values = {f.facet.param: F.facet_values(entry, f) for f in F.facet_fields(F.FIELDS)}
    return all(set(values[key]) & set(wanted) for key, wanted in filters.items())


def plan_compilations(entries: list[Entry], declared: list[DeclaredCompilation], tax,
                      previous: list[Compilation] | None = None) -> list[Compilation]:
    """Declared compilations first (in file order), then per type, theme,
    unit and year, each of any size (split into parts above PART_SIZE).
    Only entries the site shows are in them; an empty compilation is left
    out (in a public build it would hint at hidden ones). ``previous``: the
    preview's last ones, each kept (the same object, which the preview knows
    again by identity) where made alike from the same entry objects."""
    by_slug = {e.slug: e for e in entries}
    before = {c.name: c for c in previous or ()}
    result: list[Compilation] = []
    for d in declared:
        chosen = [by_slug[s] for s in d.slugs if s in by_slug] if d.slugs else [e for e in entries if _matches(e, d.filters)]
        if chosen:
            result.append(split_into_parts(Compilation(d.name, d.title, "declared", chosen, d.foreword, d.compiler),
                                           ordered_by_editor=bool(d.slugs)))
    automatic = [("type", t.type.folder, f"{t.type.label}汇编", t.entries) for t in tax.types]
    automatic += [("theme", t.slug, f"主题汇编：{t.name}", t.entries) for t in tax.themes]
    automatic += [("unit", t.slug, f"{t.name}案例汇编", t.entries) for t in tax.units]
    automatic += [("year", t.slug, f"{t.name}年汇编", t.entries) for t in tax.years]
    for kind, slug, title, found in automatic:
        if found:
            result.append(split_into_parts(Compilation(f"{kind}-{slug}", title, kind, list(found))))
    return [_kept(c, before.get(c.name)) for c in result]


_OWN_FIELDS = [f.name for f in fields(Compilation) if f.name not in ("entries", "parts")]


def _kept(made: Compilation, before: Compilation | None) -> Compilation:
    return before if before is not None and _alike(made, before) else made


def _alike(a: Compilation, b: Compilation) -> bool:
    """Equal, the entries being the very same objects (an unchanged entry is,
    in the preview: parsecache.ParseCache.finish)."""
    return (all(getattr(a, name) == getattr(b, name) for name in _OWN_FIELDS)
            and len(a.entries) == len(b.entries) and all(x is y for x, y in zip(a.entries, b.entries))
            and len(a.parts) == len(b.parts) and all(_alike(x, y) for x, y in zip(a.parts, b.parts)))


KIND_LABELS = {"declared": "编辑汇编", "type": "按类型", "theme": "按主题", "unit": "按单位", "year": "按年份"}


def entry_facts(entry: Entry) -> list[tuple[str, str]]:
    """(label, text) of what a printed entry states about itself, as a notice
    does: unit, dates, the case fields, the source."""
    def label(key):
        return FIELD_BY_KEY[key].label

    facts = [(label("type"), entry.type.label), (label("unit"), entry.unit.name),
             (label("date"), chinese_date(entry.date)), (label("themes"), "、".join(t.name for t in entry.themes))]
    if entry.report_kind:
        facts.append((label("report_kind"), entry.report_kind))
    if entry.type.key == "case":
        facts += [(label("person"), entry.person), (label("rank"), entry.rank.name if entry.rank else ""),
                  (label("violations"), "、".join(v.name for v in entry.violations)),
                  (label("outcomes"), "、".join(o.name for o in entry.outcomes)),
                  (label("issued_by"), entry.issued_by), (label("issued_on"), chinese_date(entry.issued_on))]
    facts.append((label("source"), entry.source))
    return [(k, v) for k, v in facts if v]


_HEADING_TAG = re.compile(r"<(/?)h([1-6])((?:\s[^>]*)?)>")


def demote_headings(html: str) -> str:
    """Sanitised body HTML one heading level down (the entry's title is the
    compilation's h2); ids are kept (bodylinks.rebase_body makes them unique)."""
    def lower(match: re.Match) -> str:
        closing, level, attrs = match.groups()
        return f"<{closing}h{min(int(level) + 1, 6)}{attrs}>"
    return _HEADING_TAG.sub(lower, html)
