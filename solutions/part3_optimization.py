"""Reference solutions for chapter 5.3: optimizers from scratch, loss landscapes, sweeps, and
collective operations for data-parallel training.

Each exercise is a function or class here, with its metadata (title, difficulty, importance,
time, task, hints) beside it in `@exercise(...)`; exercises are defined in the order a learner
meets them. The sections' prose, and the `{exercise} name` line that places each exercise, are in
pages/part3_optimization/<n>_<key>.md. Everything else here is given code (names starting with
"_" are solution-only helpers). From these files, `python -m utils.codegen` writes
exercises/part3_optimization.py and the chapter's notebooks, stubs in place of the solutions.

Each optimizer follows torch.optim's update rule exactly (with nesterov, dampening, centering,
amsgrad and maximize left out), so the checks can compare them with torch step by step.
"""

import math
from dataclasses import dataclass, fields, replace
from typing import Callable, Iterable

import torch as t
import torch.distributed as dist
from jaxtyping import Float
from torch import Tensor

from utils.exercise_meta import exercise


def pathological_curve_loss(x: Tensor, y: Tensor) -> Tensor:
    """Given: a long, nearly flat valley in x that drops off steeply in y."""
    return t.tanh(x) ** 2 + 0.01 * t.abs(x) + t.sigmoid(y)


def neg_trimodal_func(x: Tensor, y: Tensor) -> Tensor:
    """Given: three Gaussian wells of different depths, so there are three local minima."""
    wells = [(1.0, 0.0, 1.0), (-1.2, 1.0, 0.8), (-0.4, -1.3, 0.6)]  # (centre x, centre y, depth)
    return -sum(depth * t.exp(-((x - cx) ** 2 + (y - cy) ** 2)) for cx, cy, depth in wells)


def rosenbrocks_banana_func(x: Tensor, y: Tensor, a: float = 1.0, b: float = 100.0) -> Tensor:
    """Given: Rosenbrock's banana, a curved valley with its minimum (1 + 0) at (a, a**2)."""
    return (a - x) ** 2 + b * (y - x ** 2) ** 2 + 1


@exercise(
    title="Follow SGD across a landscape",
    difficulty=2, importance=4, minutes=(15, 20),
    task=r"""
        Write `opt_fn_with_sgd(fn, xy, lr, momentum, n_iters)`: minimise `fn(x, y)` starting from
        `xy` with `torch.optim.SGD`, and return the `(n_iters, 2)` tensor of positions *before*
        each step. Pass `lr` and `momentum` on to the optimizer as they are (what momentum does
        comes later in this section, where you write SGD yourself).
    """,
    hints=(
        r"""
            Build the optimizer over `[xy]`. Each iteration: record `xy.detach()`, compute
            `fn(xy[0], xy[1])`, call `backward()`, `step()`, `zero_grad()`.
        """,
        r"""
            Record with `.detach()` (or under `t.no_grad()`): the positions are data, not part of
            the graph.
        """,
    ),
)
def opt_fn_with_sgd(fn: Callable, xy: Float[Tensor, "2"], lr: float = 0.001,
                    momentum: float = 0.98, n_iters: int = 100) -> Float[Tensor, "n_iters 2"]:
    """Minimise fn(x, y) from xy (a tensor with requires_grad=True) with torch.optim.SGD.

    Returns the (x, y) positions *before* each of the n_iters steps: row 0 is the start.
    """
    positions = t.zeros((n_iters, 2))
    optimizer = t.optim.SGD([xy], lr=lr, momentum=momentum)
    for i in range(n_iters):
        positions[i] = xy.detach()
        fn(xy[0], xy[1]).backward()
        optimizer.step()
        optimizer.zero_grad()
    return positions


