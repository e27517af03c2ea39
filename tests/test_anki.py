"""`guide build --to anki`: a deck Anki itself imports (its own library, as the desktop app
does), and that an edited guide updates instead of doubling."""

from __future__ import annotations

import os
from pathlib import Path

from anki import collection as anki  # Anki's own library: the test extra (make installs it)

from guide.cli import main


def imported(collection: Path, *decks: Path) -> dict[str, list[str]]:
    """Each deck imported in turn into one collection, as a student would after each update;
    then every note's item id → its fields."""
    col = anki.Collection(str(collection))
    try:
        for deck in decks:
            request = anki.ImportAnkiPackageRequest(
                package_path=str(deck), options=anki.ImportAnkiPackageOptions()
            )
            col.import_anki_package(request)
        notes = [col.get_note(note) for note in col.find_notes("")]
        names = [deck.name for deck in col.decks.all_names_and_ids()]
    finally:
        col.close()
    assert "Ink and Iron: Flashcards" in names
    return {note.fields[2]: list(note.fields) for note in notes}


def build_deck(guide: Path, target: Path) -> Path:
    assert main(["build", str(guide), "--to", "anki", "-o", str(target), "-q"]) == 0
    return target


def test_the_deck_holds_a_note_for_every_term_person_and_event(mini_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # Anki's library keeps nothing of ours
    deck = build_deck(mini_copy, tmp_path / "mini.apkg")
    notes = imported(tmp_path / "collection.anki2", deck)
    assert sorted(notes) == sorted(
        [
            "term-movable-type",
            "term-theses",
            "person-gutenberg",
            "person-luther",
            "event-press-built",
            "event-bible",
            "event-towns",
            "event-theses",
        ]
    )
    front, back, _ = notes["term-movable-type"]
    assert front == "movable type"
    assert "Single metal letters that can be set, printed and reused." in back
    assert "1483–1546" in notes["person-luther"][1]


def test_an_updated_guide_updates_the_students_cards_and_adds_no_copy(
    mini_copy, tmp_path, monkeypatch
):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = build_deck(mini_copy, tmp_path / "first.apkg")
    glossary = mini_copy / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text.replace("printed and reused.", "printed and used again."))
    later = glossary.stat().st_mtime + 60  # an edit a minute later: the deck is newer
    os.utime(glossary, (later, later))
    second = build_deck(mini_copy, tmp_path / "second.apkg")
    notes = imported(tmp_path / "collection.anki2", first, second)
    assert len(notes) == 8  # the same notes, not a second copy of each
    assert "printed and used again." in notes["term-movable-type"][1]


def test_a_guide_builds_the_same_deck_ids_every_time(mini_copy, tmp_path):
    from guide.builders.anki import stable_id

    assert stable_id("deck", "mini") == stable_id("deck", "mini") != stable_id("deck", "maxi")
    assert 0 < stable_id("deck", "mini") < 2**63


def test_a_guide_with_nothing_to_card_writes_an_empty_deck_and_says_so(mini_copy, tmp_path, capsys):
    for name in ("events.yaml", "people.yaml", "glossary.yaml"):
        (mini_copy / name).unlink()
    press = mini_copy / "sections" / "press.yaml"
    lines = press.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.strip().startswith(("events:", "people:", "terms:"))]
    press.write_text("\n".join(kept).replace("        by: luther", "") + "\n", encoding="utf-8")
    assert main(["build", str(mini_copy), "--to", "anki", "-o", str(tmp_path / "e.apkg")]) == 0
    assert (tmp_path / "e.apkg").stat().st_size > 0
    assert "warning: the Anki deck is empty" in capsys.readouterr().err
