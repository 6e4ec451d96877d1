"""Checks for chapter 4.1's sections 4-5 (the likelihood, the neural bigram)."""

from __future__ import annotations

__all__: list[str] = []  # test_<exercise> for each of: mean_nll, bigram_pairs, neural_bigram_loss, train_neural_bigram, fast_bigram_loss
