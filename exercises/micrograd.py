# %% [markdown]
# # Chapter 3: micrograd — exercises
#
# A scalar autograd engine in a hundred lines: values that remember how they were made, backpropagation through a topological sort, then neurons, layers and an MLP that learns two moons.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/micrograd.py
#
# or one test per exercise with `pytest exercises/micrograd.py`, or call one check yourself, e.g. `tests.test_Module(Module)`.
#
# This file is generated from `solutions/micrograd.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/micrograd_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/micrograd.ipynb


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
from __future__ import annotations

import math
import random

from utils.checks import micrograd as tests


# %%
class Value:
    """One scalar in a computation graph: its value, its gradient, and how it was made."""

    def __init__(self, data: float, _children: tuple["Value", ...] = (), _op: str = ""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None  # a leaf has nothing to pass its gradient on to
        self._prev = set(_children)
        self._op = _op

    def __repr__(self) -> str:
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

    # --- operations: the forward value now, the local derivative for later -------------------

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            self.grad += out.grad  # += not =: a value used twice collects both contributions
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent: float) -> Value:
        assert isinstance(exponent, (int, float)), "only number exponents"
        out = Value(self.data ** exponent, (self,), f"**{exponent:g}")

        def _backward() -> None:
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self) -> Value:
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward() -> None:
            self.grad += out.data * out.grad  # d/dx e^x = e^x, already computed

        out._backward = _backward
        return out

    def tanh(self) -> Value:
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward() -> None:
            self.grad += (1 - out.data ** 2) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> Value:
        out = Value(max(self.data, 0.0), (self,), "ReLU")

        def _backward() -> None:
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    # --- the rest, from the operations above ------------------------------------------------

    def __neg__(self) -> Value:
        return self * -1

    def __sub__(self, other: Value | float) -> Value:
        return self + (-other)

    def __truediv__(self, other: Value | float) -> Value:
        return self * other ** -1

    def __radd__(self, other: float) -> Value:  # 2 + v
        return self + other

    def __rsub__(self, other: float) -> Value:  # 2 - v
        return other + (-self)

    def __rmul__(self, other: float) -> Value:  # 2 * v
        return self * other

    def __rtruediv__(self, other: float) -> Value:  # 2 / v
        return other * self ** -1

    # --- backpropagation ------------------------------------------------------------------

    def backward(self) -> None:
        """Fill in `.grad` of every value this one depends on: d(self)/d(that value)."""
        order: list[Value] = []
        visited: set[int] = set()

        def visit(v: Value) -> None:
            if id(v) not in visited:
                visited.add(id(v))
                for child in v._prev:
                    visit(child)
                order.append(v)  # after everything it depends on

        visit(self)
        self.grad = 1.0
        for v in reversed(order):  # each value passes its gradient on before its inputs do
            v._backward()


# %% [markdown]
# ## Neurons, layers, an MLP
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/micrograd_mlp)


# %% [markdown]
# ### Exercise: `Module` — A module that can zero its gradients
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 5–10 minutes
#
# Write the base class `Module` that `Neuron`, `Layer` and `MLP` will extend. It has two
# methods:
#
# - `parameters()` returns the list of the module's parameters (its `Value`s that
#   training changes). The base class has none: return an empty list. Subclasses
#   override it.
# - `zero_grad()` sets the `.grad` of **every** value in `self.parameters()` to `0.0`,
#   and changes nothing else (not `.data`, not the list). It returns nothing.
#
# `zero_grad` must call `self.parameters()`, so that in a subclass it reaches the
# subclass's parameters.
#
# Check it with `tests.test_Module(Module)`.


