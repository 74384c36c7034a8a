"""The unit a document is from (its issuer), not the units it talks about.

A report names its issuer where it introduces itself: at the start of the
title (``XX市直机关工委关于…的汇报``), in the signature block at the end,
in the header lines above the text, or as the subject of the opening
paragraph. Other units are mentioned in the body, often more often than the
issuer (``会同市委组织部…``), so the body is the last resort. Each place is
tried in that order and the first that names a unit decides.

A unit that is not in ``cases/units.yml`` is proposed as an addition: the
exact lines to append, with a slug by the project's slug rule and a group
taken from the most similar unit already in the vocabulary.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from casebook.core.compose import yaml_value
from casebook.core.slugs import slugify
from casebook.core.vocab import Term, Vocabulary
from casebook.importer.structure import Outline, Paragraph

MAX_LINE = 30  # characters of a header or signature line: a name, perhaps a date; not a sentence
TAIL, HEAD = 3, 3
_MASK = r"(?:[Xx×＊*某]{1,4}|中共|中国共产党)*"  # masked place names, the Party prefix
_SUFFIX = "局委办部会院馆联厅室所站队处科司中心组"
_SENTENCE = re.compile(r"[。！？；，,;!?]")
# The unit a title starts with, up to what the report is about.
_TITLE_UNIT = re.compile(rf"^{_MASK}([\u4e00-\u9fff]{{2,16}}?[{_SUFFIX}])(?:关于|在|落实|开展|推进|召开|举办|的|党组|党委|20[0-9]{{2}}|[0-9]{{4}})")
_UNIT_START = re.compile(r"^[市区县省州]")  # 市审计局, 区财政局; not 全市…会
_ORG_TAIL = r"(?:机关委员会|机关党委|党组|党委|机关)?"  # 市委组织部机关委员会 signs for 市委组织部
_DATE_TAIL = r"(?:\s*[0-9〇○零一二三四五六七八九十]{4}\s*[年.\-/].*)?"  # 市妇联 2023年6月15日
_NAME_LINE = re.compile(rf"^{_MASK}([\u4e00-\u9fff]{{0,8}}?[市区县省州][\u4e00-\u9fff]{{1,14}}?[{_SUFFIX}]){_ORG_TAIL}{_DATE_TAIL}$")
_PLACE = r"[\u4e00-\u9fffXx×＊*]{0,8}?"  # 武汉 in 武汉市财政局
_LABEL = re.compile(r"^\s*(?:报送|汇报|发文|来文|起草|填报)?单位\s*[:：]\s*")
_TEXT_UNIT = re.compile(r"(?:[市区县]委?)[\u4e00-\u9fff]{1,8}?(?:局|委员会|委|办公室|办|部|联|会|院|馆|中心)")
# A unit that acts in the opening sentence: after a clause boundary, not “在…的指导下”.
_SUBJECT_BEFORE = re.compile(r"(?:^|[，。；：,]|以来|以来，|来，)\s*" + _MASK + r"$")


@dataclass
class Found:
    term: Term | None  # a unit of the vocabulary, or None for a name not in it
    written: str  # as the document writes it
    where: str  # 标题 / 文末落款 / 开头 / 开头一段 / 正文


@dataclass
class NewUnit:
    """A unit to add to ``cases/units.yml``: the lines, and why this group."""

    name: str
    slug: str
    group: str
    group_reason: str

    def yaml_lines(self) -> list[str]:
        return [f"- name: {yaml_value(self.name)}", f"  slug: {self.slug}", f"  group: {yaml_value(self.group)}"]


def find_issuer(outline: Outline, units: Vocabulary) -> Found | None:
    lines = [i.text.strip() for i in outline.items if isinstance(i, Paragraph) and i.text.strip()]
    for where, found in (("标题", lambda: _in_title(outline.title, units)),
                         ("文末落款", lambda: _in_short_lines(lines[-TAIL:][::-1], units)),
                         ("开头", lambda: _in_short_lines(_header(outline.items), units)),
                         ("开头一段", lambda: _subject(outline.first_paragraph, units)),
                         ("正文", lambda: _most_mentioned(outline.plain_text, units))):
        result = found()
        if result is not None:
            term, written = result
            return Found(term, written, where)
    return None


def _in_title(title: str, units: Vocabulary):
    """The unit the title starts with: before 关于 (after it comes the subject)."""
    if not title:
        return None
    issuer_part = title.split("关于", 1)[0] if "关于" in title else title
    hits = _terms_in(issuer_part, units)
    if hits:
        return hits[0]
    written = _TITLE_UNIT.match(title)
    if written and _UNIT_START.match(written.group(1)):
        return units.resolve(written.group(1)), written.group(1)
    return None


def _header(items: list) -> list[str]:
    """Short lines before the text starts: under the title, above the
    salutation, the first paragraph and the first heading."""
    head = []
    for item in items[:HEAD]:
        line = item.text.strip() if isinstance(item, Paragraph) else ""
        if not line or len(line) > MAX_LINE or _SENTENCE.search(line.rstrip("：:")) or line.startswith("尊敬的"):
            break
        head.append(line)
    return head


def _in_short_lines(lines: list[str], units: Vocabulary):
    """A unit named on a line of its own (a signature, a header, ``单位：…``)."""
    for line in lines:
        line = _LABEL.sub("", line)
        if len(line) > MAX_LINE or _SENTENCE.search(line):
            continue
        for term, written in _terms_in(line, units):
            if re.fullmatch(rf"{_MASK}{_PLACE}{re.escape(written)}{_ORG_TAIL}{_DATE_TAIL}", line.strip("（）() ")):
                return term, written
        named = _NAME_LINE.match(line.strip("（）() "))
        if named:
            return units.resolve(named.group(1)), named.group(1)
    return None


def _subject(paragraph: str, units: Vocabulary):
    """The unit that acts in the opening paragraph: the first one written at
    the start of a clause (``今年以来，市妇联…``), not one the sentence
    merely names (``在市委组织部的指导下``, ``会同市财政局``)."""
    hits = _terms_in(paragraph, units, with_positions=True)
    for term, written, at in hits:
        if _SUBJECT_BEFORE.search(paragraph[:at]) and not paragraph[at + len(written):].startswith("的"):
            return term, written
    for found in _TEXT_UNIT.finditer(paragraph):  # a unit not in the vocabulary, acting
        if _SUBJECT_BEFORE.search(paragraph[:found.start()]) and not re.search("[的和与及、]", found.group(0)):
            return units.resolve(found.group(0)), found.group(0)
    return None


def _most_mentioned(text: str, units: Vocabulary):
    counts = Counter(term for term, _ in _terms_in(text, units))
    if not counts:
        return None
    best = max(counts, key=lambda t: (counts[t], -text.find(t.name)))
    return best, next(w for t, w in _terms_in(text, units) if t is best)


def _terms_in(text: str, units: Vocabulary, with_positions: bool = False) -> list:
    """Vocabulary units named in the text, in order: (term, as written[, position])."""
    if not text or not units.terms:
        return []
    keys = {}
    for term in units.terms:
        for key in (term.name, *term.aliases):
            keys.setdefault(key, term)
    # Longest first, so 市委组织部 is read as itself and not as 市委 + 组织部.
    pattern = re.compile("|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)))
    found = [(keys[m.group(0)], m.group(0), m.start()) for m in pattern.finditer(text)]
    return found if with_positions else [f[:2] for f in found]


def clean_name(written: str) -> str:
    """The name to put in the vocabulary: masked place names and the Party
    prefix dropped (``XX区审计局`` -> ``区审计局``), as the vocabulary names units."""
    return re.sub(rf"^{_MASK}", "", written).strip() or written


def propose_unit(name: str, units: Vocabulary) -> NewUnit:
    """The lines for a new unit: a slug no other unit has, and the group of
    the existing unit whose name ends most like this one (``市审计局`` is
    grouped like ``市财政局``)."""
    taken = {t.slug for t in units.terms}
    base = slugify(name)
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    group, reason = _similar_group(name, units)
    return NewUnit(name, slug, group, reason)


def _similar_group(name: str, units: Vocabulary) -> tuple[str, str]:
    def common(a: str, b: str, from_end: bool) -> int:
        n = 0
        while n < min(len(a), len(b)) and (a[-1 - n] == b[-1 - n] if from_end else a[n] == b[n]):
            n += 1
        return n

    best, best_score, best_key = None, (0, 0), ""
    for term in units.terms:
        if not term.group:
            continue
        for key in (term.name, *term.aliases):
            score = (common(name, key, True), common(name, key, False))
            if score > best_score:
                best, best_score, best_key = term, score, key
    groups = units.groups()
    if best is None or best_score[0] == 0:
        fallback = "其他" if "其他" in groups else (groups[-1] if groups else "其他")
        return fallback, "名称与词表中的单位都不相像"
    ending = name[len(name) - best_score[0]:]
    return best.group, f"与词表中的“{best_key}”同样以“{ending}”结尾"
