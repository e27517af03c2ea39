"""`guide build --html`: the document as one self-contained HTML file, for a look in a browser.

The same HTML WeasyPrint lays out, with the layout's stylesheets inlined and what they point
to (fonts, images in the layout's folder) inlined as data: addresses, so the file opens
anywhere on its own. A browser ignores the paged media (page margins, running heads, page
numbers): it is a preview of the content and its styles, not of the pages. It needs no
WeasyPrint, so it takes a fraction of a second.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

from .render_pdf import why_refused

_URL = re.compile(r"""url\(\s*(['"]?)(?P<address>[^'")]+)\1\s*\)""")


def standalone_html(html: str, stylesheets: list[Path], roots: list[Path], page_size: str) -> str:
    """`html` with a <style> of `page_size` and every stylesheet before its </head>."""
    sheets = [f"@page {{ size: {page_size}; }}"]
    sheets += [_inlined(path, roots) for path in stylesheets]
    style = "<style>\n" + "\n".join(sheets).replace("</", "<\\/") + "\n</style>\n"
    head_end = html.find("</head>")
    return html[:head_end] + style + html[head_end:] if head_end >= 0 else style + html


def _inlined(stylesheet: Path, roots: list[Path]) -> str:
    css = stylesheet.read_text(encoding="utf-8")
    allowed = [root.resolve() for root in roots]

    def data_address(match: re.Match) -> str:
        address = match["address"]
        if re.match(r"[a-z][a-z0-9+.-]*:", address, re.I):
            return match[0]  # data: stays; any other scheme the PDF's build refuses anyway
        path = (stylesheet.parent / address).resolve()
        if why_refused(path, allowed):
            return match[0]
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f'url("data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}")'

    return _URL.sub(data_address, css)
