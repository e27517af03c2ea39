"""One build: load → validate → merge → render HTML → render PDF → write. Nothing reaches back."""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import engine
from .confine import DEFAULT_LIMITS, Child, Doing, Limits, Worker, run_all
from .errors import GuideError, Problem
from .folder import load_guide  # noqa: F401 - where the commands and tests find it
from .impose import impose_saddle_stitch, page_size
from .layouts import BUILTIN_LAYOUTS, Layout, layout_folders
from .model import Guide
from .output import write_atomically
from .placement import SidebarPlaces
from .print_check import PrintRules, Report
from .relayout import Relayout
from .render_html import render_html
from .render_pdf import PdfOptions, render_pdf
from .settings import Asked, settle


@dataclass
class Rendered:
    """One layout of a guide rendered, its file not yet written: what a worker sends back."""

    layout: str
    pdf: bytes
    pages: int  # pages as laid out, before any imposition
    warnings: list[Problem]  # what this layout's rendering said
    sheets: int | None = None  # sheets of paper, for an imposed booklet
    inputs: list[Path] = field(default_factory=list)  # every file the build read
    laid_out: int | None = None  # pages laid out afresh, when a warm rebuild kept the rest
    seconds: float = 0.0  # the render's own time, without loading the guide
    relaid: str = ""  # why a warm rebuild laid out every page, if it did


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
    relaid: str = ""  # why a warm rebuild laid out every page, if it did

    @property
    def warnings(self) -> list[Problem]:
        return self.guide.warnings + self.render_warnings


def default_output(guide: Guide, layout: str, output_folder: Path = Path("output")) -> Path:
    return output_folder / f"{guide.name}-{layout}.pdf"


# --- builds, each step in a worker process (confine.py) ---------------------------------------


def build(
    folder: Path,
    layout_name: str | None = None,
    output: Path | None = None,
    paper: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    pdf_variant: str | None = None,
) -> BuildResult:
    """Load, render and write one layout of a guide: load and render in one worker, under
    one deadline and the memory cap; the file is written here, once the worker is done."""
    import weasyprint  # noqa: F401 - here, so that every worker this process forks starts warm

    with Worker(limits) as worker:
        guide, rendered = worker.call(
            _load_and_render, folder, layout_name, paper, pdf_variant, doing=_loading(folder)
        )
    return written(guide, rendered, output)


def load(folder: Path, limits: Limits = DEFAULT_LIMITS) -> Guide:
    """`load_guide` in a worker, under the limits."""
    with Worker(limits) as worker:
        return worker.call(_load, folder, doing=_loading(folder))


def build_layouts(
    guide: Guide,
    layouts: list[str],
    paper: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    jobs: int | None = None,
    pdf_variant: str | None = None,
) -> Iterator[BuildResult]:
    """Render several layouts of one loaded guide, each in a worker process of its own under
    the limits, as many at a time as there are cores: WeasyPrint lays out on one core, so two
    layouts on two cores take the time of one. Results come as they finish. Every layout is
    rendered even if another fails; their errors are raised together at the end."""
    jobs = max(1, min(jobs or usable_cores(), len(layouts)))
    record = _RenderTimes(guide)
    order = record.longest_first(layouts)
    if jobs > 1:
        import weasyprint  # noqa: F401 - imported once, before forking, not once per worker
    calls = [
        (_render, (guide, name, paper, pdf_variant), _rendering(guide, name)) for name in order
    ]
    problems: list[Problem] = []
    for _, outcome in run_all(calls, jobs, limits):
        if not isinstance(outcome, Rendered):
            problems.extend(outcome)
            continue
        try:  # a full disk or a folder in the way fails this layout, not the others
            result = written(guide, outcome, None)
        except GuideError as error:
            problems.extend(error.problems)
            continue
        yield record.add(result)
    record.save()
    if problems:
        raise GuideError(problems)


def preview(
    guide: Guide,
    layout_name: str | None,
    output: Path | None,
    paper: str | None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Path, str, list[Problem]]:
    """Write the self-contained, inert HTML preview of one layout; return its path, layout
    and warnings. Its templates run in a worker, as for a PDF."""
    with Worker(limits) as worker:
        name, html, warnings = worker.call(
            _preview, guide, layout_name, paper, doing=_rendering(guide, layout_name)
        )
    target = output or default_output(guide, name).with_suffix(".html")
    write_atomically(target, html.encode("utf-8"))
    return target, name, warnings


@dataclass
class PrintChecked:
    """One layout of a guide rendered and its pages checked for print (print_check.py)."""

    layout: str
    report: Report
    warnings: list[Problem]  # what this layout's rendering said


