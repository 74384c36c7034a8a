"""The same report saved as UTF-8 (with or without BOM), GB18030/GBK or
UTF-16, with CRLF or LF line ends, gives the same entry; files that cannot
be read give a Chinese reason, never a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from casebook.core.vocab import load_vocabularies
from casebook.importer.decode import decode_bytes
from casebook.importer.model import ImportFailure
from casebook.importer.pipeline import FAILED, ImportSettings, import_file
from casebook.importer.writer import TargetPlanner

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
TODAY = dt.date(2024, 5, 6)

REPORT = (
    "市妇联关于清廉机关建设情况的汇报\r\n"
    "今年以来，市妇联坚持把清廉机关建设融入机关党建，取得了一定成效。现将有关情况汇报如下：\r\n"
    "一、加强思想教育。一是组织集中学习12次，覆盖全体干部。二是开展“清廉家风”主题活动，参与家庭1,500户。\r\n"
    "二、完善制度机制\r\n"
    "修订内部管理制度8项(含财务、采购),堵塞廉政风险点。  \r\n"
)


def settings_for(root: Path) -> ImportSettings:
    vocabs, _ = load_vocabularies(REPO / "cases", REPO)
    return ImportSettings(root, root / "cases", vocabs, TargetPlanner(root / "cases", None, False),
                          dry_run=True, today=TODAY)


def import_bytes(tmp_path: Path, label: str, data: bytes, name: str = "汇报.txt"):
    folder = tmp_path / label
    folder.mkdir()
    path = folder / name
    path.write_bytes(data)
    return import_file(path, settings_for(tmp_path))


ENCODINGS = {
    "utf-8": lambda s: s.encode("utf-8"),
    "utf-8-bom": lambda s: s.encode("utf-8-sig"),
    "gbk": lambda s: s.encode("gbk"),
    "gb18030": lambda s: s.encode("gb18030"),
    "utf-16": lambda s: s.encode("utf-16"),  # with BOM, as Word's "Unicode text"
    "utf-16-le-no-bom": lambda s: s.encode("utf-16-le"),
    "utf-16-be": lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
    "lf": lambda s: s.replace("\r\n", "\n").encode("utf-8"),
    "gbk-lf": lambda s: s.replace("\r\n", "\n").encode("gbk"),
}


@pytest.mark.parametrize("label", sorted(ENCODINGS))
def test_every_encoding_gives_the_same_entry(label, tmp_path):
    expected = import_bytes(tmp_path, "reference", REPORT.encode("utf-8"))
    result = import_bytes(tmp_path, label, ENCODINGS[label](REPORT))
    assert result.status != FAILED, result.notes
    assert result.text == expected.text
    assert result.target.name == expected.target.name


def test_entry_content_from_gbk(tmp_path):
    result = import_bytes(tmp_path, "gbk", REPORT.encode("gbk"))
    assert result.encoding == "GB18030/GBK"
    assert "## 一、加强思想教育" in result.text
    assert "**一是组织集中学习12次**，覆盖全体干部。" not in result.text  # the lead ends at 。
    assert "**一是组织集中学习12次，覆盖全体干部**。" in result.text
    assert "1,500户" in result.text  # a thousands separator is not Chinese punctuation
    assert "（含财务、采购），堵塞" in result.text
    assert "\r" not in result.text


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not found")
@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_seed_saved_as_gbk_and_utf16_gives_the_same_entry(encoding, tmp_path):
    seed = SEEDS / "001_847022781257bab9.txt"
    text = seed.read_text(encoding="utf-8")
    reference = import_bytes(tmp_path, "utf8", text.encode("utf-8"), seed.name)
    converted = import_bytes(tmp_path, encoding, text.replace("\n", "\r\n").encode(encoding), seed.name)
    assert converted.text == reference.text


@pytest.mark.parametrize("data, words", [
    (b"", "空文件"),
    (b"   \r\n\t\r\n", "空文件"),
    (b"\xef\xbb\xbf", "空文件"),
    ("\ufeff".encode("utf-16-le") + b"\x00\xd8", "损坏"),  # a UTF-16 BOM, then half a surrogate pair
])
def test_unreadable_content_fails_with_a_reason(data, words, tmp_path):
    result = import_bytes(tmp_path, "bad", data)
    assert result.status == FAILED
    assert any(words in note for note in result.notes), result.notes


def test_binary_garbage_is_not_taken_for_text():
    with pytest.raises(ImportFailure, match="无法识别文件编码"):
        decode_bytes(bytes(range(256)) * 8)


def test_only_scrape_markers_is_nothing_to_import(tmp_path):
    result = import_bytes(tmp_path, "markers", "##paidbegin##\n##paidend##\n".encode("utf-8"))
    assert result.status == FAILED
    assert "抓取标记" in result.notes[0]


def test_unreadable_file_fails_without_traceback(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("标题\n正文。", encoding="utf-8")

    settings = settings_for(tmp_path)
    opened = Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)  # chmod 000 does not stop root
    result = import_file(path, settings)
    assert result.status == FAILED
    assert "没有读取权限" in result.notes[0]
