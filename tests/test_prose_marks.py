"""How running text is marked for the typesetter (context.ProseMarker): names and codes kept
whole, the space before each inside its element, the last two words tied.

Both workarounds are for WeasyPrint 70's line breaking, and the last test is the page that
showed it: a sidebar set across the text column, whose second line held "the" alone.
"""

from __future__ import annotations

import io

import pdfplumber
import weasyprint

from guide.context import ProseMarker
from guide.layouts import BUILTIN_LAYOUTS
from guide.model import Person

STUDENT_CSS = BUILTIN_LAYOUTS / "student" / "style.css"


def marker() -> ProseMarker:
    people = [
        Person("gagarin", "Yuri Gagarin", None, None, None, "", "", ["Gagarin"]),
        Person("kennedy", "John F. Kennedy", None, None, None, "", "", ["Kennedy"]),
    ]
    return ProseMarker.for_guide([], people)


def test_the_space_before_a_name_is_inside_its_element():
    assert marker().mark("Soon afterwards Kennedy began to talk") == (
        'Soon afterwards<span class="name"> Kennedy</span> began<span> to\u00a0talk</span>'
    )
    # At the start of a text there is no space to move.
    assert marker().mark("Kennedy began") == '<span class="name">Kennedy</span> began'


def test_the_last_two_words_are_tied_in_one_element():
    assert marker().mark("His call for collaboration went unheeded.") == (
        "His call for collaboration<span> went\u00a0unheeded.</span>"
    )
    # A name among them is marked inside; a compound is not broken at its hyphen either.
    name = marker().mark("Kennedy sounded out his brother Kennedy.")
    assert name.endswith('<span> brother\u00a0<span class="name">Kennedy</span>.</span>')
    compound = marker().mark("three cosmonauts in shirt-sleeves")
    assert compound.endswith('<span> in\u00a0<span class="unbroken">shirt-sleeves</span></span>')


def test_short_texts_and_long_pairs_are_not_tied():
    assert marker().mark("Gagarin orbits") == '<span class="name">Gagarin</span> orbits'
    long_pair = "for example Encyclopaedia Britannicaandmore anotherlongword."
    assert "\u00a0" not in marker().mark(long_pair)


def test_a_range_of_years_is_never_broken_at_its_dash():
    assert marker().mark("from 1961–1966 the two raced") == (
        'from<span class="unbroken"> 1961–1966</span> the<span> two\u00a0raced</span>'
    )


def _lines(html: str) -> tuple[list[str], str]:
    """The lines drawn, and the PDF's text as written (what a screen reader or a copy gets)."""
    document = (
        '<html lang="en-GB"><body><div class="sidebars in-text"><span class="sidebar">'
        f'<span class="sidebar-bio">{html}</span></span></div></body></html>'
    )
    pdf = weasyprint.HTML(string=document).write_pdf(
        stylesheets=[weasyprint.CSS(filename=str(STUDENT_CSS))]
    )
    with pdfplumber.open(io.BytesIO(pdf)) as read:
        page = read.pages[0]
        lines = [line["text"] for line in page.extract_text_lines()][:-1]  # the foot aside
        written: dict[int, str] = {}
        for char in page.chars:
            key = round(char["top"])
            written[key] = written.get(key, "") + char["text"]
        return lines, " ".join(text.strip() for text in list(written.values())[:-1])


def test_no_line_holds_one_word_where_weasyprint_used_to_break_before_a_name():
    bio = (
        "Gagarin made his orbital flight in the early months of 1961 – from outside the "
        "sources, the first human orbital flight, on 12 April 1961. Soon afterwards Kennedy "
        "began discussing an American Moon programme with Lyndon Kennedy, and asked in a memo "
        "whether the United States could beat the Soviets in space."
    )
    lines, text = _lines(marker().mark(bio))
    assert len(lines) >= 3
    assert [line for line in lines if len(line.split()) < 2] == []
    # Every space is in the PDF's text, those moved into an element too (the lines
    # joined: a line's end is no character).
    assert text.replace("\u00a0", " ") == " ".join(bio.split())
