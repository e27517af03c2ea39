"""What templates see: the guide as plain data, nothing that can act.

A layout's templates may come from someone else, so they get values, not objects: text,
numbers, true/false, tuples, mappings, and frozen data classes of those, built here from the
merged model. No path, file, function or method of ours reaches a template (the model's
`Guide` carries its folder and file list, and a path's methods read and write files); the
sandbox (sandbox.py) lets a template read these fields and call only what its allowlist
names. `tests/test_sandbox.py` walks a whole context and fails on anything else.

What needs thought is done here, once, so templates stay loops and conditionals: how a date
prints, a person's life dates, a citation's label, the summaries with their glossary links.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from markupsafe import Markup, escape

from . import cards, model, quizzes, timeline, typography
from .dates import PartialDate, direction, edition_date, life_printed, printed
from .references import reference_list


def _doc(text: str) -> Any:
    return field(metadata={"doc": text})


# Up to this many sections, a guide is a handout of a few pages, not a booklet: a page for
# its contents alone would be a quarter of it.
SHORT_GUIDE_SECTIONS = 4


@dataclass(frozen=True)
class Citation:
    """Where an item comes from: one section of one source."""

    source_id: str = _doc("the source's id")
    source_title: str = _doc("the source's short title")
    section_id: str = _doc("the section's id (its summary is `#section-<id>`)")
    section_title: str = _doc("the section's title")
    paragraphs: tuple[int, ...] = _doc("the paragraph numbers it covers")
    where: str = _doc("the paragraphs as printed: `¶ 3–5, 7`")
    label: str = _doc("source and paragraphs: `The Space Race, ¶ 3–5`")
    source_name: str = _doc("the source's name in short citations: `Smithsonian`")
    text: tuple[Paragraph, ...] = _doc(
        "those paragraphs of the source, for a review beside them (the review layout)"
    )


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a source text, as it is cited."""

    number: int = _doc("its number: ¶ 3")
    text: str = _doc("its words, as the text file has them")


@dataclass(frozen=True)
class SectionRef:
    """Paragraphs of one source, and the section that holds the first of them."""

    section_id: str = _doc("the section's id (its summary is `#section-<id>`)")
    where: str = _doc("the paragraphs, without the ¶: `3–5, 7`")


@dataclass(frozen=True)
class SourceCitation:
    """Where an item comes from in one source, in short: `Smithsonian ¶ 1–3, 7`."""

    source_id: str = _doc("the source's id")
    name: str = _doc("the source's name in short citations (`cite_as`)")
    refs: tuple[SectionRef, ...] = _doc("its paragraphs, a run per section")


@dataclass(frozen=True)
class Event:
    """A dated event of the chronology."""

    id: str = _doc("its id (its entry is `#event-<id>`)")
    date: str = _doc("the date as printed: `14–16 October 1964`, `early 1961`")
    year: int = _doc("the year it starts in")
    title: str = _doc("what happened, in a line")
    description: str | None = _doc("a few sentences more, if given")
    date_note: str | None = _doc("a sentence on how the date was worked out, if given")
    cited_in: tuple[Citation, ...] = _doc("the sections that tell of it")
    short_citations: tuple[SourceCitation, ...] = _doc("the same, a group per source")
    outside_sources: str | None = _doc(
        "what it adds from outside the sources it cites, and where that comes from, if the"
        " author said (the teacher layout prints it)"
    )


@dataclass(frozen=True)
class Person:
    """A person, for a sidebar."""

    id: str = _doc("their id (their sidebar is `#person-<id>`)")
    name: str = _doc("the name as printed")
    native_name: str | None = _doc("the name in its own script, if given")
    native_name_lang: str = _doc(
        "the native name's language tag (for `lang=`): the person's `native_name_lang`, else"
        " the guide's language"
    )
    born: str | None = _doc("date of birth as printed, if given")
    died: str | None = _doc("date of death as printed, if given")
    life: str = _doc("`1907–1966`, `born 1934`, or empty")
    role: str = _doc("what they were, in a few words")
    bio: str = _doc("two or three sentences")
    aliases: tuple[str, ...] = _doc("other names the summaries use")
    cited_in: tuple[Citation, ...] = _doc("the sections that name them")
    short_citations: tuple[SourceCitation, ...] = _doc("the same, a group per source")
    outside_sources: str | None = _doc(
        "what it adds from outside the sources it cites, and where that comes from, if the"
        " author said (the teacher layout prints it)"
    )


@dataclass(frozen=True)
class Term:
    """A glossary entry."""

    id: str = _doc("its id (its entry is `#term-<id>`)")
    term: str = _doc("the term as listed")
    expansion: str | None = _doc("what an abbreviation stands for, if given")
    definition: str = _doc("what it means")
    aliases: tuple[str, ...] = _doc("other forms linked to it")
    names: tuple[str, ...] = _doc("the term and its aliases")
    lang: str | None = _doc("the term's language tag (for `lang=`), when it is not the guide's")
    cited_in: tuple[Citation, ...] = _doc("the sections that use it")
    short_citations: tuple[SourceCitation, ...] = _doc("the same, a group per source")
    outside_sources: str | None = _doc(
        "what it adds from outside the sources it cites, and where that comes from, if the"
        " author said (the teacher layout prints it)"
    )


