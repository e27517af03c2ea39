"""A guide in another language prints every word of its layout in that language: the words
from the message catalogues, dates from CLDR, native names and quotations tagged with theirs."""

from __future__ import annotations

import fcntl
import re
import shutil
import sys

import pytest
from babel.messages.pofile import read_po
from conftest import MINI, ROOT, Builds

from guide.build import load_guide
from guide.context import variables
from guide.dates import parse_date, printed
from guide.messages import DOMAIN, LOCALES, Messages, catalogue_languages, chain

LANGUAGES = ["en", "de", "fr", "es"]


def catalogue(code: str) -> dict:
    """Message id → translation; a fuzzy one (a guess `make messages` made) counts as none:
    a build does not print it."""
    with (LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        return {m.id: ("" if m.fuzzy else m.string) for m in read_po(po) if m.id}


def _flat(messages: dict) -> set[str]:
    """Every printed text of a catalogue (its plural forms apart), placeholders cut out."""
    texts = set()
    for value in messages.values():
        for text in value if isinstance(value, tuple) else (value,):
            texts.update(re.split(r"%\(\w+\)[sd]", text))
    return {t.strip() for t in texts if len(t.strip()) >= 8}


@pytest.fixture(scope="session")
def in_language(builds: Builds):
    """The small guide in a language, built once per session in the teacher's layout (the one
    that prints the most words)."""

    def build(language: str):
        folder = builds.folder / f"mini-{language}"
        with open(builds.folder / f"mini-{language}.copy-lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not folder.exists():
                shutil.copytree(MINI, folder)
                config = folder / "guide.yaml"
                text = re.sub(r"(?m)^language: .*$", f"language: {language}", config.read_text())
                config.write_text(text)
        return builds(folder, "teacher")

    return build


def test_every_catalogue_translates_every_message_the_layouts_print():
    sys.path.insert(0, str(ROOT / "scripts"))
    from extract_messages import template

    wanted = {m.id for m in template() if m.id}
    with (LOCALES / f"{DOMAIN}.pot").open("rb") as pot:
        assert {m.id for m in read_po(pot) if m.id} == wanted, "run make messages"
    assert catalogue_languages() == ["de", "es", "fr"]
    for code in catalogue_languages():
        messages = catalogue(code)
        assert set(messages) == wanted, code
        untranslated = [
            i for i, s in messages.items() if not all(s if isinstance(s, tuple) else [s])
        ]
        assert untranslated == [], code


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_small_guide_prints_no_word_of_another_language(in_language, language):
    text = " ".join(in_language(language).pages)
    own = catalogue(language) if language != "en" else {}
    mine = _flat(own) if own else _flat({i: i for i in catalogue("de")})
    for other in LANGUAGES:
        if other == language:
            continue
        theirs = (
            _flat(catalogue(other)) if other != "en" else _flat({i: i for i in catalogue("de")})
        )
        for words in sorted(theirs - mine):
            assert words not in text, (language, other, words)
    # Its own words, where the teacher's edition prints them.
    words = Messages(language).gettext
    for message in (
        "Contents",
        "Chronology",
        "Glossary",
        "Discussion questions",
        "Lesson overview",
    ):
        assert words(message) in text, (language, message)
    pages = len(in_language(language).pages)
    assert words("page %(page)s of %(pages)s") % {"page": 2, "pages": pages} in text


def test_dates_print_as_the_language_writes_them():
    def date(written: str, language: str) -> str:
        return printed(parse_date(written), language, Messages(language).gettext)

    assert date("1964-10-14/1964-10-16", "de") == "14.–16. Oktober 1964"
    assert date("1964-10-14/1964-10-16", "fr") == "14–16 octobre 1964"
    assert date("1964-10-14/1964-10-16", "es") == "14–16 de octubre de 1964"
    assert date("1964-10-14/1964-10-16", "en") == "14–16 October 1964"
    assert date("early 1961", "de") == "Anfang 1961"
    assert date("c. 1440", "fr") == "vers 1440"
    assert date("1961-04", "es") == "abril de 1961"
    assert date("1964-10-14/1964-11-02", "de") == "14. Oktober – 2. November 1964"
    assert date("1961-01/1961-03", "fr") == "janvier–mars 1961"
    assert date("1961-04/1962-02", "de") == "April 1961 – Februar 1962"
    assert date("late 1961-04", "es") == "finales de abril de 1961"


def test_a_regional_tag_reads_its_language_and_an_unknown_one_prints_english():
    assert chain("de-CH") == ["de"]
    assert chain("fr-CA") == ["fr"]
    assert chain("en-GB") == []
    assert chain("sw") == []  # no catalogue yet: English words, not an error
    assert Messages("de-AT").gettext("Glossary") == "Glossar"
    assert Messages("sw").gettext("Glossary") == "Glossary"


def test_a_layout_says_its_own_words_instead(mini_copy, tmp_path):
    from guide.build import render

    layout = mini_copy / "layouts" / "ours"
    layout.mkdir(parents=True)
    (layout / "layout.yaml").write_text(
        "name: ours\ndescription: our words\nextends: student\nstylesheets: []\n"
        "messages:\n  Discussion questions: Talking points\n  page %(page)s of %(pages)s: "
        "'%(page)s/%(pages)s'\n",
        encoding="utf-8",
    )
    from guide.settings import Asked

    rendered = render(load_guide(mini_copy), Asked("ours"))
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(rendered.data)).pages)
    assert "Talking points" in text and "Discussion questions" not in text
    assert f"2/{rendered.pages}" in text


