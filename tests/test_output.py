"""Writing output: atomic, and readable by whoever could read a file saved the ordinary way."""

from __future__ import annotations

import os
import stat

from guide.output import write_atomically


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_mode_open_would_give_it(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "guide.pdf", b"%PDF-")
    finally:
        os.umask(old)
    assert mode(tmp_path / "guide.pdf") == 0o644  # not mkstemp's 0600


def test_a_replaced_file_keeps_its_mode_and_no_temporary_file_is_left(tmp_path):
    target = tmp_path / "guide.pdf"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode(target) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["guide.pdf"]
