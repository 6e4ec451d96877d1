# %% [markdown]
# # Chapter 4.2: makemore 2: an MLP — exercises
#
# Bengio's neural language model on names: contexts of three letters, learned embeddings, a tanh hidden layer, minibatch training, train/dev/test splits, a learning-rate range test and the 2-D embedding.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/makemore_mlp.py
#
# or one test per exercise with `pytest exercises/makemore_mlp.py`, or call one check yourself, e.g. `tests.test_build_dataset(build_dataset)`.
#
# This file is generated from `solutions/makemore_mlp.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/makemore_mlp_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/makemore_mlp.ipynb


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
import random
from typing import Callable

import torch
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor

# Chapter 4.1's reference vocabulary, for trying this chapter's functions on names:
# stoi, itos = build_vocab(words).
from solutions.makemore_bigrams import build_vocab  # noqa: F401

Params = dict[str, Tensor]

# ----------------------------------------------------------------------------------------------
# Sections 1-3: the dataset, the model, training

from utils.checks import makemore_mlp as tests


# %% [markdown]
# ## Contexts and splits
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_mlp_dataset)


# %% [markdown]
# ### Exercise: `build_dataset` — Contexts and targets
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `build_dataset(words, block_size, stoi)`. For each name, start with a context of
# `block_size` zeros (the index of `'.'`); for each symbol of the name followed by `'.'`,
# record the current context as one row of `X` and the symbol's index as the matching
# entry of `Y`, then slide the context one step (drop its first entry, append the
# symbol's index). Return `(X, Y)`: `X` an int64 tensor of shape `(n, block_size)`, `Y`
# an int64 tensor of shape `(n,)`, in word order. Look every symbol up in the `stoi` you
# are given (the checks use small vocabularies of their own), leave `words` unchanged,
# and for an empty list return `X` of shape `(0, block_size)` and `Y` of shape `(0,)`.
#
# Check it with `tests.test_build_dataset(build_dataset)`.


# %%
def build_dataset(words: list[str], block_size: int, stoi: dict[str, int],
                  ) -> tuple[Int[Tensor, "n block"], Int[Tensor, "n"]]:
    """Every (context of block_size previous symbols, next symbol) pair of the names."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `split_words` — Train, dev and test splits
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 5–10 minutes
#
# Write `split_words(words, fractions=(0.8, 0.1, 0.1), seed=42)`. Shuffle a copy of
# `words` with `random.Random(seed).shuffle(...)` (leave `words` as it is), then cut it:
# with `n = len(words)`, `n1 = int(fractions[0] * n)` and `n2 = int((fractions[0] +
# fractions[1]) * n)`, return the three lists `(shuffled[:n1], shuffled[n1:n2],
# shuffled[n2:])`: train, dev and test. (Compute `n2` from the summed fractions as
# written: `n1 + int(fractions[1] * n)` is sometimes one less.)
#
# Check it with `tests.test_split_words(split_words)`.


# %%
def split_words(words: list[str], fractions: tuple[float, float, float] = (0.8, 0.1, 0.1),
                seed: int = 42) -> tuple[list[str], list[str], list[str]]:
    """A seeded shuffle of the words cut into train, dev and test (the same cuts as Karpathy's
    `random.seed(42); random.shuffle(words)` with n1 = int(0.8 n), n2 = int(0.9 n))."""
    raise NotImplementedError()


# %% [markdown]
# ## The model
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_mlp_model)


# %% [markdown]
# ### Exercise: `init_mlp` — The model's parameters
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `init_mlp(vocab_size=27, block_size=3, n_embd=10, n_hidden=200,
# generator=None)`. Return a dict of five tensors drawn with `torch.randn(shape,
# generator=generator)` **in this order**: `"C"` `(vocab_size, n_embd)`, `"W1"`
# `(block_size * n_embd, n_hidden)`, `"b1"` `(n_hidden,)`, `"W2"` `(n_hidden,
# vocab_size)`, `"b2"` `(vocab_size,)`. Each must be a float32 leaf tensor that requires
# gradients. (The order of the draws matters: the same seed then gives everyone the same
# numbers.)
#
# Check it with `tests.test_init_mlp(init_mlp)`.


# %%
def init_mlp(vocab_size: int = 27, block_size: int = 3, n_embd: int = 10, n_hidden: int = 200,
             generator: torch.Generator | None = None) -> Params:
    """Standard normal parameters for embedding -> tanh hidden layer -> logits."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `mlp_logits` — The forward pass: embed, concatenate, tanh, logits
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `mlp_logits(params, X)`: `X` is an int64 tensor of contexts, shape `(n,
# block_size)`. Look up each symbol's embedding in `params["C"]` (shape `(n, block_size,
# n_embd)`), lay each row's embeddings side by side (`(n, block_size * n_embd)`), apply
# the hidden layer and `tanh`, then the output layer. Return the logits, shape `(n,
# vocab_size)` (no softmax). The sizes come from the parameters' shapes: do not assume
# `block_size = 3` or `n_embd = 10`.
#
# Check it with `tests.test_mlp_logits(mlp_logits)`.


