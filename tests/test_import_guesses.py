"""What the importer guesses about a document: its date only from where the
document states it (never today's year, never a year the body mentions),
its issuer rather than the units it talks about, and a unit not in the
vocabulary offered as an addition with the exact lines for units.yml.

Inputs are generated from the sentences of the real seed reports, with a
date line or a unit placed where documents put them."""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from pathlib import Path

import docx
import pytest
from casebook.commands.cli import main
from casebook.core.entry import split_front_matter
from casebook.core.slugs import slugify
from casebook.core.vocab import Term, Vocabulary, load_vocabularies
from casebook.importer.issuer import propose_unit
from casebook.importer.pipeline import ImportSettings, import_file
from casebook.importer.writer import TargetPlanner

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
TODAY = dt.date(2026, 11, 22)
VOCABS, _ = load_vocabularies(REPO / "cases", REPO)
UNITS = VOCABS["units"]


def seed_sentences() -> list[str]:
    """Sentences of the seed reports that name no unit and no year: the
    filler of generated documents (the seeds are test input only)."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS}")
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in re.findall(r"[^。！？]{12,80}[。！？]", line):
                sentence = sentence.strip()
                if (re.search(r"[0-9〇一二三四五六七八九十]{4}年|[市区县]委|局|部|联|办|工委|##|\*|^[一二三四五六七八九十]+[、是]", sentence)
                        or any(k in sentence for t in UNITS.terms for k in (t.name, *t.aliases))):
                    continue
                found.append(sentence)
    return found


@pytest.fixture(scope="module")
def filler() -> list[str]:
    return seed_sentences()


def guess(tmp_path: Path, text: str, name: str = "材料.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    settings = ImportSettings(tmp_path, tmp_path / "cases", VOCABS, TargetPlanner(tmp_path / "cases", None, False),
                              dry_run=True, today=TODAY)
    return import_file(path, settings)


def front_line(result, key: str) -> str:
    front, _, _ = split_front_matter(result.text)
    return next(line for line in front.splitlines() if line.startswith(f"{key}:"))


def paragraphs(rng: random.Random, filler: list[str], count: int) -> list[str]:
    return ["".join(rng.sample(filler, 3)) for _ in range(count)]


# -- date -----------------------------------------------------------------------
@pytest.mark.parametrize("closing, date, how", [
    (["市妇联", "2023年6月15日"], "2023-06-15", "文末落款"),
    (["市妇联", "二〇二三年六月十五日"], "2023-06-15", "文末落款"),
    (["中共XX市委组织部 2022年12月"], "2022-12", "文末落款"),
    (["市妇联", "2023.6.5"], "2023-06-05", "文末落款"),
    (["日期：2021年3月"], "2021-03", "日期行"),
])
def test_a_stated_date_is_taken_with_where_it_was_found(closing, date, how, filler, tmp_path):
    rng = random.Random(date)
    text = "\n".join(["关于清廉机关建设情况的汇报", *paragraphs(rng, filler, 3), *closing])
    result = guess(tmp_path, text)
    assert result.meta.date.value == date
    assert how in result.meta.date.note
    assert result.target.name.startswith(date + "-")


def test_a_date_under_the_title_of_a_speech(filler, tmp_path):
    text = "\n".join(["在全市清廉机关建设推进会上的讲话", "（2024年3月8日）", *paragraphs(random.Random(1), filler, 3)])
    result = guess(tmp_path, text)
    assert result.meta.date.value == "2024-03-08" and "标题下的日期行" in result.meta.date.note


@pytest.mark.parametrize("closing", [
    ["三、2024年工作打算", "继续深化清廉机关建设，推动各项工作落实落细。"],  # a heading that names a year
    ["2019年以来，累计开展廉政谈话120人次。"],  # a sentence, not a signature
    ["市妇联", "2023年2月30日"],  # no such day
    ["市妇联", "2099年6月1日"],  # out of range
])
def test_what_is_not_a_signature_date_gives_no_date(closing, filler, tmp_path):
    text = "\n".join(["关于清廉机关建设情况的汇报", *paragraphs(random.Random(2), filler, 3), *closing])
    result = guess(tmp_path, text)
    assert result.meta.date.value == ""
    assert front_line(result, "date").startswith("date:  # 待核对：原文没有写日期")


def test_documents_without_a_date_never_get_one(filler, tmp_path):
    """Random documents from seed sentences, some mentioning years in the
    body: none gets a date, a year in its file name, or today's year."""
    rng = random.Random(20261122)
    for number in range(40):
        body = paragraphs(rng, filler, rng.randint(1, 5))
        mentioned = rng.choice([None, "2019", "2021", str(TODAY.year)])
        if mentioned:
            body.insert(rng.randrange(len(body) + 1), f"{mentioned}年以来，{rng.choice(filler)}")
        title = rng.choice(["", "市妇联关于清廉机关建设情况的汇报\n", "在推进会上的汇报发言\n"])
        result = guess(tmp_path, title + "\n".join(body), f"材料{number}.txt")
        assert result.meta.date.value == "", result.text[:400]
        assert not re.match(r"\d{4}", result.target.name)
        note = result.meta.date.note
        assert ("正文提到 " + mentioned + " 年") in note if mentioned else "正文提到" not in note


