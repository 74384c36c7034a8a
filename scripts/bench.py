"""The search benchmark: Casebook's n-gram search next to Pagefind's default
configuration, on the same generated corpus, with queries nobody chose.

    python scripts/bench.py [--sizes 2000,10000] [--pagefind-max 10000]
                            [--per-kind 30] [--work DIR] [--keep] [--json FILE]
    make bench SIZES=2000,10000,50000

For each size: generate a corpus (scripts/gen_corpus.py) and draw queries
at random from the entries' own text (substrings of 2 to 10 characters,
two-term queries, pieces with digits or Latin letters, pairs of pieces of
different entries glued together, which mostly occur nowhere). The truth of
a query is plain substring search: the entries whose normalised text (the
core's search record) holds every term.

Up to --pagefind-max entries the corpus is built with `mkdocs build` (which
writes Casebook's index) and indexed by Pagefind 1.5.2 extended at default
settings. Above it (Pagefind needs about 4 GB for 10,000 pages) only
Casebook is measured: its index is built from the core's records
(build_index, the same call the plugin makes) and served inside the site of
a small build of the same project, so the real /search/ page and search.js
read it; the entry pages themselves are not built.

Measured in Debian's headless Chromium against a static server on 127.0.0.1:

* recall, precision and false results per query kind, for Casebook (the
  page's own engine) and Pagefind (its JS API; non-entry pages left out),
  with the worst queries; the facet counts of every Casebook query are
  compared with counts from the truth; reader.py must give the same ids;
* bytes of search data (every response under assets/casebook/search/,
  headers and body, as a plain static server sends them) for a first query
  (fresh browser opening /search/?q=...) and for later queries typed into
  the page; time to the first result card: first query from navigation,
  later queries from the input event less the page's fixed 80 ms debounce;
* index size, build time and peak memory of each indexer;
* the compilations' Word files (every compilation and part, as the plugin
  makes them) against a baseline measured in the same process: rendering
  and sanitising every entry body once. `--only word` measures just this
  (no browser): make bench SIZES=2000 BENCH_ARGS="--only word".
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import gen_corpus  # noqa: E402
from casebook.core.library import load_library  # noqa: E402
from casebook.search import INDEX_URI, make_records  # noqa: E402
from casebook.search.reader import SearchIndex  # noqa: E402
from casebook.search.records import TYPE_LABELS  # noqa: E402
from casebook.search.text import normalise, query_words, runs  # noqa: E402

CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SEARCH_DATA = "/" + INDEX_URI + "/"
SEARCH_APP = "/assets/casebook/app/"  # the search modules (hashed names), on every page
KINDS = [f"{n} 字" for n in range(2, 11)] + ["两个词", "含数字或拉丁字母", "两段拼接（多不存在）"]
FIRST_QUERIES = 6  # each in a fresh browser
LATER_QUERIES = 24  # typed one after the other into the same page


def debounce_ms() -> int:
    """The search page's input debounce, read from the search UI module (not counted in the times)."""
    js = (ROOT / "plugins" / "casebook" / "mkdocs" / "assets" / "search" / "ui.js").read_text(encoding="utf-8")
    found = set(re.findall(r"debounce\(function \(\) \{[^}]*\}, (\d+)\)", js))
    assert len(found) == 1, f"expected one debounce delay in ui.js, found {found}"
    return int(found.pop())


# -------------------------------------------------------------------- queries
def draw_queries(texts: list[str], per_kind: int, seed: int) -> list[tuple[str, str]]:
    """(kind, query) drawn from the normalised texts of the entries."""
    rng = random.Random(seed)
    by_entry = [runs(t) for t in texts]

    def piece(length: int, entry: int | None = None, where=None) -> str:
        while True:
            e = rng.randrange(len(texts)) if entry is None else entry
            usable = [r for r in by_entry[e] if len(r) >= length and (where is None or where.search(r))]
            if usable:
                break
            if entry is not None:
                return ""
        run = rng.choice(usable)
        while True:
            start = rng.randrange(len(run) - length + 1)
            text = run[start:start + length]
            if where is None or where.search(text):
                return text

    ascii_part = re.compile(r"[0-9a-z]")
    queries = []
    for length in range(2, 11):
        queries += [(f"{length} 字", piece(length)) for _ in range(per_kind)]
    for _ in range(per_kind):
        while True:
            entry = rng.randrange(len(texts))
            first, second = piece(rng.randint(2, 4), entry), piece(rng.randint(2, 4), entry)
            if first and second and first not in second and second not in first:
                break
        queries.append(("两个词", f"{first} {second}"))
    queries += [("含数字或拉丁字母", piece(rng.randint(2, 6), where=ascii_part)) for _ in range(per_kind)]
    queries += [("两段拼接（多不存在）", piece(rng.randint(2, 3)) + piece(rng.randint(2, 3))) for _ in range(per_kind)]
    return queries


