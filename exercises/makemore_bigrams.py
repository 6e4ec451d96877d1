# %% [markdown]
# # Chapter 4.1: makemore 1: bigrams — exercises
#
# A language model of names from counting pairs of letters: a vocabulary, a 27x27 count table, sampling, the negative log-likelihood, then the same model as a one-layer network trained by gradient descent.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/makemore_bigrams.py
#
# or one test per exercise with `pytest exercises/makemore_bigrams.py`, or call one check yourself, e.g. `tests.test_build_vocab(build_vocab)`.
#
# This file is generated from `solutions/makemore_bigrams.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/makemore_bigrams_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/makemore_bigrams.ipynb


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
import torch
import torch.nn.functional as F  # noqa: F401 - the learner's own softmax and cross-entropy
from jaxtyping import Float, Int
from torch import Tensor

# ----------------------------------------------------------------------------------------------
# Sections 1-3: the vocabulary, counting bigrams, sampling

from utils.checks import makemore_bigrams as tests


# %% [markdown]
# ## Names and a vocabulary
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_bigrams_names)


# %% [markdown]
# ### Exercise: `build_vocab` — A vocabulary: characters to integers and back
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `build_vocab(words)`. `words` is a list of lowercase names (strings of letters
# a-z). Return two dicts, `(stoi, itos)`:
#
# - `stoi` ("string to integer") maps each symbol to its index: `'.'` is `0`, and each
#   letter that occurs somewhere in `words` gets `1, 2, 3, ...` in alphabetical order.
#   Only letters that occur get an index: for `["bob", "abba"]` that is
#   `{'.': 0, 'a': 1, 'b': 2, 'o': 3}`.
# - `itos` ("integer to string") is its inverse: `itos[stoi[c]] == c` for every symbol.
#
# With all 26 letters present, that is 27 symbols, `'.'` at 0 and `'z'` at 26. Do not
# change `words`.
#
# Check it with `tests.test_build_vocab(build_vocab)`.


# %%
def build_vocab(words: list[str]) -> tuple[dict[str, int], dict[int, str]]:
    """'.' -> 0, then the letters that occur in sorted order -> 1, 2, ...; and the inverse."""
    raise NotImplementedError()


# %% [markdown]
# ## Counting bigrams
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_bigrams_counting)


# %% [markdown]
# ### Exercise: `bigram_counts` — Counting bigrams
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `bigram_counts(words, stoi)`. `words` is a list of names and `stoi` a vocabulary
# from `build_vocab` (it may have fewer than 27 symbols, and your code must not assume
# that `'a'` is 1: look every symbol up in `stoi`).
#
# Wrap each name in `'.'` at both ends (`"ava"` becomes `".ava."`) and count every pair of
# neighbouring symbols: `"ava"` contributes `(., a)`, `(a, v)`, `(v, a)`, `(a, .)`.
# Return `N`, a tensor of shape `(v, v)` with `v = len(stoi)`, where `N[i, j]` is how many
# times symbol `j` follows symbol `i`, summed over all the names: row `i` is "what comes
# after symbol `i`".
#
# `N` must have an **integer dtype** wide enough for real counts: `torch.int64` or
# `torch.int32` (a float tensor is refused: counts are whole numbers, and `torch.zeros`
# without a `dtype` gives floats; `torch.uint8` is refused because it wraps around past
# 255). For `["emma", "olivia", "ava"]`, `N.sum()` is 16: one bigram per letter of each
# name plus one.
#
# Check it with `tests.test_bigram_counts(bigram_counts)`.


# %%
def bigram_counts(words: list[str], stoi: dict[str, int]) -> Int[Tensor, "v v"]:
    """N[i, j]: how often symbol j follows symbol i, over names wrapped in '.' at both ends."""
    raise NotImplementedError()


# %% [markdown]
# ## Probabilities and sampling
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_bigrams_sampling)


# %% [markdown]
# ### Exercise: `bigram_probs` — From counts to probabilities, with smoothing
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `bigram_probs(N, smoothing=1)`. `N` is a `(v, v)` integer count matrix from
# `bigram_counts`; `smoothing` is a whole number $\ge 0$.
#
# Add `smoothing` to **every** count (so no bigram gets probability 0), then divide each
# **row** by its own total, so that every row sums to 1:
#
# $$P[i, j] = \frac{N[i, j] + s}{\sum_k \left(N[i, k] + s\right)}.$$
#
# Return a floating-point tensor (`torch.float32` is what `.float()` gives) of shape
# `(v, v)`: row `i` is the distribution of the symbol that follows symbol `i`. Do not
# change `N` itself (no in-place `+=` on it). With `smoothing=0`, a row of `N` that is
# all zeros has no distribution (0 / 0): that case is not checked.
#
# Check it with `tests.test_bigram_probs(bigram_probs)`.