# %%
class Module:
    """What every part of a network shares: its parameters, and resetting their gradients."""

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to 0.0."""
        raise NotImplementedError()

    def parameters(self) -> list[Value]:
        """The values training changes; the base class has none."""
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Neuron` — A neuron
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `Neuron(nin, nonlin=True)`, a subclass of `Module`, for a neuron with `nin`
# inputs.
#
# - `__init__`: `self.w`, a list of `nin` **different** `Value`s, each drawn with
#   `random.uniform(-1, 1)` (Python's `random` module, one call per weight, in order), and
#   `self.b`, the bias, `Value(0.0)`. Keep `nonlin` as `self.nonlin`.
# - `__call__(x)`: `x` is a list of `nin` inputs (Python floats or `Value`s). Return one
#   `Value`: $\sum_i w_i x_i + b$, passed through `.relu()` when `self.nonlin` is true,
#   and returned as it is (a linear neuron) when it is false.
# - `parameters()`: the list of the weights in order, then the bias: `nin + 1` values.
#
# Check it with `tests.test_Neuron(Neuron)`.


# %%
class Neuron(Module):
    """One neuron: relu(w . x + b), or w . x + b when nonlin is False."""

    def __init__(self, nin: int, nonlin: bool = True):
        raise NotImplementedError()

    def __call__(self, x: list[Value | float]) -> Value:
        """x: nin inputs -> one Value."""
        raise NotImplementedError()

    def parameters(self) -> list[Value]:
        """The weights in input order, then the bias."""
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Layer` — A layer of neurons
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 5–10 minutes
#
# Write `Layer(nin, nout, **kwargs)`, a subclass of `Module`: `nout` separate neurons,
# each `Neuron(nin, **kwargs)` (so `Layer(3, 2, nonlin=False)` is two linear neurons),
# kept in the list `self.neurons`.
#
# - `__call__(x)`: every neuron on the same input list `x`. Return the list of their
#   `nout` outputs, except when the layer has **one** neuron: then return that single
#   `Value`, not a list of one (Karpathy's convention: a network whose last layer has one
#   neuron gives a score, not a list).
# - `parameters()`: the parameters of the first neuron, then the second's, and so on,
#   as one flat list of `nout * (nin + 1)` values.
#
# Check it with `tests.test_Layer(Layer)`.


# %%
class Layer(Module):
    """nout neurons that all see the same inputs."""

    def __init__(self, nin: int, nout: int, **kwargs):
        raise NotImplementedError()

    def __call__(self, x: list[Value | float]) -> Value | list[Value]:
        """x: nin inputs -> a list of nout Values, or one Value when nout is 1."""
        raise NotImplementedError()

    def parameters(self) -> list[Value]:
        """Each neuron's parameters in turn, as one flat list."""
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `MLP` — A multi-layer perceptron
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `MLP(nin, nouts)`, a subclass of `Module`. `nouts` is a list of layer widths:
# `MLP(2, [16, 16, 1])` has a layer of 16 neurons that sees the 2 inputs, then one of 16
# that sees those 16 outputs, then one neuron.
#
# - `__init__`: `self.layers`, a list of `Layer`s, layer $i$ mapping `sizes[i]` inputs
#   to `sizes[i + 1]` outputs, where `sizes = [nin] + nouts`. Every layer but the
#   **last** uses ReLU neurons; the last is linear (`nonlin=False`), so the network can
#   output negative scores.
# - `__call__(x)`: feed `x` through the layers in order, each layer's output being the
#   next one's input; return the last layer's output (one `Value` when the last width is
#   1).
# - `parameters()`: the first layer's parameters, then the second's, and so on (one flat
#   list). `MLP(2, [16, 16, 1])` has $16 \cdot 3 + 16 \cdot 17 + 1 \cdot 17 = 337$.
#
# `zero_grad()` comes from `Module`.
#
# Check it with `tests.test_MLP(MLP)`.


# %%
class MLP(Module):
    """Layers in sequence: ReLU after each but the last, whose output is a raw score."""

    def __init__(self, nin: int, nouts: list[int]):
        raise NotImplementedError()

    def __call__(self, x: list[Value | float]) -> Value | list[Value]:
        """x: nin inputs -> the last layer's output."""
        raise NotImplementedError()

    def parameters(self) -> list[Value]:
        """Each layer's parameters in turn, as one flat list."""
        raise NotImplementedError()


