"""The flagship guide is complete and faithful, as issue 3 promises, read from its PDF."""

from __future__ import annotations

from guide.errors import GuideError
from guide.schema import LEVELS


def pdf_text(built) -> str:
    return " ".join(" ".join(built.pages).split())


def test_the_glossary_defines_the_soviet_moon_programme_terms(flagship):
    terms = {term.term: term for term in flagship.guide.glossary}
    for name in ("Zond", "N1/L3", "LOK", "LK"):
        assert name in terms, name
    assert terms["LOK"].expansion.startswith("Lunniy Orbitalny Korabl")
    assert terms["LK"].expansion.startswith("Lunniy Korabl")
    assert len(terms) >= 14


def test_the_pdf_contains_every_term_person_and_event_date(flagship):
    text = pdf_text(flagship)
    for term in flagship.guide.glossary:
        assert term.term in text, term.term
    for person in flagship.guide.people:
        assert person.name in text, person.name
    for event in flagship.guide.chronology:
        assert str(event.date) in text, event.date


def test_there_are_enough_events_people_terms_and_questions(flagship):
    guide = flagship.guide
    assert len(guide.chronology) >= 14
    assert len(guide.people) >= 8
    assert len(guide.questions) >= 10


def test_every_item_cites_the_section_it_comes_from(flagship):
    guide = flagship.guide
    for item in [*guide.chronology, *guide.people, *guide.glossary, *guide.questions]:
        assert item.cited_in, item.id


def test_every_content_paragraph_is_summarized_exactly_once(flagship):
    # Overlaps are errors (the build would fail); gaps are warnings, and there must be none.
    gaps = [w for w in flagship.guide.warnings if "is not summarized" in w.message]
    assert gaps == []
    for source in flagship.guide.sources:
        numbers = [n for section in source.sections for n in section.citation.paragraphs]
        assert len(numbers) == len(set(numbers))


def test_the_boilerplate_and_image_address_are_not_summarized(flagship):
    smithsonian = next(s for s in flagship.guide.sources if s.id == "smithsonian")
    # The title, standfirst, blurb and notices (not_content) are not numbered: the sections
    # summarize ¶ 1–7, every paragraph of the excerpt itself and nothing else.
    summarized = {n for section in smithsonian.sections for n in section.citation.paragraphs}
    assert summarized == set(smithsonian.paragraphs) == set(range(1, 8))
    assert not any("affiliate" in text for text in smithsonian.paragraphs.values())
    assert "tf-cmsv2-smithsonianmag" not in pdf_text(flagship)
    assert "affiliate" not in pdf_text(flagship).lower()


def test_reading_the_sources_repairs_the_mojibake_and_says_so(flagship):
    repairs = [str(w) for w in flagship.guide.warnings]
    assert any("space-race-1963-1966-excerpt.txt:6:" in r and "'â€“' to '–'" in r for r in repairs)
    assert "â€" not in pdf_text(flagship)
    assert any(
        "smithsonian-collaboration-excerpt.txt:12:" in r and "image address" in r for r in repairs
    )


def test_key_quotations_are_marked_and_printed(flagship):
    quotations = [
        q.text for s in flagship.guide.sources for sec in s.sections for q in sec.quotations
    ]
    assert any("Let us do the big things together" in q for q in quotations)
    assert any("absolute zenith" in q for q in quotations)
    text = pdf_text(flagship)
    assert "Let us do the big things together" in text


def test_questions_climb_from_recall_to_evaluation_and_include_the_counterfactual(flagship):
    levels = [q.level for q in flagship.guide.questions]
    assert "recall" in levels and "evaluation" in levels and "analysis" in levels
    assert [LEVELS.index(level) for level in levels][0] <= 1
    assert any("joint" in q.prompt.lower() for q in flagship.guide.questions)


def test_a_misquotation_in_the_flagship_fails_the_build_at_its_line(tmp_path):
    import shutil

    from conftest import FLAGSHIP

    from guide.build import load_guide

    copy = tmp_path / "moon-race"
    shutil.copytree(FLAGSHIP, copy)
    sections = next(
        p
        for p in (copy / "sections").glob("*.yaml")
        if "Let us do the big things together" in p.read_text()
    )
    lines = sections.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "Let us do the big things together" in text)
    sections.write_text(
        sections.read_text().replace("big things together", "great things together")
    )
    try:
        load_guide(copy)
    except GuideError as error:
        (problem,) = error.problems
        assert problem.path == sections and problem.line in (line, line - 1)
        assert problem.message.startswith("quotation not found in smithsonian-collaboration")
    else:
        raise AssertionError("a misquotation was accepted")
