"""Write output files atomically: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import glob
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`.

    The temporary file lives in the same folder so the rename cannot cross file systems;
    it is removed whatever stops the write (an error, Ctrl-C), leaving the old file intact.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # A build killed outright (SIGKILL, a power cut) cannot clean up: its leftovers go now.
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fchmod(file.fileno(), _mode_for(path))
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The mode a plain `open()` would give: mkstemp's 0600 would hide the PDF from the
    colleagues who share the folder. A file being replaced keeps its own mode."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _make_escape(path: str) -> str:
    return path.replace("$", "$$").replace("#", "\\#").replace(" ", "\\ ")


def write_depfile(path: Path, target: Path, inputs: list[Path]) -> None:
    """A Makefile rule naming every file a build read, as `cc -MD -MP` writes one.

    `make` includes it, so a PDF is rebuilt exactly when one of its inputs changed. Each input
    also gets an empty rule, so deleting an input does not stop make with "no rule".
    """
    here = Path.cwd()

    def name(p: Path) -> str:
        p = p.resolve()
        return _make_escape(str(p.relative_to(here) if p.is_relative_to(here) else p))

    names = [name(p) for p in inputs]
    lines = [f"{_make_escape(str(target))}: \\"]
    lines += [f"  {n} \\" for n in names[:-1]] + [f"  {names[-1]}", ""]
    lines += [f"{n}:" for n in names]
    write_atomically(path, ("\n".join(lines) + "\n").encode())
