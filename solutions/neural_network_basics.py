"""Reference solutions for chapter 2: neural-network basics.

The source of truth for `exercises/neural_network_basics.py` and its notebooks (`python -m
utils.codegen`); the prose around each exercise is in `pages/neural_network_basics/<n>_<key>.md`.

Conventions used throughout the chapter (fastbook's, so its lesson reads alongside):
- An image is a 28 x 28 float tensor with values in [0, 1]; a batch of them is flattened to rows of
  784 pixels before a linear model sees it.
- Targets are float tensors of shape (n, 1): 1.0 for a 3, 0.0 for a 7 (and 1.0 / 0.0 for the
  positive / negative class of the tabular task).
"""

import torch as t  # noqa: F401 - for the learner's own tensor work
from jaxtyping import Bool, Float  # noqa: F401
from torch import Tensor  # noqa: F401

from utils.exercise_meta import exercise  # noqa: F401


# === Section 1 (baseline) and section 2 (linear model): mean_image ... batch_accuracy =========

# STAND-IN (branch nn-training only): the FIXED functions of sections 1-2 that sections 3-4 call,
# so this branch runs on its own. At the merge, take branch nn-digits' version of this region.
def init_params(size, std=1.0, generator=None):
    return (t.randn(size, generator=generator) * std).requires_grad_()


def linear1(xb, weights, bias):
    return xb @ weights + bias


def mnist_loss(predictions, targets):
    predictions = predictions.sigmoid()
    return t.where(targets == 1, 1 - predictions, predictions).mean()


def batch_accuracy(predictions, targets):
    return ((predictions.sigmoid() > 0.5) == targets).float().mean()


# === end of sections 1-2 =======================================================================


# === Section 3 (training) and section 4 (tabular): calc_grad ... ===============================


@exercise(
    title="One batch's gradients",
    difficulty=1, importance=5, minutes=(5, 10),
    task=r"""
        Write `calc_grad(xb, yb, model)`: run `model` on the batch `xb` (a float tensor of shape
        `(n, d)`), compute `mnist_loss` of those predictions (shape `(n, 1)`) against the targets
        `yb` (shape `(n, 1)`, 1.0 or 0.0), and call `backward()` on the loss. Return nothing.

        `model` is any function of one argument, e.g. `lambda xb: linear1(xb, weights, bias)`,
        so `calc_grad` never sees the parameters: after it returns, each parameter the model
        used holds the gradient of this batch's loss in its `.grad`, *added to* whatever was
        there before (that is what `backward()` does; don't reset anything here).
    """,
    hints=(
        r"""
            Three lines, the second, third and fourth of the seven steps: predict, measure the
            loss, and ask autograd for the gradient.
        """,
        r"""
            `preds = model(xb)`, then `loss = mnist_loss(preds, yb)` (predictions first), then
            `loss.backward()`.
        """,
    ),
)
def calc_grad(xb: Float[Tensor, "n d"], yb: Float[Tensor, "n 1"], model) -> None:
    """Add the gradient of mnist_loss(model(xb), yb) to the .grad of every parameter model uses."""
    predictions = model(xb)
    loss = mnist_loss(predictions, yb)
    loss.backward()


@exercise(
    title="One epoch of SGD",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write `train_epoch(model, lr, params, dl)`: one pass over the batches of `dl` (an
        iterable of `(xb, yb)` pairs). For each batch, in order: call `calc_grad(xb, yb, model)`,
        then for each tensor `p` in `params` step it against its gradient,
        $p \leftarrow p - \mathrm{lr}\cdot\nabla p$, *in place* (the model holds these very
        tensors) and without autograd recording the step, then reset `p.grad` to zeros (or `None`) so the next
        batch's gradient does not pile onto this one's. Return nothing.

        `params` are leaf tensors with `requires_grad=True` (from `init_params`), and `lr` is a
        positive float.
    """,
    hints=(
        r"""
            The step must change each tensor's values without becoming part of the graph autograd
            builds for the next batch: either work on `p.data`, or wrap the update in
            `with t.no_grad():`.
        """,
        r"""
            `backward()` adds to `.grad`; so zero it *after* the step that uses it, not before.
        """,
        r"""
            `for xb, yb in dl:` then `calc_grad(xb, yb, model)`, then `for p in params:
            p.data -= lr * p.grad` and `p.grad.zero_()`.
        """,
    ),
)
def train_epoch(model, lr: float, params: list[Tensor], dl) -> None:
    """One epoch of SGD over the batches of dl, stepping each of params by -lr * its gradient."""
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        for p in params:
            p.data -= lr * p.grad
            p.grad.zero_()


@exercise(
    title="An optimizer of your own",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write a class `BasicOptim`: `BasicOptim(params, lr)` keeps the parameters (any iterable of
        leaf tensors that require grad; it may be a generator, which can be read only once) and
        the learning rate. It has two methods, each returning nothing:

        - `step()`: every parameter `p` becomes $p - \mathrm{lr}\cdot$ `p.grad`, in place and
          without autograd recording it (every parameter has a `.grad` when `step` is called);
        - `zero_grad()`: every parameter's gradient is reset, either to `None` or to zeros of the
          parameter's shape. Some parameters may still have `p.grad is None` (they have not been
          used yet): that must not fail.

        So `train_epoch`'s inner loop becomes `calc_grad(...)`, `opt.step()`, `opt.zero_grad()`.
    """,
    hints=(
        r"""
            A generator is used up after one pass, so store the parameters as a list in
            `__init__`.
        """,
        r"""
            `step` is the update of `train_epoch`. For `zero_grad`, setting `p.grad = None` is
            what PyTorch's own optimizers do by default: it needs no special case for a `None`
            gradient.
        """,
    ),
)
class BasicOptim:
    """Plain SGD over a fixed list of parameters."""

    def __init__(self, params, lr: float):
        self.params, self.lr = list(params), lr

    def step(self) -> None:
        for p in self.params:
            p.data -= self.lr * p.grad.data

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None


