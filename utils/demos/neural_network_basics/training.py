"""Chapter 2's demos for sections 3 and 4: train the learner's own model (their init_params,
linear1 or simple_net, calc_grad, train_epoch or BasicOptim, and for tabular data their
standardize) in the sandbox, and return its curves as plain data for
utils/figures/neural_network_basics/training.py. Runs through `utils.runner.run_demo`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import torch as t

from utils.experiments.neural_network_basics.digits import threes_and_sevens
from utils.experiments.neural_network_basics.training import KINDS, Settings, train_and_measure

__all__ = ["train_digits", "train_tabular"]

MAX_EPOCHS = 60  # what a page may ask for: a few seconds in the sandbox at most
MAX_ROWS = 2000  # tabular rows a page may send (the Titanic has 1309)


TABULAR_HIDDEN = 20  # the net's hidden units on a table (fewer features than pixels)


def _settings(kind: str, epochs: int, lr: float, std: float, seed: int,
              hidden: int = Settings.hidden) -> Settings:
    if kind not in KINDS:
        raise ValueError(f"unknown model kind {kind!r}")
    if not 1 <= int(epochs) <= MAX_EPOCHS or not 0 < float(lr) <= 100 or not 0 < float(std) <= 10:
        raise ValueError("epochs, lr or std out of range")
    return Settings(kind=kind, epochs=int(epochs), lr=float(lr), std=float(std), seed=int(seed),
                    hidden=hidden)


def train_digits(engine: Mapping[str, Any], kind: str = "linear", epochs: int = 20,
                 lr: float = 1.0, std: float = 0.1, seed: int = 0) -> dict:
    """The learner's linear model (train_epoch) or two-layer net (BasicOptim) on the 3s and 7s:
    training loss and validation accuracy before training and after each epoch."""
    digits = threes_and_sevens()
    curves = train_and_measure(engine, digits.flat("train"), digits.flat("valid"),
                               _settings(kind, epochs, lr, std, seed))
    return {**curves, "kind": kind, "source": digits.source}


def train_tabular(engine: Mapping[str, Any], train_x: list, train_y: list, valid_x: list,
                  valid_y: list, kind: str = "linear", epochs: int = 30, lr: float = 1.0,
                  std: float = 0.1, seed: int = 0, scale: bool = True) -> dict:
    """The learner's model on a tabular task the page sends (unscaled features, 0/1 targets),
    scaled with the learner's standardize when `scale`."""
    train = t.tensor(np.asarray(train_x, dtype=np.float32)), \
        t.tensor(np.asarray(train_y, dtype=np.float32)).reshape(-1, 1)
    valid = t.tensor(np.asarray(valid_x, dtype=np.float32)), \
        t.tensor(np.asarray(valid_y, dtype=np.float32)).reshape(-1, 1)
    if train[0].ndim != 2 or valid[0].ndim != 2 or train[0].shape[1] != valid[0].shape[1] or \
            len(train[0]) + len(valid[0]) > MAX_ROWS:
        raise ValueError("the tabular data has the wrong shapes")
    if scale:
        train_x_scaled, valid_x_scaled = engine["standardize"](train[0], valid[0])
        train, valid = (train_x_scaled, train[1]), (valid_x_scaled, valid[1])
    curves = train_and_measure(engine, train, valid,
                               _settings(kind, epochs, lr, std, seed, TABULAR_HIDDEN))
    return {**curves, "kind": kind}


def validated_curves(data: object, epochs: int) -> dict[str, list[float]]:
    """Curves that came back from the sandbox, checked before they are drawn: epochs + 1 finite
    losses (NaN allowed: a diverged run is worth seeing) and accuracies in [0, 1]."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no curves")
    loss = np.asarray(data.get("loss"), dtype=float)
    accuracy = np.asarray(data.get("accuracy"), dtype=float)
    if loss.shape != (epochs + 1,) or accuracy.shape != (epochs + 1,):
        raise ValueError(f"expected {epochs + 1} losses and accuracies (before training and "
                         "after each epoch)")
    finite = accuracy[np.isfinite(accuracy)]
    if ((finite < 0) | (finite > 1)).any():
        raise ValueError("an accuracy outside [0, 1]: does batch_accuracy return a fraction?")
    return {"loss": loss.tolist(), "accuracy": accuracy.tolist()}
