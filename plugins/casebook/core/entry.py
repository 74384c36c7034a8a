"""One entry: its front matter read, checked against the field definitions
and the vocabularies, and turned into an ``Entry``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import process

from casebook.core import fields as F
from casebook.core.fields import TYPE_BY_FOLDER, TYPE_BY_NAME, EntryType
from casebook.core.paths import relative_path
from casebook.core.prepass import prepass
from casebook.core.problems import Problem
from casebook.core.review import review_notes, review_problems
from casebook.core.slugs import ENTRY_SLUG_RE, slugify
from casebook.core.textfile import MAX_ENTRY_BYTES, read_text
from casebook.core.vocab import Term, Vocabularies
from casebook.core.yamlsource import LineDict, load_yaml, yaml_problem

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_LIST_SPLIT = re.compile(r"[、，,；;]\s*")
MAX_FRONT_MATTER = 64 * 1024  # characters; real front matter is under 2 KB
FIRST_YEAR = 1949


@dataclass
class Entry:
    """One checked entry. Its field values (``fields.FIELDS``, all but the
    type) are in ``values`` and read as attributes: ``entry.unit`` (a Term),
    ``entry.themes``, ``entry.date`` (normalised: YYYY, YYYY-MM or
    YYYY-MM-DD; "" only in a draft not yet dated); a field not written reads
    as its empty value."""

    slug: str
    type: EntryType
    path: str  # relative to the project root
    src_uri: str  # relative to cases/, e.g. practices/<slug>.md
    body: str
    body_line: int  # line of the first body line in the file
    values: dict = field(default_factory=dict)  # field key -> checked value
    lines: dict = field(default_factory=dict)  # field key -> line where it is written
    summary_given: bool = False  # else ``summary`` is filled in by the library from the rendered body
    review_notes: list[tuple[int, str]] = field(default_factory=list)  # a draft's 待核对 lines, for the preview

    def __getattr__(self, name: str):
        # Only reached when ``name`` is not an attribute (the fields have
        # properties, see _field_property): raises for any other name.
        spec = F.FIELD_BY_KEY.get(name)
        if spec is None or "values" not in self.__dict__:
            raise AttributeError(name)
        return self.values.get(name, spec.empty())

    def __setattr__(self, name: str, value) -> None:
        if name != "type" and name in F.FIELD_BY_KEY and "values" in self.__dict__:
            self.values[name] = value
        else:
            object.__setattr__(self, name, value)

    @property
    def related_line(self) -> int:
        """Where ``related`` is written, for cross-entry problems."""
        return self.lines.get("related", 2)

    @property
    def year(self) -> str:
        return self.date[:4]  # "" for an undated draft: in no year

    @property
    def sort_key(self) -> tuple:
        """Newest first when sorted ascending: dates, then slug for stability
        (an undated draft last)."""
        parts = [int(p) for p in self.date.split("-") if p]
        parts += [0] * (3 - len(parts))
        return (-parts[0], -parts[1], -parts[2], self.slug)

    @property
    def url(self) -> str:
        return f"{self.type.folder}/{self.slug}/"

    @property
    def is_published(self) -> bool:
        return self.status == "published"


def _field_property(spec: F.Field) -> property:
    """``entry.<field>``: the value written, else the field's empty value. A
    property, not ``__getattr__``: templates and sorting read fields
    millions of times in a build, and a property skips the failed lookup."""
    key, empty = spec.key, spec.empty

    def read(self):
        try:
            values = self.__dict__["values"]
        except KeyError:
            raise AttributeError(key) from None
        return values[key] if key in values else empty()
    return property(read, doc=f"{spec.label}（{key}）")


for _spec in F.FIELDS:
    if not hasattr(Entry, _spec.key) and _spec.key not in Entry.__dataclass_fields__:  # ``type`` is an attribute
        setattr(Entry, _spec.key, _field_property(_spec))


@dataclass
class ParsedFile:
    entry: Entry | None
    problems: list[Problem]
    status: str = "published"


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter, body, line number of the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    return "\n".join(lines[1:]), "", len(lines) + 1


@dataclass
class EntrySource:
    rel: str  # relative to the project root, as messages name it
    src_uri: str  # relative to cases/
    text: str | None  # None when the file cannot be read (see problem)
    problem: Problem | None = None


def read_entry_source(path: Path, root: Path, cases_dir: Path, rel: str | None = None) -> EntrySource:
    """``rel``: ``relative_path(path, root)`` when the caller has it (paths.RelativePaths)."""
    rel = rel or relative_path(path, root)
    text, problem = read_text(path, rel, MAX_ENTRY_BYTES)
    return EntrySource(rel, path.relative_to(cases_dir).as_posix(), None if problem else text, problem)


def read_entry_file(path: Path, root: Path, cases_dir: Path, vocabs: Vocabularies,
                    rel: str | None = None) -> ParsedFile:
    source = read_entry_source(path, root, cases_dir, rel)
    if source.text is None:
        return ParsedFile(None, [source.problem])
    return parse_entry(source.text, source.rel, source.src_uri, vocabs)


@dataclass(frozen=True)
class ReadEntry:
    """What an entry file says before any vocabulary is looked at: its
    front matter as YAML read it and the problems found so far, or the
    result when reading alone already decides it. The preview keeps it by
    file content, so a vocabulary edit checks every entry again without
    reading its YAML again. Checking never changes it."""
    rel: str
    src_uri: str
    front: str | None = None
    body: str = ""
    body_line: int = 1
    data: LineDict | None = None
    problems: tuple[Problem, ...] = ()
    fatal: bool = False
    decided: ParsedFile | None = None


def parse_entry(text: str, rel: str, src_uri: str, vocabs: Vocabularies) -> ParsedFile:
    return check_entry(read_entry(text, rel, src_uri), vocabs)


def read_entry(text: str, rel: str, src_uri: str) -> ReadEntry:
    """The first half of ``parse_entry``: no vocabulary needed."""
    return _EntryChecker(rel, src_uri, None).read_front(text)


def check_entry(read: ReadEntry, vocabs: Vocabularies) -> ParsedFile:
    """The second half: the fields checked against the vocabularies."""
    if read.decided is not None:
        return ParsedFile(read.decided.entry, list(read.decided.problems), read.decided.status)
    checker = _EntryChecker(read.rel, read.src_uri, vocabs)
    checker.problems, checker.fatal = list(read.problems), read.fatal
    return checker.check(read)


class _EntryChecker:
    """Reads one file; every problem found is collected, none stops the rest."""

    def __init__(self, rel: str, src_uri: str, vocabs: Vocabularies | None):
        self.rel, self.src_uri, self.vocabs = rel, src_uri, vocabs
        self.problems: list[Problem] = []
        self.fatal = False
        self.raw: dict = {}  # field -> scalar text as written

    def problem(self, line: int, fld: str, message: str, suggestion: str = "", fatal: bool = True):
        self.problems.append(Problem(self.rel, line, fld, message, suggestion))
        self.fatal = self.fatal or fatal

    def read_front(self, text: str) -> ReadEntry:
        front, body, body_line = split_front_matter(text)
        if front is None:
            self.problem(1, "文件", "缺少开头的 front matter（以 --- 开始和结束的字段区）",
                         "在文件第一行写 ---，接着写 title、unit、date、themes，再写一行 ---")
            return self._decided(ParsedFile(None, self.problems))
        if len(front) > MAX_FRONT_MATTER:
            self.problem(2, "文件", f"字段区超过 {MAX_FRONT_MATTER // 1024} KB", "字段区只写字段；材料正文写在第二个 --- 之后")
            return self._decided(ParsedFile(None, self.problems))
        for found, fatal in prepass(front, self.rel):
            self.problems.append(found)
            self.fatal = self.fatal or fatal
        if self.fatal:  # YAML would misread (and misplace) these: all of them, now, on their lines
            return self._decided(ParsedFile(None, self.problems, _status_in_text(front)))
        try:
            data = load_yaml(front)
        except yaml.YAMLError as exc:
            self.problems.append(yaml_problem(self.rel, exc, 1))
            return self._decided(ParsedFile(None, self.problems, _status_in_text(front)))
        if data is None:
            data = LineDict()
            data.key_lines, data.repeated, data.raw = {}, {}, {}
        if not isinstance(data, dict):
            self.problem(2, "文件", "front matter 应由“字段: 值”组成", "例如 title: 条目标题")
            return self._decided(ParsedFile(None, self.problems))
        return ReadEntry(self.rel, self.src_uri, front, body, body_line, data, tuple(self.problems), self.fatal)

    def _decided(self, result: ParsedFile) -> ReadEntry:
        return ReadEntry(self.rel, self.src_uri, decided=result)

    def check(self, read: ReadEntry) -> ParsedFile:
        front, body, body_line, data = read.front, read.body, read.body_line, read.data
        values, lines, written = self.canonical(data)
        entry = self.build(values, lines, body, body_line)
        if entry is not None and _strictest("status", written.get("status", []), entry.status) == "published":
            for found in review_problems(self.rel, entry.slug, entry.date, front, body, body_line):
                self.problem(found.line, found.field, found.message, found.suggestion)
        elif entry is not None:
            entry.review_notes = review_notes(front, body, body_line)
        if entry is not None:
            # Two values for one field are refused above; should that ever be
            # relaxed, the most restrictive value still wins.
            entry.status = _strictest("status", written.get("status", []), entry.status)
            entry.audience = _strictest("audience", written.get("audience", []), entry.audience)
        return ParsedFile(None if self.fatal else entry, self.problems,
                          _strictest("status", written.get("status", []), "published"))

    # -- keys -------------------------------------------------------------
    def canonical(self, data: LineDict) -> tuple[dict, dict, dict]:
        """(value of each field, its line, every value written for it). A
        field written twice, as the same key or as key and alias, is refused:
        YAML would silently keep one of them."""
        values: dict = {}
        lines: dict = {}
        written: dict = {}  # field -> [(line, value, key as written)]
        for key, value in data.items():
            spec = F.FIELD_BY_NAME.get(str(key).strip())
            occurrences = data.repeated.get(key, [(data.key_lines.get(key, 1), value)])
            if spec is None:
                line = occurrences[0][0] + 1
                close = process.extractOne(str(key), list(F.FIELD_BY_NAME))
                hint = f"是否指 {close[0]}？" if close and close[1] >= 60 else "可用字段见编辑指南"
                # Fatal: a misspelt `audience`/`status` must not publish an entry.
                self.problem(line, str(key), f"未知字段“{key}”", hint)
                continue
            for line, val in occurrences:
                written.setdefault(spec.key, []).append((line + 1, val, key))  # +1: the opening --- line
            if spec.key not in values:
                values[spec.key], lines[spec.key] = value, occurrences[0][0] + 1
                self.raw[spec.key] = data.raw.get(key)
        for key, found in written.items():
            if len(found) > 1:
                spelt = "、".join(f"第 {line} 行 {name}" for line, _, name in found)
                self.problem(found[-1][0], key, f"字段 {key} 写了 {len(found)} 次（{spelt}）",
                             "只保留一行；同一字段的英文名和中文名只能用一个")
        return values, lines, written

    # -- fields -----------------------------------------------------------
    def build(self, values: dict, lines: dict, body: str, body_line: int) -> Entry | None:
        slug = Path(self.src_uri).stem
        folder = self.src_uri.split("/")[0] if "/" in self.src_uri else ""
        if not ENTRY_SLUG_RE.match(slug):
            self.problem(1, "文件名", f"文件名“{slug}.md”只能用小写字母、数字和连字符",
                         f"改名为 {slugify(slug)}.md")
        etype = self.entry_type(values, lines, folder)
        line_of = lambda key: lines.get(key, 2)  # noqa: E731 - missing fields point at the front matter

        # With an unknown or conflicting type, check what every type needs, plus
        # what the folder's type needs: no cascade of bogus "missing" problems.
        rules_type = etype or TYPE_BY_FOLDER.get(folder)
        for spec in F.FIELDS:
            applies = spec.applies_to(rules_type.key) if rules_type else len(spec.types) == len(F.ENTRY_TYPES)
            if spec.required and spec.key not in values and applies:
                self.problem(2, spec.key, f"缺少必填字段 {spec.key}（{spec.alias}）", f"例如 {spec.key}: {spec.example}")
            if etype and spec.key in values and not spec.applies_to(etype.key):
                kinds = "、".join(F.TYPE_BY_KEY[t].label for t in spec.types)
                self.problem(line_of(spec.key), spec.key, f"字段 {spec.key} 只适用于{kinds}", "删除该字段或检查条目类型",
                             fatal=False)

        # status first: a draft may leave its date empty
        status = self.choice(values, "status", line_of("status")) or F.FIELD_BY_KEY["status"].default
        read = {"status": status}
        for spec in F.FIELDS:
            if spec.key not in read and spec.key != "type":  # the type is decided above
                read[spec.key] = self.read(spec, values, line_of(spec.key), draft=status == "draft")
        if not body.strip():
            self.problem(body_line - 1, "正文", "正文为空", "在第二个 --- 之后写正文", fatal=False)

        required = [s.key for s in F.FIELDS if s.required and s.key != "type" and (etype is None or s.applies_to(etype.key))]
        if self.fatal or etype is None or any(read[key] is None or read[key] == [] for key in required):
            return None
        return Entry(slug=slug, type=etype, path=self.rel, src_uri=self.src_uri, body=body, body_line=body_line,
                     values=read, lines={key: line_of(key) for key in read}, summary_given=bool(read.get("summary")))

    def read(self, spec: F.Field, values: dict, line: int, draft: bool):
        """A field's checked value by its kind; its empty value when not
        written (None, [], "" or the choice's default), None when refused."""
        if spec.key not in values:
            return spec.empty()
        if spec.kind == F.DATE:
            return self.date(values.get(spec.key), line, spec.key, draft=draft)
        if spec.kind == F.CHOICE:
            return self.choice(values, spec.key, line) or spec.default
        if spec.kind == F.VOCAB:
            return self.term(values, spec.key, line)
        if spec.kind == F.VOCAB_LIST:
            return self.terms(values, spec.key, line)
        if spec.kind == F.SLUG_LIST:
            return [self.related_slug(s, spec.key, line) for s in self.strings(values, spec.key, line)]
        if spec.kind == F.TEXT_LIST:
            return self.strings(values, spec.key, line)
        return self.text(values, spec.key, line)

    def entry_type(self, values: dict, lines: dict, folder: str) -> EntryType | None:
        by_folder = TYPE_BY_FOLDER.get(folder)
        if by_folder is None:
            folders = "、".join(f"cases/{t.folder}/" for t in F.ENTRY_TYPES)
            self.problem(1, "type", f"条目不在类型文件夹中（{folder or 'cases/'}）", f"请放入 {folders} 之一")
        if "type" not in values:
            return by_folder
        written = str(values["type"]).strip()
        declared = TYPE_BY_NAME.get(written)
        if declared is None:
            names = "、".join(f"{t.key}（{t.label}）" for t in F.ENTRY_TYPES)
            self.problem(lines["type"], "type", f"未知类型“{written}”", f"可选：{names}")
            return None
        if by_folder and declared is not by_folder:
            self.problem(lines["type"], "type", f"类型“{written}”与所在文件夹 {folder}/ 不符",
                         f"改为 type: {by_folder.key}，或把文件移到 cases/{declared.folder}/")
            return None
        return declared

    def text(self, values: dict, key: str, line: int) -> str:
        spec = F.FIELD_BY_NAME[key]
        value = values.get(key)
        if isinstance(value, (dict, list)):
            self.problem(line, key, f"{spec.label}应为一段文字", "去掉列表或缩进，写在同一行")
            return ""
        text = "" if value is None else str(value).strip()
        if not text and spec.required and key in values:
            self.problem(line, key, f"{spec.label}不能为空", f"例如 {key}: {spec.example}")
        if len(text) > spec.max_length:
            self.problem(line, key, f"{spec.label}有 {len(text)} 个字，超过上限 {spec.max_length}",
                         "精简后再写；长内容请写入正文")
            return ""
        return text

    def strings(self, values: dict, key: str, line: int) -> list[str]:
        value = values.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            items = [p for p in _LIST_SPLIT.split(value) if p.strip()]
        elif isinstance(value, dict):
            self.problem(line, key, f"{F.FIELD_BY_NAME[key].label}应为列表", f"写作 {key}: [甲, 乙]")
            return []
        elif isinstance(value, list):
            items = []
            for item in value:
                if isinstance(item, (dict, list)):
                    self.problem(line, key, f"{F.FIELD_BY_NAME[key].label}的每一项应为一段文字", f"写作 {key}: [甲, 乙]")
                    continue
                items.extend(str(item).split("，"))  # [甲，乙]: reported by the pre-pass, understood here
        else:
            items = [str(value)]
        items = [i.strip() for i in items if i.strip()]
        spec = F.FIELD_BY_NAME[key]
        if len(items) > spec.max_items:
            self.problem(line, key, f"{spec.label}写了 {len(items)} 项，超过上限 {spec.max_items}", "只保留最主要的几项")
            return []
        for item in items:
            if len(item) > spec.max_length:
                self.problem(line, key, f"{spec.label}“{item[:20]}…”超过 {spec.max_length} 个字",
                             "每项写一个简短的词；多项用逗号分开")
                return []
        return items

    def term(self, values: dict, key: str, line: int) -> Term | None:
        if key not in values:
            return None
        value = values[key]
        if isinstance(value, (list, dict)):
            self.problem(line, key, f"{F.FIELD_BY_NAME[key].label}只能写一个", f"例如 {key}: {F.FIELD_BY_NAME[key].example}")
            return None
        return self.resolve(key, str(value if value is not None else "").strip(), line)

    def terms(self, values: dict, key: str, line: int) -> list[Term]:
        if key not in values:
            return []
        names = self.strings(values, key, line)
        if not names and F.FIELD_BY_NAME[key].required:
            self.problem(line, key, f"{F.FIELD_BY_NAME[key].label}至少要写一个", f"例如 {key}: {F.FIELD_BY_NAME[key].example}")
        found: list[Term] = []
        for name in names:
            term = self.resolve(key, name, line)
            if term and term not in found:
                found.append(term)
        return found

    def resolve(self, key: str, value: str, line: int) -> Term | None:
        vocab = self.vocabs[F.FIELD_BY_NAME[key].vocabulary]
        if not value:
            self.problem(line, key, f"{vocab.label}不能为空", f"例如 {key}: {F.FIELD_BY_NAME[key].example}")
            return None
        term = vocab.resolve(value)
        if term is None:
            close = vocab.suggest(value)
            hint = f"是否指：{'、'.join(close)}？" if close else ""
            hint = hint or f"可在 cases/{vocab.name}.yml 中新增，或选用已有的{vocab.label}"
            self.problem(line, key, f"未知{vocab.label}“{value}”", hint)
        return term

    def choice(self, values: dict, key: str, line: int) -> str | None:
        if key not in values:
            return None
        spec = F.FIELD_BY_NAME[key]
        if isinstance(values[key], (list, dict)):
            self.problem(line, key, f"{spec.label}只能写一个值", f"可选：{'、'.join(spec.choices)}")
            return None
        written = str(values[key]).strip()
        value = spec.choice_aliases.get(written, written)
        if value not in spec.choices:
            self.problem(line, key, f"{spec.label}“{written}”不是可选值", f"可选：{'、'.join(spec.choices)}")
            return None
        return value

    def date(self, value, line: int, key: str = "date", draft: bool = False) -> str | None:
        """The date normalised, or None. ``date:`` left empty (as the importer
        leaves it when the document states no date) is asked for; a draft
        with it still parses, undated (""), so the preview can show it."""
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            value = value.isoformat()  # range-checked below like any other form
        label = F.FIELD_BY_KEY[key].label
        if key == "date" and (value is None or (isinstance(value, str) and not value.strip())):
            self.problem(line, "date", "还没有填写日期", "填写材料的形成日期，写作 2023-06-15、2023-06 或 2023",
                         fatal=not draft)
            return "" if draft else None
        if value is None or isinstance(value, (list, dict, bool)):
            self.problem(line, key, f"{label}应写作一个日期", "写作 2023-06-15、2023-06 或 2023")
            return None
        if isinstance(value, (int, float)) and self.raw.get(key):
            value = self.raw[key]  # YAML reads 2023.10 as 2023.1: keep what was written
        written = str(value).strip()
        match = _DATE_RE.match(written)
        hint = "写作 2023-06-15、2023-06 或 2023"
        if not match:
            digits = re.findall(r"\d+", written)
            if len(digits) in (1, 2, 3) and len(digits[0]) == 4:
                hint = f"可改为 {'-'.join([digits[0]] + [d.zfill(2) for d in digits[1:]])}"
            self.problem(line, key, f"{label}“{written}”格式不对", hint)
            return None
        year, month, day = match.groups()
        try:
            dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            self.problem(line, key, f"{label}“{written}”不存在", hint)
            return None
        if not FIRST_YEAR <= int(year) <= dt.date.today().year + 1:
            self.problem(line, key, f"年份 {year} 不在合理范围内（{FIRST_YEAR} 年至明年）", "检查年份是否写错")
            return None
        return "-".join([year] + [p.zfill(2) for p in (month, day) if p])

    def related_slug(self, slug: str, key: str, line: int) -> str:
        if slug.endswith(".md"):
            self.problem(line, key, f"{F.FIELD_BY_KEY[key].label}“{slug}”不要带 .md", f"改为 {slug[:-3]}", fatal=False)
            slug = slug[:-3]
        return slug.split("/")[-1]


# Where two values meet, the one that shows less wins: a draft stays a
# draft, an internal entry stays internal.
_RESTRICTIVENESS = {"status": ("published", "draft"), "audience": ("public", "internal")}


def _strictest(key: str, written: list, current: str) -> str:
    spec = F.FIELD_BY_KEY[key]
    order = _RESTRICTIVENESS[key]
    found = [current]
    for _, value, _ in written:
        if isinstance(value, str):
            value = spec.choice_aliases.get(value.strip(), value.strip())
            if value in order:
                found.append(value)
    return max(found, key=order.index)


_STATUS_LINE = re.compile(r"^\s*(?:status|状态)\s*[:：]\s*['\"]?(draft|草稿)", re.M)


def _status_in_text(front: str) -> str:
    """A front matter YAML cannot read still says whether it is a draft."""
    return "draft" if _STATUS_LINE.search(front) else "published"


def written_date(text: str) -> str | None:
    """The entry's ``date``, normalised, even if the entry has other problems
    (``casebook rename`` works on entries that ``check`` refuses)."""
    front, _, _ = split_front_matter(text)
    if front is None:
        return None
    try:
        data = load_yaml(front)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    checker = _EntryChecker("", "", None)
    for key in ("date", F.FIELD_BY_KEY["date"].alias):
        if key in data:
            checker.raw["date"] = data.raw.get(key)
            return checker.date(data[key], 0)
    return None