@dataclass(frozen=True)
class Question:
    """A discussion question."""

    id: str = _doc("its id (its entry is `#question-<id>`)")
    number: int = _doc("its number, from 1")
    prompt: str = _doc("the question as students read it")
    level: str = _doc("recall, understanding, application, analysis, evaluation or creation")
    teacher_notes: str = _doc("notes for the teacher")
    suggested_answer: str | None = _doc("an answer, if given")
    answer_lines: int = _doc(
        "ruled lines for the answer: as the question says, or for its `answer_words` at the"
        " layout's `words_per_answer_line`"
    )
    answer_words: int | None = _doc("how many words the answer should be, if the question says")
    cited_in: tuple[Citation, ...] = _doc("the sections that raise it")
    short_citations: tuple[SourceCitation, ...] = _doc("the same, a group per source")
    outside_sources: str | None = _doc(
        "what its notes take from outside the sources it cites, and where that comes from, if the"
        " author said (the teacher layout prints it)"
    )


@dataclass(frozen=True)
class Quotation:
    """Words quoted from a section's paragraphs."""

    text: str = _doc("the words, exactly as in the source")
    by: Person | None = _doc("who said them, if given")
    lang: str | None = _doc("their language tag (for `lang=`), when it is not the guide's")
    marks: Marks = _doc(
        "the quotation marks to print around them: their language's, else the guide's"
    )


@dataclass(frozen=True)
class Section:
    """One section's summary."""

    id: str = _doc("its id (its summary is `#section-<id>`)")
    title: str = _doc("the summary's heading")
    citation: Citation = _doc("the source and paragraphs it summarizes")
    summary: str = _doc("the summary as written (`summaries[section.id]` has it linked)")
    key_points: tuple[str, ...] = _doc("the points to remember")
    events: tuple[Event, ...] = _doc("the events it tells of, in date order")
    people: tuple[Person, ...] = _doc("the people it names")
    terms: tuple[Term, ...] = _doc("the terms it uses")
    questions: tuple[Question, ...] = _doc("the questions it raises")
    quotations: tuple[Quotation, ...] = _doc("the words it quotes")
    sidebars: tuple[Person, ...] = _doc(
        "the people first named here, for its sidebars (beside the text, in a layout that"
        " has a margin column)"
    )
    sidebars_in_text: tuple[Person, ...] = _doc(
        "those of its sidebars that the margin column could not hold beside the section's"
        " first lines: the build lays the pages out again with these set in the text, after"
        " the first paragraph, where they would otherwise stand a page away (empty elsewhere)"
    )


@dataclass(frozen=True)
class Source:
    """A source document and its sections."""

    id: str = _doc("its id (its part is `#source-<id>`)")
    title: str = _doc("its full title")
    short_title: str = _doc("its running head (the title if none was given)")
    author: str | None = _doc("who wrote it, if given")
    publisher: str | None = _doc("where it was published, if given")
    year: int | None = _doc("the year it was published, if given")
    description: str | None = _doc("a sentence on what it is, if given")
    reference: str = _doc(
        "its entry in the reference list (Harvard, Cite Them Right), as HTML: titles in italics"
    )
    text: tuple[Paragraph, ...] = _doc(
        "its content paragraphs with their numbers (not its title, blurb or boilerplate)"
    )
    reprinted: tuple[Paragraph, ...] = _doc(
        "those the student's edition may print: all, the cited ones, or none (`reprint`)"
    )
    printed: tuple[Paragraph, ...] = _doc(
        "those this layout prints (its option `source_texts`: all → `text`, licensed →"
        " `reprinted`, none → none)"
    )
    licence: str | None = _doc("the licence its text is reprinted under, if given")
    attribution: str | None = _doc("the credit that licence asks for, if given")
    sections: tuple[Section, ...] = _doc("its section summaries, in order")


@dataclass(frozen=True)
class Info:
    """What guide.yaml says of the guide."""

    title: str = _doc("the guide's title")
    subtitle: str | None = _doc("the line under the title, if given")
    authors: tuple[str, ...] = _doc("who wrote the guide")
    audience: str = _doc("who it is for")
    language: str = _doc("its language tag: `en`, `de-CH`")
    date: str = _doc("the date of this edition, YYYY-MM-DD (for metadata)")
    date_text: str = _doc("the date as a reader of its language writes it: `23 November 2026`")
    direction: str = _doc(
        "`rtl` for a language written from right to left (Arabic, Hebrew, Persian), else `ltr`:"
        " for `dir=` on `<html>`"
    )
    introduction: str | None = _doc("a paragraph for the reader, if given")
    objectives: tuple[str, ...] = _doc("the learning objectives")


