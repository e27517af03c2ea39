"""Where the sidebars stand, looked at on the laid-out pages: one that the margin column could
not hold beside its section is set in the text instead.

A section's sidebars float into the margin column level with its heading. When they are
taller than what is left of the page (the flagship's first section names three people), the
last goes on over the page, and can land a page turn away from the paragraph that names its
person. CSS cannot move a float back onto an earlier page, so the build reads where the
first layout put each sidebar (WeasyPrint's anchors: `#person-<id>` is the sidebar's top,
`#section-<id>` the heading's) and lays the pages out again with those a page turn away set
in the text, after the section's first paragraph (context: `Section.sidebars_in_text`).

"Beside" is the print check's rule: the page of the heading or the page facing it (pages
2–3, 4–5, … face each other in a handout printed on both sides; page 1 is a right page).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from . import model


def facing(page: int, other: int) -> bool:
    """Whether two pages (numbered from 1) face each other, or are the same page."""
    return page == other or (page > 1 and other > 1 and page // 2 == other // 2)


@dataclass(frozen=True)
class SidebarPlaces:
    """Each person whose sidebar a section carries → that section's id."""

    sections: dict[str, str]

    @classmethod
    def of(cls, guide: model.Guide) -> SidebarPlaces:
        return cls(
            {
                person.id: section.id
                for source in guide.sources
                for section in source.sections
                for person in section.sidebars
            }
        )

    def away(self, anchors: Sequence[Collection[str]]) -> frozenset[str]:
        """The people whose sidebar begins neither on its section heading's page nor on the
        page facing it. `anchors` holds, per page in order, the ids that begin on it."""
        page_of: dict[str, int] = {}
        for number, ids in enumerate(anchors, start=1):
            for anchor in ids:
                page_of.setdefault(anchor, number)
        return frozenset(
            person
            for person, section in self.sections.items()
            if (sidebar := page_of.get(f"person-{person}")) is not None
            and (heading := page_of.get(f"section-{section}")) is not None
            and not facing(sidebar, heading)
        )
