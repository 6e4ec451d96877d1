"""Reference solutions for chapter 2: neural-network basics.

The source of truth for `exercises/neural_network_basics.py` and its notebooks (`python -m
utils.codegen`); the prose around each exercise is in `pages/neural_network_basics/<n>_<key>.md`.

Conventions used throughout the chapter (fastbook's, so its lesson reads alongside):
- An image is a 28 x 28 float tensor with values in [0, 1]; a batch of them is flattened to rows of
  784 pixels before a linear model sees it.
- Targets are float tensors of shape (n, 1): 1.0 for a 3, 0.0 for a 7 (and 1.0 / 0.0 for the
  positive / negative class of the tabular task).
"""

import torch as t  # noqa: F401 - for the learner's own tensor work
from jaxtyping import Bool, Float  # noqa: F401
from torch import Tensor  # noqa: F401

from utils.exercise_meta import exercise  # noqa: F401


# === Section 1 (baseline) and section 2 (linear model): mean_image ... batch_accuracy =========

# STAND-IN (branch nn-training only): the FIXED functions of sections 1-2 that sections 3-4 call,
# so this branch runs on its own. At the merge, take branch nn-digits' version of this region.
def init_params(size, std=1.0, generator=None):
    return (t.randn(size, generator=generator) * std).requires_grad_()


def linear1(xb, weights, bias):
    return xb @ weights + bias


def mnist_loss(predictions, targets):
    predictions = predictions.sigmoid()
    return t.where(targets == 1, 1 - predictions, predictions).mean()


def batch_accuracy(predictions, targets):
    return ((predictions.sigmoid() > 0.5) == targets).float().mean()


# === end of sections 1-2 =======================================================================


# === Section 3 (training) and section 4 (tabular): calc_grad ... ===============================



# === end of sections 3-4 =======================================================================


# === Section 5 (best fit) and section 6 (warping): fit_line, layer_outputs ====================



# === end of sections 5-6 =======================================================================
