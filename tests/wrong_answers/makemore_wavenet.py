"""Plausible wrong answers to chapter 4.5's exercises (each must be rejected by its check), and
other right answers (each must pass), one module per group of sections."""

from tests.wrong_answers import makemore5_layers, makemore5_model

WRONG_ANSWERS = [*makemore5_layers.WRONG_ANSWERS, *makemore5_model.WRONG_ANSWERS]
RIGHT_ANSWERS = [*makemore5_layers.RIGHT_ANSWERS, *makemore5_model.RIGHT_ANSWERS]
