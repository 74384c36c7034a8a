"""The fixture the Node tests read: indexes written by Python, the rules
module generated from Python, and what ``reader.py`` answers.

    python tests/js/make_fixture.py <out dir>

Writes ``rules.js``, three indexes (``sample/``: the sample library;
``mixed/``: the sample library's records with text drawn from the seed
reports and mixed with astral CJK of Extensions B..H, full-width forms,
compatibility characters and other scripts; ``slots/``: the sample library
as the preview's writer leaves it after entries came and went, with free
slots and slots out of library order), ``cases.json`` (queries drawn
at random from that text, each with ``reader.py``'s ranked ids, with and
without filters and date order) and ``chunks.json`` (every code point, in
chunks, with a digest of ``normalise`` and ``runs`` over it).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import sys
from pathlib import Path

from casebook.core.library import load_library
from casebook.search import make_records, write_index
from casebook.search.index import IndexWriter, KeysCache
from casebook.search.reader import SearchIndex
from casebook.search.rules import rules_module
from casebook.search.text import normalise, query_words, runs, word_grams

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
SEED = 8  # the draw is random but the same on every run: a failure can be repeated
CHUNK = 0x4000

# Astral CJK: a few code points of each extension B..H (H is Unicode 15, newer
# than Python 3.11's 14.0: not a letter here, so not in any run, in both readers).
ASTRAL = [0x20000, 0x20BB7, 0x2A6D6, 0x2A700, 0x2B734, 0x2B740, 0x2B81D, 0x2B820, 0x2CEA1, 0x2CEB0,
          0x2EBE0, 0x30000, 0x3134A, 0x31350, 0x323AF, 0x2F800, 0x1F600, 0x1D400, 0x10400, 0x1D7CE]
FULL_WIDTH = "ＡＢＣｘｙｚ０１２３４５６７８９！＃％＆（）＋，－．／：；＝？＠［］｛｝～　"
COMPAT = "①⑩㍿ｶｯﾀﾞⅫⅻﬁﬃ㎏㎡℃№™ǅǈΣσςİıẞßǰŉ̇"
SCRIPTS = "Straße ΣΊΣΥΦΟΣ Ёлка МОСКВА Ǆungla İstanbul ÅNGSTRÖM العربية עברית हिन्दी 한국어 ひらがな カタカナ ไทย"


def seed_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


def mixed(text: str, rng: random.Random) -> str:
    """``text`` with odd characters put in at random places."""
    out = []
    for piece in text.split("。"):
        out.append(piece)
        roll = rng.random()
        if roll < 0.3:
            out.append("".join(chr(rng.choice(ASTRAL)) for _ in range(rng.randint(1, 4))))
        elif roll < 0.5:
            out.append("".join(rng.choice(FULL_WIDTH) for _ in range(rng.randint(1, 6))))
        elif roll < 0.65:
            out.append("".join(rng.choice(COMPAT) for _ in range(rng.randint(1, 4))))
        elif roll < 0.8:
            words = SCRIPTS.split()
            out.append(rng.choice(words) + rng.choice(["", " ", "-"]) + rng.choice(words))
        out.append("。")
    return "".join(out)


def mixed_records(records, rng: random.Random):
    text = seed_text()
    size = max(200, len(text) // len(records))
    result = []
    for i, record in enumerate(records):
        body = mixed(text[i * size % len(text):][:size], rng)
        headings = []
        for n, cut in enumerate(sorted(rng.sample(range(len(body)), 2))):  # a heading after astral text, too
            heading = f"{'一二'[n]}、小节𠀀{n}"
            at = cut + sum(len(h) + 2 for _, _, h in headings)
            body = body[:at] + "\n" + heading + "\n" + body[at:]
            headings.append((at + 1, f"section-{n}", heading))
        title = mixed(record.title, rng)[:40]
        result.append(dataclasses.replace(record, title=title, body=body, headings=headings))
    return result


def widen(query: str) -> str:
    """ASCII to full-width: the query a reader with a full-width keyboard types."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in query)


