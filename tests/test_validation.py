"""Bad input gets the exact one-line error, at the right file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from guide.build import load_guide
from guide.errors import NOWHERE, GuideError, Position
from guide.loading import load_yaml, read_source_text, read_text
from guide.schema import ItemFile
from guide.validation import validate


def errors_of(folder: Path) -> list[str]:
    with pytest.raises(GuideError) as caught:
        load_guide(folder)
    return [str(p).replace(str(folder) + "/", "") for p in caught.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_a_misspelt_key_is_one_error_with_a_suggestion(mini_copy):
    # Not also "missing required key 'summary'": that is the same slip.
    edit(
        mini_copy / "sections/press.yaml",
        "    summary: >\n      Gutenberg",
        "    sumary: >\n      Gutenberg",
    )
    assert errors_of(mini_copy) == [
        "sections/press.yaml:5:5: unknown key 'sumary' — did you mean 'summary'?",
    ]


def test_a_missing_key_is_reported_when_the_unknown_one_is_not_close(mini_copy):
    edit(
        mini_copy / "sections/press.yaml",
        "    summary: >\n      Gutenberg",
        "    gist: >\n      Gutenberg",
    )
    assert errors_of(mini_copy) == [
        "sections/press.yaml:2:5: missing required key 'summary' — add 'summary:'",
        "sections/press.yaml:5:5: unknown key 'gist' — remove it, or use one of: id, title,"
        " paragraphs, summary, key_points, events, people, terms, questions, quotations",
    ]


def test_an_unknown_reference_suggests_the_close_id(mini_copy):
    edit(
        mini_copy / "sections/press.yaml",
        "people: [luther, gutenberg]",
        "people: [luther, gutenburg]",
    )
    assert errors_of(mini_copy) == [
        "sections/press.yaml:21:22: unknown person 'gutenburg' in section 'spread' — "
        "did you mean 'gutenberg'?",
    ]


def test_a_quotation_not_in_its_source_fails_at_its_line(mini_copy):
    edit(
        mini_copy / "sections/press.yaml", '"the first media event"', '"the first mass media event"'
    )
    assert errors_of(mini_copy) == [
        'sections/press.yaml:25:9: quotation not found in press.txt ¶ 3–4: "the first mass media '
        "event\" — quote the source word for word, or correct the section's paragraphs",
    ]


def test_quotations_match_across_quote_marks_dashes_and_white_space(mini_copy):
    edit(
        mini_copy / "sections/press.yaml",
        '"the first media event"',
        "'“the  first\u00a0media event”'",
    )
    load_guide(mini_copy)


def test_yes_no_read_as_booleans_get_a_hint(mini_copy):
    edit(mini_copy / "people.yaml", "role: Theologian", "role: yes")
    assert errors_of(mini_copy) == [
        "people.yaml:11:11: 'role' should be text, not true/false — YAML reads "
        "yes/no/on/off/true/false as true or false: put the text in quotes",
    ]


def test_duplicate_keys_are_an_error_not_a_silent_overwrite(mini_copy):
    edit(
        mini_copy / "glossary.yaml",
        "    term: movable type\n",
        "    term: movable type\n    term: type\n",
    )
    assert errors_of(mini_copy) == [
        "glossary.yaml:4:5: key 'term' appears twice in the same mapping "
        "(first at line 3) — keep one of them",
    ]


def test_a_paragraph_past_the_end_of_the_text_is_refused(mini_copy):
    edit(mini_copy / "sections/press.yaml", "paragraphs: [3, 4]", "paragraphs: [3, 4, 9]")
    assert errors_of(mini_copy) == [
        "sections/press.yaml:16:17: paragraph 9 does not exist: press.txt has 4 paragraphs — "
        "¶ N is the N-th non-empty line of the text, not counting the lines not_content names",
    ]


def test_a_guide_cannot_name_a_file_outside_its_folder(mini_copy):
    edit(mini_copy / "guide.yaml", "text: texts/press.txt", "text: ../../../etc/passwd")
    assert errors_of(mini_copy) == [
        "guide.yaml:14:11: '../../../etc/passwd' is outside the guide's folder — keep every "
        "file of the guide inside its folder",
    ]


def test_several_errors_are_reported_together(mini_copy):
    edit(mini_copy / "events.yaml", "date: 1517", "date: 1517-13")
    edit(mini_copy / "questions.yaml", "level: evaluation", "level: evalution")
    assert errors_of(mini_copy) == [
        "events.yaml:3:11: 'date': '1517-13': there is no month 13",
        "questions.yaml:8:12: 'level' is 'evalution', which is not one of: recall, "
        "understanding, application, analysis, evaluation, creation — did you mean 'evaluation'?",
    ]


def test_a_file_no_encoding_reads_is_a_clear_error(mini_copy):
    # Bytes of every value, as a picture saved under the name would have: no text at all.
    (mini_copy / "events.yaml").write_bytes(b"events: []\n# " + bytes(range(256)) * 3)
    assert errors_of(mini_copy) == [
        "events.yaml:4:115: not UTF-8 (byte 0x80) — save the file as UTF-8",
    ]


def test_bom_and_crlf_are_accepted(mini_copy):
    path = mini_copy / "glossary.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert [t.term for t in load_guide(mini_copy).glossary] == [
        "movable type",
        "Ninety-five Theses",
    ]


def test_an_alias_bomb_fails_fast(mini_copy):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        lines.append(f"{chr(97 + n)}: &{chr(97 + n)} [" + ", ".join([f"*{chr(96 + n)}"] * 10) + "]")
    (mini_copy / "events.yaml").write_text("\n".join(lines) + "\n")
    (message,) = errors_of(mini_copy)
    assert "YAML expands to too many values" in message


def test_reading_a_source_repairs_mojibake_and_reports_it(tmp_path):
    text = tmp_path / "source.txt"
    text.write_text("Title\n\nBetween October 14â€“16, 1964, it happened.\n", encoding="utf-8")
    source = read_source_text(text, [text.parent.resolve()])
    assert source.paragraphs[1].text == "Between October 14–16, 1964, it happened."
    assert [str(r).replace(str(tmp_path) + "/", "") for r in source.repairs] == [
        "source.txt:3:19: warning: repaired mojibake 'â€“' to '–' (UTF-8 once read as "
        "Windows-1252) — correct it in the file to silence this",
    ]


def test_a_scraped_image_address_is_cut_from_its_paragraph(tmp_path):
    text = tmp_path / "source.txt"
    text.write_text("It was very different./https://example.org/a/b_c.jpg)\n", encoding="utf-8")
    source = read_source_text(text, [text.parent.resolve()])
    assert source.paragraphs[0].text == "It was very different."
    assert "removed a scraped image address" in str(source.repairs[0])


def test_an_item_defined_twice_alike_is_merged_with_provenance_from_both(mini_copy):
    sections = mini_copy / "sections/press.yaml"
    sections.write_text(
        sections.read_text() + "people:\n  - id: gutenberg\n    name: Johannes Gutenberg\n"
        "    role: Goldsmith and printer in Mainz\n"
        "    bio: Developed printing with movable metal type around 1440.\n"
    )
    guide = load_guide(mini_copy)
    (gutenberg,) = [p for p in guide.people if p.id == "gutenberg"]
    assert [c.section_id for c in gutenberg.cited_in] == ["invention", "spread"]
    assert [p.id for p in guide.people] == ["gutenberg", "luther"]


def test_an_item_defined_twice_differently_names_both_places(mini_copy):
    sections = mini_copy / "sections/press.yaml"
    sections.write_text(
        sections.read_text() + "events:\n  - id: bible\n    date: 1455\n    title: The Bible\n"
    )
    assert errors_of(mini_copy) == [
        "events.yaml:5:5: event 'bible' is defined twice with different content "
        "(first at sections/press.yaml:27:5) — keep one definition, or give them different ids",
    ]


def test_a_paragraph_claimed_by_two_sections_is_an_error(mini_copy):
    edit(mini_copy / "sections/press.yaml", "paragraphs: [3, 4]", "paragraphs: [2, 3, 4]")
    assert errors_of(mini_copy) == [
        "sections/press.yaml:16:17: paragraph 2 is claimed by section 'invention' and by "
        "section 'spread' — each paragraph belongs to one section",
    ]


def test_html_in_a_summary_is_printed_as_text(mini_copy):
    from guide.layouts import load_layout
    from guide.render_html import render_html

    edit(
        mini_copy / "sections/press.yaml",
        "Gutenberg, a goldsmith,",
        'Gutenberg <script>alert(1)</script><img src="file:///etc/passwd">, a goldsmith,',
    )
    html = render_html(load_guide(mini_copy), load_layout("student"), "A4")
    # Printed as the text it is, its quotes typeset like any other (typography.py).
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=”file:///etc/passwd”&gt;" in html
    assert "<script>" not in html and "<img" not in html


def test_two_sources_with_one_id_are_an_error_at_the_second(mini_copy):
    config = mini_copy / "guide.yaml"
    text = config.read_text()
    second = text[text.index("  - id: press") :]
    config.write_text(text + second.replace("sections/press.yaml", "sections/again.yaml"))
    (mini_copy / "sections/again.yaml").write_text("sections: []\n")
    assert errors_of(mini_copy) == [
        "guide.yaml:19:9: source id 'press' is used twice (first at guide.yaml:9:9) — rename one"
    ]


@pytest.mark.parametrize(
    "name, hint",
    [
        ("events.yaml", "write 'events:' and the list of events under it"),
        ("sections/press.yaml", "write 'sections:' and the list of sections under it"),
        ("guide.yaml", "write 'title:', 'authors:', 'audience:', 'language:'"),
    ],
)
def test_a_file_holding_only_the_document_marker_is_reported_on_its_one_line(mini_copy, name, hint):
    # It was "file holds only comments", at line 2 of this one-line file.
    (mini_copy / name).write_text("---")
    assert errors_of(mini_copy) == [f"{name}:1:4: file holds no values — {hint}"]


def test_an_item_a_section_lists_twice_is_in_it_once_and_cites_it_once(mini_copy):
    edit(
        mini_copy / "sections/press.yaml",
        "events: [towns, theses]",
        "events: [towns, theses, towns, theses, towns]",
    )
    guide = load_guide(mini_copy)
    spread = guide.sources[0].sections[1]
    assert [e.id for e in spread.events] == ["towns", "theses"]
    for event in spread.events:
        assert [c.section_id for c in event.cited_in] == ["spread"]


def test_unknown_ids_among_repeated_ones_are_each_reported_in_order(mini_copy):
    edit(
        mini_copy / "sections/press.yaml",
        "events: [towns, theses]",
        "events: [towns, nope, towns, theses, nope, thesis]",
    )
    assert errors_of(mini_copy) == [
        "sections/press.yaml:20:21: unknown event 'nope' in section 'spread' — "
        "define it in events.yaml",
        "sections/press.yaml:20:42: unknown event 'nope' in section 'spread' — "
        "define it in events.yaml",
        "sections/press.yaml:20:48: unknown event 'thesis' in section 'spread' — "
        "did you mean 'theses'?",
    ]


def test_a_byte_not_utf8_is_placed_as_the_text_is_read(tmp_path):
    # After a BOM, a carriage return and a letter of two bytes: line 2 (CR is a line break
    # here as everywhere), column 3 (characters, not bytes), and the byte itself named.
    # Read strictly, as a layout's files are (a guide's files are converted: test_newcomer.py).
    text = tmp_path / "source.txt"
    text.write_bytes(b"\xef\xbb\xbfFirst line.\r\xc3\xa9t\x96 second line.\n")
    with pytest.raises(GuideError) as error:
        read_text(text, [tmp_path.resolve()])
    assert str(error.value).endswith(
        "source.txt:2:3: not UTF-8 (byte 0x96) — save the file as UTF-8"
    )


def test_not_content_names_lines_by_their_first_words_and_leaves_them_unnumbered(mini_copy):
    text = mini_copy / "texts/press.txt"
    lines = text.read_text(encoding="utf-8").split("\n")
    # A notice pasted twice, and a standfirst in curly quotes, between the paragraphs.
    lines[3:3] = ["Advertisement", "“Movable type”: how it began", "Advertisement"]
    text.write_text("\n".join(lines), encoding="utf-8")
    declared = "[the printing press in europe, Advertisement, '\"Movable type\": how']"
    edit(
        mini_copy / "guide.yaml",
        "      - starts_with: The Printing Press in Europe\n",
        f"      - starts_with: {declared}\n",
    )
    guide = load_guide(mini_copy)
    (source,) = guide.sources
    # Case and quote marks aside; every line that is only the words named is meant. The
    # paragraphs are numbered as before, the notices not counted.
    first_words = [text.split()[0] for text in source.paragraphs.values()]
    assert first_words == ["Around", "The", "By", "In"]
    assert not [w for w in guide.warnings if "not summarized" in w.message]


def test_words_that_are_a_whole_line_name_it_though_they_start_a_longer_one(mini_copy):
    text = mini_copy / "texts/press.txt"
    text.write_text("Advertisement\n" + text.read_text(encoding="utf-8"), encoding="utf-8")
    edit(
        mini_copy / "guide.yaml",
        "      - starts_with: The Printing Press in Europe\n",
        "      - starts_with: [The Printing Press in Europe, Advertisement]\n",
    )
    text.write_text(
        text.read_text(encoding="utf-8").replace("Around 1440", "Advertisement Around 1440"),
        encoding="utf-8",
    )
    (source,) = load_guide(mini_copy).sources
    assert source.paragraphs[1].startswith("Advertisement Around 1440")


def test_a_validated_value_knows_its_position_and_a_default_knows_it_has_none():
    # Errors found after validation (merge, provenance) are placed by these positions.
    folder = Path(__file__).parent / "fixtures/mini"
    path = folder / "sections/press.yaml"
    items = validate(load_yaml(path, [folder]), ItemFile, [])
    assert items is not None
    section = items.sections[0]
    assert section.origin == Position(path, 2, 5)
    assert section.origin_of("events", 1) == Position(path, 10, 27)
    assert section.origin_of("events", 1).where.endswith("sections/press.yaml:10:27")
    assert ItemFile().origin == NOWHERE
    assert NOWHERE.where == "guide"
    problem = section.origin_of("title").problem("too long", "shorten it", warning=True)
    assert problem.position == Position(path, 3, 12)
    assert str(problem).endswith("press.yaml:3:12: warning: too long — shorten it")
