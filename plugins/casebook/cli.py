"""The ``casebook`` command: a second thin adapter over the core.

Exit codes (DESIGN.md): 0 clean, 1 problems found, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .library import PROFILES, load_library

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that speaks Chinese on bad usage and exits 2."""

    def error(self, message):
        self.print_usage(sys.stderr)
        sys.stderr.write(f"casebook: 用法错误：{message}\n运行 casebook --help 查看用法。\n")
        sys.exit(EXIT_USAGE)


def find_root(start: Path) -> Path:
    """The project root: the nearest folder upwards holding mkdocs.yml or cases/."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").exists() or (folder / "cases").is_dir():
            return folder
    return start


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="casebook", description="清廉机关建设案例库的编辑工具")
    parser.add_argument("--root", type=Path, help="项目根目录（默认：向上查找 mkdocs.yml）")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="命令")

    check = sub.add_parser("check", help="检查条目和词表", description="检查条目和词表，列出所有问题")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="只检查这些文件或文件夹（跨条目规则仍看全部）")
    check.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    check.add_argument("--profile", choices=PROFILES, default="internal")
    check.set_defaults(run=run_check)

    schema = sub.add_parser("schema", help="输出 front matter 的 JSON Schema")
    schema.add_argument("--out", type=Path, help="写入文件（默认输出到屏幕）")
    schema.set_defaults(run=run_schema)

    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands():
    """Commands that live in their own modules (``new``, ``import``)."""
    found = []
    for module in ("casebook.newentry", "casebook.importer.command"):
        try:
            mod = __import__(module, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("casebook"):
                continue
            raise
        found.append(mod.register)
    return found


def run_check(args) -> int:
    root = args.root
    only = None
    if args.paths:
        missing = [p for p in args.paths if not p.exists()]
        if missing:
            sys.stderr.write(f"casebook: 找不到 {', '.join(map(str, missing))}\n")
            return EXIT_USAGE
        only = []
        for path in args.paths:
            only.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    library = load_library(root, profile=args.profile, only=only)
    problems = library.problems
    if args.format == "json":
        json.dump({"problems": [p.as_dict() for p in problems], "count": len(problems)},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for problem in problems:
            print(problem.format())
        checked = len(only) if only is not None else "全部"
        if problems:
            print(f"\n发现 {len(problems)} 处问题（检查文件：{checked}）。", file=sys.stderr)
        else:
            print(f"没有发现问题（检查文件：{checked}，已发布条目 {len(library.entries)} 条）。", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def run_schema(args) -> int:
    from .schema import front_matter_schema
    from .vocab import load_vocabularies

    vocabs, _ = load_vocabularies(args.root / "cases", args.root)
    text = json.dumps(front_matter_schema(vocabs), ensure_ascii=False, indent=2) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    args.root = (args.root or find_root(Path.cwd())).resolve()
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
