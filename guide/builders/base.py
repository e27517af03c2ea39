"""What every builder gives back, and what a builder is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..confine import Doing
from ..errors import Problem
from ..layouts import BUILTIN_LAYOUTS, Layout, layout_folders
from ..model import Guide
from ..relayout import Relayout
from ..settings import Settings

# What a stage of a build that runs too long should look for (confine.py's message).
LAYOUT_HINT = "look for an endless loop or a huge image or table in the layout"
TEMPLATES_HINT = "look for a loop in them that never ends or grows without end"


@dataclass
class Rendered:
    """One layout of a guide rendered, its file not yet written: what a worker sends back."""

    layout: str
    builder: str  # the builder's name: "pdf", "html"
    data: bytes  # the file's bytes
    suffix: str  # its name's ending: ".pdf", ".html"
    pages: int  # pages as laid out, before any imposition (0: not a paged output)
    warnings: list[Problem]  # what this layout's rendering said
    sheets: int | None = None  # sheets of paper, for an imposed booklet
    inputs: list[Path] = field(default_factory=list)  # every file the build read
    laid_out: int | None = None  # pages laid out afresh, when a warm rebuild kept the rest
    seconds: float = 0.0  # the render's own time, without loading the guide
    relaid: str = ""  # why a warm rebuild laid out every page, if it did


class Builder(Protocol):
    """One output of a guide: its name (`guide build --to NAME`), its file's suffix, and how
    it is made from the merged model through a layout, in the worker that runs it."""

    name: str
    suffix: str
    description: str

    def warm(self) -> None:
        """Import what every worker this process forks would import for itself (WeasyPrint
        takes a second): done once, before forking."""

    def render(
        self,
        guide: Guide,
        settings: Settings,
        doing: Callable[[Doing], None],
        relayout: Relayout | None = None,
        impose: bool = True,
    ) -> Rendered: ...


def stage(layout: Layout, what: str, hint: str) -> Doing:
    """A stage of a layout's build, named for confine.py (what a stopped worker was doing)."""
    return Doing(f"layout '{layout.name}': {what}", layout.folders[0] / "layout.yaml", hint=hint)


def inputs(guide: Guide, layout: Layout, read: list[Path]) -> list[Path]:
    """Every file a layout's build depends on: the guide's, the layout's, what it read, and
    the folders (a file added to one, a guide's own layout, can change what is read)."""
    found = [*guide.files, *layout.files, *read, guide.folder]
    found += [f for f in layout_folders(guide.folder) if f != BUILTIN_LAYOUTS]
    return list(dict.fromkeys(found))
