"""Render HTML to PDF bytes with WeasyPrint, allowed to read only the guide's and layouts' files."""

from __future__ import annotations

import datetime
import gc
import logging
import mimetypes
import os
import re
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import engine, files
from .errors import GuideError, Problem, shorten
from .relayout import Relayout, file_digest

MAX_RESOURCE_BYTES = 10 * 1024 * 1024
# Layouts after the first that `revise` may ask for: each moves what the last left out of
# place, and a move can push the pages after it on.
MAX_REVISIONS = 3
MAX_DATA_URL_CHARACTERS = 256 * 1024
# A decoded image this large (8000 × 6000) would take hundreds of MiB to render; a small
# file can claim it (a "decompression bomb"), so pixels are capped as well as bytes.
MAX_IMAGE_PIXELS = 48_000_000
# The variants of WeasyPrint's that a handout can ask for: accessible (UA) and archival (A).
# Not PDF/X: its variants give each file a random id, so two builds would differ.
PDF_VARIANTS = (
    "pdf/ua-1",
    "pdf/ua-2",
    "pdf/a-2b",
    "pdf/a-3b",
    "pdf/a-2u",
    "pdf/a-3u",
    "pdf/a-2a",
    "pdf/a-3a",
)


@dataclass(frozen=True)
class PdfOptions:
    """How the PDF is written, as opposed to how its pages are laid out."""

    variant: str | None = None  # one of PDF_VARIANTS
    tagged: bool = False  # a structure tree for screen readers, whatever the variant
    date: str | None = None  # YYYY-MM-DD: stamped where the PDF would otherwise say "now"


def _fetcher_class():
    # WeasyPrint's import costs about a second; `guide check` must not pay it.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SandboxedFetcher(URLFetcher):
        """Serves regular files under the allowed folders and small data: URLs; refuses
        everything else (other files, devices, every network address), by name."""

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)
            self.roots = [files.real_path(root) for root in roots]
            self.refused: list[tuple[str, str]] = []  # (address, why)
            self.served: list[Path] = []
            self.digests: dict[Path, str] = {}  # each file served → its bytes' digest

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                if len(url) > MAX_DATA_URL_CHARACTERS:
                    return self._refuse(
                        url, f"a data: address over {MAX_DATA_URL_CHARACTERS // 1024} KiB"
                    )
                return self._checked(url, super().fetch(url, headers))
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                return self._refuse(url, "only files inside the guide and its layouts are read")
            path = Path(unquote(parts.path))
            try:
                body = files.read_bytes(path, self.roots, MAX_RESOURCE_BYTES)
            except files.Refused as refused:
                return self._refuse(url, refused.reason)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            response = URLFetcherResponse(url, body, {"Content-Type": content_type})
            self.served.append(files.real_path(path))
            self.digests[files.real_path(path)] = file_digest(path, body)
            return self._checked(url, response)

        def _checked(self, url, response):
            """Refuse a raster image whose header claims more pixels than the cap."""
            if not response.content_type.startswith("image/") or "svg" in response.content_type:
                return response

            body = response.read()
            width, height = _image_size(body)
            if width * height > MAX_IMAGE_PIXELS:
                return self._refuse(
                    url,
                    f"an image of {width} × {height} pixels, over the cap of "
                    f"{MAX_IMAGE_PIXELS // 1_000_000} million",
                )
            return URLFetcherResponse(response.url, body, response.headers, response.status)

        def _refuse(self, url: str, why: str):
            self.refused.append((url, why))
            raise ValueError(why)

    return SandboxedFetcher


def _image_size(body: bytes) -> tuple[int, int]:
    """The pixels a raster image's header claims, read without decoding them; (0, 0) for
    what Pillow cannot read (WeasyPrint then says so itself)."""
    from PIL import Image  # WeasyPrint depends on Pillow

    with warnings.catch_warnings():
        # Pillow warns of (and past twice its own cap, refuses to open) the very images we
        # refuse; we want their size, to say so.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        cap, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
        try:
            with Image.open(BytesIO(body)) as image:
                return image.size
        except Exception:
            return 0, 0
        finally:
            Image.MAX_IMAGE_PIXELS = cap


_DATA_ADDRESS = re.compile(r"data:[^\s'\"()]{60,}")


def shown_address(text: str) -> str:
    """An address, or a message that quotes some, as a warning shows it: each long data:
    address cut to its start (a refused one can be a quarter of a megabyte)."""
    return _DATA_ADDRESS.sub(lambda found: found.group()[:60] + "…", text)


def _describe_links(document, pdf) -> None:
    """Describe each link by its `title`, else its own words ("Zond").

    A tagged PDF's links need a description for screen readers; WeasyPrint gives the target's
    id ("term-zond"), which would be read out letter by letter. The words are the link
    element's text, without what CSS adds after it (the contents' dotted leader and page); a
    link with no words of its own (a page number made by CSS) should have a title.
    """
    if engine.problem():
        return  # WeasyPrint's own description stays
    for element, annotation in engine.link_annotations(document):
        words = element.get("title") or " ".join("".join(element.itertext()).split())
        if words:
            engine.describe(annotation, words)


