"""Wrong and right answers for chapter 4.5's sections 4-6 (the hierarchical model, training, questions). Each wrong answer is one
plausible slip on top of the reference."""

from __future__ import annotations

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
