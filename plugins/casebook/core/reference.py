"""Reference tables for the editor guide, generated from the field
definitions and the vocabularies so the guide never drifts from the code.

Docs pages ask for them with a marker such as ``<!-- casebook:fields -->``.
"""

from __future__ import annotations

import html
import re

from casebook.core import fields as F
from casebook.core.vocab import Vocabularies

MARKER = re.compile(r"<!--\s*casebook:([a-z-]+)\s*-->")


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def cell(value: str) -> str:
    """A value from an editor's file as literal text in a Markdown table cell."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(" ".join(str(value).split()), quote=False))


def fields_table() -> str:
    rows = ["| 字段 | 中文写法 | 必填 | 适用类型 | 说明 |", "| --- | --- | --- | --- | --- |"]
    for spec in F.FIELDS:
        types = "全部" if len(spec.types) == len(F.ENTRY_TYPES) else "、".join(
            F.TYPE_BY_KEY[t].label for t in spec.types)
        help_text = spec.help + (f" 例：`{spec.key}: {spec.example}`" if spec.example else "")
        rows.append(f"| `{spec.key}` | `{spec.alias}` | {'是' if spec.required else '否'} | {types} | {help_text} |")
    return "\n".join(rows)


def types_table() -> str:
    rows = ["| type | 中文写法 | 放在文件夹 |", "| --- | --- | --- |"]
    rows += [f"| `{t.key}` | {t.label} | `cases/{t.folder}/` |" for t in F.ENTRY_TYPES]
    return "\n".join(rows)


def vocabulary_table(vocabs: Vocabularies, name: str) -> str:
    vocab = vocabs[name]
    grouped = any(t.group for t in vocab.terms)
    head = "| 名称 | 别名 | 网址名 |" + (" 分组 |" if grouped else "")
    rows = [head, "| --- | --- | --- |" + (" --- |" if grouped else "")]
    for term in vocab.terms:
        row = f"| {cell(term.name)} | {'、'.join(map(cell, term.aliases)) or '—'} | `{term.slug}` |"
        rows.append(row + (f" {cell(term.group)} |" if grouped else ""))
    return "\n".join(rows)


def expand_markers(markdown: str, vocabs: Vocabularies) -> str:
    def replace(match: re.Match) -> str:
        what = match.group(1)
        if what == "fields":
            return fields_table()
        if what == "types":
            return types_table()
        if what in F.VOCABULARIES:
            return vocabulary_table(vocabs, what)
        return match.group(0)

    return MARKER.sub(replace, markdown)
