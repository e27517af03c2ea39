"""Shared fixtures: each guide is built once per session and read back from its PDF."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from guide.build import build
from guide.model import Guide

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
FLAGSHIP = ROOT / "sources" / "moon-race"


@dataclass
class BuiltGuide:
    """A built PDF, the model it came from, and its text page by page."""

    guide: Guide
    path: Path
    reader: PdfReader
    pages: list[str]

    def page_of(self, text: str, start: int = 0) -> int:
        """1-based number of the first page (from `start`) whose text has `text`."""
        for index in range(start, len(self.pages)):
            if text in self.pages[index]:
                return index + 1
        raise AssertionError(f"{text!r} is on no page")

    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, 1-based page) of every bookmark, in order."""
        found = []

        def walk(items, level):
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    found.append(
                        (level, item.title, self.reader.get_destination_page_number(item) + 1)
                    )

        walk(self.reader.outline, 1)
        return found


def _build(folder: Path, target: Path, layout: str | None = None) -> BuiltGuide:
    result = build(folder, layout, target)
    reader = PdfReader(result.path)
    return BuiltGuide(
        result.guide, result.path, reader, [page.extract_text() for page in reader.pages]
    )


@pytest.fixture(scope="session")
def mini(tmp_path_factory) -> BuiltGuide:
    return _build(MINI, tmp_path_factory.mktemp("mini") / "mini.pdf")


@pytest.fixture(scope="session")
def flagship(tmp_path_factory) -> BuiltGuide:
    return _build(FLAGSHIP, tmp_path_factory.mktemp("flagship") / "moon-race-student.pdf")


@pytest.fixture
def mini_copy(tmp_path) -> Path:
    """A private copy of the small guide, for tests that break it."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target
