"""Sections 5-6's measurements: the two-moons data, training runs of an MLP of `Value`s written
once against a namespace (the reference solutions, or a learner's file in the sandbox), and a
NumPy forward pass that evaluates a trained MLP on a grid of points from its parameters' numbers.
No drawing here.

A run records the loss and accuracy of every step and, every `every` steps, a snapshot of all the
parameters' data in the chapter's order (layer by layer, neuron by neuron, weights then bias), from
which the figures draw the decision boundary. Scoring a 40 x 40 grid with the scalar engine would
build about a million `Value`s per snapshot of the reference's MLP; the same numbers as matrix
products take milliseconds (section 6 says so on the page).

The page's reference run is Karpathy's demo (100 moons, MLP(2, [16, 16, 1]), 100 steps): minutes
of scalar arithmetic, so it is computed once and kept in assets/micrograd/reference_run.json
(`python -m utils.experiments.micrograd.network` writes it again).
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from jaxtyping import Float

from utils.site_config import ROOT
from utils.toy_datasets import two_circles, two_moons

REFERENCE_PATH = ROOT / "assets" / "micrograd" / "reference_run.json"


@dataclass(frozen=True)
class RunSettings:
    """What a training run depends on. The defaults are Karpathy's demo."""

    n_points: int = 100
    hidden: tuple[int, ...] = (16, 16)
    steps: int = 100
    lr_start: float = 1.0
    lr_end: float = 0.1
    alpha: float = 1e-4
    seed: int = 1337  # the moons' noise and the weights' random.uniform draws
    every: int = 5  # a parameter snapshot every `every` steps (and after the last)

    @property
    def sizes(self) -> list[int]:
        return [*self.hidden, 1]


def moons(n: int = 100, seed: int = 1337, noise: float = 0.1
          ) -> tuple[Float[np.ndarray, "n 2"], Float[np.ndarray, "n"]]:
    """scikit-learn's two moons: points (n, 2) and labels -1.0 / +1.0 (make_moons gives 0 / 1)."""
    X, y = two_moons(n, noise=noise, seed=seed)
    return X.astype(np.float64), (2.0 * y - 1.0).astype(np.float64)


def circles(n: int = 100, seed: int = 1337, noise: float = 0.1, factor: float = 0.5
            ) -> tuple[Float[np.ndarray, "n 2"], Float[np.ndarray, "n"]]:
    """scikit-learn's two circles, the chapter's new specification: an inner ring (label +1.0)
    of radius `factor` inside an outer ring of radius 1 (label -1.0)."""
    X, y = two_circles(n, noise=noise, factor=factor, seed=seed)
    return X.astype(np.float64), (2.0 * y - 1.0).astype(np.float64)


def parameter_data(model: Any) -> list[float]:
    """The model's parameters' numbers, in the order of its parameters()."""
    return [float(p.data) for p in model.parameters()]


def load_parameter_data(model: Any, numbers: list[float]) -> None:
    """Copy `numbers` into the model's parameters, in the order of its parameters()."""
    params = model.parameters()
    if len(params) != len(numbers):
        raise ValueError(f"{len(numbers)} numbers for {len(params)} parameters")
    for p, v in zip(params, numbers):
        p.data = float(v)


def mlp_forward(numbers: list[float], nin: int, sizes: list[int],
                points: Float[np.ndarray, "m nin"]) -> Float[np.ndarray, "m"]:
    """The scores MLP(nin, sizes) with these parameter numbers gives each row of `points`, as
    matrix products: per layer, a (fan_in + 1)-row block per neuron, weights then bias."""
    numbers = np.asarray(numbers, dtype=np.float64)
    h = np.asarray(points, dtype=np.float64)
    start = 0
    fan_in = nin
    for i, width in enumerate(sizes):
        block = numbers[start:start + width * (fan_in + 1)].reshape(width, fan_in + 1)
        start += width * (fan_in + 1)
        h = h @ block[:, :-1].T + block[:, -1]
        if i != len(sizes) - 1:
            h = np.maximum(h, 0.0)
        fan_in = width
    if start != len(numbers):
        raise ValueError(f"{len(numbers)} numbers, but MLP({nin}, {sizes}) has {start}")
    return h[:, 0]


def train_run(fns: Mapping[str, Any], settings: RunSettings) -> dict[str, Any]:
    """Train fns' MLP on the moons with fns' train_step and Karpathy's decaying learning rate.

    Returns plain data: `loss` and `accuracy` of every step (measured before its update), then
    the final ones; `snapshots`, a list of (step, parameter numbers) taken before steps 0,
    every, 2 * every, ... and after the last; and the settings."""
    X, y = moons(settings.n_points, settings.seed)
    random.seed(settings.seed)
    model = fns["MLP"](2, settings.sizes)
    losses, accuracies, snapshots = [], [], []
    for k in range(settings.steps):
        if k % settings.every == 0:
            snapshots.append((k, parameter_data(model)))
        lr = settings.lr_start + (settings.lr_end - settings.lr_start) * k / settings.steps
        loss, accuracy = fns["train_step"](model, X, y, lr, settings.alpha)
        losses.append(float(loss))
        accuracies.append(float(accuracy))
    final_loss, final_accuracy = fns["moons_loss"](model, X, y, settings.alpha)
    losses.append(float(final_loss.data))
    accuracies.append(float(final_accuracy))
    snapshots.append((settings.steps, parameter_data(model)))
    return {"loss": losses, "accuracy": accuracies, "snapshots": snapshots,
            "settings": {**asdict(settings), "hidden": list(settings.hidden)}}


def reference_functions() -> dict[str, Any]:
    from solutions import micrograd as solutions

    return vars(solutions)


@lru_cache(maxsize=1)
def reference_run() -> dict[str, Any]:
    """Karpathy's demo trained with the reference solutions, as saved in assets/ (trained again,
    minutes of pure Python, only if the committed file is missing)."""
    if not REFERENCE_PATH.exists():
        return write_reference_run()
    return json.loads(REFERENCE_PATH.read_text())


def write_reference_run() -> dict[str, Any]:
    import time

    start = time.perf_counter()
    run = train_run(reference_functions(), RunSettings())
    run["seconds"] = round(time.perf_counter() - start, 1)
    REFERENCE_PATH.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE_PATH.write_text(json.dumps(run))
    return run


if __name__ == "__main__":
    saved = write_reference_run()
    print(f"{saved['seconds']} s; final loss {saved['loss'][-1]:.4f}, "
          f"accuracy {saved['accuracy'][-1]:.0%}")
