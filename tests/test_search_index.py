"""The search core: text rules, the index format, and the reference reader
checked against substring truth on a generated corpus (no browser)."""

from __future__ import annotations

import dataclasses
import gzip
import json
import random
import re
from array import array
from pathlib import Path

import pytest
from casebook.core.library import load_library
from casebook.core.taxonomy import build_taxonomy
from casebook.search import make_records, write_index
from casebook.search.absent import minimal_absent_words
from casebook.search.index import FACETS_FILE, FORMAT, IndexWriter, KeysCache, _keys_of, encode_set, unpacked
from casebook.search.reader import (
    IndexFormatError,
    SearchIndex,
    decode_set,
    parse_shard,
    read_varint,
)
from casebook.search.records import SearchRecord
from casebook.search.text import normalise, query_words, runs, text_grams, word_grams
from libtools import gen_corpus, make_library, write_entry

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """300 generated entries, their records and the written index."""
    project = gen_corpus().generate(300, tmp_path_factory.mktemp("corpus") / "project", seed=7)
    library = load_library(project, include_drafts=False)
    assert not library.problems, [p.format() for p in library.problems[:5]]
    records = make_records(library.entries)
    out = tmp_path_factory.mktemp("index")
    stats = write_index(records, library.vocabs, out)
    return library, records, out, stats


def test_normalise_folds_width_and_case_and_keeps_length():
    text = "１２３４５热线　ＡＢＣ Oa系统《家风》"
    assert normalise(text) == "12345热线 abc oa系统《家风》"
    assert len(normalise(text)) == len(text)


def test_runs_are_letters_and_digits_only():
    assert runs(normalise("“清廉家风”、12345热线；2023年_x")) == ["清廉家风", "12345热线", "2023年", "x"]


def test_query_words_drop_duplicates_and_contained_words():
    assert query_words("警示教育 家风 教育 家风") == ["警示教育", "家风"]
    assert query_words("  ，。 ") == []
    assert query_words("<script>alert(\"x\")</script>") == ["script", "alert", "x"]


def test_grams_cover_every_substring_up_to_three_characters():
    grams = text_grams("廉政党课")
    assert {"廉", "廉政", "廉政党", "政党课", "党课"} <= grams
    assert "廉政党课" not in grams
    assert word_grams("廉政党课") == ["廉政党", "政党课"]
    assert word_grams("八小时") == ["八小时"]


@pytest.mark.parametrize("ids", [[], [0], [127], [128], [16384], [2 ** 21 + 5], [5, 6, 7, 300], list(range(0, 1000, 2)),
                                 list(range(990))])
def test_id_sets_round_trip(ids):
    out = bytearray()
    encode_set(array("I", ids), out)
    decoded, end = decode_set(bytes(out), 0)
    assert decoded == set(ids) and end == len(out)


def test_dense_sets_are_bitmaps():
    out = bytearray()
    encode_set(array("I", range(1000)), out)
    assert len(out) <= 125 + 2


def test_a_patched_bitmap_is_the_bitmap_of_the_new_set():
    """The preview's writer flips the bits of ids that came or went in the
    last bitmap instead of building it again: random sets and changes
    (the highest id among them, sets turning sparse) give the bytes a
    fresh encoding gives."""
    rng = random.Random(5)
    patched = 0
    for _ in range(3000):
        n = rng.choice([8, 9, 64, 100, 1000])
        ids = set(rng.sample(range(n), rng.randint(1, n)))
        out = bytearray()
        encode_set(array("I", sorted(ids)), out)
        if not out[0] & 1:
            continue
        _, pos = read_varint(bytes(out), 0)
        before = bytes(out[pos:])
        flipped = rng.sample(range(n + 20), rng.randint(1, 12))
        now = ids.symmetric_difference(flipped)
        if not now:
            continue
        expected, got = bytearray(), bytearray()
        encode_set(array("I", sorted(now)), expected)
        encode_set(array("I", sorted(now)), got, before, flipped)
        assert got == expected, (sorted(ids), flipped)
        patched += 1
    assert patched > 1000


