"""blankpage.skip_markdown leaves a blank page exactly as MkDocs' own
Page.render does (with the site's Markdown extensions), and falls back to
it for a page that has Markdown after all."""

from __future__ import annotations

import logging

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from casebook.mkdocs.blankpage import skip_markdown
from conftest import copy_project
from pagestate import page_state


@pytest.mark.parametrize("markdown", ["", "\n  \n\t\n", "# 标题\n\n正文，[链接](../../other.md#x)。\n"])
@pytest.mark.parametrize("level", [logging.WARNING, logging.DEBUG])
def test_skipping_the_converter_leaves_the_page_as_mkdocs_renders_it(tmp_path, markdown, level):
    project = copy_project(tmp_path)
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    source = tmp_path / "source"
    (source / "units" / "x").mkdir(parents=True)
    (source / "units" / "x" / "index.md").write_text(markdown, encoding="utf-8")
    (source / "other.md").write_text("# 其他\n", encoding="utf-8")
    files = Files([File(uri, str(source), config.site_dir, config.use_directory_urls)
                   for uri in ("units/x/index.md", "other.md")])
    log = logging.getLogger("mkdocs.structure.pages")
    before = log.level
    log.setLevel(level)
    try:
        rendered = []
        for skip in (False, True):
            page = Page(None, files.get_file_from_path("units/x/index.md"), config)
            page.read_source(config)
            if skip:
                skip_markdown(page)
            page.render(config, files)
            rendered.append(page_state(page))
    finally:
        log.setLevel(before)
    assert rendered[1] == rendered[0]
    assert (rendered[0]["content"] == "") == (not markdown.strip())  # both kinds are covered
