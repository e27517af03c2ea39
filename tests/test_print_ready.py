"""Print-ready, accessible and reproducible, as tools we did not write see the PDFs: poppler's
pdfinfo and pdffonts, qpdf, and the structure tree read with pypdf."""

from __future__ import annotations

import re
import subprocess

import pdfplumber
import pytest
from conftest import FLAGSHIP, MINI
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from guide.cli import main

LAYOUTS = ["student", "teacher", "large-print", "booklet"]
TAGGED = ["student", "teacher", "large-print"]  # a booklet is imposed: see test below


def _tool(*command: str) -> str:
    """The output of a command-line tool that must succeed (make test installs them)."""
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(command)} failed: {done.stderr or done.stdout}"
    return done.stdout


def _info(path) -> dict[str, str]:
    return dict(
        (key.strip(), value.strip())
        for key, value in (line.split(":", 1) for line in _tool("pdfinfo", str(path)).splitlines())
    )


def _elements(reader: PdfReader) -> list[DictionaryObject]:
    """The elements of the tagged PDF's structure tree, in reading order."""
    found = []

    def walk(node) -> None:
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if not isinstance(node, DictionaryObject):
            return
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, DictionaryObject | IndirectObject):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def _structure(reader: PdfReader) -> list[str]:
    """The structure types of the tagged PDF's tree, in reading order."""
    return [str(element["/S"])[1:] for element in _elements(reader)]


# --- accessible -----------------------------------------------------------------------------