def test_a_bitmap_ends_with_the_byte_of_its_highest_id():
    """Its bytes depend on its ids alone: one more entry in the library does
    not lengthen every bitmap of the index."""
    out = bytearray()
    encode_set(array("I", range(0, 100)), out)
    assert out[0] == (13 << 1 | 1) and len(out) == 1 + 13
    assert decode_set(bytes(out), 0)[0] == set(range(100))


@pytest.mark.parametrize("at_once", [50_000, 7])
def test_a_full_write_encodes_each_key_as_one_by_one(corpus, tmp_path, monkeypatch, at_once):
    """A full write joins most keys' bytes from tables (``_encode_all``), a
    part at a time: every key, in one field or several, of one record or
    many, with continuations or not, has the bytes ``_encode`` gives it."""
    import casebook.search.index as index

    monkeypatch.setattr(index, "_ENCODED_AT_ONCE", at_once)
    library, records, _, _ = corpus
    writer = IndexWriter(cache=KeysCache())  # the preview's: it keeps the postings and the keys' bytes
    writer.write(records, library.vocabs, tmp_path)
    every = _keys_of(writer.grams) | _keys_of(writer.absent)
    assert set(writer.encoded) == every
    assert writer.encoded == {key: writer._encode(key) for key in every}
    kinds = {(sum(key in lists for lists in writer._postings_of(key)),
              max(len(lists.get(key, ())) for lists in writer._postings_of(key)) > 1,
              key in writer.continuations) for key in every}
    assert {(1, False, False), (1, True, False), (2, False, False), (1, False, True)} <= kinds


def _brute_minimal_absent_words(runs_: list[str], shortest: int) -> set[str]:
    """By the definition: a + u + b absent, a + u and u + b present."""
    present = {run[i:j] for run in runs_ for i in range(len(run)) for j in range(i + 1, len(run) + 1)}
    alphabet = {c for run in runs_ for c in run}
    return {a + u + b for u in present if len(u) >= shortest - 2 for a in alphabet for b in alphabet
            if a + u in present and u + b in present and a + u + b not in present}


@pytest.mark.parametrize("seed", range(40))
def test_minimal_absent_words_match_the_definition(seed):
    rng = random.Random(seed)
    runs_ = ["".join(rng.choice("廉政党课") for _ in range(rng.randint(1, 14))) for _ in range(rng.randint(1, 4))]
    assert minimal_absent_words(runs_, 4) == _brute_minimal_absent_words(runs_, 4)


def _record(number: int, title: str, body: str, meta: str = "经验做法") -> SearchRecord:
    return SearchRecord(id=number, slug=f"e{number}", url=f"practices/e{number}/", title=title, date="2024-01-01",
                        type="practice", unit="市妇联", summary="", meta=meta, body=body,
                        facets={"type": ["practice"], "unit": ["市妇联"], "themes": [], "year": ["2024"],
                                "violations": [], "outcomes": []})


def test_pieces_of_a_phrase_apart_do_not_match(corpus, tmp_path):
    """Every trigram of 清廉机关建设任务 is in entry 0, in two sentences; only
    entry 1 holds the phrase. Same for the title, which decides the rank."""
    library = corpus[0]
    records = [
        _record(0, "建设任务与清廉机关建设", "推进清廉机关建设。今年的建设任务已经完成。"),
        _record(1, "年度总结", "全面完成清廉机关建设任务。"),
        _record(2, "清廉机关建设任务清单", "无关的正文。"),
        _record(3, "八小时", "八个小时以外"),
    ]
    write_index(records, library.vocabs, tmp_path)
    index = SearchIndex(tmp_path)
    assert index.search("清廉机关建设任务").ids == [2, 1]
    assert index.search("建设任务 清廉机关建设").ids == [0, 2, 1]
    assert index.word_sets("清廉机关建设任务")[0] == {2}  # title (SETS: title, meta, body, aliases)
    assert index.search("机关建设任").ids == [2, 1]
    assert index.search("八小时以外").ids == []
    assert index.search("小时以外").ids == [3]


