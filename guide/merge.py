"""Build the one Guide model from validated files: references, provenance, chronology, checks."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import model, schema
from .errors import Problems
from .loading import SourceText

DEFAULT_ANSWER_LINES = {
    "recall": 2,
    "understanding": 3,
    "application": 4,
    "analysis": 5,
    "evaluation": 6,
    "creation": 6,
}
KINDS = ("events", "people", "terms", "questions")
KIND_NAMES = {"events": "event", "people": "person", "terms": "term", "questions": "question"}
# Where each kind is defined by default: the defaults of guide.yaml's keys, named once there.
KIND_FILES = {
    kind: schema.GuideConfig.model_fields[key].default
    for kind, key in zip(KINDS, ("events", "people", "glossary", "questions"), strict=True)
}


@dataclass
class SourceInput:
    """One source as validated: its entry in guide.yaml, its text and its sections file."""

    entry: schema.Source
    text: SourceText
    sections: schema.ItemFile


def merge(
    name: str,
    folder: Path,
    config: schema.GuideConfig,
    sources: list[SourceInput],
    item_files: list[schema.ItemFile],
    problems: Problems,
    files: list[Path],
) -> model.Guide:
    definitions = _collect_definitions([s.sections for s in sources] + item_files, problems)
    events = {i: _event(d) for i, d in definitions["events"].items()}
    people = {i: _person(d) for i, d in definitions["people"].items()}
    terms = {i: _term(d) for i, d in definitions["terms"].items()}
    questions = {
        i: _question(d, n) for n, (i, d) in enumerate(definitions["questions"].items(), start=1)
    }
    items = {"events": events, "people": people, "terms": terms, "questions": questions}

    _check_term_names(definitions["terms"], problems)
    _check_unique_source_ids(config, problems)
    seen_sections: dict[str, schema.Section] = {}
    merged_sources = []
    for source in sources:
        _check_paragraph_coverage(source, problems)
        sections = []
        for section in source.sections.sections:
            if section.id in seen_sections:
                first = seen_sections[section.id].origin
                problems.error_at(
                    section.origin,
                    f"section id '{section.id}' is used twice (first at {first.where})",
                    hint="rename one",
                )
                continue
            seen_sections[section.id] = section
            sections.append(_section(source, section, items, people, problems))
        merged_sources.append(
            model.Source(
                id=source.entry.id,
                title=source.entry.title,
                short_title=source.entry.short_title or source.entry.title,
                author=source.entry.author,
                publisher=source.entry.publisher,
                year=source.entry.year,
                description=source.entry.description,
                sections=sections,
                repairs=source.text.repairs,
            )
        )

    all_sections = [s for source in merged_sources for s in source.sections]
    _place_sidebars(all_sections)
    for kind, table in items.items():
        for item_id, item in table.items():
            if not item.cited_in:
                problems.warn_at(
                    definitions[kind][item_id].origin,
                    f"{KIND_NAMES[kind]} '{item_id}' is not referenced by any section",
                    hint=f"add it to a section's '{kind}:' list, or remove it",
                )

    info = model.GuideInfo(
        title=config.title,
        subtitle=config.subtitle,
        authors=list(config.authors),
        audience=config.audience,
        language=config.language,
        date=config.date,
        layout=config.layout,
        paper=config.paper,
        introduction=config.introduction,
        objectives=list(config.objectives),
    )
    first_mention = [p for s in all_sections for p in s.sidebars]
    return model.Guide(
        name=name,
        folder=folder,
        info=info,
        sources=merged_sources,
        chronology=sorted(events.values(), key=lambda e: e.date.sort_key),
        people=first_mention + [p for p in people.values() if p not in first_mention],
        glossary=sorted(terms.values(), key=lambda t: _sort_name(t.term)),
        questions=list(questions.values()),
        warnings=[w for s in sources for w in s.text.repairs] + problems.warnings,
        files=files,
    )


def _collect_definitions(files: list[schema.ItemFile], problems: Problems) -> dict[str, dict]:
    """Every item by id; the same item defined twice is merged, conflicting twins are errors."""
    definitions: dict[str, dict] = {kind: {} for kind in KINDS}
    for file in files:
        for kind in KINDS:
            for item in getattr(file, kind):
                first = definitions[kind].get(item.id)
                if first is None:
                    definitions[kind][item.id] = item
                elif first.model_dump() != item.model_dump():
                    problems.error_at(
                        item.origin,
                        f"{KIND_NAMES[kind]} '{item.id}' is defined "
                        f"twice with different content (first at "
                        f"{first.origin.where})",
                        hint="keep one definition, or give them different ids",
                    )
    return definitions


def _event(d: schema.Event) -> model.Event:
    return model.Event(d.id, d.date, d.title, d.description, d.date_note)


def _person(d: schema.Person) -> model.Person:
    return model.Person(d.id, d.name, d.native_name, d.born, d.died, d.role, d.bio, list(d.aliases))


def _term(d: schema.Term) -> model.Term:
    return model.Term(d.id, d.term, d.expansion, d.definition, list(d.aliases))


def _question(d: schema.Question, number: int) -> model.Question:
    lines = d.answer_lines or DEFAULT_ANSWER_LINES[d.level]
    return model.Question(
        d.id, number, d.prompt, d.level, d.teacher_notes, d.suggested_answer, lines
    )


def _sort_name(name: str) -> str:
    """Alphabetical as a reader expects: ignore case, accents and leading punctuation."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    return re.sub(r"^[^A-Za-z0-9]+", "", plain).casefold()


