"""Sandbox runs of the learner's code for chapter 4.1's sections 1-3 (names, counting, sampling)."""

from __future__ import annotations

__all__: list[str] = []