@exercise(
    title="SGD with momentum and weight decay",
    difficulty=3, importance=4, minutes=(20, 30),
    task=r"""
        Write the `SGD` optimizer: `zero_grad()` and `step()` following its docstring, which is
        PyTorch's update rule. Your weights must match `torch.optim.SGD`'s to within $10^{-5}$
        after training a small network.
    """,
    hints=(
        r"""
            Keep `self.params = list(params)`: `params` may be a generator, which can only be read
            once.
        """,
        r"""
            One momentum buffer per parameter, stored between steps. The weight decay term goes
            into the gradient *before* the momentum update.
        """,
        r"""
            Decorate `step` with `@t.inference_mode()` (or update `p.data`): the update itself must
            not be recorded by autograd. Update in place (`p -= ...`) so the model's parameters
            change, not a copy.
        """,
    ),
)
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
        self.params = list(params)  # a generator would be used up after one pass
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self.buffers = [t.zeros_like(p) for p in self.params]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @t.inference_mode()
    def step(self) -> None:
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad + self.weight_decay * p if self.weight_decay else p.grad
            if self.momentum:
                self.buffers[i] = self.momentum * self.buffers[i] + g
                g = self.buffers[i]
            p -= self.lr * g

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay})"


@exercise(
    title="Bonus: parameter groups",
    difficulty=4, importance=1, minutes=(30, 40),
    task=r"""
        Write `SGDWithParamGroups`: SGD where parameters can be split into groups with their own
        learning rate, momentum and weight decay, as `torch.optim.SGD` allows, with the two errors
        its docstring asks for.
    """,
    hints=(
        r"""
            Normalise first: a plain iterable of parameters becomes `[{'params': [...]}]`; then
            fill each group's missing keys from the keyword-argument defaults.
        """,
        r"""
            Keep one momentum buffer per parameter (a dict keyed by `id(p)` works), and track the
            ids you have seen to catch a parameter in two groups.
        """,
    ),
    bonus=True,
)
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
        defaults = {"lr": None, "momentum": 0.0, "weight_decay": 0.0, **kwargs}
        groups = list(params)
        if groups and not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        self.param_groups, seen = [], set()
        for index, group in enumerate(groups):
            merged = {**defaults, **group, "params": list(group["params"])}
            if merged["lr"] is None:
                raise ValueError(f"parameter group {index} has no lr, and there is no default lr")
            for p in merged["params"]:
                if id(p) in seen:
                    raise ValueError(f"a parameter of group {index} is already in another group")
                seen.add(id(p))
            self.param_groups.append(merged)
        self.buffers = {id(p): t.zeros_like(p) for g in self.param_groups for p in g["params"]}

    def zero_grad(self) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = None

    @t.inference_mode()
    def step(self) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p if group["weight_decay"] else p.grad
                if group["momentum"]:
                    self.buffers[id(p)] = group["momentum"] * self.buffers[id(p)] + g
                    g = self.buffers[id(p)]
                p -= group["lr"] * g


@exercise(
    title="RMSprop",
    difficulty=3, importance=3, minutes=(15, 25),
    task=r"""
        Write the `RMSprop` optimizer following its docstring (PyTorch's rule, not centered). Match
        `torch.optim.RMSprop`, including with momentum, weight decay and a non-default `eps`.
    """,
    hints=(
        "`eps` goes *outside* the square root: `g / (v.sqrt() + eps)`.",
        r"""
            With momentum, the buffer accumulates the already-scaled step `g / (sqrt(v) + eps)`,
            not the raw gradient.
        """,
        r"""
            Decorate `step` with `@t.inference_mode()` (or update `p.data`): the update itself must
            not be recorded by autograd. Update in place (`p -= ...`) so the model's parameters
            change, not a copy.
        """,
    ),
)
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
        self.params = list(params)
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.weight_decay, self.momentum = weight_decay, momentum
        self.square_avgs = [t.zeros_like(p) for p in self.params]
        self.buffers = [t.zeros_like(p) for p in self.params]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @t.inference_mode()
    def step(self) -> None:
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad + self.weight_decay * p if self.weight_decay else p.grad
            self.square_avgs[i] = self.alpha * self.square_avgs[i] + (1 - self.alpha) * g ** 2
            step = g / (self.square_avgs[i].sqrt() + self.eps)
            if self.momentum:
                self.buffers[i] = self.momentum * self.buffers[i] + step
                step = self.buffers[i]
            p -= self.lr * step

    def __repr__(self) -> str:
        return (f"RMSprop(lr={self.lr}, alpha={self.alpha}, eps={self.eps}, "
                f"weight_decay={self.weight_decay}, momentum={self.momentum})")


