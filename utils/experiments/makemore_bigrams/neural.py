"""Runs and data for chapter 4.1's sections 4-5 (the likelihood, the neural bigram) (no drawing)."""

from __future__ import annotations
