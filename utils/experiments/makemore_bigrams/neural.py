"""Measurements for chapter 4.1's sections 4-5 (the likelihood, the neural bigram); no drawing.

The names are `chapter_names()`: makemore's names.txt when it is already on disk, else the
offline SSA stand-in (never a download: a page must not wait on the network, and the runner's
sandbox has none). Every result carries the `source` it was measured on, so that a figure can
name it.

Section 4's numbers are exact sums over the count table: the mean NLL of a list of names under a
model P is sum_ij n_ij * (-ln P_ij) / sum_ij n_ij, where n counts the names' bigrams, which is
what `mean_nll` computes one bigram at a time (here in float64, in milliseconds instead of a
second of Python loop). Section 5's training run is in `training_run()`, saved in
assets/makemore_bigrams/ (see utils/experiments/makemore_bigrams/precompute.py).
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass

import torch
from jaxtyping import Float, Int
from torch import Tensor

from solutions import makemore_bigrams as reference
from utils.data import NameList, get_names

HELD_OUT_FRACTION = 0.1  # the names left out of the counts in the smoothing sweep
SPLIT_SEED = 42
SMOOTHINGS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


@functools.lru_cache(maxsize=1)
def chapter_names() -> NameList:
    """The chapter's names: names.txt if it is on disk, else the 32 000 most common SSA names.
    Cached per process; the code runner calls it once before forking (chapter.toml preload),
    since a confined run cannot read the data directory."""
    return get_names(allow_download=False)


@dataclass(frozen=True)
class CountModel:
    """The reference's vocabulary, counts and add-`smoothing` probabilities on some names."""

    source: str
    words: tuple[str, ...]
    stoi: dict[str, int]
    itos: dict[int, str]
    N: Int[Tensor, "v v"]
    P: Float[Tensor, "v v"]
    smoothing: int


@functools.lru_cache(maxsize=4)
def count_model(smoothing: int = 1) -> CountModel:
    """build_vocab, bigram_counts and bigram_probs of the reference, on the chapter's names."""
    names = chapter_names()
    words = list(names.words)
    stoi, itos = reference.build_vocab(words)
    N = reference.bigram_counts(words, stoi)
    return CountModel(names.source, names.words, stoi, itos, N,
                      reference.bigram_probs(N, smoothing), smoothing)


def nll_from_counts(counts: Int[Tensor, "v v"], P: Float[Tensor, "v v"]) -> float:
    """The mean of -ln P[a, b] over the bigrams that `counts` counts (float64). A bigram that
    occurs but has probability 0 makes it +inf; one that has probability 0 and does not occur
    adds nothing (0 * inf would be nan)."""
    n = counts.double()
    logp = P.double().log()
    seen = n > 0
    return float(-(n[seen] * logp[seen]).sum() / n.sum())


def uniform_nll(v: int) -> float:
    """The loss of a model that gives each of v symbols probability 1/v: ln v."""
    return math.log(v)


@dataclass(frozen=True)
class BigramScore:
    bigram: str  # two symbols, e.g. ".e"
    count: int  # how often it occurs in the names the model was counted on
    p: float  # the model's probability for it
    nll: float  # -ln p (inf for p = 0)


def name_scores(name: str, model: CountModel) -> list[BigramScore]:
    """Each bigram of `name` (wrapped in '.') with its count, probability and -ln p."""
    chs = ["."] + list(name) + ["."]
    scores = []
    for a, b in zip(chs, chs[1:]):
        i, j = model.stoi[a], model.stoi[b]
        p = float(model.P[i, j])
        scores.append(BigramScore(a + b, int(model.N[i, j]), p,
                                  -math.log(p) if p > 0 else math.inf))
    return scores


def check_name(name: str, stoi: dict[str, int]) -> str:
    """A name typed by a learner, lowercased and stripped; ValueError (saying why) unless it is
    1 to 30 symbols of the vocabulary (no '.')."""
    word = name.strip().lower()
    if not word:
        raise ValueError("type a name")
    if len(word) > 30:
        raise ValueError("at most 30 letters")
    bad = sorted({c for c in word if c not in stoi or c == "."})
    if bad:
        raise ValueError(f"only the letters a-z, not {' '.join(repr(c) for c in bad)}")
    return word


def unseen_bigrams(N: Int[Tensor, "v v"], itos: dict[int, str]) -> list[str]:
    """The bigrams that never occur in the counted names, as two-symbol strings, in index
    order ('..', the empty name, among them)."""
    return [itos[int(i)] + itos[int(j)] for i, j in (N == 0).nonzero().tolist()]


@dataclass(frozen=True)
class SmoothingSweep:
    """Mean NLL on the counted names and on held-out names, per amount of smoothing."""

    source: str
    smoothings: tuple[int, ...]
    train: tuple[float, ...]
    held_out: tuple[float, ...]
    n_train: int  # names counted
    n_held_out: int  # names left out
    held_out_unseen: tuple[str, ...]  # held-out bigrams the counted names never have


def split_names(words: tuple[str, ...], fraction: float = HELD_OUT_FRACTION,
                seed: int = SPLIT_SEED) -> tuple[list[str], list[str]]:
    """(counted, held out): a seeded shuffle, then the last `fraction` held out."""
    shuffled = list(words)
    random.Random(seed).shuffle(shuffled)
    cut = len(shuffled) - int(round(fraction * len(shuffled)))
    return shuffled[:cut], shuffled[cut:]


@functools.lru_cache(maxsize=1)
def smoothing_sweep(smoothings: tuple[int, ...] = SMOOTHINGS) -> SmoothingSweep:
    """Count the bigrams of 90 % of the chapter's names, then measure the mean NLL of
    bigram_probs(N, s) on those names and on the other 10 %, for each s."""
    model = count_model()
    counted, held = split_names(model.words)
    N = reference.bigram_counts(counted, model.stoi)
    N_held = reference.bigram_counts(held, model.stoi)
    train, held_out = [], []
    for s in smoothings:
        P = reference.bigram_probs(N, s)
        train.append(nll_from_counts(N, P))
        held_out.append(nll_from_counts(N_held, P))
    unseen = tuple(model.itos[i] + model.itos[j]
                   for i, j in ((N == 0) & (N_held > 0)).nonzero().tolist())
    return SmoothingSweep(model.source, tuple(smoothings), tuple(train), tuple(held_out),
                          len(counted), len(held), unseen)
