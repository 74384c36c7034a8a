"""A warning case's notice fields: the issuer (issued_by), the notice's own
date (issued_on) and the person's rank, guessed only from what the notice
states, each with a 待核对 note saying where; left out without evidence.

Notices are generated: a case paragraph, filler sentences drawn from the
seed reports, and the issuer and date lines placed where notices put them."""

from __future__ import annotations

import random
import re

import docx
import pytest
from casebook.commands.cli import main
from casebook.core.entry import split_front_matter
from casebook.importer.notice import RANK_WORDS, UNMAPPED_RANK
from casebook.importer.pipeline import ImportSettings, import_file
from casebook.importer.writer import TargetPlanner
from test_import_guesses import TODAY, VOCABS, filler, guess, paragraphs  # noqa: F401 (fixture)

CASE = ("XX县财政局原局长张某某{rank}违规收受管理服务对象所送礼品礼金，给予党内严重警告处分。"
        "其违反中央八项规定精神问题严重，违纪违法问题清楚。")
TITLE = "关于3起违反中央八项规定精神问题的通报"


def notice(rng: random.Random, filler: list[str], top: list[str], closing: list[str], rank: str = "") -> str:
    return "\n".join([*top, CASE.format(rank=rank), *paragraphs(rng, filler, 2), *closing])


def front(result) -> dict[str, str]:
    head, _, _ = split_front_matter(result.text)
    return {line.split(":", 1)[0]: line for line in head.splitlines() if re.match(r"^[a-z_]+:", line)}


@pytest.mark.parametrize("top, closing, issuer, where", [
    (["中共XX市纪委 XX市监委", TITLE], ["中共XX市纪委 XX市监委", "2023年7月5日"], "中共XX市纪委 XX市监委", "开头的发文机关行"),
    ([f"市纪委监委{TITLE}"], ["市纪委监委", "2023年7月5日"], "市纪委监委", "标题开头"),
    ([TITLE], ["中共XX县纪律检查委员会 二〇二三年七月五日"], "中共XX县纪律检查委员会", "文末落款"),
    (["市纪委监委通报3起违反中央八项规定精神问题"], ["2023.7.5"], "市纪委监委", "标题开头"),
])
def test_issuer_and_date_from_the_notices_own_lines(top, closing, issuer, where, filler, tmp_path):
    result = guess(tmp_path, notice(random.Random(issuer), filler, top, closing))
    meta = result.meta
    assert meta.type.value.key == "case"
    assert meta.issued_by.value == issuer and where in meta.issued_by.note
    assert meta.issued_on.value == "2023-07-05" and "落款" in meta.issued_on.note
    lines = front(result)
    assert lines["issued_by"].startswith(f"issued_by: {issuer}  # 待核对：取自")
    assert lines["issued_on"].startswith("issued_on: 2023-07-05  # 待核对：通报自身的日期")


def test_a_date_line_gives_the_date(filler, tmp_path):
    result = guess(tmp_path, notice(random.Random(3), filler, [TITLE], ["市纪委监委", "印发日期：2024年1月8日"]))
    assert result.meta.issued_on.value == "2024-01-08" and "日期行" in result.meta.issued_on.note


def test_without_evidence_the_fields_are_left_out(filler, tmp_path):
    """A title and a body that only mention bodies and years: nothing is
    guessed, and the year in the title is not the notice's date."""
    text = notice(random.Random(4), filler, ["关于2023年以来违反中央八项规定精神问题的通报"],
                  ["市纪委监委将持续加大监督检查力度，全市县处级以上领导干部要引以为戒。"])
    result = guess(tmp_path, text)
    assert result.meta.type.value.key == "case"
    assert (result.meta.issued_by, result.meta.issued_on, result.meta.rank) == (None, None, None)
    assert not {"issued_by", "issued_on", "rank"} & set(front(result))


@pytest.mark.parametrize("rank, written, expected", [
    ("（正处级）", "正处级", "县处级"), ("（副科级）", "副科级", "乡科级"), ("，厅局级干部，", "厅局级干部", "厅局级"),
    ("，系乡科级干部，", "乡科级干部", "乡科级"), ("，曾任XX镇副镇长，", "副镇长", "乡科级"),
    ("，曾任XX县副县长，", "副县长", "县处级"),
])
def test_rank_from_explicit_words_and_fixed_posts(rank, written, expected, filler, tmp_path):
    result = guess(tmp_path, notice(random.Random(rank), filler, [TITLE], ["市纪委监委"], rank=rank))
    assert result.meta.rank.value == expected
    assert f"“{written}”" in result.meta.rank.note and rank.strip("，") in result.meta.rank.note
    assert front(result)["rank"].startswith(f"rank: {expected}  # 待核对：按正文中的")


