"""The build and preview benchmark: Casebook's `mkdocs build` next to plain
MkDocs + Material on the same Markdown, and the preview's edit-to-page time.

    python scripts/bench_build.py [--sizes 2000,10000] [--work DIR] [--json FILE]
    make bench SIZES=2000,10000,50000

For each size a library is generated (scripts/gen_corpus.py), then, in one
run on this machine:

* Casebook: `mkdocs build` of the project, wall time and peak memory of the
  process tree (the build forks a second process for the search index;
  both are counted, bench.measured), site size, HTML pages, largest entry page and listing page, and
  the search index (size; its build time is in the log line of the plugin);
* the plain baseline: the same entry Markdown under docs/ with a
  sections-only nav (one hand-written index page per type), Material, no
  plugin, no search -- the cost of MkDocs itself;
* the preview (MkDocs' own serve builder with `--dirty`, as `casebook serve`
  runs it, the plugin kept between builds): the first build, and the
  rebuild after each kind of edit -- an entry's body, its front matter, a new
  entry, a deleted entry, a vocabulary. The live-reload server adds its own
  short wait for the file system to settle; that is not counted. Each edit
  comes ``LOOK`` seconds after the last page was ready, as an editor looks
  at the page before the next change (the preview collects the last build's
  garbage in such a pause, mkdocs/collector.py).

Times are wall-clock on a shared machine; the ratio to the baseline measured
in the same run is the number to compare across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import gen_corpus  # noqa: E402
from bench import disk, machine_info, measured  # noqa: E402

TYPES = {"practices": "经验做法", "warnings": "警示案例", "reports": "工作报告"}
LOOK = 3.0  # seconds between a rebuilt preview and the next edit
SERVE_URL = "http://127.0.0.1:8000/"

PREVIEW = textwrap.dedent("""\
    import json, sys, time
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    project, site_dir, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for step in range(steps):
        if step:
            sys.stdin.readline()  # the benchmark made the next edit
        started = time.perf_counter()
        config = load_config(config_file=project + "/mkdocs.yml", site_dir=site_dir)
        if not step:
            config.plugins.on_startup(command="serve", dirty=True)
        config.site_url = %r
        build(config, serve_url=%r, dirty=True)
        pages = len(config.plugins["casebook"].pages.changed)
        print(json.dumps({"seconds": round(time.perf_counter() - started, 2), "pages": pages}), flush=True)
