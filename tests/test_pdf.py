"""The built PDF, read back: parts, contents page numbers, chronology, glossary, bookmarks."""

from __future__ import annotations

import re

import pytest

# Month names only; the date parsing below is independent of guide.dates on purpose.
from guide import timeline
from guide.context import SHORT_GUIDE_SECTIONS
from guide.dates import MONTHS

PART_OFFSET = {"early": 0, "mid": 10, "late": 20}


@pytest.fixture(params=["mini", "flagship"])
def built(request):
    return request.getfixturevalue(request.param)


def first_day(printed: str) -> tuple[int, int, int]:
    """The first day a printed date can mean, parsed independently of guide.dates."""
    start = re.split(r" – |–(?=\d{4}$)", printed)[0]
    part = None
    if start.split()[0] in PART_OFFSET:
        part, start = start.split()[0], start.split(" ", 1)[1]
    words = start.replace("–", " ").split()
    year = int(re.search(r"\d{4}", printed).group())
    numbers = [w for w in words if w.isdigit() and len(w) <= 2]
    month = next((MONTHS.index(w) + 1 for w in words if w in MONTHS), None)
    day = int(numbers[0]) if numbers else 1
    if month is None:
        month = {None: 1, "early": 1, "mid": 5, "late": 9}[part]
    elif part:
        day = 1 + PART_OFFSET[part]
    return year, month, day


def part_titles(built) -> list[str]:
    # The drawn timeline comes before the chronology, in a guide of enough events to draw.
    drawn = ["Timeline"] if len(built.guide.chronology) >= timeline.Style().min_events else []
    return (
        ["Contents"]
        + [s.short_title for s in built.guide.sources]
        + [*drawn, "Chronology", "Glossary", "Discussion questions"]
    )


def test_parts_are_in_order_and_the_questions_start_a_page(built):
    level_one = [(title, page) for level, title, page in built.outline() if level == 1]
    assert [title for title, _ in level_one] == part_titles(built)
    pages = [page for _, page in level_one]
    assert pages == sorted(pages)
    for title, page in level_one:
        assert title in built.pages[page - 1].splitlines()
    # Parts run on under their title's rule; the questions, written on and handed in, start
    # a page of their own (but in a short guide, of a few pages).
    if sum(len(source.sections) for source in built.guide.sources) > SHORT_GUIDE_SECTIONS:
        assert pages[-1] > pages[-2]


def test_cover_shows_title_audience_and_sources_without_page_furniture(built):
    cover = built.pages[0]
    info = built.guide.info
    assert info.title in cover and info.audience in cover
    for source in built.guide.sources:
        assert " ".join(source.title.split()[:4]) in " ".join(cover.split())
    assert "page 1 of" not in cover


def test_every_contents_entry_gives_the_page_its_heading_is_on(built):
    contents = built.pages[built.anchor_page("contents") - 1]
    entries = re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)\s*$", contents, flags=re.MULTILINE)
    titles = [title for title, _ in entries]
    expected = []
    for source in built.guide.sources:
        expected += [source.short_title] + [s.title for s in source.sections]
    expected += part_titles(built)[1 + len(built.guide.sources) :]
    assert titles == expected
    bookmarks = {title: page for _, title, page in built.outline()}
    for title, number in entries:
        page = int(number)
        assert bookmarks[title] == page, title
        # A heading in the text column may wrap, even after a hyphen of its own.
        printed = re.sub(r"- ", "-", " ".join(built.pages[page - 1].split()))
        assert " ".join(title.split()) in printed, title


def test_every_page_after_the_cover_has_running_head_and_page_n_of_m(built):
    total = len(built.pages)
    for number, text in enumerate(built.pages[1:], start=2):
        assert f"page {number} of {total}" in text
        assert built.guide.info.title in text


def test_chronology_lists_every_event_in_date_order(built):
    # Parts run on: the chronology may share its first page with the part before, its last
    # with the glossary.
    start = built.anchor_page("chronology") - 1
    end = built.anchor_page("glossary")
    text = " ".join(" ".join(built.pages[start:end]).split())
    text = text.replace("– ", "–")  # a date broken after its dash reads as one word
    # The part before may share its first page.
    text = text[text.index("Every dated event in the sources") :]
    # The date is set out in the date column, drawn after its event's text: each event's
    # title comes in order, and its date before the next event's title.
    titles, position, keys = [], 0, []
    for event in built.guide.chronology:
        found = text.find(" ".join(event.title.split()), position)
        assert found >= 0, f"{event.title!r} missing or out of order"
        titles.append(found)
        position = found + 1
        keys.append(first_day(str(event.date)))
    ends = [*titles[1:], len(text)]
    for event, start, end in zip(built.guide.chronology, titles, ends, strict=True):
        assert str(event.date) in text[start:end], f"{event.date} is not by {event.title!r}"
    assert keys == sorted(keys)


