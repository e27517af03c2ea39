"""Write a synthetic guide N times the size of the flagship, for the benchmark.

Each copy k of the flagship's sources, sections, events, people, terms and questions gets
ids ending in `-k`, so the text is real prose, the cross-references are as dense as the
real guide's, and the result validates like any other guide. Copies after the first
number their glossary terms ("Zond 2") because two terms may not share a name.

    python bench/generate.py 10 bench/guides/moon-race-10x
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

from guide.loading import load_yaml

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "sources" / "moon-race"
ITEM_FILES = {
    "events": "events.yaml",
    "people": "people.yaml",
    "terms": "glossary.yaml",
    "questions": "questions.yaml",
}
REFERENCES = ("events", "people", "terms", "questions")


def _read(path: Path):
    # Dates stay the text written, as the guide reads them.
    return load_yaml(path, [path.parent.resolve()]).data


def _write(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )


def _suffix(item_id: str, copy: int) -> str:
    return item_id if copy == 1 else f"{item_id}-{copy}"


def _section(section: dict, copy: int) -> dict:
    section = dict(section, id=_suffix(section["id"], copy))
    for kind in REFERENCES:
        if kind in section:
            section[kind] = [_suffix(i, copy) for i in section[kind]]
    if "quotations" in section:
        section["quotations"] = [
            dict(q, by=_suffix(q["by"], copy)) if "by" in q else q for q in section["quotations"]
        ]
    return section


def _item(kind: str, item: dict, copy: int) -> dict:
    item = dict(item, id=_suffix(item["id"], copy))
    if kind == "terms" and copy > 1:
        item["term"] = f"{item['term']} {copy}"
        if "aliases" in item:
            item["aliases"] = [f"{alias} {copy}" for alias in item["aliases"]]
    return item


def generate(copies: int, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    config = _read(FLAGSHIP / "guide.yaml")
    sources = []
    for copy in range(1, copies + 1):
        for source in config["sources"]:
            text = Path(source["text"])
            sections = Path(source["sections"])
            new_text = text.with_stem(_suffix(text.stem, copy))
            new_sections = sections.with_stem(_suffix(sections.stem, copy))
            (target / new_text).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(FLAGSHIP / text, target / new_text)
            data = _read(FLAGSHIP / sections)
            _write(
                target / new_sections, {"sections": [_section(s, copy) for s in data["sections"]]}
            )
            sources.append(
                dict(
                    source,
                    id=_suffix(source["id"], copy),
                    text=str(new_text),
                    sections=str(new_sections),
                )
            )
    config = dict(config, title=f"{config['title']} (×{copies})", sources=sources)
    _write(target / "guide.yaml", config)
    for kind, name in ITEM_FILES.items():
        items = _read(FLAGSHIP / name)[kind]
        _write(
            target / name, {kind: [_item(kind, i, c) for c in range(1, copies + 1) for i in items]}
        )
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("copies", type=int)
    parser.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    generate(args.copies, args.target)
    print(f"wrote {args.target} ({args.copies}× the flagship)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
