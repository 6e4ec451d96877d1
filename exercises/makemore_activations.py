# %% [markdown]
# # Chapter 4.3: makemore 3: activations, gradients and BatchNorm — exercises
#
# Why a deep network trains or doesn't: the loss at initialisation, saturated tanh units, Kaiming's scale, batch normalisation, and the diagnostic plots that tell a healthy network from a broken one.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/makemore_activations.py
#
# or one test per exercise with `pytest exercises/makemore_activations.py`, or call one check yourself, e.g. `tests.test_uniform_loss(uniform_loss)`.
#
# This file is generated from `solutions/makemore_activations.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/makemore_activations_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/makemore_activations.ipynb


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

import torch
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor

from solutions.makemore_mlp import init_mlp  # noqa: F401  (chapter 4.2's draw order)

Params = dict[str, Tensor]

# ==============================================================================================
# Sections 1-3: the loss at initialisation, saturated tanh, Kaiming init and layers

from utils.checks import makemore_activations as tests


# %% [markdown]
# ## The loss at initialisation
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_activations_initial_loss)


# %% [markdown]
# ### Exercise: `uniform_loss` — The loss of a model that knows nothing
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 3–5 minutes
#
# Write `uniform_loss(vocab_size)`: the mean cross-entropy loss, in nats (natural
# logarithm, as `F.cross_entropy` measures it), of a model that gives each of the
# `vocab_size` symbols the same probability, whatever the context. Return a Python
# float; `vocab_size` is a positive int (`uniform_loss(1)` is 0.0: a model with a single
# symbol to choose is always right).
#
# Check it with `tests.test_uniform_loss(uniform_loss)`.


# %%
def uniform_loss(vocab_size: int) -> float:
    """-ln(1 / vocab_size): the loss a network should start near."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `scaled_init_mlp` — A calmer initialisation
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `scaled_init_mlp(vocab_size=27, block_size=3, n_embd=10, n_hidden=200,
# generator=None, *, w1_scale=1.0, b1_scale=1.0, w2_scale=1.0, b2_scale=1.0)`. Draw the
# parameters exactly as chapter 4.2's `init_mlp` does (five standard normal tensors "C",
# "W1", "b1", "W2", "b2", drawn from `generator` in that order, with the shapes of
# `init_mlp`), then multiply `W1`, `b1`, `W2` and `b2` by their scales (`C` is left as
# drawn). Return the dict: five float32 tensors, each a leaf that requires gradients. Draw
# every tensor even when its scale is 0 (a scale of 0 gives zeros), so that the
# generator ends in the same state as after `init_mlp` and the same seed gives everyone the
# same numbers. With every scale 1 the result equals `init_mlp`'s.
#
# Check it with `tests.test_scaled_init_mlp(scaled_init_mlp)`.


# %%
def scaled_init_mlp(vocab_size: int = 27, block_size: int = 3, n_embd: int = 10,
                    n_hidden: int = 200, generator: torch.Generator | None = None, *,
                    w1_scale: float = 1.0, b1_scale: float = 1.0, w2_scale: float = 1.0,
                    b2_scale: float = 1.0) -> Params:
    """Chapter 4.2's standard normal parameters, each weight and bias scaled."""
    raise NotImplementedError()


# %% [markdown]
# ## Saturated tanh units
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_activations_saturation)


# %% [markdown]
# ### Exercise: `saturation_fraction` — How much of the hidden layer is saturated?
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–8 minutes
#
# Write `saturation_fraction(h, threshold=0.97)`: `h` is a float tensor of tanh outputs
# of any shape (the checks pass `(n, hidden)`). Return, as a Python float, the fraction
# of its entries whose absolute value is strictly greater than `threshold`: an entry
# of exactly `threshold` (or `-threshold`) does not count.
#
# Check it with `tests.test_saturation_fraction(saturation_fraction)`.


