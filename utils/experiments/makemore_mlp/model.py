"""Runs and data for chapter 4.2's sections 1-3 (contexts and splits, the model, training) (no drawing)."""

from __future__ import annotations
