"""The print checker: read a built PDF and report its typographic faults page by page.

It works on any guide in any layout: what it needs it reads from the PDF itself (body size,
main column, text block, parts: see print_pages.py) and, where the model is given, the names
of people and glossary terms and the guide's own words (`Vocabulary`). Each rule's threshold
is a field of `PrintRules`, so a layout that has reason to can relax one; None switches a rule
off. The results are plain data: a list of `Finding`, in page order.

The rules, as issue 16 sets them:

- blank band: on a page that does not end a part (nor the cover), no horizontal band of the
  main column taller than 15% of the text block holds nothing;
- small type: nothing under 8.5 pt but the running head and foot;
- contrast: no text under 7:1 against white paper;
- rules: a rule (a mark under 1.5 pt thick and long) at least 0.6 pt and no lighter than 55%
  grey, so a photocopier keeps it;
- broken names: no hyphenation inside a person's name or a glossary term, in a heading or
  across a page turn; a code such as "7K-L3" never broken;
- body size: at least 10.5 pt on a full-size page;
- measure: the median characters a line of body text, 55–75 (large print aside);
- short page: on a page of A5 or smaller, at least 4 lines, unless it holds a whole part;
- stranded sidebar: a person's sidebar on the page of the first paragraph that names them,
  or on the page facing it;
- lone word: no line of the main column holds one word alone under a full line of its
  paragraph: neither inside the paragraph nor as its last line (a runt).
"""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .placement import facing
from .print_colour import contrast_on_paper, hex_colour, luminance, luminance_of_hex
from .print_pages import MM, Document, Line, Page, is_background, is_white, read_pages

BLANK_BAND = "blank band"
SMALL_TYPE = "small type"
CONTRAST = "contrast"
RULE = "rule"
BROKEN_NAME = "broken name"
HYPHENATED_HEADING = "hyphenated heading"
PAGE_TURN = "hyphen at page turn"
BROKEN_CODE = "broken code"
MEASURE = "measure"
BODY_SIZE = "body size"
SHORT_PAGE = "short page"
STRANDED_SIDEBAR = "stranded sidebar"
LONE_WORD = "lone word"
# A "word" longer than this is an address or a code, broken where it can be.
LONGEST_WORD = 25

# A5 (148 × 210 mm); half a Letter sheet (5.5 × 8.5 in) is smaller. A hair over, for rounding.
A5_AREA = 148 * MM * 210 * MM * 1.01


@dataclass(frozen=True)
class PrintRules:
    """The thresholds, in one place. A field set to None switches its rule off."""

    blank_band: float | None = 0.15  # the tallest empty band, as a share of the text block
    min_type_size: float | None = 8.5  # pt; the running head and foot are exempt
    min_contrast: float | None = 7.0  # WCAG ratio against white paper
    min_rule_width: float | None = 0.6  # pt
    # The lightest a rule may print: 55% grey, i.e. a 55% black tint, whose sRGB value is
    # 45% white: #737373. Judged by WCAG relative luminance (at most 0.171), because that is
    # what a mono photocopier or a laser printer's greyscale keeps of a colour: a blue-grey
    # rule counts as the grey it copies as.
    lightest_rule: str | None = "#737373"
    rule_thickness: float = 1.5  # pt: thinner marks are rules...
    rule_length: float = 0.25  # ...when at least this share of the main column long
    broken_names: bool = True  # names, terms, headings, page turns and codes kept whole
    sidebars_by_their_section: bool = True  # on its section's page or the page facing it
    # A line of one word under a line of its paragraph at least this share of the column wide.
    lone_word: float | None = 0.6
    # Body text on pages larger than `small_page_area` (A4, Letter): a booklet's half-size
    # page is read closer and is set a size smaller.
    min_body_size: float | None = 10.5  # pt
    measure: tuple[int, int] | None = (55, 75)  # median characters a line of body text...
    # ...for text up to this size: large print (18 pt) across A4 holds about 50 characters a
    # line, and its readers need the size more than the measure.
    measure_up_to: float = 14.0  # pt
    min_lines: int | None = 4  # on a page no larger than `small_page_area`
    small_page_area: float = A5_AREA  # pt²

    def relaxed(self, **changes) -> PrintRules:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Finding:
    page: int | None  # 1-based; None for the whole document (the measure)
    rule: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page is not None else ""
        text = f"{where}{self.rule}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


