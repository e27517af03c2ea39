"""The HTML preview: the document as one self-contained, inert HTML file for a browser
(preview.py makes it safe to open)."""

from __future__ import annotations

import time
from collections.abc import Callable

from ..confine import Doing
from ..impose import page_size
from ..model import Guide
from ..relayout import Relayout
from ..render_html import render_html
from ..settings import Settings
from .base import TEMPLATES_HINT, Rendered, inputs, stage


class HtmlBuilder:
    name = "html"
    suffix = ".html"
    description = "HTML preview"

    def warm(self) -> None:
        """Nothing: a preview's templates and CSS need no layout engine."""

    def render(
        self,
        guide: Guide,
        settings: Settings,
        doing: Callable[[Doing], None],
        relayout: Relayout | None = None,  # nothing is laid out: nothing to keep
        impose: bool = True,  # a preview shows the pages, never sheets
    ) -> Rendered:
        from ..preview import standalone_html

        started = time.perf_counter()
        layout, paper = settings.layout, settings.paper
        doing(stage(layout, "running its templates", TEMPLATES_HINT))
        html, warnings = standalone_html(
            render_html(guide, layout, paper),
            layout.stylesheets,
            roots=[guide.folder, *layout.folders],
            page_size=page_size(paper, layout.imposition).css,
            base=layout.folders[0],
        )
        return Rendered(
            layout.name,
            self.name,
            html.encode("utf-8"),
            self.suffix,
            0,
            warnings,
            inputs=inputs(guide, layout, []),  # its stylesheets are among the layout's files
            seconds=time.perf_counter() - started,
        )


BUILDER = HtmlBuilder()
