"""Which of a notebook learner's functions the `your_*` stand-ins may run.

On the page, a button runs the learner's code only for the exercises they have passed (the
reference for the rest) and in the sandbox, under a time limit. A notebook has neither, so a
stand-in that called whatever is in `globals()` would stop "Run all" at a function that crashes,
and hang it at a `sample_names` whose loop never ends. So the stand-ins do what the page does:
each function is the learner's if it passes its check (the checks are small and fast, and stop a
loop that does not end), else the reference's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from solutions import makemore_bigrams as reference
from utils import registry
from utils.check_runner import run_checks
from utils.status import Status

STEM = "makemore_bigrams"


def passing(namespace: Mapping[str, Any], names: Sequence[str]
            ) -> tuple[dict[str, Any], list[str]]:
    """`namespace` with each of `names` replaced by the reference's unless the learner's passes
    its check; and the names that are the learner's."""
    chosen, yours = dict(namespace), []
    for name in names:
        own, ref = namespace.get(name), getattr(reference, name)
        # `own is ref`: the reference's own namespace (the tests pass vars(solutions)).
        if own is ref or (own is not None and run_checks(registry.get(f"{STEM}.{name}"),
                                                         own).status == Status.PASSED):
            yours.append(name)
        else:
            chosen[name] = ref
    return chosen, yours


def whose(names: Sequence[str], yours: Sequence[str]) -> str:
    """'your code', 'the reference code', or which functions are whose."""
    theirs = [n for n in names if n not in yours]
    if not theirs:
        return "your code"
    if not yours:
        return "the reference code"
    return f"your {', '.join(yours)} and the reference's {', '.join(theirs)}"
