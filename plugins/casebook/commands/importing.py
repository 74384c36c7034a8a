"""``casebook import FILE...``: the command-line face of the importer.

Bad usage (a missing file, a format that cannot be imported, a bad
``--unit``) stops before anything is written: exit 2. A file that cannot be
read is reported and the others go on: exit 1. Guesses to review are not
failures: they are marked in each file and listed in the summary.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from casebook.commands.newentry import TYPE_CHOICES, validate_values
from casebook.core.fields import REPORT_KINDS, TYPE_BY_NAME
from casebook.core.paths import shown
from casebook.core.vocab import load_vocabularies
from casebook.importer.decode import (
    SUPPORTED,
    UNSUPPORTED_HINTS,
    known_encoding,
    unsupported_reason,
)
from casebook.importer.limits import (
    MAX_DOCX_BYTES,
    MAX_DOCX_UNPACKED,
    MAX_TEXT_BYTES,
    size_text,
)
from casebook.importer.metadata import Overrides
from casebook.importer.pipeline import (
    FAILED,
    PLANNED,
    SKIPPED,
    WRITTEN,
    ImportResult,
    ImportSettings,
    import_file,
)
from casebook.importer.writer import TargetPlanner

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
STATUS_LABELS = {WRITTEN: "已写入", PLANNED: "将写入", SKIPPED: "已跳过", FAILED: "失败"}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import", help="把 Word、文本材料导入为待审核的条目",
        description="把旧材料（.txt、.md、.docx）转换为条目：识别标题层级、清理抓取残留、推断单位年份主题，"
                    "写入 cases/ 下对应类型的文件夹。推断的值都标有“待核对”，条目先存为草稿。",
        epilog=f"例：casebook import 汇报材料.docx 调研报告.txt；casebook import --dry-run 材料/。"
               f"大小上限：文本文件 {size_text(MAX_TEXT_BYTES)}；Word 文件 {size_text(MAX_DOCX_BYTES)}，"
               f"解压后 {size_text(MAX_DOCX_UNPACKED)}")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".txt、.md、.docx 文件，或含有它们的文件夹")
    parser.add_argument("--out", type=Path, metavar="DIR", help="写入这个文件夹（默认：cases/ 下按类型的文件夹）")
    parser.add_argument("--type", dest="entry_type", metavar="TYPE", help=f"指定条目类型：{TYPE_CHOICES}")
    parser.add_argument("--unit", metavar="单位", help="指定单位（须在 cases/units.yml 中）")
    parser.add_argument("--date", metavar="日期", help="指定日期：YYYY-MM-DD、YYYY-MM 或 YYYY")
    parser.add_argument("--report-kind", choices=REPORT_KINDS, metavar="报告类型",
                        help=f"指定报告类型：{'、'.join(REPORT_KINDS)}")
    parser.add_argument("--encoding", metavar="编码",
                        help="文本文件（.txt、.md）的编码，如 gbk、big5、shift_jis；不指定时自动识别，识别不准就不导入")
    parser.add_argument("--dry-run", action="store_true", help="只显示将写入的内容，不写文件")
    parser.add_argument("--force", action="store_true", help="覆盖之前从同一文件导入、位置相同的条目")
    parser.set_defaults(run=run_import)


def run_import(args) -> int:
    # Redirected to a file or CI log, the table need not fit 80 columns.
    out = Console(file=sys.stdout, highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
    err = Console(file=sys.stderr, highlight=False, soft_wrap=True)

    def usage(message: str) -> int:
        err.print(f"casebook import: {message}", markup=False)
        return EXIT_USAGE

    files, problems, ignored = collect_files(args.files)
    if problems:
        return usage("\n  ".join(["无法导入："] + problems))
    for line in ignored:
        err.print(f"casebook import: 已跳过 {line}", markup=False)
    if not files:
        return usage(f"没有找到可导入的文件（支持 {'、'.join(SUPPORTED)}）")
    cases_dir = args.root / "cases"
    vocabs, vocab_problems = load_vocabularies(cases_dir, args.root)
    if not vocabs["units"].terms:
        where = vocab_problems[0].path if vocab_problems else "cases/units.yml"
        return usage(f"找不到可用的单位词表（{where}）：请在案例库项目目录中运行，或用 --root 指定")
    overrides, errors = parse_overrides(args, vocabs)
    if errors:
        return usage("参数有误：\n  " + "\n  ".join(errors))

    out_dir = args.out.resolve() if args.out else None
    settings = ImportSettings(args.root, cases_dir, vocabs, TargetPlanner(cases_dir, out_dir, args.force),
                              overrides, dry_run=args.dry_run, today=dt.date.today(), encoding=args.encoding)
    results = _run_all(files, settings, err)
    if args.dry_run:
        for result in results:
            if result.target is not None:
                out.rule(f"将写入 {shown(result.target)}", characters="─")
                out.print(result.text, markup=False, highlight=False)
    print_summary(results, out, args.dry_run)
    return EXIT_PROBLEMS if any(r.status == FAILED for r in results) else EXIT_OK


def collect_files(paths: list[Path]) -> tuple[list[Path], list[str], list[str]]:
    """(files to import, reasons named files cannot be, files in folders left out).

    A file named on the command line that cannot be imported is bad usage;
    in a folder, documents of other formats are left out and listed.
    """
    files: list[Path] = []
    problems: list[str] = []
    ignored: list[str] = []
    for path in paths:
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                if found.name.startswith(("~$", ".")):  # Word's lock files, hidden files
                    continue
                if reason := unsupported_reason(found):
                    if found.suffix.lower() in UNSUPPORTED_HINTS:
                        ignored.append(f"{found}：{reason}")
                else:
                    files.append(found)
        elif not path.exists():
            problems.append(f"{path}：找不到这个文件")
        elif reason := unsupported_reason(path):
            problems.append(f"{path}：{reason}")
        else:
            files.append(path)
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems, ignored


def parse_overrides(args, vocabs) -> tuple[Overrides, list[str]]:
    errors: list[str] = []
    etype = None
    if args.entry_type:
        etype = TYPE_BY_NAME.get(args.entry_type.strip())
        if etype is None:
            errors.append(f"--type：未知条目类型“{args.entry_type}”（可选 {TYPE_CHOICES}）")
    given = {k: v.strip() for k, v in (("unit", args.unit), ("date", args.date)) if v and v.strip()}
    values, problems = validate_values(given, etype or TYPE_BY_NAME["report"], vocabs)
    errors.extend(problems)
    if args.encoding is not None and known_encoding(args.encoding) is None:
        errors.append(f"--encoding：不认识的编码“{args.encoding}”（常用：utf-8、gbk、gb18030、big5、shift_jis、utf-16）")
    if args.report_kind and etype is not None and etype.key != "report":
        errors.append("--report-kind 只适用于工作报告（--type report）")
    return Overrides(etype, values.get("unit", ""), values.get("date", ""), args.report_kind or ""), errors


def _run_all(files: list[Path], settings: ImportSettings, err: Console) -> list[ImportResult]:
    if len(files) < 2 or not err.is_terminal:
        return [_import_safely(path, settings) for path in files]
    results = []
    columns = (TextColumn("导入"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("", total=len(files))
        for path in files:
            progress.update(task, description=path.name)
            results.append(_import_safely(path, settings))
            progress.advance(task)
    return results


def _import_safely(path: Path, settings: ImportSettings) -> ImportResult:
    """One file's failure, even a bug, must not cost the editor the others
    or show a traceback: it becomes a failed row that says what happened."""
    try:
        return import_file(path, settings)
    except Exception as exc:  # noqa: BLE001 - reported below, in Chinese
        return ImportResult(path, FAILED, notes=[f"导入时出现程序错误（{type(exc).__name__}: {exc}）："
                                                 "请把这个文件和这条提示交给维护人员"])


def print_new_units(results: list[ImportResult], out: Console) -> None:
    """The lines to append to cases/units.yml, once per new unit, unindented
    so they can be copied as they are."""
    proposed: dict[str, tuple] = {}
    for result in results:
        if result.meta is not None and result.meta.new_unit is not None and result.status != FAILED:
            new = result.meta.new_unit
            proposed.setdefault(new.name, (new, []))[1].append(result.source.name)
    if not proposed:
        return
    out.print("\n新单位：下列单位不在 cases/units.yml 中。确是新单位的话，把这几行原样加到 cases/units.yml 末尾"
              "（group 是推断的，请核对），再删去条目中相应的“待核对”说明：", markup=False)
    for new, sources in proposed.values():
        out.print(f"# {new.name}：见 {'、'.join(sources)}；group 推断依据：{new.group_reason}", markup=False)
        for line in new.yaml_lines():
            out.print(line, markup=False, highlight=False)


def print_summary(results: list[ImportResult], out: Console, dry_run: bool) -> None:
    table = Table(title="导入结果（预览，未写文件）" if dry_run else "导入结果", title_justify="left",
                  show_lines=False, expand=False)
    for column in ("原文件", "结果", "条目文件", "单位", "日期", "待核对"):
        table.add_column(column, overflow="fold")
    for result in results:
        meta = result.meta
        table.add_row(result.source.name, STATUS_LABELS[result.status] + ("（覆盖）" if result.overwrote else ""),
                      shown(result.target) if result.target else "—",
                      str(meta.unit.value or "—") if meta else "—", (str(meta.date.value) or "待填写") if meta else "—",
                      f"{result.review_count} 项" if meta else "—")
    out.print(table)

    for result in results:
        lines = list(result.notes)
        if result.cleanup is not None and result.cleanup.total:
            lines.append("清理：" + result.cleanup.summary())
        if result.encoding and not result.encoding.startswith(("UTF-8", "Word")) and result.status != FAILED:
            lines.append(f"原文编码：{result.encoding}（已转为 UTF-8）")
        lines.extend(f"检查：{p.field}：{p.message}" + (f"（{p.suggestion}）" if p.suggestion else "")
                     for p in result.problems)
        if lines:
            out.print(f"\n{result.source.name}", markup=False, style="bold")
            for line in lines:
                out.print(f"  · {line}", markup=False)

    print_new_units(results, out)
    written = sum(r.status in (WRITTEN, PLANNED) for r in results)
    failed = sum(r.status == FAILED for r in results)
    skipped = sum(r.status == SKIPPED for r in results)
    verb = "将写入" if dry_run else "已写入"
    out.print(f"\n共 {len(results)} 个文件：{verb} {written} 个，跳过 {skipped} 个，失败 {failed} 个。", markup=False)
    if written and not dry_run:
        out.print("下一步：逐个打开新条目，核对标有“待核对”的字段和正文的小标题，删去 status: draft 一行，"
                  "再运行 casebook check。", markup=False)

