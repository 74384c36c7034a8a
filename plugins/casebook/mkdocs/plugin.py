"""The MkDocs adapter: the only module that imports MkDocs.

It maps the plain core onto MkDocs events: load and check the library
(on_files), add entries as real source files and the planned pages as
generated ones, and hand each page its data (on_page_markdown,
on_page_context). Moving to another generator means rewriting this file.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Iterable
from pathlib import Path

from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from casebook.core import fields as F
from casebook.core.bodylinks import MovedBody
from casebook.core.compilations import demote_headings
from casebook.core.dates import chinese_date
from casebook.core.fields import ENTRY_TYPES
from casebook.core.history import file_dates, source_date
from casebook.core.htmlsafe import sanitise_html, text_and_headings
from casebook.core.library import PROFILE_LABELS, PROFILES, Library, load_library
from casebook.core.memo import Memo
from casebook.core.parsecache import ParseCache, vocabulary_key
from casebook.core.reference import expand_markers
from casebook.core.schema import all_schemas
from casebook.core.site import PER_PAGE, SitePlan, When, compilations_of, plan_site, printed_parts
from casebook.core.worddoc import PackedParts, compilation_docx, entry_part
from casebook.mkdocs.blankpage import skip_markdown
from casebook.mkdocs.collector import Collector
from casebook.mkdocs.fragments import Fragments, keep_fragments
from casebook.mkdocs.framecache import cache_frame
from casebook.mkdocs.incremental import Fingerprinter, PageTracker, site_token
from casebook.mkdocs.navcache import cache_navigation
from casebook.mkdocs.offline import scrub_theme_assets
from casebook.mkdocs.pagesplit import split_pages
from casebook.mkdocs.reproducible import SITEMAP, fix_sitemap, source_date_epoch
from casebook.mkdocs.search_assets import OUT_DIR as SEARCH_ASSETS_DIR
from casebook.mkdocs.search_assets import search_assets
from casebook.mkdocs.sharedmarkdown import Converted, SharedMarkdown
from casebook.mkdocs.sidebuild import SharedFlags, SharedQueue, SideBuild, SideBuildError, split_map, step
from casebook.mkdocs.templatecache import CompiledTemplates
from casebook.mkdocs.urlcache import cache_urls
from casebook.search import INDEX_URI, IndexStats, IndexWriter, KeysCache, build_index
from casebook.search.records import SearchRecord, make_record

log = logging.getLogger("mkdocs.plugins.casebook")
PACKAGE_DIR = Path(__file__).parent
CSS_URI = "assets/casebook/casebook.css"


# Templates that autoescape every value: all of Casebook's, and the theme
# partial it overrides. A value becomes markup only as a ``Markup`` made here
# (page bodies, after sanitising) — never through ``|safe`` in a template.
AUTOESCAPED = ("casebook/", "partials/casebook-", "partials/header.html", "404.html", "main.html")


def autoescaped(template_name: str | None) -> bool:
    return bool(template_name) and template_name.startswith(AUTOESCAPED)


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build that navigation may be stale; the
    preview's pages are chosen by fingerprint (incremental.py), so it is not."""
    return "'dirty' build" not in record.getMessage()


class CasebookConfig(base.Config):
    cases_dir = c.Type(str, default="cases")
    profile = c.Type(str, default="internal")  # checked in on_config, with a Chinese message
    per_page = c.Type(int, default=PER_PAGE)


def chosen_profile(configured: str, environment: str | None) -> str:
    """The profile to build; an unknown name stops the build (a typo must
    never build the internal site where the public one was meant)."""
    choices = "、".join(f"{p}（{PROFILE_LABELS[p]}）" for p in PROFILES)
    if environment:  # the environment wins so `CASEBOOK_PROFILE=public make build` works unchanged
        if environment not in PROFILES:
            raise PluginError(f"环境变量 CASEBOOK_PROFILE=“{environment}”无效，只能是 {choices}（区分大小写）；"
                              f"未生成任何文件")
        return environment
    if configured not in PROFILES:
        raise PluginError(f"mkdocs.yml 中 casebook 插件的 profile: “{configured}”无效，只能是 {choices}；未生成任何文件")
    return configured


