"""Wrong and right answers for chapter 6's sections 3-5 (forward mode, autodiff in any language, questions). Each wrong answer is one
plausible slip on top of the reference."""

from __future__ import annotations

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
