"""Issue 16's page design, read back from the PDFs: hanging question numbers, answer space
that follows the task, references that carry the page they lead to, short citations, short
guides that are short.

The print checker's rules (blank bands, type size, contrast, rules, hyphenation, measure,
sidebars beside the text that names their person) are tested in test_print_check.py and
test_typography.py; these are the rest.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import FLAGSHIP

from guide import context, model
from guide.build import load_guide, resolve_layout


def _destinations(built) -> dict[str, int]:
    """Every anchor of the PDF (WeasyPrint writes each id as a named destination) and its
    1-based page."""
    reader = built.reader
    return {
        name: reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- questions ----------------------------------------------------------------------------


def _number_and_prompt(built, question):
    """The question's number and the first word of its prompt, as drawn, and its page's lines."""
    page = built.anchor_page(f"question-{question.id}")
    first_word = question.prompt.split()[0]
    with pdfplumber.open(built.path) as pdf:
        words = pdf.pages[page - 1].extract_words()
        lines = pdf.pages[page - 1].extract_text_lines()
    number = next(w for w in words if w["text"] == str(question.number))
    prompt = next(w for w in words if w["text"] == first_word and abs(w["top"] - number["top"]) < 3)
    return number, prompt, lines


def test_question_numbers_hang_in_the_margin_and_wrapped_lines_align(builds):
    built = builds(FLAGSHIP)
    questions = built.guide.questions
    # A question of two digits whose prompt wraps, and one of one digit.
    long = next(q for q in questions if q.number >= 10 and len(q.prompt) > 200)
    number, prompt, lines = _number_and_prompt(built, long)
    assert number["x1"] < prompt["x0"] - 4  # the number stands in the margin, apart
    # The prompt's next lines start where its first line's text starts, not under the number.
    first = next(i for i, line in enumerate(lines) if abs(line["top"] - prompt["top"]) < 3)
    for line in lines[first + 1 : first + 3]:
        assert abs(line["x0"] - prompt["x0"]) < 0.5, line["text"]
    # Two-digit and one-digit numbers end at the same place: the gap never changes at 10.
    nine, _, _ = _number_and_prompt(built, next(q for q in questions if q.number == 9))
    assert abs(nine["x1"] - number["x1"]) < 0.5


def _answer_rules(path: Path, first_page: int) -> int:
    """The ruled answer lines from `first_page` on: bars as long as the text block is wide
    and under 1.5 pt high."""
    count = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[first_page - 1 :]:
            count += sum(
                1 for r in page.rects if r["height"] < 1.5 and r["width"] > page.width * 0.6
            )
    return count


@pytest.mark.parametrize("layout, words_per_line", [("student", 10), ("large-print", 6)])
def test_answer_space_follows_the_task(builds, layout, words_per_line):
    built = builds(FLAGSHIP, layout)
    guide = built.guide
    data = context.variables(guide, layout, resolve_layout(guide, layout).options, "A4")
    questions = data["guide"].questions
    what_if = next(q for q in questions if q.answer_words)
    assert what_if.answer_words == 200  # "about 200 words", as its prompt says
    assert what_if.answer_lines == math.ceil(200 / words_per_line) + 1
    # Every ruled line the PDF holds is one of those the questions ask for.
    first = built.page_of("Discussion questions", start=3)
    assert _answer_rules(built.path, first) == sum(q.answer_lines for q in questions)


def test_a_long_answer_starts_on_its_question_page_and_runs_on(builds):
    """The question asking for 200 words: its 21 lines start under it, on its page, and go on
    over the page: the space never waits for the next page while this one has room."""
    built = builds(FLAGSHIP)
    question = next(q for q in built.guide.questions if q.answer_words)
    page = built.anchor_page(f"question-{question.id}")
    last_word = question.prompt.split()[-1]
    with pdfplumber.open(built.path) as pdf:
        this, following = pdf.pages[page - 1], pdf.pages[page]
        prompt_bottom = max(
            w["bottom"] for w in this.extract_words() if w["text"] in ("CREATION", last_word)
        )
        below = [r for r in this.rects if r["height"] < 1.5 and r["top"] > prompt_bottom]
        assert len(below) >= 2
        assert any(r["height"] < 1.5 for r in following.rects)


# --- references -----------------------------------------------------------------------------


def test_timeline_references_name_the_event_and_its_page(builds):
    built = builds(FLAGSHIP)
    pages = _destinations(built)
    text = _flat(" ".join(built.pages))
    checked = 0
    for source in built.guide.sources:
        for section in source.sections:
            for event in section.events:
                # The title as printed (typeset), then the page its chronology entry is on.
                found = re.search(re.escape(_flat(event.title)) + r" \(p\. (\d+)\)", text)
                assert found, f"{event.title} has no page reference"
                assert int(found.group(1)) == pages[f"event-{event.id}"], event.title
                checked += 1
    assert checked > 20


def test_glossary_and_question_references_carry_page_numbers(builds):
    built = builds(FLAGSHIP)
    pages = _destinations(built)
    glossary = _flat(" ".join(built.pages[built.page_of("Glossary", start=5) - 1 :]))
    zond = next(t for t in built.guide.glossary if t.term == "Zond")
    section = zond.cited_in[0]
    expected = f"{_flat(section.section_title)} (p. {pages['section-' + section.section_id]})"
    assert expected in glossary
    # A section's questions: each number with the page it is on.
    first = built.guide.sources[0].sections[0]
    question = first.questions[0]
    assert re.search(
        rf"Questions? {question.number} \(p\. {pages['question-' + question.id]}\)",
        _flat(" ".join(built.pages)),
    )


def test_item_citations_are_short_a_group_per_source():
    cite = [
        model.Citation("s", "Smithsonian: Attempts", "a", "A", (3, 4), "Smithsonian"),
        model.Citation("e", "Encyclopedia: Space Race", "x", "X", (1, 2, 3), "Encyclopedia"),
        model.Citation("s", "Smithsonian: Attempts", "b", "B", (5,), "Smithsonian"),
        model.Citation("s", "Smithsonian: Attempts", "c", "C", (9, 10, 11), "Smithsonian"),
    ]
    groups = model.short_citations(cite)
    assert [(name, [(r.section_id, r.where) for r in refs]) for _, name, refs in groups] == [
        ("Smithsonian", [("a", "3–5"), ("c", "9–11")]),  # 3–4 and 5 run on: one reference
        ("Encyclopedia", [("x", "1–3")]),
    ]


def test_the_chronology_cites_sources_in_short_with_pages(builds):
    built = builds(FLAGSHIP)
    pages = _destinations(built)
    chronology = _flat(" ".join(built.pages[built.page_of("Chronology", start=5) - 1 :]))
    assert "Smithsonian: Attempts to Collaborate, ¶" not in chronology  # the long label
    event = next(e for e in built.guide.chronology if len(e.cited_in) > 1)
    groups = model.short_citations(event.cited_in)
    _, name, refs = groups[0]
    printed = f"{name} ¶ " + ", ".join(
        f"{r.where} (p. {pages['section-' + r.section_id]})" for r in refs
    )
    assert printed in chronology


# --- short guides, large print, booklet ------------------------------------------------------


def test_the_tutorial_guide_prints_on_at_most_four_pages(builds, tutorial_guide):
    built = builds(tutorial_guide)
    assert len(built.pages) <= 4
    assert "Contents" in built.pages[0]  # a short guide keeps its contents on the cover page


def test_the_large_print_cover_carries_no_page_count(builds):
    built = builds(FLAGSHIP, "large-print")
    assert "page 1 of" not in built.pages[0]
    # At 18 pt the cover's reference list may go on over a page, a cover page too; the first
    # page after it is numbered.
    numbered = next(n for n, text in enumerate(built.pages, 1) if " of " in _flat(text)[-12:])
    assert f"page {numbered} of {len(built.pages)}" in _flat(built.pages[numbered - 1])
    assert numbered <= 3


def test_the_booklet_is_about_the_size_of_the_student_pdf(builds):
    booklet = builds(FLAGSHIP, "booklet").path.stat().st_size
    student = builds(FLAGSHIP).path.stat().st_size
    assert booklet < 1.5 * student


def test_the_flagship_is_set_in_british_english():
    guide = load_guide(FLAGSHIP)
    assert guide.info.language == "en-GB"
