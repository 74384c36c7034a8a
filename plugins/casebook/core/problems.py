"""A content problem: one place in one file an editor has to fix."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the project root, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    field: str  # canonical field name, or a pseudo-field such as "yaml" or "文件"
    message: str  # Chinese explanation
    suggestion: str = ""  # Chinese hint, shown in （） after the message
    # A file every page depends on (a vocabulary) cannot be read: no build,
    # strict or not, may go on without it.
    blocking: bool = dc_field(default=False, compare=False)

    def format(self) -> str:
        """``path:line: field: 中文说明（建议）`` as promised in DESIGN.md."""
        hint = f"（{self.suggestion}）" if self.suggestion else ""
        return f"{self.path}:{self.line}: {self.field}: {self.message}{hint}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "suggestion": self.suggestion,
        }
