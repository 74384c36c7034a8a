"""MkDocs does not read an entry's file again: the core has read and checked
it, and the page gets its Markdown from there (plugin.on_page_read_source,
on_page_markdown); parsing 10,000 front matters a second time cost a second
of every build."""

from __future__ import annotations

from conftest import ROOT


def test_mkdocs_parses_the_front_matter_of_hand_written_pages_only(tmp_path, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.utils import meta

    read: list[str] = []
    real = meta.get_data

    def spy(doc):
        read.append(doc)
        return real(doc)

    monkeypatch.setattr(meta, "get_data", spy)
    monkeypatch.setenv("CASEBOOK_JOBS", "1")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site = tmp_path / "site"
    build(load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site)))

    entries = sorted((ROOT / "cases").glob("*/*.md"))
    sources = set(read)
    assert not any(path.read_text(encoding="utf-8") in sources for path in entries)
    assert (ROOT / "docs" / "index.md").read_text(encoding="utf-8") in sources  # the guide's pages are read as before
    # and every entry page still shows its body and the title from its front matter
    from casebook.core.library import load_library
    for entry in load_library(ROOT, include_drafts=False).entries:
        page = (site / entry.url.strip("/") / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{entry.title}</h1>" in page or entry.title in page
        first_line = next(line for line in entry.body.splitlines() if line.strip() and line[0] not in "#|>-*!`[<")
        assert first_line.strip()[:12] in page