# %% [markdown]
# ## Training on two moons
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/micrograd_training)


# %% [markdown]
# ### Exercise: `moons_loss` — The max-margin loss on the moons
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 15–20 minutes
#
# Write `moons_loss(model, X, y, alpha=1e-4) -> tuple[Value, float]`. `model` is an `MLP`
# with 2 inputs and one output (a score); `X` holds `n` points, a NumPy array of shape
# `(n, 2)` (or a list of pairs); `y` holds their `n` labels, each `-1` or `+1`.
#
# - Score every point: `model([float(a), float(b)])` for each row `(a, b)` of `X` (plain
#   floats, or `Value`s made from them).
# - The data loss is the mean over the points of the hinge
#   $\max(0,\ 1 - y_i s_i)$, written with `Value` operations (`(1 - yi * si).relu()`).
# - Add the L2 penalty $\alpha \sum_p p^2$ over all of `model.parameters()`.
# - Return `(loss, accuracy)`: `loss` is that sum as one `Value` (so that
#   `loss.backward()` reaches every parameter); `accuracy` is a Python float, the
#   fraction of points where the sign agrees: a score $s_i > 0$ predicts $+1$, any
#   other score $-1$.
#
# Check it with `tests.test_moons_loss(moons_loss)`.


# %%
def moons_loss(model: MLP, X, y, alpha: float = 1e-4) -> tuple[Value, float]:
    """(mean hinge loss + alpha * sum of squared parameters, as a Value; sign accuracy)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `train_step` — One step of gradient descent
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `train_step(model, X, y, lr, alpha=1e-4) -> tuple[float, float]`: one step of
# gradient descent on `moons_loss(model, X, y, alpha)` (defined above: use it).
#
# 1. Compute the loss and accuracy.
# 2. Set every parameter's gradient to zero (`model.zero_grad()`): the parameters may
#    still hold the gradient of an earlier step.
# 3. Backpropagate from the loss.
# 4. Move every parameter against its gradient: `p.data` becomes
#    `p.data - lr * p.grad`.
#
# Return `(loss, accuracy)` as two Python floats, both measured **before** the update.
#
# Check it with `tests.test_train_step(train_step)`.


# %%
def train_step(model: MLP, X, y, lr: float, alpha: float = 1e-4) -> tuple[float, float]:
    """Zero the gradients, backpropagate moons_loss, step every parameter by -lr * grad;
    (loss, accuracy) before the step."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `train_moons` — Training with a decaying learning rate
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `train_moons(model, X, y, steps=100, lr_start=1.0, lr_end=0.1, alpha=1e-4)
# -> list[tuple[float, float]]`: `steps` calls of `train_step` (defined above: use it),
# where step $k = 0, 1, \dots, \mathrm{steps} - 1$ uses the learning rate
# $$\mathrm{lr}_k = \mathrm{lr\_start} + (\mathrm{lr\_end} - \mathrm{lr\_start})
# \frac{k}{\mathrm{steps}},$$
# a straight line from `lr_start` towards `lr_end` (with the defaults, $1 - 0.9k/100$,
# Karpathy's schedule). Return the list of the `steps` pairs `(loss, accuracy)` that
# `train_step` returned, in order.
#
# The check first compares your losses with the reference's on a 6-step run, then
# trains `MLP(2, [8, 8, 1])` on 24 moons for 25 steps with your function and expects
# at least 80 % of them right (the reference gets 87.5 %, in about 3 seconds).
#
# Check it with `tests.test_train_moons(train_moons)`.


# %%
def train_moons(model: MLP, X, y, steps: int = 100, lr_start: float = 1.0, lr_end: float = 0.1,
                alpha: float = 1e-4) -> list[tuple[float, float]]:
    """Train model with train_step for `steps` steps, the learning rate falling linearly from
    lr_start towards lr_end; the (loss, accuracy) of every step."""
    raise NotImplementedError()


# %%
# `pytest exercises/micrograd.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("micrograd", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "micrograd")