# %%
def saturation_fraction(h: Float[Tensor, "n hidden"], threshold: float = 0.97) -> float:
    """The share of tanh outputs in the flat tails, where the local gradient 1 - h² is ~0."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `dead_units` — Dead units
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write `dead_units(h, threshold=0.97)`: `h` holds a hidden layer's tanh outputs, shape
# `(n, hidden)`, one row per example and one column per unit. Return a `torch.bool`
# tensor of shape `(hidden,)`: True for each unit whose output is strictly above
# `threshold` in absolute value on **every** example, False for the others.
#
# Check it with `tests.test_dead_units(dead_units)`.


# %%
def dead_units(h: Float[Tensor, "n hidden"], threshold: float = 0.97) -> Tensor:
    """Units saturated on every example: almost no gradient reaches their weights."""
    raise NotImplementedError()


# %% [markdown]
# ## Kaiming initialisation and layers
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_activations_kaiming)


# %% [markdown]
# ### Exercise: `kaiming_std` — Kaiming's standard deviation
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 5–10 minutes
#
# Write `kaiming_std(fan_in, nonlinearity)`: the standard deviation to draw a layer's
# weights with, $\text{gain} / \sqrt{\text{fan\_in}}$, as a Python float, where the gain
# is 1 for `'linear'`, 5/3 for `'tanh'` and $\sqrt 2$ for `'relu'` (torch's own
# `calculate_gain` values). For any other `nonlinearity`, raise `ValueError` with a message
# that names it.
#
# Check it with `tests.test_kaiming_std(kaiming_std)`.


# %%
def kaiming_std(fan_in: int, nonlinearity: str) -> float:
    """The standard deviation that keeps activations at unit scale through the layer."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Linear` — A Linear layer
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write the class `Linear(fan_in, fan_out, bias=True, generator=None)`, in the style of
# `torch.nn.Linear` but with the weight stored as `(fan_in, fan_out)`:
#
# - `self.weight`: `torch.randn((fan_in, fan_out), generator=generator)` divided by
#   $\sqrt{\text{fan\_in}}$ (Kaiming's scale with gain 1: multiply by a gain afterwards
#   for tanh);
# - `self.bias`: `torch.zeros(fan_out)` if `bias`, else `None` (draw nothing for it);
# - calling the layer on `x` of shape `(n, fan_in)` returns `x @ self.weight + self.bias`
#   (no bias term when it is `None`) and keeps that same tensor in `self.out`;
# - `parameters()` returns the list `[self.weight, self.bias]`, or `[self.weight]`
#   without a bias: the layer's own tensors, not copies.
#
# Nothing needs to require gradients yet: whoever trains the layers turns that on.
#
# Check it with `tests.test_Linear(Linear)`.


# %%
class Linear:
    """x @ W + b with W (fan_in, fan_out) at unit-gain Kaiming scale."""

    def __init__(self, fan_in: int, fan_out: int, bias: bool = True,
                 generator: torch.Generator | None = None):
        raise NotImplementedError()

    def __call__(self, x: Float[Tensor, "n fan_in"]) -> Float[Tensor, "n fan_out"]:
        raise NotImplementedError()

    def parameters(self) -> list[Tensor]:
        raise NotImplementedError()


# %%
class Tanh:
    """tanh as a layer, keeping its output in `.out` for the diagnostics."""

    def __call__(self, x: Tensor) -> Tensor:
        self.out = torch.tanh(x)
        return self.out

    def parameters(self) -> list[Tensor]:
        return []


# %% [markdown]
# ## Batch normalisation
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_activations_batchnorm)


# %% [markdown]
# ### Exercise: `BatchNorm1d` — BatchNorm1d
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 20–30 minutes
#
# Write the class `BatchNorm1d(dim, eps=1e-5, momentum=0.1)` for inputs `x` of shape
# `(N, dim)`, which behaves as `torch.nn.BatchNorm1d(dim, eps=eps, momentum=momentum)`
# does in training and in eval mode.
#
# - `__init__` sets `self.eps`, `self.momentum`, `self.training = True`, and four float32
#   tensors of shape `(dim,)`: `gamma` (ones) and `beta` (zeros), the learned scale and
#   shift, and `running_mean` (zeros) and `running_var` (ones), the buffers for eval mode.
# - Calling it on `x` in training mode normalises each column with the batch's mean and
#   **biased** variance (divided by $N$), $\hat x = (x - \mu) / \sqrt{\sigma^2 + \epsilon}$,
#   and returns $\gamma \hat x + \beta$; the output must keep its graph to `x`, `gamma`
#   and `beta` (so `loss.backward()` reaches them). It also moves the running statistics
#   a fraction `momentum` of the way towards the batch's:
#   `running = (1 - momentum) * running + momentum * batch`, with the **unbiased** batch
#   variance (divided by $N - 1$) for `running_var`, as torch does. The running
#   statistics are buffers, not part of the graph: after the update they must not
#   require grad.
# - In eval mode (`self.training = False`) it normalises with `running_mean` and
#   `running_var` instead and leaves them unchanged.
# - Either way it keeps the output in `self.out`; `parameters()` returns `[gamma, beta]`.
#
# Check it with `tests.test_BatchNorm1d(BatchNorm1d)`.


