"""Faults injected at known moments: a build killed, raced, out of disk or wedged never loses the
last PDF, leaves half a file, a temporary file or a process behind, or hangs.

Each case runs `guide` (tests/faulty_guide.py: guide with a hook at each moment) in a session of
its own, acts when the build says it has reached the moment, and then checks: the exit code,
each PDF either byte for byte the one before or a new, complete one (`qpdf --check`, the new
title inside), no temporary file, and no process left in the build's process group.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BUILTIN_LAYOUT_NAMES, MINI, ROOT
from pypdf import PdfReader

from guide import output
from guide.errors import GuideError

RUNNER = ROOT / "tests" / "faulty_guide.py"
LAYOUTS = BUILTIN_LAYOUT_NAMES
NEW_TITLE = "The Printing Press, second edition"
# A definition every layout prints, the flashcards too (which print no source's title).
NEW_DEFINITION = "Single metal letters, second edition"
INTERRUPTED = "interrupted: no unfinished PDF was written"


@pytest.fixture(scope="module")
def previous(builds) -> dict[str, bytes]:
    """The last good PDF of each layout of the small guide (the session's, built once)."""
    return {layout: builds(MINI, layout).path.read_bytes() for layout in LAYOUTS}


@pytest.fixture
def site(tmp_path, previous) -> Path:
    """A copy of the small guide with a new title, and the last PDFs in its output folder."""
    guide = tmp_path / "mini"
    shutil.copytree(MINI, guide)
    config = guide / "guide.yaml"
    config.write_text(config.read_text().replace("The Printing Press", NEW_TITLE, 1))
    glossary = guide / "glossary.yaml"
    glossary.write_text(glossary.read_text().replace("Single metal letters", NEW_DEFINITION, 1))
    out = tmp_path / "output"
    out.mkdir()
    for layout, pdf in previous.items():
        (out / f"mini-{layout}.pdf").write_bytes(pdf)
    return tmp_path


@dataclass
class Run:
    code: int
    err: str
    group: int


class Faulty:
    """`guide` with a fault, started in a session of its own (so its processes are found by
    process group), told to stop at a moment and resumed or signalled there."""

    def __init__(self, cwd: Path, arguments: list[str], command: list[str] | None = None, **fault):
        self.notify_read, notify_write = os.pipe()
        resume_read, self.resume_write = os.pipe()
        spec = {**fault, "notify": notify_write, "resume": resume_read}
        environment = {**os.environ, "GUIDE_FAULT": ";".join(f"{k}={v}" for k, v in spec.items())}
        self.process = subprocess.Popen(
            command or [sys.executable, str(RUNNER), *arguments],
            cwd=cwd,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            pass_fds=(notify_write, resume_read),
        )
        os.close(notify_write)
        os.close(resume_read)

    def reached(self, timeout: float = 120) -> str:
        """Wait until the build says it has reached its moment; the moment's name."""
        import select

        ready, _, _ = select.select([self.notify_read], [], [], timeout)
        assert ready, "the build never reached its moment"
        said = os.read(self.notify_read, 100).decode().split()
        assert said, f"the build ended before its moment: {self.finish().err}"
        return said[0]

    def resume(self) -> None:
        os.write(self.resume_write, b"go")

    def signal(self, number: int, group: bool = False) -> None:
        if group:  # as a terminal's Ctrl-C does: to every process in the foreground group
            os.killpg(self.process.pid, number)
        else:  # as `kill PID` does
            self.process.send_signal(number)

    def finish(self, timeout: float = 60) -> Run:
        try:
            _, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            stuck = left_in_group(self.process.pid, wait=0)
            os.killpg(self.process.pid, signal.SIGKILL)
            raise AssertionError(f"the build hung: {stuck}") from None
        finally:
            for descriptor in (self.notify_read, self.resume_write):
                with contextlib.suppress(OSError):
                    os.close(descriptor)
        return Run(self.process.returncode, err, self.process.pid)


def left_in_group(group: int, wait: float = 10.0) -> list[str]:
    """The processes of a process group still alive after up to `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        left = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            state, _, pgrp = text.rsplit(")", 1)[1].split()[:3]
            if int(pgrp) == group and state != "Z":
                left.append(text.split(")")[0] + ")")
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def is_new_and_whole(path: Path) -> bool:
    checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)
    return NEW_TITLE in text or NEW_DEFINITION in text


def assert_each_pdf_old_or_new(site: Path, previous: dict[str, bytes], layouts: list[str]):
    """Each PDF byte for byte as before, or new and complete; return the layouts now new."""
    new = []
    for layout in layouts:
        path = site / "output" / f"mini-{layout}.pdf"
        assert path.is_file(), f"{path.name} was lost"
        if path.read_bytes() != previous[layout]:
            assert is_new_and_whole(path), f"{path.name} is neither the last PDF nor the new one"
            new.append(layout)
    return new


def assert_ended(run: Run, how: int) -> None:
    """The documented ending of a build stopped by signal `how`."""
    assert left_in_group(run.group) == [], "a process of the build outlived it"
    assert "Traceback" not in run.err, run.err
    if how == signal.SIGKILL:
        assert run.code == -signal.SIGKILL
    else:
        assert run.code == 130, run.err
        assert run.err.strip().splitlines()[-1] == INTERRUPTED


MOMENTS = ["load", "render", "write", "renamed"]
# SIGINT to the whole group, as Ctrl-C at a terminal; the others to the build's own process.
STOPS = [
    pytest.param(signal.SIGINT, True, id="ctrl-c"),
    pytest.param(signal.SIGTERM, False, id="sigterm"),
    pytest.param(signal.SIGKILL, False, id="sigkill"),
]


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize(("how", "group"), STOPS)
def test_a_build_stopped_at_any_moment_keeps_the_last_pdf_or_writes_the_whole_new_one(
    site, previous, moment, how, group
):
    faulty = Faulty(site, ["build", "mini", "--layout", "student"], at=moment)
    assert faulty.reached() == moment
    faulty.signal(how, group)
    run = faulty.finish()
    assert_ended(run, how)
    new = assert_each_pdf_old_or_new(site, previous, ["student"])
    # Before the rename the last PDF stays; from the rename on the new one is whole.
    assert new == (["student"] if moment == "renamed" else [])
    assert temporary_files(site / "output") == []


def test_a_closed_terminal_stops_a_build_as_ctrl_c_does(site, previous):
    faulty = Faulty(site, ["build", "mini", "--layout", "student"], at="render")
    faulty.reached()
    faulty.signal(signal.SIGHUP)  # to the build alone: its worker ignores it, then dies with it
    run = faulty.finish()
    assert_ended(run, signal.SIGHUP)
    assert assert_each_pdf_old_or_new(site, previous, ["student"]) == []


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize(("how", "group"), STOPS)
def test_every_layout_stopped_at_any_moment_stops_cleanly(site, previous, moment, how, group):
    faulty = Faulty(site, ["build", "mini", "--layout", "all", "-j", "2"], at=moment)
    assert faulty.reached() == moment
    faulty.signal(how, group)
    run = faulty.finish()
    assert_ended(run, how)
    # No worker finishes after the build is stopped and puts its PDF in place.
    time.sleep(0.5)
    new = assert_each_pdf_old_or_new(site, previous, LAYOUTS)
    assert len(new) == (1 if moment == "renamed" else 0)
    assert temporary_files(site / "output") == []


@pytest.mark.parametrize("death", ["SIGKILL", "SIGSEGV", "SIGTERM"])
def test_a_worker_that_dies_fails_its_layout_and_the_others_are_built(site, previous, death):
    faulty = Faulty(site, ["build", "mini", "--layout", "all", "-j", "2"], die=f"teacher:{death}")
    run = faulty.finish()
    assert run.code == 1, run.err
    assert f"guide: layout 'teacher' stopped: killed by {death} — " in run.err
    assert "Traceback" not in run.err
    assert left_in_group(run.group) == []
    new = assert_each_pdf_old_or_new(site, previous, LAYOUTS)
    assert sorted(new) == [layout for layout in LAYOUTS if layout != "teacher"]
    assert not list(site.rglob("core*"))  # a crashing worker dumps no core into the folder


def test_two_builds_of_one_output_do_not_remove_each_others_files(site, previous):
    # The first stops half-way through writing a named temporary file; the second builds the
    # same output meanwhile (and sweeps for leftovers) and finishes; then the first finishes.
    arguments = ["build", "mini", "--layout", "student"]
    first = Faulty(site, arguments, at="write", named=1)
    first.reached()
    assert len(temporary_files(site / "output")) == 1
    second = Faulty(site, arguments, named=1)
    assert second.finish().code == 0
    first.resume()
    run = first.finish()
    assert run.code == 0, run.err
    assert assert_each_pdf_old_or_new(site, previous, ["student"]) == ["student"]
    assert temporary_files(site / "output") == []


def test_temporary_files_are_swept_only_when_provably_stale(tmp_path):
    target = tmp_path / "x.pdf"
    gone = _ended_process()
    stale = tmp_path / f".x.pdf.{gone}.0a1b.tmp"  # its writer has ended
    stale.write_bytes(b"half")
    young = tmp_path / f".x.pdf.{os.getpid()}.2c3d.tmp"  # its writer runs: not yet locked?
    young.write_bytes(b"half")
    held = tmp_path / f".x.pdf.{gone}.4e5f.tmp"  # its writer's number is free, yet it is locked
    held.write_bytes(b"half")
    import fcntl

    with open(held, "rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        output.write_atomically(target, b"whole")
    assert target.read_bytes() == b"whole"
    assert temporary_files(tmp_path) == sorted([young.name, held.name])
    # An hour on, a running process's number is taken to be reused: swept unless locked.
    hour_ago = time.time() - 3700
    os.utime(young, (hour_ago, hour_ago))
    output.write_atomically(target, b"whole again")
    assert temporary_files(tmp_path) == []


def _ended_process() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# --- where the output cannot go ----------------------------------------------------------------


def _write_error(target: Path) -> str:
    with pytest.raises(GuideError) as raised:
        output.write_atomically(target, b"%PDF-")
    return str(raised.value)


def test_output_onto_a_special_file_or_a_link_is_refused_and_the_file_left_alone(tmp_path):
    pipe = tmp_path / "pipe.pdf"
    os.mkfifo(pipe)
    link = tmp_path / "link.pdf"
    (tmp_path / "real.pdf").write_bytes(b"real")
    link.symlink_to("real.pdf")
    assert _write_error(pipe) == (
        f"{pipe}: cannot write here: it is a named pipe, not a regular file, and would be "
        "destroyed — name a regular file or a new name"
    )
    assert _write_error(link) == (
        f"{link}: cannot write here: it is a symbolic link, which is neither followed nor "
        "replaced — name the file it leads to, or a new name"
    )
    assert _write_error(tmp_path) == (
        f"{tmp_path}: cannot write here: it is a folder — name a file, such as "
        f"{tmp_path / 'guide.pdf'}"
    )
    assert pipe.is_fifo() and link.is_symlink() and (tmp_path / "real.pdf").read_bytes() == b"real"
    assert temporary_files(tmp_path) == []


def test_output_onto_a_device_leaves_the_device(tmp_path):
    device = tmp_path / "null.pdf"
    try:
        os.mknod(device, 0o666 | 0o020000, os.makedev(1, 3))  # a second /dev/null
    except PermissionError:
        pytest.skip("making a device node needs root")
    done = subprocess.run(
        [sys.executable, "-m", "guide", "build", str(MINI), "-o", str(device)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr.strip().endswith(
        f"{device}: cannot write here: it is a device, not a regular file, and would be "
        "destroyed — name a regular file or a new name"
    )
    assert device.is_char_device()


def test_output_under_a_file_is_an_input_error(tmp_path):
    (tmp_path / "file").write_text("")
    assert _write_error(tmp_path / "file" / "sub" / "x.pdf") == (
        f"{tmp_path / 'file'}: cannot write inside it: it is a file, not a folder — move it "
        "away, or write elsewhere"
    )


@contextlib.contextmanager
def _small_disk(folder: Path, size: str = "2m"):
    """`folder` on a tmpfs of `size` (root, Linux); else nothing mounted (then skip)."""
    folder.mkdir(exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    try:
        yield mounted.returncode == 0
    finally:
        if mounted.returncode == 0:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def _fill(folder: Path, leave: int) -> None:
    """Fill a file system to within `leave` bytes of full."""
    free = shutil.disk_usage(folder).free
    (folder / "filler").write_bytes(b"\0" * max(0, free - leave))


def test_a_full_disk_is_an_error_at_the_path_and_the_last_pdf_stays(site, previous):
    disk = site / "disk"
    with _small_disk(disk) as real:
        target = disk / "mini-student.pdf"
        target.write_bytes(previous["student"])
        if real:
            _fill(disk, 8192)
            run = Faulty(site, ["build", "mini", "-o", str(target)]).finish()
        else:  # a stand-in for the platform without tmpfs: every write fails as on a full disk
            run = Faulty(site, ["build", "mini", "-o", str(target)], disk="full").finish()
        assert run.code == 1, run.err
        assert run.err.strip().splitlines()[-1] == (
            "disk/mini-student.pdf: not written: the disk is full; the last one is kept as it "
            "was — free some space, or write elsewhere with -o"
        )
        assert target.read_bytes() == previous["student"]
        assert temporary_files(disk) == []


def test_a_read_only_folder_is_an_error_at_the_path(site, previous):
    disk = site / "disk"
    with _small_disk(disk) as real:
        if not real and os.geteuid() == 0:
            pytest.skip("root writes into any folder, and no tmpfs could be mounted read-only")
        target = disk / "mini-student.pdf"
        target.write_bytes(previous["student"])
        if real:
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
            what = "the file system is read-only"
            hint = "write elsewhere with -o"
        else:
            disk.chmod(0o555)
            what, hint = "permission denied", "check the permissions, or use another folder"
        run = Faulty(site, ["build", "mini", "-o", str(target)]).finish()
        assert run.code == 1, run.err
        assert run.err.strip().splitlines()[-1] == (
            f"disk/mini-student.pdf: not written: {what}; the last one is kept as it was — {hint}"
        )
        assert target.read_bytes() == previous["student"]


def test_one_layout_that_cannot_be_written_does_not_stop_the_others(site, previous):
    teacher = site / "output" / "mini-teacher.pdf"
    teacher.unlink()
    teacher.mkdir()
    run = Faulty(site, ["build", "mini", "--layout", "all", "-j", "2"]).finish()
    assert run.code == 1, run.err
    assert run.err.strip().splitlines()[-1] == (
        "output/mini-teacher.pdf: cannot write here: it is a folder — name a file, such as "
        "output/mini-teacher.pdf/guide.pdf"
    )
    new = assert_each_pdf_old_or_new(site, previous, ["booklet", "large-print", "student"])
    assert sorted(new) == ["booklet", "large-print", "student"]


# --- make ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("how", "group"), STOPS[:2])
def test_make_stopped_just_after_a_build_keeps_the_new_pdf(site, previous, how, group):
    # make runs guide through a stand-in bin folder: guide with the fault hook.
    shim = site / "bin"
    shim.mkdir()
    (shim / "guide").write_text(f'#!/bin/sh\nexec "{sys.executable}" "{RUNNER}" "$@"\n')
    (shim / "guide").chmod(0o755)
    target = site / "output" / "mini-student.pdf"
    faulty = Faulty(
        ROOT,
        [],
        command=[
            "make",
            "--no-print-directory",
            f"GUIDE={site / 'mini'}",
            f"OUT={site / 'output'}",
            f"BIN={shim}",
            str(target),
        ],
        at="renamed",
    )
    assert faulty.reached() == "renamed"
    faulty.signal(how, group)
    run = faulty.finish()
    assert left_in_group(run.group) == []
    assert run.code != 0
    assert "Deleting file" not in run.err
    assert is_new_and_whole(target)


# --- watch --------------------------------------------------------------------------------------


def test_watch_says_not_rebuilt_when_it_cannot_write_and_watches_on(mini_copy, tmp_path):
    target = tmp_path / "watched.pdf"
    process = subprocess.Popen(
        [sys.executable, "-m", "guide", "watch", str(mini_copy), "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )

    def next_line(prefix: str) -> str:
        for line in process.stdout:
            if line.startswith(prefix):
                return line
        raise AssertionError(f"watch ended before printing {prefix!r}")

    press = mini_copy / "sections" / "press.yaml"
    try:
        next_line("watching")
        target.unlink()
        target.mkdir()  # where the PDF goes, a folder: it cannot be written
        press.write_text(press.read_text().replace("a goldsmith", "a skilled goldsmith"))
        next_line("not rebuilt")
        target.rmdir()
        press.write_text(press.read_text().replace("a skilled goldsmith", "a master goldsmith"))
        next_line("built ")
        checked = subprocess.run(["qpdf", "--check", str(target)], capture_output=True)
        assert checked.returncode == 0
        assert "a master goldsmith" in " ".join(
            " ".join(page.extract_text().split()) for page in PdfReader(target).pages
        )
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert f"{target}: cannot write here: it is a folder — name a file, such as " in err
    assert err.strip().splitlines()[-1] == "stopped watching"
    assert "Traceback" not in err
