"""Dates with honest precision, and the order the chronology puts them in."""

from __future__ import annotations

import datetime as dt

import pytest

from guide.dates import parse_date


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
