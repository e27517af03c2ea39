"""The provenance checks (guide/provenance.py): an item's date, name or term must be in the
paragraphs it cites, each miss a warning at the item's line; and what an item adds from
outside its sources (`outside_sources:`) is printed in the teacher's edition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FLAGSHIP, MINI

from guide.build import load_guide, resolve_layout
from guide.provenance import _surname
from guide.render_html import render_html

TEXT = "texts/press.txt"
P3 = "By 1500 presses were working"  # the start of ¶ 3 (section 'spread', ¶ 3–4)
P4 = "In 1517 Martin Luther's Ninety-five Theses"  # the start of ¶ 4


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def provenance_warnings(folder: Path) -> list[str]:
    """The provenance warnings `guide check` prints for the guide, its folder left out."""
    guide = load_guide(folder)
    return [
        str(w).replace(f"{folder.resolve()}/", "")
        for w in guide.warnings
        if "¶" in w.message  # the provenance warnings name the paragraphs they read
    ]


def test_the_mini_guide_is_borne_out_by_its_paragraphs():
    # It must stay quiet: every case of tests/bad_inputs/ reads its warnings.
    assert provenance_warnings(MINI) == []


def test_the_flagship_is_borne_out_by_its_paragraphs():
    # Issue 17: no warning on the flagship, each resolved by correcting its content.
    assert provenance_warnings(FLAGSHIP) == []


# --- dates -----------------------------------------------------------------------------------

THESES_UNDATED = (
    "events.yaml:2:5: warning: event 'theses' is dated {date} but its sections' paragraphs "
    "(Printing Press ¶ 3–4) never give {what} — cite the paragraph that does, or say in "
    "date_note how the date was worked out"
)


@pytest.mark.parametrize(
    ("date", "edits", "warned"),
    [
        # A day: its day and month, with the year in that paragraph or an earlier one.
        ("1517-10-31", [(P4, "On 31 October 1517 Martin Luther's Ninety-five Theses")], False),
        ("1517-10-31", [(P4, "On October 31, 1517 Martin Luther's Ninety-five Theses")], False),
        (
            "1517-10-31",
            [(P4, "In 1517, on the 31st of October, Martin Luther's Ninety-five Theses")],
            False,
        ),
        ("1517-10-31", [(P4, "In 1517, on Oct. 31, Martin Luther's Ninety-five Theses")], False),
        (
            "1517-10-31",
            [
                (P3, "By 1517 presses were working"),
                (P4, "On 31 October Martin Luther's Ninety-five Theses"),
            ],
            False,
        ),
        ("1517-10-31", [(P4, "On 31 October Martin Luther's Ninety-five Theses")], True),  # no year
        ("1517-10-31", [(P3, "On 31 October presses were working")], True),  # the year after it
        ("1517-10-31", [], True),  # the year alone
        ("1517-10-31", [(P4, "On 30 October 1517 Martin Luther's Ninety-five Theses")], True),
        # A month: its name, with the year in that paragraph or an earlier one.
        ("1517-10", [(P4, "In October 1517 Martin Luther's Ninety-five Theses")], False),
        ("1517-10", [(P4, "In Oct. 1517 Martin Luther's Ninety-five Theses")], False),
        ("1517-10", [], True),
        # A year: the year alone, however the date is qualified.
        ("1517", [], False),
        ("early 1517", [], False),
        ("c. 1517", [], False),
        ("late 1517-10", [(P4, "In late October 1517 Martin Luther's Ninety-five Theses")], False),
        ("1518", [], True),
        ("1517", [(P4, "In the 1510s Martin Luther's Ninety-five Theses")], True),  # a decade
        # A range: both its ends.
        (
            "1517-10-30/1517-10-31",
            [(P4, "On October 30–31, 1517 Martin Luther's Ninety-five Theses")],
            False,
        ),
        (
            "1517-10-30/1517-10-31",
            [(P4, "Between 30 and 31 October 1517 Martin Luther's Ninety-five Theses")],
            False,
        ),
        ("1500/1517", [], False),  # 1500 in ¶ 3, 1517 in ¶ 4
        ("1516/1517", [], True),
    ],
)
def test_an_event_date_is_found_in_its_paragraphs_as_precisely_as_it_is_written(
    mini_copy, date, edits, warned
):
    edit(mini_copy, "events.yaml", "    date: 1517\n", f"    date: {date}\n")
    for old, new in edits:
        edit(mini_copy, TEXT, old, new)
    theses = [w for w in provenance_warnings(mini_copy) if "event 'theses'" in w]
    assert bool(theses) is warned, theses


def test_an_event_date_not_in_its_paragraphs_is_a_warning_at_its_line(mini_copy):
    edit(mini_copy, "events.yaml", "    date: 1517\n", "    date: 1517-10-31\n")
    assert provenance_warnings(mini_copy) == [
        THESES_UNDATED.format(date="31 October 1517", what="that date")
    ]


def test_a_range_whose_end_is_not_given_names_that_end(mini_copy):
    edit(mini_copy, "events.yaml", "    date: 1517\n", "    date: 1517/1518\n")
    assert provenance_warnings(mini_copy) == [THESES_UNDATED.format(date="1517–1518", what="1518")]


def test_a_date_note_says_how_a_date_not_in_the_paragraphs_was_worked_out(mini_copy):
    edit(
        mini_copy,
        "events.yaml",
        "    date: 1517\n",
        "    date: 1517-10-31\n    date_note: The day is the one Luther dated his letter.\n",
    )
    assert provenance_warnings(mini_copy) == []


def test_a_date_is_found_in_the_paragraphs_of_a_section_that_cites_the_event(mini_copy):
    # 1500 stands in ¶ 3, which section 'spread' covers; the Bible is cited by 'invention'.
    edit(mini_copy, "events.yaml", "    date: 1454/1455\n", "    date: 1500\n")
    assert provenance_warnings(mini_copy) == [
        "events.yaml:5:5: warning: event 'bible' is dated 1500 but its sections' paragraphs"
        " (Printing Press ¶ 1–2) never give that date — cite the paragraph that does, or say"
        " in date_note how the date was worked out"
    ]


def test_the_year_of_a_day_comes_from_the_same_section(mini_copy):
    # Cited by both sections: 1517 only in ¶ 1 (invention), 31 October only in ¶ 3 (spread).
    edit(mini_copy, "events.yaml", "    date: 1517\n", "    date: 1517-10-31\n")
    edit(
        mini_copy,
        "sections/press.yaml",
        "events: [press-built, bible]",
        "events: [press-built, bible, theses]",
    )
    edit(mini_copy, TEXT, "Around 1440", "Around 1440 (or 1517)")
    edit(mini_copy, TEXT, P3, "By 1500, on 31 October, presses were working")
    edit(mini_copy, TEXT, P4, "Martin Luther's Ninety-five Theses")
    [warning] = provenance_warnings(mini_copy)
    assert "event 'theses' is dated 31 October 1517" in warning
    assert "(Printing Press ¶ 1–4)" in warning


# --- people ----------------------------------------------------------------------------------

GUTENBERG_UNNAMED = (
    "people.yaml:2:5: warning: person 'gutenberg' is cited by paragraphs that never name"
    " Johannes Gutenberg (Printing Press ¶ 3–4) — cite them from a section whose paragraphs"
    " do, or add to aliases the name those paragraphs use"
)


def _gutenberg_cited_only_by_spread(folder: Path) -> None:
    edit(folder, "sections/press.yaml", "    people: [gutenberg]\n", "    people: []\n")


def test_a_person_their_paragraphs_never_name_is_a_warning_at_their_line(mini_copy):
    _gutenberg_cited_only_by_spread(mini_copy)
    assert provenance_warnings(mini_copy) == [GUTENBERG_UNNAMED]


@pytest.mark.parametrize(
    "named",
    [
        "Johannes Gutenberg's presses",  # the name
        "Gutenberg's presses",  # the surname, possessive
        "Gutenberg’s presses",  # a typographic apostrophe
        "GUTENBERG presses",  # any case
        "the Gutenbergs' presses",  # plural possessive
    ],
)
def test_a_person_is_named_by_name_surname_or_possessive_in_any_case(mini_copy, named):
    _gutenberg_cited_only_by_spread(mini_copy)
    edit(mini_copy, TEXT, "By 1500 presses", f"By 1500 {named}")
    assert provenance_warnings(mini_copy) == []


def test_a_person_is_named_by_an_alias_but_not_inside_another_word(mini_copy):
    _gutenberg_cited_only_by_spread(mini_copy)
    edit(mini_copy, TEXT, "By 1500 presses", "By 1500 Gutenbergian presses")
    assert provenance_warnings(mini_copy) == [GUTENBERG_UNNAMED]
    edit(mini_copy, TEXT, "Gutenbergian presses", "the goldsmith’s presses")
    edit(
        mini_copy,
        "people.yaml",
        "    name: Johannes Gutenberg\n",
        "    name: Johannes Gutenberg\n    aliases: [the goldsmith]\n",
    )
    assert provenance_warnings(mini_copy) == []


def test_a_surname_is_the_last_word_of_a_name_before_jr_or_a_numeral():
    assert _surname("Sergei Korolev") == "Korolev"
    assert _surname("Martin Luther King Jr.") == "King"
    assert _surname("Pope Pius XII") == "Pius"
    assert _surname("Xi Jinping") == "Jinping"
    assert _surname("Gutenberg") is None  # one word: the name itself


# --- terms -----------------------------------------------------------------------------------

MOVABLE_TYPE_UNUSED = (
    "glossary.yaml:2:5: warning: term 'movable-type' is cited by paragraphs that never use"
    " 'movable type' (Printing Press ¶ 3–4) — cite it from a section whose paragraphs do, or"
    " add to aliases the form those paragraphs use"
)


def _movable_type_cited_only_by_spread(folder: Path) -> None:
    edit(folder, "sections/press.yaml", "    terms: [movable-type]\n", "    terms: []\n")
    edit(
        folder,
        "sections/press.yaml",
        "    terms: [theses]\n",
        "    terms: [theses, movable-type]\n",
    )


def test_a_term_its_paragraphs_never_use_is_a_warning_at_its_line(mini_copy):
    _movable_type_cited_only_by_spread(mini_copy)
    assert provenance_warnings(mini_copy) == [MOVABLE_TYPE_UNUSED]


@pytest.mark.parametrize(
    "used",
    ["movable types", "Movable Type", "movable-type", "movable type’s", "movable\u00a0type"],
)
def test_a_term_is_used_in_plural_possessive_any_case_or_hyphenated(mini_copy, used):
    _movable_type_cited_only_by_spread(mini_copy)
    edit(mini_copy, TEXT, "By 1500 presses", f"By 1500 {used} presses")
    assert provenance_warnings(mini_copy) == []


def test_a_term_is_used_by_an_alias_or_by_an_acronym_expansion(mini_copy):
    # The term 'theses' as an acronym NT whose expansion, Ninety-five Theses, ¶ 4 uses.
    edit(
        mini_copy,
        "glossary.yaml",
        "    term: Ninety-five Theses\n    aliases: [theses]\n",
        "    term: NT\n    expansion: Ninety-five Theses\n",
    )
    assert provenance_warnings(mini_copy) == []
    edit(mini_copy, TEXT, "Ninety-five Theses", "95 theses")
    assert (
        "term 'theses' is cited by paragraphs that never use 'NT'"
        in provenance_warnings(mini_copy)[0]
    )
    edit(mini_copy, "glossary.yaml", "    term: NT\n", "    term: NT\n    aliases: [thesis]\n")
    assert provenance_warnings(mini_copy) == []  # 'theses' is the plural of the alias 'thesis'


# --- outside the sources ---------------------------------------------------------------------

OUTSIDE = {
    "events.yaml": (
        "    title: Gutenberg's press\n",
        "That the press was a screw press comes from the Gutenberg Museum.",
    ),
    "people.yaml": (
        "    role: Theologian\n",
        "His dates come from the Luther Memorials Foundation.",
    ),
    "glossary.yaml": (
        "    aliases: [theses]\n",
        "The indulgences are not in the source: see Pettegree, Brand Luther (2015).",
    ),
    "questions.yaml": (
        "    suggested_answer: Yes, arguably.\n",
        "The phrase 'media event' is Pettegree's.",
    ),
}


def _mark_outside(folder: Path) -> None:
    for file, (after, note) in OUTSIDE.items():
        edit(folder, file, after, f'{after}    outside_sources: "{note}"\n')


def test_outside_sources_is_kept_on_each_kind_of_item_and_checked_for_nothing(mini_copy):
    _mark_outside(mini_copy)
    guide = load_guide(mini_copy)
    chronology = {e.id: e for e in guide.chronology}
    people = {p.id: p for p in guide.people}
    terms = {t.id: t for t in guide.glossary}
    questions = {q.id: q for q in guide.questions}
    assert chronology["press-built"].outside_sources.startswith("That the press was a screw")
    assert people["luther"].outside_sources.startswith("His dates come from")
    assert terms["theses"].outside_sources.startswith("The indulgences are not")
    assert questions["media-event"].outside_sources == "The phrase ‘media event’ is Pettegree’s."
    assert chronology["theses"].outside_sources is None
    assert provenance_warnings(mini_copy) == []


def test_the_teacher_edition_prints_what_the_guide_adds_from_outside_its_sources(mini_copy):
    _mark_outside(mini_copy)
    guide = load_guide(mini_copy)
    teacher = render_html(guide, resolve_layout(guide, "teacher"), "A4")
    part = teacher.split('<section class="part outside-sources" id="outside-sources">', 1)[1]
    part = part.split("</section>", 1)[0]
    assert "Beyond the sources" in part
    for anchor in ("#event-press-built", "#person-luther", "#term-theses", "#question-media-event"):
        assert f'href="{anchor}"' in part
    # Marked as prose: names are spans, never hyphenated.
    assert "screw press comes from the" in part and "His dates come from the" in part
    assert ">Beyond the sources</td><td>4 items the sources do not give<" in teacher  # overview
    # Each item points to its entry there, where it stands (the page from CSS).
    for kind, item in (("event", "press-built"), ("person", "luther"), ("term", "theses")):
        assert f'<div class="outside-entry" id="outside-{kind}-{item}">' in part
        assert f'<a class="page-ref" href="#outside-{kind}-{item}">Beyond the sources</a>' in (
            teacher
        )
    assert len(re.findall(r'href="#outside-(?:event|person|term|question)-', teacher)) == 4
    student = render_html(guide, resolve_layout(guide, "student"), "A4")
    assert "outside-" not in student and "Memorials Foundation" not in student


def test_a_guide_that_marks_nothing_has_no_part_for_it():
    guide = load_guide(MINI)
    teacher = render_html(guide, resolve_layout(guide, "teacher"), "A4")
    assert "Beyond the sources" not in teacher
