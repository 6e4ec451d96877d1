"""Checks for chapter 4.3's sections 4-6 (batch norm, the diagnostics, questions)."""

from __future__ import annotations

__all__: list[str] = []  # test_<exercise> for each of: BatchNorm1d, activation_stats, gradient_stats, update_ratios
