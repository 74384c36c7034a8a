"""Entry text from values: the front matter ``casebook new`` and ``casebook
import`` write, in field order, one value per line, quoted only where YAML
needs it."""

from __future__ import annotations

import re

import yaml

from casebook.core.fields import FIELDS, EntryType
from casebook.core.review import TEMPLATE_BODIES

LIST_FIELDS = ("themes", "tags", "violations", "outcomes", "related")


def entry_text(etype: EntryType, values: dict, body: str | None = None) -> str:
    lines = ["---"]
    for spec in FIELDS:  # field order, as in the guide
        if spec.key in values and spec.key != "type":
            lines.append(f"{spec.key}: {_yaml(spec.key, values[spec.key])}")
    if body is None and "status" not in values:  # the template's hints must be replaced before it is published
        lines.append("status: draft")
    lines += ["---", "", body if body is not None else TEMPLATE_BODIES[etype.key]]
    return "\n".join(lines)


def _yaml(key: str, value) -> str:
    if key in ("date", "issued_on"):
        return str(value)  # unquoted: YYYY, YYYY-MM or YYYY-MM-DD all read back as intended
    return yaml_value(list(value) if key in LIST_FIELDS else str(value))


def yaml_value(value) -> str:
    """One front-matter value on one line, quoted only when YAML needs it
    (``title: 关于: 冒号`` would not parse; ``'关于: 冒号'`` does)."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1_000_000).strip()
    return re.sub(r"\n\.\.\.$", "", dumped)