def _draw_queries(records, rng, count=15):
    """Substrings of 2-10 characters of the entries' own text, two-term
    queries, digits and Latin, and pairs of words that occur apart."""
    texts = [normalise(r.text) for r in records]
    pieces = [run for t in texts for run in runs(t)]
    queries = []
    for length in range(2, 11):
        usable = [p for p in pieces if len(p) >= length]
        for _ in range(count):
            run = rng.choice(usable)
            start = rng.randrange(len(run) - length + 1)
            queries.append(run[start:start + length])
    for _ in range(count):
        queries.append(" ".join(rng.choice(queries) for _ in range(2)))
        first, second = rng.choice(pieces), rng.choice(pieces)
        queries.append(first[-2:] + second[:2])  # often absent
        queries.append("".join(c for c in rng.choice(texts) if c.isascii() and c.isalnum())[:6] or "oa")
    return queries


def test_reader_is_exact_on_random_substrings(corpus):
    _, records, out, _ = corpus
    texts = [normalise(r.text) for r in records]
    index = SearchIndex(out)
    for query in _draw_queries(records, random.Random(11)):
        words = query_words(query)
        truth = {r.id for r, t in zip(records, texts) if all(w in t for w in words)}
        assert set(index.search(query).ids) == truth, query


def _facet_names(out: Path) -> dict[str, set[str]]:
    data = json.loads(gzip.decompress((out / FACETS_FILE).read_bytes()))
    return {f["key"]: {v[1] if f["key"] == "type" else v[0] for v in f["values"]} for f in data["facets"]}


def test_facets_name_only_values_the_entries_use(corpus, tmp_path):
    """A vocabulary term no indexed entry carries is not in the search data
    (in a public build, terms of internal entries only stay private)."""
    library, records, _, _ = corpus
    records = [dataclasses.replace(r, id=i) for i, r in enumerate(r for r in records if r.type == "case")][:3]
    write_index(records, library.vocabs, tmp_path)
    used = {key: {v for r in records for v in r.facets[key]} for key in records[0].facets}
    names = _facet_names(tmp_path)
    assert names == used
    unused = [t.name for t in library.vocabs["units"].terms if t.name not in used["unit"]]
    assert unused, "every unit is used: the check above proves nothing about leaving one out"


def test_index_files(corpus):
    _, records, out, stats = corpus
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["n"] == len(records) == stats.entries
    assert len(list((out / "g").iterdir())) == manifest["shards"]
    assert len(list((out / "d").iterdir())) == len(records)
    grams = sum(len(parse_shard(unpacked(p.read_bytes()))) for p in (out / "g").iterdir())
    assert grams == stats.grams + stats.absent_words
    doc = json.loads(gzip.decompress((out / "d" / "0.bin").read_bytes()))
    assert doc["t"] == records[0].title and doc["u"] == records[0].url


QUERIES = ["家", "妇联", "家风", "八小时", "廉政党课", "12345热线", "2023年", "市妇女联合会", "警示教育 家风",
           "违反中央八项规定精神", "以案促改", "ppt", "ＰＰＴ课件", "八个小时", "廉政党课 八小时", "党纪处分", "清风",
           "某局原副局长张某", "2016年3月", "没有这个词语", "党课"]


@pytest.mark.parametrize("query", QUERIES)
def test_reader_matches_substring_truth(corpus, query):
    _, records, out, _ = corpus
    words = query_words(query)
    truth = {r.id for r in records if all(w in normalise(r.text) for w in words)}
    assert set(SearchIndex(out).search(query).ids) == truth


def test_title_and_metadata_matches_rank_first(corpus):
    _, records, out, _ = corpus
    ranked = SearchIndex(out).search("妇联").ids
    tiers = [0 if "妇联" in r.title else 1 if "妇联" in normalise(r.meta) else 2 for r in (records[i] for i in ranked)]
    assert tiers == sorted(tiers) and tiers[0] < 2
    assert SearchIndex(out).search("妇联", sort="date").ids == sorted(ranked)


