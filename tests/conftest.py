"""Shared fixtures: each guide is built once per session and read back from its PDF."""

from __future__ import annotations

import fcntl
import shlex
import shutil
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from guide.build import build, load_guide
from guide.layouts import BUILTIN_LAYOUTS
from guide.model import Guide
from guide.settings import Asked

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
FLAGSHIP = ROOT / "sources" / "moon-race"
# Every built-in layout, as `--layout all` and the Makefile find them (test_layouts pins the
# list itself, where `guide layouts` prints it).
BUILTIN_LAYOUT_NAMES = sorted(path.parent.name for path in BUILTIN_LAYOUTS.glob("*/layout.yaml"))


def _spaced(text: str) -> str:
    """A PDF's text with its no-break spaces as spaces: the layouts tie a text's last two
    words ("Ink and\u00a0Iron"), and the tests read words, not where lines may break."""
    return text.replace("\u00a0", " ")


@dataclass
class BuiltGuide:
    """A built PDF, the model it came from, and its text page by page."""

    guide: Guide
    path: Path
    reader: PdfReader
    pages: list[str]

    def page_of(self, text: str, start: int = 0) -> int:
        """1-based number of the first page (from `start`) whose text has `text`, wherever
        its lines wrap (a heading in the text column takes two)."""
        wanted = " ".join(text.split())
        for index in range(start, len(self.pages)):
            if wanted in " ".join(self.pages[index].split()):
                return index + 1
        raise AssertionError(f"{text!r} is on no page")

    def anchor_page(self, anchor: str) -> int:
        """1-based page an id of the HTML is on (`section-<id>`, `glossary`…): WeasyPrint
        writes each as a named destination."""
        return self.reader.get_destination_page_number(self.reader.named_destinations[anchor]) + 1

    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, 1-based page) of every bookmark, in order."""
        found = []

        def walk(items, level):
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    found.append(
                        (
                            level,
                            _spaced(item.title),
                            self.reader.get_destination_page_number(item) + 1,
                        )
                    )

        walk(self.reader.outline, 1)
        return found


class Builds:
    """Each (guide, layout, paper) built at most once per session, on first use.

    Under pytest-xdist the test processes share `folder`: the first to need a PDF builds it
    under a lock, the others wait and read it (and load only the model, in a fraction of a
    second), so a PDF is still laid out once per run, however many processes run the tests.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.built: dict[tuple, BuiltGuide] = {}

    def __call__(self, guide: Path, layout: str = "student", paper: str | None = None):
        key = (guide, layout, paper)
        if key not in self.built:
            target = self.folder / f"{guide.name}-{layout}-{paper or 'default'}.pdf"
            with open(target.with_suffix(".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if target.exists():
                    model = load_guide(guide)
                else:
                    model = build(guide, Asked(layout, paper), target).guide
            reader = PdfReader(target)
            self.built[key] = BuiltGuide(
                model, target, reader, [_spaced(page.extract_text()) for page in reader.pages]
            )
        return self.built[key]


@pytest.fixture(scope="session")
def builds(tmp_path_factory, worker_id) -> Builds:
    if worker_id == "master":  # not under xdist
        return Builds(tmp_path_factory.mktemp("builds"))
    shared = tmp_path_factory.getbasetemp().parent / "builds"
    shared.mkdir(exist_ok=True)
    return Builds(shared)


@pytest.fixture(scope="session")
def mini(builds) -> BuiltGuide:
    return builds(MINI)


@pytest.fixture(scope="session")
def flagship(builds) -> BuiltGuide:
    return builds(FLAGSHIP)


@pytest.fixture
def mini_copy(tmp_path) -> Path:
    """A private copy of the small guide, for tests that break it."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


class Listener:
    """A TCP listener on a loopback port that counts every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


@pytest.fixture(scope="session")
def listener() -> Listener:
    return Listener()


@pytest.fixture(scope="session")
def tutorial_guide(builds) -> Path:
    """The README tutorial's guide, made once per run from the README as written (its
    `guide new`, then its files), in the folder the test processes share."""
    from test_tutorial import _tutorial as tutorial_steps

    from guide.cli import main

    base = builds.folder / "tutorial"
    base.mkdir(exist_ok=True)
    with open(base / "made.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = base / "made"
        if not done.exists():
            for action, path, body in tutorial_steps():
                if action == "write":
                    (base / path).write_text(body + "\n", encoding="utf-8")
                    continue
                for command in body.splitlines():
                    words = shlex.split(command)
                    if words[:2] == ["guide", "new"]:
                        assert main(["new", str(base / words[2]), *words[3:]]) == 0
            done.touch()
    folders = [p.parent for p in base.glob("*/guide.yaml")]
    assert len(folders) == 1, folders
    return folders[0]