@exercise(
    title="Adam",
    difficulty=3, importance=4, minutes=(20, 30),
    task=r"""
        Write the `Adam` optimizer following its docstring: moving averages of the gradient and its
        square, with bias correction. Match `torch.optim.Adam`.
    """,
    hints=(
        r"""
            Count steps from 1 (increment before using it): with s = 0 the bias correction divides
            by zero.
        """,
        "Bias-correct copies (`m_hat`, `v_hat`); keep the stored `m` and `v` uncorrected.",
        r"""
            Decorate `step` with `@t.inference_mode()` (or update `p.data`): the update itself must
            not be recorded by autograd. Update in place (`p -= ...`) so the model's parameters
            change, not a copy.
        """,
    ),
)
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
        self.params = list(params)
        self.lr, (self.beta1, self.beta2), self.eps = lr, betas, eps
        self.weight_decay = weight_decay
        self.m = [t.zeros_like(p) for p in self.params]
        self.v = [t.zeros_like(p) for p in self.params]
        self.steps = 0

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @t.inference_mode()
    def step(self) -> None:
        self.steps += 1
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad + self.weight_decay * p if self.weight_decay else p.grad
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g ** 2
            m_hat = self.m[i] / (1 - self.beta1 ** self.steps)
            v_hat = self.v[i] / (1 - self.beta2 ** self.steps)
            p -= self.lr * m_hat / (v_hat.sqrt() + self.eps)

    def __repr__(self) -> str:
        return (f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps}, "
                f"weight_decay={self.weight_decay})")


@exercise(
    title="AdamW",
    difficulty=2, importance=3, minutes=(10, 15),
    task=r"""
        Write `AdamW`: Adam with decoupled weight decay, as its docstring says, matching
        `torch.optim.AdamW` (whose default `weight_decay` is 0.01).
    """,
    hints=(
        r"""
            Subclass your `Adam` with no L2 term, and before its update shrink each parameter: `p -= lr * weight_decay * p`.
        """,
    ),
)
class AdamW(Adam):
    """AdamW, as torch.optim.AdamW: Adam with *decoupled* weight decay.

    Instead of adding weight_decay * p to the gradient, shrink the parameter directly before
    the Adam update: p = p - lr * weight_decay * p; the gradient itself stays as it is.
    Note torch's default weight_decay for AdamW is 0.01.
    """

    def __init__(self, params: Iterable[t.nn.Parameter], lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-08,
                 weight_decay: float = 0.01):
        super().__init__(params, lr, betas, eps, weight_decay=0.0)
        self.decoupled_weight_decay = weight_decay

    @t.inference_mode()
    def step(self) -> None:
        for p in self.params:
            if p.grad is not None:
                p -= self.lr * self.decoupled_weight_decay * p
        super().step()

    def __repr__(self) -> str:
        return (f"AdamW(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps}, "
                f"weight_decay={self.decoupled_weight_decay})")


@exercise(
    title="Any optimizer across a landscape",
    difficulty=2, importance=3, minutes=(10, 15),
    task=r"""
        Write `opt_fn(fn, xy, optimizer_class, optimizer_hyperparams, n_iters)`: `opt_fn_with_sgd`
        for any optimizer class, built as `optimizer_class([xy], **optimizer_hyperparams)`.
    """,
    hints=(
        r"""
            The same loop as `opt_fn_with_sgd`; only the construction of the optimizer changes.
        """,
    ),
)
def opt_fn(fn: Callable, xy: Float[Tensor, "2"], optimizer_class: type,
           optimizer_hyperparams: dict, n_iters: int = 100) -> Float[Tensor, "n_iters 2"]:
    """Like opt_fn_with_sgd, for any optimizer class (yours or torch's) built as
    optimizer_class([xy], **optimizer_hyperparams). Returns the positions before each step."""
    positions = t.zeros((n_iters, 2))
    optimizer = optimizer_class([xy], **optimizer_hyperparams)
    for i in range(n_iters):
        positions[i] = xy.detach()
        fn(xy[0], xy[1]).backward()
        optimizer.step()
        optimizer.zero_grad()
    return positions