# %%
def bigram_probs(N: Int[Tensor, "v v"], smoothing: int = 1) -> Float[Tensor, "v v"]:
    """Add-`smoothing` counts, each row normalized to sum to 1."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `sample_names` — Sampling names from the model
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `sample_names(P, n, generator, itos)`: draw `n` names from the bigram model `P`
# (a `(v, v)` float tensor whose rows sum to 1, as `bigram_probs` returns), using the
# `torch.Generator` `generator` for every random draw.
#
# Each name starts at `'.'` (index `0`). Repeat: draw the next index from the row of the
# current one with exactly
#
# `ix = torch.multinomial(P[ix], 1, replacement=True, generator=generator).item()`
#
# If `ix` is `0` (the end token), the name is finished; otherwise append `itos[ix]` and
# draw again from row `ix`. Return the list of the `n` names as strings, without the
# dots, in the order drawn. A name may be empty (`''`) if the first draw is already `0`.
#
# Make no other random draws, and don't create a new generator: the check draws from the
# same seed with the reference and expects the very same names.
#
# Check it with `tests.test_sample_names(sample_names)`.


# %%
def sample_names(P: Float[Tensor, "v v"], n: int, generator: torch.Generator,
                 itos: dict[int, str]) -> list[str]:
    """n names drawn symbol by symbol from the rows of P, from '.' until '.' again."""
    raise NotImplementedError()


# %% [markdown]
# ## The negative log-likelihood
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_bigrams_likelihood)


# %% [markdown]
# ### Exercise: `mean_nll` — How good is the model? The mean negative log-likelihood
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `mean_nll(words, P, stoi)`: `words` is a list of lowercase names, `P` a `(v, v)`
# float tensor of bigram probabilities (row `i` is the distribution of what follows
# symbol `i`), `stoi` the vocabulary. Wrap each name in `'.'` at both ends, as in
# `bigram_counts`, and for every bigram `(a, b)` of every name take
# $-\ln P[\mathrm{stoi}[a], \mathrm{stoi}[b]]$ (the natural logarithm). Return the
# **mean over all bigrams** (not over names) as a Python `float`.
#
# A name of $k$ letters has $k + 1$ bigrams, the start `('.', first letter)` and the end
# `(last letter, '.')` included. If some bigram has probability 0, its term is
# $+\infty$ and so is the mean (`torch.log(torch.tensor(0.0))` is `-inf`).
#
# Check it with `tests.test_mean_nll(mean_nll)`.


# %%
def mean_nll(words: list[str], P: Float[Tensor, "v v"], stoi: dict[str, int]) -> float:
    """The average of -log P[a, b] over all bigrams of the names."""
    raise NotImplementedError()


# %% [markdown]
# ## The neural bigram
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_bigrams_neural)


# %% [markdown]
# ### Exercise: `bigram_pairs` — The bigrams as a training set
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `bigram_pairs(words, stoi)`: turn the names into a training set for a network.
# Return two 1-D tensors `(xs, ys)` of dtype `torch.int64` and the same length, one entry
# per bigram of the names (each wrapped in `'.'` at both ends), in word order and, inside
# a word, from left to right: `xs[k]` is the index of bigram `k`'s first symbol (the
# input) and `ys[k]` the index of its second (the label to predict).
#
# For `["emma"]` with the 27-symbol vocabulary that is `xs = tensor([0, 5, 13, 13, 1])`
# and `ys = tensor([5, 13, 13, 1, 0])`.
#
# Check it with `tests.test_bigram_pairs(bigram_pairs)`.


# %%
def bigram_pairs(words: list[str], stoi: dict[str, int]) -> tuple[Int[Tensor, "n"],
                                                                   Int[Tensor, "n"]]:
    """(first symbol, next symbol) indices of every bigram, in order."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `neural_bigram_loss` — The neural bigram's loss
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 15–20 minutes
#
# Write `neural_bigram_loss(W, xs, ys, regularization=0.01)`: `W` is a `(v, v)` float
# weight matrix, `xs` and `ys` are the `(n,)` int64 pairs from `bigram_pairs`. Compute,
# step by step:
#
# 1. the one-hot inputs `F.one_hot(xs, num_classes=v).float()`, shape `(n, v)`;
# 2. the logits: the matrix product of those with `W` (`@`), shape `(n, v)`;
# 3. the probabilities, a softmax over each row: exponentiate (the "counts") and divide
#    each row by its own sum;
# 4. the data loss: the mean over the `n` bigrams of $-\ln$ of the probability row `k`
#    gives to `ys[k]`;
# 5. the loss: the data loss plus `regularization * (W ** 2).mean()`.
#
# Return the loss as a 0-d float tensor that `loss.backward()` can differentiate with
# respect to `W` (no `.item()`, no `torch.no_grad()` on the way). Don't modify `W`.
#
# Check it with `tests.test_neural_bigram_loss(neural_bigram_loss)`.


