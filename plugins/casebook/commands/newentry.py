"""``casebook new TYPE``: a new entry from flags, or by asking.

Values given as flags are checked with the same validation as
``casebook check`` (``entry.parse_entry``), so a new entry passes the check
at once. What is missing is asked for in a terminal (questionary, with
completion from the vocabularies); without a terminal, missing values are
bad usage (exit 2).
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from casebook.core import fields as F
from casebook.core.compose import entry_text
from casebook.core.entry import parse_entry
from casebook.core.fields import ENTRY_TYPES, TYPE_BY_NAME, EntryType
from casebook.core.paths import shown
from casebook.core.slugs import ENTRY_SLUG_RE, entry_slug
from casebook.core.vocab import Vocabularies, load_vocabularies

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
TYPE_CHOICES = "、".join(f"{t.key}（{t.label}）" for t in ENTRY_TYPES)


def flag_fields() -> list[F.Field]:
    """The fields an editor sets with a flag when creating an entry, in field order."""
    return [spec for spec in F.FIELDS if spec.flag]


class Cancelled(Exception):
    """The editor pressed Ctrl+C or Ctrl+D at a prompt."""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "new", help="新建条目（可逐项询问）",
        description="新建一个条目文件。必填项都用参数给出时直接创建；缺少的项在终端中逐项询问（单位、主题可补全）。",
        epilog="例：casebook new practice --title 市妇联以家风建设带动清廉机关建设 --unit 市妇联 "
               "--date 2023-06 --themes 家风建设,廉洁文化")
    parser.add_argument("entry_type", nargs="?", metavar="TYPE",
                        help=f"条目类型：{TYPE_CHOICES}")
    for spec in flag_fields():
        kinds = "" if len(spec.types) == len(ENTRY_TYPES) else f"（仅{'、'.join(TYPE_BY_NAME[t].label for t in spec.types)}）"
        many = "；可写多个，用逗号或顿号分隔" if spec.is_list else ""
        parser.add_argument(spec.option, dest=spec.key, metavar=spec.label, action="append" if spec.is_list else "store",
                            help=f"{spec.help}{kinds}{many}")
    parser.add_argument("--draft", action="store_true", help="存为草稿（status: draft），不生成页面")
    parser.add_argument("--internal", action="store_true", help="仅限内部（audience: internal），公开版站点不包含")
    parser.add_argument("--slug", metavar="文件名", help="文件名（不含 .md）；默认由日期和标题拼音生成")
    parser.add_argument("--out", type=Path, metavar="DIR", help="写入这个文件夹（默认：cases/ 下按类型的文件夹）")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的同名文件")
    parser.add_argument("--no-input", action="store_true", help="从不询问：缺少必填项时报错退出")
    parser.set_defaults(run=run_new)


def run_new(args) -> int:
    vocabs, problems = load_vocabularies(args.root / "cases", args.root)
    if problems and not vocabs["units"].terms:
        return _usage(f"找不到可用的单位词表（{problems[0].path}）：请在案例库项目目录中运行，或用 --root 指定")
    prompter = make_prompter() if is_interactive() and not args.no_input else None
    try:
        etype = _entry_type(args.entry_type, prompter)
        if isinstance(etype, str):
            return _usage(etype)
        given = {spec.key: _flag_value(getattr(args, spec.key, None)) for spec in flag_fields()}
        given = {key: value for key, value in given.items() if value not in (None, "", [])}
        if "date" not in given and prompter is None:
            given["date"] = dt.date.today().isoformat()
        values, errors = validate_values(given, etype, vocabs)
        if errors:
            return _usage("参数有误：\n  " + "\n  ".join(errors))
        missing = [f for f in F.FIELDS if f.required and f.applies_to(etype.key) and f.key not in values]
        if missing and prompter is None:
            names = "、".join(f"{f.option}（{f.label}）" for f in missing)
            return _usage(f"缺少必填项：{names}。\n在终端中运行时会逐项询问；或用参数给出全部必填项。")
        if missing:  # asked only when something required is missing: full flags never prompt
            values.update(ask_missing(prompter, etype, values, vocabs))
    except Cancelled:
        print("已取消，没有创建条目。", file=sys.stderr)
        return EXIT_PROBLEMS

    if args.draft:
        values["status"] = "draft"
    if args.internal:
        values["audience"] = "internal"
    slug = args.slug or entry_slug(values["title"], str(values["date"]))
    if not ENTRY_SLUG_RE.match(slug):
        return _usage(f"文件名“{slug}”只能用小写字母、数字和连字符")
    text = entry_text(etype, values)
    found = parse_entry(text, f"{slug}.md", f"{etype.folder}/{slug}.md", vocabs).problems
    if found:  # cannot happen when validate_values passed; never write a broken entry
        for problem in found:
            print(problem.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    return _write(args, etype, slug, text)


# -- values -------------------------------------------------------------------
def _entry_type(written: str | None, prompter) -> EntryType | str:
    """The type, or a Chinese usage message."""
    if written is None:
        if prompter is None:
            return f"缺少条目类型 TYPE：{TYPE_CHOICES}。例：casebook new practice"
        return TYPE_BY_NAME[prompter.select("条目类型：", [f"{t.label}（{t.key}）" for t in ENTRY_TYPES]).split("（")[0]]
    etype = TYPE_BY_NAME.get(written.strip())
    if etype is None:
        return f"未知条目类型“{written}”：可选 {TYPE_CHOICES}"
    return etype


def _flag_value(value):
    if isinstance(value, list):  # --themes 甲,乙 --themes 丙
        items = []
        for part in value:
            items.extend(p.strip() for p in part.replace("，", ",").replace("、", ",").split(",") if p.strip())
        return items
    return value.strip() if isinstance(value, str) else value


def validate_values(given: dict, etype: EntryType, vocabs: Vocabularies) -> tuple[dict, list[str]]:
    """(values in canonical form, Chinese messages for the bad ones).

    The values are checked by ``parse_entry`` itself, with harmless stand-ins
    for the fields not given, so the rules live in one place.
    """
    stand_ins = {"title": "标题", "date": "2000"}
    for spec in F.FIELDS:  # a required term: the vocabulary's first
        terms = vocabs[spec.vocabulary].terms if spec.required and spec.vocabulary else []
        if terms:
            stand_ins[spec.key] = [terms[0].name] if spec.is_list else terms[0].name
    values = {**{k: v for k, v in stand_ins.items() if F.FIELD_BY_KEY[k].applies_to(etype.key)}, **given}
    parsed = parse_entry(entry_text(etype, values, body="正文\n"), "命令行", f"{etype.folder}/x.md", vocabs)
    errors = [f"{_flag(p.field)}：{p.message}" + (f"（{p.suggestion}）" if p.suggestion else "")
              for p in parsed.problems if p.field in given]
    entry = parsed.entry
    if errors or entry is None:
        return dict(given), errors
    return {k: _canonical(F.FIELD_BY_KEY[k], getattr(entry, k), v) for k, v in given.items()}, []


def _canonical(spec: F.Field, checked, given):
    """A term by its name (not the alias given), a date normalised; else as given."""
    if spec.vocabulary:
        return [t.name for t in checked] if spec.is_list else checked.name if checked else None
    return checked if spec.kind == F.DATE else given


def _flag(key: str) -> str:
    return F.FIELD_BY_KEY[key].option if key in F.FIELD_BY_KEY else key


# -- asking ---------------------------------------------------------------------
def ask_missing(prompter, etype: EntryType, values: dict, vocabs: Vocabularies) -> dict:
    """Ask for the values not given that the field table asks for, in its
    order (the required ones first, then the optional ones on offer)."""
    asked: dict = {}
    questions = sorted((spec for spec in F.FIELDS if spec.ask), key=lambda spec: spec.ask)
    for spec in questions:
        if spec.key not in values and spec.applies_to(etype.key):
            answer = _ask(prompter, spec, etype, vocabs)
            if answer not in (None, "", []):
                asked[spec.key] = answer
    return asked


def _ask(prompter, spec: F.Field, etype: EntryType, vocabs: Vocabularies):
    """One question, by the field's kind."""
    if spec.kind == F.DATE:
        def date_ok(text):
            _, errors = validate_values({spec.key: text.strip()}, etype, vocabs)
            return True if not errors else errors[0].split("：", 1)[-1]

        today = dt.date.today().isoformat()
        # Not pre-filled: typing into a filled field appended (2026-11-222023.6.1).
        written = prompter.text(f"{spec.label}（YYYY-MM-DD、YYYY-MM 或 YYYY；直接回车为今天 {today}）：",
                                validate=lambda text: date_ok(text or today)).strip() or today
        return validate_values({spec.key: written}, etype, vocabs)[0][spec.key]
    if spec.kind == F.VOCAB:
        return _ask_term(prompter, vocabs[spec.vocabulary])
    if spec.kind == F.VOCAB_LIST:
        return _ask_terms(prompter, vocabs[spec.vocabulary])
    if spec.kind == F.CHOICE:
        return prompter.select(f"{spec.label}：", list(spec.choices))
    if spec.required:
        return prompter.text(f"{spec.label}：", validate=lambda s: bool(s.strip()) or f"{spec.label}不能为空").strip()
    if spec.is_list:
        answer = prompter.text(f"{spec.label}（可留空；多个用逗号分隔）：").strip()
        return _flag_value([answer]) if answer else []
    return prompter.text(f"{spec.label}（可留空，回车跳过）：").strip()


