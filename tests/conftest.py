"""Shared fixtures: a temp copy of the project, the sample library built
once per session, and that build served on 127.0.0.1."""

from __future__ import annotations

import filecmp
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
MKDOCS = [sys.executable, "-m", "mkdocs"]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def run_mkdocs_build(project: Path, site_dir: Path, *extra: str, env: dict | None = None, strict: bool = True):
    """``mkdocs build`` as a subprocess, the way editors and CI run it."""
    return subprocess.run(
        [*MKDOCS, "build", *(["--strict"] if strict else []), "-f", str(project / "mkdocs.yml"), "-d", str(site_dir), *extra],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=project,
    )


def vocabulary_files(cases: Path) -> list[Path]:
    """The vocabularies among cases/*.yml (not compilations.yml, which names entries)."""
    from casebook.core.fields import VOCABULARIES
    return [path for path in sorted(cases.glob("*.yml")) if path.stem in VOCABULARIES]


def copy_project(dest: Path, with_entries: bool = False) -> Path:
    """mkdocs.yml, docs/ and the vocabularies (and the entries, if asked) in ``dest``."""
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", dest / "docs")
    cases = dest / "cases"
    if with_entries:
        shutil.copytree(ROOT / "cases", cases)
    else:
        cases.mkdir()
        for vocab in vocabulary_files(ROOT / "cases"):
            shutil.copy(vocab, cases / vocab.name)
        for folder in ("practices", "warnings", "reports"):
            (cases / folder).mkdir()
    return dest


def site_differences(a: Path, b: Path) -> list[str]:
    """The files that are in only one of two sites or differ between them."""
    found = []

    def walk(cmp, prefix=""):
        found.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(a, b, ignore=[]))
    return found


def hooked_env(tmp_path: Path, code: str) -> dict:
    """The environment of a build process that first runs ``code`` (an
    import hook: sitecustomize on PYTHONPATH), e.g. to break one function."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(code, encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join([str(hook), str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")])}


def sample_project(tmp_path: Path) -> Path:
    """A copy of the project with its sample entries, in ``tmp_path``/p."""
    (tmp_path / "p").mkdir()
    return copy_project(tmp_path / "p", with_entries=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty library with the real vocabularies."""
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The sample library built with --strict, once per test session."""
    site = tmp_path_factory.mktemp("site")
    result = run_mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_dir(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def site_url(built_site):
    server, url = serve_dir(built_site)
    yield url
    server.shutdown()


CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# Module scope: Playwright's sync API keeps an event loop running while it is
# open, and prompt_toolkit (casebook new) refuses to start inside one.
@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class OutsideRequests(list):
    """Every request a page makes that does not go to 127.0.0.1."""

    def watch(self, page):
        def check(request):
            url = request.url
            if not (url.startswith("http://127.0.0.1:") or url.startswith("data:") or url.startswith("blob:")
                    or url == "about:blank"):
                self.append(url)
        page.on("request", check)
        return page


@pytest.fixture
def page_factory(browser):
    """New pages with a recorder of outside requests; assert it stays empty."""
    contexts = []
    outside = OutsideRequests()

    def new_page(**context_args):
        context = browser.new_context(**context_args)
        contexts.append(context)
        return outside.watch(context.new_page())

    new_page.outside = outside
    yield new_page
    for context in contexts:
        context.close()
    assert not outside, f"requests left 127.0.0.1: {outside}"
