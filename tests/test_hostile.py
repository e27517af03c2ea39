"""A hostile guide folder: its layout asks WeasyPrint for files and addresses it must not get."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader

from guide.build import build
from guide.errors import GuideError
from guide.render_pdf import MAX_RESOURCE_BYTES


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


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
    result = build(hostile, "evil", tmp_path / "evil.pdf")
    warnings = [str(w) for w in result.warnings]
    for address, why in ADDRESSES.items():
        assert f"guide: warning: refused to read {address}: {why}" in warnings
    assert any("/secret.txt: outside the guide and its layouts" in w for w in warnings)
    assert any(w.endswith("a data: address over 256 KiB") for w in warnings)
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


def test_a_render_over_its_time_limit_stops_and_keeps_the_last_pdf(mini_copy, tmp_path):
    target = tmp_path / "output" / "mini.pdf"
    target.parent.mkdir()
    target.write_bytes(b"the last good PDF")
    with pytest.raises(GuideError) as stopped:
        build(mini_copy, "student", target, time_limit=0.01)
    assert str(stopped.value).endswith(
        "rendering took longer than 0.01 s and was stopped — look for a huge image or an "
        "endless loop in the layout, or raise --time-limit"
    )
    assert target.read_bytes() == b"the last good PDF"
    assert [p.name for p in target.parent.iterdir()] == ["mini.pdf"]  # no stray temporary file
