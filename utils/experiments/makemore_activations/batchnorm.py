"""Runs and data for chapter 4.3's sections 4-6 (batch norm, the diagnostics, questions) (no drawing)."""

from __future__ import annotations
