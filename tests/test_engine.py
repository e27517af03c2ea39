"""WeasyPrint behind one door (guide/engine.py): what guide uses of it beyond its documented
API is in that module alone, tried once, and a WeasyPrint that does it otherwise makes a warm
rebuild lay out the whole document, saying why, instead of failing or keeping stale pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import weasyprint

from guide import engine
from guide.relayout import Relayout
from guide.settings import Asked

GUIDE = Path(__file__).parent.parent / "guide"
# What only engine.py may say: WeasyPrint's private attributes and its warnings' wording.
PRIVATE = re.compile(r"\._page_box|\.link_annotation\b|pydyf|[\"']HarfBuzz|has no required alt")


def test_only_the_engine_module_reaches_past_weasyprints_documented_api():
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(GUIDE.glob("*.py"))
        if path.name != "engine.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PRIVATE.search(line)
    ]
    assert offenders == []


def test_the_installed_weasyprint_is_as_the_engine_reads_it():
    assert engine.problem() is None
    assert int(weasyprint.__version__.split(".")[0]) in engine.TESTED


def test_a_version_not_tested_is_named(monkeypatch):
    engine.problem.cache_clear()
    monkeypatch.setattr(weasyprint, "__version__", "99.0")
    try:
        assert engine.problem() == "WeasyPrint 99.0 is not a version guide is tested with (70.x)"
    finally:
        engine.problem.cache_clear()


def test_the_warnings_wording_is_read_in_one_place():
    assert (
        engine.image_without_alt('WeasyPrint: Image "pics/a b.png" has no required alt description')
        == "pics/a b.png"
    )
    assert engine.image_without_alt("WeasyPrint: something else") is None
    assert engine.is_machine_note("fontTools: HarfBuzz-Subset is not available")


def _lay_out(relayout: Relayout, html: str):
    def parse(text: str = html):
        return weasyprint.HTML(string=text)

    return relayout.lay_out(parse, lambda document: document.render(), {}, "", lambda: {})


@pytest.mark.parametrize("unknown", ["its page boxes are not as guide reads them"])
def test_a_weasyprint_the_engine_cannot_read_lays_out_everything_and_says_why(monkeypatch, unknown):
    html = (
        "<html><body><section><p>one</p></section>"
        "<section style='break-before: page'><p>two</p></section></body></html>"
    )
    relayout = Relayout()
    assert _lay_out(relayout, html).laid_out == 2
    # As the engine is known: the second, unchanged, keeps both pages.
    assert _lay_out(relayout, html).laid_out == 0
    monkeypatch.setattr(engine, "problem", lambda: unknown)
    for _ in range(2):
        outcome = _lay_out(relayout, html)
        assert outcome.laid_out == 2
        assert outcome.reason == f"WeasyPrint: {unknown}"


def test_a_warm_rebuild_says_why_it_laid_out_every_page(monkeypatch, mini_copy, tmp_path):
    from guide.build import WarmBuilds

    builds = WarmBuilds()
    target = tmp_path / "mini.pdf"
    try:
        assert builds.build(mini_copy, Asked("student"), target).relaid == "the first layout"
        assert builds.build(mini_copy, Asked("student"), target).relaid == ""
    finally:
        builds.close()
    # A WeasyPrint the engine cannot read: every rebuild lays out everything, and says why
    # (the worker is forked from this process, so it sees the stand-in check).
    monkeypatch.setattr(engine, "problem", lambda: "its page boxes are not as guide reads them")
    builds = WarmBuilds()
    try:
        for _ in range(2):
            result = builds.build(mini_copy, Asked("student"), target)
            assert result.relaid == "WeasyPrint: its page boxes are not as guide reads them"
    finally:
        builds.close()
