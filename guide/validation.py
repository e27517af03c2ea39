"""Validation of a YAML document against a content model (schema.py), every error reported
with its position.

pydantic checks types, required and unknown keys and collects every error of a file in one
pass; this module translates its error locations back to YAML lines and columns, and words
each error for the person who wrote the file.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from . import prose
from .errors import Problem, describe_value, shorten
from .loading import YamlDocument
from .schema import ID_PATTERN, ITEM_KINDS, Node

_Model = TypeVar("_Model", bound=Node)


def validate(
    document: YamlDocument,
    model: type[_Model],
    problems: list[Problem],
    holds: str | None = None,
) -> _Model | None:
    """The document as `model`, or None with every error appended to `problems`.

    `holds` is the key an item file is for ('events' for events.yaml), for hints that name it.
    """
    if not isinstance(document.data, dict):
        problems.append(_not_a_mapping(document, model, holds))
        return None
    try:
        result = model.model_validate(document.data)
    except ValidationError as error:
        problems.extend(_translate(error, document, model))
        return None
    _attach_origins(result, (), document)
    return result


def _not_a_mapping(document: YamlDocument, model: type[Node], holds: str | None) -> Problem:
    start = f"'{holds}:' and the list of {holds} under it" if holds else _expected_keys(model)
    if document.data is None:
        if () in document.value_positions:  # a document with nothing in it: '---', or '~'
            what = "holds no values"
        else:
            what = "holds only comments" if document.has_comments else "is empty"
        return document.problem((), f"file {what}", hint=f"write {start}")
    return document.problem(
        (),
        "expected a mapping of keys to values at the top",
        hint=f"start with {start}" + (", indented" if holds else ""),
    )


def _expected_keys(model: type[BaseModel]) -> str:
    # As the reference lists them: NotContent's `starts_with` is required though optional
    # to pydantic.
    required = model.model_json_schema().get("required", [])
    keys = required or _keys(model)
    return ", ".join(f"'{k}:'" for k in keys[:4])


def _attach_origins(value: Any, location: tuple, document: YamlDocument) -> None:
    if isinstance(value, Node):
        value._document, value._location = document, location
        for name in type(value).model_fields:
            _attach_origins(getattr(value, name), location + (name,), document)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _attach_origins(item, location + (index,), document)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


def _field_at(model: type[BaseModel], location: tuple) -> FieldInfo | None:
    """The field that declares the value at `location` (list indexes step into the list)."""
    current: Any = model
    found = None
    for part in location:
        if isinstance(part, int):
            continue  # a list's items are declared by the list's field
        models = _models_in(current)
        if not models or part not in models[0].model_fields:
            return None
        found = models[0].model_fields[part]
        current = found.annotation
    return found


def _model_at(model: type[BaseModel], location: tuple) -> type[BaseModel] | None:
    """The model of the mapping at `location`: Person for ('people', 2)."""
    if not location:
        return model
    field = _field_at(model, location)
    models = _models_in(field.annotation) if field else []
    return models[0] if models else None


def _constraint(field: FieldInfo | None, name: str) -> Any:
    """A bound such as ge=2 wherever the field's annotation declares it."""
    if field is None:
        return None
    pending: list[Any] = [*field.metadata, field.annotation]
    while pending:
        item = pending.pop()
        if getattr(item, name, None) is not None:
            return getattr(item, name)
        pending += list(getattr(item, "__metadata__", ())) + list(getattr(item, "__args__", ()))
        pending += list(getattr(item, "metadata", ()))
    return None


def _value_at(data: Any, location: tuple) -> Any:
    for part in location:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


# What one item of a list is called: "key point 2", "author 1".
_SINGULAR = {
    "key_points": "key point",
    "sections": "section",
    **{kind.key: kind.one for kind in ITEM_KINDS},
    "quotations": "quotation",
    "authors": "author",
    "objectives": "objective",
    "sources": "source",
    "not_content": "not_content entry",
    "aliases": "alias",
    "paragraphs": "paragraph",
    "stylesheets": "stylesheet",
}


def _singular(key: object) -> str:
    """One of what the list at `key` holds, as the author calls it: 'section' for 'sections'."""
    return _SINGULAR.get(key, "item") if isinstance(key, str) else "item"


def _name(location: tuple) -> str:
    """The value at `location` as the author knows it: 'summary', or 'key point 2'."""
    if not location:
        return "the file"
    last = location[-1]
    if isinstance(last, int):
        parent = location[-2] if len(location) > 1 and isinstance(location[-2], str) else None
        return f"{_singular(parent)} {last + 1}"
    return f"'{last}'"


_WANTED = {
    "string_type": "text",
    "list_type": "a list",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "dict_type": "a mapping",
}


def _translate(error: ValidationError, document: YamlDocument, model: type[Node]) -> list[Problem]:
    problems = []
    errors = error.errors(include_url=False)
    # An unknown key that is a misspelling of a missing one is one mistake: report it once.
    misspelt = set()
    for item in errors:
        if item["type"] == "extra_forbidden":
            location = _clean(item["loc"], item["type"], model)
            close = _close_key(model, location)
            if close:
                misspelt.add(location[:-1] + (close,))
    for item in errors:
        location = _clean(item["loc"], item["type"], model)
        if item["type"] == "missing" and location in misspelt:
            continue
        problems.append(_problem(item, location, document, model))
    return problems


def _clean(loc: tuple, kind: str, model: type[Node]) -> tuple:
    """pydantic's location without the branches it tried ('str', 'function-after[...]')."""
    if kind == "extra_forbidden":
        return tuple(loc)
    return tuple(p for p in loc if isinstance(p, int) or p in _field_names(model))


