"""Front-matter values guessed from the text, each with the reason shown to
the reviewer (``# 待核对：…``). A value the editor gave on the command line
carries no reason: it is not a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from casebook.core.fields import TYPE_BY_KEY, EntryType
from casebook.core.vocab import Term, Vocabularies, Vocabulary
from casebook.importer.dates import document_date, missing_date_note
from casebook.importer.issuer import NewUnit, clean_name, find_issuer, propose_unit
from casebook.importer.notice import read_notice
from casebook.importer.structure import Outline

REPORT_WORDS = ("汇报", "报告", "发言", "述职", "讲话", "总结")
_CASE_SIGNS = re.compile(r"给予.{0,15}?(?:处分|警告|记过|降级|撤职|开除)|开除党籍|留党察看|移送(?:司法|检察)机关"
                         r"|立案审查|严重违纪|违纪违法问题|受贿|贪污")
TITLE_SUFFIX = {"工作汇报": "工作情况汇报", "调研报告": "调研报告", "汇报发言": "汇报发言", "述职报告": "述职报告",
                "其他": "材料"}


@dataclass
class Guess:
    value: object
    note: str = ""  # why this value: shown as “待核对：note”; empty when the editor gave it


@dataclass
class Metadata:
    title: Guess
    type: Guess  # value: EntryType
    unit: Guess  # value: canonical name, or the unknown name as written
    date: Guess  # value: YYYY, YYYY-MM or YYYY-MM-DD; "" when the document states none
    themes: Guess  # value: list of canonical names
    report_kind: Guess | None = None
    violations: Guess | None = None
    outcomes: Guess | None = None
    warnings: list[str] = field(default_factory=list)  # for the import summary
    new_unit: NewUnit | None = None  # the unit is not in units.yml: the lines that would add it
    # A warning case's notice: None when the text gives no evidence (the field is left out).
    rank: Guess | None = None
    issued_by: Guess | None = None
    issued_on: Guess | None = None


@dataclass
class Overrides:
    """Values the editor fixes on the command line, for every file imported."""

    type: EntryType | None = None
    unit: str = ""
    date: str = ""
    report_kind: str = ""


def guess_metadata(outline: Outline, vocabs: Vocabularies, overrides: Overrides | None = None,
                   year_hint: str = "", year_hint_reason: str = "", today: dt.date | None = None) -> Metadata:
    overrides = overrides or Overrides()
    today = today or dt.date.today()
    text = outline.plain_text
    warnings: list[str] = []

    etype = Guess(overrides.type) if overrides.type else guess_type(outline.title, text)
    new_unit = None
    if overrides.unit:
        unit = Guess(overrides.unit)
    else:
        unit, new_unit = guess_unit(outline, vocabs["units"], warnings)
    date = Guess(overrides.date) if overrides.date else guess_date(outline, year_hint, year_hint_reason, today)
    themes = guess_terms(text, vocabs["themes"], "主题", required=True)
    report_kind = violations = outcomes = None
    if etype.value.key == "report":
        report_kind = Guess(overrides.report_kind) if overrides.report_kind else guess_report_kind(outline)
    if etype.value.key == "case":
        violations = guess_terms(text, vocabs["violations"], "违纪类型", required=True)
        outcomes = guess_terms(text, vocabs["outcomes"], "处理结果", required=True)
    if outline.title:
        title = Guess(outline.title, "取自原文第一行")
    else:
        title = Guess(propose_title(unit.value, etype.value, report_kind.value if report_kind else "", text),
                      "原文没有标题行，此标题按单位和材料类型拟定，请改为准确的标题")
    meta = Metadata(title, etype, unit, date, themes, report_kind, violations, outcomes, warnings, new_unit)
    if etype.value.key == "case":
        guess_notice(meta, outline, vocabs, today)
    return meta


# -- type ---------------------------------------------------------------------
def guess_type(title: str, text: str) -> Guess:
    if any(word in title for word in REPORT_WORDS):
        word = next(w for w in REPORT_WORDS if w in title)
        return Guess(TYPE_BY_KEY["report"], f"标题含“{word}”，按工作报告处理")
    signs = _CASE_SIGNS.findall(text)
    if len(signs) >= 2:
        return Guess(TYPE_BY_KEY["case"], f"正文含“{signs[0]}”等处理用语，按警示案例处理")
    if "经验" in title or "做法" in title:
        return Guess(TYPE_BY_KEY["practice"], "标题含“经验”或“做法”，按经验做法处理")
    return Guess(TYPE_BY_KEY["report"], "按工作报告处理（导入的材料多为汇报、报告）；若是经验做法或警示案例请改 type 并移动文件")


def guess_report_kind(outline: Outline) -> Guess:
    title, first = outline.title, outline.first_paragraph
    text = outline.plain_text
    for word, kind in (("述职", "述职报告"), ("调研", "调研报告"), ("发言", "汇报发言"), ("讲话", "汇报发言"),
                       ("汇报", "工作汇报")):
        if word in title:
            return Guess(kind, f"标题含“{word}”")
    if "调研报告" in text:
        return Guess("调研报告", "正文提到“调研报告”")
    if "述职" in first:
        return Guess("述职报告", "开头一段提到“述职”")
    blocks = [i.text for i in outline.items if hasattr(i, "text")]
    if any(b.startswith("尊敬的") for b in blocks[:3]) or any(w in text[-200:] for w in ("谢谢大家", "汇报完毕")):
        return Guess("汇报发言", "有称呼语或“谢谢大家”等发言用语")
    if "汇报" in text:
        return Guess("工作汇报", "正文提到“汇报”")
    return Guess("其他", "未能判断报告类型")


# -- unit ---------------------------------------------------------------------
_WHERE = {"标题": "标题", "文末落款": "文末落款", "开头": "开头的单位行", "开头一段": "开头一段"}


def guess_unit(outline: Outline, units: Vocabulary, warnings: list[str]) -> tuple[Guess, NewUnit | None]:
    """The issuer (see issuer.py); a name not in the vocabulary comes with
    the lines that would add it."""
    found = find_issuer(outline, units)
    if found is None:
        warnings.append("未能识别单位：请在 unit 中填写 cases/units.yml 里的单位")
        return Guess("", "未能识别单位，请填写 cases/units.yml 中的单位名称"), None
    term = found.term or units.resolve(clean_name(found.written))
    if term is not None:
        if found.where == "正文":
            return Guess(term.name, f"标题、落款和开头都没有写单位，按正文中提到最多的“{found.written}”推断；"
                                    "它可能只是被提到的单位，请核对"), None
        return Guess(term.name, f"根据{_WHERE[found.where]}中的“{found.written}”识别"), None
    name = clean_name(found.written)
    new = propose_unit(name, units)
    close = units.suggest(name)
    hint = f"（最接近的是：{'、'.join(close)}）" if close else ""
    warnings.append(f"单位“{name}”不在单位词表中{hint}：如是新单位，把下方“新单位”中的几行加到 cases/units.yml 末尾")
    return Guess(name, f"{_WHERE[found.where]}中的“{found.written}”不在 cases/units.yml 中：是新单位就按上方说明"
                       f"把它加入词表，否则改为词表中的单位{hint}"), new


def _first_written(text: str, term: Term) -> str:
    keys = sorted((term.name, *term.aliases), key=len, reverse=True)
    positions = [(text.find(k), k) for k in keys if k in text]
    return min(positions)[1] if positions else term.name


# -- date ---------------------------------------------------------------------
def guess_date(outline: Outline, year_hint: str, year_hint_reason: str, today: dt.date) -> Guess:
    """The document's own date, or "" with a note saying what to fill in
    (never today's year: a guess nobody corrects becomes the record)."""
    date, how = document_date(outline, today)
    if date:
        return Guess(date, how)
    return Guess("", missing_date_note(outline, year_hint, year_hint_reason, today))


# -- a warning case's notice: rank, issuer, date -------------------------------
def guess_notice(meta: Metadata, outline: Outline, vocabs: Vocabularies, today: dt.date) -> None:
    """Only what the notice states (see notice.py); a field without evidence stays out."""
    facts = read_notice(outline, vocabs["ranks"], today)
    if facts.issuer:
        name, where = facts.issuer
        meta.issued_by = Guess(name, f"取自{where}，请核对是否为发布通报的机关")
    if facts.date:
        date, how = facts.date
        meta.issued_on = Guess(date, f"通报自身的日期，{how}")
    if facts.rank:
        name, written = facts.rank
        meta.rank = Guess(name, f"按正文中的{written}推断为{name}，请核对是当事人的职级")
    elif facts.conflicting_ranks:
        meta.warnings.append(f"正文写有不同职级（{'、'.join(facts.conflicting_ranks[:4])}），未填写 rank：请按当事人填写")


# -- themes, violations, outcomes ---------------------------------------------
def guess_terms(text: str, vocab: Vocabulary, label: str, required: bool, limit: int = 3) -> Guess:
    """Vocabulary terms by how often their name or an alias occurs."""
    counts = _term_counts(text, vocab)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], vocab.terms.index(kv[0])))
    chosen = [t for t, n in ranked if n >= 2][:limit] or [t for t, _ in ranked[:1]]
    if not chosen:
        hint = f"请从 cases/{vocab.name}.yml 中选择" + ("（必填）" if required else "")
        return Guess([], f"正文中没有找到{label}词表中的词，{hint}")
    reasons = "、".join(f"{t.name}（“{_first_written(text, t)}”等 {counts[t]} 次）" for t in chosen)
    return Guess([t.name for t in chosen], f"按正文中出现的词推断：{reasons}")


def _term_counts(text: str, vocab: Vocabulary) -> Counter:
    if not text or not vocab.terms:
        return Counter()
    keys = {}
    for term in vocab.terms:
        for key in (term.name, *term.aliases):
            keys.setdefault(key, term)
    # Longest first, so 市委组织部 is read as itself and not as 市委 + 组织部.
    pattern = re.compile("|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)))
    return Counter(keys[m.group(0)] for m in pattern.finditer(text))


# -- title --------------------------------------------------------------------
def propose_title(unit: str, etype: EntryType, report_kind: str, text: str) -> str:
    topic = next((t for t in ("清廉机关建设", "党风廉政建设", "廉洁文化建设") if t in text), "")
    if etype.key == "report":
        suffix = TITLE_SUFFIX.get(report_kind, "工作报告")
    else:
        suffix = "经验做法" if etype.key == "practice" else "警示案例"
    return f"{unit}{topic}{suffix}" or etype.label
