"""Command line: parse arguments, run a command, turn our errors into one-line messages.

Exit codes: 0 success, 1 invalid input (a guide or layout file is wrong), 2 usage error,
3 a bug in the tool (with --debug, its traceback), 130 interrupted.
"""

from __future__ import annotations

import argparse
import difflib
import math
import re
import shlex
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from .builders import BUILDERS
from .builders import DEFAULT as DEFAULT_BUILDER
from .confine import DEFAULT_MEMORY, DEFAULT_SECONDS, Limits, WorkerBug, parse_size
from .errors import GuideError, Problem, os_problem
from .impose import PAPER_SIZES
from .render_pdf import PDF_VARIANTS, source_date_epoch_problem

if TYPE_CHECKING:
    from .settings import Asked

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
MAX_REPORTED = 50
PAPERS = PAPER_SIZES  # as guide.yaml's `paper:` takes them


class _Parser(argparse.ArgumentParser):
    """argparse, with a did-you-mean for a value that is not one of its choices."""

    def error(self, message: str):
        found = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if found:
            choices = re.findall(r"'([^']*)'", found[2]) or found[2].split(", ")
            if close := _close(found[1], choices):
                message += f" — did you mean '{close}'?"
        super().error(message)


def _close(word: str, known: list[str]) -> str | None:
    """The one of `known` that `word` most likely misspells, case aside, if any."""
    lowered = {k.lower(): k for k in known}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1)
    return lowered[close[0]] if close else None


