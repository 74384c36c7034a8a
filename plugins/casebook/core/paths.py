"""Paths as editors see them in messages: relative, with forward slashes."""

from __future__ import annotations

from pathlib import Path


def relative_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root``; as given when it lies outside."""
    # The folder is resolved, not the file: a symbolic link is named as
    # itself, not as whatever (possibly missing) file it points at.
    try:
        return (path.absolute().parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class RelativePaths:
    """``relative_path`` for the many files of one load: each folder is
    resolved once (resolving is most of the cost: a system call per path
    component). Made per load, so a folder moved between loads is seen."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._folders: dict[Path, str | None] = {}  # folder as given -> relative to root ("." itself), None outside

    def __call__(self, path: Path) -> str:
        folder = path.parent
        if folder not in self._folders:
            try:
                self._folders[folder] = (path.absolute().parent.resolve()).relative_to(self.root).as_posix()
            except ValueError:
                self._folders[folder] = None
        rel = self._folders[folder]
        if rel is None or path.name in ("", ".", ".."):
            return relative_path(path, self.root)
        return path.name if rel == "." else f"{rel}/{path.name}"


def shown(path: Path) -> str:
    """``path`` relative to the current folder, for command-line output."""
    return relative_path(path, Path.cwd())
