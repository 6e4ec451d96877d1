"""Checks for chapter 4.5's sections 0-3 (layers as modules, FlattenConsecutive, batch norm in 3-D)."""

from __future__ import annotations

__all__: list[str] = []  # test_<exercise> for each of: Embedding, FlattenConsecutive, Sequential, BatchNorm1d
