"""One build: load → validate → merge → render HTML → render PDF → write. Nothing reaches back."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .builders import DEFAULT, builder
from .builders.base import LAYOUT_HINT, Rendered
from .confine import DEFAULT_LIMITS, Child, Doing, Limits, Worker, run_all
from .errors import GuideError, Problem
from .folder import load_guide  # noqa: F401 - where the commands and tests find it
from .layouts import Layout
from .model import Guide
from .output import write_atomically
from .print_check import PrintRules, Report
from .relayout import Relayout
from .settings import NOTHING_ASKED, Asked, settle


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
    builder: str = DEFAULT  # the output's builder (builders/)

    @property
    def warnings(self) -> list[Problem]:
        return self.guide.warnings + self.render_warnings


def default_output(
    guide: Guide, layout: str, output_folder: Path = Path("output"), suffix: str = ".pdf"
) -> Path:
    return output_folder / f"{guide.name}-{layout}{suffix}"


# --- builds, each step in a worker process (confine.py) ---------------------------------------


def build(folder: Path, asked: Asked = NOTHING_ASKED, output: Path | None = None) -> BuildResult:
    """Load, render (by the builder asked for, else the layout's) and write one layout of a
    guide: load and render in one worker, under one deadline and the memory cap; the file is
    written here, once the worker is done."""
    builder(asked.to or DEFAULT).warm()  # here, so that every worker this process forks is warm

    with Worker(asked.limits) as worker:
        guide, rendered = worker.call(
            _load_and_render, folder, asked, False, doing=_loading(folder)
        )
    return written(guide, rendered, output)


def load(folder: Path, limits: Limits = DEFAULT_LIMITS) -> Guide:
    """`load_guide` in a worker, under the limits."""
    with Worker(limits) as worker:
        return worker.call(_load, folder, doing=_loading(folder))


def build_layouts(
    guide: Guide, layouts: list[str], asked: Asked = NOTHING_ASKED, jobs: int | None = None
) -> Iterator[BuildResult]:
    """Render several layouts of one loaded guide, each in a worker process of its own under
    the limits, as many at a time as there are cores: WeasyPrint lays out on one core, so two
    layouts on two cores take the time of one. Results come as they finish. Every layout is
    rendered even if another fails; their errors are raised together at the end."""
    jobs = max(1, min(jobs or usable_cores(), len(layouts)))
    record = _RenderTimes(guide)
    order = record.longest_first(layouts)
    if jobs > 1:
        builder(asked.to or DEFAULT).warm()  # once, before forking, not once per worker
    calls = [(_render, (guide, asked.of(name)), _rendering(guide, name)) for name in order]
    problems: list[Problem] = []
    for _, outcome in run_all(calls, jobs, asked.limits):
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


@dataclass
class PrintChecked:
    """One layout of a guide rendered and its pages checked for print (print_check.py)."""

    layout: str
    report: Report
    warnings: list[Problem]  # what this layout's rendering said


def check_print(
    guide: Guide,
    layouts: list[str],
    asked: Asked = NOTHING_ASKED,
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
        (_render_and_check, (guide, asked.of(name), rules), _rendering(guide, name))
        for name in layouts
    ]
    problems: list[Problem] = []
    for _, outcome in run_all(calls, jobs, asked.limits):
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

    def __init__(self) -> None:
        self.worker: Worker | None = None

    def build(self, folder: Path, asked: Asked, output: Path | None) -> BuildResult:
        if self.worker is None or not self.worker.alive:
            self.worker = Worker(asked.limits)
        try:
            guide, rendered = self.worker.call(
                _load_and_render, folder, asked, True, doing=_loading(folder)
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
    """Write a rendered layout's file (atomically: the old one stays until the new is whole)."""
    target = output or default_output(guide, rendered.layout, suffix=rendered.suffix)
    write_atomically(target, rendered.data)
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
        rendered.builder,
    )


def _loading(folder: Path, path: Path | None = None) -> Doing:
    path = path or folder.resolve() / "guide.yaml"
    return Doing("loading the guide", path, hint="look for a huge file, or a file that never ends")


def _rendering(guide: Guide, layout_name: str | None) -> Doing:
    return Doing(f"layout '{layout_name or guide.info.layout}'", hint=LAYOUT_HINT)


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
    child: Child, folder: Path, asked: Asked, warm: bool = False
) -> tuple[Guide, Rendered]:
    guide = _load(child, folder)
    relayout = child.kept.setdefault("relayout", Relayout()) if warm else None
    try:
        return guide, _render(child, guide, asked, relayout)
    except GuideError as error:
        raise GuideError(guide.warnings + error.problems) from None


def _render(child: Child, guide: Guide, asked: Asked, relayout: Relayout | None = None) -> Rendered:
    return render(guide, asked, relayout, child.doing)


def _render_and_check(
    child: Child, guide: Guide, asked: Asked, rules: PrintRules | None
) -> PrintChecked:
    from .print_check import Vocabulary, check_pdf

    rendered = render(guide, asked, doing=child.doing, impose=False)
    child.doing(Doing(f"layout '{rendered.layout}': checking its pages for print"))
    # The layout's own thresholds (layout.yaml's print_check:) over the ones given.
    own = dict(resolve_layout(guide, asked.layout).print_check)
    if own.get("measure") is not None:
        own["measure"] = tuple(own["measure"])  # [55, 75] in layout.yaml
    report = check_pdf(rendered.data, (rules or PrintRules()).relaxed(**own), Vocabulary.of(guide))
    return PrintChecked(rendered.layout, report, rendered.warnings)


# --- one render, in this process ---------------------------------------------------------------


def render(
    guide: Guide,
    asked: Asked = NOTHING_ASKED,
    relayout: Relayout | None = None,
    doing: Callable[[Doing], None] | None = None,
    impose: bool = True,
) -> Rendered:
    """Render an already loaded guide through one layout, in this process, without writing,
    by the builder asked for (builders/), else the layout's, else the PDF's.

    The settings are settled here, once (settings.py). `relayout`, kept between builds by a
    warm process, lays out only the parts that changed. `doing` is told of each stage, so
    that a worker stopped at its deadline can say which. `impose=False` keeps a booklet's
    pages as laid out, with their bookmarks, instead of placing them on sheets: what the
    print checker reads.
    """
    settings = settle(guide, asked)
    return builder(settings.to).render(
        guide, settings, doing or (lambda stage: None), relayout, impose
    )


def render_guide(
    guide: Guide,
    asked: Asked = NOTHING_ASKED,
    output: Path | None = None,
    relayout: Relayout | None = None,
) -> BuildResult:
    """`render` and write, in this process and without limits: for code that is its own
    worker (tests, the benchmark)."""
    return written(guide, render(guide, asked, relayout), output)


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
