"""Wrong and right answers for chapter 4.3's sections 0-3 (the loss at initialisation, saturated tanh, Kaiming init and layers). Each wrong answer is one
plausible slip on top of the reference."""

from __future__ import annotations

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