def _check_unique_source_ids(config: schema.GuideConfig, problems: Problems) -> None:
    seen: set[str] = set()
    for entry in config.sources:
        if entry.id in seen:
            problems.error_at(entry.origin_of("id"), f"source id '{entry.id}' is used twice")
        seen.add(entry.id)


def _check_term_names(terms: dict[str, schema.Term], problems: Problems) -> None:
    owner: dict[str, str] = {}
    for term in terms.values():
        for name in [term.term, *term.aliases]:
            key = name.casefold()
            if key in owner and owner[key] != term.id:
                problems.error_at(
                    term.origin,
                    f"'{name}' names both term '{owner[key]}' and term '{term.id}'",
                    hint="a name or alias may belong to one term",
                )
            owner.setdefault(key, term.id)


def _check_paragraph_coverage(source: SourceInput, problems: Problems) -> None:
    """Each paragraph summarized by exactly one section or declared not content."""
    count = len(source.text.paragraphs)
    claimed: dict[int, str] = {}
    claims = [(s, s.paragraphs, f"section '{s.id}'") for s in source.sections.sections]
    claims += [(n, n.paragraphs, "not_content") for n in source.entry.not_content]
    for node, numbers, claimant in claims:
        for number in numbers:
            if number > count:
                problems.error_at(
                    node.origin_of("paragraphs"),
                    f"paragraph {number} does not exist: "
                    f"{source.text.path.name} has {count} paragraphs",
                    hint="paragraph N is the N-th non-empty line of the text",
                )
            elif number in claimed:
                problems.error_at(
                    node.origin_of("paragraphs"),
                    f"paragraph {number} is claimed by {claimed[number]} and by {claimant}",
                    hint="each paragraph belongs to one section",
                )
            else:
                claimed[number] = claimant
    for paragraph in source.text.paragraphs:
        if paragraph.number not in claimed:
            problems.warn(
                source.text.path,
                f"paragraph {paragraph.number} is not summarized by any section",
                paragraph.line,
                1,
                hint=f"add it to a section of {source.entry.sections}, or to not_content",
            )


def _section(
    source: SourceInput, section: schema.Section, items: dict, people: dict, problems: Problems
) -> model.Section:
    citation = model.Citation(
        source.entry.id,
        source.entry.short_title or source.entry.title,
        section.id,
        section.title,
        section.paragraphs,
    )
    resolved: dict[str, list] = {}
    for kind in KINDS:
        resolved[kind] = []
        for index, item_id in enumerate(getattr(section, kind)):
            item = items[kind].get(item_id)
            if item is None:
                _unknown_reference(section, kind, index, item_id, items[kind], problems)
                continue
            if citation not in item.cited_in:
                item.cited_in.append(citation)
            if item not in resolved[kind]:
                resolved[kind].append(item)
    quotations = []
    for quotation in section.quotations:
        speaker = people.get(quotation.by) if quotation.by else None
        if quotation.by and speaker is None:
            close = difflib.get_close_matches(quotation.by, list(people), n=1)
            problems.error_at(
                quotation.origin_of("by"),
                f"unknown person '{quotation.by}'",
                hint=f"did you mean '{close[0]}'?" if close else "define them in people.yaml",
            )
        _check_quotation(source, section, quotation, problems)
        quotations.append(model.Quotation(quotation.text, speaker))
    return model.Section(
        id=section.id,
        title=section.title,
        citation=citation,
        summary=section.summary,
        key_points=list(section.key_points),
        events=resolved["events"],
        people=resolved["people"],
        terms=resolved["terms"],
        questions=resolved["questions"],
        quotations=quotations,
    )


def _unknown_reference(section, kind, index, item_id, known, problems) -> None:
    close = difflib.get_close_matches(item_id, list(known), n=1)
    problems.error_at(
        section.origin_of(kind, index),
        f"unknown {KIND_NAMES[kind]} '{item_id}' in section '{section.id}'",
        hint=f"did you mean '{close[0]}'?" if close else f"define it in {KIND_FILES[kind]}",
    )


_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "…": "...",
    }
)


def normalize_for_quotation(text: str) -> str:
    """Compare quotations as a reader would: white space, quote marks and dashes don't count."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.split())


def _check_quotation(
    source: SourceInput, section: schema.Section, quotation: schema.Quotation, problems: Problems
) -> None:
    paragraphs = [source.text.paragraph(n) for n in section.paragraphs]
    haystack = normalize_for_quotation(" ".join(p.text for p in paragraphs if p))
    needle = normalize_for_quotation(quotation.text).strip("\"' ")
    if needle not in haystack:
        problems.error_at(
            quotation.origin,
            f"quotation not found in {source.text.path.name} "
            f'{model.paragraph_label(section.paragraphs)}: "{quotation.text[:60]}"',
            hint="quote the source word for word, or correct the section's paragraphs",
        )


def _place_sidebars(sections: list[model.Section]) -> None:
    """A person's sidebar stands beside the first section that mentions them."""
    placed: set[str] = set()
    for section in sections:
        for person in section.people:
            if person.id not in placed:
                placed.add(person.id)
                section.sidebars.append(person)
