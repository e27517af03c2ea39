"""The merged guide: plain data that layouts render. Built by `merge`, read by `render_html`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .dates import PartialDate
from .errors import Problem


def paragraph_label(numbers: tuple[int, ...]) -> str:
    """(3, 4, 5, 7) -> '¶ 3–5, 7'."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return "¶ " + ", ".join(parts)


@dataclass(frozen=True)
class Citation:
    """Where an item comes from: one section of one source document."""

    source_id: str
    source_title: str
    section_id: str
    section_title: str
    paragraphs: tuple[int, ...]

    @property
    def where(self) -> str:
        return paragraph_label(self.paragraphs)

    @property
    def label(self) -> str:
        return f"{self.source_title}, {self.where}"


@dataclass
class Event:
    id: str
    date: PartialDate
    title: str
    description: str | None
    date_note: str | None
    cited_in: list[Citation] = field(default_factory=list)


@dataclass
class Person:
    id: str
    name: str
    native_name: str | None
    born: PartialDate | None
    died: PartialDate | None
    role: str
    bio: str
    aliases: list[str]
    cited_in: list[Citation] = field(default_factory=list)

    @property
    def life(self) -> str:
        """'1907–1966', 'born 1934', or '' when the guide gives no dates."""
        if self.born and self.died:
            return f"{self.born.year}–{self.died.year}"
        if self.born:
            return f"born {self.born.year}"
        if self.died:
            return f"died {self.died.year}"
        return ""


@dataclass
class Term:
    id: str
    term: str
    expansion: str | None
    definition: str
    aliases: list[str]
    cited_in: list[Citation] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.term, *self.aliases]


@dataclass
class Question:
    id: str
    number: int
    prompt: str
    level: str
    teacher_notes: str
    suggested_answer: str | None
    answer_lines: int
    cited_in: list[Citation] = field(default_factory=list)


@dataclass
class Quotation:
    text: str
    by: Person | None


@dataclass
class Section:
    id: str
    title: str
    citation: Citation
    summary: str
    key_points: list[str]
    events: list[Event]
    people: list[Person]
    terms: list[Term]
    questions: list[Question]
    quotations: list[Quotation]
    sidebars: list[Person] = field(default_factory=list)  # people first mentioned here


@dataclass
class Source:
    id: str
    title: str
    short_title: str
    author: str | None
    publisher: str | None
    year: int | None
    description: str | None
    sections: list[Section]
    repairs: list[Problem]


@dataclass
class GuideInfo:
    title: str
    subtitle: str | None
    authors: list[str]
    audience: str
    language: str
    date: str
    layout: str
    paper: str | None  # None: the layout's choice, else A4
    introduction: str | None
    objectives: list[str]


@dataclass
class Guide:
    """Everything a layout needs, in reading order."""

    name: str
    folder: Path
    info: GuideInfo
    sources: list[Source]
    chronology: list[Event]
    people: list[Person]  # in order of first mention
    glossary: list[Term]  # alphabetical
    questions: list[Question]
    warnings: list[Problem]
    files: list[Path]  # every file the guide was built from
