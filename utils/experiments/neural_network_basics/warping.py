"""The runs behind section 6, "Weights transform space" (no drawing: the figures module draws).

A network whose every layer is two units wide, Linear(2, 2) -> tanh -> Linear(2, 2) -> tanh ->
Linear(2, 2), trained on scikit-learn's two moons (made by utils/toy_datasets.py, no download), so
that every layer's output is a point of a plane and can be drawn; and a square grid of lines to
push through it, layer by layer, with a `layer_outputs` function (the learner's or the
reference). Seeded and small: training takes a fraction of a second on an idle machine, but
seconds on a busy one, so the moons and the network's snapshots are saved by
`python -m utils.experiments.neural_network_basics.precompute`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import torch as t
from jaxtyping import Float, Int
from torch import Tensor, nn

from utils.demos.neural_network_basics_settings import SNAPSHOT_EVERY, TRAIN_STEPS
from utils.torch_threads import one_thread
from utils.toy_datasets import two_moons

MOONS_POINTS, MOONS_NOISE, MOONS_SEED = 200, 0.1, 0
NET_SEED, LEARNING_RATE = 1, 0.05
# What the plane is after each layer of `moons_net()` (the input first).
STAGES = ("input", "after Linear 1", "after tanh", "after Linear 2", "after tanh (last hidden)",
          "after Linear 3 (the two logits)")
GRID_EXTENT, GRID_LINES, POINTS_PER_LINE = 2.5, 11, 41


@functools.lru_cache(maxsize=1)
def moons() -> tuple[Float[Tensor, "n 2"], Int[Tensor, "n"]]:
    """`make_standard_moons()`, as precompute saved them."""
    from utils.experiments.neural_network_basics import precompute

    saved = precompute.load("warping")["moons"]
    return t.tensor(saved["points"], dtype=t.float32), t.tensor(saved["labels"])


def make_standard_moons() -> tuple[Float[Tensor, "n 2"], Int[Tensor, "n"]]:
    """Two interleaved half-moons with a little noise, each coordinate standardised (mean 0,
    standard deviation 1); labels 0 and 1."""
    points, labels = two_moons(MOONS_POINTS, noise=MOONS_NOISE, seed=MOONS_SEED)
    x = t.tensor(points, dtype=t.float32)
    return (x - x.mean(0)) / x.std(0), t.tensor(labels)


def moons_net() -> nn.Sequential:
    """A fresh network whose every layer is two wide: two hidden tanh layers, two logits out."""
    return nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 2))


@dataclass(frozen=True)
class TrainedNet:
    model: nn.Sequential
    snapshots: tuple[tuple[int, dict[str, Tensor]], ...]  # (step, state_dict), step 0 first
    accuracy: float  # on the training points, at the end


@functools.lru_cache(maxsize=1)
def trained_moons_net() -> TrainedNet:
    """`train_moons_net()`, as precompute saved it: its snapshots, the last one the model."""
    from utils.experiments.neural_network_basics import precompute

    saved = precompute.load("warping")
    snapshots = tuple((step, {k: t.tensor(v, dtype=t.float32) for k, v in state.items()})
                      for step, state in saved["snapshots"])
    model = moons_net()
    model.load_state_dict(snapshots[-1][1])
    return TrainedNet(model, snapshots, saved["accuracy"])


def train_moons_net(x: Tensor, y: Tensor, seed: int = NET_SEED,
                    steps: int = TRAIN_STEPS) -> TrainedNet:
    """`moons_net()` trained on the moons (x, y) by Adam (full batch, cross-entropy), with its
    weights every SNAPSHOT_EVERY steps."""
    with one_thread():
        return _train_moons_net(x, y, seed, steps)


def _train_moons_net(x: Tensor, y: Tensor, seed: int, steps: int) -> TrainedNet:
    t.manual_seed(seed)
    model = moons_net()
    opt = t.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    snapshots = []
    for step in range(steps + 1):
        if step % SNAPSHOT_EVERY == 0:
            snapshots.append((step, {k: v.clone() for k, v in model.state_dict().items()}))
        if step == steps:
            break
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    with t.no_grad():
        accuracy = float((model(x).argmax(1) == y).float().mean())
    return TrainedNet(model, tuple(snapshots), accuracy)


def net_at(step: int) -> nn.Sequential:
    """The trained network's weights as they were at `step` (a multiple of SNAPSHOT_EVERY)."""
    model = moons_net()
    model.load_state_dict(dict(trained_moons_net().snapshots)[step])
    return model


def grid_lines(extent: float = GRID_EXTENT, lines: int = GRID_LINES,
               points: int = POINTS_PER_LINE) -> Float[Tensor, "m 2"]:
    """A square grid of lines over [-extent, extent]^2 as points: `lines` horizontal lines of
    `points` points each (bottom to top), then `lines` vertical ones (left to right)."""
    ticks = t.linspace(-extent, extent, lines)
    along = t.linspace(-extent, extent, points)
    horizontal = t.stack([along.repeat(lines), ticks.repeat_interleave(points)], dim=1)
    vertical = t.stack([ticks.repeat_interleave(points), along.repeat(lines)], dim=1)
    return t.cat([horizontal, vertical])


def warp(layer_outputs: Callable, model: nn.Sequential) -> dict[str, list[Tensor]]:
    """The grid and the moons after each layer of `model` (the input first), through one call
    of `layer_outputs` on both stacked together."""
    grid = grid_lines()
    x, _ = moons()
    stacked = t.cat([grid, x])
    outputs = [stacked, *layer_outputs(model, stacked.clone())]
    return {"grid": [h[:len(grid)] for h in outputs], "points": [h[len(grid):] for h in outputs]}


def boundary(model: nn.Sequential) -> tuple[Float[Tensor, "2"], float]:
    """The last layer's decision boundary in the plane it reads (the last hidden layer): the
    points h with w . h + b = 0, where w and b are the difference of class 1's and class 0's
    rows of the last Linear."""
    last = model[-1]
    w = (last.weight[1] - last.weight[0]).detach()
    return w, float(last.bias[1].detach() - last.bias[0].detach())


def validate_warp(data: object, stages: int = len(STAGES)) -> dict[str, list[Tensor]]:
    """A warp that came back from the sandbox as lists, checked before it is drawn."""
    if not isinstance(data, dict) or not {"grid", "points"} <= set(data):
        raise ValueError("the run returned no layer outputs")
    n_grid, n_points = len(grid_lines()), MOONS_POINTS
    out = {}
    for key, n in (("grid", n_grid), ("points", n_points)):
        try:
            tensors = [t.tensor(h, dtype=t.float32) for h in data[key]]
        except (TypeError, ValueError) as err:
            raise ValueError(f"the layer outputs are not numbers ({err})") from err
        if len(tensors) != stages or any(h.shape != (n, 2) for h in tensors):
            raise ValueError(f"expected {stages} stages (the input and {stages - 1} layers) of "
                             f"{n} points in the plane each")
        out[key] = tensors
    return out
