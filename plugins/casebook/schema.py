"""JSON Schema of the front matter, generated from ``fields.FIELDS``.

Published with the site and wired to the YAML language server, so editors
get completion of keys and vocabulary values. Never edited by hand.
"""

from __future__ import annotations

import json

from . import fields as F
from .vocab import Vocabularies


SCHEMA_URI = "schema/casebook-front-matter.schema.json"  # where the site publishes it


def _value_schema(spec: F.Field, vocabs: Vocabularies | None) -> dict:
    if spec.kind == F.DATE:
        return {"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"}
    if spec.kind == F.CHOICE:
        return {"type": "string", "enum": [*spec.choices, *spec.choice_aliases]}
    names = []
    if spec.vocabulary and vocabs is not None:
        names = [n for t in vocabs[spec.vocabulary].terms for n in (t.name, *t.aliases)]
    item = {"type": "string", "enum": names} if names else {"type": "string"}
    if spec.kind == F.VOCAB:
        return item
    if spec.kind in (F.VOCAB_LIST, F.TEXT_LIST, F.SLUG_LIST):
        listed = {"type": "array", "items": item}
        if spec.required:
            listed["minItems"] = 1
        return {"anyOf": [listed, item]} if spec.kind != F.SLUG_LIST else listed
    return {"type": "string"}


def front_matter_schema(vocabs: Vocabularies | None = None) -> dict:
    properties = {}
    for spec in F.FIELDS:
        value = _value_schema(spec, vocabs)
        doc = {"title": spec.label, "description": spec.help}
        if len(spec.types) < len(F.ENTRY_TYPES):
            doc["description"] += f"（仅{'、'.join(F.TYPE_BY_KEY[t].label for t in spec.types)}）"
        properties[spec.key] = {**doc, **value}
        properties[spec.alias] = {**doc, **value, "description": f"{spec.key} 的中文写法。{doc['description']}"}

    def required_of(type_key):
        # one of key or alias must be present
        return [{"anyOf": [{"required": [f.key]}, {"required": [f.alias]}]}
                for f in F.FIELDS if f.required and f.applies_to(type_key)]

    return {
        "$id": "casebook-front-matter.schema.json",  # no $schema URL: the site must not name outside addresses
        "title": "清廉机关建设案例库条目字段",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "allOf": [
            {"if": {"anyOf": [{"properties": {"type": {"const": "case"}}, "required": ["type"]},
                              {"properties": {"类型": {"const": "警示案例"}}, "required": ["类型"]}]},
             "then": {"allOf": required_of("case")},
             "else": {"allOf": required_of("practice")}},
        ],
    }


def schema_json(vocabs: Vocabularies | None = None) -> str:
    return json.dumps(front_matter_schema(vocabs), ensure_ascii=False, indent=2) + "\n"