@dataclass(frozen=True)
class Marks:
    """The quotation marks of the guide's language, for marks a template prints itself
    (around a quotation); the texts it is given have theirs already."""

    open: str = _doc("the opening mark: `“` in English, `„` in German, `«` and a space in French")
    close: str = _doc("the closing mark: `”` in English, `“` in German, a space and `»` in French")
    inner_open: str = _doc("the opening mark of a quotation inside one: `‘`, `‚`, `“`")
    inner_close: str = _doc("the closing mark of a quotation inside one: `’`, `‘`, `”`")


@dataclass(frozen=True)
class Card:
    """A flashcard: a glossary term, a person or an event, a front and a back."""

    id: str = _doc("`term-<id>`, `person-<id>` or `event-<id>`: unique in the guide")
    kind: str = _doc("`term`, `person` or `event`")
    front: str = _doc("the term, the person's name or the event's title")
    front_detail: str | None = _doc(
        "under it: the abbreviation's expansion, or the name in its own script, if given"
    )
    front_lang: str | None = _doc("the language tag of the front's detail or term, if its own")
    back_heading: str | None = _doc("the back's first line: the person's role, the event's date")
    back_note: str | None = _doc("a person's life dates, if given")
    back: str = _doc(
        "the definition, the bio, or the event's first sentence: cut at a sentence if it"
        " would not fit the card even at `size` smaller (then `cut` is true)"
    )
    size: str = _doc("`''`, `small` or `smaller`: the size the back fits at (cards.py)")
    cut: bool = _doc("the back was cut: the card should say where to read on")
    whole: str = _doc("the back's text uncut, for a screen (the Anki deck)")


@dataclass(frozen=True)
class Choice:
    """One lettered choice of a matching question."""

    letter: str = _doc("`a`, `b`…")
    text: str = _doc("a definition, or a person's role")


@dataclass(frozen=True)
class Prompt:
    """One numbered prompt of a matching question, with its answer (for a key)."""

    number: int = _doc("its number, from 1")
    text: str = _doc("the term, or the person's name")
    answer: str = _doc("the letter of its choice")


@dataclass(frozen=True)
class Matching:
    """A matching question: each prompt is answered by exactly one choice."""

    prompts: tuple[Prompt, ...] = _doc("in this version's order")
    choices: tuple[Choice, ...] = _doc("in this version's order, lettered")


@dataclass(frozen=True)
class Dated:
    """An event to put in order, with its place (for a key)."""

    letter: str = _doc("`a`, `b`…")
    text: str = _doc("the event's title")
    place: int = _doc("its place in date order, 1 the earliest")
    date: str = _doc("its date as printed (for a key)")


@dataclass(frozen=True)
class Quiz:
    """One version of the quiz made from the guide's items (quizzes.py)."""

    version: str = _doc("`A`, `B` or `C`: the same questions in another order")
    terms: Matching | None = _doc("match terms to definitions, if the glossary has two or more")
    people: Matching | None = _doc("match people to their roles, if there are two or more")
    events: tuple[Dated, ...] = _doc(
        "events to put in date order (up to six, spread over the chronology; none if fewer"
        " than three have distinct dates)"
    )


@dataclass(frozen=True)
class Guide:
    """Everything a layout renders, in reading order."""

    name: str = _doc("the guide folder's name")
    info: Info = _doc("what guide.yaml says")
    sources: tuple[Source, ...] = _doc("the sources, in reading order")
    chronology: tuple[Event, ...] = _doc("every event, in date order")
    people: tuple[Person, ...] = _doc("every person, in order of first mention")
    glossary: tuple[Term, ...] = _doc("every term, in alphabetical order")
    questions: tuple[Question, ...] = _doc("every question, in order")
    short: bool = _doc(
        f"a guide of {SHORT_GUIDE_SECTIONS} sections or fewer: a handout of a few pages, where"
        " the student layout puts the contents on the cover page"
    )
    cards: tuple[Card, ...] = _doc(
        "every term, person and event as a flashcard: the glossary's, then the people's, then"
        " the chronology's; made only for a layout whose option `cards` is true (empty"
        " otherwise)"
    )
    quizzes: tuple[Quiz, ...] = _doc(
        "the quiz in versions A, B and C, or none if the guide has too few items to ask"
    )


@dataclass(frozen=True)
class TimelineText:
    """A text of a page of the drawn timeline, set over its drawing in mm from its top
    left: an event's label, which links to its entry in the chronology, or a lane's name.
    Set in HTML rather than in the SVG: WeasyPrint writes an SVG's text without its spaces
    and makes no link of an SVG's `<a>`."""

    lines: tuple[str, ...] = _doc("its lines, as broken to fit its place")
    x: float = _doc("its left edge")
    y: float = _doc("its top")
    width: float = _doc("its width")
    height: float = _doc("its height: its lines at the page's `line_height`")
    ink: str = _doc("its colour: a label's the text's, a lane's name its lane's")
    event_id: str = _doc("the event it names (its entry is `#event-<id>`); empty for a lane")


