"""Importing Word files made with python-docx: headings as Word heading
styles and as plain numbered paragraphs, automatic numbering, the Title
style, tables; broken files give a Chinese reason."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from casebook.core.entry import split_front_matter
from casebook.core.vocab import load_vocabularies
from casebook.importer.pipeline import FAILED, ImportSettings, import_file
from casebook.importer.wordfile import chinese_numeral
from casebook.importer.writer import TargetPlanner

REPO = Path(__file__).resolve().parents[1]


def do_import(tmp_path: Path, path: Path):
    vocabs, _ = load_vocabularies(REPO / "cases", REPO)
    settings = ImportSettings(tmp_path, tmp_path / "cases", vocabs, TargetPlanner(tmp_path / "cases", None, False),
                              dry_run=True, today=dt.date(2024, 5, 6))
    return import_file(path, settings)


def headings(text: str) -> list[tuple[int, str]]:
    _, body, _ = split_front_matter(text)
    return [(len(m.group(1)), m.group(2)) for m in re.finditer(r"^(#{2,6}) (.+)$", body, re.M)]


@pytest.fixture
def mixed_report(tmp_path) -> Path:
    """Headings both ways: Word heading styles, and numbers typed into
    ordinary paragraphs, as office staff write them."""
    document = docx.Document()
    document.add_paragraph("市财政局关于2023年清廉机关建设情况的汇报", style="Title")
    document.add_paragraph("　　今年以来，市财政局党组认真落实全面从严治党主体责任，扎实推进清廉机关建设。现将有关情况汇报如下：")
    document.add_heading("一、强化责任落实", level=1)  # a styled heading with a typed number
    document.add_paragraph("（一）压实主体责任")  # a plain paragraph that is a heading
    document.add_paragraph("一是党组书记带头讲廉政党课4次。二是签订党风廉政建设责任书56份，实现全覆盖。")
    document.add_paragraph("（二）健全制度体系。修订内控制度12项，建立风险防控台账。")  # heading and text in one paragraph
    document.add_heading("二、深化廉洁文化", level=1)
    document.add_paragraph("1.打造廉洁文化阵地")
    document.add_paragraph("在机关楼道设置廉洁文化墙，展示廉洁格言警句。")
    document.add_paragraph("开展家庭助廉活动", style="List Number")  # Word's automatic numbering
    document.add_paragraph("组织廉政知识测试", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "数量"
    table.cell(1, 0).text, table.cell(1, 1).text = "廉政谈话", "120人次"
    path = tmp_path / "财政局汇报.docx"
    document.save(path)
    return path


def test_docx_heading_tree(mixed_report, tmp_path):
    result = do_import(tmp_path, mixed_report)
    assert result.status != FAILED, result.notes
    assert headings(result.text) == [
        (2, "一、强化责任落实"),
        (3, "（一）压实主体责任"),
        (3, "（二）健全制度体系"),
        (2, "二、深化廉洁文化"),
        (3, "1.打造廉洁文化阵地"),
        (3, "1.开展家庭助廉活动"),
        (3, "2.组织廉政知识测试"),
    ]


def test_docx_title_style_and_metadata(mixed_report, tmp_path):
    result = do_import(tmp_path, mixed_report)
    front, body, _ = split_front_matter(result.text)
    assert "title: 市财政局关于2023年清廉机关建设情况的汇报  # 待核对：" in front
    assert "unit: 市财政局  # 待核对：" in front
    assert "date: 2023  # 待核对：" in front
    assert result.target.parent.name == "reports"
    assert result.encoding.startswith("Word")
    assert "　" not in body  # the full-width indent is gone …
    assert "删除段首空格和全角缩进 1 处" in result.cleanup.summary()  # … and reported


def test_docx_paragraphs_runs_and_table(mixed_report, tmp_path):
    _, body, _ = split_front_matter(do_import(tmp_path, mixed_report).text)
    assert "**一是党组书记带头讲廉政党课4次**。" in body
    assert "**二是签订党风廉政建设责任书56份，实现全覆盖**。" in body
    assert "修订内控制度12项，建立风险防控台账。" in body
    assert "| 项目 | 数量 |" in body
    assert "| 廉政谈话 | 120人次 |" in body


def test_docx_heading_styles_without_numbers(tmp_path):
    document = docx.Document()
    document.add_paragraph("市档案馆清廉课堂经验做法", style="Title")
    document.add_heading("背景", level=1)
    document.add_paragraph("档案馆青年干部多，廉洁教育需要贴近他们。")
    document.add_heading("主要做法", level=1)
    document.add_heading("开设青廉课堂", level=2)
    document.add_paragraph("每月一讲，由馆领导和青年干部轮流主讲。")
    path = tmp_path / "档案馆.docx"
    document.save(path)
    result = do_import(tmp_path, path)
    assert headings(result.text) == [(2, "背景"), (2, "主要做法"), (3, "开设青廉课堂")]
    assert "type: practice  # 待核对：" in result.text


def test_docx_soft_line_breaks_are_not_lost(tmp_path):
    document = docx.Document()
    document.add_paragraph("标题行")
    paragraph = document.add_paragraph("第一行文字。")
    paragraph.add_run().add_break()
    paragraph.add_run("同一段里换行后的文字。")
    path = tmp_path / "换行.docx"
    document.save(path)
    _, body, _ = split_front_matter(do_import(tmp_path, path).text)
    assert "第一行文字。" in body and "同一段里换行后的文字。" in body


@pytest.mark.parametrize("content, words", [
    (b"this is not a zip file", "不是有效的 Word"),
    (b"PK\x03\x04broken", "不是有效的 Word"),
])
def test_broken_docx_fails_with_a_reason(content, words, tmp_path):
    path = tmp_path / "坏文件.docx"
    path.write_bytes(content)
    result = do_import(tmp_path, path)
    assert result.status == FAILED
    assert words in result.notes[0]


def test_empty_docx_fails_with_a_reason(tmp_path):
    path = tmp_path / "空白.docx"
    docx.Document().save(path)
    result = do_import(tmp_path, path)
    assert result.status == FAILED
    assert "没有文字" in result.notes[0]


@pytest.mark.parametrize("number, text", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (99, "九十九"),
                                          (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_numerals_for_word_numbering(number, text):
    assert chinese_numeral(number) == text


def test_pictures_are_reported_not_silently_dropped(tmp_path):
    import io
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    document = docx.Document()
    document.add_paragraph("市档案馆清廉课堂经验做法")
    document.add_paragraph("课堂现场照片如下。")
    document.add_picture(io.BytesIO(png))
    path = tmp_path / "有图.docx"
    document.save(path)
    result = do_import(tmp_path, path)
    assert any(note.startswith("图片 1 张未导入") for note in result.notes)
    assert "# 待核对：图片 1 张未导入" in result.text  # and the draft says so too
