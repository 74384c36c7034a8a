"""The preview renders only what an edit changed, and still shows exactly
what a clean build of the same files shows: after each edit of a sequence
(an entry's body, its front matter, a new entry, a deleted entry, a
vocabulary), every output file of the dirty preview equals a clean build's,
but the search index, in which a reader finds the same (its slots are the
preview's own once an entry came or went: ``search/index.py``).

The preview is MkDocs' own serve builder (dirty builds into one folder, the
plugin instance kept between them), driven in a subprocess so this test's
process keeps no MkDocs plugin state."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from casebook.mkdocs.pagesplit import MIN_PAGES
from casebook.mkdocs.reproducible import SITEMAP
from casebook.search import INDEX_URI
from casebook.search.reader import contents
from conftest import copy_project

SERVE_URL = "http://127.0.0.1:8000/"

# Builds like `mkdocs serve [--dirty]`: one config load per build, the plugin
# instance reused (MkDocs keeps plugins that have on_startup), site_url set
# to the serve address. Prints the pages the plugin re-rendered as JSON and
# the number of entry bodies it converted from Markdown outside MkDocs' pages.
DRIVER = textwrap.dedent("""\
    import json, logging, sys
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    project, site_dir, dirty, steps = sys.argv[1], sys.argv[2], sys.argv[3] == "dirty", int(sys.argv[4])
    logging.basicConfig(level=logging.WARNING)
    first = True
    for step in range(steps):
        if step:
            sys.stdin.readline()  # the test made the next edit
        config = load_config(config_file=project + "/mkdocs.yml", site_dir=site_dir)
        if first:
            config.plugins.on_startup(command="serve", dirty=dirty)
            first = False
        config.site_url = %r
        build(config, serve_url=%r, dirty=dirty)
        plugin = config.plugins["casebook"]
        print(json.dumps(plugin.pages.changed if dirty else []), plugin.pages_elsewhere, plugin.bodies_converted,
              flush=True)
""" % (SERVE_URL, SERVE_URL))


def outputs(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def clean_build(project: Path, site: Path) -> dict[str, bytes]:
    result = subprocess.run([sys.executable, "-c", DRIVER, str(project), str(site), "clean", "1"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return outputs(site)


def output_of(src_uri: str) -> str:
    """The HTML file MkDocs writes for a page (directory URLs)."""
    stem = src_uri.removesuffix(".md")
    return "index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html".lstrip("/")


def entry(cases: Path, name: str) -> Path:
    return next(cases.rglob(name))


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_preview_after_edits_equals_a_clean_build(tmp_path):
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project", with_entries=True)
    cases = project / "cases"
    entries = sorted(p for p in cases.rglob("*.md"))
    target, other = entries[3], entries[10]
    new_entry = cases / "practices" / "2024-03-xin-zeng-tiao-mu.md"
    edits = [
        ("正文", lambda: target.write_text(target.read_text(encoding="utf-8") + "\n\n## 新加一节\n\n预览应当马上显示这一段。\n",
                                         encoding="utf-8")),
        ("front matter", lambda: edit(target, "\ntitle: ", "\ntitle: 改过的标题 ")),
        ("新条目", lambda: new_entry.write_text(other.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: 新增 ", 1),
                                              encoding="utf-8")),
        ("删除条目", lambda: other.unlink()),
        ("词表", lambda: edit(cases / "themes.yml", "- name: ", "- name: 新主题甲\n  slug: xin-zhu-ti-jia\n- name: ")),
    ]
    site = tmp_path / "preview"
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, str(project), str(site), "dirty", str(len(edits) + 1)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first_line = (driver.stdout.readline() or "null 0 0").rsplit(" ", 2)
        first, elsewhere = json.loads(first_line[0]), int(first_line[1])
        assert first and len(first) > 50, driver.stderr.read()[-3000:]  # the first build renders every page
        assert elsewhere == len(first) // 2  # every other one in a second process (pagesplit.py)
        for i, (what, make_edit) in enumerate(edits):
            make_edit()
            driver.stdin.write("next\n")
            driver.stdin.flush()
            line = driver.stdout.readline()
            assert line, f"{what}: {driver.stderr.read()[-3000:]}"
            shown, elsewhere, converted = line.rsplit(" ", 2)
            changed, converted = json.loads(shown), int(converted)
            assert int(elsewhere) == (len(changed) // 2 if len(changed) >= MIN_PAGES else 0), (what, elsewhere)
            assert 0 < len(changed) < len(first), (what, len(changed))  # some pages, not all
            reference = clean_build(project, tmp_path / f"clean{i}")
            preview = outputs(site)
            assert contents(site / INDEX_URI) == contents(tmp_path / f"clean{i}" / INDEX_URI), what
            preview, reference = ({name: data for name, data in files.items() if not name.startswith(INDEX_URI + "/")}
                                  for files in (preview, reference))
            # the preview writes no sitemap (nothing crawls it); a build does
            assert {SITEMAP, SITEMAP + ".gz"} <= set(reference), what
            assert not {SITEMAP, SITEMAP + ".gz"} & set(preview), what
            reference = {name: data for name, data in reference.items() if not name.startswith(SITEMAP)}
            assert sorted(preview) == sorted(reference), (what, set(preview) ^ set(reference))
            different = [name for name in reference if preview[name] != reference[name]]
            assert different == [], (what, different[:10])
            if what == "词表":  # no entry changed: the compilations copy the bodies the entry pages were made with
                assert converted == 0, converted
            if what in ("正文", "front matter"):  # only the pages that show the entry (not every page of its terms)
                away = [uri for uri in changed if target.stem.encode() not in reference[output_of(uri)]]
                assert away == [], (what, away)
    finally:
        driver.kill()
        driver.wait()
