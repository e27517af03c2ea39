"""Read a guide's files: YAML with the position of every node, and source texts, repaired."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import files, prose, repairs
from .errors import GuideError, Position, Problem

# Bounds that make an alias bomb or a recursive alias fail fast instead of eating memory.
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_FILE_BYTES = 5 * 1024 * 1024

Location = tuple  # keys and list indexes from the document root, e.g. ("sections", 0, "summary")


class _Loader(yaml.SafeLoader):
    """Safe YAML (no object construction) that keeps what the author wrote as text unless it
    is plainly a number, true/false or nothing: dates stay "1963-11-22", and YAML 1.1's octal
    (0750), sexagesimal (1:30) and underscored (1_000) numbers stay as written."""

    def compose_document(self):
        # PyYAML forgets the anchors once a document is composed; keep them to name an alias.
        self.get_event()
        # The root has no index in a parent: PyYAML's own compose_document passes None too,
        # where types-PyYAML asks for an int.
        node = self.compose_node(None, None)  # type: ignore[arg-type]
        self.get_event()
        self.kept_anchors, self.anchors = self.anchors, {}
        return node


_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
_RESOLVERS = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _NUMBER_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "-+0123456789":
    _RESOLVERS.setdefault(_first, []).append(
        ("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"))
    )
for _first in "-+0123456789.":
    _RESOLVERS.setdefault(_first, []).append(
        (
            "tag:yaml.org,2002:float",
            re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
        )
    )
_Loader.yaml_implicit_resolvers = _RESOLVERS


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same reading through libyaml: about six times faster, but it words its errors
    differently and forgets anchors' names, so any failure is read again by `_Loader`."""


_FastLoader.yaml_implicit_resolvers = _RESOLVERS

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + name for name in ("str", "int", "float", "bool", "null", "seq", "map")}
# A scalar of each allowed tag, built directly: construct_object's bookkeeping is for graphs.
_SCALARS = {
    _CORE + name: getattr(yaml.SafeLoader, f"construct_yaml_{name}")
    for name in ("str", "int", "float", "bool", "null")
}


@dataclass
class YamlDocument:
    """A parsed YAML file and where each of its values and keys stands in it (1-based)."""

    path: Path
    data: Any
    value_positions: dict[Location, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Location, tuple[int, int]] = field(default_factory=dict)
    has_comments: bool = False  # the file is not blank, though it may hold no value
    text: str = ""  # the file's text, as read

    def position(self, location: Location, of_key: bool = False) -> tuple[int, int]:
        """The position of the value (or key) at `location`, or of its nearest ancestor."""
        table = self.key_positions if of_key else self.value_positions
        location = tuple(location)
        while location:
            if location in table:
                return table[location]
            if of_key:
                of_key, table = False, self.value_positions
                continue
            location = location[:-1]
        return self.value_positions.get((), (1, 1))

    def at(self, location: Location, of_key: bool = False) -> Position:
        line, column = self.position(location, of_key)
        return Position(self.path, line, column)

    def problem(
        self,
        location: Location,
        message: str,
        hint: str | None = None,
        of_key: bool = False,
        warning: bool = False,
    ) -> Problem:
        line, column = self.position(location, of_key)
        return Problem(self.path, line, column, message, hint, warning)


def read_text(
    path: Path,
    roots: Sequence[Path],
    what: str = "guide file",
    notes: list[Problem] | None = None,
    language: str | None = None,
) -> str:
    """A file's text as UTF-8, accepting a BOM and CRLF.

    `roots` are the real folders the file must lie in once links are followed (files.py).
    A file in another encoding is an error, unless the caller takes `notes`: then it is
    read in the encoding detected (repairs.py; `language`, the guide's, breaks a tie) and
    a note says so.
    """
    return _read(path, roots, what, notes, language)[0]


