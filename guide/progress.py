"""A live line per layout being rendered, with its elapsed time: on a terminal only.

In a log (CI, `make` piped to a file) or with -q nothing is drawn, and only the "built …"
lines remain. rich draws the lines and keeps other output above them; it is imported only
when there is a terminal to draw on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def rendering(layouts: list[str], quiet: bool) -> Iterator[Callable[[str], None]]:
    """Show each of `layouts` as rendering until the function yielded is called with it."""
    if quiet or not sys.stderr.isatty():
        yield lambda layout: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("rendering {task.description}"), TimeElapsedColumn())
    # transient: when all are done the lines go, and the "built …" lines printed meanwhile stay.
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        tasks = {layout: progress.add_task(layout, total=None) for layout in layouts}

        def done(layout: str) -> None:
            if layout in tasks:
                progress.remove_task(tasks.pop(layout))

        yield done
