"""``casebook serve`` and ``casebook build``: the site commands without
``make`` (Windows editors have no make), with Chinese messages.

They run MkDocs as a program; nothing here imports it.
"""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
from pathlib import Path

DEFAULT_PORT = 8000
HOST = "127.0.0.1"  # the preview is for this computer only


def register(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="在本机预览网站（含草稿），修改后自动刷新",
                                  description=f"生成网站并在 http://{HOST}:端口/ 预览；草稿也显示（带“草稿”标记）。")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT") or DEFAULT_PORT),
                       help=f"端口（默认 {DEFAULT_PORT}，或环境变量 PORT）")
    serve.set_defaults(run=run_serve)
    build = subparsers.add_parser("build", help="生成网站到 site/（严格模式：有任何问题即失败）",
                                  description="生成网站到 site/。公开版：先设置环境变量 CASEBOOK_PROFILE=public。")
    build.add_argument("--site-dir", type=Path, help="输出文件夹（默认 site/）")
    build.set_defaults(run=run_build)


def port_problem(port: int) -> str:
    """Why the preview cannot listen on ``port``, or "" when it can."""
    if not 1 <= port <= 65535:
        return f"端口 {port} 无效：请用 1 到 65535 之间的数字"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
                return (f"端口 {port} 已被占用：可能已经有一个预览在运行（用浏览器打开 http://{HOST}:{port}/ 看看），"
                        f"或换一个端口：PORT={port + 1} make serve，或 casebook serve --port {port + 1}")
            return f"无法使用端口 {port}（{exc.strerror or exc}）：请换一个端口，如 casebook serve --port {port + 1}"
    return ""


def _mkdocs(args: list[str], root: Path, replace: bool = False) -> int:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", *args]
    if replace and os.name == "posix":
        # Become MkDocs, so Ctrl+C and a stop signal reach the server itself
        # (a child would outlive a stopped parent and keep the port).
        os.chdir(root)
        os.execve(sys.executable, command, env)
    try:
        return subprocess.call(command, cwd=root, env=env)
    except KeyboardInterrupt:
        return 0  # Ctrl+C ends the preview: not an error


def run_serve(args) -> int:
    problem = port_problem(args.port)
    if problem:
        print(f"casebook serve：{problem}", file=sys.stderr)
        return 2
    print(f"预览地址：http://{HOST}:{args.port}/ （按 Ctrl+C 结束）", file=sys.stderr)
    sys.stderr.flush()
    return _mkdocs(["serve", "--livereload", "--dirty", "--dev-addr", f"{HOST}:{args.port}"], args.root, replace=True)


def run_build(args) -> int:
    extra = ["--site-dir", str(args.site_dir.resolve())] if args.site_dir else []
    return _mkdocs(["build", "--strict", *extra], args.root)
