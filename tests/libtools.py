"""A tiny library written into a temp dir, so core tests do not depend on
the sample content."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from textwrap import dedent

VOCABS = {
    "units.yml": """\
        - name: 市妇联
          aliases: [市妇女联合会]
          slug: shi-fu-lian
          group: 群团组织
        - name: 市财政局
          slug: shi-cai-zheng-ju
          group: 政府部门
        - name: 市委组织部
          aliases: [组织部]
          slug: shi-wei-zu-zhi-bu
          group: 党委部门
        """,
    "themes.yml": """\
        - name: 家风建设
          aliases: [家风]
          slug: jia-feng-jian-she
        - name: 警示教育
          slug: jing-shi-jiao-yu
        - name: 作风建设
          slug: zuo-feng-jian-she
        """,
    "violations.yml": """\
        - name: 违反廉洁纪律
          slug: wei-fan-lian-jie-ji-lv
        - name: 违反中央八项规定精神
          aliases: [违反八项规定]
          slug: ba-xiang-gui-ding
        """,
    "outcomes.yml": """\
        - name: 警告
          slug: jing-gao
          group: 党纪处分
        - name: 诫勉
          slug: jie-mian
          group: 组织处理
        """,
}

GOOD_PRACTICE = dedent("""\
    ---
    title: 市妇联以家风建设带动清廉机关建设
    unit: 市妇联
    date: 2023-06-15
    themes: [家风建设, 警示教育]
    tags: [清廉家庭]
    ---

    ## 主要做法

    开展清廉家庭创建活动，全年举办家风讲座 12 场。
    """)

GOOD_CASE = dedent("""\
    ---
    title: 【示例】某局原科长王某违规收受礼金案
    unit: 市财政局
    date: 2022-03
    themes: [警示教育]
    violations: [违反廉洁纪律]
    outcomes: [警告]
    person: 某局原科长王某
    lessons: 小节不保，大节难守。
    ---

    王某在 2021 年春节期间收受服务对象礼金。
    """)


def make_library(root: Path) -> Path:
    cases = root / "cases"
    for folder in ("practices", "warnings", "reports"):
        (cases / folder).mkdir(parents=True, exist_ok=True)
    for name, text in VOCABS.items():
        (cases / name).write_text(dedent(text), encoding="utf-8")
    return cases


def write_entry(root: Path, relpath: str, text: str) -> Path:
    path = root / "cases" / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text), encoding="utf-8")
    return path


@lru_cache(maxsize=1)
def gen_corpus():
    """scripts/gen_corpus.py as a module (scripts/ is not a package)."""
    path = Path(__file__).resolve().parents[1] / "scripts" / "gen_corpus.py"
    spec = importlib.util.spec_from_file_location("gen_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
