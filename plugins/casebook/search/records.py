"""Search records: what of an entry is searchable, and its facet values.

A record has four text fields, which decide ranking: the title, the
metadata (type, unit, date, themes, tags, violations, outcomes, person,
report kind, source, by the names the entry shows), the body (summary,
lessons, body text) and the aliases (other names of the unit, themes,
violations and outcomes, their groups, the date in Chinese words). A query
matches an entry when every query word occurs in one of them, after
normalisation; an entry whose own text (title, metadata, body) holds every
word ranks above one found only through aliases.

The body text is read from the body as the site renders it (Markdown with
the site's extensions, sanitised), so admonitions, tables and entities read
as text, with the ids its headings have on the entry page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from casebook.core import fields as F
from casebook.core.entry import Entry
from casebook.core.fields import ENTRY_TYPES, EntryType
from casebook.core.htmlsafe import sanitise_html, text_and_headings
from casebook.core.text import default_renderer
from casebook.core.vocab import Term

FIELDS = ("title", "meta", "body", "aliases")
ALIAS = "别名"  # kinds of alias, as the result card names them
GROUP = "所属分组"
DATE = "日期"


@dataclass
class SearchRecord:
    id: int  # position in the library when made (newest first); the index writer reads records by place
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
    # (word, the name it stands for, kind): what the aliases field is made of
    alias_terms: list[tuple[str, str, str]] = field(default_factory=list)
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # (offset in body, id, text)

    @property
    def aliases(self) -> str:
        return "\n".join(word for word, _, _ in self.alias_terms)

    @property
    def texts(self) -> dict[str, str]:
        return {"title": self.title, "meta": self.meta, "body": self.body, "aliases": self.aliases}

    @property
    def own_text(self) -> str:
        """What the entry itself says (no aliases); fields separated so no word spans two."""
        return "\n".join((self.title, self.meta, self.body))

    @property
    def text(self) -> str:
        """All searchable text; fields are separated so no word spans two."""
        return "\n".join((self.title, self.meta, self.body, self.aliases))


def _alias_terms(terms: list[Term], with_group: bool = False) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for term in terms:
        found.extend((alias, term.name, ALIAS) for alias in term.aliases)
        if with_group and term.group:
            found.append((term.group, term.name, GROUP))
    return found


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


BodyHtml = Callable[[Entry], str]  # an entry's body as the site renders it, sanitised


def site_body_html(render: Callable[[str], str] | None = None) -> BodyHtml:
    """Bodies rendered by ``render`` (one Markdown instance for all), sanitised."""
    render = render or default_renderer()
    return lambda entry: sanitise_html(render(entry.body))


Alias = tuple[str, str, str]  # (the word, the name it stands for, ALIAS / GROUP / DATE)


def _words(spec: F.Field, value) -> tuple[list[str], list[Alias]]:
    """The search words of one field's value: its own words (a term's name,
    the date as written, a choice by its Chinese name, the text) and the
    words that only stand for it (a term's aliases and group, the date in
    Chinese), which rank below an entry's own text."""
    if isinstance(value, EntryType):
        return [value.label], []
    if isinstance(value, list):
        own: list[str] = []
        aliases: list[Alias] = []
        for item in value:
            o, a = _words(spec, item)
            own += o
            aliases += a
        return own, aliases
    if isinstance(value, Term):
        return [value.name], _alias_terms([value], with_group=spec.search_group)
    if spec.kind == F.DATE:
        words = _year_words(value)
        return words[:1], [(w, value, DATE) for w in words[1:]]
    if spec.kind == F.CHOICE:
        return ([F.choice_label(spec, value)] if value else []), []
    return ([value] if value else []), []


BodyText = Callable[[str], tuple[str, list]]  # sanitised HTML -> (text, headings), htmlsafe.text_and_headings


def make_record(entry: Entry, number: int, body_html: BodyHtml,
                read: BodyText = text_and_headings) -> SearchRecord:
    # Which text holds a field's words, and its facet, come from the field table.
    meta: list[str] = []
    aliases: list[Alias] = []
    before: list[str] = []  # the body fields before the body's own text
    for spec in F.FIELDS:
        if spec.search not in (F.META, F.BODY) or (spec.key == "summary" and not entry.summary_given):
            continue  # a summary that is not given is the start of the body: not repeated
        own, stands_for = _words(spec, getattr(entry, spec.key))
        (meta if spec.search == F.META else before).extend(w for w in own if w)
        aliases += stands_for
    text, headings = read(body_html(entry))
    shift = sum(len(b) + 1 for b in before)
    body = [*before, text]
    facets = {spec.facet_key: F.facet_values(entry, spec) for spec in F.facet_fields(F.FIELDS)}
    return SearchRecord(
        id=number, slug=entry.slug, url=entry.url, title=entry.title, date=entry.date, type=entry.type.key,
        unit=entry.unit.name, summary=entry.summary if entry.summary_given else "",
        meta="\n".join(w for w in meta if w), body="\n".join(b for b in body if b), facets=facets,
        alias_terms=list(dict.fromkeys(aliases)), headings=[(at + shift, hid, title) for at, hid, title in headings],
    )


def make_records(entries: list[Entry], body_html: BodyHtml | None = None,
                 read: BodyText = text_and_headings) -> list[SearchRecord]:
    """``entries`` in library order (newest first); ``body_html`` gives each
    body as the site renders it (by default rendered here, all with one
    Markdown instance); ``read``: its text and headings (the preview keeps
    those of bodies that did not change)."""
    body_html = body_html or site_body_html()
    return [make_record(e, i, body_html, read) for i, e in enumerate(entries)]


TYPE_LABELS = {t.key: t.label for t in ENTRY_TYPES}
