"""Widgets for chapter 4.2's sections 1-3 (contexts and splits, the model, training)."""

from __future__ import annotations

__all__: list[str] = []
