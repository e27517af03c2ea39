"""Typographic punctuation from ASCII input: the guide's language's quotes, apostrophes,
dashes and ellipses in every printed text, and no straight quote left in any PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FLAGSHIP

from guide import schema
from guide.build import load_guide
from guide.layouts import load_layout
from guide.render_html import render_html
from guide.typography import educate, marks, strip_outer_marks, typeset


@pytest.mark.parametrize(
    "language, typed, printed",
    [
        ("en-GB", '"Isn\'t it?" she said.', "“Isn’t it?” she said."),
        ("en-US", '"Isn\'t it?" she said.', "“Isn’t it?” she said."),
        ("de", '"Das ist es", sagte er.', "„Das ist es“, sagte er."),
        ("fr", 'Il a dit "non".', "Il a dit «\u00a0non\u00a0»."),
        ("ru", 'Он сказал "нет".', "Он сказал «нет»."),
        ("de-CH", 'Er sagte "nein".', "Er sagte «nein»."),
    ],
)
def test_straight_quotes_become_the_languages_marks(language, typed, printed):
    assert educate(typed, language) == printed


@pytest.mark.parametrize("language", ["en-GB", "en-US", "de", "fr"])
def test_an_apostrophe_in_a_word_is_an_apostrophe_in_every_language(language):
    assert educate("Gagarin's flight", language) == "Gagarin’s flight"
    assert educate("l'homme", language) == "l’homme"


def test_a_decade_is_abbreviated_with_an_apostrophe():
    assert educate("the '60s", "en-GB") == "the ’60s"
    assert educate("the ’60s", "en-GB") == "the ’60s"  # typed curly: left as typed


@pytest.mark.parametrize(
    "language, printed",
    [
        ("en-GB", "“He called it ‘the race’.”"),
        ("de", "„He called it ‚the race‘.“"),
        ("fr", "«\u00a0He called it “the race”.\u00a0»"),
    ],
)
def test_nested_quotes_take_the_inner_marks(language, printed):
    assert educate("\"He called it 'the race'.\"", language) == printed


@pytest.mark.parametrize("language", ["en-GB", "en-US", "de", "fr"])
def test_dashes_and_ellipses_are_the_same_in_every_language(language):
    assert educate("1961--1966", language) == "1961–1966"
    assert educate("a race -- or not", language) == "a race – or not"
    assert educate("a race---or not", language) == "a race—or not"
    assert educate("and then...", language) == "and then…"


@pytest.mark.parametrize(
    "text",
    [
        "Gagarin flew on 12 April 1961.",
        "Soyuz 7K-L1 and N1/L3",
        "A well-known, self-made man – and a dash typed as one.",
        "Already “curly” and ’quoted’…",
        "",
    ],
)
def test_a_text_with_nothing_to_convert_is_unchanged(text):
    assert educate(text, "en-GB") == text


def test_a_web_address_in_a_text_is_left_as_written():
    typed = 'See "https://example.org/a--b...c?x=1" -- or www.nasa.gov/it\'s.'
    assert educate(typed, "en") == "See “https://example.org/a--b...c?x=1” – or www.nasa.gov/it's."


def test_a_backslash_in_a_text_means_itself():
    # SmartyPants reads \. as "a dot, kept" and drops the backslash: not here.
    assert educate(r'C:\files\.hidden -- "x"', "en") == r"C:\files\.hidden – “x”"


def test_a_language_the_table_lacks_gets_the_marks_of_its_family_or_english():
    assert marks("de-AT").open == "„"  # German, of Austria
    assert marks("zh").open == "“"  # Chinese: the table lists zh-cn and zh-tw
    assert marks("xx").open == "“"  # unknown: English, the most widely read


def test_ids_paths_and_dates_are_never_touched():
    source = schema.Source(
        id="press",
        title="Gutenberg's press -- a history...",
        text="texts/it's--here....txt",
        sections="sections/'quoted'.yaml",
    )
    typeset_source = typeset(source, "en")
    assert typeset_source.title == "Gutenberg’s press – a history…"
    assert typeset_source.id == "press"
    assert typeset_source.text == "texts/it's--here....txt"
    assert typeset_source.sections == "sections/'quoted'.yaml"
    event = schema.Event(id="e-1", date="c. 1440", title="Gutenberg's press")
    typeset_event = typeset(event, "de")
    assert typeset_event.title == "Gutenberg’s press"
    assert typeset_event.date == event.date and typeset_event.id == "e-1"


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("“faster than any text”", "faster than any text"),
        ('"faster than any text"', "faster than any text"),
        ("'faster than any text'", "faster than any text"),
        ("« faster than any text »", "faster than any text"),
        ("„faster than any text“", "faster than any text"),
        ("‘Gagarin’s flight’", "Gagarin’s flight"),
        ("'Gagarin's flight'", "Gagarin's flight"),
        # Not one pair around the whole: left as typed.
        ('"Why not?" and "Yes"', '"Why not?" and "Yes"'),
        ("“Why not?” and “Yes”", "“Why not?” and “Yes”"),
        ('"unclosed', '"unclosed'),
        ("faster than any text", "faster than any text"),
    ],
)
def test_a_quotation_typed_with_its_own_marks_is_stored_without_them(typed, stored):
    assert strip_outer_marks(typed) == stored


def _set_quotation(guide: Path, typed: str, language: str = "en") -> None:
    sections = guide / "sections" / "press.yaml"
    text = sections.read_text(encoding="utf-8")
    old = '      - text: "the first media event"'
    assert old in text
    sections.write_text(text.replace(old, f"      - text: {typed}"), encoding="utf-8")
    config = guide / "guide.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("language: en\n", f"language: {language}\n"),
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    "typed, language, printed",
    [
        ("'“the first media event”'", "en", "“the first media event”"),
        ("'\"the first media event\"'", "en", "“the first media event”"),
        ("the first media event", "en-GB", "“the first media event”"),
        ("« the first media event »", "fr", "«\u00a0the first media event\u00a0»"),
        ("'\"the first media event\"'", "de", "„the first media event“"),
    ],
)
def test_a_quotation_prints_its_marks_once(mini_copy, typed, language, printed):
    _set_quotation(mini_copy, typed, language)
    guide = load_guide(mini_copy)  # the check that it is in the source still passes
    html = render_html(guide, load_layout("student"), "A4")
    quotation = re.search(r'<blockquote class="quotation">(.*?)(<span|</blockquote>)', html)
    assert quotation[1] == printed


def test_a_quote_inside_a_quotation_takes_the_inner_marks(mini_copy):
    _set_quotation(mini_copy, "'“the first media \"event\"”'")
    # The source has no quotes there: the check compares without them.
    guide = load_guide(mini_copy)
    assert guide.sources[0].sections[-1].quotations[0].text == "the first media ‘event’"


# --- no straight quote in any PDF -------------------------------------------------------------

LAYOUTS = ["student", "teacher", "large-print", "booklet"]


def _straight_quotes(pages: list[str]) -> list[str]:
    return [
        f"page {number}: …{match.group()}…"
        for number, text in enumerate(pages, start=1)
        for match in re.finditer(r".{0,30}['\"].{0,30}", text)
    ]


# The layouts' own words too: the teacher's cover line is CSS content, its overview a
# template's text; both are typed with ’.
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("which", ["flagship", "tutorial"])
def test_no_straight_quote_is_printed(builds, tutorial_guide, which, layout):
    guide = FLAGSHIP if which == "flagship" else tutorial_guide
    built = builds(guide, layout)
    assert _straight_quotes(built.pages) == []


def test_the_tutorial_prints_its_typed_quotes_curly(builds, tutorial_guide):
    text = " ".join(" ".join(page.split()) for page in builds(tutorial_guide).pages)
    assert "Gutenberg’s press" in text
    assert "“faster than any text before them”" in text
    assert "c. 1440" in text  # date: c. 1440, not date_note: about
    assert "About the date" not in text


def test_the_cover_prints_the_date_as_a_reader_writes_it(builds):
    flagship = builds(FLAGSHIP)
    language, date = flagship.guide.info.language, flagship.guide.info.date
    from guide.dates import edition_date

    written = edition_date(date, language)
    assert written != date
    cover = " ".join(flagship.pages[0].split())
    assert written in cover and date not in cover


def test_the_html_keeps_the_iso_date_as_metadata(mini_copy):
    html = render_html(load_guide(mini_copy), load_layout("student"), "A4")
    assert re.search(r'<meta name="dcterms.created" content="\d{4}-\d{2}-\d{2}">', html)
