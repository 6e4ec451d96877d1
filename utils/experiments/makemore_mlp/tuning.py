"""Runs and data for chapter 4.2's sections 4-6 (learning rate, embeddings and samples, the trigram bonus) (no drawing)."""

from __future__ import annotations
