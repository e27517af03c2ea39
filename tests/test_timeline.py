"""The drawn timeline (guide/timeline.py): its placement of labels, its axis, and what the PDF
shows: every event's label on the timeline's page, in date order down its lane, none on
another, all within the page; the flagship in two lanes; a crowded and a long chronology."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pdfplumber
import pytest
from conftest import FLAGSHIP, MINI, BuiltGuide
from test_print_ready import _elements

from guide import timeline
from guide.dates import parse_date
from guide.layouts import load_layout
from guide.model import Event
from guide.render_html import render_html

STUDENT = timeline.Style.from_options(load_layout("student").options)


def _event(number: int, date: str, title: str = "") -> Event:
    return Event(f"e{number}", parse_date(date), title or f"Event number {number}", None, None)


def _labels(events: list[Event], height: float = 8.0) -> list[timeline.Label]:
    return [
        timeline.Label(
            e,
            0,
            ("x",),
            timeline.day_number(e.date.start.first_day),
            10,
            height,
            timeline.Mark("span", 0, 0),
        )  # fmt: skip
        for e in events
    ]


def test_placed_labels_keep_date_order_never_overlap_and_stay_in_bounds():
    # Ten events on the same few days: one cluster, set edge to edge around them.
    events = [_event(n, f"1961-04-{10 + n % 3:02d}") for n in range(10)]
    labels = _labels(events)
    base = labels[0].anchor
    for label in labels:
        label.anchor = 50 + (label.anchor - base)
    assert timeline.place(labels, 0, 200)
    tops = [lb.y for lb in sorted(labels, key=lambda lb: lb.event.date.sort_key)]
    assert tops == sorted(tops)
    assert all(b - a >= 8.0 for a, b in zip(tops, tops[1:], strict=False))
    assert tops[0] >= 0 and tops[-1] + 8 <= 200
    # A label wants its box centred on its event: the cluster is centred on them.
    assert abs((tops[0] + tops[-1] + 8) / 2 - 50) < 2


def test_labels_that_cannot_fit_are_refused_not_overlapped():
    labels = _labels([_event(n, "1961") for n in range(30)])
    assert not timeline.place(labels, 0, 100)


def test_the_axis_ticks_months_for_three_years_and_centuries_for_five_hundred():
    crowded = [timeline.extent(parse_date(f"{1961 + n // 14}-{n % 12 + 1:02d}")) for n in range(40)]
    assert timeline.make_axis(crowded, 0, 190, STUDENT).unit.months < 12
    long = [timeline.extent(parse_date(str(1100 + 45 * n))) for n in range(12)]
    assert timeline.make_axis(long, 0, 190, STUDENT).unit.months >= 600
    flagship = [timeline.extent(parse_date(d)) for d in ("1961-01", "1966-01-14", "1968")]
    assert timeline.make_axis(flagship, 0, 190, STUDENT).unit.months <= 12


def test_a_long_empty_stretch_is_cut_from_the_axis_and_each_side_keeps_one_scale():
    dates = ["1961-01", "1963", "1968", "1997-10-02"]
    axis = timeline.make_axis([timeline.extent(parse_date(d)) for d in dates], 0, 190, STUDENT)
    assert len(axis.segments) == 2
    first, second = axis.segments
    scale = [(s.end_at - s.start_at) / (s.end - s.start) for s in axis.segments]
    assert scale[0] == pytest.approx(scale[1])
    assert dt.date.fromordinal(int(first.end)).year == 1969
    assert dt.date.fromordinal(int(second.start)).year == 1997


def test_partial_dates_are_drawn_as_what_they_may_mean():
    assert timeline.kind_of(parse_date("1961-01")) == "span"
    assert timeline.kind_of(parse_date("1964-10-14/1964-10-16")) == "span"
    assert timeline.kind_of(parse_date("early 1961")) == "band"
    assert timeline.kind_of(parse_date("1963")) == "band"
    assert timeline.kind_of(parse_date("c. 1440")) == "approximate"


# --- the PDF ----------------------------------------------------------------------------------


def _generated(tmp: Path, name: str, events: list[tuple[str, str]]) -> Path:
    """The mini guide with these (date, title) events instead of its own."""
    guide = tmp / name
    shutil.copytree(MINI, guide)
    sections = guide / "sections" / "press.yaml"
    text = sections.read_text(encoding="utf-8")
    text = text.replace("    events: [press-built, bible]\n", "").replace(
        "    events: [towns, theses]\n", ""
    )
    sections.write_text(text, encoding="utf-8")
    lines = ["events:"]
    for number, (date, title) in enumerate(events):
        lines += [f"  - id: event-{number}", f'    date: "{date}"', f'    title: "{title}"']
    (guide / "events.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return guide


WORDS = "treaty harvest council voyage charter rebellion embassy census fire comet".split()


@pytest.fixture(scope="session")
def crowded(builds, tmp_path_factory) -> BuiltGuide:
    """40 events in 3 years, days, months and parts of months among them."""
    events = []
    for n in range(40):
        year, month = 1961 + n // 14, n % 12 + 1
        date = [f"{year}-{month:02d}-{n % 27 + 1:02d}", f"{year}-{month:02d}",
                f"early {year}-{month:02d}"][n % 3]  # fmt: skip
        events.append((date, f"Event {n}: the {WORDS[n % 10]} of {WORDS[(n * 3) % 10]}"))
    return builds(_generated(tmp_path_factory.mktemp("crowded"), "crowded", events))


@pytest.fixture(scope="session")
def centuries(builds, tmp_path_factory) -> BuiltGuide:
    """12 events over 500 years, one of them an estimate."""
    events = [
        (("c. " if n == 3 else "") + str(1100 + 45 * n), f"Event {n}: the great {WORDS[n % 10]}")
        for n in range(12)
    ]
    return builds(_generated(tmp_path_factory.mktemp("centuries"), "centuries", events))


def _label_boxes(built: BuiltGuide, style: timeline.Style = STUDENT) -> dict[str, tuple]:
    """Each event's label on the timeline's pages: (page, x0, top, x1, bottom, size) of its
    first line, found where the figure set it."""
    figures = timeline.figures(built.guide, style)
    number = built.anchor_page("timeline")
    found: dict[str, tuple] = {}
    with pdfplumber.open(built.path) as pdf:
        for figure in figures:
            # The figure's page: from the part's title on, the first with its first label.
            while not pdf.pages[number - 1].search(figure.labels[0].lines[0], regex=False):
                number += 1
            page = pdf.pages[number - 1]
            for label in figure.labels:
                hits = [
                    h for h in page.search(label.lines[0], regex=False) if _whole(page, h, label)
                ]
                assert hits, f"{label.lines!r} is not on page {number}"
                hit = max(hits, key=lambda h: h["top"])  # the figure's, under the part's key
                size = min(c["size"] for c in hit["chars"])
                found[label.event_id] = (
                    number,
                    hit["x0"],
                    hit["top"],
                    hit["x1"],
                    hit["bottom"],
                    size,
                )
                assert 0 <= hit["x0"] and hit["x1"] <= page.width, label.lines
                assert 0 <= hit["top"] and hit["bottom"] <= page.height, label.lines
            number += 1
    return found


def _whole(page, hit: dict, label) -> bool:
    """Whether the label's other lines stand under this hit of its first, line by line (a
    first line of one word, "Kennedy’s", starts other labels too)."""
    top = hit["bottom"]
    for line in label.lines[1:]:
        under = [
            h
            for h in page.search(line, regex=False)
            if abs(h["x0"] - hit["x0"]) < 1 and 0 <= h["top"] - top < hit["bottom"] - hit["top"]
        ]
        if not under:
            return False
        top = under[0]["bottom"]
    return True


def _assert_in_order_and_apart(built: BuiltGuide, boxes: dict[str, tuple]) -> None:
    events = built.guide.chronology
    assert set(boxes) == {e.id for e in events}
    # Lanes are columns: labels of one lane start at one x.
    lanes: dict[tuple[int, int], list[tuple]] = {}
    for event in events:
        page, x0, top, x1, bottom, _ = boxes[event.id]
        lanes.setdefault((page, round(x0)), []).append((top, bottom, event.id))
    for column in lanes.values():
        tops = [top for top, _, _ in column]
        assert tops == sorted(tops), f"labels out of date order: {column}"
        for (_, bottom, a), (top, _, b) in zip(column, column[1:], strict=False):
            assert bottom <= top + 0.5, f"{a} and {b} overlap"


def test_the_flagship_timeline_holds_every_event_in_its_lane_in_date_order(flagship):
    boxes = _label_boxes(flagship)
    _assert_in_order_and_apart(flagship, boxes)
    columns = {round(box[1]) for box in boxes.values()}
    assert len(columns) == 2  # United States, Soviet Union
    soviet = {e.id for e in flagship.guide.chronology if e.lane == "Soviet Union"}
    right = max(columns)
    assert {i for i, b in boxes.items() if round(b[1]) == right} == soviet
    page = flagship.pages[flagship.anchor_page("timeline") - 1]
    assert "United States" in page and "Soviet Union" in page and "1997" in page


def test_forty_events_in_three_years_fit_one_page_in_date_order(crowded):
    boxes = _label_boxes(crowded)
    assert len({page for page, *_ in boxes.values()}) == 1
    _assert_in_order_and_apart(crowded, boxes)
    page = crowded.pages[next(iter(boxes.values()))[0] - 1]
    assert "Apr" in page and "1962" in page  # months between the years


def test_twelve_events_over_five_centuries_are_ticked_by_century(centuries):
    boxes = _label_boxes(centuries)
    _assert_in_order_and_apart(centuries, boxes)
    page = centuries.pages[next(iter(boxes.values()))[0] - 1]
    assert "1200" in page and "1500" in page and "1110" not in page


def test_each_label_links_to_its_event_in_the_chronology(flagship):
    page = flagship.reader.pages[flagship.anchor_page("timeline") - 1]
    targets = {
        str(annotation.get_object().get("/Dest"))
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    }
    for event in flagship.guide.chronology:
        assert any(f"event-{event.id}" in target for target in targets), event.id


def test_the_figure_says_what_it_shows_for_a_screen_reader(flagship):
    summary = (
        "A timeline of 23 events, 1961–1997, in 2 lanes: United States (14 events), Soviet"
        " Union (9 events)."
    )
    text = render_html(flagship.guide, load_layout("student", FLAGSHIP), "A4")
    assert f'role="img" aria-label="{summary}"' in text
    # The tagged PDF's figure carries it as its alternate text.
    figures = [e for e in _elements(flagship.reader) if e["/S"] == "/Figure"]
    assert summary in [figure.get("/Alt") for figure in figures]


def test_a_chronology_of_a_few_events_is_not_drawn(mini):
    assert len(mini.guide.chronology) < STUDENT.min_events
    assert mini.reader.named_destinations.get("timeline") is None
    assert timeline.figures(mini.guide, STUDENT) == []


def test_large_print_splits_the_timeline_by_period_with_labels_of_18_pt(builds):
    built = builds(FLAGSHIP, "large-print")
    style = timeline.Style.from_options(load_layout("large-print", FLAGSHIP).options)
    boxes = _label_boxes(built, style)
    _assert_in_order_and_apart(built, boxes)
    pages = sorted({box[0] for box in boxes.values()})
    assert len(pages) > 1 and all(box[5] >= 17.95 for box in boxes.values())
    # The split is said under each part, the axis repeated on each.
    for number, page in enumerate(pages, start=1):
        text = " ".join(built.pages[page - 1].split())
        assert f"Part {number} of {len(pages)}:" in text
    assert "Continued on the next page." in " ".join(built.pages[pages[0] - 1].split())


def test_each_section_names_its_events_in_date_order(flagship):
    for source in flagship.guide.sources:
        for section in source.sections:
            dates = [e.date.sort_key for e in section.events]
            if dates != sorted(dates):
                words = [e.title for e in sorted(section.events, key=lambda e: e.date.sort_key)]
                page = flagship.pages[flagship.anchor_page(f"section-{section.id}") - 1]
                line = " ".join(page.split())
                at = [line.find(" ".join(w.split()[:3])) for w in words]
                assert at == sorted(at) and -1 not in at, section.id
