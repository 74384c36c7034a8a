"""The preview's page fingerprints (mkdocs/incremental.py): a page keeps its
fingerprint from one build to the next only when everything it shows is the
same. Each build makes new view objects, so the comparison is across two
separate loads and plans, as in the preview."""

from __future__ import annotations

import random
from dataclasses import is_dataclass
from pathlib import Path

from casebook.core.library import load_library
from casebook.core.parsecache import ParseCache
from casebook.core.site import plan_site
from casebook.mkdocs.incremental import Fingerprinter
from libtools import GOOD_CASE, GOOD_PRACTICE, make_library, write_entry


def views(root, cache=None):
    plan = plan_site(load_library(root, cache=cache))
    pages = {p.src_uri: (p.title, p.template, p.data, p.crumbs) for p in plan.pages}
    pages.update({f"entry:{slug}": view for slug, view in plan.entries.items()})
    pages["home"] = plan.home
    return pages


def fingerprints(pages):
    prints = Fingerprinter()  # one per build, as in the plugin
    return {uri: prints.of(view) for uri, view in pages.items()}


def truth(value):
    """Everything a view holds, as plain text: a slow, simple walk."""
    if is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__ + truth(vars(value))
    if isinstance(value, dict):
        return "{" + ",".join(f"{truth(k)}:{truth(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(truth(v) for v in value) + "]"
    return repr(value)


def practice(i: int, title: str | None = None, extra: str = "", related: str = "") -> str:
    text = (GOOD_PRACTICE.replace("2023-06-15", f"2023-0{1 + i % 9}-1{i % 10}")
            .replace("title: 市妇联以家风建设带动清廉机关建设", f"title: {title or f'经验{i}'}") + extra)
    return text.replace("---\n\n", f"related: [{related}]\n---\n\n", 1) if related else text


def setup(tmp_path, n=8):
    make_library(tmp_path)
    for i in range(n):
        write_entry(tmp_path, f"practices/p{i}.md", practice(i, related=f"p{(i + 1) % n}"))
    write_entry(tmp_path, "warnings/c.md", GOOD_CASE)


def changed(before, after):
    return {uri for uri in after if before.get(uri) != after[uri]}


def test_unchanged_library_keeps_every_fingerprint(tmp_path):
    setup(tmp_path)
    assert fingerprints(views(tmp_path)) == fingerprints(views(tmp_path))


def test_what_a_page_shows_of_other_entries_changes_its_fingerprint(tmp_path):
    setup(tmp_path)
    before = fingerprints(views(tmp_path))
    # a related entry's title: p0 relates to p1
    write_entry(tmp_path, "practices/p1.md", practice(1, title="改过的标题", related="p2"))
    after = fingerprints(views(tmp_path))
    assert {"entry:p0", "entry:p1", "practices/index.md", "units/shi-fu-lian/index.md"} <= changed(before, after)
    assert "warnings/index.md" not in changed(before, after)  # shows no practice
    # a listing's counts: one more warning case
    write_entry(tmp_path, "warnings/c2.md", GOOD_CASE.replace("王某", "李某"))
    again = fingerprints(views(tmp_path))
    assert {"warnings/index.md", "home", "units/index.md"} <= changed(after, again)
    # a vocabulary alias: shown in the panel's search data and the vocabulary
    units = tmp_path / "cases" / "units.yml"
    units.write_text(units.read_text(encoding="utf-8").replace("市妇女联合会", "妇联"), encoding="utf-8")
    last = fingerprints(views(tmp_path))
    assert {"entry:p0", "entry:p7"} <= changed(again, last)