# %%
def mlp_logits(params: Params, X: Int[Tensor, "n block"]) -> Float[Tensor, "n vocab"]:
    """Embedding lookup, concatenation, tanh hidden layer, output logits."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `split_loss` — The loss on a whole split
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `split_loss(params, X, Y)`: the mean cross-entropy of the model's logits
# (`mlp_logits(params, X)`) on all of `X` against the targets `Y`, as a Python float,
# computed without recording gradients. It must stay finite for large logits.
#
# Check it with `tests.test_split_loss(split_loss)`.


# %%
def split_loss(params: Params, X: Int[Tensor, "n block"], Y: Int[Tensor, "n"]) -> float:
    """Mean cross-entropy over the whole split, without a graph."""
    raise NotImplementedError()


# %% [markdown]
# ## Training with minibatches
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_mlp_training)


# %% [markdown]
# ### Exercise: `train_mlp` — Training with minibatches
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 15–20 minutes
#
# Write `train_mlp(params, X, Y, steps, batch_size=32, lr=0.1, generator=None)`. At each
# of `steps` steps: draw a minibatch `ix = torch.randint(0, X.shape[0], (batch_size,),
# generator=generator)`, compute the cross-entropy of `mlp_logits(params, X[ix])` against
# `Y[ix]`, set every parameter's `.grad` to `None`, backpropagate, and move each parameter
# by `-rate * grad` in place without recording the update. `lr` is a float, or a function
# of the step number (0, 1, ...) that returns the rate for that step. Return the list of
# the `steps` minibatch losses as floats, each computed before its update. Draw
# nothing else from the generator. The tensors in `params` must stay the same objects
# (the caller keeps using them), so update them in place.
#
# Check it with `tests.test_train_mlp(train_mlp)`.


# %%
def train_mlp(params: Params, X: Int[Tensor, "n block"], Y: Int[Tensor, "n"], steps: int,
              batch_size: int = 32, lr: float | Callable[[int], float] = 0.1,
              generator: torch.Generator | None = None) -> list[float]:
    """Minibatch SGD on the cross-entropy; the parameters are updated in place."""
    raise NotImplementedError()


# %% [markdown]
# ## Finding a learning rate
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_mlp_learning_rate)


# %% [markdown]
# ### Exercise: `lr_range_test` — A learning-rate range test
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `lr_range_test(params, X, Y, exponents, batch_size=32, generator=None)`.
# `exponents` is a 1-D float tensor of `k` learning-rate exponents, such as
# `torch.linspace(-3, 0, 1000)`. Train the model in `params` for `k` steps, step `i`
# with the learning rate $10^{\text{exponents}[i]}$: each step draws a minibatch and
# updates the parameters in place exactly as `train_mlp` does (one `torch.randint` per
# step from `generator`, the loss before the update, `-rate * grad`). The steps train one
# model: each starts where the previous one left the parameters. Return the `k`
# minibatch losses as a list of floats, in step order.
#
# Check it with `tests.test_lr_range_test(lr_range_test)`.


# %%
def lr_range_test(params: Params, X: Int[Tensor, "n block"], Y: Int[Tensor, "n"],
                  exponents: Float[Tensor, "k"], batch_size: int = 32,
                  generator: torch.Generator | None = None) -> list[float]:
    """One minibatch step per learning rate 10**e, e in exponents; the loss at each."""
    raise NotImplementedError()


# %% [markdown]
# ## Embeddings and samples
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_mlp_embeddings)


# %% [markdown]
# ### Exercise: `sample_mlp` — Sampling names from the MLP
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `sample_mlp(params, n, generator, itos, block_size=3)`: draw `n` names from the
# model. Each name starts from a context of `block_size` zeros (`'.'`). Repeat: compute
# the logits of the context (`mlp_logits` on a batch of one row, shape `(1,
# block_size)`), turn them into probabilities with a softmax over the symbols, draw one
# index `ix` with `torch.multinomial(probs, 1, generator=generator)`, and slide `ix` into
# the context (drop its first entry, append `ix`). Stop when `ix == 0` (`'.'`, which is
# not part of the name); otherwise append `itos[ix]` to the name. Return the `n` names as
# a list of strings, in the order drawn. Draw nothing else from `generator`, so that your
# names match the reference's exactly.
#
# Check it with `tests.test_sample_mlp(sample_mlp)`.


# %%
def sample_mlp(params: Params, n: int, generator: torch.Generator, itos: dict[int, str],
               block_size: int = 3) -> list[str]:
    """n names, each drawn symbol by symbol from the model's softmax, until '.'."""
    raise NotImplementedError()