@dataclass(frozen=True)
class Vocabulary:
    """What the model knows that the PDF does not: which words are names, and how the guide
    writes its words (so a line ending "Soviet-" before "American" is told from one ending
    "Presid-" before "ent")."""

    names: tuple[str, ...] = ()  # people's names and aliases, glossary terms and aliases
    name_words: tuple[str, ...] = ()  # each word of a name: "Lyndon" of "Lyndon B. Johnson"
    text: str = ""  # every printed text of the guide, casefolded, hyphens as "-"
    # Each section's title and the people whose sidebars it carries (first mentioned there),
    # each as (name, the forms the text names them by: name, aliases, surname).
    sidebars: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()

    @classmethod
    def of(cls, guide) -> Vocabulary:
        """From a merged guide (guide.model.Guide)."""
        names: list[str] = []
        words: list[str] = []
        for person in guide.people:
            for name in [person.name, *person.aliases, person.native_name]:
                if name:
                    names.append(name)
                    words += [w for w in re.findall(r"\w[\w'’]*", name) if len(w) >= 3]
        for term in guide.glossary:
            names += [n for n in [*term.names, term.expansion] if n]
        sidebars = tuple(
            (
                section.title,
                tuple((p.name, (p.name, *p.aliases, p.name.split()[-1])) for p in section.sidebars),
            )
            for source in guide.sources
            for section in source.sections
            if section.sidebars
        )
        return cls(
            tuple(dict.fromkeys(names)),
            tuple(dict.fromkeys(words)),
            _normal(_texts(guide)),
            sidebars,
        )


@dataclass
class Report:
    """One PDF checked."""

    pages: int
    findings: list[Finding]
    measure: float | None  # median characters a line of body text
    body_size: float
    column: tuple[float, float]  # the main column of odd pages, pt from the left edge
    text_block: tuple[float, float]  # pt from the top edge
    counts: dict[str, int] = field(default_factory=dict)  # findings per rule


def check_pdf(
    pdf: Path | bytes | BinaryIO,
    rules: PrintRules = PrintRules(),
    vocabulary: Vocabulary | None = None,
) -> Report:
    """Check one PDF: its pages as laid out (for a booklet, before imposition)."""
    document = read_pages(pdf)
    vocabulary = vocabulary or Vocabulary()
    findings: list[Finding] = []
    for page in document.pages:
        findings += _blank_band(page, document, rules)
        findings += _small_type(page, document, rules)
        findings += _contrast(page, document, rules)
        findings += _rules(page, document, rules)
        findings += _short_page(page, document, rules)
        findings += _lone_words(page, document, rules)
    if rules.broken_names:
        findings += _breaks(document, vocabulary)
    if rules.sidebars_by_their_section:
        findings += _sidebars(document, vocabulary)
    findings += _body_size(document, rules)
    measure = _measure(document)
    if rules.measure and measure is not None and document.frame.body_size <= rules.measure_up_to:
        low, high = rules.measure
        if not low <= measure <= high:
            findings.append(
                Finding(
                    None,
                    MEASURE,
                    f"body text runs {measure:.0f} characters a line (median); "
                    f"{low}–{high} reads best",
                    "narrow the text column (wider margins, or a side column for notes) "
                    "or raise the body size"
                    if measure > high
                    else "widen the text column or lower the body size",
                )
            )
    findings.sort(key=lambda f: (f.page or 0, f.rule))
    frame = document.frame
    return Report(
        len(document.pages),
        findings,
        measure,
        frame.body_size,
        frame.column(1),
        (frame.text_top, frame.text_bottom),
        dict(Counter(f.rule for f in findings)),
    )


def _body_size(document: Document, rules: PrintRules) -> list[Finding]:
    size = document.frame.body_size
    large = [p for p in document.pages if p.width * p.height > rules.small_page_area]
    if rules.min_body_size is None or not large or size >= rules.min_body_size - 0.05:
        return []
    return [
        Finding(
            None,
            BODY_SIZE,
            f"body text is {size:g} pt; {rules.min_body_size:g} pt is the least on a full-size "
            "page",
            f"raise the body size to {rules.min_body_size:g} pt",
        )
    ]


