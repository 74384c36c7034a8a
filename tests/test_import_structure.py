"""The importer's rules one by one: clean-up never touches content,
Chinese heading levels, headings sharing a line with text, lead-sentence
headings, 一是 runs, Markdown escaping, the title line."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from casebook.importer.cleanup import CleanupReport, clean_text
from casebook.importer.decode import text_blocks
from casebook.importer.model import Block
from casebook.importer.structure import build_outline, sentences, split_run, take_title


def outline(text: str, markdown_source: bool = False):
    return build_outline(text_blocks(text, markdown_source), markdown_source)


def heads(text: str) -> list[tuple[int, str]]:
    return [(h.depth, h.text) for h in outline(text).headings]


# -- clean-up -------------------------------------------------------------------
@pytest.mark.parametrize("dirty, clean", [
    ("##paidbegin##正文开始。", "正文开始。"),
    ("正文。##paidend##", "正文。"),
    ("行尾有空格。   ", "行尾有空格。"),
    ("行尾有全角空格。\u3000\u3000", "行尾有全角空格。"),
    ("\u3000\u3000段首缩进。", "段首缩进。"),
    ("区直机关,x局等", "区直机关，x局等"),
    ("同时, 加强沟通", "同时，加强沟通"),
    ("(一)坚持政治引廉", "（一）坚持政治引廉"),
    ("党组(党委)书记", "党组（党委）书记"),
    ("以'四单管理'为抓手", "以‘四单管理’为抓手"),
    ('开展"清廉机关"创建', "开展“清廉机关”创建"),
    ("时间:上午", "时间：上午"),
    ("等6处......引导", "等6处……引导"),
    ("有特色－－市城管委", "有特色——市城管委"),
    ("零\u200b宽", "零宽"),
])
def test_cleanup_fixes(dirty, clean):
    assert clean_text(dirty, CleanupReport()) == clean


@pytest.mark.parametrize("text", [
    "资金1,200万元，占比12.5%",  # thousands separator and decimals
    "上午8:30召开会议",  # a time
    "网址 http://example.org/a,b 可查",  # a URL
    "GDP (gross domestic product) grew",  # English in parentheses
    "评价体系2.0版",
    "会议记录：第1项；第2项",
])
def test_cleanup_leaves_numbers_and_latin_text_alone(text):
    report = CleanupReport()
    assert clean_text(text, report) == text
    assert report.total == 0


def test_cleanup_reports_what_it_changed():
    report = CleanupReport()
    clean_text("##paidbegin##甲,乙,丙。  ", report)
    assert report.lines() == [
        "删除抓取残留标记（如 ##paidbegin##、##paidend##） 1 处：##paidbegin##",
        "删除行尾空格（含全角空格） 1 处",
        "中文里的英文逗号 , 改为 ， 2 处",
    ]


# -- headings -------------------------------------------------------------------
def test_all_four_numbered_levels_nest():
    text = "引言段落。\n一、总体情况\n（一）组织领导\n1.成立专班\n（1）明确分工\n正文。\n(二)制度建设\n2、完善制度\n二、下一步打算"
    assert heads(text) == [
        (2, "一、总体情况"), (3, "（一）组织领导"), (4, "1.成立专班"), (5, "（1）明确分工"),
        (3, "(二)制度建设"), (4, "2、完善制度"), (2, "二、下一步打算"),  # ( ) become （ ） in clean-up
    ]


def test_depth_comes_from_nesting_not_from_the_kind_of_number():
    assert heads("引言段落。\n（一）第一部分\n正文。\n（二）第二部分\n正文。") == [(2, "（一）第一部分"), (2, "（二）第二部分")]
    assert heads("引言段落。\n一、甲\n1.子项\n正文。") == [(2, "一、甲"), (3, "1.子项")]


def test_heading_and_text_on_one_line_are_split():
    result = outline("引言段落。\n一、强化从严治部，将党风廉政摆在突出位置。一是压紧压实责任。始终把责任扛在肩上。")
    assert [(h.depth, h.text) for h in result.headings] == [(2, "一、强化从严治部，将党风廉政摆在突出位置")]
    assert "**一是压紧压实责任**。始终把责任扛在肩上。" in result.markdown


def test_heading_ending_with_a_colon_is_split():
    assert heads("引言段落。\n一、基本情况：今年以来，我们开展了大量工作，取得了明显成效，群众满意度持续提升，得到上级肯定。") == [
        (2, "一、基本情况")]


def test_long_numbered_sentence_is_a_paragraph_not_a_heading():
    long = "1.严格落实中央八项规定精神及其实施细则，持续纠治形式主义官僚主义，坚决防止享乐主义奢靡之风反弹回潮，推动作风建设常态长效。"
    assert heads("引言段落。\n" + long) == []
    assert long in outline("引言段落。\n" + long).markdown


def test_numbers_that_are_not_headings():
    assert heads("引言段落。\n2023年以来，各项工作有序推进。\n1.5亿元资金已到位。") == []


def test_lead_sentences_of_parallel_paragraphs_become_headings():
    text = ("开场白。现将有关情况汇报如下：\n"
            "结合主题教育，思想“筑廉”。坚持把党的政治建设摆在首位，持续深化党员干部忠诚教育。\n"
            "结合妇联职能，作风“促廉”。坚持作风建设永远在路上，力戒形式主义官僚主义。\n"
            "结合日常监督，纪律“护廉”。把纪律建设抓在经常、严在日常，构建日常监督网络。\n")
    assert heads(text) == [(2, "结合主题教育，思想“筑廉”"), (2, "结合妇联职能，作风“促廉”"), (2, "结合日常监督，纪律“护廉”")]


def test_a_single_short_lead_sentence_stays_in_its_paragraph():
    text = "一、工作开展\n思想引领，学习在先。市直各单位将党风廉政教育有机融入“三会一课”和主题党日。"
    assert heads(text) == [(2, "一、工作开展")]
    assert "思想引领，学习在先。市直各单位" in outline(text).markdown


# -- 一是 runs --------------------------------------------------------------------
def test_run_inside_a_paragraph_becomes_points():
    assert split_run("总体要求如下。一是加强学习。学习很重要。二是强化监督。监督要到位。") == [
        "总体要求如下。", "一是加强学习。学习很重要。", "二是强化监督。监督要到位。"]


def test_ordinals_in_mid_sentence_stay():
    text = "主要有三点：一是加强学习；二是强化监督；三是完善制度。"
    assert split_run(text) == [text]


def test_a_lone_mention_of_yi_shi_is_not_a_run():
    text = "会议强调。一是要看到成绩，但问题依然存在。"
    assert split_run(text) == [text]


def test_long_lead_is_not_bolded_whole():
    long = "一是" + "持续深化" * 12 + "。后文。"
    rendered = outline("引言段落。\n" + long).markdown
    assert rendered.startswith("引言段落。\n\n**一是**持续深化")


def test_sentences_respect_quotes():
    assert sentences("他说：“好。”然后走了。再见。") == ["他说：“好。”然后走了。", "再见。"]


# -- Markdown -------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "尊敬的**书记，各位领导：", "走访村（社区）***多个，组织*批党员", "见 [附件] 和 <div> 标签", "# 不是标题",
    "1. 不是列表", "- 不是列表", "> 不是引用", "a_b_c 下划线",
])
def test_text_renders_as_written(text):
    rendered = markdown.markdown(outline("标题行\n" + text + "\n后文。").markdown)
    assert text in html.unescape(re.sub(r"<[^>]+>", "", rendered))
    for tag in ("<strong>", "<em>", "<li>", "<h1>", "<blockquote>", "<div>", "<a "):
        assert tag not in rendered


def test_markdown_source_keeps_its_syntax():
    result = outline("# 市档案馆清廉课堂\n\n## 背景\n\n档案馆有 **很多** 青年干部。\n\n## 做法\n\n- 每月一讲\n", True)
    assert result.title == "市档案馆清廉课堂"
    assert [(h.depth, h.text) for h in result.headings] == [(2, "背景"), (2, "做法")]
    assert "**很多**" in result.markdown and "- 每月一讲" in result.markdown


def test_tables_render_as_markdown_tables():
    result = build_outline([Block("标题行"), Block("说明。"), Block("", "table", rows=[["项目", "数量"], ["谈话", "12|3"]])])
    assert "| 项目 | 数量 |\n| --- | --- |\n| 谈话 | 12\\|3 |" in result.markdown


# -- title --------------------------------------------------------------------------
@pytest.mark.parametrize("first, is_title", [
    ("市妇联在全市清廉机关建设工作推进会上的汇报发言", True),
    ("市委组织部落实2022年党风廉政建设责任制情况汇报", True),
    ("开展清廉机关建设，是加强党风廉政建设的一项具体举措。", False),  # a sentence
    ("一、清廉机关建设现状", False),  # a heading
    ("尊敬的各位领导，同志们：", False),  # a salutation
])
def test_title_line(first, is_title):
    title, rest = take_title([Block(first), Block("正文。")])
    assert (title == first) is is_title
    assert len(rest) == (1 if is_title else 2)
