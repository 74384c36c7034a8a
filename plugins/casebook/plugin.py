"""The MkDocs adapter: the only module that imports MkDocs.

It maps the plain core onto MkDocs events: load and check the library
(on_files), add entries as real source files and the planned pages as
generated ones, and hand each page its data (on_page_markdown,
on_page_context). Moving to another generator means rewriting this file.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .fields import ENTRY_TYPES, FIELDS
from .library import PROFILES, Library, load_library
from .offline import scrub_theme_assets
from .reference import expand_markers
from .reproducible import fix_sitemap, source_date_epoch
from .schema import SCHEMA_URI, schema_json
from .search import INDEX_URI, build_index
from .site import PER_PAGE, SitePlan, plan_site

log = logging.getLogger("mkdocs.plugins.casebook")
PACKAGE_DIR = Path(__file__).parent
CSS_URI = "assets/casebook/casebook.css"
SEARCH_ASSETS = {"assets/casebook/search.css": "search.css", "assets/casebook/search.js": "search.js"}


class CasebookConfig(base.Config):
    cases_dir = c.Type(str, default="cases")
    profile = c.Choice(PROFILES, default="internal")
    per_page = c.Type(int, default=PER_PAGE)


class CasebookPlugin(BasePlugin[CasebookConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.library: Library | None = None
        self.plan: SitePlan | None = None
        self.entry_uris: dict[str, str] = {}  # src_uri -> slug

    @property
    def profile(self) -> str:
        # The environment wins so `CASEBOOK_PROFILE=public make build` works unchanged.
        profile = os.environ.get("CASEBOOK_PROFILE") or self.config.profile
        return profile if profile in PROFILES else self.config.profile

    def on_config(self, config):
        try:  # reproducible builds: the only date in the output (see reproducible.py)
            self.source_date_epoch = source_date_epoch(os.environ)
        except ValueError as error:
            raise PluginError(str(error)) from None
        root = Path(config.config_file_path).parent
        self.cases_dir = (root / self.config.cases_dir).resolve()
        self.root = root.resolve()
        # The package templates go after custom_dir (the site's overrides win)
        # and before the theme's, so partials/header.html can add the search box.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(PACKAGE_DIR / "templates"))
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        self._add_search_assets(config)
        return config

    def _add_search_assets(self, config):
        for uri in SEARCH_ASSETS:
            extra = config.extra_javascript if uri.endswith(".js") else config.extra_css
            if uri not in extra:
                extra.append(uri)

    def on_files(self, files: Files, config) -> Files:
        written = os.environ.get("CASEBOOK_PROFILE")
        if written and written not in PROFILES:
            log.warning(f"环境变量 CASEBOOK_PROFILE=“{written}”无效，只能是 internal 或 public；"
                        f"本次按 {self.config.profile} 生成")
        self.library = load_library(self.root, self.cases_dir, profile=self.profile, include_drafts=False)
        for problem in self.library.problems:
            log.warning(problem.format())
        if self.library.problems:
            log.warning(f"共发现 {len(self.library.problems)} 处内容问题；有问题的条目暂不生成页面。"
                        f"运行 casebook check 可再次检查。")
        self.plan = plan_site(self.library, per_page=self.config.per_page)

        for entry in self.library.entries:
            files.append(File(entry.src_uri, str(self.cases_dir), config.site_dir, config.use_directory_urls))
            self.entry_uris[entry.src_uri] = entry.slug
        for page in self.plan.pages:
            if files.get_file_from_path(page.src_uri) is None:
                files.append(File.generated(config, page.src_uri, content=""))
        files.append(File.generated(config, CSS_URI, abs_src_path=str(PACKAGE_DIR / "assets" / "casebook.css")))
        files.append(File.generated(config, SCHEMA_URI, content=schema_json(self.library.vocabs)))
        for uri, name in SEARCH_ASSETS.items():
            files.append(File.generated(config, uri, abs_src_path=str(PACKAGE_DIR / "assets" / name)))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        uri = page.file.src_uri
        if uri in self.entry_uris:
            data = self.plan.entries[self.entry_uris[uri]]
            page.meta["title"] = data["entry"].title
            page.meta["template"] = "casebook/entry.html"
            return markdown
        planned = self.plan.page_data(uri)
        if planned is not None:
            page.meta["title"] = planned.title
            page.meta["template"] = f"casebook/{planned.template}"
            if planned.template == "search.html":  # the facets take the place of the sidebars
                page.meta["hide"] = ["navigation", "toc"]
        elif page.is_homepage:
            page.meta.setdefault("template", "casebook/home.html")
        return expand_markers(markdown, self.library.vocabs)

    def on_page_context(self, context, page, config, nav):
        uri = page.file.src_uri
        if uri in self.entry_uris:
            data = self.plan.entries[self.entry_uris[uri]]
            context["casebook"] = data
            context["crumbs"] = data["crumbs"]
        elif (planned := self.plan.page_data(uri)) is not None:
            context["casebook"] = planned.data
            context["crumbs"] = planned.crumbs
        elif page.is_homepage:
            context["casebook"] = self.plan.home
        context["casebook_types"] = ENTRY_TYPES
        context["casebook_fields"] = FIELDS
        return context

    def on_post_build(self, config):
        stats = build_index(self.library, Path(config.site_dir) / INDEX_URI)
        log.info(f"搜索索引：{stats.entries} 个条目，{stats.grams} 个字词片段，{stats.shards} 个分片")
        scrub_theme_assets(Path(config.site_dir), theme_search_enabled="material/search" in config.plugins
                           or "search" in config.plugins)
        fix_sitemap(Path(config.site_dir), self.source_date_epoch)  # no build date in the output

    def on_serve(self, server, config, builder):
        server.watch(str(self.cases_dir))
        server.watch(str(PACKAGE_DIR / "templates"))
        server.watch(str(PACKAGE_DIR / "assets"))
        return server
