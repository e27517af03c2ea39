"""Contact sheets: every page of a built PDF as a thumbnail in a grid, its number under it, for
the author's last look before printing (`guide proof`, `make proof`).

A page is rendered by pdfium and the sheet composed with Pillow. A long PDF takes several
sheets, `NAME-1.png`, `NAME-2.png`, …; a short one a single `NAME.png`. The sheets a PDF had
before are removed first, so a guide that shrank leaves no stale sheet behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import GuideError, display_path

BACKGROUND = "#d0d4d9"
INK = "#1a1a1a"


@dataclass(frozen=True)
class SheetShape:
    """How a contact sheet is laid out."""

    thumbnail_height: int = 360  # pixels: enough to see a blank band or a stray line
    columns: int = 6
    rows: int = 4  # 24 pages a sheet: the flagship's student guide on one
    gap: int = 24
    caption: int = 34  # the band under each thumbnail for its page number


def write_proofs(pdf: Path, folder: Path, shape: SheetShape = SheetShape()) -> list[Path]:
    """Write the contact sheets of one PDF into `folder`; return their paths."""
    import pypdfium2 as pdfium

    if not pdf.is_file():
        raise GuideError.at(pdf, "no such PDF", hint="build it first: make, or guide build")
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as error:
        raise GuideError.at(
            pdf, f"cannot be read as a PDF ({error})", hint="build it again: make, or guide build"
        ) from None
    try:
        thumbnails = []
        for index in range(len(document)):
            page = document[index]
            scale = shape.thumbnail_height / page.get_height()
            thumbnails.append(page.render(scale=scale).to_pil().convert("RGB"))
            page.close()
    finally:
        document.close()
    folder.mkdir(parents=True, exist_ok=True)
    _remove_old(folder, pdf.stem)
    per_sheet = shape.columns * shape.rows
    chunks = [thumbnails[i : i + per_sheet] for i in range(0, len(thumbnails), per_sheet)]
    written = []
    for number, chunk in enumerate(chunks, 1):
        name = f"{pdf.stem}.png" if len(chunks) == 1 else f"{pdf.stem}-{number}.png"
        target = folder / name
        first_page = (number - 1) * per_sheet + 1
        _sheet(chunk, first_page, shape).save(target, optimize=True)
        written.append(target)
    return written


def _remove_old(folder: Path, stem: str) -> None:
    pattern = re.compile(rf"{re.escape(stem)}(-\d+)?\.png")
    for old in folder.iterdir():
        if pattern.fullmatch(old.name) and old.is_file():
            old.unlink()


def _sheet(thumbnails, first_page: int, shape: SheetShape):
    from PIL import Image, ImageDraw

    # Every cell as wide as the widest page: a landscape booklet sheet fits as a portrait page.
    cell_width = max(t.width for t in thumbnails)
    cell_height = shape.thumbnail_height + shape.caption
    columns = min(shape.columns, len(thumbnails))
    rows = -(-len(thumbnails) // shape.columns)
    sheet = Image.new(
        "RGB",
        (
            columns * cell_width + (columns + 1) * shape.gap,
            rows * cell_height + (rows + 1) * shape.gap,
        ),
        BACKGROUND,
    )
    draw = ImageDraw.Draw(sheet)
    font = _font(shape.caption * 2 // 3)
    for index, thumbnail in enumerate(thumbnails):
        row, column = divmod(index, shape.columns)
        x = shape.gap + column * (cell_width + shape.gap)
        y = shape.gap + row * (cell_height + shape.gap)
        sheet.paste(thumbnail, (x + (cell_width - thumbnail.width) // 2, y))
        label = str(first_page + index)
        width = draw.textlength(label, font=font)
        draw.text(
            (x + (cell_width - width) / 2, y + shape.thumbnail_height + 6), label, INK, font=font
        )
    return sheet


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:  # the font is not where Pillow looks: its own scalable font still reads
        return ImageFont.load_default(size)


def describe(paths: list[Path]) -> str:
    return ", ".join(display_path(p) for p in paths)
