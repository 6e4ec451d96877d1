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


@exercise(
    title="The ideal digit: a mean image",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write `mean_image(images)`: `images` is a float tensor of shape `(n, h, w)`, a stack of
        `n` images of `h` rows and `w` columns. Return the pixel-wise mean, a float tensor of
        shape `(h, w)` whose pixel `[i, j]` is the mean of `images[k, i, j]` over the `n`
        images $k$. Do not change `images`.
    """,
    hints=(
        r"""
            Averaging the stack means averaging along the axis that counts images, and only
            that one: each pixel keeps its place.
        """,
        r"""
            A reduction takes the dimension to remove: `images.mean(0)` (or `dim=0`). A bare
            `.mean()` reduces every dimension to a single number.
        """,
    ),
)
def mean_image(images: Float[Tensor, "n h w"]) -> Float[Tensor, "h w"]:
    """The pixel-wise mean of a stack of images: shape (h, w)."""
    return images.mean(0)


@exercise(
    title="How far apart are two images?",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write `mnist_distance(a, b)`: the mean absolute difference between images, pixel by
        pixel. `b` is one image, shape `(h, w)`; `a` is one image of the same shape, or any
        stack of them, shape `(..., h, w)` (say `(n, h, w)` for a batch). Return a float tensor
        of shape `a.shape[:-2]`: for each image in `a`, the mean of $|a_{ij} - b_{ij}|$ over
        its $h \times w$ pixels. So one image gives a 0-dimensional tensor (shape `()`), and a
        batch of `n` gives shape `(n,)`. Average over the **last two** dimensions, whatever
        `h` and `w` are, and let broadcasting compare every image of `a` with `b`: no loop.
    """,
    hints=(
        r"""
            Subtracting `b` from `a` works for a whole batch at once: broadcasting lines up the
            last two dimensions and repeats `b` along the others. What is left is a mean over
            the pixels of each image, not over the batch.
        """,
        r"""
            Negative dimensions count from the end, so `(-1, -2)` names the two pixel axes
            whether `a` has 2, 3 or 4 dimensions: `.mean((-1, -2))`.
        """,
        r"""
            `(a - b).abs().mean((-1, -2))`.
        """,
    ),
)
def mnist_distance(a: Float[Tensor, "... h w"], b: Float[Tensor, "h w"]) -> Float[Tensor, "..."]:
    """Mean absolute difference between each image of `a` and the image `b`, over the last two
    (pixel) dimensions; shape a.shape[:-2]."""
    return (a - b).abs().mean((-1, -2))


@exercise(
    title="Is it a 3?",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write `is_three(x, mean3, mean7)`: `x` is one image `(h, w)` or a stack `(..., h, w)`,
        and `mean3`, `mean7` are the two ideal digits, each `(h, w)`. Return a **boolean**
        tensor of shape `x.shape[:-2]` that is `True` where the image is strictly closer to
        `mean3` than to `mean7`, by `mnist_distance` (defined above: use it). An image exactly
        as far from both (a tie) is not a 3.
    """,
    hints=(
        r"""
            Two distances per image, one to each ideal digit; the smaller one wins. Comparing
            two tensors of distances gives a tensor of booleans in one step.
        """,
        r"""
            `mnist_distance(x, mean3) < mnist_distance(x, mean7)`: strict `<`, so a tie is a 7.
        """,
    ),
)
def is_three(x: Float[Tensor, "... h w"], mean3: Float[Tensor, "h w"],
             mean7: Float[Tensor, "h w"]) -> Bool[Tensor, "..."]:
    """True where an image of x is closer to mean3 than to mean7 (by mnist_distance)."""
    return mnist_distance(x, mean3) < mnist_distance(x, mean7)


@exercise(
    title="Parameters to learn",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write `init_params(size, std=1.0, generator=None)`: a new float tensor of shape `size`
        (a tuple such as `(784, 1)`) holding `t.randn(size, generator=generator) * std`, which
        is normal noise with mean 0 and standard deviation `std`. Pass `generator` on to
        `t.randn`, so that a seeded generator gives the same numbers every time. The result
        must record gradients (`requires_grad` is `True`) and be a **leaf** of the graph (made
        by you, not computed from another tensor that requires gradients), so that after
        `loss.backward()` its `.grad` holds the gradient.
    """,
    hints=(
        r"""
            Autograd fills `.grad` only for leaves: tensors you created, not results of
            operations on tensors that require gradients. So draw and scale first, then switch
            gradient recording on.
        """,
        r"""
            `(t.randn(size, generator=generator) * std).requires_grad_()`: the trailing
            underscore means "in place" and returns the tensor itself.
        """,
    ),
)
def init_params(size: tuple[int, ...], std: float = 1.0,
                generator: t.Generator | None = None) -> Tensor:
    """Normal noise of shape `size` with standard deviation `std` (drawn with `generator`), as a
    leaf tensor that requires grad."""
    return (t.randn(size, generator=generator) * std).requires_grad_()


