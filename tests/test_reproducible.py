"""Two builds of one commit are byte-identical: run at different times (a
clock moved 400 days on), in different folders, from a different working
folder, with files created in the opposite order, under another hash seed,
time zone and locale. Every file is compared, .gz files also unpacked."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from textwrap import dedent

import pytest
from conftest import MKDOCS, copy_project

SITE_URL = "http://neibu.example/anli/"  # with site_url, MkDocs writes <lastmod> into the sitemap
SHIFT_DAYS = 400
FIRST, SECOND = "one/项目甲-q7x", "two/deeper/copy b-z3k"  # names no page could contain by chance

# Loaded by Python at start-up (PYTHONPATH) in the second build: every clock
# Python reads (time.time, datetime.now/utcnow/today, date.today) runs ahead.
CLOCK_AHEAD = dedent(f"""\
    import datetime as _dt, time as _time
    _SHIFT = {SHIFT_DAYS} * 86400 + 7 * 3600 + 1234
    _real = _time.time
    _time.time = lambda: _real() + _SHIFT

    class _DateTime(_dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls.fromtimestamp(_time.time(), tz)

        @classmethod
        def utcnow(cls):
            return cls.fromtimestamp(_time.time(), _dt.timezone.utc).replace(tzinfo=None)

        @classmethod
        def today(cls):
            return cls.fromtimestamp(_time.time())

    class _Date(_dt.date):
        @classmethod
        def today(cls):
            return cls.fromtimestamp(_time.time())

    _dt.datetime, _dt.date = _DateTime, _Date
    """)


def copy_reversed(src: Path, dest: Path) -> None:
    """Copy a tree creating folders and files in reverse name order, so that
    folder listings can come back in another order than in the first copy."""
    for path in sorted(src.rglob("*"), reverse=True):
        target = dest / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def build(project: Path, site: Path, cwd: Path, env: dict) -> None:
    base = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "CASEBOOK_SITE_URL",
                                                              "CASEBOOK_PROFILE", "PYTHONPATH")}
    result = subprocess.run([*MKDOCS, "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                            capture_output=True, text=True, cwd=cwd, env={**base, **env})
    assert result.returncode == 0, result.stdout + result.stderr


def two_builds(tmp_path: Path, env: dict) -> tuple[Path, Path]:
    first = copy_project(_mkdir(tmp_path / FIRST), with_entries=True)
    staging = copy_project(_mkdir(tmp_path / "staging"), with_entries=True)
    second = tmp_path / SECOND
    copy_reversed(staging, second)
    clock = _mkdir(tmp_path / "clock")
    (clock / "sitecustomize.py").write_text(CLOCK_AHEAD, encoding="utf-8")

    build(first, tmp_path / "site-one", cwd=first,
          env={**env, "PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8"})
    build(second, second / "public_html", cwd=tmp_path,
          env={**env, "PYTHONHASHSEED": "4242", "TZ": "Asia/Shanghai", "LC_ALL": "C", "LANG": "C",
               "PYTHONPATH": str(clock)})
    return tmp_path / "site-one", second / "public_html"


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_identical(a: Path, b: Path) -> dict[str, bytes]:
    one, two = files_of(a), files_of(b)
    assert sorted(one) == sorted(two), f"only in one: {sorted(set(one) - set(two))[:10]}, " \
                                       f"only in two: {sorted(set(two) - set(one))[:10]}"
    differ = [name for name in one if one[name] != two[name]]
    unpacked_differ = [name for name in differ if name.endswith(".gz")
                       and gzip.decompress(one[name]) != gzip.decompress(two[name])]
    assert not differ, f"{len(differ)} of {len(one)} files differ: {differ[:10]}; " \
                       f"of the .gz among them, the unpacked content differs in {unpacked_differ}"
    for name in (n for n in one if n.endswith(".gz")):  # a broken .gz would be identical too
        assert gzip.decompress(one[name])
    return one


def assert_no_build_paths(files: dict[str, bytes], *folders: Path) -> None:
    for folder in folders:
        for needle in {str(folder), str(folder.resolve()), folder.name}:
            hits = [name for name, data in files.items() if needle.encode("utf-8") in data]
            assert not hits, f"{needle} appears in {hits[:5]}"


def test_the_clock_of_the_second_build_really_runs_ahead(tmp_path):
    """Guards the test below: MkDocs reads a different build date under it."""
    (tmp_path / "sitecustomize.py").write_text(CLOCK_AHEAD, encoding="utf-8")
    probe = [sys.executable, "-c", "from mkdocs.utils import get_build_date; print(get_build_date())"]
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    now = subprocess.run(probe, capture_output=True, text=True, env=env, check=True).stdout.strip()
    ahead = subprocess.run(probe, capture_output=True, text=True, env={**env, "PYTHONPATH": str(tmp_path)},
                           check=True).stdout.strip()
    days = (datetime.fromisoformat(ahead) - datetime.fromisoformat(now)).days
    assert SHIFT_DAYS <= days <= SHIFT_DAYS + 1


def test_two_builds_without_source_date_epoch_are_identical(tmp_path):
    a, b = two_builds(tmp_path, {"CASEBOOK_SITE_URL": SITE_URL})
    files = assert_identical(a, b)
    assert len(files) > 300
    sitemap = files["sitemap.xml"].decode("utf-8")
    assert f"<loc>{SITE_URL}practices/</loc>" in sitemap
    assert "<lastmod>" not in sitemap  # no date of its own when none is given
    packed = files["sitemap.xml.gz"]
    assert int.from_bytes(packed[4:8], "little") == 0  # gzip MTIME: "no time stamp"
    assert gzip.decompress(packed) == files["sitemap.xml"]
    assert_no_build_paths(files, tmp_path / FIRST, tmp_path / SECOND, tmp_path)


def test_two_public_builds_with_source_date_epoch_are_identical_and_carry_that_date(tmp_path):
    epoch = 1_700_000_000  # 2023-11-14 22:13:20 UTC
    a, b = two_builds(tmp_path, {"CASEBOOK_SITE_URL": SITE_URL, "CASEBOOK_PROFILE": "public",
                                 "SOURCE_DATE_EPOCH": str(epoch)})
    files = assert_identical(a, b)
    day = datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d")
    sitemap = files["sitemap.xml"].decode("utf-8")
    assert sitemap.count("<lastmod>") == sitemap.count("<loc>") > 10
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {day}
    assert int.from_bytes(files["sitemap.xml.gz"][4:8], "little") == epoch
    assert gzip.decompress(files["sitemap.xml.gz"]) == files["sitemap.xml"]


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5e9", "１７０００", ""])
def test_a_bad_source_date_epoch_stops_with_a_chinese_message(project, tmp_path, value):
    env = {**os.environ, "SOURCE_DATE_EPOCH": value}
    result = subprocess.run([*MKDOCS, "build", "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "out")],
                            capture_output=True, text=True, env=env, cwd=project)
    assert result.returncode == 1
    assert f"SOURCE_DATE_EPOCH=“{value}”无效" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()
