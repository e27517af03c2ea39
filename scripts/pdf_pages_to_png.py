"""Render chosen pages of PDFs to one PNG, side by side, for the README (`make docs`).

usage: python scripts/pdf_pages_to_png.py OUT.png PDF:PAGE [PDF:PAGE ...] [--height PX] [--labels]

Pages are scaled to the same height, so a landscape booklet sheet sits beside portrait pages.
With --labels, each page is captioned with its PDF's layout (the part of the name after the
guide's).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

GAP = 24
BACKGROUND = "#d0d4d9"


def caption_font(size: int):
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:  # the font is not where Pillow looks: its own plain font still reads
        return ImageFont.load_default()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("pages", nargs="+", metavar="PDF:PAGE", help="a PDF and a 1-based page")
    parser.add_argument("--height", type=int, default=800, help="height of each page in pixels")
    parser.add_argument("--labels", action="store_true", help="caption each page by its layout")
    args = parser.parse_args()

    images, labels = [], []
    for spec in args.pages:
        pdf, _, number = spec.rpartition(":")
        page = pdfium.PdfDocument(pdf)[int(number) - 1]
        images.append(page.render(scale=args.height / page.get_height()).to_pil())
        labels.append(Path(pdf).stem.split("-", 2)[-1] if "-" in Path(pdf).stem else "")
    label_height = 40 if args.labels else 0
    sheet = Image.new(
        "RGB",
        (
            sum(i.width for i in images) + GAP * (len(images) + 1),
            args.height + 2 * GAP + label_height,
        ),
        BACKGROUND,
    )
    draw, font, x = ImageDraw.Draw(sheet), caption_font(22), GAP
    for image, label in zip(images, labels, strict=True):
        sheet.paste(image, (x, GAP))
        if args.labels:
            width = draw.textlength(label, font=font)
            draw.text(
                (x + (image.width - width) / 2, GAP + args.height + 10),
                label,
                fill="#1a1a1a",
                font=font,
            )
        x += image.width + GAP
    sheet.save(args.out, optimize=True)


if __name__ == "__main__":
    main()
