"""What a new user runs into first (issue 18, item 8): every file's errors at once, a known
repair told once, a file in another encoding read, mojibake repaired by ftfy, text pasted from
a PDF named, did-you-mean and any case where that is harmless, commands that can be pasted."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FLAGSHIP, MINI, ROOT

from guide.build import load_guide
from guide.cli import _layout_name, _parser, main
from guide.errors import GuideError, Problem
from guide.loading import read_source_text
from guide.told import untold


def lines_of(text: str, *folders: Path) -> list[str]:
    for folder in folders:
        text = text.replace(str(folder.resolve()) + "/", "").replace(str(folder) + "/", "")
    return text.splitlines()


def errors_of(folder: Path) -> list[str]:
    with pytest.raises(GuideError) as caught:
        load_guide(folder)
    error = caught.value
    return lines_of("\n".join(str(p) for p in error.warnings + error.problems), folder)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- 1. every file's errors together, whatever file fails ------------------------------------


def test_an_invalid_guide_yaml_does_not_hide_the_other_files_errors(mini_copy):
    edit(mini_copy / "guide.yaml", "date: 2026-01-15", "date: 15 January 2026")
    edit(mini_copy / "people.yaml", "    role: Theologian", "    role: yes")
    edit(mini_copy / "sections/press.yaml", "    key_points:\n", "    key_point:\n")
    edit(mini_copy / "texts/press.txt", "movable metal type", "movable metal type " + "x" * 80)
    errors = errors_of(mini_copy)
    assert [e.split(":")[0] for e in errors] == [
        "guide.yaml",
        "texts/press.txt",
        "sections/press.yaml",
        "people.yaml",
    ], errors


def test_guide_yaml_that_is_not_yaml_still_has_the_files_it_names_checked(mini_copy):
    # Its own names (not the defaults) are read from its lines: the YAML cannot be parsed.
    (mini_copy / "items").mkdir()
    (mini_copy / "events.yaml").rename(mini_copy / "items/dated.yaml")
    edit(mini_copy / "guide.yaml", "sources:", "events: items/dated.yaml\nsources:")
    edit(mini_copy / "guide.yaml", "title: Ink and Iron", "title: Ink and Iron\n\tsubtitle: x")
    edit(mini_copy / "items/dated.yaml", "date: 1517", "date: 1517-13")
    edit(mini_copy / "sections/press.yaml", "paragraphs: 1-2", "paragraphs: 2-1")
    errors = errors_of(mini_copy)
    assert errors[0].startswith("guide.yaml:2:1: not valid YAML: a tab character")
    assert errors[1:] == [
        "sections/press.yaml:4:17: 'paragraphs': '2-1' ends before it starts — write 1-2",
        "items/dated.yaml:3:11: 'date': '1517-13': there is no month 13",
    ]


def test_guide_yaml_without_a_mapping_still_has_the_default_files_checked(mini_copy):
    (mini_copy / "guide.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    edit(mini_copy / "questions.yaml", "level: evaluation", "level: evalution")
    errors = errors_of(mini_copy)
    assert len(errors) == 2 and errors[0].startswith("guide.yaml:1:1: expected a mapping")
    assert errors[1].startswith("questions.yaml:8:12: 'level' is 'evalution'")


# --- 2. a known repair is told once per version of its file ----------------------------------


@pytest.fixture
def repaired(mini_copy) -> Path:
    """The mini guide with mojibake in its text: a repair on every read."""
    edit(mini_copy / "texts/press.txt", "1454–1455", "1454â€“1455")
    return mini_copy


REPAIR = "texts/press.txt:4:41: warning: repaired mojibake 'â€“' to '–'"


def run(capsys, *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, lines_of(capsys.readouterr().err)


def test_a_build_tells_a_repair_once_and_again_when_the_text_changes(repaired, tmp_path, capsys):
    out = tmp_path / "out" / "mini.html"  # the preview: the same loading, without WeasyPrint

    def build() -> list[str]:
        code, lines = run(capsys, "build", str(repaired), "--html", "-o", str(out))
        assert code == 0
        return [line.replace(str(repaired) + "/", "") for line in lines]

    assert [line.startswith(REPAIR) for line in build()] == [True]
    assert build() == []
    # `guide check` is where one looks for them: it tells them every time.
    code, lines = run(capsys, "check", str(repaired))
    assert any(REPAIR in line for line in lines)
    assert build() == []
    edit(repaired / "texts/press.txt", "sharply.", "sharply!")
    assert [line.startswith(REPAIR) for line in build()] == [True]
    # Repaired in the file, then put back: told again, the text is another one than last told.
    edit(repaired / "texts/press.txt", "1454â€“1455", "1454–1455")
    assert build() == []
    edit(repaired / "texts/press.txt", "1454–1455", "1454â€“1455")
    assert [line.startswith(REPAIR) for line in build()] == [True]
    record = json.loads((out.parent / ".mini-told.json").read_text())
    assert list(record) == [str((repaired / "texts/press.txt").resolve())]


def test_a_failed_build_tells_a_repair_once_too(repaired, tmp_path, capsys):
    edit(repaired / "sections/press.yaml", "paragraphs: 1-2", "paragraphs: 1-9")
    out = tmp_path / "mini.html"
    code, first = run(capsys, "build", str(repaired), "--html", "-o", str(out))
    code, second = run(capsys, "build", str(repaired), "--html", "-o", str(out))
    assert code == 1
    assert sum(REPAIR in line for line in first) == 1
    assert not any(REPAIR in line for line in second) and len(second) == len(first) - 1


def test_builds_at_once_into_one_folder_tell_a_repair_once_between_them(repaired, tmp_path):
    # What `make` does: a `guide build` per layout (`make -j`: at the same time).
    command = [sys.executable, "-m", "guide", "build", str(repaired), "--layout"]
    runs = [
        subprocess.Popen(
            [*command, layout, "-o", str(tmp_path / f"mini-{layout}.pdf")],
            stderr=subprocess.PIPE,
            text=True,
        )
        for layout in ("student", "teacher")
    ]
    errors = [r.communicate(timeout=120)[1] for r in runs]
    assert [r.returncode for r in runs] == [0, 0], errors
    assert sum(e.count("repaired mojibake") for e in errors) == 1, errors


def test_a_damaged_or_unwritable_record_means_telling_again(tmp_path):
    note = Problem(tmp_path / "a.txt", 1, 1, "repaired", warning=True, once="d1")
    (tmp_path / ".g-told.json").write_text("{not json")
    assert untold([note], tmp_path, "g") == [note]
    assert untold([note], tmp_path, "g") == []
    assert untold([note], tmp_path / "no" / "such", "g", []) == [note]
    (tmp_path / "file").write_text("")
    assert untold([note], tmp_path / "file", "g") == [note]  # a file where a folder should be


def test_a_build_of_a_guide_without_repairs_writes_no_record(mini_copy, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(capsys, "build", str(mini_copy), "--html", "-o", str(out / "m.html"))[0] == 0
    assert [p.name for p in out.iterdir()] == ["m.html"]


# --- 3. another encoding read and converted; mojibake repaired by ftfy ------------------------

PRESS = (MINI / "texts/press.txt").read_text(encoding="utf-8")
NO_BOM = "not UTF-8: read as UTF-16 ({}-endian, without a byte order mark)"


@pytest.mark.parametrize(
    "encoding, read_as, where",
    [
        ("cp1252", "not UTF-8 (byte 0x96 here is '–'): read as Windows-1252", "4:41"),
        ("utf-16", "not UTF-8: read as UTF-16", "1:1"),
        ("utf-16-le", NO_BOM.format("little"), "1:1"),
        ("utf-16-be", NO_BOM.format("big"), "1:1"),
        ("utf-32", "not UTF-8: read as UTF-32", "1:1"),
    ],
)
def test_a_text_in_another_encoding_is_read_converted_and_said(mini_copy, encoding, read_as, where):
    (mini_copy / "texts/press.txt").write_bytes(PRESS.encode(encoding))
    guide = load_guide(mini_copy)
    assert guide.sources[0].paragraphs[2].startswith("The Gutenberg Bible was finished in 1454–")
    (note,) = [w for w in guide.warnings if "UTF-8" in w.message]
    assert lines_of(str(note), mini_copy) == [
        f"texts/press.txt:{where}: warning: {read_as} and converted to UTF-8 — save it as "
        "UTF-8 to silence this"
    ]


def test_a_yaml_file_in_utf16_or_latin1_is_read_too(mini_copy):
    questions = mini_copy / "questions.yaml"
    questions.write_bytes(questions.read_text(encoding="utf-8").encode("utf-16"))
    glossary = mini_copy / "glossary.yaml"
    edit(glossary, "Luther's list of arguments", "Luther's list of arguments, café,")
    glossary.write_bytes(glossary.read_text(encoding="utf-8").encode("latin-1"))
    guide = load_guide(mini_copy)
    assert "café" in guide.glossary[1].definition
    assert sorted(w.path.name for w in guide.warnings if "converted to UTF-8" in w.message) == [
        "glossary.yaml",
        "questions.yaml",
    ]


def test_the_guides_language_decides_between_encodings_that_read_alike(tmp_path):
    # Cyrillic in Windows-1251, named as such whether or not the language is given.
    text = tmp_path / "source.txt"
    text.write_bytes("Первый спутник был запущен 4 октября 1957 года.\n".encode("cp1251"))
    for language in ("ru", None):
        source = read_source_text(text, [tmp_path.resolve()], language)
        assert source.paragraphs[0].text.startswith("Первый спутник")
        assert "read as Windows-1251" in source.repairs[0].message
    # A French text: Windows-1252, not the Central European encoding that reads it alike.
    text.write_bytes("Où êtes-vous ? « Bonjour », dit-il. Ça va très bien.\n".encode("cp1252"))
    source = read_source_text(text, [tmp_path.resolve()], "fr")
    assert source.paragraphs[0].text.startswith("Où êtes-vous ?")
    assert "read as Windows-1252" in source.repairs[0].message


def test_mojibake_is_repaired_by_ftfy_each_fix_at_its_column_with_its_explanation(tmp_path):
    text = tmp_path / "source.txt"
    text.write_text(
        "  He said â€œhelloâ€\x9d to the cafÃ© owner. “Curly” quotes and – dashes stay.\n",
        encoding="utf-8",
    )
    source = read_source_text(text, [tmp_path.resolve()])
    assert source.paragraphs[0].text == (
        "He said “hello” to the café owner. “Curly” quotes and – dashes stay."
    )
    why = "(UTF-8 once read as Windows-1252) — correct it in the file to silence this"
    assert lines_of("\n".join(str(r) for r in source.repairs), tmp_path) == [
        f"source.txt:1:11: warning: repaired mojibake 'â€œ' to '“' {why}",
        f"source.txt:1:19: warning: repaired mojibake 'â€\x9d' to '”' {why}",
        f"source.txt:1:33: warning: repaired mojibake 'Ã©' to 'é' {why}",
    ]


def test_a_file_partly_utf8_partly_windows_1252_is_read_whole(tmp_path):
    # A paragraph pasted from an old document into a UTF-8 file: the file is read as
    # Windows-1252, and ftfy puts its UTF-8 back.
    text = tmp_path / "source.txt"
    text.write_bytes("Café first.\n".encode() + "Then – this.\n".encode("cp1252"))
    source = read_source_text(text, [tmp_path.resolve()])
    assert [p.text for p in source.paragraphs] == ["Café first.", "Then – this."]


# --- 4. lines broken mid-sentence, as pasted from a PDF --------------------------------------


def test_text_pasted_from_a_pdf_is_named_at_its_first_broken_line(tmp_path):
    text = tmp_path / "source.txt"
    text.write_text(
        "The Space Race\n\n"
        "In 1961 the United States and the Soviet Union were\n"
        "competing to reach the Moon first. Kennedy proposed a joint\n"
        "mission in 1963, but it never hap-\n"
        "pened.\n",
        encoding="utf-8",
    )
    source = read_source_text(text, [tmp_path.resolve()])
    assert lines_of(str(source.repairs[0]), tmp_path) == [
        "source.txt:3:52: warning: line 3 ends mid-sentence and line 4 goes on in lower case "
        "(3 lines of this text do so, as text pasted from a PDF does) — a line is one "
        "paragraph here: join the lines of each paragraph into one line (a blank line between "
        "paragraphs is allowed, not needed)"
    ]
    # The paragraphs are the lines, as the model says; the warning says how to join them.
    assert len(source.paragraphs) == 5


def test_one_paragraph_per_line_with_blank_lines_or_headings_is_not_warned_of(tmp_path):
    text = tmp_path / "source.txt"
    text.write_text(
        "Chapter 1\n\nthe first line of a paragraph that ends here.\n"
        "A title without a full stop\n\n"
        "lower case after a blank line is a paragraph of its own choosing\n"
        "“Quoted.”\nwhich follows a quotation.\n",
        encoding="utf-8",
    )
    assert read_source_text(text, [tmp_path.resolve()]).repairs == []


@pytest.mark.parametrize(
    "folder",
    [MINI, FLAGSHIP, ROOT / "guide" / "starters" / "en", ROOT / "guide" / "starters" / "de"],
    ids=["mini", "flagship", "starter-en", "starter-de"],
)
def test_the_guides_shipped_have_no_line_broken_mid_sentence(folder):
    texts = sorted((folder / "texts").glob("*.txt"))
    assert texts
    for text in texts:
        source = read_source_text(text, [folder.resolve()])
        assert not [r for r in source.repairs if "mid-sentence" in r.message]


def test_a_quotation_cut_by_a_line_break_says_where_it_is(mini_copy):
    edit(mini_copy / "texts/press.txt", 'called "the first media', 'called "the first\nmedia')
    errors = errors_of(mini_copy)
    assert errors[0].startswith("texts/press.txt:6:")
    assert errors[-1].endswith(
        "it is in ¶ 4–5 (lines 6–7): correct the section's paragraphs, or join those lines if "
        "they are one paragraph"
    )


# --- 5. did-you-mean, and any case where that is harmless -------------------------------------


def test_a_misspelt_guide_folder_names_the_one_beside_it(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    for typed in ("sources/moon-rce", "sources/Moon-Race"):
        assert main(["check", typed]) == 1
        assert capsys.readouterr().err.strip() == (
            f"{typed}: no such folder — did you mean sources/moon-race?"
        )
    assert main(["check", "sources"]) == 1
    assert capsys.readouterr().err.strip() == (
        "sources/guide.yaml: no guide.yaml here — did you mean sources/moon-race?"
    )


def test_a_folder_without_a_guide_nearby_says_what_a_guide_folder_is(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err.strip() == (
        f"{tmp_path / 'nowhere'}: no such folder — name a guide folder (one that holds guide.yaml)"
    )


@pytest.mark.parametrize("command", ["build", "watch", "check"])
def test_paper_sizes_and_pdf_variants_are_taken_in_any_case(command):
    args = _parser().parse_args([command, "--paper", "a4"])
    assert args.paper == "A4"
    assert _parser().parse_args([command, "--paper", "LETTER"]).paper == "Letter"
    if command != "check":
        variant = _parser().parse_args([command, "--pdf-variant", "PDF/A-3B"]).pdf_variant
        assert variant == "pdf/a-3b"


def test_guide_yaml_takes_a_paper_size_in_any_case(mini_copy):
    edit(mini_copy / "guide.yaml", "language: en\n", "language: en\npaper: letter\n")
    assert load_guide(mini_copy).info.paper == "Letter"


def test_a_layout_named_in_another_case_is_that_layout():
    assert _layout_name("Teacher", None) == "teacher"
    assert _layout_name("LARGE-PRINT", MINI) == "large-print"
    assert _layout_name("ALL", None) == "all"
    assert _layout_name("poster", None) == "poster"  # unknown: the build says so


def test_an_unknown_option_or_command_gets_a_did_you_mean(capsys):
    assert main(["build", "--layuot", "teacher"]) == 2
    assert capsys.readouterr().err == (
        "guide build: unknown option '--layuot' — did you mean '--layout'?\n"
    )
    assert main(["check", "--debgu"]) == 2
    assert capsys.readouterr().err == (
        "guide check: unknown option '--debgu' — did you mean '--debug', before the command?\n"
    )
    assert main(["check", "--frobnicate"]) == 2
    assert capsys.readouterr().err == (
        "guide check: unknown option '--frobnicate' — see guide check --help\n"
    )
    assert main(["biuld"]) == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith("— did you mean 'build'?")
    assert main(["build", "--paper", "Leter"]) == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith("— did you mean 'Letter'?")
    assert main(["schema", "--json", "event"]) == 2
    assert capsys.readouterr().err.strip().endswith("— did you mean 'events'?")
    assert main(["schema", "--json", "Events"]) == 0


# --- 6. commands printed so that they can be pasted -------------------------------------------


def test_guide_new_prints_its_next_commands_shell_quoted(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "My Guide", "--title", "Mine"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].strip() == "guide check 'My Guide'    and    guide build 'My Guide'"
    check = out[-1].strip().split("    and    ")[0]
    assert shlex.split(check) == ["guide", "check", "My Guide"]
    assert main(["new-layout", "my-school", "--in", "My Guide"]) == 0
    said = capsys.readouterr().out
    assert said.rstrip().endswith("guide build 'My Guide' --layout my-school")
    shutil.rmtree(tmp_path / "My Guide")
