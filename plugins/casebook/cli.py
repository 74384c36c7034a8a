"""The ``casebook`` command: a second thin adapter over the core.

Exit codes (DESIGN.md): 0 clean, 1 problems found, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from . import newentry
from .importer import command as import_command
from .library import PROFILES, check_entries, load_library

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


# argparse's own messages, in Chinese (it has no Chinese translation to load).
_ARGPARSE_ZH = (
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"\1 的值 \2 无效（可选：\3）"),
    (r"argument (\S+): expected one argument", r"\1 后面要写一个值"),
    (r"argument (\S+): invalid \w+ value: (.*)", r"\1 的值 \2 无效"),
    (r"ambiguous option: (\S+) could match (.*)", r"\1 有歧义，可能是：\2"),
)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse that speaks Chinese (help and bad usage) and exits 2 on bad usage."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message):
        for pattern, chinese in _ARGPARSE_ZH:
            message = re.sub(pattern, chinese, message)
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

    # `new` and `import` live in their own modules; they only register here.
    newentry.register(sub)
    import_command.register(sub)
    return parser


def run_check(args) -> int:
    root = args.root
    only = None
    if args.paths:
        missing = [p for p in args.paths if not p.exists()]
        if missing:
            sys.stderr.write(f"casebook: 找不到 {', '.join(map(str, missing))}\n")
            return EXIT_USAGE
        cases_dir = (root / "cases").resolve()
        only, outside = [], []
        for path in args.paths:
            inside = path.resolve().is_relative_to(cases_dir)
            if path.is_dir() and inside:
                only.extend(sorted(path.rglob("*.md")))
            elif inside and path.is_file() and path.suffix.lower() in (".md", ".yml", ".yaml"):
                only.append(path)  # .yml: a vocabulary, checked in any case
            else:
                outside.append(str(path))
        if outside:
            sys.stderr.write(f"casebook: 只能检查 cases/ 中的条目（.md）和词表（.yml）：{', '.join(outside)}\n")
            return EXIT_USAGE
        only = [p for p in only if p.suffix.lower() == ".md" or p.name == "compilations.yml"]
    if only is None:
        library = load_library(root, profile=args.profile)
        problems, scope = library.problems, f"检查文件：全部，已发布条目 {len(library.entries)} 条"
    else:
        problems, scope = check_entries(root, only), f"检查文件：{len(only)}"
    if args.format == "json":
        json.dump({"problems": [p.as_dict() for p in problems], "count": len(problems)},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for problem in problems:
            print(problem.format())
        if problems:
            print(f"\n发现 {len(problems)} 处问题（{scope}）。", file=sys.stderr)
        else:
            print(f"没有发现问题（{scope}）。", file=sys.stderr)
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
