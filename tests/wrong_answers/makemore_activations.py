"""Plausible wrong answers to chapter 4.3's exercises (each must be rejected by its check), and
other right answers (each must pass), one module per group of sections."""

from tests.wrong_answers import makemore3_init, makemore3_batchnorm

WRONG_ANSWERS = [*makemore3_init.WRONG_ANSWERS, *makemore3_batchnorm.WRONG_ANSWERS]
RIGHT_ANSWERS = [*makemore3_init.RIGHT_ANSWERS, *makemore3_batchnorm.RIGHT_ANSWERS]
