"""The committed reference and JSON Schemas are what the models make, and the schemas accept
every real guide's files and underline a mistake, as an editor would."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import FLAGSHIP, MINI, ROOT
from jsonschema import Draft202012Validator

from guide import reference
from guide.cli import main
from guide.layouts import BUILTIN_LAYOUTS

DOCS = ROOT / "docs"


class _Yaml12(yaml.SafeLoader):
    """Reads dates as text, as YAML 1.2 does: what an editor's YAML server (and guide) sees."""


_Yaml12.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12)


def test_the_committed_reference_is_what_the_models_make(tmp_path):
    written = reference.write(tmp_path)
    for path in written:
        committed = DOCS / path.relative_to(tmp_path)
        assert committed.is_file(), f"{committed} is missing: run make docs"
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{committed} is stale: run make docs"
        )


def _files(guide):
    yield "guide", guide / "guide.yaml"
    for kind in ("events", "people", "glossary", "questions"):
        yield kind, guide / f"{kind}.yaml"
    for path in sorted((guide / "sections").glob("*.yaml")):
        yield "sections", path


@pytest.mark.parametrize("guide", [FLAGSHIP, MINI], ids=["flagship", "mini"])
def test_every_file_of_a_real_guide_passes_its_schema(guide):
    for kind, path in _files(guide):
        validator = Draft202012Validator(reference.json_schema(kind))
        errors = [e.message for e in validator.iter_errors(_load(path))]
        assert errors == [], f"{path}: {errors}"
    for layout in sorted(BUILTIN_LAYOUTS.glob("*/layout.yaml")):
        validator = Draft202012Validator(reference.json_schema("layout"))
        assert list(validator.iter_errors(_load(layout))) == [], layout


def test_the_schema_underlines_what_guide_check_refuses():
    validator = Draft202012Validator(reference.json_schema("events"))
    wrong = {"events": [{"id": "Bad Id", "date": "1961", "title": "x", "titel": "y"}]}
    messages = sorted(e.message for e in validator.iter_errors(wrong))
    assert any("'Bad Id' does not match" in m for m in messages)
    assert any("'titel' was unexpected" in m for m in messages)
    questions = Draft202012Validator(reference.json_schema("questions"))
    bad_level = {"questions": [{"id": "q", "prompt": "?", "level": "hard", "teacher_notes": "n"}]}
    assert any("'hard' is not one of" in e.message for e in questions.iter_errors(bad_level))


def test_guide_schema_prints_one_kind_or_refuses_an_unknown_one(capsys):
    assert main(["schema", "--json", "people"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["required"] == ["people"] and "Person" in printed["$defs"]
    assert main(["schema", "--json", "peoples"]) == 2
    assert capsys.readouterr().err == (
        "guide schema: --json takes one of guide, sections, events, people, glossary, "
        "questions, layout — did you mean 'people'?\n"
    )


def test_every_kind_of_item_is_a_field_of_the_item_file_the_section_and_guide_yaml():
    # schema.ITEM_KINDS is the one table of kinds; the models must declare a field for each,
    # and nothing else that looks like one.
    from guide.schema import ITEM_KINDS, GuideConfig, ItemFile, Section

    keys = {kind.key for kind in ITEM_KINDS}
    assert set(ItemFile.model_fields) == keys | {"sections"}
    assert keys <= set(Section.model_fields)
    assert {kind.file_key for kind in ITEM_KINDS} <= set(GuideConfig.model_fields)
    assert [k for k in reference.KINDS if k not in ("guide", "sections", "layout")] == [
        "events",
        "people",
        "glossary",
        "questions",
    ]
