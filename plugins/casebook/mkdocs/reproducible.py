"""Byte-identical builds: the only date in the output is SOURCE_DATE_EPOCH.

Two builds of one commit, at different times and in different folders, must
give the same bytes (so a deployment can be checked against a rebuild, and
unchanged files keep their cache entries). Measured on MkDocs 1.6.1 with
Material 9.x, the only thing that differs is the sitemap: MkDocs writes the
build day as every page's ``<lastmod>`` (seen once ``site_url`` is set) and
as the gzip header time of ``sitemap.xml.gz``. Following
https://reproducible-builds.org/specs/source-date-epoch/ that date is
SOURCE_DATE_EPOCH when it is set (MkDocs already uses it for ``<lastmod>``);
otherwise no date is written at all: no ``<lastmod>`` and a gzip time of 0,
which the gzip format defines as "no time stamp".
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

ENV_NAME = "SOURCE_DATE_EPOCH"
SITEMAP = "sitemap.xml"
_LASTMOD = re.compile(r"[ \t]*<lastmod>[^<]*</lastmod>\n?")


def source_date_epoch(environ) -> int | None:
    """The value of SOURCE_DATE_EPOCH as whole seconds, None when unset.

    Raises ValueError with a Chinese message for anything else: MkDocs
    itself would stop with a traceback on such a value."""
    raw = environ.get(ENV_NAME)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit():
        raise ValueError(f"环境变量 {ENV_NAME}=“{raw}”无效：应为 1970 年以来的整秒数"
                         f"（例如 git log -1 --format=%ct 的输出），或不设置")
    return int(raw)


def fix_sitemap(site_dir: Path, epoch: int | None) -> bool:
    """Rewrite the sitemap so it carries no build date; False if there is none."""
    plain = site_dir / SITEMAP
    if not plain.is_file():
        return False
    text = plain.read_text(encoding="utf-8")
    if epoch is None:
        text = _LASTMOD.sub("", text)
        plain.write_text(text, encoding="utf-8")
    # gzip.compress writes no file name; mtime is the only variable header field.
    (site_dir / f"{SITEMAP}.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=epoch or 0))
    return True
