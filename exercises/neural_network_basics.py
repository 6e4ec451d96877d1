# %% [markdown]
# # Chapter 2: Neural-network basics — exercises
#
# Tell 3s from 7s without learning, then with a linear model and a small net trained by SGD you write yourself; fit lines and curves to see under- and overfitting; watch a tiny network bend space.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/neural_network_basics.py
#
# or one test per exercise with `pytest exercises/neural_network_basics.py`, or call one check yourself, e.g. `tests.test_fit_line(fit_line)`.
#
# This file is generated from `solutions/neural_network_basics.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/neural_network_basics_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/neural_network_basics.ipynb


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
import torch as t  # noqa: F401 - for the learner's own tensor work
from jaxtyping import Bool, Float  # noqa: F401
from torch import Tensor  # noqa: F401

# === Section 1 (baseline) and section 2 (linear model): mean_image ... batch_accuracy =========

# === end of sections 1-2 =======================================================================

# === Section 3 (training) and section 4 (tabular): calc_grad ... ===============================

# === end of sections 3-4 =======================================================================

# === Section 5 (best fit) and section 6 (warping): fit_line, layer_outputs ====================

from utils.checks import neural_network_basics as tests


# %% [markdown]
# ## A bigger line of best fit
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/neural_network_basics_best_fit)


# %% [markdown]
# ### Exercise: `fit_line` — A line of best fit by gradient descent
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–25 minutes
#
# Write `fit_line(x, y, lr, steps) -> tuple[float, float]`, where `x` and `y` are float
# tensors of shape `(n,)`. Fit the line $\hat y = a x + b$ by plain gradient descent on the
# mean squared error
# $L(a, b) = \frac{1}{n} \sum_i (a x_i + b - y_i)^2$:
# start from $a = 0$, $b = 0$ (not from random values), then `steps` times compute both
# partial derivatives at the current $(a, b)$ and set
# $a \leftarrow a - \text{lr} \cdot \partial L / \partial a$ and
# $b \leftarrow b - \text{lr} \cdot \partial L / \partial b$.
# Return `(a, b)`, the slope first, as two Python floats (`steps = 0` returns `(0.0, 0.0)`).
# Use autograd or derive the two derivatives by hand: both pass. Leave `x` and `y` as they
# are.
#
# Check it with `tests.test_fit_line(fit_line)`.


# %%
def fit_line(x: Float[Tensor, "n"], y: Float[Tensor, "n"], lr: float,
             steps: int) -> tuple[float, float]:
    """Slope and intercept of the line fitted to the points (x, y) by `steps` steps of gradient
    descent at rate `lr` on the mean squared error, from slope 0 and intercept 0."""
    raise NotImplementedError()


# %% [markdown]
# ## Weights transform space
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/neural_network_basics_warping)


# %% [markdown]
# ### Exercise: `layer_outputs` — The plane after each layer
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `layer_outputs(model, grid) -> list[Tensor]`: `model` is an `nn.Sequential` and
# `grid` a float tensor of shape `(n, 2)` (points of the plane). Return a list with one
# tensor per layer of `model`, in order: entry $i$ is what layer $i$ outputs when `grid` is
# passed through the layers $0, \dots, i$, so the last entry is `model(grid)`. The input
# itself is **not** in the list, so it has `len(model)` entries. The layers are
# `model`'s direct entries (what `for layer in model` gives): a layer that is itself a
# `Sequential` counts as one. Compute them without tracking gradients (no entry may have
# `requires_grad`), and leave `grid` unchanged.
#
# Check it with `tests.test_layer_outputs(layer_outputs)`.


# %%
def layer_outputs(model: t.nn.Sequential, grid: Float[Tensor, "n 2"]) -> list[Tensor]:
    """The points `grid` after each layer of `model` (not including the input): entry i is the
    output of model[: i + 1], computed without gradient tracking."""
    raise NotImplementedError()


# %%
# `pytest exercises/neural_network_basics.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("neural_network_basics", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "neural_network_basics")
