"""Chapter 6's demo for section 2: the project's network built from the learner's `Dense`,
`ReLU` and `Network` (their `SoftmaxCrossEntropy` inside it; the reference for whatever they have
not passed) and trained on scikit-learn's digits in the sandbox. Returns the run as plain data
for utils/figures/mini_projects/numpy_net.py. The digits are loaded before the sandbox forks (the
chapter's runner preload).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from utils.experiments.mini_projects.numpy_net import EPOCHS, train_digits

__all__ = ["train_my_network"]

MAX_EPOCHS = 60  # 20 epochs take about 0.2 s here: 60 stay far inside the demo limit


def train_my_network(namespace: Mapping[str, Any], epochs: int = EPOCHS) -> dict:
    """The learner's network (64 → 64 → ReLU → 10) trained for `epochs` on the digits."""
    epochs = int(epochs)
    if not 1 <= epochs <= MAX_EPOCHS:
        raise ValueError(f"epochs must be 1-{MAX_EPOCHS}")
    return train_digits(dict(namespace), epochs=epochs)


def validated_run(data: object, epochs: int) -> dict:
    """A run that came back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no data")
    losses = data.get("losses")
    if not isinstance(losses, list) or len(losses) != epochs:
        raise ValueError(f"fit should return {epochs} epoch losses, one per epoch")
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in losses):
        raise ValueError("the epoch losses are not all finite numbers (did training diverge?)")
    confusion = data.get("confusion")
    if not (isinstance(confusion, list) and len(confusion) == 10
            and all(isinstance(row, list) and len(row) == 10 for row in confusion)):
        raise ValueError("predict did not give one digit from 0 to 9 per test image")
    return data
