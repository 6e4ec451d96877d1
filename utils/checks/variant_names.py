"""The names the makemore chapters' checks run on: their own fixed lists, or the new
specification's.

Chapters 4.1 and 4.2 have a variant `more_names` (chapter.toml) that runs the same checks on
rarer names: SSA baby names ranked 32 001-40 000 (utils.data.rarer_ssa_names), which share no
name with the chapters' top 32 000 and spell more unusually. A check's realistic list is
swapped for as many seeded names from there; the checks' hand-made edge cases ("m" alone, "ab"
300 times) stay as they are.
"""

from __future__ import annotations

import functools
import random

from utils.checks import variants
from utils.data import rarer_ssa_names


def case_words(default: list[str], seed: int = 0) -> list[str]:
    """`default`, or on the variant as many of its names, seeded, using every letter `default`
    uses (so a vocabulary built from them has the same size and the checks' shapes hold)."""
    if variants.current() != "more_names":
        return list(default)
    return list(_variant_words(tuple(default), seed))


@functools.lru_cache(maxsize=16)
def _variant_words(default: tuple[str, ...], seed: int) -> tuple[str, ...]:
    pool = rarer_ssa_names().words
    needed = set("".join(default))
    for attempt in range(1000):  # a few tries at most: rare letters turn up in ~60 names
        sample = random.Random(seed * 1000 + attempt).sample(pool, len(default))
        if set("".join(sample)) >= needed:
            return tuple(sample)
    raise RuntimeError(f"no sample of {len(default)} rarer names uses the letters {needed}")
