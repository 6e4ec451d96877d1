# %% [markdown]
# # Chapter 4.5: makemore 5: a WaveNet — exercises
#
# A longer context merged hierarchically, two symbols at a time, as in DeepMind's WaveNet: layers as modules, FlattenConsecutive, batch norm over three dimensions, a shape trace and a dev loss below chapter 4.2's MLP.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/makemore_wavenet.py
#
# or one test per exercise with `pytest exercises/makemore_wavenet.py`, or call one check yourself, e.g. `tests.test_Embedding(Embedding)`.
#
# This file is generated from `solutions/makemore_wavenet.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/makemore_wavenet_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/makemore_wavenet.ipynb


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
from typing import Callable

import torch
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor

from solutions.makemore_activations import Linear, Tanh  # noqa: F401  (chapter 4.3's layers)

# ==============================================================================================
# Sections 1-3: layers as modules, FlattenConsecutive, batch norm over (N, T, C)

from utils.checks import makemore_wavenet as tests


# %% [markdown]
# ## Layers as modules
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_wavenet_layers)


# %% [markdown]
# ### Exercise: `Embedding` — An Embedding layer
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write the class `Embedding(num_embeddings, embedding_dim, generator=None)`, chapter
# 4.2's table `C` as a layer.
#
# - `__init__` sets `self.weight` to `torch.randn((num_embeddings, embedding_dim),
#   generator=generator)` (float32, not scaled; draw nothing else from the generator).
# - Calling the layer on an int64 tensor of indices `ix` of any shape, `(B,)`, `(B, T)`
#   or more, returns the rows of `weight` that `ix` names: shape `ix.shape +
#   (embedding_dim,)`, `out[b, t] == weight[ix[b, t]]`. It also keeps the result in
#   `self.out`.
# - `parameters()` returns `[self.weight]`: a list holding the weight tensor itself.
#
# Check it with `tests.test_Embedding(Embedding)`.


# %%
class Embedding:
    """A learned vector per symbol: `weight[ix]` for indices of any shape."""

    def __init__(self, num_embeddings: int, embedding_dim: int,
                 generator: torch.Generator | None = None):
        raise NotImplementedError()

    def __call__(self, ix: Int[Tensor, "*batch"]) -> Float[Tensor, "*batch dim"]:
        """The rows of `weight` named by `ix`, kept in `self.out`."""
        raise NotImplementedError()

    def parameters(self) -> list[Tensor]:
        """`[weight]`."""
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Sequential` — Sequential
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write the class `Sequential(layers)`, a container that makes a list of layers one
# model.
#
# - `__init__` keeps the list as `self.layers` (other code walks it: the shape trace,
#   switching batch norm to evaluation mode).
# - Calling it on `x` passes `x` through each layer in list order (the output of one is
#   the input of the next), keeps the final result in `self.out` and returns it. With
#   no layers, it returns `x` unchanged.
# - `parameters()` returns every layer's parameters in one flat list: the first layer's
#   in its own order, then the second layer's, and so on (the tensors themselves, not
#   copies; `[]` when no layer has any).
#
# Check it with `tests.test_Sequential(Sequential)`.


# %%
class Sequential:
    """Layers applied one after another, as one model with one list of parameters."""

    def __init__(self, layers: list):
        raise NotImplementedError()

    def __call__(self, x: Tensor) -> Tensor:
        """x through every layer in order; the last output, kept in `self.out`."""
        raise NotImplementedError()

    def parameters(self) -> list[Tensor]:
        """Every layer's parameters, in layer order, as one flat list."""
        raise NotImplementedError()


# %% [markdown]
# ## Merging neighbours: FlattenConsecutive
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_wavenet_flatten)


# %% [markdown]
# ### Exercise: `FlattenConsecutive` — FlattenConsecutive
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write the class `FlattenConsecutive(n)`, the layer that merges neighbours.
#
# - Called on `x` of shape `(B, T, C)`, with `T` divisible by `n`, it returns a tensor
#   of shape `(B, T // n, C * n)` whose position `j` is the concatenation of the
#   vectors of the `n` consecutive positions `j*n, j*n + 1, ..., j*n + n - 1` of `x`,
#   in that order: `out[b, j] == torch.cat([x[b, j*n + k] for k in range(n)])`.
# - When `T // n` is 1 (all positions merged into one), it returns shape `(B, C * n)`
#   instead: only that middle dimension goes, never the batch dimension, even when
#   `B` is 1.
# - It keeps the result in `self.out`; `parameters()` returns `[]`.
#
# `x` is contiguous (an embedding lookup's or a layer's output).
#
# Check it with `tests.test_FlattenConsecutive(FlattenConsecutive)`.


# %%
class FlattenConsecutive:
    """Concatenates every n consecutive positions: (B, T, C) -> (B, T/n, C·n), or (B, C·n)
    when that leaves one position."""

    def __init__(self, n: int):
        raise NotImplementedError()

    def __call__(self, x: Float[Tensor, "B T C"]) -> Float[Tensor, "B T_over_n C_times_n"]:
        """x with every n consecutive positions merged, kept in `self.out`."""
        raise NotImplementedError()

    def parameters(self) -> list[Tensor]:
        """None: merging positions learns nothing."""
        raise NotImplementedError()


# %% [markdown]
# ## Batch norm in three dimensions
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_wavenet_batchnorm)


