"""Checks for chapter 4.1's sections 1-3 (names, counting, sampling)."""

from __future__ import annotations

__all__: list[str] = []  # test_<exercise> for each of: build_vocab, bigram_counts, bigram_probs, sample_names
