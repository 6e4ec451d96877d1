# %% [markdown]
# # Chapter 3: micrograd — exercises
#
# A scalar autograd engine in a hundred lines: values that remember how they were made, backpropagation through a topological sort, then neurons, layers and an MLP that learns two moons.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/micrograd.py
#
# or one test per exercise with `pytest exercises/micrograd.py`, or call one check yourself, e.g. `tests.test_numerical_derivative(numerical_derivative)`.
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
import math
import random
from typing import Any, Callable

from utils.checks import micrograd as tests


# %% [markdown]
# ## What a derivative tells you
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/micrograd_derivatives)


# %% [markdown]
# ### Exercise: `numerical_derivative` — A derivative by nudging
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `numerical_derivative(f, x, h=1e-6)`: `f` is a Python function of one float that
# returns a float, `x` a float and `h` a small positive float (the nudge). Return the
# slope of `f` over the step from `x` to `x + h`, the **forward difference**
# $$\frac{f(x + h) - f(x)}{h},$$
# as a float. Call `f` exactly at `x` and at `x + h` (not at `x - h`: that would be the
# central difference, a different estimate), and use the `h` you are given.
#
# Check it with `tests.test_numerical_derivative(numerical_derivative)`.


# %%
def numerical_derivative(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """The forward difference (f(x + h) - f(x)) / h: the slope of f just right of x."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `numerical_gradient` — Partial derivatives by nudging one input at a time
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `numerical_gradient(f, inputs, h=1e-6)`: `f` takes several floats as separate
# arguments (`f(*inputs)`) and returns one float; `inputs` is a list of floats, the point
# where you want the slopes. Return a list of floats as long as `inputs`: element $i$ is
# the forward difference of `f` in input $i$ alone,
# $$\frac{f(x_0, \dots, x_i + h, \dots, x_{n-1}) - f(x_0, \dots, x_{n-1})}{h},$$
# with every other input held where it is. Use `numerical_derivative` (defined above):
# make a function of input $i$ only, and nudge that. Do not change the list `inputs`.
#
# Check it with `tests.test_numerical_gradient(numerical_gradient)`.


# %%
def numerical_gradient(f: Callable[..., float], inputs: list[float],
                       h: float = 1e-6) -> list[float]:
    """The forward difference of f(*inputs) in each input, the others held fixed."""
    raise NotImplementedError()


# %% [markdown]
# ## Backpropagation
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/micrograd_backprop)


# %% [markdown]
# ### Exercise: `topological_order` — An order for the backward pass
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 15–25 minutes
#
# Write `topological_order(root)`: `root` is a `Value` (any object whose `_prev` attribute
# is a set or tuple of the values it was computed from; a leaf's is empty). Return a list
# of every value `root` depends on, `root` included, **each exactly once**, ordered so
# that every value comes **after all the values in its `_prev`**; `root` is therefore
# last. A value reached along several paths (say `b` in `a * b + b`) still appears once.
# Any order that obeys the rule is right: the check does not compare with one particular
# list. Graphs in the check are at most a few hundred values deep.
#
# Check it with `tests.test_topological_order(topological_order)`.


# %%
def topological_order(root: Any) -> list[Any]:
    """Every value root depends on (root too), once each, each after all of its _prev."""
    raise NotImplementedError()


# %% [markdown]
# ## More operations
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/micrograd_more_ops)


# %% [markdown]
# ### Exercise: `Value` — The engine: Value
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵🔵🔵🔵 · 45–90 minutes
#
# Write the class `Value(data, _children=(), _op='')`, one scalar of a computation graph:
#
# - `__init__`: store `data` as a float in `.data`; `.grad = 0.0`; `._prev =
#   set(_children)`, the values it was computed from; `._op`, the operation's label
#   (used only for drawing, any short string); `._backward`, a function of no arguments
#   that does nothing for a leaf.
# - `+`, `*`: with another `Value` or a plain number (wrap a number in a `Value` first).
#   Each returns a new `Value` whose `_prev` holds both operands and whose `_backward`
#   **adds** (`+=`) the output's `.grad` times the local derivative into each operand's
#   `.grad`.
# - `**` with a number exponent (int or float, not a `Value`): $d(x^k)/dx = k x^{k-1}$.
# - `exp()`, `tanh()`, `relu()` (with $\mathrm{relu}(x) = \max(x, 0)$, and gradient 0 at
#   $x \le 0$, 1 at $x > 0$).
# - `-v`, `v - w`, `v / w` (division by a `Value` or a number), and the reflected forms
#   where the number comes first: `2 + v`, `2 - v`, `2 * v`, `2 / v`. These may be built
#   from the operations above.
# - `backward()`: set this value's `.grad` to 1.0, then call `_backward` of every value it
#   depends on, itself first and each value only after every value computed from it, in
#   the reverse of `topological_order(self)` (defined above: use it).
#
# A value used several times (`a * a`, `a + a`, or one that feeds two paths) must
# collect the gradient of every use. Each value's `.data` and `.grad` must match
# PyTorch's (float64) on the same expression; the check tries each operation alone
# first, then random expressions built from all of them.
#
# Check it with `tests.test_Value(Value)`.


# %%
class Value:
    """One scalar in a computation graph: its value, its gradient, and how it was made."""

    def __init__(self, data: float, _children: tuple["Value", ...] = (), _op: str = ""):
        """A value holding `data` (as a float), made by `_op` from `_children`; grad 0.0."""
        raise NotImplementedError()

    def __add__(self, other: "Value | float") -> "Value":
        """self + other (a Value or a number); d/dself = d/dother = 1."""
        raise NotImplementedError()

    def __mul__(self, other: "Value | float") -> "Value":
        """self * other (a Value or a number); d/dself = other, d/dother = self."""
        raise NotImplementedError()

    def __pow__(self, exponent: float) -> "Value":
        """self ** exponent, for a number exponent k; d/dself = k * self ** (k - 1)."""
        raise NotImplementedError()

    def exp(self) -> "Value":
        """e ** self; its derivative is itself."""
        raise NotImplementedError()

    def tanh(self) -> "Value":
        """tanh(self); its derivative is 1 - tanh(self) ** 2."""
        raise NotImplementedError()

    def relu(self) -> "Value":
        """max(self, 0); its derivative is 1 where self > 0, else 0."""
        raise NotImplementedError()

    def __neg__(self) -> "Value":
        """-self."""
        raise NotImplementedError()

    def __sub__(self, other: "Value | float") -> "Value":
        """self - other."""
        raise NotImplementedError()

    def __truediv__(self, other: "Value | float") -> "Value":
        """self / other."""
        raise NotImplementedError()

    def __radd__(self, other: float) -> "Value":
        """other + self, for a number other (2 + v)."""
        raise NotImplementedError()

    def __rsub__(self, other: float) -> "Value":
        """other - self, for a number other (2 - v)."""
        raise NotImplementedError()

    def __rmul__(self, other: float) -> "Value":
        """other * self, for a number other (2 * v)."""
        raise NotImplementedError()

    def __rtruediv__(self, other: float) -> "Value":
        """other / self, for a number other (2 / v)."""
        raise NotImplementedError()

    def backward(self) -> None:
        """Fill in `.grad` of every value this one depends on: d(self)/d(that value)."""
        raise NotImplementedError()


# %%
class Module:
    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        return []


# %%
class Neuron(Module):
    def __init__(self, nin: int, nonlin: bool = True):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.nonlin = nonlin

    def __call__(self, x: list[Value | float]) -> Value:
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]


# %%
class Layer(Module):
    def __init__(self, nin: int, nout: int, **kwargs):
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x: list[Value | float]) -> Value | list[Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]


# %%
class MLP(Module):
    def __init__(self, nin: int, nouts: list[int]):
        sizes = [nin, *nouts]
        # Every layer but the last is followed by a ReLU; the last gives a raw score.
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1)
                       for i in range(len(nouts))]

    def __call__(self, x: list[Value | float]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]


# %%
# `pytest exercises/micrograd.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("micrograd", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "micrograd")
