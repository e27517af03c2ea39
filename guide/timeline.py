"""The drawn timeline: the chronology to scale, as SVG the layouts embed as vector graphics.

Everything that needs thought about the figure is here, in millimetres, so that templates
only print what it returns: where the axis runs and where it is broken, its ticks, each
event's mark (its honest extent: a day, a month, a band for "early 1961"), where each label
stands (stacked so that none touches another), and how a long chronology is split into
periods, a page each.

Time runs down the page, on one axis at the left shared by the lanes, which are columns side
by side. A portrait page has more room down than across for labels a line or two long: each
lane's labels stand in a column beside its line, in date order, each as near its event as the
others allow, joined to it by a leader line (`place`). Labels placed beside a horizontal axis
as flags on poles were tried first: in a cluster (the flagship's 1961) each label must stand
above every later one its text runs over, so the stacks grew with the density, not the count.
"""

from __future__ import annotations

import dataclasses
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
BREAK_WIDTH = 6.0  # mm the break takes on the axis


@dataclass(frozen=True)
class Style:
    """What a layout sets of the figure (layout.yaml's `timeline:` options)."""

    width: float = 170.0  # mm: the text block's width
    height: float = 230.0  # mm: the most a page of the figure may take...
    first_height: float | None = None  # ...and the first, under the part's title and key
    label_size: float = 8.5  # pt
    max_events: int = 40  # events on one page at most; more are split by period
    min_events: int = 6  # fewer are not drawn: the list shows as much, a page sooner
    max_lines: int = 4  # a title longer than that many lines is cut with an ellipsis
    font: str = "DejaVu Sans"  # the labels' font, as the layout's CSS sets it
    ink: str = "#1a1a1a"  # the text's colour: the years, the labels, the lanes' names...
    coloured_names: bool = True  # ...but these in their lane's colour, unless false
    simplified: bool = False  # large print: no minor ticks, larger marks
    fill: bool = False  # (a page of the figure that goes on: its axis as long as it may be)

    @classmethod
    def from_options(cls, options: dict) -> Style:
        given = options.get("timeline") or {}
        known = {f: given[f] for f in cls.__dataclass_fields__ if f in given}
        return cls(**known)

    @property
    def first(self) -> float:
        return self.first_height or self.height

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
    """A stretch of the axis drawn to scale: day numbers [start, end) at y [start_at,
    end_at), top to bottom."""

    start: float
    end: float
    start_at: float
    end_at: float

    def at(self, day: float) -> float:
        share = (day - self.start) / (self.end - self.start)
        return self.start_at + share * (self.end_at - self.start_at)


@dataclass(frozen=True)
class Axis:
    """The axis: its segments (one, or more with breaks between), its tick unit."""

    segments: tuple[Segment, ...]
    unit: Unit
    minor: Unit | None

    def at(self, day: float) -> float:
        """Where a day stands on the axis (the end of the piece before a break for a day in
        it)."""
        for segment in self.segments:
            if day <= segment.end:  # a period's end at a break is the end of its piece
                return segment.at(max(day, segment.start))
        return self.segments[-1].at(day)

    @property
    def end(self) -> float:
        return self.segments[-1].end_at


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
    """The periods drawn to scale: the events' whole span, cut where a gap between them is
    more than BREAK_SHARE of it."""
    runs = _covered(extents)
    pieces = [(runs[0][0], runs[-1][1])]
    gaps = sorted(
        ((runs[i + 1][0] - runs[i][1], runs[i][1], runs[i + 1][0]) for i in range(len(runs) - 1)),
        reverse=True,
    )
    span = runs[-1][1] - runs[0][0]
    for length, gap_start, gap_end in gaps:
        if length <= BREAK_SHARE * span:
            break
        pieces = [
            piece
            for a, b in pieces
            for piece in (((a, gap_start), (gap_end, b)) if a < gap_start < b else ((a, b),))
        ]
    return pieces


def break_width(style: Style) -> float:
    """What a break takes on the axis: room for the years either side of it to stand apart."""
    return max(BREAK_WIDTH, style.line * 1.6)


