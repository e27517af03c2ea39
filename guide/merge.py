"""Build the one Guide model from validated files: references, provenance, chronology, checks."""

from __future__ import annotations

import difflib
import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import collation, model, provenance, schema, typography
from .errors import Position, Problems, shorten
from .loading import Block, SourceText
from .schema import ITEM_KIND, ITEM_KINDS

DEFAULT_ANSWER_LINES = {
    "recall": 2,
    "understanding": 3,
    "application": 4,
    "analysis": 5,
    "evaluation": 6,
    "creation": 6,
}
KINDS = tuple(kind.key for kind in ITEM_KINDS)


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
    # Quotes, dashes and ellipses typeset once, here, before anything reads the text: the
    # chronology, the glossary's order, the templates and the preview all see the same.
    config, sources, item_files = _typeset(config, sources, item_files)
    # The lines not_content names are left out of the ¶ numbers: from here on every source's
    # paragraphs are its content paragraphs, numbered as the sections cite them. A wrong
    # declaration leaves the numbers wrong, and every check that reads a cited paragraph
    # would then say so at length: it is told alone.
    sources = [SourceInput(s.entry, _declare_not_content(s, problems), s.sections) for s in sources]
    problems.raise_if_errors()
    definitions = _collect_definitions([s.sections for s in sources] + item_files, problems)
    events = {i: _event(d, config, problems) for i, d in definitions["events"].items()}
    people = {i: _person(d, config.language, problems) for i, d in definitions["people"].items()}
    terms = {i: _term(d) for i, d in definitions["terms"].items()}
    questions = {
        i: _question(d, n) for n, (i, d) in enumerate(definitions["questions"].items(), start=1)
    }
    items: dict[str, dict] = {
        "events": events,
        "people": people,
        "terms": terms,
        "questions": questions,
    }
    references = _References(
        items,
        {kind.key: getattr(config, kind.file_key) for kind in ITEM_KINDS},
        definitions,
    )

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
            sections.append(_section(source, section, references, problems))
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
                paragraphs={p.number: p.text for p in source.text.paragraphs},  # content only
                container=source.entry.container,
                url=source.entry.url,
                published=source.entry.published,
                accessed=source.entry.accessed,
                reprint=source.entry.reprint,
                licence=source.entry.licence,
                attribution=source.entry.attribution,
            )
        )

    all_sections = [s for source in merged_sources for s in source.sections]
    _place_sidebars(all_sections)
    for kind, table in items.items():
        for item_id, item in table.items():
            if not item.cited_in:
                problems.warn_at(
                    definitions[kind][item_id].origin,
                    f"{ITEM_KIND[kind].one} '{item_id}' is not referenced by any section",
                    hint=f"add it to a section's '{kind}:' list, or remove it",
                )

    # Whether each item's paragraphs give its date, name it, use it (provenance.py).
    problems.extend(provenance.check(items, definitions, {s.entry.id: s.text for s in sources}))

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
        lanes=list(config.lanes),
    )
    first_mention = [p for s in all_sections for p in s.sidebars]
    placed = {p.id for p in first_mention}  # ids, not `in` a list: that compares whole people
    return model.Guide(
        name=name,
        folder=folder,
        info=info,
        sources=merged_sources,
        chronology=sorted(events.values(), key=lambda e: e.date.sort_key),
        people=first_mention + [p for p in people.values() if p.id not in placed],
        glossary=sorted(terms.values(), key=lambda t: collation.sort_key(t.term)),
        questions=list(questions.values()),
        warnings=[w for s in sources for w in s.text.repairs] + problems.warnings,
        files=files,
    )


