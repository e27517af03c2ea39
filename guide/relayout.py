"""Lay out again only the parts of a document that an edit changed: `guide watch`'s rebuild.

WeasyPrint lays out the whole document every time, about a tenth of a second a page here, so
a one-word edit in a summary also pays for balancing the glossary's columns. But most layouts
start each part (the cover, the contents, each source, the chronology…) on a fresh page, and
a part that starts on a fresh page comes out as it did last time when its own HTML is the
same and so is everything it reads from the rest of the document: the number of its first
page, the page total, the pages the targets of its page references are on, the running
strings that enter it, and what every page reads from the document as a whole.

That whole is compared first, and any difference lays out everything: the <html> element's
attributes (`lang` chooses the hyphenation, `dir` the direction), the <head>, <body>'s
attributes, the base address, the text of each stylesheet as WeasyPrint was given it, the page
size, the folders files may be read from, the PDF options, and the bytes of every file the
kept pages were laid out with (images, fonts), as WeasyPrint read them.

So the next layout puts a stand-in where each unchanged part was: the part's outer element,
emptied, holding one empty page for each page the part filled, with the anchors (each once,
on the first page it was on) and the string-setting elements that were on that page.
WeasyPrint lays out the changed parts in full and the stand-ins in no time, and the stand-in
pages are swapped for the kept ones. Before the swap, checks make sure no kept page can be
stale: every part fills the pages it filled, each anchor of a changed part is on the page it
was on, the running heads and feet of the changed parts' pages read as they did, the changed
parts' string-setting elements are as they were, and no file was changed while it was read.
If a check fails, or the layout's CSS does what this cannot follow (counters of its own,
target-text, footnotes, running elements, @import), the whole document is laid out again, as
a cold build would. `guide build` and `make` always lay out the whole document.

A rebuild also warns as a cold build would: WeasyPrint's warnings come from the content it
lays out, and which part one came from cannot be told, so parts are kept only when the last
layout warned of nothing, and a partial layout that warns (a stand-in that differs from what
it stands for) is thrown away for a whole one. A guide that warns is laid out whole until the
warning is fixed.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from . import engine

# What a stylesheet may do that a part's layout then depends on beyond what the checks see.
_COUNTERS = {"counter-increment", "counter-reset", "counter-set"}
# Page boxes are WeasyPrint's internals: if a version shapes them otherwise, lay out everything.
_INTERNAL = (AttributeError, IndexError, KeyError, TypeError)


@dataclass
class _Part:
    """Some of <body>'s children, consecutive, that fill some pages alone."""

    first: int  # index of its first element among <body>'s element children
    last: int
    pages: range  # indexes into the document's pages
    key: str  # hash of its elements' HTML


@dataclass
class _Laid:
    """What the last layout left behind for the next one to reuse."""

    settings: str  # the stylesheets' text, the page size and the rest: _settings gives it
    head: str  # <html>'s attributes, <head>, <body>'s attributes, the base: _head gives it
    read: dict[Path, str]  # each file the pages were laid out with → its bytes' digest then
    warned: bool  # whether WeasyPrint warned while laying it out
    children: int  # how many elements <body> holds
    # The string-setting elements inside each of <body>'s children, as _key gives them.
    setter_keys: dict[int, list[str]]
    parts: list[_Part]
    pages: list  # WeasyPrint Page objects, in order
    anchors: list[frozenset[str]]  # per page
    furniture: list[tuple[str, ...]]  # per page: the text of its margin boxes
    setters: list[list[ElementTree.Element]]  # per page: copies of its string-setting elements
    # Per page, the Document it was laid out in: kept alive, as its fonts must be until written.
    origins: list = field(default_factory=list)


@dataclass
class Outcome:
    document: object  # a WeasyPrint Document
    laid_out: int  # pages laid out for real this time
    reason: str  # why the whole document was laid out, or "" when parts were reused


