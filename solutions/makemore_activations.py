"""Reference solutions for chapter 4.3: makemore, part 3 — activations, gradients and BatchNorm.

The source of truth for `exercises/makemore_activations.py` and its notebooks (`python -m
utils.codegen`); the prose around each exercise is in `pages/makemore_activations/<n>_<key>.md`.

Conventions (Karpathy's, so his lecture reads alongside):
- The data, vocabulary and model are chapter 4.2's: contexts of 3 symbols, 27 symbols, a
  parameter dict "C", "W1", "b1", "W2", "b2" drawn from the generator in that order.
- From section 3 on, layers are small classes in the style of `torch.nn`: calling a layer computes
  its output and keeps it in `.out` (so the diagnostics can look at it afterwards), and
  `parameters()` lists its tensors. A Linear weight has shape (fan_in, fan_out), so a layer is
  `x @ W (+ b)`.
"""

import math

import torch
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor

from solutions.makemore_mlp import init_mlp  # noqa: F401  (chapter 4.2's draw order)
from utils.exercise_meta import exercise  # noqa: F401

Params = dict[str, Tensor]


# ==============================================================================================
# Sections 1-3: the loss at initialisation, saturated tanh, Kaiming init and layers


@exercise(
    title="The loss of a model that knows nothing",
    difficulty=1, importance=4, minutes=(3, 5),
    task=r"""
        Write `uniform_loss(vocab_size)`: the mean cross-entropy loss, in nats (natural
        logarithm, as `F.cross_entropy` measures it), of a model that gives each of the
        `vocab_size` symbols the same probability, whatever the context. Return a Python
        float; `vocab_size` is a positive int (`uniform_loss(1)` is 0.0: a model with a single
        symbol to choose is always right).
    """,
    hints=(
        r"""Whatever the target is, the model gives it probability $1/v$. The loss of one
            example is minus the log of the probability of its target, and the mean of equal
            numbers is that number.""",
        r"""$-\ln(1/v) = \ln v$: `math.log` is the natural logarithm (`math.log10` is not).""",
    ),
)
def uniform_loss(vocab_size: int) -> float:
    """-ln(1 / vocab_size): the loss a network should start near."""
    return math.log(vocab_size)


@exercise(
    title="A calmer initialisation",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `scaled_init_mlp(vocab_size=27, block_size=3, n_embd=10, n_hidden=200,
        generator=None, *, w1_scale=1.0, b1_scale=1.0, w2_scale=1.0, b2_scale=1.0)`. Draw the
        parameters exactly as chapter 4.2's `init_mlp` does (five standard normal tensors "C",
        "W1", "b1", "W2", "b2", drawn from `generator` in that order, with the shapes of
        `init_mlp`), then multiply `W1`, `b1`, `W2` and `b2` by their scales (`C` is left as
        drawn). Return the dict: five float32 tensors, each a leaf that requires gradients. Draw
        every tensor even when its scale is 0 (a scale of 0 gives zeros), so that the
        generator ends in the same state as after `init_mlp` and the same seed gives everyone the
        same numbers. With every scale 1 the result equals `init_mlp`'s.
    """,
    hints=(
        r"""Draw first, scale after. `init_mlp` (chapter 4.2's, imported at the top of the
            file) already draws the five tensors in the right order from the generator you pass
            it.""",
        r"""A tensor that requires gradients, multiplied by a number, is no longer a leaf: it
            is the result of an operation, and `backward()` would leave its `.grad` empty. Scale
            in place under `torch.no_grad()` (`p.mul_(scale)`), or scale a detached copy and
            call `.requires_grad_()` on the result.""",
        r"""`params = init_mlp(vocab_size, block_size, n_embd, n_hidden, generator)`, a dict
            of scales `{"C": 1.0, "W1": w1_scale, ...}`, then `with torch.no_grad(): for name, p
            in params.items(): p.mul_(scales[name])`.""",
    ),
)
def scaled_init_mlp(vocab_size: int = 27, block_size: int = 3, n_embd: int = 10,
                    n_hidden: int = 200, generator: torch.Generator | None = None, *,
                    w1_scale: float = 1.0, b1_scale: float = 1.0, w2_scale: float = 1.0,
                    b2_scale: float = 1.0) -> Params:
    """Chapter 4.2's standard normal parameters, each weight and bias scaled."""
    params = init_mlp(vocab_size, block_size, n_embd, n_hidden, generator)
    scales = {"C": 1.0, "W1": w1_scale, "b1": b1_scale, "W2": w2_scale, "b2": b2_scale}
    with torch.no_grad():  # in place and unrecorded: the tensors stay leaves
        for name, p in params.items():
            p.mul_(scales[name])
    return params


