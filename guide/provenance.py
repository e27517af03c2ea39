"""Provenance: do the paragraphs an item cites bear it out?

An event, a person or a term is cited by the sections that list it, and so by those sections'
paragraphs: the chronology, the sidebars and the glossary print `Smithsonian ¶ 6` under it.
These checks read those paragraphs and warn, at the item's line, where they do not say what
the item takes from them. Each warning is answered by correcting the content (the citation,
the date, the name), not by loosening the check.

**Dates.** An event's date must be given in the paragraphs of a section that cites it, read
in order:

- a year (`1961`, `c. 1961`, `early 1961`): the year stands in one of them as a number of its
  own: "in 1961", "1954–1955", "(1925–68)" for 1968; "the 1960s" gives no year;
- a month (`1961-06`, `early 1961-06`): the month's name ("June", "Jun.") stands in one of
  them, and the year in that paragraph or an earlier one of the same section;
- a day (`1961-05-25`): the day and the month stand together ("May 25", "25 May", "25th of
  May"; "October 14–16" gives the 14th and the 16th), and the year in that paragraph or an
  earlier one of the same section;
- a range (`1961-01/1961-02`, `1964-10-14/1964-10-16`): both its ends, each as above.

Early, mid, late and c. make a date no more precise than what they qualify: `early 1961` needs
1961, `late 1965-03` needs March 1965. An event with a `date_note` is not checked: the note
says how the date was worked out where the paragraphs do not give it.

**Names.** A person must be named in the paragraphs citing them: by name, an alias, the native
name or the surname (the name's last word: "Korolev" for "Sergei Korolev"). A term must be
used in them: the term, an alias, or the expansion of an acronym. Possessives ("Korolev's")
and plurals ("spacewalks", "theses") count; case, accents, the kind of apostrophe (’ or '),
hyphens ("extra-vehicular" is "extravehicular") and white space do not.

What an item adds from outside its sources is not checked here: its author says so in its
`outside_sources:`, which the teacher's edition prints.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from . import model
from .dates import MONTHS, DatePoint
from .errors import Problem, Problems
from .loading import SourceText

# Month names as written in running text: the full name, or an abbreviation with or
# without its full stop. Capitalized only: "march" and "may" are also verbs.
_MONTH_NAMES = {
    number: [name, name[:3]] + (["Sept"] if number == 9 else [])
    for number, name in enumerate(MONTHS, start=1)
}
_MONTH_OF = {written: number for number, names in _MONTH_NAMES.items() for written in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_OF, key=len, reverse=True)) + r")\b\.?"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_DAYS = _DAY.format("day") + r"(?:\s*(?:-|and|to)\s*" + _DAY.format("until") + r")?"
# "May 25", "October 14-16", "May 25th"; "25 May", "14-16 October", "25th of May".
_DAY_MONTH = [
    re.compile(rf"(?<![\w]){_MONTH}\s+{_DAYS}(?![\d])"),
    re.compile(rf"(?<![\w.,]){_DAYS}\s+(?:of\s+)?{_MONTH}"),
]
# A year is a number standing alone ("in 1961", "in 750"); a second after a dash is a range's
# end, and fewer figures end it in the same century or decade: "(1925-68)". "1960s" is a
# decade, "1.5" and "1,000" are not years.
_YEAR = re.compile(r"(?<![\d.,])(\d{1,4})(?:\s*-\s*(\d{1,4}))?(?![\d.,]\d|\d|s\b)")
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))
_APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼ′`´", "'"))
# The accents a letter decomposes into (é is e and U+0301): they do not count.
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Words after a name that are not its surname: "Martin Luther King Jr.", "Pope Pius XII".
_NOT_A_SURNAME = re.compile(r"(?:[JS]r\.?|[IVX]+)")


def check(
    items: dict[str, dict],
    definitions: dict[str, dict],
    texts: dict[str, SourceText],
) -> list[Problem]:
    """Warnings for the merged events, people and terms (`items`: kind → id → item, with
    their `cited_in` complete) against the paragraphs of `texts` (source id → its text).
    `definitions` gives each item's validated definition, and so its line."""
    paragraphs = _Paragraphs(texts)
    problems = Problems()
    for kind, check_one in (("events", _event), ("people", _person), ("terms", _term)):
        for item_id, item in items[kind].items():
            if not item.cited_in:
                continue  # warned of already: no section cites it
            sections = [paragraphs.of(citation) for citation in item.cited_in]
            found = check_one(item, sections, _where(item.cited_in))
            if found:
                message, hint = found
                problems.warn_at(definitions[kind][item_id].origin, message, hint)
    return problems.items


class _Paragraphs:
    """The cited paragraphs' texts, each normalized once however often it is cited."""

    def __init__(self, texts: dict[str, SourceText]):
        self.texts = texts
        self.normalized: dict[tuple[str, int], str | None] = {}

    def of(self, citation: model.Citation) -> list[str]:
        """A section's paragraphs, in order, as _normalize gives them."""
        return [
            text
            for number in citation.paragraphs
            if (text := self._text(citation.source_id, number)) is not None
        ]

    def _text(self, source_id: str, number: int) -> str | None:
        key = (source_id, number)
        if key not in self.normalized:
            source = self.texts.get(source_id)
            paragraph = source.paragraph(number) if source else None
            self.normalized[key] = _normalize(paragraph.text) if paragraph else None
        return self.normalized[key]


def _where(citations: list[model.Citation]) -> str:
    """The paragraphs as the guide prints them under an item: `Smithsonian ¶ 5–7; Encyclopedia
    ¶ 3`."""
    return "; ".join(
        f"{name} ¶ {', '.join(ref.where for ref in refs)}"
        for _, name, refs in model.short_citations(citations)
    )


