"""Escape by construction: every Casebook template autoescapes, no template
turns a value into markup, and the theme's raw title spots are covered."""

from __future__ import annotations

import re
from pathlib import Path

from casebook.core.dates import chinese_date
from casebook.mkdocs.fragments import keep_fragments
from casebook.mkdocs.plugin import AUTOESCAPED, autoescaped
from jinja2 import DictLoader, Environment

TEMPLATES = Path(__file__).resolve().parents[1] / "plugins" / "casebook" / "mkdocs" / "templates"


def test_every_casebook_template_autoescapes():
    names = [p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")]
    assert names
    for name in names:
        assert autoescaped(name), name
    assert not autoescaped("base.html") and not autoescaped(None)  # the theme's own templates


def test_no_template_marks_a_value_safe():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup\(", text), path


def test_the_entry_card_escapes_a_payload():
    macros = (TEMPLATES / "casebook" / "macros.html").read_text(encoding="utf-8")
    env = Environment(loader=DictLoader({"casebook/macros.html": macros,
                                         "casebook/t.html": "{% import 'casebook/macros.html' as cb %}"
                                                            "{{ cb.entry_list([e]) }}"}),
                      autoescape=autoescaped)
    env.filters["url"] = lambda value: "../" + value
    env.filters["cn_date"] = chinese_date
    keep_fragments(env)  # a card is made once per build but for its link (mkdocs/fragments.py)

    class Term:
        name = "<img src=x onerror=alert(1)>"

    class Type:
        key, label = "practice", "经验做法"

    class E:
        type, unit, themes, date, url, slug = Type, Term, [Term], "2023", "x/", "x"
        title = summary = "<script>alert(1)</script>"

    html = env.get_template("casebook/t.html").render(e=E)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<time datetime="2023">2023年</time>' in html and 'href="../x/"' in html


def test_the_theme_title_block_is_overridden_by_an_autoescaped_template():
    layout = (TEMPLATES / "casebook" / "layout.html").read_text(encoding="utf-8")
    assert "{% block htmltitle %}" in layout
    assert "partials/header.html" in AUTOESCAPED and (TEMPLATES / "partials" / "header.html").exists()


def test_the_sanitiser_keeps_what_bodies_need():
    from casebook.core.htmlsafe import sanitise_html

    kept = sanitise_html('<table><tr><td style="text-align: center">格</td></tr></table>第一行<br>第二行'
                         '<details open><summary>展开</summary>内容</details>'
                         '<img src="../images/a.png" alt="图"><a href="../../practices/x/">站内</a>'
                         '<h2 id="一背景">一、背景</h2><sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>')
    for piece in ('<td style="text-align:center">格</td>', "<br>", "<details open", "<summary>展开</summary>",
                  '<img src="../images/a.png" alt="图">', 'href="../../practices/x/"', 'id="一背景"',
                  'href="#fn:1"'):
        assert piece in kept, piece
    dropped = sanitise_html('<img src="http://example.invalid/a.png"><img src="//example.invalid/b.png">'
                            '<a href="javascript:alert(1)">j</a><a href="data:text/html,x">d</a>'
                            '<iframe src="/x"></iframe><p style="position:fixed" onclick="x">p</p>')
    assert "example.invalid" not in dropped and "javascript" not in dropped and "data:" not in dropped
    assert "iframe" not in dropped and "style" not in dropped and "onclick" not in dropped and "<p>p</p>" in dropped
