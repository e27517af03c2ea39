"""Find layouts by name (a guide's own first, then the built-in ones) and resolve `extends`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from . import schema
from .errors import GuideError, Problem
from .loading import load_yaml

BUILTIN_LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"


class LayoutConfig(schema.Node):
    name: schema.Id
    description: schema.Text
    extends: schema.Id | None = None
    paper: Literal[schema.PAPER_SIZES] | None = None  # type: ignore[valid-type]
    # saddle-stitch: lay out half-size pages, then impose them two to a sheet (see impose.py).
    imposition: Literal["saddle-stitch"] | None = None
    stylesheets: list[schema.Text] = ["style.css"]
    options: dict[str, Any] | None = None  # None: every option commented out


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

    @property
    def template_folders(self) -> list[Path]:
        return [folder / "templates" for folder in self.folders if (folder / "templates").is_dir()]

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
    """Where layouts are looked for, in order: the guide's `layouts/`, then the built-in ones."""
    roots = []
    if guide_folder is not None and (guide_folder / "layouts").is_dir():
        roots.append(guide_folder / "layouts")
    roots.append(BUILTIN_LAYOUTS)
    return roots


def available_layouts(guide_folder: Path | None = None) -> list[tuple[str, str, Path]]:
    """(name, description, folder) of every layout that can be used, first found wins."""
    found: dict[str, tuple[str, str, Path]] = {}
    for root in layout_folders(guide_folder):
        for folder in sorted(p for p in root.iterdir() if (p / "layout.yaml").is_file()):
            if folder.name not in found:
                config = _read_config(folder)
                found[folder.name] = (folder.name, config.description, folder)
    return list(found.values())


def load_layout(name: str, guide_folder: Path | None = None) -> Layout:
    chain: list[tuple[Path, LayoutConfig]] = []
    wanted: str | None = name
    while wanted is not None:
        folder = _find(wanted, guide_folder, chain[-1][0] if chain else None)
        # By folder, not name: a guide's own `student` may extend the built-in `student`.
        if any(folder == seen for seen, _ in chain):
            names = " → ".join([f.name for f, _ in chain] + [wanted])
            raise GuideError.at(
                chain[-1][0] / "layout.yaml",
                f"layouts extend each other in a circle: {names}",
                hint="remove one 'extends'",
            )
        config = _read_config(folder)
        chain.append((folder, config))
        wanted = config.extends
    options: dict[str, Any] = {}
    stylesheets: list[Path] = []
    paper = imposition = None
    for folder, config in reversed(chain):
        options.update(config.options or {})
        paper = config.paper or paper
        imposition = config.imposition or imposition
        for sheet in config.stylesheets:
            path = (folder / sheet).resolve()
            if not path.is_relative_to(folder.resolve()) or not path.is_file():
                raise GuideError.at(
                    folder / "layout.yaml",
                    f"stylesheet '{sheet}' not found in layout '{folder.name}'",
                    hint="name a .css file in the layout's folder",
                )
            stylesheets.append(path)
    top_config = chain[0][1]
    return Layout(
        name=top_config.name,
        description=top_config.description,
        folders=[folder for folder, _ in chain],
        stylesheets=stylesheets,
        options=options,
        paper=paper,
        imposition=imposition,
    )


def _find(name: str, guide_folder: Path | None, child: Path | None) -> Path:
    for root in layout_folders(guide_folder):
        folder = root / name
        # A layout extending its namesake (a guide's `student` extending the built-in one)
        # must skip itself.
        if (folder / "layout.yaml").is_file() and folder != child:
            return folder
    known = ", ".join(n for n, _, _ in available_layouts(guide_folder))
    where = child / "layout.yaml" if child else None
    raise GuideError.at(where, f"unknown layout '{name}'", hint=f"use one of: {known}")


def _read_config(folder: Path) -> LayoutConfig:
    problems: list[Problem] = []
    config = schema.validate(load_yaml(folder / "layout.yaml"), LayoutConfig, problems)
    if config is None:
        raise GuideError(problems)
    if config.name != folder.name:
        raise GuideError.at(
            folder / "layout.yaml",
            f"layout name '{config.name}' differs from its folder '{folder.name}'",
            1,
            1,
            hint="make them the same",
        )
    return config
