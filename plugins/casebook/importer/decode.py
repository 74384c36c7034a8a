"""Reading a source file into blocks: the encoding found, lines split.

Legacy material arrives as UTF-8 (with or without BOM), GB18030/GBK from
old Windows tools, or UTF-16 from Word's "Unicode text"; line ends are CRLF
or LF. Word files go to ``wordfile``.

GB18030 can decode almost any bytes, so decoding without error proves
nothing: a Shift-JIS or Big5 file comes out as a string of rare
characters. Text read as GB18030 is accepted only when it reads like
Chinese (see ``_reads_as_chinese``); anything else is refused with the
suggestion to name the encoding (``--encoding``) rather than written as
garbled text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from casebook.importer.limits import MAX_TEXT_BYTES, check_text_size
from casebook.importer.model import HEADING, Block, ImportFailure, Source

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


def read_source(path: Path, encoding: str | None = None) -> Source:
    """The file's blocks; raises ImportFailure with a Chinese message.
    ``encoding``: the editor's word for how a text file is encoded."""
    if path.suffix.lower() == ".docx":
        from casebook.importer.wordfile import read_docx

        return read_docx(path)
    try:
        check_text_size(path.stat().st_size)
        with path.open("rb") as stream:
            data = stream.read(MAX_TEXT_BYTES + 1)  # bounded even if the file grows while read
    except PermissionError:
        raise ImportFailure("没有读取权限，无法打开文件") from None
    except OSError as exc:
        raise ImportFailure(f"无法读取文件（{exc.strerror or exc}）") from None
    check_text_size(len(data))
    text, used = decode_bytes(data, encoding)
    markdown = path.suffix.lower() == ".md"
    if markdown and _has_front_matter(text):
        raise ImportFailure("文件已带有字段区（--- 包围的 front matter），已经是条目格式："
                            "请直接放入 cases/ 对应文件夹，再运行 casebook check")
    blocks = text_blocks(text, markdown)
    if not blocks:
        raise ImportFailure("文件没有文字内容（空文件）")
    return Source(path.name, blocks, used, markdown=markdown)


def known_encoding(name: str) -> str | None:
    """The codec's canonical name, or None when Python does not know it."""
    try:
        return codecs.lookup(name.strip()).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text with LF line ends, name of the encoding used)."""
    if not data.strip(b" \t\r\n\x00"):
        raise ImportFailure("文件没有文字内容（空文件）")
    if encoding:
        return _decode_as(data, encoding)
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return _lines(data.decode(codec)), label
            except UnicodeDecodeError:
                raise ImportFailure(f"文件开头标明是 {label} 编码，但内容有损坏，无法读取") from None
    utf8_error = None
    for codec, label in _guesses(data):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            if codec == "utf-8":
                utf8_error = exc
            continue
        if not _looks_like_text(text):
            continue
        if codec == "gb18030" and not (_reads_as_chinese(text) and not _other_cjk_encoding(data)):
            continue
        return _lines(text), label
    raise ImportFailure(_undecidable(data, utf8_error))


def _decode_as(data: bytes, encoding: str) -> tuple[str, str]:
    codec = known_encoding(encoding)
    if codec is None:
        raise ImportFailure(f"不认识的编码“{encoding}”：常用的有 utf-8、gb18030、big5、shift_jis、utf-16")
    if codec == "utf-8":
        codec = "utf-8-sig"  # a BOM is not text
    try:
        return _lines(data.decode(codec)), encoding.strip().upper()
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"按指定的编码 {encoding} 读取失败：第 {_line_of(data, exc.start)} 行有无法识别的字节"
                            f"（0x{data[exc.start]:02X}）；请确认文件的编码，或不加 --encoding 由程序识别") from None


def _undecidable(data: bytes, utf8_error: UnicodeDecodeError | None) -> str:
    """Why the encoding is refused, where UTF-8 fails, and what to try."""
    where = f"（按 UTF-8 读取时第 {_line_of(data, utf8_error.start)} 行出错）" if utf8_error else ""
    guess = _library_guess(data)
    hint = f"看起来可能是 {guess} 编码，" if guess else ""
    example = f"--encoding {guess}" if guess else "--encoding gbk"
    return (f"无法识别文件编码{where}：{hint}为避免写入乱码，没有导入。如确知文件的编码，请加参数指定，"
            f"如 {example}；或用记事本打开后“另存为”UTF-8 编码，再导入")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# Double-byte encodings whose files GB18030 also decodes, into nonsense.
_OTHER_CJK = {"big5": "big5", "big5hkscs": "big5", "cp950": "big5", "cp932": "shift_jis", "shift_jis": "shift_jis",
              "shift_jis_2004": "shift_jis", "shift_jisx0213": "shift_jis", "euc_jp": "euc_jp",
              "euc_jis_2004": "euc_jp", "euc_jisx0213": "euc_jp", "euc_kr": "euc_kr", "cp949": "euc_kr",
              "johab": "euc_kr"}
_GUESS_MIN_BYTES = 100  # below this, charset-normalizer takes short Chinese for Korean (measured on the seeds)


def _library_guess(data: bytes) -> str:
    """charset-normalizer's best guess, as a name for ``--encoding``; "" when none."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
    except Exception:  # noqa: BLE001 - a failed guess is just no guess
        return ""
    name = (best.encoding or "").lower() if best is not None else ""
    return _OTHER_CJK.get(name, name if name.startswith(("cp125", "latin", "iso8859", "koi8", "mac")) else "")