def test_native_names_quotations_and_terms_carry_their_own_language(mini_copy):
    from guide.layouts import load_layout
    from guide.render_html import render_html

    people = mini_copy / "people.yaml"
    text = people.read_text(encoding="utf-8")
    text = text.replace(
        "  - id: gutenberg\n",
        "  - id: gutenberg\n    native_name: Johannes Gensfleisch\n    native_name_lang: de\n",
        1,
    )
    people.write_text(text, encoding="utf-8")
    press = mini_copy / "sections" / "press.yaml"
    press.write_text(
        press.read_text(encoding="utf-8").replace(
            '      - text: "the first media event"\n',
            '      - text: "the first media event"\n        lang: en-GB\n',
            1,
        ),
        encoding="utf-8",
    )
    guide = load_guide(mini_copy)
    found = variables(guide, "student", {}, "A4")["guide"]
    gutenberg = next(p for p in found.people if p.id == "gutenberg")
    luther = next(p for p in found.people if p.id == "luther")
    assert (gutenberg.native_name_lang, luther.native_name_lang) == ("de", guide.info.language)
    html = render_html(guide, load_layout("student"), "A4")
    assert '<span class="sidebar-native" lang="de">Johannes Gensfleisch</span>' in html
    assert f'<span class="sidebar-native" lang="{guide.info.language}">Martin Luther</span>' in html
    assert '<blockquote class="quotation" lang="en-GB">' in html
    assert 'lang="ru"' not in html


def test_the_glossary_sorts_as_a_dictionary_does_not_by_code_point():
    from guide.collation import sort_key

    words = ["Zone", "Ärmelkanal", "apple", "Восток", "éclair", '"Quoted"', "LOK", "LK", "Zond"]
    assert sorted(words, key=sort_key) == [
        "apple",
        "Ärmelkanal",
        "éclair",
        "LK",
        "LOK",
        '"Quoted"',
        "Zond",
        "Zone",
        "Восток",
    ]


def test_guide_new_in_german_writes_a_german_starter_that_builds_at_once(tmp_path, capsys):
    from guide.build import build
    from guide.cli import main
    from guide.settings import Asked

    folder = tmp_path / "heft"
    assert main(["new", str(folder), "--title", "Die Druckerpresse", "--language", "de"]) == 0
    assert 'language: "de" ' in (folder / "guide.yaml").read_text(encoding="utf-8")
    built = build(folder, Asked("student"), tmp_path / "heft.pdf")
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(built.path).pages)
    for words in ("Inhalt", "Zeittafel", "Glossar", "Wie ein Heft entsteht", "„ein Absatz pro"):
        assert words in text, words
    assert "Contents" not in text and "Chronology" not in text


def test_guide_new_in_a_language_without_a_starter_writes_the_english_one_in_it(tmp_path):
    from guide.cli import main

    folder = tmp_path / "guide"
    assert main(["new", str(folder), "--title", "La presse", "--language", "fr-CA"]) == 0
    config = (folder / "guide.yaml").read_text(encoding="utf-8")
    assert 'language: "fr-CA" ' in config and "What this guide is" in config
    assert load_guide(folder).info.language == "fr-CA"


def test_guide_new_refuses_what_is_not_a_language_tag(tmp_path, capsys):
    from guide.cli import main

    assert main(["new", str(tmp_path / "g"), "--title", "T", "--language", "German"]) == 1
    assert capsys.readouterr().err.strip() == (
        "guide: 'German' is not a language tag — write one such as de, fr, es-MX or en-GB"
    )