@dataclass(frozen=True)
class TimelinePage:
    """One page of the drawn timeline: a period of the chronology, to scale."""

    drawing: str = _doc(
        "the SVG elements of the drawing (axis, lanes, marks, labels), for inside an"
        ' `<svg viewBox="{{ page.view_box }}">` element the template writes with its alt text'
    )
    width: float = _doc("the drawing's width in mm")
    height: float = _doc("the drawing's height in mm")
    view_box: str = _doc("the drawing's coordinates, in mm: `0 0 170 182.4`")
    first_year: int = _doc("the year its first event starts in")
    last_year: int = _doc("the year its last event ends in")
    years: str = _doc("its period as printed: `1961–1968`")
    part: int = _doc("its number, from 1")
    events: int = _doc("how many events it draws")
    labels: tuple[TimelineText, ...] = _doc("each event's label, lane by lane, in date order")
    heads: tuple[TimelineText, ...] = _doc("each lane's name, over its column")
    label_size: float = _doc("the labels' size in pt (the layout's `timeline: label_size`)")
    line_height: float = _doc("the height of a label's line in mm")


@dataclass(frozen=True)
class TimelineLane:
    """A lane of the drawn timeline."""

    name: str = _doc("its name, as guide.yaml's `lanes:` declares it (empty for a guide without)")
    events: int = _doc("how many events it holds")


@dataclass(frozen=True)
class Timeline:
    """The chronology drawn to scale (guide/timeline.py): a page, or several, each a period."""

    pages: tuple[TimelinePage, ...] = _doc(
        "its pages, in date order: one up to about 40 events, more where the chronology is"
        " split by period"
    )
    lanes: tuple[TimelineLane, ...] = _doc("its lanes, in the order drawn (one without lanes)")
    events: int = _doc("how many events it draws")
    first_year: int = _doc("the year the first event starts in")
    last_year: int = _doc("the year the last event ends in")
    years: str = _doc("the span as printed: `1961–1997`")


TEMPLATE_DATA = (
    TimelineText,
    TimelinePage,
    TimelineLane,
    Timeline,
    Citation,
    Paragraph,
    SectionRef,
    SourceCitation,
    Event,
    Person,
    Term,
    Question,
    Quotation,
    Section,
    Source,
    Info,
    Marks,
    Card,
    Choice,
    Prompt,
    Matching,
    Dated,
    Quiz,
    Guide,
)
FIELDS = {kind: frozenset(f.name for f in fields(kind)) for kind in TEMPLATE_DATA}


def variables(
    guide: model.Guide,
    layout: str,
    options: dict,
    paper: str,
    marker: ProseMarker | None = None,
    in_text: frozenset[str] = frozenset(),
    words: Callable[[str], str] = str,
) -> dict[str, Any]:
    """The variables every template sees (see docs/templates.md). `marker`, when the caller
    has one for this guide (for the `marked` filter), marks the summaries too. `in_text`:
    the people whose sidebars go in the text (placement.py decides, from a first layout).
    `words`: the catalogue's gettext (messages.py), for the words of dates."""
    data = _Converter(
        guide,
        options.get("words_per_answer_line", WORDS_PER_ANSWER_LINE),
        options.get("source_texts", "none"),
        in_text,
        words,
        cards=bool(options.get("cards")),
    ).guide()
    marker = marker or ProseMarker.for_guide(guide.glossary, guide.people)
    # Summaries are linked per section so each summary links its own first uses.
    summaries = {
        section.id: tuple(marker.mark(p) for p in paragraphs(section.summary))
        for source in data.sources
        for section in source.sections
    }
    key_points = {
        section.id: tuple(marker.mark(point, link_terms=False) for point in section.key_points)
        for source in data.sources
        for section in source.sections
    }
    return {
        "guide": data,
        "info": data.info,
        "summaries": summaries,
        "key_points": key_points,
        "marks": marks_of(guide.info.language),
        "options": _plain(options),
        "layout": layout,
        "paper": paper,
        "timeline": timeline_of(guide, options, words),
    }


def timeline_of(
    guide: model.Guide, options: dict, words: Callable[[str], str] = str
) -> Timeline | None:
    """The drawn timeline for a layout's `timeline:` options (timeline.py), or None for a
    guide without events."""
    from .messages import OTHER_LANE

    style = timeline.Style.from_options(options)
    figures = timeline.figures(guide, style, guide.info.language, words(OTHER_LANE))
    if not figures:
        return None
    lanes = timeline.lanes_of(guide)
    counts = timeline.lanes_count(guide.chronology, lanes)
    named = [name or (words(OTHER_LANE) if len(lanes) > 1 else "") for name in lanes]
    first = min(f.first_year for f in figures)
    last = max(f.last_year for f in figures)
    return Timeline(
        pages=tuple(
            TimelinePage(
                drawing=Markup(figure.drawing),  # noqa: S704 - made by timeline.py, escaped there
                width=figure.width,
                height=figure.height,
                view_box=f"0 0 {figure.width:g} {figure.height:g}",
                first_year=figure.first_year,
                last_year=figure.last_year,
                years=timeline.years_text(figure.first_year, figure.last_year),
                part=number,
                events=len(figure.events),
                labels=tuple(_timeline_text(text) for text in figure.labels),
                heads=tuple(_timeline_text(text) for text in figure.heads),
                label_size=style.label_size,
                line_height=round(style.line, 3),
            )
            for number, figure in enumerate(figures, start=1)
        ),
        lanes=tuple(TimelineLane(n, c) for n, c in zip(named, counts, strict=True)),
        events=len(guide.chronology),
        first_year=first,
        last_year=last,
        years=timeline.years_text(first, last),
    )


