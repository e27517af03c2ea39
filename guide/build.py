"""One build: load → validate → merge → render HTML → render PDF → write. Nothing reaches back."""

from __future__ import annotations

import dataclasses
import functools
import json
import multiprocessing
import os
import re
import signal
import sys
import time
from collections.abc import Iterator
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
from .relayout import Relayout
from .render_html import render_html
from .render_pdf import DEFAULT_TIME_LIMIT, PdfOptions, render_pdf


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
    laid_out: int | None = None  # pages laid out afresh, when a warm rebuild kept the rest
    seconds: float = 0.0  # the render's own time, without loading the guide

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
    pdf_variant: str | None = None,
) -> BuildResult:
    guide = load_guide(folder)
    return render_guide(guide, layout_name, output, paper, time_limit, pdf_variant=pdf_variant)


def render_guide(
    guide: Guide,
    layout_name: str | None = None,
    output: Path | None = None,
    paper: str | None = None,
    time_limit: float | None = None,
    relayout: Relayout | None = None,
    pdf_variant: str | None = None,
) -> BuildResult:
    """Render an already loaded guide through one layout: each layout of a run shares one load.

    `relayout`, kept between builds by a warm process, lays out only the parts that changed.
    `pdf_variant` (one of PDF_VARIANTS) overrides the layout's own.
    """
    started = time.perf_counter()
    layout = resolve_layout(guide, layout_name)
    paper = paper or guide.info.paper or layout.paper or "A4"
    html = render_html(guide, layout, paper)
    notes = []
    if layout.imposition:
        # pypdf places the pages on sheets as pictures of pages: no structure tree or archival
        # metadata survives that, so none is written.
        options = PdfOptions(date=guide.info.date)
        if pdf_variant:
            notes.append(
                Problem(
                    None,
                    None,
                    None,
                    f"the {layout.name} layout is not written as {pdf_variant}: its pages are "
                    "placed on sheets after rendering, which a tagged or archival PDF does not "
                    "survive; use another layout for the archive",
                    warning=True,
                )
            )
    else:
        options = PdfOptions(pdf_variant or layout.pdf_variant, tagged=True, date=guide.info.date)
    rendered = render_pdf(
        html,
        layout.stylesheets,
        roots=[guide.folder, *layout.folders],
        page_size=page_size(paper, layout.imposition).css,
        base=layout.folders[0],
        time_limit=time_limit or DEFAULT_TIME_LIMIT,
        relayout=relayout,
        options=options,
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
        notes + [_placed(problem, layout) for problem in rendered.warnings],
        sheets,
        list(dict.fromkeys(inputs)),
        rendered.laid_out,
        time.perf_counter() - started,
    )


def render_preview(
    guide: Guide, layout_name: str | None, output: Path | None, paper: str | None
) -> tuple[Path, str]:
    """Write the self-contained HTML preview of one layout; return its path and layout."""
    from .preview import standalone_html

    layout = resolve_layout(guide, layout_name)
    paper = paper or guide.info.paper or layout.paper or "A4"
    html = standalone_html(
        render_html(guide, layout, paper),
        layout.stylesheets,
        roots=[guide.folder, *layout.folders],
        page_size=page_size(paper, layout.imposition).css,
    )
    target = output or default_output(guide, layout.name).with_suffix(".html")
    write_atomically(target, html.encode("utf-8"))
    return target, layout.name


