"""Alphabetical order as a reader expects it: the Unicode Collation Algorithm (pyuca, with
the Unicode Consortium's default table), so that "Ärmelkanal" sorts among the a's, "éclair"
among the e's and a Cyrillic "Восток" after the Latin letters, where code points would put
every accented or non-Latin word after "Zone".

The default table is right for German, French, Spanish, Italian, Dutch, Portuguese, Russian
and English dictionaries. A language whose alphabet orders letters otherwise (Swedish å ä ö
after z, Spanish dictionaries before 1994 with ch and ll as letters) needs its CLDR tailoring,
which only ICU has; `guide check` does not warn about it (see docs/languages.md).
"""

from __future__ import annotations

import functools
import re


@functools.cache
def _collator():
    import pyuca  # type: ignore[import-untyped]  # its table: 0.1 s, only where sorted

    return pyuca.Collator()


def sort_key(text: str) -> tuple[int, ...]:
    """The key that sorts `text` alphabetically: case and accents second to the letters,
    leading quotes and punctuation ignored ('"Quoted"' among the q's)."""
    return _collator().sort_key(re.sub(r"^\W+", "", text) or text)
