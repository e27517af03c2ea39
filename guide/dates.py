"""Dates with honest precision (a day, a month, a year, part of one, a range) and their order."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from .errors import shorten
from .messages import N_

# The words of dates, as the catalogues have them (messages.py): part of a period, an
# estimate, a life's one known end. English prints the ids themselves.
PART_WORDS = {"early": N_("early %(date)s"), "mid": N_("mid %(date)s"), "late": N_("late %(date)s")}
ESTIMATE = N_("c. %(date)s")
BORN = N_("born %(year)s")
DIED = N_("died %(year)s")

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
PARTS = ("early", "mid", "late")
# How an author says a date is approximate, written before it as on paper: `c. 1440`,
# `about 1440`. Printed the historians' way, "c. 1440", whichever word was written.
APPROXIMATE = r"c\.?|ca\.?|circa|about|around|approx\.?|approximately"
APPROXIMATE_PRINTED = "c."

_POINT = re.compile(
    rf"^(?:(?P<approximate>(?i:{APPROXIMATE}))(?:\s+|(?<=\.))|(?P<part>{'|'.join(PARTS)})\s+)?"
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$"
)
SYNTAX_HINT = (
    "write YYYY, YYYY-MM, YYYY-MM-DD, 'late YYYY-MM', 'c. YYYY' or a range such as "
    "1964-10-14/1964-10-16"
)
# A date note that is only one of these words says what the date itself should say.
PRECISION_WORDS = re.compile(rf"(?i:{APPROXIMATE}|roughly|approximate|estimated|{'|'.join(PARTS)})")


@dataclass(frozen=True)
class DatePoint:
    """One date as precise as the source allows: year, month and day may each be unknown."""

    year: int
    month: int | None = None
    day: int | None = None
    part: str | None = None  # early / mid / late, narrowing a month or a year
    approximate: bool = False  # c. 1440: the source gives the date as an estimate

    @property
    def first_day(self) -> dt.date:
        return self._bounds()[0]

    @property
    def last_day(self) -> dt.date:
        return self._bounds()[1]

    def _bounds(self) -> tuple[dt.date, dt.date]:
        if self.month is not None and self.day is not None:
            day = dt.date(self.year, self.month, self.day)
            return day, day
        if self.month is not None:
            days = calendar.monthrange(self.year, self.month)[1]
            first, last = {None: (1, days), "early": (1, 10), "mid": (11, 20), "late": (21, days)}[
                self.part
            ]
            return dt.date(self.year, self.month, first), dt.date(self.year, self.month, last)
        first_month, last_month = {None: (1, 12), "early": (1, 4), "mid": (5, 8), "late": (9, 12)}[
            self.part
        ]
        last = calendar.monthrange(self.year, last_month)[1]
        return dt.date(self.year, first_month, 1), dt.date(self.year, last_month, last)

    def __str__(self) -> str:
        if self.day is not None:
            text = f"{self.day} {_month_name(self)} {self.year}"
        elif self.month is not None:
            text = f"{MONTHS[self.month - 1]} {self.year}"
        else:
            text = str(self.year)
        if self.approximate:
            return f"{APPROXIMATE_PRINTED} {text}"
        return f"{self.part} {text}" if self.part else text

    @property
    def plain(self) -> bool:
        """Neither narrowed (late 1961) nor approximate (c. 1440): ranges of plain dates
        print shorter (14–16 October 1964)."""
        return not self.part and not self.approximate


@dataclass(frozen=True)
class PartialDate:
    """A date point or a range of two; sorts by the first then the last day it can mean."""

    start: DatePoint
    end: DatePoint | None = None
    written: str = ""

    @property
    def sort_key(self) -> tuple[dt.date, dt.date]:
        return self.start.first_day, (self.end or self.start).last_day

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def year_text(self) -> str:
        """The year it starts in, as printed in a life's dates: '1400', 'c. 1400'."""
        return f"{APPROXIMATE_PRINTED} {self.year}" if self.start.approximate else str(self.year)

    def __str__(self) -> str:
        if self.end is None:
            return str(self.start)
        start, end = self.start, self.end
        same_day_precision = start.day is not None and end.day is not None
        plain = start.plain and end.plain
        if same_day_precision and plain and start.year == end.year:
            if start.month == end.month:
                return f"{start.day}–{end.day} {_month_name(start)} {start.year}"
            return f"{start.day} {_month_name(start)} – {end}"
        if (
            start.day is None
            and end.day is None
            and start.month
            and end.month
            and start.year == end.year
            and plain
        ):
            return f"{MONTHS[start.month - 1]}–{MONTHS[end.month - 1]} {start.year}"
        if start.month is None and end.month is None and plain:
            return f"{start.year}–{end.year}"
        return f"{start} – {end}"


def _month_name(point: DatePoint) -> str:
    """The name of the month of a point that has a day: parse_point's pattern takes a day
    only after a month, so it has one."""
    assert point.month is not None, point
    return MONTHS[point.month - 1]


def parse_point(text: str) -> DatePoint:
    match = _POINT.match(text.strip())
    if not match:
        raise ValueError(f"'{shorten(text, 40)}' is not a date — {SYNTAX_HINT}")
    part, year, month, day = match["part"], match["year"], match["month"], match["day"]
    point = DatePoint(
        int(year),
        int(month) if month else None,
        int(day) if day else None,
        part,
        approximate=match["approximate"] is not None,
    )
    if part and day:
        raise ValueError(f"'{text}': early/mid/late narrow a month or a year, not a day")
    if point.year == 0:
        # Python's calendar starts at year 1, and so does the historians' (1 BC, then AD 1).
        raise ValueError(f"'{text}': there is no year 0")
    if point.month is not None and not 1 <= point.month <= 12:
        raise ValueError(f"'{text}': there is no month {point.month}")
    try:
        point.first_day  # noqa: B018 - computing it is the check
    except ValueError:
        raise ValueError(
            f"'{text}': {_month_name(point)} {point.year} has no day {point.day}"
        ) from None
    return point


