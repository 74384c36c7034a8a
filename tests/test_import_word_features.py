"""Each feature of real Word files, one at a time: the entry holds the text
Word shows with all changes accepted, and everything left out is named in
the import report and in the draft's review notes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import markdown
import pytest
import yaml
from casebook.core.entry import split_front_matter
from casebook.core.vocab import load_vocabularies
from casebook.importer.pipeline import FAILED, ImportSettings, import_file
from casebook.importer.writer import TargetPlanner
from wordxml import NSDECL, R_NS, W_NS, MergedTable, Para, Seg, WordFile, run

REPO = Path(__file__).resolve().parents[1]
TITLE = Para([Seg("text", "市财政局清廉机关建设情况汇报")], style="Title")


def do_import(tmp_path: Path, word: WordFile, name: str = "材料.docx"):
    vocabs, _ = load_vocabularies(REPO / "cases", REPO)
    settings = ImportSettings(tmp_path, tmp_path / "cases", vocabs, TargetPlanner(tmp_path / "cases", None, False),
                              dry_run=True, today=dt.date(2024, 5, 6))
    result = import_file(word.save(tmp_path / name), settings)
    assert result.status != FAILED, result.notes
    return result


def body_of(tmp_path: Path, *items, **extra) -> str:
    _, body, _ = split_front_matter(do_import(tmp_path, WordFile([TITLE, *items], **extra)).text)
    return body


def review_notes(text: str) -> list[str]:
    """The ``# 待核对：`` lines at the top of the draft's front matter."""
    return re.findall(r"^# 待核对：(.*)$", text, re.M)


# -- tracked changes -----------------------------------------------------------
def test_tracked_insertions_in_deletions_out(tmp_path):
    body = body_of(tmp_path, Para([Seg("text", "党组"), Seg("ins", "认真"), Seg("del", "敷衍"), Seg("text", "落实主体责任。"),
                                   Seg("movefrom", "搬走的句子。"), Seg("moveto", "搬来的句子。")]))
    assert "党组认真落实主体责任。搬来的句子。" in body
    assert "敷衍" not in body and "搬走" not in body


def test_a_deleted_paragraph_mark_joins_the_paragraphs(tmp_path):
    body = body_of(tmp_path, Para([Seg("text", "全年开展谈话"), Seg("del", "。")], mark_deleted=True),
                   Para([Seg("text", "120人次。")]))
    assert "全年开展谈话120人次。" in body


def test_a_deleted_table_row_is_gone(tmp_path):
    row = '<w:tr><w:tc><w:p>{}</w:p></w:tc><w:tc><w:p>{}</w:p></w:tc></w:tr>'
    deleted = (f'<w:tr><w:trPr><w:del w:id="9" w:author="a" w:date="2024-01-01T00:00:00Z"/></w:trPr>'
               f'<w:tc><w:p>{run("删掉的行")}</w:p></w:tc><w:tc><w:p>{run("0")}</w:p></w:tc></w:tr>')
    table = (f'<w:tbl {NSDECL}><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>'
             f'{row.format(run("项目"), run("数量"))}{deleted}{row.format(run("谈话"), run("12"))}</w:tbl>')
    body = body_of(tmp_path, table)
    assert "| 谈话 | 12 |" in body and "删掉的行" not in body


# -- content controls, fields, links, smart tags --------------------------------
def test_a_date_in_an_inline_content_control_is_kept(tmp_path):
    body = body_of(tmp_path, Para([Seg("text", "会议于"), Seg("sdt", "2023年6月15日"), Seg("text", "召开。")]))
    assert "会议于2023年6月15日召开。" in body


def test_block_content_controls_are_read_and_empty_ones_named(tmp_path):
    block = (f'<w:sdt {NSDECL}><w:sdtPr><w:id w:val="7"/></w:sdtPr><w:sdtContent>'
             f'<w:p>{run("控件里的整段文字。")}</w:p></w:sdtContent></w:sdt>')
    empty = (f'<w:sdt {NSDECL}><w:sdtPr><w:id w:val="8"/><w:showingPlcHdr/></w:sdtPr><w:sdtContent>'
             f'<w:p>{run("单击或点击此处输入文字。")}</w:p></w:sdtContent></w:sdt>')
    result = do_import(tmp_path, WordFile([TITLE, block, empty]))
    assert "控件里的整段文字。" in result.text
    assert "单击或点击" not in split_front_matter(result.text)[1]
    assert any(n.startswith("未填写的内容控件中的提示文字 1 处未导入") for n in result.notes)


