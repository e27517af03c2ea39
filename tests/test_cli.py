"""The command line: exit codes, one-line errors, and a failed build that keeps the last PDF."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import MINI


def guide(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "guide", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_bad_yaml_exits_1_with_file_and_line_and_keeps_the_previous_pdf(mini, mini_copy, tmp_path):
    previous = tmp_path / "previous.pdf"
    previous.write_bytes(mini.path.read_bytes())
    people = mini_copy / "people.yaml"
    people.write_text(people.read_text().replace("    role: Theologian", "    role: [Theologian"))

    result = guide("build", str(mini_copy), "-o", str(previous))

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{people}:1")
    assert "not valid YAML" in lines[0]
    assert "Traceback" not in result.stderr
    assert previous.read_bytes() == mini.path.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_valid_build_replaces_the_pdf_and_says_what_it_wrote(tmp_path):
    target = tmp_path / "out" / "mini.pdf"
    result = guide("build", str(MINI), "-o", str(target), "--layout", "student")
    assert result.returncode == 0, result.stderr
    assert f"built {target} (student," in result.stdout
    assert target.read_bytes().startswith(b"%PDF-")


def test_build_without_output_writes_output_guide_layout_pdf(tmp_path):
    result = guide("build", str(MINI), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / "mini-student.pdf").is_file()


def test_check_validates_without_rendering():
    result = guide("check", str(MINI))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "mini: valid — 2 sections, 4 events, 2 people, 2 terms, 2 questions"
    )


def test_usage_errors_exit_2():
    assert guide("build", "--layout").returncode == 2
    assert guide("publish").returncode == 2
    assert guide().returncode == 2


def test_unknown_layout_is_invalid_input_naming_the_known_ones(tmp_path):
    result = guide("build", str(MINI), "--layout", "poster", "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 1
    assert "unknown layout 'poster'" in result.stderr and "student" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_layouts_lists_each_layout_with_its_description():
    result = guide("layouts")
    assert result.returncode == 0
    assert any(
        line.startswith("student ") and "default" in line for line in result.stdout.splitlines()
    )


def test_missing_guide_folder_is_a_one_line_error(tmp_path):
    result = guide("check", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert result.stderr.strip().endswith(
        "no guide.yaml here — name a guide folder (one that holds guide.yaml)"
    )
