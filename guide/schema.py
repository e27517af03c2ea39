"""The content model as typed classes, and validation that reports every error with its position.

pydantic checks types, required and unknown keys and collects every error of a file in one
pass; we translate its error locations back to YAML line and column.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    field_validator,
)

from .dates import PartialDate, parse_date
from .errors import Problem
from .loading import YamlDocument

ID_PATTERN = r"^[a-z][a-z0-9-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
LEVELS = ("recall", "understanding", "application", "analysis", "evaluation", "creation")
PAPER_SIZES = ("A4", "Letter")


class Node(BaseModel):
    """Base of every YAML mapping: unknown keys are errors; numbers are accepted as text."""

    model_config = ConfigDict(
        extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True, frozen=True
    )
    # Where this mapping stands in its file, for errors found after validation.
    _document: YamlDocument | None = PrivateAttr(default=None)
    _location: tuple = PrivateAttr(default=())

    @property
    def origin(self) -> Problem | None:
        return self.origin_of()

    def origin_of(self, *within) -> Problem | None:
        """The position of this mapping, or of a value inside it such as ('events', 2)."""
        if self._document is None:
            return None
        return self._document.problem(self._location + within, "")


def parse_paragraphs(value: Any) -> tuple[int, ...]:
    """`3`, `3-5` or a list of those, as the sorted paragraph numbers they name."""
    items = value if isinstance(value, list) else [value]
    numbers: set[int] = set()
    for item in items:
        text = str(item).strip()
        match = re.fullmatch(r"(\d+)(?:\s*[-–]\s*(\d+))?", text)
        if isinstance(item, bool) or not match:
            raise ValueError(f"'{item}' is not a paragraph number or range such as 3 or 3-5")
        first, last = int(match[1]), int(match[2] or match[1])
        if first < 1 or last < first:
            raise ValueError(f"'{item}' is not a range of paragraphs counted from 1")
        numbers.update(range(first, last + 1))
    if not numbers:
        raise ValueError("name at least one paragraph")
    return tuple(sorted(numbers))


Paragraphs = Annotated[
    tuple[int, ...], Field(json_schema_extra={"examples": [3, "3-5", [1, "4-6"]]})
]


def _as_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError("expected a date such as 1963-11-22")
    return parse_date(str(value))


class NotContent(Node):
    paragraphs: Paragraphs
    reason: Text

    _paragraphs = field_validator("paragraphs", mode="before")(parse_paragraphs)


class Source(Node):
    id: Id
    title: Text
    short_title: Text | None = None
    author: Text | None = None
    publisher: Text | None = None
    year: int | None = None
    description: Text | None = None
    text: Text
    sections: Text
    not_content: list[NotContent] = []


class GuideConfig(Node):
    title: Text
    subtitle: Text | None = None
    authors: Annotated[list[Text], Field(min_length=1)]
    audience: Text
    language: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    layout: Text = "student"
    paper: Literal[PAPER_SIZES] | None = None  # type: ignore[valid-type]
    introduction: Text | None = None
    objectives: list[Text] = []
    sources: Annotated[list[Source], Field(min_length=1)]
    events: Text = "events.yaml"
    people: Text = "people.yaml"
    glossary: Text = "glossary.yaml"
    questions: Text = "questions.yaml"

    @field_validator("date")
    @classmethod
    def _real_day(cls, value: str) -> str:
        point = parse_date(value)  # raises for 2026-02-30
        if point.start.day is None:
            raise ValueError("expected a full date YYYY-MM-DD")
        return value


class Quotation(Node):
    text: Text
    by: Id | None = None


class Section(Node):
    id: Id
    title: Text
    paragraphs: Paragraphs
    summary: Text
    key_points: list[Text] = []
    events: list[Id] = []
    people: list[Id] = []
    terms: list[Id] = []
    questions: list[Id] = []
    quotations: list[Quotation] = []

    _paragraphs = field_validator("paragraphs", mode="before")(parse_paragraphs)


class Event(Node):
    id: Id
    date: PartialDate
    title: Text
    description: Text | None = None
    date_note: Text | None = None

    model_config = ConfigDict(arbitrary_types_allowed=True)
    _date = field_validator("date", mode="before")(_as_date)


class Person(Node):
    id: Id
    name: Text
    native_name: Text | None = None
    born: PartialDate | None = None
    died: PartialDate | None = None
    role: Text
    bio: Text
    aliases: list[Text] = []

    model_config = ConfigDict(arbitrary_types_allowed=True)
    _dates = field_validator("born", "died", mode="before")(_as_date)


class Term(Node):
    id: Id
    term: Text
    expansion: Text | None = None
    definition: Text
    aliases: list[Text] = []


class Question(Node):
    id: Id
    prompt: Text
    level: Literal[LEVELS]  # type: ignore[valid-type]
    teacher_notes: Text
    suggested_answer: Text | None = None
    answer_lines: Annotated[int, Field(ge=2, le=20)] | None = None


class ItemFile(Node):
    """Any YAML file of items: a section file or one of the item files."""

    sections: list[Section] = []
    events: list[Event] = []
    people: list[Person] = []
    terms: list[Term] = []
    questions: list[Question] = []


# --- validation ------------------------------------------------------------------------------


def validate(document: YamlDocument, model: type[Node], problems: list[Problem]) -> Node | None:
    """The document as `model`, or None with every error appended to `problems`."""
    if document.data is None:
        problems.append(
            document.problem(
                (), "file is empty", hint=f"write the {_expected_keys(model)} it should hold"
            )
        )
        return None
    if not isinstance(document.data, dict):
        problems.append(
            document.problem(
                (),
                "expected a mapping of keys to values at the top",
                hint=f"start with {_expected_keys(model)}",
            )
        )
        return None
    try:
        result = model.model_validate(document.data)
    except ValidationError as error:
        problems.extend(_translate(error, document, model))
        return None
    _attach_origins(result, (), document)
    return result


def _expected_keys(model: type[Node]) -> str:
    required = [name for name, f in model.model_fields.items() if f.is_required()]
    keys = required or list(model.model_fields)
    return ", ".join(f"'{k}:'" for k in keys[:4])


def _attach_origins(value: Any, location: tuple, document: YamlDocument) -> None:
    if isinstance(value, Node):
        value._document, value._location = document, location
        for name in type(value).model_fields:
            _attach_origins(getattr(value, name), location + (name,), document)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _attach_origins(item, location + (index,), document)


def _field_names(model: type[BaseModel], seen: set | None = None) -> set[str]:
    """Every key any mapping reachable from `model` may have, for 'did you mean' hints."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for f in model.model_fields.values():
        for inner in _models_in(f.annotation):
            names |= _field_names(inner, seen)
    return names


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