def test_the_body_year_is_a_lead_and_the_signature_wins_over_it(filler, tmp_path):
    body = [f"2019年以来，{s}" for s in filler[:4]]
    undated = guess(tmp_path, "\n".join(["关于清廉机关建设情况的汇报", *body]))
    assert undated.meta.date.value == "" and "正文提到 2019 年 4 次" in undated.meta.date.note
    signed = guess(tmp_path, "\n".join(["关于清廉机关建设情况的汇报", *body, "市妇联", "2023年6月15日"]), "b.txt")
    assert signed.meta.date.value == "2023-06-15"


def test_a_word_files_creation_time_is_a_lead_not_the_date(filler, tmp_path):
    document = docx.Document()
    document.add_paragraph("市妇联关于清廉机关建设情况的汇报", style="Title")
    for text in paragraphs(random.Random(3), filler, 3):
        document.add_paragraph(text)
    document.core_properties.created = dt.datetime(2021, 4, 1, 9, 0)
    path = tmp_path / "汇报.docx"
    document.save(path)
    settings = ImportSettings(tmp_path, tmp_path / "cases", VOCABS, TargetPlanner(tmp_path / "cases", None, False),
                              dry_run=True, today=TODAY)
    result = import_file(path, settings)
    assert result.meta.date.value == ""
    assert "Word 文件属性中的创建时间：2021 年" in result.meta.date.note


def test_the_empty_date_is_asked_for_on_its_line_and_the_draft_still_parses(tmp_path):
    from casebook.core.entry import parse_entry

    result = guess(tmp_path, "市妇联关于清廉机关建设情况的汇报\n今年以来，市妇联扎实推进家风建设。\n")
    line = result.text.split("\n").index(front_line(result, "date")) + 1
    parsed = parse_entry(result.text, "cases/reports/x.md", "reports/x.md", VOCABS)
    assert [(p.line, p.field, p.message) for p in parsed.problems] == [(line, "date", "还没有填写日期")]
    assert parsed.entry is not None and parsed.entry.date == "" and parsed.entry.year == ""
    published = parse_entry(result.text.replace("status: draft\n", ""), "cases/reports/x.md", "reports/x.md", VOCABS)
    assert published.entry is None, "published, an undated entry is refused"
    assert (line, "date", "还没有填写日期") in [(p.line, p.field, p.message) for p in published.problems]