def test_a_new_layout_lists_the_words_it_prints_by_message_id(mini_copy):
    from guide.cli import main
    from guide.layouts import load_layout

    assert main(["new-layout", "school", "--from", "teacher", "--in", str(mini_copy)]) == 0
    path = mini_copy / "layouts" / "school" / "layout.yaml"
    text = path.read_text(encoding="utf-8")
    assert '#   "Discussion questions": "Discussion questions"\n' in text
    assert '#   "Lesson overview": "Lesson overview"\n' in text  # the teacher's own
    assert '"How to review"' not in text  # the review layout's, not the teacher's
    # Uncommented, a line is the layout's word.
    text = text.replace("# messages:", "messages:").replace(
        '#   "Discussion questions": "Discussion questions"', '  "Discussion questions": "Talk"'
    )
    path.write_text(text, encoding="utf-8")
    assert load_layout("school", mini_copy).messages == {"Discussion questions": "Talk"}


def _languages_tagged(pdf) -> list[str]:
    """The /Lang of every structure element of a tagged PDF, in the tree's order."""
    from pypdf.generic import ArrayObject, DictionaryObject

    found: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            return
        if "/Lang" in node and node.get("/Type") == "/StructElem":
            found.append(str(node["/Lang"]))
        kids = node.get("/K")
        if kids is None:
            return
        kids = kids.get_object()
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            walk(kid)

    walk(pdf.reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_a_native_name_in_another_language_is_tagged_so_in_the_pdf(flagship):
    # Screen readers switch voice by a structure element's /Lang (PDF/UA); WeasyPrint writes
    # the document's only, engine.tag_languages adds each element's.
    assert str(flagship.reader.trailer["/Root"]["/Lang"]) == flagship.guide.info.language
    names = [p for p in flagship.guide.people if p.native_name]
    tagged = _languages_tagged(flagship)
    assert set(tagged) == {"ru"}
    assert len(tagged) >= len(names)  # each sidebar's native name, at least


def test_the_references_use_the_words_of_the_guides_language(mini_copy):
    from guide.references import reference_list

    config = mini_copy / "guide.yaml"
    text = config.read_text(encoding="utf-8").replace("language: en", "language: de")
    text = text.replace("    year: 2020\n", "    year: 2020\n    url: https://example.org/press\n")
    config.write_text(text, encoding="utf-8")
    (reference,) = reference_list(load_guide(mini_copy))
    assert "Verfügbar unter: https://example.org/press" in reference
    assert "Available at" not in reference


RTL = ROOT / "tests" / "fixtures" / "rtl"  # a short guide in Hebrew


@pytest.fixture(scope="session")
def hebrew(builds: Builds):
    import pdfplumber

    built = builds(RTL, "student")
    with pdfplumber.open(built.path) as pdf:
        # Hebrew words as they stand on the page, in visual order: compared reversed.
        pages = [page.extract_words() for page in pdf.pages]
        width = pdf.pages[0].width
    return pages, width


def _where(words: list[dict], written: str, last: bool = False) -> dict:
    """The first word written so down the page (the last, with `last`)."""
    shown = written[::-1] if re.search(r"[\u0590-\u05ff]", written) else written
    found = sorted((w for w in words if w["text"] == shown), key=lambda w: w["top"])
    assert found, written
    return found[-1] if last else found[0]


def test_a_right_to_left_guide_is_set_from_the_right_and_its_page_mirrored(hebrew):
    pages, width = hebrew
    summary = pages[1]
    # The sidebar's column is on the left of the text, not the right.
    assert _where(summary, "ומדפיס")["x1"] < _where(summary, "ממיינץ,")["x0"]
    # Each paragraph starts at the right of the text column: the heading's, the text's.
    heading = _where(summary, "ההמצאה")
    assert abs(_where(summary, "גוטנברג,")["x1"] - heading["x1"]) < 1
    assert heading["x1"] > width / 2
    # A question's number hangs in the right margin, beside its first word.
    questions = pages[2]
    number, first = _where(questions, "1"), _where(questions, "מדוע")
    assert number["x0"] > first["x1"] and abs(number["top"] - first["top"]) < 3
    # The chronology's date stands to the right of its event (the page's last "המכבש").
    event = _where(summary, "המכבש", last=True)
    (date,) = [w for w in summary if w["text"] == "1440" and abs(w["top"] - event["top"]) < 3]
    assert date["x0"] > event["x1"]
