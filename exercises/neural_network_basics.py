# %% [markdown]
# # Chapter 2: Neural-network basics — exercises
#
# Tell 3s from 7s without learning, then with a linear model and a small net trained by SGD you write yourself; fit lines and curves to see under- and overfitting; watch a tiny network bend space.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/neural_network_basics.py
#
# or one test per exercise with `pytest exercises/neural_network_basics.py`, or call one check yourself, e.g. `tests.test_mean_image(mean_image)`.
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

from utils.checks import neural_network_basics as tests


# %% [markdown]
# ## A baseline without learning
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/neural_network_basics_baseline)


# %% [markdown]
# ### Exercise: `mean_image` — The ideal digit: a mean image
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `mean_image(images)`: `images` is a float tensor of shape `(n, h, w)`, a stack of
# `n` images of `h` rows and `w` columns. Return the pixel-wise mean, a float tensor of
# shape `(h, w)` whose pixel `[i, j]` is the mean of `images[k, i, j]` over the `n`
# images $k$. Do not change `images`.
#
# Check it with `tests.test_mean_image(mean_image)`.


# %%
def mean_image(images: Float[Tensor, "n h w"]) -> Float[Tensor, "h w"]:
    """The pixel-wise mean of a stack of images: shape (h, w)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `mnist_distance` — How far apart are two images?
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `mnist_distance(a, b)`: the mean absolute difference between images, pixel by
# pixel. `b` is one image, shape `(h, w)`; `a` is one image of the same shape, or any
# stack of them, shape `(..., h, w)` (say `(n, h, w)` for a batch). Return a float tensor
# of shape `a.shape[:-2]`: for each image in `a`, the mean of $|a_{ij} - b_{ij}|$ over
# its $h \times w$ pixels. So one image gives a 0-dimensional tensor (shape `()`), and a
# batch of `n` gives shape `(n,)`. Average over the **last two** dimensions, whatever
# `h` and `w` are, and let broadcasting compare every image of `a` with `b`: no loop.
#
# Check it with `tests.test_mnist_distance(mnist_distance)`.


# %%
def mnist_distance(a: Float[Tensor, "... h w"], b: Float[Tensor, "h w"]) -> Float[Tensor, "..."]:
    """Mean absolute difference between each image of `a` and the image `b`, over the last two
    (pixel) dimensions; shape a.shape[:-2]."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `is_three` — Is it a 3?
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `is_three(x, mean3, mean7)`: `x` is one image `(h, w)` or a stack `(..., h, w)`,
# and `mean3`, `mean7` are the two ideal digits, each `(h, w)`. Return a **boolean**
# tensor of shape `x.shape[:-2]` that is `True` where the image is strictly closer to
# `mean3` than to `mean7`, by `mnist_distance` (defined above: use it). An image exactly
# as far from both (a tie) is not a 3.
#
# Check it with `tests.test_is_three(is_three)`.


# %%
def is_three(x: Float[Tensor, "... h w"], mean3: Float[Tensor, "h w"],
             mean7: Float[Tensor, "h w"]) -> Bool[Tensor, "..."]:
    """True where an image of x is closer to mean3 than to mean7 (by mnist_distance)."""
    raise NotImplementedError()


# %% [markdown]
# ## A linear model from scratch
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/neural_network_basics_linear_model)


# %% [markdown]
# ### Exercise: `init_params` — Parameters to learn
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `init_params(size, std=1.0, generator=None)`: a new float tensor of shape `size`
# (a tuple such as `(784, 1)`) holding `t.randn(size, generator=generator) * std`, which
# is normal noise with mean 0 and standard deviation `std`. Pass `generator` on to
# `t.randn`, so that a seeded generator gives the same numbers every time. The result
# must record gradients (`requires_grad` is `True`) and be a **leaf** of the graph (made
# by you, not computed from another tensor that requires gradients), so that after
# `loss.backward()` its `.grad` holds the gradient.
#
# Check it with `tests.test_init_params(init_params)`.


