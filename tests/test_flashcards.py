"""Flashcards: eight cards to a sheet, each back behind its front when printed on both sides
and flipped on the long edge, every word inside its card."""

from __future__ import annotations

import math

import pdfplumber
import pytest
from conftest import FLAGSHIP, MINI, Builds

from guide.context import variables

MM = 72 / 25.4
CARD_WIDTH, CARD_HEIGHT, TOP = 88 * MM, 63.5 * MM, 12 * MM


def cells(page) -> dict[tuple[int, int], str]:
    """(row, column) → the words inside that card's cell, in reading order; a word outside
    every cell fails the test (a card's words never leave it)."""
    left = (page.width - 176.2 * MM) / 2
    found: dict[tuple[int, int], list[str]] = {}
    for word in page.extract_words():
        if word["bottom"] < TOP:
            continue  # the first page's note on how to print
        column = math.floor((word["x0"] - left) / CARD_WIDTH)
        row = math.floor((word["top"] - TOP) / CARD_HEIGHT)
        assert 0 <= column <= 1 and 0 <= row <= 3, word
        # Inside the cell, with its 5 mm of padding less a hair.
        cell_left, cell_top = left + column * CARD_WIDTH, TOP + row * CARD_HEIGHT
        assert (
            cell_left + 4.5 * MM <= word["x0"] and word["x1"] <= cell_left + CARD_WIDTH - 4.5 * MM
        )
        assert cell_top + 4.5 * MM <= word["top"] and word["bottom"] <= cell_top + CARD_HEIGHT
        found.setdefault((row, column), []).append(word["text"])
    return {cell: " ".join(words) for cell, words in found.items()}


def words(text: str, count: int = 4) -> str:
    return " ".join(text.split()[:count])


@pytest.fixture(scope="session", params=["A4", "Letter"])
def flashcards(builds: Builds, request):
    built = builds(FLAGSHIP, "flashcards", request.param)
    options = {"cards": True}  # as the flashcards layout says
    cards = variables(built.guide, "flashcards", options, request.param)["guide"].cards
    with pdfplumber.open(built.path) as pdf:
        pages = [cells(page) for page in pdf.pages]
        first = pdf.pages[0].extract_text()
    return cards, pages, first


def test_each_back_is_behind_its_front_when_flipped_on_the_long_edge(flashcards):
    cards, pages, _ = flashcards
    kinds = [card.kind for card in cards]  # the glossary's, then the people's, the events'
    assert kinds == sorted(kinds, key=["term", "person", "event"].index) and len(cards) > 40
    assert len(pages) == 2 * math.ceil(len(cards) / 8)
    for index, card in enumerate(cards):
        sheet, place = divmod(index, 8)
        row, column = divmod(place, 2)
        fronts, backs = pages[2 * sheet], pages[2 * sheet + 1]
        assert fronts[(row, column)].split(" ", 1)[1].startswith(words(card.front, 2)), card.id
        # Turned over on the long edge, the left column is the right one.
        back = backs[(row, 1 - column)]
        first = card.back_heading or card.back
        assert back.startswith(words(first)), (card.id, back)


def test_the_first_page_says_how_to_print_and_cut(flashcards):
    _, _, first = flashcards
    assert first.startswith(
        "Print on both sides of the paper, flipping on the long edge; then cut along the dashed"
    )


def test_a_back_too_long_for_its_card_is_set_smaller_then_cut_at_a_sentence():
    from guide.cards import fit

    assert fit("Short.") == ("", "Short.", False)
    assert fit("A sentence of words. " * 22)[0] == "small"
    size, text, cut = fit("A sentence of words. " * 40, heading="Soviet premier", note="1894–1971")
    assert (size, cut) == ("smaller", True)
    assert text.endswith("words.") and len(text) < len("A sentence of words. " * 40) / 2


def test_a_guide_with_nothing_to_make_cards_of_says_so(mini_copy):
    from guide.build import build
    from guide.settings import Asked

    for name in ("events.yaml", "people.yaml", "glossary.yaml"):
        (mini_copy / name).unlink()
    press = mini_copy / "sections" / "press.yaml"
    text = press.read_text(encoding="utf-8")
    for key in ("events", "people", "terms"):
        text = "\n".join(
            line for line in text.splitlines() if not line.strip().startswith(f"{key}:")
        )
    press.write_text(text.replace("        by: luther\n", "") + "\n", encoding="utf-8")
    built = build(mini_copy, Asked("flashcards"), mini_copy.parent / "cards.pdf")
    assert built.pages == 1
    with pdfplumber.open(built.path) as pdf:
        assert "no terms, people or events" in pdf.pages[0].extract_text()


def test_the_small_guide_makes_one_sheet(builds: Builds):
    built = builds(MINI, "flashcards")
    assert len(built.pages) == 2  # eight cards or fewer: one sheet, both sides


def test_the_cards_pass_the_print_check_of_their_layout(builds: Builds):
    # Read as a typographer would: no code broken, no line of one word, no type under 8.5 pt,
    # no pale text; the running-text rules a card has not (blank bands, measure) are off in
    # its layout.yaml.
    from guide.layouts import load_layout
    from guide.print_check import PrintRules, Vocabulary, check_pdf

    built = builds(FLAGSHIP, "flashcards")
    own = dict(load_layout("flashcards").print_check)
    rules = PrintRules().relaxed(**own)
    report = check_pdf(built.path.read_bytes(), rules, Vocabulary.of(built.guide))
    assert [str(finding) for finding in report.findings] == []
