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

from casebook.core.entry import Entry
from casebook.core.fields import ENTRY_TYPES
from casebook.core.htmlsafe import sanitise_html, text_and_headings
from casebook.core.text import default_renderer
from casebook.core.vocab import Term

FIELDS = ("title", "meta", "body", "aliases")
ALIAS = "别名"  # kinds of alias, as the result card names them
GROUP = "所属分组"
DATE = "日期"


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


UNDATED = "日期待填写"  # the year facet of an undated draft (the local preview only)


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


def make_record(entry: Entry, number: int, body_html: BodyHtml) -> SearchRecord:
    meta = [entry.type.label, entry.unit.name, entry.date, *(t.name for t in entry.themes), *entry.tags,
            *(v.name for v in entry.violations), *(o.name for o in entry.outcomes), entry.person,
            entry.report_kind, entry.source]
    aliases = [*_alias_terms([entry.unit], with_group=True), *((w, entry.date, DATE) for w in _year_words(entry.date)[1:]),
               *_alias_terms(entry.themes), *_alias_terms(entry.violations), *_alias_terms(entry.outcomes, with_group=True)]
    text, headings = text_and_headings(body_html(entry))
    # A summary that is not given is the start of the body: not repeated.
    before = [b for b in (entry.summary if entry.summary_given else "", entry.lessons) if b]
    shift = sum(len(b) + 1 for b in before)
    body = [*before, text]
    facets = {
        "type": [entry.type.key],
        "unit": [entry.unit.name],
        "themes": [t.name for t in entry.themes],
        "year": [entry.year or UNDATED],  # one value per entry: the year column has one cell each
        "violations": [v.name for v in entry.violations],
        "outcomes": [o.name for o in entry.outcomes],
        "rank": [entry.rank.name] if entry.rank else [],
    }
    return SearchRecord(
        id=number, slug=entry.slug, url=entry.url, title=entry.title, date=entry.date, type=entry.type.key,
        unit=entry.unit.name, summary=entry.summary if entry.summary_given else "",
        meta="\n".join(w for w in meta if w), body="\n".join(b for b in body if b), facets=facets,
        alias_terms=list(dict.fromkeys(aliases)), headings=[(at + shift, hid, title) for at, hid, title in headings],
    )


def make_records(entries: list[Entry], body_html: BodyHtml | None = None) -> list[SearchRecord]:
    """``entries`` in library order (newest first); ``body_html`` gives each
    body as the site renders it (by default rendered here, all with one
    Markdown instance)."""
    body_html = body_html or site_body_html()
    return [make_record(e, i, body_html) for i, e in enumerate(entries)]


TYPE_LABELS = {t.key: t.label for t in ENTRY_TYPES}
