"""Runs and data for chapter 4.4's sections 0-2 (the forward pass in small steps, every gradient by hand) (no drawing)."""

from __future__ import annotations
