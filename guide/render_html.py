"""Render the Guide model to HTML through a layout's Jinja2 templates (sandboxed, autoescaped)."""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
)
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from .errors import GuideError
from .layouts import Layout
from .model import Guide, Term


@dataclass(frozen=True)
class TermLinker:
    """Links the first use of each glossary term (or alias) in a text to its entry."""

    pattern: re.Pattern | None
    term_of: dict[str, Term]

    @classmethod
    def for_glossary(cls, glossary: list[Term]) -> TermLinker:
        term_of = {}
        alternatives = []
        for term in glossary:
            for name in term.names:
                term_of[name.casefold()] = term
                # Acronyms (LK, LOK, EVA) match only in capitals; words match in any case.
                exact = sum(c.isupper() for c in name) > 1
                alternatives.append(
                    (len(name), re.escape(name) if exact else f"(?i:{re.escape(name)})")
                )
        if not alternatives:
            return cls(None, term_of)
        # Longest first, so "N1/L3" wins over "N1".
        body = "|".join(alt for _, alt in sorted(alternatives, key=lambda a: -a[0]))
        return cls(re.compile(rf"(?<![\w/-])(?:{body})(?![\w/-])"), term_of)

    def link(self, text: str) -> Markup:
        if self.pattern is None:
            return escape(text)
        out, position, linked = [], 0, set()
        for match in self.pattern.finditer(text):
            term = self.term_of[match.group().casefold()]
            if term.id in linked:
                continue
            linked.add(term.id)
            out.append(escape(text[position : match.start()]))
            out.append(
                Markup('<a class="term" href="#term-{}">{}</a>').format(term.id, match.group())
            )
            position = match.end()
        out.append(escape(text[position:]))
        return Markup("").join(out)


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single newlines are just spaces."""
    return [
        " ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip()) if block.strip()
    ]


def render_html(guide: Guide, layout: Layout, paper: str) -> str:
    environment = SandboxedEnvironment(
        # A template name finds the child's file first; "student/guide.html" names the
        # parent's own, so a child can extend it and override one block.
        loader=ChoiceLoader(
            [
                FileSystemLoader([str(folder) for folder in layout.template_folders]),
                PrefixLoader(
                    {
                        name: FileSystemLoader([str(folder) for folder in folders])
                        for name, folders in layout.templates_by_layout.items()
                    }
                ),
            ]
        ),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    linker = TermLinker.for_glossary(guide.glossary)
    # Summaries are linked per section so each summary links its own first uses.
    summaries = {
        section.id: [linker.link(p) for p in paragraphs(section.summary)]
        for source in guide.sources
        for section in source.sections
    }
    try:
        template = environment.get_template("guide.html")
        return template.render(
            guide=guide,
            info=guide.info,
            summaries=summaries,
            options=layout.options,
            layout=layout.name,
            paper=paper,
            paragraphs=paragraphs,
        )
    except TemplateError as error:
        lineno = getattr(error, "lineno", None)
        # A syntax error knows its file; other template errors know only a template's name.
        filename, name = getattr(error, "filename", None), getattr(error, "name", None)
        raise GuideError.at(
            Path(filename) if filename else name and _template_path(environment, name),
            f"layout '{layout.name}': {error.message}",
            lineno,
            hint="fix the template",
        ) from None
    except Exception as error:
        where = _raised_by_template(error, layout)
        if where is None:
            raise  # a bug in our own code, not in a layout
        # A template's own arithmetic or call failed: report it at that template's line.
        raise GuideError.at(
            where[0],
            f"layout '{layout.name}': {type(error).__name__}: {error}",
            where[1],
            hint="fix the template",
        ) from None


def _raised_by_template(error: Exception, layout: Layout) -> tuple[Path, int] | None:
    """(template file, line) if the innermost frame of the error is in a layout's template."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return None
    last = Path(frames[-1].filename)
    if last.suffix == ".html" and any(last.is_relative_to(f) for f in layout.folders):
        return last, frames[-1].lineno
    return None


def _template_path(environment: SandboxedEnvironment, name: str) -> Path | None:
    """The file a template name stands for, found by the very loader that rendered it."""
    try:
        return Path(environment.loader.get_source(environment, name)[1])
    except TemplateNotFound:
        return None
