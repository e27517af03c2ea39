"""Templates see plain data only, and may call only what the allowlist names (sandbox.py)."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import FLAGSHIP, MINI

from guide import context
from guide.build import load_guide, resolve_layout
from guide.render_html import _Sandbox, _Undefined
from guide.sandbox import FILTERS, GLOBALS

LAYOUTS = ["student", "teacher", "large-print", "booklet"]
PLAIN = (str, int, float, bool, type(None))


def offending(value, where: str = "") -> list[str]:
    """Every place in `value` holding something other than plain data: text, numbers,
    true/false, None, tuples, lists, mappings with text keys, and frozen data classes of
    those. Walked to the bottom, shared values included."""
    found = []
    if isinstance(value, PLAIN):
        return found
    if isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            found += offending(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                found.append(f"{where}: a key {key!r} that is not text")
            found += offending(item, f"{where}[{key!r}]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not type(value).__dataclass_params__.frozen:
            found.append(f"{where}: {type(value).__name__} is not frozen")
        for field in dataclasses.fields(value):
            found += offending(getattr(value, field.name), f"{where}.{field.name}")
    else:
        found.append(f"{where}: {type(value).__module__}.{type(value).__qualname__}")
    return found


@pytest.mark.parametrize("guide_folder", [MINI, FLAGSHIP], ids=["mini", "flagship"])
@pytest.mark.parametrize("layout_name", LAYOUTS)
def test_the_whole_template_context_is_plain_data(guide_folder, layout_name):
    guide = load_guide(guide_folder)
    layout = resolve_layout(guide, layout_name)
    variables = context.variables(guide, layout.name, layout.options, "A4")
    assert set(variables) == {
        "guide",
        "info",
        "summaries",
        "key_points",
        "marks",
        "options",
        "layout",
        "paper",
        "timeline",
    }
    assert offending(variables) == []
    # It is the whole guide, not a cut-down copy.
    assert len(variables["guide"].chronology) == len(guide.chronology) > 0
    assert {p.id for s in variables["guide"].sources for p in s.sections[0].people} <= {
        p.id for p in guide.people
    }


def test_the_walker_finds_a_path_a_function_and_a_mutable_data_class():
    from pathlib import Path

    @dataclasses.dataclass
    class Loose:
        name: str

    found = offending({"a": (1, Path("/etc")), "b": [print], "c": Loose("x")}, "v")
    assert found == [
        "v['a'][1]: pathlib.PosixPath",
        "v['b'][0]: builtins.builtin_function_or_method",
        "v['c']: Loose is not frozen",
    ]


def test_templates_get_only_the_documented_globals_and_filters():
    guide = load_guide(MINI)
    environment = _Sandbox(resolve_layout(guide, "student"), undefined=_Undefined)
    assert set(environment.globals) == {"range", "dict", "cycler", "joiner", "namespace"}
    assert environment.globals == GLOBALS
    assert environment.filters["paragraphs"] is FILTERS["paragraphs"]


def _render(source: str):
    guide = load_guide(MINI)
    layout = resolve_layout(guide, "student")
    environment = _Sandbox(layout, autoescape=True, undefined=_Undefined)
    variables = context.variables(guide, layout.name, layout.options, "A4")
    return environment.from_string(source).render(**variables)


@pytest.mark.parametrize(
    "source, shown",
    [
        ("{{ info.title.upper() }}", "INK AND IRON"),
        ("{{ info.title.split(' ')[0] }}", "Ink"),
        ("{{ options.get('show_answer_lines') }}", "True"),
        ("{{ options.items() | list | length > 0 }}", "True"),
        ("{{ guide.sources.index(guide.sources[0]) }}", "0"),
        ("{% for s in guide.sources %}{{ loop.cycle('a', 'b') }}{% endfor %}", "a"),
        ("{% set c = cycler('x', 'y') %}{{ c.next() }}{{ c.next() }}", "xy"),
        ("{% set j = joiner('/') %}{{ j() }}a{{ j() }}b", "a/b"),
        ("{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m('&') }}", "<&amp;>"),
        ("{{ range(3) | list | length }}", "3"),
        ("{{ info.introduction | paragraphs | length }}", "1"),
    ],
)
def test_what_the_allowlist_names_works(source, shown):
    assert _render(source) == shown


@pytest.mark.parametrize(
    "source",
    [
        "{{ info.title.encode() }}",  # off the text allowlist
        "{{ info.title.center(1000000000) }}",  # a size of the template's choosing
        "{% set l = [] %}{{ l.append(1) }}",  # changes a list
        "{{ options.update({'a': 1}) }}",  # changes a mapping
        "{{ options.pop('show_answer_lines') }}",
        "{{ guide.sources[0].__class__ }}",
        "{{ info.title.format(info) }}",
        "{{ dict.fromkeys('ab') }}",
    ],
)
def test_what_the_allowlist_does_not_name_is_refused(source):
    from jinja2 import TemplateError

    with pytest.raises(TemplateError):
        _render(source)
