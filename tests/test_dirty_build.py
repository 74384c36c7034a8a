"""Entries are real source files: a dirty build rebuilds a changed entry and
leaves unchanged ones alone."""

from __future__ import annotations

import os
import time

from conftest import copy_project, run_mkdocs_build


def test_dirty_build_skips_unchanged_entries(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    copy_project(project, with_entries=True)
    site = tmp_path / "site"
    assert run_mkdocs_build(project, site).returncode == 0
    entries = sorted((project / "cases" / "practices").glob("*.md"))
    changed, unchanged = entries[0], entries[1]
    page_of = lambda src: site / "practices" / src.stem / "index.html"  # noqa: E731
    before = {p: page_of(p).stat().st_mtime_ns for p in (changed, unchanged)}

    time.sleep(0.05)
    future = time.time() + 5
    os.utime(changed, (future, future))
    result = run_mkdocs_build(project, site, "--dirty", strict=False)  # MkDocs itself warns on --dirty
    assert result.returncode == 0, result.stderr
    assert page_of(changed).stat().st_mtime_ns != before[changed]
    assert page_of(unchanged).stat().st_mtime_ns == before[unchanged]
