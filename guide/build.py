"""One build: load → validate → merge → render HTML → render PDF → write. Nothing reaches back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .errors import GuideError, Problem, Problems
from .impose import impose_saddle_stitch, page_size
from .layouts import BUILTIN_LAYOUTS, Layout, UnknownLayout, layout_folders, load_layout
from .loading import load_yaml, read_source_text
from .merge import SourceInput, merge
from .model import Guide
from .output import write_atomically
from .render_html import render_html


def load_guide(folder: Path) -> Guide:
    """Read, validate and merge a guide folder; every error of the run in one GuideError."""
    folder = folder.resolve()
    config_path = folder / "guide.yaml"
    if folder.is_file():
        raise GuideError.at(
            folder, "a file, not a folder", hint="name the guide's folder (the one with guide.yaml)"
        )
    if not config_path.is_file():
        raise GuideError.at(
            config_path,
            "no guide.yaml here",
            hint="name a guide folder (one that holds guide.yaml)",
        )
    problems = Problems()
    config_document = load_yaml(config_path)
    config = schema.validate(config_document, schema.GuideConfig, problems.items)
    problems.raise_if_errors()
    files = [config_path]

    def read(kind_location: tuple, relative: str, reader, optional: bool = False):
        path = schema.resolve_inside(
            folder, relative, config_document, kind_location, problems.items
        )
        if path is None or (optional and not path.exists()):
            return None
        # Reported at the line of guide.yaml that names the path: that is what to correct.
        if path.is_dir() or not path.exists():
            what, hint = (
                ("is a folder, not a file", "name a file inside it")
                if path.is_dir()
                else ("not found", "create it or correct the path")
            )
            problems.items.append(
                config_document.problem(kind_location, f"'{relative}' {what}", hint)
            )
            return None
        try:
            result = reader(path)
        except GuideError as error:
            problems.extend(error.problems)
            return None
        files.append(path)
        return result

    def items(document, holds: str) -> schema.ItemFile | None:
        return schema.validate(document, schema.ItemFile, problems.items, holds)

    sources = []
    for index, entry in enumerate(config.sources):
        text = read(("sources", index, "text"), entry.text, read_source_text)
        section_document = read(("sources", index, "sections"), entry.sections, load_yaml)
        sections = items(section_document, "sections") if section_document else None
        if text and sections:
            sources.append(SourceInput(entry, text, sections))
    item_files = []
    for key in ("events", "people", "glossary", "questions"):
        relative = getattr(config, key)
        explicit = key in config.model_fields_set
        document = read((key,), relative, load_yaml, optional=not explicit)
        holds = "terms" if key == "glossary" else key
        if document is not None and (validated := items(document, holds)) is not None:
            item_files.append(validated)
    problems.raise_if_errors()
    guide = merge(folder.name, folder, config, sources, item_files, problems, files)
    problems.raise_if_errors()
    return guide


@dataclass
class BuildResult:
    guide: Guide
    path: Path
    pages: int  # pages as laid out, before any imposition
    layout: str
    render_warnings: list[Problem]  # what this layout's rendering said
    sheets: int | None = None  # sheets of paper, for an imposed booklet
    inputs: list[Path] = field(default_factory=list)  # every file the build read

    @property
    def warnings(self) -> list[Problem]:
        return self.guide.warnings + self.render_warnings


def default_output(guide: Guide, layout: str, output_folder: Path = Path("output")) -> Path:
    return output_folder / f"{guide.name}-{layout}.pdf"


def build(
    folder: Path,
    layout_name: str | None = None,
    output: Path | None = None,
    paper: str | None = None,
    time_limit: float | None = None,
) -> BuildResult:
    return render_guide(load_guide(folder), layout_name, output, paper, time_limit)


def render_guide(
    guide: Guide,
    layout_name: str | None = None,
    output: Path | None = None,
    paper: str | None = None,
    time_limit: float | None = None,
) -> BuildResult:
    """Render an already loaded guide through one layout: each layout of a run shares one load."""
    from .render_pdf import DEFAULT_TIME_LIMIT, render_pdf  # imports WeasyPrint: only now

    layout = resolve_layout(guide, layout_name)
    paper = paper or guide.info.paper or layout.paper or "A4"
    html = render_html(guide, layout, paper)
    rendered = render_pdf(
        html,
        layout.stylesheets,
        roots=[guide.folder, *layout.folders],
        page_size=page_size(paper, layout.imposition).css,
        base=layout.folders[0],
        time_limit=time_limit or DEFAULT_TIME_LIMIT,
    )
    pdf, sheets = rendered.pdf, None
    if layout.imposition == "saddle-stitch":
        pdf, sheets = impose_saddle_stitch(pdf, paper)
    target = output or default_output(guide, layout.name)
    write_atomically(target, pdf)
    inputs = [*guide.files, *layout.files, *rendered.resources]
    # Folders too: a file added to one (a guide's own layout) can change what is read.
    inputs += [guide.folder] + [f for f in layout_folders(guide.folder) if f != BUILTIN_LAYOUTS]
    return BuildResult(
        guide,
        target,
        rendered.pages,
        layout.name,
        rendered.warnings,
        sheets,
        list(dict.fromkeys(inputs)),
    )


def resolve_layout(guide: Guide, layout_name: str | None = None) -> Layout:
    """The layout named on the command line, else guide.yaml's, loaded but not rendered."""
    if layout_name:
        return load_layout(layout_name, guide.folder)
    try:
        return load_layout(guide.info.layout, guide.folder)
    except UnknownLayout as error:
        if error.origin is not None:
            raise  # a name in some layout's `extends:`, already placed there
        raise error.named_at(_guide_yaml_origin(guide, "layout")) from None


def _guide_yaml_origin(guide: Guide, key: str) -> Problem | None:
    """Where guide.yaml writes `key`. Read again, and only for an error: the guide keeps
    its values, not their positions."""
    document = load_yaml(guide.folder / "guide.yaml")
    if not isinstance(document.data, dict) or key not in document.data:
        return None
    return document.problem((key,), "")