def check_print(
    guide: Guide,
    layouts: list[str],
    paper: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    jobs: int | None = None,
    rules: PrintRules | None = None,
) -> Iterator[PrintChecked]:
    """Render layouts of a loaded guide and check their pages, each in a worker as
    `build_layouts` renders, as they finish; nothing is written, so no PDF of the user's is
    ever replaced. A booklet is checked as its pages are laid out, before they are placed on
    sheets. Every layout is checked even if another fails; their errors come together at
    the end."""
    jobs = max(1, min(jobs or usable_cores(), len(layouts)))
    if jobs > 1:
        import weasyprint  # noqa: F401 - imported once, before forking, not once per worker
    calls = [
        (_render_and_check, (guide, name, paper, rules), _rendering(guide, name))
        for name in layouts
    ]
    problems: list[Problem] = []
    for _, outcome in run_all(calls, jobs, limits):
        if isinstance(outcome, PrintChecked):
            yield outcome
        else:
            problems.extend(outcome)
    if problems:
        raise GuideError(problems)


def check(folder: Path, limits: Limits = DEFAULT_LIMITS) -> Guide:
    """Load a guide and find its layout, without rendering, in a worker under the limits."""
    with Worker(limits) as worker:
        return worker.call(_check, folder, doing=_loading(folder))


class WarmBuilds:
    """`guide watch`'s builds: one worker kept between them, warm, holding the last layout
    (relayout.py) so a rebuild lays out only what changed. A worker stopped at its deadline
    is replaced by a fresh one, which lays out everything once."""

    def __init__(self, limits: Limits = DEFAULT_LIMITS):
        self.limits = limits
        self.worker: Worker | None = None

    def build(
        self,
        folder: Path,
        layout_name: str | None,
        output: Path | None,
        paper: str | None,
        pdf_variant: str | None = None,
    ) -> BuildResult:
        if self.worker is None or not self.worker.alive:
            self.worker = Worker(self.limits)
        try:
            guide, rendered = self.worker.call(
                _load_and_render,
                folder,
                layout_name,
                paper,
                pdf_variant,
                True,
                doing=_loading(folder),
            )
        except GuideError:
            if not self.worker.alive:  # stopped at its deadline or its memory cap
                self.worker = None
            raise
        except BaseException:  # Ctrl-C, or a bug: the next build starts afresh
            self.close()
            raise
        return written(guide, rendered, output)

    def close(self) -> None:
        if self.worker is not None:
            self.worker.kill()
            self.worker = None


def written(guide: Guide, rendered: Rendered, output: Path | None) -> BuildResult:
    """Write a rendered layout's PDF (atomically: the old one stays until the new is whole)."""
    target = output or default_output(guide, rendered.layout)
    write_atomically(target, rendered.pdf)
    return BuildResult(
        guide,
        target,
        rendered.pages,
        rendered.layout,
        rendered.warnings,
        rendered.sheets,
        rendered.inputs,
        rendered.laid_out,
        rendered.seconds,
        rendered.relaid,
    )


def _loading(folder: Path, path: Path | None = None) -> Doing:
    path = path or folder.resolve() / "guide.yaml"
    return Doing("loading the guide", path, hint="look for a huge file, or a file that never ends")


def _rendering(guide: Guide, layout_name: str | None) -> Doing:
    return Doing(f"layout '{layout_name or guide.info.layout}'", hint=_LAYOUT_HINT)


_LAYOUT_HINT = "look for an endless loop or a huge image or table in the layout"


# What runs in a worker: `child` (confine.Child) says what it is doing and keeps state.


def _load(child: Child, folder: Path) -> Guide:
    return load_guide(folder, lambda path: child.doing(_loading(folder, path)))


def _check(child: Child, folder: Path) -> Guide:
    guide = _load(child, folder)
    # Without rendering: a layout that cannot be found or read fails the check, not the build.
    try:
        resolve_layout(guide)
    except GuideError as error:
        raise GuideError(guide.warnings + error.problems) from None
    return guide


def _load_and_render(
    child: Child,
    folder: Path,
    layout_name: str | None,
    paper: str | None,
    pdf_variant: str | None,
    warm: bool = False,
) -> tuple[Guide, Rendered]:
    guide = _load(child, folder)
    relayout = child.kept.setdefault("relayout", Relayout()) if warm else None
    try:
        return guide, _render(child, guide, layout_name, paper, pdf_variant, relayout)
    except GuideError as error:
        raise GuideError(guide.warnings + error.problems) from None


def _render(
    child: Child,
    guide: Guide,
    layout_name: str | None,
    paper: str | None,
    pdf_variant: str | None,
    relayout: Relayout | None = None,
) -> Rendered:
    return render(guide, layout_name, paper, pdf_variant, relayout, child.doing)


def _render_and_check(
    child: Child, guide: Guide, layout_name: str, paper: str | None, rules: PrintRules | None
) -> PrintChecked:
    from .print_check import Vocabulary, check_pdf

    rendered = render(guide, layout_name, paper, doing=child.doing, impose=False)
    child.doing(Doing(f"layout '{rendered.layout}': checking its pages for print"))
    # The layout's own thresholds (layout.yaml's print_check:) over the ones given.
    own = resolve_layout(guide, layout_name).print_check
    report = check_pdf(rendered.pdf, (rules or PrintRules()).relaxed(**own), Vocabulary.of(guide))
    return PrintChecked(rendered.layout, report, rendered.warnings)