def _any_case(choices: tuple[str, ...]):
    """An argument type that takes each of `choices` in any case (`a4` for A4); anything
    else is left for argparse to refuse, with its did-you-mean."""

    def parse(text: str) -> str:
        return next((c for c in choices if c.lower() == text.lower()), text)

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="guide", description="Publish printable study guides from YAML summaries."
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build a guide into a PDF")
    build.add_argument(
        "guide_dir",
        nargs="?",
        default=".",
        type=Path,
        metavar="GUIDE_DIR",
        help="the guide's folder, holding guide.yaml (default: .)",
    )
    build.add_argument(
        "--layout",
        metavar="NAME",
        help="the layout to use, or 'all' for every layout (default: the guide's own choice)",
    )
    build.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write the PDF (default: output/<guide>-<layout>.pdf)",
    )
    build.add_argument(
        "--paper",
        type=_any_case(PAPERS),
        choices=PAPERS,
        help="paper size; a booklet's sheet (default: the guide's, else the layout's, else A4)",
    )
    build.add_argument(
        "--deps",
        action="store_true",
        help="also write PDF.d, a Makefile rule naming every file the build read",
    )
    _limit_arguments(build)
    build.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="with --layout all, render up to N layouts at once (default: one per core)",
    )
    build.add_argument(
        "--pdf-variant",
        type=_any_case(PDF_VARIANTS),
        choices=PDF_VARIANTS,
        metavar="VARIANT",
        help="write this PDF variant instead of the layout's: pdf/a-3b for an archive, "
        f"pdf/ua-1 for screen readers ({', '.join(PDF_VARIANTS)})",
    )
    build.add_argument(
        "--to",
        type=_any_case(tuple(BUILDERS)),
        choices=tuple(BUILDERS),
        metavar="OUTPUT",
        help=f"what to write: {', '.join(BUILDERS)} (default: the layout's, else "
        f"{DEFAULT_BUILDER}); html is a "
        "self-contained preview (output/<guide>-<layout>.html) for a quick look in a browser",
    )
    build.add_argument(
        "--html", dest="to", action="store_const", const="html", help="the same as --to html"
    )
    build.add_argument("-q", "--quiet", action="store_true", help="print errors only")

    watch = commands.add_parser(
        "watch", help="rebuild the PDF whenever a file of the guide or its layout changes"
    )
    watch.add_argument("guide_dir", nargs="?", default=".", type=Path, metavar="GUIDE_DIR")
    watch.add_argument("--layout", metavar="NAME", help="the layout (default: the guide's)")
    watch.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="say why a rebuild laid out every page rather than only what changed",
    )
    watch.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write it")
    watch.add_argument("--paper", type=_any_case(PAPERS), choices=PAPERS, help="paper size")
    _limit_arguments(watch)
    watch.add_argument(
        "--pdf-variant",
        type=_any_case(PDF_VARIANTS),
        choices=PDF_VARIANTS,
        metavar="VARIANT",
        help="as build",
    )

    check = commands.add_parser("check", help="validate a guide without rendering it")
    check.add_argument("guide_dir", nargs="?", default=".", type=Path, metavar="GUIDE_DIR")
    check.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    check.add_argument(
        "--print",
        dest="print_check",
        action="store_true",
        help="also lay out the guide and check its pages as a printer would see them (blank "
        "bands, small or faint type, light rules, broken names, short pages); nothing is "
        "written",
    )
    check.add_argument(
        "--layout",
        metavar="NAME",
        help="with --print, the layout to check, or 'all' (default: the guide's own choice)",
    )
    check.add_argument(
        "--paper", type=_any_case(PAPERS), choices=PAPERS, help="with --print, paper size"
    )
    check.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="with --print, check up to N layouts at once"
    )
    _limit_arguments(check)

    proof = commands.add_parser(
        "proof",
        help="contact sheets of built PDFs: every page as a thumbnail with its number, as PNG",
    )
    proof.add_argument("pdfs", nargs="+", type=Path, metavar="PDF", help="built PDFs")
    proof.add_argument(
        "--into",
        type=Path,
        default=Path("output/proof"),
        metavar="FOLDER",
        help="where the PNGs go, one per PDF or several for a long one (default: output/proof)",
    )

    layouts = commands.add_parser("layouts", help="list the layouts a guide can use")
    layouts.add_argument("guide_dir", nargs="?", default=None, type=Path, metavar="GUIDE_DIR")

    schema = commands.add_parser(
        "schema", help="the content model's reference: JSON Schema for editors, or Markdown"
    )
    shape = schema.add_mutually_exclusive_group(required=True)
    shape.add_argument(
        "--json",
        metavar="KIND",
        help="print the JSON Schema of one kind of file: guide, sections, events, people, "
        "glossary, questions or layout",
    )
    shape.add_argument("--markdown", action="store_true", help="print docs/reference.md")
    shape.add_argument(
        "--write", type=Path, metavar="FOLDER", help="write reference.md and schema/*.json there"
    )

    new = commands.add_parser("new", help="start a guide of your own that builds at once")
    new.add_argument("guide_dir", type=Path, metavar="DIR", help="the new guide's folder")
    new.add_argument("--title", required=True, help='the guide\'s title, e.g. "The Printing Press"')
    new.add_argument("--author", default="The author", help="who writes it")
    new.add_argument(
        "--language",
        default="en",
        help="the guide's language, a tag such as de, fr or es-MX: its layouts' words and"
        " dates (a starter written in it where there is one: en, de)",
    )

    new_layout = commands.add_parser(
        "new-layout", help="create a layout that extends another, ready to customize"
    )
    new_layout.add_argument("name", metavar="NAME", help="the new layout's name, e.g. my-school")
    new_layout.add_argument(
        "--from",
        dest="parent",
        default="student",
        metavar="LAYOUT",
        help="the layout it extends (default: student)",
    )
    new_layout.add_argument(
        "--in",
        dest="guide_dir",
        default=Path("."),
        type=Path,
        metavar="GUIDE_DIR",
        help="the guide whose layouts/ folder gets it (default: .)",
    )
    parser.set_defaults(commands=commands.choices)
    return parser


def _unknown(parser: argparse.ArgumentParser, args, extras: list[str]) -> int:
    """Arguments no command takes, one line each: an option with the one it misspells."""
    command = args.commands[args.command]

    def options(of: argparse.ArgumentParser) -> dict[str, str]:
        # Compared without their dashes, which every option shares.
        return {o.lstrip("-"): o for action in of._actions for o in action.option_strings}

    def close_option(name: str, of: argparse.ArgumentParser) -> str | None:
        known = options(of)
        close = _close(name.lstrip("-"), [k for k in known if len(k) > 1])
        return known[close] if close else None

    for extra in [e for e in extras if e.startswith("-")] or extras:
        name = extra.split("=", 1)[0]
        if not extra.startswith("-"):
            line = f"unexpected argument '{extra}' — see {command.prog} --help"
        elif close := close_option(name, command):
            line = f"unknown option '{name}' — did you mean '{close}'?"
        elif close := close_option(name, parser):
            line = f"unknown option '{name}' — did you mean '{close}', before the command?"
        else:
            line = f"unknown option '{name}' — see {command.prog} --help"
        print(f"{command.prog}: {line}", file=sys.stderr)
    return EXIT_USAGE


