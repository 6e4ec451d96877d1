"""Plausible wrong answers to chapter 4.1's exercises (each must be rejected by its check), and
other right answers (each must pass), one module per group of sections."""

from tests.wrong_answers import makemore1_counting, makemore1_neural

WRONG_ANSWERS = [*makemore1_counting.WRONG_ANSWERS, *makemore1_neural.WRONG_ANSWERS]
RIGHT_ANSWERS = [*makemore1_counting.RIGHT_ANSWERS, *makemore1_neural.RIGHT_ANSWERS]
