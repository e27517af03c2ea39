"""`guide watch`: rebuild the PDF whenever a file of the guide or its layout changes.

One worker process stays warm between builds (build.WarmBuilds): Python, WeasyPrint and the
fonts are loaded once, and the last layout is kept, so a rebuild lays out again only the parts
an edit changed (see relayout.py); this process writes the PDF. Each build runs under the
time and memory limits, as `guide build` does. A broken edit prints its errors and keeps the
last good PDF; the next save tries again.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from .build import BuildResult, WarmBuilds
from .errors import GuideError, Problem
from .layouts import BUILTIN_LAYOUTS
from .settings import Asked
from .told import untold

# Editors save in bursts (a temporary file, a rename, a backup): wait for the burst to end.
DEBOUNCE_MS = 150
WAKE_MS = 200  # how often the watcher looks up when nothing changes
STOPPED = "stopped watching"


def watch(
    folder: Path,
    asked: Asked,
    output: Path | None,
    report: Callable[[list[Problem]], None],
    announce: Callable[[BuildResult, float], None],
    stop_event=None,
) -> None:
    """Build, then rebuild after each change, until interrupted (or `stop_event` is set)."""
    import weasyprint  # noqa: F401 - imported once, here: each new worker starts warm
    from watchfiles import watch as changes  # only this command needs it

    folder = folder.resolve()
    written: set[Path] = set()
    builds = WarmBuilds()

    def build_once() -> None:
        started = time.perf_counter()
        try:
            result = builds.build(folder, asked, output)
        except GuideError as error:
            # A repair or conversion of a file is told once per version of it (told.py).
            where = output.parent if output else Path("output")
            report(untold(error.warnings, where, folder.name) + error.problems)
            print("not rebuilt: the last good PDF is kept; save a fix to try again", flush=True)
            return
        written.add(result.path.resolve())
        report(untold(result.warnings, result.path.parent, result.guide.name, result.guide.files))
        announce(result, time.perf_counter() - started)

    def ours(change, path: str) -> bool:
        # The PDF we write (whatever its name), its temporary file and its rule are no edit.
        candidate = Path(path)
        return not (
            candidate.name.startswith(".")
            or candidate.suffix in (".pdf", ".tmp", ".d")
            or candidate in written
        )

    roots = [folder, BUILTIN_LAYOUTS]  # the guide's own layouts are inside its folder
    ready = False
    building = [False]
    with (
        _leave_at_once_when_idle(lambda: building[0], enabled=stop_event is None),
        _closing(builds),
    ):
        # The first (empty) batch comes once the watcher runs: build then, so that an edit
        # made during the first build is seen too.
        for batch in changes(
            *roots,
            watch_filter=ours,
            debounce=DEBOUNCE_MS,
            stop_event=stop_event,
            raise_interrupt=True,
            yield_on_timeout=True,
            rust_timeout=WAKE_MS,
        ):
            if ready and not batch:
                continue
            building[0] = True
            build_once()
            building[0] = False
            if not ready:
                ready = True
                print(f"watching {folder} and its layouts; Ctrl-C to stop", flush=True)


@contextmanager
def _closing(builds: WarmBuilds):
    try:
        yield
    finally:
        builds.close()


@contextmanager
def _leave_at_once_when_idle(building: Callable[[], bool], enabled: bool):
    """Ctrl-C: mid-build, unwind (so a half-written PDF's temporary file goes); idle, say so
    and leave at once. The watcher's own shutdown is skipped: once, on a loaded machine, it
    kept an interrupted watch alive for more than 30 s."""

    def interrupted(signum, frame) -> None:
        if building():
            raise KeyboardInterrupt
        print(STOPPED, file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(0)

    if not enabled or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
