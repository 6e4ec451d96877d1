# %% [markdown]
# # Chapter 5.3: Optimization — exercises
#
# SGD, RMSprop, Adam and AdamW written from their update rules and matched against PyTorch's, then raced across loss landscapes built to trip them up.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/part3_optimization.py
#
# or one test per exercise with `pytest exercises/part3_optimization.py`, or call one check yourself, e.g. `tests.test_opt_fn_with_sgd(opt_fn_with_sgd)`.
#
# This file is generated from `solutions/part3_optimization.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/part3_optimization_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/part3_optimization.ipynb


# %%
import sys
from pathlib import Path

# The checks live in the repository's `utils` package: import it from the folder above this file.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
try:
    import utils  # noqa: F401
except ImportError:
    sys.exit("This file needs the course's code: put it in the exercises/ folder of a clone of "
             "https://github.com/grokking-the-fundamentals/grokking-the-fundamentals and run it from there.")


# %%
import math
from dataclasses import dataclass, fields, replace
from typing import Callable, Iterable

import torch as t
import torch.distributed as dist
from jaxtyping import Float
from torch import Tensor

from utils.checks import part3_optimization as tests


# %%
def pathological_curve_loss(x: Tensor, y: Tensor) -> Tensor:
    """Given: a long, nearly flat valley in x that drops off steeply in y."""
    return t.tanh(x) ** 2 + 0.01 * t.abs(x) + t.sigmoid(y)


# %%
def neg_trimodal_func(x: Tensor, y: Tensor) -> Tensor:
    """Given: three Gaussian wells of different depths, so there are three local minima."""
    wells = [(1.0, 0.0, 1.0), (-1.2, 1.0, 0.8), (-0.4, -1.3, 0.6)]  # (centre x, centre y, depth)
    return -sum(depth * t.exp(-((x - cx) ** 2 + (y - cy) ** 2)) for cx, cy, depth in wells)


# %%
def rosenbrocks_banana_func(x: Tensor, y: Tensor, a: float = 1.0, b: float = 100.0) -> Tensor:
    """Given: Rosenbrock's banana, a curved valley with its minimum (1 + 0) at (a, a**2)."""
    return (a - x) ** 2 + b * (y - x ** 2) ** 2 + 1


# %% [markdown]
# ## Stochastic gradient descent
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part3_optimization_optimizers)


# %% [markdown]
# ### Exercise: `opt_fn_with_sgd` — Follow SGD across a landscape
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–20 minutes
#
# Write `opt_fn_with_sgd(fn, xy, lr, momentum, n_iters)`: minimise `fn(x, y)` starting from
# `xy` with `torch.optim.SGD`, and return the `(n_iters, 2)` tensor of positions *before*
# each step. Pass `lr` and `momentum` on to the optimizer as they are (what momentum does
# comes later in this section, where you write SGD yourself).
#
# Check it with `tests.test_opt_fn_with_sgd(opt_fn_with_sgd)`.


