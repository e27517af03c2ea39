"""The review edition's marks: what a fact-checker compares between a summary and its source.

The `reviewed` filter marks, in the guide's text and in the source paragraphs beside it, the
same four things, so that a claim can be checked against its paragraph at a glance:

- hedges: the words by which a source holds back from a claim ("reportedly", "some historians
  have suggested", "claimed", "it was reported"…): a summary that drops one states as fact
  what its source does not;
- dates: years, months with their days, "early 1961";
- names: the guide's people, by name, alias or surname;
- quoted words: whatever stands between quotation marks, and the guide's quotations where
  the source has them.

Hedges are listed per language (English only so far: a guide in another language gets no
hedge marks, and says so nowhere else); the rest works in any language the dates module reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from . import model
from .dates import MONTHS

# Longest first where one begins another ("it was reported" before "reported").
HEDGES = {
    "en": (
        "some historians have suggested",
        "historians have suggested",
        "some historians",
        "it was reported",
        "it is reported",
        "it was claimed",
        "it is said",
        "according to",
        "is said to",
        "was said to",
        "is thought to",
        "was thought to",
        "appears to",
        "appeared to",
        "seems to",
        "seemed to",
        "may have",
        "might have",
        "could have",
        "reportedly",
        "apparently",
        "allegedly",
        "supposedly",
        "purportedly",
        "reported",
        "claimed",
        "claims",
        "claim",
        "suggested",
        "suggests",
        "perhaps",
        "possibly",
        "probably",
        "likely",
        "unlikely",
        "believed",
        "rumoured",
        "rumored",
        "estimated",
        "roughly",
        "nearly",
        "almost",
        "about (?=[0-9])",  # a number held back, not a subject ("talked about the Moon")
        "around (?=[0-9])",
        "may",
        "might",
    )
}

_QUOTE_MARKS = "\"'“”‘’„‚«»‹›"
# Between a pair of double marks, or single ones that are not an apostrophe inside a word.
_QUOTED = re.compile(r"[\"“„«][^\"“”„«»]{2,}?[\"”“»]|(?<!\w)[‘'][^‘’']{2,}?[’'](?!\w)")
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True)) if MONTHS else "January"
_DATE = re.compile(
    rf"(?:\b(?:early|mid|late|mid-)\s*)?"
    rf"(?:\b\d{{1,2}}(?:–\d{{1,2}})?\s+(?:{_MONTH})\b(?:\s+\d{{4}})?"
    rf"|\b(?:{_MONTH})(?:\s+\d{{1,2}}(?:,)?)?(?:\s+\d{{4}})?\b"
    rf"|\b1\d\d\d(?:s|–\d{{2,4}})?\b|\b20\d\d(?:s)?\b)",
    re.IGNORECASE,
)

# The marks; where two overlap, the first found wins, in this order: a quotation holds its
# own words whole, and "May 25" is a date before "may" is a hedge.
KINDS = ("quote", "date", "hedge", "name")


@dataclass(frozen=True)
class ReviewMarker:
    patterns: tuple[tuple[str, re.Pattern], ...]

    @classmethod
    def for_guide(cls, guide: model.Guide) -> ReviewMarker:
        language = guide.info.language.split("-")[0].lower()
        hedges = HEDGES.get(language, ())
        names = {n for p in guide.people for n in [p.name, *p.aliases, p.name.split()[-1]] if n}
        quotations = [q.text for s in _sections(guide) for q in s.quotations]
        patterns = [("quote", _QUOTED)]
        if quotations:
            patterns.append(("quote", re.compile("|".join(_loose(q) for q in quotations))))
        patterns.append(("date", _DATE))  # before hedges: "May 25" is a date, not a "may"
        if hedges:
            words = "|".join(_hedge(h) for h in hedges)
            patterns.append(("hedge", re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)))
        if names:
            alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            patterns.append(("name", re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")))
        return cls(tuple(patterns))

    def __call__(self, text: object) -> object:
        """The `reviewed` filter: `text` escaped, its hedges, dates, names and quoted words
        in <mark class="…">."""
        if not isinstance(text, str) or isinstance(text, Markup):
            return text
        spans: list[tuple[int, int, str]] = []
        for kind, pattern in self.patterns:
            for match in pattern.finditer(text):
                start, end = match.span()
                if start < end and not any(s < end and start < e for s, e, _ in spans):
                    spans.append((start, end, kind))
        out, position = [], 0
        for start, end, kind in sorted(spans):
            out.append(escape(text[position:start]))
            out.append(Markup('<mark class="{}">{}</mark>').format(kind, text[start:end]))
            position = end
        out.append(escape(text[position:]))
        return Markup("").join(out)


def _hedge(words: str) -> str:
    """A hedge as a pattern: its words apart by any space; "about (?=[0-9])" is "about" when
    a number follows it."""
    text, _, ahead = words.partition(" (?=")
    return re.escape(text).replace(r"\ ", r"\s+") + (f"(?=\\s+{ahead}" if ahead else "")


def _sections(guide: model.Guide):
    return [section for source in guide.sources for section in source.sections]


def _loose(quotation: str) -> str:
    """A quotation as a pattern that finds it in the source whatever marks, dashes and spaces
    either was typed with (the guide's text is typeset; the source is as pasted)."""
    words = []
    for char in quotation.strip(_QUOTE_MARKS + " "):
        if char.isspace():
            words.append(r"\s+")
        elif char in _QUOTE_MARKS:
            words.append(f"[{re.escape(_QUOTE_MARKS)}]")
        elif char in "-‐‑‒–—":
            words.append(r"[-‐‑‒–—]+")
        else:
            words.append(re.escape(char))
    return "".join(words)