def _preview(
    child: Child, guide: Guide, layout_name: str | None, paper: str | None
) -> tuple[str, str, list[Problem]]:
    from .preview import standalone_html

    settings = settle(guide, Asked(layout_name, paper))
    layout, paper = settings.layout, settings.paper
    child.doing(
        _stage(
            layout,
            "running its templates",
            "look for a loop in them that never ends or grows without end",
        )
    )
    html, warnings = standalone_html(
        render_html(guide, layout, paper),
        layout.stylesheets,
        roots=[guide.folder, *layout.folders],
        page_size=page_size(paper, layout.imposition).css,
        base=layout.folders[0],
    )
    return layout.name, html, warnings


def _stage(layout: Layout, what: str, hint: str) -> Doing:
    return Doing(f"layout '{layout.name}': {what}", layout.folders[0] / "layout.yaml", hint=hint)


# --- one render, in this process ---------------------------------------------------------------


def render(
    guide: Guide,
    layout_name: str | None = None,
    paper: str | None = None,
    pdf_variant: str | None = None,
    relayout: Relayout | None = None,
    doing: Callable[[Doing], None] | None = None,
    impose: bool = True,
) -> Rendered:
    """Render an already loaded guide through one layout, in this process, without writing.

    `relayout`, kept between builds by a warm process, lays out only the parts that changed.
    `pdf_variant` (one of PDF_VARIANTS) overrides the layout's own. `doing` is told of each
    stage, so that a worker stopped at its deadline can say which. `impose=False` keeps a
    booklet's pages as laid out, with their bookmarks, instead of placing them on sheets:
    what the print checker reads.
    """
    started = time.perf_counter()
    doing = doing or (lambda stage: None)
    settings = settle(guide, Asked(layout_name, paper, pdf_variant))
    layout, paper = settings.layout, settings.paper
    doing(
        _stage(
            layout,
            "running its templates",
            "look for a loop in them that never ends or grows without end",
        )
    )
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
        options = PdfOptions(settings.pdf_variant, tagged=True, date=guide.info.date)
    doing(_stage(layout, "laying out the pages", _LAYOUT_HINT))
    rendered = render_pdf(
        html,
        layout.stylesheets,
        roots=[guide.folder, *layout.folders],
        page_size=page_size(paper, layout.imposition).css,
        base=layout.folders[0],
        relayout=relayout,
        options=options,
        revise=_sidebar_placer(guide, layout, paper),
    )
    pdf, sheets = rendered.pdf, None
    if layout.imposition == "saddle-stitch" and impose:
        doing(_stage(layout, "placing the pages on sheets", _LAYOUT_HINT))
        pdf, sheets = impose_saddle_stitch(pdf, paper)
    inputs = [*guide.files, *layout.files, *rendered.resources]
    # Folders too: a file added to one (a guide's own layout) can change what is read.
    inputs += [guide.folder] + [f for f in layout_folders(guide.folder) if f != BUILTIN_LAYOUTS]
    return Rendered(
        layout.name,
        pdf,
        rendered.pages,
        notes + [_placed(problem, layout) for problem in rendered.warnings],
        sheets,
        list(dict.fromkeys(inputs)),
        rendered.laid_out,
        time.perf_counter() - started,
        rendered.relaid,
    )


def _sidebar_placer(guide: Guide, layout: Layout, paper: str):
    """For a layout with a margin column: given the laid-out pages, the HTML again with the
    sidebars a page turn from their section set in the text (placement.py), or None when
    every sidebar stands beside its section."""
    if not layout.options.get("sidebars_in_margin"):
        return None
    places = SidebarPlaces.of(guide)
    in_text: frozenset[str] = frozenset()

    def revise(document) -> str | None:
        nonlocal in_text
        away = places.away([page.anchors for page in document.pages]) - in_text
        if not away:
            return None
        in_text |= away
        return render_html(guide, layout, paper, in_text)

    return revise


def render_guide(
    guide: Guide,
    layout_name: str | None = None,
    output: Path | None = None,
    paper: str | None = None,
    relayout: Relayout | None = None,
    pdf_variant: str | None = None,
) -> BuildResult:
    """`render` and write, in this process and without limits: for code that is its own
    worker (tests, the benchmark)."""
    return written(guide, render(guide, layout_name, paper, pdf_variant, relayout), output)


def _placed(problem: Problem, layout: Layout) -> Problem:
    """WeasyPrint's complaint of an image without alt text, at the template line that has it."""
    source = engine.image_without_alt(problem.message)
    if source is None:
        return problem
    for template in layout.templates():
        try:
            lines = layout.read_template(template).splitlines()
        except GuideError:
            continue  # refused when rendering already, if it was used
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


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may run on
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_layout(guide: Guide, layout_name: str | None = None) -> Layout:
    """The layout named on the command line, else guide.yaml's, loaded but not rendered
    (settings.py has the rule)."""
    return settle(guide, Asked(layout=layout_name)).layout
