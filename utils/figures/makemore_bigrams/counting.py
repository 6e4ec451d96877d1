"""Figures for chapter 4.1's sections 1-3 (names, counting, sampling)."""

from __future__ import annotations
