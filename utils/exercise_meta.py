"""`@exercise(...)`: an exercise's metadata, written beside its reference solution.

    @exercise(
        title="Make a fan of 1-D rays", difficulty=2, importance=3, minutes=(10, 15),
        task=r'''Write `make_rays_1d(num_pixels, y_limit)` ...''',
        hints=(r'''Start from `t.zeros(...)`.''', ...),
    )
    def make_rays_1d(num_pixels: int, y_limit: float) -> Float[Tensor, "num_pixels 2 3"]:
        ...

utils.registry reads these arguments from the source without importing the solutions (so the
site's menu needs no torch), which is why they must be literals: strings, numbers, tuples,
booleans. Task and hint text is Markdown with LaTeX, indented freely (it is dedented). The
decorator itself changes nothing at run time.
"""

from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")

# Every argument @exercise takes; utils.registry.Exercise documents each.
REQUIRED = ("title", "difficulty", "importance", "minutes", "task")
OPTIONAL = ("hints", "checks", "bonus", "stub_from", "stub_is_scaffolding", "withhold")


def exercise(**metadata: object) -> Callable[[T], T]:
    unknown = set(metadata) - set(REQUIRED) - set(OPTIONAL)
    missing = set(REQUIRED) - set(metadata)
    if unknown or missing:
        raise TypeError(f"@exercise: unknown {sorted(unknown)}, missing {sorted(missing)}")
    return lambda obj: obj