def make_axis(
    extents: Sequence[tuple[float, float]], top: float, bottom: float, style: Style
) -> Axis:
    """An axis from y `top` to `bottom` for these extents: the finest tick unit whose labels
    have room between its ticks, each piece widened to whole units of it."""
    pieces = _pieces(extents)
    needed = style.line * 3.2  # labelled ticks far enough apart to read as a scale, not a list
    for unit in UNITS:
        # Whole years at least, so that each piece starts at a labelled year.
        bounds = unit if unit.months >= 12 else Unit(12)
        widened = [(day_number(bounds.floor(a)), day_number(bounds.ceil(b))) for a, b in pieces]
        widened = [
            (a, b if b > a else day_number(bounds.after(bounds.floor(a)))) for a, b in widened
        ]
        widened = _covered(widened)  # pieces widened into each other are one again
        length = bottom - top - break_width(style) * (len(widened) - 1)
        days = sum(b - a for a, b in widened)
        if length / days * unit.months * 30.44 >= needed:
            break
    segments, y = [], top
    for a, b in widened:
        span = (b - a) / days * length
        segments.append(Segment(a, b, y, y + span))
        y += span + break_width(style)
    minor_months = MINOR[unit.months]
    minor = Unit(minor_months) if minor_months and not style.simplified else None
    if minor and length / days * minor.months * 30.44 < MIN_MINOR_GAP:
        minor = None
    return Axis(tuple(segments), unit, minor)


# --- marks and labels -------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """How an event is drawn on its lane: its kind and its extent along the axis."""

    kind: str  # "point" or "span" (a day, a month, a range), "band" (a year or part of one),
    # "approximate" (c. 1440)
    start: float
    end: float


def kind_of(date: PartialDate) -> str:
    """A day or a run of days is a point or a bar; a month a month-long bar; a year or part of
    one (early 1961) a soft band over what it may mean; an estimate a mark drawn uncertain."""
    points: list[DatePoint] = [date.start] + ([date.end] if date.end else [])
    if any(p.approximate for p in points):
        return "approximate"
    if any(p.part for p in points) or any(p.month is None for p in points):
        return "band"
    return "span"


@dataclass
class Label:
    """An event's label: its lines, its lane, where its event is on the axis (`anchor`) and
    where its box's top stands (`y`, set by `place`)."""

    event: model.Event
    lane: int
    lines: tuple[str, ...]
    anchor: float
    width: float
    height: float
    mark: Mark
    y: float = 0.0


LABEL_AIR = 1.0  # mm between two labels of a lane


def place(labels: list[Label], top: float, bottom: float, air: float = LABEL_AIR) -> bool:
    """Set each label's `y` so that the labels of a lane stand in date order, none
    overlapping, each as near its event as the others allow, between `top` and `bottom`;
    False if they cannot all fit.

    One-dimensional label placement by merging clusters: each label wants its box centred
    on its event; labels that would overlap form a cluster, set edge to edge and centred on
    the mean of what its members want, which may make it overlap its neighbour, so clusters
    merge until none overlap; then the whole column is pushed inside [top, bottom]. Order is
    kept, so the leader lines from the events to their labels never cross."""
    labels.sort(key=lambda lb: (lb.anchor, lb.event.date.sort_key))
    total = sum(lb.height + air for lb in labels) - air
    if total > bottom - top + 1e-6:
        return False
    clusters: list[list[Label]] = []
    for label in labels:
        clusters.append([label])
        while len(clusters) > 1 and _start(clusters[-2], air) + _size(clusters[-2], air) > _start(
            clusters[-1], air
        ):
            last = clusters.pop()
            clusters[-1].extend(last)
    y = top
    placed = []
    for cluster in clusters:
        placed.append((max(_start(cluster, air), y), cluster))
        y = placed[-1][0] + _size(cluster, air) + air
    # Pushed back up from the bottom, where the last ones went past it.
    limit = bottom
    for index in range(len(placed) - 1, -1, -1):
        start, cluster = placed[index]
        start = min(start, limit - _size(cluster, air))
        placed[index] = (start, cluster)
        limit = start - air
    for start, cluster in placed:
        for label in cluster:
            label.y = start
            start += label.height + air
    return True


