"""The command line: exit codes, one-line errors, and a failed build that keeps the last PDF."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from conftest import BUILTIN_LAYOUT_NAMES, MINI, ROOT
from pypdf import PdfReader

from guide.cli import main
from guide.settings import Asked


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
    target.parent.mkdir()
    # What a build killed outright (SIGKILL) left behind is cleared by the next one.
    (target.parent / ".mini.pdf.abc123.tmp").write_bytes(b"half a PDF")
    result = guide("build", str(MINI), "-o", str(target), "--layout", "student")
    assert result.returncode == 0, result.stderr
    assert f"built {target} (student," in result.stdout
    assert target.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in target.parent.iterdir()] == ["mini.pdf"]


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
    assert result.stderr.strip() == (
        f"{tmp_path / 'nowhere'}: no such folder — name a guide folder (one that holds guide.yaml)"
    )


def test_ctrl_c_while_writing_keeps_the_previous_pdf_and_no_temporary_file(
    mini_copy, tmp_path, monkeypatch, capsys
):
    target = tmp_path / "out" / "mini.pdf"
    target.parent.mkdir()
    target.write_bytes(b"the last good PDF")

    def interrupted(descriptor):
        raise KeyboardInterrupt  # Ctrl-C arrives with the new PDF half written

    monkeypatch.setattr("guide.output.os.fsync", interrupted)
    assert main(["build", str(mini_copy), "-o", str(target)]) == 130
    assert capsys.readouterr().err.strip() == "interrupted: no unfinished PDF was written"
    assert target.read_bytes() == b"the last good PDF"
    assert [p.name for p in target.parent.iterdir()] == ["mini.pdf"]


def test_debug_shows_a_traceback_for_a_bug_and_only_then(mini_copy, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("guide.builders.pdf.render_html", broken)
    assert main(["build", str(mini_copy), "-o", str(mini_copy / "x.pdf")]) == 3
    err = capsys.readouterr().err
    assert err.strip() == (
        "internal error: RuntimeError: a bug (run with --debug for details, and please report it)"
    )
    assert main(["--debug", "build", str(mini_copy), "-o", str(mini_copy / "x.pdf")]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert err.strip().endswith("RuntimeError: a bug")


def test_make_with_a_broken_guide_fails_with_the_error_and_keeps_the_last_pdf(tmp_path):
    guide_dir = tmp_path / "mini"
    shutil.copytree(MINI, guide_dir)
    out = tmp_path / "out"
    target = out / "mini-student.pdf"

    def make() -> subprocess.CompletedProcess:
        return subprocess.run(
            ["make", "-C", str(ROOT), f"GUIDE={guide_dir}", f"OUT={out}", str(target)],
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert make().returncode == 0
    built = target.read_bytes()
    people = guide_dir / "people.yaml"
    people.write_text(people.read_text().replace("    role: Theologian", "    rol: Theologian"))

    result = make()

    assert result.returncode != 0
    assert f"{people}:11:5: unknown key 'rol' — did you mean 'role'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_bytes() == built
    assert sorted(p.name for p in out.iterdir()) == ["mini-student.pdf", "mini-student.pdf.d"]


def test_watch_rebuilds_on_each_save_and_keeps_the_last_pdf_through_a_bad_one(mini_copy, tmp_path):
    target = tmp_path / "watched.pdf"
    process = subprocess.Popen(
        [sys.executable, "-m", "guide", "watch", str(mini_copy), "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def next_line(prefix: str) -> str:
        for line in process.stdout:
            if line.startswith(prefix):
                return line
        raise AssertionError(f"watch ended before printing {prefix!r}")

    try:
        next_line("watching")
        press = mini_copy / "sections" / "press.yaml"
        press.write_text(press.read_text().replace("a goldsmith", "a skilled goldsmith"))
        built = next_line("built ")
        assert built.startswith(f"built {target} (student, ")
        # Only the edited source's pages were laid out again.
        assert re.search(r"\d+ pages; \d+ unchanged pages kept\) in ", built)
        assert "a skilled goldsmith" in " ".join(
            " ".join(page.extract_text().split()) for page in PdfReader(target).pages
        )
        good = target.read_bytes()
        people = mini_copy / "people.yaml"
        people.write_text(people.read_text().replace("    role: Theologian", "    rol: Theologian"))
        next_line("not rebuilt")
        assert target.read_bytes() == good
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert f"{people}:11:5: unknown key 'rol' — did you mean 'role'?" in err
    assert err.strip().splitlines()[-1] == "stopped watching"
    assert "Traceback" not in err


def test_build_html_writes_a_self_contained_preview_without_weasyprint(tmp_path):
    target = tmp_path / "preview.html"
    script = (
        "import sys\n"
        "from guide.cli import main\n"
        f"code = main(['build', {str(MINI)!r}, '--html', '-o', {str(target)!r}])\n"
        "print(code, 'weasyprint' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "0 False"  # no WeasyPrint: a preview is instant
    assert done.stdout.startswith(f"built {target} (student, HTML preview) in ")
    html = target.read_text(encoding="utf-8")
    head, body = html.split("</head>")
    assert (
        "<style>" in head and "--accent:" in head and "@page { size: 595.276pt 841.890pt; }" in head
    )
    # Nothing to fetch: it opens anywhere.
    assert "<link" not in html and not re.search(r"(?i)(?:https?|ftp|file):", html)
    # The title's name is marked (never hyphenated): its words are the page's.
    assert "Gutenberg’s invention" in re.sub(r"<[^>]+>", "", body)
    assert 'href="#term-movable-type"' in body


def _on_a_terminal(*arguments: str) -> str:
    """What `guide` shows when its output is a terminal (a pseudo-terminal here)."""
    import os
    import pty

    pid, terminal = pty.fork()
    if pid == 0:  # the child: guide, writing to the pseudo-terminal
        os.environ["TERM"] = "xterm"
        os.execv(sys.executable, [sys.executable, "-m", "guide", *arguments])
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 65536)
        except OSError:  # the child has ended
            break
        if not chunk:
            break
        shown += chunk
    os.waitpid(pid, 0)
    return shown.decode("utf-8", "replace")


def test_building_layouts_shows_a_progress_line_each_on_a_terminal_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    command = ["build", str(MINI), "--layout", "all"]
    shown = _on_a_terminal(*command)
    for layout in BUILTIN_LAYOUT_NAMES:
        assert re.search(rf"rendering {layout}\s+\S*0:00:\d\d", shown), layout  # names padded
        assert f"built output/mini-{layout}.pdf" in shown
    assert "rendering" not in _on_a_terminal(*command, "-q")
    # In a log (not a terminal) only the built lines: no progress, no terminal codes.
    logged = subprocess.run(
        [sys.executable, "-m", "guide", *command], capture_output=True, text=True, cwd=tmp_path
    )
    assert logged.returncode == 0
    assert "rendering" not in logged.stdout + logged.stderr
    assert "\x1b" not in logged.stdout + logged.stderr
    assert len(re.findall(r"^built output/mini-", logged.stdout, re.M)) == len(BUILTIN_LAYOUT_NAMES)


def test_limits_out_of_range_are_usage_errors(capsys):
    for option, value in [
        ("--time-limit", "-1"),
        ("--time-limit", "nan"),
        ("--time-limit", "inf"),
        ("--time-limit", "1e400"),
        ("--memory-limit", "inf"),
        ("--memory-limit", "1e30"),
        ("--memory-limit", "1M"),
    ]:
        assert main(["check", str(MINI), f"{option}={value}"]) == 2, (option, value)
        assert f"argument {option}: '{value}' is not a " in capsys.readouterr().err


def test_a_bad_source_date_epoch_is_a_usage_error_and_an_empty_one_is_unset(monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert main(["check", str(MINI), "-q"]) == 2
    assert capsys.readouterr().err == (
        "guide: SOURCE_DATE_EPOCH is 'yesterday', not a whole number of seconds since 1970 — "
        "set it to one (such as the last commit's: git log -1 --format=%ct), or unset it\n"
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert main(["check", str(MINI), "-q"]) == 0


def test_an_edition_dated_before_1904_builds_with_the_fonttools_subsetter(
    mini_copy, monkeypatch, tmp_path
):
    # HarfBuzz's subsetter ignores the clock; fontTools', used where HarfBuzz is too old, stamps
    # SOURCE_DATE_EPOCH into each font, whose clock cannot go before 1904.
    import weasyprint.pdf.fonts

    from guide.build import load_guide, render_guide

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = mini_copy / "guide.yaml"
    config.write_text(re.sub(r"(?m)^date: .*$", "date: 1850-03-01", config.read_text()))
    result = render_guide(load_guide(mini_copy), Asked("student"), tmp_path / "old.pdf")
    reader = PdfReader(result.path)
    assert reader.metadata["/CreationDate"].startswith("D:18500301")
    assert reader.pages[0].extract_text()


def test_make_builds_a_guide_under_a_folder_named_with_a_colon_again_and_again(tmp_path):
    guide_dir = tmp_path / "term:1" / "mini"
    shutil.copytree(MINI, guide_dir)
    out = tmp_path / "out"
    target = out / "mini-student.pdf"

    def make(*goals: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["make", "-C", str(ROOT), f"GUIDE={guide_dir}", f"OUT={out}", *goals],
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert make(str(target)).returncode == 0
    again = make(str(target))  # reads the rule the first build wrote, colon and all
    assert again.returncode == 0, again.stderr
    assert "is up to date" in again.stdout
    (guide_dir / "people.yaml").touch()
    rebuilt = make(str(target))
    assert rebuilt.returncode == 0 and "built " in rebuilt.stdout, rebuilt.stderr
    assert make("clean").returncode == 0
    assert not target.exists()


def test_make_says_plainly_it_cannot_name_files_after_a_folder_with_a_space(tmp_path):
    done = subprocess.run(
        ["make", "-C", str(ROOT), "-n", f"GUIDE={tmp_path / 'my guide'}"],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "make cannot build a guide whose folder or output has a space in its path" in done.stderr