class Relayout:
    """Remembers one layout between builds of one guide through one layout (not thread-safe)."""

    def __init__(self) -> None:
        self._last: _Laid | None = None
        self._resources: set[Path] = set()
        self._rules: tuple[str, _Rules] | None = None  # (stylesheets' digest, its rules)
        self._revisions: list[Relayout] = []

    def revision(self, number: int) -> Relayout:
        """The memory for a build's `number`-th layout after its first (0: this one).

        A build may lay its pages out again, looking at the first layout (placement.py moves
        a sidebar); each of those layouts keeps its own memory, so that a warm build lays out
        the same passes as a cold one, each reusing the parts of its own last time.
        """
        while len(self._revisions) < number:
            self._revisions.append(Relayout())
        return self._revisions[number - 1] if number else self

    def lay_out(
        self,
        parse: Callable[..., Any],  # weasyprint.HTML
        render: Callable[[Any], Any],  # → weasyprint.Document
        stylesheets: Mapping[Path, str],
        settings: str,
        served: Callable[[], Mapping[Path, str]],
    ) -> Outcome:
        """Lay out the HTML `parse()` returns, reusing what the last call laid out.

        `parse()` makes a WeasyPrint HTML object of the document, `parse(text)` one of other
        HTML with the same base address; `render` lays one out. `stylesheets` holds each
        stylesheet's text as `render` was given it; `settings` says, as text, everything else
        `render` and the PDF depend on beyond the HTML (the page size, the folders files may be
        read from, the PDF options). `served` gives each file read so far (images, fonts) with
        the digest of the bytes read (`file_digest`): a changed file changes every page
        showing it.
        """
        if unknown := engine.problem():
            # Nothing kept, nothing remembered: each build lays out everything, as cold.
            document = render(parse())
            self._resources.update(served())
            return Outcome(document, len(document.pages), f"WeasyPrint: {unknown}")
        rules = self._rules_for(stylesheets)
        current = parse()
        tree = current.etree_element
        inputs = _settings(settings, stylesheets)
        head = _head(tree, getattr(current, "base_url", None))

        def whole(reason: str) -> Outcome:
            with _listening() as heard:
                laid = render(current)
            read = dict(served())
            self._resources.update(read)
            self._last = _remember(laid, tree, rules, inputs, head, read, bool(heard))
            return Outcome(laid, len(laid.pages), reason)

        try:
            plan, reason, setter_keys = self._plan(tree, inputs, head, rules)
            if plan is None:
                return whole(reason)
            assert self._last is not None  # a plan is made only from a last layout
            text, reused = _skeleton(tree, self._last, plan)
        except _INTERNAL as error:  # WeasyPrint's boxes not as this knows them
            return whole(f"could not plan: {error!r}")
        skeleton = parse(text)
        with _listening() as heard:
            partial = render(skeleton)
        last = self._last
        assert last is not None
        read = dict(served())
        self._resources.update(read)
        if heard:
            # Kept parts warned of nothing last time, so the warning is a changed part's or a
            # stand-in's; a stand-in's would not be a cold build's, and which it is is unknown.
            return whole(f"the partial layout warned: {heard[0]}")
        if moved := [p.name for p, digest in read.items() if last.read.get(p, digest) != digest]:
            return whole(f"{moved[0]} changed while the document was laid out")
        try:
            joined, reason = self._join(partial, skeleton.etree_element, reused, plan, rules)
        except _INTERNAL as error:
            joined, reason = None, f"could not join: {error!r}"
        if joined is None:
            return whole(reason)
        self._last = _Laid(
            inputs,
            head,
            {**last.read, **read},
            False,
            last.children,  # the plan requires it unchanged
            setter_keys if setter_keys is not None else last.setter_keys,
            plan,
            *joined,
        )
        laid_out = sum(len(part.pages) for n, part in enumerate(plan) if n not in reused)
        return Outcome(partial.copy(self._last.pages), laid_out, "")

    @property
    def resources(self) -> list[Path]:
        """Every file the layouts so far have read (a reused page's images are not read
        again), the revisions' too."""
        return sorted(self._resources.union(*(r._resources for r in self._revisions)))

    def _rules_for(self, stylesheets: Mapping[Path, str]) -> _Rules:
        digest = _settings("", stylesheets)
        if self._rules is None or self._rules[0] != digest:
            self._rules = (digest, _Rules.parse(stylesheets.values()))
        return self._rules[1]

    # -- planning ----------------------------------------------------------------------------

    def _plan(self, tree, inputs: str, head: str, rules: _Rules):
        """The last layout's parts with this document's keys, or None and why not; and the
        document's setter keys, when a part changed (None: the last layout's still hold)."""
        last = self._last
        if last is None:
            return None, "the first layout", None
        if rules.unfollowed:
            return None, f"the layout's CSS uses {rules.unfollowed}", None
        if last.warned:
            return None, "the last layout warned, and no part it would keep may lose that", None
        if inputs != last.settings:
            return None, "a stylesheet, the paper, the folders or the PDF options changed", None
        if head != last.head:
            return None, "the language or another attribute of <html>, or <head>, changed", None
        if changed := [p.name for p, digest in last.read.items() if file_digest(p) != digest]:
            return None, f"a file the pages read changed: {changed[0]}", None
        if not last.parts:
            return None, "the last layout had no parts that start on a fresh page", None
        children = _children(tree)
        if len(children) != last.children:
            return None, "the document's outline changed", None
        plan = [
            _Part(p.first, p.last, p.pages, _key(children[p.first : p.last + 1]))
            for p in last.parts
        ]
        if all(part.key == old.key for part, old in zip(plan, last.parts, strict=True)):
            return plan, "", None
        setter_keys = rules.setter_keys(tree)
        for part, old in zip(plan, last.parts, strict=True):
            tops = range(part.first, part.last + 1)
            now = [key for top in tops for key in setter_keys.get(top, [])]
            before = [key for top in tops for key in last.setter_keys.get(top, [])]
            if part.key != old.key and now != before:
                return None, "an element that sets a running head changed", None
        return plan, "", setter_keys

    # -- joining -----------------------------------------------------------------------------

    def _join(self, partial, skeleton_tree, reused: set[int], plan, rules):
        """The pages of the joined document, or None and why they cannot be joined."""
        last = self._last
        assert last is not None
        pages = partial.pages
        if len(pages) != len(last.pages):
            return None, f"the page count changed ({len(last.pages)} → {len(pages)})"
        located = _locate(pages, skeleton_tree)
        if located is None:
            return None, "a page holds content outside the parts"
        owner = {}  # skeleton element → part number
        children = _children(skeleton_tree)
        position = 0
        for number, part in enumerate(plan):
            # A stand-in is one element, whatever the number of elements it stands for.
            count = 1 if number in reused else part.last - part.first + 1
            for element in children[position : position + count]:
                owner[id(element)] = number
            position += count
        if position != len(children):
            return None, "the document's outline changed"
        for index, tops in enumerate(located):
            numbers = {owner.get(id(children[t])) for t in tops}
            expected = next(n for n, p in enumerate(plan) if index in p.pages)
            if numbers != {expected}:
                return None, f"page {index + 1} now holds another part"
        kept_pages, anchors, furniture, setters, origins = [], [], [], [], []
        setter_ids = {id(e) for e in rules.setters(skeleton_tree)}
        new_setters = _setters_by_page(pages, setter_ids)
        for number, part in enumerate(plan):
            for index in part.pages:
                if number in reused:
                    kept_pages.append(last.pages[index])
                    anchors.append(last.anchors[index])
                    furniture.append(last.furniture[index])
                    setters.append(last.setters[index])
                    origins.append(last.origins[index])
                    continue
                page = pages[index]
                page_anchors = frozenset(page.anchors)
                if page_anchors != last.anchors[index]:
                    return None, f"an anchor moved to or from page {index + 1}"
                page_furniture = _furniture(page)
                if page_furniture != last.furniture[index]:
                    return None, f"the running head or foot of page {index + 1} changed"
                kept_pages.append(page)
                anchors.append(page_anchors)
                furniture.append(page_furniture)
                setters.append(new_setters[index])
                origins.append(partial)
        return (kept_pages, anchors, furniture, setters, origins), ""