def _read(
    path: Path,
    roots: Sequence[Path],
    what: str = "guide file",
    notes: list[Problem] | None = None,
    language: str | None = None,
) -> tuple[str, str]:
    """(the text, the digest of the file's bytes)."""
    raw = files.read_bytes(path, roots, MAX_FILE_BYTES, what)
    version = repairs.digest(raw)
    data = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
        # UTF-16 of plain ASCII decodes as UTF-8 too, a NUL byte after each letter.
        bad = None if "\0" not in text else -1
    except UnicodeDecodeError as error:
        bad = error.start
    if bad is None:
        return _lines(text), version
    # Another encoding (UTF-16 with its byte order mark too): read as detected, if asked.
    converted = None
    if notes is not None:
        converted = repairs.convert(path, data, bad if bad >= 0 else None, language, version)
    if converted is None or notes is None:
        if bad < 0:  # NUL bytes in good UTF-8: YAML or the text's reader says where
            return _lines(text), version
        raise _not_utf8(path, data, bad)
    text, note = converted
    notes.append(note)
    return _lines(text), version


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _not_utf8(path: Path, data: bytes, start: int) -> GuideError:
    # Counted as the text would have been read: every line break one, a column one
    # character (what comes before the first bad byte is good UTF-8).
    before = _lines(data[:start].decode("utf-8"))
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return GuideError.at(
        path,
        f"not UTF-8 (byte 0x{data[start]:02x})",
        line,
        column,
        hint="save the file as UTF-8",
    )


def load_yaml(
    path: Path,
    roots: Sequence[Path],
    what: str = "guide file",
    notes: list[Problem] | None = None,
    language: str | None = None,
) -> YamlDocument:
    """A YAML file parsed, with where each value stands. With `notes`, a file in another
    encoding is read and a note says so (read_text)."""
    text = read_text(path, roots, what, notes, language)
    try:
        return _load(_FastLoader, path, text)
    except (yaml.YAMLError, GuideError):
        pass  # _Loader finds the same fault and says it in its own, plainer terms
    return _load(_Loader, path, text)


def _load(loader_class: type, path: Path, text: str) -> YamlDocument:
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as error:
        # PyYAML refuses control characters before parsing a thing; say where the first is.
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        raise GuideError.at(
            path,
            f"a control character (U+{error.character:04X}) YAML does not allow",
            line,
            column,
            hint="delete it; it is often pasted in invisibly from another program",
        ) from None
    try:
        node = loader.get_single_node()
        document = YamlDocument(path, None, has_comments=bool(text.strip()), text=text)
        if node is not None:
            document.data = _Builder(loader, document).value(node, ())
    except RecursionError:
        # PyYAML composes nodes recursively: thousands of nested brackets exhaust the stack
        # before our own bound on depth is reached. The events say where it got too deep.
        raise _too_deep(path, _Places(text).mark(_deepest(text))) from None
    except yaml.MarkedYAMLError as error:
        raise _yaml_error(path, text, error) from None
    except yaml.YAMLError as error:
        raise GuideError.at(path, f"not valid YAML: {error}") from None
    finally:
        loader.dispose()
    return document


def _deepest(text: str):
    """Where the first value nested deeper than MAX_DEPTH starts (events come from a loop,
    not recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def _too_deep(path: Path, mark) -> GuideError:
    return GuideError.at(
        path,
        f"values nested more than {MAX_DEPTH} levels deep",
        mark.line + 1 if mark else None,
        mark.column + 1 if mark else None,
        hint="a guide's files nest a few levels at most: look for brackets or indentation "
        "gone wrong",
    )


class _Places:
    """Where a parser's mark stands as an editor shows it, (line, column) from 1.

    The parsers count lines YAML's way, ending them at U+0085, U+2028 and U+2029 too, which
    editors show inside a line (and which then sent an index past the lines split at '\n'). At
    the end of the file both may point past its last line: after a final line break, and
    libyaml even without one (its stream ends on a line of its own), so a file holding only
    '---' was reported at line 2 of 1. Here a line ends at '\n' only (read_text has made
    every line break one), a final one starts no line, and a mark's character index, which
    both parsers count alike, says where it is.
    """

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        # Lines the file has: a final line break ends the last line, it starts none.
        self.count = len(self.starts) - 1 if text.endswith("\n") else len(self.starts)

    def at(self, mark) -> tuple[int, int]:
        index = min(max(mark.index, 0), len(self.text))
        line = bisect.bisect_right(self.starts, index)
        if line > self.count:  # just past a final line break: the end of the last line
            return self.count, self.starts[self.count] - self.starts[self.count - 1]
        return line, index - self.starts[line - 1] + 1

    def mark(self, mark):
        """The mark itself with its line and column counted so, from 0 as a mark's are."""
        if mark is None:
            return None
        line, column = self.at(mark)
        # No buffer, so no snippet of text quoted with it, and the pointer into it is unused.
        return yaml.Mark(mark.name, mark.index, line - 1, column - 1, None, 0)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