# --- blank bands ---------------------------------------------------------------------------------


def _reading_side(document: Document, page: int) -> tuple[float, float]:
    """The half of the main column where lines start.

    Something fills a band of the column only if it reaches into this half: a sidebar floated
    to the outer side, with the column empty beside it, is the very gap a reader sees (the
    issue's "text column empty for 52% of page 5" is such a page), while a line of text, a
    heading, a table or an answer rule starts at the column's edge and fills it.
    """
    left, right = document.frame.column(page)
    return left, left + (right - left) / 2


def _blank_band(page: Page, document: Document, rules: PrintRules) -> list[Finding]:
    frame = document.frame
    if rules.blank_band is None or page.number == 1 or page.number in frame.part_ends:
        return []
    start, end = _reading_side(document, page.number)
    top, bottom = frame.text_top, frame.text_bottom
    height = bottom - top
    if height <= 0:
        return []
    spans = []
    for char in page.chars:
        if not char.text.isspace() and char.x0 < end and char.x1 > start:
            spans.append((char.top, char.bottom))
    for mark in page.marks:
        if is_background(mark, page) or is_white(mark.colour):
            continue
        if mark.x0 < end and mark.x1 > start:
            spans.append((mark.top, mark.bottom))
    spans = sorted((max(top, a), min(bottom, b)) for a, b in spans if b > top and a < bottom)
    gaps = []
    reached = top
    for a, b in spans:
        if a > reached:
            gaps.append((reached, a))
        reached = max(reached, b)
    gaps.append((reached, bottom))  # the band below the last content counts
    low, high = max(gaps, key=lambda gap: gap[1] - gap[0])
    share = (high - low) / height
    if share <= rules.blank_band:
        return []
    return [
        Finding(
            page.number,
            BLANK_BAND,
            f"{share:.0%} of the text block is empty ({low / MM:.0f}–{high / MM:.0f} mm "
            "from the top of the page)",
            "let the text flow past what cannot split (sidebars beside the text, not above "
            "it; tables and boxes allowed to break) so the next section does not wait for "
            "the next page",
        )
    ]


# --- small type, contrast ------------------------------------------------------------------------


def _visible_text(page: Page, document: Document):
    """The page's visible characters, without the running head and foot."""
    for line in page.lines:
        if document.frame.is_furniture(line.top, line.bottom):
            continue
        for char in line.chars:
            if not char.text.isspace():
                yield line, char


def _small_type(page: Page, document: Document, rules: PrintRules) -> list[Finding]:
    if rules.min_type_size is None:
        return []
    small: defaultdict[float, list[Line]] = defaultdict(list)  # size -> lines
    for line, char in _visible_text(page, document):
        if char.size < rules.min_type_size - 0.05:
            size = round(char.size, 1)
            if not small[size] or small[size][-1] is not line:
                small[size].append(line)
    return [
        Finding(
            page.number,
            SMALL_TYPE,
            f"{len(lines)} line{'s' if len(lines) > 1 else ''} in {size:g} pt type "
            f"(first: {_quote(lines[0].text)}); {rules.min_type_size:g} pt is the least",
            f"set it at {rules.min_type_size:g} pt or more: only the running head and foot "
            "may be smaller",
        )
        for size, lines in sorted(small.items())
    ]


def _contrast(page: Page, document: Document, rules: PrintRules) -> list[Finding]:
    # Judged against white paper, also for text on a tinted box: a tint lowers the contrast a
    # little further, so text that passes here may still want a shade darker there. Light
    # text on a dark box would be reported too (none of the layouts sets any).
    if rules.min_contrast is None:
        return []
    faint: defaultdict[str, list[Line]] = defaultdict(list)  # colour -> lines
    for line, char in _visible_text(page, document):
        ratio = contrast_on_paper(char.colour)
        if ratio is not None and ratio < rules.min_contrast - 0.005:
            colour = hex_colour(char.colour)
            if not faint[colour] or faint[colour][-1] is not line:
                faint[colour].append(line)
    findings = []
    for colour, lines in sorted(faint.items()):
        ratio = contrast_on_paper(lines[0].chars[0].colour) or 0
        for char in lines[0].chars:
            if hex_colour(char.colour) == colour:
                ratio = contrast_on_paper(char.colour) or 0
                break
        findings.append(
            Finding(
                page.number,
                CONTRAST,
                f"{len(lines)} line{'s' if len(lines) > 1 else ''} in {colour}, "
                f"{ratio:.1f}:1 against the paper (first: {_quote(lines[0].text)}); "
                f"{rules.min_contrast:g}:1 is the least",
                "darken it: #595959 is the lightest grey at 7:1",
            )
        )
    return findings


