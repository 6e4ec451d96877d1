"""Training runs of sections 3 and 4, written once against a namespace of functions: the reference
solutions draw the pages' default curves, and the sandbox demos pass the learner's own
`init_params`, `linear1`, `simple_net`, `calc_grad`, `train_epoch`, `BasicOptim`, `mnist_loss` and
`batch_accuracy` (utils/demos/neural_network_basics/training.py). No drawing here.

The linear model trains with `train_epoch`; the two-layer net with `BasicOptim` (calc_grad, step,
zero_grad per batch), so one run of each exercises every function of section 3.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import torch as t
from jaxtyping import Float
from torch import Tensor

from utils.demos.neural_network_basics_settings import KINDS
from utils.experiments.neural_network_basics.digits import training_batches
from utils.torch_threads import one_thread


@dataclass(frozen=True)
class Settings:
    """What a run depends on besides its data. The defaults are the ones the pages use: on the
    offline digits, fastbook's init (std 1.0) leaves every sigmoid saturated, so 0.1 (section 3
    shows both)."""

    kind: str = "linear"  # a key of KINDS
    epochs: int = 20
    lr: float = 1.0
    std: float = 0.1  # init_params' std for every weight and bias
    batch_size: int = 64
    hidden: int = 30  # the net's hidden units (fastbook's simple_net has 30)
    seed: int = 0


def make_model(fns: Mapping[str, Any], n_features: int, settings: Settings
               ) -> tuple[Any, list[Tensor]]:
    """(model: a function of one batch, its parameters), initialised with fns' init_params."""
    gen = t.Generator().manual_seed(settings.seed)
    init = lambda *size: fns["init_params"](size, settings.std, generator=gen)  # noqa: E731
    if settings.kind == "linear":
        weights, bias = init(n_features, 1), init(1)
        return (lambda xb: fns["linear1"](xb, weights, bias)), [weights, bias]
    if settings.kind != "net":
        raise ValueError(f"unknown model kind {settings.kind!r}; expected one of {list(KINDS)}")
    params = [init(n_features, settings.hidden), init(settings.hidden),
              init(settings.hidden, 1), init(1)]
    return (lambda xb: fns["simple_net"](xb, *params)), params


def _measure(fns: Mapping[str, Any], model: Any, train: tuple[Tensor, Tensor],
             valid: tuple[Tensor, Tensor]) -> tuple[float, float]:
    """(loss on the whole training set, accuracy on the validation set), tracking nothing."""
    with t.no_grad():
        loss = fns["mnist_loss"](model(train[0]), train[1])
        accuracy = fns["batch_accuracy"](model(valid[0]), valid[1])
    return float(loss), float(accuracy)


def train_and_measure(fns: Mapping[str, Any],
                      train: tuple[Float[Tensor, "n d"], Float[Tensor, "n 1"]],
                      valid: tuple[Float[Tensor, "m d"], Float[Tensor, "m 1"]],
                      settings: Settings) -> dict[str, list[float]]:
    """Train fns' model on `train` for settings.epochs epochs of shuffled minibatches; the
    training loss and validation accuracy before training and after each epoch (epochs + 1
    values each)."""
    with one_thread():
        return _train(fns, train, valid, settings)


def _train(fns: Mapping[str, Any], train: tuple[Tensor, Tensor], valid: tuple[Tensor, Tensor],
           settings: Settings) -> dict[str, list[float]]:
    model, params = make_model(fns, train[0].shape[1], settings)
    optimizer = fns["BasicOptim"](params, settings.lr) if settings.kind == "net" else None
    losses, accuracies = [], []
    for epoch in range(settings.epochs + 1):
        if epoch:
            batches = training_batches(*train, settings.batch_size, seed=settings.seed + epoch)
            if optimizer is None:
                fns["train_epoch"](model, settings.lr, params, batches)
            else:
                for xb, yb in batches:
                    fns["calc_grad"](xb, yb, model)
                    optimizer.step()
                    optimizer.zero_grad()
        loss, accuracy = _measure(fns, model, train, valid)
        losses.append(loss)
        accuracies.append(accuracy)
    return {"loss": losses, "accuracy": accuracies}


def saved_run(saved: Sequence[Mapping[str, Any]], settings: Settings,
              **extra: Any) -> dict[str, list[float]] | None:
    """The curves of `settings` among runs saved by precompute (each: its settings, any `extra`
    keys such as the dataset, its curves), or None. Epoch k of a run never depends on how many
    epochs follow it (each epoch's batches are seeded by its number), so a saved run of more
    epochs answers a shorter one with its first epochs."""
    wanted = {**asdict(settings), **extra}
    epochs = wanted.pop("epochs")
    for run in saved:
        key = dict(run["settings"])
        if key.pop("epochs") >= epochs and key == wanted:
            return {"loss": run["loss"][:epochs + 1], "accuracy": run["accuracy"][:epochs + 1]}
    return None


def reference_functions() -> dict[str, Any]:
    """The reference solutions as a namespace of functions."""
    from solutions import neural_network_basics as solutions

    return vars(solutions)
