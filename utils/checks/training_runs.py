"""Comparing a learner's seeded training run with the reference's, step by step, for the checks
of every "train" exercise: where the losses part, and which known slip, replayed from the same
start, gives exactly the learner's losses (so the message can name it)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

REL, ABS = 1e-4, 1e-5  # float32 training: two correct loops agree far closer than this


def losses_agree(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL, abs_tol=ABS)


def first_difference(got: Sequence[float], expected: Sequence[float]) -> int | None:
    """The first step whose losses differ, or None if every step agrees."""
    return next((step for step, (g, e) in enumerate(zip(got, expected))
                 if not losses_agree(g, e)), None)


def named_slip(got: Sequence[float], slips: Mapping[str, str],
               replay: Callable[[str], Sequence[float]]) -> str:
    """" It looks like <what the slip is>." for the first of `slips` whose `replay(slip)` gives
    the learner's losses at every step, or "" if none does (or a replay can't run)."""
    for slip, text in slips.items():
        try:
            alt = replay(slip)
        except RuntimeError:
            continue
        if all(losses_agree(a, b) for a, b in zip(got, alt)):
            return f" It looks like {text}."
    return ""