# --- rules ------------------------------------------------------------------------------------


def _rules(page: Page, document: Document, rules: PrintRules) -> list[Finding]:
    if rules.min_rule_width is None and rules.lightest_rule is None:
        return []
    left, right = document.frame.column(page.number)
    shortest = rules.rule_length * (right - left)
    lightest = luminance_of_hex(rules.lightest_rule) if rules.lightest_rule else None
    faults: Counter = Counter()
    for mark in page.marks:
        if mark.kind == "image" or is_background(mark, page) or is_white(mark.colour):
            continue
        if mark.thickness >= rules.rule_thickness or mark.length < shortest:
            continue
        if _underlines_text(mark, page):
            continue
        thin = rules.min_rule_width is not None and mark.thickness < rules.min_rule_width - 0.01
        value = luminance(mark.colour)
        light = lightest is not None and value is not None and value > lightest + 1e-4
        if thin or light:
            faults[(round(mark.thickness, 2), hex_colour(mark.colour), thin, light)] += 1
    findings = []
    for (thickness, colour, thin, light), count in sorted(faults.items()):
        wrong = []
        if thin:
            wrong.append(f"{thickness:g} pt thick (least {rules.min_rule_width:g} pt)")
        if light:
            wrong.append(f"{colour}, lighter than {rules.lightest_rule} (55% grey)")
        findings.append(
            Finding(
                page.number,
                RULE,
                f"{count} rule{'s' if count > 1 else ''} {' and '.join(wrong)}",
                "a photocopier drops thin or light rules: make them at least "
                f"{rules.min_rule_width:g} pt and {rules.lightest_rule} or darker",
            )
        )
    return findings


def _underlines_text(mark, page: Page) -> bool:
    """Whether a horizontal mark lies just under a line of text it spans: an underline or a
    link's dotted border, which decorates words rather than ruling the page."""
    if mark.x1 - mark.x0 < mark.bottom - mark.top:
        return False
    for line in page.lines:
        if line.x0 <= mark.x1 and line.x1 >= mark.x0:
            size = line.size
            if line.bottom - 0.5 * size <= mark.top <= line.bottom + 0.35 * size:
                return True
    return False


# --- short pages ----------------------------------------------------------------------------------


def _short_page(page: Page, document: Document, rules: PrintRules) -> list[Finding]:
    """A small page with fewer lines than `min_lines`, unless it ends a part.

    "Ends a part" is read as a part that is whole on the page (it starts there too), or the
    cover: the page the issue shows, one line of a part ("Questions: 10, 13, 15.") carried
    over onto an A5 page of its own, is a part's last page, and is the fault itself.
    """
    if rules.min_lines is None or page.width * page.height > rules.small_page_area:
        return []
    frame = document.frame
    if page.number == 1 or (page.number in frame.part_ends and page.number in frame.part_starts):
        return []
    rows: list[float] = []
    for line in page.lines:
        if not line.text.strip() or document.frame.is_furniture(line.top, line.bottom):
            continue
        if not any(abs(line.bottom - row) < 0.5 * line.size for row in rows):
            rows.append(line.bottom)
    # A ruled answer line is a line of the page too: a page of them is not short.
    left, right = document.frame.column(page.number)
    for mark in page.marks:
        horizontal = mark.x1 - mark.x0 >= rules.rule_length * (right - left)
        thin = mark.thickness < rules.rule_thickness
        if horizontal and thin and not _underlines_text(mark, page):
            if not document.frame.is_furniture(mark.top, mark.bottom):
                rows.append(mark.bottom)
    if len(rows) >= rules.min_lines:
        return []
    return [
        Finding(
            page.number,
            SHORT_PAGE,
            f"{len(rows)} line{'s' if len(rows) != 1 else ''} on the page; "
            f"{rules.min_lines} is the least on a small page, unless a whole part is on it",
            "pull them back onto the page before (less space above, orphans and widows, a "
            "shorter text) or fill this one",
        )
    ]


