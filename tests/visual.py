"""Pictures of chosen pages of the flagship, in every layout, kept in tests/references/ and
compared with each build's (tests/test_visual.py).

    python tests/visual.py          # `make update-references`: build, render, overwrite

Pages are rendered grey at REFERENCE_WIDTH pixels and softened by a pixel before they are
compared, so anti-aliasing and a pixel's shift stay under the tolerance (a page moved one
pixel sideways changes 0.06% of it); a block of text moved down 2 mm changes 1.5%, a rule
drawn across the page 0.6%, each well over the 0.2% allowed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = ROOT / "tests" / "references"
FLAGSHIP = ROOT / "sources" / "moon-race"
REFERENCE_WIDTH = 420  # pixels: 2 per millimetre of an A4 page
# (layout, 1-based page, what it shows). A booklet's pages are its sheets.
PAGES = [
    ("student", 1, "cover"),
    ("student", 2, "contents"),
    ("student", 4, "a summary with its sidebar"),
    ("student", 12, "chronology"),
    ("student", 14, "the drawn timeline, two lanes"),
    ("student", 17, "chronology"),
    ("student", 20, "glossary in two columns"),
    ("teacher", 2, "lesson overview"),
    ("large-print", 4, "large print summary"),
    ("booklet", 2, "a sheet of two pages"),
]
DIFFERENT = 64  # out of 255: how far a grey must move to count as changed
TOLERANCE = 0.002  # the share of a page's pixels that may change


def reference_path(layout: str, page: int) -> Path:
    return REFERENCES / f"{layout}-p{page}.png"


def render(pdf: Path, page: int) -> Image.Image:
    document = pdfium.PdfDocument(str(pdf))
    try:
        sheet = document[page - 1]
        image = sheet.render(scale=REFERENCE_WIDTH / sheet.get_width(), grayscale=True)
        return image.to_pil().convert("L")
    finally:
        document.close()


def changed_share(actual: Image.Image, reference: Image.Image) -> float:
    """The share of pixels that differ by more than DIFFERENT after softening both."""
    if actual.size != reference.size:
        return 1.0
    soften = ImageFilter.BoxBlur(1)
    difference = ImageChops.difference(actual.filter(soften), reference.filter(soften))
    histogram = difference.histogram()
    return sum(histogram[DIFFERENT:]) / (actual.width * actual.height)


def update(output: Path) -> list[Path]:
    """Build the flagship in each layout pictured and overwrite its reference pictures."""
    sys.path.insert(0, str(ROOT))
    from guide.build import build
    from guide.settings import Asked

    REFERENCES.mkdir(exist_ok=True)
    written = []
    for layout in dict.fromkeys(layout for layout, _, _ in PAGES):
        pdf = build(FLAGSHIP, Asked(layout), output / f"{layout}.pdf").path
        for name, page, _ in PAGES:
            if name == layout:
                render(pdf, page).save(reference_path(layout, page), optimize=True)
                written.append(reference_path(layout, page))
    return written


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        for path in update(Path(folder)):
            print(f"wrote {path.relative_to(ROOT)}")
