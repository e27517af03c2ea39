"""Guides and layouts from someone who means harm: nothing they say reaches the machine.

The corpus in tests/hostile/ (see its README) runs each attack and checks its exact outcome,
and that no canary was read or written, no connection made, no file left where it should not
be. The test below it reads what WeasyPrint was asked to fetch."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import sysconfig
import time
import uuid
from pathlib import Path

import pdfplumber
import pytest
import yaml
from conftest import MINI, ROOT
from PIL import Image
from pypdf import PdfReader

from guide.build import build
from guide.cli import main
from guide.render_pdf import MAX_RESOURCE_BYTES
from guide.settings import Asked

CASES = sorted((ROOT / "tests" / "hostile").glob("*.yaml"))
CASE_KEYS = {
    "threat", "layout", "replace", "write", "link", "fifo", "png", "command", "exit", "expect",
    "html_lacks", "seconds", "pdf", "built",
}  # fmt: skip
OLD_PDF = b"the last good PDF"


class Canary:
    """Files outside the project that a guide must never read or write. Each holds a unique
    text that must appear in no output."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.secret = f"CANARY-{uuid.uuid4().hex}"
        folder.mkdir()
        (folder / "secret.txt").write_text(f"{self.secret}\n", encoding="utf-8")
        (folder / "evil.css").write_text(
            f'body::before {{ content: "{self.secret}"; }}\n', encoding="utf-8"
        )
        (folder / "guide.html").write_text(f"<p>{self.secret}</p>\n", encoding="utf-8")
        (folder / "templates").mkdir()
        (folder / "templates" / "guide.html").write_text(f"<p>{self.secret}</p>\n")
        (folder / "templates" / "part.html").write_text(f"<p>{self.secret}</p>\n")
        # A layout of its own (evil/), so a link to this folder is a layouts/ folder too.
        (folder / "evil" / "templates").mkdir(parents=True)
        (folder / "evil" / "layout.yaml").write_text(
            "name: evil\ndescription: from elsewhere\nextends: student\nstylesheets: []\n"
        )
        (folder / "evil" / "templates" / "guide.html").write_text(f"<p>{self.secret}</p>\n")
        image = io.BytesIO()
        Image.new("RGB", (4, 4), "red").save(image, "PNG")
        (folder / "secret.png").write_bytes(image.getvalue())
        self.before = self.state()

    def state(self) -> dict[str, tuple[bytes, int]]:
        return {
            str(path.relative_to(self.folder)): (
                path.read_bytes() if path.is_file() else b"",
                path.stat().st_mtime_ns,
            )
            for path in sorted(self.folder.rglob("*"))
        }


def load_case(path: Path) -> dict:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
    assert case.get("threat"), f"{path.name}: say what the threat is"
    assert isinstance(case.get("expect"), list), f"{path.name}: 'expect' must be a list"
    return case


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


