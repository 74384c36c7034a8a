"""Reading an editor's text file with limits: size, binary content, encoding.

Entries and vocabularies are read the same way, so a GBK ``units.yml`` gets
the same message as a GBK entry, at the line of the first bad byte.
"""

from __future__ import annotations

from pathlib import Path

from casebook.core.problems import Problem

MAX_ENTRY_BYTES = 2 * 1024 * 1024  # a long report is ~100 KB; 2 MB is no entry
MAX_VOCABULARY_BYTES = 1024 * 1024


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def read_text(path: Path, rel: str, limit: int) -> tuple[str | None, Problem | None]:
    """(text with LF line ends, None) or (None, the problem). Never raises."""
    try:
        size = path.stat().st_size
        if size > limit:
            return None, Problem(rel, 0, "文件", f"文件过大（{_size(size)}），超过上限 {_size(limit)}",
                                 "把材料拆成几个条目，或删去附录和重复内容")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may have grown since stat
    except OSError as exc:
        return None, Problem(rel, 0, "文件", f"无法读取文件（{exc.strerror or exc}）", "检查文件是否存在、是否有读取权限")
    if len(data) > limit:
        return None, Problem(rel, 0, "文件", f"文件过大，超过上限 {_size(limit)}", "把材料拆成几个条目")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, Problem(rel, line, "文件", "文件含有二进制内容（NUL 字节），不是文本文件",
                             "Word 等文件请用“casebook import”导入；文本文件请在编辑器中另存为 UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(rel, line, "文件", f"文件不是 UTF-8 编码（第 {line} 行起无法读取）",
                             "在编辑器中另存为 UTF-8；旧材料可用“casebook import”导入，它会识别 GBK 等编码")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None
