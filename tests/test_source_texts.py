"""The sources on the page (issue 17, item 3): the teacher's edition prints every content
paragraph of every source, numbered as the guide cites it; the student's prints what each
source's `reprint:` allows, under its licence and attribution. The ¶ numbers count content
paragraphs only, as the article was published: the lines `not_content:` names by their first
words (a title, a blurb, notices) are neither numbered nor printed."""

from __future__ import annotations

import yaml
from conftest import FLAGSHIP

from guide import context
from guide.build import load_guide, resolve_layout
from guide.render_html import render_html


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_teachers_edition_prints_the_sources_content_numbered(builds):
    built = builds(FLAGSHIP, "teacher")
    start = built.anchor_page("source-texts")
    text = _flat(" ".join(built.pages[start - 1 :]))
    source, second = built.guide.sources
    text = text[text.index("The texts this guide summarizes") : text.index(second.short_title)]
    # ¶ 1 is the excerpt's first paragraph as published, ¶ 7 the last (the Soviet answer).
    assert "¶ 1 Soon after the Gagarin flight, Kennedy discussed the possibility" in text
    assert "¶ 7 In public, the Soviet Union was noncommittal." in text
    assert "¶ 8 " not in text
    # Not the standfirst, blurb or notices the publisher added (not_content); the article's
    # title stands over it as its source's title, not as a paragraph.
    assert "¶ 1 How the U.S." not in text
    for words in (
        "Could the moon landing have been",
        "From the Ancient World to the Extraterrestrial Future",
        "The first in-depth, fully illustrated history",
        "Read more in The Smithsonian History",
        "Excerpt from The Smithsonian History",
        "A Note to our Readers",
        "affiliate link",
    ):
        assert words not in text, words
    assert "The sources" in built.pages[built.anchor_page("contents") - 1]


def test_the_students_edition_prints_no_source_whose_licence_is_not_given(builds):
    built = builds(FLAGSHIP)
    assert all(s.reprint == "none" for s in built.guide.sources)
    assert "source-texts" not in built.reader.named_destinations
    assert "The sources" not in built.pages[built.anchor_page("contents") - 1]


def _with_reprint(mini_copy, reprint: str):
    config = mini_copy / "guide.yaml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["sources"][0].update(reprint=reprint, licence="CC BY 4.0", attribution="Text: Test Press.")
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_guide(mini_copy)


def test_reprint_cited_prints_the_cited_paragraphs_with_the_licence(mini_copy):
    guide = _with_reprint(mini_copy, "cited")
    (source,) = context.variables(guide, "student", {}, "A4")["guide"].sources
    cited = {n for s in guide.sources[0].sections for n in s.citation.paragraphs}
    assert [p.number for p in source.reprinted] == sorted(cited)
    html = render_html(guide, resolve_layout(guide, "student"), "A4")
    assert 'id="source-texts"' in html and "Text: Test Press. CC BY 4.0" in html


def test_reprint_full_prints_every_content_paragraph(mini_copy):
    guide = _with_reprint(mini_copy, "full")
    (source,) = context.variables(guide, "student", {}, "A4")["guide"].sources
    # Every paragraph but the title, which not_content names: ¶ 1 is the text's second line.
    assert [p.number for p in source.reprinted] == [p.number for p in source.text] == [1, 2, 3, 4]
    assert source.text[0].text.startswith("Around 1440 Johannes Gutenberg")


# Each section of the Smithsonian excerpt and the words its paragraphs start with: renumbered
# when not_content stopped being counted, every citation still reads the same text.
SMITHSONIAN_SECTIONS = {
    "after-gagarin": ((1,), "Soon after the Gagarin flight, Kennedy discussed"),
    "moon-commitment": ((2,), "Kennedy unveiled his commitment to what became Project Apollo"),
    "apollo-support": ((3,), "Kennedy’s speech, and the goal it outlined, captured"),
    "korolev-lobbies": ((4,), "In the Soviet Union, Sergei Korolev, chief architect"),
    "joint-programme-idea": ((5,), "But what if the United States and the Soviet Union"),
    "vienna-to-un": ((6,), "After Yuri Gagarin’s first orbital flight"),
    "soviet-answer": ((7,), "In public, the Soviet Union was noncommittal."),
}


def test_the_flagships_citations_count_content_paragraphs_only():
    guide = load_guide(FLAGSHIP)
    smithsonian = next(s for s in guide.sources if s.id == "smithsonian")
    assert {s.id: s.citation.paragraphs for s in smithsonian.sections} == {
        id: numbers for id, (numbers, _) in SMITHSONIAN_SECTIONS.items()
    }
    for section in smithsonian.sections:
        numbers, words = SMITHSONIAN_SECTIONS[section.id]
        assert smithsonian.paragraphs[numbers[0]].startswith(words), section.id
    # An item cited through them: the Vienna summit, Smithsonian ¶ 6, reads the summit.
    (vienna,) = [e for e in guide.chronology if "Vienna" in e.title]
    assert [(c.source_id, c.paragraphs) for c in vienna.cited_in] == [("smithsonian", (6,))]
    assert "Vienna" in smithsonian.paragraphs[6]
