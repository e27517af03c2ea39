"""Flashcards: what of a term, a person or an event goes on each side of a card, and how the
back's words are made to fit it.

A card is a fixed size (the flashcards layout's: eight to a sheet), so its back holds so
many lines. The back is set at the body size if it fits, else smaller, down to the smallest
size a reader of fourteen reads comfortably at arm's length (8.5 pt, the layouts' caption
size); what still does not fit is cut at a sentence and the card says where to read on.
Whether it fits is measured, word by word, with the font the card is set in (Pillow reads
its widths), with a little in hand for WeasyPrint's shaping: a card's words either fit or
say that they go on, never run off its edge.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

# The card, as flashcards.css sets it (mm): 88 × 63.5, 5 mm inside each edge.
WIDTH = 78.0
HEIGHT = 53.5
PT = 25.4 / 72  # mm in a point
LEADING = 1.3
# The back's sizes, largest first (pt), by the class flashcards.css gives each.
SIZES = {"": 10.0, "small": 9.0, "smaller": 8.5}
# The lines above the back's text (pt; 1 mm under each): the role or date (bold), the life
# dates; and the "read on" line under a cut text.
HEADING, NOTE, MORE = 10.0, 9.0, 8.5
IN_HAND = 0.94  # of the width: Pango's shaping and justification-free spacing differ a little
SANS = 1.12  # DejaVu Sans (bold) against DejaVu Serif, as wide or wider: the headings' font


# A code (N1/L3, 7K-L1, OKB-1) and a range of numbers (1961–1966): never broken at a line's
# end, as in the guide (context.py marks them there; a card's words are set as they are).
_CODE = re.compile(r"(?<![\w/-])(?=[\w/-]*\d)\w+(?:[-/]\w+)+(?![\w/-])|\d+–\d+")
NO_BREAK_SPACE, WORD_JOINER = "\u00a0", "\u2060"


def fit(text: str, heading: str | None = None, note: str | None = None) -> tuple[str, str, bool]:
    """(size, text, cut): the back's text at the largest size it fits under its heading and
    note, or cut at the last sentence that fits the smallest (then `cut` is True, and the
    card's "read on" line has its room). Its last two words are tied and its codes kept whole
    (`unbreakable`), as they are measured."""
    size, text, cut = _fit(" ".join(text.split()), heading, note)
    return size, unbreakable(text), cut


def unbreakable(text: str) -> str:
    """`text` with its codes and ranges unbreakable (a word joiner after each hyphen, slash
    or dash in them) and its last two words tied, so that no line ends inside a code and no
    text ends on a line of one word."""
    text = _CODE.sub(lambda m: re.sub(r"([-/–])", rf"\1{WORD_JOINER}", m.group()), text)
    words = text.split(" ")
    if len(words) >= 4:
        text = " ".join(words[:-2]) + f" {words[-2]}{NO_BREAK_SPACE}{words[-1]}"
    return text


def _fit(text: str, heading: str | None, note: str | None) -> tuple[str, str, bool]:
    above = sum(
        _lines(line, points * SANS) * points * LEADING * PT + 1
        for line, points in ((heading, HEADING), (note, NOTE))
        if line
    )
    for size, points in SIZES.items():
        if _lines(unbreakable(text), points) <= _room(points, above):
            return size, text, False
    smallest = SIZES["smaller"]
    room = _room(smallest, above + MORE * LEADING * PT + 1)
    kept = ""
    for sentence in re.split(r"(?<=[.!?…])\s+", text):
        longer = f"{kept} {sentence}".strip()
        if _lines(unbreakable(longer), smallest) > room:
            break
        kept = longer
    if not kept:  # a first sentence too long for the card: as many words as fit
        words = text.split()
        while words and _lines(unbreakable(" ".join(words) + "…"), smallest) > room:
            words.pop()
        kept = " ".join(words) + "…"
    return "smaller", kept, True


def first_sentence(text: str | None) -> str:
    """An event's one line on its card: its description's first sentence."""
    if not text:
        return ""
    return re.split(r"(?<=[.!?])\s+", " ".join(text.split()), maxsplit=1)[0]


def _room(points: float, above: float) -> int:
    return int((HEIGHT - above) // (points * LEADING * PT))


def _lines(text: str, points: float) -> int:
    """The lines `text` takes across the card at `points`, wrapped at spaces (not at the
    no-break spaces and word joiners `unbreakable` put in)."""
    width = WIDTH / PT * IN_HAND
    measure = _measure(points)
    lines, line = 0, 0.0
    space = measure(" ")
    for word in text.split(" "):
        word = word.replace(WORD_JOINER, "")
        length = measure(word)
        if line and line + space + length > width:
            lines, line = lines + 1, length
        else:
            line = line + space + length if line else length
    return lines + (1 if line else 0)


@functools.cache
def _measure(points: float) -> Callable[[str], float]:
    """The width of a text in points, in the back's font (DejaVu Serif); a wide estimate of
    it where the font cannot be read."""
    from PIL import ImageFont  # WeasyPrint's own dependency: only where cards are made

    try:
        font = ImageFont.truetype("DejaVuSerif.ttf", size=round(points * 10))
    except OSError:
        return lambda text: len(text) * points * 0.6
    return lambda text: font.getlength(text) / 10
