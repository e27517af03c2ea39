"""The only exceptions a user sees: each names a file, a line and what to do."""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Position:
    """Where something stands in a guide's files: a file, and its line and column if known."""

    path: Path | None
    line: int | None = None
    column: int | None = None

    @property
    def where(self) -> str:
        """'path:line:column', as much of it as is known; 'guide' for no file."""
        where = display_path(self.path) if self.path else "guide"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def problem(self, message: str, hint: str | None = None, warning: bool = False) -> Problem:
        return Problem(self.path, self.line, self.column, message, hint, warning)


NOWHERE = Position(None)  # a value not read from a file: a default, or given in code


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in a guide's files, with where it is."""

    path: Path | None
    line: int | None
    column: int | None
    message: str
    hint: str | None = None
    warning: bool = False
    # A note on a file as it was read (a repair, a conversion): the digest of the file's bytes.
    # `guide check` tells it every time; a build once per version of the file (told.py).
    once: str | None = None

    @property
    def position(self) -> Position:
        return Position(self.path, self.line, self.column)

    @property
    def where(self) -> str:
        return self.position.where

    def __str__(self) -> str:
        where = self.where
        kind = "warning: " if self.warning else ""
        text = f"{where}: {kind}{self.message}"
        if self.hint:
            text += f" — {self.hint}"
        # One problem, one line, whatever a quoted value held: tools read these line by line.
        return re.sub(r"\s*\n\s*", " ", text)


class GuideError(Exception):
    """Bad input: one or more problems, all reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if not p.warning] or problems
        # Warnings given with errors (a guide's, when its layout then failed) are told first.
        self.warnings = [p for p in problems if p.warning] if self.problems != problems else []
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(
        cls,
        path: Path | None,
        message: str,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> GuideError:
        return cls([Problem(path, line, column, message, hint)])


class Problems:
    """Collects errors and warnings so a run reports all of them at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def error(self, path, message, line=None, column=None, hint=None) -> None:
        self.items.append(Problem(path, line, column, message, hint))

    def warn(self, path, message, line=None, column=None, hint=None) -> None:
        self.items.append(Problem(path, line, column, message, hint, warning=True))

    def error_at(self, origin: Position, message: str, hint: str | None = None) -> None:
        """An error at the position recorded for a validated node (see schema.Node.origin)."""
        self.items.append(origin.problem(message, hint))

    def warn_at(self, origin: Position, message: str, hint: str | None = None) -> None:
        self.items.append(origin.problem(message, hint, warning=True))

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.warning]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise GuideError(self.errors)


def shorten(value: object, limit: int) -> str:
    """A value quoted in a message: on one line, and cut with an ellipsis if long."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe_value(value: Any) -> str:
    """A value as the author wrote it, for 'should be X, not …'."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return f"the text '{shorten(value, 40)}'"
    return {list: "a list", dict: "a mapping", type(None): "nothing"}.get(type(value), "a value")


def display_path(path: Path) -> str:
    """A path as short as is still unambiguous: relative to the working folder if inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


_OS_ERRORS = {
    errno.ENOSPC: ("the disk is full", "free some space, or write elsewhere with -o"),
    errno.EDQUOT: ("the disk quota is used up", "free some space, or write elsewhere with -o"),
    errno.EROFS: ("the file system is read-only", "write elsewhere with -o"),
    errno.EACCES: ("permission denied", "check the permissions, or use another folder"),
    errno.EPERM: ("not permitted", "check the permissions, or use another folder"),
    errno.ENOTDIR: ("a folder on its path is a file", "move that file away, or use another path"),
    errno.EISDIR: ("it is a folder", "name a file inside it"),
    errno.ENOENT: ("not found", "check the path"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter name"),
    errno.EMFILE: ("too many files open", "close other programs, or raise `ulimit -n`"),
}


def os_problem(
    error: OSError, path: Path | None = None, action: str = "", more: str = ""
) -> Problem:
    """An error of the machine rather than of the input (a full disk, a read-only folder) as a
    problem at its path: what happened and what to do, on one line."""
    known = _OS_ERRORS.get(error.errno) if error.errno is not None else None
    what, hint = known or (error.strerror or str(error), "check the path")
    if path is None and error.filename is not None:
        path = Path(os.fsdecode(error.filename))
    message = f"{action}: {what}{more}" if action else f"{what}{more}"
    return Problem(path, None, None, message, hint)
