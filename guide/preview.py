"""`guide build --to html` (builders/html.py): the document as one self-contained, inert
HTML file for a browser.

The same HTML WeasyPrint lays out, with the layout's stylesheets inlined and what they and the
document point to (fonts, images of the guide and layout) turned into data: addresses, so the
file opens anywhere on its own. A browser ignores the paged media (page margins, running heads,
page numbers): it is a preview of the content and its styles, not of the pages. It needs no
WeasyPrint, so it takes a fraction of a second.

A layout from someone else can put anything in its templates: scripts, trackers, frames, a
refresh to another site. WeasyPrint runs no script and fetches only what files.py allows; a
browser would run and fetch all of it. So the preview is made anew from a parse of the
document by the HTML standard's parser (tinyhtml5, WeasyPrint's own): scripts, frames,
objects, `<link>`, `<base>` and `<meta http-equiv>` are dropped with their content, and so are
event handlers; an address is kept only as a fragment (`#term-zond`) or as a data: address,
made from a file of the guide or layout by the one rule for files; CSS, in stylesheets,
`<style>` and `style=`, is rewritten the same way with tinycss2. Over all that, a
Content-Security-Policy allows no script, no frame and no address but data: ones.
"""

from __future__ import annotations

import base64
import io
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import tinycss2
import tinyhtml5

from . import files
from .errors import Problem
from .render_pdf import MAX_DATA_URL_CHARACTERS, MAX_RESOURCE_BYTES, shown_address

POLICY = (
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)
_HTML = "{http://www.w3.org/1999/xhtml}"
# Dropped with all they hold: they run code, fetch, frame other pages or redirect.
_DROPPED = {
    "script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "link", "portal", "template", "animate", "animatemotion", "animatetransform", "set",
    "discard", "handler", "listener",
}  # fmt: skip
# Attributes whose value is an address (or a list of them).
_ADDRESSES = {
    "href", "src", "srcset", "action", "formaction", "poster", "data", "background", "cite",
    "longdesc", "manifest", "ping", "lowsrc", "dynsrc", "codebase", "archive", "icon",
    "profile", "usemap", "attributionsrc", "xlink:href",
}  # fmt: skip
# Where an address may stand for something to show, and so be inlined: the rest (href, cite…)
# may only point within the page.
_SHOWN = {"src", "poster", "background", "xlink:href"}
_VOID = {
    "area", "br", "col", "embed", "hr", "img", "input", "meta", "param", "source", "track",
    "wbr", "keygen",
}  # fmt: skip
# A browser ignores @page, so the text would run edge to edge of the window: on a screen,
# the document sits on a sheet of the page's width with the layout's own page margins.
_SCREEN_SHEET = """@media screen {
  html { background: #d9d9d9; }
  body { box-sizing: border-box; max-width: WIDTH; margin: 1.5rem auto;
         padding: var(--page-margin, 20mm); background: white;
         box-shadow: 0 1px 6px rgba(0, 0, 0, 0.25); }
}"""
_URL_FUNCTIONS = {"url", "src"}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def standalone_html(
    html: str, stylesheets: list[Path], roots: list[Path], page_size: str, base: Path
) -> tuple[str, list[Problem]]:
    """`html` made inert and self-contained, with `page_size` and the stylesheets inlined,
    and a warning for each file refused (as the PDF's build warns of them).

    `roots` are the folders whose files may be inlined, `base` the folder relative addresses
    in the document start from (the layout's, as for the PDF).
    """
    inliner = _Inliner([files.real_path(root) for root in roots])
    sheets = [f"@page {{ size: {page_size}; }}"]
    for path in stylesheets:
        css = files.read_bytes(path, inliner.roots, MAX_RESOURCE_BYTES, "stylesheet")
        sheets.append(inliner.css(css.decode("utf-8-sig", errors="replace"), path.parent))
    sheets.append(_SCREEN_SHEET.replace("WIDTH", page_size.split()[0]))
    # A text, not a str: tinyhtml5 reads a short str that names a file as that file.
    document = tinyhtml5.parse(io.StringIO(html))
    _clean(document, inliner, base)
    head = document.find(f"{_HTML}head")
    policy = ElementTree.Element(f"{_HTML}meta", {"http-equiv": "Content-Security-Policy"})
    policy.set("content", POLICY)
    style = ElementTree.Element(f"{_HTML}style")
    style.text = "\n" + "\n".join(sheets) + "\n"
    head.insert(0, policy)
    head.append(style)
    warnings = [
        Problem(None, None, None, f"refused to read {address}: {why}", warning=True)
        for address, why in dict.fromkeys(inliner.refused)
    ]
    return "<!DOCTYPE html>\n" + _serialize(document) + "\n", warnings


