"""One entry: its front matter read, checked against the field definitions
and the vocabularies, and turned into an ``Entry``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import process

from . import fields as F
from .fields import FIELD_BY_KEY, FIELD_BY_NAME, FIELDS, TYPE_BY_FOLDER, TYPE_BY_NAME, EntryType
from .paths import relative_path
from .problems import Problem
from .slugs import ENTRY_SLUG_RE, slugify
from .text import first_sentences
from .vocab import Term, Vocabularies
from .yamlsource import LineDict, LineLoader, duplicate_keys, yaml_problem

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_LIST_SPLIT = re.compile(r"[、，,；;]\s*")


@dataclass
class Entry:
    slug: str
    type: EntryType
    path: str  # relative to the project root
    src_uri: str  # relative to cases/, e.g. practices/<slug>.md
    title: str
    unit: Term
    date: str  # as written, normalised: YYYY, YYYY-MM or YYYY-MM-DD
    themes: list[Term]
    body: str
    body_line: int  # line of the first body line in the file
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    summary_given: bool = False
    source: str = ""
    status: str = "published"
    audience: str = "public"
    related: list[str] = field(default_factory=list)
    related_line: int = 0  # where `related` is written, for cross-entry problems
    violations: list[Term] = field(default_factory=list)
    outcomes: list[Term] = field(default_factory=list)
    person: str = ""
    lessons: str = ""
    report_kind: str = ""

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def sort_key(self) -> tuple:
        """Newest first when sorted ascending: dates, then slug for stability."""
        parts = [int(p) for p in self.date.split("-")]
        parts += [0] * (3 - len(parts))
        return (-parts[0], -parts[1], -parts[2], self.slug)

    @property
    def url(self) -> str:
        return f"{self.type.folder}/{self.slug}/"

    @property
    def is_published(self) -> bool:
        return self.status == "published"


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


def read_entry_file(path: Path, root: Path, cases_dir: Path, vocabs: Vocabularies) -> ParsedFile:
    rel = relative_path(path, root)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ParsedFile(None, [Problem(rel, 0, "文件", "文件不是 UTF-8 编码，无法读取",
                                         "请用“casebook import”导入，或在编辑器中另存为 UTF-8")])
    return parse_entry(text.replace("\r\n", "\n"), rel, path.relative_to(cases_dir).as_posix(), vocabs)


def parse_entry(text: str, rel: str, src_uri: str, vocabs: Vocabularies) -> ParsedFile:
    checker = _EntryChecker(rel, src_uri, vocabs)
    return checker.run(text)


class _EntryChecker:
    """Reads one file; every problem found is collected, none stops the rest."""

    def __init__(self, rel: str, src_uri: str, vocabs: Vocabularies):
        self.rel, self.src_uri, self.vocabs = rel, src_uri, vocabs
        self.problems: list[Problem] = []
        self.fatal = False

    def problem(self, line: int, fld: str, message: str, suggestion: str = "", fatal: bool = True):
        self.problems.append(Problem(self.rel, line, fld, message, suggestion))
        self.fatal = self.fatal or fatal

    def run(self, text: str) -> ParsedFile:
        front, body, body_line = split_front_matter(text)
        if front is None:
            self.problem(1, "文件", "缺少开头的 front matter（以 --- 开始和结束的字段区）",
                         "在文件第一行写 ---，接着写 title、unit、date、themes，再写一行 ---")
            return ParsedFile(None, self.problems)
        try:
            data = yaml.load(front, Loader=LineLoader)  # noqa: S506 - LineLoader is a SafeLoader
        except yaml.YAMLError as exc:
            self.problems.append(yaml_problem(self.rel, exc, 1))
            return ParsedFile(None, self.problems)
        if data is None:
            data = LineDict()
            data.key_lines = {}
        if not isinstance(data, dict):
            self.problem(2, "文件", "front matter 应由“字段: 值”组成", "例如 title: 条目标题")
            return ParsedFile(None, self.problems)
        for key, line in duplicate_keys(front):
            self.problem(line + 1, str(key), f"字段 {key} 写了两次，只有最后一次生效", "删除多余的一行", fatal=False)
        values, lines = self.canonical(data)
        entry = self.build(values, lines, body, body_line)
        return ParsedFile(None if self.fatal else entry, self.problems, _status_of(values))

    # -- keys -------------------------------------------------------------
    def canonical(self, data: LineDict) -> tuple[dict, dict]:
        values: dict = {}
        lines: dict = {}
        written_as: dict = {}
        for key, value in data.items():
            line = data.key_lines.get(key, 1) + 1  # +1: the opening --- line
            spec = FIELD_BY_NAME.get(str(key).strip())
            if spec is None:
                close = process.extractOne(str(key), list(FIELD_BY_NAME))
                hint = f"是否指 {close[0]}？" if close and close[1] >= 60 else "可用字段见编辑指南"
                self.problem(line, str(key), f"未知字段“{key}”", hint, fatal=False)
                continue
            if spec.key in values:
                self.problem(line, spec.key, f"字段 {spec.key} 写了两次（{written_as[spec.key]} 和 {key}）",
                             "只保留一个", fatal=False)
                continue
            values[spec.key], lines[spec.key], written_as[spec.key] = value, line, key
        return values, lines

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
        for spec in FIELDS:
            applies = spec.applies_to(rules_type.key) if rules_type else len(spec.types) == len(F.ENTRY_TYPES)
            if spec.required and spec.key not in values and applies:
                self.problem(2, spec.key, f"缺少必填字段 {spec.key}（{spec.alias}）", f"例如 {spec.key}: {spec.example}")
            if etype and spec.key in values and not spec.applies_to(etype.key):
                kinds = "、".join(F.TYPE_BY_KEY[t].label for t in spec.types)
                self.problem(line_of(spec.key), spec.key, f"字段 {spec.key} 只适用于{kinds}", "删除该字段或检查条目类型",
                             fatal=False)

        title = self.text(values, "title", line_of("title"))
        unit = self.term(values, "unit", line_of("unit"))
        date = self.date(values.get("date"), line_of("date")) if "date" in values else None
        themes = self.terms(values, "themes", line_of("themes"))
        violations = self.terms(values, "violations", line_of("violations"))
        outcomes = self.terms(values, "outcomes", line_of("outcomes"))
        status = self.choice(values, "status", line_of("status")) or "published"
        audience = self.choice(values, "audience", line_of("audience")) or "public"
        report_kind = self.choice(values, "report_kind", line_of("report_kind"))
        related = [self.related_slug(s, line_of("related")) for s in self.strings(values, "related", line_of("related"))]
        summary = self.text(values, "summary", line_of("summary"))
        if not body.strip():
            self.problem(body_line - 1, "正文", "正文为空", "在第二个 --- 之后写正文", fatal=False)

        if self.fatal or etype is None or unit is None or date is None or not title:
            return None
        return Entry(
            slug=slug, type=etype, path=self.rel, src_uri=self.src_uri, title=title, unit=unit, date=date,
            themes=themes, body=body, body_line=body_line,
            tags=self.strings(values, "tags", line_of("tags")),
            summary=summary or first_sentences(body), summary_given=bool(summary),
            source=self.text(values, "source", line_of("source")), status=status, audience=audience,
            related=related, related_line=line_of("related"), violations=violations, outcomes=outcomes,
            person=self.text(values, "person", line_of("person")),
            lessons=self.text(values, "lessons", line_of("lessons")), report_kind=report_kind or "",
        )

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
        value = values.get(key)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            self.problem(line, key, f"{FIELD_BY_NAME[key].label}应为一段文字", "去掉列表或缩进，写在同一行")
            return ""
        text = str(value).strip()
        if not text and FIELD_BY_NAME[key].required:
            self.problem(line, key, f"{FIELD_BY_NAME[key].label}不能为空", f"例如 {key}: {FIELD_BY_NAME[key].example}")
        return text

    def strings(self, values: dict, key: str, line: int) -> list[str]:
        value = values.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            items = [p for p in _LIST_SPLIT.split(value) if p.strip()]
        elif isinstance(value, dict):
            self.problem(line, key, f"{FIELD_BY_NAME[key].label}应为列表", f"写作 {key}: [甲, 乙]")
            return []
        elif isinstance(value, list):
            items = []
            for item in value:
                if isinstance(item, (dict, list)):
                    self.problem(line, key, f"{FIELD_BY_NAME[key].label}的每一项应为一段文字", f"写作 {key}: [甲, 乙]")
                    continue
                items.append(str(item))
        else:
            items = [str(value)]
        return [i.strip() for i in items if i.strip()]

    def term(self, values: dict, key: str, line: int) -> Term | None:
        if key not in values:
            return None
        value = values[key]
        if isinstance(value, (list, dict)):
            self.problem(line, key, f"{FIELD_BY_NAME[key].label}只能写一个", f"例如 {key}: {FIELD_BY_NAME[key].example}")
            return None
        return self.resolve(key, str(value if value is not None else "").strip(), line)

    def terms(self, values: dict, key: str, line: int) -> list[Term]:
        if key not in values:
            return []
        names = self.strings(values, key, line)
        if not names and FIELD_BY_NAME[key].required:
            self.problem(line, key, f"{FIELD_BY_NAME[key].label}至少要写一个", f"例如 {key}: {FIELD_BY_NAME[key].example}")
        found: list[Term] = []
        for name in names:
            term = self.resolve(key, name, line)
            if term and term not in found:
                found.append(term)
        return found

    def resolve(self, key: str, value: str, line: int) -> Term | None:
        vocab = self.vocabs[FIELD_BY_NAME[key].vocabulary]
        if not value:
            self.problem(line, key, f"{vocab.label}不能为空", f"例如 {key}: {FIELD_BY_NAME[key].example}")
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
        spec = FIELD_BY_NAME[key]
        if isinstance(values[key], (list, dict)):
            self.problem(line, key, f"{spec.label}只能写一个值", f"可选：{'、'.join(spec.choices)}")
            return None
        written = str(values[key]).strip()
        value = spec.choice_aliases.get(written, written)
        if value not in spec.choices:
            self.problem(line, key, f"{spec.label}“{written}”不是可选值", f"可选：{'、'.join(spec.choices)}")
            return None
        return value

    def date(self, value, line: int) -> str | None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        written = str(value).strip()
        match = _DATE_RE.match(written)
        hint = "写作 2023-06-15、2023-06 或 2023"
        if not match:
            digits = re.findall(r"\d+", written)
            if len(digits) in (1, 2, 3) and len(digits[0]) == 4:
                hint = f"可改为 {'-'.join([digits[0]] + [d.zfill(2) for d in digits[1:]])}"
            self.problem(line, "date", f"日期“{written}”格式不对", hint)
            return None
        year, month, day = match.groups()
        try:
            dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            self.problem(line, "date", f"日期“{written}”不存在", hint)
            return None
        if not 1949 <= int(year) <= dt.date.today().year + 1:
            self.problem(line, "date", f"年份 {year} 不在合理范围内", "检查年份是否写错")
            return None
        return "-".join([year] + [p.zfill(2) for p in (month, day) if p])

    def related_slug(self, slug: str, line: int) -> str:
        if slug.endswith(".md"):
            self.problem(line, "related", f"相关条目“{slug}”不要带 .md", f"改为 {slug[:-3]}", fatal=False)
            slug = slug[:-3]
        return slug.split("/")[-1]


def _status_of(values: dict) -> str:
    """The status even of an entry too broken to build, so a broken draft
    stays a draft (and out of the build's problems)."""
    written = values.get("status")
    if not isinstance(written, str):
        return "published"
    status = FIELD_BY_KEY["status"].choice_aliases.get(written.strip(), written.strip())
    return status if status in F.STATUSES else "published"

