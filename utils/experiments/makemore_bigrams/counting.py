"""Runs and data for chapter 4.1's sections 1-3 (names, counting, sampling) (no drawing)."""

from __future__ import annotations
