"""Known damage in the files a teacher brings, found by well-kept libraries and reported.

- A file in another encoding (Windows-1252 from an old Word, UTF-16 from Notepad, Latin-1)
  is recognised by charset-normalizer, converted and reported: `read as Windows-1252 and
  converted to UTF-8`. A guide's language says which family of encodings to prefer when two
  read the bytes equally well (Windows-1252 and Windows-1250 read most of a French text alike).
- Mojibake in a source text (UTF-8 once read as Windows-1252: `â€“` for `–`) is repaired by
  ftfy, which explains each fix it makes; each is reported at its line and column.
- Lines of a source text that break mid-sentence (text pasted from a PDF) are found and the
  first is reported, with how to join them: here a line is a paragraph.

Each note carries the digest of its file's bytes (`Problem.once`): `guide check` reports it
every time, a build once per version of the file (told.py).
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import re
from pathlib import Path

from .errors import Problem

SAVE_AS_UTF8 = "save it as UTF-8 to silence this"


def digest(data: bytes) -> str:
    """What names one version of a file's bytes."""
    return hashlib.sha256(data).hexdigest()[:20]


# --- encodings ------------------------------------------------------------------------------

_UNICODE = ("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be")
# The encodings a teacher's files come in, by the languages written in them; a guide's
# language puts its own family first. Only these are considered: unrestricted, detection
# reads a short French text as Mac Central European as readily as Windows-1252.
_FAMILIES = {
    "western": ("cp1252", "latin_1", "iso8859_15", "mac_roman"),
    "central": ("cp1250", "iso8859_2"),
    "cyrillic": ("cp1251", "koi8_r", "koi8_u", "iso8859_5", "mac_cyrillic"),
    "greek": ("cp1253", "iso8859_7"),
    "turkish": ("cp1254", "iso8859_9"),
    "baltic": ("cp1257", "iso8859_13"),
}
_LANGUAGE_FAMILY = {
    **dict.fromkeys(("pl", "cs", "sk", "hu", "sl", "hr", "ro", "bs", "sq"), "central"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "sr", "mk"), "cyrillic"),
    "el": "greek",
    "tr": "turkish",
    **dict.fromkeys(("lt", "lv", "et"), "baltic"),
}
_NAMES = {
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "cp1252": "Windows-1252",
    "cp1253": "Windows-1253",
    "cp1254": "Windows-1254",
    "cp1257": "Windows-1257",
    "iso8859_1": "Latin-1",
    "utf_8": "UTF-8",
    "mac_roman": "Mac Roman",
    "mac_cyrillic": "Mac Cyrillic",
    "koi8_r": "KOI8-R",
    "koi8_u": "KOI8-U",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16 (little-endian, without a byte order mark)",
    "utf_16_be": "UTF-16 (big-endian, without a byte order mark)",
    "utf_32": "UTF-32",
    "utf_32_le": "UTF-32 (little-endian, without a byte order mark)",
    "utf_32_be": "UTF-32 (big-endian, without a byte order mark)",
}
_MESSY = 0.2  # charset-normalizer's "chaos" above which a reading is no reading


def encoding_name(encoding: str) -> str:
    """'cp1252', 'windows-1252' -> 'Windows-1252'."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    return _NAMES.get(name.replace("-", "_"), name.upper().replace("ISO8859-", "ISO-8859-"))


def _candidates(language: str | None) -> list[str]:
    """Every encoding considered, the most likely for the guide's language first."""
    own = _LANGUAGE_FAMILY.get((language or "").split("-")[0].lower(), "western")
    order = [own, "western", *_FAMILIES]
    return [*_UNICODE, *dict.fromkeys(e for family in order for e in _FAMILIES[family])]


def convert(
    path: Path,
    data: bytes,
    bad: int | None,
    language: str | None,
    version: str,
) -> tuple[str, Problem] | None:
    """`data`, which is not UTF-8 (the first byte UTF-8 refused is at `bad`, or None when it
    decoded but holds NUL bytes, as UTF-16 of plain ASCII does), read in the encoding
    charset-normalizer finds, and the note saying so; None if nothing reads it."""
    from charset_normalizer import from_bytes

    candidates = _candidates(language)
    matches = [
        m for m in from_bytes(data, cp_isolation=candidates, explain=False) if m.chaos <= _MESSY
    ]
    if not matches:
        return None

    # Detection ranks by how orderly the text reads, and gives one reading for encodings that
    # read the bytes alike (`could_be_from_charset`); between readings equally orderly (the
    # same letters, mostly) the guide's language decides which encoding to name.
    def rank(encoding: str) -> int:
        return candidates.index(encoding) if encoding in candidates else len(candidates)

    least = min(m.chaos for m in matches)
    alike = [m for m in matches if m.chaos <= least + 0.01]
    encoding = min((e for m in alike for e in [m.encoding, *m.could_be_from_charset]), key=rank)
    try:
        text = data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    name = encoding_name(encoding)
    line = column = 1
    detail = ""
    if bad is not None and not encoding.startswith("utf"):
        before = data[:bad].decode(encoding)
        before = before.replace("\r\n", "\n").replace("\r", "\n")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        read = data[bad : bad + 1].decode(encoding)
        detail = f" (byte 0x{data[bad]:02x} here is '{read}')"
    note = Problem(
        path,
        line,
        column,
        f"not UTF-8{detail}: read as {name} and converted to UTF-8",
        SAVE_AS_UTF8,
        warning=True,
        once=version,
    )
    return text, note


