"""Sandbox runs of the learner's code for chapter 4.3's sections 0-3 (the loss at initialisation, saturated tanh, Kaiming init and layers)."""

from __future__ import annotations

__all__: list[str] = []