# %%
class BatchNorm1d:
    """Normalises each feature over the batch; learns a scale and shift; tracks running stats.

    Input and output (N, dim); gamma, beta, running_mean, running_var (dim,)."""

    def __init__(self, dim: int, eps: float = 1e-5, momentum: float = 0.1):
        raise NotImplementedError()

    def __call__(self, x: Float[Tensor, "n dim"]) -> Float[Tensor, "n dim"]:
        raise NotImplementedError()

    def parameters(self) -> list[Tensor]:
        raise NotImplementedError()


# %%
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


# %%
def deep_loss(C: Tensor, layers: list, X: Int[Tensor, "n block"],
              Y: Int[Tensor, "n"]) -> Tensor:
    """The mean cross-entropy of the deep network on (X, Y); every layer keeps its output."""
    x = C[X].view(X.shape[0], -1)
    for layer in layers:
        x = layer(x)
    return F.cross_entropy(x, Y)


# %% [markdown]
# ## Diagnostics: is training healthy?
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_activations_diagnostics)


# %% [markdown]
# ### Exercise: `activation_stats` — Activation statistics per layer
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `activation_stats(layers, threshold=0.97)`. `layers` is a list of layer objects
# (`Linear`, `BatchNorm1d`, `Tanh`, ...) after a forward pass, so each holds its last
# output in `.out`. Return one dict per `Tanh` layer, in the order they appear (skip the
# other layers), with three Python floats: `"mean"` and `"std"` (torch's default,
# unbiased) of all the entries of its output, and `"saturated"`, the fraction of those
# entries whose absolute value is above `threshold`.
#
# Check it with `tests.test_activation_stats(activation_stats)`.


# %%
def activation_stats(layers: list, threshold: float = 0.97) -> list[dict[str, float]]:
    """Mean, std and saturated share of every tanh layer's last output."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `gradient_stats` — Gradient statistics per layer
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `gradient_stats(layers)`. After a forward pass in which `.out.retain_grad()` was
# called on every `Tanh` layer's output, and `loss.backward()`, each tanh output holds
# $\partial L / \partial \text{out}$ in `.out.grad`. Return one dict per `Tanh` layer,
# in order, with the `"mean"` and `"std"` (unbiased) of all the entries of that
# gradient, as Python floats.
#
# Check it with `tests.test_gradient_stats(gradient_stats)`.


# %%
def gradient_stats(layers: list) -> list[dict[str, float]]:
    """Mean and std of the loss's gradient at every tanh layer's output."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `update_ratios` — The update-to-data ratio
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 5–10 minutes
#
# Write `update_ratios(parameters, lr)`. `parameters` is a list of tensors, each with its
# `.grad` filled by a backward pass; an SGD step will change each by `-lr * grad`. Return
# a list of Python floats, one per parameter in order: the base-10 logarithm of the
# standard deviation of its update `lr * grad` over the standard deviation of its
# values (torch's default, unbiased std, for both):
# $\log_{10}(\operatorname{std}(\text{lr}\cdot\text{grad}) / \operatorname{std}(p))$.
#
# Check it with `tests.test_update_ratios(update_ratios)`.


# %%
def update_ratios(parameters: list[Tensor], lr: float) -> list[float]:
    """How big a step is relative to the values it changes, on a log10 scale (about -3 to -2.5
    in a healthy run)."""
    raise NotImplementedError()


# %%
# `pytest exercises/makemore_activations.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("makemore_activations", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "makemore_activations")
