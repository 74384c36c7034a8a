"""What a build renders once and reuses -- the theme's navigation per place
(mkdocs/navcache.py), its frame blocks and Casebook's header per place
(mkdocs/framecache.py), cards and compilation heads per build
(mkdocs/fragments.py), the ``url`` filter's answers per folder
(mkdocs/urlcache.py) -- leaves every page as it is rendered without them."""

from __future__ import annotations

from types import SimpleNamespace

from casebook.mkdocs.fragments import Fragments
from casebook.mkdocs.framecache import headings, place
from casebook.mkdocs.navcache import _Places
from casebook.mkdocs.urlcache import cache_urls
from conftest import hooked_env, run_mkdocs_build, sample_project, site_differences
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from mkdocs.utils.templates import url_filter

NO_CACHES = """
import casebook.mkdocs.plugin as p
from casebook.mkdocs.fragments import Fragments
p.cache_frame = p.cache_navigation = lambda env: None
p.cache_urls = lambda env: lambda: None
Fragments._pieces = lambda self, key, link, macro, *args: (macro(*args, link),)
Fragments.kept = lambda self, key, macro, *args: macro(*args)
"""


def test_every_page_is_the_same_with_and_without_the_caches(tmp_path):
    project = sample_project(tmp_path)
    cached, uncached = tmp_path / "cached", tmp_path / "uncached"
    done = run_mkdocs_build(project, cached)
    assert done.returncode == 0, done.stderr
    done = run_mkdocs_build(project, uncached, env=hooked_env(tmp_path, NO_CACHES))
    assert done.returncode == 0, done.stderr
    assert len(list(cached.rglob("*.html"))) > 50
    assert site_differences(cached, uncached) == []


# -- the navigation's links, made once per place ------------------------------

FOLDERS = st.sampled_from(["a", "b", "assets", "practices", "x1"])


def _address(folders: list[str], slash: bool) -> str:
    return "/".join(folders) + ("/" if folders and slash else "")


ADDRESSES = st.builds(_address, st.lists(FOLDERS, max_size=4), st.booleans())


def _nav(targets: list[str]):
    items = [SimpleNamespace(url=t, children=None) for t in targets]
    return SimpleNamespace(items=items, pages=[])


@settings(max_examples=300, deadline=None)
@given(targets=st.lists(ADDRESSES | st.sampled_from(["", "x.html", "a/y.html"]), min_size=1, max_size=6),
       pages=st.lists(ADDRESSES | st.sampled_from(["404.html", "a/b.html", "a//b/"]), min_size=1, max_size=8))
def test_links_made_once_per_place_are_the_links_mkdocs_makes_for_each_page(targets, pages):
    places = _Places(_nav(targets))
    for url in pages:  # one after another: a later page may take a place an earlier one made
        context = {"page": SimpleNamespace(url=url), "base_url": "."}
        assert places.key(context) == tuple(url_filter(context, t) for t in places.targets), url


def test_entries_of_one_type_share_a_place_their_listing_does_not():
    places = _Places(_nav(["", "practices/", "units/", "search/"]))
    assert places.place("practices/a/") == places.place("practices/b/") == (("practices",), 2)
    assert places.place("practices/") == (("practices",), 1)
    assert places.place("units/x/y/") == (("units",), 3)
    assert places.place("a.html/") is None  # MkDocs reads a dot as a file name: made link by link


# -- the url filter's answers, once per folder ------------------------------------

LINKS = ADDRESSES | st.sampled_from(["", ".", "./", "../a/", "a/../b/", "x.html", "a/b.html", "/a/", "#top",
                                     "http://h/a/", "a/?q=1", "a/b", "practices/a"])
PAGES = ADDRESSES | st.sampled_from(["404.html", "a/b.html", "a//b/", "a/../", "./", "a/./", "a/.../"])


@settings(max_examples=300, deadline=None)
@given(links=st.lists(LINKS, min_size=1, max_size=8), pages=st.lists(PAGES, min_size=1, max_size=8))
def test_the_url_filter_answers_as_mkdocs_does_for_every_page(links, pages):
    env = SimpleNamespace(filters={"url": url_filter})
    cache_urls(env)
    cached = env.filters["url"]
    assert cached is not url_filter
    for page in pages:  # one after another: a later page may take an answer an earlier one left
        context = {"page": SimpleNamespace(url=page), "base_url": ".."}
        for link in links:
            assert cached(context, link) == url_filter(context, link), (page, link)
    assert cached({"page": None, "base_url": ".."}, "a/") == "../a/"  # no page: relative to base_url


def test_another_plugins_url_filter_is_left_as_it_is():
    def own(context, value):
        return value
    env = SimpleNamespace(filters={"url": own})
    cache_urls(env)()
    assert env.filters["url"] is own


def test_answers_are_kept_per_folder_until_forgotten(monkeypatch):
    from mkdocs.utils import templates
    calls = []

    def counted(context, value):
        calls.append(value)
        return url_filter(context, value)

    monkeypatch.setattr(templates, "url_filter", counted)  # taken for MkDocs' own
    env = SimpleNamespace(filters={"url": counted})
    forget = cache_urls(env)
    for page in ("practices/a/", "practices/b/", "practices/c/"):
        context = {"page": SimpleNamespace(url=page), "base_url": "../.."}
        assert env.filters["url"](context, "units/x/") == "../../units/x/"
    assert calls == ["units/x/"]  # once for the folder
    env.filters["url"]({"page": SimpleNamespace(url="units/"), "base_url": ".."}, "units/x/")
    env.filters["url"]({"page": SimpleNamespace(url="units/"), "base_url": ".."}, "units/x/")
    assert calls.count("units/x/") == 3  # a page's own answer is not kept
    forget()
    env.filters["url"]({"page": SimpleNamespace(url="practices/a/"), "base_url": "../.."}, "units/x/")
    assert calls.count("units/x/") == 4


