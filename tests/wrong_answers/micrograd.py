"""Plausible wrong answers to chapter 3's exercises (each must be rejected by its check), and
other right answers (each must pass), one module per group of sections."""

from tests.wrong_answers import micrograd_engine, micrograd_network

WRONG_ANSWERS = [*micrograd_engine.WRONG_ANSWERS, *micrograd_network.WRONG_ANSWERS]
RIGHT_ANSWERS = [*micrograd_engine.RIGHT_ANSWERS, *micrograd_network.RIGHT_ANSWERS]
