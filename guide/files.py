"""Open what a guide or a layout names: regular files only, and only inside their folders.

Every file a guide or a layout names (YAML, source texts, templates, stylesheets, fonts,
images) is read through `read_bytes`, so one rule holds everywhere: links are followed, and
what they lead to must still lie inside the folders allowed; only a regular file is opened
(a FIFO would block the build for ever, a device would stream without end); and no more than
a cap is read. A folder someone else gave you can hold a link to `/etc/passwd` or a named
pipe; neither gets past here.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from .errors import GuideError, Problem, display_path


class Refused(GuideError):
    """A file the rule above refuses; `reason` says why, for callers that only warn."""

    def __init__(self, path: Path, reason: str, hint: str):
        self.path, self.reason = path, reason
        super().__init__([Problem(path, None, None, reason, hint)])


NOT_REGULAR = "not a regular file"


def real_path(path: Path) -> Path:
    """`path` with every link followed, as the file system would follow them."""
    return Path(os.path.realpath(path))


def inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether `path`, after following links, lies in one of `roots` (themselves real)."""
    real = real_path(path)
    return any(real.is_relative_to(root) for root in roots)


def why_refused(path: Path, roots: Sequence[Path], limit: int) -> str | None:
    """Why `path` may not be read, or None: outside the roots after following links, not a
    regular file, or larger than `limit` bytes. Says, but opens nothing."""
    real = real_path(path)
    if not any(real.is_relative_to(root) for root in roots):
        return _outside(path, real)
    try:
        status = os.stat(real)
    except OSError:
        return "not found"
    if not stat.S_ISREG(status.st_mode):
        return NOT_REGULAR
    if status.st_size > limit:
        return _too_large(limit, "file")
    return None


def read_bytes(path: Path, roots: Sequence[Path], limit: int, what: str = "file") -> bytes:
    """The bytes of `path`, or `Refused` saying why not (see the module's rule).

    `roots` are real folders (see `real_path`); `what` names the kind of file in a refusal
    ("template", "stylesheet").
    """
    real = real_path(path)
    if not any(real.is_relative_to(root) for root in roots):
        raise Refused(path, _outside(path, real), _KEEP_INSIDE)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        # Non-blocking, so a FIFO opens at once (and is then refused) instead of waiting for a
        # writer; no-follow, so a link swapped in after realpath() is not followed either.
        descriptor = os.open(real, flags)
    except FileNotFoundError:
        raise Refused(path, "not found", "create it or correct the path") from None
    except IsADirectoryError:
        raise Refused(path, "is a folder, not a file", "name a file inside it") from None
    except OSError as error:
        raise Refused(path, f"cannot be read: {error.strerror}", _PLAIN) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise Refused(path, NOT_REGULAR, f"a {what} must be a plain file: {_PLAIN}")
        if status.st_size > limit:
            raise Refused(path, _too_large(limit, what), _SMALLER)
        chunks, size = [], 0
        # Read to the end rather than to st_size: a file that grows while read is cut at the cap.
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise Refused(path, _too_large(limit, what), _SMALLER)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def check_folder(folder: Path, roots: Sequence[Path], what: str) -> Path:
    """The real path of `folder`, or `Refused` if it leads out of `roots` through a link."""
    real = real_path(folder)
    if not any(real.is_relative_to(root) for root in roots):
        raise Refused(folder, _outside(folder, real), f"copy the {what} itself here instead")
    return real


_KEEP_INSIDE = "copy the file itself into the folder instead of linking to it"
_PLAIN = "replace it with the file itself"
_SMALLER = "make it smaller"


def _outside(path: Path, real: Path) -> str:
    if real != Path(os.path.abspath(path)):
        return f"a link to {display_path(real)}, outside the guide and its layouts"
    return "outside the guide and its layouts"


def _too_large(limit: int, what: str) -> str:
    return f"larger than {_size(limit)}, the most a {what} may be"


def _size(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit // 2**10} KiB"
