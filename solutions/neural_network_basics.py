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



# === end of sections 1-2 =======================================================================


# === Section 3 (training) and section 4 (tabular): calc_grad ... ===============================



# === end of sections 3-4 =======================================================================


# === Section 5 (best fit) and section 6 (warping): fit_line, layer_outputs ====================


@exercise(
    title="A line of best fit by gradient descent",
    difficulty=2, importance=4, minutes=(15, 25),
    task=r"""
        Write `fit_line(x, y, lr, steps) -> tuple[float, float]`, where `x` and `y` are float
        tensors of shape `(n,)`. Fit the line $\hat y = a x + b$ by plain gradient descent on the
        mean squared error
        $L(a, b) = \frac{1}{n} \sum_i (a x_i + b - y_i)^2$:
        start from $a = 0$, $b = 0$ (not from random values), then `steps` times compute both
        partial derivatives at the current $(a, b)$ and set
        $a \leftarrow a - \text{lr} \cdot \partial L / \partial a$ and
        $b \leftarrow b - \text{lr} \cdot \partial L / \partial b$.
        Return `(a, b)`, the slope first, as two Python floats (`steps = 0` returns `(0.0, 0.0)`).
        Use autograd or derive the two derivatives by hand: both pass. Leave `x` and `y` as they
        are.
    """,
    hints=(
        r"""
            The slope and the intercept are the model's two parameters: each step moves both a
            little downhill on the loss, using the slope of the loss at the point where they both
            are now.
        """,
        r"""
            By hand: with the residuals $r_i = a x_i + b - y_i$,
            $\partial L / \partial a = \frac{2}{n} \sum_i r_i x_i$ and
            $\partial L / \partial b = \frac{2}{n} \sum_i r_i$. Compute both before you change
            either.
        """,
        r"""
            With autograd: `a = t.zeros((), requires_grad=True)` (and `b` alike); each step
            `loss.backward()`, then inside `with t.no_grad():` subtract `lr * a.grad` and zero
            the gradient (`a.grad.zero_()`), or the next step adds to this one's. Return
            `a.item(), b.item()`.
        """,
    ),
)
def fit_line(x: Float[Tensor, "n"], y: Float[Tensor, "n"], lr: float,
             steps: int) -> tuple[float, float]:
    """Slope and intercept of the line fitted to the points (x, y) by `steps` steps of gradient
    descent at rate `lr` on the mean squared error, from slope 0 and intercept 0."""
    slope = t.zeros((), requires_grad=True)
    intercept = t.zeros((), requires_grad=True)
    for _ in range(steps):
        loss = ((slope * x + intercept - y) ** 2).mean()
        loss.backward()
        with t.no_grad():
            for param in (slope, intercept):
                param -= lr * param.grad
                param.grad.zero_()
    return slope.item(), intercept.item()


@exercise(
    title="The plane after each layer",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `layer_outputs(model, grid) -> list[Tensor]`: `model` is an `nn.Sequential` and
        `grid` a float tensor of shape `(n, 2)` (points of the plane). Return a list with one
        tensor per layer of `model`, in order: entry $i$ is what layer $i$ outputs when `grid` is
        passed through the layers $0, \dots, i$, so the last entry is `model(grid)`. The input
        itself is **not** in the list, so it has `len(model)` entries. The layers are
        `model`'s direct entries (what `for layer in model` gives): a layer that is itself a
        `Sequential` counts as one. Compute them without tracking gradients (no entry may have
        `requires_grad`), and leave `grid` unchanged.
    """,
    hints=(
        r"""
            A `Sequential` is a chain: feed the grid to the first layer, its output to the
            second, and so on, keeping each output as you go.
        """,
        r"""
            `for layer in model:` walks the direct entries in order. Inside `with t.no_grad():`,
            `h = layer(h)` then `outputs.append(h)`, starting from `h = grid`.
        """,
    ),
)
def layer_outputs(model: t.nn.Sequential, grid: Float[Tensor, "n 2"]) -> list[Tensor]:
    """The points `grid` after each layer of `model` (not including the input): entry i is the
    output of model[: i + 1], computed without gradient tracking."""
    outputs = []
    h = grid
    with t.no_grad():
        for layer in model:
            h = layer(h)
            outputs.append(h)
    return outputs


# === end of sections 5-6 =======================================================================