def draw_queries(records, rng: random.Random, count: int) -> list[str]:
    """Substrings of the raw text (before normalisation: the readers must
    fold them), in upper case and full width, two-word queries, words that
    occur apart, and odd characters alone."""
    texts = [r.text for r in records]
    queries = []
    while len(queries) < count:
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        piece = text[start:start + rng.randint(1, 9)]
        kind = rng.random()
        if kind < 0.15:
            piece = piece.upper()
        elif kind < 0.25:
            piece = widen(piece)
        elif kind < 0.45:
            other = rng.choice(texts)
            at = rng.randrange(len(other))
            piece = piece + " " + other[at:at + rng.randint(1, 5)]
        elif kind < 0.5:
            piece = "".join(chr(rng.choice(ASTRAL)) for _ in range(rng.randint(1, 3)))
        elif kind < 0.55:
            piece = "".join(rng.choice(COMPAT + FULL_WIDTH) for _ in range(rng.randint(1, 3)))
        if query_words(piece):
            queries.append(piece)
    return queries


def answers(index: SearchIndex, query: str, facets: list[dict], rng: random.Random) -> dict:
    filters = {}
    if rng.random() < 0.3:
        facet = rng.choice([f for f in facets if f["values"]])
        value = rng.choice(facet["values"])
        filters = {facet["key"]: [rng.choice(value)]}  # a name or an alias
    ranked = index.search(query)
    return {"query": query, "words": query_words(query), "grams": [word_grams(w) for w in query_words(query)],
            "ids": ranked.ids, "date": index.search(query, sort="date").ids,
            "filters": filters, "filtered": index.search(query, filters).ids,
            "counts": index.search(query, filters).counts}


def chunks() -> list[dict]:
    """Every code point but the surrogates, in chunks, with a digest of what
    Python's rules make of them."""
    result = []
    for start in range(0, sys.maxunicode + 1, CHUNK):
        text = "".join(chr(cp) for cp in range(start, min(start + CHUNK, sys.maxunicode + 1))
                       if not 0xD800 <= cp <= 0xDFFF)
        norm = normalise(text)
        digest = hashlib.sha256((norm + "\x00" + "\x01".join(runs(norm))).encode("utf-8", "surrogatepass"))
        result.append({"start": start, "end": min(start + CHUNK, sys.maxunicode + 1), "sha256": digest.hexdigest()})
    return result


def preview_slots(records, vocabs, out: Path) -> None:
    """The index the preview's writer leaves after a build without the
    first five and every seventh record, then one with all of them again,
    less every third: new entries take free slots or new ones, removed ones
    leave theirs free, and the manifest holds the order."""
    def numbered(kept):
        return [dataclasses.replace(r, id=i) for i, r in enumerate(kept)]
    writer = IndexWriter(cache=KeysCache())
    writer.write(numbered([r for i, r in enumerate(records) if i >= 5 and i % 7]), vocabs, out)
    writer.write(numbered([r for i, r in enumerate(records) if i % 3]), vocabs, out)
    order = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["order"]
    assert order != sorted(order) and len(order) < writer.n, "the fixture must hold free and moved slots"


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "rules.js").write_text(rules_module(), encoding="utf-8")
    library = load_library(ROOT, include_drafts=False)
    rng = random.Random(SEED)
    sample = make_records(library.entries)
    cases = {}
    for name, records, count in (("sample", sample, 150), ("mixed", mixed_records(sample, rng), 250),
                                 ("slots", sample, 150)):
        if name == "slots":
            preview_slots(records, library.vocabs, out / name)
        else:
            write_index(records, library.vocabs, out / name)
        index = SearchIndex(out / name)
        queries = draw_queries(records, rng, count)
        browse = answers(index, "", index.facets, rng)  # no words: every entry, newest first
        cases[name] = [browse, *(answers(index, q, index.facets, rng) for q in queries)]
    (out / "cases.json").write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    (out / "chunks.json").write_text(json.dumps(chunks()), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