""" % (SERVE_URL, SERVE_URL))


def plain_project(corpus: Path, out: Path) -> Path:
    """The corpus's entries as plain MkDocs pages: the baseline."""
    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    for folder, label in TYPES.items():
        shutil.copytree(corpus / "cases" / folder, docs / folder)
        (docs / folder / "index.md").write_text(f"# {label}\n", encoding="utf-8")
    nav = "\n".join(f"  - {label}: {folder}/index.md" for folder, label in TYPES.items())
    (out / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: 基线
        theme:
          name: material
          language: zh
          font: false
        plugins: []
        validation:
          nav:
            omitted_files: ignore
        nav:
          - 首页: index.md
        """) + nav + "\n", encoding="utf-8")
    return out


def site_facts(site: Path) -> dict:
    """Largest entry page (``<type>/<slug>/``) and largest listing page (a
    type's pages, and the term pages of units, themes, years and tags)."""
    entries = [p for f in TYPES for p in site.glob(f"{f}/*/index.html") if p.parent.name != "page"]
    listings = [p for f in TYPES for p in (*site.glob(f"{f}/index.html"), *site.glob(f"{f}/page/*/index.html"))]
    for taxonomy in ("units", "themes", "years", "tags"):
        listings += [*site.glob(f"{taxonomy}/*/index.html"), *site.glob(f"{taxonomy}/*/page/*/index.html")]
    return {**disk(site), "html": sum(1 for _ in site.rglob("*.html")),
            "largest_entry": max((p.stat().st_size for p in entries), default=0),
            "largest_listing": max((p.stat().st_size for p in listings), default=0),
            "index_bytes": disk(site / "assets" / "casebook" / "search")["bytes"]}


def side_work(log: str) -> dict:
    """From the build's log (plugin.py): seconds the other process took (the
    entries' Word paragraphs, the search index, its share of the Word
    files), the Word files each process made, the seconds this process
    spent on its share after the pages, and how long it waited."""
    found = re.search(r"搜索索引和 (\d+) 个汇编 Word 文件，用时 ([\d.]+) 秒.*?页面生成后生成 (\d+) 个 Word 文件"
                      r"用时 ([\d.]+) 秒，等待另一进程 ([\d.]+) 秒", log)
    if not found:
        return {}
    return {"side_word_files": int(found[1]), "side_seconds": float(found[2]), "word_files": int(found[3]),
            "word_seconds": float(found[4]), "side_waited": float(found[5])}


def edits(project: Path):
    """(name, action) for each edit kind, on files the generator wrote."""
    cases = project / "cases"
    entries = sorted(cases.glob("practices/*.md"))
    target, other = entries[len(entries) // 2], entries[len(entries) // 3]

    def append_body():
        target.write_text(target.read_text(encoding="utf-8") + "\n\n预览测量：正文加了一句。\n", encoding="utf-8")

    def change_title():
        text = target.read_text(encoding="utf-8")
        target.write_text(re.sub(r"\n(title|标题): ", r"\n\1: 改 ", text, count=1), encoding="utf-8")

    def new_entry():
        text = re.sub(r"\n(title|标题): ", r"\n\1: 新 ", other.read_text(encoding="utf-8"), count=1)
        # the same date as the entry it copies, so the file name agrees with it (a valid entry)
        (cases / "practices" / f"{other.stem}-xin-tiao-mu.md").write_text(text, encoding="utf-8")

    def delete_entry():
        entries[len(entries) // 4].unlink()

    def vocabulary():
        path = cases / "themes.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("- name: ", "- name: 预览测量主题\n  slug: yu-lan-ce-liang\n- name: ", 1),
                        encoding="utf-8")

    return [("正文", append_body), ("标题", change_title), ("新条目", new_entry), ("删除条目", delete_entry),
            ("词表", vocabulary)]


def measure_preview(project: Path, site: Path) -> dict:
    kinds = edits(project)
    proc = subprocess.Popen([sys.executable, "-c", PREVIEW, str(project), str(site), str(len(kinds) + 1)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        result = {"first": json.loads(proc.stdout.readline())}
        for name, action in kinds:
            time.sleep(LOOK)
            action()
            proc.stdin.write("next\n")
            proc.stdin.flush()
            result[name] = json.loads(proc.stdout.readline())
    finally:
        proc.kill()
        proc.wait()
    return result


def run_size(n: int, work: Path, preview: bool = True) -> dict:
    corpus = work / f"corpus-{n}"
    if corpus.exists():
        shutil.rmtree(corpus)
    gen_corpus.generate(n, corpus)
    baseline = plain_project(corpus, work / f"plain-{n}")
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
    row: dict = {"entries": n}
    print(f"[{n}] plain MkDocs …", flush=True)
    row["plain"] = measured([*mkdocs, "-d", str(work / f"plain-site-{n}")], baseline)
    print(f"[{n}] Casebook …", flush=True)
    casebook = measured([sys.executable, "-m", "mkdocs", "build", "-d", str(work / f"site-{n}")], corpus, keep_output=True)
    log = casebook.pop("output")
    row["casebook"] = {**casebook, **side_work(log)}
    row["ratio"] = round(row["casebook"]["seconds"] / row["plain"]["seconds"], 2)
    row["site"] = site_facts(work / f"site-{n}")
    row["plain_site"] = disk(work / f"plain-site-{n}")
    if preview:
        print(f"[{n}] preview …", flush=True)
        row["preview"] = measure_preview(corpus, work / f"preview-{n}")
    return row


def mb(b: float) -> str:
    return f"{b / 1e6:.0f} MB"


def report(rows: list[dict], machine: dict) -> str:
    lines = [f"机器：{machine['cpu']}，{machine['cores']} 核，{machine['ram_gb']} GB；{machine['os']}；"
             f"Python {machine['python']}", "",
             "| 条目数 | Casebook 构建 | 峰值内存 | 纯 MkDocs 基线 | 基线内存 | 倍数 | 站点 | HTML 页 | 最大条目页 | 最大列表页 "
             "| 搜索索引 | 另一进程（Word 段落、索引、Word 文件） | 本进程页面后的 Word 文件 | 等待另一进程 |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        s, c = r["site"], r["casebook"]
        lines.append(f"| {r['entries']:,} | {r['casebook']['seconds']} s | {r['casebook']['peak_mb']} MB "
                     f"| {r['plain']['seconds']} s | {r['plain']['peak_mb']} MB | {r['ratio']}× | {mb(s['bytes'])} "
                     f"| {s['html']:,} | {s['largest_entry'] / 1024:.0f} KB | {s['largest_listing'] / 1024:.0f} KB "
                     f"| {mb(s['index_bytes'])} | {c.get('side_seconds', '–')} s（{c.get('side_word_files', '–')} 个） "
                     f"| {c.get('word_seconds', '–')} s（{c.get('word_files', '–')} 个） | {c.get('side_waited', '–')} s |")
    lines += ["", "预览（`casebook serve`，即 `mkdocs serve --dirty`）：首次生成与每类修改后的重新生成（秒 / 重新生成的页面数）", "",
              "| 条目数 | 首次 | 正文 | 标题 | 新条目 | 删除条目 | 词表 |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        p = r.get("preview")
        if p is None:
            continue
        cells = " | ".join(f"{p[k]['seconds']} s / {p[k]['pages']}" for k in ("first", "正文", "标题", "新条目", "删除条目", "词表"))
        lines.append(f"| {r['entries']:,} | {cells} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="构建与预览基准：Casebook 与纯 MkDocs 对比，预览修改后的重新生成时间")
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "casebook-bench-build")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--preview-up-to", type=int, default=10000,
                        help="只在不超过这个条目数时测预览（50,000 条的预览首次生成就要很久）")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    machine = machine_info("")
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        rows.append(run_size(n, args.work, preview=n <= args.preview_up_to))
        if not args.keep:
            for name in (f"corpus-{n}", f"plain-{n}", f"plain-site-{n}", f"site-{n}", f"preview-{n}"):
                shutil.rmtree(args.work / name, ignore_errors=True)
        print(report(rows, machine), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "rows": rows}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    print(f"\n命令：python scripts/bench_build.py --sizes {args.sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