# --- mojibake ---------------------------------------------------------------------------------

_STEPS = {
    "decode_inconsistent_utf8": "UTF-8 once read as Windows-1252",
    "fix_c1_controls": "control characters that were Windows-1252 punctuation",
    "restore_byte_a0": "a no-break space lost in an earlier conversion",
    "replace_lossy_sequences": "a character lost in an earlier conversion",
}


def _explained(explanation: list | None) -> str:
    """ftfy's explanation of a fix ('encode', 'sloppy-windows-1252'), ('decode', 'utf-8') in
    words: 'UTF-8 once read as Windows-1252'."""
    parts = []
    encoded = None
    for action, argument in explanation or []:
        if action == "encode":
            encoded = argument
        elif action == "decode" and encoded is not None:
            read_as = encoding_name(encoded.removeprefix("sloppy-").replace("-", "_"))
            parts.append(f"{encoding_name(argument.replace('-', '_'))} once read as {read_as}")
            encoded = None
        elif action in ("apply", "transcode"):
            parts.append(_STEPS.get(argument, argument.replace("_", " ")))
    return "; ".join(dict.fromkeys(parts)) or "ftfy"


_FTFY_CONFIG = None


def _config():
    """ftfy's fixes of encoding only: quotes stay curly, ligatures, widths, HTML entities and
    line breaks as written; what the layout prints is typeset from the text afterwards."""
    global _FTFY_CONFIG
    if _FTFY_CONFIG is None:
        from ftfy import TextFixerConfig

        _FTFY_CONFIG = TextFixerConfig(
            unescape_html=False,
            remove_terminal_escapes=False,
            fix_latin_ligatures=False,
            fix_character_width=False,
            uncurl_quotes=False,
            fix_line_breaks=False,
            remove_control_chars=False,
            normalization=None,
            explain=True,
        )
    return _FTFY_CONFIG


def fix_mojibake(
    line: str, path: Path, line_number: int, version: str
) -> tuple[str, list[Problem]]:
    """The line with ftfy's repairs, and a note for each stretch of it repaired."""
    if line.isascii():  # mojibake is made of letters outside ASCII: nothing to ask ftfy
        return line, []
    from ftfy import fix_and_explain

    fixed, explanation = fix_and_explain(line, config=_config())
    if fixed == line:
        return line, []
    why = _explained(explanation)
    notes = []
    matcher = difflib.SequenceMatcher(None, line, fixed, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if i1 == i2 or j1 == j2:  # a character dropped or added: show it with the next
            i2, j2 = i2 + 1, j2 + 1
        notes.append(
            Problem(
                path,
                line_number,
                i1 + 1,
                f"repaired mojibake '{line[i1:i2]}' to '{fixed[j1:j2]}' ({why})",
                "correct it in the file to silence this",
                warning=True,
                once=version,
            )
        )
    return fixed, notes


# --- lines broken mid-sentence ----------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?:…][\"'”’»)\]]*$")
_OPENING = "\"'“‘«([„‚"


def broken_lines(lines: list[tuple[int, str, int]], path: Path, version: str) -> Problem | None:
    """A note at the first of the lines (number, text as repaired, column of its end) that
    ends mid-sentence while the next line, with no blank line between, goes on in lower case:
    what a text pasted from a PDF looks like, where every line of a page became a line of the
    file. Here a line is a paragraph, so each of those sentences is cut in two paragraphs."""
    breaks = [
        (number, text, end)
        for (number, text, end), (following, after, _) in zip(lines, lines[1:], strict=False)
        if following == number + 1
        and not _SENTENCE_END.search(text)
        and after.lstrip(_OPENING)[:1].islower()
    ]
    if not breaks:
        return None
    number, text, end = breaks[0]
    more = f" ({len(breaks)} lines of this text do so, as text pasted from a PDF does)"
    hyphen = ", and a word hyphenated across the break" if re.search(r"\w-$", text) else ""
    return Problem(
        path,
        number,
        end,
        f"line {number} ends mid-sentence and line {number + 1} goes on in lower case"
        + (more if len(breaks) > 1 else ""),
        "a line is one paragraph here: join the lines of each paragraph into one line"
        f"{hyphen} (a blank line between paragraphs is allowed, not needed)",
        warning=True,
        once=version,
    )
