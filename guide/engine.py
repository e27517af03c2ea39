"""WeasyPrint behind one door: everything guide uses of it beyond its documented API.

The rest of guide uses WeasyPrint as documented: `HTML`, `CSS`, `FontConfiguration`,
`HTML.render()`, a `Document`'s `pages` and `copy()`, a `Page`'s `anchors`, `write_pdf()` with
a finisher, URL fetchers. What is not documented is here, and only here:

- a laid-out page's box tree (`Page._page_box`, boxes' `children`, `element`, `text`,
  `descendants()`), which relayout.py reads to know which parts of the document a page
  shows and what its running heads say;
- a link's PDF annotation (`box.link_annotation`, a pydyf dictionary), given a description
  for screen readers (render_pdf.py);
- how a tagged PDF's structure is built from the box tree (`weasyprint.pdf.tags.
  _build_box_tree`), wrapped so that an element with a `lang` of its own (a quotation in
  German, a name in Russian) gives its structure element a /Lang, which WeasyPrint does not
  (it writes the document's only);
- the wording of two of its warnings: the note that the HarfBuzz subsetter is missing, and an
  image without alt text (which build.py places at its template line).

`problem()` tries them once per process, on a small document, and says what is not as this
module expects (None when all is). `guide watch` then lays out the whole document each time,
and says why with -v; links keep WeasyPrint's own description. `TESTED` is the range of
versions the tests pass on, as pyproject.toml pins it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

TESTED = (70,)  # major versions: pyproject.toml pins weasyprint>=70,<71

# The image without alt text, as WeasyPrint words its warning.
_NO_ALT = re.compile(r'Image "(?P<src>[^"]+)" has no required alt description')


# --- the box tree ---------------------------------------------------------------------------


def page_root(page: Any) -> Any:
    """The box of <html> on a laid-out page (WeasyPrint's Page keeps its tree since v53)."""
    return page._page_box.children[0]


def margin_boxes(page: Any) -> list[Any]:
    """The page's margin boxes (running heads and feet): the rest of its box's children."""
    return list(page._page_box.children[1:])


def children(box: Any) -> list[Any]:
    return list(box.children)


def element(box: Any) -> Any:
    """The HTML element a box was made for (None for an anonymous box)."""
    return box.element


def descendants(box: Any) -> Iterator[Any]:
    return box.descendants()


def text(box: Any) -> str:
    """A text box's text; '' for any other box."""
    return getattr(box, "text", "")


# --- links ------------------------------------------------------------------------------------


def link_annotations(document: Any) -> Iterator[tuple[Any, Any]]:
    """(element, PDF annotation) of each link WeasyPrint wrote, during write_pdf's finisher."""
    for page in document.pages:
        for _, _, _, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is not None and box.element is not None:
                yield box.element, annotation


def describe(annotation: Any, words: str) -> None:
    """Set a link annotation's description (/Contents), as a screen reader reads it out."""
    import pydyf  # WeasyPrint's PDF writer

    annotation["Contents"] = pydyf.String(words)


# --- languages in the tagged PDF --------------------------------------------------------------


@functools.cache
def tag_languages() -> bool:
    """From now on in this process, a tagged PDF gives the structure element of an HTML
    element with a `lang` of its own that /Lang, as PDF/UA asks of text in another language
    than the document's (screen readers switch voice by it). False, and nothing changed, where
    WeasyPrint builds its structure otherwise than this expects."""
    try:
        from weasyprint.pdf import tags
    except ImportError:
        return False
    build = getattr(tags, "_build_box_tree", None)
    if build is None or getattr(build, "tags_languages", False):
        return build is not None
    import pydyf

    def with_languages(box: Any, parent: Any, pdf: Any, *rest: Any) -> Iterator[Any]:
        html = getattr(box, "element", None)
        own = None
        if html is not None and getattr(box, "element_tag", None) not in ("html", "body"):
            own = html.get("lang")
        for made in build(box, parent, pdf, *rest):
            # What this box made, not what its children did (those set their own).
            if own and made.get("P") == parent.reference and "Lang" not in made:
                made["Lang"] = pydyf.String(own)
            yield made

    with_languages.tags_languages = True  # type: ignore[attr-defined]
    tags._build_box_tree = with_languages
    if _languages_tagged():
        return True
    tags._build_box_tree = build  # as it was: WeasyPrint's own tags, without languages
    return False


def _languages_tagged() -> bool:
    """Whether a small tagged document now has a structure element with /Lang."""
    import weasyprint

    probe = "<html lang='en'><body><p>one <span lang='ru'>два</span></p></body></html>"
    found: list[bool] = []

    def look(document: Any, pdf: Any) -> None:
        found.extend(
            "Lang" in thing
            for thing in pdf.objects
            if isinstance(thing, dict) and thing.get("Type") == "/StructElem"
        )

    try:
        weasyprint.HTML(string=probe).write_pdf(pdf_tags=True, finisher=look)
    except Exception:  # noqa: BLE001 - any failure means: not as expected, leave it as it was
        return False
    return any(found)


# --- its warnings -----------------------------------------------------------------------------


def is_machine_note(message: str) -> bool:
    """A warning about this machine's libraries, not about the guide (no HarfBuzz subsetter):
    nothing a teacher can act on."""
    return "HarfBuzz-Subset" in message


def image_without_alt(message: str) -> str | None:
    """The address of the image a warning says has no alt text, or None."""
    found = _NO_ALT.search(message)
    return found.group("src") if found else None


# --- the check --------------------------------------------------------------------------------


@functools.cache
def problem() -> str | None:
    """What of the above this WeasyPrint does otherwise, or None. Tried once per process."""
    import weasyprint

    version = weasyprint.__version__
    if int(version.split(".")[0]) not in TESTED:
        return f"WeasyPrint {version} is not a version guide is tested with ({TESTED[0]}.x)"
    probe = (
        "<html><body><p id='first'>one</p>"
        "<p style='break-before: page'><a href='#first'>two</a></p></body></html>"
    )
    style = weasyprint.CSS(string="@page { @top-left { content: 'head' } }")
    try:
        document = weasyprint.HTML(string=probe).render(stylesheets=[style])
        roots = [page_root(page) for page in document.pages]
        if len(roots) != 2 or any(getattr(element(r), "tag", None) != "html" for r in roots):
            return "a page's box tree does not start at <html>"
        body = children(roots[0])[0]
        if getattr(element(body), "tag", None) != "body":
            return "a page's <html> box does not hold <body>"
        if not any(text(box) == "one" for box in descendants(roots[0])):
            return "a page's boxes do not hold its text"
        if not any(
            "head" in text(box) for m in margin_boxes(document.pages[0]) for box in descendants(m)
        ):
            return "a page's margin boxes do not hold its running head"
        described: list[tuple[Any, Any]] = []
        document.write_pdf(finisher=lambda doc, pdf: described.extend(link_annotations(doc)))
        if not described:
            return "a link's PDF annotation is not on its box"
    except (AttributeError, IndexError, KeyError, TypeError) as error:
        return f"its page boxes are not as guide reads them ({error!r})"
    return None
