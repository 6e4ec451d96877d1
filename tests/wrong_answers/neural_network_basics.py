"""Plausible wrong answers to chapter 2's exercises (each must be rejected by its check), and
other right answers (each must pass), one module per pair of sections."""

from tests.wrong_answers import nn_basics_digits, nn_basics_fitting, nn_basics_training

WRONG_ANSWERS = [*nn_basics_digits.WRONG_ANSWERS, *nn_basics_training.WRONG_ANSWERS,
                 *nn_basics_fitting.WRONG_ANSWERS]
RIGHT_ANSWERS = [*nn_basics_digits.RIGHT_ANSWERS, *nn_basics_training.RIGHT_ANSWERS,
                 *nn_basics_fitting.RIGHT_ANSWERS]
