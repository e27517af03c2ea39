"""One build's settings (guide/settings.py): the command line wins, then guide.yaml, then the
layout, then the default, for every setting, decided in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from guide.build import load_guide
from guide.impose import PAPER, PAPER_SIZES
from guide.schema import GuideConfig
from guide.settings import DEFAULT_PAPER, Asked, settle


def _guide(folder: Path, paper: str | None = None, layout: str | None = None):
    """The mini guide with guide.yaml saying `paper` and `layout` (when given), and a layout
    of its own, `letter`, that says Letter and an archival PDF."""
    yaml = folder / "guide.yaml"
    text = yaml.read_text(encoding="utf-8")
    if paper:
        text += f"paper: {paper}\n"
    if layout:
        text += f"layout: {layout}\n"
    yaml.write_text(text, encoding="utf-8")
    own = folder / "layouts" / "letter"
    own.mkdir(parents=True)
    (own / "layout.yaml").write_text(
        "name: letter\ndescription: on Letter\nextends: student\npaper: Letter\n"
        "pdf_variant: pdf/a-3b\nstylesheets: []\n",
        encoding="utf-8",
    )
    return load_guide(folder)


def test_the_paper_is_the_command_lines_then_guide_yamls_then_the_layouts(mini_copy):
    guide = _guide(mini_copy, paper="A4", layout="letter")
    assert settle(guide).paper == "A4"  # guide.yaml over the layout's Letter
    assert settle(guide, Asked(paper="Letter")).paper == "Letter"  # the command line over both
    assert settle(guide, Asked(layout="student")).paper == "A4"


def test_without_guide_yaml_the_layout_decides_and_then_the_default(mini_copy):
    guide = _guide(mini_copy)
    assert settle(guide, Asked(layout="letter")).paper == "Letter"
    assert settle(guide, Asked(layout="student")).paper == DEFAULT_PAPER == "A4"


def test_the_layout_is_the_command_lines_then_guide_yamls(mini_copy):
    guide = _guide(mini_copy, layout="letter")
    assert settle(guide).layout.name == "letter"
    assert settle(guide, Asked(layout="teacher")).layout.name == "teacher"


def test_the_pdf_variant_is_the_command_lines_then_the_layouts(mini_copy):
    guide = _guide(mini_copy)
    assert settle(guide, Asked(layout="letter")).pdf_variant == "pdf/a-3b"
    assert settle(guide, Asked(layout="student")).pdf_variant == "pdf/ua-1"
    chosen = Asked(layout="letter", pdf_variant="pdf/ua-2")
    assert settle(guide, chosen).pdf_variant == "pdf/ua-2"


@pytest.mark.parametrize("size", PAPER_SIZES)
def test_every_paper_size_is_written_once(size):
    # guide.yaml's choices are the sizes the imposition and the page size know.
    assert size in PAPER
    info = GuideConfig.model_json_schema()
    assert size in str(info["properties"]["paper"])


def test_guide_yamls_layout_may_be_written_in_another_case(mini_copy):
    guide = _guide(mini_copy, layout="Teacher")
    assert settle(guide).layout.name == "teacher"


def test_the_output_is_the_command_lines_then_the_layouts_then_the_pdf(mini_copy):
    guide = _guide(mini_copy)
    web = mini_copy / "layouts" / "web"
    web.mkdir()
    (web / "layout.yaml").write_text(
        "name: web\ndescription: a web page\nextends: student\nto: html\nstylesheets: []\n",
        encoding="utf-8",
    )
    assert settle(guide, Asked(layout="web")).to == "html"
    assert settle(guide, Asked(layout="web", to="pdf")).to == "pdf"
    assert settle(guide, Asked(layout="student")).to == "pdf"
