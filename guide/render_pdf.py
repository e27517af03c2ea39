"""Render HTML to PDF bytes with WeasyPrint, allowed to read only the guide's and layouts' files."""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import Problem

MAX_RESOURCE_BYTES = 10 * 1024 * 1024


def _fetcher_class():
    # WeasyPrint's import costs about a second; `guide check` must not pay it.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SandboxedFetcher(URLFetcher):
        """Serves regular files under the allowed folders; refuses everything else, by name."""

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)
            self.roots = [root.resolve() for root in roots]
            self.refused: list[tuple[str, str]] = []  # (address, why)
            self.served: list[Path] = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                return self._refuse(url, "only files inside the guide and its layouts are read")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                return self._refuse(url, "outside the guide and its layouts")
            if not path.is_file():
                return self._refuse(url, "not a regular file")
            if path.stat().st_size > MAX_RESOURCE_BYTES:
                return self._refuse(url, f"larger than {MAX_RESOURCE_BYTES // 2**20} MiB")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            self.served.append(path)
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

        def _refuse(self, url: str, why: str):
            self.refused.append((url, why))
            raise ValueError(why)

    return SandboxedFetcher


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


def render_pdf(
    html: str, stylesheets: list[Path], roots: list[Path], page_size: str, base: Path
) -> RenderedPdf:
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
        sheets += [
            CSS(filename=str(path), url_fetcher=fetcher, font_config=fonts) for path in stylesheets
        ]
        document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=sheets, font_config=fonts
        )
        pdf = document.write_pdf()
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
    return RenderedPdf(pdf, len(document.pages), warnings, [*stylesheets, *fetcher.served])