def test_an_undated_draft_in_the_preview_is_in_no_year_and_searchable(tmp_path):
    from casebook.core.fields import UNDATED
    from casebook.core.library import load_library
    from casebook.core.site import plan_site
    from casebook.search.index import facet_columns
    from casebook.search.records import make_records
    from conftest import copy_project

    copy_project(tmp_path, with_entries=True)
    result = guess(tmp_path, "市妇联关于清廉机关建设情况的汇报\n今年以来，市妇联扎实推进家风建设。\n")
    result.target.parent.mkdir(parents=True, exist_ok=True)
    result.target.write_text(result.text, encoding="utf-8")
    library = load_library(tmp_path, show_drafts=True)
    draft = next(e for e in library.entries if e.slug == result.target.stem)
    assert library.entries[-1] is draft, "undated: listed last"
    plan = plan_site(library)
    assert "" not in [y.name for y in plan.taxonomy.years]
    assert sum(y.count for y in plan.taxonomy.years) == len(library.entries) - 1  # all but the undated draft
    assert not any(p.src_uri.startswith("years//") for p in plan.pages)
    panel = {row.key: row.links for row in plan.entries[draft.slug].panel}
    assert panel["date"][0].text == "待填写（草稿）" and panel["date"][0].url is None
    records = make_records(library.entries)
    assert records[-1].facets["year"] == [UNDATED] and records[-1].date == ""
    facets = {f["key"]: f for f in facet_columns(records, library.vocabs)}
    assert len(facets["year"]["col"]) == len(records), "one year cell per entry"


# -- unit -----------------------------------------------------------------------
def test_the_issuer_wins_over_units_the_body_mentions_more(filler, tmp_path):
    """The issuer named once (title, signature, header line, or as the
    subject of the opening), another unit named several times in the body."""
    rng = random.Random(10)
    placements = ["title", "signature", "header", "opening"]
    terms = [t for t in UNITS.terms if t.group != "区直机关"]
    for number in range(48):
        issuer, other = rng.sample(terms, 2)
        place = placements[number % len(placements)]
        written = rng.choice((issuer.name, *issuer.aliases))
        body = [f"会同{other.name}{s}" for s in rng.sample(filler, rng.randint(2, 5))]
        body += paragraphs(rng, filler, 2)
        rng.shuffle(body)
        title = f"{'XX' if rng.random() < 0.5 else ''}{written}关于清廉机关建设情况的汇报" if place == "title" \
            else "关于清廉机关建设情况的汇报"
        opening = f"今年以来，{written}在{other.name}的指导下扎实推进清廉机关建设。" if place == "opening" \
            else f"今年以来，在{other.name}的指导下扎实推进清廉机关建设。"
        lines = [title, *([f"中共{written}党组"] if place == "header" else []), opening, *body]
        if place == "signature":
            lines += [written, "2023年6月15日"]
        text = "\n".join(lines)
        assert text.count(other.name) > text.count(written), "the body names the other unit more often"
        result = guess(tmp_path, text, f"材料{number}.txt")
        assert result.meta.unit.value == issuer.name, (place, issuer.name, other.name, result.meta.unit.note)


@pytest.mark.parametrize("title, opening, closing, unit, where", [
    ("关于市财政局内控建设的调研报告", "今年以来，市财政局着力完善内控。", ["市委组织部", "2023年6月15日"], "市委组织部", "文末落款"),
    ("", "在市委组织部的指导下，市财政局扎实推进清廉机关建设。", [], "市财政局", "开头一段"),
    ("", "市委组织部：", [], "市委组织部", "开头"),
])
def test_where_the_issuer_is_found(title, opening, closing, unit, where, filler, tmp_path):
    text = "\n".join([*([title] if title else []), opening, *paragraphs(random.Random(4), filler, 2), *closing])
    result = guess(tmp_path, text)
    assert result.meta.unit.value == unit and where in result.meta.unit.note


def test_a_unit_only_the_body_names_is_marked_as_a_mention(filler, tmp_path):
    body = [f"会同市财政局{s}" for s in filler[:3]]
    result = guess(tmp_path, "\n".join(["关于清廉机关建设情况的汇报", *body]))
    assert result.meta.unit.value == "市财政局" and "可能只是被提到的单位" in result.meta.unit.note