@pytest.mark.parametrize("rank", [
    "，曾任XX市副市长，",  # a 副市长 may be 厅局级 or 县处级: not mapped
    "，曾任省XX厅副厅长，",
    "，任XX县县长助理，",  # not a 县长
    "，该县长期存在违规吃喝问题，城镇长效机制不健全，",  # 县长 and 镇长 only as characters
    "",
])
def test_posts_without_a_fixed_rank_give_none(rank, filler, tmp_path):
    result = guess(tmp_path, notice(random.Random(rank), filler, [TITLE], ["市纪委监委"], rank=rank))
    assert result.meta.rank is None and "rank" not in front(result)


def test_ranks_that_disagree_give_none_and_say_so(filler, tmp_path):
    text = notice(random.Random(6), filler, [TITLE], ["市纪委监委"], rank="（副处级）") + "\n李某某（正科级）违规吃喝问题。"
    result = guess(tmp_path, text)
    assert result.meta.rank is None
    assert any("不同职级" in w and "副处级" in w and "正科级" in w for w in result.meta.warnings)


def test_reports_get_no_notice_fields(filler, tmp_path):
    text = "\n".join(["市妇联关于清廉机关建设情况的汇报", *paragraphs(random.Random(7), filler, 3),
                      "市纪委监委", "2023年6月15日"])
    result = guess(tmp_path, text)
    assert result.meta.type.value.key == "report"
    assert (result.meta.issued_by, result.meta.issued_on, result.meta.rank) == (None, None, None)


def test_rank_words_name_ranks_of_the_vocabulary():
    """The importer's extra rank words mean ranks that cases/ranks.yml has."""
    names = {t.name for t in VOCABS["ranks"].terms}
    assert set(RANK_WORDS) | {UNMAPPED_RANK} <= names


def test_a_word_notice(filler, tmp_path):
    document = docx.Document()
    document.add_paragraph("中共XX市纪委 XX市监委")
    document.add_paragraph(TITLE)
    document.add_paragraph(CASE.format(rank="（正科级）"))
    for paragraph in paragraphs(random.Random(8), filler, 2):
        document.add_paragraph(paragraph)
    document.add_paragraph("中共XX市纪委 XX市监委")
    document.add_paragraph("2023年7月5日")
    document.save(tmp_path / "通报.docx")
    settings = ImportSettings(tmp_path, tmp_path / "cases", VOCABS, TargetPlanner(tmp_path / "cases", None, False),
                              dry_run=True, today=TODAY)
    result = import_file(tmp_path / "通报.docx", settings)
    assert (result.meta.issued_by.value, result.meta.issued_on.value, result.meta.rank.value) == \
        ("中共XX市纪委 XX市监委", "2023-07-05", "乡科级")


def test_the_reviewed_case_passes_check(filler, tmp_path, capsys):
    """Imported, then reviewed (待核对 marks and status: draft removed), the
    case with its notice fields is a valid published entry."""
    from conftest import copy_project

    copy_project(tmp_path)
    source = tmp_path / "通报.txt"
    source.write_text(notice(random.Random(9), filler, ["中共XX市纪委 XX市监委", TITLE],
                             ["中共XX市纪委 XX市监委", "2023年7月5日"], rank="（正处级）")
                      + "\n各单位要加强警示教育和纪律教育。\n", encoding="utf-8")
    assert main(["--root", str(tmp_path), "import", "--unit", "市财政局", str(source)]) == 0
    [entry] = [p for p in (tmp_path / "cases" / "warnings").glob("*.md") if "source: 通报.txt" in p.read_text(encoding="utf-8")]
    text = entry.read_text(encoding="utf-8")
    for line in ("rank: 县处级  # 待核对：", "issued_by: 中共XX市纪委 XX市监委  # 待核对：", "issued_on: 2023-07-05  # 待核对："):
        assert line in text
    reviewed = re.sub(r"^#.*待核对.*\n", "", text, flags=re.M)  # the header that explains the marks, too
    reviewed = re.sub(r"  # 待核对：.*$", "", reviewed, flags=re.M).replace("status: draft\n", "")
    entry.write_text(reviewed, encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(tmp_path), "check"]) == 0, capsys.readouterr().out
