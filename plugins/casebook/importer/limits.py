"""Size limits of the import, checked before the work they bound.

An editor's material is a report of some pages: tens of kilobytes of text,
a few megabytes of Word file with photographs. The limits sit far above
that and far below what would exhaust the machine, and every refusal says
which limit was hit and what to do.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from casebook.core.textfile import MAX_ENTRY_BYTES as _ENTRY_LIMIT
from casebook.importer.model import ImportFailure

MB = 1024 * 1024
MAX_TEXT_BYTES = 2 * MB  # a .txt/.md source: larger is several documents in one
MAX_ENTRY_BYTES = _ENTRY_LIMIT  # the draft written: no larger than check accepts an entry
MAX_DOCX_BYTES = 50 * MB  # the .docx file as stored (photographs make it large)
MAX_DOCX_UNPACKED = 100 * MB  # all its members once unpacked
MAX_DOCX_PART = 25 * MB  # one XML member unpacked: parsed into memory as a tree
MAX_DOCX_MEMBERS = 5000
_CHUNK = MB


def size_text(size: int) -> str:
    """``2 MB``, ``300.5 MB``, ``12 KB`` for messages."""
    if size >= MB:
        value = size / MB
        return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def check_text_size(size: int) -> None:
    if size > MAX_TEXT_BYTES:
        raise ImportFailure(f"文件有 {size_text(size)}，超过导入上限 {size_text(MAX_TEXT_BYTES)}：一个条目是一份材料，"
                            "请把内容拆分成几个文件分别导入")


def check_entry_size(text: str) -> None:
    size = len(text.encode("utf-8"))
    if size > MAX_ENTRY_BYTES:
        raise ImportFailure(f"转换后的条目有 {size_text(size)}，超过条目上限 {size_text(MAX_ENTRY_BYTES)}："
                            "请把材料拆分成几个文件分别导入")


def check_docx_package(path: Path) -> None:
    """Refuse a Word file that is too large, stored or unpacked, before
    python-docx reads every member into memory.

    The zip directory states each member's unpacked size; those are checked
    first. A directory can lie, so every member is then inflated in bounded
    chunks and counted, stopping at the first byte over the limit.
    """
    try:
        stored = path.stat().st_size
    except OSError as exc:
        raise ImportFailure(f"无法读取文件（{exc.strerror or exc}）") from None
    if stored > MAX_DOCX_BYTES:
        raise ImportFailure(f"Word 文件有 {size_text(stored)}，超过导入上限 {size_text(MAX_DOCX_BYTES)}："
                            "多半是图片很多，请删去图片另存后再导入（图片不会导入）")
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            _check_directory(members)
            _check_inflation(package, members)
    except ImportFailure:
        raise
    except PermissionError:
        raise ImportFailure("没有读取权限，无法打开文件") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error, OSError,
            ValueError, RuntimeError):  # RuntimeError: an encrypted member
        raise ImportFailure("不是有效的 Word（.docx）文件，或文件已损坏：请在 Word 中打开后重新保存") from None


def _too_large(total: int) -> ImportFailure:
    return ImportFailure(f"Word 文件解压后有 {size_text(total)} 以上，超过上限 {size_text(MAX_DOCX_UNPACKED)}："
                         "文件中可能有大量图片或嵌入内容，请删去后另存再导入；也可能是伪造的压缩文件")


def _part_too_large(name: str, size: int) -> ImportFailure:
    return ImportFailure(f"Word 文件中的 {name} 解压后有 {size_text(size)} 以上，超过单个部件上限 "
                         f"{size_text(MAX_DOCX_PART)}：请把材料拆分成几个文件分别导入")


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _check_directory(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_DOCX_MEMBERS:
        raise ImportFailure(f"Word 文件中有 {len(members)} 个部件，超过上限 {MAX_DOCX_MEMBERS}：不像是正常的 Word 文件")
    total = sum(m.file_size for m in members)
    if total > MAX_DOCX_UNPACKED:
        raise _too_large(total)
    for member in members:
        if _is_xml(member.filename) and member.file_size > MAX_DOCX_PART:
            raise _part_too_large(member.filename, member.file_size)


def _check_inflation(package: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    total = 0
    for member in members:
        limit = MAX_DOCX_PART if _is_xml(member.filename) else MAX_DOCX_UNPACKED
        size = 0
        with package.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                total += len(chunk)
                if size > member.file_size:  # more than the directory said: a forged package
                    raise ImportFailure("Word 文件的压缩目录与内容不符，文件已损坏或是伪造的：请在 Word 中打开后重新保存")
                if size > limit:
                    raise _part_too_large(member.filename, size)
                if total > MAX_DOCX_UNPACKED:
                    raise _too_large(total)