def test_a_kept_fingerprint_means_the_same_view_through_random_edits(tmp_path):
    """Compared with a simple truth: whenever a page's fingerprint is the
    same as in the build before, everything its view holds is the same."""
    setup(tmp_path)
    rng = random.Random(20261123)
    cache = ParseCache()
    cache.racy_ns = 0  # trust stats at once: the cache's reuse is under test too
    edits = [
        lambda i: write_entry(tmp_path, f"practices/p{i}.md", practice(i, extra=f"\n新增一段{rng.random()}\n")),
        lambda i: write_entry(tmp_path, f"practices/p{i}.md", practice(i, title=f"新标题{rng.randrange(3)}")),
        lambda i: write_entry(tmp_path, f"practices/p{i}.md", practice(i).replace("unit: 市妇联", "unit: 市财政局")),
        lambda i: write_entry(tmp_path, f"practices/p{i}.md", practice(i, related=f"p{rng.randrange(8)}")),
        lambda i: write_entry(tmp_path, f"practices/n{i}.md", practice(20 + i)),
        lambda i: (tmp_path / "cases" / "practices" / f"p{i}.md").unlink(missing_ok=True),
        lambda i: (tmp_path / "cases" / "themes.yml").write_text(
            (tmp_path / "cases" / "themes.yml").read_text(encoding="utf-8").replace(
                "aliases: [家风", f"aliases: [家风{i}", 1), encoding="utf-8"),
    ]
    pages = views(tmp_path, cache)
    prints, texts = fingerprints(pages), {uri: truth(v) for uri, v in pages.items()}
    kept = 0
    for _ in range(25):
        rng.choice(edits)(rng.randrange(8))
        pages = views(tmp_path, cache)
        new_prints, new_texts = fingerprints(pages), {uri: truth(v) for uri, v in pages.items()}
        for uri in new_prints:
            if prints.get(uri) == new_prints[uri]:
                kept += 1
                assert texts[uri] == new_texts[uri], uri
            else:
                assert uri not in texts or texts[uri] != new_texts[uri], uri  # and no page is rendered for nothing
        prints, texts = new_prints, new_texts
    assert kept > 100  # most pages kept theirs: the comparison above is not vacuous


