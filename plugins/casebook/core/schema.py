"""JSON Schemas of the front matter, generated from ``fields.FIELDS``.

Published with the site and wired to the YAML language server, so editors
get completion of keys and values and see mistakes as they type. They say
what ``casebook check`` says about the front matter (a test runs both over
every sample and broken entry): one schema per type folder, because the
folder decides the type and so the required and allowed fields; value
kinds, length limits, real calendar dates in the accepted range, known
vocabulary values and known ``related`` names. What no schema can see (file
names, the body, comments, and a year after next year, which depends on the
day of the check: the schema is the same whenever it is built) only
``check`` tells. Never edited by hand.
"""

from __future__ import annotations

import functools
import json
import re

from casebook.core import fields as F
from casebook.core.entry import _LIST_SPLIT, FIRST_YEAR
from casebook.core.vocab import Vocabularies

SCHEMA_URI = "schema/casebook-front-matter.schema.json"  # any folder: the type decides
SCHEMA_DIR = "schema"


def type_schema_uri(etype: F.EntryType) -> str:
    return f"{SCHEMA_DIR}/casebook-{etype.folder}.schema.json"


_SCALAR_TEXT = ["string", "number", "boolean"]  # check reads any scalar as its text
LAST_YEAR = 2099  # fixed, so two builds on different days give the same schema


def _alternation(words) -> str:
    return _alternation_of(tuple(words))


@functools.lru_cache(maxsize=16)  # the four schemas share theirs (10,000 entry names: 0.1 s each)
def _alternation_of(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))  # stable: no set order


def _date_schema(last_year: int) -> dict:
    years = range(FIRST_YEAR, last_year + 1)
    year = f"(?:{'|'.join(map(str, years))})"
    leap = f"(?:{'|'.join(str(y) for y in years if y % 4 == 0 and (y % 100 or y % 400 == 0))})"
    day = (r"(?:0?[13578]|1[02])-(?:0?[1-9]|[12]\d|3[01])|(?:0?[469]|11)-(?:0?[1-9]|[12]\d|30)"
           r"|0?2-(?:0?[1-9]|1\d|2[0-8])")
    text = f"^(?:{year}(?:-(?:0?[1-9]|1[0-2]))?|{year}-(?:{day})|{leap}-0?2-29)$"
    return {"anyOf": [{"type": "string", "pattern": text},
                      {"type": "integer", "minimum": FIRST_YEAR, "maximum": last_year}]}


def _list_of(item: dict, spec: F.Field, names: list[str] | None) -> dict:
    """A YAML list, or one line split at 、，,；; as check splits it."""
    listed = {"type": "array", "items": item, "maxItems": spec.max_items}
    if spec.required:
        listed["minItems"] = 1
    line = {"type": _SCALAR_TEXT if names is None else "string"}
    if names is not None:
        word = f"(?:{_alternation(names)})" if names else "(?!)"
        line["pattern"] = rf"^\s*{word}(?:\s*{_LIST_SPLIT.pattern}\s*{word})*\s*$"
    return {"anyOf": [listed, line]}


def _value_schema(spec: F.Field, vocabs: Vocabularies | None, slugs: list[str] | None, last_year: int,
                  etype: F.EntryType | None) -> dict:
    if spec.kind == F.DATE:
        return _date_schema(last_year)
    if spec.kind == F.CHOICE:
        if spec.key == "type" and etype is not None:  # the folder decides
            return {"type": "string", "enum": [etype.key, etype.label]}
        return {"type": "string", "enum": [*spec.choices, *spec.choice_aliases]}
    if spec.kind in (F.VOCAB, F.VOCAB_LIST):
        names = [n for t in vocabs[spec.vocabulary].terms for n in (t.name, *t.aliases)] if vocabs else None
        item = {"type": "string", "enum": names} if names is not None else {"type": "string"}
        return item if spec.kind == F.VOCAB else _list_of(item, spec, names)
    if spec.kind == F.SLUG_LIST:
        item = {"type": "string", "enum": list(slugs)} if slugs is not None else {"type": "string"}
        return _list_of(item, spec, slugs)
    if spec.kind == F.TEXT_LIST:
        return _list_of({"type": _SCALAR_TEXT, "maxLength": spec.max_length}, spec, None)
    text = {"type": _SCALAR_TEXT, "maxLength": spec.max_length}
    if spec.required:
        text["pattern"] = r"\S"  # not empty
    return text