def _timeline_text(text: timeline.Text) -> TimelineText:
    return TimelineText(
        text.lines,
        round(text.x, 2),
        round(text.y, 2),
        round(text.width + 0.5, 2),  # the measure's rounding: never a line broken again
        round(text.height, 2),
        text.ink,
        text.event_id,
    )


def paragraphs(text: str | None) -> tuple[str, ...]:
    """Blank lines separate paragraphs; single newlines are just spaces (the `paragraphs`
    filter)."""
    if not text:
        return ()
    return tuple(
        " ".join(block.split())
        for block in re.split(r"\n\s*\n", str(text).strip())
        if block.strip()
    )


def _plain(value: Any) -> Any:
    """A layout option as plain data: YAML gives only these kinds, but a dict or list of them
    is copied, so a template cannot change what the next render sees."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _cards(
    glossary: tuple[Term, ...], people: tuple[Person, ...], chronology: tuple[Event, ...]
) -> tuple[Card, ...]:
    made = []
    for t in glossary:
        size, back, cut = cards.fit(t.definition)
        made.append(
            Card(
                id=f"term-{t.id}",
                kind="term",
                front=t.term,
                front_detail=t.expansion,
                front_lang=t.lang,
                back_heading=None,
                back_note=None,
                back=back,
                size=size,
                cut=cut,
                whole=t.definition,
            )
        )
    for p in people:
        role = cards.unbreakable(p.role)  # a heading ends on two words, as the back does
        size, back, cut = cards.fit(p.bio, role, p.life or None)
        native = p.native_name if p.native_name != p.name else None
        made.append(
            Card(
                id=f"person-{p.id}",
                kind="person",
                front=p.name,
                front_detail=native,
                front_lang=p.native_name_lang if native else None,
                back_heading=role,
                back_note=p.life or None,
                back=back,
                size=size,
                cut=cut,
                whole=p.bio,
            )
        )
    for e in chronology:
        line = cards.first_sentence(e.description)
        size, back, cut = cards.fit(line, e.date)
        made.append(
            Card(
                id=f"event-{e.id}",
                kind="event",
                front=e.title,
                front_detail=None,
                front_lang=None,
                back_heading=e.date,
                back_note=None,
                back=back,
                size=size,
                cut=cut,
                whole=line,
            )
        )
    return tuple(made)


def _quizzes(
    name: str,
    glossary: tuple[Term, ...],
    people: tuple[Person, ...],
    chronology: tuple[Event, ...],
    dated: list[model.Event],
) -> tuple[Quiz, ...]:
    # A definition's first sentence: a choice is read among eight, not studied.
    definitions = [(t.term, cards.first_sentence(t.definition)) for t in glossary]
    terms = quizzes.chosen(definitions, quizzes.MOST_MATCHED, name)
    roles = quizzes.chosen([(p.name, p.role) for p in people], quizzes.MOST_MATCHED, name)
    when = {e.id: e.date.sort_key for e in dated}
    events = quizzes.in_order([(e.id, when[e.id]) for e in chronology], quizzes.MOST_ORDERED)
    by_id = {e.id: e for e in chronology}
    if len(terms) < 2 and len(roles) < 2 and len(events) < 3:
        return ()

    def matching(pairs: list[tuple[str, str]], version: str, question: str) -> Matching | None:
        if len(pairs) < 2:
            return None
        made = quizzes.matched(pairs, quizzes.seed(name, version, question))
        letters = quizzes.LETTERS
        return Matching(
            tuple(
                Prompt(n, text, letters[made.key[n - 1]])
                for n, text in enumerate(made.prompts, start=1)
            ),
            tuple(Choice(letters[i], text) for i, text in enumerate(made.choices)),
        )

    made = []
    for version in quizzes.VERSIONS:
        order = quizzes.ordered(events, quizzes.seed(name, version, "events"))
        made.append(
            Quiz(
                version,
                matching(terms, version, "terms"),
                matching(roles, version, "people"),
                tuple(
                    Dated(quizzes.LETTERS[i], by_id[key].title, place, by_id[key].date)
                    for i, (key, place) in enumerate(zip(order.shown, order.places, strict=True))
                )
                if len(events) >= 3
                else (),
            )
        )
    return tuple(made)


def marks_of(language: str) -> Marks:
    """A language's quotation marks (typography.py), as template data."""
    return Marks(**dataclasses.asdict(typography.marks(language)))