# %% [markdown]
# ### Exercise: `BatchNorm1d` — BatchNorm1d for (N, C) and (N, T, C)
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 15–25 minutes
#
# Write the class `BatchNorm1d(dim, eps=1e-5, momentum=0.1)`: chapter 4.3's batch norm,
# now for inputs of shape `(N, dim)` **and** `(N, T, dim)`. Each of the `dim` channels
# (the last dimension) gets one mean and one variance, taken over every other dimension:
# dim 0 for a 2-D input, dims 0 and 1 for a 3-D one.
#
# - Attributes: `eps`, `momentum`, `training` (True at first), `gamma` (ones) and
#   `beta` (zeros), `running_mean` (zeros) and `running_var` (ones), all four of shape
#   `(dim,)`, and still `(dim,)` after any number of training calls.
# - Training mode: normalise with the batch's mean and **biased** variance,
#   $\hat x = (x - \mu) / \sqrt{\sigma^2 + \epsilon}$, return $\gamma \hat x + \beta$, and
#   update `running = (1 - momentum) * running + momentum * batch_statistic` for the
#   mean and for the **unbiased** variance (divide by $m - 1$, where $m$ is the number of
#   values each channel's statistics were taken over: $N$ or $N \cdot T$). The update
#   must not record a graph; the output must let gradients flow to `x`, `gamma` and
#   `beta` through the batch statistics.
# - Evaluation mode (`training` False): normalise with `running_mean` and `running_var`
#   and change nothing.
# - Keep the output in `self.out`; `parameters()` returns `[gamma, beta]`.
#
# That is what `torch.nn.BatchNorm1d` does, except that torch wants channels in the
# middle, `(N, dim, T)`: yours on `x` must equal torch's on `x.transpose(1, 2)`,
# transposed back.
#
# Check it with `tests.test_BatchNorm1d(BatchNorm1d)`.


# %%
class BatchNorm1d:
    """Batch norm with one mean and variance per channel (the last dim), over every other dim;
    matches torch.nn.BatchNorm1d in training and evaluation mode."""

    def __init__(self, dim: int, eps: float = 1e-5, momentum: float = 0.1):
        raise NotImplementedError()

    def __call__(self, x: Float[Tensor, "*batch dim"]) -> Float[Tensor, "*batch dim"]:
        """gamma * (x - mean) / sqrt(var + eps) + beta, kept in `self.out`; in training mode
        with the batch's statistics (and the running ones updated), else the running ones."""
        raise NotImplementedError()

    def parameters(self) -> list[Tensor]:
        """`[gamma, beta]`."""
        raise NotImplementedError()


# %% [markdown]
# ## The hierarchical model
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_wavenet_hierarchy)


