"""Sandbox runs of the learner's code for chapter 4.4's sections 3-6 (cross-entropy and batch norm in closed form, training, questions)."""

from __future__ import annotations

__all__: list[str] = []
