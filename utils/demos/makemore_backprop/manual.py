"""Sandbox runs of the learner's code for chapter 4.4's sections 0-2 (the forward pass in small steps, every gradient by hand)."""

from __future__ import annotations

__all__: list[str] = []
