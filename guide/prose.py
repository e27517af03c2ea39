"""How long a word may be: prose is bounded before it reaches the typesetter.

WeasyPrint hyphenates a word by trying its break points one by one, laying out the line
again for each, so the time a word takes grows with the cube of its length: a word of 1,000
letters takes about 0.6 s here, 2,000 about 4 s, and one of a megabyte would run for days
and eat the machine's memory. No real word comes near: German compounds stay under 50
letters, and the longest words in dictionaries under 50 too. So a run of more than 60 letters
with no space, hyphen or other break in it is refused where it is written. A web address may
have longer runs (a path, a code), up to 200; a run of digits or punctuation costs nothing
and is not counted. Scripts written without spaces (Chinese, Japanese, Thai…) break between
any two characters, so their text is no word at all here.
"""

from __future__ import annotations

import re

MAX_WORD_LETTERS = 60
MAX_ADDRESS_LETTERS = 200

_LETTERS = re.compile(rf"[^\W\d_]{{{MAX_WORD_LETTERS + 1},}}")
# A web address: its runs may be longer (below), and typography.py leaves it as written.
ADDRESS = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S+", re.IGNORECASE)
# Scripts set without spaces between words: a line may break between any two characters.
_SPACELESS = re.compile(
    "["
    "\u0e00-\u0eff"  # Thai, Lao
    "\u0f00-\u0fff"  # Tibetan
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"  # CJK, kana
    "\uf900-\ufaff\U00020000-\U0003134f"
    "]"
)


def overlong_word(text: str) -> tuple[int, str] | None:
    """(offset, word) of the first word in `text` longer than allowed, or None."""
    addresses = [match.span() for match in ADDRESS.finditer(text)]
    for match in _LETTERS.finditer(text):
        start = match.start()
        for piece in _SPACELESS.split(match.group()):
            in_address = any(a <= start < b for a, b in addresses)
            limit = MAX_ADDRESS_LETTERS if in_address else MAX_WORD_LETTERS
            if len(piece) > limit:
                return start, piece
            start += len(piece) + 1
    return None


def describe(word: str) -> str:
    """The message for an overlong word, quoting its start."""
    return f"a word of {len(word):,} letters with no space or hyphen ('{word[:20]}…')"


HINT = (
    f"break it with spaces or hyphens: a printed word has at most {MAX_WORD_LETTERS} letters "
    f"({MAX_ADDRESS_LETTERS} in a web address)"
)
