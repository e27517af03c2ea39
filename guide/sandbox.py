"""The Jinja2 environment a layout's templates run in: what they may read and call, and
where their files may come from.

Jinja2's own sandbox refuses Python's internals (`__class__`, `__globals__`) but lets a
template call any other method of any value it can reach, which is only as safe as the
values are. Here the values are plain data (context.py), and on top of that every attribute
and every call is checked against an allowlist: the fields of the template data classes, a
few methods of text, mappings and tuples, and Jinja2's own loop, macro, block and helper
objects. Anything else is refused, with the name the template wrote.

Templates are found by name in the layout's template folders (its own, then those of what it
extends) and read through files.py: a template, a template folder or `templates/` itself
that is a link out of the layout's folders is refused, as is anything not a regular file.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, PrefixLoader, TemplateNotFound, Undefined
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import BlockReference, LoopContext, Macro, TemplateReference
from jinja2.sandbox import SandboxedEnvironment, safe_range
from jinja2.utils import Cycler, Joiner, Namespace

from . import context
from .layouts import Layout

# The methods a template may call on text, mappings and sequences: reading, not writing, and
# nothing whose size a template chooses (no center(10**9), no format with a width).
SAFE_METHODS: dict[type, frozenset[str]] = {
    str: frozenset(
        "capitalize casefold count endswith find isalnum isalpha isdigit islower isspace "
        "istitle isupper join lower lstrip partition removeprefix removesuffix replace rfind "
        "rpartition rsplit rstrip split splitlines startswith strip swapcase title upper".split()
    ),
    dict: frozenset({"get", "items", "keys", "values"}),
    tuple: frozenset({"count", "index"}),
    list: frozenset({"count", "index"}),
}
# Jinja2's own objects a template uses: loop.index, loop.cycle(), self.block(), a macro's
# caller, cycler().next(), a namespace's attributes.
_JINJA_OBJECTS = (LoopContext, Macro, BlockReference, TemplateReference, Cycler, Joiner, Namespace)
# What a template may call by name: Jinja2's documented globals, but lipsum, whose size is the
# template's to choose.
GLOBALS: dict[str, Any] = {
    "range": safe_range,
    "dict": dict,
    "cycler": Cycler,
    "joiner": Joiner,
    "namespace": Namespace,
}
# Filters of ours, beside Jinja2's built-in ones.
FILTERS: dict[str, Callable] = {"paragraphs": context.paragraphs}


class RefusedCall(SecurityError):
    """A call the allowlist does not name; `name` is what the template wrote."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"'{name}' may not be called in a template")


class Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox narrowed to an allowlist of attributes and calls (see the module)."""

    def __init__(self, layout: Layout, **options: Any):
        super().__init__(loader=_loader(layout), **options)
        self.globals.clear()
        self.globals.update(GLOBALS)
        self.filters.update(FILTERS)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        if isinstance(obj, context.TEMPLATE_DATA):
            return attr in context.FIELDS[type(obj)]
        if isinstance(obj, _JINJA_OBJECTS):
            return super().is_safe_attribute(obj, attr, value)
        return attr in _methods_of(obj)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja2's signature
        if not __self._may_call(__obj):
            raise RefusedCall(getattr(__obj, "__name__", type(__obj).__name__))
        return super().call(__context, __obj, *args, **kwargs)

    def _may_call(self, obj: Any) -> bool:
        if isinstance(obj, Undefined):
            return True  # calling it says what is undefined
        if any(obj is allowed for allowed in self.globals.values()):
            return True
        if isinstance(obj, (Macro, BlockReference, Joiner, LoopContext)):
            return True  # a macro, caller(), super(), self.block(), joiner(), loop(children)
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if owner is None or not (inspect.ismethod(obj) or inspect.isbuiltin(obj)):
            return False
        if isinstance(owner, _JINJA_OBJECTS):
            return not name.startswith("_")  # loop.cycle(), cycler.next()
        return name in _methods_of(owner)


def _methods_of(obj: Any) -> frozenset[str]:
    for kind, names in SAFE_METHODS.items():
        if isinstance(obj, kind):
            return names
    return frozenset()


class _FolderLoader(BaseLoader):
    """Finds a template by name in some folders, first found wins, and reads it through the
    layout (files.py's rule)."""

    def __init__(self, folders: list[Path], read: Callable[[Path], str]):
        self.folders, self.read = folders, read

    def get_source(self, environment, template: str):
        pieces = split_template_path(template)  # refuses '..'
        for folder in self.folders:
            candidate = folder.joinpath(*pieces)
            if os.path.lexists(candidate):
                return self.read(candidate), str(candidate), lambda: False
        raise TemplateNotFound(template)


def _loader(layout: Layout) -> BaseLoader:
    # A template name finds the child's file first; "student/guide.html" names the parent's
    # own, so a child can extend it and override one block.
    return ChoiceLoader(
        [
            _FolderLoader(layout.template_folders, layout.read_template),
            PrefixLoader(
                {
                    name: _FolderLoader(folders, layout.read_template)
                    for name, folders in layout.templates_by_layout.items()
                }
            ),
        ]
    )