class _Converter:
    """The merged model as template data; each item converted once, so that a person in a
    sidebar is the same value as in `guide.people`."""

    def __init__(
        self,
        guide: model.Guide,
        words_per_line: float,
        source_texts: str,
        in_text: frozenset[str] = frozenset(),
        words: Callable[[str], str] = str,
        cards: bool = False,
    ):
        self.model = guide
        self.words = words  # the catalogue's gettext (messages.py): the words of dates
        # Fitting each card's back measures its words (cards.py): 50 ms of the flagship's
        # 80 ms here, so made only for a layout that prints them (its option `cards`).
        self.cards = cards
        self.in_text = in_text
        self.words_per_line = words_per_line
        self.source_texts = source_texts
        # The sources' paragraphs as printed (the review beside claims, the sources' part):
        # typeset as the guide's own text is, quotes and dashes the language's.
        language = guide.info.language
        self.texts = {
            source.id: {n: typography.educate(t, language) for n, t in source.paragraphs.items()}
            for source in guide.sources
        }
        ids = [source.id for source in guide.sources]
        self.references = dict(zip(ids, reference_list(guide), strict=True))
        self.cited: dict[tuple[str, tuple[int, ...]], tuple[Paragraph, ...]] = {}
        self.events: dict[str, Event] = {}
        self.people: dict[str, Person] = {}
        self.terms: dict[str, Term] = {}
        self.questions: dict[str, Question] = {}

    def guide(self) -> Guide:
        g = self.model
        info = g.info
        glossary = tuple(self.term(t) for t in g.glossary)
        people = tuple(self.person(p) for p in g.people)
        chronology = tuple(self.event(e) for e in g.chronology)
        return Guide(
            name=g.name,
            info=Info(
                title=info.title,
                subtitle=info.subtitle,
                authors=tuple(info.authors),
                audience=info.audience,
                language=info.language,
                date=info.date,
                date_text=edition_date(info.date, info.language),
                direction=direction(info.language),
                introduction=info.introduction,
                objectives=tuple(info.objectives),
            ),
            sources=tuple(self.source(s) for s in g.sources),
            chronology=chronology,
            people=people,
            glossary=glossary,
            questions=tuple(self.question(q) for q in g.questions),
            short=sum(len(s.sections) for s in g.sources) <= SHORT_GUIDE_SECTIONS,
            cards=_cards(glossary, people, chronology) if self.cards else (),
            quizzes=_quizzes(g.name, glossary, people, chronology, g.chronology),
        )

    def source(self, s: model.Source) -> Source:
        return Source(
            id=s.id,
            title=s.title,
            short_title=s.short_title,
            author=s.author,
            publisher=s.publisher,
            year=s.year,
            description=s.description,
            reference=self.references[s.id],
            text=(text := _content(self.texts[s.id])),
            reprinted=(reprinted := _reprinted(s, text)),
            printed={"all": text, "licensed": reprinted}.get(self.source_texts, ()),
            licence=s.licence,
            attribution=s.attribution,
            sections=tuple(self.section(section) for section in s.sections),
        )

    def section(self, s: model.Section) -> Section:
        return Section(
            id=s.id,
            title=s.title,
            citation=self.citation(s.citation),
            summary=s.summary,
            key_points=tuple(s.key_points),
            # In date order, as its "Timeline:" line names them, whatever order it cites them in.
            events=tuple(self.event(e) for e in sorted(s.events, key=lambda e: e.date.sort_key)),
            people=tuple(self.person(p) for p in s.people),
            terms=tuple(self.term(t) for t in s.terms),
            questions=tuple(self.question(q) for q in s.questions),
            quotations=tuple(
                Quotation(
                    q.text,
                    self.person(q.by) if q.by else None,
                    q.lang,
                    marks_of(q.lang or self.model.info.language),
                )
                for q in s.quotations
            ),
            sidebars=tuple(self.person(p) for p in s.sidebars if p.id not in self.in_text),
            sidebars_in_text=tuple(self.person(p) for p in s.sidebars if p.id in self.in_text),
        )

    def date(self, date: PartialDate) -> str:
        return printed(date, self.model.info.language, self.words)

    def event(self, e: model.Event) -> Event:
        if e.id not in self.events:
            self.events[e.id] = Event(
                id=e.id,
                date=self.date(e.date),
                year=e.date.year,
                title=e.title,
                description=e.description,
                date_note=e.date_note,
                cited_in=self.citations(e.cited_in),
                short_citations=_short_citations(e.cited_in),
                outside_sources=e.outside_sources,
            )
        return self.events[e.id]

    def person(self, p: model.Person) -> Person:
        if p.id not in self.people:
            self.people[p.id] = Person(
                id=p.id,
                name=p.name,
                native_name=p.native_name,
                native_name_lang=p.native_name_lang or self.model.info.language,
                born=self.date(p.born) if p.born else None,
                died=self.date(p.died) if p.died else None,
                life=life_printed(p.born, p.died, self.words),
                role=p.role,
                bio=p.bio,
                aliases=tuple(p.aliases),
                cited_in=self.citations(p.cited_in),
                short_citations=_short_citations(p.cited_in),
                outside_sources=p.outside_sources,
            )
        return self.people[p.id]

    def term(self, t: model.Term) -> Term:
        if t.id not in self.terms:
            self.terms[t.id] = Term(
                id=t.id,
                term=t.term,
                expansion=t.expansion,
                definition=t.definition,
                aliases=tuple(t.aliases),
                names=tuple(t.names),
                lang=t.lang,
                cited_in=self.citations(t.cited_in),
                short_citations=_short_citations(t.cited_in),
                outside_sources=t.outside_sources,
            )
        return self.terms[t.id]

    def question(self, q: model.Question) -> Question:
        if q.id not in self.questions:
            self.questions[q.id] = Question(
                id=q.id,
                number=q.number,
                prompt=q.prompt,
                level=q.level,
                teacher_notes=q.teacher_notes,
                suggested_answer=q.suggested_answer,
                answer_lines=_answer_lines(q, self.words_per_line),
                answer_words=q.answer_words,
                cited_in=self.citations(q.cited_in),
                short_citations=_short_citations(q.cited_in),
                outside_sources=q.outside_sources,
            )
        return self.questions[q.id]

    def citation(self, c: model.Citation) -> Citation:
        key = (c.source_id, c.paragraphs)
        if key not in self.cited:  # each run of paragraphs once, however often it is cited
            text = self.texts.get(c.source_id, {})
            self.cited[key] = tuple(Paragraph(n, text[n]) for n in c.paragraphs if n in text)
        return Citation(
            c.source_id,
            c.source_title,
            c.section_id,
            c.section_title,
            c.paragraphs,
            c.where,
            c.label,
            c.source_name or c.source_title,
            self.cited[key],
        )

    def citations(self, citations: list[model.Citation]) -> tuple[Citation, ...]:
        return tuple(self.citation(c) for c in citations)