# %% [markdown]
# ## Bonus: a trigram model, tuned on dev
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_mlp_trigram)


# %% [markdown]
# ### Exercise: `trigram_counts` — Bonus: a trigram count model
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes · bonus
#
# Write `trigram_counts(words, stoi)`: wrap each name as `'..' + name + '.'` and count
# every run of three neighbouring symbols. Return an integer tensor `N3` of shape `(v, v,
# v)`, `v = len(stoi)`, where `N3[i, j, k]` is how often symbol `k` follows the pair `i,
# j`. "emma" gives five trigrams: `..e`, `.em`, `emm`, `mma`, `ma.`. Two leading dots give
# the first letter a context of its own, `'..'`, so a trigram model makes one prediction
# per symbol of `name + '.'`, as many as the bigram model: their losses compare.
#
# Check it with `tests.test_trigram_counts(trigram_counts)`.


# %%
def trigram_counts(words: list[str], stoi: dict[str, int]) -> Int[Tensor, "v v v"]:
    """N3[i, j, k]: how often k follows the pair (i, j), names wrapped as '..name.'."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `trigram_nll` — Bonus: the trigram model's loss
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes · bonus
#
# Write `trigram_nll(words, N3, smoothing, stoi)`. Turn the counts into probabilities with
# add-`smoothing`, $P[i, j, k] = (N_3[i, j, k] + s) / \sum_{k'} (N_3[i, j, k'] + s)$, so
# that each `P[i, j, :]` sums to 1. Return, as a float, the mean of $-\ln P[i, j, k]$
# over every trigram of `words`, each name wrapped as `'..' + name + '.'`. `smoothing` may
# be any positive number, not only a whole one.
#
# Check it with `tests.test_trigram_nll(trigram_nll)`.


# %%
def trigram_nll(words: list[str], N3: Int[Tensor, "v v v"], smoothing: float,
                stoi: dict[str, int]) -> float:
    """Mean -log P[i, j, k] of the words' trigrams under add-smoothing probabilities."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `tune_smoothing` — Bonus: tune the smoothing on the dev split
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes · bonus
#
# Write `tune_smoothing(train_words, dev_words, stoi, candidates)`: count trigrams on
# `train_words` only, and return a dict that maps each smoothing value `s` of the list
# `candidates` (the values themselves as keys) to the trigram model's mean NLL on
# `dev_words` with smoothing `s`, as a float.
#
# Check it with `tests.test_tune_smoothing(tune_smoothing)`.


# %%
def tune_smoothing(train_words: list[str], dev_words: list[str], stoi: dict[str, int],
                   candidates: list[float]) -> dict[float, float]:
    """Dev NLL of the trigram model counted on train, for each smoothing value."""
    raise NotImplementedError()


# %%
# `pytest exercises/makemore_mlp.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("makemore_mlp", globals()))

if __name__ == "__main__":
    # With `--variant more_names`: the new specification's exercises, on its data.
    from utils.local import argv_variant, check_all

    check_all(globals(), "makemore_mlp", variant=argv_variant())