# ---------------------------------------------------------------------------------------------
# Hyperparameter search


@dataclass
class SweepArgs:
    """Given: the settings of one training run of the sweep's classifier."""

    optimizer: str = "adam"  # "sgd", "adam" or "adamw": this chapter's optimizers
    learning_rate: float = 1e-3
    batch_size: int = 64
    epochs: int = 3
    weight_decay: float = 0.0
    seed: int = 0


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


def digits_mlp() -> t.nn.Module:
    """Given: the classifier every run trains, 64 pixels -> 64 ReLU units -> 10 digit logits."""
    return t.nn.Sequential(t.nn.Linear(64, 64), t.nn.ReLU(), t.nn.Linear(64, 10))


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


@exercise(
    title="A sweep's search space",
    difficulty=1, importance=3, minutes=(10, 15),
    task=r"""
        Return the search space that `make_sweep_config`'s docstring describes, as a dict in
        Weights & Biases' sweep format: `method`, `metric` (name and goal) and `parameters`.
    """,
    hints=(
        r"""
            A parameter is either `{'values': [...]}` or `{'distribution': ..., 'min': ..., 'max': ...}`;
            the distributions here are `log_uniform_values` and `int_uniform`.
        """,
    ),
)
def make_sweep_config() -> dict:
    """The search space, in Weights & Biases' sweep format (so `wandb.sweep` accepts it too):
    random search maximising "dev_accuracy" (accuracy on the dev split), over
      - learning_rate: log-uniform between 1e-4 and 1e-1 ("log_uniform_values")
      - batch_size: one of 32, 64, 128, 256
      - epochs: an integer from 1 to 4, both included ("int_uniform")
      - optimizer: one of "sgd", "adam"
    """
    return {
        "method": "random",
        "metric": {"name": "dev_accuracy", "goal": "maximize"},
        "parameters": {
            "learning_rate": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1},
            "batch_size": {"values": [32, 64, 128, 256]},
            "epochs": {"distribution": "int_uniform", "min": 1, "max": 4},
            "optimizer": {"values": ["sgd", "adam"]},
        },
    }


@exercise(
    title="Sampling from a search space",
    difficulty=2, importance=3, minutes=(15, 20),
    task=r"""
        Write `sample_parameters(config, generator)`: one value for each parameter, drawn as its
        spec says, using only `generator` (so a sweep can be replayed), returned as plain Python
        numbers and strings.
    """,
    hints=(
        r"""
            `u = t.rand((), generator=generator).item()` is uniform in [0, 1); build every
            distribution from it.
        """,
        r"""
            Log-uniform: uniform in log space, `exp(log a + u (log b - log a))`, so that 1e-4 to
            1e-3 is as likely as 1e-2 to 1e-1.
        """,
        "int_uniform includes both ends: there are `max - min + 1` possible values.",
    ),
)
def sample_parameters(config: dict, generator: t.Generator) -> dict:
    """Draw one value for each parameter of a W&B-format sweep config, as Python numbers or
    strings, using only `generator` for randomness:
      {"values": [...]}                                      one of the values, each equally likely
      {"distribution": "uniform", "min": a, "max": b}        a float in [a, b]
      {"distribution": "log_uniform_values", "min": a, "max": b}
                                                             exp(uniform(log a, log b))
      {"distribution": "int_uniform", "min": a, "max": b}    an int from a to b, both included
    """
    sampled = {}
    for name, spec in config["parameters"].items():
        u = t.rand((), generator=generator).item()
        if "values" in spec:
            sampled[name] = spec["values"][int(u * len(spec["values"]))]
        elif spec["distribution"] == "uniform":
            sampled[name] = spec["min"] + u * (spec["max"] - spec["min"])
        elif spec["distribution"] == "log_uniform_values":
            low, high = math.log(spec["min"]), math.log(spec["max"])
            sampled[name] = math.exp(low + u * (high - low))
        elif spec["distribution"] == "int_uniform":
            sampled[name] = spec["min"] + int(u * (spec["max"] - spec["min"] + 1))
        else:
            raise ValueError(f"unknown distribution {spec['distribution']!r} for {name}")
    return sampled


