"""`guide watch`'s warm rebuild lays out only the parts an edit changed, and writes the same
PDF, byte for byte, with the same warnings, as a full build of the edited guide; where it cannot
know that, it lays out the whole document."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyphen
import pytest
from conftest import FLAGSHIP
from PIL import Image
from pypdf import PdfReader

from guide.build import BuildResult, build, load_guide, render_guide
from guide.relayout import Relayout, _Rules
from guide.render_pdf import PdfOptions, RenderedPdf, render_pdf
from guide.settings import Asked


@pytest.fixture
def flagship(tmp_path, monkeypatch) -> Path:
    # The builds' own dates (guide.yaml's) make "the same PDF" comparable byte for byte.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    target = tmp_path / "moon-race"
    shutil.copytree(FLAGSHIP, target)
    return target


class Session:
    """One guide rebuilt warm after each edit, and built cold beside it for comparison."""

    def __init__(self, folder: Path, layout: str):
        self.folder, self.layout = folder, layout
        self.relayout = Relayout()
        self.warm_pdf = folder.parent / "warm.pdf"
        self.cold_pdf = folder.parent / "cold.pdf"
        first = self.rebuild()
        assert first.laid_out == first.pages

    def rebuild(self) -> BuildResult:
        guide = load_guide(self.folder)
        return render_guide(guide, Asked(self.layout), self.warm_pdf, relayout=self.relayout)

    def edit(self, relative: str, old: str, new: str, against_cold: bool = True) -> BuildResult:
        """The warm rebuild after an edit; checked against a cold build unless that was
        checked for a full layout already (a warm full layout is the cold one's render())."""
        path = self.folder / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= 1, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        warm = self.rebuild()
        if not against_cold:
            return warm
        cold = build(self.folder, Asked(self.layout), self.cold_pdf)
        assert warm.pages == cold.pages
        assert self.warm_pdf.read_bytes() == self.cold_pdf.read_bytes()
        assert warm.render_warnings == cold.render_warnings
        return warm


SUMMARY = "sections/smithsonian.yaml"
WORDS = "talked with his Vice President"
# The same length, or near it: the part keeps its pages (a part grown by a page moves every
# page after it, and the whole document is laid out again: tested below).
SAME_LENGTH = "spoke with his Vice President"


def part_pages(pdf: Path, part: str) -> int:
    """How many pages a part fills, from its first page to the page its end is on."""
    reader = PdfReader(pdf)
    page = {
        name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()
    }
    return page[f"end-{part}"] - page[part] + 1


def test_student_edits_lay_out_only_their_part_and_write_what_a_full_build_writes(flagship):
    session = Session(flagship, "student")
    again = session.rebuild()
    assert again.laid_out == 0  # nothing changed: nothing laid out again
    pages = again.pages

    # One summary: only the pages of its source are laid out again, and the
    # other source's stand-in names each of its anchors once (a section split across two
    # pages is an anchor on both): no "Anchor defined twice" that a full build does not print.
    warm = session.edit(SUMMARY, WORDS, SAME_LENGTH)
    assert warm.pages == pages
    assert warm.laid_out == part_pages(session.warm_pdf, "source-smithsonian")
    assert warm.render_warnings == []

    # A question: only the questions' pages.
    warm = session.edit("questions.yaml", "?", "? Explain.")
    assert 0 < warm.laid_out <= part_pages(session.warm_pdf, "questions")

    # A summary grown by a page moves every page after it: all are laid out again.
    long = " ".join(["The memo asked what America could win."] * 120)
    warm = session.edit(SUMMARY, "    summary: >\n", f"    summary: >\n      {long}\n")
    assert warm.pages > pages and warm.laid_out == warm.pages
    assert warm.relaid.startswith("the page count changed")

    # The source's short title is every one of its pages' running head: all laid out again,
    # as the step above was (and checked against a cold build there).
    warm = session.edit(
        "guide.yaml",
        'short_title: "Smithsonian:',
        'short_title: "The Smithsonian:',
        against_cold=False,
    )
    assert warm.laid_out == warm.pages
    assert warm.relaid == "an element that sets a running head changed"


@pytest.mark.parametrize("layout", ["teacher", "booklet"])
def test_an_edited_summary_is_laid_out_alone_in_other_layouts(flagship, layout):
    session = Session(flagship, layout)
    warm = session.edit(SUMMARY, WORDS, SAME_LENGTH)
    assert 0 < warm.laid_out < warm.pages / 3


def test_parts_that_share_pages_are_kept_or_laid_out_together(flagship):
    # The chronology runs on from the last summary's page: those two elements make one part,
    # which a stand-in of one element replaces.
    layout = flagship / "layouts" / "flowing"
    layout.mkdir(parents=True)
    (layout / "layout.yaml").write_text(
        "name: flowing\ndescription: the chronology runs on\nextends: student\n"
        "stylesheets: [flowing.css]\noptions:\n  timeline: false\n"  # no timeline between
    )
    (layout / "flowing.css").write_text(".part.chronology { break-before: auto; }\n")
    session = Session(flagship, "flowing")
    shared = session.relayout._last.parts
    assert any(part.last > part.first for part in shared)

    warm = session.edit("questions.yaml", "?", "? Explain.")  # a part after the shared one
    assert 0 < warm.laid_out <= part_pages(session.warm_pdf, "questions")
    warm = session.edit("sections/space-race.yaml", "firmly", "firmly and steadily")
    assert 0 < warm.laid_out < warm.pages / 2


@pytest.mark.parametrize(
    ("css", "unfollowed"),
    [
        ("h2 { counter-increment: chapter }", "counter-increment"),
        ("@media print { .part { counter-reset: figure } }", "counter-reset"),
        ("a::after { content: target-text(attr(href)) }", "target-text()"),
        (".note { float: footnote }", "footnotes"),
        ("header { position: running(head) }", "running elements"),
        ("@import 'more.css';", "@import"),
        # What the checks do follow: page numbers, running strings, page references.
        ("@page { counter-reset: page 3 } h2 { string-set: head content(text) }", ""),
        ("a::after { content: target-counter(attr(href), page) }", ""),
    ],
)
def test_css_that_carries_state_from_part_to_part_turns_reuse_off(tmp_path, css, unfollowed):
    sheet = tmp_path / "layout.css"
    sheet.write_text(css)
    assert _Rules.read([sheet]).unfollowed == unfollowed


# -- what the whole document is, beside its parts ------------------------------------------------

LONG = (
    "Understandably, characteristically international manufacturers institutionalized "
    "extraordinary typographical experimentation, notwithstanding considerable administrative "
    "misunderstandings."
)


def test_a_new_language_hyphenates_every_page_anew(mini_copy, monkeypatch):
    # The document's language is <html lang>, which no part's HTML holds: before, every page
    # was kept, hyphenated as English ("admin-istrative" where German has "admi-nistrative").
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    mini = mini_copy
    summary = mini / "sections" / "press.yaml"
    bible = "The Gutenberg Bible followed in the 1450s."
    summary.write_text(summary.read_text().replace(bible, f"{bible} {LONG}", 1))
    # The built-in layouts do not hyphenate; a layout of the guide's own does.
    layout = mini / "layouts" / "hyphenated"
    layout.mkdir(parents=True)
    (layout / "layout.yaml").write_text(
        "name: hyphenated\ndescription: hyphenated\nextends: student\nstylesheets: [h.css]\n"
    )
    (layout / "h.css").write_text(".summary-text { hyphens: auto; }\n")
    session = Session(mini, "hyphenated")
    english = [page.extract_text() for page in PdfReader(session.warm_pdf).pages]

    warm = session.edit("guide.yaml", "language: en", "language: de")  # == a full build
    assert warm.laid_out == warm.pages
    german = [page.extract_text() for page in PdfReader(session.warm_pdf).pages]
    assert german != english
    # Every word broken at a line end is broken where German's patterns allow.
    breaks = re.findall(r"(\w+)\u2010\n(\w+)", "".join(german))
    assert breaks
    patterns = pyphen.Pyphen(lang="de")
    for head, tail in breaks:
        assert len(head) in patterns.positions(head + tail), f"{head}-{tail}"


# Parts on pages of their own, the second one split over two pages; small pages, fast layouts.
CSS = """
@page { size: A7; margin: 1cm; @bottom-center { content: counter(page) "/" counter(pages) } }
html { hyphens: auto; font-size: 9pt }
section { break-before: page }
:root.wide section, [dir=rtl] section { font-size: 11pt }
"""


def page(
    first: str = "One.",
    html: str = 'lang="en"',
    image: str = "",
    extra: str = "",
) -> str:
    second = "".join(f"<p>{n}. {LONG}</p>" for n in range(6))
    return (
        f"<!DOCTYPE html><html {html}><head><title>T</title></head><body>"
        f'<section id="one"><p>{first}</p></section>'
        f'<section id="two"><div id="split">{second}</div>{image}</section>'
        f'<section id="three"><a href="#split">See.</a>{extra}</section>'
        "</body></html>"
    )


class Document:
    """Hand-written HTML rendered warm through one Relayout, and cold beside it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.sheet = folder / "layout.css"
        self.sheet.write_text(CSS)
        self.relayout = Relayout()

    def render(self, html: str, base: Path | None = None, relayout=None) -> RenderedPdf:
        return render_pdf(
            html,
            [self.sheet],
            [self.folder],
            "A7",
            base or self.folder,
            relayout,
            PdfOptions(date="2026-01-01"),
        )

    def both(self, html: str, base: Path | None = None) -> RenderedPdf:
        """The warm build, once checked against the cold one: the same PDF, the same warnings."""
        warm = self.render(html, base, self.relayout)
        cold = self.render(html, base)
        assert warm.pages == cold.pages
        assert warm.pdf == cold.pdf
        assert warm.warnings == cold.warnings
        return warm


@pytest.fixture
def document(tmp_path, monkeypatch) -> Document:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return Document(tmp_path)


def test_an_element_split_over_kept_pages_is_one_anchor(document):
    first = document.both(page())
    assert first.laid_out == first.pages and first.warnings == []
    assert sum("split" in anchors for anchors in document.relayout._last.anchors) >= 2
    warm = document.both(page(first="One, edited."))  # no "Anchor defined twice: 'split'"
    assert warm.laid_out == 1


@pytest.mark.parametrize(
    "html",
    ['lang="de"', 'lang="en" class="wide"', 'lang="en" dir="rtl"', 'lang="en" style="color: red"'],
)
def test_a_change_to_the_html_element_lays_out_every_page(document, html):
    document.both(page())
    warm = document.both(page(first="One, edited.", html=html))
    assert warm.laid_out == warm.pages


def picture(path: Path, size: tuple[int, int]) -> None:
    path.parent.mkdir(exist_ok=True)
    Image.new("RGB", size, "red").save(path)


def test_a_new_base_address_lays_out_every_page(document):
    # The same <img src="pic.png"> is another picture from another folder: the kept page
    # showed a's; the base address is compared, as is every file a kept page was made with.
    picture(document.folder / "a" / "pic.png", (40, 10))
    picture(document.folder / "b" / "pic.png", (10, 40))
    image = '<img src="pic.png" alt="A picture">'
    document.both(page(image=image), document.folder / "a")
    warm = document.both(page(first="One, edited.", image=image), document.folder / "b")
    assert warm.laid_out == warm.pages
    picture(document.folder / "b" / "pic.png", (20, 20))
    warm = document.both(page(first="One, again.", image=image), document.folder / "b")
    assert warm.laid_out == warm.pages


def test_a_warning_from_a_kept_part_is_still_printed(document):
    # WeasyPrint does not say which part a warning came from: none is kept after one.
    missing = '<img src="missing.png" alt="Gone">'
    first = document.both(page(extra=missing))
    assert any("missing.png" in w.message for w in first.warnings)
    warm = document.both(page(first="One, edited.", extra=missing))
    assert warm.laid_out == warm.pages
    # A changed part that starts to warn: the partial layout is thrown away for a whole one.
    document.both(page())
    warm = document.both(page(first=f"One. {missing}"))
    assert warm.laid_out == warm.pages and warm.warnings
    warm = document.both(page(first="One, fixed."))
    assert warm.laid_out == warm.pages
    assert document.both(page(first="One, fixed again.")).laid_out == 1


@pytest.mark.parametrize("saved", ["stylesheet", "image"])
def test_a_file_saved_while_it_is_laid_out_keeps_no_page_of_it(document, monkeypatch, saved):
    # The last layout is remembered by what WeasyPrint was given, not by what is on the disk
    # once it is done: else the next rebuild keeps pages laid out from the file before.
    from weasyprint import HTML

    pic = document.folder / "pic.png"
    picture(pic, (40, 10))
    image = '<img src="pic.png" alt="A picture">'
    lay_out = HTML.render

    def saving_meanwhile(self, *args, **kwargs):
        laid = lay_out(self, *args, **kwargs)
        if saved == "stylesheet":
            document.sheet.write_text(CSS + "p { font-size: 14pt }")
        else:
            picture(pic, (10, 40))
        monkeypatch.setattr(HTML, "render", lay_out)
        return laid

    monkeypatch.setattr(HTML, "render", saving_meanwhile)
    document.render(page(image=image), relayout=document.relayout)
    warm = document.both(page(first="One, edited.", image=image))
    assert warm.laid_out == warm.pages