@exercise(
    title="A linear model",
    difficulty=1, importance=5, minutes=(5, 10),
    task=r"""
        Write `linear1(xb, weights, bias)`: `xb` is a batch of `n` flattened images, shape
        `(n, d)`; `weights` has shape `(d, 1)`; `bias` has shape `(1,)` (or is a 0-dimensional
        tensor). Return $x W + b$, shape `(n, 1)`: row $i$ is
        $\sum_j x_{ij} W_{j0} + b$, the weighted sum of image $i$'s pixels plus the bias. Keep
        it differentiable (no `.detach()`, `.data` or `t.no_grad()`), since the training loop
        will call `backward()` through it.
    """,
    hints=(
        r"""
            A weighted sum of every row of a matrix with the same weights is a matrix product;
            the bias is one number added to every row.
        """,
        r"""
            `xb @ weights + bias`: `@` is the matrix product, `(n, d) @ (d, 1) -> (n, 1)`, and
            broadcasting adds the bias to each of the `n` rows. `xb * weights` would multiply
            elementwise instead.
        """,
    ),
)
def linear1(xb: Float[Tensor, "n d"], weights: Float[Tensor, "d 1"],
            bias: Float[Tensor, "1"]) -> Float[Tensor, "n 1"]:
    """The linear model xb @ weights + bias: one number (a logit) per row of xb."""
    return xb @ weights + bias


@exercise(
    title="A loss that can be learned from",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write `mnist_loss(predictions, targets)`: `predictions` are the linear model's outputs
        (logits, any real numbers), shape `(n, 1)`; `targets` are `1.0` for a 3 and `0.0` for a
        7, shape `(n, 1)`. Squash the predictions to probabilities
        $p = \sigma(x) = 1 / (1 + e^{-x})$ (`t.sigmoid`), then return the mean over the `n`
        images of $1 - p$ where the target is 1 and $p$ where it is 0: how far each probability
        is from being right. The result is a 0-dimensional tensor (shape `()`) that autograd
        can differentiate (no `.item()`, no `.detach()`).
    """,
    hints=(
        r"""
            First turn logits into probabilities, then pick per image the distance from the
            right answer: $1 - p$ for a 3, $p$ for a 7. Keep the shapes equal: `(n, 1)` with
            `(n, 1)`.
        """,
        r"""
            `p = predictions.sigmoid()`, then `t.where(targets == 1, 1 - p, p).mean()`. If one
            of the two were `(n,)` and the other `(n, 1)`, `t.where` would broadcast them to an
            `(n, n)` grid and average the wrong numbers.
        """,
    ),
)
def mnist_loss(predictions: Float[Tensor, "n 1"], targets: Float[Tensor, "n 1"]) -> Tensor:
    """Mean over the batch of 1 - sigmoid(prediction) for a 3 (target 1) and sigmoid(prediction)
    for a 7 (target 0): a 0-dimensional tensor."""
    p = predictions.sigmoid()
    return t.where(targets == 1, 1 - p, p).mean()


@exercise(
    title="Batch accuracy",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write `batch_accuracy(predictions, targets)`: `predictions` are logits of shape
        `(n, 1)`, `targets` are `1.0` (a 3) or `0.0` (a 7), shape `(n, 1)`. The model predicts
        a 3 where $\sigma(x) > 0.5$ (equivalently $x > 0$; a logit of exactly 0, probability
        0.5, counts as a 7). Return the **fraction** of the `n` predictions that match their
        targets, as a 0-dimensional float tensor between 0 and 1 (shape `()`). It is a
        measurement, so it need not be differentiable.
    """,
    hints=(
        r"""
            Threshold each probability to get a verdict (3 or not), compare the verdicts with
            the targets, and average the matches: a mean of 0s and 1s is a fraction.
        """,
        r"""
            `correct = (predictions.sigmoid() > 0.5) == (targets == 1)` is a boolean `(n, 1)`
            tensor; `.float().mean()` turns it into the fraction (a boolean tensor has no
            mean).
        """,
    ),
)
def batch_accuracy(predictions: Float[Tensor, "n 1"], targets: Float[Tensor, "n 1"]) -> Tensor:
    """The fraction of predictions (logits) whose verdict, sigmoid > 0.5 meaning a 3, matches
    the targets (1.0 for a 3): a 0-dimensional float tensor."""
    correct = (predictions.sigmoid() > 0.5) == (targets == 1)
    return correct.float().mean()


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
        $p \leftarrow p - \mathrm{lr}\cdot\nabla_p L$ where $\nabla_p L$ (the gradient of the
        batch's loss) is `p.grad`, *in place* (the model holds these very tensors) and without
        autograd recording the step, then reset `p.grad` to zeros (or `None`) so the next
        batch's gradient does not pile onto this one's. (Resetting at the start of each batch,
        before `calc_grad`, is just as right; there `.grad` is still `None` before the first
        batch.) Return nothing.

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
            `backward()` adds to `.grad`, so each gradient must be cleared once its step has
            used it, and never between `calc_grad` and that step, or the step moves nothing.
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
            The slope and the intercept are the model's two parameters, and the loss is a
            function of them. Each step moves both a little downhill, against the loss's
            gradient at the current $(a, b)$, so both derivatives must be computed before
            either parameter changes.
        """,
        r"""
            By hand: with the residuals $r_i = a x_i + b - y_i$, the chain rule gives
            $\partial L / \partial a = \frac{2}{n} \sum_i r_i x_i$ and
            $\partial L / \partial b = \frac{2}{n} \sum_i r_i$.
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
