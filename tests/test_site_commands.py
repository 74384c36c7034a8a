"""The site commands without make (Windows editors): ``casebook serve``
refuses a busy port in Chinese and takes another, ``casebook build`` builds,
``python -m casebook`` is the same command; the guide's PowerShell commands
name only commands that exist."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from casebook.commands.cli import build_parser, main
from casebook.commands.preview import port_problem
from conftest import copy_project

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_busy_port_is_refused_in_chinese_with_the_way_out(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--root", str(REPO), "serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"端口 {port} 已被占用" in err and f"PORT={port + 1} make serve" in err and "Traceback" not in err
    assert port_problem(0).startswith("端口 0 无效")


def test_serve_takes_the_port_from_PORT_and_serves(tmp_path):
    project = copy_project(tmp_path, with_entries=True)
    port = free_port()
    env = {**os.environ, "PORT": str(port)}
    server = subprocess.Popen([sys.executable, "-m", "casebook", "serve"], cwd=project, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, page = time.monotonic() + 120, ""
        while time.monotonic() < deadline and "清廉机关建设案例库" not in page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                time.sleep(0.5)
        assert "清廉机关建设案例库" in page
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert f"预览地址：http://127.0.0.1:{port}/" in output


def test_build_without_make(tmp_path):
    project = copy_project(tmp_path, with_entries=True)
    result = subprocess.run([sys.executable, "-m", "casebook", "--root", str(project), "build", "--site-dir",
                             str(tmp_path / "out")], capture_output=True, text=True, cwd=project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "out" / "index.html").exists()


def test_the_windows_commands_in_the_guide_exist():
    guide = (REPO / "docs" / "guide" / "index.md").read_text(encoding="utf-8")
    block = guide.split("## 在 Windows 上使用", 1)[1]
    commands = re.findall(r"casebook (\w+)", block)
    known = set(build_parser()._subparsers._group_actions[0].choices)
    assert {"serve", "check", "import", "new", "build"} <= set(commands)
    assert set(commands) <= known
    assert r".venv\Scripts\casebook" in block and "make" not in block.split("```powershell", 1)[1].split("```")[0]
