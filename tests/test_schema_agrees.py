"""The JSON Schema (what editors see in VS Code) and ``casebook check`` give
the same verdict on the front matter of every sample entry and every broken
fixture. The schema sees only the front matter: problems with the file name,
the body and comments are ``check``'s alone and are left out of the verdict."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from casebook.core.entry import split_front_matter
from casebook.core.fields import TYPE_BY_FOLDER
from casebook.core.library import load_library
from casebook.core.schema import front_matter_schema
from casebook.core.yamlsource import load_yaml

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "check"
BEYOND_A_SCHEMA = {"文件名", "正文", "review", "文件"}


def projects(tmp_path_factory) -> list[Path]:
    roots = [REPO]
    for fixture in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        root = tmp_path_factory.mktemp(fixture.name)
        (root / "cases").mkdir()
        for vocab in (REPO / "cases").glob("*.yml"):
            shutil.copy(vocab, root / "cases")
        shutil.copytree(fixture, root / "cases", dirs_exist_ok=True)
        roots.append(root)
    return roots


def as_json(value):
    """What the YAML language server hands the schema: dates as text."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def verdicts(root: Path):
    library = load_library(root)
    for path in sorted((root / "cases").rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        problems = [p for p in library.problems if p.path == rel and p.field not in BEYOND_A_SCHEMA]
        front, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
        etype = TYPE_BY_FOLDER[path.parent.name]
        schema = front_matter_schema(library.all_vocabs, etype, library.slugs)
        try:
            data = as_json(load_yaml(front) or {})
            errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(data)]
        except yaml.YAMLError as exc:
            errors = [str(exc)]
        yield rel, problems, errors


def test_schema_and_check_agree_on_every_sample_and_broken_entry(tmp_path_factory):
    checked, disagree = 0, []
    for root in projects(tmp_path_factory):
        for rel, problems, errors in verdicts(root):
            checked += 1
            if bool(problems) != bool(errors):
                disagree.append((root.name, rel, [p.format() for p in problems], errors[:3]))
    assert checked >= 40 + 16
    assert disagree == []


@pytest.mark.parametrize("field,value,valid", [
    ("date", "2023-02-29", False), ("date", "2024-02-29", True), ("date", "2023-6-5", True),
    ("date", "2023-13", False), ("date", 2023, True), ("date", "1948", False), ("date", "2100", False),
    ("title", "", False), ("title", "  ", False), ("title", 2023, True), ("tags", [2023, "家书"], True),
    ("themes", "家风建设、廉洁文化", True), ("themes", "家风建设、不存在", False), ("related", ["no-such"], False),
])
def test_value_rules(field, value, valid):
    library = load_library(REPO)
    schema = front_matter_schema(library.all_vocabs, TYPE_BY_FOLDER["practices"], library.slugs)
    data = {"title": "标题", "unit": "市妇联", "date": "2023", "themes": ["家风建设"], field: value}
    assert jsonschema.Draft7Validator(schema).is_valid(data) == valid