def _typeset(
    config: schema.GuideConfig, sources: list[SourceInput], item_files: list[schema.ItemFile]
) -> tuple[schema.GuideConfig, list[SourceInput], list[schema.ItemFile]]:
    language = config.language
    return (
        typography.typeset(config, language),
        [
            SourceInput(
                typography.typeset(s.entry, language),
                s.text,
                typography.typeset(s.sections, language),
            )
            for s in sources
        ],
        [typography.typeset(f, language) for f in item_files],
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
                elif first.model_dump() == item.model_dump():
                    # Files may share an item; one file holding it twice is a slip of the pen.
                    if first.origin.path == item.origin.path:
                        problems.warn_at(
                            item.origin,
                            f"{ITEM_KIND[kind].one} '{item.id}' is written twice "
                            f"(first at {first.origin.where})",
                            hint="remove one",
                        )
                else:
                    problems.error_at(
                        item.origin,
                        f"{ITEM_KIND[kind].one} '{item.id}' is defined "
                        f"twice with different content (first at "
                        f"{first.origin.where})",
                        hint="keep one definition, or give them different ids",
                    )
    return definitions


def _event(d: schema.Event, config: schema.GuideConfig, problems: Problems) -> model.Event:
    return model.Event(
        d.id,
        d.date,
        d.title,
        d.description,
        d.date_note,
        outside_sources=d.outside_sources,
        lane=_lane(d, config, problems),
    )


def _lane(d: schema.Event, config: schema.GuideConfig, problems: Problems) -> str | None:
    """The event's lane as guide.yaml declares it (a lane written in another case is the
    same lane); an undeclared one is an error at the event's `lane:`."""
    if d.lane is None:
        return None
    declared = {lane.casefold(): lane for lane in config.lanes}
    if d.lane.casefold() in declared:
        return declared[d.lane.casefold()]
    guide_yaml = config.origin.path.name if config.origin.path else "guide.yaml"
    close = difflib.get_close_matches(d.lane, config.lanes, n=1, cutoff=0.5)
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif config.lanes:
        listed = ", ".join(f"'{lane}'" for lane in config.lanes)
        hint = f"the lanes {guide_yaml} declares are {listed}; add it to its lanes: if it is new"
    else:
        hint = f"declare the timeline's lanes in {guide_yaml}: lanes: [{d.lane}, …]"
    problems.error_at(d.origin_of("lane"), f"unknown lane '{d.lane}' of event '{d.id}'", hint)
    return None


def _person(d: schema.Person, language: str, problems: Problems) -> model.Person:
    if d.born and d.died and d.born.sort_key[0] > d.died.sort_key[1]:
        problems.error_at(
            d.origin_of("born"),
            f"'born' {d.born.written} is after 'died' {d.died.written}",
            hint="swap them, or correct one",
        )
    return model.Person(
        d.id,
        d.name,
        d.native_name,
        d.born,
        d.died,
        d.role,
        d.bio,
        list(d.aliases),
        outside_sources=d.outside_sources,
        native_name_lang=d.native_name_lang or language,
    )


def _term(d: schema.Term) -> model.Term:
    return model.Term(
        d.id,
        d.term,
        d.expansion,
        d.definition,
        list(d.aliases),
        outside_sources=d.outside_sources,
        lang=d.lang,
    )


def _question(d: schema.Question, number: int) -> model.Question:
    lines = d.answer_lines or DEFAULT_ANSWER_LINES[d.level]
    return model.Question(
        d.id,
        number,
        d.prompt,
        d.level,
        d.teacher_notes,
        d.suggested_answer,
        lines,
        d.answer_words,
        outside_sources=d.outside_sources,
    )


def _check_unique_source_ids(config: schema.GuideConfig, problems: Problems) -> None:
    seen: dict[str, schema.Source] = {}
    for entry in config.sources:
        if entry.id in seen:
            first = seen[entry.id].origin_of("id")
            problems.error_at(
                entry.origin_of("id"),
                f"source id '{entry.id}' is used twice (first at {first.where})",
                hint="rename one",
            )
        seen.setdefault(entry.id, entry)


def _check_term_names(terms: dict[str, schema.Term], problems: Problems) -> None:
    owner: dict[str, tuple[schema.Term, tuple, str]] = {}  # casefolded → (term, where, as written)
    for term in terms.values():
        names = [(term.term, ("term",))] + [(a, ("aliases", i)) for i, a in enumerate(term.aliases)]
        for name, within in names:
            first = owner.setdefault(name.casefold(), (term, within, name))
            if first[0].id == term.id:
                continue
            clash = [(term, within, name), first]
            # Blame an alias rather than a name: the alias is the likelier slip.
            if within == ("term",) and first[1] != ("term",):
                clash.reverse()
            (bad, bad_within, bad_name), (other, other_within, _) = clash
            problems.error_at(
                bad.origin_of(*bad_within),
                f"{_term_name_kind(bad_within)} '{bad_name}' of term '{bad.id}' is also "
                f"{_term_name_kind(other_within, article=True)} of term '{other.id}' "
                f"({other.origin_of(*other_within).where})",
                hint="a name or alias may belong to one term",
            )


def _term_name_kind(within: tuple, article: bool = False) -> str:
    if within == ("term",):
        return "the name" if article else "name"
    return "an alias" if article else "alias"


def _declare_not_content(source: SourceInput, problems: Problems) -> SourceText:
    """The source's text with the lines its not_content names left out of the ¶ numbers;
    each declaration that names no line, or not one line, is an error."""
    text, name = source.text, source.text.path.name
    keys = [_start_key(block.text) for block in text.blocks]
    declared: dict[int, Position] = {}  # line → where it was declared
    for entry in source.entry.not_content:
        if entry.paragraphs is not None:
            problems.error_at(
                entry.origin_of("paragraphs"),
                "not_content names lines by the words they start with, not by paragraph "
                "number: ¶ numbers count the author's paragraphs only",
                hint=_instead_of_paragraphs(entry.paragraphs, text.blocks, keys),
            )
            continue
        for index, words in enumerate(entry.starts_with or ()):
            origin = entry.origin_of("starts_with", index)
            found = _starting(words, keys)
            if not found:
                close = _closest(words, text.blocks, keys)
                hint = "copy the first words of the line from the text"
                if close:
                    hint = f'did you mean line {close.line}, "{shorten(close.text, 60)}"?'
                message = f'no line of {name} starts with "{shorten(words, 60)}"'
                problems.error_at(origin, message, hint)
                continue
            if len(found) > 1 and keys[found[0]] != _start_key(words):  # not whole lines
                lines = _and(str(text.blocks[i].line) for i in found)
                problems.error_at(
                    origin,
                    f'"{shorten(words, 60)}" starts {len(found)} lines of {name} (lines {lines})',
                    hint="write more of the first words of the one line meant",
                )
                continue
            for line in (text.blocks[i].line for i in found):
                if line in declared:
                    problems.error_at(
                        origin,
                        f"line {line} of {name} is declared not content twice"
                        + f" (first at {declared[line].where})",
                        hint="remove one",
                    )
                declared.setdefault(line, origin)
    return text.declared(frozenset(declared))


def _start_key(text: str) -> str:
    """The words of a line as compared with those not_content names: white space, quote
    marks, dashes and case do not count."""
    return normalize_for_quotation(text).casefold()


def _starting(words: str, keys: list[str]) -> list[int]:
    """The indexes of the blocks `words` name: those that are these words and no more (an
    "Advertisement" pasted twice is meant twice), else those that start with them, as whole
    words ("The" does not start "Then")."""
    start = _start_key(words)
    whole = [index for index, key in enumerate(keys) if key == start]
    return whole or [
        index
        for index, key in enumerate(keys)
        if key.startswith(start) and not key[len(start) : len(start) + 1].isalnum()
    ]


def _closest(words: str, blocks: list[Block], keys: list[str]) -> Block | None:
    """The block whose first words are most like `words` (a typing slip), if one is close."""
    count = len(words.split())
    starts = {" ".join(k.split()[:count]): b for k, b in zip(keys, blocks, strict=True)}
    close = difflib.get_close_matches(_start_key(words), list(starts), n=1)
    return starts[close[0]] if close else None


def _first_words(index: int, blocks: list[Block], keys: list[str]) -> str:
    """The fewest of a block's first words (four at least) that start no other block."""
    words = blocks[index].text.split()
    for count in range(min(4, len(words)), len(words)):
        if _starting(" ".join(words[:count]), keys) == [index]:
            return " ".join(words[:count])
    return blocks[index].text


def _instead_of_paragraphs(value: object, blocks: list[Block], keys: list[str]) -> str:
    """What to write for a not_content entry of the old kind: the same lines (paragraph N was
    then the N-th non-empty line) by their first words."""
    try:
        numbers = schema.parse_paragraphs(value)
    except ValueError:
        numbers = ()
    if not numbers or numbers[-1] > len(blocks):
        return "write starts_with: and the first words of each line that is not content"
    starts = [_first_words(n - 1, blocks, keys) for n in numbers]
    listed = ", ".join(_quoted(words) for words in starts)
    were = "the line that was paragraph" if len(numbers) == 1 else "the lines that were paragraphs"
    return f"write starts_with: [{listed}] ({were} {_and(map(str, numbers))})"


def _quoted(words: str) -> str:
    """Words as a YAML text in double quotes, whatever marks they hold."""
    return json.dumps(words, ensure_ascii=False)


def _and(items) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _check_paragraph_coverage(source: SourceInput, problems: Problems) -> None:
    """Each content paragraph summarized by exactly one section."""
    count = len(source.text.paragraphs)
    claimed: dict[int, str] = {}
    for section in source.sections.sections:
        claimant = f"section '{section.id}'"
        for number in section.paragraphs:
            if number > count:
                problems.error_at(
                    section.origin_of("paragraphs"),
                    f"paragraph {number} does not exist: "
                    f"{source.text.path.name} has {count} paragraphs",
                    hint="¶ N is the N-th non-empty line of the text, not counting the lines "
                    "not_content names",
                )
            elif number in claimed:
                problems.error_at(
                    section.origin_of("paragraphs"),
                    f"paragraph {number} is claimed by {claimed[number]} and by {claimant}",
                    hint="each paragraph belongs to one section",
                )
            else:
                claimed[number] = claimant
    blocks = source.text.blocks
    keys = [_start_key(block.text) for block in blocks]
    index = {block.line: i for i, block in enumerate(blocks)}
    for paragraph in source.text.paragraphs:
        if paragraph.number not in claimed:
            words = _first_words(index[paragraph.line], blocks, keys)
            problems.warn(
                source.text.path,
                f"paragraph {paragraph.number} is not summarized by any section",
                paragraph.line,
                1,
                hint=f"add it to a section of {source.entry.sections}, or, if it is not the "
                f"author's text, to not_content: starts_with: {_quoted(words)}",
            )


@dataclass
class _References:
    """What a section's ids can refer to, and what helps when one does not resolve."""

    items: dict[str, dict]  # kind → id → model item
    files: dict[str, str]  # kind → the file it is defined in
    definitions: dict[str, dict]  # kind → id → its validated definition

    @functools.cached_property
    def names(self) -> dict[str, dict[str, str]]:
        """kind → a name or title, casefolded → the id; wanted only for an unknown id."""
        return _names_of(self.definitions)

    def unknown(
        self, kind: str, written: str, origin: Position, context: str, problems: Problems
    ) -> None:
        by_name = self.names[kind].get(written.casefold())
        close = difflib.get_close_matches(written, list(self.items[kind]), n=1)
        if by_name:
            hint = f"name the {ITEM_KIND[kind].one} by id: '{by_name}'"
        elif close:
            hint = f"did you mean '{close[0]}'?"
        else:
            hint = f"define it in {self.files[kind]}"
        problems.error_at(origin, f"unknown {ITEM_KIND[kind].one} '{written}'{context}", hint)


# The keys whose text a reader might write in place of an item's id.
_NAME_KEYS = {
    "events": ("title",),
    "people": ("name", "native_name", "aliases"),
    "terms": ("term", "aliases"),
    "questions": (),
}


def _names_of(definitions: dict[str, dict]) -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    for kind, table in definitions.items():
        for item_id, item in table.items():
            for key in _NAME_KEYS[kind]:
                value = getattr(item, key)
                for name in value if isinstance(value, list) else [value]:
                    if name:
                        names[kind].setdefault(name.casefold(), item_id)
    return names


def _section(
    source: SourceInput, section: schema.Section, references: _References, problems: Problems
) -> model.Section:
    short_title = source.entry.short_title or source.entry.title
    citation = model.Citation(
        source.entry.id,
        short_title,
        section.id,
        section.title,
        section.paragraphs,
        source.entry.cite_as or short_title,
    )
    resolved: dict[str, list] = {}
    for kind in KINDS:
        resolved[kind] = []
        # Each item once, by id. Not `item in resolved[kind]`: that scans the list and compares
        # whole items, so a section citing n items cost n² comparisons. An item's first
        # citation by this section is its only one: section ids are unique (a twin is refused
        # before it gets here), so no other section's citation equals this one.
        cited: set[str] = set()
        for index, item_id in enumerate(getattr(section, kind)):
            item = references.items[kind].get(item_id)
            if item is None:
                origin = section.origin_of(kind, index)
                references.unknown(kind, item_id, origin, f" in section '{section.id}'", problems)
                continue
            if item_id in cited:
                continue
            cited.add(item_id)
            item.cited_in.append(citation)
            resolved[kind].append(item)
    quotations = []
    people = references.items["people"]
    for quotation in section.quotations:
        speaker = people.get(quotation.by) if quotation.by else None
        if quotation.by and speaker is None:
            references.unknown("people", quotation.by, quotation.origin_of("by"), "", problems)
        _check_quotation(source, section, quotation, problems)
        quotations.append(model.Quotation(quotation.text, speaker, quotation.lang))
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


# Quote marks of every kind are dropped and every dash is one hyphen: a quotation is stored
# without its outer marks and typeset in the guide's language (French marks with spaces
# inside them), while the source text keeps whatever marks its author typed.
_QUOTES = str.maketrans(
    {
        **dict.fromkeys("'\"‘’‚‛′“”„‟″«»‹›「」『』", ""),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "…": "...",
    }
)


def normalize_for_quotation(text: str) -> str:
    """Compare quotations as a reader would: white space, quote marks and dashes don't count."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"-+", "-", text)  # `--` typed in the source is the en dash `–` typeset
    return " ".join(text.split())


def _check_quotation(
    source: SourceInput, section: schema.Section, quotation: schema.Quotation, problems: Problems
) -> None:
    paragraphs = [source.text.paragraph(n) for n in section.paragraphs]
    haystack = normalize_for_quotation(" ".join(p.text for p in paragraphs if p))
    needle = normalize_for_quotation(quotation.text)
    if needle not in haystack:
        hint = "quote the source word for word, or correct the section's paragraphs"
        elsewhere = _quoted_elsewhere(source.text.paragraphs, needle)
        if elsewhere:
            first, last = elsewhere
            numbers = tuple(range(first.number, last.number + 1))
            lines = f"lines {first.line}–{last.line}" if last is not first else f"line {first.line}"
            hint = (
                f"it is in {model.paragraph_label(numbers)} ({lines}): correct the section's "
                "paragraphs"
            )
            if last is not first:  # a sentence cut by a line break, as pasted from a PDF
                hint += ", or join those lines if they are one paragraph"
        problems.error_at(
            quotation.origin,
            f"quotation not found in {source.text.path.name} "
            f'{model.paragraph_label(section.paragraphs)}: "{shorten(quotation.text, 60)}"',
            hint=hint,
        )


def _quoted_elsewhere(paragraphs: list, needle: str) -> tuple | None:
    """The first and last of the fewest paragraphs in a row that hold the quotation, if any:
    a quotation the section's paragraphs do not hold may be in the text all the same."""
    texts = [normalize_for_quotation(p.text) for p in paragraphs]
    for span in range(1, 6):
        for start in range(len(texts) - span + 1):
            if needle in " ".join(texts[start : start + span]):
                return paragraphs[start], paragraphs[start + span - 1]
    return None


def _place_sidebars(sections: list[model.Section]) -> None:
    """A person's sidebar stands beside the first section that mentions them."""
    placed: set[str] = set()
    for section in sections:
        for person in section.people:
            if person.id not in placed:
                placed.add(person.id)
                section.sidebars.append(person)
