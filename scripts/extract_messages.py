"""`make messages`: the message ids of every built-in template and of messages.py into
guide/locales/guide.pot, then merged into every language's catalogue (new ids untranslated,
gone ones kept as obsolete), ready for a translator.

    python scripts/extract_messages.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guide.layouts import BUILTIN_LAYOUTS  # noqa: E402
from guide.messages import DOMAIN, LOCALES  # noqa: E402
from guide.schema import LEVELS  # noqa: E402

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
JINJA = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}


def template() -> Catalog:
    catalogue = Catalog(domain=DOMAIN, project="guide", msgid_bugs_address="", fuzzy=False)
    sources = [("jinja2", path) for path in sorted(BUILTIN_LAYOUTS.glob("*/templates/*.html"))]
    sources += [("python", ROOT / "guide" / name) for name in ("messages.py", "dates.py")]
    for method, path in sources:
        options = JINJA if method == "jinja2" else {}
        found = extract_from_file(method, path, keywords=KEYWORDS, options=options)
        for line, message, comments, context in found:
            where = (path.relative_to(ROOT).as_posix(), line)
            catalogue.add(message, locations=[where], auto_comments=comments, context=context)
    for level in LEVELS:  # printed by value: `_(question.level)`
        catalogue.add(level, locations=[("guide/schema.py", 0)])
    return catalogue


def main() -> None:
    pot = template()
    with (LOCALES / f"{DOMAIN}.pot").open("wb") as out:
        write_po(out, pot, width=100, omit_header=False, sort_output=False)
    for po_path in sorted(LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po_path.open("rb") as file:
            catalogue = read_po(file, locale=po_path.parent.parent.name, domain=DOMAIN)
        catalogue.update(pot, no_fuzzy_matching=True, update_header_comment=False)
        with po_path.open("wb") as out:
            write_po(out, catalogue, width=100, ignore_obsolete=True)
        print(f"{po_path.relative_to(ROOT)}: {len(catalogue)} messages")


if __name__ == "__main__":
    main()
