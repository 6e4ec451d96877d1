"""Checks for chapter 4.5's sections 4-6 (the hierarchical model, training, questions)."""

from __future__ import annotations

__all__: list[str] = []  # test_<exercise> for each of: build_wavenet, shape_trace, train_wavenet, evaluate_loss