def test_a_file_made_in_memory_is_written_again_only_when_its_bytes_changed(tmp_path):
    """PageTracker: a generated file (a Word file, a CSV) whose bytes are the
    ones written last time is not written again; changed bytes, a missing
    output, or a build that failed after deciding to write it are."""
    from casebook.mkdocs.incremental import PageTracker
    from mkdocs.structure.files import File, Files

    tracker = PageTracker()

    def generated(uri, data):
        file = File(uri, None, str(tmp_path / "site"), True)
        file.content_bytes = data  # as File.generated(config, uri, content=data) makes it
        return file

    def build(contents, fail=False):
        files = Files([generated(uri, data) for uri, data in contents.items()])
        tracker.begin("token")
        tracker.outputs(files)
        written = []
        for file in files:
            if file.is_modified():
                Path(file.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
                Path(file.abs_dest_path).write_bytes(file.content_bytes)
                written.append(file.src_uri)
        if not fail:
            tracker.finish(tmp_path / "site")
        return written

    assert build({"a.docx": b"A", "b.csv": b"x,y"}) == ["a.docx", "b.csv"]
    assert build({"a.docx": b"A", "b.csv": b"x,y"}) == []
    assert build({"a.docx": b"A2", "b.csv": b"x,y"}) == ["a.docx"]
    (tmp_path / "site" / "b.csv").unlink()
    assert build({"a.docx": b"A2", "b.csv": b"x,y"}) == ["b.csv"]
    assert build({"a.docx": b"A3", "b.csv": b"x,y"}, fail=True) == ["a.docx"]
    assert build({"a.docx": b"A2", "b.csv": b"x,y"}) == ["a.docx"]  # the failed build left A3 on disk
    assert (tmp_path / "site" / "a.docx").read_bytes() == b"A2"
    tracker.begin("another token")  # templates, mkdocs.yml ...: everything again
    files = Files([generated("a.docx", b"A2")])
    tracker.outputs(files)
    assert files.get_file_from_path("a.docx").is_modified()


def test_a_page_not_rendered_again_keeps_its_mkdocs_page_emptied(tmp_path):
    """PageTracker: MkDocs makes no new Page for a page whose fingerprint is
    unchanged (its file gets last build's, without its HTML); a changed one,
    one whose output is gone, or a new site token gets none."""
    from casebook.mkdocs.incremental import PageTracker
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(tmp_path), "site_dir": str(tmp_path / "site")})
    tracker = PageTracker()

    def build(prints: dict[str, str], token: str = "token") -> dict[str, object]:
        files = Files([File(uri, str(tmp_path), str(tmp_path / "site"), True) for uri in prints])
        tracker.begin(token)
        tracker.outputs(files)
        kept = {}
        for file in files.documentation_pages():
            tracker.track(file, prints[file.src_uri])
            kept[file.src_uri] = file.page
            if file.page is None:
                Page(None, file, config)
            if file.is_modified():
                file.page.content = "<p>HTML</p>"
                Path(file.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
                Path(file.abs_dest_path).write_text("x", encoding="utf-8")
        tracker.finish(tmp_path / "site")
        return {uri: (page, files.get_file_from_path(uri).page) for uri, page in kept.items()}

    first = build({"a.md": "1", "b.md": "1", "c.md": "1"})
    assert all(kept is None for kept, _ in first.values())
    second = build({"a.md": "1", "b.md": "2", "c.md": "1"})
    assert second["a.md"][0] is first["a.md"][1] and second["a.md"][0].content is None
    assert second["a.md"][0].file.src_uri == "a.md" and second["a.md"][0].file.page is second["a.md"][0]
    assert second["b.md"][0] is None  # changed: a new Page
    (tmp_path / "site" / "c" / "index.html").unlink()
    third = build({"a.md": "1", "b.md": "2", "c.md": "1"})
    assert third["a.md"][0] is first["a.md"][1] and third["b.md"][0] is second["b.md"][1]
    assert third["c.md"][0] is None  # its output is gone: rendered again, with a new Page
    assert all(kept is None for kept, _ in build({"a.md": "1", "b.md": "2", "c.md": "1"}, "new token").values())


def test_a_file_gets_last_builds_destination_only_from_the_same_source_folder_and_url_style(tmp_path):
    """PageTracker: MkDocs' destination of each new File is taken from the
    last build when source path, output folder and URL style are the same;
    the result is what MkDocs works out; a given ``dest_uri`` is kept."""
    from casebook.mkdocs.incremental import PageTracker
    from mkdocs.structure.files import File, Files

    tracker = PageTracker()
    site = str(tmp_path / "site")

    def places(files: list[File]) -> list[tuple]:
        tracker.begin("token")
        tracker.outputs(Files(files))
        made = [(f.dest_uri, f.url, f.abs_dest_path) for f in files]
        tracker.finish(tmp_path / "site")
        return made

    def fresh(files: list[File]) -> list[tuple]:
        return [(f.dest_uri, f.url, f.abs_dest_path) for f in files]

    def files(site_dir=site, directory_urls=True):
        return [File("a/b.md", str(tmp_path), site_dir, directory_urls), File("index.md", str(tmp_path), site_dir, directory_urls),
                File("x.css", str(tmp_path), site_dir, directory_urls),
                File("c.md", str(tmp_path), site_dir, directory_urls, dest_uri="elsewhere/c.html")]

    places(files())
    second = files()
    assert places(second) == fresh(files())
    assert "abs_dest_path" in vars(second[0])  # set from the memo, not left for MkDocs
    again = files()
    again[3] = File("c.md", str(tmp_path), site, True)  # no longer given a destination
    assert places(again)[3] == ("c/index.html", "c/", str(tmp_path / "site" / "c" / "index.html"))
    assert places(files(directory_urls=False)) == fresh(files(directory_urls=False))
    assert places(files(site_dir=str(tmp_path / "other"))) == fresh(files(site_dir=str(tmp_path / "other")))


def test_a_fingerprinter_knows_again_last_builds_objects_by_identity():
    from casebook.mkdocs.incremental import Fingerprinter

    value = {"title": "甲", "items": [1, 2]}
    first = Fingerprinter()
    digest = first.of(value)
    second = Fingerprinter(previous=first)
    assert second.of(value) == digest
    equal = {"title": "甲", "items": [1, 2]}
    assert second.of(equal) == digest  # another object with the same content: digested, the same
    assert Fingerprinter(previous=second).of({"title": "乙", "items": [1, 2]}) != digest
