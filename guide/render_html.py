"""Render the Guide model to HTML through a layout's Jinja2 templates (sandboxed, autoescaped)."""

from __future__ import annotations

import dataclasses
import difflib
import functools
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
    TemplateSyntaxError,
    Undefined,
    UndefinedError,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing
from markupsafe import Markup, escape

from .errors import GuideError, display_path
from .layouts import Layout
from .model import Guide, Term

_PACKAGE = Path(__file__).resolve().parent


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


class _Undefined(StrictUndefined):
    """StrictUndefined whose error keeps what was missing, so it can be explained in the
    template author's terms instead of Jinja2's ('guide.model.GuideInfo object')."""

    __slots__ = ()

    def __init__(self, hint=None, obj=missing, name=None, exc=UndefinedError):
        unsafe = issubclass(exc, SecurityError)
        super().__init__(hint, obj, name, functools.partial(_tagged, exc, (obj, name, unsafe)))


def _tagged(exc: type[Exception], what: tuple, message: str) -> Exception:
    error = exc(message)
    error.missing = what  # type: ignore[attr-defined]
    return error


class _Sandbox(SandboxedEnvironment):
    def unsafe_undefined(self, obj, attribute):
        # `info.__class__.__init__` would otherwise blame `__init__` of the undefined value
        # standing for `__class__`; the first refused name is the one the author wrote.
        if isinstance(obj, Undefined):
            return obj
        return super().unsafe_undefined(obj, attribute)


def render_html(guide: Guide, layout: Layout, paper: str) -> str:
    environment = _Sandbox(
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
        undefined=_Undefined,
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
    variables = {
        "guide": guide,
        "info": guide.info,
        "summaries": summaries,
        "options": layout.options,
        "layout": layout.name,
        "paper": paper,
        "paragraphs": paragraphs,
    }
    try:
        return environment.get_template("guide.html").render(**variables)
    except TemplateSyntaxError as error:
        # A syntax error knows its file, or at least its template's name, and its line.
        filename, name = error.filename, error.name
        raise GuideError.at(
            Path(filename) if filename else name and _template_path(environment, name),
            f"layout '{layout.name}': {error.message}",
            error.lineno,
            hint="fix the template",
        ) from None
    except TemplateError as error:
        where = _template_frame(error, layout, ours_is_a_bug=False)
        names = [*variables, *environment.globals]
        message, hint = _explain(error, layout, where, names, variables)
        raise GuideError.at(
            where and where[0],
            f"layout '{layout.name}': {message}",
            where and where[1],
            hint=hint,
        ) from None
    except Exception as error:
        where = _template_frame(error, layout, ours_is_a_bug=True)
        if where is None:
            raise  # a bug in our own code, not in a layout
        # A template's own arithmetic or call failed: report it at that template's line.
        raise GuideError.at(
            where[0],
            f"layout '{layout.name}': {type(error).__name__}: {error}",
            where[1],
            hint="fix the template",
        ) from None


def _explain(
    error: TemplateError,
    layout: Layout,
    where: tuple[Path, int] | None,
    names: list[str],
    variables: dict,
) -> tuple[str, str]:
    """(message, hint) for an error raised while rendering."""
    if isinstance(error, TemplateNotFound):
        folder = display_path(layout.folders[0] / "templates")
        # An include of a list of names tried each of them.
        tried = " or ".join(f"'{name}'" for name in getattr(error, "templates", [error.name]))
        return f"template {tried} not found", f"create it in {folder}/"
    what = getattr(error, "missing", None)  # set by _Undefined
    if what is None:
        return str(error.message), "fix the template"
    obj, name, unsafe = what
    if unsafe:
        return (
            f"'{name}' may not be used in a template",
            "a template may read the guide's data, not Python's internals",
        )
    if obj is missing:
        return f"'{name}' is undefined", _did_you_mean(name, names)
    if not isinstance(name, str):  # a subscript such as sources[7]
        return f"{_describe(obj, variables)} has no element {name!r}", "fix the template"
    owner = _written_before(where, name) or _describe(obj, variables)
    kind = "key" if isinstance(obj, dict) else "attribute"
    return f"{owner} has no {kind} '{name}'", _did_you_mean(name, _attributes(obj))


def _did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1)
    return f"did you mean '{close[0]}'?" if close else "fix the template"


def _written_before(where: tuple[Path, int] | None, attribute: str) -> str | None:
    """What the template wrote before `.attribute` on the failing line: 'info' in
    `{{ info.titel }}`."""
    if where is None:
        return None
    try:
        line = where[0].read_text(encoding="utf-8").splitlines()[where[1] - 1]
    except (OSError, UnicodeError, IndexError):
        return None
    owner = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[^\[\]]*\])*"  # info, guide.sources[0]
    match = re.search(rf"({owner})\s*\.\s*{re.escape(attribute)}\b", line)
    return f"'{match.group(1)}'" if match else None


def _describe(obj: object, variables: dict) -> str:
    """A value as the template author knows it: its variable's name, else its kind."""
    for name, value in variables.items():
        if value is obj:
            return f"'{name}'"
    if isinstance(obj, dict):
        return "a mapping"
    if isinstance(obj, (list, tuple)):
        return "a list"
    if isinstance(obj, str):
        return "a text"
    if dataclasses.is_dataclass(obj):
        # GuideInfo -> 'a guide info', Section -> 'a section'
        return "a " + re.sub(r"(?<!^)(?=[A-Z])", " ", type(obj).__name__).lower()
    return "the value"


def _attributes(obj: object) -> list[str]:
    """The names a template may read from `obj`: a mapping's keys, a model's fields and
    properties."""
    if isinstance(obj, dict):
        return [key for key in obj if isinstance(key, str)]
    if dataclasses.is_dataclass(obj):
        properties = [n for n, v in vars(type(obj)).items() if isinstance(v, property)]
        return [f.name for f in dataclasses.fields(obj)] + properties
    return [name for name in dir(obj) if not name.startswith("_")]


def _template_frame(
    error: BaseException, layout: Layout, ours_is_a_bug: bool
) -> tuple[Path, int] | None:
    """(template file, line) of the innermost traceback frame in a layout's template. With
    `ours_is_a_bug`, None if the error was raised deeper, in our own code: that is our bug,
    whereas Jinja2 or Python refusing what the template asked for is the template's."""
    frames = traceback.extract_tb(error.__traceback__)
    for index in reversed(range(len(frames))):
        path = Path(frames[index].filename)
        if path.suffix == ".html" and any(path.is_relative_to(f) for f in layout.folders):
            deeper = [Path(frame.filename) for frame in frames[index + 1 :]]
            if ours_is_a_bug and any(p.is_relative_to(_PACKAGE) for p in deeper):
                return None
            return path, frames[index].lineno
    return None


def _template_path(environment: SandboxedEnvironment, name: str) -> Path | None:
    """The file a template name stands for, found by the very loader that rendered it."""
    try:
        return Path(environment.loader.get_source(environment, name)[1])
    except TemplateNotFound:
        return None
