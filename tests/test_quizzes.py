"""Quizzes from the guide's items: versions A, B and C ask the same in other orders, every
choice answers one prompt, and the key says which."""

from __future__ import annotations

import pytest
from conftest import FLAGSHIP, MINI, Builds

from guide import quizzes
from guide.build import load_guide
from guide.cards import first_sentence
from guide.context import variables


@pytest.fixture(scope="module")
def flagship_quizzes():
    guide = load_guide(FLAGSHIP)
    return guide, variables(guide, "quiz", {}, "A4")["guide"].quizzes


def test_the_versions_ask_the_same_in_their_own_orders(flagship_quizzes):
    _, made = flagship_quizzes
    assert [quiz.version for quiz in made] == ["A", "B", "C"]
    for question in ("terms", "people"):
        asked = [getattr(quiz, question) for quiz in made]
        prompts = [tuple(p.text for p in matching.prompts) for matching in asked]
        assert len({frozenset(p) for p in prompts}) == 1  # the same prompts
        assert len(set(prompts)) == 3  # each version its own order
        assert len(prompts[0]) == quizzes.MOST_MATCHED
    events = [tuple(e.text for e in quiz.events) for quiz in made]
    assert len({frozenset(e) for e in events}) == 1 and len(set(events)) == 3


def test_each_choice_answers_one_prompt_and_the_key_names_it(flagship_quizzes):
    guide, made = flagship_quizzes
    definition = {t.term: first_sentence(t.definition) for t in guide.glossary}
    role = {p.name: p.role for p in guide.people}
    for quiz in made:
        for matching, truth in ((quiz.terms, definition), (quiz.people, role)):
            choices = {choice.letter: choice.text for choice in matching.choices}
            assert len(set(choices.values())) == len(choices)  # never the same words twice
            assert sorted(p.answer for p in matching.prompts) == sorted(choices)
            for prompt in matching.prompts:
                assert choices[prompt.answer] == truth[prompt.text]


def test_events_are_put_in_the_order_of_their_dates(flagship_quizzes):
    guide, made = flagship_quizzes
    when = {e.title: e.date.sort_key for e in guide.chronology}
    for quiz in made:
        by_place = sorted(quiz.events, key=lambda event: event.place)
        dates = [when[event.text] for event in by_place]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
        assert [e.place for e in quiz.events] != sorted(e.place for e in quiz.events)


def test_a_quiz_is_the_same_every_time():
    pairs = [(f"term {n}", f"definition {n}") for n in range(12)]
    assert quizzes.chosen(pairs, 8, "g") == quizzes.chosen(pairs, 8, "g")
    assert quizzes.matched(pairs[:8], "g:A:terms") == quizzes.matched(pairs[:8], "g:A:terms")
    assert quizzes.matched(pairs[:8], "g:A:terms") != quizzes.matched(pairs[:8], "g:B:terms")


def test_the_quiz_has_boxes_to_write_in_and_the_key_the_answers(builds: Builds):
    quiz, key = builds(MINI, "quiz"), builds(MINI, "quiz-key")
    text, answers = (" ".join(" ".join(built.pages).split()) for built in (quiz, key))
    for version in ("A", "B", "C"):
        assert f"Quiz, version {version}" in text and f"Key to version {version}" in answers
    made = variables(quiz.guide, "quiz", {}, "A4")["guide"].quizzes
    first = made[0].events[0]
    assert f"{first.place} {first.text} ({first.date})" in answers
    assert f"({first.date})" not in text  # the student's copy gives no date away
    assert "Name" in text and "Name" not in answers
