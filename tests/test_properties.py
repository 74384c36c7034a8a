"""Property-based tests (Hypothesis): whatever an editor writes, reading it
never raises, problems are well-formed, and what reaches a page is safe."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from casebook.core.entry import parse_entry
from casebook.core.fields import FIELDS
from casebook.core.htmlsafe import sanitise_html
from casebook.core.text import default_renderer, summary_from_markdown
from casebook.core.vocab import load_vocabularies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from libtools import make_library

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
VOCABS, _ = load_vocabularies(Path(__file__).resolve().parents[1] / "cases", Path(__file__).resolve().parents[1])
YAML_SPECIALS = "[]{}:,&*!|>-'\"#%@`? \n\t：，、"
CJK = "标题市妇联家风建设警示教育违纪处分"
KEYS = [f.key for f in FIELDS] + [f.alias for f in FIELDS] + ["<<", "Audience", "template", "1"]


def check_parsed(text: str):
    parsed = parse_entry(text, "cases/practices/x.md", "practices/x.md", VOCABS)
    for problem in parsed.problems:
        assert problem.path == "cases/practices/x.md" and problem.line >= 0
        assert re.search(r"[\u4e00-\u9fff]", problem.message), problem
    if parsed.entry is not None:
        entry = parsed.entry
        assert entry.title and len(entry.title) <= 200
        assert entry.status in ("published", "draft") and entry.audience in ("public", "internal")
    return parsed


@SETTINGS
@given(st.text(alphabet=st.sampled_from(YAML_SPECIALS + CJK + "abc019"), max_size=300))
def test_any_front_matter_text_is_read_without_an_exception(front):
    check_parsed(f"---\n{front}\n---\n正文\n")


@SETTINGS
@given(st.text(max_size=400))
def test_any_file_text_is_read_without_an_exception(text):
    check_parsed(text)


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.dates(min_value=dt.date(1, 1, 1)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)


@SETTINGS
@given(st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), values, max_size=12))
def test_any_front_matter_mapping_is_read_without_an_exception(data):
    try:
        front = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return
    check_parsed(f"---\n{front}---\n正文\n")


@SETTINGS
@given(st.lists(st.sampled_from(["audience: internal", "audience: public", "范围: internal", "范围: 公开",
                                 "status: draft", "状态: 发布", "status: published", "状态: 草稿"]),
                min_size=2, max_size=4))
def test_a_field_written_twice_never_publishes_more_than_the_strictest_value(lines):
    text = "---\ntitle: 标题\nunit: 市妇联\ndate: 2023-06-15\nthemes: [家风建设]\n" + "\n".join(lines) + "\n---\n正文\n"
    parsed = check_parsed(text)
    fields = {("audience" if line.startswith(("audience", "范围")) else "status") for line in lines}
    repeated = any(sum(line.startswith(k) for line in lines for k in keys) > 1
                   for keys in (("audience", "范围"), ("status", "状态")))
    if repeated:
        assert parsed.entry is None  # refused
    if any("draft" in line or "草稿" in line for line in lines):
        assert parsed.status == "draft"
    assert fields


HTML_BITS = ["<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>", "</a>",
             "<svg onload=alert(1)>", "<iframe srcdoc='<script>alert(1)</script>'>", "<details ontoggle=alert(1)>",
             "<style>", "<!--", "-->", "<![CDATA[", "\\<", "\\>", "`", "```", "**", "[x](javascript:alert(1))",
             "![i](data:image/png;base64,AA)", "!!! note", "\n", "\n\n", "    ", "|", "---", "&lt;", "&#60;",
             "<math><mi xlink:href='javascript:alert(1)'>", "<form action=x><button>", "文字", "。", "<p onclick=x>"]
RUNNABLE_TAGS = {"script", "style", "iframe", "svg", "math", "form", "object", "embed", "base", "meta", "link"}


class _Unsafe(HTMLParser):
    """What in parsed HTML could run or load: tags, handlers, script URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in RUNNABLE_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            url = (value or "").strip().lower()
            if name.startswith("on") or name in ("srcdoc", "style") and tag not in ("td", "th"):
                self.found.append(f"{tag} {name}")
            if name in ("href", "src") and url.startswith(("javascript:", "data:", "vbscript:", "//")):
                self.found.append(f"{tag} {name}={value}")
            if name == "style" and not re.fullmatch(r"text-align:\s*\w+;?", url):
                self.found.append(f"{tag} style={value}")


def unsafe_parts(html: str) -> list[str]:
    parser = _Unsafe()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_unsafe_detector_detects():
    assert unsafe_parts("<p><img src=x onerror=alert(1)><a href=' javascript:x'>a</a><script></script></p>") == [
        "img onerror", "a href= javascript:x", "script"]


@SETTINGS
@given(st.lists(st.sampled_from(HTML_BITS), max_size=25).map("".join))
def test_a_rendered_and_sanitised_body_holds_nothing_that_runs(body):
    html = sanitise_html(default_renderer()(body))
    assert unsafe_parts(html) == [], html
    summary = summary_from_markdown(body)
    assert "\n" not in summary


@SETTINGS
@given(st.text(alphabet=st.sampled_from(YAML_SPECIALS + CJK + "namegroupslug"), max_size=300))
def test_any_vocabulary_text_is_read_without_an_exception(tmp_path_factory, text):
    root = tmp_path_factory.mktemp("vocab")
    make_library(root)
    (root / "cases" / "units.yml").write_text(text, encoding="utf-8")
    vocabs, problems = load_vocabularies(root / "cases", root)
    if not vocabs["units"].terms:
        assert any(p.blocking for p in problems)