def _other_cjk_encoding(data: bytes) -> bool:
    """charset-normalizer is sure enough (given enough bytes) that this is
    Japanese, Korean or Big5 rather than Chinese in GB18030."""
    return len(data) >= _GUESS_MIN_BYTES and _library_guess(data) in set(_OTHER_CJK.values())


def _guesses(data: bytes):
    if b"\x00" in data:  # UTF-16 without BOM: ASCII characters carry a zero byte
        even_zeros = data[0::2].count(0)
        odd_zeros = data[1::2].count(0)
        yield ("utf-16-le", "UTF-16") if odd_zeros >= even_zeros else ("utf-16-be", "UTF-16")
    yield "utf-8", "UTF-8"
    yield "gb18030", "GB18030/GBK"


def _reads_as_chinese(text: str, sample: int = 20_000) -> bool:
    """Chinese text read as GB18030 is made almost only of the 3,755 common
    characters (GB 2312 level 1: 99 % of the characters of running text);
    another encoding read as GB18030 gives rare characters instead."""
    han = [ch for ch in text[:sample * 4] if "\u4e00" <= ch <= "\u9fff"][:sample]
    odd = [ch for ch in text[:sample * 4] if ord(ch) > 0x7F and not ("\u4e00" <= ch <= "\u9fff")
           and unicodedata.category(ch)[0] in "LS" and not _is_gb2312(ch)]
    if not han:
        return not odd  # no Chinese at all: punctuation and Latin are fine
    common = sum(1 for ch in han if _gb2312_level(ch) == 1)
    kana = sum(1 for ch in text[:sample * 4] if "\u3040" <= ch <= "\u30ff")  # EUC-JP lands on GB 2312's kana rows
    return (common >= 0.8 * len(han) and len(odd) <= max(2, 0.05 * len(han))
            and kana <= max(2, 0.05 * len(han)))


def _gb2312_level(ch: str) -> int:
    """1 or 2 for a character of GB 2312 level 1 or 2, 0 for any other."""
    try:
        lead = ch.encode("gb2312")[0]
    except UnicodeEncodeError:
        return 0
    return 1 if 0xB0 <= lead <= 0xD7 else 2 if 0xD8 <= lead <= 0xF7 else 0


def _is_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


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
