"""The sources as a reference list (guide/references.py): Harvard, Cite Them Right, through
citeproc-py; a source's title can only ever print as text."""

from __future__ import annotations

import yaml
from conftest import FLAGSHIP

from guide.build import load_guide
from guide.cli import main
from guide.references import reference_list


def test_the_flagships_sources_are_referenced_in_harvard_style():
    smithsonian, encyclopedia = reference_list(load_guide(FLAGSHIP))
    assert smithsonian.startswith(
        "Launius, R.D. (2025) <i>How the U.S. and the Soviet Union Made Unsuccessful Attempts "
        "to Collaborate During the Space Race</i>, <i>Smithsonian Magazine</i>."
    )
    assert "Available at: https://www.smithsonianmag.com/blogs/smithsonian-books/2025/06/12/" in (
        smithsonian
    )
    # No author: the title takes its place, once; no date: the style says so.
    assert str(encyclopedia) == "The Space Race, 1963–1966 (no date)."


def test_a_title_with_markup_prints_as_text(mini_copy):
    config = mini_copy / "guide.yaml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["sources"][0]["title"] = "<script>alert(1)</script> & <b>bold</b>"
    data["sources"][0]["url"] = "https://example.org/a?b=1&c=<2>"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (reference,) = reference_list(load_guide(mini_copy))
    assert "<script>" not in reference and "<b>" not in reference
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in reference
    assert "c=&lt;2&gt;" in reference


def test_a_web_address_must_be_one(mini_copy, capsys):
    config = mini_copy / "guide.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("    text: ", "    url: javascript:alert(1)\n    text: ", 1), encoding="utf-8"
    )
    assert main(["check", str(mini_copy)]) == 1
    err = capsys.readouterr().err
    assert "'javascript:alert(1)' is not a web address — write it as https://…" in err


def test_the_cover_lists_the_references(builds):
    cover = " ".join(builds(FLAGSHIP).pages[0].split())
    assert "Launius, R.D. (2025) How the U.S. and the Soviet Union" in cover
    assert "The Space Race, 1963–1966 (no date)" in cover
