"""The sources as a reference list, in one consistent style: Harvard (Cite Them Right), the
style UK schools teach, as citeproc-py formats it from the Citation Style Language's own
definition of it (the style file comes with citeproc-py).

What a source does not say (no author, no date) the style handles as it prescribes: the
title moves to the front, "no date" is written. A guide's `description` of a source says what
could not be established; it follows the reference.
"""

from __future__ import annotations

import warnings

from markupsafe import Markup, escape

from . import model


def reference_list(guide: model.Guide) -> tuple[Markup, ...]:
    """Each source's reference, formatted as HTML (italics for titles), in reading order."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    # citeproc-py's HTML formatter writes the values as they are given, markup and all: they
    # are escaped first, so a title can only ever print as text.
    items = [_escaped(_csl(source)) for source in guide.sources]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc warns of CSL features it does not use
        style = CitationStylesStyle(
            "harvard-cite-them-right", locale=_csl_locale(guide.info.language), validate=False
        )
        bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.html)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        # The list in the guide's reading order, not the style's alphabetical one.
        entries = bibliography.bibliography()
        formatted = {key: str(e) for key, e in zip(bibliography.keys, entries, strict=True)}
    return tuple(Markup(formatted[item["id"]]) for item in items)


def _csl_locale(language: str) -> str:
    """The CSL locale citeproc-py has for a language tag: its own ('de-CH'), else its
    language's first ('de' → 'de-AT'…, 'fr-BE' → 'fr-CA'), else British English: the style's
    words ("Available at", "Accessed") in the guide's language where CSL has them."""
    from pathlib import Path

    import citeproc

    locales = Path(citeproc.__file__).parent / "data" / "locales"
    known = sorted(p.stem.removeprefix("locales-") for p in locales.glob("locales-*.xml"))
    primary = language.split("-")[0].lower()
    preferred = {"de": "de-DE", "fr": "fr-FR", "es": "es-ES", "pt": "pt-PT", "en": "en-GB"}
    for candidate in (language, preferred.get(primary, ""), primary):
        if candidate in known:
            return candidate
    same = [tag for tag in known if tag.split("-")[0].lower() == primary]
    return same[0] if same else "en-GB"


def _escaped(value):
    if isinstance(value, str):
        return str(escape(value))
    if isinstance(value, dict):
        return {key: value[key] if key == "id" else _escaped(value[key]) for key in value}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def _csl(source: model.Source) -> dict:
    """A source as a CSL-JSON item."""
    item: dict = {
        "id": source.id,
        "type": "webpage" if source.url else "article",
        "title": source.title,
    }
    if source.author:
        # One name as written: "Roger D. Launius" -> family "Launius", given "Roger D."
        given, _, family = source.author.rpartition(" ")
        item["author"] = [{"family": family, "given": given}] if given else [{"literal": family}]
    else:
        # No author: Harvard puts the title in the author's place. citeproc-py does, but then
        # prints the title a second time (it does not suppress a substituted variable), so
        # the title is given as the author and nowhere else.
        item["author"] = [{"literal": item.pop("title")}]
    if source.container:
        item["container-title"] = source.container
    if source.publisher:
        item["publisher"] = source.publisher
    if source.url:
        item["URL"] = source.url
    if source.published:
        item["issued"] = {"date-parts": [[int(p) for p in source.published.split("-")]]}
    elif source.year:
        item["issued"] = {"date-parts": [[source.year]]}
    if source.accessed:
        item["accessed"] = {"date-parts": [[int(p) for p in source.accessed.split("-")]]}
    return item
