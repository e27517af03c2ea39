"""The content model as typed classes, and validation that reports every error with its position.

pydantic checks types, required and unknown keys and collects every error of a file in one
pass; we translate its error locations back to YAML line and column.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import ErrorDetails, PydanticCustomError

from . import prose
from .dates import SYNTAX_HINT, PartialDate, is_precision_word, parse_date, with_precision
from .errors import Problem, display_path, shorten
from .impose import PAPER_SIZES
from .loading import YamlDocument
from .typography import Printed

ID_PATTERN = r"^[a-z][a-z0-9-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]


def _bounded(text: str) -> str:
    if found := prose.overlong_word(text):
        _, word = found
        raise PydanticCustomError("overlong_word", prose.describe(word), {"word": word})
    return text


# Text that is printed: no word so long that laying it out would run away (prose.py), and
# its quotes, dashes and ellipses typeset in the guide's language (typography.py).
Prose = Annotated[str, StringConstraints(min_length=1), AfterValidator(_bounded), Printed()]
# Words quoted: printed inside the layout's quotation marks, so typed marks around them go.
Quoted = Annotated[
    str, StringConstraints(min_length=1), AfterValidator(_bounded), Printed(quoted=True)
]
# A reference to an item's id. Checked when the guide is merged, where a name written in
# place of an id ('Martin Luther' for 'luther') can be recognised.
Ref = Text
LEVELS = ("recall", "understanding", "application", "analysis", "evaluation", "creation")


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
            raise ValueError(
                f"'{shorten(item, 40)}' is not a paragraph number or range such as 3 or 3-5"
            )
        first, last = int(match[1]), int(match[2] or match[1])
        if first < 1:
            raise ValueError("there is no paragraph 0 — paragraphs are counted from 1")
        if last < first:
            raise ValueError(f"'{item}' ends before it starts — write {last}-{first}")
        numbers.update(range(first, last + 1))
    if not numbers:
        raise ValueError("name at least one paragraph")
    return tuple(sorted(numbers))


# What an editor's schema says may be written (the YAML), not what is read into the model.
_PARAGRAPH = {
    "anyOf": [
        {"type": "integer", "minimum": 1},
        {"type": "string", "pattern": r"^\s*\d+\s*([-–]\s*\d+\s*)?$"},
    ]
}
Paragraphs = Annotated[
    tuple[int, ...],
    WithJsonSchema(
        {"anyOf": [*_PARAGRAPH["anyOf"], {"type": "array", "items": _PARAGRAPH, "minItems": 1}]}
    ),
    Field(examples=[3, "3-5", [1, "4-6"]]),
]


Date = Annotated[
    PartialDate,
    # The forms are many (see SYNTAX_HINT); `guide check` says which is wrong and why.
    WithJsonSchema({"type": ["string", "integer"], "description": SYNTAX_HINT}),
    Field(examples=["1961-04-20", "1961-04", 1961, "1961-01/1961-02", "c. 1440"]),
]


def _as_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"{_describe(value)} is not a date — {SYNTAX_HINT}")
    return parse_date(str(value))


# A text or a list of texts, as an editor's schema shows it; read as a list.
_TEXTS = {"type": "string", "minLength": 1}
StartsWith = Annotated[
    Annotated[list[Text], Field(min_length=1)] | None,
    WithJsonSchema({"anyOf": [_TEXTS, {"type": "array", "items": _TEXTS, "minItems": 1}]}),
]


def _not_content_schema(schema: dict[str, Any]) -> None:
    """starts_with as written: required, with no default."""
    schema["required"] = ["starts_with", "reason"]
    schema["properties"]["starts_with"].pop("default", None)


# Lines of a source text that are not its author's, named by the words they start with: the
# ¶ numbers count content paragraphs only, and a number naming what is not counted would move.
class NotContent(Node):
    model_config = ConfigDict(json_schema_extra=_not_content_schema)

    # Required (the JSON Schema says so, `_required_key` checks it): optional here only so
    # that a guide written the old way, by paragraph number, is told what to write instead,
    # where its text is known (merge.py).
    starts_with: StartsWith = Field(
        None,
        description=(
            "The first words of each line of the text that is not the author's (a title,"
            " a blurb, a notice): enough of them to name one line. Those lines are not"
            " numbered and need no summary: ¶ 1 is the author's first paragraph."
        ),
        examples=[["The Printing Press in Europe", "Read more in the"]],
    )
    reason: Prose = Field(
        description="Why they are left out.", examples=["title and blurb added by the website"]
    )
    # The old way: not_content by paragraph number, when ¶ numbers counted every line. Not in
    # the JSON Schema; refused with the `starts_with:` that names the same lines (merge.py).
    paragraphs: SkipJsonSchema[Any] = Field(None, exclude=True)

    @field_validator("starts_with", mode="before")
    @classmethod
    def _a_list(cls, value: Any) -> Any:
        """A text or a list of texts, as a list."""
        if value is None:
            raise ValueError("nothing is written after it — write the first words of a line")
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [value]
        return value

    @model_validator(mode="before")
    @classmethod
    def _required_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and "starts_with" not in data and "paragraphs" not in data:
            raise PydanticCustomError(
                "missing_key", "missing required key 'starts_with'", {"key": "starts_with"}
            )
        return data


class Source(Node):
    id: Id = Field(description="How sections and citations name this source.", examples=["press"])
    title: Prose = Field(
        description="The source's full title, as on the cover's list of sources.",
        examples=["The Printing Press in Europe"],
    )
    short_title: Prose | None = Field(
        None,
        description="The running head over its summaries (default: the title).",
        examples=["Smithsonian: Attempts to Collaborate"],
    )
    cite_as: Prose | None = Field(
        None,
        description=(
            "Its name in the short citations under chronology events, sidebars and glossary"
            " terms, as in `Smithsonian ¶ 3–5` (default: the short title)."
        ),
        examples=["Smithsonian"],
    )
    author: Prose | None = Field(None, description="Who wrote it.", examples=["Asif Siddiqi"])
    publisher: Prose | None = Field(
        None, description="Where it was published.", examples=["Smithsonian magazine"]
    )
    year: int | None = Field(None, description="The year it was published.", examples=[2018])
    container: Prose | None = Field(
        None,
        description="The website, book or periodical it appeared in (the reference list).",
        examples=["Smithsonian Magazine"],
    )
    url: Text | None = Field(
        None,
        description="Its web address, if it was read online (the reference list).",
        examples=["https://www.smithsonianmag.com/…"],
    )
    published: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = Field(
        None,
        description="The day it was published online, YYYY-MM-DD, if known.",
        examples=["2025-06-12"],
    )
    accessed: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = Field(
        None,
        description="The day its text was read or copied, YYYY-MM-DD, if known.",
        examples=["2026-11-20"],
    )

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"https?://\S+$", value):
            raise ValueError(f"'{value}' is not a web address — write it as https://…")
        return value

    @field_validator("published", "accessed")
    @classmethod
    def _real_days(cls, value: str | None) -> str | None:
        if value is not None:
            parse_date(value)  # raises for 2026-02-30
        return value

    description: Prose | None = Field(
        None,
        description="A sentence on what it is.",
        examples=["An excerpt from a history of the Space Race."],
    )
    text: Text = Field(
        description="The source text, relative to the guide: one paragraph per line.",
        examples=["texts/press.txt"],
    )
    sections: Text = Field(
        description="The YAML file of its section summaries, relative to the guide.",
        examples=["sections/press.yaml"],
    )
    not_content: list[NotContent] = Field(
        [],
        description=(
            "Lines of the text that are not the author's (a title, a blurb, an ad), named by"
            " the words they start with: not numbered, and no section needs to summarize them."
        ),
    )
    reprint: Literal["full", "cited", "none"] = Field(
        "none",
        description=(
            "How much of its text the student's edition may print, as its licence allows:"
            " every content paragraph, only those the sections cite, or none (the default)."
            " The teacher's edition prints them all, for the teacher's own reading."
        ),
        examples=["cited"],
    )
    licence: Prose | None = Field(
        None,
        description="The licence its text is reprinted under, if any.",
        examples=["CC BY-SA 4.0"],
    )
    attribution: Prose | None = Field(
        None,
        description="The credit its licence asks for, printed with its text.",
        examples=["Text: Wikipedia contributors, “Space Race”, CC BY-SA 4.0."],
    )


class GuideConfig(Node):
    title: Prose = Field(description="The guide's title.", examples=["Racing Together?"])
    subtitle: Prose | None = Field(
        None,
        description="A line under the title on the cover.",
        examples=["The printing press in Europe"],
    )
    authors: Annotated[list[Prose], Field(min_length=1)] = Field(
        description="Who wrote the guide.", examples=[["Ms Rivera"]]
    )
    audience: Prose = Field(description="Who it is for.", examples=["Students aged 14–18"])
    language: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = (
        Field(
            description="The guide's language: hyphenation, quotation marks, the cover's date, "
            "screen readers.",
            examples=["en-GB"],
        )
    )
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] = Field(
        description="The date of this edition, YYYY-MM-DD: the PDF's date.",
        examples=["2026-11-23"],
    )
    layout: Text = Field(
        "student", description="The layout `guide build` uses by default.", examples=["teacher"]
    )
    paper: Literal[PAPER_SIZES] | None = Field(  # type: ignore[valid-type]
        None, description="A4 or Letter (default: the layout's, else A4).", examples=["Letter"]
    )
    introduction: Prose | None = Field(
        None,
        description="A paragraph for the reader, after the contents.",
        examples=["Read each summary, then check the dates in the chronology."],
    )
    objectives: list[Prose] = Field(
        [],
        description="What a student should be able to do after the guide (teacher layout).",
        examples=[["Put the main events of 1961–1966 in order."]],
    )
    sources: Annotated[list[Source], Field(min_length=1)] = Field(
        description="The source documents the guide summarizes, in reading order."
    )
    events: Text = Field(
        "events.yaml", description="The file of events.", examples=["items/events.yaml"]
    )
    people: Text = Field(
        "people.yaml", description="The file of people.", examples=["items/people.yaml"]
    )
    glossary: Text = Field(
        "glossary.yaml", description="The file of terms.", examples=["items/glossary.yaml"]
    )
    questions: Text = Field(
        "questions.yaml", description="The file of questions.", examples=["items/questions.yaml"]
    )

    @field_validator("paper", mode="before")
    @classmethod
    def _any_case(cls, value: Any) -> Any:
        """`a4` or `letter` as A4 or Letter: the case of a paper size tells nothing."""
        if isinstance(value, str):
            return next((p for p in PAPER_SIZES if p.lower() == value.strip().lower()), value)
        return value

    @field_validator("date")
    @classmethod
    def _real_day(cls, value: str) -> str:
        point = parse_date(value)  # raises for 2026-02-30
        if point.start.day is None:
            raise ValueError("expected a full date YYYY-MM-DD")
        return value


class Quotation(Node):
    text: Quoted = Field(
        description="Words quoted exactly as they stand in the section's paragraphs, without "
        "quotation marks (the layout prints the language's own).",
        examples=["the first media event"],
    )
    by: Ref | None = Field(None, description="The id of the person quoted.", examples=["luther"])


class Section(Node):
    id: Id = Field(description="How citations name this section.", examples=["invention"])
    title: Prose = Field(description="The summary's heading.", examples=["Gutenberg's invention"])
    paragraphs: Paragraphs = Field(description="The paragraphs of the source it summarizes.")
    summary: Prose = Field(
        description="What those paragraphs say, in your own words.",
        examples=["Gutenberg, a goldsmith, built a press with movable type around 1440."],
    )
    key_points: list[Prose] = Field(
        [],
        description="The points to remember, as a list.",
        examples=[["Movable type made printing fast."]],
    )
    events: list[Ref] = Field(
        [], description="Ids of the events it tells of.", examples=[["press-built", "bible"]]
    )
    people: list[Ref] = Field(
        [], description="Ids of the people it names.", examples=[["gutenberg"]]
    )
    terms: list[Ref] = Field(
        [], description="Ids of the terms it uses.", examples=[["movable-type"]]
    )
    questions: list[Ref] = Field(
        [], description="Ids of the questions it raises.", examples=[["why-type"]]
    )
    quotations: list[Quotation] = Field([], description="Words quoted from its paragraphs.")

    _paragraphs = field_validator("paragraphs", mode="before")(parse_paragraphs)


def _outside_sources(what: str, example: str) -> Any:
    """The optional key by which an author marks what an item adds from outside its sources."""
    return Field(
        None,
        description=f"A sentence on what {what} from outside the sources, and where that "
        "comes from; the teacher's edition prints it, so that outside knowledge is never taken "
        "for the sources' own.",
        examples=[example],
    )


class Event(Node):
    id: Id = Field(description="How sections cite this event.", examples=["press-built"])
    date: Date = Field(
        description="When it happened: as precise as the source allows; `c. 1440` when the "
        "source gives an estimate."
    )
    title: Prose = Field(
        description="What happened, in a line.", examples=["Gutenberg prints with movable type"]
    )
    description: Prose | None = Field(
        None,
        description="A few sentences more.",
        examples=["The first major book printed in Europe with movable type."],
    )
    date_note: Prose | None = Field(
        None,
        description="A sentence on how the date was worked out (an approximate date is "
        "written in `date`: `c. 1440`).",
        examples=["The source says only that it came ten days after the inauguration."],
    )
    outside_sources: Prose | None = _outside_sources(
        "the event adds",
        "The day, 12 April 1961, is not in the sources: it is the date reference works give "
        "(Encyclopaedia Britannica, 'Yuri Gagarin').",
    )

    model_config = ConfigDict(arbitrary_types_allowed=True)
    _date = field_validator("date", mode="before")(_as_date)

    @field_validator("date_note")
    @classmethod
    def _a_sentence(cls, note: str | None, info: ValidationInfo) -> str | None:
        """The note is printed as a sentence under the date ("About the date: about" was
        what a precision word gave); the precision belongs in the date itself."""
        if note and is_precision_word(note):
            date = info.data.get("date")
            written = with_precision(date.written if date else "YYYY", note)
            raise PydanticCustomError(
                "precision_word", "a word on the date's precision", {"date": written}
            )
        return note


class Person(Node):
    id: Id = Field(description="How sections cite this person.", examples=["gutenberg"])
    name: Prose = Field(description="The name as printed.", examples=["Johannes Gutenberg"])
    native_name: Prose | None = Field(
        None, description="The name in its own script.", examples=["Сергей Павлович Королёв"]
    )
    born: Date | None = Field(None, description="Date of birth.", examples=["1400"])
    died: Date | None = Field(None, description="Date of death.", examples=["1468-02-03"])
    role: Prose = Field(description="What they were, in a few words.", examples=["Goldsmith"])
    bio: Prose = Field(
        description="Two or three sentences for the sidebar.",
        examples=["A goldsmith of Mainz who printed with movable metal type."],
    )
    aliases: list[Prose] = Field(
        [], description="Other names a summary may use for them.", examples=[["Gutenberg"]]
    )
    outside_sources: Prose | None = _outside_sources(
        "the sidebar adds",
        "His dates and his work as a goldsmith come from the Gutenberg Museum, Mainz, not the "
        "source.",
    )

    model_config = ConfigDict(arbitrary_types_allowed=True)
    _dates = field_validator("born", "died", mode="before")(_as_date)


class Term(Node):
    id: Id = Field(description="How sections cite this term.", examples=["movable-type"])
    term: Prose = Field(description="The term as the glossary lists it.", examples=["movable type"])
    expansion: Prose | None = Field(
        None, description="What an abbreviation stands for.", examples=["Lunar Orbital Module"]
    )
    definition: Prose = Field(
        description="What it means, in a sentence or two.",
        examples=["Single letters cast in metal, set into lines to print a page."],
    )
    aliases: list[Prose] = Field(
        [], description="Other forms linked to it in summaries.", examples=[["types"]]
    )
    outside_sources: Prose | None = _outside_sources(
        "the definition adds",
        "The sources do not explain the term: the definition follows the Oxford English "
        "Dictionary.",
    )


class Question(Node):
    id: Id = Field(description="How sections cite this question.", examples=["why-type"])
    prompt: Prose = Field(
        description="The question as students read it.",
        examples=["Why did movable type make books cheaper?"],
    )
    level: Literal[LEVELS] = Field(  # type: ignore[valid-type]
        description="How much thinking it asks for, from recall to creation.",
        examples=["understanding"],
    )
    teacher_notes: Prose = Field(
        description="Notes for the teacher (teacher layout only).",
        examples=["Letters were used again; many copies could be printed quickly."],
    )
    suggested_answer: Prose | None = Field(
        None,
        description="An answer (teacher layout only).",
        examples=["Because type was set once and printed many times."],
    )
    outside_sources: Prose | None = _outside_sources(
        "the teacher notes or suggested answer take",
        "The price of a copied book is not in the source: see Eisenstein, The Printing Press "
        "as an Agent of Change (1979).",
    )
    answer_lines: Annotated[int, Field(ge=2, le=20)] | None = Field(
        None, description="Ruled lines for the answer (default: by level).", examples=[4]
    )
    answer_words: Annotated[int, Field(ge=5, le=1000)] | None = Field(
        None,
        description=(
            "How long an answer the question asks for, in words: the layout rules as many"
            " lines as that takes in handwriting (its `words_per_answer_line`). Instead of"
            " `answer_lines`."
        ),
        examples=[200],
    )

    @model_validator(mode="after")
    def _one_answer_length(self) -> Question:
        if self.answer_lines is not None and self.answer_words is not None:
            raise ValueError(
                "give answer_lines or answer_words, not both — answer_words rules the lines"
                " each layout needs for that many handwritten words"
            )
        return self


class ItemFile(Node):
    """Any YAML file of items: a section file or one of the item files."""

    sections: list[Section] = Field([], description="The section summaries of one source.")
    events: list[Event] = Field([], description="Dated events, for the chronology.")
    people: list[Person] = Field([], description="People, for the sidebars.")
    terms: list[Term] = Field([], description="Terms, for the glossary.")
    questions: list[Question] = Field([], description="Discussion questions.")


# --- validation ------------------------------------------------------------------------------


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
    "events": "event",
    "people": "person",
    "terms": "term",
    "questions": "question",
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


def _describe(value: Any) -> str:
    """A value as the author wrote it, for 'should be X, not …'."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return f"the text '{shorten(value, 40)}'"
    return {list: "a list", dict: "a mapping", type(None): "nothing"}.get(type(value), "a value")


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
        message = f"{name} should be {wanted}, not {_describe(value)}"
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


def resolve_inside(
    folder: Path, relative: str, document: YamlDocument, location: tuple, problems: list[Problem]
) -> Path | None:
    """A path a guide names, only if it stays inside the guide's folder once links are
    followed. Refused at the line that names it, or at the file itself if no line does."""
    written = Path(os.path.abspath(folder / relative))
    candidate = written.resolve()
    if candidate.is_relative_to(folder.resolve()):
        return candidate
    if written.is_relative_to(folder):
        message = f"'{relative}' is a link to {display_path(candidate)}, outside the guide's folder"
        hint = "copy the file itself into the guide's folder instead of linking to it"
    else:
        message = f"'{relative}' is outside the guide's folder"
        hint = "keep every file of the guide inside its folder"
    named = isinstance(document.data, dict) and location[0] in document.data
    if named:
        problems.append(document.problem(location, message, hint))
    else:  # a default name (events.yaml): the file itself is what to correct
        problems.append(Problem(written, None, None, message.split(" is ", 1)[1], hint))
    return None
