"""Adding a field is one edit of ``fields.FIELDS``: a field added to the
table (here monkeypatched, as a new ``Field(...)`` line would be) reaches
the entry reader, the schema, the guide, ``casebook new`` (flag, question,
entry text), the entry panel and the search record without any other edit."""

from __future__ import annotations

import pytest
from casebook.commands import newentry
from casebook.commands.cli import main
from casebook.core import fields as F
from casebook.core.library import load_library
from casebook.core.reference import fields_table
from casebook.core.schema import front_matter_schema
from casebook.core.site import plan_site
from casebook.core.vocab import load_vocabularies
from casebook.search.records import make_record, site_body_html
from libtools import GOOD_PRACTICE, make_library, write_entry

LEVEL = F.Field("level", "层级", "层级", F.CHOICE, "市级或区级。", choices=("市级", "区级"), example="市级",
                facet=F.Facet("level", "层级", 8), panel=F.Panel(15), search=F.META, ask=11)


@pytest.fixture
def with_level(monkeypatch):
    fields = (*F.FIELDS, LEVEL)
    monkeypatch.setattr(F, "FIELDS", fields)
    # the table's own indexes, as fields.py derives them from FIELDS on import
    monkeypatch.setattr(F, "FIELD_BY_KEY", {f.key: f for f in fields})
    monkeypatch.setattr(F, "FIELD_BY_NAME", {**{f.key: f for f in fields}, **{f.alias: f for f in fields}})
    monkeypatch.setattr(F, "SEARCH_FACETS", F.search_facets(fields))
    return LEVEL


@pytest.fixture
def lib(tmp_path):
    make_library(tmp_path)
    return tmp_path


def with_line(line: str) -> str:
    return GOOD_PRACTICE.replace("---\n", f"---\n{line}\n", 1)


def test_the_sample_table_has_no_level_field():
    assert "level" not in F.FIELD_BY_KEY  # the fixture, not the table, adds it


def test_a_new_field_is_read_checked_panelled_and_searched(with_level, lib):
    write_entry(lib, "practices/a.md", with_line("层级: 区级"))  # by its Chinese key
    write_entry(lib, "practices/b.md", with_line("level: 省级"))
    write_entry(lib, "practices/c.md", GOOD_PRACTICE)
    library = load_library(lib)
    [bad] = library.problems
    assert (bad.path, bad.field, bad.line) == ("cases/practices/b.md", "level", 2)
    assert "层级“省级”不是可选值" in bad.message and "市级、区级" in bad.suggestion
    entries = library.by_slug()
    assert entries["a"].level == "区级" and entries["c"].level == ""

    row = next(r for r in plan_site(library).entries["a"].panel if r.key == "level")
    assert row.label == "层级" and [v.text for v in row.links] == ["区级"]
    assert row.links[0].search == "level=%E5%8C%BA%E7%BA%A7" and row.links[0].search_title == "搜索层级为“区级”的全部条目"
    assert [r.key for r in plan_site(library).entries["c"].panel if r.key == "level"] == []

    body_html = site_body_html()
    record = make_record(entries["a"], 0, body_html)
    assert "区级" in record.meta.split("\n")
    assert record.facets["level"] == ["区级"] and list(record.facets)[-1] == "level"
    assert make_record(entries["c"], 1, body_html).facets["level"] == []


def test_a_new_field_is_in_the_schema_and_the_guide(with_level):
    schema = front_matter_schema()
    assert schema["properties"]["level"]["enum"] == ["市级", "区级"]
    assert schema["properties"]["层级"]["title"] == "层级"
    assert "| `level` | `层级` | 否 | 全部 | 市级或区级。 例：`level: 市级` |" in fields_table()


def test_casebook_new_offers_a_new_field_as_flag_and_question(with_level, lib, monkeypatch, capsys):
    monkeypatch.chdir(lib)
    monkeypatch.setattr(newentry, "is_interactive", lambda: False)
    args = ["--root", str(lib), "new", "practice", "--title", "标题", "--unit", "市妇联", "--date", "2023-06",
            "--themes", "家风建设", "--slug", "x"]
    assert main([*args, "--level", "区级"]) == 0
    assert "\nlevel: 区级\n" in (lib / "cases" / "practices" / "x.md").read_text(encoding="utf-8")
    assert main([*args, "--slug", "y", "--level", "省级"]) == 2
    assert "--level：层级“省级”不是可选值" in capsys.readouterr().err

    class Asked:
        def __init__(self):
            self.questions = []

        def select(self, message, choices):
            self.questions.append((message, choices))
            return choices[-1]

        def text(self, message, **kwargs):
            self.questions.append((message, None))
            return ""

    vocabs, _ = load_vocabularies(lib / "cases", lib)
    prompter = Asked()
    given = {"title": "标题", "unit": "市妇联", "date": "2023", "themes": ["家风建设"]}
    answers = newentry.ask_missing(prompter, F.TYPE_BY_KEY["practice"], given, vocabs)
    assert ("层级：", ["市级", "区级"]) in prompter.questions
    assert answers == {"level": "区级"}
