"""Find layouts by name (a guide's own first, then the built-in ones) and resolve `extends`."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from . import files, schema
from .builders import BUILDERS
from .errors import NOWHERE, GuideError, Position, Problem, display_path
from .loading import load_yaml
from .render_pdf import PDF_VARIANTS
from .validation import validate

# The built-in layouts ship inside the package (package data, see pyproject.toml), so an
# installed wheel finds them where the repository does. As real files: the template loader,
# the sandbox and the link checks all work on paths (pip never installs a package zipped).
BUILTIN_LAYOUTS = Path(__file__).resolve().parent / "builtin_layouts"
MAX_TEMPLATE_BYTES = 1024 * 1024


class LayoutConfig(schema.Node):
    name: schema.Id = Field(description="The layout's name: its folder's.", examples=["my-school"])
    description: schema.Text = Field(
        description="A line for `guide layouts`.",
        examples=["Our school's handout, with its colours"],
    )
    extends: schema.Id | None = Field(
        None, description="The layout it builds on.", examples=["student"]
    )
    paper: Literal[schema.PAPER_SIZES] | None = Field(  # type: ignore[valid-type]
        None,
        description="A4 or Letter, unless the guide or the command line says otherwise.",
        examples=["Letter"],
    )
    # saddle-stitch: lay out half-size pages, then impose them two to a sheet (see impose.py).
    imposition: Literal["saddle-stitch"] | None = Field(
        None,
        description="saddle-stitch: half-size pages, two to a sheet, in booklet order.",
        examples=["saddle-stitch"],
    )
    # The PDF variant written (pdf/ua-1, pdf/a-3b…); `guide build --pdf-variant` overrides it.
    pdf_variant: Literal[PDF_VARIANTS] | None = Field(  # type: ignore[valid-type]
        None,
        description="The PDF variant written (`guide build --pdf-variant` overrides it).",
        examples=["pdf/a-3b"],
    )
    to: Literal[tuple(BUILDERS)] | None = Field(  # type: ignore[valid-type]
        None,
        description=(
            "The output it makes when the command line does not say (`guide build --to`"
            f" overrides it): {', '.join(BUILDERS)} (pdf by default)."
        ),
        examples=["html"],
    )
    stylesheets: list[schema.Text] = Field(
        ["style.css"],
        description="Its stylesheets, loaded after those of what it extends.",
        examples=[["school.css"]],
    )
    options: dict[str, Any] | None = Field(
        None,
        description="Values its templates read, such as show_teacher_notes: true.",
        examples=[{"show_teacher_notes": True}],
    )
    messages: dict[schema.Text, schema.Text] | None = Field(
        None,
        description=(
            "Words of its own for the words the templates print, each under the English"
            " message id (guide/locales/guide.pot lists them), in whatever language the"
            " guide is written."
        ),
        examples=[{"Discussion questions": "Talking points"}],
    )

    print_check: dict[str, float | int | bool | None] | None = Field(
        None,
        description=(
            "Thresholds of `guide check --print` this layout sets otherwise, with the reason"
            " in a comment: blank_band (share of the text block), min_type_size, min_contrast,"
            " min_rule_width, min_body_size (pt), min_lines (on a small page), lone_word (the"
            " share of the column a line above a lone word fills), measure (the characters a"
            " line of body text, as [least, most]); null turns a rule off, as does false for"
            " broken_names and sidebars_by_their_section."
        ),
        examples=[{"blank_band": 0.2}],
    )

    @field_validator("print_check")
    @classmethod
    def _known_thresholds(cls, values: dict[str, Any] | None) -> dict[str, Any] | None:
        for key, value in (values or {}).items():
            if key not in PRINT_CHECK_KEYS:
                raise ValueError(
                    f"'{key}' is not a threshold of guide check --print — write one of "
                    + ", ".join(PRINT_CHECK_KEYS)
                )
            if key == "measure":
                if value is not None and not (
                    isinstance(value, list)
                    and len(value) == 2
                    and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
                    and 0 < value[0] <= value[1]
                ):
                    raise ValueError(
                        f"'measure' is {value!r} — write [least, most] characters a line, such"
                        " as [55, 75], or null to turn it off"
                    )
                continue
            switch = key in ("broken_names", "sidebars_by_their_section") and value is False
            if not switch and (isinstance(value, bool) or (value is not None and value < 0)):
                raise ValueError(f"'{key}' is {value!r} — write a number, or null to turn it off")
        return values

    @field_validator("options")
    @classmethod
    def _words_per_line(cls, options: dict[str, Any] | None) -> dict[str, Any] | None:
        # The one option the build itself reads (to rule a question's answer lines).
        words = (options or {}).get("words_per_answer_line")
        if words is not None and (
            isinstance(words, bool) or not isinstance(words, (int, float)) or not 2 <= words <= 40
        ):
            raise ValueError(
                f"words_per_answer_line is {words!r} — write how many handwritten words one"
                " answer line holds, from 2 to 40 (about 10 on an A4 line)"
            )
        return options


# The thresholds of guide/print_check.py's PrintRules a layout may set in `print_check:`.
PRINT_CHECK_KEYS = (
    "blank_band",
    "min_type_size",
    "min_contrast",
    "min_rule_width",
    "min_body_size",
    "min_lines",
    "broken_names",
    "sidebars_by_their_section",
    "lone_word",
    "measure",
)


@dataclass
class Layout:
    """A resolved layout: its own folder first, then the folders of what it extends."""

    name: str
    description: str
    folders: list[Path]
    stylesheets: list[Path]  # parent's first, so a child's rules win the cascade
    options: dict[str, Any] = field(default_factory=dict)
    paper: str | None = None
    imposition: str | None = None
    pdf_variant: str | None = None
    to: str | None = None  # the builder it makes when the command line does not say
    print_check: dict[str, Any] = field(default_factory=dict)  # thresholds set otherwise
    messages: dict[str, str] = field(default_factory=dict)  # its own words (messages.py)

    @property
    def template_folders(self) -> list[Path]:
        return [folder / "templates" for folder in self.folders if (folder / "templates").is_dir()]

    def templates(self) -> list[Path]:
        """Every template file of the layout and of what it extends."""
        return [t for folder in self.template_folders for t in sorted(folder.rglob("*.html"))]

    def read_template(self, path: Path) -> str:
        """A template's text, if it is a regular file inside one of the layouts' folders once
        links are followed (files.py); else a GuideError at the template."""
        data = files.read_bytes(path, self.folders, MAX_TEMPLATE_BYTES, "template")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise GuideError.at(path, "not UTF-8", line, hint="save it as UTF-8") from None

    @property
    def files(self) -> list[Path]:
        """Every file of the layout and of what it extends: what a rebuild depends on."""
        return sorted(p for folder in self.folders for p in folder.rglob("*") if p.is_file())

    @property
    def templates_by_layout(self) -> dict[str, list[Path]]:
        """For each layout in the chain, the template folders it sees: its own, then its
        parents'. "teacher/guide.html" is then the guide.html the teacher layout would use,
        whether or not the teacher has one of its own.

        Where a guide's own layout shadows a built-in of the same name, the name means the
        built-in one: that is the one a namesake child extends.
        """
        named: dict[str, list[Path]] = {}
        for index in reversed(range(len(self.folders))):
            folders = [f / "templates" for f in self.folders[index:] if (f / "templates").is_dir()]
            named.setdefault(self.folders[index].name, folders)
        return named


def layout_folders(guide_folder: Path | None) -> list[Path]:
    """Where layouts are looked for, in order: the guide's `layouts/`, then the built-in ones.
    A guide's `layouts/` that is a link out of the guide is refused."""
    roots = []
    if guide_folder is not None and (guide_folder / "layouts").is_dir():
        own = guide_folder / "layouts"
        files.check_folder(own, [files.real_path(guide_folder)], "layouts folder")
        roots.append(own)
    roots.append(BUILTIN_LAYOUTS)
    return roots


