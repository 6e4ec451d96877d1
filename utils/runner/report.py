"""Validation of what a run reports. The report pipe is written by the learner's process, which
can write anything to it; nothing from it is trusted beyond these checks.

(A forged verdict can only mark the forger's own exercise as passed in their own browser: in-page
verdicts are advisory, for the learner's own progress. What these checks prevent is a report that
breaks the runner or the page: a dict as message, an infinite duration, a megabyte of nesting.)
"""

from __future__ import annotations

import json
import math
from typing import Any

from utils.status import Status

MAX_MESSAGE_CHARS = 20_000
MAX_DATA_DEPTH = 32  # a demo's data is lists of lists of numbers, a few levels deep


class InvalidReport(ValueError):
    pass


def parse_report(raw: bytes, wall_seconds: float) -> dict[str, Any]:
    """{"status", "message", "duration_s", "data"} from a child's JSON report, or InvalidReport."""
    try:
        verdict = json.loads(raw)
    except (ValueError, RecursionError) as err:
        raise InvalidReport(f"not JSON: {err}") from None
    if not isinstance(verdict, dict):
        raise InvalidReport("not an object")
    status, message = Status.parse(verdict.get("status")), verdict.get("message")
    if status is None:
        raise InvalidReport(f"unknown status {verdict.get('status')!r}")
    if not isinstance(message, str):
        raise InvalidReport("the message is not text")
    data = verdict.get("data")
    if _depth(data) > MAX_DATA_DEPTH:
        raise InvalidReport("data nested too deeply")
    return {"status": status, "message": clip_message(message),
            "duration_s": clamp_duration(verdict.get("duration_s"), wall_seconds), "data": data}


def clip_message(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[:MAX_MESSAGE_CHARS] + "\n… (message cut)"


def clamp_duration(value: Any, wall_seconds: float) -> float:
    """A duration the page can show: a finite number of seconds within the run's wall limit."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return 0.0
    return float(min(max(value, 0.0), wall_seconds))


def _depth(value: Any) -> int:
    """Nesting depth, iteratively (a recursive walk is what a deep report would crash)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if depth > MAX_DATA_DEPTH:
                return depth
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict)
                                                  else item))
    return deepest


__all__ = ["parse_report", "InvalidReport", "clip_message", "clamp_duration"]
