"""Wrong and right answers for chapter 4.4's sections 0-2 (the forward pass in small steps, every gradient by hand). Each wrong answer is one
plausible slip on top of the reference."""

from __future__ import annotations

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
