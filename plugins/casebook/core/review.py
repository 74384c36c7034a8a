"""Review that cannot be skipped: what must be gone before an entry is
published.

``casebook import`` marks every guessed value with a 待核对 comment and
``casebook new`` writes a template body of hints; an editor who only deletes
``status: draft`` would publish guesses and hints. A published entry that
still carries them, or whose file name starts with a date other than its
``date``, is a problem on the line concerned.
"""

from __future__ import annotations

import re

from casebook.core.problems import Problem

REVIEW_MARKER = "待核对"  # on every guessed value and review note the importer writes

# The body `casebook new` writes for each type; its hints are HTML comments,
# which do not show on the site, so a forgotten template looks like an empty page.
TEMPLATE_BODIES = {
    "practice": ("## 背景\n\n<!-- 这项做法要解决什么问题，起因是什么。 -->\n\n"
                 "## 主要做法\n\n<!-- 分条写，每条可用“### 一、……”作小标题。 -->\n\n"
                 "## 成效\n\n<!-- 取得的效果，尽量用数字说明。 -->\n"),
    "case": ("## 基本案情\n\n<!-- 脱敏后的经过：谁（用“某局原副局长张某”）、何时、做了什么。 -->\n\n"
             "## 处理结果\n\n<!-- 给予的处分或处理，依据哪些规定。 -->\n\n"
             "## 警示启示\n\n<!-- 从案件中应吸取的教训。 -->\n"),
    "report": "<!-- 在这里写报告正文，小标题写作“## 一、……”。Word 文件可用 casebook import 直接导入。 -->\n",
}
_TEMPLATE_HINTS = {hint for body in TEMPLATE_BODIES.values() for hint in re.findall(r"<!--.*?-->", body)}
_SLUG_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=-|$)")


def slug_date(slug: str) -> tuple[str, ...]:
    """The date parts a file name starts with: ('2023', '06') for 2023-06-x."""
    match = _SLUG_DATE.match(slug)
    return tuple(p for p in match.groups() if p) if match else ()


def date_disagrees(slug: str, date: str) -> bool:
    """Whether the file name's date contradicts ``date`` (a shorter one agrees)."""
    named = slug_date(slug)
    return any(a != b for a, b in zip(named, date.split("-")))


def renamed_slug(slug: str, date: str) -> str:
    """The slug with its leading date replaced by ``date`` as written."""
    match = _SLUG_DATE.match(slug)
    rest = slug[match.end():] if match else "-" + slug
    return date + rest


def _marked_lines(front: str, body: str, body_line: int) -> list[tuple[int, str]]:
    lines = [(n, line) for n, line in enumerate(front.split("\n"), start=2)]
    lines += [(n, line) for n, line in enumerate(body.split("\n"), start=body_line)]
    return [(n, line) for n, line in lines if REVIEW_MARKER in line and ("#" in line or "<!--" in line)]


def review_notes(front: str, body: str, body_line: int) -> list[tuple[int, str]]:
    """(line, text) of what a draft still asks the reviewer to check, for the
    preview's banner."""
    notes = []
    for number, line in _marked_lines(front, body, body_line):
        if "<!--" in line:
            text = line.split("<!--", 1)[1].split("-->", 1)[0].strip()
        else:
            value, _, comment = line.partition(" #") if not line.lstrip().startswith("#") else ("", "", line)
            comment = comment.strip().lstrip("#").strip()
            text = f"{value.strip()}（{comment}）" if value.strip() else comment
        notes.append((number, text))
    return notes


def review_problems(path: str, slug: str, date: str, front: str, body: str, body_line: int) -> list[Problem]:
    """Problems of a published entry that was not (fully) reviewed."""
    problems: list[Problem] = []
    for number, line in _marked_lines(front, body, body_line):
        where = "正文" if number >= body_line else "review"
        problems.append(Problem(path, number, where, f"还有“{REVIEW_MARKER}”的内容，条目未核对完就发布了",
                                f"核对这一处后删去“{REVIEW_MARKER}”注释；还没核对完就保留 status: draft"))
    for hint in _TEMPLATE_HINTS:
        at = body.find(hint)
        if at >= 0:
            number = body_line + body.count("\n", 0, at)
            problems.append(Problem(path, number, "正文", "正文中还有 casebook new 模板的提示，条目内容没有写完",
                                    "把提示换成正文内容；还没写完就保留 status: draft"))
    if date and date_disagrees(slug, date):
        problems.append(Problem(path, 1, "文件名", f"文件名的日期“{'-'.join(slug_date(slug))}”与 date: {date} 不一致",
                                f"运行 casebook rename {path} 改为 {renamed_slug(slug, date)}.md"
                                f"（其他条目中指向它的 related 会一并更新）"))
    return sorted(problems, key=lambda p: p.line)