@exercise(
    title="How much of the hidden layer is saturated?",
    difficulty=1, importance=4, minutes=(5, 8),
    task=r"""
        Write `saturation_fraction(h, threshold=0.97)`: `h` is a float tensor of tanh outputs
        of any shape (the checks pass `(n, hidden)`). Return, as a Python float, the fraction
        of its entries whose absolute value is strictly greater than `threshold`: an entry
        of exactly `threshold` (or `-threshold`) does not count.
    """,
    hints=(
        r"""Saturated means near either flat end of tanh, near $+1$ or near $-1$, so compare
            the absolute value.""",
        r"""A comparison gives a boolean tensor; its mean is the fraction of True entries once
            it is a float tensor.""",
        r"""`(h.abs() > threshold).float().mean().item()`.""",
    ),
)
def saturation_fraction(h: Float[Tensor, "n hidden"], threshold: float = 0.97) -> float:
    """The share of tanh outputs in the flat tails, where the local gradient 1 - h² is ~0."""
    return (h.abs() > threshold).float().mean().item()


@exercise(
    title="Dead units",
    difficulty=2, importance=3, minutes=(5, 10),
    task=r"""
        Write `dead_units(h, threshold=0.97)`: `h` holds a hidden layer's tanh outputs, shape
        `(n, hidden)`, one row per example and one column per unit. Return a `torch.bool`
        tensor of shape `(hidden,)`: True for each unit whose output is strictly above
        `threshold` in absolute value on **every** example, False for the others.
    """,
    hints=(
        r"""First the same test as in `saturation_fraction`, entry by entry; then, for each
            column, ask whether all of its rows passed.""",
        r"""Reducing over dim 0 (the rows, the examples) leaves one answer per column (per
            unit): `.all(dim=0)`.""",
    ),
)
def dead_units(h: Float[Tensor, "n hidden"], threshold: float = 0.97) -> Tensor:
    """Units saturated on every example: almost no gradient reaches their weights."""
    return (h.abs() > threshold).all(dim=0)


@exercise(
    title="Kaiming's standard deviation",
    difficulty=1, importance=5, minutes=(5, 10),
    task=r"""
        Write `kaiming_std(fan_in, nonlinearity)`: the standard deviation to draw a layer's
        weights with, $\text{gain} / \sqrt{\text{fan\_in}}$, as a Python float, where the gain
        is 1 for `'linear'`, 5/3 for `'tanh'` and $\sqrt 2$ for `'relu'` (torch's own
        `calculate_gain` values). For any other `nonlinearity`, raise `ValueError` with a message
        that names it.
    """,
    hints=(
        r"""Only `fan_in`, the number of inputs each output sums over, sets the scale; the gain
            makes up for what the nonlinearity after the layer does to it.""",
        r"""A dict from name to gain, `{"linear": 1.0, "tanh": 5 / 3, "relu": math.sqrt(2)}`;
            look the name up only after checking it is in the dict (a missing key would raise
            `KeyError`, not `ValueError`).""",
    ),
)
def kaiming_std(fan_in: int, nonlinearity: str) -> float:
    """The standard deviation that keeps activations at unit scale through the layer."""
    gains = {"linear": 1.0, "tanh": 5 / 3, "relu": math.sqrt(2.0)}
    if nonlinearity not in gains:
        raise ValueError(f"no Kaiming gain for nonlinearity {nonlinearity!r}")
    return gains[nonlinearity] / math.sqrt(fan_in)


