"""Wrong and right answers for chapter 4.1's sections 4-5 (the likelihood, the neural bigram). Each wrong answer is one
plausible slip on top of the reference."""

from __future__ import annotations

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