def parse_date(text: str) -> PartialDate:
    """Parse the written form; raise ValueError with a sentence a teacher can act on."""
    text = str(text).strip()
    if "/" in text:
        first, _, second = text.partition("/")
        if not first.strip() or not second.strip():
            missing, given = ("end", first) if first.strip() else ("start", second)
            raise ValueError(
                f"the range '{text}' has no {missing} — write both dates, such as "
                f"{given.strip() or '1964-10-14'}/…, or just {given.strip() or 'one date'}"
            )
        start, end = parse_point(first), parse_point(second)
        if end.last_day < start.first_day:
            raise ValueError(
                f"the range '{text}' ends before it starts — write the earlier date first"
            )
        return PartialDate(start, end, text)
    return PartialDate(parse_point(text), None, text)


def is_precision_word(note: str) -> bool:
    """A date note that is only a word on the date's precision: 'about', 'c.', 'late'."""
    return bool(PRECISION_WORDS.fullmatch(note.strip().rstrip(".").strip()))


def with_precision(written: str, word: str) -> str:
    """The date written so that it says what a note's `word` said: '1440' and 'about' give
    'c. 1440', '1961' and 'late' give 'late 1961'. A point already qualified stays."""
    word = word.strip().rstrip(".").casefold()
    prefix = word if word in PARTS else APPROXIMATE_PRINTED
    points = [point.strip() for point in str(written).split("/")]
    return "/".join(p if _qualified(p) else f"{prefix} {p}" for p in points)


def _qualified(point: str) -> bool:
    match = _POINT.match(point)
    return bool(match and (match["part"] or match["approximate"]))


def printed(date: PartialDate, language: str, words: Callable[[str], str]) -> str:
    """The date as a reader of `language` writes it, with the same honest precision: month
    names and the order of day, month and year from CLDR (Babel): '14.–16. Oktober 1964',
    '14–16 octobre 1964'; the words for part of a period and for an estimate from the
    catalogue (`words`, messages.py): 'Anfang 1961', 'vers 1440'. English keeps the guide's
    own form, '14–16 October 1964', whatever CLDR's English would say."""
    locale = _locale(language)
    if locale is None or locale.language == "en":
        return str(date)
    start, end = date.start, date.end
    if end is None:
        return _point(start, locale, words)
    if start.plain and end.plain and start.year == end.year and start.month and end.month:
        if (start.day is None) == (end.day is None):
            return _shared_end(_point(start, locale, words), _point(end, locale, words))
    if start.plain and end.plain and start.month is None and end.month is None:
        return f"{start.year}–{end.year}"
    return f"{_point(start, locale, words)} – {_point(end, locale, words)}"


def life_printed(
    born: PartialDate | None, died: PartialDate | None, words: Callable[[str], str]
) -> str:
    """'1907–1966', 'c. 1400–1468', 'born 1934', or '' when the guide gives no dates; the
    words from the catalogue (`words`)."""

    def year(date: PartialDate) -> str:
        if date.start.approximate:
            return words(ESTIMATE) % {"date": date.year}
        return str(date.year)

    if born and died:
        return f"{year(born)}–{year(died)}"
    if born:
        return words(BORN) % {"year": year(born)}
    if died:
        return words(DIED) % {"year": year(died)}
    return ""


def _shared_end(first: str, last: str) -> str:
    """Two dates of one year as one range, what they end with written once, from a word on:
    '14. Oktober 1964' and '16. Oktober 1964' give '14.–16. Oktober 1964', '14 de octubre de
    1964' and '2 de noviembre de 1964' give '14 de octubre – 2 de noviembre de 1964'. The
    dash is spaced when what it joins has spaces, as in English."""
    cut = len(first)
    while cut > 0 and last.endswith(first[cut - 1 :]):
        cut -= 1
    shared = first[cut:]
    at = shared.find(" ")
    if at < 0:
        return f"{first} – {last}"
    shared = shared[at:]
    head, tail = first[: -len(shared)], last[: -len(shared)]
    dash = " – " if " " in head or " " in tail else "–"
    return f"{head}{dash}{tail}{shared}"


def _point(point: DatePoint, locale, words: Callable[[str], str]) -> str:
    from babel.dates import format_date, format_skeleton

    if point.day is not None:
        text = format_date(point.first_day, format="long", locale=locale)
    elif point.month is not None:
        text = format_skeleton("yMMMM", point.first_day, locale=locale)
    else:
        text = str(point.year)
    if point.approximate:
        return words(ESTIMATE) % {"date": text}
    if point.part:
        return words(PART_WORDS[point.part]) % {"date": text}
    return text


def _locale(language: str):
    """Babel's locale for a language tag, or None for one CLDR does not know."""
    from babel import Locale, UnknownLocaleError  # its 50 ms only where a date is printed

    for tag in (language, language.split("-")[0]):  # de-XX-foo: German all the same
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return None


def direction(language: str) -> str:
    """'rtl' for a language CLDR says is written from right to left, else 'ltr'."""
    locale = _locale(language)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def edition_date(iso: str, language: str) -> str:
    """A full date YYYY-MM-DD as a reader of the language writes it: '23 November 2026' in
    en-GB, 'November 23, 2026' in en-US, '23. November 2026' in German (Babel, from CLDR).
    A language CLDR does not know keeps the ISO form, which every reader can read."""
    from babel.dates import format_date

    locale = _locale(language)
    if locale is None:
        return iso
    return format_date(dt.date.fromisoformat(iso), format="long", locale=locale)
