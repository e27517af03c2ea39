"""The merged guide: plain data that layouts render. Built by `merge`, read by `render_html`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .dates import PartialDate, life_printed
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
class SectionRef:
    """Paragraphs of one source cited under an item, and the section that holds the first."""

    section_id: str
    paragraphs: tuple[int, ...]

    @property
    def where(self) -> str:
        return paragraph_label(self.paragraphs)[2:]  # "3–5, 7": the ¶ is printed once


def short_citations(citations: list[Citation]) -> list[tuple[str, str, list[SectionRef]]]:
    """(source id, source name, refs) per source, in order of first citation: an item cited by
    sections 3–4 and 5 of one source reads `Smithsonian ¶ 3–5`, not the source twice. Runs of
    paragraphs that continue one another merge into the first section's reference; others
    stay apart, each with its own section (and so its own page)."""
    groups: dict[str, tuple[str, str, list[SectionRef]]] = {}
    for citation in citations:
        _, _, refs = groups.setdefault(
            citation.source_id,
            (citation.source_id, citation.source_name or citation.source_title, []),
        )
        refs.append(SectionRef(citation.section_id, citation.paragraphs))
    merged = []
    for source_id, name, refs in groups.values():
        refs.sort(key=lambda ref: ref.paragraphs)
        runs: list[SectionRef] = []
        for ref in refs:
            last = runs[-1] if runs else None
            if last and ref.paragraphs and last.paragraphs[-1] + 1 >= ref.paragraphs[0]:
                numbers = tuple(sorted(set(last.paragraphs) | set(ref.paragraphs)))
                runs[-1] = SectionRef(last.section_id, numbers)
            else:
                runs.append(ref)
        merged.append((source_id, name, runs))
    return merged


@dataclass(frozen=True)
class Citation:
    """Where an item comes from: one section of one source document."""

    source_id: str
    source_title: str
    section_id: str
    section_title: str
    paragraphs: tuple[int, ...]
    source_name: str = ""  # the source in short citations (`cite_as`): "Smithsonian"

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
    outside_sources: str | None = None  # what it adds from outside its sources, and whence
    lane: str | None = None  # its lane of the drawn timeline (one of GuideInfo.lanes)


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
    outside_sources: str | None = None  # what it adds from outside its sources, and whence
    native_name_lang: str = ""  # the native name's language tag: its own, else the guide's

    @property
    def life(self) -> str:
        """'1907–1966', 'c. 1400–1468', 'born 1934', or '' when the guide gives no dates (in
        English: a template gets them in the guide's language, context.py)."""
        return life_printed(self.born, self.died, str)


@dataclass
class Term:
    id: str
    term: str
    expansion: str | None
    definition: str
    aliases: list[str]
    cited_in: list[Citation] = field(default_factory=list)
    outside_sources: str | None = None  # what it adds from outside its sources, and whence
    lang: str | None = None  # its language tag, when it is not the guide's

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
    answer_lines: int  # as given, or by level
    answer_words: int | None = None  # the answer's length, when the question sets one
    cited_in: list[Citation] = field(default_factory=list)
    outside_sources: str | None = None  # what it adds from outside its sources, and whence


@dataclass
class Quotation:
    text: str
    by: Person | None
    lang: str | None = None  # the language tag of the words, when it is not the guide's


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
    # The text's content paragraphs by number (as cited: ¶ n; not the lines not_content
    # names), for the review beside the summaries and the sources' part.
    paragraphs: dict[int, str] = field(default_factory=dict)
    # Where it was read, for the reference list (references.py).
    container: str | None = None
    url: str | None = None
    published: str | None = None
    accessed: str | None = None
    # What may be printed of its text (reprint: full, cited, none), under which licence.
    reprint: str = "none"
    licence: str | None = None
    attribution: str | None = None


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
    lanes: list[str] = field(default_factory=list)  # the drawn timeline's lanes, in order


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
