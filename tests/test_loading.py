"""What the YAML loader makes of the text an author wrote."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

from guide.errors import GuideError
from guide.loading import _FastLoader, _load, _Loader, load_yaml


def load(tmp_path, text: str):
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path, [tmp_path.resolve()])


def test_only_plain_numbers_are_numbers(tmp_path):
    text = "a: 0750\nb: 1:30\nc: 1_000\nd: 0x1F\ne: 1963-11-22\nf: 12\ng: -3.5\n"
    data = load(tmp_path, text).data
    assert data == {
        "a": "0750",
        "b": "1:30",
        "c": "1_000",
        "d": "0x1F",
        "e": "1963-11-22",
        "f": 12,
        "g": -3.5,
    }


def test_keys_are_the_text_written(tmp_path):
    assert load(tmp_path, "on: 1\nno: 2\n1964: 3\n").data == {"on": 1, "no": 2, "1964": 3}


def test_a_merge_key_brings_values_the_mappings_own_keys_override(tmp_path):
    document = load(
        tmp_path,
        "- &base {id: a, date: 1517, title: T}\n- <<: *base\n  id: b\n  date: 1518\n",
    )
    assert document.data[1] == {"id": "b", "date": 1518, "title": "T"}
    # A merged value is found where it is written: in the anchored mapping.
    assert document.position((1, "title")) == (1, 36)
    assert document.position((1, "id")) == (3, 7)


def test_a_mapping_merged_twice_keeps_its_own_keys(tmp_path):
    text = "base: &base {a: 1}\nboth: &both {<<: *base, b: 2}\nx: *both\ny: *both\n"
    data = load(tmp_path, text).data
    assert data["x"] == data["y"] == {"a": 1, "b": 2}


def test_a_key_written_twice_by_the_author_is_still_an_error(tmp_path):
    with pytest.raises(GuideError) as error:
        load(tmp_path, "- &base {id: a}\n- <<: *base\n  id: b\n  id: c\n")
    assert str(error.value).endswith(
        "file.yaml:4:3: key 'id' appears twice in the same mapping (first at line 3)"
        " — keep one of them"
    )


def test_a_recursive_alias_is_refused_at_the_value_that_repeats_itself(tmp_path):
    with pytest.raises(GuideError) as error:
        load(tmp_path, "a: &a [x, *a]\n")
    assert "file.yaml:1:4: a recursive alias: *a here repeats the value it is part of" in str(
        error.value
    )


# Text built from YAML's punctuation (and letters beyond ASCII, whose columns libyaml
# counts too, and the line breaks YAML knows beyond '\n', which editors show within a line),
# so the parsers' error paths are reached often.
yaml_ish = st.text(
    alphabet=st.sampled_from(list("ab1: -\n  \"'&*!<>#[]{},|%@`\t.0/é–\u2028\x85")), max_size=60
)


def _assert_in_file(text: str, line: int, column: int, what: str) -> None:
    """(line, column) is a place the file has: a final line break starts no line of its own,
    and a column is at most just past the end of its line."""
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    assert 1 <= line <= len(lines), f"{what} at line {line} of {len(lines)}"
    assert 1 <= column <= len(lines[line - 1]) + 1, f"{what} at {line}:{column}"


@settings(
    max_examples=examples(400),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=yaml_ish)
@example(text="---")  # was reported at line 2 of a one-line file
@example(text="[\n")  # at the end, after a final line break: line 2 of 1 too
@example(text="a: x\u2028b: 'q")  # an IndexError: YAML's line 2 is not a line of the file
def test_any_text_loads_or_is_one_clean_error(tmp_path, text):
    try:
        document = load(tmp_path, text)
    except GuideError as error:
        (problem,) = error.problems
        assert problem.path is not None and problem.line is not None, str(problem)
        _assert_in_file(text, problem.line, problem.column or 1, str(problem))
    else:
        positions = {**document.value_positions, **document.key_positions}
        for location, (line, column) in positions.items():
            _assert_in_file(text, line, column, f"the value at {location}")


@settings(
    max_examples=examples(400),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=yaml_ish)
@example(text="---")  # libyaml put the empty document at line 2, PyYAML at 1:4
def test_libyaml_and_the_python_parser_read_the_same(tmp_path, text):
    # libyaml reads every file first; the pure-Python parser reads a file only when libyaml
    # fails, to word the error. Each may accept what the other refuses (libyaml allows a tab
    # after a value, PyYAML does not), but what both accept must read alike, down to the
    # positions that errors found later are reported at.
    path = tmp_path / "file.yaml"

    def read(loader):
        try:
            document = _load(loader, path, text)
        except GuideError:
            return None
        return document.data, document.value_positions, document.key_positions

    # A bare '!' tag on nothing is '' to libyaml and None to PyYAML; both are refused alike.
    assume("!" not in text)
    fast, plain = read(_FastLoader), read(_Loader)
    assume(fast is not None and plain is not None)
    assert fast == plain


@pytest.mark.parametrize(
    "text, position",
    [("---", (1, 4)), ("---\n", (1, 4)), ("# to do\n---", (2, 4)), ("---\n\n", (2, 1))],
)
def test_an_empty_document_is_placed_on_a_line_the_file_has(tmp_path, text, position):
    # libyaml ends the stream on a line of its own; both parsers count a final line break
    # as the start of another line. Either way the place is the end of the last line.
    path = tmp_path / "file.yaml"
    for loader in (_FastLoader, _Loader):
        assert _load(loader, path, text).value_positions == {(): position}


def test_an_unclosed_bracket_at_the_end_is_reported_on_the_last_line(tmp_path):
    with pytest.raises(GuideError) as error:
        load(tmp_path, "a: [1, 2\n")
    (problem,) = error.value.problems
    assert (problem.line, problem.column) == (1, 9)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_lines_are_counted_as_an_editor_shows_them(tmp_path, separator):
    # YAML ends a line at these too; an editor shows them inside one. The quotation's place
    # was looked up in YAML's line 2 of a one-line file: an IndexError, "internal error".
    with pytest.raises(GuideError) as error:
        load(tmp_path, f"a: x{separator}b: 'never closed\n")
    assert str(error.value).endswith(
        "file.yaml:1:9: not valid YAML: this quoted text is never closed — add the closing '"
    )
    document = load(tmp_path, f"a: x{separator}\nb: [c]\n")
    assert document.position(("b", 0)) == (2, 5)