def _size(cluster: list[Label], air: float) -> float:
    return sum(lb.height + air for lb in cluster) - air


def _start(cluster: list[Label], air: float) -> float:
    """Where a cluster's top goes when it is centred on what its labels want: their boxes'
    centres on their events, on average."""
    wanted, offset = 0.0, 0.0
    for label in cluster:
        wanted += label.anchor - (offset + label.height / 2)
        offset += label.height + air
    return wanted / len(cluster)


# --- the figure -------------------------------------------------------------------------------


def axis_width(style: Style) -> float:
    """The room at the left for the years, right-aligned to the axis: the widest of a year
    and the months' short names, and the ticks."""
    widest = max(text_width(t, style.size, style.font, bold=True) for t in ("0000", "Sept"))
    return widest + 4.5


LANE_GAP = 3.0  # mm between a lane's column and the next
LEADER = 7.0  # mm from a lane's line to its labels, for the leader lines to bend in
MARK_X = 2.5  # mm from the column's left edge to the lane's line, where the marks stand


@dataclass(frozen=True)
class Text:
    """A text set over the drawing in the page's own HTML, in mm from its top left: an
    event's label (a link to its entry in the chronology) or a lane's name.

    Not an SVG <text>: WeasyPrint (70) sets an SVG's text letter by letter and writes no
    space into the PDF, so a label copied, searched or read aloud would be
    "Kennedy’sinauguraladdress", and makes no PDF link of an SVG's <a>. Set in HTML, the
    text is the PDF's own, in reading order, and the link is the label itself."""

    lines: tuple[str, ...]
    x: float
    y: float
    width: float
    height: float
    ink: str
    event_id: str = ""  # the event it names; none for a lane's name


@dataclass(frozen=True)
class Figure:
    """One page of the timeline: its drawing, its size, its period and the links over it."""

    drawing: str  # SVG elements, without the <svg> element itself
    width: float
    height: float
    first_year: int
    last_year: int
    events: tuple[str, ...]  # the ids of its events, in date order
    labels: tuple[Text, ...] = field(default=())  # each event's, in date order by lane
    heads: tuple[Text, ...] = field(default=())  # each lane's name


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
    if len(events) < max(style.min_events, 1):
        return []
    lanes = lanes_of(guide)
    parts = _split(events, lanes, style)
    return [
        _figure(part, lanes, _page_style(style, number, len(parts)), language, other, number + 1)
        for number, part in enumerate(parts)
    ]


def _page_style(style: Style, number: int, count: int) -> Style:
    """The style of one page of the figure: the first page's height is what the part's
    title and key leave; a page the figure goes on from is filled to its foot, so that it
    does not end in a blank band (the last ends the part, and may)."""
    height = style.first if number == 0 else style.height
    return dataclasses.replace(style, height=height, first_height=None, fill=number < count - 1)


