"""Checks for chapter 4.2's sections 1-3 (contexts and splits, the model, training)."""

from __future__ import annotations

__all__: list[str] = []  # test_<exercise> for each of: build_dataset, split_words, init_mlp, mlp_logits, split_loss, train_mlp
