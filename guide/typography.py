"""Typographic punctuation from what a keyboard types: quotes, dashes, ellipses.

An author types straight quotes ('"), `--`, `---` and `...`; a printed page wants the marks of
the guide's language: “ ” and ’ in English, „ “ in German, « » with no-break spaces in
French, « » in Russian. docutils' smartquotes does that conversion, with a table of the
quotation marks of some sixty languages (`smartchars.quotes`) and the context rules of
SmartyPants (an apostrophe inside a word, the ’60s, a quote after a bracket or a dash). It is
applied once, to the validated files before they are merged (merge.py), to every value the
schema declares as printed text (`Printed`, in schema.py's `Prose`): ids, paths, dates, the
language tag and the layout name are not printed text and are never touched, and a web
address inside a text is passed through as it was written. So the templates, the HTML
preview and the PDF all see the same text.

Dashes are the same in every language: `--` is an en dash (–) and `---` an em dash (—), as
in TeX, which is where authors who type them learnt them. Which dash a language sets as its
parenthetical dash (spaced en dash in British and German books, a closed-up em dash in
American ones, a spaced em dash in Russian) is the author's to choose by typing `--` or
`---`: `--` also writes a range (1961--1966), which is an en dash in every language, so one
dash is never rewritten into another.

A straight `'` after a word that ends a quotation or a plural possessive ("the players'")
becomes the language's closing single quote; in English that is the apostrophe itself, in
German (‘) it is not — a known limit of SmartyPants' rules, rare in what guides quote.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from .prose import ADDRESS

# q: quotes, D: `--` en dash and `---` em dash, e: `...` ellipsis. Not backticks: `` ` `` is
# rare in prose and, where it is written, means itself.
_ATTRIBUTES = "qDe"
_WORK = re.compile(r"['\"]|--|\.\.\.|\. \. \.")  # what there may be to convert
_AFTER_ADDRESS = "'\".,;:!?)]}>»”’…"
_FALLBACK = "en"  # a language the table does not know: English marks, the most widely read


@dataclass(frozen=True)
class Printed:
    """Marks a schema value as text that is printed (see schema.Prose). `quoted`: the text
    stands inside quotation marks the layout prints (a quotation), so its own outer marks
    are dropped and the quotes inside it are the language's inner marks."""

    quoted: bool = False


@dataclass(frozen=True)
class Marks:
    """A language's quotation marks: outer and inner, opening and closing (French ones
    carry their no-break space)."""

    open: str
    close: str
    inner_open: str
    inner_close: str


@functools.lru_cache(maxsize=64)
def table_language(language: str) -> str:
    """The key of docutils' table for a language tag: 'en-GB' → 'en', 'de-CH' → 'de-ch',
    'zh' → 'zh-cn'; English for a language it does not list."""
    table = _smartquotes().smartchars.quotes
    parts = language.lower().split("-")
    for end in range(len(parts), 0, -1):
        tag = "-".join(parts[:end])
        if tag in table:
            return tag
    regional = sorted(k for k in table if k.startswith(parts[0] + "-") and "-x-" not in k)
    return regional[0] if regional else _FALLBACK


@functools.lru_cache(maxsize=64)
def marks(language: str) -> Marks:
    chars = _smartquotes().smartchars(table_language(language))
    return Marks(chars.opquote, chars.cpquote, chars.osquote, chars.csquote)


def educate(text: str, language: str, quoted: bool = False) -> str:
    """`text` with the language's quotes, apostrophes, dashes and ellipses; web addresses in
    it kept as written. `quoted`: the text stands inside the layout's quotation marks, so a
    straight double quote in it is an inner quote."""
    if not _WORK.search(text):
        return text  # most texts: nothing to do, and no work done
    if quoted:
        # Nested quotes alternate: inside the outer marks, "…" reads as the inner ‘…’.
        text = text.replace('"', "'")
    tokens = []
    position = 0
    for match in ADDRESS.finditer(text):
        # The address without the punctuation after it: `(see "www.nasa.gov").`
        address = match.group().rstrip(_AFTER_ADDRESS)
        tokens += [("text", text[position : match.start()]), ("literal", address)]
        position = match.start() + len(address)
    tokens.append(("text", text[position:]))
    tokens = [(kind, part) for kind, part in tokens if part]
    educated = _smartquotes().educate_tokens(
        _escaped(tokens), _ATTRIBUTES, table_language(language)
    )
    return "".join(educated)


