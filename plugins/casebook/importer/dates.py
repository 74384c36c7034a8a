"""The date of a document, only from where a document states its own date:
the signature date at the end, a date line (``日期：…``, ``（2023年6月15日）``
under the title), a year in the title. A year the body merely mentions
(``2019年以来``, ``《2023年工作方案》``) or a Word file's creation time is
not the document's date: it is offered to the reviewer in the note, and the
date is left empty (``casebook check`` then asks for it on its line).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from casebook.importer.structure import Outline, Table

_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_CN_NUMBER = "〇○零一二三四五六七八九十"
# 2023年6月15日, 2023年6月, 2023年 (with the digits already in Arabic form)
_DATE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年(?:\s*([0-9]{1,2})\s*月(?:\s*([0-9]{1,2})\s*[日号])?)?")
_CN_DATE = re.compile(rf"[{_CN_NUMBER}]{{4}}年(?:[{_CN_NUMBER}]{{1,2}}月(?:[{_CN_NUMBER}]{{1,3}}日)?)?")
_ISO_DATE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})[-./]([0-9]{1,2})(?:[-./]([0-9]{1,2}))?(?![0-9])")
# A line that states a date: 日期：…, 时间：…, 成文日期：…, 印发日期：…
_LABEL = re.compile(r"^\s*(?:成文|印发|发文|报送|落款|汇报|形成)?(?:日期|时间)\s*[:：]")
_BRACKETS = "（）()〔〕[]【】 \u3000"
_MENTION = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?=\s*年)")
MAX_DATE_LINE = 40  # characters: a signature or date line is short; a sentence is not
TAIL, HEAD = 3, 3  # closing and opening lines looked at


def chinese_digits(text: str) -> str:
    """二〇二三年六月十五日 -> 2023年6月15日 (dates written out in characters)."""

    def number(chars: str) -> str:
        if "十" not in chars:
            return chars.translate(_CN_DIGITS)
        tens, _, ones = chars.partition("十")
        return str(int(tens.translate(_CN_DIGITS) or 1) * 10 + int(ones.translate(_CN_DIGITS) or 0))

    def convert(match: re.Match) -> str:
        parts = re.split("([年月日])", match.group(0))
        return "".join(number(p) if p and p not in "年月日" else p for p in parts)

    return _CN_DATE.sub(convert, text)


def _iso(year: str, month: str | None, day: str | None) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; "" for a day that does not exist."""
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return ""
    return "-".join([year] + [p.zfill(2) for p in (month, day) if p])


def _date_line(line: str, alone: bool) -> tuple[str, str] | None:
    """(date, the line as written) when the line ends with a date and holds
    nothing else but, unless ``alone``, a short name before it (a signature
    ``市妇联 2023年6月15日``); never a sentence or a heading like ``三、2024年打算``."""
    written = chinese_digits(line.strip())
    if len(written) > MAX_DATE_LINE:
        return None
    for pattern in (_DATE, _ISO_DATE):
        match = pattern.search(written)
        if match and not written[match.end():].strip(_BRACKETS):
            before = written[:match.start()].strip(_BRACKETS)
            if (alone and before) or re.search(r"[。！？；，,;!?、：:]", before) or (before and before[0] in "一二三四五六七八九十"):
                return None
            iso = _iso(*match.groups())
            return (iso, line.strip()) if iso else None
    return None


def _lines(outline: Outline) -> list[str]:
    return [item.text for item in outline.items if not isinstance(item, Table) and item.text.strip()]


def _in_range(date: str, today: dt.date) -> bool:
    return 1949 <= int(date[:4]) <= today.year + 1


def document_date(outline: Outline, today: dt.date) -> tuple[str, str]:
    """(date, how it was found) from the document's own date lines, or a
    year in its title, or ("", "")."""
    date, how = stated_date(outline, today)
    if date:
        return date, how
    title = chinese_digits(outline.title)
    years = [m for m in re.finditer(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])", title) if _in_range(m.group(1), today)]
    if years:
        return years[0].group(1), f"取自标题中的“{years[0].group(1)}”，只有年份；如知道月日请补全"
    return "", ""


def stated_date(outline: Outline, today: dt.date) -> tuple[str, str]:
    """(date, how it was found) only from a line that states the document's
    own date: the signature, a date line, a date under the title. A year in
    the title (``关于2023年…问题的通报``) is what it is about, not when it was issued."""
    lines = _lines(outline)
    for line in lines[-TAIL:][::-1]:  # the signature: a closing line that is a date, alone or after the unit
        found = _date_line(line, alone=False)
        if found and _in_range(found[0], today):
            return found[0], f"取自文末落款“{found[1]}”"
    for line in lines:
        if _LABEL.match(line):
            found = _date_line(_LABEL.sub("", line), alone=True)
            if found and _in_range(found[0], today):
                return found[0], f"取自日期行“{line.strip()}”"
    for line in lines[:HEAD]:  # （2023年6月15日） under the title of a speech
        found = _date_line(line.strip().strip(_BRACKETS), alone=True)
        if found and _in_range(found[0], today):
            return found[0], f"取自标题下的日期行“{line.strip()}”"
    return "", ""


def body_years(outline: Outline, today: dt.date) -> list[tuple[str, int, str]]:
    """Years the text mentions, most often first: (year, times, first context)."""
    text = chinese_digits(outline.plain_text)
    counts = Counter(y for y in _MENTION.findall(text) if _in_range(y, today))
    found = []
    for year, times in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        at = text.find(year + "年") if year + "年" in text else text.find(year)
        found.append((year, times, text[max(0, at - 6):at + 20].replace("\n", " ")))
    return found


def missing_date_note(outline: Outline, year_hint: str, year_hint_reason: str, today: dt.date) -> str:
    """Why the date is empty, and what the text offers as a lead."""
    leads = []
    mentions = body_years(outline, today)
    if mentions:
        year, times, context = mentions[0]
        leads.append(f"正文提到 {year} 年 {times} 次（如“…{context}…”），只是提及，未必是形成年份")
    if year_hint:
        leads.append(f"{year_hint_reason or '文件属性'}：{year_hint} 年，可能是模板的时间")
    lead = "；线索：" + "；".join(leads) if leads else ""
    return ("原文没有写日期（文末落款、日期行、标题中都没有）：请填写材料的形成日期，"
            f"如 2023-06-15、2023-06 或 2023{lead}")