@pytest.mark.parametrize("layout", TAGGED)
def test_every_layout_but_the_booklet_is_tagged_with_language_title_and_headings(builds, layout):
    built = builds(FLAGSHIP, layout)
    info = _info(built.path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Racing Together?: The US, the USSR and the Moon, 1961–1966"
    catalog = built.reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"  # the flagship's spelling is British
    # A reader's window shows the title, not the file name.
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    metadata = built.reader.xmp_metadata
    assert metadata is not None and "pdfuaid" in str(metadata.rdf_root.toxml())

    kinds = _structure(built.reader)
    headings = [int(kind[1]) for kind in kinds if re.fullmatch(r"H[1-6]", kind)]
    # A real hierarchy: it opens at H1 and never skips a level on the way down.
    assert headings[0] == 1
    assert all(b <= a + 1 for a, b in zip(headings, headings[1:], strict=False))
    assert headings.count(1) >= 5 and headings.count(2) >= 10  # the parts, then the sections
    assert kinds.count("Link") > 20 and "L" in kinds and "BlockQuote" in kinds

    # Each link described by its own words, not by its target's id ("term-zond").
    links = [
        annotation.get_object()
        for page in built.reader.pages
        for annotation in page.get("/Annots") or []
        if annotation.get_object()["/Subtype"] == "/Link"
    ]
    assert len(links) > 20
    for link in links:
        assert link["/Contents"] and link["/Contents"] != link.get("/Dest"), link
    assert "Zond" in {link["/Contents"] for link in links}


@pytest.mark.parametrize("layout", TAGGED)
def test_the_headings_are_read_in_the_order_they_stand_on_the_pages(builds, layout):
    built = builds(FLAGSHIP, layout)
    with pdfplumber.open(built.path) as pdf:

        def walk(element):
            yield element
            for child in element.get("children", []):
                yield from walk(child)

        headings = []  # (page, top, text) in the structure tree's reading order
        for element in (e for root in pdf.structure_tree for e in walk(root)):
            if element["type"] not in ("H1", "H2"):
                continue
            mcids = {m for part in walk(element) for m in part.get("mcids", [])}
            page = pdf.pages[element["page_number"] - 1]
            chars = [c for c in page.chars if c.get("mcid") in mcids]
            text = "".join(c["text"] for c in chars)
            headings.append((element["page_number"], min(c["top"] for c in chars), text))
    assert len(headings) > 40
    assert headings == sorted(headings)  # page by page, top to bottom
    titles = {"".join(t.split()) for _, _, t in headings}
    assert {"Chronology", "Glossary", "Discussionquestions"} <= titles


def test_the_booklet_is_not_tagged_as_imposing_it_would_break_the_tags(builds):
    assert _info(builds(FLAGSHIP, "booklet").path)["Tagged"] == "no"


def test_an_archival_variant_is_written_on_request_and_stays_tagged(mini_copy, tmp_path):
    target = tmp_path / "archive.pdf"
    assert main(["build", str(mini_copy), "--pdf-variant", "pdf/a-3b", "-o", str(target)]) == 0
    metadata = PdfReader(target).xmp_metadata.rdf_root.toxml()
    assert re.search(r"pdfaid:part[^0-9]*3", metadata)
    assert re.search(r"pdfaid:conformance[^A-Z]*B", metadata)
    assert _info(target)["Tagged"] == "yes"


def test_an_archival_variant_is_refused_for_the_booklet_with_a_warning(mini_copy, tmp_path, capsys):
    target = tmp_path / "booklet.pdf"
    command = ["build", str(mini_copy), "--layout", "booklet", "--pdf-variant", "pdf/a-3b"]
    assert main([*command, "-o", str(target)]) == 0
    assert (
        "guide: warning: the booklet layout is not written as pdf/a-3b: its pages are placed "
        "on sheets after rendering, which a tagged or archival PDF does not survive; use "
        "another layout for the archive"
    ) in capsys.readouterr().err
    metadata = PdfReader(target).xmp_metadata
    assert metadata is None or "pdfaid" not in metadata.rdf_root.toxml()


# --- print shop -----------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_font_is_embedded_and_subset_and_qpdf_finds_no_error(builds, layout):
    path = builds(FLAGSHIP, layout).path
    rows = _tool("pdffonts", str(path)).splitlines()[2:]
    assert len(rows) >= 2  # large print uses one family, in two weights
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
    assert "No syntax or stream encoding errors found" in _tool("qpdf", "--check", str(path))


# --- reproducible ---------------------------------------------------------------------------


def test_two_builds_of_the_same_guide_are_byte_for_byte_the_same(tmp_path, monkeypatch):
    # Without SOURCE_DATE_EPOCH the build takes its dates from guide.yaml, never the clock.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    built = {}
    for run in ("first", "second"):
        monkeypatch.chdir(tmp_path.joinpath(run).mkdir() or tmp_path / run)
        assert main(["build", str(MINI), "--layout", "all", "-q"]) == 0
        built[run] = {p.name: p.read_bytes() for p in (tmp_path / run / "output").glob("*.pdf")}
    made = [*LAYOUTS, "review", "flashcards", "quiz", "quiz-key"]
    assert sorted(built["first"]) == sorted(f"mini-{name}.pdf" for name in made)
    assert built["first"] == built["second"]
    assert _info(tmp_path / "first" / "output" / "mini-student.pdf")["CreationDate"].startswith(
        "Thu Jan 15 00:00:00 2026"
    )


# --- typography -----------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["student", "large-print"])
def test_cyrillic_names_are_set_in_a_font_that_has_them(builds, layout):
    path = builds(FLAGSHIP, layout).path
    with pdfplumber.open(path) as pdf:
        cyrillic = [
            c for page in pdf.pages for c in page.chars if "\u0400" <= c["text"] <= "\u04ff"
        ]
        text = "".join(c["text"] for c in cyrillic)
    assert "СергейПавловичКоролёв" in text
    # Every one in a font that has the glyph (DejaVu), none left to a fallback box.
    assert {c["fontname"].split("+")[-1].split("-")[0] for c in cyrillic} == {"DejaVu"}


def _squash(text: str) -> str:
    """Text without spaces or hyphens: a line may break after a dash ("January–" / "February
    1961"), inside a word ("dra‐" / "matic") or at a word's own hyphen ("shirt-" / "sleeve")."""
    return re.sub(r"[\s\-\u2010\u00ad]", "", text)


@pytest.mark.parametrize("layout", ["student", "booklet-pages"])
def test_no_chronology_event_is_parted_from_its_date_or_split_thin(builds, layout):
    """An event may go on over a page rather than leave the foot of one empty, but its date
    and title stay together, with the start of its text (two lines at least)."""
    if layout == "booklet-pages":
        from test_typography import _pages  # the booklet's A5 pages, shared by the session

        target, _ = _pages(builds, FLAGSHIP, "booklet")
        pages = [_squash(page.extract_text()) for page in PdfReader(target).pages]
    else:
        pages = [_squash(text) for text in builds(FLAGSHIP).pages]
    first = next(i for i, text in enumerate(pages) if "Everydatedeventinthesources" in text)
    events = builds(FLAGSHIP).guide.chronology
    for event in events:
        page = next(i for i in range(first, len(pages)) if _squash(event.title) in pages[i])
        assert _squash(str(event.date)) in pages[page], event.title
        if event.description:
            # The description's first words are on the title's page.
            assert _squash(" ".join(event.description.split()[:6])) in pages[page], event.title


def test_an_image_without_alt_text_is_named_at_its_template_line(mini_copy, tmp_path, capsys):
    from PIL import Image

    layout = mini_copy / "layouts" / "logo"
    (layout / "templates").mkdir(parents=True)
    (layout / "layout.yaml").write_text(
        "name: logo\ndescription: with a logo\nextends: student\nstylesheets: []\n"
    )
    Image.new("RGB", (40, 20), "navy").save(layout / "logo.png")
    template = layout / "templates" / "guide.html"
    cover = '{% block cover %}<img src="logo.png">{{ super() }}{% endblock %}\n'
    template.write_text('{% extends "student/guide.html" %}\n' + cover)
    target = tmp_path / "logo.pdf"
    assert main(["build", str(mini_copy), "--layout", "logo", "-o", str(target)]) == 0
    assert (
        f"{template}:2:28: warning: the image 'logo.png' has no alt text — add alt=\"…\" saying "
        'what it shows, or alt="" if it is only decoration: a screen reader reads it out'
    ) in capsys.readouterr().err

    template.write_text(template.read_text().replace("<img ", '<img alt="The school crest" '))
    assert main(["build", str(mini_copy), "--layout", "logo", "-o", str(target)]) == 0
    assert "alt text" not in capsys.readouterr().err
    figures = [e for e in _elements(PdfReader(target)) if e["/S"] == "/Figure"]
    assert [figure.get("/Alt") for figure in figures] == ["The school crest"]


def test_no_built_in_layout_breaks_a_word(builds):
    # WeasyPrint marks a break it made inside a word with U+2010 at the end of the line. The
    # built-in layouts do not hyphenate (a layout that does is tested in test_relayout.py,
    # with the patterns of the guide's language).
    broken = re.compile(r"\w\u2010\n\w")
    for layout in ("student", "teacher", "large-print"):
        assert not broken.search("\n".join(builds(FLAGSHIP, layout).pages)), layout


@pytest.mark.parametrize(("layout", "size"), [("student", "A4"), ("booklet", "A5")])
def test_a_paragraph_split_across_pages_leaves_two_lines_or_more_on_each(layout, size):
    # The PDF tags each page's piece of a paragraph as a paragraph of its own, so this reads
    # WeasyPrint's layout of the same HTML and stylesheets: no orphan (a first line alone at
    # a page's foot), no widow (a last line alone at the top of the next).
    from weasyprint import CSS, HTML
    from weasyprint.formatting_structure import boxes

    from guide.build import load_guide, resolve_layout
    from guide.render_html import render_html

    guide = load_guide(FLAGSHIP)
    chosen = resolve_layout(guide, layout)
    sheets = [CSS(string=f"@page {{ size: {size} }}")]
    sheets += [CSS(filename=str(path)) for path in chosen.stylesheets]
    html = HTML(string=render_html(guide, chosen, size), base_url=chosen.folders[0].as_uri() + "/")
    pieces: dict[int, list[tuple[int, int]]] = {}  # paragraph → (page, lines) of each piece
    for number, page in enumerate(html.render(stylesheets=sheets).pages, 1):
        for box in page._page_box.descendants():
            if box.element_tag in ("p", "li", "dd") and isinstance(box, boxes.BlockContainerBox):
                lines = sum(isinstance(child, boxes.LineBox) for child in box.children)
                if lines:
                    pieces.setdefault(id(box.element), []).append((number, lines))
    split = [found for found in pieces.values() if len({page for page, _ in found}) > 1]
    assert split  # the flagship does split paragraphs in this layout
    for found in split:
        assert min(lines for _, lines in found) >= 2, found
