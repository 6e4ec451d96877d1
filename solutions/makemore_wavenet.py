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
# (helper LAYERS's region) Sections 1-3: layers as modules, FlattenConsecutive, 3-D batch norm


@exercise(
    title="An Embedding layer",
    difficulty=1, importance=3, minutes=(5, 10),
    task=r"""
        Write the class `Embedding(num_embeddings, embedding_dim, generator=None)`: `weight`
        drawn with `torch.randn((num_embeddings, embedding_dim), generator=generator)`; calling
        it on integer indices `ix` of any shape returns `weight[ix]` (shape `ix.shape +
        (embedding_dim,)`) and keeps it in `self.out`; `parameters()` returns `[weight]`.
    """,
    hints=(r"""Indexing a tensor with an integer tensor looks up one row per index.""",),
)
class Embedding:
    """A learned vector per symbol."""

    def __init__(self, num_embeddings: int, embedding_dim: int,
                 generator: torch.Generator | None = None):
        self.weight = torch.randn((num_embeddings, embedding_dim), generator=generator)

    def __call__(self, ix: Int[Tensor, "..."]) -> Float[Tensor, "... d"]:
        self.out = self.weight[ix]
        return self.out

    def parameters(self) -> list[Tensor]:
        return [self.weight]


@exercise(
    title="Sequential",
    difficulty=1, importance=3, minutes=(5, 10),
    task=r"""
        Write the class `Sequential(layers)`: calling it passes `x` through each layer in order
        and keeps the result in `self.out`; `parameters()` returns every layer's parameters in
        order, as one flat list.
    """,
    hints=(r"""A list comprehension with two `for`s flattens.""",),
)
class Sequential:
    """Layers applied one after another."""

    def __init__(self, layers: list):
        self.layers = layers

    def __call__(self, x: Tensor) -> Tensor:
        for layer in self.layers:
            x = layer(x)
        self.out = x
        return self.out

    def parameters(self) -> list[Tensor]:
        return [p for layer in self.layers for p in layer.parameters()]


@exercise(
    title="FlattenConsecutive",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write the class `FlattenConsecutive(n)`: called on `x` of shape `(B, T, C)` with `T`
        divisible by `n`, it returns `x` viewed as `(B, T // n, C * n)`, each new position the
        concatenation of `n` consecutive positions' vectors; when `T // n` is 1, it returns
        `(B, C * n)` instead. Keep the output in `self.out`; `parameters()` returns `[]`.
    """,
    hints=(r"""A view of contiguous memory groups neighbours: `x.view(B, T // n, C * n)`.""",
           r"""`.squeeze(1)` removes a middle dimension of size 1."""),
)
class FlattenConsecutive:
    """Concatenates every n consecutive positions: (B, T, C) -> (B, T/n, C·n)."""

    def __init__(self, n: int):
        self.n = n

    def __call__(self, x: Float[Tensor, "B T C"]) -> Tensor:
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
        if x.shape[1] == 1:
            x = x.squeeze(1)
        self.out = x
        return self.out

    def parameters(self) -> list[Tensor]:
        return []


@exercise(
    title="BatchNorm1d for (N, C) and (N, T, C)",
    difficulty=3, importance=5, minutes=(15, 25),
    task=r"""
        Write the class `BatchNorm1d(dim, eps=1e-5, momentum=0.1)` of chapter 4.3 again, now for
        inputs of shape `(N, dim)` or `(N, T, dim)`: the statistics are over every dimension but
        the last (dims 0 and 1 for a 3-D input), so each of the `dim` channels has one mean and
        one variance. Everything else as in chapter 4.3: `training`, `gamma`, `beta`,
        `running_mean`, `running_var` of shape `(dim,)`, matching `torch.nn.BatchNorm1d` (which
        wants `(N, dim, T)`, so compare it on `x.transpose(1, 2)`), output in `self.out`.
    """,
    hints=(r"""`x.mean(dim=(0, 1))` reduces over two dims at once; `tuple(range(x.ndim - 1))`
              covers both shapes.""",
           r"""The unbiased correction counts every element averaged over: N·T of them."""),
)
class BatchNorm1d:
    """Batch norm over every dim but the last, matching torch's in training and eval mode."""

    def __init__(self, dim: int, eps: float = 1e-5, momentum: float = 0.1):
        self.eps, self.momentum = eps, momentum
        self.training = True
        self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
        self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)

    def __call__(self, x: Float[Tensor, "*batch dim"]) -> Float[Tensor, "*batch dim"]:
        if self.training:
            dims = tuple(range(x.ndim - 1))
            mean = x.mean(dims)
            var = x.var(dims, unbiased=False)
            count = x.numel() // x.shape[-1]
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
                self.running_var = ((1 - self.momentum) * self.running_var
                                    + self.momentum * var * count / (count - 1))
        else:
            mean, var = self.running_mean, self.running_var
        self.out = self.gamma * (x - mean) / torch.sqrt(var + self.eps) + self.beta
        return self.out

    def parameters(self) -> list[Tensor]:
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
