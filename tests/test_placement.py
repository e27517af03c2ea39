"""Where the sidebars stand (guide/placement.py): one the margin column cannot hold beside its
section is laid out again in the text; in large print the people are a part of their own.

The flagship's first section ("After Gagarin") names three people, whose sidebars are taller
than what is left of its page: Gagarin's, last, would stand a page turn away. The PDFs are
the session's shared builds (conftest.Builds).
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import FLAGSHIP

from guide.placement import SidebarPlaces, facing
from guide.render_pdf import MAX_REVISIONS, render_pdf


def test_pages_face_each_other_in_pairs_from_page_two():
    assert facing(3, 3)
    assert facing(2, 3) and facing(3, 2) and facing(4, 5)
    assert not facing(3, 4) and not facing(1, 2) and not facing(2, 5)


def test_a_sidebar_is_away_when_neither_on_its_headings_page_nor_facing_it():
    places = SidebarPlaces({"gagarin": "after-gagarin", "kennedy": "after-gagarin"})

    def away(*pages: set[str]) -> frozenset[str]:
        return places.away(list(pages))

    heading, gagarin, kennedy = "section-after-gagarin", "person-gagarin", "person-kennedy"
    # Page 3 is a right page: page 4 is over the turn.
    assert away(set(), set(), {heading, kennedy}, {gagarin}) == {"gagarin"}
    # Page 2 faces page 3.
    assert away(set(), {heading, kennedy}, {gagarin}) == frozenset()
    # An anchor counts on the first page it is on; a person without a sidebar is no matter.
    assert away(set(), set(), {heading, kennedy, gagarin}, {gagarin}) == frozenset()
    assert away(set(), set(), {heading}) == frozenset()


def test_the_build_lays_out_again_at_most_max_revisions_times(tmp_path: Path):
    seen = []

    def revise(document) -> str:
        seen.append(len(document.pages))
        return f"<p>{'again ' * len(seen)}</p>"

    rendered = render_pdf("<p>first</p>", [], [tmp_path], "A4", tmp_path, revise=revise)
    assert len(seen) == MAX_REVISIONS  # asked after the first layout and each revision but the last
    assert rendered.pages == 1
    assert render_pdf("<p>x</p>", [], [tmp_path], "A4", tmp_path, revise=lambda d: None).pages == 1


def _line_starting(pdf: Path, page: int, text: str) -> dict:
    with pdfplumber.open(pdf) as document:
        lines = document.pages[page - 1].extract_text_lines()
    return next(line for line in lines if line["text"].startswith(text))


@pytest.mark.parametrize("layout", ["student", "teacher"])
def test_a_sidebar_the_margin_cannot_hold_beside_its_section_is_set_in_the_text(builds, layout):
    built = builds(FLAGSHIP, layout)
    section = built.anchor_page("section-after-gagarin")
    assert built.anchor_page("person-gagarin") == section
    # Across the text column, under the section's first paragraph: its name starts where the
    # paragraph does (the inset of the box aside), not in the margin column...
    paragraph = _line_starting(built.path, section, "Soon after the Soviet cosmonaut")
    name = _line_starting(built.path, section, "Yuri Gagarin")
    assert paragraph["x0"] < name["x0"] < paragraph["x0"] + 20
    assert name["top"] > paragraph["top"]
    # ...while the other two stay in the margin column, beside the text.
    kennedy = _line_starting(built.path, section, "John F. Kennedy")
    assert kennedy["x0"] > paragraph["x1"]
    assert built.anchor_page("person-kennedy") == section


def test_large_print_has_no_sidebars_but_a_part_of_people_each_section_pointing_to_its_page(
    builds,
):
    built = builds(FLAGSHIP, "large-print")
    assert (1, "People", built.anchor_page("people")) in built.outline()
    text = " ".join(" ".join(built.pages).split())
    pointers = re.findall(r"People: (.*?\(p\. \d+\))\.", text)
    assert pointers, "no section names its people"
    first = pointers[0]
    assert first.startswith("John F. Kennedy (p. ")
    for name, page in re.findall(r"([A-Z][\w. ]+?) \(p\. (\d+)\)", first):
        entry = built.anchor_page(
            {"John F. Kennedy": "person-kennedy", "Lyndon B. Johnson": "person-johnson"}.get(
                name.strip(), "person-gagarin"
            )
        )
        assert int(page) == entry
        assert built.pages[entry - 1].count(name.strip()) >= 1
    # Before the chronology, after the summaries.
    assert built.anchor_page("source-space-race") < built.anchor_page("people")
    assert built.anchor_page("people") < built.anchor_page("chronology")
