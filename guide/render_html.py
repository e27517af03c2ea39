"""Render the Guide model to HTML through a layout's Jinja2 templates (sandboxed, autoescaped)."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import traceback
from pathlib import Path

from jinja2 import (
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    Undefined,
    UndefinedError,
)
from jinja2.exceptions import SecurityError
from jinja2.utils import missing
from markupsafe import Markup

from . import context
from .errors import GuideError, display_path
from .layouts import Layout
from .messages import Messages
from .model import Guide
from .review import ReviewMarker
from .sandbox import RefusedCall, Sandbox

_PACKAGE = Path(__file__).resolve().parent


class _Undefined(StrictUndefined):
    """StrictUndefined whose error keeps what was missing, so it can be explained in the
    template author's terms instead of Jinja2's ('guide.model.GuideInfo object')."""

    __slots__ = ()

    def __init__(self, hint=None, obj=missing, name=None, exc=UndefinedError):
        unsafe = issubclass(exc, SecurityError)
        tagged = functools.partial(_tagged, exc, (obj, name, unsafe))
        # Jinja2 only calls `exc` with the message, but annotates it as an exception class.
        super().__init__(hint, obj, name, tagged)  # type: ignore[arg-type]


def _tagged(exc: type[Exception], what: tuple, message: str) -> Exception:
    error = exc(message)
    error.missing = what  # type: ignore[attr-defined]
    return error


class _Sandbox(Sandbox):
    def unsafe_undefined(self, obj, attribute):
        # `info.__class__.__init__` would otherwise blame `__init__` of the undefined value
        # standing for `__class__`; the first refused name is the one the author wrote.
        if isinstance(obj, Undefined):
            return obj
        return super().unsafe_undefined(obj, attribute)


def render_html(
    guide: Guide, layout: Layout, paper: str, in_text: frozenset[str] = frozenset()
) -> str:
    """The guide through the layout's templates: plain data in (context.py), sandboxed
    (sandbox.py), autoescaped. `in_text`: the people whose sidebars the text holds, not the
    margin (placement.py). Runs as long as the templates ask: callers run it in a worker."""
    environment = _Sandbox(
        layout,
        autoescape=True,
        undefined=_Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # `_("Contents")`: the words the layout prints, in the guide's language (messages.py).
    words = Messages(guide.info.language, layout.messages)
    environment.install_gettext_translations(words.translations, newstyle=True)  # type: ignore[attr-defined]
    # The sandbox starts from an empty set of globals (sandbox.py), which loses the
    # extension's own `_`: the same function again.
    environment.globals["_"] = environment.globals["gettext"]
    # `marked`: a text with the guide's names, terms and codes marked, never hyphenated or
    # broken (headings, titles, definitions). Bound to this guide's names, so per render; the
    # same marker marks the summaries.
    marker = context.ProseMarker.for_guide(guide.glossary, guide.people)
    variables = context.variables(
        guide, layout.name, layout.options, paper, marker, in_text, words.gettext
    )
    variables["page_words"] = _page_words(words)
    environment.filters["marked"] = marker.marked
    # `reviewed`: hedges, dates, names and quoted words marked, for the review edition.
    environment.filters["reviewed"] = ReviewMarker.for_guide(guide)
    try:
        return environment.get_template("guide.html").render(**variables)
    except (GuideError, MemoryError):
        raise  # a template file refused by files.py, at its place; the worker's memory cap
    except TemplateSyntaxError as error:
        # A syntax error knows its file, or at least its template's name, and its line.
        filename, name = error.filename, error.name
        raise GuideError.at(
            Path(filename) if filename else _template_path(environment, name) if name else None,
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


def _page_words(words: Messages) -> Markup:
    """The words the layouts' CSS prints, as custom properties for a <style> in the head:
    the CSS sets `var(--page-before) counter(page) var(--page-between) counter(pages)
    var(--page-after)`, and CSS cannot ask a catalogue."""
    declared = "; ".join(f"{name}: {_css_string(text)}" for name, text in words.css_words().items())
    return Markup(f":root {{ {declared} }}")


def _css_string(text: str) -> str:
    """A CSS string of any text: escaped so that nothing in it ends the string or the
    <style> element (a layout's `messages:` are its author's, not ours)."""
    escaped = "".join(c if c.isalnum() or c in " .,:;!?'-–—" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


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
    if isinstance(error, RefusedCall):
        return str(error), (
            "a template may call macros, blocks, filters and the few functions and methods "
            "docs/templates.md lists"
        )
    what = getattr(error, "missing", None)  # set by _Undefined
    if what is None:
        return str(error.message), "fix the template"
    obj, name, unsafe = what
    if unsafe:
        return f"'{name}' may not be used in a template", (
            "a template may read the guide's data, not Python's internals"
            if str(name).startswith("_")
            else "a template may read the guide's data and call the few methods "
            "docs/templates.md lists"
        )
    if obj is missing:
        return f"'{name}' is undefined", _did_you_mean(name, names)
    if not isinstance(name, str):  # a subscript such as sources[7]
        return f"{_describe(obj, variables)} has no element {name!r}", "fix the template"
    owner = _written_before(layout, where, name) or _describe(obj, variables)
    kind = "key" if isinstance(obj, dict) else "attribute"
    return f"{owner} has no {kind} '{name}'", _did_you_mean(name, _attributes(obj))


def _did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1)
    return f"did you mean '{close[0]}'?" if close else "fix the template"


def _written_before(layout: Layout, where: tuple[Path, int] | None, attribute: str) -> str | None:
    """What the template wrote before `.attribute` on the failing line: 'info' in
    `{{ info.titel }}`."""
    if where is None:
        return None
    try:
        line = layout.read_template(where[0]).splitlines()[where[1] - 1]
    except (GuideError, IndexError):
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
        # Section -> 'a section', Info -> 'an info'
        name = re.sub(r"(?<!^)(?=[A-Z])", " ", type(obj).__name__).lower()
        return ("an " if name[0] in "aeiou" else "a ") + name
    return "the value"


def _attributes(obj: object) -> list[str]:
    """The names a template may read from `obj`: a mapping's keys, a data class's fields."""
    if isinstance(obj, dict):
        return [key for key in obj if isinstance(key, str)]
    if dataclasses.is_dataclass(obj):
        return [f.name for f in dataclasses.fields(obj)]
    return [name for name in dir(obj) if not name.startswith("_")]


def _template_frame(
    error: BaseException, layout: Layout, ours_is_a_bug: bool
) -> tuple[Path, int] | None:
    """(template file, line) of the innermost traceback frame in a layout's template. With
    `ours_is_a_bug`, None if the error was raised deeper, in our own code: that is our bug,
    whereas Jinja2 or Python refusing what the template asked for is the template's."""
    frames = traceback.extract_tb(error.__traceback__)
    for index in reversed(range(len(frames))):
        path, line = Path(frames[index].filename), frames[index].lineno
        if line is None:  # never so for a frame of a traceback, but typed so
            continue
        if path.suffix == ".html" and any(path.is_relative_to(f) for f in layout.folders):
            deeper = [Path(frame.filename) for frame in frames[index + 1 :]]
            if ours_is_a_bug and any(p.is_relative_to(_PACKAGE) for p in deeper):
                return None
            return path, line
    return None


def _template_path(environment: Sandbox, name: str) -> Path | None:
    """The file a template name stands for, found by the very loader that rendered it."""
    if environment.loader is None:
        return None
    try:
        filename = environment.loader.get_source(environment, name)[1]
    except (TemplateNotFound, GuideError):
        return None
    return Path(filename) if filename else None
