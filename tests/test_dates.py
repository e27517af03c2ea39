"""Dates with honest precision, and the order the chronology puts them in."""

from __future__ import annotations

import datetime as dt

import pytest

from guide.dates import edition_date, is_precision_word, parse_date


@pytest.mark.parametrize(
    "written, printed",
    [
        ("1963", "1963"),
        ("1963-11", "November 1963"),
        ("1963-11-22", "22 November 1963"),
        ("1964-10-14/1964-10-16", "14–16 October 1964"),
        ("1964-09-30/1964-10-02", "30 September – 2 October 1964"),
        ("1961-01/1961-02", "January–February 1961"),
        ("1454/1455", "1454–1455"),
        ("late 1963-11", "late November 1963"),
        ("early 1961", "early 1961"),
    ],
)
def test_dates_print_as_precisely_as_written(written, printed):
    assert str(parse_date(written)) == printed


def test_partial_dates_and_ranges_sort_by_first_then_last_possible_day():
    written = [
        "1964-10-14/1964-10-16",
        "1963-11-22",
        "1963",
        "late 1963-11",
        "1963-11",
        "1964-10-12",
        "1964-10-14",
        "early 1961",
        "1961-04-20",
    ]
    ordered = sorted(written, key=lambda w: parse_date(w).sort_key)
    assert ordered == [
        "early 1961",
        "1961-04-20",
        "1963",
        "1963-11",
        "late 1963-11",
        "1963-11-22",
        "1964-10-12",
        "1964-10-14",
        "1964-10-14/1964-10-16",
    ]


def test_late_month_means_its_last_ten_or_so_days():
    date = parse_date("late 1963-11")
    assert date.sort_key == (dt.date(1963, 11, 21), dt.date(1963, 11, 30))


@pytest.mark.parametrize(
    "written, complaint",
    [
        ("1963-13", "there is no month 13"),
        ("1963-02-30", "February 1963 has no day 30"),
        ("1964-10-16/1964-10-14", "ends before it starts — write the earlier date first"),
        ("1454/", "the range '1454/' has no end — write both dates, such as 1454/…, or just 1454"),
        ("/1455", "has no start"),
        ("22 November 1963", "is not a date"),
        ("late 1963-11-22", "not a day"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(written, complaint):
    with pytest.raises(ValueError, match=complaint):
        parse_date(written)


@pytest.mark.parametrize(
    "written, printed, plain",
    [
        ("c. 1440", "c. 1440", "1440"),
        ("c.1440", "c. 1440", "1440"),
        ("about 1440", "c. 1440", "1440"),
        ("Circa 1440-05", "c. May 1440", "1440-05"),
        ("ca. 1454/1455", "c. 1454 – 1455", "1454/1455"),
    ],
)
def test_an_approximate_date_is_written_before_the_year_and_printed_c(written, printed, plain):
    date = parse_date(written)
    assert str(date) == printed
    # An estimate sorts as the period it names: c. 1440 is somewhere in 1440.
    assert date.sort_key == parse_date(plain).sort_key


def test_a_life_with_an_estimated_birth_says_so():
    from guide.model import Person

    born, died = parse_date("c. 1400"), parse_date("1468-02-03")
    person = Person("g", "Gutenberg", None, born, died, "Printer", "Bio.", [])
    assert person.life == "c. 1400–1468"


@pytest.mark.parametrize("note", ["about", "About.", "c.", "ca", "circa", "roughly", "late"])
def test_a_note_that_is_only_a_precision_word_is_recognised(note):
    assert is_precision_word(note)


@pytest.mark.parametrize("note", ["The source says about 1440.", "c. 1440 in one source"])
def test_a_note_that_is_a_sentence_is_prose(note):
    assert not is_precision_word(note)


@pytest.mark.parametrize(
    "language, printed",
    [
        ("en-GB", "23 November 2026"),
        ("en-US", "November 23, 2026"),
        ("en", "November 23, 2026"),
        ("de", "23. November 2026"),
        ("fr", "23 novembre 2026"),
        ("de-CH-1996", "23. November 2026"),  # a variant CLDR lacks: its language's date
        ("xx", "2026-11-23"),  # a language CLDR does not know: ISO, which anyone can read
    ],
)
def test_the_edition_date_is_written_as_a_reader_of_the_language_writes_it(language, printed):
    assert edition_date("2026-11-23", language) == printed
