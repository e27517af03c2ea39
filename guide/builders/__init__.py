"""Outputs as builders, as Sphinx has them: each output of a guide is one module in this
package, behind one small interface (builders/base.py: a name, its file's suffix, and a
`render` from the merged model through a layout to bytes), registered here by name.
`guide build --to NAME` chooses one, the PDF by default. Adding an output is a module here
and a line in BUILDERS: nothing else names them.

The registry names modules rather than importing them: the command line reads it at every
start, and a builder's imports (WeasyPrint, Jinja2, pydantic) take a third of a second.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Builder

BUILDERS = {
    "pdf": "guide.builders.pdf",  # the typeset PDF (render_pdf.py, impose.py)
    "html": "guide.builders.html",  # the HTML preview, self-contained and inert (preview.py)
    "anki": "guide.builders.anki",  # an Anki deck of the flashcards (genanki)
}
DEFAULT = "pdf"


def builder(name: str) -> Builder:
    """The builder registered as `name` (one of BUILDERS)."""
    return importlib.import_module(BUILDERS[name]).BUILDER
