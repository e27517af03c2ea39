"""A guide's folder read, validated and merged, every file's errors reported together."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from pathlib import Path

from . import schema
from .errors import GuideError, Problem, Problems, display_path
from .loading import YamlDocument, load_yaml, read_source_text, read_text
from .merge import SourceInput, merge
from .model import Guide
from .validation import validate

ITEM_FILES = {kind.file_key: kind.key for kind in schema.ITEM_KINDS}  # guide.yaml's key → the list


def load_guide(folder: Path, reading: Callable[[Path], None] | None = None) -> Guide:
    """Read, validate and merge a guide folder; every error of the run in one GuideError.

    Whatever file fails, the others are still read and validated, guide.yaml too: when it
    cannot be read or validated, the files it names (or their default names) are checked on
    their own, so that one run reports every file's errors.
    `reading(path)` is told of each file before it is read (a worker names it if stopped).
    """
    config_path = _config_path(folder)
    folder = config_path.parent
    roots = [folder]  # every file of a guide lies in its folder, links followed
    reading = reading or (lambda path: None)
    problems = Problems()
    reading(config_path)
    config_document = _read(problems, _yaml, config_path, roots)
    config: schema.GuideConfig | None = None
    if config_document is not None:
        config = validate(config_document, schema.GuideConfig, problems.items)
    if config is None:
        _check_on_their_own(folder, config_path, config_document, roots, reading, problems)
        problems.raise_if_errors()
    assert config is not None and config_document is not None
    files = [config_path]
    language = config.language

    def read(kind_location: tuple, relative: str, reader, optional: bool = False):
        path = _resolve_inside(folder, relative, config_document, kind_location, problems.items)
        if path is None or (optional and not os.path.lexists(path)):
            return None
        # Reported at the line of guide.yaml that names the path: that is what to correct.
        if path.is_dir() or not path.exists():
            what, hint = (
                ("is a folder, not a file", "name a file inside it")
                if path.is_dir()
                else ("not found", "create it or correct the path")
            )
            problems.items.append(
                config_document.problem(kind_location, f"'{relative}' {what}", hint)
            )
            return None
        reading(path)
        result = _read(problems, reader, path, roots, language=language)
        if result is not None:
            files.append(path)
        return result

    sources = []
    texts = []
    for index, entry in enumerate(config.sources):
        text = read(("sources", index, "text"), entry.text, _text)
        texts += [text] if text else []
        section_document = read(("sources", index, "sections"), entry.sections, _yaml)
        sections = _items(section_document, "sections", problems)
        if text and sections:
            sources.append(SourceInput(entry, text, sections))
    item_files = []
    for key in ITEM_FILES:
        relative = getattr(config, key)
        explicit = key in config.model_fields_set
        document = read((key,), relative, _yaml, optional=not explicit)
        if (validated := _items(document, ITEM_FILES[key], problems)) is not None:
            item_files.append(validated)
    _raise_if_errors(problems, texts)
    guide = merge(folder.name, folder, config, sources, item_files, problems, files)
    _raise_if_errors(problems, texts)
    return guide


def _raise_if_errors(problems: Problems, texts: list) -> None:
    """The errors, with the notes on how files were read (a conversion, a repair, lines
    broken mid-sentence): those may be what explains an error, a quotation not found across
    a line break. Other warnings wait until the errors are fixed."""
    if problems.errors:
        notes = [p for p in problems.warnings if p.once] + [r for t in texts for r in t.repairs]
        raise GuideError(notes + problems.errors)


def _config_path(folder: Path) -> Path:
    """The guide's guide.yaml, or an error naming the folder meant when it is misspelt."""
    real = folder.resolve()
    if real.is_file():
        raise GuideError.at(
            real,
            "a file, not a folder",
            hint="name the guide's folder (one that holds guide.yaml)",
        )
    config_path = real / "guide.yaml"
    if os.path.lexists(config_path):
        return config_path
    if not real.exists():
        return _missing(folder, "no such folder")
    return _missing(folder, "no guide.yaml here", config_path)


def _missing(folder: Path, message: str, at: Path | None = None) -> Path:
    """Raise: no guide here. A guide folder beside the one named, or inside it, whose name
    is close (`sources/moon-rce` for sources/moon-race), is named as the one meant."""
    beside = _guide_folders(folder.parent if folder.name else Path("."))
    close = difflib.get_close_matches(folder.name.lower(), [p.name.lower() for p in beside], n=1)
    inside = _guide_folders(folder) if folder.is_dir() else []
    if close:
        meant = next(p for p in beside if p.name.lower() == close[0])
        hint = f"did you mean {_shown(meant)}?"
    elif len(inside) == 1:
        hint = f"did you mean {_shown(inside[0])}?"
    elif inside:
        hint = "name one of the guide folders in it: " + ", ".join(_shown(p) for p in inside)
    else:
        hint = "name a guide folder (one that holds guide.yaml)"
    raise GuideError.at(at or folder, message, hint=hint)