def _limit_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--time-limit",
        type=_seconds,
        metavar="SECONDS",
        help=f"stop a build that takes longer, loading included (default: {DEFAULT_SECONDS:g})",
    )
    command.add_argument(
        "--memory-limit",
        type=_memory,
        metavar="SIZE",
        help="stop a build that needs more memory: 4G, 512M, or 0 for no cap (default: "
        f"{DEFAULT_MEMORY // 2**30}G)",
    )


MAX_SECONDS = 86400.0  # a day: a limit above it is no limit, and nothing may run unbounded
MIN_MEMORY, MAX_MEMORY = 256 * 2**20, 2**40  # below, Python itself cannot start; above, no cap


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds <= MAX_SECONDS:  # also false for nan
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a number of seconds above 0 and up to {MAX_SECONDS:g}"
        )
    return seconds


def _memory(text: str) -> int:
    if text.strip() == "0":
        return 0
    try:
        size = parse_size(text)
    except ValueError:
        size = 0
    if not MIN_MEMORY <= size <= MAX_MEMORY:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a size from 256M to 1024G, such as 4G or 512M (0: no cap)"
        )
    return size


def _limits(args) -> Limits:
    memory = DEFAULT_MEMORY if args.memory_limit is None else args.memory_limit or None
    return Limits(args.time_limit or DEFAULT_SECONDS, memory)


def _asked(args) -> Asked:
    """What the command line asks of a build, in one object (settings.py settles the rest);
    `--layout all` is asked of each layout in turn."""
    from .settings import Asked

    layout = args.layout if args.layout != "all" else None
    return Asked(
        layout,
        args.paper,
        getattr(args, "pdf_variant", None),
        getattr(args, "to", None),
        _limits(args),
    )


def _report(problems: list[Problem]) -> None:
    for problem in problems[:MAX_REPORTED]:
        print(problem, file=sys.stderr)
    if len(problems) > MAX_REPORTED:
        print(f"… and {len(problems) - MAX_REPORTED} more", file=sys.stderr)


def _told_once(args, run):
    """`run()`; if it fails, the notes on files given with its errors (a repair, a
    conversion) are told once per version of their file, as a build's are (told.py)."""
    from .told import untold

    try:
        return run()
    except GuideError as error:
        # The folder the PDF would have been written to (build.default_output's, by default).
        folder = args.output.parent if args.output else Path("output")
        error.warnings = untold(error.warnings, folder, args.guide_dir.resolve().name)
        raise


def _layout_name(name: str | None, guide_dir: Path | None) -> str | None:
    """A layout named in another case than its own (`Teacher`, `ALL`) as it is named, when
    that names one layout and no layout has the name as written."""
    if name is None or name == "all":
        return name
    if name.lower() == "all":
        return "all"
    from .layouts import available_layouts, in_its_case

    try:
        known = [found for found, _, _ in available_layouts(guide_dir)]
    except (GuideError, OSError):
        return name
    return in_its_case(name, known)