def available_layouts(guide_folder: Path | None = None) -> list[tuple[str, str, Path]]:
    """(name, description, folder) of every layout that can be used, first found wins."""
    found: dict[str, tuple[str, str, Path]] = {}
    for root in layout_folders(guide_folder):
        for folder in sorted(p for p in root.iterdir() if _holds_layout(p)):
            if folder.name not in found:
                config = _read_config(folder)
                found[folder.name] = (folder.name, config.description, folder)
    return list(found.values())


def load_layout(name: str, guide_folder: Path | None = None) -> Layout:
    chain = _chain(name, guide_folder)
    _check_templates(chain)
    options: dict[str, Any] = {}
    print_check: dict[str, Any] = {}
    messages: dict[str, str] = {}
    stylesheets: list[Path] = []
    paper = imposition = pdf_variant = to = None
    for folder, config in reversed(chain):
        options.update(config.options or {})
        print_check.update(config.print_check or {})
        messages.update(config.messages or {})
        paper = config.paper or paper
        imposition = config.imposition or imposition
        pdf_variant = config.pdf_variant or pdf_variant
        to = config.to or to
        stylesheets += _stylesheets(folder, config)
    top_config = chain[0][1]
    return Layout(
        name=top_config.name,
        description=top_config.description,
        folders=[folder for folder, _ in chain],
        stylesheets=stylesheets,
        options=options,
        paper=paper,
        imposition=imposition,
        pdf_variant=pdf_variant,
        to=to,
        print_check=print_check,
        messages=messages,
    )


def in_its_case(name: str, known: list[str]) -> str:
    """A layout named in another case than its own (`Teacher`) as it is named, when that names
    one layout and no layout has the name as written: the case of a name tells nothing."""
    same = [found for found in known if found.casefold() == name.casefold()]
    return same[0] if name not in known and len(same) == 1 else name


