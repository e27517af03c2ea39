"""The PDF: the guide laid out by WeasyPrint (render_pdf.py), its sidebars placed beside their
sections (placement.py), and a booklet's pages placed on sheets (impose.py)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from .. import engine
from ..confine import Doing
from ..errors import GuideError, Problem
from ..impose import impose_saddle_stitch, page_size
from ..layouts import Layout
from ..model import Guide
from ..placement import SidebarPlaces
from ..relayout import Relayout
from ..render_html import render_html
from ..render_pdf import PdfOptions, render_pdf
from ..settings import Settings
from .base import LAYOUT_HINT, TEMPLATES_HINT, Rendered, inputs, stage


class PdfBuilder:
    name = "pdf"
    suffix = ".pdf"
    description = "PDF"

    def warm(self) -> None:
        import weasyprint  # noqa: F401

    def render(
        self,
        guide: Guide,
        settings: Settings,
        doing: Callable[[Doing], None],
        relayout: Relayout | None = None,
        impose: bool = True,
    ) -> Rendered:
        """`relayout`, kept between builds by a warm process, lays out only the parts that
        changed. `impose=False` keeps a booklet's pages as laid out, with their bookmarks,
        instead of placing them on sheets: what the print checker reads."""
        started = time.perf_counter()
        layout, paper = settings.layout, settings.paper
        doing(stage(layout, "running its templates", TEMPLATES_HINT))
        html = render_html(guide, layout, paper)
        notes = []
        if layout.imposition:
            # pypdf places the pages on sheets as pictures of pages: no structure tree or
            # archival metadata survives that, so none is written.
            options = PdfOptions(date=guide.info.date)
            if settings.asked.pdf_variant:
                notes.append(
                    Problem(
                        None,
                        None,
                        None,
                        f"the {layout.name} layout is not written as {settings.asked.pdf_variant}: "
                        "its pages are placed on sheets after rendering, which a tagged or "
                        "archival PDF does not survive; use another layout for the archive",
                        warning=True,
                    )
                )
        else:
            options = PdfOptions(settings.pdf_variant, tagged=True, date=guide.info.date)
        doing(stage(layout, "laying out the pages", LAYOUT_HINT))
        rendered = render_pdf(
            html,
            layout.stylesheets,
            roots=[guide.folder, *layout.folders],
            page_size=page_size(paper, layout.imposition).css,
            base=layout.folders[0],
            relayout=relayout,
            options=options,
            revise=_sidebar_placer(guide, layout, paper),
        )
        pdf, sheets = rendered.pdf, None
        if layout.imposition == "saddle-stitch" and impose:
            doing(stage(layout, "placing the pages on sheets", LAYOUT_HINT))
            pdf, sheets = impose_saddle_stitch(pdf, paper)
        return Rendered(
            layout.name,
            self.name,
            pdf,
            self.suffix,
            rendered.pages,
            notes + [_placed(problem, layout) for problem in rendered.warnings],
            sheets,
            inputs(guide, layout, rendered.resources),
            rendered.laid_out,
            time.perf_counter() - started,
            rendered.relaid,
        )


BUILDER = PdfBuilder()


def _sidebar_placer(guide: Guide, layout: Layout, paper: str):
    """For a layout with a margin column: given the laid-out pages, the HTML again with the
    sidebars a page turn from their section set in the text (placement.py), or None when
    every sidebar stands beside its section."""
    if not layout.options.get("sidebars_in_margin"):
        return None
    places = SidebarPlaces.of(guide)
    in_text: frozenset[str] = frozenset()

    def revise(document) -> str | None:
        nonlocal in_text
        away = places.away([page.anchors for page in document.pages]) - in_text
        if not away:
            return None
        in_text |= away
        return render_html(guide, layout, paper, in_text)

    return revise


def _placed(problem: Problem, layout: Layout) -> Problem:
    """WeasyPrint's complaint of an image without alt text, at the template line that has it."""
    source = engine.image_without_alt(problem.message)
    if source is None:
        return problem
    for template in layout.templates():
        try:
            lines = layout.read_template(template).splitlines()
        except GuideError:
            continue  # refused when rendering already, if it was used
        for number, line in enumerate(lines, 1):
            if source in line:
                return Problem(
                    template,
                    number,
                    line.index(source) + 1,
                    f"the image '{source}' has no alt text",
                    hint='add alt="…" saying what it shows, or alt="" if it is only '
                    "decoration: a screen reader reads it out",
                    warning=True,
                )
    return dataclasses.replace(problem, message=f"the image '{source}' has no alt text")
