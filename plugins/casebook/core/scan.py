"""Which files under ``cases/`` are entries, and what else is there.

Nothing an editor puts under ``cases/`` is passed over in silence: a file
that cannot become an entry (a subfolder, ``X.MD``, a Word file dropped into
a type folder, a symbolic link, the reserved ``index.md``) is a problem with
its path. Symbolic links are never followed, so nothing outside ``cases/``
can be published through one.
"""

from __future__ import annotations

import os
from pathlib import Path

from casebook.core.fields import TYPE_BY_FOLDER, VOCABULARIES
from casebook.core.paths import relative_path
from casebook.core.problems import Problem

RESERVED_NAMES = {"index"}  # index.md would replace the type's listing page


def scan_cases(cases_dir: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """(entry files, sorted; problems with the other files found)."""
    entries: list[Path] = []
    problems: list[Problem] = []

    def report(path: Path, message: str, hint: str) -> None:
        problems.append(Problem(relative_path(path, root), 0, "文件", message, hint))

    # Top-down like os.walk, but a folder's listing (os.scandir) already
    # says which names are links: no system call per file (10,000 of them
    # on every preview rebuild).
    pending: list[tuple[Path, tuple[str, ...]]] = [(cases_dir, ())]
    while pending:
        here, inside = pending.pop()
        depth = len(inside)
        folders, files = _listing(here)
        below = []
        for item in folders:
            path = here / item.name
            if item.is_symlink():
                report(path, "文件夹是符号链接，不会读取其中的条目", "把条目文件直接放入 cases/ 下的类型文件夹")
            else:
                below.append((path, (*inside, item.name)))
        pending.extend(reversed(below))  # visited in name order
        for item in files:
            name = item.name
            path = here / name
            stem, suffix = os.path.splitext(name)
            if item.is_symlink():
                target_missing = not os.path.exists(item.path)
                report(path, "条目文件是符号链接" + ("，且指向的文件不存在" if target_missing else "，不会读取"),
                       "把文件本身复制到这里，不要使用链接")
                continue
            if suffix == ".md":
                if depth == 1 and stem in RESERVED_NAMES and here.name in TYPE_BY_FOLDER:
                    report(path, f"文件名 {name} 是保留名，会替换“{TYPE_BY_FOLDER[here.name].label}”列表页",
                           "改用描述内容的文件名，如 2023-06-shi-fu-lian-jia-feng.md")
                elif depth > 1:
                    report(path, "条目不能放在子文件夹中",
                           f"移到 cases/{inside[0]}/ 下（网址只按文件名区分）")
                else:
                    entries.append(path)
            elif suffix.lower() in (".md", ".markdown"):
                report(path, f"扩展名“{suffix}”不会被识别为条目", f"改名为 {stem}.md（小写 .md）")
            elif depth == 0 and suffix in (".yml", ".yaml"):
                if suffix == ".yaml" and stem in VOCABULARIES:
                    report(path, f"词表文件应命名为 {stem}.yml", f"改名为 {stem}.yml")
            elif depth >= 1:
                report(path, "不是条目文件（.md），不会生成页面",
                       "Word、文本材料请用“casebook import”导入；其他文件请移出 cases/")
    return sorted(entries, key=lambda p: p.parts), problems  # as Paths sort, without their slow __lt__


def _listing(folder: Path) -> tuple[list[os.DirEntry], list[os.DirEntry]]:
    """(subfolders, other names) of ``folder``, each in name order, hidden
    names left out; as os.walk sorts them: a link to a folder is a folder.
    An unreadable folder lists nothing (as os.walk passes it over)."""
    folders, files = [], []
    try:
        with os.scandir(folder) as found:
            for item in found:
                if item.name.startswith("."):
                    continue  # .gitkeep, .git and the like
                try:
                    is_folder = item.is_dir()
                except OSError:
                    is_folder = False
                (folders if is_folder else files).append(item)
    except OSError:
        return [], []
    return sorted(folders, key=lambda i: i.name), sorted(files, key=lambda i: i.name)