def _field_names(model: type[BaseModel], seen: set | None = None) -> set[str]:
    """Every key any mapping reachable from `model` may have."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for f in model.model_fields.values():
        for inner in _models_in(f.annotation):
            names |= _field_names(inner, seen)
    return names


def _keys(model: type[BaseModel]) -> list[str]:
    """The keys a mapping may have, as the reference lists them: not those kept only to
    refuse an old way of writing (NotContent's `paragraphs`)."""
    return [name for name, field in model.model_fields.items() if not field.exclude]


def _close_key(model: type[Node], location: tuple) -> str | None:
    owner = _model_at(model, location[:-1])
    keys = sorted(_keys(owner)) if owner else []
    close = difflib.get_close_matches(str(location[-1]), keys, n=1)
    return close[0] if close else None


def _problem(
    item: ErrorDetails, location: tuple, document: YamlDocument, model: type[Node]
) -> Problem:
    kind = item["type"]
    key = location[-1] if location else None
    name = _name(location)
    value = _value_at(document.data, location)
    field = _field_at(model, location)
    hint = None
    if kind == "missing":
        return document.problem(location[:-1], f"missing required key '{key}'", f"add '{key}:'")
    if kind == "missing_key":  # a key required unless another stands in for it
        key = item["ctx"]["key"]
        return document.problem(location, f"missing required key '{key}'", f"add '{key}:'")
    if kind == "extra_forbidden":
        close = _close_key(model, location)
        owner = _model_at(model, location[:-1])
        keys = ", ".join(_keys(owner)) if owner else ""
        hint = f"did you mean '{close}'?" if close else f"remove it, or use one of: {keys}"
        return document.problem(location, f"unknown key '{key}'", hint, of_key=True)
    if kind == "string_too_short" or (kind == "too_short" and value == []):
        message = f"{name} is empty"
        default = field.default if field is not None else None
        if kind == "too_short":
            hint = f"write at least one {_singular(key)}"
        elif isinstance(default, str):
            hint = f"write a value, or remove the key to use the default '{default}'"
        else:
            hint = "write a value, or remove the key" if field and not field.is_required() else None
    elif kind in _WANTED or kind.endswith("_type"):
        wanted = _WANTED.get(kind, kind.removesuffix("_type"))
        message = f"{name} should be {wanted}, not {describe_value(value)}"
        if isinstance(value, bool):
            hint = "YAML reads yes/no/on/off/true/false as true or false: put the text in quotes"
        elif value is None:
            hint = "write a value after the colon, or remove the key"
        elif kind == "list_type" and isinstance(value, str) and isinstance(key, str):
            flow = len(value) <= 40 and not re.search(r"[,:#\[\]{}'\"]", value)
            hint = (
                f"write it as a list: {key}: [{value}]"
                if flow
                else f"write it as a list: on the line under '{key}:', '- ' and the text"
            )
        elif kind == "int_parsing" and isinstance(value, str):
            hint = "write it in figures"
        elif "model" in kind and (inner := _model_at(model, location)) is not None:
            hint = f"write its keys: {_expected_keys(inner)}"
    elif kind == "string_pattern_mismatch" and item["ctx"]["pattern"] == ID_PATTERN:
        message = f"'{shorten(value, 40)}' is not a valid id"
        hint = "use lower-case letters, digits and '-', starting with a letter"
    elif kind == "string_pattern_mismatch" and key == "language":
        message, hint = (
            f"'{shorten(value, 40)}' is not a language tag",
            "write e.g. en, en-GB or fr",
        )
    elif kind == "string_pattern_mismatch":
        message, hint = (
            f"'{shorten(value, 40)}' is not a date",
            "write the guide's date as YYYY-MM-DD",
        )
    elif kind == "literal_error":
        expected = [e.strip("' ") for e in re.split(r",| or ", item["ctx"]["expected"])]
        expected = [e for e in expected if e]
        message = f"{name} is '{value}', which is not one of: {', '.join(expected)}"
        same = [e for e in expected if e.casefold() == str(value).casefold()]
        meant = same or difflib.get_close_matches(str(value), expected, n=1)
        hint = f"did you mean '{meant[0]}'?" if meant else None
    elif kind in ("greater_than_equal", "less_than_equal"):
        low, high = _constraint(field, "ge"), _constraint(field, "le")
        message = f"{name} is {value}"
        hint = f"write a whole number from {low} to {high}"
    elif kind == "overlong_word":
        message = f"{name} has {item['msg']}"
        return _at_word(document, location, item["ctx"]["word"], message, prose.HINT)
    elif kind == "precision_word":
        message = f"date_note '{value}' only says how precise the date is"
        hint = f"write 'date: {item['ctx']['date']}' instead, and remove date_note"
    elif kind == "value_error":
        message = f"{name}: " + item["msg"].removeprefix("Value error, ")
    else:
        message = f"{name}: {item['msg']}"
    return document.problem(location, message, hint)


def _at_word(
    document: YamlDocument, location: tuple, word: str, message: str, hint: str
) -> Problem:
    """The problem at the word itself, found in the file from where its value starts (a word
    has no spaces, so YAML's folding of lines leaves it whole)."""
    problem = document.problem(location, message, hint)
    lines = document.text.split("\n")
    if not lines or problem.line is None:
        return problem
    offset = sum(len(line) + 1 for line in lines[: problem.line - 1]) + (problem.column or 1) - 1
    found = document.text.find(word[:40], offset)
    if found < 0:
        return problem
    line = document.text.count("\n", 0, found) + 1
    column = found - (document.text.rfind("\n", 0, found) + 1) + 1
    return Problem(document.path, line, column, message, hint)