@exercise(
    title="Applying a sample",
    difficulty=1, importance=3, minutes=(5, 10),
    task=r"""
        Write `update_args(args, sampled_parameters)`: a copy of the dataclass `args` with the
        sampled values, leaving `args` unchanged, and a `ValueError` naming any sampled name that
        is not one of its fields.
    """,
    hints=(
        r"""
            `dataclasses.replace(args, **changes)` copies a dataclass with some fields changed;
            `dataclasses.fields(args)` lists the field names.
        """,
    ),
)
def update_args(args: SweepArgs, sampled_parameters: dict) -> SweepArgs:
    """A copy of `args` with the sampled values in place; `args` itself is left unchanged.
    A name that is not a field of args raises a ValueError naming it."""
    unknown = set(sampled_parameters) - {f.name for f in fields(args)}
    if unknown:
        raise ValueError(f"not fields of {type(args).__name__}: {sorted(unknown)}")
    return replace(args, **sampled_parameters)


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


@exercise(
    title="Choose on dev, report on test",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write `select_and_test(rows, config, base_args, test_fn)`: pick the run with the best dev
        metric (the one the config names, highest for goal `maximize`, lowest for `minimize`),
        rebuild its settings with `update_args`, and evaluate them on the test split by calling
        `test_fn` **once**. Return `(winning row, test score)`.
    """,
    hints=(
        r"""
            `max(rows, key=lambda row: row[name])` finds the best row; the sampled values are the
            row's entries whose names are in `config['parameters']`.
        """,
        r"""
            Do not evaluate other runs on the test split, not even to compare: only the dev metric
            may choose.
        """,
    ),
)
def select_and_test(rows: list[dict], config: dict, base_args: SweepArgs,
                    test_fn: Callable[[SweepArgs], float]) -> tuple[dict, float]:
    """Pick the sweep's winner and report it on the test split, once.

    `rows` are run_sweep's: each holds the sampled values (the names in config["parameters"])
    and the metric named config["metric"]["name"], measured on the dev split. The winner is the
    row with the best metric (highest for goal "maximize", lowest for "minimize"). Rebuild its
    settings from base_args with update_args, call test_fn on them exactly once, and return
    (the winning row, its test score).
    """
    metric, goal = config["metric"]["name"], config["metric"]["goal"]
    pick = max if goal == "maximize" else min
    best = pick(rows, key=lambda row: row[metric])
    args = update_args(base_args, {name: best[name] for name in config["parameters"]})
    return best, test_fn(args)


# ---------------------------------------------------------------------------------------------
# Bonus: distributed training on CPU, from point-to-point messages


@exercise(
    title="Broadcast from point-to-point messages",
    difficulty=2, importance=3, minutes=(10, 20),
    task=r"""
        Write `broadcast(tensor, rank, world_size, src=0)` with point-to-point messages only
        (`dist.send` and `dist.recv`, or `isend`/`irecv`): afterwards every rank's `tensor` holds
        what rank `src`'s held.
    """,
    hints=(
        r"""
            The same function runs on every rank: branch on `rank == src`. The source sends to
            every other rank; every other rank receives from the source into its own tensor (recv
            writes in place).
        """,
    ),
    bonus=True,
)
def broadcast(tensor: Tensor, rank: int, world_size: int, src: int = 0) -> None:
    """Make every rank's `tensor` equal to rank `src`'s, in place, using point-to-point messages
    only: dist.send and dist.recv (this function runs on every rank at once)."""
    if rank == src:
        for other in range(world_size):
            if other != src:
                dist.send(tensor, dst=other)
    else:
        dist.recv(tensor, src=src)


@exercise(
    title="Reduce",
    difficulty=2, importance=3, minutes=(10, 20),
    task=r"""
        Write `reduce(tensor, rank, world_size, dst=0, op='sum')`: rank `dst` ends with the sum (or
        mean) of all ranks' tensors; the others' tensors are unchanged.
    """,
    hints=(
        r"""
            Every rank but `dst` sends its tensor. `dst` receives each into a fresh buffer
            (`t.zeros_like`) and adds it to its own; divide by world_size at the end for the mean.
        """,
    ),
    bonus=True,
)
def reduce(tensor: Tensor, rank: int, world_size: int, dst: int = 0, op: str = "sum") -> None:
    """Put the sum (op="sum") or mean (op="mean") of every rank's `tensor` into rank `dst`'s
    tensor, in place, using only dist.send and dist.recv. Other ranks' tensors are unchanged."""
    if rank != dst:
        dist.send(tensor, dst=dst)
        return
    for other in range(world_size):
        if other != dst:
            received = t.zeros_like(tensor)
            dist.recv(received, src=other)
            tensor += received
    if op == "mean":
        tensor /= world_size


@exercise(
    title="All-reduce",
    difficulty=2, importance=3, minutes=(5, 10),
    task=r"""
        Write `all_reduce(tensor, rank, world_size, op='sum')`: every rank ends with the sum (or
        mean) over all ranks.
    """,
    hints=(
        r"""
            Reduce to one rank, then broadcast from it. (Real libraries use a ring instead: each
            rank sends and receives 2(n-1)/n of the data, whatever the number of ranks.)
        """,
    ),
    bonus=True,
)
def all_reduce(tensor: Tensor, rank: int, world_size: int, op: str = "sum") -> None:
    """Make every rank's `tensor` the sum (or mean) over all ranks, in place: reduce to rank 0,
    then broadcast from it."""
    reduce(tensor, rank, world_size, dst=0, op=op)
    broadcast(tensor, rank, world_size, src=0)


@exercise(
    title="A data-parallel training step",
    difficulty=3, importance=4, minutes=(15, 25),
    task=r"""
        Write `data_parallel_step(model, optimizer, x, y, rank, world_size)`: each rank trains on
        its shard `x[rank::world_size]`, averages every gradient over the ranks with `all_reduce`,
        and steps, so that all ranks match one process training on the whole batch. Return this
        rank's loss.
    """,
    hints=(
        r"""
            With equal shards and a mean loss, the full batch's gradient is the mean of the shards'
            gradients: all_reduce with op='mean' after `backward()`, before `step()`.
        """,
        "Skip parameters whose `.grad` is None.",
    ),
    bonus=True,
)
def data_parallel_step(model: t.nn.Module, optimizer, x: Tensor, y: Tensor, rank: int,
                       world_size: int) -> float:
    """One step of data-parallel training, run by every rank on its own copy of the model.

    This rank takes its shard of the batch, x[rank::world_size] (and the same rows of y),
    computes the cross-entropy loss and its gradients, replaces each parameter's gradient by its
    mean over all ranks (all_reduce with op="mean"), and steps the optimizer. Every rank then
    holds the same weights, as if one process had trained on the whole batch. Returns this
    rank's loss.
    """
    loss = t.nn.functional.cross_entropy(model(x[rank::world_size]), y[rank::world_size])
    optimizer.zero_grad()
    loss.backward()
    for p in model.parameters():
        if p.grad is not None:
            all_reduce(p.grad, rank, world_size, op="mean")
    optimizer.step()
    return loss.item()