def test_field_results_kept_instructions_dropped(tmp_path):
    body = body_of(tmp_path, Para([Seg("text", "详见"), Seg("field", "第三部分", r"REF _Ref12345 \h"),
                                   Seg("text", "，数据来自"), Seg("simple", "市统计局", "DOCPROPERTY Company"),
                                   Seg("text", "。")]))
    assert "详见第三部分，数据来自市统计局。" in body
    assert "REF" not in body and "_Ref" not in body and "DOCPROPERTY" not in body


def test_a_field_inside_an_instruction_shows_only_the_outer_result(tmp_path):
    nested = (f'<w:p {NSDECL}>{run("结果：")}<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
              '<w:r><w:instrText> IF </w:instrText></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
              '<w:r><w:instrText> MERGEFIELD 数量 </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
              f'{run("内层结果")}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
              '<w:r><w:instrText> &gt; 0 "有" "无" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
              f'{run("有")}<w:r><w:fldChar w:fldCharType="end"/></w:r>{run("。")}</w:p>')
    body = body_of(tmp_path, nested)
    assert "结果：有。" in body and "内层结果" not in body


def test_a_table_of_contents_is_not_imported_but_named(tmp_path):
    toc = (f'<w:p {NSDECL}><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
           r'<w:r><w:instrText> TOC \o "1-3" \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
           f'{run("一、加强思想教育 1")}</w:p>')
    toc_end = f'<w:p {NSDECL}>{run("二、完善制度机制 2")}<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    result = do_import(tmp_path, WordFile([TITLE, toc, toc_end, Para([Seg("text", "一、加强思想教育")]),
                                           Para([Seg("text", "正文第一段。")])]))
    body = split_front_matter(result.text)[1]
    assert body.count("加强思想教育") == 1 and "完善制度机制" not in body
    assert any(n.startswith("目录（TOC 域） 1 处未导入") for n in result.notes)


def test_hyperlinks_and_smart_tags_keep_their_text(tmp_path):
    external = (f'<w:p {NSDECL}>{run("详见")}<w:hyperlink r:id="rIdLink">{run("市纪委网站")}</w:hyperlink>{run("。")}</w:p>')
    word = WordFile([TITLE, Para([Seg("text", "在"), Seg("smart", "北京"), Seg("text", "参加"), Seg("link", "培训"),
                                  Seg("text", "。")]), external])
    path = word.save(tmp_path / "链接.docx")
    import docx  # the address of an external link lives in the relationships

    document = docx.Document(str(path))
    rid = document.part.relate_to("http://jw.example.cn/a", "http://schemas.openxmlformats.org/officeDocument/2006/"
                                  "relationships/hyperlink", is_external=True)
    for element in document.element.body.iter(f"{{{W_NS}}}hyperlink"):
        if element.get(f"{{{R_NS}}}id") == "rIdLink":
            element.set(f"{{{R_NS}}}id", rid)
    document.save(str(path))
    vocabs, _ = load_vocabularies(REPO / "cases", REPO)
    result = import_file(path, ImportSettings(tmp_path, tmp_path / "cases", vocabs,
                                              TargetPlanner(tmp_path / "cases", None, False), dry_run=True))
    body = split_front_matter(result.text)[1]
    assert "在北京参加培训。" in body and "详见市纪委网站。" in body
    assert any("超链接的地址 1 个未导入：“http://jw.example.cn/a”" in n for n in result.notes)


def test_hidden_text_is_not_imported_but_named(tmp_path):
    result = do_import(tmp_path, WordFile([TITLE, Para([Seg("text", "公开的句子。"), Seg("hidden", "隐藏的批示。")])]))
    assert "隐藏的批示" not in split_front_matter(result.text)[1]
    assert any("隐藏文字 1 处未导入：“隐藏的批示。”" in n for n in review_notes(result.text))


# -- line breaks ---------------------------------------------------------------
def test_a_soft_break_inside_a_sentence_is_joined(tmp_path):
    body = body_of(tmp_path, Para([Seg("text", "全年共开展廉政"), Seg("br"), Seg("text", "谈话120人次。")]))
    assert "全年共开展廉政谈话120人次。" in body


def test_a_soft_break_does_not_stop_the_ordinal_split(tmp_path):
    body = body_of(tmp_path, Para([Seg("text", "一、加强思想教育")]),
                   Para([Seg("text", "现将情况汇报如下。一是组织集中"), Seg("br"), Seg("text", "学习12次。"), Seg("br"),
                         Seg("text", "二是开展主题活动。")]))
    paragraphs = [p.strip() for p in body.split("\n\n")]
    assert "**一是组织集中学习12次**。" in paragraphs
    assert "**二是开展主题活动**。" in paragraphs
    assert "现将情况汇报如下。" in paragraphs


