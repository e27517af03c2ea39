"""Write output files atomically: a reader sees the old file or the new one, never half of one.

Three things can go wrong beside the write itself, and each is ruled out here:
- the target is not a file we may replace (a device such as /dev/null, a named pipe, a link,
  a folder): replacing it would destroy it, so only a regular file or a new name is written;
- two builds write the same output at once: each writes its own temporary file, holding a lock
  on it until it is renamed, and a leftover is swept only when no process holds its lock;
- the file system refuses (full, read-only, no permission): one line naming the path and what
  to do, and the last file stays as it was.
"""

from __future__ import annotations

import errno
import fcntl
import glob
import os
import secrets
import stat
import time
from pathlib import Path

from .errors import GuideError, Problem, os_problem

# A temporary file whose writer's process id is in use is swept only when older than this: the
# number may have been reused, but its writer may also have just made it, not yet locked.
_ABANDONED_AFTER_SECONDS = 3600.0


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`.

    The temporary file lives in the same folder so the rename cannot cross file systems;
    it is removed whatever stops the write (an error, Ctrl-C), leaving the old file intact.
    An OS error is raised as a GuideError naming the path and what to do.
    """
    try:
        _check_target(path)
        _make_folder(path.parent)
        _sweep_stale(path)
        _write(path, data)
    except OSError as error:
        raise written_error(error, path) from None


def _check_target(path: Path) -> None:
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    except NotADirectoryError:
        folder = next(p for p in path.parents if os.path.lexists(p))
        raise GuideError(
            [Problem(folder, None, None, _NOT_A_FOLDER, "move it away, or write elsewhere")]
        ) from None
    if stat.S_ISREG(status.st_mode):
        return
    if stat.S_ISDIR(status.st_mode):
        what, hint = "is a folder", f"name a file, such as {path / 'guide.pdf'}"
    elif stat.S_ISLNK(status.st_mode):
        what = "is a symbolic link, which is neither followed nor replaced"
        hint = "name the file it leads to, or a new name"
    else:
        what = f"is {_kind(status.st_mode)}, not a regular file, and would be destroyed"
        hint = "name a regular file or a new name"
    raise GuideError([Problem(path, None, None, f"cannot write here: it {what}", hint)])


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder should be, on the way
        file = next(p for p in [folder, *folder.parents] if os.path.lexists(p))
        raise GuideError(
            [Problem(file, None, None, _NOT_A_FOLDER, "move it away, or write elsewhere")]
        ) from None


_NOT_A_FOLDER = "cannot write inside it: it is a file, not a folder"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _write(path: Path, data: bytes) -> None:
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        if not _write_nameless(folder, path, data):
            _write_named(folder, path, data)
    finally:
        os.close(folder)


def _write_nameless(folder: int, path: Path, data: bytes) -> bool:
    """Write into a file with no name (O_TMPFILE) and give it one only to rename it: a build
    killed outright (SIGKILL, the out-of-memory killer) while writing leaves nothing behind.
    False where the file system or the platform cannot (then nothing was written)."""
    try:
        descriptor = os.open(".", os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o600, dir_fd=folder)
    except (AttributeError, OSError) as error:
        if isinstance(error, OSError) and error.errno not in _NO_NAMELESS_FILES:
            raise
        return False
    temporary = None
    try:
        _fill(descriptor, path, data)
        temporary = _temporary_name(path)
        try:
            # A link, not a rename, gives a nameless file its name; linkat cannot overwrite,
            # hence the temporary name for the instant before the rename.
            os.link(f"/proc/self/fd/{descriptor}", temporary, src_dir_fd=folder, dst_dir_fd=folder)
        except OSError as error:
            temporary = None
            if error.errno not in _NO_NAMELESS_FILES:
                raise
            return False  # no /proc to link from
        os.replace(temporary, path.name, src_dir_fd=folder, dst_dir_fd=folder)
        return True
    except BaseException:
        if temporary is not None:
            _unlink(folder, temporary)
        raise
    finally:
        os.close(descriptor)


def _write_named(folder: int, path: Path, data: bytes) -> None:
    temporary = _temporary_name(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    descriptor = os.open(temporary, flags, 0o600, dir_fd=folder)
    try:
        _fill(descriptor, path, data)
        os.replace(temporary, path.name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        _unlink(folder, temporary)
        raise
    finally:
        os.close(descriptor)


def _fill(descriptor: int, path: Path, data: bytes) -> None:
    # Locked until the rename: a concurrent build's sweep sees the file is in use.
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(descriptor, "wb", closefd=False) as file:
        file.write(data)
    os.fchmod(descriptor, _mode_for(path))
    os.fsync(descriptor)


def _temporary_name(path: Path) -> str:
    # Named for this process, so a sweep can tell whether its writer still runs.
    return f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp"


def _unlink(folder: int, name: str) -> None:
    try:
        os.unlink(name, dir_fd=folder)
    except FileNotFoundError:
        pass


# What says that nameless files, or linking them from /proc, are not to be had here.
_NO_NAMELESS_FILES = {
    errno.EOPNOTSUPP,
    errno.EISDIR,  # a kernel older than O_TMPFILE reads it as O_DIRECTORY
    errno.EINVAL,
    errno.ENOENT,  # no /proc
    errno.EXDEV,
    errno.EPERM,
}


def _sweep_stale(path: Path) -> None:
    """Remove the temporary files a build killed outright (SIGKILL, a power cut) left beside
    `path`, when provably stale: no process holds its lock, and the process named in it has
    ended (or, its number being reused since, the file is over an hour old)."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        writer = _writer(stale.name[len(path.name) + 2 :])
        try:
            descriptor = os.open(stale, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue  # gone already, or not ours to open
        try:
            status = os.fstat(descriptor)
            old = time.time() - status.st_mtime > _ABANDONED_AFTER_SECONDS
            if not stat.S_ISREG(status.st_mode) or (_running(writer) and not old):
                continue
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a build is writing it
            # Locked by us, so no writer holds it; still the same file under that name?
            if os.path.samestat(status, os.lstat(stale)):
                os.unlink(stale)
        except OSError:
            continue
        finally:
            os.close(descriptor)


def _writer(rest: str) -> int | None:
    """The process id in a temporary file's name (`<pid>.<random>.tmp`), if it has one."""
    number = rest.split(".", 1)[0]
    return int(number) if number.isdigit() else None


def _running(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's
    return True


def _mode_for(path: Path) -> int:
    """The mode a plain `open()` would give: mkstemp's 0600 would hide the PDF from the
    colleagues who share the folder. A file being replaced keeps its own mode."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def written_error(error: OSError, path: Path) -> GuideError:
    """An OS error met writing `path`, as one line: the path, what happened, what to do."""
    kept = "; the last one is kept as it was" if os.path.lexists(path) else ""
    return GuideError([os_problem(error, path, "not written", kept)])


def _make_escape(path: str) -> str:
    return path.replace("$", "$$").replace("#", "\\#").replace(" ", "\\ ").replace(":", "\\:")


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