def _required(spec: F.Field) -> dict:
    return {"anyOf": [{"required": [spec.key]}, {"required": [spec.alias]}]}


def front_matter_schema(vocabs: Vocabularies | None = None, etype: F.EntryType | None = None,
                        slugs: list[str] | None = None) -> dict:
    """The schema for entries of ``etype`` (its folder), or for any folder
    (the ``type`` field then decides) when ``etype`` is None."""
    last_year = LAST_YEAR
    specs = [s for s in F.FIELDS if etype is None or s.applies_to(etype.key)]
    properties = {}
    for spec in specs:
        value = _value_schema(spec, vocabs, slugs, last_year, etype)
        doc = {"title": spec.label, "description": spec.help}
        if len(spec.types) < len(F.ENTRY_TYPES):
            doc["description"] += f"（仅{'、'.join(F.TYPE_BY_KEY[t].label for t in spec.types)}）"
        properties[spec.key] = {**doc, **value}
        properties[spec.alias] = {**doc, **value, "description": f"{spec.key} 的中文写法。{doc['description']}"}
    # a field once: as its key or as its alias, never both
    once = [{"not": {"required": [s.key, s.alias]}} for s in specs]
    schema = {
        "$id": f"casebook-{etype.folder if etype else 'front-matter'}.schema.json",  # no $schema URL: nothing outside
        "title": "清廉机关建设案例库条目字段" + (f"（{etype.label}）" if etype else ""),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if etype is not None:
        schema["allOf"] = [*once, *(_required(s) for s in specs if s.required)]
        return schema

    def typed(t: F.EntryType) -> dict:
        return {"anyOf": [{"properties": {"type": {"enum": [t.key, t.label]}}, "required": ["type"]},
                          {"properties": {"类型": {"enum": [t.key, t.label]}}, "required": ["类型"]}]}

    rules = []
    for t in F.ENTRY_TYPES:
        own = [s for s in F.FIELDS if s.applies_to(t.key)]
        foreign = [n for s in F.FIELDS if not s.applies_to(t.key) for n in (s.key, s.alias)]
        rules.append({"if": typed(t), "then": {"allOf": [*(_required(s) for s in own if s.required),
                                                         {"not": {"anyOf": [{"required": [n]} for n in foreign]}}]}})
    common = [s for s in F.FIELDS if len(s.types) == len(F.ENTRY_TYPES)]
    schema["allOf"] = [*once, *(_required(s) for s in common if s.required), *rules]
    return schema


def schema_json(vocabs: Vocabularies | None = None, etype: F.EntryType | None = None,
                slugs: list[str] | None = None) -> str:
    return _indented(front_matter_schema(vocabs, etype, slugs)) + "\n"


_LONG = 50  # a list of more plain strings than this is written on one line


def _indented(schema: dict) -> str:
    """Indented JSON, except that a long list of strings (the entry names
    ``related`` may use) is written on one line: the C encoder writes that
    line, where the indenting one, in Python, takes a quarter of a second
    for the four schemas at 10,000 entries (the preview makes them again
    whenever an entry comes or goes)."""
    long_lists: list[list[str]] = []

    def swap(value):
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            if len(value) > _LONG and all(isinstance(v, str) for v in value):
                long_lists.append(value)
                return f"\0{len(long_lists) - 1}"  # no schema string holds a NUL
            return [swap(v) for v in value]
        return value

    text = json.dumps(swap(schema), ensure_ascii=False, indent=2)
    return re.sub(r'"\\u0000(\d+)"', lambda m: json.dumps(long_lists[int(m.group(1))], ensure_ascii=False), text)


def all_schemas(vocabs: Vocabularies | None, slugs: list[str] | None) -> dict[str, str]:
    """Site path -> schema text: the any-folder one and one per type folder."""
    found = {SCHEMA_URI: schema_json(vocabs, None, slugs)}
    for etype in F.ENTRY_TYPES:
        found[type_schema_uri(etype)] = schema_json(vocabs, etype, slugs)
    return found