# A 14-year-old's handwriting on a 17 cm line ruled 8 mm apart: about 10 words. A layout with
# shorter or taller lines says its own (booklet, large print).
WORDS_PER_ANSWER_LINE = 10


def _answer_lines(question: model.Question, words_per_line: float) -> int:
    """As many lines as the answer's words take in handwriting, plus one: nobody fills the
    last line to its end."""
    if question.answer_words is None:
        return question.answer_lines
    return math.ceil(question.answer_words / words_per_line) + 1


def _content(printed: dict[int, str]) -> tuple[Paragraph, ...]:
    """A source's paragraphs with their ¶ numbers: its content only, as merge numbered it
    (the title, blurb and notices not_content names are not among them)."""
    return tuple(Paragraph(n, t) for n, t in printed.items())


def _reprinted(source: model.Source, text: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
    if source.reprint == "full":
        return text
    if source.reprint == "cited":
        cited = {n for section in source.sections for n in section.citation.paragraphs}
        return tuple(p for p in text if p.number in cited)
    return ()


def _short_citations(citations: list[model.Citation]) -> tuple[SourceCitation, ...]:
    return tuple(
        SourceCitation(source_id, name, tuple(SectionRef(r.section_id, r.where) for r in refs))
        for source_id, name, refs in model.short_citations(citations)
    )


# A text of this many words or more never ends on a line of one word: its last two are tied
# (fewer, as an event's title in a list of references, and the pair is most of the text)...
RUNT_WORDS = 3
# ...unless they are longer than this together: a line of a sidebar holds about 30.
TIED_CHARACTERS = 28
# A word long enough to be hyphenated (7 letters, as the layouts' hyphenate-limit-chars);
# marked only when capitalized.
_LONG_WORD = re.compile(r"[^\W\d_](?:\w|['’](?=\w)){6,}")
# A code: letters and digits joined by hyphens or slashes, with a digit in it ("7K-L3",
# "N1/L3", "R-7"). Broken at its hyphen it reads as two words, so it is never broken.
_CODE = re.compile(r"(?<![\w/-])(?=[\w/-]*\d)\w+(?:[-/]\w+)+(?![\w/-])")
# A range of numbers ("1961–1966", "pp. 3–5"): never broken at its dash.
_RANGE = re.compile(r"\d+–\d+")


@dataclass(frozen=True)
class ProseMarker:
    """Marks running text for the typesetter: the first use of each glossary term (or alias)
    links to its entry, every later use and every person's name is marked as a name (never
    hyphenated), and codes are marked as unbreakable. Names are known to the model, so
    hyphenation never has to guess them."""

    pattern: re.Pattern[str]
    kind_of: dict[str, tuple[str, str]]  # casefolded name -> ("term" | "name", id)

    @classmethod
    def for_guide(cls, glossary: list[model.Term], people: list[model.Person]) -> ProseMarker:
        kind_of: dict[str, tuple[str, str]] = {}
        alternatives = []
        named = [("term", t.id, name) for t in glossary for name in t.names]
        named += [("name", p.id, name) for p in people for name in [p.name, *p.aliases]]
        for kind, item_id, name in named:
            kind_of.setdefault(name.casefold(), (kind, item_id))
            # Acronyms (LK, LOK, EVA) match only in capitals; words match in any case.
            exact = kind == "name" or sum(c.isupper() for c in name) > 1
            pattern = re.escape(name) if exact else f"(?i:{re.escape(name)})"
            alternatives.append((len(name), pattern))
        alternatives.append((0, _CODE.pattern))
        alternatives.append((0, _RANGE.pattern))
        # Any other capitalized word long enough to be hyphenated: a name the guide does not
        # list ("Voskhod", "Baikonur") is broken no better than a listed one.
        alternatives.append((0, _LONG_WORD.pattern))
        # Longest first, so "N1/L3" wins over "N1" and "Sergei Korolev" over "Korolev".
        body = "|".join(alt for _, alt in sorted(alternatives, key=lambda a: -a[0]))
        return cls(re.compile(rf"(?<![\w/-])(?:{body})(?![\w/-])"), kind_of)

    def marked(self, text: Any, tie: bool = True) -> Markup:
        """The `marked` filter: names, terms and codes marked, nothing linked. Text already
        marked up (a summary) is left as it is. `marked(tie=False)` for a reference in a run
        of text (a section's title in a "See:" line), whose last word the page number
        after it holds already: tied to the word before as well, the three would go over
        the line together, or break badly."""
        if isinstance(text, Markup) or not isinstance(text, str):
            return text
        return self.mark(text, link_terms=False, tie=tie)

    def mark(self, text: str, link_terms: bool = True, tie: bool = True) -> Markup:
        """`text`, escaped and marked; with link_terms, each term's first use is a link. The
        last two words of a text of RUNT_WORDS words or more are tied (never broken apart
        or inside), so that no paragraph or heading ends on a line of one word (a runt):
        "… went / unheeded." becomes "… his call / went unheeded."."""
        linked: set[str] = set()
        tied = re.search(r"\s+(\S+)\s+(\S+)\s*$", text)
        if (
            not tie
            or tied is None
            or len(text.split()) < RUNT_WORDS
            or len(tied.group(1) + tied.group(2)) >= TIED_CHARACTERS
        ):
            return self._marked_run(text, link_terms, linked)
        first, last = tied.groups()
        # One element, opened by the space before them (for the reason _marked_run gives),
        # that space in the same run of text as the first word: alone in its element, a
        # space is not written into the PDF's text ("Sovietsin space"). A compound ends
        # unbroken at its hyphen as well.
        tail = self._marked_run(f" {first}\u00a0", link_terms, linked)
        if "-" in last:
            tail += Markup('<span class="unbroken">{}</span>').format(last)
        else:
            tail += self._marked_run(last, link_terms, linked)
        return self._marked_run(text[: tied.start()], link_terms, linked) + Markup(
            "<span>{}</span>"
        ).format(tail)

    def _marked_run(self, text: str, link_terms: bool, linked: set[str]) -> Markup:
        out, position = [], 0
        for match in self.pattern.finditer(text):
            found = match.group()
            kind, item_id = self.kind_of.get(found.casefold(), ("", ""))
            if not kind:
                code = _CODE.fullmatch(found) or _RANGE.fullmatch(found)
                kind = "code" if code else "name" if found[0].isupper() else ""
            if not kind:
                continue  # a common word: hyphenated as the language's patterns say
            # The space before the word goes inside its element. WeasyPrint (70) breaks a
            # line wrongly when an element that does not fit at the line's end follows text
            # begun on an earlier line: it cuts that text after its first word, stranding
            # the word on a line of its own (Kozea/WeasyPrint#1614). With the space inside,
            # the line breaks inside the element, as it should.
            lead = " " if match.start() > position and text[match.start() - 1] == " " else ""
            out.append(escape(text[position : match.start() - len(lead)]))
            position = match.end()
            # A term or name that is a code ("N1/L3") is unbreakable as well.
            classes = kind if kind == "code" or not _CODE.fullmatch(found) else f"{kind} code"
            classes = classes.replace("code", "unbroken")
            if kind == "term" and link_terms and item_id not in linked:
                linked.add(item_id)
                link = Markup('<a class="{}" href="#term-{}">{}</a>').format(
                    classes, item_id, found
                )
                # A plain element holds the space: the link's own box would underline it.
                out.append(Markup("<span> {}</span>").format(link) if lead else link)
            else:
                out.append(Markup('<span class="{}">{}{}</span>').format(classes, lead, found))
        out.append(escape(text[position:]))
        return Markup("").join(out)
