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
        except (urllib.error.URLError, OSError):  # incl. a read timeout while a rebuild runs
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {needle!r}; last: {last[:300]}")


def test_serve_shows_problems_and_keeps_serving_valid_entries(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    copy_project(project, with_entries=True)
    (project / "cases" / "reports" / "2023-draft-preview.md").write_text(
        "---\ntitle: 预览中的草稿\nunit: 市妇联  # 待核对：根据标题识别\ndate: 2023\nthemes: [家风建设]\n"
        "status: draft\n---\n\n草稿正文。\n", encoding="utf-8")
    # as casebook import leaves a document that states no date
    (project / "cases" / "reports" / "undated-draft.md").write_text(
        "---\ntitle: 没有日期的草稿\nunit: 市妇联\ndate:  # 待核对：原文没有写日期\nthemes: [家风建设]\n"
        "status: draft\n---\n\n草稿正文。\n", encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/", "清廉机关建设案例库")
        # drafts: shown in the preview only, with a banner and their review notes
        draft = _wait_for(base + "/reports/2023-draft-preview/", "预览中的草稿")
        assert "cb-draft" in draft and "只在本地预览中显示" in draft and "第 3 行：unit: 市妇联（待核对：根据标题识别）" in draft
        assert "cb-badge--draft" in _wait_for(base + "/reports/", "预览中的草稿")
        undated = _wait_for(base + "/reports/undated-draft/", "没有日期的草稿")
        assert "待填写（草稿）" in undated and "第 4 行：date:（待核对：原文没有写日期）" in undated
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
