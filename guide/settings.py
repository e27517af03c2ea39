"""What one build is set to, settled once from the command line, guide.yaml and the layout.

The rule, for every setting, is the same and is written here only: what the command line
says wins; else what guide.yaml says; else what the layout (or a layout it extends) says;
else the default. guide.yaml has no say in the PDF variant (an archive or a screen reader is
the printer's concern, not the guide's) nor in the output (builders/), and the layout none in
which layout it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .builders import DEFAULT as DEFAULT_OUTPUT
from .confine import DEFAULT_LIMITS, Limits
from .errors import Position
from .impose import PAPER_SIZES
from .layouts import Layout, UnknownLayout, in_its_case, load_layout
from .model import Guide

DEFAULT_PAPER = PAPER_SIZES[0]  # A4


@dataclass(frozen=True)
class Asked:
    """What the command line asked for; None where it said nothing. The limits are the
    command line's alone: nothing a guide or a layout says may loosen them."""

    layout: str | None = None
    paper: str | None = None
    pdf_variant: str | None = None
    to: str | None = None  # the output: one of builders.BUILDERS
    limits: Limits = DEFAULT_LIMITS

    def of(self, layout: str) -> Asked:
        """The same asked of another layout (one of `guide build --layout all`)."""
        return replace(self, layout=layout)


NOTHING_ASKED = Asked()  # the command line said nothing: the guide's and the layout's choices stand


@dataclass(frozen=True)
class Settings:
    """One build's settings, each settled by the rule above."""

    layout: Layout
    paper: str  # one of PAPER_SIZES
    pdf_variant: str | None  # one of render_pdf.PDF_VARIANTS, or None for a plain PDF
    to: str = DEFAULT_OUTPUT  # the output's builder: one of builders.BUILDERS
    asked: Asked = NOTHING_ASKED  # what the command line said, for a builder that must tell


def settle(guide: Guide, asked: Asked = NOTHING_ASKED) -> Settings:
    layout = _layout(guide, asked.layout)
    return Settings(
        layout=layout,
        paper=asked.paper or guide.info.paper or layout.paper or DEFAULT_PAPER,
        pdf_variant=asked.pdf_variant or layout.pdf_variant,
        to=asked.to or layout.to or DEFAULT_OUTPUT,
        asked=asked,
    )


def _layout(guide: Guide, name: str | None) -> Layout:
    if name:
        return load_layout(name, guide.folder)
    try:
        return load_layout(guide.info.layout, guide.folder)
    except UnknownLayout as error:
        if error.origin is not None:
            raise  # a name in some layout's `extends:`, already placed there
        # `layout: Teacher` names the teacher layout, when that names one and no other.
        if (named := in_its_case(error.name, error.known)) != error.name:
            return load_layout(named, guide.folder)
        raise error.named_at(_guide_yaml_origin(guide, "layout")) from None


def _guide_yaml_origin(guide: Guide, key: str) -> Position | None:
    """Where guide.yaml writes `key`. Read again, and only for an
    error: the guide keeps its values, not their positions."""
    from .loading import load_yaml

    document = load_yaml(guide.folder / "guide.yaml", [guide.folder])
    if not isinstance(document.data, dict) or key not in document.data:
        return None
    return document.at((key,))
