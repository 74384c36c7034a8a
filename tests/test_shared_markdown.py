"""sharedmarkdown.SharedMarkdown renders pages one after another on one
converter exactly as MkDocs' own Page.render renders each on a new one
(with the site's Markdown extensions): nothing one page leaves -- footnotes,
headings and their ids, references, raw HTML, links -- reaches the next;
and a page that takes its body converted ahead (without its links) is the
page MkDocs renders, where that body has no link and no image."""

from __future__ import annotations

import logging

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from casebook.mkdocs.sharedmarkdown import SharedMarkdown
from conftest import ROOT, copy_project
from pagestate import page_state

BODIES = [
    "# 标题\n\n正文[^1]，[链接](../other.md#x)，![图](../img.png)。\n\n[^1]: 注释一\n\n## 做法\n\n### 做法\n",
    "## 做法\n\n另一页的注释[^1]与[参考][r]。\n\n[^1]: 注释二\n[r]: ../other.md#y\n",
    '<div id="raw-id">原始 HTML</div>\n\n!!! note "提示"\n    提醒内容\n\n段落 {#own-id}\n',
    "| 事项 | 情况 |\n| --- | --- |\n| 甲 | 乙 |\n\n*[缩写]: 不展开\n\n[坏链接](missing.md) 与 [外链](https://example.org/a)\n",
    "",
    "# 标题\n\n同名标题再来一次，[^2] 引用不存在的注释。\n",
]


@pytest.mark.parametrize("level", [logging.WARNING, logging.DEBUG])
def test_one_converter_renders_a_sequence_of_pages_as_mkdocs_does(tmp_path, level):
    project = copy_project(tmp_path)
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    source = tmp_path / "source"
    bodies = BODIES + [path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
                       for path in sorted((ROOT / "cases").glob("*/*.md"))[:12]]
    uris = []
    for n, body in enumerate(bodies):
        uri = f"practices/p{n}.md"
        (source / "practices").mkdir(parents=True, exist_ok=True)
        (source / uri).write_text(body, encoding="utf-8")
        uris.append(uri)
    (source / "other.md").write_text("# 其他\n\n## x\n", encoding="utf-8")
    files = Files([File(uri, str(source), config.site_dir, config.use_directory_urls) for uri in [*uris, "other.md"]])
    log = logging.getLogger("mkdocs.structure.pages")
    before = log.level
    log.setLevel(level)
    shared = SharedMarkdown()
    plain = 0
    try:
        for uri in uris * 2:  # and again: the converter is not fresh the second time round
            states = []
            for way in ("mkdocs", "shared", "ahead"):
                page = Page(None, files.get_file_from_path(uri), config)
                page.read_source(config)
                if way == "shared":
                    shared.use(page)
                elif way == "ahead":
                    ahead = shared.convert(page.markdown, config)
                    plain += ahead.plain
                    shared.use(page, ahead, page.markdown)
                page.render(config, files)
                states.append(page_state(page))
            assert states[1] == states[0], uri
            assert states[2] == states[0], uri
    finally:
        log.setLevel(before)
    assert shared._md is not None  # it was used
    assert 0 < plain < len(uris) * 2  # both kinds of body were met


def test_links_and_images_are_never_plain(tmp_path):
    config = load_config(config_file=str(copy_project(tmp_path) / "mkdocs.yml"))
    shared = SharedMarkdown()
    for body in ("[链接](a.md)", "![图](a.png)", "注释[^1]\n\n[^1]: 一", "<https://example.org>", "[r]\n\n[r]: #x"):
        assert not shared.convert(body, config).plain, body
    assert shared.convert("# 标题\n\n正文 {#id}\n\n| 甲 |\n| --- |\n| 乙 |\n", config).plain


def test_a_page_whose_markdown_changed_after_is_converted_again(tmp_path):
    """Another plugin may change the Markdown after Casebook gave it: the
    conversion made ahead of the old text is not taken."""
    project = copy_project(tmp_path)
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "p.md").write_text("旧的正文", encoding="utf-8")
    files = Files([File("p.md", str(tmp_path / "source"), config.site_dir, config.use_directory_urls)])
    shared = SharedMarkdown()
    page = Page(None, files.get_file_from_path("p.md"), config)
    page.read_source(config)
    shared.use(page, shared.convert("旧的正文", config), "旧的正文")
    page.markdown = "新的正文"
    page.render(config, files)
    assert page.content == "<p>新的正文</p>"


def test_a_new_configuration_gets_a_new_converter(tmp_path):
    project = copy_project(tmp_path)
    shared = SharedMarkdown()
    first = shared._converter(load_config(config_file=str(project / "mkdocs.yml")))
    second_config = load_config(config_file=str(project / "mkdocs.yml"))
    assert shared._converter(second_config) is not first
    assert shared._converter(second_config) is shared._converter(second_config)