def test_aliases_find_canonical_entries(corpus):
    _, records, out, _ = corpus
    found = set(SearchIndex(out).search("市妇女联合会").ids)
    assert {r.id for r in records if r.unit == "市妇联"} <= found


def test_facet_counts_match_the_taxonomy(corpus):
    library, _, out, _ = corpus
    tax = build_taxonomy(library.entries, library.vocabs)
    counts = SearchIndex(out).search("").counts
    assert counts["unit"] == {t.name: t.count for t in tax.units if t.count}
    assert counts["themes"] == {t.name: t.count for t in tax.themes if t.count}
    assert counts["year"] == {t.name: t.count for t in tax.years}
    assert counts["violations"] == {t.name: t.count for t in tax.violations if t.count}
    assert counts["type"] == {t.type.label: t.count for t in tax.types if t.count}


def test_facets_or_within_and_across(corpus):
    _, records, out, _ = corpus
    index = SearchIndex(out)
    units = ["市妇联", "团市委"]
    result = index.search("家风", {"unit": units, "year": ["2020", "2021"]})
    expected = {r.id for r in records if "家风" in normalise(r.text) and r.unit in units
                and r.date[:4] in ("2020", "2021")}
    assert set(result.ids) == expected
    # counts of one facet ignore its own filter, follow the others
    by_unit = {u: sum(1 for r in records if "家风" in normalise(r.text) and r.unit == u
                      and r.date[:4] in ("2020", "2021")) for u in units}
    assert {u: result.counts["unit"].get(u, 0) for u in units} == by_unit
    assert set(index.search("", {"unit": ["市妇女联合会"]}).ids) == {r.id for r in records if r.unit == "市妇联"}


def test_public_build_indexes_only_public_entries(tmp_path):
    """The index is written by the build from the entries the site shows:
    an internal entry must not leak into a public build's search files."""
    from conftest import run_mkdocs_build

    site = tmp_path / "site"
    result = run_mkdocs_build(ROOT, site, env={"CASEBOOK_PROFILE": "public"})
    assert result.returncode == 0, result.stdout + result.stderr
    public = load_library(ROOT, profile="public", include_drafts=False)
    internal = [e for e in load_library(ROOT, include_drafts=False).entries if e.audience == "internal"]
    assert internal, "the sample library has no internal entry to check"
    out = site / "assets" / "casebook" / "search"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["n"] == len(public.entries)
    titles = {json.loads(unpacked(p.read_bytes()))["t"] for p in (out / "d").iterdir()}
    assert titles == {e.title for e in public.entries}
    assert not titles & {e.title for e in internal}
    names = _facet_names(out)
    assert names["unit"] == {e.unit.name for e in public.entries}
    assert names["themes"] == {t.name for e in public.entries for t in e.themes}
    assert (site / "search" / "index.html").exists()
    assert 'class="cb-sbox"' in (site / "index.html").read_text(encoding="utf-8")


