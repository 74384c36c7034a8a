"""What a discipline notice (通报) says about itself: who issued it, when,
and the rank of the person it is about. Only what the text states is
taken; a field without evidence, or with conflicting evidence, is left out.

- issuer: a short line naming a discipline body (纪委, 监委, 纪检监察组 …)
  at the top (the title before ``关于``/``通报``, or a header line) or in
  the signature at the end; never a body the text merely mentions.
- date: the notice's own signature or date line (``dates.stated_date``);
  never the year in a title like ``关于2023年…问题的通报``.
- rank: an explicit rank word (``正处级``, ``乡科级干部`` …) or a post whose
  rank the law fixes (``副县长`` is 县处级, ``镇长`` is 乡科级); posts such as
  副厅长 or 副市长 are not mapped (a 副市长 may be 厅局级 or 县处级).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from casebook.core.vocab import Vocabulary
from casebook.importer.dates import chinese_digits, stated_date
from casebook.importer.structure import Outline, Paragraph

_BODY = re.compile(r"纪委|监委|纪工委|纪检组|纪律检查委员会|监察委员会|纪检监察|监察专员")
_NOT_A_NAME = re.compile(r"关于|通报|问题|违反|处分|[。！？；，,;!?：:、“”]")
_TRAILING_DATE = re.compile(r"\s*(?:(?:19|20)[0-9]{2}\s*年[0-9\s月日号]*|(?:19|20)[0-9]{2}[-./][0-9./-]*)$")
MAX_ISSUER = 40  # characters: an issuer line is a name or two, not a sentence
HEAD, TAIL = 3, 3  # opening and closing lines looked at, as for the unit and the date

# Words that state a rank, beyond the names and aliases in cases/ranks.yml,
# by the canonical name they mean (a test checks each name is in the vocabulary).
RANK_WORDS = {
    "省部级": ("正部级", "副部级"),
    "厅局级": ("正厅级", "副厅级"),
    "县处级": ("正处级", "副处级",
               # county leadership posts are 县处级 正/副职 by the civil-service rules
               "县长", "副县长", "县委书记", "县委副书记"),
    "乡科级": ("正科级", "副科级",
               # township leadership posts are 乡科级 正/副职
               "乡长", "副乡长", "镇长", "副镇长", "乡党委书记", "镇党委书记", "乡党委副书记", "镇党委副书记"),
}
UNMAPPED_RANK = "其他"  # its aliases (其他人员) are ordinary words, never evidence
# ``县处级以上领导干部要引以为戒``: an audience, not the person's rank; ``县长助理`` is no 县长,
# nor is ``该县长期``, ``城镇长效``.
_NOT_PERSONAL = re.compile(r"^(?:及其?)?(?:以上|以下)|^(?:干部|领导干部)?要|^单位|^助理|^[期效远久足]")


@dataclass
class NoticeFacts:
    issuer: tuple[str, str] | None  # (as written, where found)
    date: tuple[str, str] | None  # (YYYY[-MM[-DD]], how found)
    rank: tuple[str, str] | None  # (canonical name, as written with context)
    conflicting_ranks: list[str]  # rank words that disagree: nothing is guessed


def read_notice(outline: Outline, ranks: Vocabulary, today: dt.date) -> NoticeFacts:
    date, how = stated_date(outline, today)
    rank, conflicting = find_rank(outline.plain_text, ranks)
    return NoticeFacts(find_notice_issuer(outline), (date, how) if date else None, rank, conflicting)


# -- issuer -------------------------------------------------------------------
def find_notice_issuer(outline: Outline) -> tuple[str, str] | None:
    lines = [i.text.strip() for i in outline.items if isinstance(i, Paragraph) and i.text.strip()]
    title = outline.title.strip()
    if title:
        before = re.split("关于|通报", title, maxsplit=1)[0]
        if before != title and _issuer_line(before):
            return _issuer_line(before), f"标题开头的“{before.strip()}”"
        if _issuer_line(title):  # a header line read as the title
            return _issuer_line(title), f"开头的发文机关行“{title}”"
    for line in lines[:HEAD]:
        if _issuer_line(line):
            return _issuer_line(line), f"开头的发文机关行“{line}”"
    for line in lines[-TAIL:][::-1]:
        if _issuer_line(line):
            return _issuer_line(line), f"文末落款“{line}”"
    return None


def _issuer_line(line: str) -> str:
    """The issuer named by a line that holds nothing else (a date after it
    in a signature is dropped); "" for a sentence, a title or no body."""
    name = _TRAILING_DATE.sub("", chinese_digits(line.strip())).strip()
    name = re.sub(r"[\s\u3000]+", " ", name)
    if not name or len(name) > MAX_ISSUER or not _BODY.search(name) or _NOT_A_NAME.search(name):
        return ""
    return name


# -- rank ---------------------------------------------------------------------
def rank_words(ranks: Vocabulary) -> dict[str, str]:
    """Word -> canonical rank, for the ranks the vocabulary has."""
    words = {}
    for term in ranks.terms:
        if term.name == UNMAPPED_RANK:
            continue
        for word in (term.name, *term.aliases, *RANK_WORDS.get(term.name, ())):
            words.setdefault(word, term.name)
    return words


def find_rank(text: str, ranks: Vocabulary) -> tuple[tuple[str, str] | None, list[str]]:
    """The one rank the text states for its person, with the words around
    it; none when it states none, or ranks that disagree (a notice of several
    cases, ``由副处级降为正科级``)."""
    words = rank_words(ranks)
    if not words or not text:
        return None, []
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    found = [m for m in pattern.finditer(text) if not _NOT_PERSONAL.search(text[m.end():m.end() + 6])]
    names = list(dict.fromkeys(words[m.group(0)] for m in found))
    if len(names) > 1:
        return None, list(dict.fromkeys(m.group(0) for m in found))
    if not names:
        return None, []
    first = found[0]
    context = re.sub(r"\s+", " ", text[max(0, first.start() - 12):first.end() + 4])
    return (names[0], f"“{first.group(0)}”（“…{context}…”）"), []