# --- hyphenation and broken names -----------------------------------------------------------------

_HYPHENS = "-\u2010\u2011\u00ad"  # hyphen-minus, hyphen, non-breaking hyphen, soft hyphen
_TOKEN_END = re.compile(r"[\w'’./-]*$")
_TOKEN_START = re.compile(r"^[\w'’./-]*")


def _matched(pattern: re.Pattern[str], text: str) -> str:
    found = pattern.search(text)
    return found.group() if found else ""


@dataclass(frozen=True)
class _Break:
    """A line that ends in a hyphen or slash, and the line its word goes on in."""

    line: Line
    next: Line | None
    left: str  # the word's part on this line, without the hyphen
    mark: str  # the hyphen or slash at the end of the line
    right: str  # its part on the next line

    @property
    def word(self) -> str:
        return self.left + self.right


def _breaks(document: Document, vocabulary: Vocabulary) -> list[Finding]:
    findings = []
    body = document.frame.body_size
    for page in document.pages:
        last = _last_line(page, document)
        for line in page.lines:
            text = line.text.rstrip()
            if not text or text[-1] not in _HYPHENS + "/":
                continue
            if document.frame.is_furniture(line.top, line.bottom):
                continue
            turn = line is last
            following = (
                _first_line(document.pages[page.number], document)
                if turn and page.number < len(document.pages)
                else _continuation(page, line)
            )
            left = _matched(_TOKEN_END, text[:-1]).lstrip("./")
            right = ""
            if following is not None:
                right = _matched(_TOKEN_START, following.text.lstrip()).rstrip("./")
            found = _Break(line, following, left, text[-1], right)
            hyphenated = _is_hyphenation(found, vocabulary)
            shown = f"{left}{found.mark}/{right}" if right else f"{left}{found.mark}"
            if _is_code(found):
                findings.append(
                    Finding(
                        page.number,
                        BROKEN_CODE,
                        f"{_quote(left + found.mark + right)} is broken at a line end",
                        "a code never breaks: write it with a no-break hyphen (U+2011) or set "
                        "it in an element with white-space: nowrap",
                    )
                )
                continue
            if not hyphenated:
                continue  # a compound broken at its own hyphen, or a slash between words
            name = _name_broken(found, vocabulary)
            if name:
                findings.append(
                    Finding(
                        page.number,
                        BROKEN_NAME,
                        f"{_quote(name)} is hyphenated at a line end ({shown})",
                        "names of people and glossary terms are not hyphenated: set hyphens: "
                        "manual on the element that holds them",
                    )
                )
            if line.size > body * 1.05:
                findings.append(
                    Finding(
                        page.number,
                        HYPHENATED_HEADING,
                        f"{_quote(line.text.strip())} is hyphenated ({shown})",
                        "set hyphens: manual on headings",
                    )
                )
            if turn:
                findings.append(
                    Finding(
                        page.number,
                        PAGE_TURN,
                        f"the page's last line ends in a hyphen ({shown}): the word is "
                        f"finished over the page",
                        "rewrap the paragraph (a word more or less), or move the page break "
                        "(orphans, widows, space above)",
                    )
                )
    return findings


def _in_column(line: Line, document: Document) -> bool:
    start, end = _reading_side(document, line.page)
    return line.x0 < end and line.x1 > start


def _column_lines(page: Page, document: Document) -> list[Line]:
    """The page's lines of text in the main column, running heads and feet aside."""
    return [
        line
        for line in page.lines
        if line.text.strip()
        and not document.frame.is_furniture(line.top, line.bottom)
        and _in_column(line, document)
    ]


def _last_line(page: Page, document: Document) -> Line | None:
    """The main column's last line on the page: the lowest one starting in its reading side."""
    lines = _column_lines(page, document)
    return max(lines, key=lambda line: (line.bottom, line.x0), default=None)


def _first_line(page: Page, document: Document) -> Line | None:
    lines = _column_lines(page, document)
    return min(lines, key=lambda line: (line.top, line.x0), default=None)


