"""Clean-up of pasted and scraped text, every change counted for the report.

Only artefacts go: scrape markers, zero-width characters, spaces at line
ends. ASCII punctuation inside Chinese text becomes its full-width form
where that cannot change meaning (never between digits: ``1,500`` ``8:30``
stay). No rule removes a word or a sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from casebook.importer.model import Block

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "，。、；：？！“”‘’（）《》【】「」—…"
_CJK_OR_PUNCT = f"[{_CJK}{_CJK_PUNCT}]"

# (key, description, pattern, replacement); keys order the report.
_MARKER = re.compile(r"##[A-Za-z]{2,20}##")
_ENTITY = re.compile(r"&(?:nbsp|ensp|emsp|#160|#12288);")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_EDGE_SPACE = "\u0020\t\u00a0\u3000\u2002\u2003\u2009"
_COMMA = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}]),[ \t]*|(?<![\d]),[ \t]*(?=[{_CJK}“‘（《])")
_SEMICOLON = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}]);[ \t]*|;[ \t]*(?=[{_CJK}“‘（《])")
_COLON = re.compile(rf"(?<=[{_CJK}”）》]):(?!//)[ \t]*")
_QUESTION = re.compile(rf"(?<=[{_CJK}”）])\?")
_BANG = re.compile(rf"(?<=[{_CJK}”）])!(?!\[)")
_PARENS = re.compile(r"(?<!\])\(([^()\n]{0,60})\)")
_DQUOTES = re.compile(rf'"([^"\n]*[{_CJK}][^"\n]*)"')
_SQUOTES = re.compile(rf"'([^'\n]*[{_CJK}][^'\n]*)'")
_ELLIPSIS = re.compile(rf"(?<=[{_CJK}”）])(?:\.{{3,}}|。{{3,}})")
_DASH = re.compile("－－|(?<=[\u4e00-\u9fff])--(?=[\u4e00-\u9fff])")

DESCRIPTIONS = {
    "marker": "删除抓取残留标记（如 ##paidbegin##、##paidend##）",
    "entity": "网页空格代码（&nbsp; 等）改为空格",
    "zero_width": "删除不可见的零宽字符",
    "trailing": "删除行尾空格（含全角空格）",
    "leading": "删除段首空格和全角缩进",
    "comma": "中文里的英文逗号 , 改为 ，",
    "semicolon": "中文里的英文分号 ; 改为 ；",
    "colon": "中文里的英文冒号 : 改为 ：",
    "question": "中文里的英文问号 ? 改为 ？",
    "bang": "中文里的英文叹号 ! 改为 ！",
    "parens": "中文里的英文括号 ( ) 改为 （ ）",
    "dquotes": "中文里的英文双引号 \" \" 改为 “ ”",
    "squotes": "中文里的英文单引号 ' ' 改为 ‘ ’",
    "ellipsis": "英文省略号 ...... 改为 ……",
    "dash": "破折号 －－ 改为 ——",
}


@dataclass
class CleanupReport:
    counts: Counter = field(default_factory=Counter)
    markers: list[str] = field(default_factory=list)  # the markers removed, as written

    def lines(self) -> list[str]:
        """One Chinese line per kind of change, in a fixed order."""
        result = []
        for key, text in DESCRIPTIONS.items():
            if self.counts[key]:
                extra = f"：{'、'.join(dict.fromkeys(self.markers))}" if key == "marker" else ""
                result.append(f"{text} {self.counts[key]} 处{extra}")
        return result

    def summary(self) -> str:
        return "；".join(self.lines()) or "无需清理"

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def clean_blocks(blocks: list[Block], markdown: bool = False) -> tuple[list[Block], CleanupReport]:
    """Cleaned copies of the blocks; blocks left empty (a marker alone on a line) are gone."""
    report = CleanupReport()
    cleaned = []
    for block in blocks:
        text = clean_text(block.text, report, markdown)
        rows = [[clean_text(cell, report, markdown) for cell in row] for row in block.rows]
        if text or any(any(cell for cell in row) for row in rows):
            cleaned.append(Block(text, block.kind, block.level, rows, block.is_title))
    return cleaned, report


def clean_text(text: str, report: CleanupReport, markdown: bool = False) -> str:
    lines = [_clean_line(line, report, markdown) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _clean_line(line: str, report: CleanupReport, markdown: bool) -> str:
    def sub(key: str, pattern: re.Pattern, repl, text: str) -> str:
        changed = 0

        def replace(match: re.Match) -> str:
            nonlocal changed
            new = repl(match) if callable(repl) else match.expand(repl)
            changed += new != match.group(0)
            return new

        text = pattern.sub(replace, text)
        report.counts[key] += changed
        return text

    report.markers.extend(m.group(0) for m in _MARKER.finditer(line))
    line = sub("marker", _MARKER, "", line)
    line = sub("entity", _ENTITY, " ", line)
    line = sub("zero_width", _ZERO_WIDTH, "", line)
    stripped = line.rstrip(_EDGE_SPACE)
    if stripped != line and stripped:
        report.counts["trailing"] += 1
    line = stripped
    stripped = line.lstrip(_EDGE_SPACE)
    if stripped != line and not (markdown and line.startswith("    ")):  # Markdown indentation is syntax
        report.counts["leading"] += 1
        line = stripped
    if not line:
        return ""
    line = sub("comma", _COMMA, "，", line)
    line = sub("semicolon", _SEMICOLON, "；", line)
    line = sub("colon", _COLON, "：", line)
    line = sub("question", _QUESTION, "？", line)
    line = sub("bang", _BANG, "！", line)
    line = sub("parens", _PARENS, _full_width_parens, line)
    line = sub("dquotes", _DQUOTES, r"“\1”", line)
    line = sub("squotes", _SQUOTES, r"‘\1’", line)
    line = sub("ellipsis", _ELLIPSIS, "……", line)
    line = sub("dash", _DASH, "——", line)
    return line


def _full_width_parens(match: re.Match) -> str:
    inner = match.group(1)
    before = match.string[match.start() - 1] if match.start() else ""
    if re.search(f"[{_CJK}]", inner) or (before and re.match(_CJK_OR_PUNCT, before)):
        return f"（{inner}）"
    return match.group(0)