def _normalize(text: str) -> str:
    """Text as compared: one kind of dash, apostrophe and space; no accents."""
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(_DASHES).translate(_APOSTROPHES)
    return " ".join(text.split())


# --- dates -----------------------------------------------------------------------------------


def _event(event: model.Event, sections: list[list[str]], where: str):
    if event.date_note:
        return None
    points = [event.date.start] if event.date.end is None else [event.date.start, event.date.end]
    missing = [p for p in points if not any(_gives(section, p) for section in sections)]
    if not missing:
        return None
    what = "that date" if len(missing) == len(points) else _plain(missing[0])
    return (
        f"event '{event.id}' is dated {event.date} but its sections' paragraphs ({where}) "
        f"never give {what}",
        "cite the paragraph that does, or say in date_note how the date was worked out",
    )


def _plain(point: DatePoint) -> str:
    """A range's end as a date of its own: '16 October 1964', 'June 1961'."""
    return str(DatePoint(point.year, point.month, point.day))


def _gives(paragraphs: list[str], point: DatePoint) -> bool:
    """Whether a section's paragraphs, read in order, give `point` (see the module's rules)."""
    year_so_far = False
    for text in paragraphs:
        year_so_far = year_so_far or point.year in _years(text)
        if point.month is None:
            if year_so_far:
                return True
            continue
        if point.day is None:
            named = any(re.search(rf"(?<!\w){name}\b", text) for name in _MONTH_NAMES[point.month])
        else:
            named = (point.month, point.day) in _days(text) or (
                f"{point.year}-{point.month:02}-{point.day:02}" in text
            )
        if named and year_so_far:
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _years(text: str) -> frozenset[int]:
    years = set()
    for match in _YEAR.finditer(text):
        first = int(match[1])
        years.add(first)
        if match[2] and not match[2].startswith("0"):  # 1961-05: a month, not a range
            start, end = match[1].lstrip("0"), match[2]
            if len(end) < len(start):  # 1925-68
                end = start[: len(start) - len(end)] + end
            if end and int(end) > first:
                years.add(int(end))
    return frozenset(years)


@functools.lru_cache(maxsize=4096)
def _days(text: str) -> frozenset[tuple[int, int]]:
    """(month, day) of every day-and-month the text gives; a range gives both its ends."""
    days = set()
    for pattern in _DAY_MONTH:
        for match in pattern.finditer(text):
            month = _MONTH_OF[match["month"]]
            for day in (match["day"], match["until"]):
                if day and 1 <= int(day) <= 31:
                    days.add((month, int(day)))
    return frozenset(days)


# --- names -----------------------------------------------------------------------------------


def _person(person: model.Person, sections: list[list[str]], where: str):
    names = [person.name, *person.aliases]
    if person.native_name:
        names.append(person.native_name)
    if surname := _surname(person.name):
        names.append(surname)
    if _uses(sections, names):
        return None
    return (
        f"person '{person.id}' is cited by paragraphs that never name {person.name} ({where})",
        "cite them from a section whose paragraphs do, or add to aliases the name those "
        "paragraphs use",
    )


def _term(term: model.Term, sections: list[list[str]], where: str):
    names = [term.term, *term.aliases]
    if term.expansion:
        names.append(term.expansion)
    if _uses(sections, names):
        return None
    return (
        f"term '{term.id}' is cited by paragraphs that never use '{term.term}' ({where})",
        "cite it from a section whose paragraphs do, or add to aliases the form those "
        "paragraphs use",
    )


def _surname(name: str) -> str | None:
    words = [w.strip(",") for w in name.split()]
    while words and _NOT_A_SURNAME.fullmatch(words[-1]):
        words.pop()
    return words[-1] if len(words) > 1 else None


def _uses(sections: list[list[str]], names: Iterable[str]) -> bool:
    forms = _forms(tuple(names))
    return any(_has(_folded(text), forms) for section in sections for text in section)


def _has(text: str, forms: tuple[str, ...]) -> bool:
    """Whether `text` has one of `forms` as a whole word or words, or followed by the
    plural's s or es ("spacewalks", "Kennedys"); a possessive is the form followed by an
    apostrophe, which ends a word."""
    for form in forms:
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            ends = [end]
            if form[-1].isalpha():
                ends += [end + len(s) for s in ("s", "es") if text.startswith(s, end)]
            if not _in_word(text, start - 1) and any(not _in_word(text, e) for e in ends):
                return True
            start = text.find(form, start + 1)
    return False


def _in_word(text: str, index: int) -> bool:
    """Whether the character at `index` continues a word (a letter, digit or _)."""
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


@functools.lru_cache(maxsize=4096)
def _forms(names: tuple[str, ...]) -> tuple[str, ...]:
    """The forms `names` may take in text as _folded gives it: each name, its words with or
    without the spaces between them ("Voskhod 2", "Voskhod-2"), and the plural of a last
    word in y or is (allies, theses)."""
    forms = set()
    for name in names:
        words = _folded(_normalize(name)).split()
        for joined in {" ".join(words), "".join(words)} - {""}:
            forms.add(joined)
            if joined.endswith("y"):
                forms.add(joined[:-1] + "ies")
            if joined.endswith("is"):
                forms.add(joined[:-2] + "es")
    return tuple(sorted(forms))


@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    """Text as names are looked for in it: in one case, and without hyphens, which do not
    count between words ("extra-vehicular" is "extravehicular")."""
    return text.replace("-", "").casefold()
