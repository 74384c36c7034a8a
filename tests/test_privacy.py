"""A public build does not reveal that hidden entries exist.

Canary strings are planted in every field and the file name of an internal
entry and of a draft, and in vocabulary terms (name, alias, group) that only
they use; every byte of the public build (``.gz`` files decompressed) is
searched for them, and the search index is queried for them. The internal
build of the same files must contain them: the test can fail."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest
from casebook.search.reader import SearchIndex
from conftest import copy_project, run_mkdocs_build

CANARY = "zqcanary"  # every planted string starts with it


def plant(project: Path) -> None:
    cases = project / "cases"
    vocab_items = {
        "units.yml": f"- name: {CANARY}单位\n  aliases: [{CANARY}别名]\n  slug: {CANARY}-unit\n  group: {CANARY}分组\n",
        "themes.yml": f"- name: {CANARY}主题\n  slug: {CANARY}-theme\n",
        "violations.yml": f"- name: {CANARY}违纪\n  slug: {CANARY}-violation\n",
        "outcomes.yml": f"- name: {CANARY}处理\n  slug: {CANARY}-outcome\n  group: {CANARY}处理分组\n",
        "ranks.yml": f"- name: {CANARY}职级\n  slug: {CANARY}-rank\n",
    }
    for name, item in vocab_items.items():
        path = cases / name
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + item, encoding="utf-8")
    some_public = next(p.stem for p in sorted((cases / "practices").glob("*.md"))
                       if "related:" not in (text := p.read_text(encoding="utf-8")) and "相关:" not in text
                       and "internal" not in text)
    hidden = {
        f"warnings/2023-01-{CANARY}-internal.md": ("audience: internal", "case"),
        f"warnings/2023-02-{CANARY}-draft.md": ("status: draft", "case"),
    }
    for rel, (flag, _) in hidden.items():
        tag = "internal" if "internal" in flag else "draft"
        (cases / rel).write_text(f"""---
title: {CANARY}标题{tag}
unit: {CANARY}单位
date: 2023-01-15
themes: [{CANARY}主题]
tags: [{CANARY}标签{tag}]
summary: {CANARY}摘要{tag}
source: {CANARY}来源{tag}
{flag}
related: [{some_public}]
violations: [{CANARY}违纪]
outcomes: [{CANARY}处理]
person: {CANARY}当事人{tag}
rank: {CANARY}职级
issued_by: {CANARY}通报机关{tag}
issued_on: 2023-02-01
lessons: {CANARY}启示{tag}
---

{CANARY}正文{tag}。

## {CANARY}小标题{tag}
""", encoding="utf-8")
    # compilations: one lists the internal entry next to a public one, one filters on its unit only
    (cases / "compilations.yml").write_text(f"""- name: mixed
  title: 公开与内部
  entries: [2023-01-{CANARY}-internal, {some_public}]
- name: hidden-only
  title: {CANARY}汇编
  filter: {{unit: {CANARY}单位}}
""", encoding="utf-8")
    # a public entry that names the internal one as related
    path = cases / "practices" / f"{some_public}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle:", f"\nrelated: [2023-01-{CANARY}-internal]\ntitle:", 1), encoding="utf-8")


def leaks(site: Path) -> list[str]:
    found = []
    for path in sorted(site.rglob("*")):
        if CANARY in path.as_posix():
            found.append(path.relative_to(site).as_posix())
            continue
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":  # .gz, and the search data (gzip-packed .bin)
            data = gzip.decompress(data)
        if CANARY.encode() in data:
            found.append(path.relative_to(site).as_posix())
    return found


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("canary"), with_entries=True)
    plant(project)
    return project


@pytest.fixture(scope="module")
def public_site(planted, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("public") / "site"
    result = run_mkdocs_build(planted, site, env={"CASEBOOK_PROFILE": "public"})
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_the_internal_build_holds_the_canaries(planted, tmp_path):
    site = tmp_path / "site"
    result = run_mkdocs_build(planted, site, env={"CASEBOOK_PROFILE": "internal"})
    assert result.returncode == 0, result.stdout + result.stderr
    found = leaks(site)
    assert f"warnings/2023-01-{CANARY}-internal" in found  # the entry's own folder
    assert f"units/{CANARY}-unit" in found
    assert f"ranks/{CANARY}-rank" in found and "stats/unit-by-year.csv" in found and "stats/index.html" in found
    assert "compilations/mixed/mixed.docx" not in found  # a .docx is a zip: searched below, unpacked
    assert CANARY in docx_text(site / "compilations" / "mixed" / "mixed.docx")
    assert "compilations/hidden-only/index.html" in found
    assert "assets/casebook/search/facets.bin" in found
    assert not any(f"{CANARY}-draft" in f for f in found)  # drafts are in no build


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_no_byte_of_the_public_build_names_a_hidden_entry_or_its_terms(public_site):
    assert leaks(public_site) == []
    word_files = sorted(public_site.rglob("*.docx"))
    assert word_files and not [p.name for p in word_files if CANARY in docx_text(p)]
    assert (public_site / "compilations" / "mixed" / "index.html").exists()
    assert not (public_site / "compilations" / "hidden-only").exists()


def test_the_public_search_finds_nothing_hidden(public_site):
    index = SearchIndex(public_site / "assets" / "casebook" / "search")
    for word in (CANARY, f"{CANARY}单位", f"{CANARY}正文internal", "当事人internal"):
        assert index.search(word).ids == []


def test_public_statistics_do_not_count_hidden_entries(public_site, planted):
    stats = (public_site / "stats" / "index.html").read_text(encoding="utf-8")
    assert "草稿" not in stats and "未收入" not in stats and "内部条目" not in stats
    # every count is the public entries' count: the year of the hidden ones shows one fewer
    from casebook.core.library import load_library
    public = load_library(planted, profile="public", include_drafts=False)
    cases_2023 = sum(1 for e in public.entries if e.type.key == "case" and e.year == "2023")
    by_year = (public_site / "stats" / "cases-by-year.csv").read_text(encoding="utf-8-sig")
    assert f"2023年,{cases_2023}" in by_year.splitlines()
    total = (public_site / "stats" / "type-by-year.csv").read_text(encoding="utf-8-sig").splitlines()[-1]
    assert total.endswith(f",{len(public.entries)}")