def _guide_folders(parent: Path) -> list[Path]:
    try:
        return sorted(p for p in parent.iterdir() if (p / "guide.yaml").is_file())
    except OSError:
        return []


def _shown(path: Path) -> str:
    return display_path(path) if path.is_absolute() else str(path)


def _text(path: Path, roots, language: str | None = None):
    return read_source_text(path, roots, language)


def _yaml(path: Path, roots, language: str | None = None, notes=None) -> YamlDocument:
    return load_yaml(path, roots, notes=notes, language=language)


def _read(problems: Problems, reader, path: Path, roots, **options):
    """What `reader` makes of the file, or None with its errors added to `problems`. A YAML
    file's notes (another encoding) go with them."""
    if reader is _yaml:
        options["notes"] = problems.items
    try:
        return reader(path, roots, **options)
    except GuideError as error:
        problems.extend(error.problems)
        return None


def _items(document: YamlDocument | None, holds: str, problems: Problems):
    if document is None:
        return None
    return validate(document, schema.ItemFile, problems.items, holds)


# A value as guide.yaml writes it on a line of its own, `sections: sections/moon.yaml`, read
# from its lines when the YAML as a whole cannot be read.
_NAMED = re.compile(
    r"^\s*(?:-\s+)?(?P<key>text|sections|events|people|glossary|questions|language):\s*"
    r"(?P<quote>['\"]?)(?P<value>[^'\"#\s][^'\"#]*?)(?P=quote)\s*(?:#.*)?$"
)


def _check_on_their_own(
    folder: Path,
    config_path: Path,
    document: YamlDocument | None,
    roots: list[Path],
    reading: Callable[[Path], None],
    problems: Problems,
) -> None:
    """guide.yaml cannot be used: check every other file that can be, on its own.

    The files are those guide.yaml names where it can be read (or, where its YAML is
    broken, its lines that name one), else the item files' default names. Files that are
    not there are not reported: guide.yaml's own errors come first.
    """
    named: list[tuple[str, str]] = []  # (key, relative path)
    language = None
    if document is not None and isinstance(document.data, dict):
        data = document.data
        entries = data.get("sources")
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict):
                named += [(k, entry[k]) for k in ("text", "sections") if k in entry]
        named += [(k, data[k]) for k in ITEM_FILES if k in data]
        language = data.get("language")
    elif document is None:
        try:  # through the rule every file is read by: a named pipe, a link out are refused
            lines = read_text(config_path, roots, notes=[]).split("\n")
        except GuideError:
            lines = []
        for line in lines:
            if found := _NAMED.match(line):
                named.append((found["key"], found["value"].strip()))
        language = next((value for key, value in named if key == "language"), None)
    named = [(k, v) for k, v in named if k != "language" and isinstance(v, str) and v]
    named.sort(key=lambda kv: kv[0] in ITEM_FILES)  # the sources first, as when it is valid
    for key in ITEM_FILES:
        if not any(k == key for k, _ in named):
            named.append((key, str(schema.GuideConfig.model_fields[key].default)))
    language = language if isinstance(language, str) else None
    for key, relative in dict.fromkeys(named):
        path = Path(os.path.abspath(folder / relative))
        if not path.resolve().is_relative_to(folder) or not path.is_file():
            continue  # outside the guide, or not there: guide.yaml's own check says so
        reading(path)
        if key == "text":
            _read(problems, _text, path, roots, language=language)
            continue
        document = _read(problems, _yaml, path, roots, language=language)
        _items(document, ITEM_FILES.get(key, key), problems)


def _resolve_inside(
    folder: Path, relative: str, document: YamlDocument, location: tuple, problems: list[Problem]
) -> Path | None:
    """A path a guide names, only if it stays inside the guide's folder once links are
    followed. Refused at the line that names it, or at the file itself if no line does."""
    written = Path(os.path.abspath(folder / relative))
    candidate = written.resolve()
    if candidate.is_relative_to(folder.resolve()):
        return candidate
    if written.is_relative_to(folder):
        message = f"'{relative}' is a link to {display_path(candidate)}, outside the guide's folder"
        hint = "copy the file itself into the guide's folder instead of linking to it"
    else:
        message = f"'{relative}' is outside the guide's folder"
        hint = "keep every file of the guide inside its folder"
    named = isinstance(document.data, dict) and location[0] in document.data
    if named:
        problems.append(document.problem(location, message, hint))
    else:  # a default name (events.yaml): the file itself is what to correct
        problems.append(Problem(written, None, None, message.split(" is ", 1)[1], hint))
    return None
