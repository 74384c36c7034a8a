"""The fields of a published discipline notice: 职级 (a vocabulary),
通报机关, 通报日期 (checked like ``date``), violations grouped by the six
disciplines, and the browse pages for violations, outcomes and ranks."""

from __future__ import annotations

import json

import pytest
from casebook.core.fields import FIELD_BY_KEY
from casebook.core.library import load_library
from casebook.core.reference import expand_markers, fields_table
from casebook.core.schema import front_matter_schema
from casebook.core.site import plan_site
from conftest import ROOT
from libtools import GOOD_CASE, GOOD_PRACTICE, make_library, write_entry

RANKS = """\
- name: 省部级
  slug: sheng-bu-ji
- name: 乡科级
  aliases: [科级]
  slug: xiang-ke-ji
"""
NOTICE = "rank: 科级\nissued_by: 市纪委监委\nissued_on: 2022-04-02\n"


@pytest.fixture
def lib(tmp_path):
    make_library(tmp_path)
    (tmp_path / "cases" / "ranks.yml").write_text(RANKS, encoding="utf-8")
    return tmp_path


def case_with(extra: str) -> str:
    return GOOD_CASE.replace("person:", extra + "person:", 1)


def test_a_case_carries_rank_issuing_body_and_notice_date(lib):
    write_entry(lib, "warnings/a.md", case_with(NOTICE))
    library = load_library(lib)
    assert library.problems == []
    case = library.entries[0]
    assert (case.rank.name, case.issued_by, case.issued_on, case.date) == ("乡科级", "市纪委监委", "2022-04-02", "2022-03")


def test_chinese_keys_work_too(lib):
    write_entry(lib, "warnings/a.md", case_with("职级: 省部级\n通报机关: 省纪委监委\n通报日期: 2022-4\n"))
    case = load_library(lib).entries[0]
    assert (case.rank.name, case.issued_by, case.issued_on) == ("省部级", "省纪委监委", "2022-04")


@pytest.mark.parametrize("extra, line_key, words", [
    ("rank: 处级\n", "rank", ["未知职级“处级”"]),
    ("rank: [科级, 省部级]\n", "rank", ["只能写一个"]),
    ("issued_on: 2022年4月\n", "issued_on", ["通报日期“2022年4月”格式不对", "可改为 2022-04"]),
    ("issued_on: 2022-02-30\n", "issued_on", ["通报日期“2022-02-30”不存在"]),
    ("issued_on: 1900-01-01\n", "issued_on", ["年份 1900 不在合理范围内"]),
    ("issued_on: [2022]\n", "issued_on", ["通报日期应写作一个日期"]),
    ("issued_by: [甲, 乙]\n", "issued_by", ["通报机关应为一段文字"]),
])
def test_bad_notice_fields_are_named_with_file_line_and_field(lib, extra, line_key, words):
    write_entry(lib, "warnings/a.md", case_with(extra))
    library = load_library(lib)
    assert library.entries == []  # refused, not published with a wrong value
    problem = next(p for p in library.problems if p.field == line_key)
    text = problem.format()
    assert problem.path == "cases/warnings/a.md" and problem.line == GOOD_CASE.split("\n").index(
        next(line for line in GOOD_CASE.split("\n") if line.startswith("person:"))) + 1
    for word in words:
        assert word in text, text


def test_notice_fields_on_a_practice_are_flagged(lib):
    write_entry(lib, "practices/a.md", GOOD_PRACTICE.replace("tags:", "issued_by: 市纪委\ntags:"))
    problems = load_library(lib).problems
    assert [(p.field, "只适用于警示案例" in p.message) for p in problems] == [("issued_by", True)]


def test_a_library_without_ranks_file_stays_valid(tmp_path):
    make_library(tmp_path)  # four vocabularies, as before ranks existed
    write_entry(tmp_path, "warnings/a.md", GOOD_CASE)
    assert load_library(tmp_path).problems == []
    write_entry(tmp_path, "warnings/b.md", case_with("rank: 乡科级\n"))
    problem = next(p for p in load_library(tmp_path).problems if p.path.endswith("b.md"))
    assert "未知职级" in problem.message and "cases/ranks.yml" in problem.suggestion


def test_every_sample_entry_stays_valid_and_some_cases_carry_the_notice():
    library = load_library(ROOT, include_drafts=False)
    assert library.problems == []
    cases = [e for e in library.entries if e.type.key == "case"]
    noticed = [e for e in cases if e.rank and e.issued_by and e.issued_on]
    assert 3 <= len(noticed) < len(cases)  # some with the notice, some without
    assert all(e.issued_on[:7] >= e.date[:7] for e in noticed)


