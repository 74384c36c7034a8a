"""CPU time of a Casebook build by page kind (issue 9: page rendering).

    python scripts/bench_pages.py PROJECT [--site DIR] [--full] [--profile FILE]

Builds PROJECT (e.g. a library from scripts/gen_corpus.py) in this process and
prints the CPU time (``time.process_time``, so other jobs on a shared machine
count little) of each kind of page -- MkDocs' ``_build_page``: the page events,
its template and writing it -- and of the plugin's build events. By default
the compilations' Word files and the search index are left out (they are
measured on their own in BENCHMARKS.md); ``--full`` keeps them.
``--profile FILE`` writes a cProfile of the whole build (read it with pstats).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import os
import sys
import tempfile
import time
from pathlib import Path

from mkdocs import plugins as mkdocs_plugins
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="按页面类型统计整站构建的 CPU 时间")
    parser.add_argument("project", type=Path)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--full", action="store_true", help="包括汇编 Word 文件和搜索索引")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args(argv)

    import casebook.mkdocs.plugin as plugin
    if not args.full:
        plugin.compilation_docx = lambda *a, **k: b""
        from casebook.search.index import IndexStats
        plugin.build_index = lambda *a, **k: IndexStats(0, 0, 0, 0, 0, 0, 0)
    # one process: the CPU time counted is all of the build's (sidebuild.py)
    os.environ["CASEBOOK_JOBS"] = "1"

    pages: dict[str, float] = collections.defaultdict(float)
    counts: collections.Counter = collections.Counter()
    events: dict[str, float] = collections.defaultdict(float)
    build_page, run_event = mkdocs_build._build_page, mkdocs_plugins.PluginCollection.run_event

    def timed_page(page, *rest, **named):
        started = time.process_time()
        result = build_page(page, *rest, **named)
        template = (page.meta or {}).get("template", "")
        kind = template.removeprefix("casebook/") or ("home" if page.is_homepage else "Markdown 页")
        pages[kind] += time.process_time() - started
        counts[kind] += 1
        return result

    def timed_event(self, name, item=None, **named):
        started = time.process_time()
        result = run_event(self, name, item, **named)
        events[name] += time.process_time() - started
        return result

    mkdocs_build._build_page = timed_page
    mkdocs_plugins.PluginCollection.run_event = timed_event
    site = args.site or Path(tempfile.mkdtemp(prefix="casebook-pages-"))
    config = load_config(config_file=str(args.project / "mkdocs.yml"), site_dir=str(site))
    profile = cProfile.Profile() if args.profile else None
    started, wall = time.process_time(), time.perf_counter()
    if profile:
        profile.enable()
    mkdocs_build.build(config)
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    print(f"整站 CPU {time.process_time() - started:.1f} s（墙钟 {time.perf_counter() - wall:.1f} s）"
          f"{'' if args.full else '，不含汇编 Word 文件和搜索索引'}")
    for kind in sorted(pages, key=lambda k: -pages[k]):
        print(f"  {kind:24s} {counts[kind]:6d} 页 {pages[kind]:7.2f} s  {1000 * pages[kind] / counts[kind]:6.2f} ms/页")
    print("  构建事件（页面事件已计入上面各页）：")
    for name in sorted(events, key=lambda k: -events[k]):
        if events[name] >= 0.05:
            print(f"  {name:24s} {events[name]:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
