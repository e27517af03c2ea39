"""The print checker (guide/print_check.py) on tiny PDFs made for it: each rule fails on a page
that has its fault and only there, and the clean page passes them all.

The documents are WeasyPrint's, from a few lines of HTML: one line of type per 20 pt block,
so where each line lands is known. The A4 one has a cover, part one (pages 2–3: page 2 is
full, 34 lines under its heading) and part two (page 4); its running head and foot are 7 pt,
which only they may be.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import weasyprint

from guide.cli import main
from guide.print_check import (
    BLANK_BAND,
    BODY_SIZE,
    BROKEN_CODE,
    BROKEN_NAME,
    CONTRAST,
    HYPHENATED_HEADING,
    LONE_WORD,
    MEASURE,
    PAGE_TURN,
    RULE,
    SHORT_PAGE,
    SMALL_TYPE,
    STRANDED_SIDEBAR,
    PrintRules,
    Vocabulary,
    check_pdf,
)
from guide.print_colour import contrast_on_paper, luminance, luminance_of_hex

LINE = "Each source says something about the past, for its own reason."  # 62 characters
ON_PAGE_TWO = 34  # lines of part one on page 2, under its heading

CSS = """
@page { size: A4; margin: 20mm 36mm;
  @top-left { content: "Running head"; font: 7pt 'DejaVu Sans'; color: #1a1a1a }
  @bottom-center { content: "page " counter(page); font: 7pt 'DejaVu Sans'; color: #1a1a1a } }
body { font: 11pt/20pt 'DejaVu Serif'; color: #1a1a1a; margin: 0 }
h1 { font: bold 16pt/40pt 'DejaVu Sans'; margin: 0; break-before: page; hyphens: manual }
h1.cover { break-before: auto }
.l { height: 20pt; white-space: nowrap }
.rule { height: 19pt; border-bottom: 1pt solid #333 }
"""

VOCABULARY = Vocabulary(
    names=("Yuri Gagarin",),
    name_words=("Yuri", "Gagarin"),
    text="yuri gagarin flew first; a soviet-american flight; soyuz 7k-l3; the continuation",
)


def line(text: str = LINE, style: str = "") -> str:
    return f'<div class="l" style="{style}">{text}</div>'


def a4(part_one: list[str], css: str = "", heading: str = "Part one") -> bytes:
    body = ['<h1 class="cover">Cover</h1>', line(), line(), line()]
    body += [f"<h1>{heading}</h1>", *part_one]
    body += ["<h1>Part two</h1>"] + [line()] * 10
    html = f"<html lang='en'><style>{CSS}{css}</style>{''.join(body)}</html>"
    return weasyprint.HTML(string=html).write_pdf()


def part_one(*changes: tuple[int, str]) -> list[str]:
    """Part one's 60 lines (a rule among them), with some replaced: (index, html)."""
    lines = [line()] * 60
    lines[8] = '<div class="rule"></div>'  # a rule that passes: 1 pt, #333
    for index, html in changes:
        lines[index] = html
    return lines


def found(pdf: bytes, rules: PrintRules | None = None) -> list[tuple[int | None, str]]:
    return [(f.page, f.rule) for f in check_pdf(pdf, rules or PrintRules(), VOCABULARY).findings]


@pytest.fixture(scope="module")
def clean() -> bytes:
    return a4(part_one())


def test_the_clean_document_passes_every_rule_and_is_read_as_built(clean):
    report = check_pdf(clean, vocabulary=VOCABULARY)
    assert report.findings == []
    assert report.pages == 4
    assert report.body_size == 11.0
    left, right = report.column
    assert left == pytest.approx(36 * 72 / 25.4, abs=1.5)  # the page's left margin
    assert 55 <= report.measure <= 75  # the 62 characters of LINE
    # The text block starts at the top margin (at its first glyph), under the running head.
    assert 20 * 72 / 25.4 <= report.text_block[0] < 20 * 72 / 25.4 + 12


def test_a_blank_band_on_a_page_inside_a_part(clean):
    gap = '<div style="height: 300pt"></div>'
    pdf = a4(part_one((5, gap)))
    findings = check_pdf(pdf, vocabulary=VOCABULARY).findings
    assert [(f.page, f.rule) for f in findings] == [(2, BLANK_BAND)]
    share = int(re.match(r"(\d+)% of the text block is empty", findings[0].message)[1])
    # 300 pt of a text block of about 712 pt (the heading's top to page 2's last line)
    assert 40 <= share <= 44
    # A gap on the last page of a part (page 3, before part two) is the part's end.
    assert found(a4(part_one((58, '<div style="height: 150pt"></div>')))) == []
    # A sidebar floated to the outer side beside the empty column fills nothing.
    sidebar = '<div style="float: right; width: 30%; height: 300pt; background: #333"></div>'
    assert found(a4(part_one((5, sidebar + gap)))) == [(2, BLANK_BAND)]
    # A box the text starts in fills its band.
    box = '<div style="height: 300pt; background: #e8eef5"></div>'
    assert found(a4(part_one((5, box)))) == []
    # Relaxed, the first page passes.
    assert found(pdf, PrintRules(blank_band=0.5)) == []


def test_type_under_8_5_pt_outside_the_running_head_and_foot():
    pdf = a4(part_one((3, line("Small print: 8 pt.", "font-size: 8pt"))))
    findings = check_pdf(pdf, vocabulary=VOCABULARY).findings
    assert [(f.page, f.rule) for f in findings] == [(2, SMALL_TYPE)]
    assert findings[0].message.startswith("1 line in 8 pt type (first: “Small print: 8 pt.”)")
    assert found(a4(part_one((3, line("8.5 pt is enough", "font-size: 8.5pt"))))) == []


def test_text_fainter_than_7_to_1():
    pdf = a4(part_one((3, line("Grey as #999.", "color: #999"))))
    findings = check_pdf(pdf, vocabulary=VOCABULARY).findings
    assert [(f.page, f.rule) for f in findings] == [(2, CONTRAST)]
    assert findings[0].message.startswith("1 line in #999999, 2.8:1 against the paper")
    # #595959 is the lightest grey at 7:1; #555 passes, as does a colour as dark.
    assert found(a4(part_one((3, line("Grey as #555.", "color: #555"))))) == []
    assert found(a4(part_one((3, line("Accent blue.", "color: #1f4e79"))))) == []


def test_rules_thinner_than_0_6_pt_or_lighter_than_55_percent_grey():
    thin_light = '<div class="rule" style="border-bottom: 0.3pt solid #aaa"></div>'
    pdf = a4(part_one((3, thin_light)))
    findings = check_pdf(pdf, vocabulary=VOCABULARY).findings
    assert [(f.page, f.rule) for f in findings] == [(2, RULE)]
    assert findings[0].message == (
        "1 rule 0.3 pt thick (least 0.6 pt) and #aaaaaa, lighter than #737373 (55% grey)"
    )
    light = '<div class="rule" style="border-bottom: 1pt solid #9aa7b4"></div>'
    assert [f.message for f in check_pdf(a4(part_one((3, light)))).findings] == [
        "1 rule #9aa7b4, lighter than #737373 (55% grey)"
    ]
    exactly = '<div class="rule" style="border-bottom: 0.6pt solid #737373"></div>'
    dotted = '<div class="rule" style="border-bottom: 0.75pt dotted #333"></div>'
    assert found(a4(part_one((3, exactly), (4, dotted)))) == []
    # An underlined word is a decoration, not a rule.
    underlined = line('An <span style="text-decoration: underline">underlined</span> word.')
    assert found(a4(part_one((3, underlined)))) == []


def test_a_word_alone_on_a_line_under_a_full_line_of_its_paragraph():
    def paragraph(*lines: str) -> str:
        return f'<p style="margin: 0; line-height: 15pt">{"<br>".join(lines)}</p>'

    pdf = a4(part_one((3, paragraph(LINE, "alone."))))
    findings = check_pdf(pdf, vocabulary=VOCABULARY).findings
    assert [(f.page, f.rule) for f in findings] == [(2, LONE_WORD)]
    assert findings[0].message == (
        "“alone.” stands alone on a line, under “… the past, for its own reason.”"
    )
    # Inside a paragraph too; two words end a paragraph well; an address breaks where it can;
    # a line of one word under a short line (a heading's, a list's) is no fault.
    assert found(a4(part_one((3, paragraph(LINE, "alone", LINE))))) == [(2, LONE_WORD)]
    assert found(a4(part_one((3, paragraph(LINE, "not alone."))))) == []
    assert found(a4(part_one((3, paragraph(LINE, "example.org/" + "a" * 30))))) == []
    assert found(a4(part_one((3, paragraph("A short line", "alone."))))) == []
    assert found(a4(part_one((3, paragraph(LINE, "alone.")))), PrintRules(lone_word=None)) == []


def test_a_name_hyphenated_at_a_line_end():
    pdf = a4(part_one((3, line("Kennedy wrote to Yuri Gaga\u2010")), (4, line("rin in 1961."))))
    findings = check_pdf(pdf, vocabulary=VOCABULARY).findings
    assert [(f.page, f.rule) for f in findings] == [(2, BROKEN_NAME)]
    assert findings[0].message == "“Yuri Gagarin” is hyphenated at a line end (Gaga‐/rin)"
    # A compound broken at its own hyphen is not hyphenation, even with U+2010 drawn...
    compound = (3, line("the first Soviet\u2010")), (4, line("American flight"))
    assert found(a4(part_one(*compound))) == []
    # ...nor a word the guide does not know, broken at a typed hyphen.
    assert found(a4(part_one((3, line("a well-")), (4, line("known pilot"))))) == []


def test_a_name_hyphenated_by_weasyprint_itself():
    # Too narrow for "Gagarin.": WeasyPrint breaks at the soft hyphen and draws its hyphen.
    narrow = (
        '<p lang="en" style="width: 35pt; hyphens: manual; margin: 0">'
        "Kennedy met Yuri Gaga&shy;rin.</p>"
    )
    findings = check_pdf(a4(part_one((3, narrow))), vocabulary=VOCABULARY).findings
    assert [(f.page, f.rule) for f in findings] == [(2, BROKEN_NAME)]
    assert findings[0].message.endswith("(Gaga‐/rin)")


def test_a_hyphenated_heading():
    pdf = a4(part_one(), heading="Interconti\u2010<br>nental flight")
    findings = check_pdf(pdf, vocabulary=VOCABULARY).findings
    assert [(f.page, f.rule) for f in findings] == [(2, HYPHENATED_HEADING)]
    assert findings[0].message.startswith("“Interconti‐” is hyphenated")


def test_a_word_hyphenated_across_a_page_turn():
    last = ON_PAGE_TWO - 1
    pdf = a4(part_one((last, line("and its continu\u2010")), (last + 1, line("ation overleaf"))))
    findings = check_pdf(pdf, vocabulary=VOCABULARY).findings
    assert [(f.page, f.rule) for f in findings] == [(2, PAGE_TURN)]
    assert "(continu‐/ation)" in findings[0].message
    # One line earlier, the word is finished on its own page.
    earlier = (last - 1, line("and its continu\u2010")), (last, line("ation here"))
    assert found(a4(part_one(*earlier))) == []


def test_a_code_broken_at_a_line_end():
    pdf = a4(part_one((3, line("the Soyuz 7K-")), (4, line("L3 spacecraft"))))
    findings = check_pdf(pdf, vocabulary=VOCABULARY).findings
    assert [(f.page, f.rule) for f in findings] == [(2, BROKEN_CODE)]
    assert findings[0].message == "“7K-L3” is broken at a line end"
    assert found(a4(part_one((3, line("the Soyuz 7K-L3 and")), (4, line("more"))))) == []
    # A word with digits may break at its own hyphen.
    assert found(a4(part_one((3, line("in the mid-")), (4, line("1960s, both"))))) == []


def test_a_sidebar_away_from_the_text_that_first_names_its_person():
    forms = ("Yuri Gagarin", "Gagarin")
    vocabulary = Vocabulary(sidebars=(("The first flight", (("Yuri Gagarin", forms),)),))
    section = '<h2 style="font: bold 11pt/20pt serif; margin: 0">The first flight</h2>'
    sidebar = line("Yuri Gagarin")

    def where(section_at: int, sidebar_html: list[str]) -> list[tuple[int | None, str]]:
        pdf = a4(part_one((section_at, section)) + sidebar_html)
        return [(f.page, f.rule) for f in check_pdf(pdf, vocabulary=vocabulary).findings]

    # On the section's page (2), or on the page facing it (3): in place.
    assert where(5, [sidebar] + [line()] * 3) == []
    assert where(20, [sidebar]) == []
    # The section starts on page 3, its sidebar is on page 4, after the page turn.
    assert where(40, []) == []  # no sidebar printed: nothing to judge
    body = part_one((40, section)) + [line()] * 20 + [sidebar]
    findings = check_pdf(a4(body), vocabulary=vocabulary).findings
    assert [(f.page, f.rule) for f in findings] == [(4, STRANDED_SIDEBAR)]
    assert findings[0].message == (
        "the sidebar on Yuri Gagarin is on page 4, away from the text that first names them "
        "(“The first flight”, page 3)"
    )
    # The section starts at the foot of page 3, but the paragraph naming him is on page 4,
    # beside his sidebar: in place.
    named = part_one((40, section)) + [line()] * 20 + [line("after Gagarin flew"), sidebar]
    assert check_pdf(a4(named), vocabulary=vocabulary).findings == []


def a5(on_page_three: int, then: str = "more", last: int = 5) -> bytes:
    """An A5 document: cover, part one from page 2 (23 lines fill it under the heading), then
    `on_page_three` lines, then on page 4 `last` lines: more of part one (`then="more"`) or a
    part two of its own (`then="part"`)."""
    css = "@page { size: A5; margin: 15mm 13mm } body { font-size: 9.5pt }"
    short = LINE[:52]
    body = ['<h1 class="cover">Cover</h1>', line(short)]
    body += ["<h1>Part one</h1>"] + [line(short)] * (23 + on_page_three)
    body += [line(short, "break-before: page") if then == "more" else "<h1>Part two</h1>"]
    body += [line(short)] * (last - 1 if then == "more" else last)
    html = f"<html lang='en'><style>{CSS}{css}</style>{''.join(body)}</html>"
    return weasyprint.HTML(string=html).write_pdf()


def test_a_small_page_with_fewer_than_4_lines_unless_a_whole_part_is_on_it():
    # A short page has a blank band too; and short lines, to fit A5: neither is tested here.
    rules = PrintRules(measure=None, blank_band=None)
    findings = check_pdf(a5(2), rules, VOCABULARY).findings
    assert [(f.page, f.rule) for f in findings] == [(3, SHORT_PAGE)]
    assert findings[0].message.startswith("2 lines on the page; 4 is the least")
    assert found(a5(4), rules) == []
    # Two lines of a part carried over onto a page of their own end the part, and are still
    # the fault: the booklet page holding "Questions: 10, 13, 15." alone.
    assert found(a5(2, then="part"), rules) == [(3, SHORT_PAGE)]
    # A part short enough to be whole on one page is not.
    assert found(a5(4, then="part", last=2), rules) == []
    # On A4 the same pages are not short.
    on_a4 = PrintRules(measure=None, blank_band=None, min_body_size=None, small_page_area=0)
    assert found(a5(2), on_a4) == []


def test_body_size_and_measure_are_judged_for_the_whole_document():
    wide = "@page { margin: 20mm 12mm } body { font-size: 10pt }"
    long_line = LINE + " " + LINE[:30]
    pdf = a4([line(long_line)] * 60, wide)
    findings = check_pdf(pdf, vocabulary=VOCABULARY).findings
    assert [(f.page, f.rule) for f in findings] == [(None, BODY_SIZE), (None, MEASURE)]
    assert findings[0].message.startswith("body text is 10 pt; 10.5 pt is the least")
    assert re.fullmatch(
        r"body text runs 9\d characters a line \(median\); 55–75 reads best", findings[1].message
    )
    assert found(pdf, PrintRules(min_body_size=None, measure=None)) == []


def test_colours_are_judged_by_wcag_luminance_in_every_colour_space():
    assert contrast_on_paper((0.0,)) == pytest.approx(21.0)
    assert contrast_on_paper((1.0, 1.0, 1.0)) == pytest.approx(1.0)
    assert contrast_on_paper((0x59 / 255,) * 3) == pytest.approx(7.0, abs=0.05)
    assert luminance((0, 0, 0, 1)) == 0.0  # CMYK black
    assert luminance((0, 0, 0, 0.55)) == pytest.approx(luminance_of_hex("#737373"), abs=0.01)
    assert luminance(None) is None and luminance((1, 2)) is None


def test_guide_check_print_reports_each_fault_on_a_line_and_writes_nothing(tmp_path, capsys):
    guide = tmp_path / "tiny"
    main(["new", str(guide), "--title", "A Tiny Guide"])
    capsys.readouterr()
    code = main(["check", str(guide), "--print", "-q"])
    out = capsys.readouterr().out.splitlines()
    assert code == (1 if out else 0)
    for text in out:
        assert re.match(r"tiny-student\.pdf: (page \d+: )?[a-z ]+: .+ — .+", text), text
    assert not (tmp_path / "output").exists() and not any(guide.glob("**/*.pdf"))


def test_guide_check_print_summarises_each_layout_and_refuses_layout_without_print(
    tmp_path, capsys
):
    guide = tmp_path / "tiny"
    main(["new", str(guide), "--title", "A Tiny Guide"])
    assert main(["check", str(guide), "--layout", "teacher"]) == 2
    assert "--layout, --paper and -j go with --print" in capsys.readouterr().err
    done = subprocess.run(
        [sys.executable, "-m", "guide", "check", str(guide), "--print", "--layout", "large-print"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    last = done.stdout.splitlines()[-1]
    assert re.fullmatch(
        r"tiny-large-print\.pdf: (print check passed \(|\d+ print faults \(.+; )"
        r"\d+ pages; body 18 pt.*\)",
        last,
    ), last
    assert done.returncode == (0 if "passed" in last else 1)
