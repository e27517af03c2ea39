"""An Anki deck of the guide's flashcards (`guide build --to anki`): the same cards as the
flashcards layout, one note each, written with genanki.

Re-importing a deck built from an edited guide must update the student's cards, not add a
second copy, and keep their review history. Anki matches an imported note to one it has by
the note's guid, and its note type by its id: both are derived here from the guide's folder
name and the item's id, never drawn at random, so they are the same in every build. Anki then
updates a note whose imported copy is newer; a deck is dated by its newest input file (or
SOURCE_DATE_EPOCH), so a rebuilt deck after an edit is newer and an unchanged guide writes
the same notes.
"""

from __future__ import annotations

import hashlib
import html
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..confine import Doing
from ..context import Card, variables
from ..errors import Problem
from ..messages import Messages
from ..model import Guide
from ..relayout import Relayout
from ..settings import Settings
from .base import TEMPLATES_HINT, Rendered, inputs, stage

# The note type's fields and cards. Its id is fixed: one note type for every guide's deck,
# so that Anki merges rather than multiplies it.
MODEL_NAME = "guide flashcard"
FIELDS = ("Front", "Back", "Item")
STYLE = """.card { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 20px;
  text-align: center; color: #1a1a1a; background: #fff; }
.detail { font-size: 16px; color: #444; }
.heading { font-weight: bold; color: #1f4e79; }
.note { font-size: 16px; color: #444; }
.back { font-family: "DejaVu Serif", Georgia, serif; font-size: 18px; text-align: left; }"""


# A deck with no notes is still written (every output builds), and said to be empty.
_EMPTY = Problem(
    None,
    None,
    None,
    "the Anki deck is empty: the guide has no glossary terms, people or events",
    "add some, or leave the deck out",
    warning=True,
)


class AnkiBuilder:
    name = "anki"
    suffix = ".apkg"
    description = "Anki deck of the flashcards"

    def warm(self) -> None:
        """Nothing: a deck needs no layout engine."""

    def render(
        self,
        guide: Guide,
        settings: Settings,
        doing: Callable[[Doing], None],
        relayout: Relayout | None = None,  # nothing is laid out
        impose: bool = True,  # nothing is printed
    ) -> Rendered:
        started = time.perf_counter()
        layout = settings.layout
        doing(stage(layout, "making its deck", TEMPLATES_HINT))
        words = Messages(guide.info.language, layout.messages)
        options = {**layout.options, "cards": True}  # the deck's cards, whatever the layout
        cards = variables(guide, layout.name, options, settings.paper, words=words.gettext)[
            "guide"
        ].cards
        data = deck(guide, cards, words.gettext("Flashcards"))
        empty = [] if cards else [_EMPTY]
        return Rendered(
            layout.name,
            self.name,
            data,
            self.suffix,
            0,
            empty,
            inputs=inputs(guide, layout, []),
            seconds=time.perf_counter() - started,
        )


def deck(guide: Guide, cards: tuple[Card, ...], flashcards: str) -> bytes:
    """The .apkg of `cards`, in a deck named for the guide."""
    import genanki  # type: ignore[import-untyped]

    model = genanki.Model(
        stable_id("note type", MODEL_NAME),
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[
            {
                "name": "Card",
                "qfmt": "{{Front}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Back}}',
            }
        ],
        css=STYLE,
    )
    title = f"{guide.info.title}: {flashcards}"
    made = genanki.Deck(stable_id("deck", guide.name), title)
    for card in cards:
        made.add_note(
            genanki.Note(
                model=model,
                fields=[_front(card), _back(card), card.id],
                guid=genanki.guid_for(guide.name, card.id),
                tags=[card.kind],
            )
        )
    with tempfile.TemporaryDirectory(prefix="guide-deck-") as folder:
        path = Path(folder) / "deck.apkg"
        genanki.Package(made).write_to_file(path, timestamp=_dated(guide))
        return path.read_bytes()


def stable_id(kind: str, name: str) -> int:
    """An id Anki keeps (a positive 63-bit integer, as genanki's own are), the same for the
    same name in every build."""
    digest = hashlib.sha256(f"guide {kind}: {name}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 2 | 1 << 30


def _front(card: Card) -> str:
    front = html.escape(card.front)
    if card.front_detail:
        lang = f' lang="{html.escape(card.front_lang)}"' if card.front_lang else ""
        front += f'<div class="detail"{lang}>{html.escape(card.front_detail)}</div>'
    return front


def _back(card: Card) -> str:
    parts = []
    if card.back_heading:
        parts.append(f'<div class="heading">{html.escape(card.back_heading)}</div>')
    if card.back_note:
        parts.append(f'<div class="note">{html.escape(card.back_note)}</div>')
    if card.whole:
        parts.append(f'<div class="back">{html.escape(card.whole)}</div>')
    return "".join(parts)


def _dated(guide: Guide) -> float:
    """When the deck's notes were last changed: SOURCE_DATE_EPOCH, else the newest of the
    guide's files (an edit makes the rebuilt deck newer, so Anki updates its notes)."""
    if epoch := os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return float(epoch)
    return max((path.stat().st_mtime for path in guide.files), default=0.0)


BUILDER = AnkiBuilder()
