"""Wrong and right answers for chapter 4.2's sections 1-3 (contexts and splits, the model, training). Each wrong answer is one
plausible slip on top of the reference."""

from __future__ import annotations

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