class UnknownLayout(GuideError):
    """A name that names no layout. `origin` is where it was written: a layout's `extends:`,
    or None for a name given from outside (guide.yaml, the command line), which the caller
    may place with `named_at`."""

    def __init__(self, name: str, known: list[str], origin: Position | None = None):
        self.name, self.known, self.origin = name, known, origin
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(known)}"
        super().__init__([(origin or NOWHERE).problem(f"unknown layout '{name}'", hint)])

    def named_at(self, origin: Position | None) -> UnknownLayout:
        return UnknownLayout(self.name, self.known, origin)


def _chain(name: str, guide_folder: Path | None) -> list[tuple[Path, LayoutConfig]]:
    """The layout and every layout it extends, nearest first."""
    chain: list[tuple[Path, LayoutConfig]] = []
    wanted: str | None = name
    while wanted is not None:
        child = chain[-1] if chain else None
        named_at = child[1].origin_of("extends") if child else None
        folder = _find(wanted, guide_folder, child and child[0], named_at)
        # By folder, not name: a guide's own `student` may extend the built-in `student`.
        if any(folder == seen for seen, _ in chain):
            names = " → ".join([f.name for f, _ in chain] + [wanted])
            message = f"layouts extend each other in a circle: {names}"
            raise GuideError([(named_at or NOWHERE).problem(message, "remove one 'extends'")])
        config = _read_config(folder)
        chain.append((folder, config))
        wanted = config.extends
    return chain


def _check_templates(chain: list[tuple[Path, LayoutConfig]]) -> None:
    """Found now rather than when rendering, where all Jinja2 can say is 'guide.html'."""
    if any((folder / "templates" / "guide.html").is_file() for folder, _ in chain):
        return
    last = chain[-1][0]
    raise GuideError.at(
        last / "layout.yaml",
        f"layout '{last.name}' has no templates/guide.html and extends no layout",
        hint="add 'extends: student' or write templates/guide.html",
    )


def _stylesheets(folder: Path, config: LayoutConfig) -> list[Path]:
    listed = "stylesheets" in config.model_fields_set
    paths = []
    for index, sheet in enumerate(config.stylesheets):
        path = (folder / sheet).resolve()
        if path.is_relative_to(folder.resolve()) and path.is_file():
            paths.append(path)
            continue
        hint = "name a .css file in the layout's folder"
        if not listed and not os.path.lexists(folder / sheet):
            # Nothing in layout.yaml to point at: the missing file is the implicit default.
            raise GuideError.at(
                folder / "layout.yaml",
                f"layout '{folder.name}' has no {sheet}, the stylesheet of a layout without "
                "'stylesheets:'",
                hint=f"create {sheet}, or list the layout's stylesheets under 'stylesheets:' "
                "('stylesheets: []' for none)",
            )
        if not path.is_relative_to(folder.resolve()):
            if Path(os.path.abspath(folder / sheet)).is_relative_to(folder):
                what = f"is a link to {display_path(path)}, outside the layout's folder"
                hint = "copy the stylesheet into the layout's folder instead of linking to it"
            else:
                what = "is outside the layout's folder"
        elif path.is_dir():
            what = "is a folder, not a file"
        elif path.exists():
            what = f"is {files.NOT_REGULAR}"
            hint = "replace it with a plain .css file"
        else:
            what = f"not found in layout '{folder.name}'"
        origin = config.origin_of("stylesheets", index)
        raise GuideError([origin.problem(f"stylesheet '{sheet}' {what}", hint)])
    return paths


def _find(
    name: str, guide_folder: Path | None, child: Path | None, named_at: Position | None
) -> Path:
    for folder in _layout_folders(guide_folder):
        # A layout extending its namesake (a guide's `student` extending the built-in one)
        # must skip itself.
        if folder.name == name and folder != child:
            # A layout folder that is a link elsewhere would bring in files from anywhere.
            return files.check_folder(folder, [files.real_path(folder.parent)], "layout")
    if child is not None and child.name == name:
        message = f"layout '{name}' extends itself"
        raise GuideError([(named_at or NOWHERE).problem(message, "name the layout it builds on")])
    # A layout is never offered as its own parent.
    known = [f.name for f in _layout_folders(guide_folder) if f != child]
    raise UnknownLayout(name, list(dict.fromkeys(known)), named_at)


def _layout_folders(guide_folder: Path | None) -> list[Path]:
    """Every layout folder, the guide's own first, without reading any layout.yaml: a broken
    one elsewhere must not hide that a name is unknown."""
    return [
        folder
        for root in layout_folders(guide_folder)
        for folder in sorted(root.iterdir())
        if _holds_layout(folder)
    ]


def _holds_layout(folder: Path) -> bool:
    # Whatever its kind: a layout.yaml that is not a regular file is refused when read.
    return os.path.lexists(folder / "layout.yaml")


def _read_config(folder: Path) -> LayoutConfig:
    problems: list[Problem] = []
    document = load_yaml(folder / "layout.yaml", [files.real_path(folder)], "layout file")
    config = validate(document, LayoutConfig, problems)
    if config is None:
        raise GuideError(problems)
    if config.name != folder.name:
        message = f"layout name '{config.name}' differs from its folder '{folder.name}'"
        raise GuideError([config.origin_of("name").problem(message, "make them the same")])
    return config
