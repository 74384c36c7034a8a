"""The commonest front-matter mistakes, found line by line before YAML.

YAML reports a full-width colon on the *next* line with a hint about quoting,
and stops at the first error. Editors type Chinese punctuation, so these are
found here first, all at once, each on its own line with the exact fix.
"""

from __future__ import annotations

import re

from casebook.core.fields import FIELD_BY_NAME
from casebook.core.problems import Problem

_KEY_FULLWIDTH_COLON = re.compile(r"^\s*(-\s+)?([^\s:：#'\"\[\]{}][^:：#]*?)\s*：")
_KEY_NO_SPACE = re.compile(r"^\s*([^\s:#'\"\[\]{}][^:#\s]*):(\S)")
_FLOW_LIST = re.compile(r":\s+(\[.*)$")
_OPENERS = {"[": "]", "{": "}"}


def _value_part(line: str) -> str:
    """What follows the first ``key: `` (or the whole line for a list item)."""
    match = re.match(r"^\s*(?:-\s+)?[^:]*?:\s+(.*)$", line)
    return match.group(1) if match else ""


def _strip_comment(value: str) -> str:
    """The value without a trailing ``# comment`` (outside quotes)."""
    quote = None
    for i, ch in enumerate(value):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"" and (i == 0 or value[i - 1] in " [,{"):
            quote = ch
        elif ch == "#" and (i == 0 or value[i - 1] == " "):
            return value[:i].rstrip()
    return value


def _balance(value: str) -> tuple[str | None, str | None]:
    """(an unclosed quote, an unbalanced bracket) in one line's value."""
    quote_open = None
    if value[:1] in "'\"":
        closing = value.rfind(value[0])
        if closing == 0:
            quote_open = value[0]
    depth: list[str] = []
    quote = None
    for ch in value:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"" and not depth and value.index(ch) == 0:
            quote = ch
        elif ch in _OPENERS:
            depth.append(_OPENERS[ch])
        elif ch in "]}":
            if not depth or depth.pop() != ch:
                return quote_open, ch
    return quote_open, (depth[-1] if depth else None)


def prepass(front: str, path: str, first_line: int = 2) -> list[tuple[Problem, bool]]:
    """(problem, fatal) for the front matter ``front`` whose first line is
    line ``first_line`` of the file. A fatal one means YAML would misread the
    file: the caller reports these instead of parsing."""
    problems: list[tuple[Problem, bool]] = []
    lines = front.split("\n")
    for number, line in enumerate(lines, start=first_line):
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        if "\t" in line[: len(line) - len(stripped)] or "\t" in line.split("#")[0]:
            column = line.index("\t") + 1
            problems.append((Problem(path, number, "yaml", f"第 {column} 个字符是 Tab（制表符）",
                                     "把 Tab 改成空格：字段区只能用空格缩进和分隔"), True))
            continue
        colon = _KEY_FULLWIDTH_COLON.match(line)
        if colon and ":" not in line[: colon.end()]:
            key = colon.group(2).strip()
            problems.append((Problem(path, number, "yaml", f"“{key}”后面是全角冒号“：”",
                                     f"把全角冒号“：”改成英文冒号“:”并在其后加空格，写作 {key}: …"), True))
            continue
        no_space = _KEY_NO_SPACE.match(line)
        if no_space and no_space.group(1) in FIELD_BY_NAME:
            key = no_space.group(1)
            problems.append((Problem(path, number, "yaml", f"“{key}:”后面缺少空格",
                                     f"在英文冒号后加一个空格，写作 {key}: {line.split(':', 1)[1].strip()}"), True))
            continue
        value = _strip_comment(_value_part(line))
        if not value:
            continue
        quote, bracket = _balance(value)
        key = line.split(":", 1)[0].strip().lstrip("- ").strip()
        field = "yaml"  # a syntax problem; the message names the key
        if quote:
            problems.append((Problem(path, number, field, f"{key} 的值：引号 {quote} 没有成对",
                                     f"在值的末尾补上 {quote}，或去掉开头的 {quote}"), True))
        elif bracket and not _continues(lines, number - first_line):
            problems.append((Problem(path, number, field, f"{key} 的值：括号没有成对（缺少或多了“{bracket}”）",
                                     "列表写作 [甲, 乙]：左右方括号各一个"), True))
        flow = _FLOW_LIST.search(line)
        if flow and "，" in _strip_comment(flow.group(1)):
            # understood all the same (the items are split), but said
            fixed = _strip_comment(flow.group(1)).replace("，", ", ")
            problems.append((Problem(path, number, key if key in FIELD_BY_NAME else field, "列表中用了全角逗号“，”",
                                     f"把全角逗号“，”改成英文逗号“,”，写作 {key}: {fixed}"), False))
    return problems


def _continues(lines: list[str], index: int) -> bool:
    """Whether a bracket opened on line ``index`` closes on the lines after
    it (a flow list may span lines) before the next key."""
    opened = 0
    for offset, line in enumerate(lines[index:]):
        if offset and re.match(r"^[^\s#-][^:]*:", line):
            break
        opened += line.count("[") + line.count("{") - line.count("]") - line.count("}")
    return opened == 0
