"""The words a layout prints itself ("Contents", "page 3 of 24"), in the guide's language.

Each is a message of a gettext catalogue, `guide/locales/<language>/LC_MESSAGES/guide.po`,
read with Babel and compiled in memory (no .mo file to build or to forget to rebuild). The
message id is the English text, so English needs no catalogue. A guide's `language:` (a BCP 47
tag) picks the catalogue: `de-CH` reads `de_CH` where there is one, then `de`, then prints
the English. A layout may replace any message in `messages:` of its layout.yaml, for the
guide's language or for any (`Discussion questions: Talking points`), without touching a
template.

`make messages` extracts the ids (from the templates, and from the Python that marks its own
with `N_`: this module's, dates.py's) into guide/locales/guide.pot and merges them into every
catalogue; docs/languages.md says how to add a language.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from gettext import NullTranslations
from pathlib import Path

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "guide"


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "a message, translated later"
    """Marks a message id for extraction (`make messages`) where it is not translated yet."""
    return message


# The one message whose parts CSS puts around the page counters (see `css_words`).
PAGE_OF = N_("page %(page)s of %(pages)s")
# The name of the timeline's lane for events with no `lane:`, in a guide that declares lanes.
OTHER_LANE = N_("Other")
# Words the layouts' CSS prints, as custom properties the template sets (see `css_words`).
CSS_WORDS = {
    "--page-abbreviation": N_("p."),  # before the page of a reference: "(p. 4)"
    "--teachers-edition": N_("Teacher’s edition"),  # after the cover's kicker
    # above the flashcards' first sheet
    "--print-how": N_(
        "Print on both sides of the paper, flipping on the long edge; then cut along the"
        " dashed lines."
    ),
}


def catalogue_languages() -> list[str]:
    """The languages with a catalogue, as Babel names them ('de', 'pt_BR')."""
    return sorted(p.parent.parent.name for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def message_ids(layouts: Collection[str] | None = None) -> list[str]:
    """Every message id the built-in layouts print (a plural's singular), from the catalogues'
    template, in its order; with `layouts`, those their own templates print and the ones
    every layout does (the page's furniture, dates, levels)."""
    from babel.messages.pofile import read_po

    with (LOCALES / f"{DOMAIN}.pot").open("rb") as pot:
        catalogue = read_po(pot)
    ids = []
    for message in catalogue:
        places = [Path(path).parts for path, _ in message.locations]
        of_a_layout = [p[2] for p in places if p[:2] == ("guide", "builtin_layouts")]
        if message.id and (layouts is None or not of_a_layout or set(of_a_layout) & set(layouts)):
            ids.append(message.id if isinstance(message.id, str) else message.id[0])
    return list(dict.fromkeys(ids))


def chain(language: str) -> list[str]:
    """The catalogues a language tag reads, nearest first: 'de-CH' → ['de_CH', 'de'] of those
    that exist; [] for English or a language without one (its words print in English)."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError):
        return []
    wanted = [str(locale), "_".join(filter(None, (locale.language, locale.territory)))]
    wanted.append(locale.language)
    known = set(catalogue_languages())
    return [code for code in dict.fromkeys(wanted) if code in known]


@functools.cache
def _translations(code: str) -> NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with (LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        catalogue = read_po(po, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


class _Replaced(NullTranslations):
    """A layout's own words (layout.yaml's `messages:`) before the catalogue's."""

    def __init__(self, replaced: Mapping[str, str], fallback: NullTranslations):
        super().__init__()
        self._replaced = replaced
        self.add_fallback(fallback)

    def gettext(self, message: str) -> str:
        if message in self._replaced:
            return self._replaced[message]
        return super().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if (n == 1 and singular in self._replaced) or (n != 1 and plural in self._replaced):
            return self._replaced[singular if n == 1 else plural]
        return super().ngettext(singular, plural, n)


@dataclass(frozen=True)
class Messages:
    """The words of one build: the catalogues of its language, then the layout's own."""

    language: str
    replaced: Mapping[str, str] = field(default_factory=dict)

    @functools.cached_property
    def translations(self) -> NullTranslations:
        found: NullTranslations = NullTranslations()  # the English ids themselves
        for code in reversed(chain(self.language)):
            found = _copy_with_fallback(_translations(code), found)
        return _Replaced(self.replaced, found) if self.replaced else found

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def css_words(self) -> dict[str, str]:
        """The words the layouts' CSS prints, by custom property. The page furniture's are
        the words before, between and after the page's number and the count of pages:
        ('page ', ' of ', '') in English, ('Seite ', ' von ', '') in German."""
        before, _, rest = self.gettext(PAGE_OF).partition("%(page)s")
        between, _, after = rest.partition("%(pages)s")
        words = {"--page-before": before, "--page-between": between, "--page-after": after}
        return words | {name: self.gettext(message) for name, message in CSS_WORDS.items()}


def _copy_with_fallback(translations: NullTranslations, fallback: NullTranslations):
    """`translations` falling back to `fallback`, leaving the cached catalogue untouched (a
    catalogue is shared by every build of the process; add_fallback would change it)."""
    import copy

    copied = copy.copy(translations)
    copied._fallback = None  # type: ignore[attr-defined]
    copied.add_fallback(fallback)
    return copied