@exercise(
    title="A Linear layer",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write the class `Linear(fan_in, fan_out, bias=True, generator=None)`, in the style of
        `torch.nn.Linear` but with the weight stored as `(fan_in, fan_out)`:

        - `self.weight`: `torch.randn((fan_in, fan_out), generator=generator)` divided by
          $\sqrt{\text{fan\_in}}$ (Kaiming's scale with gain 1: multiply by a gain afterwards
          for tanh);
        - `self.bias`: `torch.zeros(fan_out)` if `bias`, else `None` (draw nothing for it);
        - calling the layer on `x` of shape `(n, fan_in)` returns `x @ self.weight + self.bias`
          (no bias term when it is `None`) and keeps that same tensor in `self.out`;
        - `parameters()` returns the list `[self.weight, self.bias]`, or `[self.weight]`
          without a bias: the layer's own tensors, not copies.

        Nothing needs to require gradients yet: whoever trains the layers turns that on.
    """,
    hints=(
        r"""The layer computes `x @ W`, so `W` has one row per input and one column per output:
            `(fan_in, fan_out)`, the transpose of how `torch.nn.Linear` stores it.""",
        r"""Store the output with `self.out = ...` and return `self.out` itself: the
            diagnostics of section 5 call `layer.out.retain_grad()`, which only works on the
            tensor the next layer actually used.""",
        r"""`self.weight = torch.randn((fan_in, fan_out), generator=generator) / fan_in ** 0.5`;
            `self.bias = torch.zeros(fan_out) if bias else None`; in `__call__`, `self.out = x @
            self.weight`, then add the bias if there is one.""",
    ),
)
class Linear:
    """x @ W + b with W (fan_in, fan_out) at unit-gain Kaiming scale."""

    def __init__(self, fan_in: int, fan_out: int, bias: bool = True,
                 generator: torch.Generator | None = None):
        self.weight = torch.randn((fan_in, fan_out), generator=generator) / fan_in ** 0.5
        self.bias = torch.zeros(fan_out) if bias else None

    def __call__(self, x: Float[Tensor, "n fan_in"]) -> Float[Tensor, "n fan_out"]:
        self.out = x @ self.weight
        if self.bias is not None:
            self.out = self.out + self.bias
        return self.out

    def parameters(self) -> list[Tensor]:
        return [self.weight] + ([] if self.bias is None else [self.bias])


class Tanh:
    """tanh as a layer, keeping its output in `.out` for the diagnostics."""

    def __call__(self, x: Tensor) -> Tensor:
        self.out = torch.tanh(x)
        return self.out

    def parameters(self) -> list[Tensor]:
        return []


# ==============================================================================================
# Sections 4-5: BatchNorm, the diagnostics


@exercise(
    title="BatchNorm1d",
    difficulty=3, importance=5, minutes=(20, 30),
    task=r"""
        Write the class `BatchNorm1d(dim, eps=1e-5, momentum=0.1)` for inputs `x` of shape
        `(N, dim)`, which behaves as `torch.nn.BatchNorm1d(dim, eps=eps, momentum=momentum)`
        does in training and in eval mode.

        - `__init__` sets `self.eps`, `self.momentum`, `self.training = True`, and four float32
          tensors of shape `(dim,)`: `gamma` (ones) and `beta` (zeros), the learned scale and
          shift, and `running_mean` (zeros) and `running_var` (ones), the buffers for eval mode.
        - Calling it on `x` in training mode normalises each column with the batch's mean and
          **biased** variance (divided by $N$), $\hat x = (x - \mu) / \sqrt{\sigma^2 + \epsilon}$,
          and returns $\gamma \hat x + \beta$; the output must keep its graph to `x`, `gamma`
          and `beta` (so `loss.backward()` reaches them). It also moves the running statistics
          a fraction `momentum` of the way towards the batch's:
          `running = (1 - momentum) * running + momentum * batch`, with the **unbiased** batch
          variance (divided by $N - 1$) for `running_var`, as torch does. The running
          statistics are buffers, not part of the graph: after the update they must not
          require grad.
        - In eval mode (`self.training = False`) it normalises with `running_mean` and
          `running_var` instead and leaves them unchanged.
        - Either way it keeps the output in `self.out`; `parameters()` returns `[gamma, beta]`.
    """,
    hints=(
        r"""Three steps: the column statistics ($\mu$, $\sigma^2$ over dim 0, one number per
            feature), normalise, then scale and shift. Only the statistics depend on the mode.""",
        r"""torch's variance divides by $N - 1$ unless told otherwise: `x.var(0,
            unbiased=False)` is the biased one for normalising, `x.var(0)` the unbiased one
            for `running_var`.""",
        r"""The running update is bookkeeping, not part of the model: do it inside
            `with torch.no_grad():` (or on `mean.detach()`), otherwise `running_mean` drags
            every batch's graph along and requires grad.""",
        r"""`self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum *
            mean`; the variance the same way with `x.var(0)`; then
            `self.out = self.gamma * (x - mean) / torch.sqrt(var + self.eps) + self.beta`.""",
    ),
)
class BatchNorm1d:
    """Normalises each feature over the batch; learns a scale and shift; tracks running stats.

    Input and output (N, dim); gamma, beta, running_mean, running_var (dim,)."""

    def __init__(self, dim: int, eps: float = 1e-5, momentum: float = 0.1):
        self.eps, self.momentum = eps, momentum
        self.training = True
        self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
        self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)

    def __call__(self, x: Float[Tensor, "n dim"]) -> Float[Tensor, "n dim"]:
        if self.training:
            mean = x.mean(0)
            var = x.var(0, unbiased=False)  # what the batch is normalised with
            with torch.no_grad():  # buffers: no graph through them
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
                self.running_var = (1 - self.momentum) * self.running_var + \
                    self.momentum * x.var(0)  # unbiased, as torch keeps it
        else:
            mean, var = self.running_mean, self.running_var
        self.out = self.gamma * (x - mean) / torch.sqrt(var + self.eps) + self.beta
        return self.out

    def parameters(self) -> list[Tensor]:
        return [self.gamma, self.beta]


def deep_network(vocab_size: int = 27, block_size: int = 3, n_embd: int = 10,
                 n_hidden: int = 100, n_layers: int = 5,
                 generator: torch.Generator | None = None, *, batchnorm: bool = True,
                 gain: float = 5 / 3, last_scale: float = 0.1) -> tuple[Tensor, list]:
    """Karpathy's deep MLP of lecture 3: an embedding table C (vocab_size, n_embd) and the
    layers [Linear, BatchNorm1d, Tanh] * n_layers + [Linear, BatchNorm1d] (without BatchNorm1d:
    [Linear, Tanh] * n_layers + [Linear], with biases). Every Linear weight but the last is
    multiplied by `gain`; the last layer is made `last_scale` times less confident (its BN
    gamma with batchnorm, its weight without). C and every parameter require grad."""
    C = torch.randn((vocab_size, n_embd), generator=generator)
    sizes = [n_embd * block_size] + [n_hidden] * n_layers
    layers: list = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers.append(Linear(fan_in, fan_out, bias=not batchnorm, generator=generator))
        layers += [BatchNorm1d(fan_out), Tanh()] if batchnorm else [Tanh()]
    layers.append(Linear(n_hidden, vocab_size, bias=not batchnorm, generator=generator))
    if batchnorm:
        layers.append(BatchNorm1d(vocab_size))
    with torch.no_grad():
        for layer in layers[:-2 if batchnorm else -1]:
            if isinstance(layer, Linear):
                layer.weight *= gain
        if batchnorm:
            layers[-1].gamma *= last_scale
        else:
            layers[-1].weight *= last_scale
    for p in [C] + [p for layer in layers for p in layer.parameters()]:
        p.requires_grad_()
    return C, layers


def deep_loss(C: Tensor, layers: list, X: Int[Tensor, "n block"],
              Y: Int[Tensor, "n"]) -> Tensor:
    """The mean cross-entropy of the deep network on (X, Y); every layer keeps its output."""
    x = C[X].view(X.shape[0], -1)
    for layer in layers:
        x = layer(x)
    return F.cross_entropy(x, Y)


@exercise(
    title="Activation statistics per layer",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `activation_stats(layers, threshold=0.97)`. `layers` is a list of layer objects
        (`Linear`, `BatchNorm1d`, `Tanh`, ...) after a forward pass, so each holds its last
        output in `.out`. Return one dict per `Tanh` layer, in the order they appear (skip the
        other layers), with three Python floats: `"mean"` and `"std"` (torch's default,
        unbiased) of all the entries of its output, and `"saturated"`, the fraction of those
        entries whose absolute value is above `threshold`.
    """,
    hints=(
        r"""The tanh outputs are what the next layer sees, and their tails are where the
            gradient dies: those are the layers to look at. `isinstance(layer, Tanh)` picks
            them out.""",
        r"""Statistics over every entry of `layer.out` (batch and units together), each
            turned into a float with `.item()`.""",
        r"""`(layer.out.abs() > threshold).float().mean().item()` is the saturated share.""",
    ),
)
def activation_stats(layers: list, threshold: float = 0.97) -> list[dict[str, float]]:
    """Mean, std and saturated share of every tanh layer's last output."""
    return [{"mean": layer.out.mean().item(), "std": layer.out.std().item(),
             "saturated": (layer.out.abs() > threshold).float().mean().item()}
            for layer in layers if isinstance(layer, Tanh)]


@exercise(
    title="Gradient statistics per layer",
    difficulty=2, importance=4, minutes=(5, 10),
    task=r"""
        Write `gradient_stats(layers)`. After a forward pass in which `.out.retain_grad()` was
        called on every `Tanh` layer's output, and `loss.backward()`, each tanh output holds
        $\partial L / \partial \text{out}$ in `.out.grad`. Return one dict per `Tanh` layer,
        in order, with the `"mean"` and `"std"` (unbiased) of all the entries of that
        gradient, as Python floats.
    """,
    hints=(
        r"""A non-leaf tensor forgets its gradient after backward unless `retain_grad()` was
            called on it: the caller did, so the gradient is in `layer.out.grad`.""",
        r"""The same shape as `activation_stats`, one dict per tanh layer, with `.grad` in
            place of the output.""",
    ),
)
def gradient_stats(layers: list) -> list[dict[str, float]]:
    """Mean and std of the loss's gradient at every tanh layer's output."""
    return [{"mean": layer.out.grad.mean().item(), "std": layer.out.grad.std().item()}
            for layer in layers if isinstance(layer, Tanh)]


@exercise(
    title="The update-to-data ratio",
    difficulty=2, importance=5, minutes=(5, 10),
    task=r"""
        Write `update_ratios(parameters, lr)`. `parameters` is a list of tensors, each with its
        `.grad` filled by a backward pass; an SGD step will change each by `-lr * grad`. Return
        a list of Python floats, one per parameter in order: the base-10 logarithm of the
        standard deviation of its update `lr * grad` over the standard deviation of its
        values (torch's default, unbiased std, for both):
        $\log_{10}(\operatorname{std}(\text{lr}\cdot\text{grad}) / \operatorname{std}(p))$.
    """,
    hints=(
        r"""The ratio says how big one step is next to the numbers it changes: $10^{-3}$
            means each step moves a parameter by about a thousandth of its typical size.""",
        r"""The update includes the learning rate; the denominator is the parameter's values
            (`p.data` or `p.detach()`), not its gradient.""",
        r"""`((lr * p.grad).std() / p.data.std()).log10().item()` for each `p`.""",
    ),
)
def update_ratios(parameters: list[Tensor], lr: float) -> list[float]:
    """How big a step is relative to the values it changes, on a log10 scale (about -3 to -2.5
    in a healthy run)."""
    return [((lr * p.grad).std() / p.data.std()).log10().item() for p in parameters]
