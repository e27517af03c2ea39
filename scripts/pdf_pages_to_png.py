"""Render chosen pages of a PDF to one PNG, side by side, for the README (`make docs`).

usage: python scripts/pdf_pages_to_png.py PDF OUT.png PAGE[,PAGE...] [--width PX]
"""

from __future__ import annotations

import argparse

import pypdfium2 as pdfium
from PIL import Image

GAP = 24


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pdf")
    parser.add_argument("out")
    parser.add_argument("pages", help="1-based page numbers, comma-separated")
    parser.add_argument("--width", type=int, default=600, help="width of each page in pixels")
    args = parser.parse_args()

    document = pdfium.PdfDocument(args.pdf)
    images = []
    for number in (int(p) for p in args.pages.split(",")):
        page = document[number - 1]
        images.append(page.render(scale=args.width / page.get_width()).to_pil())
    sheet = Image.new(
        "RGB",
        (
            sum(i.width for i in images) + GAP * (len(images) + 1),
            max(i.height for i in images) + 2 * GAP,
        ),
        "#d0d4d9",
    )
    x = GAP
    for image in images:
        sheet.paste(image, (x, GAP))
        x += image.width + GAP
    sheet.save(args.out, optimize=True)


if __name__ == "__main__":
    main()
