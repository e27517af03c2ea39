"""The drawn timeline: the chronology to scale, as SVG the layouts embed as vector graphics.

Everything that needs thought about the figure is here, in millimetres, so that templates
only print what it returns: where the axis runs and where it is broken, its ticks, each
event's mark (its honest extent: a day, a month, a band for "early 1961"), where each label
stands (stacked so that none touches another), and how a long chronology is split into
periods, a page each.

The figure is horizontal: time runs left to right on one axis shared by the lanes, which are
bands stacked from top to bottom. Each label is a flag: its text starts just right of a thin
pole that rises from the event's mark, so a label's left edge is its event's date and the
labels read in date order along the axis.
"""

from __future__ import annotations

import datetime as dt
import functools
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from . import model
from .dates import DatePoint, PartialDate

PT = 25.4 / 72  # millimetres in a point

# A gap in the chronology longer than this share of the axis is cut out and drawn as a break
# (the flagship's 29 years between 1968 and 1997 would otherwise leave its first eight years
# a fifth of the page), each side of it still to the same scale.
BREAK_SHARE = 1 / 3
BREAK_WIDTH = 7.0  # mm the break takes on the axis


@dataclass(frozen=True)
class Style:
    """What a layout sets of the figure (layout.yaml's `timeline:` options)."""

    width: float = 170.0  # mm: the text block's width
    height: float = 230.0  # mm: the most one page of the figure may take
    label_size: float = 8.5  # pt
    max_events: int = 40  # events on one page at most; more are split by period
    label_width: float = 48.0  # mm: a label wraps to lines no longer than this
    min_label_width: float = 26.0  # mm: ...or this near the axis's end
    max_lines: int = 3  # a title longer than that many lines is cut with an ellipsis
    font: str = "DejaVu Sans"
    simplified: bool = False  # large print: no minor ticks, fewer details

    @classmethod
    def from_options(cls, options: dict) -> Style:
        given = options.get("timeline") or {}
        known = {f: given[f] for f in cls.__dataclass_fields__ if f in given}
        return cls(**known)

    @property
    def size(self) -> float:
        """The label's font size in mm."""
        return self.label_size * PT

    @property
    def line(self) -> float:
        return self.size * 1.2


# --- measuring text ---------------------------------------------------------------------------