# -- a unit not in the vocabulary ---------------------------------------------------
@pytest.mark.parametrize("lines, name, group", [
    (["XX区审计局关于清廉机关建设情况的汇报"], "区审计局", "政府部门"),
    (["关于清廉机关建设情况的汇报", "{body}", "市统计局", "2023年6月15日"], "市统计局", "政府部门"),
    (["市文联在全市清廉机关建设推进会上的汇报发言"], "市文联", "群团组织"),
    (["中共XX市委统战部关于清廉机关建设情况的汇报"], "市委统战部", "党委部门"),
])
def test_a_new_unit_comes_with_the_lines_that_add_it(lines, name, group, filler, tmp_path):
    body = "".join(filler[:3])
    text = "\n".join(line.replace("{body}", body) for line in lines) + ("" if "{body}" in lines else "\n" + body)
    result = guess(tmp_path, text)
    new = result.meta.new_unit
    assert result.meta.unit.value == name and new is not None
    assert (new.name, new.slug, new.group) == (name, slugify(name), group)
    assert new.group in UNITS.groups()
    front, _, _ = split_front_matter(result.text)
    assert f"unit: {name}  # 待核对：" in front and "不在 cases/units.yml 中" in front_line(result, "unit")
    advice = [x for x in front.splitlines() if x.startswith("# 待核对：单位")]
    assert len(advice) == 1 and f"分组“{group}”是推断的" in advice[0]
    assert "\n".join(f"# {x}" for x in new.yaml_lines()) in front


def test_the_lines_appended_to_units_yml_make_the_draft_pass(filler, tmp_path, capsys):
    """The CLI prints the lines; appended as printed, the vocabulary loads
    without a problem and the draft's unit is known."""
    from conftest import copy_project

    copy_project(tmp_path)
    source = tmp_path / "汇报.txt"
    source.write_text("XX区审计局关于清廉机关建设情况的汇报\n" + "\n".join(paragraphs(random.Random(5), filler, 3))
                      + "\nXX区审计局\n2023年6月15日\n", encoding="utf-8")
    assert main(["--root", str(tmp_path), "import", str(source)]) == 0
    out = capsys.readouterr().out
    new_lines = ["- name: 区审计局", "  slug: qu-shen-ji-ju", "  group: 政府部门"]
    assert "\n".join(new_lines) in out, out
    assert main(["--root", str(tmp_path), "check"]) == 1
    assert "未知单位“区审计局”" in capsys.readouterr().out
    units_yml = tmp_path / "cases" / "units.yml"
    block = out[out.index("新单位："):].split("\n")[1:]
    appended = "\n".join(block[:block.index("")]) + "\n"
    units_yml.write_text(units_yml.read_text(encoding="utf-8") + appended, encoding="utf-8")
    vocabs, problems = load_vocabularies(tmp_path / "cases", tmp_path)
    assert problems == [] and vocabs["units"].resolve("区审计局").slug == "qu-shen-ji-ju"
    assert main(["--root", str(tmp_path), "check"]) == 0, capsys.readouterr().out


def test_a_proposed_slug_never_collides():
    units = Vocabulary("units")
    units.add(Term("市审计局", "shi-shen-ji-ju", group="政府部门"))
    assert propose_unit("市审计局", units).slug == "shi-shen-ji-ju-2"


def test_a_name_like_no_known_unit_goes_to_the_catch_all_group():
    new = propose_unit("某某某", UNITS)
    assert new.group == "其他" and "都不相像" in new.group_reason


def test_the_seed_drafts_can_be_copied_and_still_import(tmp_path):
    """The new-unit advice never appears for the seeds: their issuers are known."""
    if not SEEDS.is_dir():
        pytest.skip("no seeds")
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, tmp_path / path.name)
        result = guess(tmp_path, path.read_text(encoding="utf-8"), path.name)
        assert result.meta.new_unit is None and "# 待核对：单位" not in result.text