def test_an_index_of_another_format_is_refused(corpus, tmp_path):
    library = corpus[0]
    write_index([_record(0, "标题", "正文")], library.vocabs, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == FORMAT
    SearchIndex(tmp_path)  # the right format is read
    (tmp_path / "manifest.json").write_text(json.dumps({**manifest, "format": FORMAT - 1}), encoding="utf-8")
    with pytest.raises(IndexFormatError, match=f"格式是 {FORMAT - 1}，本程序只读格式 {FORMAT}"):
        SearchIndex(tmp_path)


def test_own_text_ranks_above_aliases_where_aliases_outnumber_it(tmp_path):
    """以案促改 is an alias of the theme 警示教育: on the sample library more
    entries are found through it than say it. Those that say it come first;
    the others are marked as found only through aliases."""
    library = load_library(ROOT, include_drafts=False)
    records = make_records(library.entries)
    write_index(records, library.vocabs, tmp_path)
    result = SearchIndex(tmp_path).search("以案促改")
    own = {r.id for r in records if "以案促改" in normalise(r.own_text)}
    through_aliases = {r.id for r in records if r.id not in own and "以案促改" in normalise(r.text)}
    assert len(through_aliases) > len(own) > 0
    assert set(result.ids[:len(own)]) == own and set(result.ids[len(own):]) == through_aliases
    assert result.alias_only == through_aliases
    assert SearchIndex(tmp_path).search("以案促改", sort="date").ids == sorted(own | through_aliases)


def test_title_then_metadata_then_body_then_aliases(corpus, tmp_path):
    """The newest entry (id 0) has the word only as an alias; the others in
    one field each: ranked title, metadata, body, then the alias."""
    library = corpus[0]
    records = [
        dataclasses.replace(_record(0, "年度总结", "无关的正文。"), alias_terms=[("以案促改", "警示教育", "别名")]),
        _record(1, "年度总结", "开展以案促改工作。"),
        _record(2, "年度总结", "无关的正文。", meta="经验做法\n以案促改"),
        _record(3, "以案促改工作总结", "无关的正文。"),
    ]
    write_index(records, library.vocabs, tmp_path)
    result = SearchIndex(tmp_path).search("以案促改")
    assert result.ids == [3, 2, 1, 0] and result.alias_only == {0}
    assert SearchIndex(tmp_path).search("以案促改 总结").ids == [3, 2, 1, 0]  # 总结 in every title


def test_body_text_is_the_rendered_html(tmp_path):
    """Admonitions, tables and entities read as text, never as Markdown
    syntax; headings keep the ids the entry page gives them."""
    make_library(tmp_path)
    write_entry(tmp_path, "practices/2024-01-a.md", """\
        ---
        title: 测试条目
        unit: 市妇联
        date: 2024-01-05
        themes: [家风建设]
        ---

        !!! note "注意"
            这是提示&nbsp;A&amp;B

        ## 一、主要 做法

        | 项目 | 数量 |
        | --- | --- |
        | 谈话 | 12 |

        正文[^1]。

        [^1]: 脚注内容
        """)
    library = load_library(tmp_path, include_drafts=False)
    assert not library.problems, [p.format() for p in library.problems]
    record = make_records(library.entries)[0]
    assert record.body.split("\n") == ["注意", "这是提示 A&B", "一、主要 做法", "项目", "数量", "谈话", "12", "正文。",
                                       "脚注内容"]
    assert record.headings == [(record.body.index("一、主要"), "一主要-做法", "一、主要 做法")]
    assert record.alias_terms[:5] == [("市妇女联合会", "市妇联", "别名"), ("群团组织", "市妇联", "所属分组"),
                                      *((w, "2024-01-05", "日期") for w in ("2024年", "2024年1月", "2024年1月5日"))]
    assert "市妇女联合会" not in record.meta and "2024-01-05" in record.meta


def test_result_sections_are_the_entry_pages_headings(built_site):
    """Every heading a search document names has that id on the entry page."""
    index = SearchIndex(built_site / "assets" / "casebook" / "search")
    named = 0
    for i in range(index.n):
        doc = index.doc(i)
        page = (built_site / doc["u"] / "index.html").read_text(encoding="utf-8")
        ids = set(re.findall(r'<h[1-6][^>]* id="([^"]+)"', page))
        for offset, heading_id, text in doc["h"]:
            assert heading_id in ids, (doc["u"], heading_id)
            assert doc["b"].encode("utf-16-le")[2 * offset:].decode("utf-16-le").startswith(text), (doc["u"], text)
            named += 1
    assert named > 20
    # the default renderer (command line, benchmark) gives the same ids and text as the site's
    library = load_library(ROOT, include_drafts=False)
    by_url = {r.url: r for r in make_records(library.entries)}
    for i in range(index.n):
        doc = index.doc(i)
        assert (by_url[doc["u"]].body, [h[1:] for h in by_url[doc["u"]].headings]) \
            == (doc["b"], [tuple(h[1:]) for h in doc["h"]]), doc["u"]
