"""The preview's compiled templates (mkdocs/templatecache.py): kept between
rebuilds, never used for a template whose source changed or by an
environment that compiles differently."""

from __future__ import annotations

from casebook.mkdocs.plugin import autoescaped
from casebook.mkdocs.templatecache import CompiledTemplates
from jinja2 import Environment, FileSystemLoader


def environment(folder, cache, autoescape=autoescaped):
    """A new environment per build, as MkDocs makes them."""
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=autoescape)
    env.bytecode_cache = cache
    return env


def test_an_unchanged_template_is_not_compiled_again_an_edited_one_is(tmp_path):
    (tmp_path / "casebook").mkdir()
    page, other = tmp_path / "casebook" / "page.html", tmp_path / "casebook" / "other.html"
    page.write_text("<p>{{ value }}</p>", encoding="utf-8")
    other.write_text("[{{ value }}]", encoding="utf-8")
    cache = CompiledTemplates()
    assert environment(tmp_path, cache).get_template("casebook/page.html").render(value="<b>") == "<p>&lt;b&gt;</p>"
    assert environment(tmp_path, cache).get_template("casebook/page.html").render(value="x") == "<p>x</p>"
    assert cache.loaded == 1
    page.write_text("<div>{{ value }}</div>", encoding="utf-8")  # same size: the checksum, not the stat, decides
    assert environment(tmp_path, cache).get_template("casebook/page.html").render(value="x") == "<div>x</div>"
    assert cache.loaded == 1
    assert environment(tmp_path, cache).get_template("casebook/other.html").render(value="<b>") == "[&lt;b&gt;]"


def test_code_compiled_with_other_settings_is_not_used(tmp_path):
    """Autoescaping is decided when a template is compiled: code compiled
    escaping must not serve an environment that does not escape (and back)."""
    (tmp_path / "casebook").mkdir()
    (tmp_path / "casebook" / "page.html").write_text("{{ value }}", encoding="utf-8")
    cache = CompiledTemplates()
    assert environment(tmp_path, cache).get_template("casebook/page.html").render(value="<b>") == "&lt;b&gt;"
    assert environment(tmp_path, cache, autoescape=False).get_template("casebook/page.html").render(value="<b>") == "<b>"
    assert environment(tmp_path, cache).get_template("casebook/page.html").render(value="<b>") == "&lt;b&gt;"
    assert cache.loaded == 0
    env = environment(tmp_path, cache)
    env.filters["extra"] = str  # another filter set: compiled again too
    assert env.get_template("casebook/page.html").render(value="<b>") == "&lt;b&gt;"
    assert cache.loaded == 0