def _continuation(page: Page, line: Line) -> Line | None:
    """The line a broken word goes on in: the next one drawn just below, in the same column;
    else (the foot of a column) simply the next one drawn."""
    size = line.size
    following = page.lines[line.index + 1 : line.index + 8]
    for candidate in following:
        below = line.top + 0.5 * size < candidate.top < line.top + 2.6 * size
        if below and line.x0 - 2 * size <= candidate.x0 < line.x1:
            return candidate
    return following[0] if following else None


def _is_hyphenation(found: _Break, vocabulary: Vocabulary) -> bool:
    """Whether the line end split a word (hyphenation), rather than a compound at its own
    hyphen. The guide's text decides where it knows the word; else the glyph does: WeasyPrint
    hyphenates with U+2010 (or a soft hyphen's), and a typed hyphen is U+002D."""
    if found.mark == "/":
        return False
    if found.left and found.right and vocabulary.text:
        compound = _normal(f"{found.left}-{found.right}")
        joined = _normal(found.word)
        if re.search(rf"(?<!\w){re.escape(compound)}", vocabulary.text):
            return False
        if re.search(rf"(?<!\w){re.escape(joined)}", vocabulary.text):
            return True
    return found.mark in "\u2010\u00ad"


def _is_code(found: _Break) -> bool:
    """A code such as 7K-L3, OKB-1 or N1/L3: digits, and no lowercase letters ("mid-1960s" is
    a word and may break at its hyphen)."""
    if not found.left or not found.right:
        return False
    token = found.left + found.mark + found.right
    return any(c.isdigit() for c in token) and not any(c.islower() for c in token)


def _name_broken(found: _Break, vocabulary: Vocabulary) -> str | None:
    """The name or term the broken word belongs to, if any."""
    if found.next is None:
        return None
    before = found.line.text.rstrip()[:-1]
    after = found.next.text.lstrip()
    joined = before + after
    at = len(before)  # where the line broke, in `joined`
    folded = joined.casefold()
    for name in [*vocabulary.names, *vocabulary.name_words]:
        pattern = rf"(?<!\w){re.escape(name.casefold())}(?!\w)"
        for match in re.finditer(pattern, folded):
            if match.start() < at < match.end():
                return joined[match.start() : match.end()]
    return None


# --- lone words -------------------------------------------------------------------------------


def _lone_words(page: Page, document: Document, rules: PrintRules) -> list[Finding]:
    """A line of one word under a full line of the same paragraph: the same size, the same
    left edge, one leading below. Inside a paragraph it is a line broken too early; as the
    paragraph's last line, a runt."""
    if rules.lone_word is None:
        return []
    start, end = document.frame.column(page.number)
    full = rules.lone_word * (end - start)
    lines = sorted(_column_lines(page, document), key=lambda line: (line.top, line.x0))
    findings = []
    for above, line in zip(lines, lines[1:], strict=False):
        words = line.text.split()
        if (
            len(words) != 1
            or len(words[0]) > LONGEST_WORD  # an address: it breaks where it can
            or len(above.text.split()) < 2
            or above.size != line.size
            or abs(above.x0 - line.x0) > 1
            or not 0 < line.top - above.top <= 1.7 * line.size
            or above.x1 - above.x0 < full
        ):
            continue
        findings.append(
            Finding(
                page.number,
                LONE_WORD,
                f"“{words[0]}” stands alone on a line, under “…{above.text.strip()[-30:]}”",
                "tie a paragraph's last two words with a no-break space (the marked filter "
                "does, for a text of ten words or more); a word alone inside a paragraph is "
                "WeasyPrint breaking before an element that did not fit (put the space before "
                "an element inside it)",
            )
        )
    return findings


# --- sidebars ---------------------------------------------------------------------------------