@contextmanager
def _source_date(date: str | None):
    """Make the written PDF depend on its inputs only, not on the clock.

    The font subsetter (fontTools, as this machine has no HarfBuzz subsetter) stamps the time
    into every embedded font, so two builds a second apart differ. It takes the time from
    SOURCE_DATE_EPOCH when that is set, as reproducible builds do; unless the caller set it,
    it is set here to the guide's own date for the length of the write.
    """
    if date is None or "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    moment = datetime.datetime.fromisoformat(date).replace(tzinfo=datetime.timezone.utc)
    # Not before 1970: a font's own clock starts in 1904 and cannot go back further (an edition
    # dated 1850 stopped the subsetter), and the PDF's dates come from the guide, not from here.
    os.environ["SOURCE_DATE_EPOCH"] = str(max(0, int(moment.timestamp())))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def source_date_epoch_problem(environ: dict[str, str] | os._Environ = os.environ) -> str | None:
    """What is wrong with the caller's SOURCE_DATE_EPOCH, if anything. Empty counts as unset
    (and is removed, so that nothing downstream reads it); anything but a whole number of
    seconds since 1970 is refused, as the reproducible-builds specification asks."""
    value = environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        return None
    if not value.strip():
        del environ["SOURCE_DATE_EPOCH"]
        return None
    if value.strip().isascii() and value.strip().isdigit():
        return None
    return (
        f"SOURCE_DATE_EPOCH is '{value}', not a whole number of seconds since 1970 — set it to "
        "one (such as the last commit's: git log -1 --format=%ct), or unset it"
    )


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        if not engine.is_machine_note(message):
            self.messages.append(message)


def _stylesheet_text(path: Path, roots: list[Path]) -> str:
    """A layout's stylesheet, read by the one rule for files (files.py), not by WeasyPrint."""
    data = files.read_bytes(
        path, [files.real_path(r) for r in roots], MAX_RESOURCE_BYTES, "stylesheet"
    )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GuideError.at(path, "not UTF-8", line, hint="save the stylesheet as UTF-8") from None


@dataclass
class RenderedPdf:
    pdf: bytes
    pages: int
    warnings: list[Problem]  # WeasyPrint's complaints and every refused address
    resources: list[Path]  # files the document read: stylesheets, images, fonts
    laid_out: int | None = None  # pages laid out afresh, when a Relayout reused the rest
    # Why a Relayout laid out every page (its last layout's reason), "" when it kept some.
    relaid: str = ""


def render_pdf(
    html: str,
    stylesheets: list[Path],
    roots: list[Path],
    page_size: str,
    base: Path,
    relayout: Relayout | None = None,
    options: PdfOptions = PdfOptions(),
    revise: Callable[[Any], str | None] | None = None,
) -> RenderedPdf:
    """Lay out and write the PDF; with `relayout` (a warm process), lay out only what changed.

    `revise`, given the laid-out document (WeasyPrint's), returns other HTML to lay out
    instead, or None when the pages will do; it is asked again after each new layout, at
    most MAX_REVISIONS times.

    This runs for as long as the document asks: callers run it in a worker (confine.py).
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _fetcher_class()(roots)
    fonts = FontConfiguration()
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        # First, so a layout's own @page rules can still override the size.
        sheets = [CSS(string=f"@page {{ size: {page_size}; }}", font_config=fonts)]
        texts = {path: _stylesheet_text(path, roots) for path in stylesheets}
        sheets += [
            CSS(string=text, base_url=path.as_uri(), url_fetcher=fetcher, font_config=fonts)
            for path, text in texts.items()
        ]

        def parse(text: str = html):
            return HTML(string=text, base_url=base.as_uri() + "/", url_fetcher=fetcher)

        def lay_out(document_html):
            return document_html.render(stylesheets=sheets, font_config=fonts)

        laid_out = None
        relaid = ""
        # Beside the HTML and the stylesheets, what the pages and the PDF depend on: a
        # change to any of it lays out the whole document again.
        settings = repr((page_size, [str(root) for root in fetcher.roots], options))

        def pages_of(text: str, revision: int = 0):
            nonlocal laid_out, relaid
            if relayout is None:
                return lay_out(parse(text))

            def parse_this(other: str = text):
                return parse(other)

            outcome = relayout.revision(revision).lay_out(
                parse_this, lay_out, texts, settings, lambda: fetcher.digests
            )
            laid_out = outcome.laid_out  # of the pages written: the last layout's
            relaid = outcome.reason
            return outcome.document

        document = pages_of(html)
        for revision in range(1, MAX_REVISIONS + 1):
            # The pages, looked at, may ask for other HTML (placement.py: a sidebar a page
            # turn from its section goes in the text); each revision only adds to the last.
            revised = revise(document) if revise else None
            if revised is None:
                break
            document = pages_of(revised, revision)
        # Layout leaves a heap of cyclic garbage; freed now, writing the PDF reuses that
        # memory instead of adding to it (a 209-page guide peaks at 351 MiB, not 386).
        gc.collect()
        if options.tagged:
            engine.tag_languages()
        with _source_date(options.date):
            pdf = document.write_pdf(
                pdf_variant=options.variant,
                pdf_tags=options.tagged,
                finisher=_describe_links if options.tagged else None,
            )
    finally:
        logger.removeHandler(collect)
    warnings = [
        Problem(None, None, None, f"refused to read {shown_address(url)}: {why}", warning=True)
        for url, why in dict.fromkeys(fetcher.refused)
    ]
    # WeasyPrint also logs each refused address, with the address or with our reason; ours
    # says both, so drop its echo.
    warnings += [
        Problem(
            None, None, None, f"WeasyPrint: {shorten(shown_address(message), 500)}", warning=True
        )
        for message in collect.messages
        if not any(url in message or f"Error: {why}" in message for url, why in fetcher.refused)
    ]
    resources = [*stylesheets, *(relayout.resources if relayout else fetcher.served)]
    return RenderedPdf(pdf, len(document.pages), warnings, resources, laid_out, relaid)
