"""Plausible wrong answers to chapter 4.2's exercises (each must be rejected by its check), and
other right answers (each must pass), one module per group of sections."""

from tests.wrong_answers import makemore2_model, makemore2_tuning

WRONG_ANSWERS = [*makemore2_model.WRONG_ANSWERS, *makemore2_tuning.WRONG_ANSWERS]
RIGHT_ANSWERS = [*makemore2_model.RIGHT_ANSWERS, *makemore2_tuning.RIGHT_ANSWERS]
