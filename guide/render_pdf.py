"""Render HTML to PDF bytes with WeasyPrint, allowed to read only the guide's and layouts' files."""

from __future__ import annotations

import datetime
import gc
import logging
import mimetypes
import os
import signal
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import GuideError, Problem
from .relayout import Relayout

MAX_RESOURCE_BYTES = 10 * 1024 * 1024
MAX_DATA_URL_CHARACTERS = 256 * 1024
# A decoded image this large (8000 × 6000) would take hundreds of MiB to render; a small
# file can claim it (a "decompression bomb"), so pixels are capped as well as bytes.
MAX_IMAGE_PIXELS = 48_000_000
DEFAULT_TIME_LIMIT = 300  # seconds; a render that takes longer is stopped
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


class RenderTimeout(Exception):
    pass


def _fetcher_class():
    # WeasyPrint's import costs about a second; `guide check` must not pay it.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SandboxedFetcher(URLFetcher):
        """Serves regular files under the allowed folders and small data: URLs; refuses
        everything else (other files, devices, every network address), by name."""

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)
            self.roots = [root.resolve() for root in roots]
            self.refused: list[tuple[str, str]] = []  # (address, why)
            self.served: list[Path] = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                if len(url) > MAX_DATA_URL_CHARACTERS:
                    return self._refuse(
                        _shown(url),
                        f"a data: address over {MAX_DATA_URL_CHARACTERS // 1024} KiB",
                    )
                return self._checked(url, super().fetch(url, headers))
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                return self._refuse(url, "only files inside the guide and its layouts are read")
            path = Path(unquote(parts.path)).resolve()
            if why := why_refused(path, self.roots):
                return self._refuse(url, why)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            response = URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
            self.served.append(path)
            return self._checked(url, response)

        def _checked(self, url, response):
            """Refuse a raster image whose header claims more pixels than the cap."""
            if not response.content_type.startswith("image/") or "svg" in response.content_type:
                return response
            from PIL import Image  # WeasyPrint depends on Pillow

            body = response.read()
            with warnings.catch_warnings():
                # Pillow warns of (and past twice its own cap, refuses) exactly what we refuse.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                try:
                    with Image.open(BytesIO(body)) as image:
                        width, height = image.size
                except Image.DecompressionBombError:
                    width, height = MAX_IMAGE_PIXELS, 2
                except Exception:  # not an image Pillow knows: WeasyPrint will say so itself
                    width = height = 0
            if width * height > MAX_IMAGE_PIXELS:
                return self._refuse(
                    _shown(url),
                    f"an image of {width} × {height} pixels, over the cap of "
                    f"{MAX_IMAGE_PIXELS // 1_000_000} million",
                )
            return URLFetcherResponse(response.url, body, response.headers, response.status)

        def _refuse(self, url: str, why: str):
            self.refused.append((url, why))
            raise ValueError(why)

    return SandboxedFetcher


def why_refused(path: Path, roots: list[Path]) -> str | None:
    """Why a file may not be read into a document, or None if it may: the rule for the PDF's
    fetcher and the HTML preview alike. `path` and `roots` are resolved."""
    if not any(path.is_relative_to(root) for root in roots):
        return "outside the guide and its layouts"
    if not path.is_file():
        return "not a regular file"
    if path.stat().st_size > MAX_RESOURCE_BYTES:
        return f"larger than {MAX_RESOURCE_BYTES // 2**20} MiB"
    return None


def _shown(url: str) -> str:
    """An address as a warning names it: a data: address cut to its start."""
    return url[:60] + "…" if url.startswith("data:") and len(url) > 60 else url


@contextmanager
def _time_limit(seconds: float):
    """Stop the render with RenderTimeout after `seconds`, where a signal can do it.

    Signals reach only the main thread; elsewhere (a caller's worker thread) there is no limit.
    """
    if threading.current_thread() is not threading.main_thread() or not seconds:
        yield
        return

    def expire(signum, frame):
        raise RenderTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _describe_links(document, pdf) -> None:
    """Describe each link by its `title`, else its own words ("Zond").

    A tagged PDF's links need a description for screen readers; WeasyPrint gives the target's
    id ("term-zond"), which would be read out letter by letter. The words are the link
    element's text, without what CSS adds after it (the contents' dotted leader and page); a
    link with no words of its own (a page number made by CSS) should have a title.
    """
    import pydyf  # WeasyPrint's PDF writer

    for page in document.pages:
        for _, _, _, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is None or box.element is None:
                continue
            words = box.element.get("title") or " ".join("".join(box.element.itertext()).split())
            if words:
                annotation["Contents"] = pydyf.String(words)


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
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        # A note about this machine's libraries, not about the guide: nothing a teacher can act on.
        if "HarfBuzz-Subset" not in message:
            self.messages.append(message)


@dataclass
class RenderedPdf:
    pdf: bytes
    pages: int
    warnings: list[Problem]  # WeasyPrint's complaints and every refused address
    resources: list[Path]  # files the document read: stylesheets, images, fonts
    laid_out: int | None = None  # pages laid out afresh, when a Relayout reused the rest


def render_pdf(
    html: str,
    stylesheets: list[Path],
    roots: list[Path],
    page_size: str,
    base: Path,
    time_limit: float = DEFAULT_TIME_LIMIT,
    relayout: Relayout | None = None,
    options: PdfOptions = PdfOptions(),
) -> RenderedPdf:
    """Lay out and write the PDF; with `relayout` (a warm process), lay out only what changed."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _fetcher_class()(roots)
    fonts = FontConfiguration()
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        with _time_limit(time_limit):
            # First, so a layout's own @page rules can still override the size.
            sheets = [CSS(string=f"@page {{ size: {page_size}; }}", font_config=fonts)]
            sheets += [
                CSS(filename=str(path), url_fetcher=fetcher, font_config=fonts)
                for path in stylesheets
            ]

            def parse(text: str = html):
                return HTML(string=text, base_url=base.as_uri() + "/", url_fetcher=fetcher)

            def lay_out(document_html):
                return document_html.render(stylesheets=sheets, font_config=fonts)

            laid_out = None
            if relayout is None:
                document = lay_out(parse())
            else:
                outcome = relayout.lay_out(
                    parse, lay_out, stylesheets, page_size, lambda: fetcher.served
                )
                document = outcome.document
                laid_out = outcome.laid_out
            # Layout leaves a heap of cyclic garbage; freed now, writing the PDF reuses that
            # memory instead of adding to it (a 209-page guide peaks at 351 MiB, not 386).
            gc.collect()
            with _source_date(options.date):
                pdf = document.write_pdf(
                    pdf_variant=options.variant,
                    pdf_tags=options.tagged,
                    finisher=_describe_links if options.tagged else None,
                )
    except RenderTimeout:
        raise GuideError.at(
            base / "layout.yaml",
            f"rendering took longer than {time_limit:g} s and was stopped",
            hint="look for a huge image or an endless loop in the layout, or raise --time-limit",
        ) from None
    finally:
        logger.removeHandler(collect)
    warnings = [
        Problem(None, None, None, f"refused to read {url}: {why}", warning=True)
        for url, why in dict.fromkeys(fetcher.refused)
    ]
    # WeasyPrint also logs each refused address; ours says why, so drop its echo.
    warnings += [
        Problem(None, None, None, f"WeasyPrint: {message}", warning=True)
        for message in collect.messages
        if not any(url in message for url, _ in fetcher.refused)
    ]
    resources = [*stylesheets, *(relayout.resources if relayout else fetcher.served)]
    return RenderedPdf(pdf, len(document.pages), warnings, resources, laid_out)