def _build(args) -> int:
    from .build import build, build_layouts, default_output, load
    from .layouts import available_layouts
    from .output import write_depfile
    from .progress import rendering
    from .told import untold

    if args.layout == "all" and args.output:
        print("guide build: -o names one file; --layout all writes one per layout", file=sys.stderr)
        return EXIT_USAGE
    if args.jobs is not None and args.jobs < 1:
        print("guide build: --jobs needs a number of 1 or more", file=sys.stderr)
        return EXIT_USAGE
    started = time.perf_counter()
    args.layout = _layout_name(args.layout, args.guide_dir)
    asked = _asked(args)
    if args.layout == "all":
        # Loaded once, in a worker of its own; each layout is then rendered in another.
        guide = _told_once(args, lambda: load(args.guide_dir, asked.limits))
        if not args.quiet:
            folder = (args.output or default_output(guide, "")).parent
            _report(untold(guide.warnings, folder, guide.name, guide.files))
        layouts = [name for name, _, _ in available_layouts(guide.folder)]
        results = build_layouts(guide, layouts, asked, args.jobs)
        reported = True
    else:
        # Loaded and rendered in one worker, under one deadline. A generator, so that the
        # build runs under the progress line below.
        layouts = [args.layout or "the guide's layout"]
        results = (
            _told_once(args, lambda: build(args.guide_dir, asked, args.output)) for _ in layouts
        )
        reported = False
    unwritten: list[Problem] = []
    with rendering(layouts, args.quiet) as done:
        for result in results:
            done(result.layout)
            if not args.quiet:
                _report(
                    result.render_warnings
                    if reported
                    else untold(
                        result.warnings, result.path.parent, result.guide.name, result.guide.files
                    )
                )
                print(_built(result, time.perf_counter() - started), flush=True)
            if args.deps:
                try:  # the others go on: a PDF without its rule is only rebuilt next time
                    write_depfile(
                        result.path.with_name(result.path.name + ".d"), result.path, result.inputs
                    )
                except GuideError as error:
                    unwritten.extend(error.problems)
    if unwritten:
        raise GuideError(unwritten)
    return EXIT_OK


def _built(result, seconds: float) -> str:
    if not result.pages:  # an output of no pages: the builder says what it is
        from .builders import builder

        return f"built {result.path} ({result.layout}, {builder(result.builder).description})" + (
            f" in {seconds:.1f} s"
        )
    sheets = f" on {result.sheets} sheets" if result.sheets else ""
    kept = ""
    if result.laid_out is not None and result.laid_out < result.pages:
        kept = f"; {result.pages - result.laid_out} unchanged pages kept"
    return (
        f"built {result.path} ({result.layout}, {result.pages} pages{sheets}{kept})"
        f" in {seconds:.1f} s"
    )


def _watch(args) -> int:
    from .watch import STOPPED, watch

    def announce(result, seconds: float) -> None:
        print(_built(result, seconds), flush=True)
        if args.verbose and result.relaid:
            print(f"  every page laid out: {result.relaid}", flush=True)

    args.layout = _layout_name(args.layout, args.guide_dir)
    if args.layout == "all":
        print("guide watch: watch one layout at a time", file=sys.stderr)
        return EXIT_USAGE
    try:
        watch(args.guide_dir, _asked(args), args.output, _report, announce)
    except KeyboardInterrupt:
        print(STOPPED, file=sys.stderr)
    return EXIT_OK


def _check(args) -> int:
    from .build import check

    if not args.print_check and (args.layout or args.paper or args.jobs is not None):
        print("guide check: --layout, --paper and -j go with --print", file=sys.stderr)
        return EXIT_USAGE
    if args.jobs is not None and args.jobs < 1:
        print("guide check: --jobs needs a number of 1 or more", file=sys.stderr)
        return EXIT_USAGE
    guide = check(args.guide_dir, _limits(args))
    if args.print_check:
        if not args.quiet:
            _report(guide.warnings)
        return _print_check(args, guide)
    if not args.quiet:
        _report(guide.warnings)
    if not args.quiet:
        sections = sum(len(s.sections) for s in guide.sources)
        print(
            f"{guide.name}: valid — {sections} sections, {len(guide.chronology)} events, "
            f"{len(guide.people)} people, {len(guide.glossary)} terms, "
            f"{len(guide.questions)} questions"
        )
    return EXIT_OK


def _print_check(args, guide) -> int:
    """Lay out each layout asked for and report its pages' typographic faults, one line each
    on standard output: exit 1 if there are any. The PDFs are read in memory, never written,
    so no PDF of the user's is replaced; a booklet is checked before imposition, so its page
    numbers are those printed on its pages."""
    from .build import check_print, default_output, resolve_layout
    from .layouts import available_layouts

    args.layout = _layout_name(args.layout, guide.folder)
    if args.layout == "all":
        layouts = [name for name, _, _ in available_layouts(guide.folder)]
    else:
        layouts = [args.layout or resolve_layout(guide).name]
    faults = 0
    for checked in check_print(guide, layouts, _asked(args), args.jobs):
        report = checked.report
        label = default_output(guide, checked.layout).name
        if not args.quiet:
            _report(checked.warnings)
        for finding in report.findings:
            print(f"{label}: {finding}")
        faults += len(report.findings)
        if not args.quiet:
            print(f"{label}: {_summary(report)}", flush=True)
    return EXIT_INVALID if faults else EXIT_OK


