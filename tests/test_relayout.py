"""`guide watch`'s warm rebuild lays out only the parts an edit changed, and writes the same
PDF, byte for byte, as a full build of the edited guide; where it cannot know that, it lays out
the whole document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FLAGSHIP

from guide.build import BuildResult, build, load_guide, render_guide
from guide.relayout import Relayout, _Rules


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
        return render_guide(guide, self.layout, self.warm_pdf, relayout=self.relayout)

    def edit(self, relative: str, old: str, new: str) -> BuildResult:
        path = self.folder / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= 1, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        warm = self.rebuild()
        cold = build(self.folder, self.layout, self.cold_pdf)
        assert warm.pages == cold.pages
        assert self.warm_pdf.read_bytes() == self.cold_pdf.read_bytes()
        return warm


SUMMARY = "sections/smithsonian.yaml"
WORDS = "talked with his Vice President"


def test_student_edits_lay_out_only_their_part_and_write_what_a_full_build_writes(flagship):
    session = Session(flagship, "student")
    again = session.rebuild()
    assert again.laid_out == 0  # nothing changed: nothing laid out again
    pages = again.pages

    # One summary: only the pages of its source (3–7 of 24) are laid out again.
    warm = session.edit(SUMMARY, WORDS, "talked at length with his Vice President")
    assert warm.laid_out == 5 and warm.pages == pages

    # A question: only the questions' pages.
    warm = session.edit("questions.yaml", "?", "? Explain.")
    assert 0 < warm.laid_out <= 6

    # A summary grown by a page moves every page after it: all are laid out again.
    long = " ".join(["The memo asked what America could win."] * 40)
    warm = session.edit(SUMMARY, "    summary: >\n", f"    summary: >\n      {long}\n")
    assert warm.pages == pages + 1 and warm.laid_out == warm.pages

    # The source's short title is every one of its pages' running head: all laid out again.
    warm = session.edit(
        "guide.yaml", 'short_title: "Smithsonian:', 'short_title: "The Smithsonian:'
    )
    assert warm.laid_out == warm.pages


@pytest.mark.parametrize("layout", ["teacher", "booklet"])
def test_an_edited_summary_is_laid_out_alone_in_other_layouts(flagship, layout):
    session = Session(flagship, layout)
    warm = session.edit(SUMMARY, WORDS, "talked at length with his Vice President")
    assert 0 < warm.laid_out < warm.pages / 3


def test_parts_that_share_pages_are_kept_or_laid_out_together(flagship):
    # The chronology runs on from the last summary's page: those two elements make one part,
    # which a stand-in of one element replaces.
    layout = flagship / "layouts" / "flowing"
    layout.mkdir(parents=True)
    (layout / "layout.yaml").write_text(
        "name: flowing\ndescription: the chronology runs on\nextends: student\n"
        "stylesheets: [flowing.css]\n"
    )
    (layout / "flowing.css").write_text(".part.chronology { break-before: auto; }\n")
    session = Session(flagship, "flowing")
    shared = session.relayout._last.parts
    assert any(part.last > part.first for part in shared)

    warm = session.edit("questions.yaml", "?", "? Explain.")  # a part after the shared one
    assert 0 < warm.laid_out <= 6
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