def _value_at(data: Any, location: tuple) -> Any:
    for part in location:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


_TYPE_NAMES = {
    bool: "true/false",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "a mapping",
    type(None): "nothing",
}


def _translate(error: ValidationError, document: YamlDocument, model: type[Node]) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        # pydantic appends the branch it tried ('str', 'function-after[...]'); drop those.
        location = tuple(
            p
            for p in item["loc"]
            if isinstance(p, int) or p in _field_names(model) or item["type"] == "extra_forbidden"
        )
        kind, key = item["type"], location[-1] if location else None
        value = _value_at(document.data, location)
        hint = None
        if kind == "missing":
            message, hint = f"missing required key '{key}'", f"add '{key}:'"
            problems.append(document.problem(location[:-1], message, hint))
            continue
        if kind == "extra_forbidden":
            message = f"unknown key '{key}'"
            close = difflib.get_close_matches(str(key), sorted(_field_names(model)), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "remove it"
            problems.append(document.problem(location, message, hint, of_key=True))
            continue
        if kind in ("string_type", "string_too_short") or kind.endswith("_type"):
            got = _TYPE_NAMES.get(type(value), type(value).__name__)
            wanted = {
                "string_type": "text",
                "list_type": "a list",
                "int_type": "a whole number",
                "model_type": "a mapping of keys to values",
                "dict_type": "a mapping",
                "string_too_short": "text",
            }.get(kind, kind.removesuffix("_type"))
            message = (
                f"'{key}' should be {wanted}, not {got}"
                if kind != "string_too_short"
                else f"'{key}' is empty"
            )
            if isinstance(value, bool):
                hint = (
                    "YAML reads yes/no/on/off/true/false as true or false: put the text in quotes"
                )
            elif value is None and kind != "string_too_short":
                hint = "write a value after the colon, or remove the key"
        elif kind == "string_pattern_mismatch" and item["ctx"]["pattern"] == ID_PATTERN:
            message = f"'{value}' is not a valid id"
            hint = "use lower-case letters, digits and '-', starting with a letter"
        elif kind == "string_pattern_mismatch" and key == "language":
            message, hint = f"'{value}' is not a language tag", "write e.g. en, en-GB or fr"
        elif kind == "string_pattern_mismatch":
            message, hint = f"'{value}' is not a date", "write the guide's date as YYYY-MM-DD"
        elif kind == "literal_error":
            expected = item["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
            message = f"'{key}' is '{value}', which is not one of: {expected}"
            close = difflib.get_close_matches(
                str(value), [e.strip() for e in expected.split(",")], n=1
            )
            hint = f"did you mean '{close[0]}'?" if close else None
        elif kind == "value_error":
            message = f"'{key}': " + item["msg"].removeprefix("Value error, ")
        elif kind == "too_short":
            message = f"'{key}' needs at least {item['ctx']['min_length']} item(s)"
        elif kind in ("greater_than_equal", "less_than_equal", "int_parsing", "int_from_float"):
            message = f"'{key}': {item['msg'].lower()}"
        else:
            message = f"'{key}': {item['msg']}"
        problems.append(document.problem(location, message, hint))
    return problems


def resolve_inside(
    folder: Path, relative: str, document: YamlDocument, location: tuple, problems: list[Problem]
) -> Path | None:
    """A path a guide names, only if it stays inside the guide's folder."""
    candidate = (folder / relative).resolve()
    if not candidate.is_relative_to(folder.resolve()):
        problems.append(
            document.problem(
                location,
                f"'{relative}' is outside the guide's folder",
                "keep every file of the guide inside its folder",
            )
        )
        return None
    return candidate
