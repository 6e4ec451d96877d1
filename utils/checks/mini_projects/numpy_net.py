"""Checks for chapter 6's sections 0-2 (the gradient checker, layers, the Network class)."""

from __future__ import annotations

__all__: list[str] = []  # test_<exercise> for each of: numerical_gradient, Dense, ReLU, SoftmaxCrossEntropy, Network