def test_soft_breaks_between_sentences_headings_and_dates_separate(tmp_path):
    body = body_of(tmp_path,
                   Para([Seg("text", "（一）压实主体责任"), Seg("br"), Seg("text", "党组书记带头讲党课。")]),
                   Para([Seg("text", "第一句话。"), Seg("br"), Seg("text", "第二句话。")]),
                   Para([Seg("text", "市财政局"), Seg("br"), Seg("text", "2023年6月15日")]))
    paragraphs = [p.strip() for p in body.split("\n\n")]
    assert "### （一）压实主体责任" in paragraphs or "## （一）压实主体责任" in paragraphs
    assert "党组书记带头讲党课。" in paragraphs
    assert "第一句话。" in paragraphs and "第二句话。" in paragraphs
    assert paragraphs[-1].strip() == "2023年6月15日"


def test_latin_words_across_a_soft_break_keep_a_space(tmp_path):
    body = body_of(tmp_path, Para([Seg("text", "使用 Office"), Seg("br"), Seg("text", "Word 编辑。")]))
    assert "使用 Office Word 编辑。" in body


def test_a_page_break_ends_a_paragraph(tmp_path):
    page = f'<w:p {NSDECL}>{run("分页前的一段。")}<w:r><w:br w:type="page"/></w:r>{run("分页后的一段。")}</w:p>'
    paragraphs = [p.strip() for p in body_of(tmp_path, page).split("\n\n")]
    assert "分页前的一段。" in paragraphs and "分页后的一段。" in paragraphs


# -- tables --------------------------------------------------------------------
def test_a_vertically_merged_cell_appears_once(tmp_path):
    body = body_of(tmp_path, MergedTable([["单位", "活动", "人次"],
                                          ["市财政局", "廉政谈话", "120"],
                                          [None, "警示教育", "80"],
                                          [None, "家访", "30"]]))
    assert body.count("市财政局") == 1
    assert "| 市财政局 | 廉政谈话 | 120 |" in body
    assert "|  | 警示教育 | 80 |" in body and "|  | 家访 | 30 |" in body


def test_a_cell_spanning_columns_keeps_the_columns_aligned(tmp_path):
    table = (f'<w:tbl {NSDECL}><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>'
             f'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p>{run("合计")}</w:p></w:tc>'
             f'<w:tc><w:p>{run("150")}</w:p></w:tc></w:tr>'
             f'<w:tr><w:tc><w:p>{run("谈话")}</w:p></w:tc><w:tc><w:p>{run("函询")}</w:p></w:tc>'
             f'<w:tc><w:p>{run("20")}</w:p></w:tc></w:tr></w:tbl>')
    body = body_of(tmp_path, table)
    assert "| 合计 |  | 150 |" in body and "| 谈话 | 函询 | 20 |" in body


# -- footnotes -----------------------------------------------------------------
def test_footnotes_and_endnotes_become_markdown_footnotes(tmp_path):
    body = body_of(tmp_path,
                   Para([Seg("text", "全年处置问题线索12件。"), Seg("footnote", extra="数据截至2023年11月。")]),
                   Para([Seg("text", "一是强化监督"), Seg("footnote", extra="含专项监督。\n第二段说明。"),
                         Seg("text", "。二是严肃问责。"), Seg("endnote", extra="见年度报告。")]))
    assert "全年处置问题线索12件。[^1]" in body
    assert "**一是强化监督[^2]**。" in body
    assert "**二是严肃问责**。[^3]" in body
    assert "[^1]: 数据截至2023年11月。" in body
    assert "[^2]: 含专项监督。\n\n    第二段说明。" in body
    assert "[^3]: 见年度报告。" in body
    html = markdown.markdown(body, extensions=["footnotes", "tables"])
    assert html.count('class="footnote-ref"') == 3
    assert "第二段说明。" in html.split('class="footnote"')[1]


def test_the_site_renders_footnotes():
    class ConfigLoader(yaml.SafeLoader):
        """mkdocs.yml as data: MkDocs' own tags (!ENV, !!python/…) read as nothing."""

    ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
    extensions = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=ConfigLoader)  # noqa: S506
    names = [e if isinstance(e, str) else next(iter(e)) for e in extensions["markdown_extensions"]]
    assert "footnotes" in names


