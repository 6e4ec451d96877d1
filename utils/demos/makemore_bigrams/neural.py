"""Sandbox runs of the learner's code for chapter 4.1's sections 4-5 (the likelihood, the neural
bigram): "Train my model" trains the learner's neural bigram on the chapter's names with their
own build_vocab, bigram_pairs, train_neural_bigram (and through it their neural_bigram_loss),
and measures their count model on the same names with their bigram_counts, bigram_probs and
mean_nll. Runs through `utils.runner.run_demo`; returns plain data for
utils/figures/makemore_bigrams/neural.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from utils.demos.makemore_bigrams_settings import EVERY, STEPS
from utils.experiments.makemore_bigrams.neural import train_namespace

__all__ = ["train_my_bigram"]


def train_my_bigram(namespace: Mapping[str, Any], steps: int = 100) -> dict:
    """The learner's neural bigram, trained for `steps` steps (lr 50, regularization 0.01,
    seeded as the reference) on every EVERY-th name, and their count model's NLL there."""
    if int(steps) not in STEPS:
        raise ValueError(f"steps must be one of {STEPS}")
    return train_namespace(namespace, int(steps), EVERY)


def validated_run(data: object, steps: int) -> dict:
    """A run that came back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no data")
    losses = data.get("losses")
    if not isinstance(losses, list) or len(losses) != steps:
        raise ValueError(f"expected {steps} losses, one per step")
    if not all(isinstance(x, (int, float)) and math.isfinite(x) for x in losses):
        raise ValueError("a loss is not a finite number: did training diverge?")
    if not isinstance(data.get("count_nll"), (int, float)):
        raise ValueError("the run has no count-model NLL")
    return data
