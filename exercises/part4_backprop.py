# %% [markdown]
# # Chapter 4: Backprop — exercises
#
# An autograd engine on NumPy, starting from backward functions written by hand.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/part4_backprop.py
#
# or call one check yourself, e.g. `tests.test_log_back(log_back)`.
#
# This file is generated from `solutions/part4_backprop.py`; the prose, plots and hints are on the site. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/part4_backprop.ipynb


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
import numpy as np

Arr = np.ndarray

from utils.checks import part4_backprop as tests


# %% [markdown]
# ## Backward functions by hand


# %% [markdown]
# ### Exercise: `log_back` — The backward of log
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write `log_back(grad_out, out, x)`: the gradient with respect to `x` of a loss $L$, for $\text{out} = \log x$, given $\text{grad\_out} = \partial L / \partial \text{out}$.
#
# Check it with `tests.test_log_back(log_back)`.


# %%
def log_back(grad_out: Arr, out: Arr, x: Arr) -> Arr:
    """Backward of out = np.log(x): dL/dx = dL/dout * dout/dx = grad_out / x."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `unbroadcast` — Undoing broadcasting
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 15–20 minutes
#
# Write `unbroadcast(broadcasted, original)`: sum a gradient of the broadcast shape back to `original`'s shape, over the dimensions broadcasting added at the front (removing them) and those it stretched from size 1 (keeping them as size 1).
#
# Check it with `tests.test_unbroadcast(unbroadcast)`.


# %%
def unbroadcast(broadcasted: Arr, original: Arr) -> Arr:
    """Sum a gradient that has the broadcast shape back to the shape of `original`.

    Broadcasting may have (1) added dimensions at the front and (2) stretched dimensions of
    size 1. Each copy contributed to the output, so their gradients add up: sum over the added
    dimensions (removing them), then over the stretched ones (keeping them, with size 1).
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `multiply_back0` — The backward of multiplication, first argument
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write `multiply_back0(grad_out, out, x, y)`: $\partial L / \partial x$ for $\text{out} = x \cdot y$, where `y` may be a number or an array that broadcasts with `x`. The result has `x`'s shape.
#
# Check it with `tests.test_multiply_back0(multiply_back0)`.


# %%
def multiply_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr | float) -> Arr:
    """Backward of out = x * y with respect to x. y may be a number or an array that
    broadcasts with x; the result has x's shape."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `multiply_back1` — The backward of multiplication, second argument
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write `multiply_back1(grad_out, out, x, y)`: $\partial L / \partial y$ for $\text{out} = x \cdot y$; `x` may be a number.
#
# Check it with `tests.test_multiply_back1(multiply_back1)`.


# %%
def multiply_back1(grad_out: Arr, out: Arr, x: Arr | float, y: Arr) -> Arr:
    """Backward of out = x * y with respect to y. x may be a number or an array that
    broadcasts with y; the result has y's shape."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `forward_and_back` — Backprop by hand
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–20 minutes
#
# For $g = \log(a \cdot b \cdot \log c)$, computed in the steps the docstring lists, return $(\partial g/\partial a, \partial g/\partial b, \partial g/\partial c)$ using your backward functions, starting from $\partial g / \partial g = 1$.
#
# Check it with `tests.test_forward_and_back(forward_and_back)`.


# %%
def forward_and_back(a: Arr, b: Arr, c: Arr) -> tuple[Arr, Arr, Arr]:
    """For g = log(a * b * log(c)), computed as d = a * b, e = log(c), f = d * e, g = log(f):
    return (dg/da, dg/db, dg/dc), where g's gradient with respect to itself is all ones.

    Use the backward functions above, from g back to the inputs, one step at a time.
    """
    raise NotImplementedError()


# %%
if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "part4_backprop")