class _Builder:
    """Turns composed YAML nodes into plain data, recording where each value and key stands.

    Counting every value built (an alias is built again each time it is used) is what stops
    an alias bomb: the nodes themselves are few, their expansion is not.
    """

    def __init__(self, loader: _Loader, document: YamlDocument):
        self.loader, self.document = loader, document
        self.built = 0
        self.path: list[yaml.Node] = []  # the nodes being built, outermost first
        self.seen: set[int] = set()  # nodes built once already: a second time is an alias
        self.own_keys: dict[int, set[int]] = {}  # a mapping's own keys, not merged in by `<<`
        self.at = _Places(document.text).at

    def error(self, node: yaml.Node, message: str, hint: str | None = None) -> GuideError:
        line, column = self.at(node.start_mark)
        return GuideError.at(self.document.path, message, line, column, hint)

    def value(self, node: yaml.Node, location: Location) -> Any:
        self.built += 1
        if self.built > MAX_NODES or len(self.path) > MAX_DEPTH:
            raise self._bomb(node)
        if node.tag not in _ALLOWED_TAGS:
            raise self.error(
                node,
                f"not valid YAML: the tag '{_short_tag(node.tag)}' is not allowed",
                hint=_tag_hint(_short_tag(node.tag)),
            )
        self.document.value_positions[location] = self.at(node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            # Most nodes; a leaf neither repeats nor contains anything, so it is not tracked.
            return _SCALARS[node.tag](self.loader, node)
        self.path.append(node)
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, location)
            return [self.value(item, location + (i,)) for i, item in enumerate(node.value)]
        finally:
            self.path.pop()
            self.seen.add(id(node))

    def _mapping(self, node: yaml.MappingNode, location: Location) -> dict:
        if id(node) not in self.own_keys:  # flattening changes the node: only once
            self.own_keys[id(node)] = {id(k) for k, _ in node.value if k.tag != _CORE + "merge"}
            self.loader.flatten_mapping(node)  # resolves `<<:` merge keys: their pairs first
        own = self.own_keys[id(node)]
        result: dict[str, Any] = {}
        from_merge: set[str] = set()
        for key_node, value_node in node.value:
            key = self._key(key_node)
            merged = id(key_node) not in own
            if key in result and not merged and key not in from_merge:
                first = self.document.key_positions[location + (key,)]
                raise self.error(
                    key_node,
                    f"key '{key}' appears twice in the same mapping (first at line {first[0]})",
                    "keep one of them",
                )
            # YAML's merge rule: the mapping's own keys win over the keys it merges in.
            (from_merge.add if merged else from_merge.discard)(key)
            self.document.key_positions[location + (key,)] = self.at(key_node.start_mark)
            result[key] = self.value(value_node, location + (key,))
        return result

    def _key(self, node: yaml.Node) -> str:
        """Keys are the text the author wrote: `on:` and `1:` are the keys 'on' and '1'."""
        if not isinstance(node, yaml.ScalarNode) or node.tag not in _ALLOWED_TAGS:
            raise self.error(
                node, "a key must be plain text", "write one word before the colon, e.g. 'role:'"
            )
        return node.value

    def _bomb(self, node: yaml.Node) -> GuideError:
        hint = "write the values out instead of repeating anchors (&) and aliases (*)"
        # Blame the outermost value built of aliases: that is where the repetition starts.
        chain = self.path + [node]
        names = {id(n): a for a, n in getattr(self.loader, "kept_anchors", {}).items()}
        for index, (parent, child) in enumerate(zip(chain, chain[1:], strict=False)):
            alias = f"*{names[id(child)]}" if id(child) in names else "an alias"
            if any(child is outer for outer in chain[:index]):
                return self.error(
                    parent,
                    f"a recursive alias: {alias} here repeats the value it is part of",
                    hint,
                )
            if id(child) in self.seen:
                return self.error(
                    parent,
                    f"YAML expands to too many values: {alias} here repeats values that are "
                    "themselves repeated",
                    hint,
                )
        if len(self.path) > MAX_DEPTH:
            return _too_deep(self.document.path, _Places(self.document.text).mark(node.start_mark))
        return self.error(node, "YAML expands to too many values", hint)


