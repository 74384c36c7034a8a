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


def shown(path: Path) -> str:
    """``path`` relative to the current folder, for command-line output."""
    return relative_path(path, Path.cwd())
