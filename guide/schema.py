"""The content model as typed classes: what a guide's YAML may say, checked by pydantic.

Validating a document against these models, and wording pydantic's errors with their YAML
positions, is validation.py's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from . import prose
from .dates import SYNTAX_HINT, PartialDate, is_precision_word, parse_date, with_precision
from .errors import NOWHERE, Position, describe_value, shorten
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
# A BCP 47 language tag: `de`, `de-CH`, `zh-Hant`.
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]


@dataclass(frozen=True)
class ItemKind:
    """A kind of item a guide defines once and its sections cite by id."""

    key: str  # its list in an item file and in a section: 'terms'
    one: str  # one of them, as messages name it: 'term'
    file_key: str  # the key of guide.yaml naming the file it is defined in: 'glossary'
    purpose: str  # what it is for, as the reference and the editor's schema say


# Every kind, written here only; ItemFile, Section and GuideConfig declare a field for each
# (tests/test_reference.py checks they agree), and the rest of the package reads this table.
ITEM_KINDS = (
    ItemKind("events", "event", "events", "dated events, for the chronology"),
    ItemKind("people", "person", "people", "people, for the sidebars"),
    ItemKind("terms", "term", "glossary", "terms, for the glossary"),
    ItemKind("questions", "question", "questions", "discussion questions"),
)
ITEM_KIND = {kind.key: kind for kind in ITEM_KINDS}
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
    def origin(self) -> Position:
        return self.origin_of()

    def origin_of(self, *within) -> Position:
        """The position of this mapping, or of a value inside it such as ('events', 2)."""
        if self._document is None:
            return NOWHERE
        return self._document.at(self._location + within)


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
        raise ValueError(f"{describe_value(value)} is not a date — {SYNTAX_HINT}")
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
    language: LanguageTag = Field(
        description="The guide's language: the words the layouts print, dates, hyphenation,"
        " quotation marks, sorting, screen readers.",
        examples=["en-GB"],
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
    lanes: list[Prose] = Field(
        [],
        description=(
            "The lanes of the drawn timeline, in the order they are drawn: each event's"
            " `lane:` names one. Without lanes, the timeline has one."
        ),
        examples=[["United States", "Soviet Union"]],
    )

    @field_validator("lanes")
    @classmethod
    def _distinct_lanes(cls, lanes: list[str]) -> list[str]:
        seen: set[str] = set()
        for lane in lanes:
            if lane.casefold() in seen:
                raise ValueError(f"the lane '{lane}' is declared twice — declare each once")
            seen.add(lane.casefold())
        return lanes

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
    lang: LanguageTag | None = Field(
        None,
        description="The language of the words quoted, when it is not the guide's: their"
        " hyphenation, quotation marks and what a screen reader reads them as.",
        examples=["de"],
    )


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
    lane: Prose | None = Field(
        None,
        description="The lane of the drawn timeline it stands in: one of guide.yaml's `lanes:`.",
        examples=["Soviet Union"],
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
    native_name_lang: LanguageTag | None = Field(
        None,
        description="The language of the native name (default: the guide's).",
        examples=["ru"],
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
    lang: LanguageTag | None = Field(
        None,
        description="The term's language, when it is not the guide's (a Russian name of a"
        " spacecraft): its hyphenation, and what a screen reader reads it as.",
        examples=["ru"],
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
