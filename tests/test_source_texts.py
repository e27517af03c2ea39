"""The sources on the page (issue 17, item 3): the teacher's edition prints every content
paragraph of every source, numbered as the guide cites it; the student's prints what each
source's `reprint:` allows, under its licence and attribution."""

from __future__ import annotations

import yaml
from conftest import FLAGSHIP

from guide import context
from guide.build import load_guide, resolve_layout
from guide.render_html import render_html


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_teachers_edition_prints_the_sources_content_numbered(builds):
    built = builds(FLAGSHIP, "teacher")
    start = built.anchor_page("source-texts")
    text = _flat(" ".join(built.pages[start - 1 :]))
    source, second = built.guide.sources
    text = text[text.index("The texts this guide summarizes") : text.index(second.short_title)]
    for number in (3, 11):  # the first content paragraph and the one on the Soviet answer
        words = " ".join(source.paragraphs[number].split()[:8])
        assert f"¶ {number} {words}" in text
    # Not the title, blurb or notices the publisher added (not_content).
    for number in sorted(source.not_content):
        assert f"¶ {number} " not in text
    assert "The sources" in built.pages[built.anchor_page("contents") - 1]


def test_the_students_edition_prints_no_source_whose_licence_is_not_given(builds):
    built = builds(FLAGSHIP)
    assert all(s.reprint == "none" for s in built.guide.sources)
    assert "source-texts" not in built.reader.named_destinations
    assert "The sources" not in built.pages[built.anchor_page("contents") - 1]


def _with_reprint(mini_copy, reprint: str):
    config = mini_copy / "guide.yaml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["sources"][0].update(reprint=reprint, licence="CC BY 4.0", attribution="Text: Test Press.")
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_guide(mini_copy)


def test_reprint_cited_prints_the_cited_paragraphs_with_the_licence(mini_copy):
    guide = _with_reprint(mini_copy, "cited")
    (source,) = context.variables(guide, "student", {}, "A4")["guide"].sources
    cited = {n for s in guide.sources[0].sections for n in s.citation.paragraphs}
    assert [p.number for p in source.reprinted] == sorted(cited)
    html = render_html(guide, resolve_layout(guide, "student"), "A4")
    assert 'id="source-texts"' in html and "Text: Test Press. CC BY 4.0" in html


def test_reprint_full_prints_every_content_paragraph(mini_copy):
    guide = _with_reprint(mini_copy, "full")
    (source,) = context.variables(guide, "student", {}, "A4")["guide"].sources
    model = guide.sources[0]
    content = [n for n in sorted(model.paragraphs) if n not in model.not_content]
    assert [p.number for p in source.reprinted] == [p.number for p in source.text] == content
