"""The review edition (layouts/review, guide/review.py): every claim beside the full text of
the paragraphs it cites, hedges, dates, names and quoted words marked alike on both sides."""

from __future__ import annotations

import re

import pytest
from conftest import FLAGSHIP

from guide.build import load_guide, resolve_layout
from guide.render_html import render_html
from guide.review import ReviewMarker


def _marks(html: str, kind: str) -> list[str]:
    return re.findall(rf'<mark class="{kind}">(.*?)</mark>', html)


@pytest.fixture
def hedged(mini_copy):
    """The mini guide whose source hedges a claim its summary then states as fact."""
    text = next((mini_copy / "texts").glob("*.txt"))
    text.write_text(
        text.read_text(encoding="utf-8").replace(
            "Around 1440 Johannes Gutenberg", "Around 1440 Johannes Gutenberg reportedly"
        ),
        encoding="utf-8",
    )
    return mini_copy


def test_the_review_sets_each_summary_beside_its_paragraphs_marked_alike(hedged):
    guide = load_guide(hedged)
    html = render_html(guide, resolve_layout(guide, "review"), "A4")
    article = html[html.index('id="section-invention"') : html.index('id="section-spread"')]
    evidence = article[article.index('class="evidence"') : article.index('class="claims"')]
    claims = article[article.index('class="claims"') :]
    # The cited paragraphs (¶ 1–2), whole and numbered, on the evidence side; not the title,
    # which is not content.
    assert "¶&nbsp;1" in evidence and "¶&nbsp;2" in evidence and "¶&nbsp;3" not in evidence
    assert "The Printing Press in Europe" not in evidence
    assert "is the first major book printed in Europe with movable type." in evidence
    # The source's hedges are marked, and the summary's: the reviewer sees one dropped.
    assert _marks(evidence, "hedge") == ["Around", "reportedly"]
    assert _marks(claims, "hedge") == ["around"]
    # Dates and names marked on both sides, the same way.
    assert "1440" in _marks(evidence, "date") and "1440" in _marks(claims, "date")
    assert "Gutenberg" in _marks(claims, "name")
    assert "Johannes Gutenberg" in _marks(evidence, "name")


def test_every_item_stands_beside_the_paragraphs_of_the_sections_that_cite_it(hedged):
    guide = load_guide(hedged)
    html = render_html(guide, resolve_layout(guide, "review"), "A4")
    theses = html[html.index('id="event-theses"') :]
    theses = theses[: theses.index('</div>\n    <div class="claims">')]
    # Its section cites ¶ 3 and 4; ¶ 4 quotes the words the guide quotes: marked as quoted.
    assert "¶&nbsp;3" in theses and "¶&nbsp;4" in theses and "¶&nbsp;5" not in theses
    assert _marks(theses, "quote") == ["“the first media event”"]  # typeset as the guide is
    for kind in ("person-luther", "term-theses", "question-media-event"):
        assert f'id="{kind}"' in html


def test_the_marks_of_a_fact_checker():
    guide = load_guide(FLAGSHIP)
    mark = ReviewMarker.for_guide(guide)
    text = mark(
        "Khrushchev reportedly said no; some historians have suggested that on 25 May 1961 "
        "or in early 1963 he talked about the Moon for about 20 minutes: “Why not?”"
    )
    assert _marks(text, "hedge") == ["reportedly", "some historians have suggested", "about"]
    assert _marks(text, "date") == ["25 May 1961", "early 1963"]  # "May" is a month here
    assert _marks(text, "name") == ["Khrushchev"]
    assert _marks(text, "quote") == ["“Why not?”"]
    assert "&lt;" in mark("<b>") and mark(7) == 7  # text is escaped; anything else passes


def test_the_review_of_the_flagship_builds(builds):
    built = builds(FLAGSHIP, "review")
    text = " ".join(" ".join(built.pages).split())
    assert "How to review" in text
    # A paragraph of the Smithsonian text, word for word, with its number: its first section
    # cites ¶ 1, the excerpt's first paragraph (not the web page's title).
    source = built.guide.sources[0]
    number = source.sections[0].citation.paragraphs[0]
    paragraph = source.paragraphs[number]
    assert number == 1 and paragraph.startswith("Soon after the Gagarin flight, Kennedy")
    assert f"¶ {number} {' '.join(paragraph.split()[:8])}" in text
