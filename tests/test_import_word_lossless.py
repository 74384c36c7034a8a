"""Sentence-level comparison: Word files built at random from real sentences
of the sample library, each carrying tracked changes, content controls,
fields, links, smart tags, soft breaks inside sentences, hidden text,
footnotes, endnotes and merged table cells. Every sentence Word shows
(computed from how the file was built) is in the entry exactly once;
nothing Word does not show is."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from casebook.core.entry import split_front_matter
from casebook.core.vocab import load_vocabularies
from casebook.importer.pipeline import FAILED, ImportSettings, import_file
from casebook.importer.writer import TargetPlanner
from wordxml import MergedTable, Para, Seg, WordFile

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = 30
# Sentences kept as they are by the clean-up (no ASCII punctuation it would
# turn full-width) and by Markdown (no characters it would need escaped).
_PLAIN = re.compile(r"^[\u4e00-\u9fff0-9A-Za-z.%“”‘’《》、，；：（）—…·\u3000]+[。！？]$")
_SHOWN = ("text", "ins", "moveto", "sdt", "field", "simple", "link", "smart")
_HIDDEN = ("del", "movefrom", "hidden")
# A soft break is joined only inside a sentence: not after a stop or pause,
# not before what starts a heading, an ordinal point or a date.
_STARTS_APART = re.compile(r"^(?:[0-9０-９]|[（(]|[一二三四五六七八九十]+[、是]|第)")


def real_sentences() -> list[str]:
    pool = []
    for path in sorted((REPO / "cases").rglob("*.md")):
        _, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
        for line in body.splitlines():
            if line.startswith(("#", "|", ">")):
                continue
            line = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", line).replace("**", "")
            pool.extend(s for s in re.findall(r"[^。！？]+[。！？]", line) if 8 <= len(s) <= 80 and _PLAIN.match(s))
    return sorted(set(pool))


POOL = real_sentences()


def pieces(rng: random.Random, sentence: str, starts_line: bool) -> list[Seg]:
    """The sentence cut at random into runs of random kinds, with soft
    breaks and invisible runs (deleted, moved away, hidden) between them."""
    cuts = sorted(rng.sample(range(1, len(sentence) - 1), k=min(3, len(sentence) - 2)))
    parts = [sentence[a:b] for a, b in zip([0, *cuts], [*cuts, len(sentence)])]
    segs: list[Seg] = []
    for number, part in enumerate(parts):
        before = "".join(parts[:number])
        if number and rng.random() < 0.3 and before[-1] not in "。！？；：" and not _STARTS_APART.match(part) \
                and not (starts_line and _STARTS_APART.match(sentence) and before[-1] not in "，、"):
            segs.append(Seg("br"))
        if rng.random() < 0.25:
            segs.append(Seg(rng.choice(_HIDDEN), rng.choice(POOL)))
        kind = rng.choice(_SHOWN)
        segs.append(Seg(kind, part, r"REF _Ref1 \h" if kind == "field" else "DOCPROPERTY Company"
                        if kind == "simple" else ""))
    return segs


def random_document(rng: random.Random) -> tuple[WordFile, list[str], list[str], list[str]]:
    """(the file, the texts Word shows, the footnote texts, texts Word does not show)."""
    title = rng.choice(POOL).rstrip("。！？")
    items: list = [Para([Seg("text", title)], style="Title")]
    shown, notes = [title], []
    for _ in range(rng.randint(3, 8)):
        segs: list[Seg] = []
        for index, sentence in enumerate(rng.sample(POOL, rng.randint(1, 4))):
            segs.extend(pieces(rng, sentence, starts_line=index == 0))
            if rng.random() < 0.2:
                note = rng.choice(POOL)
                segs.append(Seg(rng.choice(("footnote", "endnote")), extra=note))
                notes.append(note)
        paragraph = Para(segs)
        items.append(paragraph)
        shown.append(paragraph.shown())
    if rng.random() < 0.6:
        rows = [[rng.choice(POOL) for _ in range(3)] for _ in range(rng.randint(2, 4))]
        for row in rows[1:]:
            for column in range(3):
                if rng.random() < 0.3:
                    row[column] = None  # continues the merged cell above
        items.append(MergedTable(rows))
        shown.extend(cell for row in rows for cell in row if cell)
    hidden = [s.text for item in items if isinstance(item, Para) for s in item.segs if s.kind in _HIDDEN]
    return WordFile(items), shown, notes, hidden


def sentences(texts: list[str]) -> Counter:
    """Sentences without their end marks (a heading drops its 。 and ：)."""
    found: Counter = Counter()
    for text in texts:
        for sentence in re.split(r"(?<=[。！？：])", text):
            sentence = sentence.strip().rstrip("。！？：")
            if sentence:
                found[sentence] += 1
    return found


def entry_texts(text: str) -> tuple[list[str], dict[int, str], list[int]]:
    """(title and body texts, footnote definitions by number, references in order)."""
    front, body, _ = split_front_matter(text)
    texts = [yaml.safe_load(front)["title"]]
    definitions: dict[int, str] = {}
    for block in body.split("\n\n"):
        block = block.strip()
        match = re.match(r"^\[\^(\d+)\]: (.*)$", block, re.S)
        if match:
            for line in block.split("\n"):
                number, note = re.match(r"^\[\^(\d+)\]: (.*)$", line).groups()
                definitions[int(number)] = note
            continue
        if block.startswith("|"):
            for line in block.split("\n"):
                if not line.startswith("| ---") and not line.startswith("|---"):
                    texts.extend(re.split(r"(?<!\\)\|", line.strip().strip("|")))
            continue
        texts.append(re.sub(r"^#+ ", "", block))
    references = [int(n) for t in texts for n in re.findall(r"\[\^(\d+)\]", t)]
    cleaned = [re.sub(r"\\(.)", r"\1", re.sub(r"\[\^\d+\]|\*\*", "", t)).strip() for t in texts]
    return [t for t in cleaned if t], definitions, references


@pytest.mark.parametrize("seed", range(DOCUMENTS))
def test_nothing_lost_or_duplicated(seed, tmp_path):
    assert len(POOL) > 200, "the sample library should give enough real sentences"
    rng = random.Random(seed)
    word, shown, notes, hidden = random_document(rng)
    vocabs, _ = load_vocabularies(REPO / "cases", REPO)
    settings = ImportSettings(tmp_path, tmp_path / "cases", vocabs, TargetPlanner(tmp_path / "cases", None, False),
                              dry_run=True, today=dt.date(2024, 5, 6))
    result = import_file(word.save(tmp_path / f"随机{seed}.docx"), settings)
    assert result.status != FAILED, result.notes

    texts, definitions, references = entry_texts(result.text)
    assert sentences(texts) == sentences(shown)  # every sentence once, no other
    assert references == list(range(1, len(notes) + 1))  # numbered in reading order
    assert [definitions[n] for n in references] == notes
    everything = "".join(texts) + "".join(definitions.values())
    visible = "".join(shown) + "".join(notes)
    for text in hidden:
        assert text in visible or text not in everything, text