def _ask_term(prompter, vocab) -> str:
    names = [n for t in vocab.terms for n in (t.name, *t.aliases)]

    def known(text):
        if vocab.resolve(text.strip()):
            return True
        close = vocab.suggest(text.strip()) if text.strip() else []
        return f"不在{vocab.label}词表中" + (f"，是否指：{'、'.join(close)}？" if close else f"（按 Tab 查看可选{vocab.label}）")

    return vocab.resolve(prompter.autocomplete(f"{vocab.label}（可输入部分文字，按 Tab 补全）：", names,
                                               validate=known).strip()).name


def _ask_terms(prompter, vocab) -> list[str]:
    choices, group = [], None
    for term in vocab.terms:
        if term.group and term.group != group:
            group = term.group
            choices.append(("separator", f"—— {group} ——"))
        aliases = f"（又称 {'、'.join(term.aliases)}）" if term.aliases else ""
        choices.append((term.name, f"{term.name}{aliases}"))
    return prompter.checkbox(f"{vocab.label}（空格键选择，可多选，回车确认）：", choices,
                             validate=lambda picked: bool(picked) or f"至少选择一个{vocab.label}")


@dataclass
class QuestionaryPrompter:
    """Prompts in the terminal. ``input``/``output`` let tests drive it."""

    input: object = None
    output: object = None

    def _ask(self, question):
        try:
            answer = question.unsafe_ask()
        except (KeyboardInterrupt, EOFError):
            raise Cancelled from None
        if answer is None:
            raise Cancelled
        return answer

    def _io(self) -> dict:
        return {k: v for k, v in (("input", self.input), ("output", self.output)) if v is not None}

    def text(self, message, default="", validate=None):
        import questionary

        return self._ask(questionary.text(message, default=default, validate=validate, **self._io()))

    def autocomplete(self, message, choices, validate=None):
        import questionary

        return self._ask(questionary.autocomplete(message, choices=choices, validate=validate, match_middle=True,
                                                  ignore_case=True, **self._io()))

    def select(self, message, choices):
        import questionary

        return self._ask(questionary.select(message, choices=choices, **self._io()))

    def checkbox(self, message, choices, validate=None):
        import questionary

        items = [questionary.Separator(label) if value == "separator" else questionary.Choice(label, value=value)
                 for value, label in choices]
        return self._ask(questionary.checkbox(message, choices=items, validate=validate, **self._io()))


