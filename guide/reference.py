"""The content model's reference, made from the models in schema.py and layouts.py.

`guide schema --json KIND` gives the JSON Schema of one kind of YAML file, for editors that
complete and underline while typing; `guide schema --markdown` gives docs/reference.md;
`make docs` writes both into docs/. Every key, type, default and description comes from the
pydantic models the build validates with, so the reference cannot say other than the code
(tests/test_reference.py fails when the committed files differ from what this makes).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .impose import PAPER_SIZES
from .layouts import LayoutConfig
from .schema import ITEM_KINDS, GuideConfig, ItemFile

# kind: (the files it describes, the model, the one key of ItemFile it holds, what it is for)
KINDS: dict[str, tuple[str, type[BaseModel], str | None, str]] = {
    "guide": ("guide.yaml", GuideConfig, None, "what the guide is and which sources it has"),
    "sections": ("sections/*.yaml", ItemFile, "sections", "the summaries of one source"),
    **{
        kind.file_key: (f"{kind.file_key}.yaml", ItemFile, kind.key, kind.purpose)
        for kind in ITEM_KINDS
    },
    "layout": ("layouts/*/layout.yaml", LayoutConfig, None, "a layout of your own"),
}
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(kind: str) -> dict[str, Any]:
    pattern, model, key, purpose = KINDS[kind]
    schema = model.model_json_schema()
    if key is not None:  # one item file: only its own key, and that key required
        schema["properties"] = {key: schema["properties"][key]}
        schema["required"] = [key]
    schema["title"] = pattern
    schema["description"] = f"guide: {purpose}"
    definitions = schema.pop("$defs", {})
    used = _reachable(schema, definitions)
    ordered = {"$schema": DRAFT, **schema}
    if used:
        ordered["$defs"] = {name: definitions[name] for name in sorted(used)}
    return ordered


def markdown() -> str:
    lines = [
        "# The content model: every key",
        "",
        "Made by `guide schema --markdown` from the models the build validates with; do not",
        "edit by hand (`make docs` writes it again). [content-model.md](content-model.md)",
        "explains the model; this page lists what each file may hold. *Required* keys must",
        "be written; the others show what they default to. Editors can check these files",
        "while you type with the JSON Schemas in [schema/](schema/) (see the README).",
    ]
    for kind, (pattern, _, _, purpose) in KINDS.items():
        schema = json_schema(kind)
        definitions = schema.get("$defs", {})
        lines += ["", f"## `{pattern}`: {purpose}", ""]
        lines += [f"JSON Schema: [schema/{kind}.schema.json](schema/{kind}.schema.json)", ""]
        lines += _table(schema, kind)
        for name in _reachable(schema, definitions, ordered=True):
            # GitHub's anchor for this heading is "{kind}-{name}": what _type links to.
            lines += ["", f"### {kind}: {name}", ""]
            lines += _table(definitions[name], kind)
    return "\n".join(lines) + "\n"


def templates() -> str:
    """docs/templates.md: what a layout's templates see and may call, from context.py and
    sandbox.py themselves."""
    from jinja2 import Environment

    from . import context, sandbox

    lines = [
        "# What a template sees",
        "",
        "Made by `guide schema --write docs` from the code that builds the values and",
        "checks the calls (`guide/context.py`, `guide/sandbox.py`); do not edit by hand.",
        "",
        "A layout's templates are Jinja2 templates run in a sandbox. They get **plain data**:",
        "text, numbers, true/false, lists (tuples), mappings, and the records below, whose",
        "fields they read as `event.title`. Nothing else reaches them: no path, file, function",
        "or method of the program. Of what they could call, they may call only the functions,",
        "filters and methods listed here; anything else is refused with the name they wrote",
        "(`'encode' may not be used in a template`).",
        "",
        "## Variables",
        "",
        "| name | what it is |",
        "|---|---|",
        "| `guide` | the whole guide: a [Guide](#guide) |",
        "| `info` | `guide.info`: what guide.yaml says, an [Info](#info) |",
        "| `summaries` | a mapping from each section's id to its summary's paragraphs, with the"
        " first use of each glossary term linked, people's names, terms and codes marked so"
        " they are never hyphenated: `summaries[section.id]` |",
        "| `key_points` | the same for each section's key points (marked, not linked):"
        " `key_points[section.id]` |",
        "| `options` | the layout's options (layout.yaml's `options:`, merged down the"
        " `extends` chain): `options.show_teacher_notes` |",
        "| `marks` | the quotation marks of the guide's language, a [Marks](#marks):"
        " `{{ marks.open }}{{ quotation.text }}{{ marks.close }}` |",
        "| `layout` | the layout's name |",
        f"| `paper` | {' or '.join(f'`{size}`' for size in PAPER_SIZES)} |",
        "| `timeline` | the chronology drawn to scale for this layout's `timeline:` options, a"
        " [Timeline](#timeline) (none for a guide without events) |",
        "| `page_words` | the words the layouts' CSS prints (`page 3 of 24`, `p.`), as CSS"
        " custom properties in the guide's language, for a `<style>` in the head:"
        " `<style>{{ page_words }}</style>` |",
        "",
        "## Words",
        "",
        "Every word a layout prints itself goes through the guide's language:"
        ' `{{ _("Contents") }}`, `{{ _("Audience: %(audience)s.", audience=info.audience) }}`,'
        ' `{{ ngettext("%(num)d event", "%(num)d events", guide.chronology | length) }}`.'
        " The message ids are English; `guide/locales/guide.pot` lists every one the built-in"
        " layouts use, and each language's catalogue (`guide/locales/<language>/LC_MESSAGES/"
        "guide.po`) translates them. A layout may print its own words instead with"
        " `messages:` in layout.yaml (`Discussion questions: Talking points`).",
    ]
    for kind in reversed(context.TEMPLATE_DATA):
        lines += ["", f"## {kind.__name__}", "", (kind.__doc__ or "").strip(), ""]
        lines += ["| field | what it is |", "|---|---|"]
        for field in dataclasses.fields(kind):
            lines.append(f"| `{field.name}` | {field.metadata['doc']} |")
    builtin = Environment()
    ours = sorted([*sandbox.FILTERS, "marked", "reviewed"])  # bound to each guide's names
    lines += [
        "",
        "## Functions",
        "",
        ", ".join(f"`{name}()`" for name in sandbox.GLOBALS)
        + ": Jinja2's own, as its documentation describes them (`range()` stops at 100,000"
        " items). Not `lipsum()`, whose size the template would choose.",
        "",
        "## Filters and tests",
        "",
        "Ours: "
        + ", ".join(f"`{name}`" for name in ours)
        + " (`info.introduction | paragraphs`: a text's paragraphs, split at blank lines;"
        " `term.definition | marked`: the text with the guide's names, terms and codes marked"
        " so they are never hyphenated or broken — in text, never in an attribute;"
        " `paragraph.text | reviewed`: its hedges, dates, names and quoted words in"
        ' `<mark class="hedge|date|name|quote">`, for the review layout).',
        "",
        "Jinja2's built-in filters: "
        + ", ".join(f"`{name}`" for name in sorted(builtin.filters))
        + ".",
        "",
        "Jinja2's built-in tests: "
        + ", ".join(f"`{name}`" for name in sorted(builtin.tests))
        + ".",
        "",
        "## Methods",
        "",
        "Besides macros, `caller()`, `super()`, `self.<block>()`, `loop.cycle()`,"
        " `loop.changed()`, a `cycler`'s and a `joiner`'s own, these methods of values:",
        "",
    ]
    for owner, names in sandbox.SAFE_METHODS.items():
        shown = {"str": "text", "dict": "mappings", "tuple": "lists", "list": "lists"}[
            owner.__name__
        ]
        lines.append(
            f"- of {shown} (`{owner.__name__}`): " + ", ".join(f"`{n}`" for n in sorted(names))
        )
    return "\n".join(lines) + "\n"


def write(folder: Path) -> list[Path]:
    """Write reference.md, templates.md and schema/<kind>.schema.json into `folder`; return
    their paths."""
    (folder / "schema").mkdir(parents=True, exist_ok=True)
    written = [folder / "reference.md", folder / "templates.md"]
    written[0].write_text(markdown(), encoding="utf-8")
    written[1].write_text(templates(), encoding="utf-8")
    for kind in KINDS:
        path = folder / "schema" / f"{kind}.schema.json"
        path.write_text(json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written


def _table(schema: dict, kind: str) -> list[str]:
    required = set(schema.get("required", []))
    rows = ["| key | type | required | what it is | example |", "|---|---|---|---|---|"]
    for name, field in schema.get("properties", {}).items():
        if name in required:
            needed = "**required**"
        elif field.get("default") in (None, [], {}):
            needed = "no"
        else:
            needed = f"no (default `{_inline(field['default'])}`)"
        examples = field.get("examples") or _examples_of(field)
        example = f"`{_inline(examples[0])}`" if examples else ""
        if not examples and (model := _model_of(field)):
            example = f"a mapping per item: see [{model}](#{kind}-{model.lower()})"
        what = field.get("description", "").replace("|", "\\|")
        rows.append(f"| `{name}` | {_type(field, kind)} | {needed} | {what} | {example} |")
    return rows


def _type(field: dict, kind: str) -> str:
    if "$ref" in field:
        name = field["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{kind}-{name.lower()})"
    if "enum" in field:
        return "one of " + ", ".join(f"`{value}`" for value in field["enum"])
    if "const" in field:
        return f"`{field['const']}`"
    if "anyOf" in field:
        options = [option for option in field["anyOf"] if option.get("type") != "null"]
        if len(options) == 1:
            return _type(options[0], kind)
        if options and all(o.get("type") in ("integer", "string") for o in options[:2]):
            return "paragraph numbers: `3`, `3-5` or a list of those"
        return " or ".join(_type(option, kind) for option in options)
    json_type = field.get("type")
    if json_type == "array":
        return f"list of {_type(field.get('items', {}), kind)}"
    if json_type == ["string", "integer"]:
        return "date (`1961`, `1961-04`, `1961-04-20`, a range `1961-01/1961-02`)"
    if json_type == "string":
        return "id (a–z, 0–9, -)" if field.get("pattern", "").startswith("^[a-z]") else "text"
    if not isinstance(json_type, str):
        return str(json_type)
    return {"integer": "whole number", "boolean": "true or false", "object": "mapping"}.get(
        json_type, json_type
    )


def _model_of(field: dict) -> str | None:
    """The name of the mapping a key holds, or holds a list of."""
    reference = field.get("$ref") or field.get("items", {}).get("$ref", "")
    return reference.rsplit("/", 1)[-1] or None


def _examples_of(field: dict) -> list:
    for option in field.get("anyOf", []):
        if option.get("examples"):
            return option["examples"]
    return []


def _inline(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _reachable(schema: dict, definitions: dict, ordered: bool = False) -> list[str]:
    """The names of the definitions `schema` refers to, directly or through each other."""
    found: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            reference = node.get("$ref", "")
            if reference.startswith("#/$defs/"):
                name = reference.rsplit("/", 1)[-1]
                if name not in found:
                    found.append(name)
                    visit(definitions.get(name, {}))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit({k: v for k, v in schema.items() if k != "$defs"})
    return found if ordered else sorted(found)