# -- the parts of a laid-out document ----------------------------------------------------------


def _remember(
    document, tree, rules: _Rules, settings: str, head: str, read: dict[Path, str], warned: bool
) -> _Laid:
    pages = document.pages
    children = _children(tree)
    located = _locate(pages, tree)
    parts = _parts(located, children) if located is not None and not rules.unfollowed else []
    setters = rules.setters(tree)
    setter_ids = {id(e) for e in setters}
    return _Laid(
        settings,
        head,
        read,
        warned,
        len(children),
        _keys_by_child(tree, setters),
        parts,
        list(pages),
        [frozenset(page.anchors) for page in pages],
        [_furniture(page) for page in pages],
        _setters_by_page(pages, setter_ids),
        [document] * len(pages),
    )


def _parts(located: list[set[int]], children: list) -> list[_Part]:
    """Group pages into parts: runs of pages whose top-level elements no other page holds."""
    if not located or not all(located):
        return []  # a blank page: a part cannot be placed around it
    runs: list[tuple[set[int], list[int]]] = []
    for index, tops in enumerate(located):
        if runs and (tops & runs[-1][0] or min(tops) <= max(runs[-1][0])):
            runs[-1][0].update(tops)
            runs[-1][1].append(index)
        else:
            runs.append((set(tops), [index]))
    parts = []
    for number, (tops, indexes) in enumerate(runs):
        # Elements that make no box (hidden ones) belong to the part before them.
        first = 0 if number == 0 else min(tops)
        last = min(runs[number + 1][0]) - 1 if number + 1 < len(runs) else len(children) - 1
        if indexes != list(range(indexes[0], indexes[-1] + 1)) or max(tops) > last:
            return []
        parts.append(_Part(first, last, range(indexes[0], indexes[-1] + 1), ""))
    for part in parts:
        part.key = _key(children[part.first : part.last + 1])
    return parts


