"""Reading a source file into blocks: the encoding found, lines split.

Legacy material arrives as UTF-8 (with or without BOM), GB18030/GBK from
old Windows tools, or UTF-16 from Word's "Unicode text"; line ends are CRLF
or LF. Word files go to ``wordfile``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from .model import HEADING, Block, ImportFailure, Source

SUPPORTED = (".txt", ".md", ".docx")
# Suffixes editors are likely to try, with what to do instead.
UNSUPPORTED_HINTS = {
    ".doc": "旧版 Word 格式（.doc）不能直接导入：请在 Word 或 WPS 中“另存为” .docx 后再导入",
    ".wps": "WPS 格式不能直接导入：请在 WPS 中“另存为” .docx 后再导入",
    ".rtf": "RTF 格式不能直接导入：请另存为 .docx 或 .txt 后再导入",
    ".pdf": "PDF 不能直接导入：请从原始 Word 文件导入，或把文字复制到 .txt 文件中",
    ".odt": "ODT 格式不能直接导入：请另存为 .docx 后再导入",
}

_BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8（带 BOM）"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def unsupported_reason(path: Path) -> str:
    """Why a file cannot be imported by its suffix, or "" when it can."""
    suffix = path.suffix.lower()
    if suffix in SUPPORTED:
        return ""
    return UNSUPPORTED_HINTS.get(suffix, f"不支持 {suffix or '无扩展名'} 文件：只能导入 .txt、.md 和 .docx")


def read_source(path: Path) -> Source:
    """The file's blocks; raises ImportFailure with a Chinese message."""
    if path.suffix.lower() == ".docx":
        from .wordfile import read_docx

        return read_docx(path)
    try:
        data = path.read_bytes()
    except PermissionError:
        raise ImportFailure("没有读取权限，无法打开文件") from None
    except OSError as exc:
        raise ImportFailure(f"无法读取文件（{exc.strerror or exc}）") from None
    text, encoding = decode_bytes(data)
    markdown = path.suffix.lower() == ".md"
    if markdown and _has_front_matter(text):
        raise ImportFailure("文件已带有字段区（--- 包围的 front matter），已经是条目格式："
                            "请直接放入 cases/ 对应文件夹，再运行 casebook check")
    blocks = text_blocks(text, markdown)
    if not blocks:
        raise ImportFailure("文件没有文字内容（空文件）")
    return Source(path.name, blocks, encoding, markdown=markdown)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text with LF line ends, name of the encoding used)."""
    if not data.strip(b" \t\r\n\x00"):
        raise ImportFailure("文件没有文字内容（空文件）")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return _lines(data.decode(codec)), label
            except UnicodeDecodeError:
                raise ImportFailure(f"文件开头标明是 {label} 编码，但内容有损坏，无法读取") from None
    for codec, label in _guesses(data):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return _lines(text), label
    raise ImportFailure("无法识别文件编码：请用记事本打开后“另存为”UTF-8 编码，再导入")


def _guesses(data: bytes):
    if b"\x00" in data:  # UTF-16 without BOM: ASCII characters carry a zero byte
        even_zeros = data[0::2].count(0)
        odd_zeros = data[1::2].count(0)
        yield ("utf-16-le", "UTF-16") if odd_zeros >= even_zeros else ("utf-16-be", "UTF-16")
    yield "utf-8", "UTF-8"
    yield "gb18030", "GB18030/GBK"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # noqa: BLE001 - a failed guess is just no guess
        best = None
    if best is not None and best.encoding:
        yield best.encoding, best.encoding.upper()


def _looks_like_text(text: str) -> bool:
    """Decoded with the wrong codec, text fills with control and private-use characters."""
    if not text:
        return False
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn") and ch not in "\r\n\t\f")
    return odd / len(text) < 0.01


def _lines(text: str) -> str:
    text = text.lstrip("\ufeff")
    return re.sub(r"\r\n?|[\u2028\u2029\f\v]", "\n", text)


def _has_front_matter(text: str) -> bool:
    lines = text.split("\n")
    return bool(lines) and lines[0].strip() == "---" and any(line.strip() == "---" for line in lines[1:])


def text_blocks(text: str, markdown: bool = False) -> list[Block]:
    """One block a line (pasted documents hold one paragraph a line);
    blank lines only separate. In Markdown, ``#`` headings keep their level."""
    blocks = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        match = _MD_HEADING.match(line.strip()) if markdown else None
        if match:
            blocks.append(Block(match.group(2), HEADING, level=len(match.group(1))))
        else:
            blocks.append(Block(line))
    return blocks
