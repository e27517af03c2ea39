"""Read a guide's files: YAML with the position of every node, and source texts, repaired."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import GuideError, Problem

# Bounds that make an alias bomb or a recursive alias fail fast instead of eating memory.
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_FILE_BYTES = 5 * 1024 * 1024

Location = tuple  # keys and list indexes from the document root, e.g. ("sections", 0, "summary")


class _Loader(yaml.SafeLoader):
    """Safe YAML (no object construction) that keeps dates as the text the author wrote."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlDocument:
    """A parsed YAML file and where each of its values and keys stands in it (1-based)."""

    path: Path
    data: Any
    value_positions: dict[Location, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Location, tuple[int, int]] = field(default_factory=dict)

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


def read_text(path: Path) -> str:
    """A file's text as UTF-8, accepting a BOM and CRLF; anything else is a clear error."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise GuideError.at(path, "file not found", hint="create it or correct the path") from None
    if size > MAX_FILE_BYTES:
        raise GuideError.at(
            path,
            f"file is {size // 1024} KiB, larger than the "
            f"{MAX_FILE_BYTES // 1024 // 1024} MiB a guide file may be",
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise GuideError.at(
            path,
            f"not UTF-8 (byte 0x{data[error.start]:02x})",
            line,
            column,
            hint="save the file as UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(path: Path) -> YamlDocument:
    text = read_text(path)
    try:
        loader = _Loader(text)
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
        document = YamlDocument(path, None)
        if node is not None:
            counter = [0]
            document.data = _construct(loader, node, (), document, counter, 0)
    except yaml.MarkedYAMLError as error:
        raise _yaml_error(path, error) from None
    except yaml.YAMLError as error:
        raise GuideError.at(path, f"not valid YAML: {error}") from None
    finally:
        loader.dispose()
    return document


def _construct(loader, node, location, document, counter, depth):
    counter[0] += 1
    if counter[0] > MAX_NODES or depth > MAX_DEPTH:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        raise GuideError.at(
            document.path,
            "YAML expands to too many values (an alias bomb or a recursive alias?)",
            line,
            column,
            hint="write the values out instead of repeating anchors (&) and aliases (*)",
        )
    document.value_positions[location] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves `<<:` merge keys
        result = {}
        for key_node, value_node in node.value:
            key = (
                loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            )
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise GuideError.at(
                    document.path,
                    "a key must be plain text",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            key = str(key)
            if key in result:
                first = document.key_positions[location + (key,)]
                raise GuideError.at(
                    document.path,
                    f"key '{key}' appears twice in the same mapping (first at line {first[0]})",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    hint="keep one of them",
                )
            document.key_positions[location + (key,)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = _construct(
                loader, value_node, location + (key,), document, counter, depth + 1
            )
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, location + (index,), document, counter, depth + 1)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node)


def _yaml_error(path: Path, error: yaml.MarkedYAMLError) -> GuideError:
    mark = error.problem_mark or error.context_mark
    message = " ".join(part for part in (error.context, error.problem) if part)
    message = " ".join(message.split())
    hint = None
    if "'\\t'" in message or "\t" in message:
        message, hint = "a tab character", "YAML indents with spaces, not tabs"
    elif "could not determine a constructor" in message:
        hint = "tags such as !!python/object are not allowed; remove the tag"
    elif "expected a single document" in message:
        hint = "remove the '---' that starts a second document"
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return GuideError.at(path, f"not valid YAML: {message}", line, column, hint=hint)


# --- source texts ----------------------------------------------------------------------------

# UTF-8 bytes once decoded as Windows-1252: a lead byte (Â-ô) followed by one to three
# continuation bytes, each shown as the Windows-1252 character for 0x80-0xBF.
_CP1252_CONTINUATION = "".join(
    bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0xC0)
)
_MOJIBAKE = re.compile("[\u00c2-\u00f4][" + re.escape(_CP1252_CONTINUATION) + "]{1,3}")
_GLUED_IMAGE = re.compile(
    r"(?<=[.!?\"”’)])/?https?://\S+?\.(?:jpe?g|png|gif|webp|svg)\)?\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Paragraph:
    number: int  # the N-th non-empty line
    line: int  # its line in the file
    text: str


@dataclass
class SourceText:
    path: Path
    paragraphs: list[Paragraph]
    repairs: list[Problem]

    def paragraph(self, number: int) -> Paragraph | None:
        return self.paragraphs[number - 1] if 1 <= number <= len(self.paragraphs) else None


def _repair_mojibake(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    repairs = []

    def fix(match: re.Match) -> str:
        try:
            fixed = match.group().encode("cp1252").decode("utf-8")
        except UnicodeError:
            return match.group()
        repairs.append((match.start(), match.group(), fixed))
        return fixed

    return _MOJIBAKE.sub(fix, text), repairs


def read_source_text(path: Path) -> SourceText:
    """One paragraph per non-empty line; known damage repaired and each repair reported."""
    paragraphs, repairs = [], []
    for line_number, line in enumerate(read_text(path).split("\n"), start=1):
        text = line.strip()
        if not text:
            continue
        text, fixes = _repair_mojibake(text)
        for column, bad, good in fixes:
            repairs.append(
                Problem(
                    path,
                    line_number,
                    column + 1,
                    f"repaired mojibake '{bad}' to '{good}'",
                    warning=True,
                )
            )
        glued = _GLUED_IMAGE.search(text)
        if glued:
            repairs.append(
                Problem(
                    path,
                    line_number,
                    glued.start() + 1,
                    "removed a scraped image address glued to the paragraph",
                    warning=True,
                )
            )
            text = text[: glued.start()].rstrip()
        paragraphs.append(Paragraph(len(paragraphs) + 1, line_number, " ".join(text.split())))
    return SourceText(path, paragraphs, repairs)
