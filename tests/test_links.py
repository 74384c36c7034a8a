"""No broken link anywhere in the built site: every link within the site
leads to a page that exists, and every #fragment to an id on that page
(Chinese headings keep readable ids, e.g. #准备工作)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def target_file(site: Path, url_path: str) -> Path:
    path = site / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def broken_links(site: Path) -> list[str]:
    pages = {p: read(p) for p in site.rglob("*.html")}
    broken = []
    for path, page in pages.items():
        if path.name == "404.html":
            continue  # its links are absolute to the site's root path; tested under nginx
        base = "/" + path.relative_to(site).as_posix()
        for href in page.links:
            if urlsplit(href).scheme or href.startswith("//"):
                continue  # outside addresses are tested elsewhere (there are none)
            url = urlsplit(urljoin(base, href))
            target = target_file(site, url.path)
            if not target.exists():
                broken.append(f"{base}: {href} (no {target.relative_to(site)})")
                continue
            if url.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else read(target).ids
                if unquote(url.fragment) not in ids:
                    broken.append(f"{base}: {href} (no id {unquote(url.fragment)!r})")
    return broken


def test_every_link_and_anchor_in_the_site_resolves(built_site):
    assert list(built_site.rglob("*.html"))
    assert broken_links(built_site) == []


def test_chinese_headings_keep_readable_ids(built_site):
    guide = read(built_site / "guide" / "index.html")
    assert "准备工作" in guide.ids and "在-windows-上使用" in guide.ids
    assert "#准备工作" in [unquote(h) for h in guide.links]


def test_the_checker_finds_a_broken_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="x">x</h2><a href="#y">y</a><a href="../b/">b</a>',
                                              encoding="utf-8")
    assert broken_links(tmp_path) == ["/a/index.html: #y (no id 'y')", "/a/index.html: ../b/ (no b/index.html)"]