# %%
def neural_bigram_loss(W: Float[Tensor, "v v"], xs: Int[Tensor, "n"], ys: Int[Tensor, "n"],
                       regularization: float = 0.01) -> Float[Tensor, ""]:
    """Mean NLL of ys under softmax(one_hot(xs) @ W), plus regularization * mean(W^2)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `train_neural_bigram` — Training the neural bigram by gradient descent
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 15–20 minutes
#
# Write `train_neural_bigram(xs, ys, vocab_size=27, steps=100, lr=50.0,
# regularization=0.01, generator=None)`: full-batch gradient descent on
# `neural_bigram_loss`.
#
# - Start from `W = torch.randn((vocab_size, vocab_size), generator=generator,
#   requires_grad=True)`, and make no other random draws.
# - At each of the `steps` steps: compute `loss = neural_bigram_loss(W, xs, ys,
#   regularization)` on all the pairs, record `loss.item()`, reset `W`'s gradient,
#   backpropagate, and update `W -= lr * W.grad` inside `torch.no_grad()`.
#
# Return `(W, losses)`: the trained weights (`W.detach()`) and the list of the `steps`
# losses as Python floats, each measured *before* its step's update.
#
# Check it with `tests.test_train_neural_bigram(train_neural_bigram)`.


# %%
def train_neural_bigram(xs: Int[Tensor, "n"], ys: Int[Tensor, "n"], vocab_size: int = 27,
                        steps: int = 100, lr: float = 50.0, regularization: float = 0.01,
                        generator: torch.Generator | None = None,
                        ) -> tuple[Float[Tensor, "v v"], list[float]]:
    """Full-batch gradient descent on neural_bigram_loss from random normal weights."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `fast_bigram_loss` — Bonus: index instead of one-hot, and F.cross_entropy
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes · bonus
#
# Write `fast_bigram_loss(W, xs, ys, regularization=0.01)`: the same value and gradient
# as `neural_bigram_loss` (to about $10^{-6}$), without building one-hot vectors (the
# check forbids `F.one_hot` and any matrix product with `W`). Two observations from
# Karpathy's exercises for this lecture:
#
# - A one-hot row times `W` just picks a row of `W`, so the logits are `W[xs]`, shape
#   `(n, v)`, with no matrix product.
# - `F.cross_entropy(logits, targets)` takes **logits** (not probabilities) and computes
#   the mean of $-\ln \mathrm{softmax}$ at the targets in one call, in a numerically safe
#   way.
#
# Return that plus the same `regularization * (W ** 2).mean()`, a 0-d tensor that
# backpropagates to `W`.
#
# Check it with `tests.test_fast_bigram_loss(fast_bigram_loss)`.


# %%
def fast_bigram_loss(W: Float[Tensor, "v v"], xs: Int[Tensor, "n"], ys: Int[Tensor, "n"],
                     regularization: float = 0.01) -> Float[Tensor, ""]:
    """neural_bigram_loss by row indexing and F.cross_entropy."""
    raise NotImplementedError()


# %%
# `pytest exercises/makemore_bigrams.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("makemore_bigrams", globals()))

if __name__ == "__main__":
    # With `--variant more_names`: the new specification's exercises, on its data.
    from utils.local import argv_variant, check_all

    check_all(globals(), "makemore_bigrams", variant=argv_variant())