class _Inliner:
    """Turns an address into one that fetches nothing: a fragment, or data: (see the module)."""

    def __init__(self, roots: list[Path]):
        self.roots = roots
        self.refused: list[tuple[str, str]] = []  # (address, why) of files not inlined

    def address(self, address: str, base: Path, shown: bool) -> str | None:
        address = address.strip()
        if address.startswith("#"):
            return address
        if not shown:
            return None
        if address.lower().startswith("data:"):
            if len(address) <= MAX_DATA_URL_CHARACTERS:
                return address
            self.refused.append((shown_address(address), "a data: address over 256 KiB"))
            return None
        parts = urlsplit(address)
        if _SCHEME.match(address) or address.startswith("//") or parts.netloc:
            # Another machine, or file: anywhere: the PDF's build refuses these as well.
            self.refused.append((address, "only files inside the guide and its layouts are read"))
            return None
        path = base / unquote(parts.path)
        try:
            data = files.read_bytes(path, self.roots, MAX_RESOURCE_BYTES)
        except files.Refused as refused:
            self.refused.append((address, refused.reason))
            return None
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/html") or "javascript" in kind:
            return None
        return f"data:{kind};base64,{base64.b64encode(data).decode()}"

    def css(self, text: str, base: Path) -> str:
        rules = tinycss2.parse_stylesheet(text)
        return tinycss2.serialize(self._rules(rules, base))

    def declarations(self, text: str, base: Path) -> str:
        return tinycss2.serialize(self._values(tinycss2.parse_component_value_list(text), base))

    def _rules(self, rules: list, base: Path) -> list:
        kept = []
        for rule in rules:
            if rule.type == "at-rule" and rule.lower_at_keyword in ("import", "namespace"):
                continue  # @import fetches a stylesheet
            if rule.type in ("at-rule", "qualified-rule") and rule.content is not None:
                nested = rule.lower_at_keyword if rule.type == "at-rule" else None
                if nested in ("media", "supports", "layer", "container", "document"):
                    rule.content = self._rules(tinycss2.parse_rule_list(rule.content), base)
                else:
                    rule.content = self._values(rule.content, base)
            if rule.type == "at-rule":
                rule.prelude = self._values(rule.prelude, base)
            kept.append(rule)
        return kept

    def _values(self, tokens: list, base: Path) -> list:
        out = []
        for token in tokens:
            if token.type == "url":
                out.append(self._url(token.value, base))
            elif token.type == "function" and token.lower_name in _URL_FUNCTIONS:
                strings = [t.value for t in token.arguments if t.type == "string"]
                out.append(self._url(strings[0] if strings else "", base))
            elif token.type == "function" and "image-set" in token.lower_name:
                # image-set("a.png" 1x): its strings are addresses.
                token.arguments = [
                    _string(self._inlined(t.value, base)) if t.type == "string" else t
                    for t in self._values(token.arguments, base)
                ]
                out.append(token)
            elif token.type in ("function", "() block", "[] block", "{} block"):
                inner = "arguments" if token.type == "function" else "content"
                setattr(token, inner, self._values(getattr(token, inner), base))
                out.append(token)
            else:
                out.append(token)
        return out

    def _inlined(self, address: str, base: Path) -> str:
        return self.address(address, base, shown=True) or "data:,"

    def _url(self, address: str, base: Path):
        return tinycss2.parse_one_component_value(f"url({_quoted(self._inlined(address, base))})")


def _string(text: str):
    return tinycss2.parse_one_component_value(_quoted(text))


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _attribute_name(name: str) -> str:
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.rsplit("}", 1)[1]
    if name.startswith("{http://www.w3.org/XML/1998/namespace}"):
        return "xml:" + name.rsplit("}", 1)[1]
    return name.rsplit("}", 1)[-1]


def _clean(element: ElementTree.Element, inliner: _Inliner, base: Path) -> None:
    """Clean `element`'s attributes and what it holds, in place."""
    for name in list(element.attrib):
        value = element.attrib.pop(name)
        written = _attribute_name(name).lower()
        if written.startswith("on") or written.endswith("srcset"):
            continue  # an event handler is a script; src says enough without srcset's list
        if written in _ADDRESSES:
            address = inliner.address(value, base, shown=written in _SHOWN)
            if address is not None:
                element.set(name, address)
        elif written == "style" or "url(" in value.lower():
            element.set(name, inliner.declarations(value, base))
        else:
            element.set(name, value)
    if _local(element.tag) == "style" and element.text:
        element.text = inliner.css(element.text, base)
    for child in list(element):
        if not isinstance(child.tag, str) or _local(child.tag) in _DROPPED or _refreshes(child):
            _remove(element, child)
        else:
            _clean(child, inliner, base)


def _refreshes(element: ElementTree.Element) -> bool:
    """A <meta http-equiv>: a refresh can send the reader elsewhere, a CSP of the layout's
    would be the layout's."""
    return _local(element.tag) == "meta" and any(
        _attribute_name(name).lower() == "http-equiv" for name in element.attrib
    )


def _remove(parent: ElementTree.Element, child: ElementTree.Element) -> None:
    """Remove `child` with what it holds, keeping the text that follows it."""
    if child.tail:
        index = list(parent).index(child)
        if index:
            before = parent[index - 1]
            before.tail = (before.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _serialize(element: ElementTree.Element) -> str:
    out: list[str] = []
    _write(element, out)
    return "".join(out)


def _write(element: ElementTree.Element, out: list[str]) -> None:
    name = _local(element.tag)
    attributes = "".join(
        f' {_attribute_name(key)}="{_escape(value, attribute=True)}"'
        for key, value in element.attrib.items()
    )
    out.append(f"<{name}{attributes}>")
    if name in _VOID and element.tag.startswith(_HTML):
        if element.tail:
            out.append(_escape(element.tail))
        return
    if name == "style":
        # CSS is not escaped in HTML: only a closing tag inside it must not appear.
        out.append((element.text or "").replace("</", "<\\/"))
    else:
        out.append(_escape(element.text or ""))
        for child in element:
            _write(child, out)
    out.append(f"</{name}>")
    if element.tail:
        out.append(_escape(element.tail))


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("\u00a0", "&nbsp;")
    if attribute:
        return text.replace('"', "&quot;")
    return text.replace("<", "&lt;").replace(">", "&gt;")