def _yaml_error(path: Path, text: str, error: yaml.MarkedYAMLError) -> GuideError:
    places = _Places(text)
    error.problem_mark = places.mark(error.problem_mark)
    error.context_mark = places.mark(error.context_mark)
    mark = error.problem_mark or error.context_mark
    message = " ".join(part for part in (error.context, error.problem) if part)
    message = " ".join(message.split())
    lines = text.split("\n")
    hint = None
    if "'\\t'" in message or "\t" in message:
        message, hint = "a tab character", "YAML indents with spaces, not tabs"
    elif "could not determine a constructor" in message and (
        quoted := re.search(r"tag '([^']*)'", message)
    ):
        tag = _short_tag(quoted[1])
        message, hint = f"the tag '{tag}' is not allowed", _tag_hint(tag)
    elif "expected a single document" in message:
        hint = "remove the '---' that starts a second document"
    elif "found undefined alias" in message:
        name = message.rsplit(" ", 1)[-1].strip("'")
        hint = f"'*' starts an alias in YAML: put the text in quotes, or define the anchor &{name}"
    elif "while scanning a quoted scalar" in message and error.context_mark:
        # Where the quote opens is what to fix; the end of the file is where YAML gave up.
        mark = error.context_mark
        quote = lines[mark.line][mark.column]
        message, hint = "this quoted text is never closed", f"add the closing {quote}"
    elif mark and "mapping values are not allowed here" in message:
        message, hint, mark = _stray_colon(lines, mark)
    elif mark and "expected <block end>" in message:
        message, hint = _misindented(lines, mark.line)
    elif (start := _indicator_at_value_start(lines, error)) is not None:
        mark, character = start
        message = f"a text that starts with '{character}'"
        hint = f"put it in quotes: at the start of a value, YAML reads '{character}' as markup"
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return GuideError.at(path, f"not valid YAML: {message}", line, column, hint=hint)


_INDICATORS = "@`*&!|>%"


def _tag_hint(tag: str) -> str:
    if tag.startswith("!!"):  # a YAML or Python type: meant as a tag, and refused as one
        return "remove the tag"
    return "remove the tag, or put the text in quotes if the '!' is part of it"


def _indicator_at_value_start(lines: list[str], error: yaml.MarkedYAMLError):
    """(mark, character) when the scanner choked on a value beginning with YAML markup:
    `title: @home`, `- *important*`, `summary: |x`. Authors mean those as text."""
    if not isinstance(error, yaml.scanner.ScannerError):
        return None
    for mark in (error.context_mark, error.problem_mark):
        if mark is None or mark.line >= len(lines):
            continue
        line = lines[mark.line]
        if mark.column < len(line) and line[mark.column] in _INDICATORS:
            before = line[: mark.column].rstrip(" ")
            if before == "" or before.endswith((":", "-", "[", ",", "{")):
                return mark, line[mark.column]
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous_content_line(lines: list[str], index: int) -> int | None:
    for before in range(index - 1, -1, -1):
        stripped = lines[before].strip()
        if stripped and not stripped.startswith("#"):
            return before
    return None


def _stray_colon(lines: list[str], mark) -> tuple[str, str, Any]:
    """A ': ' YAML did not expect: in the middle of a value, or after a key indented too far
    (YAML then reads the key as more words of the value above it)."""
    line = lines[mark.line]
    before = _previous_content_line(lines, mark.line)
    if (
        before is not None
        and ": " not in line[: mark.column]
        and _indent(line) > _indent(lines[before])
    ):
        key = line.strip().split(":")[0]
        mark = yaml.Mark(mark.name, 0, mark.line, _indent(line), None, 0)
        return (
            f"'{key}:' is indented deeper than the key above it",
            "indent the keys of one mapping equally",
            mark,
        )
    return "a ': ' inside a value", "put a text that contains ': ' in quotes", mark