def _sidebars(document: Document, vocabulary: Vocabulary) -> list[Finding]:
    """A person's sidebar stands on a page of the first paragraph that names them, or on the
    page facing one (pages 2–3, 4–5, … face each other; page 1 is a right page).

    That paragraph is in the section whose bookmark says where to start looking (a layout
    that bookmarks no sections is not judged): the first page from there with a line of the
    main column naming the person (by name, alias or surname). The sidebar's page is the
    first from the one before the section on where a line reads exactly the person's name,
    as a sidebar's heading does.
    """
    findings = []
    marks = {_folded(mark.title): mark for mark in document.outline if mark.level > 1}
    for title, people in vocabulary.sidebars:
        mark = marks.get(_folded(title))
        if mark is None:
            continue
        start = mark.page
        for name, forms in people:
            page = _name_heading(document, name, max(1, start - 1))
            mention = _first_mention(document, forms, start, mark.top)
            named = mention.page if mention else start
            # From the section's heading to that line the text runs on (the paragraph that
            # names them may begin a page earlier, or go on over the next): beside any of
            # those pages is in place.
            runs_over = mention is not None and _runs_over(document, mention)
            pages = range(start, max(start, named) + 1 + runs_over)
            if page is None or any(facing(page, p) for p in pages):
                continue
            findings.append(
                Finding(
                    page,
                    STRANDED_SIDEBAR,
                    f"the sidebar on {name} is on page {page}, away from the text that first "
                    f"names them ({_quote(title)}, page {named})",
                    "keep a sidebar beside the text that cites its person (a margin column, "
                    "or a float that may sit lower on the page) rather than after it",
                )
            )
    return findings


def _first_mention(
    document: Document, forms: tuple[str, ...], first: int, top: float | None
) -> Line | None:
    """The page of the first line of the main column naming the person, from the section's
    heading on (`top`, on page `first`: the lines above it are the section before)."""
    wanted = [_folded(form) for form in forms]
    for page in document.pages[first - 1 :]:
        for line in page.lines:
            if page.number == first and top is not None and line.bottom < top:
                continue
            text = _folded(line.text)
            # A line that is only the name is a sidebar's heading, not a paragraph.
            if text in wanted or not _in_column(line, document):
                continue
            if any(form in text for form in wanted):
                return line
    return None


def _runs_over(document: Document, line: Line) -> bool:
    """Whether the paragraph of `line` goes on over the page: the lines below it follow one
    another at the leading (no paragraph's gap, no change of size) down to the column's foot."""
    page = document.pages[line.page - 1]
    below = sorted(
        (o for o in _column_lines(page, document) if o.top > line.top + 0.5 * line.size),
        key=lambda other: other.top,
    )
    previous = line
    for other in below:
        if other.size != line.size or other.top - previous.top > 1.7 * line.size:
            return False
        previous = other
    return True


def _name_heading(document: Document, name: str, first: int) -> int | None:
    wanted = _folded(name)
    for page in document.pages[first - 1 :]:
        for line in page.lines:
            if _folded(line.text) == wanted and not document.frame.is_furniture(
                line.top, line.bottom
            ):
                return page.number
    return None


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- the measure ----------------------------------------------------------------------------


def _measure(document: Document) -> float | None:
    """The median characters (spaces included) of a full line of body text in the main column.

    A full line starts at the column's edge (or a little in: a first-line indent, a list
    item) and spans at least three quarters of it: a paragraph's short last line, a line
    beside a sidebar or in one of two glossary columns is not the column's measure.
    """
    body = document.frame.body_size
    counts = []
    for page in document.pages[1:] or document.pages:
        left, right = document.frame.column(page.number)
        for line in page.lines:
            text = line.text.strip()
            if (
                text
                and abs(line.size - body) <= 0.25
                and not document.frame.is_furniture(line.top, line.bottom)
                and left - body <= line.x0 <= left + 3 * body
                and line.x1 - line.x0 >= 0.75 * (right - left)
            ):
                counts.append(len(text))
    return float(statistics.median(counts)) if counts else None


# --- text the model prints ----------------------------------------------------------------------


def _texts(value, seen: set[int] | None = None) -> str:
    """Every string in a model object, joined: what the guide may print."""
    seen = seen if seen is not None else set()
    if isinstance(value, str):
        return value
    if id(value) in seen or isinstance(value, Path):
        return ""
    seen.add(id(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = [_texts(getattr(value, f.name), seen) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        parts = [_texts(v, seen) for v in value.values()]
    elif isinstance(value, list | tuple | set | frozenset):
        parts = [_texts(v, seen) for v in value]
    else:
        return ""
    return "\n".join(p for p in parts if p)


def _normal(text: str) -> str:
    """Casefolded, every hyphen as '-', soft hyphens gone, apostrophes straight."""
    text = text.replace("\u00ad", "").replace("’", "'")
    return re.sub(f"[{_HYPHENS}]", "-", text).casefold()


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"
