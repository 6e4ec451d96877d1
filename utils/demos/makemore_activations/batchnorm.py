"""Sandbox runs of the learner's code for chapter 4.3's sections 4-6 (batch norm, the diagnostics, questions)."""

from __future__ import annotations

__all__: list[str] = []