@functools.cache
def _smartquotes():
    """docutils' module, imported when a text first needs it: `guide check` of a guide with
    nothing to convert, and every command that prints no text, do without its 20 ms."""
    from docutils.utils import smartquotes

    return smartquotes


def _escaped(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    r"""SmartyPants reads `\"` as 'a straight quote, kept': a backslash in a guide's text means
    itself, so it is doubled before, and SmartyPants turns `\\` back into one."""
    return [(kind, part.replace("\\", "\\\\") if kind == "text" else part) for kind, part in tokens]


# Pairs of marks a quotation may be typed in: straight, English, German, French (either
# way round), Swiss, Scandinavian, low-high, Japanese.
_PAIRS = {
    '"': ('"',),
    "'": ("'",),
    "“": ("”", "“"),
    "‘": ("’", "‘"),
    "„": ("“", "”"),
    "‚": ("‘", "’"),
    "«": ("»",),
    "»": ("«", "»"),
    "‹": ("›",),
    "›": ("‹", "›"),
    "”": ("”",),
    "「": ("」",),
    "『": ("』",),
}
_SPACE = " \t\n\u00a0\u202f"
_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")


def strip_outer_marks(text: str) -> str:
    """A quotation typed with its own marks, without them: the layout prints the marks.

    One pair is stripped, and only when it encloses the whole text: `"Why not?" and "Yes"`
    starts and ends with a mark, but they are two pairs, so the closing mark appearing
    inside the text leaves it as written.
    """
    stripped = text.strip(_SPACE)
    if len(stripped) < 2 or stripped[0] not in _PAIRS:
        return text
    opening, closing = stripped[0], stripped[-1]
    if closing not in _PAIRS[opening]:
        return text
    inner = stripped[1:-1]
    # An apostrophe inside a word ('Gagarin's flight') is not a closing mark.
    if closing in _APOSTROPHE.sub("", inner):
        return text
    return inner.strip(_SPACE) or text


_Node = TypeVar("_Node", bound=BaseModel)


def typeset(node: _Node, language: str) -> _Node:
    """A copy of a validated node with every printed text educated, nested nodes too. The
    copy keeps the node's place in its file (pydantic copies private attributes)."""
    changes: dict[str, Any] = {}
    for name, printed in _fields(type(node)).items():
        value = getattr(node, name)
        new = _typeset_value(value, printed, language)
        if new is not value:
            changes[name] = new
    return node.model_copy(update=changes) if changes else node


def _typeset_value(value: Any, printed: Printed | None, language: str) -> Any:
    if isinstance(value, BaseModel):
        return typeset(value, language)
    if isinstance(value, list):
        items = [_typeset_value(item, printed, language) for item in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, str) and printed is not None:
        text = strip_outer_marks(value) if printed.quoted else value
        text = educate(text, language, quoted=printed.quoted)
        return value if text == value else text
    return value


@functools.cache
def _fields(model: type[BaseModel]) -> dict[str, Printed | None]:
    """Every field of a model and its Printed mark; None for a field that is not printed
    text (a node in it is walked all the same)."""
    return {name: _mark(f.annotation, f.metadata) for name, f in model.model_fields.items()}


def _mark(annotation: Any, metadata: list) -> Printed | None:
    """The Printed mark anywhere in a field's annotation: `Prose`, `Prose | None`,
    `list[Prose]` all carry it inside."""
    pending = [*metadata, annotation]
    while pending:
        item = pending.pop()
        if isinstance(item, Printed):
            return item
        pending += list(getattr(item, "__metadata__", ())) + list(getattr(item, "__args__", ()))
    return None
