"""Search records: what of an entry is searchable, and its facet values.

A record has three text fields, which decide ranking: the title, the
metadata (type, unit with its aliases and group, date, themes, tags,
violations, outcomes, person, report kind, source, each with aliases) and
the body (summary, lessons, body text). A query matches an entry when every
query word occurs in one of them, after normalisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casebook.core.entry import Entry
from casebook.core import fields as F
from casebook.core.fields import ENTRY_TYPES, UNDATED, EntryType
from casebook.core.text import markdown_to_text
from casebook.core.vocab import Term

FIELDS = ("title", "meta", "body")

_BLANKS = re.compile(r"[ \t\u3000]+")
_LINES = re.compile(r"\s*\n\s*")


@dataclass
class SearchRecord:
    id: int  # position in the library: newest first, so date order is id order
    slug: str
    url: str  # relative to the site root, e.g. practices/<slug>/
    title: str
    date: str
    type: str  # type key
    unit: str  # canonical unit name
    summary: str  # as given by the editor, else empty
    meta: str
    body: str
    facets: dict[str, list[str]] = field(default_factory=dict)  # facet key -> canonical values

    @property
    def texts(self) -> dict[str, str]:
        return {"title": self.title, "meta": self.meta, "body": self.body}

    @property
    def text(self) -> str:
        """All searchable text; fields are separated so no word spans two."""
        return "\n".join((self.title, self.meta, self.body))


def _term_words(terms: list[Term], with_group: bool = False) -> list[str]:
    words: list[str] = []
    for term in terms:
        words.append(term.name)
        words.extend(term.aliases)
        if with_group and term.group:
            words.append(term.group)
    return words


def _year_words(date: str) -> list[str]:
    """The date as written and in Chinese: 2023-06-15, 2023年, 2023年6月, 2023年6月15日."""
    if not date:  # an undated draft, in the preview
        return []
    parts = [int(p) for p in date.split("-")]
    words = [date, f"{parts[0]}年"]
    if len(parts) > 1:
        words.append(f"{parts[0]}年{parts[1]}月")
    if len(parts) > 2:
        words.append(f"{parts[0]}年{parts[1]}月{parts[2]}日")
    return words


def plain_body(markdown: str) -> str:
    text = markdown_to_text(markdown)
    text = "\n".join(_BLANKS.sub(" ", line).strip() for line in _LINES.split(text))
    return text.strip()


def _words(spec: F.Field, value) -> list[str]:
    """The search words of one field's value: a term with its aliases (and
    group), a date also in Chinese, a choice by its Chinese name."""
    if isinstance(value, EntryType):
        return [value.label]
    if isinstance(value, list):
        return [w for item in value for w in _words(spec, item)]
    if isinstance(value, Term):
        return _term_words([value], with_group=spec.search_group)
    if spec.kind == F.DATE:
        return _year_words(value)
    if spec.kind == F.CHOICE:
        return [F.choice_label(spec, value)] if value else []
    return [value] if value else []


def make_record(entry: Entry, number: int) -> SearchRecord:
    # Which text holds a field's words, and its facet, come from the field table.
    meta = [w for spec in F.FIELDS if spec.search == F.META for w in _words(spec, getattr(entry, spec.key))]
    # A summary that is not given is the start of the body: not repeated.
    body = [w for spec in F.FIELDS if spec.search == F.BODY and (spec.key != "summary" or entry.summary_given)
            for w in _words(spec, getattr(entry, spec.key))]
    body.append(plain_body(entry.body))
    facets = {spec.facet_key: F.facet_values(entry, spec) for spec in F.facet_fields(F.FIELDS)}
    return SearchRecord(
        id=number, slug=entry.slug, url=entry.url, title=entry.title, date=entry.date, type=entry.type.key,
        unit=entry.unit.name, summary=entry.summary if entry.summary_given else "",
        meta="\n".join(w for w in meta if w), body="\n".join(b for b in body if b), facets=facets,
    )


def make_records(entries: list[Entry]) -> list[SearchRecord]:
    """``entries`` in library order (newest first)."""
    return [make_record(e, i) for i, e in enumerate(entries)]


TYPE_LABELS = {t.key: t.label for t in ENTRY_TYPES}