# -- what is not imported -------------------------------------------------------
def test_headers_footers_comments_and_pictures_are_named(tmp_path):
    import io
    import struct
    import zlib

    import docx

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    path = WordFile([TITLE, Para([Seg("text", "正文第一段。")])], header="市财政局文件",
                    footer="第 1 页 共 3 页", comments=["请核实数字"]).save(tmp_path / "附件.docx")
    document = docx.Document(str(path))
    document.add_picture(io.BytesIO(png))
    document.save(str(path))
    vocabs, _ = load_vocabularies(REPO / "cases", REPO)
    result = import_file(path, ImportSettings(tmp_path, tmp_path / "cases", vocabs,
                                              TargetPlanner(tmp_path / "cases", None, False), dry_run=True))
    expected = ["页眉 1 处未导入：“市财政局文件”", "页脚 1 处未导入：“第 1 页 共 3 页”",
                "批注 1 条未导入：“请核实数字”", "图片 1 张未导入"]
    drafted = review_notes(result.text)
    for words in expected:
        assert any(n.startswith(words) for n in result.notes), words
        assert any(n.startswith(words) for n in drafted), words
    body = split_front_matter(result.text)[1]
    assert "市财政局文件" not in body and "请核实数字" not in body and "第 1 页" not in body


def test_a_text_box_stored_twice_is_imported_once(tmp_path):
    box = f'<w:txbxContent>{"<w:p>" + run("文本框里的说明文字。") + "</w:p>"}</w:txbxContent>'
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    paragraph = (f'<w:p {NSDECL} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                 f'xmlns:wps="{wps}" xmlns:v="urn:schemas-microsoft-com:vml">{run("正文。")}<w:r><mc:AlternateContent>'
                 f'<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></w:drawing>'
                 f'</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>'
                 '</mc:Fallback></mc:AlternateContent></w:r></w:p>')
    result = do_import(tmp_path, WordFile([TITLE, paragraph]))
    assert split_front_matter(result.text)[1].count("文本框里的说明文字。") == 1
    assert any(n.startswith("文本框中的文字 1 段已作为普通段落导入") for n in result.notes)


# -- markup in the document ----------------------------------------------------
def test_markup_in_a_word_title_and_body_stays_text(tmp_path):
    title = Para([Seg("text", "<script>alert(1)</script>关于清廉机关建设的汇报")], style="Title")
    word = WordFile([title, Para([Seg("text", '正文<img src=x onerror="alert(2)">写着&lt;b&gt;。')])])
    result = do_import(tmp_path, word)
    front, body, _ = split_front_matter(result.text)
    data = yaml.safe_load(front)
    assert data["title"] == "＜script＞alert(1)＜/script＞关于清廉机关建设的汇报"
    assert "原文中的 < > 已改为全角" in front
    html = markdown.markdown(body, extensions=["footnotes", "tables"])
    assert "<script" not in html and "<img" not in html
    assert "&lt;img" in html and "&amp;lt;b&amp;gt;" in html  # shown as written


@pytest.mark.parametrize("name", ["a\nstatus: published.docx", "x\r---\ntitle: y.docx", "<img src=x onerror=1>.docx"])
def test_a_file_name_cannot_break_out_of_the_front_matter(name, tmp_path):
    result = do_import(tmp_path, WordFile([TITLE, Para([Seg("text", "正文。")])]), name=name)
    front, _, _ = split_front_matter(result.text)
    data = yaml.safe_load(front)
    assert data["status"] == "draft" and data["title"] == "市财政局清廉机关建设情况汇报"
    assert "<" not in data["source"]


def test_html_in_a_markdown_source_is_flagged_for_review(tmp_path):
    path = tmp_path / "材料.md"
    path.write_text("# 市财政局汇报\n\n正文<iframe srcdoc=x></iframe>一段。\n\n另一段。\n", encoding="utf-8")
    vocabs, _ = load_vocabularies(REPO / "cases", REPO)
    result = import_file(path, ImportSettings(tmp_path, tmp_path / "cases", vocabs,
                                              TargetPlanner(tmp_path / "cases", None, False), dry_run=True))
    assert any(n.startswith("原文中有 HTML 标签 “<iframe srcdoc=x>”、“</iframe>”") for n in review_notes(result.text))
    assert result.review_count >= 1 + sum(1 for g in (result.meta.title, result.meta.unit) if g.note)


def test_a_note_referred_to_from_hidden_or_deleted_text_is_not_numbered(tmp_path):
    body = body_of(tmp_path, Para([Seg("text", "第一句。"), Seg("del", "删去的话"), Seg("text", "第二句。"),
                                   Seg("footnote", extra="保留的脚注。")]),
                   f'<w:p {NSDECL}>{run("第三句。")}<w:r><w:rPr><w:vanish/></w:rPr>'
                   '<w:footnoteReference w:id="9"/></w:r></w:p>')
    assert "第二句。[^1]" in body and "[^1]: 保留的脚注。" in body and "[^2]" not in body