def _split(events: list[model.Event], lanes: list[str], style: Style) -> list[list[model.Event]]:
    """Periods of the chronology that each fit a page: at most style.max_events events, whose
    labels fit the page's height (the first page's is style.first). Each page takes the
    longest run of events that fits, cut at the widest gap between events in its last third,
    so that a period ends where the chronology pauses rather than mid-cluster."""
    parts: list[list[model.Event]] = []
    rest = events
    while rest:
        height = style.first if not parts else style.height
        fits = _longest_fitting(rest, lanes, dataclasses.replace(style, height=height))
        if fits < len(rest):
            low = max(1, fits - fits // 3)
            fits = max(range(low, fits + 1), key=lambda i: (_gap(rest, i), i))
        parts.append(rest[:fits])
        rest = rest[fits:]
    return parts


def _gap(events: list[model.Event], cut: int) -> float:
    """The days between the events before a cut and the first after it."""
    return extent(events[cut].date)[0] - max(extent(e.date)[1] for e in events[:cut])


def _longest_fitting(events: list[model.Event], lanes: list[str], style: Style) -> int:
    """How many of the events, from the first, one page holds (one at least), by bisection:
    a run that fits is longer the more it may hold."""
    low, high = 1, min(len(events), style.max_events)
    if _layout(events[:high], lanes, style):
        return high
    while high - low > 1:
        middle = (low + high) // 2
        if _layout(events[:middle], lanes, style):
            low = middle
        else:
            high = middle
    return low


def _lane_index(event: model.Event, lanes: list[str]) -> int:
    return lanes.index(event.lane) if event.lane in lanes else len(lanes) - 1


@dataclass(frozen=True)
class _Layout:
    axis: Axis
    labels: list[Label]
    columns: list[float]  # each lane's left edge
    column_width: float
    head: float  # the lanes' names' height, over the axis
    height: float


def _layout(events: list[model.Event], lanes: list[str], style: Style) -> _Layout | None:
    """Where everything goes, or None when the labels do not fit style.height."""
    left = axis_width(style)
    column_width = (style.width - left - LANE_GAP * (len(lanes) - 1)) / len(lanes)
    text_width_max = column_width - MARK_X - LEADER - 1.0
    labels = []
    for event in events:
        lines = wrap(event.title, text_width_max, style)
        width = max(text_width(line, style.size, style.font) for line in lines)
        labels.append(
            Label(
                event,
                _lane_index(event, lanes),
                lines,
                0.0,
                width,
                len(lines) * style.line,
                Mark(kind_of(event.date), 0.0, 0.0),
            )  # fmt: skip
        )
    head = style.line + 3.0 if any(lanes) else 2.0
    # The axis as long as the page allows, or shorter for a few events: a figure no taller
    # than twice what its busiest lane's labels need, and not under a third of the page.
    needed = max(
        sum(lb.height + LABEL_AIR for lb in labels if lb.lane == lane) for lane in range(len(lanes))
    )
    room = style.height - head - style.line
    length = room if style.fill else min(room, max(2 * needed, room / 3))
    top = head + style.line / 2
    extents = [extent(e.date) for e in events]
    axis = make_axis(extents, top, top + length, style)
    for label, (first, end) in zip(labels, extents, strict=True):
        label.anchor = axis.at(first)
        label.mark = Mark(label.mark.kind, axis.at(first), axis.at(end))
    for lane in range(len(lanes)):
        mine = [lb for lb in labels if lb.lane == lane]
        if not place(mine, head, style.height - 1.0):
            return None
    bottom = max([axis.end + style.line] + [lb.y + lb.height for lb in labels])
    columns = [left + i * (column_width + LANE_GAP) for i in range(len(lanes))]
    return _Layout(axis, labels, columns, column_width, head, bottom + 1.0)


# Lanes differ by more than colour: each has its own mark, its own line, its own ink.
LANE_INKS = ("#1f4e79", "#7a2e0e", "#2d5a27", "#5b2a6e")
LANE_DASHES = ("", "2.4 1.2", "0.6 0.9", "3 1 0.8 1")
LANE_SHAPES = ("circle", "square", "diamond", "triangle")
# A year's line across the lanes: dotted, each dot as dark and thick as a photocopier keeps
# (0.6 pt, 55% grey: `guide check --print`), the dots far apart so that it reads light.
GRID = "#737373"
INK = "#1a1a1a"  # the axis and its ticks


def _figure(
    events: list[model.Event],
    lanes: list[str],
    style: Style,
    language: str,
    other: str,
    page: int = 1,
) -> Figure:
    layout = _layout(events, lanes, style) or _forced(events, lanes, style)
    out: list[str] = [_defs(page)]
    out += _grid(layout, style)
    heads = []
    for lane, name in enumerate(lanes):
        shown = name or (other if len(lanes) > 1 else "")
        out += _lane(lane, layout, style, keyed=bool(shown))
        if shown:
            x = layout.columns[lane] + MARK_X + _key_size(style) + 1.1
            heads.append(
                Text(
                    (shown,),
                    x,
                    0.0,
                    style.width - x,
                    style.line,
                    LANE_INKS[lane % len(LANE_INKS)] if style.coloured_names else style.ink,
                )
            )
    labels = []
    for label in sorted(layout.labels, key=lambda lb: (lb.lane, lb.y)):
        text_x = layout.columns[label.lane] + MARK_X + LEADER + 0.8
        out += _event(label, layout.columns[label.lane], text_x, style, page)
        labels.append(
            Text(label.lines, text_x, label.y, label.width, label.height, style.ink, label.event.id)
        )
    out += _axis(layout.axis, layout.columns[0] - LANE_GAP / 2, style, language)
    years = [e.date.year for e in events] + [(e.date.end or e.date.start).year for e in events]
    return Figure(
        "\n".join(out),
        round(style.width, 2),
        round(layout.height, 2),
        min(years),
        max(years),
        tuple(e.id for e in events),
        tuple(labels),
        tuple(heads),
    )


def _forced(events: list[model.Event], lanes: list[str], style: Style) -> _Layout:
    """A period of one event too tall for the page (a title of many lines at a large size):
    laid out on a taller page all the same, rather than not at all."""
    taller = dataclasses.replace(style, height=style.height * 4)
    layout = _layout(events, lanes, taller)
    assert layout is not None
    return layout


def _f(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _defs(page: int) -> str:
    """A soft band fades at both ends: it says "somewhere in here", not "all of this". Its
    gradient's id names the page: every page's SVG is in the one document."""
    stops = (
        '<stop offset="0" stop-color="{c}" stop-opacity="0.1"/>'
        '<stop offset="0.3" stop-color="{c}" stop-opacity="0.45"/>'
        '<stop offset="0.7" stop-color="{c}" stop-opacity="0.45"/>'
        '<stop offset="1" stop-color="{c}" stop-opacity="0.1"/>'
    )
    gradients = "".join(
        f'<linearGradient id="timeline-{page}-band-{i}" x1="0" x2="0" y1="0" y2="1">'
        f"{stops.format(c=ink)}</linearGradient>"
        for i, ink in enumerate(LANE_INKS)
    )
    return f"<defs>{gradients}</defs>"


def _grid(layout: _Layout, style: Style) -> list[str]:
    """Faint lines across the lanes at each labelled year, so an event is read against it."""
    out = []
    years = layout.axis.unit if layout.axis.unit.months >= 12 else Unit(12)
    for segment in layout.axis.segments:
        for tick in years.ticks(segment.start, segment.end):
            y = _f(segment.at(day_number(tick)))
            out.append(
                f'<line fill="none" x1="{_f(layout.columns[0] - 1.5)}" x2="{_f(style.width)}" '
                f'y1="{y}" y2="{y}" '
                f'stroke="{GRID}" stroke-width="0.22" stroke-dasharray="0.22 1.3"/>'
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


def _key_size(style: Style) -> float:
    """The lane's mark before its name, as a key: as large as the name's letters."""
    return max(1.1, style.size * 0.3)


def _lane(lane: int, layout: _Layout, style: Style, keyed: bool) -> list[str]:
    """The lane's line, broken where the axis is, and over it its mark, as in a key, before
    its name (a Text)."""
    ink = LANE_INKS[lane % len(LANE_INKS)]
    dash = LANE_DASHES[lane % len(LANE_DASHES)]
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    x = _f(layout.columns[lane] + MARK_X)
    out = [
        f'<line fill="none" x1="{x}" x2="{x}" y1="{_f(s.start_at)}" y2="{_f(s.end_at)}" '
        f'stroke="{ink}" stroke-width="0.5"{dashed}/>'
        for s in layout.axis.segments
    ]
    if keyed:
        key = _key_size(style)
        out.append(_shape(lane, layout.columns[lane] + MARK_X, style.line / 2, key, ink, ink))
    return out


def _event(label: Label, column: float, text_x: float, style: Style, page: int) -> list[str]:
    """The event's mark on its lane's line, its leader line and its label."""
    ink = LANE_INKS[label.lane % len(LANE_INKS)]
    band = f"url(#timeline-{page}-band-{label.lane % len(LANE_INKS)})"
    mark, out = label.mark, []
    x = column + MARK_X
    r = 1.5 if style.simplified else 1.1
    length = mark.end - mark.start
    if mark.kind == "band" and length < 2 * r:  # a year where a century is a few mm
        out.append(_shape(label.lane, x, mark.start, r * 0.8, "white", ink))
    elif mark.kind == "band":
        out.append(
            f'<rect x="{_f(x - 1.8)}" y="{_f(mark.start)}" width="3.6" '
            f'height="{_f(max(length, 2 * r))}" fill="{band}"/>'
        )
        out.append(_shape(label.lane, x, mark.start, r * 0.8, "white", ink))
    elif mark.kind == "approximate":
        # An estimate: faded whiskers either way, the mark hollow and dashed.
        out.append(
            f'<rect x="{_f(x - 1)}" y="{_f(mark.start - 3)}" width="2" '
            f'height="{_f(length + 6)}" fill="{band}"/>'
        )
        out.append(_shape(label.lane, x, mark.start, r * 1.15, "white", ink, "0.5 0.4"))
    elif length > 2 * r:
        out.append(
            f'<rect x="{_f(x - 1)}" y="{_f(mark.start)}" width="2" height="{_f(length)}" '
            f'rx="0.5" fill="{ink}"/>'
        )
    else:
        out.append(_shape(label.lane, x, mark.start, r, ink, ink))
    # The leader: out from the mark, then to the label's first line, then along to it.
    first_line = label.y + style.line / 2
    out.append(
        f'<polyline points="{_f(x + r)},{_f(mark.start)} {_f(x + 2.4)},{_f(mark.start)} '
        f'{_f(text_x - 2.4)},{_f(first_line)} {_f(text_x - 0.6)},{_f(first_line)}" '
        f'fill="none" stroke="{ink}" stroke-width="0.25"/>'
    )
    return out


def _axis(axis: Axis, x: float, style: Style, language: str) -> list[str]:
    """The axis down the left at `x`, broken between pieces, its ticks and their labels."""
    out = []
    for index, segment in enumerate(axis.segments):
        out.append(
            f'<line fill="none" x1="{_f(x)}" x2="{_f(x)}" y1="{_f(segment.start_at)}" '
            f'y2="{_f(segment.end_at)}" stroke="{INK}" stroke-width="0.4"/>'
        )
        if axis.minor:
            for tick in axis.minor.ticks(segment.start, segment.end):
                minor_y = _f(segment.at(day_number(tick)))
                out.append(
                    f'<line fill="none" x1="{_f(x - 0.9)}" x2="{_f(x)}" '
                    f'y1="{minor_y}" y2="{minor_y}" '
                    f'stroke="{INK}" '
                    'stroke-width="0.15"/>'
                )
        for tick in axis.unit.ticks(segment.start, segment.end):
            y = segment.at(day_number(tick))
            out.append(
                f'<line fill="none" x1="{_f(x - 1.8)}" x2="{_f(x)}" y1="{_f(y)}" y2="{_f(y)}" '
                f'stroke="{INK}" stroke-width="0.3"/>'
            )
            text = _tick_text(tick, axis.unit, language)
            bold = ' font-weight="bold"' if tick.month == 1 and axis.unit.months < 12 else ""
            out.append(
                f'<text x="{_f(x - 2.4)}" y="{_f(y + style.size * 0.35)}" text-anchor="end" '
                f'font-family={quoteattr(style.font)} font-size="{_f(style.size)}"{bold} '
                f'fill="{style.ink}">{escape(text)}</text>'
            )
        if index:  # a break before this piece: two slanted strokes across the axis
            gap = (axis.segments[index - 1].end_at + segment.start_at) / 2
            for dy in (-0.9, 0.9):
                out.append(
                    f'<line fill="none" x1="{_f(x - 1.6)}" x2="{_f(x + 1.6)}" '
                    f'y1="{_f(gap + dy + 0.8)}" '
                    f'y2="{_f(gap + dy - 0.8)}" stroke="{INK}" stroke-width="0.35"/>'
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
