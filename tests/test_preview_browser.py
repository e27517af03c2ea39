"""The HTML preview opened in a real browser: Chromium from the Debian archive (make test
installs it), driven by Playwright. A hostile layout's preview makes no request and runs no
script; the same HTML unsanitized does both, so the test can tell."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINI, ROOT
from test_hostile import load_case

from guide.build import load_guide, resolve_layout
from guide.cli import main
from guide.render_html import render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# As root, without a sandbox of its own; and without the background requests Chromium makes
# to Google's servers, which this test would otherwise count.
ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
]
HOSTILE = ROOT / "tests" / "hostile" / "080-preview-of-a-layout-that-phones-home.yaml"


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, "no chromium: `make test` installs it (scripts/install-test-tools)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS)
        yield chromium
        chromium.close()


class Visit:
    """A file opened in a fresh page: every request it made, and what its scripts left."""

    def __init__(self, browser, path: Path):
        page = browser.new_page()
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(1500)  # a refresh, an autoplay, a late script
        self.title = page.evaluate("document.title")
        self.ran = page.evaluate("window.__ran === true")
        self.text = page.inner_text("body") if page.query_selector("body") else ""
        self.page = page

    def elsewhere(self, path: Path) -> list[str]:
        return [
            url for url in self.requests if url != path.as_uri() and not url.startswith("data:")
        ]


@pytest.fixture
def hostile_layout(mini_copy, listener) -> Path:
    case = load_case(HOSTILE)
    template = case["layout"].replace("{port}", str(listener.port))
    # Scripts that would leave a mark where the test can read it.
    template = template.replace("<title>", "<script>window.__ran = true</script><title>")
    folder = mini_copy / "layouts" / "evil"
    (folder / "templates").mkdir(parents=True)
    (folder / "layout.yaml").write_text(
        "name: evil\ndescription: phones home\nextends: student\nstylesheets: []\n"
    )
    (folder / "templates" / "guide.html").write_text(template, encoding="utf-8")
    return mini_copy


def test_a_hostile_preview_makes_no_request_and_runs_no_script(
    browser, hostile_layout, listener, tmp_path
):
    preview = tmp_path / "preview.html"
    assert (
        main(["build", str(hostile_layout), "--html", "--layout", "evil", "-o", str(preview)]) == 0
    )
    before = listener.connections
    visit = Visit(browser, preview)
    assert visit.elsewhere(preview) == []
    assert listener.connections == before
    assert not visit.ran and visit.title == "Ink and Iron"
    assert "Ink and Iron" in visit.text and "Students aged 12–14" in visit.text


def test_the_same_html_unsanitized_would_have_phoned_home(
    browser, hostile_layout, listener, tmp_path
):
    # The control: what the browser does with the layout's HTML as the templates wrote it.
    guide = load_guide(hostile_layout)
    raw = tmp_path / "raw.html"
    html = render_html(guide, resolve_layout(guide, "evil"), "A4")
    # Without the layout's own refresh (the page would be gone before it is read) and its
    # own policy (which forbids inline scripts): the rest is as the templates wrote it.
    kept = [line for line in html.splitlines() if "http-equiv" not in line]
    raw.write_text("\n".join(kept), encoding="utf-8")
    before = listener.connections
    visit = Visit(browser, raw)
    assert visit.ran and visit.title == "ran"
    assert listener.connections > before
    assert any(f"127.0.0.1:{listener.port}" in url for url in visit.elsewhere(raw))


def test_the_student_preview_is_styled_and_self_contained(browser, tmp_path):
    preview = tmp_path / "student.html"
    assert main(["build", str(MINI), "--html", "-o", str(preview)]) == 0
    visit = Visit(browser, preview)
    assert visit.elsewhere(preview) == []
    assert "Gutenberg’s invention" in visit.text
    # The layout's stylesheet is inlined and applies: the cover title is 34 pt (45.33 px).
    size = visit.page.evaluate("getComputedStyle(document.querySelector('.cover-title')).fontSize")
    assert size == "45.3333px"
