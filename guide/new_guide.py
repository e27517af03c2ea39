"""`guide new`: a starter guide that builds at once, to be replaced piece by piece.

The starter's files live in guide/starter/ as they will be written, with $title, $author,
$date, $year and $name filled in; every file says in comments what it is for.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from string import Template

from .errors import GuideError

STARTER = Path(__file__).resolve().parent / "starter"


def new_guide(folder: Path, title: str, author: str, today: datetime.date) -> Path:
    """Write the starter guide into `folder` (new or empty); return the folder."""
    folder = folder.resolve()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise GuideError.at(folder, "already exists", hint="name a new or empty folder")
    for value, what in ((title, "--title"), (author, "--author")):
        if not value.strip() or "\n" in value:
            raise GuideError.at(None, f"{what} needs one line of text", hint=f'{what} "…"')
    values = {
        "title": title.strip(),
        "author": author.strip(),
        "date": today.isoformat(),
        "year": str(today.year),
        "name": folder.name,
    }
    # In YAML a title such as "Ink: a history" needs quotes; JSON's are YAML's too.
    quoted = {key: json.dumps(value, ensure_ascii=False) for key, value in values.items()}
    for source in sorted(STARTER.rglob("*")):
        if not source.is_file():
            continue
        target = folder / source.relative_to(STARTER)
        target.parent.mkdir(parents=True, exist_ok=True)
        fill = quoted if source.suffix == ".yaml" else values
        text = Template(source.read_text(encoding="utf-8")).substitute(fill)
        target.write_text(text, encoding="utf-8")
    return folder
