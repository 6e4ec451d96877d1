"""Plausible wrong answers to chapter 6's exercises (each must be rejected by its check), and
other right answers (each must pass), one module per group of sections."""

from tests.wrong_answers import mini_numpy_net, mini_autodiff

WRONG_ANSWERS = [*mini_numpy_net.WRONG_ANSWERS, *mini_autodiff.WRONG_ANSWERS]
RIGHT_ANSWERS = [*mini_numpy_net.RIGHT_ANSWERS, *mini_autodiff.RIGHT_ANSWERS]
