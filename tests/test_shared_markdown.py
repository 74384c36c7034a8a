"""sharedmarkdown.SharedMarkdown renders pages one after another on one
converter exactly as MkDocs' own Page.render renders each on a new one
(with the site's Markdown extensions): nothing one page leaves -- footnotes,
headings and their ids, references, raw HTML, links -- reaches the next."""

from __future__ import annotations

import logging

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from casebook.mkdocs.sharedmarkdown import SharedMarkdown
from conftest import ROOT, copy_project

BODIES = [
    "# 标题\n\n正文[^1]，[链接](../other.md#x)，![图](../img.png)。\n\n[^1]: 注释一\n\n## 做法\n\n### 做法\n",
    "## 做法\n\n另一页的注释[^1]与[参考][r]。\n\n[^1]: 注释二\n[r]: ../other.md#y\n",
    '<div id="raw-id">原始 HTML</div>\n\n!!! note "提示"\n    提醒内容\n\n段落 {#own-id}\n',
    "| 事项 | 情况 |\n| --- | --- |\n| 甲 | 乙 |\n\n*[缩写]: 不展开\n\n[坏链接](missing.md) 与 [外链](https://example.org/a)\n",
    "",
    "# 标题\n\n同名标题再来一次，[^2] 引用不存在的注释。\n",
]


def _toc(items) -> list:
    return [(item.title, item.id, item.level, _toc(item.children)) for item in items]


def _state(page: Page) -> dict:
    state = {k: v for k, v in vars(page).items() if k != "render"}
    state["toc"] = _toc(page.toc)
    return state


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
    try:
        for uri in uris * 2:  # and again: the converter is not fresh the second time round
            states = []
            for share in (False, True):
                page = Page(None, files.get_file_from_path(uri), config)
                page.read_source(config)
                if share:
                    shared.use(page)
                page.render(config, files)
                states.append(_state(page))
            assert states[1] == states[0], uri
    finally:
        log.setLevel(before)
    assert shared._md is not None  # it was used


def test_a_new_configuration_gets_a_new_converter(tmp_path):
    project = copy_project(tmp_path)
    shared = SharedMarkdown()
    first = shared._converter(load_config(config_file=str(project / "mkdocs.yml")))
    second_config = load_config(config_file=str(project / "mkdocs.yml"))
    assert shared._converter(second_config) is not first
    assert shared._converter(second_config) is shared._converter(second_config)
