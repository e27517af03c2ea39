"""The built-in layouts and custom ones, read back from the PDFs they produce."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from conftest import FLAGSHIP, MINI, _spaced
from pypdf import PdfReader

from guide.build import _RenderTimes, load_guide
from guide.cli import main
from guide.impose import booklet_order
from guide.layouts import load_layout

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
GUIDES = {"mini": MINI, "flagship": FLAGSHIP}
ACCENT = (0.121569, 0.305882, 0.47451)  # the student layout's --accent, #1f4e79


def sizes(path: Path) -> set[tuple[float, float]]:
    with pdfplumber.open(path) as pdf:
        return {(round(float(p.width), 2), round(float(p.height), 2)) for p in pdf.pages}


def texts(path: Path) -> list[str]:
    """Page texts as the shared fixtures read them (pypdf), so the two compare."""
    return [_spaced(page.extract_text()) for page in PdfReader(path).pages]


def glyphs(path: Path) -> list[list[dict]]:
    with pdfplumber.open(path) as pdf:
        return [page.chars for page in pdf.pages]


# --- page sizes ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["student", "teacher", "large-print"])
def test_flat_layouts_print_on_a4_by_default(builds, layout):
    assert sizes(builds(MINI, layout).path) == {A4}


def test_booklet_sheets_are_landscape_a4(builds):
    assert sizes(builds(MINI, "booklet").path) == {(A4[1], A4[0])}


def test_letter_paper_from_the_command_line(builds):
    assert sizes(builds(MINI, "student", "Letter").path) == {LETTER}
    assert sizes(builds(MINI, "booklet", "Letter").path) == {(LETTER[1], LETTER[0])}


# --- teacher and student ------------------------------------------------------------------


@pytest.mark.parametrize("name", GUIDES)
def test_teacher_notes_and_answers_only_in_the_teachers_edition(builds, name):
    student, teacher = builds(GUIDES[name]), builds(GUIDES[name], "teacher")
    student_text, teacher_text = " ".join(student.pages), " ".join(teacher.pages)
    for label in ("Teacher notes.", "Suggested answer.", "Lesson overview"):
        assert label not in student_text
        assert label in teacher_text
    flat = " ".join(teacher_text.split())
    for question in teacher.guide.questions:
        assert " ".join(question.teacher_notes.split())[:40] in flat


@pytest.mark.parametrize("name", GUIDES)
def test_lesson_overview_lists_objectives_and_true_page_ranges(builds, name):
    teacher = builds(GUIDES[name], "teacher")
    overview = " ".join(teacher.pages[1].split())
    assert "Lesson overview" in overview
    for objective in teacher.guide.info.objectives:
        assert " ".join(objective.split())[:50] in overview
    # Each part's row ends with its first and last page; the parts follow one another.
    parts = [s.short_title for s in teacher.guide.sources]
    parts += ["Chronology", "Glossary", "Discussion questions"]
    ranges = []
    for part in parts:
        # "Chronology 23 events 13 16": the part, what it holds, its first and last page.
        match = re.search(re.escape(part) + r" \d+ [^\d]+ (\d+) (\d+)\b", overview)
        assert match, f"{part} has no page range in the overview"
        ranges.append((int(match[1]), int(match[2])))
    # A part runs on after the one before: it may start on the page that one ends on.
    for (first, last), (next_first, _) in zip(ranges, ranges[1:], strict=False):
        assert first <= last <= next_first
    # The questions end the book, or "Beyond the sources" does, when the guide marks any.
    marked = "Beyond the sources" in overview
    assert ranges[-1][1] == len(teacher.pages) or (marked and ranges[-1][1] < len(teacher.pages))
    assert teacher.page_of("Chronology", ranges[-3][0] - 1) == ranges[-3][0]


# --- large print --------------------------------------------------------------------------


@pytest.mark.parametrize("name", GUIDES)
def test_large_print_has_no_glyph_under_18_points(builds, name):
    pages = glyphs(builds(GUIDES[name], "large-print").path)
    small = [
        (number, c["text"], round(c["size"], 1))
        for number, chars in enumerate(pages, start=1)
        for c in chars
        if c["size"] < 17.95 and c["text"].strip()
    ]
    assert not small, f"glyphs under 18 pt (page, glyph, size): {small[:10]}"


def test_large_print_is_sans_serif_black_on_white_in_one_column(builds):
    built = builds(MINI, "large-print")
    with pdfplumber.open(built.path) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                assert "Sans" in char["fontname"], char
                assert tuple(char["non_stroking_color"] or (0,)) in {(0,), (0, 0, 0)}, char
            # No tint behind text: every filled shape is a black rule, never a coloured box.
            for rect in page.rects:
                if rect["fill"]:
                    assert tuple(rect["non_stroking_color"]) in {(0,), (0, 0, 0)}, rect


def _glyphs_across_the_middle(built) -> int:
    """How many glyphs of the glossary's first page sit where two columns have their gap:
    the middle of the glossary's own lines, below its title (another part may share the
    page, above or below it)."""
    number = built.anchor_page("glossary")
    with pdfplumber.open(built.path) as pdf:
        page = pdf.pages[number - 1]
        title = max(
            (w for w in page.extract_words(extra_attrs=["size"]) if w["text"] == "Glossary"),
            key=lambda w: w["size"],
        )
        after = [
            w["top"]
            for w in page.extract_words(extra_attrs=["size"])
            if w["text"] == "Discussion" and w["size"] >= title["size"] and w["top"] > title["top"]
        ]
        bottom = min(after, default=A4[1] - 100)  # not the page number
        chars = [c for c in page.chars if title["bottom"] + 5 < c["top"] < bottom]
    left, right = min(c["x0"] for c in chars), max(c["x1"] for c in chars)
    middle = (left + right) / 2
    return sum(1 for c in chars if middle - 8 < (c["x0"] + c["x1"]) / 2 < middle + 8)


def test_large_print_glossary_is_one_column(builds):
    assert _glyphs_across_the_middle(builds(MINI, "student")) == 0  # two columns: a gap
    assert _glyphs_across_the_middle(builds(MINI, "large-print")) > 0  # lines cross it


def test_large_print_sidebars_are_in_the_flow_not_beside_it(builds):
    built = builds(MINI, "large-print")
    person = built.guide.people[0]
    page = built.page_of(person.bio.split()[0] + " " + person.bio.split()[1])
    chars = glyphs(built.path)[page - 1]
    name_chars = [c for c in chars if c["text"] == person.name[0]]
    assert any(c["x0"] < 100 for c in name_chars)  # starts at the left margin


# --- booklet ------------------------------------------------------------------------------


def test_booklet_order_puts_the_last_page_beside_the_first():
    assert booklet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    with pytest.raises(ValueError):
        booklet_order(6)


@pytest.mark.parametrize("name", GUIDES)
def test_booklet_sheets_hold_the_right_pairs(builds, name):
    built = builds(GUIDES[name], "booklet")
    with pdfplumber.open(built.path) as pdf:
        sides = pdf.pages
        pages = 2 * len(sides)
        assert pages % 4 == 0
        flat = [
            (
                " ".join(side.crop((0, 0, side.width / 2, side.height)).extract_text().split()),
                " ".join(
                    side.crop((side.width / 2, 0, side.width, side.height)).extract_text().split()
                ),
            )
            for side in sides
        ]
    laid_out = int(re.search(r"page \d+ of (\d+)", flat[1][0])[1])
    assert pages - 4 < laid_out <= pages
    for index, halves in enumerate(flat):
        sheet, back = divmod(index, 2)
        # 1-based: sheet k's front holds page n-2k and page 2k+1; its back 2k+2 and n-2k-1.
        expected = (
            (2 * sheet + 2, pages - 2 * sheet - 1) if back else (pages - 2 * sheet, 2 * sheet + 1)
        )
        for text, number in zip(halves, expected, strict=True):
            if number == 1:
                assert built.guide.info.title in text and not re.search(r"page \d+ of", text)
            elif number > laid_out:
                assert text == "", f"padding page {number} is not blank"
            else:
                assert f"page {number} of {laid_out}" in text


# --- custom layouts -----------------------------------------------------------------------


def _custom_layout(guide: Path, name: str, css: str = "", template: str | None = None) -> None:
    folder = guide / "layouts" / name
    folder.mkdir(parents=True)
    (folder / "layout.yaml").write_text(
        f"name: {name}\ndescription: a test layout\nextends: student\n", encoding="utf-8"
    )
    (folder / "style.css").write_text(css, encoding="utf-8")
    if template is not None:
        (folder / "templates").mkdir()
        (folder / "templates" / "guide.html").write_text(template, encoding="utf-8")


def _build(guide: Path, layout: str) -> Path:
    target = guide.parent / f"{layout}.pdf"
    assert main(["build", str(guide), "--layout", layout, "-o", str(target), "-q"]) == 0
    return target


def test_a_guides_own_layout_overriding_one_variable_changes_only_that(mini, mini_copy):
    _custom_layout(mini_copy, "red", ":root { --accent: #c00000; }\n")
    before, after = glyphs(mini.path), glyphs(_build(mini_copy, "red"))
    assert len(before) == len(after)
    recoloured = 0
    for old_page, new_page in zip(before, after, strict=True):
        assert len(old_page) == len(new_page)
        for old, new in zip(old_page, new_page, strict=True):
            place = lambda c: (c["text"], round(c["x0"], 2), round(c["top"], 2), c["size"])  # noqa: E731
            assert place(old) == place(new)
            if tuple(old["non_stroking_color"]) == ACCENT:
                assert tuple(new["non_stroking_color"]) == (0.752941, 0, 0)
                recoloured += 1
            else:
                assert old["non_stroking_color"] == new["non_stroking_color"]
    assert recoloured > 50  # headings, numbers and terms all took the new accent


def test_a_layout_overrides_one_template_block_and_keeps_the_rest(mini, mini_copy):
    _custom_layout(
        mini_copy,
        "homework",
        template='{% extends "student/guide.html" %}\n'
        "{% block questions %}{{ super() }}<p>Hand in on Friday.</p>{% endblock %}\n",
    )
    pages = texts(_build(mini_copy, "homework"))
    assert "Hand in on Friday." in pages[-1]
    assert [" ".join(p.replace("Hand in on Friday.", "").split()) for p in pages] == [
        " ".join(p.split()) for p in mini.pages
    ]


def test_a_guides_own_layout_shadows_the_builtin_of_that_name(mini_copy):
    folder = mini_copy / "layouts" / "student"
    folder.mkdir(parents=True)
    (folder / "layout.yaml").write_text(
        "name: student\ndescription: our school's handout\nextends: student\n"
        "stylesheets: [school.css]\noptions:\n  show_teacher_notes: true\n",
        encoding="utf-8",
    )
    (folder / "school.css").write_text("", encoding="utf-8")
    layout = load_layout("student", mini_copy)
    assert layout.description == "our school's handout"
    assert layout.options["show_teacher_notes"] is True
    assert layout.options["show_answer_lines"] is True  # inherited from the built-in
    assert "Teacher notes." in " ".join(texts(_build(mini_copy, "student")))


def test_new_layout_scaffold_builds_at_once_and_changes_nothing(mini, mini_copy, capsys):
    assert main(["new-layout", "my-school", "--from", "student", "--in", str(mini_copy)]) == 0
    folder = mini_copy / "layouts" / "my-school"
    assert "created" in capsys.readouterr().out
    config = (folder / "layout.yaml").read_text(encoding="utf-8")
    assert "extends: student" in config
    assert "# show_teacher_notes: false" in config
    assert "# pdf_variant: pdf/ua-1   # or pdf/a-3b for an archive" in config
    assert "/* --accent: #1f4e79; */" in (folder / "style.css").read_text(encoding="utf-8")
    template = (folder / "templates" / "guide.html").read_text(encoding="utf-8")
    assert '{% extends "student/guide.html" %}' in template
    blocks = "cover, contents, summaries, people, timeline, chronology, glossary, questions"
    assert f"Blocks to override: {blocks}" in template
    assert texts(_build(mini_copy, "my-school")) == mini.pages


def test_new_layout_from_a_layout_without_templates_of_its_own(mini_copy):
    assert main(["new-layout", "bigger", "--from", "large-print", "--in", str(mini_copy)]) == 0
    _build(mini_copy, "bigger")


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["Big"], "guide: 'Big' cannot name a layout — use lowercase letters, digits and hyphens"),
        (["all"], "guide: 'all' cannot name a layout"),
        (
            ["x", "--from", "nope"],
            "guide: unknown layout 'nope' — use one of: booklet, flashcards, large-print",
        ),
        (["student"], "already exists — choose another name or remove it"),
    ],
)
def test_new_layout_refuses_with_a_clear_message(mini_copy, capsys, arguments, message):
    (mini_copy / "layouts" / "student").mkdir(parents=True)
    assert main(["new-layout", *arguments, "--in", str(mini_copy)]) == 1
    assert message in capsys.readouterr().err
    assert not (mini_copy / "layouts" / "x").exists()


# --- building every layout ----------------------------------------------------------------


def test_build_all_writes_every_layout_with_its_dependencies(mini_copy, monkeypatch, capsys):
    _custom_layout(mini_copy, "red", ":root { --accent: #c00000; }\n")
    work = mini_copy.parent
    monkeypatch.chdir(work)
    assert main(["build", str(mini_copy), "--layout", "all", "--deps"]) == 0
    names = [
        "booklet",
        "flashcards",
        "large-print",
        "quiz",
        "quiz-key",
        "red",
        "review",
        "student",
        "teacher",
    ]
    assert sorted(p.name for p in (work / "output").glob("*.pdf")) == sorted(
        f"mini-{name}.pdf" for name in names
    )
    out = capsys.readouterr().out
    assert re.search(r"built output/mini-booklet\.pdf \(booklet, \d+ pages on \d+ sheets\)", out)
    rules = (work / "output" / "mini-teacher.pdf.d").read_text(encoding="utf-8")
    assert rules.startswith("output/mini-teacher.pdf: \\\n")
    for needed in (
        "mini/guide.yaml",
        "layouts/student/style.css",
        "layouts/teacher/teacher.css",
        "layouts/teacher/templates/overview.html",
    ):
        assert needed in rules
    booklet = (work / "output" / "mini-booklet.pdf.d").read_text(encoding="utf-8")
    assert "booklet.css" in booklet and "teacher" not in booklet
    # Each layout's render time, so that the next run starts the slowest first.
    seconds = json.loads((work / "output" / ".mini-render-seconds.json").read_text())
    assert sorted(seconds) == names and all(value > 0 for value in seconds.values())
    shutil.rmtree(work / "output")


def test_layouts_start_slowest_first_by_their_last_render_times(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    times = _RenderTimes(load_guide(MINI))
    assert times.longest_first(["a", "b", "c"]) == ["a", "b", "c"]  # none timed: as given
    times.seconds = {"a": 1.0, "b": 3.0}
    times.save()
    # "c" was never timed, so may be the slowest of all.
    assert _RenderTimes(load_guide(MINI)).longest_first(["a", "b", "c"]) == ["c", "b", "a"]
    times.path.write_text('{"a": "slow", "b": 3.0}')
    assert _RenderTimes(load_guide(MINI)).longest_first(["a", "b"]) == ["a", "b"]
    times.path.write_text("not json")
    assert _RenderTimes(load_guide(MINI)).longest_first(["b", "a"]) == ["b", "a"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_build_all_builds_every_other_layout_when_one_fails(mini_copy, monkeypatch, capsys, jobs):
    layout = mini_copy / "layouts" / "broken"
    (layout / "templates").mkdir(parents=True)
    (layout / "layout.yaml").write_text("name: broken\ndescription: b\nextends: student\n")
    (layout / "style.css").write_text("")
    (layout / "templates" / "guide.html").write_text("{{ info.titel }}\n")
    monkeypatch.chdir(mini_copy.parent)
    assert main(["build", str(mini_copy), "--layout", "all", "-j", jobs]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines()[-1] == (
        "mini/layouts/broken/templates/guide.html:1: layout 'broken': 'info' has no attribute"
        " 'titel' — did you mean 'title'?"
    )
    built = sorted(p.name for p in (mini_copy.parent / "output").glob("*.pdf"))
    assert built == sorted(
        f"mini-{name}.pdf"
        for name in (
            "booklet",
            "flashcards",
            "large-print",
            "quiz",
            "quiz-key",
            "review",
            "student",
            "teacher",
        )
    )
    assert captured.out.count("built output/") == 8


def test_build_all_with_one_output_file_is_a_usage_error(mini_copy, capsys):
    assert main(["build", str(mini_copy), "--layout", "all", "-o", "x.pdf"]) == 2
    assert "--layout all writes one per layout" in capsys.readouterr().err


def test_layouts_command_describes_each_builtin_layout(capsys):
    assert main(["layouts"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [
        "booklet",
        "flashcards",
        "large-print",
        "quiz",
        "quiz-key",
        "review",
        "student",
        "teacher",
    ]
    assert all(len(line.split(None, 1)[1]) > 30 for line in lines)


# --- layout errors outside the corpus -----------------------------------------------------


def _errors(capsys, *argv: str) -> list[str]:
    assert main(list(argv)) == 1
    return capsys.readouterr().err.splitlines()


def test_an_unknown_layout_on_the_command_line_has_no_file_but_a_suggestion(mini_copy, capsys):
    args = ["build", str(mini_copy), "-o", str(mini_copy / "x.pdf"), "--layout"]
    assert _errors(capsys, *args, "teachr") == [
        "guide: unknown layout 'teachr' — did you mean 'teacher'?"
    ]
    assert _errors(capsys, *args, "zzz") == [
        "guide: unknown layout 'zzz' — use one of: booklet, flashcards, large-print, quiz,"
        " quiz-key, review, student, teacher"
    ]


def test_a_layout_extending_itself_is_not_offered_itself(mini_copy, capsys):
    folder = mini_copy / "layouts" / "mine"
    folder.mkdir(parents=True)
    (folder / "layout.yaml").write_text(
        "name: mine\ndescription: a test layout\nextends: mine\n", encoding="utf-8"
    )
    target = str(mini_copy / "x.pdf")
    assert _errors(capsys, "build", str(mini_copy), "--layout", "mine", "-o", target) == [
        f"{folder}/layout.yaml:3:10: layout 'mine' extends itself — name the layout it builds on"
    ]


@pytest.mark.parametrize(
    "expression, message",
    [
        (
            "options.show_teacher_note",
            "'options' has no key 'show_teacher_note' — did you mean 'show_teacher_notes'?",
        ),
        ("guide.sources[0].titel", "'guide.sources[0]' has no attribute 'titel'"),
        ("guide.sources[9]", "a list has no element 9 — fix the template"),
        ("gide.name", "'gide' is undefined — did you mean 'guide'?"),
        ("info.title.upper.__self__", "'__self__' may not be used in a template"),
    ],
)
def test_a_template_error_names_what_the_template_wrote(mini_copy, capsys, expression, message):
    _custom_layout(
        mini_copy,
        "mine",
        template='{% extends "student/guide.html" %}\n'
        f"{{% block cover %}}\n{{{{ {expression} }}}}\n{{% endblock %}}\n",
    )
    target = str(mini_copy / "x.pdf")
    [line] = _errors(capsys, "build", str(mini_copy), "--layout", "mine", "-o", target)
    assert line.startswith(f"{mini_copy}/layouts/mine/templates/guide.html:3: layout 'mine': ")
    assert message in line


@pytest.mark.parametrize("layout", ["student", "teacher", "large-print"])
def test_the_running_heads_hold_the_guide_title_not_the_whole_cover(builds, layout):
    # The cover once set the guide-title string to all of its text, which large print's
    # footer then printed on the cover, and which made WeasyPrint slower on every page of a
    # long guide (see bench/results.md).
    built = builds(MINI, layout)
    assert built.pages[0].count("Students aged 12–14") == 1
    assert "Ink and Iron" in built.pages[-1]  # the guide title still heads (or foots) a page
