"""Checks on the values a run reports. The report pipe is written by the learner's process, which
can write anything to it; nothing from it is trusted beyond these checks (applied by
utils.runner.protocol.Report.from_json).

(A forged verdict can only mark the forger's own exercise as passed in their own browser: in-page
verdicts are advisory, for the learner's own progress. What these checks prevent is a report that
breaks the runner or the page: a dict as message, an infinite duration, a megabyte of nesting.)
"""

from __future__ import annotations

import math
from typing import Any

MAX_MESSAGE_CHARS = 20_000


class InvalidReport(ValueError):
    pass


def clip_message(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[:MAX_MESSAGE_CHARS] + "\n… (message cut)"


def clamp_duration(value: Any, wall_seconds: float) -> float:
    """A duration the page can show: a finite number of seconds within the run's wall limit."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return 0.0
    return float(min(max(value, 0.0), wall_seconds))


def nesting_depth(value: Any, give_up_past: int) -> int:
    """Nesting depth, iteratively (a recursive walk is what a deep report would crash); stops
    counting once past `give_up_past`."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if depth > give_up_past:
                return depth
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict)
                                                  else item))
    return deepest


__all__ = ["InvalidReport", "clip_message", "clamp_duration", "nesting_depth"]
