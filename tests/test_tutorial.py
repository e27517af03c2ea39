"""The README's tutorial, run as written: every command in its order, every file as shown."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from pypdf import PdfReader

STEP = re.compile(
    r"<!-- tutorial: (?P<action>run|write (?P<path>\S+)) -->\n```\w*\n(?P<body>.*?)\n```", re.S
)


def _tutorial() -> list[tuple[str, str | None, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Your own guide in ten minutes", 1)[1].split("\n## ", 1)[0]
    return [(m["action"].split()[0], m["path"], m["body"]) for m in STEP.finditer(section)]


def test_the_readme_tutorial_builds_a_guide_on_another_topic(tmp_path):
    steps = _tutorial()
    assert [action for action, _, _ in steps].count("write") >= 6
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for action, path, body in steps:
        if action == "write":
            (tmp_path / path).write_text(body + "\n", encoding="utf-8")
            continue
        for command in body.splitlines():
            done = subprocess.run(
                shlex.split(command), cwd=tmp_path, env=env, capture_output=True, text=True
            )
            assert done.returncode == 0, f"{command}: {done.stderr}"
            assert "warning" not in done.stderr, f"{command}: {done.stderr}"

    student = PdfReader(tmp_path / "output" / "printing-press-student.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in student.pages)
    for expected in (
        "The Printing Press",
        "Gutenberg’s press",  # typed with a straight apostrophe
        "Johannes Gutenberg",
        "Ninety-five Theses",
        "Why did movable type make books cheaper?",
    ):
        assert expected in text
    teacher = PdfReader(tmp_path / "output" / "printing-press-teacher.pdf")
    assert "Weigh the speed in paragraph 4" in " ".join(
        " ".join(page.extract_text().split()) for page in teacher.pages
    )
