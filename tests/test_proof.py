"""`make proof` and `guide proof`: contact sheets of every page of every layout, numbered."""

from __future__ import annotations

import math
import os
import shutil
import subprocess

import pypdfium2 as pdfium
from conftest import BUILTIN_LAYOUT_NAMES, FLAGSHIP, MINI, ROOT
from PIL import Image

from guide.proof import SheetShape

# Every built-in layout, as the Makefile finds them (the flagship has none of its own).
LAYOUTS = BUILTIN_LAYOUT_NAMES


def test_make_proof_draws_every_page_of_every_layout_with_its_number(builds, tmp_path):
    # The session's PDFs stand in for `make`'s, each with its rule file, newer than the code:
    # make then has nothing to build and only draws the sheets.
    out = tmp_path / "out"
    out.mkdir()
    pages = {}
    for layout in LAYOUTS:
        target = out / f"moon-race-{layout}.pdf"
        shutil.copyfile(builds(FLAGSHIP, layout).path, target)
        (out / f"{target.name}.d").write_text("", encoding="utf-8")
        pages[layout] = len(pdfium.PdfDocument(target))
    done = subprocess.run(
        # -o: the environment counts as made, whatever the age of its stamp on this machine
        ["make", "-o", ".venv/.installed", "proof", f"OUT={out}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert done.returncode == 0, done.stderr
    assert "guide build" not in done.stdout  # nothing was stale

    shape = SheetShape()
    per_sheet = shape.columns * shape.rows
    made = sorted(p.name for p in (out / "proof").iterdir())
    expected = []
    for layout in LAYOUTS:
        sheets = math.ceil(pages[layout] / per_sheet)
        stem = f"moon-race-{layout}"
        numbered = [f"{stem}-{n}.png" for n in range(1, sheets + 1)]
        expected += [f"{stem}.png"] if sheets == 1 else numbered
    assert made == sorted(expected)

    # The student's first sheet (its only one, if it has 24 pages or fewer).
    first = "moon-race-student.png" if pages["student"] <= per_sheet else "moon-race-student-1.png"
    student = Image.open(out / "proof" / first).convert("L")
    count = min(pages["student"], per_sheet)
    rows = math.ceil(count / shape.columns)
    page = pdfium.PdfDocument(out / "moon-race-student.pdf")[0]
    cell = round(shape.thumbnail_height * page.get_width() / page.get_height())
    columns = min(shape.columns, count)
    assert student.size == (
        columns * cell + (columns + 1) * shape.gap,
        rows * (shape.thumbnail_height + shape.caption) + (rows + 1) * shape.gap,
    )

    def caption_ink(index: int) -> int:
        """Dark pixels in the band under the index-th cell, where its number is drawn."""
        row, column = divmod(index, shape.columns)
        x = shape.gap + column * (cell + shape.gap)
        y = shape.gap + row * (shape.thumbnail_height + shape.caption + shape.gap)
        below = y + shape.thumbnail_height
        band = student.crop((x, below, x + cell, below + shape.caption))
        return sum(band.histogram()[:100])

    # Every page has its number under it; "10" has more ink than "1"; a cell with no page
    # (past the last) has none.
    assert all(caption_ink(i) > 0 for i in range(count))
    assert caption_ink(9) > caption_ink(0)
    if count % shape.columns:
        assert caption_ink(count) == 0
    # And the thumbnail is the page: the cover's title is dark ink on white paper.
    cover = (shape.gap, shape.gap, shape.gap + cell, shape.gap + shape.thumbnail_height)
    darkest, lightest = student.crop(cover).getextrema()
    assert darkest < 100 and lightest > 240


def test_guide_proof_replaces_a_long_pdfs_old_sheets_and_says_what_it_could_not_read(
    builds, tmp_path, capsys
):
    from guide.cli import main

    folder = tmp_path / "proof"
    folder.mkdir()
    for stale in ("moon-race-student-1.png", "moon-race-student-7.png", "other-1.png"):
        (folder / stale).write_bytes(b"old")
    pdf = tmp_path / "moon-race-student.pdf"  # a short one: now on a single sheet
    shutil.copyfile(builds(MINI, "student").path, pdf)
    missing = tmp_path / "missing.pdf"
    assert main(["proof", str(pdf), str(missing), "--into", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert f"{missing}: no such PDF — build it first" in err
    names = sorted(p.name for p in folder.iterdir())
    assert f"{pdf.stem}.png" in names and "other-1.png" in names
    assert not any(n.startswith(pdf.stem + "-") for n in names)
