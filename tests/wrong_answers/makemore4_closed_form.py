"""Wrong and right answers for chapter 4.4's sections 3-6 (cross-entropy and batch norm in closed form, training, questions). Each wrong answer is one
plausible slip on top of the reference."""

from __future__ import annotations

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
