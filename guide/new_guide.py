"""`guide new`: a starter guide that builds at once, to be replaced piece by piece.

The starter's files live in guide/starters/<language>/ as they will be written, with $title,
$author, $date, $year, $name and $language filled in; every file says in comments what it is
for, in that language. A language with no starter of its own gets the English one, its
`language:` set to the one asked for (its layouts' words are then that language's).
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from string import Template

from .errors import GuideError

STARTERS = Path(__file__).resolve().parent / "starters"
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # as guide.yaml takes it


def starter_for(language: str) -> Path:
    """The starter written for a language tag: its language's ('de' for 'de-CH'), else
    the English one."""
    own = STARTERS / language.split("-")[0].lower()
    return own if own.is_dir() else STARTERS / "en"


def new_guide(
    folder: Path, title: str, author: str, today: datetime.date, language: str = "en"
) -> Path:
    """Write the starter guide into `folder` (new or empty); return the folder."""
    folder = folder.resolve()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise GuideError.at(folder, "already exists", hint="name a new or empty folder")
    if not LANGUAGE_TAG.match(language):
        raise GuideError.at(
            None,
            f"'{language}' is not a language tag",
            hint="write one such as de, fr, es-MX or en-GB",
        )
    for value, what in ((title, "--title"), (author, "--author")):
        if not value.strip() or "\n" in value:
            raise GuideError.at(None, f"{what} needs one line of text", hint=f'{what} "…"')
    values = {
        "title": title.strip(),
        "author": author.strip(),
        "date": today.isoformat(),
        "year": str(today.year),
        "name": folder.name,
        "language": language,
    }
    # In YAML a title such as "Ink: a history" needs quotes; JSON's are YAML's too.
    quoted = {key: json.dumps(value, ensure_ascii=False) for key, value in values.items()}
    starter = starter_for(language)
    for source in sorted(starter.rglob("*")):
        if not source.is_file():
            continue
        target = folder / source.relative_to(starter)
        target.parent.mkdir(parents=True, exist_ok=True)
        fill = quoted if source.suffix == ".yaml" else values
        text = Template(source.read_text(encoding="utf-8")).substitute(fill)
        target.write_text(text, encoding="utf-8")
    return folder