def make_prompter():
    return QuestionaryPrompter()


def is_interactive() -> bool:
    """Asking needs a person at a terminal; in scripts and CI, flags only."""
    return sys.stdin.isatty() and sys.stdout.isatty()


# -- writing --------------------------------------------------------------------
def _write(args, etype: EntryType, slug: str, text: str) -> int:
    cases_dir = args.root / "cases"
    folder = args.out if args.out is not None else cases_dir / etype.folder
    path = folder / f"{slug}.md"
    same_name = [p for p in cases_dir.rglob(f"{slug}.md") if p.resolve() != path.resolve()] \
        if cases_dir.is_dir() else []
    if same_name:
        print(f"casebook: 条目名“{slug}”已被 {shown(same_name[0])} 使用：条目名在 cases/ 中必须唯一，"
              f"请改标题或日期，或用 --slug 指定文件名", file=sys.stderr)
        return EXIT_PROBLEMS
    if path.exists() and not args.force:
        print(f"casebook: {shown(path)} 已存在，没有覆盖（确需覆盖请加 --force）", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        print(f"casebook: 无法写入 {shown(path)}（{exc.strerror or exc}）", file=sys.stderr)
        return EXIT_PROBLEMS
    where = shown(path)
    print(f"已创建 {where}")
    print(f"下一步：用编辑器打开它，把模板中的提示换成正文，删去 status: draft 一行，然后运行 casebook check {where}")
    return EXIT_OK


def _usage(message: str) -> int:
    print(f"casebook new: {message}", file=sys.stderr)
    return EXIT_USAGE

