"""Widgets for chapter 4.2's sections 4-6 (learning rate, embeddings and samples, the trigram bonus)."""

from __future__ import annotations

__all__: list[str] = []
