"""Wrong and right answers for chapter 6's sections 0-2 (the gradient checker, layers, the Network class). Each wrong answer is one
plausible slip on top of the reference."""

from __future__ import annotations

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
