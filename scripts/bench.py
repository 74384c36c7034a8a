"""The search benchmark: Casebook's n-gram search next to Pagefind's default
configuration, measured in the same run on the same generated corpus.

    python scripts/bench.py [--sizes 2000,10000] [--work DIR] [--keep] [--json FILE]

For each size: generate a corpus (scripts/gen_corpus.py), `mkdocs build`
it (which writes Casebook's index), index the built site with Pagefind
1.5.2 extended at default settings, serve the site on 127.0.0.1 and drive
Debian's headless Chromium:

* recall and precision of every query in QUERIES against substring truth
  (the core's search records, normalised; every word of the query must
  occur) for both engines (Pagefind's non-entry pages are left out);
* bytes transferred (every response the page and its workers received,
  headers and body, uncompressed as a plain static server sends them) and
  time to first result, for a first query in a fresh browser (empty cache)
  and for later queries;
* build time and peak memory of each indexer, index size on disk, and the
  largest entry page (the lead's page-size check).

Casebook is driven through its real UI (typing into the /search/ page and
the header box, 80 ms debounce included, until the first result card is in
the DOM); Pagefind through its JS API (search, then the first result's
data), which favours Pagefind. Prints Markdown tables; --json keeps the
raw numbers.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import gen_corpus  # noqa: E402

from casebook.library import load_library  # noqa: E402
from casebook.search import INDEX_URI, make_records  # noqa: E402
from casebook.search.text import normalise, query_words  # noqa: E402

CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# 1 to 10 characters, ASCII mixed in, aliases, multi-word, near misses, one with no hit.
QUERIES = [
    "家", "廉", "妇联", "家风", "党课", "热线", "八小时", "一把手", "廉政党课", "以案促改", "警示教育", "公务用车",
    "三重一大", "清廉机关建设", "市妇女联合会", "违反中央八项规定精神", "某局原副局长张某", "廉洁文化角",
    "12345热线", "12345", "2023年", "2016年3月", "ppt", "ＯＡ系统", "5g网络", "八个小时", "党纪处分", "群团组织",
    "警示教育 家风", "廉政党课 八小时", "妇联 2023年", "清风", "收受礼金",
]
FIRST = ["廉政党课", "妇联", "12345热线", "八小时", "警示教育 家风"]  # each in a fresh browser
LATER = ["家风", "八小时", "廉政党课", "市妇女联合会", "12345热线", "2023年", "违反中央八项规定精神", "一把手",
         "警示教育 家风", "清廉机关建设", "ppt", "党纪处分"]


# ------------------------------------------------------------------ processes
def measured(cmd: list[str], cwd: Path) -> dict:
    """Run a command; wall time and peak resident memory of its process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode:
        sys.stderr.write(output.decode("utf-8", "replace")[-4000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return {"seconds": round(seconds, 1), "peak_mb": round(usage.ru_maxrss / 1024)}


def disk(path: Path) -> dict:
    files = [p for p in path.rglob("*") if p.is_file()]
    return {"bytes": sum(p.stat().st_size for p in files), "files": len(files)}


INDEX_ONLY = """
import sys
from pathlib import Path
from casebook.library import load_library
from casebook.search import build_index
library = load_library(Path(sys.argv[1]), include_drafts=False)
build_index(library, Path(sys.argv[2]))
"""


# ---------------------------------------------------------------------- serve
def serve(directory: Path):
    """Python's threading static server in its own process (no GIL shared
    with the browser driver), on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory",
                               str(directory), str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}/"


PAGEFIND_HARNESS = """<!doctype html><html lang="zh"><meta charset="utf-8"><title>pagefind</title>
<script type="module">
window.pfRun = async (q, shown) => {
  const t0 = performance.now();
  const pf = await import("/pagefind/pagefind.js");
  const search = await pf.search(q);
  const first = search.results.length ? await search.results[0].data() : null;
  const t1 = performance.now();
  await Promise.all(search.results.slice(1, shown).map(r => r.data()));
  return {start: t0, ms: t1 - t0, count: search.results.length, first: first && first.url};
};
window.pfIds = async (q) => {
  const pf = await import("/pagefind/pagefind.js");
  const search = await pf.search(q);
  return search.results.map(r => r.id);
};
window.pfReady = true;
</script></html>"""

WATCH = """([input, list]) => {
  const field = document.querySelector(input), results = document.querySelector(list);
  window.__t0 = null; window.__t1 = null;
  field.addEventListener('input', () => { window.__t0 = performance.now(); window.__t1 = null; }, {capture: true});
  new MutationObserver(() => {
    if (window.__t0 !== null && window.__t1 === null && results.querySelector('li')) window.__t1 = performance.now();
  }).observe(results, {childList: true});
}"""



class Browser:
    def __init__(self, playwright):
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        self.outside: list[str] = []

    def page(self):
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1:", "data:", "blob:"))
                else self.outside.append(r.url))
        page.finished = []  # requests of the page and its workers, in the order they finished
        page.on("requestfinished", lambda request: page.finished.append(request))
        return context, page


def transferred(page, since: int, only: str = "") -> int:
    """Bytes (headers and body) of the requests finished after the first ``since``."""
    total = 0
    for request in page.finished[since:]:
        if only in request.url:
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total


def casebook_type(page, selector: str, state_selector: str, query: str) -> dict:
    """Type a query (one input event, as an IME commits a word) and wait for
    the search to finish; time from the input to the first result card."""
    since = len(page.finished)
    page.fill(selector, query)
    page.wait_for_function(
        "sel => window.__t0 !== null && window.__t1 !== null && document.querySelector(sel).dataset.state === 'done'",
        arg=state_selector, timeout=120_000)
    t0, t1 = page.evaluate("[window.__t0, window.__t1]")
    page.wait_for_load_state("networkidle")
    return {"ms": t1 - t0, "bytes": transferred(page, since)}


def measure_casebook(browser: Browser, base: str) -> dict:
    first_page, first_box, later = [], [], []
    for query in FIRST:  # the /search/ page, fresh browser: index data, facet columns, 10 results
        context, page = browser.page()
        page.goto(base + "practices/")  # any page: search.js comes with every page
        page.wait_for_load_state("networkidle")
        js_bytes = transferred(page, 0, "search.js")
        page.evaluate(WATCH, ["#cb-sbox-q", "#cb-sbox-list"])
        result = casebook_type(page, "#cb-sbox-q", ".cb-sbox", query)
        result["bytes"] += js_bytes
        first_box.append(result)
        context.close()

        context, page = browser.page()
        page.goto(base + "search/?q=" + query)
        page.wait_for_function("document.getElementById('cb-search').dataset.state === 'done'", timeout=120_000)
        page.wait_for_load_state("networkidle")
        first_page.append({"bytes": transferred(page, 0, "/assets/casebook/search")})
        context.close()

    context, page = browser.page()
    page.goto(base + "search/?q=" + FIRST[0])
    page.wait_for_function("document.getElementById('cb-search').dataset.state === 'done'", timeout=120_000)
    page.wait_for_load_state("networkidle")
    page.evaluate(WATCH, ["#cb-search-q", ".cb-results"])
    for query in LATER:
        later.append({"query": query, **casebook_type(page, "#cb-search-q", "#cb-search", query)})
    context.close()
    return {"first_box": first_box, "first_page": first_page, "later": later}


def measure_pagefind(browser: Browser, base: str) -> dict:
    first, later = [], []
    for query in FIRST:
        context, page = browser.page()
        page.goto(base + "_bench/pagefind.html")
        page.wait_for_function("window.pfReady === true")
        since = len(page.finished)
        run = page.evaluate("q => pfRun(q, 10)", query)
        page.wait_for_load_state("networkidle")
        first.append({"ms": run["ms"], "bytes": transferred(page, since)})
        context.close()
    context, page = browser.page()
    page.goto(base + "_bench/pagefind.html")
    page.wait_for_function("window.pfReady === true")
    page.evaluate("q => pfRun(q, 10)", FIRST[0])
    for query in LATER:
        since = len(page.finished)
        run = page.evaluate("q => pfRun(q, 10)", query)
        page.wait_for_load_state("networkidle")
        later.append({"query": query, "ms": run["ms"], "bytes": transferred(page, since)})
    context.close()
    return {"first": first, "later": later}


def pagefind_urls(site: Path) -> dict[str, str]:
    """Pagefind result id -> page URL, read from its fragment files."""
    urls = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        data = json.loads(text[text.index("{"):])
        urls[path.stem] = data["url"].strip("/") + "/"
    return urls


def recall_precision(found: set, truth: set) -> dict:
    hit = len(found & truth)
    return {"truth": len(truth), "found": len(found), "hit": hit,
            "recall": hit / len(truth) if truth else 1.0, "precision": hit / len(found) if found else 1.0}


def page_text(record, entry) -> str:
    """What the entry page itself shows: title, panel values (no aliases, no
    dates spelt in Chinese), summary, lessons and body."""
    panel = [entry.type.label, entry.unit.name, entry.date, *(t.name for t in entry.themes), *entry.tags,
             *(v.name for v in entry.violations), *(f"{o.name}（{o.group}）" for o in entry.outcomes),
             entry.person, entry.report_kind, entry.source]
    return "\n".join([record.title, *panel, record.body])


def quality(browser: Browser, base: str, site: Path, records, entries) -> dict:
    texts = [normalise(r.text) for r in records]
    truths = {q: {r.id for r, t in zip(records, texts) if all(w in t for w in query_words(q))} for q in QUERIES}
    shown = [normalise(page_text(r, e)) for r, e in zip(records, entries)]
    page_truths = {q: {r.id for r, t in zip(records, shown) if all(w in t for w in query_words(q))} for q in QUERIES}
    by_url = {r.url: r.id for r in records}
    context, page = browser.page()
    page.goto(base + "search/")
    page.wait_for_function("document.getElementById('cb-search').dataset.state === 'done'", timeout=120_000)
    ours = {}
    for query in QUERIES:
        ids = page.evaluate("""async q => {
            const engine = casebookSearch.engine(document.getElementById('cb-search').dataset.cbRoot);
            return (await engine.search(q)).ids; }""", query)
        ours[query] = recall_precision(set(ids), truths[query])
    context.close()
    urls = pagefind_urls(site)
    context, page = browser.page()
    page.goto(base + "_bench/pagefind.html")
    page.wait_for_function("window.pfReady === true")
    theirs, theirs_page = {}, {}
    for query in QUERIES:
        ids = page.evaluate("q => pfIds(q)", query)
        found = {by_url[urls[i]] for i in ids if urls.get(i) in by_url}
        theirs[query] = recall_precision(found, truths[query])
        theirs_page[query] = recall_precision(found, page_truths[query])
    context.close()
    return {"casebook": ours, "pagefind": theirs, "pagefind_page_text": theirs_page}


def summarise(per_query: dict) -> dict:
    values = list(per_query.values())
    truth = sum(v["truth"] for v in values)
    found = sum(v["found"] for v in values)
    hit = sum(v["hit"] for v in values)
    return {"recall": hit / truth if truth else 1.0, "precision": hit / found if found else 1.0,
            "min_recall": min(v["recall"] for v in values), "min_precision": min(v["precision"] for v in values)}


# ----------------------------------------------------------------------- run
def run_size(n: int, work: Path, browser_factory) -> dict:
    print(f"== {n} 条：生成语料", flush=True)
    project = gen_corpus.generate(n, work / f"corpus-{n}")
    site = project / "site"
    print(f"== {n} 条：mkdocs build（含 Casebook 索引）", flush=True)
    build = measured([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], project)
    print(f"== {n} 条：单独计时 Casebook 索引", flush=True)
    index_only = measured([sys.executable, "-c", INDEX_ONLY, str(project), str(work / f"index-{n}")], project)
    shutil.rmtree(work / f"index-{n}", ignore_errors=True)
    print(f"== {n} 条：Pagefind 默认配置", flush=True)
    pagefind = measured([sys.executable, "-m", "pagefind", "--site", str(site)], project)
    (site / "_bench").mkdir()
    (site / "_bench" / "pagefind.html").write_text(PAGEFIND_HARNESS, encoding="utf-8")
    entry_pages = [p for folder in ("practices", "warnings", "reports") for p in (site / folder).glob("*/index.html")
                   if p.parent.name != "page"]
    largest = max(p.stat().st_size for p in entry_pages)

    library = load_library(project, include_drafts=False)
    records = make_records(library.entries)
    manifest = json.loads((site / INDEX_URI / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["n"] == len(records), "index and records disagree"

    server, base = serve(site)
    try:
        browser = browser_factory()
        print(f"== {n} 条：Chromium 查全率/查准率", flush=True)
        qual = quality(browser, base, site, records, library.entries)
        print(f"== {n} 条：Chromium 流量与速度", flush=True)
        speed = {"casebook": measure_casebook(browser, base), "pagefind": measure_pagefind(browser, base)}
        outside = list(browser.outside)
        browser.browser.close()
    finally:
        server.terminate()
        server.wait()
    return {
        "entries": n, "build": build, "casebook_index": index_only, "pagefind_index": pagefind,
        "casebook_disk": disk(site / INDEX_URI), "pagefind_disk": disk(site / "pagefind"),
        "largest_entry_page": largest, "quality": qual, "speed": speed, "outside_requests": outside,
    }


def kb(b: float) -> str:
    return f"{b / 1024:.0f} KB" if b < 10 * 1024 * 1024 else f"{b / 1024 / 1024:.1f} MB"


def report(results: list[dict], machine: dict) -> str:
    out = [f"机器：{machine['cpu']}，{machine['cores']} 核，{machine['ram_gb']} GB 内存；{machine['os']}；"
           f"Python {machine['python']}；Chromium {machine['chromium']}（headless）。", ""]
    out += ["| 条目数 | 引擎 | 查全率（总/最低） | 查准率（总/最低） | 首次查询流量（均/最大） | 之后查询流量（均/最大） "
            "| 首个结果用时，之后查询（中位/最大） | 索引大小（文件数） | 建索引用时 | 建索引峰值内存 |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        for engine in ("casebook", "pagefind"):
            q = summarise(r["quality"][engine])
            speed = r["speed"][engine]
            first = [m["bytes"] for m in (speed["first_page"] if engine == "casebook" else speed["first"])]
            later_b = [m["bytes"] for m in speed["later"]]
            later_t = [m["ms"] for m in speed["later"]]
            d = r[f"{engine}_disk"]
            idx = r["casebook_index" if engine == "casebook" else "pagefind_index"]
            name = "Casebook n-gram" if engine == "casebook" else "Pagefind 1.5.2 默认"
            out.append(
                f"| {r['entries']:,} | {name} | {q['recall']:.4f} / {q['min_recall']:.3f} | {q['precision']:.4f} / "
                f"{q['min_precision']:.3f} | {kb(statistics.mean(first))} / {kb(max(first))} | "
                f"{kb(statistics.mean(later_b))} / {kb(max(later_b))} | {statistics.median(later_t):.0f} ms / "
                f"{max(later_t):.0f} ms | {kb(d['bytes'])}（{d['files']:,}） | {idx['seconds']} s | {idx['peak_mb']:,} MB |")
    for r in results:
        q = summarise(r["quality"]["pagefind_page_text"])
        out.append(f"| {r['entries']:,} | Pagefind，真值只取条目页上显示的文字¹ | {q['recall']:.4f} / {q['min_recall']:.3f} "
                   f"| {q['precision']:.4f} / {q['min_precision']:.3f} | | | | | | |")
    out += ["", "¹ Casebook 的真值包含单位、主题等的别名和“2023年6月”式日期（它们写进了检索记录）；Pagefind 只见页面，"
            "这一行按页面可见文字计算其真值，以免冤枉它。", ""]
    out += ["", "比值（Casebook ÷ Pagefind，同一次运行；越小越好）：", "",
            "| 条目数 | 首次查询流量 | 之后查询流量（均） | 之后查询首个结果用时（中位） | 首次查询首个结果用时（中位） |",
            "| --- | --- | --- | --- | --- |"]
    for r in results:
        c, p = r["speed"]["casebook"], r["speed"]["pagefind"]
        ratio = lambda a, b: f"{a / b:.2f}" if b else "—"  # noqa: E731
        out.append(
            f"| {r['entries']:,} | {ratio(statistics.mean(m['bytes'] for m in c['first_page']), statistics.mean(m['bytes'] for m in p['first']))} | "
            f"{ratio(statistics.mean(m['bytes'] for m in c['later']), statistics.mean(m['bytes'] for m in p['later']))} | "
            f"{ratio(statistics.median(m['ms'] for m in c['later']), statistics.median(m['ms'] for m in p['later']))} | "
            f"{ratio(statistics.median(m['ms'] for m in c['first_box']), statistics.median(m['ms'] for m in p['first']))} |")
    out += ["", "其他：", ""]
    for r in results:
        c = r["speed"]["casebook"]
        box_t = [m["ms"] for m in c["first_box"]]
        box_b = [m["bytes"] for m in c["first_box"]]
        out.append(f"- {r['entries']:,} 条：mkdocs build（含 Casebook 索引）{r['build']['seconds']} s、峰值 "
                   f"{r['build']['peak_mb']:,} MB；页眉搜索框首次查询（含 search.js）流量均 {kb(statistics.mean(box_b))}、"
                   f"最大 {kb(max(box_b))}，首个结果用时中位 {statistics.median(box_t):.0f} ms；最大条目页 "
                   f"{kb(r['largest_entry_page'])}；访问 127.0.0.1 以外的请求：{len(r['outside_requests'])} 个。")
    out += ["", "逐词查全率 / 查准率（最大规模）：", "", "| 查询 | 命中条目（真值） | Casebook 查全率 | Casebook 查准率 | "
            "Pagefind 查全率 | Pagefind 查准率 | Pagefind 按页面文字¹ 查全率 / 查准率 |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    last = results[-1]
    for query in QUERIES:
        c, p = last["quality"]["casebook"][query], last["quality"]["pagefind"][query]
        v = last["quality"]["pagefind_page_text"][query]
        out.append(f"| {query} | {c['truth']:,} | {c['recall']:.3f} | {c['precision']:.3f} | {p['recall']:.3f} | "
                   f"{p['precision']:.3f} | {v['recall']:.3f} / {v['precision']:.3f} |")
    return "\n".join(out)


def machine_info(chromium_version: str) -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        ram = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        ram = 0
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(ram), "os": platform.platform(terse=True),
            "python": platform.python_version(), "chromium": chromium_version}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="搜索基准：Casebook n-gram 搜索与 Pagefind 默认配置对比")
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "casebook-bench")
    parser.add_argument("--keep", action="store_true", help="保留生成的语料和站点")
    parser.add_argument("--json", type=Path, help="原始数据写入此文件")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    started = time.perf_counter()
    results = []
    with sync_playwright() as p:
        version = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        machine = machine_info(version.version)
        version.close()
        for n in (int(s) for s in args.sizes.split(",")):
            results.append(run_size(n, args.work, lambda: Browser(p)))
            if not args.keep:
                shutil.rmtree(args.work / f"corpus-{n}", ignore_errors=True)
    text = report(results, machine)
    print()
    print(text)
    print(f"\n用时 {time.perf_counter() - started:.0f} s。命令：python scripts/bench.py --sizes {args.sizes}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "results": results}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
