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
from jaxtyping import Float
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
# (helper BATCHNORM's region) Sections 4-5: BatchNorm, diagnostics


@exercise(
    title="BatchNorm1d",
    difficulty=3, importance=5, minutes=(20, 30),
    task=r"""
        Write the class `BatchNorm1d(dim, eps=1e-5, momentum=0.1)` for inputs of shape
        `(N, dim)`, matching `torch.nn.BatchNorm1d` in training and in eval mode: attributes
        `training` (True at first), `gamma` (ones), `beta` (zeros), `running_mean` (zeros),
        `running_var` (ones). In training mode, normalise with the batch's mean and biased
        variance, and update the running statistics with `momentum` (the running variance
        uses the unbiased batch variance, as torch does), without tracking gradients; in eval
        mode use the running statistics. Keep the output in `self.out`; `parameters()` returns
        `[gamma, beta]`.
    """,
    hints=(
        r"""$\hat x = (x - \mu) / \sqrt{\sigma^2 + \epsilon}$, then $\gamma \hat x + \beta$.""",
        r"""`x.var(0, unbiased=False)` to normalise, `x.var(0)` (unbiased) for the running
            variance; update under `torch.no_grad()`.""",
    ),
)
class BatchNorm1d:
    """Normalises each feature over the batch; learns a scale and shift; tracks running stats."""

    def __init__(self, dim: int, eps: float = 1e-5, momentum: float = 0.1):
        self.eps, self.momentum = eps, momentum
        self.training = True
        self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
        self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)

    def __call__(self, x: Float[Tensor, "n dim"]) -> Float[Tensor, "n dim"]:
        if self.training:
            mean = x.mean(0)
            var = x.var(0, unbiased=False)
            with torch.no_grad():
                n = x.shape[0]
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
                self.running_var = ((1 - self.momentum) * self.running_var
                                    + self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        self.out = self.gamma * (x - mean) / torch.sqrt(var + self.eps) + self.beta
        return self.out

    def parameters(self) -> list[Tensor]:
        return [self.gamma, self.beta]


@exercise(
    title="Activation statistics per layer",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `activation_stats(layers, threshold=0.97)`: for each `Tanh` layer in `layers`
        (in order, after a forward pass has filled `.out`), a dict with the "mean" and "std"
        of its output and its "saturated" fraction (|out| > threshold), all Python floats.
    """,
    hints=(r"""`isinstance(layer, Tanh)`; `.out.mean().item()`.""",),
)
def activation_stats(layers: list, threshold: float = 0.97) -> list[dict[str, float]]:
    """Mean, std and saturation of every tanh layer's last output."""
    return [{"mean": layer.out.mean().item(), "std": layer.out.std().item(),
             "saturated": (layer.out.abs() > threshold).float().mean().item()}
            for layer in layers if isinstance(layer, Tanh)]


@exercise(
    title="Gradient statistics per layer",
    difficulty=2, importance=4, minutes=(5, 10),
    task=r"""
        Write `gradient_stats(layers)`: for each `Tanh` layer (after a backward pass, with
        `.out.retain_grad()` called before it), a dict with the "mean" and "std" of the
        gradient of the loss with respect to its output, as Python floats.
    """,
    hints=(r"""The gradient sits in `layer.out.grad`.""",),
)
def gradient_stats(layers: list) -> list[dict[str, float]]:
    """Mean and std of the loss's gradient at every tanh layer's output."""
    return [{"mean": layer.out.grad.mean().item(), "std": layer.out.grad.std().item()}
            for layer in layers if isinstance(layer, Tanh)]


@exercise(
    title="The update-to-data ratio",
    difficulty=2, importance=5, minutes=(5, 10),
    task=r"""
        Write `update_ratios(parameters, lr)`: for each parameter (after a backward pass), the
        log10 of the standard deviation of its update `lr * grad` over the standard deviation
        of its data, as a list of Python floats.
    """,
    hints=(r"""`((lr * p.grad).std() / p.data.std()).log10().item()`.""",),
)
def update_ratios(parameters: list[Tensor], lr: float) -> list[float]:
    """How big a step is relative to the values it changes, on a log10 scale (≈ -3 is healthy)."""
    return [((lr * p.grad).std() / p.data.std()).log10().item() for p in parameters]