def test_the_six_disciplines_group_the_violations():
    library = load_library(ROOT)
    groups = library.vocabs["violations"].groups()
    assert groups[:6] == ["政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律"]
    by_name = {t.name: t.group for t in library.vocabs["violations"].terms}
    for discipline in groups[:6]:
        assert by_name[f"违反{discipline}"] == discipline
    assert [t.name for t in library.vocabs["ranks"].terms] == ["省部级", "厅局级", "县处级", "乡科级", "其他"]


def test_schema_and_guide_follow_the_field_table(lib):
    library = load_library(lib)
    schema = front_matter_schema(library.vocabs)
    assert schema["properties"]["rank"]["enum"] == ["省部级", "乡科级", "科级"]
    assert schema["properties"]["职级"]["enum"] == schema["properties"]["rank"]["enum"]
    # the notice date is checked like date: the same rule, in the schema too
    assert schema["properties"]["issued_on"]["anyOf"] == schema["properties"]["date"]["anyOf"]
    assert schema["properties"]["通报日期"]["anyOf"] == schema["properties"]["date"]["anyOf"]
    table = fields_table()
    for key in ("rank", "issued_by", "issued_on"):
        assert f"`{key}` | `{FIELD_BY_KEY[key].alias}`" in table
    assert "乡科级" in expand_markers("<!-- casebook:ranks -->", library.vocabs)
    json.dumps(schema)


def test_browse_pages_for_violations_outcomes_and_ranks_with_counts(lib):
    write_entry(lib, "warnings/a.md", case_with(NOTICE))
    write_entry(lib, "warnings/b.md", GOOD_CASE.replace("violations: [违反廉洁纪律]", "violations: [违反八项规定]"))
    library = load_library(lib)
    plan = plan_site(library)
    uris = {p.src_uri for p in plan.pages}
    for uri in ("violations/index.md", "outcomes/index.md", "ranks/index.md", "violations/wei-fan-lian-jie-ji-lv/index.md",
                "violations/ba-xiang-gui-ding/index.md", "outcomes/jing-gao/index.md", "ranks/xiang-ke-ji/index.md"):
        assert uri in uris, uri
    counts = {t.slug: t.count for t in plan.taxonomy.violations}
    assert counts == {"wei-fan-lian-jie-ji-lv": 1, "ba-xiang-gui-ding": 1}
    assert {t.slug: t.count for t in plan.taxonomy.ranks} == {"sheng-bu-ji": 0, "xiang-ke-ji": 1}
    panel = {row.key: row for row in plan.entries["a"].panel}
    assert panel["rank"].links[0].url == "ranks/xiang-ke-ji/"
    assert panel["issued_on"].links[0].text == "2022年4月2日"
    assert panel["issued_on"].links[0].datetime == "2022-04-02"
    assert panel["violations"].links[0].url == "violations/wei-fan-lian-jie-ji-lv/"


def test_a_public_build_names_only_ranks_that_public_cases_use(lib):
    write_entry(lib, "warnings/a.md", case_with(NOTICE))
    write_entry(lib, "warnings/b.md", case_with("rank: 省部级\naudience: internal\n"))
    library = load_library(lib, profile="public")
    assert [t.name for t in library.vocabs["ranks"].terms] == ["乡科级"]


def test_rank_is_a_search_facet_and_the_panel_links_into_it(lib, tmp_path):
    from casebook.search import build_index
    from casebook.search.reader import SearchIndex

    write_entry(lib, "warnings/a.md", case_with(NOTICE))
    write_entry(lib, "warnings/b.md", GOOD_CASE)
    library = load_library(lib)
    out = tmp_path / "index"
    build_index(library, out)
    index = SearchIndex(out)
    rank = next(f for f in index.facets if f["key"] == "rank")
    assert rank["param"] == "rank" and [v[0] for v in rank["values"]] == ["乡科级"]  # only what entries use
    found = index.search("", {"rank": ["乡科级"]})
    assert [library.entries[i].slug for i in found.ids] == ["a"]
    assert found.counts["rank"]["乡科级"] == 1
    panel = plan_site(library).entries["a"].panel
    row = next(r for r in panel if r.key == "rank")
    assert row.links[0].search == "rank=%E4%B9%A1%E7%A7%91%E7%BA%A7"
