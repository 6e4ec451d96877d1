"""Plausible wrong answers to chapter 4.4's exercises (each must be rejected by its check), and
other right answers (each must pass), one module per group of sections."""

from tests.wrong_answers import makemore4_manual, makemore4_closed_form

WRONG_ANSWERS = [*makemore4_manual.WRONG_ANSWERS, *makemore4_closed_form.WRONG_ANSWERS]
RIGHT_ANSWERS = [*makemore4_manual.RIGHT_ANSWERS, *makemore4_closed_form.RIGHT_ANSWERS]