def prepare(case: dict, guide: Path, fill) -> None:
    if "layout" in case:
        folder = guide / "layouts" / "evil"
        (folder / "templates").mkdir(parents=True)
        (folder / "layout.yaml").write_text(
            "name: evil\ndescription: a shared layout\nextends: student\nstylesheets: []\n"
        )
        (folder / "templates" / "guide.html").write_text(fill(case["layout"]), encoding="utf-8")
    for edit in case.get("replace", []):
        path = guide / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert edit["old"] in text, f"{edit['file']}: {edit['old']!r} not found"
        path.write_text(text.replace(edit["old"], fill(edit["new"]), 1), encoding="utf-8")
    for edit in case.get("write", []):
        path = guide / edit["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fill(edit["content"]), encoding="utf-8")
    for image in case.get("png", []):
        path = guide / image["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_png(image["width"], image["height"]))
    for link in case.get("link", []):
        path = guide / link["file"]
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(fill(link["to"]))
    for name in case.get("fifo", []):
        path = guide / name
        path.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)


def _text_of(path: Path) -> str:
    """What a reader of the file sees, as text: a PDF's extracted text, else its bytes."""
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        with pdfplumber.open(path) as document:
            return "".join(page.extract_text() or "" for page in document.pages)
    return data.decode("utf-8", "replace")


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_hostile_input(path, tmp_path, listener, capsys, monkeypatch):
    case = load_case(path)
    project = tmp_path / "project"
    guide = project / "mini"
    shutil.copytree(MINI, guide)
    out = project / "out"
    out.mkdir()
    (out / "mini.pdf").write_bytes(OLD_PDF)
    canary = Canary(tmp_path / "canary")

    def fill(text: str) -> str:
        text = re.sub(r"\{(.)\*(\d+)\}", lambda m: m[1] * int(m[2]), text)  # {a*5000}
        return (
            text.replace("{canary}", str(canary.folder))
            .replace("{port}", str(listener.port))
            .replace("{guide}", str(guide))
        )

    prepare(case, guide, fill)
    command, *options = fill(case.get("command", "check")).split()
    argv = [command, str(guide), *options]
    if command == "html":
        argv = ["build", str(guide), "--html", *options, "-o", str(out / "mini.html")]
    elif command == "build" and "all" not in options:
        argv += ["-o", str(out / "mini.pdf")]
    site_packages = Path(sysconfig.get_paths()["purelib"])
    packages_before = sorted(os.listdir(site_packages))
    outside_before = sorted(os.listdir(tmp_path))
    connections = listener.connections
    monkeypatch.chdir(guide)
    capsys.readouterr()

    started = time.monotonic()
    code = main(argv)
    seconds = time.monotonic() - started

    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    expected = [fill(line) for line in case["expect"]]
    assert captured.err.splitlines() == expected
    assert code == case.get("exit", 1)
    assert seconds < case.get("seconds", 20), f"took {seconds:.1f} s"
    # The last good PDF is kept when the build fails; a good build replaces it.
    pdf = (out / "mini.pdf").read_bytes()
    single = command == "build" and "all" not in options
    if case.get("pdf", "new" if single and code == 0 else "kept") == "kept":
        assert pdf == OLD_PDF
    else:
        assert pdf.startswith(b"%PDF-")
    written = {"mini.pdf", "mini.html"} if command == "html" and code == 0 else {"mini.pdf"}
    assert _tree(out) == written
    # --layout all writes into output/ where it runs: the layouts that did not fail.
    assert len(list((guide / "output").glob("*.pdf"))) == case.get("built", 0)
    if command == "html" and code == 0:
        html = (out / "mini.html").read_text(encoding="utf-8")
        for text in case.get("html_lacks", []):
            assert fill(text) not in html
    # No canary read into any output, none changed, nothing written outside the project.
    outputs = [captured.out, captured.err] + [_text_of(p) for p in out.iterdir()]
    assert not any(canary.secret in text for text in outputs)
    assert canary.state() == canary.before
    assert sorted(os.listdir(tmp_path)) == outside_before
    assert sorted(os.listdir(site_packages)) == packages_before
    assert listener.connections == connections, "a connection reached the loopback listener"


def test_the_corpus_covers_every_class_of_threat_and_names_each_once():
    cases = [load_case(path) for path in CASES]
    threats = [case["threat"] for case in cases]
    repeated = sorted({t for t in threats if threats.count(t) > 1})
    assert not repeated, f"threats named twice: {repeated}"
    text = " ".join(threats)
    for kind in ("template", "link", "named pipe", "loop", "word", "memory", "preview", "nested"):
        assert kind in text, f"no case of a {kind}"
    assert len(cases) >= 40


# --- what WeasyPrint is asked to fetch -----------------------------------------------------

TINY_PNG = "data:image/png;base64," + base64.b64encode(_png(2, 2)).decode()
HUGE_DATA = "data:image/png;base64," + "A" * 300_000
ADDRESSES = {
    "file:///etc/passwd": "outside the guide and its layouts",
    "file:///dev/urandom": "outside the guide and its layouts",
    "http://127.0.0.1:9/tracker.png": "only files inside the guide and its layouts are read",
    "https://example.com/logo.png": "only files inside the guide and its layouts are read",
    "ftp://example.com/logo.png": "only files inside the guide and its layouts are read",
}


@pytest.fixture
def hostile(mini_copy) -> Path:
    folder = mini_copy / "layouts" / "evil"
    (folder / "templates").mkdir(parents=True)
    (folder / "layout.yaml").write_text(
        "name: evil\ndescription: asks for everything\nextends: student\n", encoding="utf-8"
    )
    (folder / "style.css").write_text(
        "@import url(https://example.com/logo.png);\n"
        "body { background: url(file:///dev/urandom); }\n",
        encoding="utf-8",
    )
    tags = [
        '<link rel="attachment" href="file:///etc/passwd">',
        '<img src="file:///etc/passwd" alt="">',
        '<link rel="attachment" href="../../../secret.txt">',
        '<img src="../../../secret.txt" alt="">',
        '<img src="http://127.0.0.1:9/tracker.png" alt="">',
        '<img src="ftp://example.com/logo.png" alt="">',
        f'<img src="{HUGE_DATA}" alt="">',
        f'<img src="{TINY_PNG}" alt="tiny">',
        '<img src="bomb.png" alt="">',
        '<img src="big.png" alt="">',
    ]
    (folder / "templates" / "guide.html").write_text(
        '{% extends "student/guide.html" %}{% block questions %}{{ super() }}'
        + "".join(tags)
        + "{% endblock %}",
        encoding="utf-8",
    )
    # 12000 × 8000 pixels in a few kilobytes: small on disk, 96 million pixels to decode.
    (folder / "bomb.png").write_bytes(_png(12000, 8000))
    with open(folder / "big.png", "wb") as big:
        big.truncate(MAX_RESOURCE_BYTES + 1)
    (mini_copy.parent / "secret.txt").write_text("the answers to Friday's test", encoding="utf-8")
    return mini_copy


def test_a_hostile_layout_gets_nothing_from_outside_and_says_what_it_refused(hostile, tmp_path):
    result = build(hostile, Asked("evil"), tmp_path / "evil.pdf")
    warnings = [str(w) for w in result.warnings]
    for address, why in ADDRESSES.items():
        assert f"guide: warning: refused to read {address}: {why}" in warnings
    assert any("/secret.txt: outside the guide and its layouts" in w for w in warnings)
    # A refused data: address is named by its start, not echoed whole.
    assert (
        "guide: warning: refused to read " + HUGE_DATA[:60] + "…: a data: address over 256 KiB"
        in warnings
    )
    assert max(len(w) for w in warnings) < 400
    assert any(
        "bomb.png: an image of 12000 × 8000 pixels, over the cap of 48 million" in w
        for w in warnings
    )
    assert any("big.png: larger than 10 MiB" in w for w in warnings)
    assert PdfReader(result.path).attachments == {}
    with pdfplumber.open(result.path) as document:
        text = " ".join(page.extract_text() for page in document.pages)
        images = [image for page in document.pages for image in page.images]
    assert len(images) == 1  # the small data: image, and nothing else
    assert "Friday" not in text and "root:" not in text
