"""The outcome of checking an exercise: one type for the checks, the runner, the pages and the
learner's saved progress.

A StrEnum, so a status is also its plain string ("passed", ...): the runner's JSON reports and the
progress kept in learners' browsers hold these strings, and must keep loading.
"""

from __future__ import annotations

from enum import StrEnum

# What the page shows for an exercise that has never been run.
NOT_STARTED_ICON = "·"
NOT_STARTED_LABEL = "not started"


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"  # a check found a wrong answer
    ERROR = "error"  # the code (or the run) broke before a check could judge it
    TIMEOUT = "timeout"
    NOT_IMPLEMENTED = "not_implemented"  # still the stub

    @property
    def icon(self) -> str:
        """The exercise title's icon, also worn by its verdict box and its progress row."""
        return _ICONS[self]

    @property
    def label(self) -> str:
        """The status in a learner's words (the progress tables and their legend)."""
        return _LABELS[self]

    @classmethod
    def parse(cls, value: object) -> Status | None:
        """The status a stored or reported value names, or None for anything else (a browser's
        saved progress and a run's report come from outside and may hold anything)."""
        try:
            return cls(value)
        except (ValueError, TypeError):
            return None


_ICONS = {Status.PASSED: "✅", Status.FAILED: "❌", Status.ERROR: "⚠️", Status.TIMEOUT: "⏱️",
          Status.NOT_IMPLEMENTED: "✏️"}
_LABELS = {Status.PASSED: "passed", Status.FAILED: "not yet", Status.ERROR: "error",
           Status.TIMEOUT: "timed out", Status.NOT_IMPLEMENTED: "still a stub"}


def icon_of(status: Status | str | None) -> str:
    """The icon of an exercise's status; not started (None, or nothing we know) has its own."""
    known = Status.parse(status)
    return known.icon if known is not None else NOT_STARTED_ICON


def label_of(status: Status | str | None) -> str:
    known = Status.parse(status)
    return known.label if known is not None else NOT_STARTED_LABEL


__all__ = ["Status", "icon_of", "label_of", "NOT_STARTED_ICON", "NOT_STARTED_LABEL"]
