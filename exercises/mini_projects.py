# %% [markdown]
# # Chapter 6: Mini-projects: build it without a lesson — exercises
#
# Three projects with a checklist instead of a lesson: a neural network class in pure NumPy trained on digits, forward-mode autodiff with dual numbers, and a reverse-mode engine you can write in any language and check here.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/mini_projects.py
#
# or one test per exercise with `pytest exercises/mini_projects.py`, or call one check yourself, e.g. `tests.test_numerical_gradient(numerical_gradient)`.
#
# This file is generated from `solutions/mini_projects.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/mini_projects_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/mini_projects.ipynb


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
from typing import Callable

import numpy as np
from jaxtyping import Float, Int

# ==============================================================================================
# Sections 1-2: a neural network in NumPy

from utils.checks import mini_projects as tests


# %% [markdown]
# ## Layers with a forward and a backward
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/mini_projects_layers)


# %% [markdown]
# ### Exercise: `numerical_gradient` — A numerical gradient checker
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `numerical_gradient(f, x, eps=1e-6)`: the gradient of the scalar function `f` at
# the float64 array `x` (any shape), by central differences, one entry at a time:
# $(f(x + \epsilon e_i) - f(x - \epsilon e_i)) / 2\epsilon$. Return a float64 NumPy array
# of `x`'s shape, and leave `x` as you found it (you may nudge it in place if you put
# each entry back).
#
# Check it with `tests.test_numerical_gradient(numerical_gradient)`.


# %%
def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray,
                       eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function of an array."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Dense` — A Dense layer
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 15–25 minutes
#
# Write the class `Dense(n_in, n_out, rng)` (`rng` a `np.random.Generator`): attributes
# `W`, shape (n_in, n_out), drawn as `rng.standard_normal((n_in, n_out)) * np.sqrt(2 /
# n_in)`, and `b`, zeros of shape (n_out,); `forward(x)` for x of shape (n, n_in) caches
# x and returns `x @ W + b`; `backward(grad)` for grad = dL/dout of shape (n, n_out)
# stores `dW` (n_in, n_out) and `db` (n_out,) for the last forward's x and returns dL/dx
# (n, n_in).
#
# Check it with `tests.test_Dense(Dense)`.


# %%
class Dense:
    """y = x @ W + b, He-initialised for the ReLU after it."""

    def __init__(self, n_in: int, n_out: int, rng: np.random.Generator):
        raise NotImplementedError()

    def forward(self, x: Float[np.ndarray, "n n_in"]) -> Float[np.ndarray, "n n_out"]:
        raise NotImplementedError()

    def backward(self, grad: Float[np.ndarray, "n n_out"]) -> Float[np.ndarray, "n n_in"]:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `ReLU` — ReLU
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write the class `ReLU()`: `forward(x)` returns max(x, 0) elementwise and caches where
# x > 0; `backward(grad)` returns grad where the last forward's input was > 0 and 0
# elsewhere (also at exactly 0).
#
# Check it with `tests.test_ReLU(ReLU)`.


