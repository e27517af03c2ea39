"""Post-processing: impose a rendered PDF's pages onto sheets for a saddle-stitched booklet.

The layout engine lays out ordinary half-size pages; this step only places them, two to a
landscape sheet, in the order that reads right once the printed stack is folded and stapled.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

MM = 72 / 25.4


@dataclass(frozen=True)
class Size:
    """A page or sheet size in PostScript points, portrait unless said otherwise."""

    width: float
    height: float

    @property
    def css(self) -> str:
        return f"{self.width:.3f}pt {self.height:.3f}pt"

    @property
    def landscape(self) -> Size:
        return Size(max(self.width, self.height), min(self.width, self.height))


# The paper sizes guide knows, here only: guide.yaml's `paper:`, layout.yaml's and --paper
# take these names (PAPER_SIZES), the first the default.
PAPER = {"A4": Size(210 * MM, 297 * MM), "Letter": Size(612.0, 792.0)}
PAPER_SIZES = tuple(PAPER)
# The booklet page for each sheet: A5 on A4, and half a Letter sheet (5.5 × 8.5 in) on Letter.
BOOKLET_PAGE = {"A4": Size(148 * MM, 210 * MM), "Letter": Size(396.0, 612.0)}


def page_size(paper: str, imposition: str | None) -> Size:
    return BOOKLET_PAGE[paper] if imposition == "saddle-stitch" else PAPER[paper]


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) 0-based page indexes for each printed side, front then back of each sheet.

    `pages` must be a multiple of 4. Sheet k's front carries the k-th page from the end and
    the k-th from the start; its back the two pages that fold in next to them.
    """
    if pages % 4:
        raise ValueError(f"a booklet needs a multiple of 4 pages, not {pages}")
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 1 - 2 * sheet, 2 * sheet))
        sides.append((2 * sheet + 1, pages - 2 - 2 * sheet))
    return sides


def padded(pages: int) -> int:
    return -(-pages // 4) * 4


def impose_saddle_stitch(pdf: bytes, paper: str) -> tuple[bytes, int]:
    """The booklet's sheets as a PDF, and how many sheets of paper it takes.

    Pages are padded with blanks at the end to a multiple of 4. The result is meant to be
    printed double-sided, flipping on the short edge.
    """
    from pypdf import PdfReader, PdfWriter, Transformation

    reader = PdfReader(BytesIO(pdf))
    pages = reader.pages
    sheet = PAPER[paper].landscape
    writer = PdfWriter()
    for left, right in booklet_order(padded(len(pages))):
        side = writer.add_blank_page(sheet.width, sheet.height)
        for index, is_left in ((left, True), (right, False)):
            if index >= len(pages):
                continue  # a padding page: left blank
            page = pages[index]
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            # Centred on the fold, so a page a hair narrower than half a sheet (A5 on A4)
            # keeps its gutter at the fold, where the staples are.
            x = sheet.width / 2 - width if is_left else sheet.width / 2
            y = (sheet.height - height) / 2
            side.merge_transformed_page(page, Transformation().translate(x, y))
        # Merging writes the two pages' drawing uncompressed: 4× the student PDF's size
        # until compressed again (as WeasyPrint wrote it).
        side.compress_content_streams()
    # The fonts and images the pages share are written once, not once per sheet.
    writer.compress_identical_objects()  # its defaults remove both, in pypdf 5 to 7
    if reader.metadata:
        writer.add_metadata({key: str(value) for key, value in reader.metadata.items()})
    out = BytesIO()
    writer.write(out)
    return out.getvalue(), padded(len(pages)) // 4
