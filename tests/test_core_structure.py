"""Vocabulary resolution, taxonomy, related entries, schema, slugs, and the
rule that the core never imports MkDocs."""

from __future__ import annotations

import random
from pathlib import Path

import jsonschema
import pytest
import yaml
from casebook.core.entry import split_front_matter
from casebook.core.library import load_library
from casebook.core.related import related_entries
from casebook.core.schema import front_matter_schema
from casebook.core.site import plan_site
from casebook.core.slugs import entry_slug, slugify
from casebook.core.taxonomy import build_taxonomy, paginate
from casebook.core.vocab import load_vocabularies
from hypothesis import given, settings
from hypothesis import strategies as st
from libtools import GOOD_CASE, GOOD_PRACTICE, make_library, write_entry

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "casebook"


@pytest.fixture
def lib(tmp_path):
    make_library(tmp_path)
    return tmp_path


def test_vocabulary_resolves_names_aliases_and_stray_spaces(lib):
    vocabs, problems = load_vocabularies(lib / "cases", lib)
    assert problems == []
    units = vocabs["units"]
    assert units.resolve("市妇联").name == "市妇联"
    assert units.resolve("市妇女联合会").name == "市妇联"
    assert units.resolve(" 市 妇联 ").name == "市妇联"
    assert units.resolve("市总工会") is None
    assert units.suggest("市妇女联会")[0] == "市妇联"
    assert units.groups() == ["群团组织", "政府部门", "党委部门"]


def test_sample_vocabularies_are_valid_and_big_enough():
    root = PACKAGE.parents[1]
    vocabs, problems = load_vocabularies(root / "cases", root)
    assert problems == []
    assert len(vocabs["units"].terms) >= 15 and len(vocabs["units"].groups()) >= 3
    assert len(vocabs["themes"].terms) >= 10
    assert len(vocabs["violations"].terms) >= 8
    groups = {t.group for t in vocabs["outcomes"].terms}
    assert {"党纪处分", "政务处分", "组织处理"} <= groups


def _entries(lib, count=7):
    for i in range(count):
        unit = "市妇联" if i % 2 else "市财政局"
        write_entry(lib, f"practices/p{i}.md", GOOD_PRACTICE.replace("unit: 市妇联", f"unit: {unit}")
                    .replace("2023-06-15", f"202{i % 4}-0{1 + i % 9}").replace("[清廉家庭]", f"[清廉家庭, 标签{i % 2}]"))
    write_entry(lib, "warnings/c.md", GOOD_CASE)
    return load_library(lib)


def test_taxonomy_counts_and_orders_once(lib):
    library = _entries(lib)
    tax = build_taxonomy(library.entries, library.vocabs)
    units = {u.name: u.count for u in tax.units}
    assert units == {"市妇联": 3, "市财政局": 5, "市委组织部": 0}
    assert [g.name for g in tax.unit_groups] == ["群团组织", "政府部门", "党委部门"]
    assert [y.name for y in tax.years] == sorted({e.year for e in library.entries}, reverse=True)
    assert sum(y.count for y in tax.years) == tax.total == 8
    assert {t.name: t.count for t in tax.tags}["清廉家庭"] == 7
    for term in tax.units:  # every list keeps newest-first order
        assert term.entries == sorted(term.entries, key=lambda e: e.sort_key)


def test_tags_that_share_a_pinyin_get_distinct_slugs():
    from casebook.core.taxonomy import _tag_slugs

    class E:
        def __init__(self, tags):
            self.tags = tags
    slugs = _tag_slugs([E(["监督"]), E(["监督", "建都"])])  # both jian-du
    assert sorted(slugs.values()) == ["jian-du", "jian-du-2"]


def test_pagination_covers_every_entry_once(lib):
    library = _entries(lib)
    pages = paginate(library.entries, "practices/", per_page=3)
    assert [len(p.entries) for p in pages] == [3, 3, 2]
    assert pages[0].url == "practices/" and pages[1].url == "practices/page/2/"
    assert pages[1].previous_url == "practices/" and pages[2].next_url is None


def test_related_manual_first_then_shared_terms_in_stable_order(lib):
    library = _entries(lib)
    library.entries[0].related = ["c"]
    related = related_entries(library.entries, limit=4)
    first = library.entries[0]
    assert related[first.slug][0].slug == "c"
    assert first not in related[first.slug]
    assert len(related[first.slug]) == 4
    assert related == related_entries(library.entries, limit=4)  # stable


def test_site_plan_has_every_contract_url(lib):
    library = _entries(lib)
    plan = plan_site(library, per_page=3)
    uris = {p.src_uri for p in plan.pages}
    for uri in ("practices/index.md", "practices/page/2/index.md", "warnings/index.md", "reports/index.md",
                "units/index.md", "units/shi-fu-lian/index.md", "themes/index.md", "themes/jia-feng-jian-she/index.md",
                "years/index.md", "years/2022/index.md", "tags/index.md", "stats/index.md"):
        assert uri in uris, uri


def test_schema_accepts_good_front_matter_and_rejects_bad(lib):
    vocabs, _ = load_vocabularies(lib / "cases", lib)
    schema = front_matter_schema(vocabs)
    good = yaml.safe_load(split_front_matter(GOOD_PRACTICE)[0])
    good["date"] = "2023-06-15"
    jsonschema.validate(good, schema)
    jsonschema.validate({"标题": "x", "单位": "市妇女联合会", "日期": 2021, "主题": ["家风"]}, schema)
    case = yaml.safe_load(split_front_matter(GOOD_CASE)[0])
    jsonschema.validate(case, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "unit": "市总工会"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**case, "type": "case", "violations": None} | {"violations": []}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({k: v for k, v in good.items() if k != "title"}, schema)


def test_slugs_are_ascii_pinyin():
    assert slugify("市妇联 2023") == "shi-fu-lian-2023"
    assert entry_slug("市妇联以家风建设带动清廉机关建设", "2023-06") == "2023-06-shi-fu-lian-yi-jia-feng-jian-she"


def test_related_memo_never_answers_for_other_input(lib):
    """related_entries keeps its last answer for the preview; any change of a
    term, date or ``related`` list must give a fresh one."""
    import casebook.core.related as related_module

    library = _entries(lib)
    first = related_entries(library.entries, limit=4)
    entry = library.entries[2]
    entry.related = [library.entries[5].slug]
    changed = related_entries(library.entries, limit=4)
    related_module._last = None  # computed from scratch
    assert changed == related_entries(library.entries, limit=4)
    assert changed[entry.slug][0] is library.entries[5] and changed != first


@settings(max_examples=300, deadline=None)
@given(scores=st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3), st.integers(1, 5), max_size=30),
       count=st.integers(0, 8), seed=st.integers(0, 1000))
def test_the_best_related_are_the_first_of_the_sorted_candidates(scores, count, seed):
    """``_best`` sorts only the candidates above the lowest score it takes and
    the ties there: the answer of sorting them all."""
    from casebook.core.related import _best

    rng = random.Random(seed)
    order = {s: (rng.randint(0, 3), s) for s in scores}  # dates often equal, the slug last (as Entry.sort_key)
    assert _best(scores, count, order) == sorted(scores, key=lambda s: (-scores[s], order[s]))[:count]
