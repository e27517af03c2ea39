"""Scaffolding: write a new layout that extends another, with what it can override in comments.

Every comment is read from the parent layout itself (its options, custom properties, template
blocks and files), so the scaffold cannot drift from the layouts it describes.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

from jinja2 import Environment, nodes

from . import files
from .errors import GuideError
from .layouts import Layout, load_layout
from .loading import read_text
from .messages import message_ids
from .schema import ID_PATTERN

_CUSTOM_PROPERTY = re.compile(r"^\s*(--[\w-]+)\s*:\s*([^;]+);[ \t]*(/\*.*?\*/)?", re.M)
_OPTION = re.compile(r"^  (\w+):\s*(.*)$")


def new_layout(name: str, parent_name: str, guide_folder: Path) -> Path:
    """Create `guide_folder/layouts/<name>/` extending `parent_name`; return the folder."""
    guide_folder = guide_folder.resolve()
    target = guide_folder / "layouts" / name
    if not re.fullmatch(ID_PATTERN, name) or name == "all":
        raise GuideError.at(
            None,
            f"'{name}' cannot name a layout",
            hint="use lowercase letters, digits and hyphens (and not 'all')",
        )
    if target.exists():
        raise GuideError.at(target, "already exists", hint="choose another name or remove it")
    if target.parent.exists():  # a guide's layouts/ that is a link elsewhere is not written in
        files.check_folder(target.parent, [guide_folder], "layouts folder")
    parent = load_layout(parent_name, guide_folder)
    target.mkdir(parents=True)
    (target / "templates").mkdir()
    (target / "layout.yaml").write_text(_layout_yaml(name, parent), encoding="utf-8")
    (target / "style.css").write_text(_stylesheet(name, parent), encoding="utf-8")
    (target / "templates" / "guide.html").write_text(_template(name, parent), encoding="utf-8")
    return target


def _layout_yaml(name: str, parent: Layout) -> str:
    lines = [
        f"# The layout '{name}': '{parent.name}' with changes. Every option below is the value it",
        f"# has in '{parent.name}'; uncomment one to change it.",
        f"name: {name}",
        f"description: {parent.name} layout, customized",
        f"extends: {parent.name}",
        "# Loaded after the stylesheets of the layouts this extends, so its rules win.",
        "stylesheets: [style.css]",
    ]
    if parent.paper:
        lines.append(f"# paper: {parent.paper}")
    else:
        lines.append("# paper: A4          # or Letter; the guide's own choice wins over this")
    if parent.pdf_variant:
        lines.append(f"# pdf_variant: {parent.pdf_variant}   # or pdf/a-3b for an archive")
    lines.append("options:")
    documented = _option_comments(parent)
    for option, value in parent.options.items():
        for comment in documented.get(option, []):
            lines.append(f"  {comment}")
        lines.append(f"  # {option}: {_yaml_value(value)}")
    lines += _messages_comment(parent)
    return "\n".join(lines) + "\n"


def _messages_comment(parent: Layout) -> list[str]:
    """The words the layout prints, by message id, for a school to replace without editing a
    template (messages.py): read from the catalogues' template, so never out of date."""
    lines = [
        "# The words the layout prints, each under its message id, in the guide's language",
        "# unless replaced here (in whatever language the guide is written): uncomment one and",
        "# write your own words. Every id: guide/locales/guide.pot in guide's package.",
        "# messages:",
    ]
    for message in message_ids([folder.name for folder in parent.folders]):
        if len(message) <= 60:  # the headings and labels; the longer sentences are in the .pot
            quoted = json.dumps(message, ensure_ascii=False)
            lines.append(f"#   {quoted}: {quoted}")
    return lines


def _option_comments(layout: Layout) -> dict[str, list[str]]:
    """The comment lines above each option in the layout.yaml files of the chain."""
    comments: dict[str, list[str]] = {}
    for folder in reversed(layout.folders):
        pending: list[str] = []
        for line in read_text(folder / "layout.yaml", layout.folders, "layout file").splitlines():
            if line.strip().startswith("#"):
                pending.append(line.strip())
            elif match := _OPTION.match(line):
                if pending:
                    comments[match.group(1)] = pending
                pending = []
            else:
                pending = []
    return comments


def _yaml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _stylesheet(name: str, parent: Layout) -> str:
    properties: dict[str, tuple[str, str]] = {}
    for sheet in parent.stylesheets:  # in cascade order, so the later value wins
        for match in _CUSTOM_PROPERTY.finditer(read_text(sheet, parent.folders, "stylesheet")):
            properties[match.group(1)] = (match.group(2).strip(), match.group(3) or "")
    lines = [
        f"/* The layout '{name}'. This stylesheet loads after those of '{parent.name}', so any",
        "   rule here wins. Most changes need only a custom property: uncomment one below (the",
        f"   value shown is the one the {parent.name} layout uses) and change it. */",
        "",
        ":root {",
    ]
    for prop, (value, comment) in properties.items():
        note = f"  {comment[2:-2].strip()}" if comment else ""
        lines.append(f"  /* {prop}: {value};{note} */")
    lines += ["}", ""]
    return "\n".join(lines)


def _template(name: str, parent: Layout) -> str:
    blocks: list[str] = []
    environment = Environment()
    for folder in reversed(parent.template_folders):
        document = folder / "guide.html"
        if document.is_file():
            tree = environment.parse(parent.read_template(document))
            blocks += [b.name for b in tree.find_all(nodes.Block) if b.name not in blocks]
    replaceable = sorted(
        {p.name for folder in parent.template_folders for p in folder.glob("*.html")}
        - {"guide.html"}
    )
    example = blocks[-1] if blocks else "questions"
    files = textwrap.indent(textwrap.fill(", ".join(replaceable) + ".", 88), " " * 4)
    return (
        f"{{#- The layout '{name}': the {parent.name} layout's document, overriding what differs.\n"
        f'    "{parent.name}/guide.html" is the parent\'s own template.\n'
        "\n"
        f"    Blocks to override: {', '.join(blocks)}.\n"
        "    Inside a block, {{ super() }} prints the parent's version of it.\n"
        "\n"
        "    Or replace a whole template by putting a file of the same name beside this one:\n"
        f"{files}\n"
        "-#}\n"
        f'{{% extends "{parent.name}/guide.html" %}}\n'
        "\n"
        "{#- An example: a note after the questions.\n"
        f"{{% block {example} %}}\n"
        "{{ super() }}\n"
        '<p class="note">Hand in your answers on Friday.</p>\n'
        "{% endblock %}\n"
        "-#}\n"
    )
