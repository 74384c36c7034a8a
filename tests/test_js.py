"""The browser's search modules, run in Node (``node --test tests/js/``)
against indexes and answers written by Python (tests/js/make_fixture.py):
the parity of the two readers and the modules' unit tests. Part of
``make test``; a missing Node fails, it is never skipped."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_node_tests_pass(tmp_path):
    node = shutil.which("node")
    assert node, "需要 Node.js（node）来运行 tests/js 中的搜索模块测试：apt-get install nodejs"
    made = subprocess.run([sys.executable, str(ROOT / "tests" / "js" / "make_fixture.py"), str(tmp_path)],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    result = subprocess.run([node, "--test", "--test-reporter=tap", "tests/js/"], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "CASEBOOK_JS_FIXTURE": str(tmp_path)}, timeout=600)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    counts = dict(re.findall(r"^# (tests|pass|fail|skipped|todo|cancelled) (\d+)$", report, re.M))
    assert int(counts["tests"]) >= 3 and counts["pass"] == counts["tests"], report
    assert counts["skipped"] == counts["todo"] == counts["cancelled"] == "0", report