# %% [markdown]
# ### Exercise: `build_wavenet` — The hierarchical model
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 15–25 minutes
#
# Write `build_wavenet(vocab_size=27, n_embd=24, n_hidden=128, generator=None)`, which
# returns a `Sequential` of these 14 layers, in this order:
#
# - `Embedding(vocab_size, n_embd, generator=generator)`;
# - three times: `FlattenConsecutive(2)`, `Linear(fan_in, n_hidden, bias=False,
#   generator=generator)`, `BatchNorm1d(n_hidden)`, `Tanh()`, where `fan_in` is
#   `n_embd * 2` the first time and `n_hidden * 2` the second and third times;
# - `Linear(n_hidden, vocab_size, generator=generator)` (with its bias).
#
# Create the layers in that order, so that their random tensors are drawn from
# `generator` in that order. Then multiply the last layer's `weight` by 0.1 in place
# (under `torch.no_grad()`, or before any tensor requires grad), and make every tensor in
# `model.parameters()` require grad. The model is meant for contexts of 8 symbols:
# `model(X)` on `X` of shape `(B, 8)` gives logits of shape `(B, vocab_size)`.
#
# Check it with `tests.test_build_wavenet(build_wavenet)`.


# %%
def build_wavenet(vocab_size: int = 27, n_embd: int = 24, n_hidden: int = 128,
                  generator: torch.Generator | None = None) -> Sequential:
    """Karpathy's part-5 model for contexts of 8 symbols."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `shape_trace` — A shape trace
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `shape_trace(model, x)`: call `model(x)` once, then return a list with one pair
# per layer of `model.layers`, in order: `(name, shape)`, where `name` is the layer's
# class name (a `str`, such as `"FlattenConsecutive"`) and `shape` is the shape of the
# output that layer produced on this call, as a tuple of Python ints. The model may be
# any `Sequential` whose layers keep their output in `.out`, not only the WaveNet.
#
# Check it with `tests.test_shape_trace(shape_trace)`.


# %%
def shape_trace(model: Sequential, x: Int[Tensor, "B T"]) -> list[tuple[str, tuple[int, ...]]]:
    """Every layer's name and output shape on one forward pass."""
    raise NotImplementedError()


# %%
def set_training(model: Sequential, training: bool) -> None:
    """Switch every layer that has a training mode (batch norm) to training or evaluation."""
    for layer in model.layers:
        if hasattr(layer, "training"):
            layer.training = training


# %% [markdown]
# ## Training and the dev loss
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_wavenet_training)


# %% [markdown]
# ### Exercise: `train_wavenet` — Training the hierarchical model
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–20 minutes
#
# Write `train_wavenet(model, X, Y, steps, batch_size=32, lr=0.1, generator=None)`:
# first put the model in training mode (`set_training(model, True)`, given above), then
# run chapter 4.2's minibatch loop on `model.parameters()`. At each of `steps` steps: draw
# `ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)`, compute
# `F.cross_entropy(model(X[ix]), Y[ix])`, set every parameter's `.grad` to `None`,
# backpropagate, and update every parameter in place by `-rate * grad` without recording
# the update, where `rate = lr(step)` if `lr` is a function of the step number (0, 1, ...)
# and `lr` itself if it is a number. Return the `steps` minibatch losses as a list of
# Python floats, each the loss before its step's update. Draw nothing else from
# `generator`.
#
# Check it with `tests.test_train_wavenet(train_wavenet)`.


# %%
def train_wavenet(model: Sequential, X: Int[Tensor, "n block"], Y: Int[Tensor, "n"], steps: int,
                  batch_size: int = 32, lr: float | Callable[[int], float] = 0.1,
                  generator: torch.Generator | None = None) -> list[float]:
    """Minibatch SGD on the model's parameters, in training mode; the minibatch losses."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `evaluate_loss` — The loss on a split, in evaluation mode
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `evaluate_loss(model, X, Y)`: switch the model to evaluation mode
# (`set_training(model, False)`), so that batch norm normalises with its running
# statistics instead of the statistics of `X`; compute the mean cross-entropy of
# `model(X)` against `Y` on the whole of `X` without recording a graph; return it as a
# Python float. Leave the model in evaluation mode.
#
# Check it with `tests.test_evaluate_loss(evaluate_loss)`.


# %%
def evaluate_loss(model: Sequential, X: Int[Tensor, "n block"], Y: Int[Tensor, "n"]) -> float:
    """Mean cross-entropy on a whole split with batch norm's running statistics."""
    raise NotImplementedError()


# %%
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


# %%
# `pytest exercises/makemore_wavenet.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("makemore_wavenet", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "makemore_wavenet")
