"""Runs and data for chapter 4.5's sections 0-3 (layers as modules, FlattenConsecutive, batch norm in 3-D) (no drawing)."""

from __future__ import annotations
