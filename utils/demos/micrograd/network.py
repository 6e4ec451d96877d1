"""Chapter 3's demo for sections 5-6: train an MLP on the two moons with the learner's own
`MLP`, `moons_loss` and `train_step` (and their `Value`, once passed; the reference for whatever
they have not passed) in the sandbox, and return the run as plain data for
utils/figures/micrograd/network.py. Runs through `utils.runner.run_demo`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from utils.demos.micrograd_settings import HIDDEN_WIDTHS, MAX_POINTS, MAX_STEPS
from utils.experiments.micrograd.network import (RunSettings, load_parameter_data, mlp_forward,
                                                 moons, train_run)

__all__ = ["train_mlp"]


def train_mlp(namespace: Mapping[str, Any], steps: int = 40, hidden: int = 8,
              n_points: int = 50, lr_start: float = 1.0) -> dict:
    """The learner's MLP(2, [hidden, hidden, 1]) trained for `steps` steps on `n_points` moons,
    the learning rate falling from lr_start to lr_start / 10; loss, accuracy and parameter
    snapshots (see train_run)."""
    if not 1 <= int(steps) <= MAX_STEPS or int(hidden) not in HIDDEN_WIDTHS or \
            not 10 <= int(n_points) <= MAX_POINTS or not 0 < float(lr_start) <= 10:
        raise ValueError("steps, hidden, n_points or lr_start out of range")
    settings = RunSettings(n_points=int(n_points), hidden=(int(hidden), int(hidden)),
                           steps=int(steps), lr_start=float(lr_start),
                           lr_end=float(lr_start) / 10, every=max(1, int(steps) // 10))
    run = train_run(namespace, settings)
    _check_order(namespace, run, settings)
    return run


def _check_order(namespace: Mapping[str, Any], run: dict, settings: RunSettings) -> None:
    """The figures redraw the model from its parameters' numbers: make sure those numbers, read
    in the chapter's order, give the model's own scores."""
    X, _ = moons(settings.n_points, settings.seed)
    model = namespace["MLP"](2, settings.sizes)
    load_parameter_data(model, run["snapshots"][-1][1])
    own = np.array([float(model([float(a), float(b)]).data) for a, b in X[:10]])
    redrawn = mlp_forward(run["snapshots"][-1][1], 2, settings.sizes, X[:10])
    if not np.allclose(own, redrawn, atol=1e-6):
        raise ValueError("your MLP's parameters() are not in the chapter's order (layer by "
                         "layer, neuron by neuron, weights then bias), so its boundary can't be "
                         "drawn from them")


def validated_run(data: object, steps: int) -> dict:
    """A run that came back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no data")
    loss = np.asarray(data.get("loss"), dtype=float)
    accuracy = np.asarray(data.get("accuracy"), dtype=float)
    if loss.shape != (steps + 1,) or accuracy.shape != (steps + 1,):
        raise ValueError(f"expected {steps + 1} losses and accuracies")
    finite = accuracy[np.isfinite(accuracy)]
    if ((finite < 0) | (finite > 1)).any():
        raise ValueError("an accuracy outside [0, 1]: does moons_loss return a fraction?")
    if not data.get("snapshots") or not isinstance(data.get("settings"), dict):
        raise ValueError("the run has no parameter snapshots")
    return data
