"""Wrong and right answers for chapter 4.2's sections 4-6 (learning rate, embeddings and samples, the trigram bonus). Each wrong answer is one
plausible slip on top of the reference."""

from __future__ import annotations

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