def _locate(pages, tree) -> list[set[int]] | None:
    """For each page, the indexes of <body>'s children it shows part of (None: not known)."""
    body = tree.find("body")
    top_of = _tops(tree)
    located = []
    for page in pages:
        tops = set()
        for box in engine.children(engine.page_root(page)):
            boxes = engine.children(box) if engine.element(box) is body else [box]
            for inner in boxes:
                top = top_of.get(id(engine.element(inner)))
                if top is None:
                    return None  # text straight in <body>, or a box we cannot place
                tops.add(top)
        located.append(tops)
    return located


def _setters_by_page(pages, setter_ids: set[int]) -> list[list[ElementTree.Element]]:
    """Copies of the string-setting elements each page lays out, first seen there."""
    seen: set[int] = set()
    result = []
    for page in pages:
        found = []
        for box in engine.descendants(engine.page_root(page)):
            element = engine.element(box)
            if element is not None and id(element) in setter_ids and id(element) not in seen:
                seen.add(id(element))
                found.append(_without_ids(element))
        result.append(found)
    return result


def _furniture(page) -> tuple[str, ...]:
    return tuple(
        "".join(engine.text(box) for box in engine.descendants(margin))
        for margin in engine.margin_boxes(page)
    )


# -- stand-ins ---------------------------------------------------------------------------------


def _skeleton(tree, last: _Laid, plan: list[_Part]) -> tuple[str, set[int]]:
    """The document as HTML with stand-ins for the unchanged parts, and those parts' numbers.

    Written out rather than edited in a copy of the tree: parsing the short result costs far
    less than parsing the whole document again (a second a time at 200 pages).
    """
    children = _children(tree)
    body = tree.find("body")
    pieces = ["<!DOCTYPE html>", _start_tag(tree), _html(tree.find("head")), _start_tag(body)]
    reused = set()
    for number, (part, old) in enumerate(zip(plan, last.parts, strict=True)):
        if part.key != old.key:
            pieces += [_html(element) for element in children[part.first : part.last + 1]]
            continue
        reused.add(number)
        outer = children[part.first]
        container = ElementTree.Element(outer.tag, outer.attrib)
        container.tail = children[part.last].tail
        # An element split across pages is an anchor on each of them, but one element: each
        # anchor goes on the first page it was on, else WeasyPrint warns it is defined twice.
        placed = {outer.get("id")}
        for step, index in enumerate(part.pages):
            style = "break-before: page" if step else ""
            if index == part.pages[-1] and number + 1 < len(plan):
                style += "; break-after: page"
            page = ElementTree.SubElement(container, "div", {"style": style})
            for name in sorted(last.anchors[index] - placed):
                ElementTree.SubElement(page, "a", {"id": name})
            placed |= last.anchors[index]
            page.extend(copy.deepcopy(last.setters[index]))
        pieces.append(_html(container))
    pieces.append("</body></html>")
    return "".join(pieces), reused


def _html(element) -> str:
    return "" if element is None else ElementTree.tostring(element, "unicode", method="html")


def _start_tag(element) -> str:
    empty = ElementTree.Element(element.tag, element.attrib)
    return _html(empty).removesuffix(f"</{element.tag}>")


def _without_ids(element: ElementTree.Element) -> ElementTree.Element:
    clone = copy.deepcopy(element)
    clone.tail = None
    for inner in clone.iter():
        inner.attrib.pop("id", None)
    return clone


# -- the stylesheets ---------------------------------------------------------------------------


