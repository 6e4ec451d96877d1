"""Wrong and right answers for chapter 4.5's sections 0-3 (layers as modules, FlattenConsecutive, batch norm in 3-D). Each wrong answer is one
plausible slip on top of the reference."""

from __future__ import annotations

WRONG_ANSWERS: list = []
RIGHT_ANSWERS: list = []
