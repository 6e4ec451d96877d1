"""Runs and data for chapter 4.4's sections 3-6 (cross-entropy and batch norm in closed form, training, questions) (no drawing)."""

from __future__ import annotations
