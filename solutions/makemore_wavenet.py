"""Reference solutions for chapter 4.5: makemore, part 5 — a WaveNet-style hierarchical model.

The source of truth for `exercises/makemore_wavenet.py` and its notebooks (`python -m
utils.codegen`); the prose around each exercise is in `pages/makemore_wavenet/<n>_<key>.md`.

Layers follow chapter 4.3's convention (a class per layer, called on a tensor, keeping its output
in `.out`, listing its tensors in `parameters()`, and a `training` flag where it behaves
differently in training and evaluation). `Linear` and `Tanh` are chapter 4.3's. Contexts are 8
symbols long (chapter 4.2's `build_dataset` with `block_size=8`).
"""

from typing import Callable

import torch
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor

from solutions.makemore_activations import Linear, Tanh  # noqa: F401  (chapter 4.3's layers)
from utils.exercise_meta import exercise  # noqa: F401


# ==============================================================================================
# Sections 1-3: layers as modules, FlattenConsecutive, batch norm over (N, T, C)


@exercise(
    title="An Embedding layer",
    difficulty=1, importance=3, minutes=(5, 10),
    task=r"""
        Write the class `Embedding(num_embeddings, embedding_dim, generator=None)`, chapter
        4.2's table `C` as a layer.

        - `__init__` sets `self.weight` to `torch.randn((num_embeddings, embedding_dim),
          generator=generator)` (float32, not scaled; draw nothing else from the generator).
        - Calling the layer on an int64 tensor of indices `ix` of any shape, `(B,)`, `(B, T)`
          or more, returns the rows of `weight` that `ix` names: shape `ix.shape +
          (embedding_dim,)`, `out[b, t] == weight[ix[b, t]]`. It also keeps the result in
          `self.out`.
        - `parameters()` returns `[self.weight]`: a list holding the weight tensor itself.
    """,
    hints=(
        r"""
            Chapter 4.2 looked embeddings up with `C[X]`: indexing a tensor with an integer
            tensor gives one row per index, whatever the index tensor's shape.
        """,
        r"""
            `self.out = self.weight[ix]`, then `return self.out`.
        """,
    ),
)
class Embedding:
    """A learned vector per symbol: `weight[ix]` for indices of any shape."""

    def __init__(self, num_embeddings: int, embedding_dim: int,
                 generator: torch.Generator | None = None):
        self.weight = torch.randn((num_embeddings, embedding_dim), generator=generator)

    def __call__(self, ix: Int[Tensor, "*batch"]) -> Float[Tensor, "*batch dim"]:
        """The rows of `weight` named by `ix`, kept in `self.out`."""
        self.out = self.weight[ix]
        return self.out

    def parameters(self) -> list[Tensor]:
        """`[weight]`."""
        return [self.weight]


@exercise(
    title="Sequential",
    difficulty=1, importance=3, minutes=(5, 10),
    task=r"""
        Write the class `Sequential(layers)`, a container that makes a list of layers one
        model.

        - `__init__` keeps the list as `self.layers` (other code walks it: the shape trace,
          switching batch norm to evaluation mode).
        - Calling it on `x` passes `x` through each layer in list order (the output of one is
          the input of the next), keeps the final result in `self.out` and returns it. With
          no layers, it returns `x` unchanged.
        - `parameters()` returns every layer's parameters in one flat list: the first layer's
          in its own order, then the second layer's, and so on (the tensors themselves, not
          copies; `[]` when no layer has any).
    """,
    hints=(
        r"""
            A loop that rebinds one name does the chaining: `x = layer(x)` for each layer.
        """,
        r"""
            Each `layer.parameters()` is a list; `+` them together, or flatten with a
            comprehension with two `for`s: `[p for layer in self.layers for p in
            layer.parameters()]`.
        """,
    ),
)
class Sequential:
    """Layers applied one after another, as one model with one list of parameters."""

    def __init__(self, layers: list):
        self.layers = layers

    def __call__(self, x: Tensor) -> Tensor:
        """x through every layer in order; the last output, kept in `self.out`."""
        for layer in self.layers:
            x = layer(x)
        self.out = x
        return self.out

    def parameters(self) -> list[Tensor]:
        """Every layer's parameters, in layer order, as one flat list."""
        return [p for layer in self.layers for p in layer.parameters()]


