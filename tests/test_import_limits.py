"""Input the importer refuses rather than turning into a wrong draft: text
in an encoding it cannot tell for sure, oversized text, Word files too
large stored or unpacked (zip bombs, forged zip directories), drafts over
the entry limit. Each refusal is a Chinese message naming the file, a
non-zero exit, no traceback, and nothing written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from casebook.commands.cli import main
from casebook.importer import limits

JAPANESE = ("本日の会議では、来年度の予算案について議論しました。各部署からの報告を受けて、"
            "担当者が改善策を説明しました。次回の会議は来月に開催される予定です。\n") * 3
CHINESE = "市妇联清廉机关建设情况汇报\n今年以来，市妇联坚持把清廉机关建设融入机关党建，取得了一定成效。\n"


@pytest.fixture
def project(project, monkeypatch) -> Path:
    monkeypatch.chdir(project)
    return project


def run(root: Path, *args) -> int:
    try:
        return main(["--root", str(root), "import", *map(str, args)])
    except SystemExit as exc:
        return exc.code


def refused(project: Path, capsys, path: Path, *words: str, args=(), code: int = 1) -> str:
    """Import ``path``; assert it is refused with ``words`` and nothing is written."""
    assert run(project, *args, path) == code
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output
    assert path.name in output
    for word in words:
        assert word in output, output
    assert not list((project / "cases").rglob("*.md"))
    return output


# -- encodings -----------------------------------------------------------------
def test_shift_jis_is_refused_not_written_as_garbled_chinese(project, capsys):
    path = project / "会議.txt"
    path.write_bytes(JAPANESE.encode("shift_jis"))
    refused(project, capsys, path, "无法识别文件编码", "为避免写入乱码", "--encoding shift_jis")


@pytest.mark.parametrize("codec", ["euc_jp", "euc_kr", "big5"])
def test_other_east_asian_encodings_are_refused(codec, project, capsys):
    text = {"euc_jp": JAPANESE, "euc_kr": "회의에서 내년도 예산안에 대해 논의했습니다. 각 부서의 보고를 받았습니다.\n" * 3,
            "big5": "市婦聯關於清廉機關建設情況的匯報。今年以來，堅持把清廉機關建設融入機關黨建。\n" * 3}[codec]
    path = project / f"材料-{codec}.txt"
    path.write_bytes(text.encode(codec))
    refused(project, capsys, path, "无法识别文件编码", f"--encoding {codec}")


def test_the_refusal_names_the_line_where_utf8_fails(project, capsys):
    path = project / "半截.txt"
    path.write_bytes("第一行是中文。\n第二行也是。\n".encode("utf-8") + JAPANESE.encode("shift_jis"))
    refused(project, capsys, path, "第 3 行")


def test_the_named_encoding_is_honoured(project, capsys):
    path = project / "会議.txt"
    path.write_bytes(JAPANESE.encode("shift_jis"))
    assert run(project, "--encoding", "shift_jis", path) == 0
    [entry] = list((project / "cases").rglob("*.md"))
    assert "本日の会議では、来年度の予算案について議論しました。" in entry.read_text(encoding="utf-8")


def test_the_named_encoding_overrides_a_confident_guess(project, capsys):
    path = project / "汇报.txt"
    path.write_bytes(CHINESE.encode("gbk"))
    refused(project, capsys, path, "按指定的编码 utf-8 读取失败", "第 1 行", args=("--encoding", "utf-8"))


def test_an_unknown_encoding_name_is_bad_usage(project, capsys):
    path = project / "汇报.txt"
    path.write_bytes(CHINESE.encode("gbk"))
    assert run(project, "--encoding", "klingon", path) == 2
    err = capsys.readouterr().err
    assert "--encoding：不认识的编码“klingon”" in err and "Traceback" not in err


def test_gbk_is_still_read_without_being_told(project, capsys):
    path = project / "汇报.txt"
    path.write_bytes(CHINESE.encode("gbk"))
    assert run(project, path) == 0
    [entry] = list((project / "cases").rglob("*.md"))
    assert "坚持把清廉机关建设融入机关党建" in entry.read_text(encoding="utf-8")


# -- sizes ---------------------------------------------------------------------
def test_a_20_mb_text_is_refused_with_the_limit(project, capsys):
    path = project / "合订本.txt"
    path.write_bytes(CHINESE.encode("utf-8") * (20 * 1024 * 1024 // len(CHINESE.encode("utf-8"))))
    refused(project, capsys, path, "超过导入上限 2 MB", "拆分")


def test_a_docx_that_unpacks_to_300_mb_is_refused_for_its_unpacked_size(project, capsys):
    path = project / "炸弹.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        docx.Document().save(project / "plain.docx")
        with zipfile.ZipFile(project / "plain.docx") as plain:
            for info in plain.infolist():
                package.writestr(info, plain.read(info))
        with package.open("word/media/image1.png", "w") as member:  # 300 MB of zeros, ~300 KB stored
            block = bytes(1024 * 1024)
            for _ in range(300):
                member.write(block)
    assert path.stat().st_size < 2 * 1024 * 1024
    refused(project, capsys, path, "解压后", "超过上限 100 MB")


def test_a_zip_directory_that_understates_sizes_does_not_get_past(project, capsys, monkeypatch):
    """The directory claims a small member; the data inflates to far more.
    Reading stops at the claimed size and the package is refused."""
    path = project / "伪造.docx"
    docx.Document().save(project / "plain.docx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        with zipfile.ZipFile(project / "plain.docx") as plain:
            for info in plain.infolist():
                package.writestr(info, plain.read(info))
        package.writestr("word/media/big.bin", bytes(8 * 1024 * 1024))
    data = bytearray(path.read_bytes())
    size = (8 * 1024 * 1024).to_bytes(4, "little")
    small = (1000).to_bytes(4, "little")
    # the uncompressed size in the local header and in the central directory
    name = b"word/media/big.bin"
    for at in [i for i in range(len(data)) if data.startswith(name, i)]:
        for offset in range(max(0, at - 46), at):
            if data[offset:offset + 4] == size:
                data[offset:offset + 4] = small
    path.write_bytes(bytes(data))
    refused(project, capsys, path, "文件已损坏")


def test_a_docx_over_the_stored_limit_is_refused(project, capsys, monkeypatch):
    monkeypatch.setattr(limits, "MAX_DOCX_BYTES", 1024)
    path = project / "大文件.docx"
    docx.Document().save(path)
    refused(project, capsys, path, "Word 文件有", "超过导入上限 1 KB")


def test_a_huge_xml_part_is_refused_by_name(project, capsys, monkeypatch):
    path = project / "长文.docx"
    document = docx.Document()
    for _ in range(5000):  # a text part larger than the template's style parts
        document.add_paragraph("今年以来，市妇联坚持把清廉机关建设融入机关党建。")
    document.save(path)
    with zipfile.ZipFile(path) as package:
        others = max(i.file_size for i in package.infolist() if i.filename != "word/document.xml")
    monkeypatch.setattr(limits, "MAX_DOCX_PART", others + 1)  # only the text part is over
    refused(project, capsys, path, "word/document.xml", "超过单个部件上限")


def test_a_draft_over_the_entry_limit_is_not_written(project, capsys, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ENTRY_BYTES", 4096)
    path = project / "长汇报.txt"
    path.write_text(CHINESE + "全年开展谈话一百二十人次。\n" * 200, encoding="utf-8")
    refused(project, capsys, path, "转换后的条目有", "超过条目上限 4 KB")


def test_the_limits_are_stated_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = "".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "文本文件2MB" in out and "Word文件50MB" in out and "解压后100MB" in out


def test_the_guide_states_the_limits_the_code_applies():
    """The limits are written once in limits.py; the editors' guide must agree."""
    from casebook.importer.limits import size_text

    guide = (Path(__file__).resolve().parents[1] / "docs" / "guide" / "import.md").read_text(encoding="utf-8")
    stated = (f"文本文件（.txt、.md）{size_text(limits.MAX_TEXT_BYTES)}；Word 文件 {size_text(limits.MAX_DOCX_BYTES)}，"
              f"解压后（Word 文件实际是一个压缩包）合计 {size_text(limits.MAX_DOCX_UNPACKED)}，"
              f"其中正文等单个部件 {size_text(limits.MAX_DOCX_PART)}；生成的条目 {size_text(limits.MAX_ENTRY_BYTES)}")
    assert stated in guide