# %%
class ReLU:
    """max(x, 0), passing gradient only where the input was positive."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError()

    def backward(self, grad: np.ndarray) -> np.ndarray:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `SoftmaxCrossEntropy` — Softmax cross-entropy
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 15–25 minutes
#
# Write the class `SoftmaxCrossEntropy()`: `forward(logits, y)`, with float64 logits
# (n, k) and integer labels y (n,), returns the mean cross-entropy of softmax(logits)
# against y as a Python float, finite even for logits in the thousands, without changing
# `logits`; `backward()` returns dL/dlogits of the last forward,
# $(\operatorname{softmax}(z) - \text{onehot}(y)) / n$, shape (n, k).
#
# Check it with `tests.test_SoftmaxCrossEntropy(SoftmaxCrossEntropy)`.


# %%
class SoftmaxCrossEntropy:
    """Mean cross-entropy of softmax(logits) against integer labels, and its closed-form gradient."""

    def forward(self, logits: Float[np.ndarray, "n k"], y: Int[np.ndarray, "n"]) -> float:
        raise NotImplementedError()

    def backward(self) -> Float[np.ndarray, "n k"]:
        raise NotImplementedError()


# %% [markdown]
# ## A Network that fits, saves and loads
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/mini_projects_network)


# %% [markdown]
# ### Exercise: `Network` — A Network that fits, predicts, saves and loads
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 30–45 minutes
#
# Write `Network(layers)`, keeping the list as `self.layers` and a
# `SoftmaxCrossEntropy()` as its loss, with `forward(x)`, `backward(grad)` (the layers'
# backward in reverse order, returning the last gradient), `step(lr)` (plain SGD on every
# Dense layer's `W` and `b`), `fit(X, y, epochs, lr, batch_size, rng)` (each epoch a fresh
# order `rng.permutation(len(X))`, walked in minibatches of `batch_size`, the last one
# possibly smaller; returns a list with each epoch's mean minibatch loss),
# `predict(X)` (each row's class index), `save(path)` and `load(path)` (an .npz file with
# every Dense layer's `W` and `b`; loading into a network whose layers have other shapes
# raises ValueError).
#
# Check it with `tests.test_Network(Network)`.


# %%
class Network:
    """A stack of layers trained with minibatch SGD on softmax cross-entropy."""

    def __init__(self, layers: list):
        raise NotImplementedError()

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError()

    def backward(self, grad: np.ndarray) -> np.ndarray:
        raise NotImplementedError()

    def dense_layers(self) -> list[Dense]:
        raise NotImplementedError()

    def step(self, lr: float) -> None:
        raise NotImplementedError()

    def fit(self, X: np.ndarray, y: np.ndarray, epochs: int, lr: float, batch_size: int,
            rng: np.random.Generator) -> list[float]:
        raise NotImplementedError()

    def predict(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError()

    def save(self, path: str) -> None:
        raise NotImplementedError()

    def load(self, path: str) -> None:
        raise NotImplementedError()


# %% [markdown]
# ## Forward mode: dual numbers
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/mini_projects_forward_mode)


# %% [markdown]
# ### Exercise: `Dual` — Dual numbers
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 20–30 minutes
#
# Write the class `Dual(real, dual)` with float attributes `real` and `dual`: `+ - * /`
# with another Dual or a number on either side, `-u`, `u ** k` for a number k, and the
# methods `sin()` and `exp()`, each returning a new Dual by the section's table.
#
# Check it with `tests.test_Dual(Dual)`.


# %%
class Dual:
    """a + b·ε with ε² = 0: a value and its derivative along one direction."""

    def __init__(self, real: float, dual: float = 0.0):
        raise NotImplementedError()

    @staticmethod
    def lift(x: "Dual | float") -> "Dual":
        raise NotImplementedError()

    def __add__(self, other):
        raise NotImplementedError()
    __radd__ = __add__

    def __neg__(self):
        raise NotImplementedError()

    def __sub__(self, other):
        raise NotImplementedError()

    def __rsub__(self, other):
        raise NotImplementedError()

    def __mul__(self, other):
        raise NotImplementedError()
    __rmul__ = __mul__

    def __truediv__(self, other):
        raise NotImplementedError()

    def __rtruediv__(self, other):
        raise NotImplementedError()

    def __pow__(self, k: float):
        raise NotImplementedError()

    def sin(self) -> "Dual":
        raise NotImplementedError()

    def exp(self) -> "Dual":
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `jvp` — Jacobian-vector products
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `jvp(f, x, v)`: `x` and `v` are lists of floats of the same length, and `f` takes
# a list of Duals and returns a Dual or a list of Duals. Call `f` once and return the
# pair `(f(x), J v)`: two floats for a Dual output, two lists of floats for a list.
#
# Check it with `tests.test_jvp(jvp)`.


# %%
def jvp(f: Callable, x: list[float], v: list[float]):
    """f(x) and its directional derivative along v, from one pass of dual numbers."""
    raise NotImplementedError()


# %% [markdown]
# ## Autodiff in any language
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/mini_projects_any_language)


# %% [markdown]
# ### Exercise: `eval_graph` — A reverse-mode engine for a JSON graph
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 30–45 minutes
#
# Write `eval_graph(nodes, inputs)` by the section's specification: `nodes` is a list of
# node dicts in topological order, `inputs` maps each input's name to a float. Return
# `(value, gradients)`: the last node's value as a float, and a dict from every input's
# name to d(output)/d(input) (0.0 for an input the output doesn't use), by one forward
# pass and one reverse pass. Don't change `nodes`.
#
# Check it with `tests.test_eval_graph(eval_graph)`.


# %%
def eval_graph(nodes: list[dict], inputs: dict[str, float]) -> tuple[float, dict[str, float]]:
    """Value and input gradients of the spec's computation graph."""
    raise NotImplementedError()


# %%
# `pytest exercises/mini_projects.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("mini_projects", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "mini_projects")
