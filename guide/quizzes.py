"""Quizzes made from a guide's own items: match terms to their definitions, people to what they
were, and put events in date order, in versions A, B and C for neighbouring desks.

Every version asks the same things, each in its own order and with its own order of choices,
so that no two neighbours' papers line up. The choices of a matching question are the
definitions (or roles) of the other items asked, never another item's wording twice, and a
choice is the answer to exactly one prompt. Which items are asked is chosen once per guide,
and each version's order is drawn from a seed made of the guide's name and the version's
letter: the same guide always gives the same quizzes, so a key printed today matches a quiz
printed next week.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

VERSIONS = ("A", "B", "C")
MOST_MATCHED = 8  # a matching question's prompts: a-h fit a half page
MOST_ORDERED = 6  # events to put in order: more is a memory test, not a history one
LETTERS = "abcdefghij"


@dataclass(frozen=True)
class Matched:
    """A matching question of one version: its prompts in order, the choices in order (each
    the answer to one prompt), and for each prompt the index of its choice."""

    prompts: tuple[str, ...]
    choices: tuple[str, ...]
    key: tuple[int, ...]


@dataclass(frozen=True)
class Ordered:
    """An ordering question of one version: its events as shown, and for each its place in
    date order (1 for the earliest)."""

    shown: tuple[str, ...]
    places: tuple[int, ...]


def chosen(pairs: Sequence[tuple[str, str]], most: int, seed: str) -> list[tuple[str, str]]:
    """The (prompt, answer) pairs a guide's matching question asks: all, or `most` of them,
    the same for every version. Pairs whose answers are the same text are asked once."""
    unique = list({answer: (prompt, answer) for prompt, answer in pairs}.values())
    if len(unique) <= most:
        return unique
    return sorted(random.Random(seed).sample(unique, most), key=unique.index)


def matched(pairs: Sequence[tuple[str, str]], seed: str) -> Matched:
    """One version of a matching question over `pairs`, shuffled by `seed`."""
    draw = random.Random(seed)
    prompts = list(pairs)
    draw.shuffle(prompts)
    choices = [answer for _, answer in pairs]
    draw.shuffle(choices)
    key = tuple(choices.index(answer) for _, answer in prompts)
    return Matched(tuple(p for p, _ in prompts), tuple(choices), key)


def in_order(events: Sequence[tuple[str, object]], most: int) -> list[str]:
    """The events (ids, with what they sort by) an ordering question asks, in date order: at
    most `most`, spread over the chronology, no two with the same date (their order would be a
    guess)."""
    seen: set = set()
    distinct = []
    for title, when in events:
        if when not in seen:
            seen.add(when)
            distinct.append(title)
    if len(distinct) <= most:
        return distinct
    step = (len(distinct) - 1) / (most - 1)
    return [distinct[round(i * step)] for i in range(most)]


def ordered(events: Sequence[str], seed: str) -> Ordered:
    """One version of an ordering question over `events` (given in date order)."""
    shown = list(events)
    draw = random.Random(seed)
    while True:  # never already in order: that would give the answer away
        draw.shuffle(shown)
        if shown != list(events) or len(events) < 2:
            break
    return Ordered(tuple(shown), tuple(events.index(title) + 1 for title in shown))


def seed(guide: str, version: str, question: str) -> str:
    return f"{guide}:{version}:{question}"