@dataclass
class _Rules:
    """What the layout's stylesheets do that crosses from one part to the next."""

    unfollowed: str  # what the checks cannot follow, or ""
    matcher: Any  # cssselect2.Matcher of the selectors that set strings

    @classmethod
    def read(cls, stylesheets: list[Path]) -> _Rules:
        return cls.parse(path.read_bytes().decode("utf-8-sig") for path in stylesheets)

    @classmethod
    def parse(cls, stylesheets: Iterable[str]) -> _Rules:
        """The rules of stylesheets given as their text."""
        import cssselect2
        import tinycss2

        matcher = cssselect2.Matcher()
        unfollowed = ""

        def visit(rules) -> None:
            nonlocal unfollowed
            for rule in rules:
                if rule.type == "at-rule":
                    keyword = rule.lower_at_keyword
                    if keyword == "import":
                        unfollowed = unfollowed or "@import"
                    elif keyword in ("media", "supports", "layer") and rule.content:
                        visit(tinycss2.parse_rule_list(rule.content, True, True))
                    continue  # @page and its margin boxes: the page counter is followed
                if rule.type != "qualified-rule":
                    continue
                for declaration in tinycss2.parse_blocks_contents(rule.content, True, True):
                    if declaration.type != "declaration":
                        continue
                    name = declaration.lower_name
                    value = tinycss2.serialize(declaration.value).strip().lower()
                    if "target-text" in value:
                        unfollowed = unfollowed or "target-text()"
                    elif name in _COUNTERS and value != "none":
                        unfollowed = unfollowed or name
                    elif name == "float" and "footnote" in value:
                        unfollowed = unfollowed or "footnotes"
                    elif name == "position" and "running" in value:
                        unfollowed = unfollowed or "running elements"
                    elif name == "string-set" and value != "none":
                        try:
                            for selector in cssselect2.compile_selector_list(rule.prelude):
                                matcher.add_selector(selector, None)
                        except cssselect2.SelectorError:
                            pass  # WeasyPrint drops the rule too

        for text in stylesheets:
            visit(tinycss2.parse_stylesheet(text, skip_whitespace=True))
        return cls(unfollowed, matcher)

    def setters(self, tree) -> list[ElementTree.Element]:
        """The elements of the document that set a running string, in document order."""
        import cssselect2

        return [
            wrapper.etree_element
            for wrapper in cssselect2.ElementWrapper.from_html_root(tree).iter_subtree()
            if self.matcher.match(wrapper)
        ]

    def setter_keys(self, tree) -> dict[int, list[str]]:
        return _keys_by_child(tree, self.setters(tree))


# -- small helpers -----------------------------------------------------------------------------


def _keys_by_child(tree, elements: list) -> dict[int, list[str]]:
    """The keys of `elements`, by the index of the <body> child each is in: what the next
    layout compares a changed part's string-setting elements by."""
    top_of = _tops(tree)
    found: dict[int, list[str]] = {}
    for element in elements:
        if (top := top_of.get(id(element))) is not None:
            found.setdefault(top, []).append(_key([element]))
    return found


def _tops(tree) -> dict[int, int]:
    """id() of every element inside <body>'s children → the index of that child."""
    return {
        id(element): index
        for index, child in enumerate(_children(tree))
        for element in child.iter()
    }


def _children(tree) -> list[ElementTree.Element]:
    body = tree.find("body")
    return [] if body is None else [child for child in body if isinstance(child.tag, str)]


def _head(tree, base_url: str | None) -> str:
    """What every page reads from the document around its parts: <html>'s attributes (`lang`
    is the hyphenation), <head>, <body>'s attributes, and the address relative ones start at."""
    head, body = tree.find("head"), tree.find("body")
    attributes = [sorted(e.attrib.items()) if e is not None else None for e in (tree, body)]
    return _key([head] if head is not None else []) + repr((attributes, base_url))


def _key(elements: list) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for element in elements:
        digest.update(ElementTree.tostring(element, encoding="unicode").encode())
    return digest.hexdigest()


def _settings(settings: str, stylesheets: Mapping[Path, str]) -> str:
    digest = hashlib.blake2b(repr(settings).encode(), digest_size=16)
    for path, text in stylesheets.items():
        digest.update(repr((str(path), text)).encode())
    return digest.hexdigest()


def file_digest(path: Path, data: bytes | None = None) -> str:
    """The digest of a file's bytes (of `data`, when given: the bytes read of it)."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError:
            return "missing"
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@contextmanager
def _listening() -> Iterator[list[str]]:
    """The warnings WeasyPrint logs meanwhile."""
    heard: list[str] = []

    class Listen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            heard.append(record.getMessage())

    handler = Listen(logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield heard
    finally:
        logger.removeHandler(handler)