@exercise(
    title="A neural net from scratch",
    difficulty=1, importance=5, minutes=(5, 10),
    task=r"""
        Write `simple_net(xb, w1, b1, w2, b2)`: two linear layers with a ReLU between them,
        $\mathrm{ReLU}(x_b W_1 + b_1)\,W_2 + b_2$, where $\mathrm{ReLU}(z) = \max(z, 0)$
        elementwise. Shapes: `xb` is `(n, d)`, `w1` is `(d, h)`, `b1` is `(h,)`, `w2` is
        `(h, 1)` and `b2` is `(1,)`; return the `(n, 1)` output. The ReLU goes between the
        layers only: the output is a raw score, which `mnist_loss` passes through a sigmoid.
        Gradients must flow back to all four parameters.
    """,
    hints=(
        r"""
            Without the ReLU, two linear layers in a row collapse into one linear layer; the
            nonlinearity between them is what makes the net more than a linear model.
        """,
        r"""
            `hidden = xb @ w1 + b1`, then `hidden.clamp(min=0)` (or `hidden.relu()`, or
            `hidden.max(t.tensor(0.0))`), then `@ w2 + b2`.
        """,
    ),
)
def simple_net(xb: Float[Tensor, "n d"], w1: Float[Tensor, "d h"], b1: Float[Tensor, "h"],
               w2: Float[Tensor, "h 1"], b2: Float[Tensor, "1"]) -> Float[Tensor, "n 1"]:
    """Linear, ReLU, linear: one raw score per row of xb."""
    hidden = (xb @ w1 + b1).clamp(min=0)
    return hidden @ w2 + b2


@exercise(
    title="Categories as one-hot columns",
    difficulty=1, importance=3, minutes=(5, 10),
    task=r"""
        Write `one_hot(values, levels)`: `values` is a list of $n$ category values (strings or
        numbers, one per row; `None` where the value is missing) and `levels` a list of $k$
        distinct levels. Return a float32 tensor of shape `(n, k)` whose row $i$ has 1.0 in
        column $j$ where `values[i] == levels[j]` and 0.0 elsewhere, with the columns in the
        order of `levels` (don't sort them). A value that is not among the levels, such as
        `None`, gives a row of zeros.
    """,
    hints=(
        r"""
            Each level becomes a yes/no question asked of every row: "is this row's value that
            level?". A missing value answers no to every question.
        """,
        r"""
            `t.tensor([[float(v == level) for level in levels] for v in values])`, or start
            from `t.zeros(len(values), len(levels))` and set one 1.0 per row where
            `levels.index(v)` finds it. For `n = 0`, give the shape explicitly.
        """,
    ),
)
def one_hot(values: list, levels: list) -> Float[Tensor, "n k"]:
    """One column per level, in the order of levels: 1.0 where the row's value is that level."""
    out = t.zeros(len(values), len(levels))
    for i, value in enumerate(values):
        if value in levels:
            out[i, levels.index(value)] = 1.0
    return out


@exercise(
    title="Scale columns with the training set's statistics",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `standardize(train, valid)`: `train` is an `(n, d)` float tensor with $n \ge 2$
        (one row per example, one column per feature) and `valid` an `(m, d)` one. Return a tuple
        `(train_scaled, valid_scaled)` of new tensors of the same shapes and dtype, where column
        $j$ of *both* becomes $(x - \mu_j) / \sigma_j$ with $\mu_j$ and $\sigma_j$ the mean and
        standard deviation of column $j$ **of `train` only** (either the $n-1$ or the $n$
        version of the standard deviation is fine). Where $\sigma_j = 0$ (a column constant
        in `train`), divide by 1 instead, so that no NaN or infinity appears. Don't change the
        tensors you are given.
    """,
    hints=(
        r"""
            The validation set stands in for data the model has never seen, so nothing about it
            may shape the model or its inputs: its columns are scaled with numbers measured on
            the training rows.
        """,
        r"""
            Statistics per column means reducing over the rows: `train.mean(0)` and
            `train.std(0)`, each of shape `(d,)`, broadcast against `(n, d)` and `(m, d)`.
        """,
        r"""
            `t.where(std == 0, t.ones_like(std), std)` replaces the zero standard deviations.
        """,
    ),
)
def standardize(train: Float[Tensor, "n d"], valid: Float[Tensor, "m d"]
                ) -> tuple[Float[Tensor, "n d"], Float[Tensor, "m d"]]:
    """Both sets scaled column by column with the mean and std of train (std 0 counts as 1)."""
    mean, std = train.mean(0), train.std(0)
    std = t.where(std == 0, t.ones_like(std), std)
    return (train - mean) / std, (valid - mean) / std


# === end of sections 3-4 =======================================================================


# === Section 5 (best fit) and section 6 (warping): fit_line, layer_outputs ====================



# === end of sections 5-6 =======================================================================