# -- the frame's blocks, once per place -----------------------------------------

def _context(url: str, base: str) -> dict:
    return {"page": SimpleNamespace(url=url), "base_url": base}


def test_tables_of_contents_are_shared_by_pages_with_the_same_headings():
    from mkdocs.structure.toc import get_toc

    def page(*tokens):
        return {"page": SimpleNamespace(url="practices/a/", toc=get_toc(list(tokens))), "base_url": "../.."}

    def token(title, level=2, children=()):
        return {"level": level, "id": title, "name": title, "children": list(children)}

    same = headings(page(token("一、做法"), token("二、成效", children=[token("（一）", 3)])))
    assert same == headings(page(token("一、做法"), token("二、成效", children=[token("（一）", 3)])))
    assert same != headings(page(token("一、做法"), token("二、成效", children=[token("（二）", 3)])))
    assert same != headings(page(token("一、做法", level=3), token("二、成效", children=[token("（一）", 3)])))
    assert headings(page()) == () != headings(page(token("一、做法")))
    typeset = page(token("一、做法"))
    next(iter(typeset["page"].toc)).typeset = {"title": "<b>一</b>"}  # Material's typeset plugin: more than a key holds
    assert headings(typeset) is None and headings({"page": None}) is None


def test_pages_one_folder_deep_each_have_their_own_frame():
    # the header links to search/: from the search page it reads ./, from about/ ../search/
    assert place(_context("search/", "..")) != place(_context("about/", ".."))
    assert place(_context("practices/a/", "../..")) == place(_context("practices/b/", "../.."))
    assert place(_context("practices/a/", "../..")) != place(_context("units/a/", "../.."))
    assert place({"page": None, "base_url": "."}) is None  # a page-less template: never kept


def test_a_piece_is_made_once_per_key_and_per_store_its_link_each_time():
    made = []

    def card(e, link):
        made.append(e.title)
        return Markup('<li><a href="') + link + Markup('">') + e.title + Markup("</a></li>")

    entry = SimpleNamespace(slug="a", url="p/a/", title="<b>")
    fragments = Fragments()
    assert fragments.linked_each(lambda url: "../" + url, "card", [entry], card) == (
        '<li><a href="../p/a/">&lt;b&gt;</a></li>')
    changed = SimpleNamespace(slug="a", url='"><script>', title="changed")
    assert fragments.linked_each(str, "card", [changed], card) == (
        '<li><a href="&#34;&gt;&lt;script&gt;">&lt;b&gt;</a></li>')  # the link escaped as the template would
    assert made == ["<b>"] and len(fragments) == 1
    assert Fragments().linked_each(str, "card", [changed], card) == (
        '<li><a href="&#34;&gt;&lt;script&gt;">changed</a></li>')  # a new build's store


def test_a_piece_holding_the_placeholder_elsewhere_is_rendered_each_time():
    from casebook.mkdocs.fragments import PLACEHOLDER

    def card(e, link):
        return Markup('<a href="') + link + Markup('">') + e.title + Markup("</a>")

    fragments = Fragments()
    entry = SimpleNamespace(slug="a", url="a/", title=f"标题{PLACEHOLDER}")  # an editor wrote it: not the link
    for base in ("../", "../../p/"):
        assert fragments.linked_each(lambda url: base + url, "card", [entry], card) == (
            f'<a href="{base}a/">{entry.title}</a>')


def test_pieces_around_each_body_are_made_once_and_the_bodies_each_time():
    made = []

    def start(e, link):
        made.append(("start", e.slug))
        return Markup('<section><a href="') + link + Markup('">') + e.title + Markup("</a>")

    def end(e):
        made.append(("end", e.slug))
        return Markup("</section>")

    entries = [SimpleNamespace(slug="a", url="p/a/", title="甲<"), SimpleNamespace(slug="b", url="p/b/", title="乙")]
    fragments = Fragments()
    for page, body in (("x", "一"), ("y", "二")):
        bodies = {"a": Markup(f"<p>{body}a</p>"), "b": f"<{body}b>"}  # not markup: escaped
        got = fragments.around_each(lambda url: f"../{page}/{url}", "comp", entries, bodies, start, end)
        assert got == (f'<section><a href="../{page}/p/a/">甲&lt;</a><p>{body}a</p></section>'
                       f'<section><a href="../{page}/p/b/">乙</a>&lt;{body}b&gt;</section>')
    assert sorted(made) == [("end", "a"), ("end", "b"), ("start", "a"), ("start", "b")]
    assert fragments.kept_each("toc", entries, lambda e: Markup("<li>") + e.title) == "<li>甲&lt;<li>乙"
    fragments.clear()
    assert fragments.around_each(str, "comp", entries[:1], {"a": ""}, start, end).count("<section>") == 1
    assert made.count(("start", "a")) == 2  # a new build's store: made again

