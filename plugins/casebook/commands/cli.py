"""The ``casebook`` command: a second thin adapter over the core.

Exit codes (DESIGN.md): 0 clean, 1 problems found, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from casebook.commands import importing as import_command
from casebook.commands import newentry, preview
from casebook.core.library import PROFILES, check_entries, load_library

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

    rename = sub.add_parser("rename", help="按 date 给文件名日期不符或没有日期的条目改名",
                            description="文件名开头的日期与 date 不一致，或文件名没有日期（导入时原文没写日期）时，"
                                        "按 date 改名，并更新其他条目 related 中指向它的名称")
    rename.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="只改这些条目（默认：全部）")
    rename.add_argument("--dry-run", action="store_true", help="只列出将要做的改动，不改文件")
    rename.set_defaults(run=run_rename)

    schema = sub.add_parser("schema", help="输出 front matter 的 JSON Schema")
    schema.add_argument("--out", type=Path, help="写入文件（默认输出到屏幕）")
    schema.add_argument("--out-dir", type=Path, help="把通用的和按类型文件夹的全部 schema 写入这个文件夹")
    schema.set_defaults(run=run_schema)

    # `new` and `import` live in their own modules; they only register here.
    newentry.register(sub)
    import_command.register(sub)
    preview.register(sub)
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


def run_rename(args) -> int:
    from casebook.commands.renaming import apply_rename, plan_renames
    from casebook.core.paths import shown

    missing = [p for p in args.paths if not p.exists()]
    if missing:
        sys.stderr.write(f"casebook: 找不到 {', '.join(map(str, missing))}\n")
        return EXIT_USAGE
    plans = plan_renames(args.root, args.paths or None)
    if not plans:
        print("没有需要改名的条目：文件名的日期都与 date 一致（date 还没填写的条目不改名）。")
        return EXIT_OK
    refused = 0
    for plan in plans:
        if plan.refused:
            refused += 1
            print(f"未改名 {shown(plan.old)}：{plan.refused}，请手动改名", file=sys.stderr)
            continue
        links = f"，更新 {len(plan.links)} 个条目中的 related" if plan.links else ""
        print(f"{'将改名' if args.dry_run else '已改名'} {shown(plan.old)} → {plan.new.name}{links}")
        if not args.dry_run:
            apply_rename(plan)
    return EXIT_PROBLEMS if refused else EXIT_OK


def run_schema(args) -> int:
    from casebook.core.schema import all_schemas, schema_json

    library = load_library(args.root)  # vocabularies and entry names, as check sees them
    vocabs = library.all_vocabs
    if args.out_dir:
        for uri, text in all_schemas(vocabs, library.slugs).items():
            path = args.out_dir / uri.split("/", 1)[1]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return EXIT_OK
    text = schema_json(vocabs, None, library.slugs)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
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