@exercise(
    title="FlattenConsecutive",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write the class `FlattenConsecutive(n)`, the layer that merges neighbours.

        - Called on `x` of shape `(B, T, C)`, with `T` divisible by `n`, it returns a tensor
          of shape `(B, T // n, C * n)` whose position `j` is the concatenation of the
          vectors of the `n` consecutive positions `j*n, j*n + 1, ..., j*n + n - 1` of `x`,
          in that order: `out[b, j] == torch.cat([x[b, j*n + k] for k in range(n)])`.
        - When `T // n` is 1 (all positions merged into one), it returns shape `(B, C * n)`
          instead: only that middle dimension goes, never the batch dimension, even when
          `B` is 1.
        - It keeps the result in `self.out`; `parameters()` returns `[]`.

        `x` is contiguous (an embedding lookup's or a layer's output).
    """,
    hints=(
        r"""
            In memory, `x[b]` is its `T` vectors of `C` numbers one after another. The `n`
            vectors that should be merged are already side by side: only the shape needs to
            change, not the order of the numbers.
        """,
        r"""
            `x.view(B, T // n, C * n)` (no copy). Rearranging first (a `transpose`) would
            change which numbers end up next to each other.
        """,
        r"""
            `x.squeeze(1)` removes dimension 1 only if its size is 1. `x.squeeze()` removes
            every dimension of size 1, the batch dimension of a single example too.
        """,
    ),
)
class FlattenConsecutive:
    """Concatenates every n consecutive positions: (B, T, C) -> (B, T/n, C·n), or (B, C·n)
    when that leaves one position."""

    def __init__(self, n: int):
        self.n = n

    def __call__(self, x: Float[Tensor, "B T C"]) -> Float[Tensor, "B T_over_n C_times_n"]:
        """x with every n consecutive positions merged, kept in `self.out`."""
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
        if x.shape[1] == 1:
            x = x.squeeze(1)
        self.out = x
        return self.out

    def parameters(self) -> list[Tensor]:
        """None: merging positions learns nothing."""
        return []


@exercise(
    title="BatchNorm1d for (N, C) and (N, T, C)",
    difficulty=3, importance=5, minutes=(15, 25),
    task=r"""
        Write the class `BatchNorm1d(dim, eps=1e-5, momentum=0.1)`: chapter 4.3's batch norm,
        now for inputs of shape `(N, dim)` **and** `(N, T, dim)`. Each of the `dim` channels
        (the last dimension) gets one mean and one variance, taken over every other dimension:
        dim 0 for a 2-D input, dims 0 and 1 for a 3-D one.

        - Attributes: `eps`, `momentum`, `training` (True at first), `gamma` (ones) and
          `beta` (zeros), `running_mean` (zeros) and `running_var` (ones), all four of shape
          `(dim,)`, and still `(dim,)` after any number of training calls.
        - Training mode: normalise with the batch's mean and **biased** variance,
          $\hat x = (x - \mu) / \sqrt{\sigma^2 + \epsilon}$, return $\gamma \hat x + \beta$, and
          update `running = (1 - momentum) * running + momentum * batch_statistic` for the
          mean and for the **unbiased** variance (divide by $m - 1$, where $m$ is the number of
          values each channel's statistics were taken over: $N$ or $N \cdot T$). The update
          must not record a graph; the output must let gradients flow to `x`, `gamma` and
          `beta` through the batch statistics.
        - Evaluation mode (`training` False): normalise with `running_mean` and `running_var`
          and change nothing.
        - Keep the output in `self.out`; `parameters()` returns `[gamma, beta]`.

        That is what `torch.nn.BatchNorm1d` does, except that torch wants channels in the
        middle, `(N, dim, T)`: yours on `x` must equal torch's on `x.transpose(1, 2)`,
        transposed back.
    """,
    hints=(
        r"""
            Chapter 4.3's version reduces over dim 0 only. On `(N, T, dim)` that gives one mean
            per position and channel, shape `(T, dim)`, and it runs without an error, because
            it broadcasts. Reduce over every dimension but the last instead.
        """,
        r"""
            `mean` and `var` take a tuple of dims: `x.mean(dims)`, `x.var(dims,
            unbiased=False)`, with `dims = (0,)` for 2-D and `(0, 1)` for 3-D;
            `tuple(range(x.ndim - 1))` gives both.
        """,
        r"""
            For the running variance, `m = x.numel() // x.shape[-1]` values went into each
            channel's variance: multiply the biased one by `m / (m - 1)`, or call `x.var(dims)`
            (unbiased by default). Update inside `with torch.no_grad():`.
        """,
    ),
)
class BatchNorm1d:
    """Batch norm with one mean and variance per channel (the last dim), over every other dim;
    matches torch.nn.BatchNorm1d in training and evaluation mode."""

    def __init__(self, dim: int, eps: float = 1e-5, momentum: float = 0.1):
        self.eps, self.momentum = eps, momentum
        self.training = True
        self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
        self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)

    def __call__(self, x: Float[Tensor, "*batch dim"]) -> Float[Tensor, "*batch dim"]:
        """gamma * (x - mean) / sqrt(var + eps) + beta, kept in `self.out`; in training mode
        with the batch's statistics (and the running ones updated), else the running ones."""
        if self.training:
            dims = tuple(range(x.ndim - 1))  # (0,) for (N, C), (0, 1) for (N, T, C)
            mean = x.mean(dims)
            var = x.var(dims, unbiased=False)
            count = x.numel() // x.shape[-1]  # values behind each channel's statistics
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
                self.running_var = ((1 - self.momentum) * self.running_var
                                    + self.momentum * var * count / (count - 1))
        else:
            mean, var = self.running_mean, self.running_var
        self.out = self.gamma * (x - mean) / torch.sqrt(var + self.eps) + self.beta
        return self.out

    def parameters(self) -> list[Tensor]:
        """`[gamma, beta]`."""
        return [self.gamma, self.beta]


# ==============================================================================================
# Sections 4-5: the hierarchical model, its shapes, training


@exercise(
    title="The hierarchical model",
    difficulty=2, importance=5, minutes=(15, 25),
    task=r"""
        Write `build_wavenet(vocab_size=27, n_embd=24, n_hidden=128, generator=None)`, which
        returns a `Sequential` of these 14 layers, in this order:

        - `Embedding(vocab_size, n_embd, generator=generator)`;
        - three times: `FlattenConsecutive(2)`, `Linear(fan_in, n_hidden, bias=False,
          generator=generator)`, `BatchNorm1d(n_hidden)`, `Tanh()`, where `fan_in` is
          `n_embd * 2` the first time and `n_hidden * 2` the second and third times;
        - `Linear(n_hidden, vocab_size, generator=generator)` (with its bias).

        Create the layers in that order, so that their random tensors are drawn from
        `generator` in that order. Then multiply the last layer's `weight` by 0.1 in place
        (under `torch.no_grad()`, or before any tensor requires grad), and make every tensor in
        `model.parameters()` require grad. The model is meant for contexts of 8 symbols:
        `model(X)` on `X` of shape `(B, 8)` gives logits of shape `(B, vocab_size)`.
    """,
    hints=(
        r"""
            Eight positions merged in pairs three times: 8 → 4 → 2 → 1. Each merge doubles the
            width of a position's vector (24 → 48 after the first `FlattenConsecutive(2)`, 128
            → 256 after the others), and the `Linear` after it brings it back to `n_hidden`.
        """,
        r"""
            A loop of three iterations that appends the four layers and then sets `fan_in =
            n_hidden * 2` builds the middle; no bias in those `Linear`s because the batch norm
            right after them subtracts the mean, and any bias with it.
        """,
        r"""
            `with torch.no_grad(): layers[-1].weight *= 0.1`, then `for p in
            model.parameters(): p.requires_grad_()`.
        """,
    ),
)
def build_wavenet(vocab_size: int = 27, n_embd: int = 24, n_hidden: int = 128,
                  generator: torch.Generator | None = None) -> Sequential:
    """Karpathy's part-5 model for contexts of 8 symbols."""
    layers = [Embedding(vocab_size, n_embd, generator=generator)]
    fan_in = n_embd * 2
    for _ in range(3):
        layers += [FlattenConsecutive(2), Linear(fan_in, n_hidden, bias=False, generator=generator),
                   BatchNorm1d(n_hidden), Tanh()]
        fan_in = n_hidden * 2
    layers.append(Linear(n_hidden, vocab_size, generator=generator))
    model = Sequential(layers)
    with torch.no_grad():
        layers[-1].weight *= 0.1  # a calm output layer: the first loss near ln(27)
    for p in model.parameters():
        p.requires_grad_()
    return model


@exercise(
    title="A shape trace",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write `shape_trace(model, x)`: call `model(x)` once, then return a list with one pair
        per layer of `model.layers`, in order: `(name, shape)`, where `name` is the layer's
        class name (a `str`, such as `"FlattenConsecutive"`) and `shape` is the shape of the
        output that layer produced on this call, as a tuple of Python ints. The model may be
        any `Sequential` whose layers keep their output in `.out`, not only the WaveNet.
    """,
    hints=(
        r"""
            Every layer keeps what it returned in `.out`, so one forward pass leaves the whole
            trace behind in the layers: run the model first, then read them.
        """,
        r"""
            `type(layer).__name__` is a class's name; `tuple(layer.out.shape)` turns a
            `torch.Size` into a plain tuple.
        """,
    ),
)
def shape_trace(model: Sequential, x: Int[Tensor, "B T"]) -> list[tuple[str, tuple[int, ...]]]:
    """Every layer's name and output shape on one forward pass."""
    model(x)
    return [(type(layer).__name__, tuple(layer.out.shape)) for layer in model.layers]


def set_training(model: Sequential, training: bool) -> None:
    """Switch every layer that has a training mode (batch norm) to training or evaluation."""
    for layer in model.layers:
        if hasattr(layer, "training"):
            layer.training = training


@exercise(
    title="Training the hierarchical model",
    difficulty=2, importance=4, minutes=(10, 20),
    task=r"""
        Write `train_wavenet(model, X, Y, steps, batch_size=32, lr=0.1, generator=None)`:
        first put the model in training mode (`set_training(model, True)`, given above), then
        run chapter 4.2's minibatch loop on `model.parameters()`. At each of `steps` steps: draw
        `ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)`, compute
        `F.cross_entropy(model(X[ix]), Y[ix])`, set every parameter's `.grad` to `None`,
        backpropagate, and update every parameter in place by `-rate * grad` without recording
        the update, where `rate = lr(step)` if `lr` is a function of the step number (0, 1, ...)
        and `lr` itself if it is a number. Return the `steps` minibatch losses as a list of
        Python floats, each the loss before its step's update. Draw nothing else from
        `generator`.
    """,
    hints=(
        r"""
            It is `train_mlp` of chapter 4.2 with two changes: the logits come from calling the
            model, and the parameters are the list `model.parameters()` (take it once, before
            the loop), not a dict's values.
        """,
        r"""
            Batch norm must use the minibatch's statistics (and update its running ones) while
            training: `set_training(model, True)` before the loop, in case the model was last
            evaluated.
        """,
        r"""
            One step: `ix = ...`, `loss = F.cross_entropy(model(X[ix]), Y[ix])`, `for p in
            params: p.grad = None`, `loss.backward()`, `rate = lr(step) if callable(lr) else
            lr`, `with torch.no_grad(): for p in params: p -= rate * p.grad`, then
            `losses.append(loss.item())`.
        """,
    ),
)
def train_wavenet(model: Sequential, X: Int[Tensor, "n block"], Y: Int[Tensor, "n"], steps: int,
                  batch_size: int = 32, lr: float | Callable[[int], float] = 0.1,
                  generator: torch.Generator | None = None) -> list[float]:
    """Minibatch SGD on the model's parameters, in training mode; the minibatch losses."""
    set_training(model, True)
    params = model.parameters()
    losses = []
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        loss = F.cross_entropy(model(X[ix]), Y[ix])
        for p in params:
            p.grad = None
        loss.backward()
        rate = lr(step) if callable(lr) else lr
        with torch.no_grad():
            for p in params:
                p -= rate * p.grad
        losses.append(loss.item())
    return losses


@exercise(
    title="The loss on a split, in evaluation mode",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write `evaluate_loss(model, X, Y)`: switch the model to evaluation mode
        (`set_training(model, False)`), so that batch norm normalises with its running
        statistics instead of the statistics of `X`; compute the mean cross-entropy of
        `model(X)` against `Y` on the whole of `X` without recording a graph; return it as a
        Python float. Leave the model in evaluation mode.
    """,
    hints=(
        r"""
            In training mode, batch norm would normalise the split with its own mean and
            variance: the loss would depend on which examples are evaluated together. The
            running statistics make every example's prediction its own.
        """,
        r"""
            `set_training(model, False)`, then `with torch.no_grad(): return
            F.cross_entropy(model(X), Y).item()`.
        """,
    ),
)
def evaluate_loss(model: Sequential, X: Int[Tensor, "n block"], Y: Int[Tensor, "n"]) -> float:
    """Mean cross-entropy on a whole split with batch norm's running statistics."""
    set_training(model, False)
    with torch.no_grad():
        return F.cross_entropy(model(X), Y).item()


def sample_wavenet(model: Sequential, n: int, generator: torch.Generator, itos: dict[int, str],
                   block_size: int = 8) -> list[str]:
    """n names drawn from the model in evaluation mode, each from a context of `block_size`
    '.'s, symbol by symbol until it draws '.' (chapter 4.2's sample_mlp with a model)."""
    set_training(model, False)  # one context at a time: a batch of one has no variance
    names = []
    with torch.no_grad():
        for _ in range(n):
            context, chars = [0] * block_size, []
            while True:
                probs = F.softmax(model(torch.tensor([context])), dim=1)
                ix = torch.multinomial(probs, 1, generator=generator).item()
                context = context[1:] + [ix]
                if ix == 0:
                    break
                chars.append(itos[ix])
            names.append("".join(chars))
    return names
