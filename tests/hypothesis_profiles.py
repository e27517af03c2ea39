"""Hypothesis profiles: 'quick' for `make test`, 'fuzz' for `make fuzz`.

quick: each property's own small budget (`examples(n)` gives n), derandomized, no example
database, so `make test` tries the same examples on every run and machine.

fuzz: a fixed, much larger budget (minutes in all), a fresh random search each run, no deadline.
`make fuzz` loads this module as a plugin (`-p hypothesis_profiles`), because Hypothesis reads
`--hypothesis-profile` before any test module is imported:

    PYTHONPATH=tests .venv/bin/python -m pytest -p hypothesis_profiles \
        --hypothesis-profile=fuzz tests/test_loading.py tests/test_mutations.py

A finding is fixed at its cause and pinned on its property with `@example(...)`.
"""

from __future__ import annotations

from hypothesis import settings

QUICK, FUZZ = "quick", "fuzz"
FUZZ_EXAMPLES = 5000

settings.register_profile(QUICK, derandomize=True, database=None, deadline=None)
settings.register_profile(FUZZ, max_examples=FUZZ_EXAMPLES, deadline=None, print_blob=True)

# `make test` names no profile: then the quick one, never Hypothesis's randomized default.
if settings.get_current_profile_name() == "default":
    settings.load_profile(QUICK)


def examples(quick: int, fuzz: int = FUZZ_EXAMPLES) -> int:
    """A property's budget under the profile loaded: `quick`, or `fuzz` under `make fuzz`.

    The budget is set on each property (`@settings(max_examples=examples(400))`) because one
    given there outranks the profile's; slow properties give a smaller `fuzz`."""
    return fuzz if settings.get_current_profile_name() == FUZZ else quick