def render_layouts(
    guide: Guide,
    layouts: list[str],
    paper: str | None = None,
    time_limit: float | None = None,
    jobs: int | None = None,
    pdf_variant: str | None = None,
) -> Iterator[BuildResult]:
    """Render several layouts of one loaded guide, each in a worker process of its own, as
    many at a time as there are cores: WeasyPrint lays out on one core, so two layouts on
    two cores take the time of one. Results come as they finish. Every layout is rendered
    even if another fails; their errors are raised together at the end."""
    jobs = max(1, min(jobs or usable_cores(), len(layouts)))
    problems: list[Problem] = []
    record = _RenderTimes(guide)
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for layout in layouts:
            try:
                yield record.add(
                    render_guide(guide, layout, None, paper, time_limit, pdf_variant=pdf_variant)
                )
            except GuideError as error:
                problems.extend(error.problems)
        record.save()
        if problems:
            raise GuideError(problems)
        return
    import weasyprint  # noqa: F401 - imported once, before forking, not once per worker

    render = functools.partial(
        _render_in_worker, guide, paper=paper, time_limit=time_limit, pdf_variant=pdf_variant
    )
    # fork: a worker starts with the guide, WeasyPrint and the fonts already in memory.
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker)
    try:
        for outcome in pool.imap_unordered(render, record.longest_first(layouts)):
            if isinstance(outcome, BuildResult):
                yield record.add(dataclasses.replace(outcome, guide=guide))
            else:
                problems.extend(outcome)
    except BaseException:
        pool.terminate()  # SIGTERM: a rendering worker removes its temporary file and exits
        raise
    pool.close()
    pool.join()
    record.save()
    if problems:
        raise GuideError(problems)


_NO_ALT = re.compile(r'WeasyPrint: Image "(?P<src>[^"]+)" has no required alt description')


def _placed(problem: Problem, layout: Layout) -> Problem:
    """WeasyPrint's complaint of an image without alt text, at the template line that has it."""
    found = _NO_ALT.fullmatch(problem.message)
    if not found:
        return problem
    source = found["src"]
    for folder in layout.template_folders:
        for template in sorted(folder.rglob("*.html")):
            lines = template.read_text(encoding="utf-8", errors="replace").splitlines()
            for number, line in enumerate(lines, 1):
                if source in line:
                    return Problem(
                        template,
                        number,
                        line.index(source) + 1,
                        f"the image '{source}' has no alt text",
                        hint='add alt="…" saying what it shows, or alt="" if it is only '
                        "decoration: a screen reader reads it out",
                        warning=True,
                    )
    return dataclasses.replace(problem, message=f"the image '{source}' has no alt text")


class _RenderTimes:
    """How long each layout of a guide took to render last time, kept beside its PDFs.

    Four layouts on two cores finish together only if the long ones start first: started in
    name order, the flagship's ran 1.5× faster in parallel, not the 1.8× its sum allows.
    """

    def __init__(self, guide: Guide):
        self.path = default_output(guide, "").with_name(f".{guide.name}-render-seconds.json")
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        self.seconds = {
            name: float(value)
            for name, value in (known.items() if isinstance(known, dict) else ())
            if isinstance(value, int | float)
        }

    def longest_first(self, layouts: list[str]) -> list[str]:
        # A layout never timed may be the longest of all: it goes first.
        return sorted(layouts, key=lambda name: -self.seconds.get(name, float("inf")))

    def add(self, result: BuildResult) -> BuildResult:
        self.seconds[result.layout] = round(result.seconds, 2)
        return result

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.seconds, sort_keys=True), encoding="utf-8")
        except OSError:
            pass  # only an order for next time: a read-only folder must not fail the build


def _start_worker() -> None:
    # On a terminal the parent draws progress lines (progress.py), and rich stands in for its
    # stdout and stderr, behind a lock its drawing thread may hold at the fork: a worker
    # that wrote a warning through it could wait forever. Workers write to the real streams.
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    # Ctrl-C reaches every process of the terminal; the parent alone decides, and stops the
    # workers with SIGTERM. An idle worker then just ends, without a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_worker)


def _end_worker(signum, frame) -> None:
    os._exit(130)


def _unwind(signum, frame) -> None:
    raise KeyboardInterrupt


def _render_in_worker(
    guide: Guide,
    layout: str,
    paper: str | None,
    time_limit: float | None,
    pdf_variant: str | None,
) -> BuildResult | list[Problem]:
    signal.signal(signal.SIGTERM, _unwind)  # mid-render: unwind, so the temporary file goes
    try:
        result = render_guide(guide, layout, None, paper, time_limit, pdf_variant=pdf_variant)
    except GuideError as error:
        return error.problems  # as data: an exception crossing processes loses its problems
    except KeyboardInterrupt:
        os._exit(130)
    finally:
        signal.signal(signal.SIGTERM, _end_worker)
    return dataclasses.replace(result, guide=None)  # the parent has the guide already


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may run on
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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