# %%
def opt_fn_with_sgd(fn: Callable, xy: Float[Tensor, "2"], lr: float = 0.001,
                    momentum: float = 0.98, n_iters: int = 100) -> Float[Tensor, "n_iters 2"]:
    """Minimise fn(x, y) from xy (a tensor with requires_grad=True) with torch.optim.SGD.

    Returns the (x, y) positions *before* each of the n_iters steps: row 0 is the start.
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `SGD` — SGD with momentum and weight decay
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 20–30 minutes
#
# Write the `SGD` optimizer: `zero_grad()` and `step()` following its docstring, which is
# PyTorch's update rule. Your weights must match `torch.optim.SGD`'s to within $10^{-5}$
# after training a small network.
#
# Check it with `tests.test_SGD(SGD)`.


# %%
class SGD:
    """Stochastic gradient descent with momentum and weight decay, as torch.optim.SGD.

    Each step, for each parameter p with a gradient g:
        g = g + weight_decay * p
        b = momentum * b + g   (b starts at 0, one buffer per parameter; skipped if momentum == 0)
        p = p - lr * b         (or p - lr * g without momentum)
    Parameters whose .grad is None are skipped. zero_grad() sets every .grad to None.
    """

    def __init__(self, params: Iterable[t.nn.Parameter], lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0):
        raise NotImplementedError()

    def zero_grad(self) -> None:
        raise NotImplementedError()

    @t.inference_mode()
    def step(self) -> None:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `SGDWithParamGroups` — Bonus: parameter groups
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵⚪⚪⚪⚪ · 30–40 minutes · bonus
#
# Write `SGDWithParamGroups`: SGD where parameters can be split into groups with their own
# learning rate, momentum and weight decay, as `torch.optim.SGD` allows, with the two errors
# its docstring asks for.
#
# Check it with `tests.test_SGDWithParamGroups(SGDWithParamGroups)`.


# %%
class SGDWithParamGroups:
    """SGD whose parameters may come in groups with their own hyperparameters, as torch.optim.SGD
    allows (one difference: torch's lr defaults to 1e-3; here a missing lr is an error):

        SGDWithParamGroups([{"params": model.body.parameters()},
                            {"params": model.head.parameters(), "lr": 1e-3}],
                           lr=1e-2, momentum=0.9)

    `params` is either an iterable of parameters (one group) or a list of dicts, each with a
    "params" entry and optionally "lr", "momentum", "weight_decay". Keyword arguments are the
    defaults for groups that do not set them. Raise ValueError for a group with no lr when no
    default lr is given, and for a parameter that appears in two groups. The update is SGD's.
    """

    def __init__(self, params: Iterable, **kwargs):
        raise NotImplementedError()

    def zero_grad(self) -> None:
        raise NotImplementedError()

    @t.inference_mode()
    def step(self) -> None:
        raise NotImplementedError()


# %% [markdown]
# ## Adaptive optimizers
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part3_optimization_adaptive_optimizers)


# %% [markdown]
# ### Exercise: `RMSprop` — RMSprop
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 15–25 minutes
#
# Write the `RMSprop` optimizer following its docstring (PyTorch's rule, not centered). Match
# `torch.optim.RMSprop`, including with momentum, weight decay and a non-default `eps`.
#
# Check it with `tests.test_RMSprop(RMSprop)`.


# %%
class RMSprop:
    """RMSprop, as torch.optim.RMSprop (centered=False).

    For each parameter p with gradient g:
        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g**2              (v starts at 0)
        with momentum: b = momentum * b + g / (sqrt(v) + eps); p = p - lr * b
        without:       p = p - lr * g / (sqrt(v) + eps)
    """

    def __init__(self, params: Iterable[t.nn.Parameter], lr: float = 0.01, alpha: float = 0.99,
                 eps: float = 1e-08, weight_decay: float = 0.0, momentum: float = 0.0):
        raise NotImplementedError()

    def zero_grad(self) -> None:
        raise NotImplementedError()

    @t.inference_mode()
    def step(self) -> None:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Adam` — Adam
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 20–30 minutes
#
# Write the `Adam` optimizer following its docstring: moving averages of the gradient and its
# square, with bias correction. Match `torch.optim.Adam`.
#
# Check it with `tests.test_Adam(Adam)`.


# %%
class Adam:
    """Adam, as torch.optim.Adam (amsgrad=False), with L2 weight decay added to the gradient.

    Step number s counts from 1. For each parameter p with gradient g:
        g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g          v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**s)               v_hat = v / (1 - beta2**s)
        p = p - lr * m_hat / (sqrt(v_hat) + eps)
    """

    def __init__(self, params: Iterable[t.nn.Parameter], lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-08,
                 weight_decay: float = 0.0):
        raise NotImplementedError()

    def zero_grad(self) -> None:
        raise NotImplementedError()

    @t.inference_mode()
    def step(self) -> None:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `AdamW` — AdamW
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write `AdamW`: Adam with decoupled weight decay, as its docstring says, matching
# `torch.optim.AdamW` (whose default `weight_decay` is 0.01).
#
# Check it with `tests.test_AdamW(AdamW)`.


# %%
class AdamW(Adam):
    """AdamW, as torch.optim.AdamW: Adam with *decoupled* weight decay.

    Instead of adding weight_decay * p to the gradient, shrink the parameter directly before
    the Adam update: p = p - lr * weight_decay * p; the gradient itself stays as it is.
    Note torch's default weight_decay for AdamW is 0.01.
    """

    def __init__(self, params: Iterable[t.nn.Parameter], lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-08,
                 weight_decay: float = 0.01):
        raise NotImplementedError()

    @t.inference_mode()
    def step(self) -> None:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `opt_fn` — Any optimizer across a landscape
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write `opt_fn(fn, xy, optimizer_class, optimizer_hyperparams, n_iters)`: `opt_fn_with_sgd`
# for any optimizer class, built as `optimizer_class([xy], **optimizer_hyperparams)`.
#
# Check it with `tests.test_opt_fn(opt_fn)`.


# %%
def opt_fn(fn: Callable, xy: Float[Tensor, "2"], optimizer_class: type,
           optimizer_hyperparams: dict, n_iters: int = 100) -> Float[Tensor, "n_iters 2"]:
    """Like opt_fn_with_sgd, for any optimizer class (yours or torch's) built as
    optimizer_class([xy], **optimizer_hyperparams). Returns the positions before each step."""
    raise NotImplementedError()


# %%
@dataclass
class SweepArgs:
    """Given: the settings of one training run of the sweep's classifier."""

    optimizer: str = "adam"  # "sgd", "adam" or "adamw": this chapter's optimizers
    learning_rate: float = 1e-3
    batch_size: int = 64
    epochs: int = 3
    weight_decay: float = 0.0
    seed: int = 0


# %%
def digits_splits() -> dict[str, tuple[Tensor, Tensor]]:
    """Given: scikit-learn's 1797 8x8 digits (pixels scaled to [0, 1]) in three fixed, disjoint
    splits of (x, y): "train" (1077 digits) to fit the weights, "dev" (360) to choose
    hyperparameters, "test" (360) to report the chosen model once."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = t.tensor(digits.data, dtype=t.float32) / 16.0
    y = t.tensor(digits.target)
    order = t.randperm(len(y), generator=t.Generator().manual_seed(0))
    parts = {"test": order[:360], "dev": order[360:720], "train": order[720:]}
    return {name: (x[idx], y[idx]) for name, idx in parts.items()}


# %%
def digits_mlp() -> t.nn.Module:
    """Given: the classifier every run trains, 64 pixels -> 64 ReLU units -> 10 digit logits."""
    return t.nn.Sequential(t.nn.Linear(64, 64), t.nn.ReLU(), t.nn.Linear(64, 10))


# %%
def train_digits_classifier(args: SweepArgs, evaluate_on: str = "dev") -> float:
    """Given: train a small MLP (64 -> 64 -> 10) on the digits' train split with the chosen
    optimizer, and return its accuracy on the dev split (or, with evaluate_on="test", on the
    test split). Training is seeded by args.seed, so the same args give the same model. A run
    takes a fraction of a second."""
    splits = digits_splits()
    x, y = splits["train"]
    t.manual_seed(args.seed)
    model = digits_mlp()
    optimizer_class = {"sgd": SGD, "adam": Adam, "adamw": AdamW}[args.optimizer]
    optimizer = optimizer_class(model.parameters(), lr=args.learning_rate,
                                weight_decay=args.weight_decay)
    for _ in range(args.epochs):
        for batch in t.randperm(len(y)).split(args.batch_size):
            loss = t.nn.functional.cross_entropy(model(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    x_eval, y_eval = splits[evaluate_on]
    with t.inference_mode():
        return (model(x_eval).argmax(-1) == y_eval).float().mean().item()


# %%
def lr_range_test(optimizer: str = "sgd", lr_min: float = 1e-5, lr_max: float = 10.0,
                  batch_size: int = 8, seed: int = 0, smoothing: float = 0.9,
                  stop_factor: float = 4.0) -> tuple[list[float], list[float]]:
    """Given: a learning-rate range test on the digits' train split. One pass over it, with the
    learning rate multiplied by the same factor every step so that it climbs from lr_min to
    lr_max; returns each step's learning rate and the loss, smoothed by an exponential moving
    average (bias-corrected, as Adam's moments). Stops early once the smoothed loss exceeds
    stop_factor times its lowest value: training has blown up."""
    x, y = digits_splits()["train"]
    t.manual_seed(seed)
    model = digits_mlp()
    batches = t.randperm(len(y)).split(batch_size)
    factor = (lr_max / lr_min) ** (1 / (len(batches) - 1))
    optimizer = {"sgd": SGD, "adam": Adam}[optimizer](model.parameters(), lr=lr_min)
    lrs, losses, average, lowest = [], [], 0.0, math.inf
    for i, batch in enumerate(batches):
        optimizer.lr = lr_min * factor ** i
        loss = t.nn.functional.cross_entropy(model(x[batch]), y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        average = smoothing * average + (1 - smoothing) * loss.item()
        lrs.append(optimizer.lr)
        losses.append(average / (1 - smoothing ** (i + 1)))
        lowest = min(lowest, losses[-1])
        if not math.isfinite(losses[-1]) or losses[-1] > stop_factor * lowest:
            break
    return lrs, losses


# %% [markdown]
# ## Hyperparameter search
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part3_optimization_sweeps)


# %% [markdown]
# ### Exercise: `make_sweep_config` — A sweep's search space
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Return the search space that `make_sweep_config`'s docstring describes, as a dict in
# Weights & Biases' sweep format: `method`, `metric` (name and goal) and `parameters`.
#
# Check it with `tests.test_make_sweep_config(make_sweep_config)`.


# %%
def make_sweep_config() -> dict:
    """The search space, in Weights & Biases' sweep format (so `wandb.sweep` accepts it too):
    random search maximising "dev_accuracy" (accuracy on the dev split), over
      - learning_rate: log-uniform between 1e-4 and 1e-1 ("log_uniform_values")
      - batch_size: one of 32, 64, 128, 256
      - epochs: an integer from 1 to 4, both included ("int_uniform")
      - optimizer: one of "sgd", "adam"
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `sample_parameters` — Sampling from a search space
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 15–20 minutes
#
# Write `sample_parameters(config, generator)`: one value for each parameter, drawn as its
# spec says, using only `generator` (so a sweep can be replayed), returned as plain Python
# numbers and strings.
#
# Check it with `tests.test_sample_parameters(sample_parameters)`.


# %%
def sample_parameters(config: dict, generator: t.Generator) -> dict:
    """Draw one value for each parameter of a W&B-format sweep config, as Python numbers or
    strings, using only `generator` for randomness:
      {"values": [...]}                                      one of the values, each equally likely
      {"distribution": "uniform", "min": a, "max": b}        a float in [a, b]
      {"distribution": "log_uniform_values", "min": a, "max": b}
                                                             exp(uniform(log a, log b))
      {"distribution": "int_uniform", "min": a, "max": b}    an int from a to b, both included
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `update_args` — Applying a sample
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write `update_args(args, sampled_parameters)`: a copy of the dataclass `args` with the
# sampled values, leaving `args` unchanged, and a `ValueError` naming any sampled name that
# is not one of its fields.
#
# Check it with `tests.test_update_args(update_args)`.


# %%
def update_args(args: SweepArgs, sampled_parameters: dict) -> SweepArgs:
    """A copy of `args` with the sampled values in place; `args` itself is left unchanged.
    A name that is not a field of args raises a ValueError naming it."""
    raise NotImplementedError()


# %%
def run_sweep(config: dict, base_args: SweepArgs, count: int, seed: int = 0,
              train_fn: Callable[[SweepArgs], float] = train_digits_classifier,
              progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """Given: a small local sweep. Sample `count` configurations, train each, and return one
    row per run: the sampled values and the metric (train_fn's score: on the dev split)."""
    generator = t.Generator().manual_seed(seed)
    rows = []
    for run in range(count):
        sampled = sample_parameters(config, generator)
        metric = train_fn(update_args(base_args, sampled))
        rows.append({"run": run, **sampled, config["metric"]["name"]: metric})
        if progress is not None:
            progress(run + 1, count)
    return rows


# %% [markdown]
# ### Exercise: `select_and_test` — Choose on dev, report on test
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `select_and_test(rows, config, base_args, test_fn)`: pick the run with the best dev
# metric (the one the config names, highest for goal `maximize`, lowest for `minimize`),
# rebuild its settings with `update_args`, and evaluate them on the test split by calling
# `test_fn` **once**. Return `(winning row, test score)`.
#
# Check it with `tests.test_select_and_test(select_and_test)`.


# %%
def select_and_test(rows: list[dict], config: dict, base_args: SweepArgs,
                    test_fn: Callable[[SweepArgs], float]) -> tuple[dict, float]:
    """Pick the sweep's winner and report it on the test split, once.

    `rows` are run_sweep's: each holds the sampled values (the names in config["parameters"])
    and the metric named config["metric"]["name"], measured on the dev split. The winner is the
    row with the best metric (highest for goal "maximize", lowest for "minimize"). Rebuild its
    settings from base_args with update_args, call test_fn on them exactly once, and return
    (the winning row, its test score).
    """
    raise NotImplementedError()


# %% [markdown]
# ## Bonus: distributed training on CPU
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part3_optimization_distributed)


# %% [markdown]
# ### Exercise: `broadcast` — Broadcast from point-to-point messages
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–20 minutes · bonus
#
# Write `broadcast(tensor, rank, world_size, src=0)` with point-to-point messages only
# (`dist.send` and `dist.recv`, or `isend`/`irecv`): afterwards every rank's `tensor` holds
# what rank `src`'s held.
#
# Check it with `tests.test_broadcast(broadcast)`.


# %%
def broadcast(tensor: Tensor, rank: int, world_size: int, src: int = 0) -> None:
    """Make every rank's `tensor` equal to rank `src`'s, in place, using point-to-point messages
    only: dist.send and dist.recv (this function runs on every rank at once)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `reduce` — Reduce
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–20 minutes · bonus
#
# Write `reduce(tensor, rank, world_size, dst=0, op='sum')`: rank `dst` ends with the sum (or
# mean) of all ranks' tensors; the others' tensors are unchanged.
#
# Check it with `tests.test_reduce(reduce)`.


# %%
def reduce(tensor: Tensor, rank: int, world_size: int, dst: int = 0, op: str = "sum") -> None:
    """Put the sum (op="sum") or mean (op="mean") of every rank's `tensor` into rank `dst`'s
    tensor, in place, using only dist.send and dist.recv. Other ranks' tensors are unchanged."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `all_reduce` — All-reduce
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes · bonus
#
# Write `all_reduce(tensor, rank, world_size, op='sum')`: every rank ends with the sum (or
# mean) over all ranks.
#
# Check it with `tests.test_all_reduce(all_reduce)`.


# %%
def all_reduce(tensor: Tensor, rank: int, world_size: int, op: str = "sum") -> None:
    """Make every rank's `tensor` the sum (or mean) over all ranks, in place: reduce to rank 0,
    then broadcast from it."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `data_parallel_step` — A data-parallel training step
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–25 minutes · bonus
#
# Write `data_parallel_step(model, optimizer, x, y, rank, world_size)`: each rank trains on
# its shard `x[rank::world_size]`, averages every gradient over the ranks with `all_reduce`,
# and steps, so that all ranks match one process training on the whole batch. Return this
# rank's loss.
#
# Check it with `tests.test_data_parallel_step(data_parallel_step)`.


# %%
def data_parallel_step(model: t.nn.Module, optimizer, x: Tensor, y: Tensor, rank: int,
                       world_size: int) -> float:
    """One step of data-parallel training, run by every rank on its own copy of the model.

    This rank takes its shard of the batch, x[rank::world_size] (and the same rows of y),
    computes the cross-entropy loss and its gradients, replaces each parameter's gradient by its
    mean over all ranks (all_reduce with op="mean"), and steps the optimizer. Every rank then
    holds the same weights, as if one process had trained on the whole batch. Returns this
    rank's loss.
    """
    raise NotImplementedError()


# %%
# `pytest exercises/part3_optimization.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("part3_optimization", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "part3_optimization")
