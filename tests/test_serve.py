"""`mkdocs serve` keeps serving the valid entries while an editor's broken
entry is listed on the problems page, and picks up edits in cases/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from conftest import copy_project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, needle: str, deadline_s: float = 60) -> str:
    """Poll until the page contains ``needle`` (a wait, not a timed assertion)."""
    end = time.monotonic() + deadline_s
    last = ""
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
                if needle in last:
                    return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # not up yet, or busy rebuilding
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {needle!r}; last: {last[:300]}")


def test_serve_shows_problems_and_keeps_serving_valid_entries(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    copy_project(project, with_entries=True)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/", "清廉机关建设案例库")
        good = sorted((project / "cases" / "practices").glob("*.md"))[0]
        (project / "cases" / "practices" / "new-broken.md").write_text(
            "---\ntitle: 新条目\nunit: 不存在的单位\ndate: 2024-01-01\nthemes: [作风建设]\n---\n正文\n", encoding="utf-8")
        problems = _wait_for(base + "/problems/", "new-broken.md")
        assert "cases/practices/new-broken.md:3" in problems and "未知单位" in problems
        home = _wait_for(base + "/", "内容问题")
        assert "查看内容问题" in home
        assert "<h1>" in _wait_for(f"{base}/practices/{good.stem}/", "cb-panel")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output
    assert "new-broken.md:3: unit: 未知单位" in output
