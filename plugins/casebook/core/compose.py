"""Entry text from values: the front matter ``casebook new`` and ``casebook
import`` write, in field order, one value per line, quoted only where YAML
needs it."""

from __future__ import annotations

import re

import yaml

from casebook.core import fields as F
from casebook.core.fields import EntryType
from casebook.core.review import TEMPLATE_BODIES


def entry_text(etype: EntryType, values: dict, body: str | None = None) -> str:
    lines = ["---"]
    for spec in F.FIELDS:  # field order, as in the guide
        if spec.key in values and spec.key != "type":
            lines.append(f"{spec.key}: {_yaml(spec, values[spec.key])}")
    if body is None and "status" not in values:  # the template's hints must be replaced before it is published
        lines.append("status: draft")
    lines += ["---", "", body if body is not None else TEMPLATE_BODIES[etype.key]]
    return "\n".join(lines)


def _yaml(spec: F.Field, value) -> str:
    if spec.kind == F.DATE:
        return str(value)  # unquoted: YYYY, YYYY-MM or YYYY-MM-DD all read back as intended
    return yaml_value(list(value) if spec.is_list else str(value))


def yaml_value(value) -> str:
    """One front-matter value on one line, quoted only when YAML needs it
    (``title: 关于: 冒号`` would not parse; ``'关于: 冒号'`` does)."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1_000_000).strip()
    return re.sub(r"\n\.\.\.$", "", dumped)