_KEY_LINE = re.compile(r"^( *)(- +)?[\w-]+:(?: |$)")


def _misindented(lines: list[str], index: int) -> tuple[str, str]:
    """A line indented less than the mapping it belongs to but more than its parent."""
    line = lines[index]
    key = line.strip().split(":")[0]
    # The nearest key above (not a line of a long text) shows how deep the keys are.
    for before in range(index - 1, -1, -1):
        match = _KEY_LINE.match(lines[before])
        if match:
            depth = len(match[1]) + len(match[2] or "")
            return (
                f"'{key}:' is indented {_indent(line)} spaces, the key above it {depth}",
                "indent the keys of one mapping equally",
            )
    return "this line is not indented like the lines above it", "indent them equally"


# --- source texts ----------------------------------------------------------------------------

_GLUED_IMAGE = re.compile(
    r"(?<=[.!?\"”’)])/?https?://\S+?\.(?:jpe?g|png|gif|webp|svg)\)?\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Block:
    """A non-empty line of a source text, repaired: a paragraph, or a title, blurb or notice."""

    line: int  # its line in the file
    text: str


@dataclass(frozen=True)
class Paragraph:
    number: int  # its ¶ number: the N-th content paragraph (not_content lines are not counted)
    line: int  # its line in the file
    text: str


@dataclass
class SourceText:
    """A source's text: every block as read, and its content paragraphs numbered as cited.

    Until the guide declares which lines are not content (`declared`), every block is.
    """

    path: Path
    blocks: list[Block]
    repairs: list[Problem]
    not_content: frozenset[int] = frozenset()  # the lines of the blocks that are not content
    paragraphs: list[Paragraph] = field(init=False)

    def __post_init__(self) -> None:
        content = (b for b in self.blocks if b.line not in self.not_content)
        self.paragraphs = [Paragraph(n, b.line, b.text) for n, b in enumerate(content, start=1)]

    def declared(self, not_content: frozenset[int]) -> SourceText:
        """The same text with the blocks on these lines not content: the rest numbered anew."""
        return SourceText(self.path, self.blocks, self.repairs, frozenset(not_content))

    def paragraph(self, number: int) -> Paragraph | None:
        return self.paragraphs[number - 1] if 1 <= number <= len(self.paragraphs) else None


def read_source_text(
    path: Path,
    roots: Sequence[Path],
    language: str | None = None,
) -> SourceText:
    """One block per non-empty line; known damage repaired and each repair reported: another
    encoding, mojibake (repairs.py), a scraped image address; and lines broken mid-sentence."""
    notes: list[Problem] = []
    whole, version = _read(path, roots, notes=notes, language=language)
    blocks, ends = [], []
    for line_number, line in enumerate(whole.split("\n"), start=1):
        if not line.strip():
            continue
        line, fixes = repairs.fix_mojibake(line, path, line_number, version)
        notes.extend(fixes)
        text = line.strip()
        glued = _GLUED_IMAGE.search(text)
        if glued:
            notes.append(
                Problem(
                    path,
                    line_number,
                    len(line) - len(line.lstrip()) + glued.start() + 1,
                    "removed a scraped image address glued to the paragraph",
                    "delete it in the file to silence this",
                    warning=True,
                    once=version,
                )
            )
            text = text[: glued.start()].rstrip()
        if overlong := prose.overlong_word(text):
            word = overlong[1]
            raise GuideError.at(
                path, prose.describe(word), line_number, line.find(word) + 1, hint=prose.HINT
            )
        blocks.append(Block(line_number, " ".join(text.split())))
        ends.append((line_number, text, len(line.rstrip()) + 1))
    if not blocks:
        # One error here rather than one for every paragraph the sections name.
        raise GuideError.at(
            path, "the text has no paragraphs", 1, 1, hint="paste the source document into it"
        )
    if broken := repairs.broken_lines(ends, path, version):
        notes.append(broken)
    return SourceText(path, blocks, notes)