class _Unresolved(Exception):
    """A body's relative address, where MkDocs' files are not known yet."""


def _unresolved(path: str) -> None:
    raise _Unresolved(path)


def _no_file(path: str) -> None:
    """For bodies MkDocs rendered: their links to files are addresses already."""
    return None


def _read_on_both(function, items: list, shared: list) -> list:
    """The library's entry files read on both cores (sidebuild.split_map)."""
    try:
        return split_map(function, items, shared=shared)
    except SideBuildError as error:
        log.error(error.trace)
        raise PluginError(f"读取条目文件时出错（{error}），未生成站点；请把上面的错误信息交给维护人员") from None


class CasebookPlugin(BasePlugin[CasebookConfig]):
    supports_multiple_instances = False
    # Compilation pages copy the entry bodies MkDocs rendered for the entry
    # pages (MkDocs converts every page before it renders any template); the
    # other path renders a body again and gives the same copy
    # (tests/test_compilation_parts.py builds a site both ways).
    reuse_page_bodies = True

    def __init__(self):
        self.library: Library | None = None
        self.plan: SitePlan | None = None
        self.entry_uris: dict[str, str] = {}  # src_uri -> slug
        self.profile = "internal"
        self.previewing = False
        self.parse_cache = ParseCache()  # the preview's: unchanged files are not parsed again
        self.pages = PageTracker()  # the dirty preview's: which pages an edit changed
        self.incremental = False
        self._bodies: dict[str, str] = {}
        self._rendered: dict[str, tuple[str, str]] = {}  # the preview's: slug -> (Markdown, its page's body)
        self.bodies_converted = 0
        self.prints: Fingerprinter | None = None
        self._schemas_made: tuple = (None, {})  # (what they were made from, uri -> text)
        self.search_index = IndexWriter(cache=KeysCache())  # the preview's: rewrites only what an edit changed
        self._body_texts = Memo(text_and_headings)  # the preview's: search text of bodies that did not change
        self._records: dict[tuple[str, str], SearchRecord] = {}  # the preview's: (site, entry digest) -> its record
        self.word_parts: dict = {}  # an entry's Word paragraphs, shared by the compilations holding it
        self.word_part_digests: dict[str, str] = {}  # the preview's: what each entry's paragraphs were made from
        self.word_files: dict[str, tuple[str, bytes]] = {}  # the preview's: docx uri -> (made from, bytes)
        self.side: SideBuild | None = None  # a build's Word paragraphs, search index and some Word files: other core
        self.page_side: SideBuild | None = None  # the preview's pages rendered on the other core
        self.fragments = Fragments()  # this build's pieces of pages rendered once (fragments.py; on_env)
        self._forget_urls = lambda: None  # this build's url filter's answers (urlcache.py; on_env)
        self.pages_elsewhere = 0  # how many, this build (a test checks the preview's first build does)
        self._nav = None
        self.compiled_templates = CompiledTemplates()  # the preview's: templates not compiled again each rebuild
        self.shared_markdown = SharedMarkdown()  # one converter for every entry page, not one each
        self.collector = Collector()  # the cycle collector keeps off what lives through a build (collector.py)

    def on_startup(self, *, command, dirty):
        # The local preview (`mkdocs serve`) shows drafts with a banner; no
        # build writes them. (Having on_startup also keeps this instance
        # across the preview's rebuilds.)
        self.previewing = command == "serve"
        # `casebook serve` runs MkDocs' dirty preview: only changed pages are rendered again (incremental.py).
        self.incremental = self.previewing and dirty
        if self.incremental:
            logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty_warning)

    def on_config(self, config):
        self.collector.build_started()
        self.profile = chosen_profile(self.config.profile, os.environ.get("CASEBOOK_PROFILE"))
        try:  # reproducible builds: the only date in the output (see reproducible.py)
            self.source_date_epoch = source_date_epoch(os.environ)
        except ValueError as error:
            raise PluginError(str(error)) from None
        self._site_config = config  # the Markdown extensions bodies are converted with (before MkDocs reads a page)
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
        """The search modules under their hashed names: the entry module as
        ``<script type="module">`` on every page, and the search style."""
        self.search_assets = search_assets()
        config.extra_javascript[:] = [s for s in config.extra_javascript
                                      if not str(s).startswith(SEARCH_ASSETS_DIR)]
        config.extra_css[:] = [s for s in config.extra_css if not s.startswith(SEARCH_ASSETS_DIR)]
        script = ExtraScriptValue(self.search_assets.script)
        script.type = "module"
        config.extra_javascript.append(script)
        config.extra_css.append(self.search_assets.style)

    def on_pre_build(self, config):
        # bodies as HTML by their Markdown: the preview keeps last build's (those still in use)
        self._bodies_before = self._bodies if self.incremental else {}
        self._bodies: dict[str, str] = {}
        self._converted: dict[str, Converted] = {}  # this build's bodies converted ahead, for their pages
        self.bodies_converted = 0  # this build's, by _body_html (a test checks the preview keeps them)
        # Before MkDocs cleans or writes site_dir: a build that must fail
        # fails here, leaving nothing (and no hidden entry) behind.
        self.library = load_library(self.root, self.cases_dir, profile=self.profile, include_drafts=self.previewing,
                                    show_drafts=self.previewing, render_many=self._rendered_bodies,
                                    cache=self.parse_cache if self.previewing else None, map_many=_read_on_both)
        problems = self.library.problems
        for problem in problems:
            log.warning(problem.format())
        if self.library.blocking:
            raise PluginError(f"词表无法读取（{'、'.join(sorted({p.path for p in self.library.blocking}))}），"
                              f"所有页面都依赖词表，本次不生成站点；请按上面的提示修改后重试")
        if problems and (self.profile == "public" or config.strict):
            why = "生成公开版时" if self.profile == "public" else "严格模式下"
            raise PluginError(f"共发现 {len(problems)} 处内容问题；{why}有任何问题都不生成站点，未写入任何文件。"
                              f"运行 casebook check 可再次检查。")
        if problems:
            log.warning(f"共发现 {len(problems)} 处内容问题；有问题的条目暂不生成页面。运行 casebook check 可再次检查。")
        if not self.previewing:  # the index (on the other core) and the Word files read every body: rendered here, on both
            self._rendered_bodies([entry.body for entry in self.library.entries])
        self.dates = dates = file_dates(self.root, [e.path for e in self.library.entries],
                                        self.cases_dir.relative_to(self.root).as_posix()
                                        if self.cases_dir.is_relative_to(self.root) else str(self.cases_dir))
        # a build plans its pages once the other core makes the index (on_files); the preview here
        self.plan = (plan_site(self.library, per_page=self.config.per_page, dates=dates,
                               previous=self.plan if self.incremental else None) if self.previewing else None)
        # The compilations' date of printing: the build's SOURCE_DATE_EPOCH, else
        # the newest change in the library (git), never the clock (reproducible).
        printed = source_date() or max((d.updated for d in dates.values() if d.updated), default="")
        self.printed = When(printed, chinese_date(printed))  # both "" when no date is known
        self._page_bodies: dict[str, str] = {}  # entry pages as MkDocs rendered them (links made relative)
        self._took_ahead: set[str] = set()  # slugs of entry pages that took the body converted ahead
        if self.incremental and self.reuse_page_bodies:
            self._keep_page_bodies()
        self._moved: dict[str, MovedBody] = {}  # slug -> its body prepared for other pages (this build's files)
        if not self.incremental:  # a build's Word paragraphs are its own
            self.word_parts = {}
        # one per build: an entry on many pages is digested once; the preview's
        # also knows again what the last build digested, if it is the same object
        self.prints = Fingerprinter(previous=self.prints if self.incremental else None)

    def _keep_page_bodies(self) -> None:
        """The preview's: an entry page MkDocs does not render again keeps
        the body it was rendered with, which the compilations copy (else
        each would be rendered again from its Markdown); one it renders
        again replaces it (every page is converted before any template)."""
        kept, self._rendered = self._rendered, {}
        for entry in self.library.entries:
            found = kept.get(entry.slug)
            if found is not None and found[0] == entry.body:
                self._page_bodies[entry.slug] = found[1]
                self._rendered[entry.slug] = found

    def on_files(self, files: Files, config) -> Files:
        self.entry_uris = {}  # this build's entries only (the instance outlives a preview's rebuild)
        self.side = None
        if not self.previewing:
            # The search index is made from the library and the bodies alone:
            # on the other core from now on (MkDocs has cleaned the site
            # folder), while this process plans the pages and renders them.
            self.collector.keep()  # the library: the other process need not walk it either
            self.word_queue = SharedQueue()  # the Word files, for whichever process is free first
            # which entry pages took the body converted ahead (on_env), and a last flag: all are known
            self.pages_took_ahead = SharedFlags(len(self.library.entries) + 1)
            self.side = SideBuild(lambda deliver: self._side_work(config, deliver), delivers=True)
            self.plan = plan_site(self.library, per_page=self.config.per_page, dates=self.dates)

        for entry in self.library.entries:
            files.append(File(entry.src_uri, str(self.cases_dir), config.site_dir, config.use_directory_urls))
            self.entry_uris[entry.src_uri] = entry.slug
        for page in self.plan.pages:
            if files.get_file_from_path(page.src_uri) is None:
                files.append(File.generated(config, page.src_uri, content=""))
        files.append(File.generated(config, CSS_URI, abs_src_path=str(PACKAGE_DIR / "assets" / "casebook.css")))
        for uri, text in self._schemas().items():
            files.append(File.generated(config, uri, content=text))
        for uri, text in self.plan.files.items():  # the statistics as CSV
            files.append(File.generated(config, uri, content=text))
        self._files = files  # where a body's relative links lead (MkDocs' own resolution)
        for uri, data in self.search_assets.files.items():
            files.append(File.generated(config, uri, content=data))
        self.collector.keep()  # the library and the plan live through the build
        if self.previewing:  # the preview keeps what did not change between builds, in this process
            for comp in self.plan.compilations:  # each compilation (each of its parts) as a Word file beside its page
                for printable in comp.printable:
                    files.append(File.generated(config, printable.docx_uri,
                                                content=self._word_file(printable, config)))
        if self.incremental:
            # no one crawls the local preview: no sitemap of every page on
            # every save (here, not before: MkDocs would copy the template)
            config.theme.static_templates.discard(SITEMAP)
            self._track_pages(files, config)
        return files

    def _schemas(self) -> dict[str, str]:
        """The front-matter schemas; the preview makes them again only when
        the vocabularies or the slugs changed."""
        made_of = (vocabulary_key(self.library.vocabs), tuple(self.library.slugs))
        if self._schemas_made[0] != made_of:
            self._schemas_made = (made_of, all_schemas(self.library.vocabs, self.library.slugs))
        return self._schemas_made[1]

    def _side_work(self, config, deliver) -> tuple[IndexStats, list[str]]:
        """What a build's other process makes while this one plans and
        renders the pages: first the Word paragraphs of every entry whose
        body has no link and no image, handed over (``deliver``) for the Word
        files this process makes after its pages; then the search index;
        then Word files, from the same queue as this process. Such a body is
        converted ahead (``_rendered_bodies``), and its page takes that
        conversion as it is: its paragraphs are used where the page did
        (``_took_ahead``), so they are what this process would have made
        from the page. Returns the index's figures and the Word files made."""
        site_url, parts = self._site_url(config), PackedParts()
        with step("生成条目的 Word 段落"):
            for entry in self.library.entries:
                converted = self._converted.get(entry.body)
                if converted is None or not converted.plain:
                    continue
                try:
                    body = self._body_for(entry, "", _unresolved)
                except _Unresolved:  # a relative address all the same: left to the pages' process
                    continue
                url = site_url + entry.url
                parts[(entry.slug, url)] = entry_part(entry, body, url, site_url)
        deliver(parts)
        self._moved = {}  # the bodies prepared for the paragraphs: 10,000 entries' are not kept through the index
        with step("生成搜索索引"):
            stats = build_index(self.library, Path(config.site_dir) / INDEX_URI, self._body_html)
        with step("生成汇编 Word 文件"):
            return stats, self._word_files_made_elsewhere(config, parts)

    def _word_files_made_elsewhere(self, config, parts: PackedParts) -> list[str]:
        """The other process's Word files, after its index (and once every
        page is converted): from the shared queue, each whose entries all
        have paragraphs here and pages that took the body converted ahead
        (the others are left to this process); their addresses."""
        took_ahead, count = self.pages_took_ahead, len(self.library.entries)
        while not took_ahead[count]:  # a small library: the index made before the pages are converted
            time.sleep(0.05)  # (if the build fails meanwhile, this process ends with it: a daemon)
        number = {entry.slug: i for i, entry in enumerate(self.library.entries)}
        site_url, made = self._site_url(config), []
        self.word_parts = parts
        printables = printed_parts(compilations_of(self.library))  # as the plan has them (made after the fork)
        for i in self.word_queue.take(len(printables)):
            printable = printables[i]
            if all(took_ahead[number[e.slug]] and (e.slug, site_url + e.url) in parts for e in printable.entries):
                self._write_word_file(printable, config)
                made.append(printable.docx_uri)
        return made

    def _write_word_file(self, printable, config) -> None:
        target = Path(config.site_dir) / printable.docx_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self._word_file(printable, config))

    def _word_files(self, config, printables: Iterable) -> list[str]:
        """Word files of a build's compilations, written into the site folder
        after the pages (the pages never link to them through MkDocs' files),
        one by one as ``printables`` gives them; their addresses."""
        made = []
        try:
            for printable in printables:
                self._write_word_file(printable, config)
                made.append(printable.docx_uri)
        except Exception as error:  # noqa: BLE001 - the build stops with a message, not a traceback
            log.error(traceback.format_exc())
            raise PluginError(f"生成汇编 Word 文件时出错（{type(error).__name__}: {error}），本次生成不完整；"
                              f"请把上面的错误信息交给维护人员") from None
        return made

    def _track_pages(self, files: Files, config) -> None:
        """Fingerprint every page by what it is made from (see incremental.py)."""
        root = Path(config.config_file_path)
        token = site_token([root, PACKAGE_DIR / "templates", PACKAGE_DIR / "assets",
                            *([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])],
                           f"{self.profile}|{self._site_url(config)}|{self.printed}")
        self.pages.begin(token)
        self.pages.outputs(files)
        prints = self.prints
        vocabs = vocabulary_key(self.library.vocabs)  # guide pages show vocabulary tables
        for file in files.documentation_pages():
            uri = file.src_uri
            if uri in self.entry_uris:
                made_of = self.plan.entries[self.entry_uris[uri]]
            elif (planned := self.plan.page_data(uri)) is not None:
                made_of = planned  # itself: a page plan_site kept is known again by identity
            else:  # a hand-written page: its Markdown, the vocabularies, the home page's data
                made_of = (Path(file.abs_src_path).read_bytes().hex() if file.abs_src_path else file.content_string,
                           vocabs, self.plan.home if uri == "index.md" else None)
            self.pages.track(file, prints.of(made_of))

    def on_page_read_source(self, page, config):
        # An entry's page gets its Markdown from the core (on_page_markdown):
        # MkDocs need not read the file again nor parse its front matter.
        return "" if page.file.src_uri in self.entry_uris else None

    def on_page_markdown(self, markdown, page, config, files):
        uri = page.file.src_uri
        if uri in self.entry_uris:
            entry = self.plan.entries[self.entry_uris[uri]].entry
            # The page gets only what the core checked: MkDocs' own reading of
            # the front matter (any key, e.g. `template:`) is discarded.
            page.meta.clear()
            page.meta.update(title=entry.title, template="casebook/entry.html")
            self.shared_markdown.use(page, self._converted.get(entry.body), entry.body)
            return entry.body
        planned = self.plan.page_data(uri)
        if planned is not None:
            page.meta["title"] = planned.title
            page.meta["template"] = f"casebook/{planned.template}"
            if planned.template == "search.html":  # the facets take the place of the sidebars
                page.meta["hide"] = ["navigation", "toc"]
            skip_markdown(page)  # its template makes it: no Markdown converter for its blank Markdown
        elif page.is_homepage:
            page.meta.setdefault("template", "casebook/home.html")
        return expand_markers(markdown, self.library.vocabs)

    def on_page_content(self, html, page, config, files):
        # Every body, the editors' and the guide's (whose tables carry
        # vocabulary values), is sanitised; only then is it markup.
        if page.file.src_uri in self.entry_uris:  # for compilations and the preview's index: not rendered twice
            slug = self.entry_uris[page.file.src_uri]
            body = self.plan.entries[slug].entry.body
            ahead = self._converted.get(body)  # the page took the body converted ahead: sanitised then
            if ahead is not None and html is ahead.html:
                safe = self._bodies[body]
                self._took_ahead.add(slug)  # its Word paragraphs can be the other process's
            else:
                safe = sanitise_html(html)
            self._page_bodies[slug] = safe
            if self.incremental:
                self._rendered[slug] = (body, safe)
        else:
            safe = sanitise_html(html)
        return Markup(safe)  # noqa: S704

    @event_priority(-100)  # last: the pages rendered elsewhere get the environment every plugin made
    def on_env(self, env, config, files):
        env.autoescape = autoescaped
        env.filters["cn_date"] = chinese_date  # plain text in, plain text out: escaped like any value
        cache_navigation(env)  # the theme's navigation: once per set of links, not once per page
        cache_frame(env)  # the theme's head links, scripts and configuration: once per place
        self._forget_urls = cache_urls(env)  # each link relative to a page: worked out once per folder
        self.fragments = keep_fragments(env)  # cards and compilation heads: once per build (a new store each build)
        if self.side is not None:  # every page is converted by now: the other process may make Word files
            for number, entry in enumerate(self.library.entries):
                if entry.slug in self._took_ahead:
                    self.pages_took_ahead.set(number)
            self.pages_took_ahead.set(len(self.library.entries))
        if self.previewing:
            env.bytecode_cache = self.compiled_templates
        if self.incremental:  # the preview's other core renders every other page (pagesplit.py)
            self.page_side, self.pages_elsewhere = split_pages(files, config, self._nav, env, self.pages.titles)
        return env

    def on_nav(self, nav, config, files):
        if self.incremental:
            self.pages.restore_titles(nav.pages)
        self._nav = nav
        return nav

    def on_page_context(self, context, page, config, nav):
        uri = page.file.src_uri
        if self.incremental:
            self.pages.titles[uri] = page.title
        if uri in self.entry_uris:
            data = self.plan.entries[self.entry_uris[uri]]
            context["casebook"] = data
            context["crumbs"] = data.crumbs
            context["casebook_highlight_js"] = self.search_assets.highlight
        elif (planned := self.plan.page_data(uri)) is not None:
            context["casebook"] = planned.data
            context["crumbs"] = planned.crumbs
            if planned.template == "compilation.html":
                comp = planned.data.compilation
                # sanitised like every body, then a heading level down: markup made here, never in a template
                context["casebook_bodies"] = {e.slug: Markup(demote_headings(self._body_for(e, comp.url)))  # noqa: S704
                                              for e in comp.entries}
                context["casebook_printed"] = self.printed
        elif page.is_homepage:
            context["casebook"] = self.plan.home
        context["casebook_site_url"] = self._site_url(config)  # printed under entries: where to find them
        context["casebook_types"] = ENTRY_TYPES
        context["casebook_fields"] = F.FIELDS
        return context

    def _word_file(self, comp, config) -> bytes:
        """A compilation's Word file. Within a build an entry's Word paragraphs
        are made once for all compilations holding it; the preview also keeps
        files and paragraphs whose entries did not change since its last build."""
        site_url = self._site_url(config)
        made_of = self.prints.of((comp, config.site_name, self.printed, site_url)) if self.incremental else ""
        cached = self.word_files.get(comp.docx_uri)
        if cached is not None and cached[0] == made_of and self.incremental:
            return cached[1]
        if self.incremental:  # paragraphs of entries that changed are made again
            for entry in comp.entries:
                digest = self.prints.of(entry)
                if self.word_part_digests.get(entry.slug) != digest:
                    self.word_part_digests[entry.slug] = digest
                    self.word_parts.pop((entry.slug, site_url + entry.url), None)
        data = compilation_docx(comp, lambda e: self._body_for(e, ""), config.site_name, self.printed.text,
                                lambda entry: site_url + entry.url, self.word_parts, site_url)
        if self.incremental:
            self.word_files[comp.docx_uri] = (made_of, data)
        return data

    def _index_body(self, entry) -> str:
        return self._page_bodies.get(entry.slug) or self._body_html(entry)

    def _kept_records(self) -> list[SearchRecord]:
        """The preview's search records: an entry whose digest (everything
        it holds, incremental.py) is the same as last build's keeps its
        record, the same object (the index writer knows it again by
        identity), with the id it was made with: the writer reads records
        by their place, not their id."""
        kept: dict[tuple[str, str], SearchRecord] = {}
        records = []
        for number, entry in enumerate(self.library.entries):
            key = (self.pages.token, self.prints.of(entry))
            record = self._records.get(key)
            if record is None:
                record = make_record(entry, number, self._index_body, self._body_texts.read)
            kept[key] = record
            records.append(record)
        self._records = kept
        return records

    def _body_html(self, entry) -> str:
        """An entry's body as the site renders it, sanitised; kept for the
        other compilations that hold the same entry, and in the preview for
        the next build while the body stays the same."""
        return self._body_html_of(entry.body)

    def _body_html_of(self, body: str) -> str:
        html = self._bodies.get(body)
        if html is None:
            html = self._bodies_before.get(body)
            if html is None:
                html = self._render_safe(body)
                self.bodies_converted += 1
            self._bodies[body] = html
        return html

    def _rendered_bodies(self, bodies: list[str]) -> list[str]:
        """``_body_html`` of several bodies (for their summaries; a build's
        for the index and the Word files), those not rendered yet rendered
        on both cores (sidebuild.split_map) and kept."""
        new = [b for b in dict.fromkeys(bodies) if b not in self._bodies and b not in self._bodies_before]
        try:
            for body, (converted, safe) in zip(new, split_map(self._convert, new)):
                self._converted[body], self._bodies[body] = converted, safe
        except SideBuildError as error:
            log.error(error.trace)
            raise PluginError(f"转换条目正文时出错（{error}），未生成站点；请把上面的错误信息交给维护人员") from None
        self.bodies_converted += len(new)
        return [self._body_html_of(body) for body in bodies]

    def _convert(self, body: str) -> tuple[Converted, str]:
        """The body converted as for its page (sharedmarkdown.py), and sanitised."""
        converted = self.shared_markdown.convert(body, self._site_config)
        safe = sanitise_html(converted.html)
        return converted, (converted.html if safe == converted.html else safe)  # mostly the same: one copy kept

    def _render_safe(self, body: str) -> str:
        return self._convert(body)[1]

    def _body_for(self, entry, page_url: str, url_of_file=None) -> str:
        """The body for another page than the entry's (a compilation at
        ``page_url``; "" for the site's root, as the Word files want it): links
        and images lead where they do on the entry's page, ids are prefixed
        with the entry's. Prepared once per entry; a copy whose addresses are
        not all plain paths is sanitised again (bodylinks.MovedBody).
        ``url_of_file``: where a linked file is, when the body is not taken
        from its page (by default MkDocs' files)."""
        moved = self._moved.get(entry.slug)
        if moved is None:
            rendered = self._page_bodies.get(entry.slug) if self.reuse_page_bodies else None
            # As MkDocs made it for the entry's page, its links already lead
            # from there; else (the preview's unchanged pages, the Word
            # files' other process) rendered here, its links resolved here.
            body, url_of = ((rendered, _no_file) if rendered is not None
                            else (self._body_html(entry), url_of_file or self._url_of_file))
            moved = self._moved[entry.slug] = MovedBody(body, entry.src_uri, entry.url, f"e-{entry.slug}--", url_of)
        copy, plain = moved.on(page_url)
        return copy if plain else sanitise_html(copy)

    def _url_of_file(self, path: str) -> str | None:
        found = self._files.get_file_from_path(path)
        return None if found is None else found.url

    @staticmethod
    def _site_url(config) -> str:
        return (config.site_url or "/").rstrip("/") + "/"

    def on_build_error(self, error):
        self._pages_rendered_elsewhere(failing=True)
        side, self.side = self.side, None
        if side is not None:  # the build's other process: nothing more of it is wanted
            side.stop()
        self.collector.build_ended(collect_when_idle=self.previewing)

    def _pages_rendered_elsewhere(self, failing: bool = False) -> None:
        """Wait for the preview's other page process (pagesplit.py): its
        failure fails the build; a build failing anyway only waits for it,
        so that it writes nothing into the next one."""
        side, self.page_side = self.page_side, None
        if side is None:
            return
        try:
            side.result()
        except SideBuildError as error:
            if failing:
                return
            log.error(error.trace)
            raise PluginError(f"生成页面时出错（{error}），本次生成不完整；请按上面的错误信息修改后保存，预览会重新生成") from None

    def on_post_build(self, config):
        try:
            self._finish(config)
        finally:
            self.collector.build_ended(collect_when_idle=self.previewing)

    def _finish(self, config):
        self.fragments.clear()  # 37 MB at 10,000 entries (cards, compilation heads), not kept through the Word files
        self._forget_urls()
        if self.side is not None:
            side, self.side = self.side, None
            printables = printed_parts(self.plan.compilations)
            where = "另一进程" if side.forked else "本进程"
            try:
                parts = side.delivered()  # made first: Word files are made here while the index is finished
                started = time.perf_counter()
                # By now this process holds every page: its cache of the entries'
                # Word paragraphs keeps them deflated (worddoc.PackedParts).
                self.word_parts = PackedParts()
                taken = self.word_parts.take(parts, lambda key: key[0] in self._took_ahead)
                made = self._word_files(config, (printables[i] for i in self.word_queue.take(len(printables))))
                word_seconds = time.perf_counter() - started
                stats, made_elsewhere = side.result()
            except SideBuildError as error:
                log.error(error.trace)
                raise PluginError(f"{where}{error}，本次生成不完整；请把上面的错误信息交给维护人员") from None
            except BaseException:  # this process's Word files failed: the other one is not waited for
                side.stop()
                raise
            done = {*made, *made_elsewhere}
            made += self._word_files(config, [p for p in printables if p.docx_uri not in done])  # those left
            log.info(f"{where}生成 {len(parts)} 个条目的 Word 段落（用上 {taken} 个）、"
                     f"搜索索引和 {len(made_elsewhere)} 个汇编 Word 文件，用时 {side.seconds:.1f} 秒；"
                     f"本进程页面生成后生成 {len(made)} 个 Word 文件用时 {word_seconds:.1f} 秒，"
                     f"等待另一进程 {side.waited:.1f} 秒")
        else:
            if self.incremental:
                self._body_texts.next_build()
            stats = build_index(self.library, Path(config.site_dir) / INDEX_URI, self._index_body,
                                writer=self.search_index if self.incremental else None,
                                read=self._body_texts.read if self.incremental else text_and_headings,
                                records=self._kept_records() if self.incremental else None)
        log.info(f"搜索索引：{stats.entries} 个条目，{stats.grams} 个字词片段，{stats.shards} 个分片")
        scrub_theme_assets(Path(config.site_dir), theme_search_enabled="material/search" in config.plugins
                           or "search" in config.plugins, skip=(INDEX_URI,))
        fix_sitemap(Path(config.site_dir), self.source_date_epoch)  # no build date in the output
        self._pages_rendered_elsewhere()  # rendering while this process made the index
        if self.incremental:
            self.pages.finish(Path(config.site_dir))
            log.info(f"预览：本次重新生成 {len(self.pages.changed)} 个页面")

    def on_shutdown(self):
        if not self.previewing:
            self.collector.process_ends()

    def on_serve(self, server, config, builder):
        server.watch(str(self.cases_dir))
        server.watch(str(PACKAGE_DIR / "templates"))
        server.watch(str(PACKAGE_DIR / "assets"))
        return server
