"""Chosen pages of every layout look as they did when their reference pictures were made
(`make update-references` makes them again, on purpose, after a change meant to show)."""

from __future__ import annotations

import pytest
from conftest import FLAGSHIP
from PIL import Image, ImageDraw
from visual import PAGES, TOLERANCE, changed_share, reference_path, render


@pytest.mark.parametrize(
    ("layout", "page", "shows"), PAGES, ids=[f"{name}-p{number}" for name, number, _ in PAGES]
)
def test_page_looks_like_its_reference(builds, tmp_path, layout, page, shows):
    reference = reference_path(layout, page)
    assert reference.is_file(), f"no {reference.name}: run make update-references"
    actual = render(builds(FLAGSHIP, layout).path, page)
    share = changed_share(actual, Image.open(reference))
    if share > TOLERANCE:
        kept = tmp_path / f"{layout}-p{page}-actual.png"
        actual.save(kept)
        pytest.fail(
            f"{layout} page {page} ({shows}) differs from {reference.name} in {share:.2%} of its "
            f"pixels (tolerance {TOLERANCE:.2%}); this build's page is {kept}. If the change is "
            "meant, run make update-references"
        )


def test_the_comparison_ignores_anti_aliasing_but_sees_a_moved_block(builds):
    page = render(builds(FLAGSHIP, "student").path, 4)
    # A pixel's shift, as a different rasterizer's rounding would give: within tolerance.
    nudged = Image.new("L", page.size, 255)
    nudged.paste(page, (1, 0))
    assert changed_share(nudged, page) <= TOLERANCE
    # A block of the page moved down by 2 mm: seen.
    moved = page.copy()
    box = (40, 200, 380, 260)
    moved.paste(255, box)
    moved.paste(page.crop(box), (box[0], box[1] + 4))
    assert changed_share(moved, page) > TOLERANCE
    # A grey rule drawn across the page: seen.
    ruled = page.copy()
    ImageDraw.Draw(ruled).line((20, 300, 400, 300), fill=0, width=2)
    assert changed_share(ruled, page) > TOLERANCE
