"""What each benchmark query transfers, without a browser: for an index
written from a generated library, the shard files the reader opens for the
query's keys plus the entry files of its first ten results, each with a
response header, as a fresh page would fetch them after the manifest and
the facets (no shard cached from an earlier query: the worst case of the
"later query" that scripts/bench.py measures in Chromium).

    python scripts/bench_transfer.py --sizes 50000 --targets 6144,2048,1024

Used to choose the shard size (search/index.py SHARD_TARGET): the queries
are bench.py's (random substrings of the entries' own text and the rest),
and the reader is search/reader.py, which the browser's engine matches.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import gen_corpus  # noqa: E402
from bench import draw_queries  # noqa: E402
from casebook.core.library import load_library  # noqa: E402
from casebook.search import make_records  # noqa: E402
from casebook.search.index import IndexWriter, KeysCache  # noqa: E402
from casebook.search.reader import SearchIndex  # noqa: E402
from casebook.search.text import normalise  # noqa: E402

HEADER = 300  # bytes of response header counted per file
SHOWN = 10  # result cards on the first page of /search/


def transfers(index_dir: Path, queries: list[tuple[str, str]]) -> list[dict]:
    rows = []
    for kind, query in queries:
        index = SearchIndex(index_dir)
        result = index.search(query)
        shards = sum((index_dir / "g" / f"{k}.bin").stat().st_size + HEADER for k in index._shards)
        docs = sum((index_dir / "d" / f"{i}.bin").stat().st_size + HEADER for i in result.ids[:SHOWN])
        rows.append({"kind": kind, "query": query, "hits": len(result.ids), "shards": len(index._shards),
                     "shard_bytes": shards, "doc_bytes": docs, "bytes": shards + docs})
    return rows


def summary(rows: list[dict]) -> dict:
    sizes = sorted(r["bytes"] for r in rows)
    return {"mean": statistics.mean(sizes), "median": statistics.median(sizes),
            "p95": sizes[int(0.95 * (len(sizes) - 1))], "max": sizes[-1], "over_100k": sum(s > 100 * 1024 for s in sizes)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="每个基准查询的搜索数据传输量（不用浏览器；按分片大小比较）")
    parser.add_argument("--sizes", default="2000")
    parser.add_argument("--targets", default="6144,2048,1024", help="分片目标大小（字节），逗号分隔")
    parser.add_argument("--per-kind", type=int, default=30)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "casebook-bench-transfer")
    args = parser.parse_args(argv)
    for n in (int(s) for s in args.sizes.split(",")):
        project = args.work / f"corpus-{n}"
        if not project.exists():
            gen_corpus.generate(n, project)
        library = load_library(project, include_drafts=False)
        records = make_records(library.entries)
        queries = draw_queries([normalise(r.text) for r in records], args.per_kind, args.seed)
        writer = None
        for target in (int(t) for t in args.targets.split(",")):
            out = args.work / f"index-{n}-{target}"
            if writer is None:  # keys computed once, shared by every shard size
                writer = IndexWriter(target, KeysCache())
            writer.shard_target, writer.written = target, False
            stats = writer.write(records, library.vocabs, out)
            s = summary(rows := transfers(out, queries))
            print(f"{n:,} 条，分片目标 {target} B：{stats.shards:,} 个分片，分片共 {stats.index_bytes / 1e6:.1f} MB；"
                  f"每个查询 均 {s['mean'] / 1024:.1f} KB，中位 {s['median'] / 1024:.1f} KB，"
                  f"95% {s['p95'] / 1024:.1f} KB，最大 {s['max'] / 1024:.1f} KB，超过 100 KB 的 {s['over_100k']} 个",
                  flush=True)
            for r in sorted(rows, key=lambda r: -r["bytes"])[:3]:
                print(f"    {r['bytes'] / 1024:.1f} KB：{r['query']}（{r['kind']}，{r['shards']} 个分片 "
                      f"{r['shard_bytes'] / 1024:.1f} KB，结果 {r['hits']:,} 条）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