@functools.cache
def _font_widths(family: str, bold: bool) -> tuple[dict[int, float], float] | None:
    """Advance widths (in ems) by code point of the font fontconfig gives for `family`, as
    WeasyPrint (Pango, through fontconfig) will draw it; None when no font can be read."""
    try:
        from fontTools.ttLib import TTFont

        pattern = f"{family}:{'bold' if bold else 'regular'}"
        path = subprocess.run(
            ["fc-match", "--format=%{file}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        font = TTFont(path, lazy=True)
        scale = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        cmap = font.getBestCmap()
        widths = {code: metrics[name][0] / scale for code, name in cmap.items()}
        return widths, sum(widths.get(ord(c), 0.55) for c in "etaoin shrdlu") / 12
    except Exception:  # no fontconfig, no such font: an estimate, on the wide side
        return None


def text_width(text: str, size: float, family: str = "DejaVu Sans", bold: bool = False) -> float:
    """The width in mm of `text` set at `size` mm. Kerning only narrows it: a label measured
    this way never runs wider than its box."""
    found = _font_widths(family, bold)
    if found is None:
        return len(text) * 0.62 * size * (1.08 if bold else 1)
    widths, average = found
    return sum(widths.get(ord(c), average) for c in text) * size


def wrap(text: str, width: float, style: Style) -> tuple[str, ...]:
    """The text in lines no wider than `width` mm, broken between words; a word wider than
    the line stands alone. More than style.max_lines lines are cut with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", style.size, style.font) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > style.max_lines:
        kept = lines[: style.max_lines]
        last = kept[-1]
        while last and text_width(last + "…", style.size, style.font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        kept[-1] = last + "…"
        lines = kept
    return tuple(lines)


# --- time and the axis ------------------------------------------------------------------------


def day_number(day: dt.date) -> float:
    return float(day.toordinal())


def extent(date: PartialDate) -> tuple[float, float]:
    """The days a date may mean, as [first, end) in day numbers: a day is one day wide."""
    last = (date.end or date.start).last_day
    return day_number(date.start.first_day), day_number(last) + 1


@dataclass(frozen=True)
class Unit:
    """A step of the axis's ticks: some months or some years."""

    months: int

    def floor(self, day: float) -> dt.date:
        date = dt.date.fromordinal(int(day))
        index = (date.year * 12 + date.month - 1) // self.months * self.months
        return dt.date(index // 12, index % 12 + 1, 1)

    def after(self, date: dt.date) -> dt.date:
        index = date.year * 12 + date.month - 1 + self.months
        return dt.date(index // 12, index % 12 + 1, 1)

    def ceil(self, day: float) -> dt.date:
        floor = self.floor(day)
        return floor if day_number(floor) >= day else self.after(floor)

    def ticks(self, start: float, end: float) -> list[dt.date]:
        """Every tick from `start` to `end`, both included when they fall on one."""
        found, tick = [], self.ceil(start)
        while day_number(tick) <= end:
            found.append(tick)
            tick = self.after(tick)
        return found


# Month, quarter, half year, then years: the axis labels the finest whose labels fit.
UNITS = [Unit(m) for m in (1, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000)]
# The finer step drawn as short unlabelled ticks under each: years under a decade, months
# under a year.
MINOR = {1: None, 3: 1, 6: 1, 12: 1, 24: 12, 60: 12, 120: 12, 240: 60, 600: 120, 1200: 120,
         2400: 1200, 6000: 1200, 12000: 6000}  # fmt: skip
MIN_MINOR_GAP = 1.0  # mm: closer minor ticks would print as a grey smear


@dataclass(frozen=True)
class Segment:
    """A stretch of the axis drawn to scale: day numbers [start, end) at x [left, right)."""

    start: float
    end: float
    left: float
    right: float

    def x(self, day: float) -> float:
        return self.left + (day - self.start) / (self.end - self.start) * (self.right - self.left)


@dataclass(frozen=True)
class Axis:
    """The axis: its segments (one, or more with breaks between), its tick unit."""

    segments: tuple[Segment, ...]
    unit: Unit
    minor: Unit | None

    def x(self, day: float) -> float:
        for segment in self.segments:
            if day < segment.end:
                return segment.x(max(day, segment.start))
        return self.segments[-1].x(day)

    @property
    def left(self) -> float:
        return self.segments[0].left

    @property
    def right(self) -> float:
        return self.segments[-1].right

    def mm_per_day(self) -> float:
        s = self.segments[0]
        return (s.right - s.left) / (s.end - s.start)


def _covered(extents: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The stretches of time the events cover, merged where they touch."""
    runs: list[list[float]] = []
    for first, end in sorted(extents):
        if runs and first <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([first, end])
    return [(a, b) for a, b in runs]


def _pieces(extents: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The periods drawn to scale: the events' whole span, cut where a gap would take more
    than BREAK_SHARE of the axis (the widest first, until none does)."""
    runs = _covered(extents)
    pieces = [(runs[0][0], runs[-1][1])]
    gaps = sorted(
        ((runs[i + 1][0] - runs[i][1], runs[i][1], runs[i + 1][0]) for i in range(len(runs) - 1)),
        reverse=True,
    )
    for length, gap_start, gap_end in gaps:
        drawn = sum(b - a for a, b in pieces)
        if length <= BREAK_SHARE * drawn:
            break
        pieces = [
            piece
            for a, b in pieces
            for piece in (((a, gap_start), (gap_end, b)) if a < gap_start < b else ((a, b),))
        ]
    return pieces


def make_axis(
    extents: Sequence[tuple[float, float]], left: float, right: float, style: Style
) -> Axis:
    """An axis from x `left` to `right` for these extents: the finest tick unit whose labels
    fit between its ticks, each piece widened to whole units of it."""
    pieces = _pieces(extents)
    breaks = BREAK_WIDTH * (len(pieces) - 1)
    width = right - left - breaks
    label = text_width("0000", style.size, style.font) + 2.5  # a year, and air either side
    for unit in UNITS:
        widened = [(day_number(unit.floor(a)), day_number(unit.ceil(b))) for a, b in pieces]
        widened = [(a, b if b > a else day_number(unit.after(unit.floor(a)))) for a, b in widened]
        days = sum(b - a for a, b in widened)
        spacing = width / days * unit.months * 30.44
        needed = label * (1.0 if unit.months >= 12 else 0.9)
        if spacing >= needed:
            break
    segments, x = [], left
    for a, b in widened:
        span = (b - a) / days * width
        segments.append(Segment(a, b, x, x + span))
        x += span + BREAK_WIDTH
    minor_months = MINOR[unit.months]
    minor = Unit(minor_months) if minor_months and not style.simplified else None
    if minor and width / days * minor.months * 30.44 < MIN_MINOR_GAP:
        minor = None
    return Axis(tuple(segments), unit, minor)


# --- marks and labels -------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """How an event is drawn on its lane: its kind and its extent in x."""

    kind: str  # "point" (a day), "span" (a month, a range), "band" (part of a period),
    # "approximate" (c. 1440)
    x0: float
    x1: float


def kind_of(date: PartialDate) -> str:
    """A day or a run of days is a point or a bar; a month a month-wide bar; a year or part of
    one (early 1961) a soft band over what it may mean; an estimate a mark drawn uncertain."""
    points: list[DatePoint] = [date.start] + ([date.end] if date.end else [])
    if any(p.approximate for p in points):
        return "approximate"
    if any(p.part for p in points) or any(p.month is None for p in points):
        return "band"
    return "span"


@dataclass
class Label:
    """An event's label: its lines, its box (x, y from the lane's baseline upwards), its lane."""

    event: model.Event
    lane: int
    lines: tuple[str, ...]
    x: float  # the pole, at the event's start
    width: float  # of the box: the pole's gap and the text
    height: float
    mark: Mark
    y: float = 0.0  # the box's bottom, above the baseline


POLE_GAP = 0.9  # mm between the pole and its text
LABEL_AIR = 1.2  # mm kept clear around each label
MARK_ROOM = 3.2  # mm above the baseline that the marks take, under the lowest label


def place(labels: list[Label]) -> float:
    """Stack one lane's labels so that no two boxes overlap and no pole crosses a label: the
    height the lane needs above its marks.

    Labels are placed from the last event to the first, each as low as it fits. The boxes
    placed before it belong to events no earlier than its own, so they start at or right of
    its pole: the pole of an earlier event never runs through a later label, and in a
    cluster the earliest label stands highest, the rest stepping down to the right."""
    placed: list[Label] = []
    for label in sorted(labels, key=lambda lb: (lb.x, lb.event.date.sort_key), reverse=True):
        beside = [
            other
            for other in placed
            if other.x < label.x + label.width + LABEL_AIR
            and label.x < other.x + other.width + LABEL_AIR
        ]
        for y in sorted({MARK_ROOM} | {o.y + o.height + LABEL_AIR for o in beside}):
            if all(y + label.height + LABEL_AIR <= o.y or o.y + o.height + LABEL_AIR <= y
                   for o in beside):  # fmt: skip
                label.y = y
                break
        placed.append(label)
    return max((lb.y + lb.height for lb in placed), default=MARK_ROOM)


# --- the figure -------------------------------------------------------------------------------

AXIS_ROOM = 9.0  # mm under the last lane: the axis, its ticks and their labels
LEFT = 6.0  # mm before the axis starts: half a tick label


@dataclass(frozen=True)
class Link:
    """Where an event's label stands in the figure, in mm from its top left: a link to the
    event's entry in the chronology is laid over it."""

    event_id: str
    title: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Figure:
    """One page of the timeline: its drawing, its size, its period and the links over it."""

    drawing: str  # SVG elements, without the <svg> element itself
    width: float
    height: float
    first_year: int
    last_year: int
    events: tuple[str, ...]  # the ids of its events, in date order
    links: tuple[Link, ...] = field(default=())


def lanes_of(guide: model.Guide) -> list[str]:
    """The lanes drawn: those declared, then one for events with none, if any have none;
    without lanes, one lane with no name."""
    if not guide.info.lanes:
        return [""]
    lanes = list(guide.info.lanes)
    if any(e.lane is None for e in guide.chronology):
        lanes.append("")
    return lanes


def figures(
    guide: model.Guide, style: Style, language: str = "en", other: str = "Other"
) -> list[Figure]:
    """The timeline's pages: the whole chronology on one if it fits, else split by period."""
    events = list(guide.chronology)
    if not events:
        return []
    lanes = lanes_of(guide)
    parts = _split(events, lanes, style)
    return [_figure(part, lanes, style, language, other) for part in parts]


def _split(events: list[model.Event], lanes: list[str], style: Style) -> list[list[model.Event]]:
    """Periods of the chronology that each fit a page: at most style.max_events events, and
    laid out no taller than style.height. A period too big is cut in two at the widest gap
    between its events that leaves each side a third of them or more."""
    if len(events) <= 1 or (
        len(events) <= style.max_events and _layout(events, lanes, style)[0] <= style.height
    ):
        return [events]
    third = max(1, len(events) // 3)
    cuts = range(third, len(events) - third + 1) if len(events) >= 3 else range(1, 2)
    best = max(
        cuts,
        key=lambda i: (
            extent(events[i].date)[0] - extent(events[i - 1].date)[1],
            -abs(len(events) / 2 - i),
        ),
    )
    return _split(events[:best], lanes, style) + _split(events[best:], lanes, style)


def _lane_index(event: model.Event, lanes: list[str]) -> int:
    return lanes.index(event.lane) if event.lane in lanes else len(lanes) - 1


def _layout(
    events: list[model.Event], lanes: list[str], style: Style
) -> tuple[float, Axis, list[Label], list[tuple[float, float]]]:
    """(height, axis, labels placed, each lane's top and baseline, in y from the figure's
    top)."""
    extents = [extent(e.date) for e in events]
    # The labels near the axis's end run past it: the axis ends where the narrowest label
    # still fits after the last event.
    axis = make_axis(extents, LEFT, style.width - style.min_label_width, style)
    labels = []
    for event, (first, end) in zip(events, extents, strict=True):
        x0, x1 = axis.x(first), axis.x(end)
        room = min(style.label_width, style.width - x0 - POLE_GAP)
        lines = wrap(event.title, max(room, style.min_label_width * 0.8), style)
        width = POLE_GAP + max(text_width(line, style.size, style.font) for line in lines)
        labels.append(
            Label(
                event,
                _lane_index(event, lanes),
                lines,
                x0,
                width,
                len(lines) * style.line,
                Mark(kind_of(event.date), x0, x1),
            )
        )
    bands, top = [], 0.0
    for lane in range(len(lanes)):
        above = place([lb for lb in labels if lb.lane == lane])
        head = style.line + 1.5 if lanes[lane] or len(lanes) > 1 else 1.0
        bands.append((top, top + head + above))
        top += head + above + 4.0  # under the baseline: the marks' lower half and air
    return top + AXIS_ROOM, axis, labels, bands


# Lanes differ by more than colour: each has its own mark, its own line, its own ink.
LANE_INKS = ("#1f4e79", "#7a2e0e", "#2d5a27", "#5b2a6e")
LANE_DASHES = ("", "3 1.2", "0.6 1", "4 1 0.8 1")
LANE_SHAPES = ("circle", "square", "diamond", "triangle")
GRID = "#b0b0b0"
INK = "#1a1a1a"


def _figure(
    events: list[model.Event], lanes: list[str], style: Style, language: str, other: str
) -> Figure:
    height, axis, labels, bands = _layout(events, lanes, style)
    baselines = [baseline for _, baseline in bands]
    out: list[str] = [_defs()]
    axis_y = height - AXIS_ROOM + 1.0
    out += _grid(axis, bands[0][0] + style.line + 1.0, axis_y)
    for lane, name in enumerate(lanes):
        top, baseline = bands[lane]
        out += _lane(lane, name or (other if len(lanes) > 1 else ""), top, baseline, axis, style)
    links = []
    for label in labels:
        out += _event(label, baselines[label.lane], style)
        top = baselines[label.lane] - label.y - label.height
        links.append(
            Link(label.event.id, label.event.title, label.x, top, label.width, label.height)
        )
    out += _axis(axis, axis_y, style, language)
    years = [e.date.year for e in events] + [(e.date.end or e.date.start).year for e in events]
    return Figure(
        "\n".join(out),
        round(style.width, 2),
        round(height, 2),
        min(years),
        max(years),
        tuple(e.id for e in events),
        tuple(links),
    )


def _f(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _defs() -> str:
    """A soft band fades at both ends: it says "somewhere in here", not "all of this"."""
    stops = '<stop offset="0" stop-color="{c}" stop-opacity="0.15"/>' \
        '<stop offset="0.25" stop-color="{c}" stop-opacity="0.55"/>' \
        '<stop offset="0.75" stop-color="{c}" stop-opacity="0.55"/>' \
        '<stop offset="1" stop-color="{c}" stop-opacity="0.15"/>'  # fmt: skip
    gradients = "".join(
        f'<linearGradient id="band-{i}" x1="0" x2="1" y1="0" y2="0">{stops.format(c=ink)}'
        "</linearGradient>"
        for i, ink in enumerate(LANE_INKS)
    )
    return f"<defs>{gradients}</defs>"


def _grid(axis: Axis, top: float, bottom: float) -> list[str]:
    """Faint lines up from each labelled tick, so an event is read against its year."""
    out = []
    for segment in axis.segments:
        for tick in axis.unit.ticks(segment.start, segment.end):
            x = _f(segment.x(day_number(tick)))
            out.append(
                f'<line x1="{x}" x2="{x}" y1="{_f(top)}" y2="{_f(bottom)}" stroke="{GRID}" '
                'stroke-width="0.15" stroke-dasharray="0.5 0.8"/>'
            )
    return out


def _shape(kind: int, x: float, y: float, r: float, fill: str, stroke: str, dash: str = "") -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="0.3"{dashed}'
    shape = LANE_SHAPES[kind % len(LANE_SHAPES)]
    if shape == "circle":
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" {paint}/>'
    if shape == "square":
        return (
            f'<rect x="{_f(x - r * 0.9)}" y="{_f(y - r * 0.9)}" width="{_f(r * 1.8)}" '
            f'height="{_f(r * 1.8)}" {paint}/>'
        )
    if shape == "diamond":
        r *= 1.25
        points = f"{_f(x)},{_f(y - r)} {_f(x + r)},{_f(y)} {_f(x)},{_f(y + r)} {_f(x - r)},{_f(y)}"
    else:
        r *= 1.2
        points = f"{_f(x)},{_f(y - r)} {_f(x + r)},{_f(y + r * 0.8)} {_f(x - r)},{_f(y + r * 0.8)}"
    return f'<polygon points="{points}" {paint}/>'


def _lane(lane: int, name: str, top: float, baseline: float, axis: Axis, style: Style) -> list[str]:
    """The lane's line, broken where the axis is, and over its band its name, its mark
    before it as in a key."""
    ink = LANE_INKS[lane % len(LANE_INKS)]
    dash = LANE_DASHES[lane % len(LANE_DASHES)]
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    out = [
        f'<line x1="{_f(s.left)}" x2="{_f(s.right)}" y1="{_f(baseline)}" y2="{_f(baseline)}" '
        f'stroke="{ink}" stroke-width="0.45"{dashed}/>'
        for s in axis.segments
    ]
    if name:
        y = top + style.size * 0.95
        out.append(_shape(lane, 1.4, y - style.size * 0.35, 1.1, ink, ink))
        out.append(
            f'<text x="3.4" y="{_f(y)}" font-family={quoteattr(style.font)} '
            f'font-size="{_f(style.size)}" font-weight="bold" fill="{ink}">{escape(name)}</text>'
        )
    return out


def _event(label: Label, baseline: float, style: Style) -> list[str]:
    """The event's mark on its lane, its pole and its label."""
    ink = LANE_INKS[label.lane % len(LANE_INKS)]
    mark, out = label.mark, []
    r = 1.1 if not style.simplified else 1.5
    if mark.kind == "band":
        out.append(
            f'<rect x="{_f(mark.x0)}" y="{_f(baseline - 1.6)}" '
            f'width="{_f(max(mark.x1 - mark.x0, 2 * r))}" height="3.2" '
            f'fill="url(#band-{label.lane % len(LANE_INKS)})"/>'
        )
        out.append(_shape(label.lane, mark.x0, baseline, r * 0.8, "white", ink))
    elif mark.kind == "approximate":
        # An estimate: faded whiskers either side, the mark hollow and dashed.
        out.append(
            f'<rect x="{_f(mark.x0 - 3)}" y="{_f(baseline - 0.9)}" '
            f'width="{_f(mark.x1 - mark.x0 + 6)}" height="1.8" '
            f'fill="url(#band-{label.lane % len(LANE_INKS)})"/>'
        )
        out.append(_shape(label.lane, mark.x0, baseline, r * 1.15, "white", ink, "0.5 0.4"))
    elif mark.x1 - mark.x0 > 2 * r:
        out.append(
            f'<rect x="{_f(mark.x0)}" y="{_f(baseline - 0.9)}" width="{_f(mark.x1 - mark.x0)}" '
            f'height="1.8" rx="0.5" fill="{ink}"/>'
        )
    else:
        out.append(_shape(label.lane, mark.x0, baseline, r, ink, ink))
    top = baseline - label.y - label.height
    out.append(
        f'<line x1="{_f(label.x)}" x2="{_f(label.x)}" y1="{_f(baseline - r)}" '
        f'y2="{_f(top + 0.3)}" stroke="{ink}" stroke-width="0.25"/>'
    )
    text_x = label.x + POLE_GAP
    for index, line in enumerate(label.lines):
        y = top + style.size * 0.93 + index * style.line
        out.append(
            f'<text x="{_f(text_x)}" y="{_f(y)}" font-family={quoteattr(style.font)} '
            f'font-size="{_f(style.size)}" fill="{INK}">{escape(line)}</text>'
        )
    return out


def _axis(axis: Axis, y: float, style: Style, language: str) -> list[str]:
    """The axis line, broken between pieces, its ticks and their labels."""
    out = []
    for index, segment in enumerate(axis.segments):
        out.append(
            f'<line x1="{_f(segment.left)}" x2="{_f(segment.right)}" y1="{_f(y)}" y2="{_f(y)}" '
            f'stroke="{INK}" stroke-width="0.4"/>'
        )
        if axis.minor:
            for tick in axis.minor.ticks(segment.start, segment.end):
                x = _f(segment.x(day_number(tick)))
                out.append(
                    f'<line x1="{x}" x2="{x}" y1="{_f(y)}" y2="{_f(y + 0.9)}" stroke="{INK}" '
                    'stroke-width="0.15"/>'
                )
        for tick in axis.unit.ticks(segment.start, segment.end):
            x = segment.x(day_number(tick))
            out.append(
                f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{_f(y)}" y2="{_f(y + 1.8)}" '
                f'stroke="{INK}" stroke-width="0.3"/>'
            )
            text = _tick_text(tick, axis.unit, language)
            bold = ' font-weight="bold"' if tick.month == 1 and axis.unit.months < 12 else ""
            out.append(
                f'<text x="{_f(x)}" y="{_f(y + 1.8 + style.size)}" text-anchor="middle" '
                f'font-family={quoteattr(style.font)} font-size="{_f(style.size)}"{bold} '
                f'fill="{INK}">{escape(text)}</text>'
            )
        if index:  # a break before this piece: two slanted strokes across the axis
            gap = (axis.segments[index - 1].right + segment.left) / 2
            for dx in (-0.9, 0.9):
                out.append(
                    f'<line x1="{_f(gap + dx - 0.8)}" x2="{_f(gap + dx + 0.8)}" '
                    f'y1="{_f(y + 1.4)}" y2="{_f(y - 1.4)}" stroke="{INK}" stroke-width="0.35"/>'
                )
    return out


def _tick_text(tick: dt.date, unit: Unit, language: str) -> str:
    """A year, or a month's short name (January by its year, which it starts)."""
    if unit.months >= 12 or tick.month == 1:
        return str(tick.year)
    return _month_names(language)[tick.month]


@functools.cache
def _month_names(language: str) -> dict[int, str]:
    from babel.dates import get_month_names

    from .dates import _locale

    locale = _locale(language)
    if locale is None:
        return {m: str(m) for m in range(1, 13)}
    return dict(get_month_names("abbreviated", context="stand-alone", locale=locale))


def years_text(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def lanes_count(events: Sequence[model.Event], lanes: list[str]) -> list[int]:
    counts = [0] * len(lanes)
    for event in events:
        counts[_lane_index(event, lanes)] += 1
    return counts