# %%
def init_params(size: tuple[int, ...], std: float = 1.0,
                generator: t.Generator | None = None) -> Tensor:
    """Normal noise of shape `size` with standard deviation `std` (drawn with `generator`), as a
    leaf tensor that requires grad."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `linear1` — A linear model
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 5–10 minutes
#
# Write `linear1(xb, weights, bias)`: `xb` is a batch of `n` flattened images, shape
# `(n, d)`; `weights` has shape `(d, 1)`; `bias` has shape `(1,)` (or is a 0-dimensional
# tensor). Return $x W + b$, shape `(n, 1)`: row $i$ is
# $\sum_j x_{ij} W_{j0} + b$, the weighted sum of image $i$'s pixels plus the bias. Keep
# it differentiable (no `.detach()`, `.data` or `t.no_grad()`), since the training loop
# will call `backward()` through it.
#
# Check it with `tests.test_linear1(linear1)`.


# %%
def linear1(xb: Float[Tensor, "n d"], weights: Float[Tensor, "d 1"],
            bias: Float[Tensor, "1"]) -> Float[Tensor, "n 1"]:
    """The linear model xb @ weights + bias: one number (a logit) per row of xb."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `mnist_loss` — A loss that can be learned from
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `mnist_loss(predictions, targets)`: `predictions` are the linear model's outputs
# (logits, any real numbers), shape `(n, 1)`; `targets` are `1.0` for a 3 and `0.0` for a
# 7, shape `(n, 1)`. Squash the predictions to probabilities
# $p = \sigma(x) = 1 / (1 + e^{-x})$ (`t.sigmoid`), then return the mean over the `n`
# images of $1 - p$ where the target is 1 and $p$ where it is 0: how far each probability
# is from being right. The result is a 0-dimensional tensor (shape `()`) that autograd
# can differentiate (no `.item()`, no `.detach()`).
#
# Check it with `tests.test_mnist_loss(mnist_loss)`.