def _summary(report) -> str:
    measure = f", {report.measure:.0f} characters a line" if report.measure else ""
    shape = f"{report.pages} pages; body {report.body_size:g} pt{measure}"
    if not report.findings:
        return f"print check passed ({shape})"
    counts = ", ".join(f"{rule} {count}" for rule, count in sorted(report.counts.items()))
    return f"{len(report.findings)} print faults ({counts}; {shape})"


def _proof(args) -> int:
    from .proof import describe, write_proofs

    problems: list[Problem] = []
    for pdf in args.pdfs:
        try:
            written = write_proofs(pdf, args.into)
        except GuideError as error:  # the others are still drawn
            problems.extend(error.problems)
            continue
        print(f"wrote {describe(written)}", flush=True)
    if problems:
        raise GuideError(problems)
    return EXIT_OK


def _layouts(args) -> int:
    from .layouts import BUILTIN_LAYOUTS, available_layouts

    for name, description, folder in available_layouts(args.guide_dir):
        own = "" if folder.parent == BUILTIN_LAYOUTS else " (this guide's own)"
        print(f"{name:<14} {description}{own}")
    return EXIT_OK


def _schema(args) -> int:
    import json

    from . import reference

    if args.json and args.json.lower() in reference.KINDS:
        args.json = args.json.lower()
    if args.json and args.json not in reference.KINDS:
        kinds = ", ".join(reference.KINDS)
        close = _close(args.json, list(reference.KINDS))
        meant = f" — did you mean '{close}'?" if close else ""
        print(f"guide schema: --json takes one of {kinds}{meant}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(reference.json_schema(args.json), indent=2, ensure_ascii=False))
    elif args.markdown:
        print(reference.markdown(), end="")
    else:
        for path in reference.write(args.write):
            print(f"wrote {path}")
    return EXIT_OK


def _new(args) -> int:
    import datetime

    from .new_guide import new_guide

    new_guide(args.guide_dir, args.title, args.author, datetime.date.today(), args.language)
    shown = shlex.quote(str(args.guide_dir))  # the commands as they can be pasted
    print(f"created {args.guide_dir}: replace its example text and summaries with yours, then")
    print(f"  guide check {shown}    and    guide build {shown}")
    return EXIT_OK


def _new_layout(args) -> int:
    from .scaffold import new_layout

    folder = new_layout(args.name, args.parent, args.guide_dir)
    print(
        f"created {folder} (extends {args.parent}); build it with: "
        f"guide build {shlex.quote(str(args.guide_dir))} --layout {shlex.quote(args.name)}"
    )
    return EXIT_OK


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args, extras = parser.parse_known_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    if extras:
        return _unknown(parser, args, extras)
    command = {
        "build": _build,
        "check": _check,
        "watch": _watch,
        "layouts": _layouts,
        "new": _new,
        "schema": _schema,
        "new-layout": _new_layout,
        "proof": _proof,
    }[args.command]
    if (wrong := source_date_epoch_problem()) is not None:
        print(f"guide: {wrong}", file=sys.stderr)
        return EXIT_USAGE
    # `kill` (SIGTERM) stops a build as Ctrl-C does, so the same clean-up runs: the
    # temporary file is removed and the previous PDF stays as it was.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)  # the terminal closed
    try:
        return command(args)
    except GuideError as error:
        _report(([] if getattr(args, "quiet", False) else error.warnings) + error.problems)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("interrupted: no unfinished PDF was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:  # the machine's (a full disk, no permission), not the input's
        _report([os_problem(error)])
        return EXIT_INVALID
    except Exception as error:  # a bug in the tool, not in the user's input
        if args.debug:
            traceback.print_exc()
            if isinstance(error, WorkerBug):
                print(error.child_traceback, file=sys.stderr, end="")
        else:
            kind = error.kind if isinstance(error, WorkerBug) else type(error).__name__
            print(
                f"internal error: {kind}: {error} (run with --debug for "
                "details, and please report it)",
                file=sys.stderr,
            )
        return EXIT_BUG


def run() -> None:
    sys.exit(main())
