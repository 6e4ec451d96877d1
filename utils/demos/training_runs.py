"""What every "Train my model" demo shares: losses made JSON-safe in the sandbox, and the run
checked when it comes back, before a figure draws it (with a message that names the function
whose output is wrong)."""

from __future__ import annotations

import math
from typing import Any


def finite_or_none(value: Any) -> float | None:
    """A float, or None where training diverged (inf or nan do not survive JSON everywhere)."""
    value = float(value)
    return value if math.isfinite(value) else None


def check_losses(data: object, steps: int, trainer: str) -> dict:
    """`data` as a dict whose "losses" are `steps` numbers (None for a diverged step);
    ValueError naming `trainer`, the learner's function that made them, otherwise."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no data")
    losses = data.get("losses")
    if not isinstance(losses, list) or len(losses) != steps:
        raise ValueError(f"{trainer} should return {steps} losses, one per step")
    if not all(v is None or isinstance(v, (int, float)) for v in losses):
        raise ValueError("the losses are not all numbers")
    return data


def check_split_losses(data: dict, splits: tuple[str, ...], measurer: str) -> dict:
    """Each of `splits` in `data` is a number or None (diverged); ValueError naming `measurer`."""
    for key in splits:
        if data.get(key) is not None and not isinstance(data.get(key), (int, float)):
            raise ValueError(f"{measurer} gave no number for the {key} split")
    return data
