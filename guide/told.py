"""Notes on a file as read (a repair, a conversion) told once per version of the file.

`guide check` tells every note, every time: it is where one looks for them. A build tells
a note only the first time it reads that version of its file: `make` builds each layout in
a `guide build` of its own, and the same repair told four times per `make`, and again on
every build after, is noise that hides what is new.

What was told is kept in the output folder, beside the PDFs, in `.<guide>-told.json`: for
each file of the guide that had notes, the digest of the bytes they were told for
(`Problem.once`). A file edited (or put back as it was after a fix) has another digest, or
none recorded, and its notes are told again. The record is read and written under a lock, so
builds running at once (`make -j`) tell a note once between them; a record that cannot be
read (deleted, damaged, a read-only folder) only means the notes are told again.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .errors import Problem


def untold(
    problems: list[Problem], folder: Path, guide_name: str, files_read: Iterable[Path] = ()
) -> list[Problem]:
    """`problems` of a build writing into `folder` without the notes already told for the version
    of the file they are on; the notes told now are recorded as told. A file read now
    without notes (`files_read`) is forgotten, so that its notes are told again should they
    come back."""
    record = folder / f".{guide_name}-told.json"
    notes = [p for p in problems if p.once is not None and p.path is not None]
    forget = {_key(path) for path in files_read} - {_key(p.path) for p in notes}
    if not notes and not forget:
        return problems
    told: set[int] = set()  # the notes' ids
    with _locked(record, create=bool(notes)) as known:
        if known is None:  # no record, and none needed
            return problems
        for path in forget:
            known.pop(path, None)
        now = {_key(p.path): p.once for p in notes}
        told = {id(p) for p in notes if known.get(_key(p.path)) == p.once}
        known.update(now)
    return [p for p in problems if id(p) not in told]


def _key(path: Path | None) -> str:
    return str(Path(os.path.abspath(path))) if path is not None else ""


@contextlib.contextmanager
def _locked(record: Path, create: bool):
    """The record as a dict, to update in place; written back when the block ends. None when
    there is no record and `create` is false, or it cannot be opened."""
    flags = os.O_RDWR | (os.O_CREAT if create else 0)
    try:
        if create:
            record.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(record, flags, 0o644)
    except OSError:
        yield None if not create else {}
        return
    with os.fdopen(descriptor, "r+", encoding="utf-8") as handle:
        with contextlib.suppress(ImportError, OSError):
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            known = json.loads(handle.read() or "{}")
        except ValueError:
            known = {}
        if not isinstance(known, dict):
            known = {}
        before = dict(known)
        yield known
        if known != before:
            with contextlib.suppress(OSError):
                handle.seek(0)
                handle.truncate()
                handle.write(json.dumps(known, indent=1, sort_keys=True) + "\n")
                handle.flush()