# %%
def mnist_loss(predictions: Float[Tensor, "n 1"], targets: Float[Tensor, "n 1"]) -> Tensor:
    """Mean over the batch of 1 - sigmoid(prediction) for a 3 (target 1) and sigmoid(prediction)
    for a 7 (target 0): a 0-dimensional tensor."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `batch_accuracy` — Batch accuracy
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `batch_accuracy(predictions, targets)`: `predictions` are logits of shape
# `(n, 1)`, `targets` are `1.0` (a 3) or `0.0` (a 7), shape `(n, 1)`. The model predicts
# a 3 where $\sigma(x) > 0.5$ (equivalently $x > 0$; a logit of exactly 0, probability
# 0.5, counts as a 7). Return the **fraction** of the `n` predictions that match their
# targets, as a 0-dimensional float tensor between 0 and 1 (shape `()`). It is a
# measurement, so it need not be differentiable.
#
# Check it with `tests.test_batch_accuracy(batch_accuracy)`.


# %%
def batch_accuracy(predictions: Float[Tensor, "n 1"], targets: Float[Tensor, "n 1"]) -> Tensor:
    """The fraction of predictions (logits) whose verdict, sigmoid > 0.5 meaning a 3, matches
    the targets (1.0 for a 3): a 0-dimensional float tensor."""
    raise NotImplementedError()


# %% [markdown]
# ## The training loop
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/neural_network_basics_training)


# %% [markdown]
# ### Exercise: `calc_grad` — One batch's gradients
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 5–10 minutes
#
# Write `calc_grad(xb, yb, model)`: run `model` on the batch `xb` (a float tensor of shape
# `(n, d)`), compute `mnist_loss` of those predictions (shape `(n, 1)`) against the targets
# `yb` (shape `(n, 1)`, 1.0 or 0.0), and call `backward()` on the loss. Return nothing.
#
# `model` is any function of one argument, e.g. `lambda xb: linear1(xb, weights, bias)`,
# so `calc_grad` never sees the parameters: after it returns, each parameter the model
# used holds the gradient of this batch's loss in its `.grad`, *added to* whatever was
# there before (that is what `backward()` does; don't reset anything here).
#
# Check it with `tests.test_calc_grad(calc_grad)`.


# %%
def calc_grad(xb: Float[Tensor, "n d"], yb: Float[Tensor, "n 1"], model) -> None:
    """Add the gradient of mnist_loss(model(xb), yb) to the .grad of every parameter model uses."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `train_epoch` — One epoch of SGD
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `train_epoch(model, lr, params, dl)`: one pass over the batches of `dl` (an
# iterable of `(xb, yb)` pairs). For each batch, in order: call `calc_grad(xb, yb, model)`,
# then for each tensor `p` in `params` step it against its gradient,
# $p \leftarrow p - \mathrm{lr}\cdot\nabla_p L$ where $\nabla_p L$ (the gradient of the
# batch's loss) is `p.grad`, *in place* (the model holds these very tensors) and without
# autograd recording the step, then reset `p.grad` to zeros (or `None`) so the next
# batch's gradient does not pile onto this one's. (Resetting at the start of each batch,
# before `calc_grad`, is just as right; there `.grad` is still `None` before the first
# batch.) Return nothing.
#
# `params` are leaf tensors with `requires_grad=True` (from `init_params`), and `lr` is a
# positive float.
#
# Check it with `tests.test_train_epoch(train_epoch)`.


# %%
def train_epoch(model, lr: float, params: list[Tensor], dl) -> None:
    """One epoch of SGD over the batches of dl, stepping each of params by -lr * its gradient."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `BasicOptim` — An optimizer of your own
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write a class `BasicOptim`: `BasicOptim(params, lr)` keeps the parameters (any iterable of
# leaf tensors that require grad; it may be a generator, which can be read only once) and
# the learning rate. It has two methods, each returning nothing:
#
# - `step()`: every parameter `p` becomes $p - \mathrm{lr}\cdot$ `p.grad`, in place and
#   without autograd recording it (every parameter has a `.grad` when `step` is called);
# - `zero_grad()`: every parameter's gradient is reset, either to `None` or to zeros of the
#   parameter's shape. Some parameters may still have `p.grad is None` (they have not been
#   used yet): that must not fail.
#
# So `train_epoch`'s inner loop becomes `calc_grad(...)`, `opt.step()`, `opt.zero_grad()`.
#
# Check it with `tests.test_BasicOptim(BasicOptim)`.


# %%
class BasicOptim:
    """Plain SGD over a fixed list of parameters."""

    def __init__(self, params, lr: float):
        raise NotImplementedError()

    def step(self) -> None:
        raise NotImplementedError()

    def zero_grad(self) -> None:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `simple_net` — A neural net from scratch
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 5–10 minutes
#
# Write `simple_net(xb, w1, b1, w2, b2)`: two linear layers with a ReLU between them,
# $\mathrm{ReLU}(x_b W_1 + b_1)\,W_2 + b_2$, where $\mathrm{ReLU}(z) = \max(z, 0)$
# elementwise. Shapes: `xb` is `(n, d)`, `w1` is `(d, h)`, `b1` is `(h,)`, `w2` is
# `(h, 1)` and `b2` is `(1,)`; return the `(n, 1)` output. The ReLU goes between the
# layers only: the output is a raw score, which `mnist_loss` passes through a sigmoid.
# Gradients must flow back to all four parameters.
#
# Check it with `tests.test_simple_net(simple_net)`.


# %%
def simple_net(xb: Float[Tensor, "n d"], w1: Float[Tensor, "d h"], b1: Float[Tensor, "h"],
               w2: Float[Tensor, "h 1"], b2: Float[Tensor, "1"]) -> Float[Tensor, "n 1"]:
    """Linear, ReLU, linear: one raw score per row of xb."""
    raise NotImplementedError()


# %% [markdown]
# ## Tabular data
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/neural_network_basics_tabular)


# %% [markdown]
# ### Exercise: `one_hot` — Categories as one-hot columns
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write `one_hot(values, levels)`: `values` is a list of $n$ category values (strings or
# numbers, one per row; `None` where the value is missing) and `levels` a list of $k$
# distinct levels. Return a float32 tensor of shape `(n, k)` whose row $i$ has 1.0 in
# column $j$ where `values[i] == levels[j]` and 0.0 elsewhere, with the columns in the
# order of `levels` (don't sort them). A value that is not among the levels, such as
# `None`, gives a row of zeros.
#
# Check it with `tests.test_one_hot(one_hot)`.


# %%
def one_hot(values: list, levels: list) -> Float[Tensor, "n k"]:
    """One column per level, in the order of levels: 1.0 where the row's value is that level."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `standardize` — Scale columns with the training set's statistics
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `standardize(train, valid)`: `train` is an `(n, d)` float tensor with $n \ge 2$
# (one row per example, one column per feature) and `valid` an `(m, d)` one. Return a tuple
# `(train_scaled, valid_scaled)` of new tensors of the same shapes and dtype, where column
# $j$ of *both* becomes $(x - \mu_j) / \sigma_j$ with $\mu_j$ and $\sigma_j$ the mean and
# standard deviation of column $j$ **of `train` only** (either the $n-1$ or the $n$
# version of the standard deviation is fine). Where $\sigma_j = 0$ (a column constant
# in `train`), divide by 1 instead, so that no NaN or infinity appears. Don't change the
# tensors you are given.
#
# Check it with `tests.test_standardize(standardize)`.


# %%
def standardize(train: Float[Tensor, "n d"], valid: Float[Tensor, "m d"]
                ) -> tuple[Float[Tensor, "n d"], Float[Tensor, "m d"]]:
    """Both sets scaled column by column with the mean and std of train (std 0 counts as 1)."""
    raise NotImplementedError()


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
