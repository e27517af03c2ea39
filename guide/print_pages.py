"""What the print checker reads from a built PDF: each page's text lines in drawing order, its
other marks (rules, boxes, images), and what the pages themselves say about the document's
body size, main text column, text block and parts.

Nothing here knows a layout: a layout of someone else's, with other margins, sizes or a
column of sidenotes, is measured the same way, from where its type actually lands.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

MM = 72 / 25.4

# Characters that print nothing: they neither fill a band nor count as type.
_INVISIBLE = re.compile(r"\s")


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    colour: tuple[float, ...] | None  # the fill colour's components, as the PDF gives them


@dataclass(frozen=True)
class Line:
    """A run of characters drawn one after another on one baseline: one line of one column.

    `index` is its place in the page's drawing order, which for WeasyPrint is reading order
    within a flow: a paragraph's next line is (nearly always) the next Line.
    """

    page: int
    index: int
    chars: tuple[Char, ...]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @property
    def size(self) -> float:
        """The size most of its visible characters are set in."""
        sizes = Counter(round(c.size, 2) for c in self.chars if not _INVISIBLE.match(c.text))
        return sizes.most_common(1)[0][0] if sizes else round(self.chars[0].size, 2)


@dataclass(frozen=True)
class Mark:
    """Something drawn that is not text: a filled or stroked area, a line, a curve, an image.

    A border is drawn by WeasyPrint as two rectangles filled even-odd (the outer box and the
    inner one, the ring between them showing); `read_pages` turns each such pair into one
    Mark per side that shows, so a 0.5 pt rule under a 30 mm box is a 0.5 pt Mark.
    `colour` is RGB (0–1) as it prints on white paper, translucency applied.
    """

    x0: float
    x1: float
    top: float
    bottom: float
    colour: tuple[float, ...] | None
    kind: str  # "fill", "stroke" or "image"

    @property
    def thickness(self) -> float:
        return min(self.x1 - self.x0, self.bottom - self.top)

    @property
    def length(self) -> float:
        return max(self.x1 - self.x0, self.bottom - self.top)


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]
    marks: list[Mark]

    @property
    def chars(self) -> Iterable[Char]:
        for line in self.lines:
            yield from line.chars


@dataclass(frozen=True)
class Frame:
    """What the document's pages say about how it is set.

    body_size: the size most characters are set in (their mode, weighted by count).
    columns: the main text column's (left, right) for odd and for even pages, from where
        body-size characters start and end (robust percentiles, so a hanging bullet or a
        wide table does not move it); the two differ when margins mirror.
    text_top, text_bottom: the text block, from the extent of everything on the pages but
        the running heads and feet.
    head_bottom, foot_top: where the running heads end and the feet begin (None: none).
    part_ends: pages that end a part: the page before each level-1 bookmark's page (its
        own page, when the part starts lower down it, running on), and the last page.
    part_starts: pages a part starts on.
    """

    body_size: float
    columns: dict[int, tuple[float, float]]
    text_top: float
    text_bottom: float
    head_bottom: float | None
    foot_top: float | None
    part_ends: frozenset[int]
    part_starts: frozenset[int]  # pages a level-1 bookmark points to

    def column(self, page: int) -> tuple[float, float]:
        return self.columns[page % 2]

    def is_furniture(self, top: float, bottom: float) -> bool:
        """Whether something lies wholly in the running heads' or feet's band (or, where a
        document has none, wholly outside the text block)."""
        above = self.head_bottom if self.head_bottom is not None else self.text_top
        below = self.foot_top if self.foot_top is not None else self.text_bottom
        return bottom <= above + 0.5 or top >= below - 0.5


@dataclass(frozen=True)
class Bookmark:
    level: int  # 1 for a part
    title: str
    page: int  # 1-based
    top: float | None  # how far down the page it points, when it says


@dataclass
class Document:
    pages: list[Page]
    frame: Frame
    outline: list[Bookmark] = field(default_factory=list)


def read_pages(pdf: Path | bytes | BinaryIO) -> Document:
    """Read every page of a PDF, then derive its frame from them.

    pdfium (pypdfium2) reads it: in C, about ten times faster than pdfminer, which matters
    for a check a layout author runs after each change and the tests run on every layout.
    """
    import pypdfium2 as pdfium

    source: Path | str | bytes
    if isinstance(pdf, Path | str):
        source = pdf
    elif isinstance(pdf, bytes):
        source = pdf
    else:
        source = pdf.read()
    document = pdfium.PdfDocument(source)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            try:
                pages.append(_page(index + 1, page))
            finally:
                page.close()
        outline = _outline(document)
    finally:
        document.close()
    return Document(pages, _frame(pages, outline), outline)


def _page(number: int, page) -> Page:
    width, height = page.get_size()
    left, bottom, _, _ = page.get_mediabox()
    flip = _Flip(left, bottom + height)
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, flip)
    finally:
        textpage.close()
    marks = _marks(page, flip)
    return Page(number, float(width), float(height), _lines(number, chars), marks)


@dataclass(frozen=True)
class _Flip:
    """PDF space (origin bottom left, y up) to page space (origin top left, y down)."""

    left: float
    top: float

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """(x0, x1, top, bottom) of a box given by two corners in PDF space."""
        return (
            min(x0, x1) - self.left,
            max(x0, x1) - self.left,
            self.top - max(y0, y1),
            self.top - min(y0, y1),
        )


def _chars(textpage, flip: _Flip) -> list[Char]:
    import pypdfium2.raw as raw

    handle = textpage.raw
    box = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    runs: dict[int, tuple[float, tuple[float, ...] | None]] = {}  # text object -> size, colour
    chars: list[Char] = []
    for index in range(raw.FPDFText_CountChars(handle)):
        code = raw.FPDFText_GetUnicode(handle, index)
        if raw.FPDFText_IsGenerated(handle, index) == 1:
            # Something pdfium inferred, not drawn: a line break (dropped) or the space a
            # gap between words stands for (kept, where the gap starts, so words stay apart).
            if code == 0x20 and chars:
                last = chars[-1]
                chars.append(Char(" ", last.x1, last.x1, last.top, last.bottom, last.size, None))
            continue
        if code == 2:
            # pdfium reports a hyphen-minus that ends a line as 0x02 (its "maybe a soft
            # hyphen" mark); what was drawn is the hyphen.
            code = 0x2D
        if code < 0x20 or code == 0xFFFE:
            continue
        run = raw.FPDFText_GetTextObject(handle, index)
        key = ctypes.cast(run, ctypes.c_void_p).value or 0
        if key not in runs:
            raw.FPDFText_GetMatrix(handle, index, matrix)
            scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            size = raw.FPDFText_GetFontSize(handle, index) * (scale or 1.0)
            colour: tuple[float, ...] | None = None
            if raw.FPDFText_GetFillColor(handle, index, red, green, blue, alpha):
                colour = _on_paper(red.value, green.value, blue.value, alpha.value)
            runs[key] = (size, colour)
        size, colour = runs[key]
        if not raw.FPDFText_GetLooseCharBox(handle, index, box):
            continue
        x0, x1, top, bottom = flip.box(box.left, box.bottom, box.right, box.top)
        chars.append(Char(chr(code), x0, x1, top, bottom, size, colour))
    return chars


def _on_paper(red: int, green: int, blue: int, alpha: int) -> tuple[float, float, float]:
    """An RGBA colour as it prints on white paper: a translucent colour is lighter."""
    opacity = alpha / 255

    def printed(component: int) -> float:
        return component / 255 * opacity + (1 - opacity)

    return printed(red), printed(green), printed(blue)


def _lines(number: int, chars: list[Char]) -> list[Line]:
    """Chars in drawing order, cut wherever the next one is not on the same baseline just to
    the right: a new line, another column, a bullet drawn after its item."""
    lines: list[Line] = []
    current: list[Char] = []
    for char in chars:
        if current:
            last = current[-1]
            size = max(char.size, last.size)
            same_line = (
                abs(char.bottom - last.bottom) < 0.5 * size
                and char.x0 > last.x0 - 0.5
                and char.x0 - last.x1 < 2 * size
            )
            if not same_line:
                lines.append(Line(number, len(lines), tuple(current)))
                current = []
        current.append(char)
    if current:
        lines.append(Line(number, len(lines), tuple(current)))
    return lines


# --- marks --------------------------------------------------------------------------------------

_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _marks(page, flip: _Flip) -> list[Mark]:
    import pypdfium2.raw as raw

    marks: list[Mark] = []

    def visit(handle, outer: _Matrix) -> None:
        kind = raw.FPDFPageObj_GetType(handle)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            marks.extend(_path_marks(handle, outer, flip))
        elif kind in (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_SHADING):
            corners: list[tuple[float, float]] = [(0, 0), (1, 0), (0, 1), (1, 1)]
            if kind == raw.FPDF_PAGEOBJ_SHADING:
                corners = _bounds_corners(handle)
                matrix = outer
            else:
                matrix = _times(_matrix(handle), outer)
            points = [_apply(matrix, x, y) for x, y in corners]
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            x0, x1, top, bottom = flip.box(min(xs), min(ys), max(xs), max(ys))
            marks.append(Mark(x0, x1, top, bottom, None, "image"))
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            inner = _times(_matrix(handle), outer)
            for index in range(raw.FPDFFormObj_CountObjects(handle)):
                visit(raw.FPDFFormObj_GetObject(handle, index), inner)

    for index in range(raw.FPDFPage_CountObjects(page.raw)):
        visit(raw.FPDFPage_GetObject(page.raw, index), _IDENTITY)
    return marks


def _matrix(handle) -> _Matrix:
    import pypdfium2.raw as raw

    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(handle, matrix):
        return _IDENTITY
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _times(first: _Matrix, then: _Matrix) -> _Matrix:
    """The matrix applying `first`, then `then` (PDF's row-vector convention)."""
    a, b, c, d, e, f = first
    A, B, C, D, E, F = then
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _apply(matrix: _Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _bounds_corners(handle) -> list[tuple[float, float]]:
    import pypdfium2.raw as raw

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not raw.FPDFPageObj_GetBounds(handle, left, bottom, right, top):
        return []
    return [(left.value, bottom.value), (right.value, top.value)]


def _path_marks(handle, outer: _Matrix, flip: _Flip) -> list[Mark]:
    """The marks one path draws.

    WeasyPrint draws each side of a border as two rectangles filled even-odd, the box and the
    box inside the border, so that only the ring between them shows (clipped to that side):
    such a pair becomes one Mark per side of the ring that has a width. A stroked path becomes
    a Mark per straight segment as wide as its line; anything else fills its bounding box.
    """
    import pypdfium2.raw as raw

    matrix = _times(_matrix(handle), outer)
    fill_mode, stroked = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(handle, fill_mode, stroked):
        return []
    filled = fill_mode.value != raw.FPDF_FILLMODE_NONE
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    fill = stroke = None
    if filled and raw.FPDFPageObj_GetFillColor(handle, red, green, blue, alpha):
        fill = _on_paper(red.value, green.value, blue.value, alpha.value)
    if stroked.value and raw.FPDFPageObj_GetStrokeColor(handle, red, green, blue, alpha):
        stroke = _on_paper(red.value, green.value, blue.value, alpha.value)
    subpaths = _subpaths(handle, matrix)
    marks: list[Mark] = []
    if filled:
        boxes = [flip.box(*_box(points)) for points in subpaths if len(points) > 1]
        even_odd = fill_mode.value == raw.FPDF_FILLMODE_ALTERNATE
        if even_odd and len(boxes) == 2 and all(_is_rectangle(p) for p in subpaths):
            marks.extend(Mark(*side, fill, "fill") for side in _ring(*boxes))
        else:
            marks.extend(Mark(*box, fill, "fill") for box in boxes)
    if stroked.value:
        width = ctypes.c_float()
        raw.FPDFPageObj_GetStrokeWidth(handle, width)
        a, b, c, d, _, _ = matrix
        half = width.value * abs(a * d - b * c) ** 0.5 / 2
        for points in subpaths:
            for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
                left, right, top, bottom = flip.box(x0, y0, x1, y1)
                marks.append(
                    Mark(left - half, right + half, top - half, bottom + half, stroke, "stroke")
                )
    return marks


def _subpaths(handle, matrix: _Matrix) -> list[list[tuple[float, float]]]:
    """The path's points in PDF page space, one list per subpath (closed ones end at their
    start again)."""
    import pypdfium2.raw as raw

    subpaths: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for index in range(raw.FPDFPath_CountSegments(handle)):
        segment = raw.FPDFPath_GetPathSegment(handle, index)
        if not raw.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = _apply(matrix, x.value, y.value)
        if raw.FPDFPathSegment_GetType(segment) == raw.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        else:
            subpaths[-1].append(point)
        if raw.FPDFPathSegment_GetClose(segment) and subpaths[-1][0] != point:
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def _box(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _is_rectangle(points) -> bool:
    corners = points[:-1] if len(points) == 5 and points[0] == points[-1] else points
    if len(corners) != 4:
        return False
    xs = {round(p[0], 3) for p in corners}
    ys = {round(p[1], 3) for p in corners}
    return len(xs) <= 2 and len(ys) <= 2


def _ring(first, second) -> list[tuple[float, float, float, float]]:
    """The sides of the ring between two nested boxes (x0, x1, top, bottom), where it has a
    width; the whole outer box if they do not nest."""
    outer, inner = (first, second) if _contains(first, second) else (second, first)
    if not _contains(outer, inner):
        return [first, second]
    x0, x1, top, bottom = outer
    i0, i1, itop, ibottom = inner
    sides = [
        (x0, x1, top, itop),
        (x0, x1, ibottom, bottom),
        (x0, i0, top, bottom),
        (i1, x1, top, bottom),
    ]
    return [s for s in sides if s[1] - s[0] > 0.01 and s[3] - s[2] > 0.01]


def _contains(big, small) -> bool:
    tolerance = 0.01
    return (
        small[0] >= big[0] - tolerance
        and small[1] <= big[1] + tolerance
        and small[2] >= big[2] - tolerance
        and small[3] <= big[3] + tolerance
    )


def _outline(document) -> list[Bookmark]:
    """Every bookmark, in order; [] when there are none."""
    found = []
    for bookmark in document.get_toc():
        destination = bookmark.get_dest()
        index = destination.get_index() if destination is not None else None
        if index is None or index < 0:  # a bookmark to nowhere says nothing of parts
            continue
        top = None
        mode, view = destination.get_view()
        if mode == 1 and len(view) >= 2 and view[1]:  # /XYZ left top zoom
            _, bottom, _, page_top = document[index].get_mediabox()
            top = page_top - view[1]
        found.append(Bookmark(bookmark.level + 1, bookmark.get_title(), index + 1, top))
    return found


# --- the frame ----------------------------------------------------------------------------------


def _frame(pages: list[Page], outline: list[Bookmark]) -> Frame:
    visible = [c for page in pages for c in page.chars if not _INVISIBLE.match(c.text)]
    sizes = Counter(round(c.size, 1) for c in visible)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    inside = pages[1:] or pages  # the cover has margins of its own
    head_bottom, foot_top = _furniture(inside)
    top, bottom = _text_block(inside, head_bottom, foot_top)
    columns = _columns(pages, body_size, head_bottom, foot_top)
    part_ends = {len(pages)}
    starts = [mark for mark in outline if mark.level == 1]
    for start in starts:
        # A part that starts at the top of its page ends the one before on the page before;
        # one that runs on (starts lower down) ends it on its own page.
        runs_on = start.top is not None and start.top > top + 0.1 * (bottom - top)
        part_ends.add(start.page if runs_on else start.page - 1)
    part_ends.discard(0)
    return Frame(
        body_size,
        columns,
        top,
        bottom,
        head_bottom,
        foot_top,
        frozenset(part_ends),
        frozenset(start.page for start in starts),
    )


def _furniture(pages: list[Page]) -> tuple[float | None, float | None]:
    """Where the running heads end and the running feet begin, or None.

    A running head is the top-most line of a page, at the same height on at least half the
    pages, whose words (digits aside: page numbers change) repeat from page to page; a
    document without running heads has first lines that do not repeat, and so keeps them.
    """

    def band(lines_at_edge: list[list[Line]], edge_of) -> list[Line] | None:
        positions = Counter(round(edge_of(lines[0])) for lines in lines_at_edge if lines)
        if not positions:
            return None
        position, count = positions.most_common(1)[0]
        if count < max(2, len(pages) / 2):
            return None
        found = [
            line
            for lines in lines_at_edge
            if lines and abs(round(edge_of(lines[0])) - position) <= 1
            for line in lines
        ]
        words = Counter(re.sub(r"\d+", "#", line.text.strip()) for line in found)
        if words.most_common(1)[0][1] < 2:
            return None
        return found

    heads, feet = [], []
    for page in pages:
        lines = [line for line in page.lines if line.text.strip()]
        if not lines:
            continue
        first = min(line.top for line in lines)
        last = max(line.bottom for line in lines)
        heads.append([line for line in lines if line.top <= first + 1])
        feet.append([line for line in lines if line.bottom >= last - 1])
    head = band(heads, lambda line: line.top)
    foot = band(feet, lambda line: line.bottom)
    head_bottom = max(line.bottom for line in head) if head else None
    foot_top = min(line.top for line in foot) if foot else None
    return head_bottom, foot_top


def _text_block(
    pages: list[Page], head_bottom: float | None, foot_top: float | None
) -> tuple[float, float]:
    """The text block: from the highest to the lowest thing any page holds, furniture aside."""
    tops, bottoms = [], []
    for page in pages:
        for top, bottom in _extents(page):
            if head_bottom is not None and bottom <= head_bottom + 0.5:
                continue
            if foot_top is not None and top >= foot_top - 0.5:
                continue
            tops.append(top)
            bottoms.append(bottom)
    if not tops:
        height = pages[0].height if pages else 842.0
        return 0.0, height
    return min(tops), max(bottoms)


def _extents(page: Page) -> Iterable[tuple[float, float]]:
    for char in page.chars:
        if not _INVISIBLE.match(char.text):
            yield char.top, char.bottom
    for mark in page.marks:
        if not is_background(mark, page) and not is_white(mark.colour):
            yield mark.top, mark.bottom


def _columns(
    pages: list[Page], body_size: float, head_bottom: float | None, foot_top: float | None
) -> dict[int, tuple[float, float]]:
    """The main column of odd and of even pages (they differ when margins mirror).

    Its left edge is where most lines of body-size type start; its right edge where most of
    those lines end, justified text ending all at one point. Where no one end is common
    (ragged-right text), the 95th percentile of their ends. A wide table or a sidenote
    column of body-size type moves neither, as long as the running text is the most of it.
    A side with too few lines takes the whole document's column.
    """
    lines: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for page in pages[1:] or pages:
        for line in page.lines:
            if abs(line.size - body_size) > 0.25 or not line.text.strip():
                continue
            if head_bottom is not None and line.bottom <= head_bottom + 0.5:
                continue
            if foot_top is not None and line.top >= foot_top - 0.5:
                continue
            visible = [c for c in line.chars if not _INVISIBLE.match(c.text)]
            lines[page.number % 2].append((visible[0].x0, visible[-1].x1))
    every = lines[0] + lines[1]
    if not every:
        width = pages[0].width if pages else 595.0
        return {0: (0.0, width), 1: (0.0, width)}
    whole = _column(every)
    return {side: _column(lines[side]) if len(lines[side]) >= 20 else whole for side in (0, 1)}


def _column(lines: list[tuple[float, float]]) -> tuple[float, float]:
    starts = Counter(round(start) for start, _ in lines)
    left = starts.most_common(1)[0][0]
    # The exact start of that bin's lines, and the ends of the lines that start there.
    at_left = [(start, end) for start, end in lines if abs(round(start) - left) <= 1]
    left_edge = min(start for start, _ in at_left)
    ends = Counter(round(end) for _, end in at_left)
    right, count = ends.most_common(1)[0]
    if count >= 0.15 * len(at_left):
        right_edge = max(end for _, end in at_left if abs(round(end) - right) <= 3)
    else:
        right_edge = _percentile([end for _, end in at_left], 95)
    return left_edge, right_edge


def _percentile(values: list[float], percent: float) -> float:
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[max(0, min(98, round(percent) - 1))]


def is_background(mark: Mark, page: Page) -> bool:
    """A fill covering (nearly) the whole page: the paper's colour, not something on it."""
    return mark.x1 - mark.x0 >= 0.9 * page.width and mark.bottom - mark.top >= 0.9 * page.height


def is_white(colour: tuple[float, ...] | None) -> bool:
    """Whether a colour prints nothing on white paper."""
    from .print_colour import luminance

    value = luminance(colour)
    return value is not None and value >= 0.98
