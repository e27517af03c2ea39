"""Writing output: atomic, and readable by whoever could read a file saved the ordinary way."""

from __future__ import annotations

import os
import stat
import subprocess

from conftest import ROOT

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


def test_make_clean_removes_all_that_builds_write_and_nothing_else(tmp_path):
    # What `make`, `guide build --html`, `guide build --layout all` and `make proof` write.
    built = [
        "output/moon-race-student.pdf",
        "output/moon-race-student.pdf.d",
        "output/moon-race-student.html",
        "output/.moon-race-render-seconds.json",
        "output/.moon-race-told.json",  # the repairs already told (told.py)
        "output/proof/moon-race-student-1.png",
        "print/moon-race-teacher.pdf",
        "print/moon-race-teacher.pdf.d",
        "print/proof/moon-race-teacher-1.png",
    ]
    kept = ["output/.gitkeep", "output/notes.txt", "print/letter.odt", "sources/guide.yaml"]
    for name in built + kept:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")

    def clean_and_list(*args: str) -> list[str]:
        # Run where the files are: make's output/ is the one in the folder it runs in.
        make = ["make", "-s", "-f", str(ROOT / "Makefile"), "clean", *args]
        subprocess.run(make, cwd=tmp_path, check=True)
        return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())

    assert clean_and_list() == sorted(kept + [n for n in built if n.startswith("print/")])
    assert clean_and_list("OUT=print") == sorted(kept)