def test_glossary_has_every_term_alphabetically(built):
    start = built.anchor_page("glossary") - 1
    end = built.anchor_page("questions")
    text = " ".join(" ".join(built.pages[start:end]).split())
    terms = [term.term for term in built.guide.glossary]
    assert terms == sorted(terms, key=str.casefold)
    for term in built.guide.glossary:
        assert term.term in text
        assert " ".join(term.definition.split()[:6]) in text


def test_each_summary_cites_its_source_section(built):
    for source in built.guide.sources:
        for section in source.sections:
            page = built.anchor_page(f"section-{section.id}")
            assert f"Source: {source.short_title}, {section.citation.where}" in " ".join(
                " ".join(built.pages[page - 1 : page + 1]).split()
            )


def flat(text: str) -> str:
    """Page text as one line, with words hyphenated at line ends joined again."""
    return re.sub(r"[-\u2010\u00ad] ", "", " ".join(text.split()))


def test_sidebar_stands_by_the_first_section_that_mentions_the_person_printed_once(built):
    """Where the page is full a sidebar goes on over it: its head on the section's page (or
    the next: test_typography holds it to the text that names the person), its end on the
    same page or the next."""
    pages = [flat(page) for page in built.pages]
    for source in built.guide.sources:
        for section in source.sections:
            page = built.anchor_page(f"section-{section.id}")
            for person in section.sidebars:
                dates = " · ".join(x for x in (person.native_name, person.life) if x)
                head = flat(f"{person.name} {dates} {person.role}")
                tail = flat(" ".join(person.bio.split()[-4:]))
                holding = [n for n, text in enumerate(pages, 1) if head in text]
                assert len(holding) == 1 and pages[holding[0] - 1].count(head) == 1, person.name
                assert holding[0] in (page, page + 1), person.name
                ends = [n for n in (holding[0], holding[0] + 1) if tail in pages[n - 1]]
                assert ends, f"{person.name}'s sidebar does not end on its page or the next"


def test_questions_are_numbered_with_answer_lines_and_no_teacher_notes(built):
    start = built.anchor_page("questions") - 1
    text = " ".join(" ".join(built.pages[start:]).split())
    position = 0
    for question in built.guide.questions:
        # The numbers hang in the margin, drawn apart from the prompts (their place on the
        # page: test_page_design.py); the prompts come in order.
        position = text.index(" ".join(question.prompt.split()[:5]), position)
        assert f" {question.number} " in f" {text} "
    assert "Teacher notes" not in " ".join(built.pages)


def test_bookmarks_cover_every_part_and_section(built):
    titles = [title for _, title, _ in built.outline()]
    for source in built.guide.sources:
        assert source.short_title in titles
        for section in source.sections:
            assert section.title in titles


def test_metadata_has_title_authors_and_language(built):
    info = built.guide.info
    metadata = built.reader.metadata
    assert metadata.title.startswith(info.title)
    assert metadata.author == ", ".join(info.authors) or info.authors[0] in metadata.author
    assert built.reader.trailer["/Root"]["/Lang"] == info.language


def test_first_use_of_a_term_in_a_summary_links_to_its_glossary_entry(mini):
    glossary_page = mini.anchor_page("glossary")
    page = mini.anchor_page("section-invention")
    annotations = [a.get_object() for a in mini.reader.pages[page - 1].get("/Annots", [])]
    internal = [a for a in annotations if a.get("/Subtype") == "/Link" and "/Dest" in a]
    targets = {
        mini.reader.get_destination_page_number(mini.reader.named_destinations[a["/Dest"]]) + 1
        for a in internal
        if a["/Dest"] in mini.reader.named_destinations
    }
    assert glossary_page in targets


def test_no_summary_heading_is_left_alone_at_the_foot_of_a_page(built):
    pages = [flat(page) for page in built.pages]
    for source in built.guide.sources:
        for section in source.sections:
            page = built.anchor_page(f"section-{section.id}")
            opening = flat(" ".join(section.summary.split()[:3]))
            assert opening in pages[page - 1], f"'{section.title}' is parted from its text"