def truth_of(texts: list[str], query: str) -> set[int]:
    words = query_words(query)
    return {i for i, t in enumerate(texts) if all(w in t for w in words)}


# ------------------------------------------------------------------ processes
def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


# The share of one core the memory sampler may take. Reading smaps_rollup
# walks a process's page tables: sampled every 0.1 s it took 40 % of a core
# beside a 50,000-entry build -- CPU taken from a build that uses both cores
# (Casebook) more than from one that leaves the second core free (the plain
# baseline), so it made the ratio look worse than it is.
SAMPLER_SHARE = 0.05


class TreeMemory(threading.Thread):
    """The peak of the summed proportional set size (PSS) of a process and
    its descendants, sampled: a build that forks a second process (the
    plugin's side build) is charged for both, shared pages once. Samples
    every 0.1 s, or less often when a sample is slow (``SAMPLER_SHARE``)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()

    def run(self):
        pause = 0.1
        while not self.done.wait(pause):
            started = time.thread_time()
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))
            pause = max(0.1, (time.thread_time() - started) / SAMPLER_SHARE)


def measured(cmd: list[str], cwd: Path, keep_output: bool = False) -> dict:
    """Run a command; wall time and peak memory of its process tree (the
    larger of the summed PSS, sampled, and the largest single process's
    maximum resident size); with ``keep_output``, also what it printed."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    memory = TreeMemory(proc.pid)
    memory.start()
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    memory.done.set()
    memory.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode:
        sys.stderr.write(output.decode("utf-8", "replace")[-4000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    result = {"seconds": round(seconds, 1), "peak_mb": round(max(usage.ru_maxrss, memory.peak_kb) / 1024)}
    if keep_output:
        result["output"] = output.decode("utf-8", "replace")
    return result


def disk(path: Path) -> dict:
    files = [p for p in path.rglob("*") if p.is_file()]
    return {"bytes": sum(p.stat().st_size for p in files), "files": len(files)}


INDEX_ONLY = """
import sys
from pathlib import Path
from casebook.core.library import load_library
from casebook.search import build_index
library = load_library(Path(sys.argv[1]), include_drafts=False)
build_index(library, Path(sys.argv[2]))
"""

# The cost of the compilations' Word files, as the plugin makes them (every
# compilation and part, an entry's paragraphs made once and copied), against a
# baseline measured in the same process: rendering every entry body once with
# the site's Markdown and sanitising it, which every build does anyway.
WORD_ONLY = """
import json, sys, time
from pathlib import Path
import markdown
from mkdocs.config import load_config
from casebook.core.bodylinks import rebase_body
from casebook.core.htmlsafe import sanitise_html
from casebook.core.library import load_library
from casebook.core.site import plan_site
from casebook.core.worddoc import compilation_docx
project = Path(sys.argv[1])
config = load_config(str(project / "mkdocs.yml"))
md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
library = load_library(project, include_drafts=False)
plan = plan_site(library)
start = time.perf_counter()
bodies = {e.slug: sanitise_html(md.reset().convert(e.body)) for e in library.entries}
baseline = time.perf_counter() - start
urls = {e.src_uri: e.url for e in library.entries}
def body(e):
    return sanitise_html(rebase_body(bodies[e.slug], e.src_uri, e.url, "", "", urls.get))
start = time.perf_counter()
parts, files, copies, size, largest = {}, 0, 0, 0, 0
for comp in plan.compilations:
    for printable in comp.printable:
        data = compilation_docx(printable, body, "清廉机关建设案例库", "2026年1月1日", lambda e: "/" + e.url, parts, "/")
        files += 1
        copies += len(printable.entries)
        size += len(data)
        largest = max(largest, len(printable.entries))
word = time.perf_counter() - start
print(json.dumps({"entries": len(library.entries), "compilations": len(plan.compilations), "word_files": files,
                  "entry_copies": copies, "largest_part": largest, "docx_bytes": size,
                  "baseline_seconds": round(baseline, 2), "word_seconds": round(word, 2)}))
"""


def measure_word(project: Path) -> dict:
    """The Word files' cost for ``project`` (see WORD_ONLY), in its own process for its peak memory."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", WORD_ONLY, str(project)], cwd=project, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        sys.stderr.write(output[-4000:])
        raise SystemExit("failed: the Word benchmark")
    result = json.loads(output.strip().splitlines()[-1])
    result["ratio"] = round(result["word_seconds"] / result["baseline_seconds"], 2)
    result["process_seconds"] = round(time.perf_counter() - start, 1)
    result["peak_mb"] = round(usage.ru_maxrss / 1024)
    return result


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

WATCH = """([input, list, stateNode]) => {
  const field = document.querySelector(input), results = document.querySelector(list);
  const state = document.querySelector(stateNode);
  window.__t0 = null; window.__t1 = null; window.__started = false;
  field.addEventListener('input', () => {
    window.__t0 = performance.now(); window.__t1 = null; window.__started = false;
  }, {capture: true});
  // The search of this input has started when the state turns to loading after it.
  new MutationObserver(() => {
    if (window.__t0 !== null && state.dataset.state === 'loading') window.__started = true;
  }).observe(state, {attributes: true, attributeFilter: ['data-state']});
  new MutationObserver(() => {
    if (window.__started && window.__t1 === null && results.querySelector('li')) window.__t1 = performance.now();
  }).observe(results, {childList: true});
}"""

# Installed before the page's scripts: when the first result card appears (ms from navigation).
FIRST_CARD = """(() => {
  window.__firstCard = null;
  new MutationObserver((_, observer) => {
    if (document.querySelector('.cb-results li')) { window.__firstCard = performance.now(); observer.disconnect(); }
  }).observe(document, {childList: true, subtree: true});
})();"""

ENGINE_RUN = """async q => {
  const engine = casebookSearch.engine(document.getElementById('cb-search').dataset.cbRoot);
  const result = await engine.search(q, {}, '', true);
  const counts = {};
  result.facets.forEach(f => {
    counts[f.key] = {};
    result.counts[f.key].forEach((c, i) => { if (c) counts[f.key][f.values[i][0]] = c; });
  });
  return {ids: result.ids, total: result.total, counts: counts};
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


def transferred(page, since: int, only: str = "", suffix: str = "") -> int:
    """Bytes (headers and body) of the requests finished after the first ``since``
    whose URL holds ``only`` and whose path ends in ``suffix``."""
    total = 0
    for request in page.finished[since:]:
        if only in request.url and request.url.split("?", 1)[0].endswith(suffix):
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total


def casebook_type(page, selector: str, state_selector: str, query: str, debounce: int) -> dict:
    """Type a query (one input event, as an IME commits a word) and wait for
    the search to finish; time from the input to the first result card,
    less the fixed debounce."""
    since = len(page.finished)
    page.fill(selector, query)
    page.wait_for_function(
        "sel => window.__started && document.querySelector(sel).dataset.state === 'done'",
        arg=state_selector, timeout=120_000)
    t0, t1 = page.evaluate("[window.__t0, window.__t1]")
    page.wait_for_load_state("networkidle")
    return {"query": query, "ms": None if t1 is None else t1 - t0 - debounce,
            "bytes": transferred(page, since, SEARCH_DATA)}


def measure_casebook(browser: Browser, base: str, first: list[str], later: list[str], debounce: int) -> dict:
    first_page, first_box, typed = [], [], []
    for query in first:
        context, page = browser.page()  # fresh browser: empty cache
        page.add_init_script(FIRST_CARD)
        page.goto(base + "search/?q=" + quote(query))
        page.wait_for_function("document.getElementById('cb-search').dataset.state === 'done'", timeout=120_000)
        page.wait_for_load_state("networkidle")
        first_page.append({"query": query, "ms": page.evaluate("window.__firstCard"),
                           "bytes": transferred(page, 0, SEARCH_DATA), "js": transferred(page, 0, SEARCH_APP, ".js")})
        context.close()

        context, page = browser.page()  # the header box of any other page
        page.goto(base)
        page.wait_for_load_state("networkidle")
        page.evaluate(WATCH, ["#cb-sbox-q", "#cb-sbox-list", ".cb-sbox"])
        first_box.append(casebook_type(page, "#cb-sbox-q", ".cb-sbox", query, debounce))
        context.close()

    context, page = browser.page()
    page.goto(base + "search/?q=" + quote(first[0]))
    page.wait_for_function("document.getElementById('cb-search').dataset.state === 'done'", timeout=120_000)
    page.wait_for_load_state("networkidle")
    page.evaluate(WATCH, ["#cb-search-q", ".cb-results", "#cb-search"])
    for query in later:
        typed.append(casebook_type(page, "#cb-search-q", "#cb-search", query, debounce))
    context.close()
    return {"first_page": first_page, "first_box": first_box, "later": typed}


def measure_pagefind(browser: Browser, base: str, first: list[str], later: list[str]) -> dict:
    firsts, typed = [], []
    for query in first:
        context, page = browser.page()
        page.goto(base + "_bench/pagefind.html")
        page.wait_for_function("window.pfReady === true")
        since = len(page.finished)
        run = page.evaluate("q => pfRun(q, 10)", query)
        page.wait_for_load_state("networkidle")
        firsts.append({"query": query, "ms": run["ms"], "bytes": transferred(page, since)})
        context.close()
    context, page = browser.page()
    page.goto(base + "_bench/pagefind.html")
    page.wait_for_function("window.pfReady === true")
    page.evaluate("q => pfRun(q, 10)", first[0])
    for query in later:
        since = len(page.finished)
        run = page.evaluate("q => pfRun(q, 10)", query)
        page.wait_for_load_state("networkidle")
        typed.append({"query": query, "ms": run["ms"], "bytes": transferred(page, since)})
    context.close()
    return {"first": firsts, "later": typed}


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


def facet_truth(records, ids: set[int]) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter] = {}
    for key in records[0].facets:
        tally = Counter(v for i in ids for v in records[i].facets[key])
        counts[key] = {TYPE_LABELS.get(v, v) if key == "type" else v: c for v, c in tally.items()}
    return counts


def quality(browser, base: str, site: Path | None, index_dir: Path, records, entries, queries) -> dict:
    """Per query: truth, Casebook's ids (the page's engine), whether its total
    and facet counts are exact and reader.py agrees, and Pagefind's ids."""
    texts = [normalise(r.text) for r in records]
    rows = [{"kind": kind, "query": q, "truth": truth_of(texts, q)} for kind, q in queries]
    context, page = browser.page()
    page.goto(base + "search/")
    page.wait_for_function("document.getElementById('cb-search').dataset.state === 'done'", timeout=120_000)
    reader = SearchIndex(index_dir)
    for row in rows:
        got = page.evaluate(ENGINE_RUN, row["query"])
        row["casebook"] = set(got["ids"])
        row["total_exact"] = got["total"] == len(row["truth"])
        row["facets_exact"] = got["counts"] == facet_truth(records, row["truth"])
        row["reader_agrees"] = set(reader.search(row["query"]).ids) == row["casebook"]
    context.close()
    if site is None:
        return {"rows": rows, "pagefind": False}
    shown = [normalise(page_text(r, e)) for r, e in zip(records, entries)]
    urls = pagefind_urls(site)
    by_url = {r.url: r.id for r in records}
    context, page = browser.page()
    page.goto(base + "_bench/pagefind.html")
    page.wait_for_function("window.pfReady === true")
    for row in rows:
        ids = page.evaluate("q => pfIds(q)", row["query"])
        row["pagefind"] = {by_url[urls[i]] for i in ids if urls.get(i) in by_url}
        row["page_truth"] = truth_of(shown, row["query"])
    context.close()
    return {"rows": rows, "pagefind": True}


def scores(rows: list[dict], engine: str, truth: str = "truth") -> dict:
    """Recall and precision over the rows (pooled), false results, lowest per query."""
    truth_n = sum(len(r[truth]) for r in rows)
    found = sum(len(r[engine]) for r in rows)
    hit = sum(len(r[engine] & r[truth]) for r in rows)
    per = [(len(r[engine] & r[truth]) / len(r[truth]) if r[truth] else 1.0,
            len(r[engine] & r[truth]) / len(r[engine]) if r[engine] else 1.0) for r in rows]
    return {"queries": len(rows), "recall": hit / truth_n if truth_n else 1.0,
            "precision": hit / found if found else 1.0, "false": found - hit, "missed": truth_n - hit,
            "min_recall": min(p[0] for p in per), "min_precision": min(p[1] for p in per)}


def worst(rows: list[dict], engine: str, count: int = 5) -> list[dict]:
    def badness(r):
        return len(r[engine] - r["truth"]) + len(r["truth"] - r[engine])
    return [{"query": r["query"], "kind": r["kind"], "truth": len(r["truth"]), "found": len(r[engine]),
             "false": len(r[engine] - r["truth"]), "missed": len(r["truth"] - r[engine])}
            for r in sorted(rows, key=badness, reverse=True)[:count] if badness(r)]


# ----------------------------------------------------------------------- run
def run_size(n: int, work: Path, browser_factory, per_kind: int, pagefind: bool, seed: int, debounce: int) -> dict:
    print(f"== {n} 条：生成语料", flush=True)
    project = gen_corpus.generate(n, work / f"corpus-{n}")
    result: dict = {"entries": n, "pagefind": pagefind}
    if pagefind:
        site = project / "site"
        print(f"== {n} 条：mkdocs build（含 Casebook 索引）", flush=True)
        result["build"] = measured([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], project)
        print(f"== {n} 条：单独计时 Casebook 索引", flush=True)
        result["casebook_index"] = measured([sys.executable, "-c", INDEX_ONLY, str(project), str(work / f"index-{n}")],
                                            project)
        shutil.rmtree(work / f"index-{n}", ignore_errors=True)
        print(f"== {n} 条：Pagefind 默认配置", flush=True)
        result["pagefind_index"] = measured([sys.executable, "-m", "pagefind", "--site", str(site)], project)
        result["pagefind_disk"] = disk(site / "pagefind")
        (site / "_bench").mkdir()
        (site / "_bench" / "pagefind.html").write_text(PAGEFIND_HARNESS, encoding="utf-8")
        entry_pages = [p for folder in ("practices", "warnings", "reports") for p in (site / folder).glob("*/index.html")
                       if p.parent.name != "page"]
        result["largest_entry_page"] = max(p.stat().st_size for p in entry_pages)
    else:
        # The real search page from a small build of the same kind of project,
        # serving the index of all n entries, built from the core's records.
        print(f"== {n} 条：小站点（搜索页）+ 全部 {n} 条的 Casebook 索引", flush=True)
        shell = gen_corpus.generate(60, work / f"shell-{n}")
        site = shell / "site"
        measured([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], shell)
        result["casebook_index"] = measured([sys.executable, "-c", INDEX_ONLY, str(project), str(site / INDEX_URI)],
                                            project)
    print(f"== {n} 条：汇编的 Word 文件（与渲染全部正文对比）", flush=True)
    result["word"] = measure_word(project)
    result["casebook_disk"] = disk(site / INDEX_URI)
    result["facets_bytes"] = (site / INDEX_URI / "facets.bin").stat().st_size

    print(f"== {n} 条：读取条目、抽取查询、计算真值", flush=True)
    library = load_library(project, include_drafts=False)
    records = make_records(library.entries)
    manifest = json.loads((site / INDEX_URI / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["n"] == len(records), "index and records disagree"
    queries = draw_queries([normalise(r.text) for r in records], per_kind, seed)

    server, base = serve(site)
    try:
        browser = browser_factory()
        print(f"== {n} 条：Chromium 查全率/查准率（{len(queries)} 个查询）", flush=True)
        qual = quality(browser, base, site if pagefind else None, site / INDEX_URI, records, library.entries, queries)
        # Timed: distinct queries with at least one result (a card to wait for).
        with_results = sorted({r["query"] for r in qual["rows"] if r["truth"]})
        rng = random.Random(seed + 1)
        timed = rng.sample(with_results, min(len(with_results), FIRST_QUERIES + LATER_QUERIES))
        first, later = timed[:FIRST_QUERIES], timed[FIRST_QUERIES:]
        print(f"== {n} 条：Chromium 流量与速度", flush=True)
        speed = {"casebook": measure_casebook(browser, base, first, later, debounce)}
        if pagefind:
            speed["pagefind"] = measure_pagefind(browser, base, first, later)
        outside = list(browser.outside)
        browser.browser.close()
    finally:
        server.terminate()
        server.wait()
    rows = qual["rows"]
    engines = ["casebook", "pagefind"] if pagefind else ["casebook"]
    result["quality"] = {
        "by_kind": {kind: {e: scores([r for r in rows if r["kind"] == kind], e) for e in engines} for kind in KINDS},
        "all": {e: scores(rows, e) for e in engines},
        "worst": {e: worst(rows, e) for e in engines},
        "exact_totals": sum(r["total_exact"] for r in rows), "exact_facets": sum(r["facets_exact"] for r in rows),
        "reader_agrees": sum(r["reader_agrees"] for r in rows), "queries": len(rows),
    }
    if pagefind:
        result["quality"]["pagefind_page_text"] = scores(rows, "pagefind", "page_truth")
    result["speed"] = speed
    result["outside_requests"] = outside
    result["query_list"] = [(r["kind"], r["query"], len(r["truth"])) for r in rows]
    return result


def kb(b: float) -> str:
    return f"{b / 1024:.0f} KB" if b < 10 * 1024 * 1024 else f"{b / 1024 / 1024:.1f} MB"


def ms(values) -> str:
    values = [v for v in values if v is not None]
    return f"{statistics.median(values):.0f} ms / {max(values):.0f} ms" if values else "—"


def report(results: list[dict], machine: dict) -> str:
    out = [f"机器：{machine['cpu']}，{machine['cores']} 核，{machine['ram_gb']} GB 内存；{machine['os']}；"
           f"Python {machine['python']}；Chromium {machine['chromium']}（headless）。", ""]
    sizes = [f"{r['entries']:,}" for r in results]
    out += ["查全率 / 查准率（按查询类别合并计算；括号内为错误结果数，即查出却不含查询词的条目）：", "",
            "| 查询类别 | " + " | ".join(f"{s} 条 Casebook | {s} 条 Pagefind" for s in sizes) + " |",
            "| --- | " + " | ".join("--- | ---" for _ in sizes) + " |"]

    def cell(q):
        return f"{q['recall']:.3f} / {q['precision']:.3f}（{q['false']:,}）"

    for kind in KINDS + ["全部"]:
        cells = []
        for r in results:
            by = r["quality"]["all"] if kind == "全部" else r["quality"]["by_kind"][kind]
            cells += [cell(by["casebook"]), cell(by["pagefind"]) if "pagefind" in by else "未测"]
        n_q = results[0]["quality"]["by_kind"][kind]["casebook"]["queries"] if kind != "全部" else results[0]["quality"]["queries"]
        out.append(f"| {kind}（{n_q} 个） | " + " | ".join(cells) + " |")
    out += [""]
    for r in results:
        q = r["quality"]
        line = (f"- {r['entries']:,} 条：{q['queries']} 个查询中，“找到 N 条”与真值相同 {q['exact_totals']} 个，"
                f"分面计数全部与真值相同 {q['exact_facets']} 个，reader.py 与浏览器结果相同 {q['reader_agrees']} 个")
        if "pagefind_page_text" in q:
            p = q["pagefind_page_text"]
            line += f"；Pagefind 按条目页可见文字算真值¹：查全率 {p['recall']:.3f}、查准率 {p['precision']:.3f}"
        out.append(line + "。")
    out += ["", "¹ 真值取自检索记录，含单位、主题的别名和“2023年6月”式日期；Pagefind 只见页面，另按页面可见文字算一次，以免冤枉它。", ""]
    for r in results:
        for engine in ("casebook", "pagefind"):
            rows = r["quality"]["worst"].get(engine)
            if rows is None:
                continue
            name = "Casebook" if engine == "casebook" else "Pagefind"
            if not rows:
                out.append(f"- {r['entries']:,} 条，{name} 最差查询：无（每个查询都与真值相同）。")
                continue
            out.append(f"- {r['entries']:,} 条，{name} 最差查询：" + "；".join(
                f"“{w['query']}”（{w['kind']}，真值 {w['truth']:,}，查出 {w['found']:,}，错 {w['false']:,}，漏 {w['missed']:,}）"
                for w in rows) + "。")
    out += ["", "流量与用时（Casebook；搜索数据 = assets/casebook/search/ 下的全部响应，头 + 体，未经服务器压缩）：", "",
            "| 指标 | " + " | ".join(f"{s} 条" for s in sizes) + " |", "| --- | " + " | ".join("---" for _ in sizes) + " |"]

    def row(label, fn):
        out.append(f"| {label} | " + " | ".join(fn(r) for r in results) + " |")

    def mean_max(values):
        return f"{kb(statistics.mean(values))} / {kb(max(values))}"

    row("首次查询搜索数据（均/最大，/search/?q=…，全新浏览器）",
        lambda r: mean_max([m["bytes"] for m in r["speed"]["casebook"]["first_page"]]))
    row("其中分面列 facets.bin", lambda r: kb(r["facets_bytes"]))
    row("之后查询搜索数据（均/最大）", lambda r: mean_max([m["bytes"] for m in r["speed"]["casebook"]["later"]]))
    row("首次查询首个结果（中位/最大，从打开页面算起）", lambda r: ms(m["ms"] for m in r["speed"]["casebook"]["first_page"]))
    row("之后查询首个结果（中位/最大，不含防抖）", lambda r: ms(m["ms"] for m in r["speed"]["casebook"]["later"]))
    row("页眉搜索框首次查询：搜索数据（均/最大）", lambda r: mean_max([m["bytes"] for m in r["speed"]["casebook"]["first_box"]]))
    row("页眉搜索框首次查询：首个结果（中位/最大，不含防抖）", lambda r: ms(m["ms"] for m in r["speed"]["casebook"]["first_box"]))
    row("搜索脚本（assets/casebook/app/ 下的 ES 模块，每页都有，不计入搜索数据）", lambda r: kb(statistics.mean(m["js"] for m in r["speed"]["casebook"]["first_page"])))
    row("索引大小（文件数）", lambda r: f"{kb(r['casebook_disk']['bytes'])}（{r['casebook_disk']['files']:,}）")
    row("建索引用时 / 峰值内存（单独进程）", lambda r: f"{r['casebook_index']['seconds']} s / {r['casebook_index']['peak_mb']:,} MB")
    row("访问 127.0.0.1 以外的请求", lambda r: str(len(r["outside_requests"])))
    with_pf = [r for r in results if r["pagefind"]]
    if with_pf:
        out += ["", "Pagefind 1.5.2 默认配置（同一语料、同一批查询；走 JS API，不含界面）：", "",
                "| 指标 | " + " | ".join(f"{r['entries']:,} 条" for r in with_pf) + " |",
                "| --- | " + " | ".join("---" for _ in with_pf) + " |"]
        for label, fn in [
            ("首次查询流量（均/最大，含 WASM 等）", lambda r: mean_max([m["bytes"] for m in r["speed"]["pagefind"]["first"]])),
            ("之后查询流量（均/最大）", lambda r: mean_max([m["bytes"] for m in r["speed"]["pagefind"]["later"]])),
            ("首次查询首个结果（中位/最大）", lambda r: ms(m["ms"] for m in r["speed"]["pagefind"]["first"])),
            ("之后查询首个结果（中位/最大）", lambda r: ms(m["ms"] for m in r["speed"]["pagefind"]["later"])),
            ("索引大小（文件数）", lambda r: f"{kb(r['pagefind_disk']['bytes'])}（{r['pagefind_disk']['files']:,}）"),
            ("建索引用时 / 峰值内存", lambda r: f"{r['pagefind_index']['seconds']} s / {r['pagefind_index']['peak_mb']:,} MB"),
        ]:
            out.append(f"| {label} | " + " | ".join(fn(r) for r in with_pf) + " |")
        out += ["", "站点构建（mkdocs build，含 Casebook 索引）：" + "；".join(
            f"{r['entries']:,} 条 {r['build']['seconds']} s、峰值 {r['build']['peak_mb']:,} MB、最大条目页 {kb(r['largest_entry_page'])}"
            for r in with_pf) + "。"]
    out += word_report(results)
    return "\n".join(out)


def word_report(results: list[dict]) -> list[str]:
    """The table of the compilations' Word cost, for every size measured."""
    rows = [r["word"] for r in results if "word" in r]
    if not rows:
        return []
    out = ["", "汇编的 Word 文件（每个汇编及其分册各一个，条目的段落每次生成只做一次、各汇编复制）；"
           "基线：同一进程内用网站的 Markdown 渲染并清洗全部正文一次：", "",
           "| 条目 | 汇编 | Word 文件 | 条目份数 | 最大一册 | Word 总大小 | 基线 | Word 生成 | 比值 | 峰值内存 |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for w in rows:
        out.append(f"| {w['entries']:,} | {w['compilations']} | {w['word_files']} | {w['entry_copies']:,} | "
                   f"{w['largest_part']} 篇 | {kb(w['docx_bytes'])} | {w['baseline_seconds']} s | "
                   f"{w['word_seconds']} s | {w['ratio']}× | {w['peak_mb']} MB |")
    return out


def word_only(sizes: list[int], work: Path) -> list[dict]:
    """--only word: generate each corpus and measure the Word files, no browser."""
    results = []
    for n in sizes:
        print(f"== {n} 条：生成语料", flush=True)
        project = gen_corpus.generate(n, work / f"corpus-{n}")
        print(f"== {n} 条：汇编的 Word 文件（与渲染全部正文对比）", flush=True)
        results.append({"entries": n, "word": measure_word(project)})
    return results


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
    parser.add_argument("--sizes", default="2000,10000", help="条目数，逗号分隔，例如 2000,10000,50000")
    parser.add_argument("--pagefind-max", type=int, default=10000,
                        help="条目数不超过此值时才构建整站并测 Pagefind（10,000 条时它约需 4 GB 内存）")
    parser.add_argument("--per-kind", type=int, default=30, help="每类查询的个数")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "casebook-bench")
    parser.add_argument("--keep", action="store_true", help="保留生成的语料和站点")
    parser.add_argument("--json", type=Path, help="原始数据写入此文件")
    parser.add_argument("--only", choices=["all", "word"], default="all",
                        help="word：只测汇编 Word 文件的生成成本（不启动浏览器，不测搜索）")
    parser.add_argument("--report", type=Path, nargs="+", metavar="JSON",
                        help="不测量：把之前 --json 保存的一次或几次运行合成一份报告")
    args = parser.parse_args(argv)
    if args.report:
        runs_ = [json.loads(path.read_text(encoding="utf-8")) for path in args.report]
        results = sorted((r for run in runs_ for r in run["results"]), key=lambda r: r["entries"])
        print(report(results, runs_[-1]["machine"]))
        return 0
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    started = time.perf_counter()
    if args.only == "word":
        results = word_only([int(s) for s in args.sizes.split(",")], args.work)
        print("\n".join([f"机器：{machine_info('—')['cpu']}，{os.cpu_count()} 核", *word_report(results)]))
        print(f"\n用时 {time.perf_counter() - started:.0f} s。命令：python scripts/bench.py --only word --sizes {args.sizes}")
        if args.json:
            args.json.write_text(json.dumps({"machine": machine_info("—"), "results": results}, ensure_ascii=False,
                                            indent=1), encoding="utf-8")
        if not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)
        return 0
    from playwright.sync_api import sync_playwright

    debounce = debounce_ms()
    results = []
    with sync_playwright() as p:
        version = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        machine = machine_info(version.version)
        version.close()
        for n in (int(s) for s in args.sizes.split(",")):
            results.append(run_size(n, args.work, lambda: Browser(p), args.per_kind, n <= args.pagefind_max,
                                    args.seed, debounce))
            if not args.keep:
                shutil.rmtree(args.work / f"corpus-{n}", ignore_errors=True)
                shutil.rmtree(args.work / f"shell-{n}", ignore_errors=True)
    text = report(results, machine)
    print()
    print(text)
    print(f"\n用时 {time.perf_counter() - started:.0f} s。命令：python scripts/bench.py --sizes {args.sizes} "
          f"--pagefind-max {args.pagefind_max} --per-kind {args.per_kind} --seed {args.seed}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "results": results}, ensure_ascii=False, indent=1,
                                        default=sorted), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
