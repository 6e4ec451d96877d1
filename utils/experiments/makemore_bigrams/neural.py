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
import hashlib
import json
import logging
import math
import random
import time
from dataclasses import asdict, dataclass
from typing import Any

import torch
from jaxtyping import Float, Int
from torch import Tensor

from solutions import makemore_bigrams as reference
from utils.data import NameList
from utils.experiments.makemore_bigrams.counting import chapter_names  # noqa: F401 - one cache
from utils.experiments.saved import source_code
from utils.site_config import ROOT
from utils.torch_threads import one_thread

log = logging.getLogger("gtf.makemore_bigrams.neural")

HELD_OUT_FRACTION = 0.1  # the names left out of the counts in the smoothing sweep
SPLIT_SEED = 42
SMOOTHINGS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)




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


# --- Section 5: the neural bigram's training run ----------------------------------------------

RUN_PATH = ROOT / "assets" / "makemore_bigrams" / "neural_run.json"
SCRIPT = "python -m utils.experiments.makemore_bigrams.neural"


@dataclass(frozen=True)
class RunSettings:
    """The page's run: Karpathy's learning rate, penalty and seed, for 200 full-batch steps."""

    steps: int = 200
    lr: float = 50.0
    regularization: float = 0.01
    seed: int = 2147483647


# The reference solutions of section 5 the saved run calls: their code is part of its fingerprint.
# Sections 1-3's (build_vocab, bigram_counts, bigram_probs) enter by what they give instead, the
# vocabulary and the count model, so that rewriting one of them the same way changes nothing.
_SOLUTIONS = ("bigram_pairs", "neural_bigram_loss", "train_neural_bigram")


def data_digest(words: tuple[str, ...]) -> str:
    return hashlib.sha256("\n".join(words).encode()).hexdigest()[:16]


def fingerprint(settings: RunSettings = RunSettings()) -> str:
    """What the saved run was computed from: the reference solutions it calls, this module's
    training code, the settings, the names and the count model made of them."""
    digest = hashlib.sha256()
    for name in _SOLUTIONS:
        digest.update(source_code(getattr(reference, name)).encode())
    digest.update(source_code(train_reference).encode())
    digest.update(repr(asdict(settings)).encode())
    model = count_model()
    digest.update(data_digest(model.words).encode())
    digest.update(repr(sorted(model.stoi.items())).encode())
    digest.update(model.N.numpy().tobytes() + model.P.numpy().tobytes())
    return digest.hexdigest()[:16]


def train_reference(settings: RunSettings = RunSettings()) -> dict[str, Any]:
    """The reference's neural bigram trained on all the chapter's names, as plain data: the loss
    of every step, the trained W, its data loss (the penalty left out), the count model's NLL on
    the same names, and what it ran on."""
    model = count_model()
    words = list(model.words)
    xs, ys = reference.bigram_pairs(words, model.stoi)
    started = time.perf_counter()
    with one_thread():
        W, losses = reference.train_neural_bigram(
            xs, ys, len(model.stoi), settings.steps, settings.lr, settings.regularization,
            torch.Generator().manual_seed(settings.seed))
        data_loss = float(reference.neural_bigram_loss(W, xs, ys, 0.0))
        final = float(reference.neural_bigram_loss(W, xs, ys, settings.regularization))
    return {"settings": asdict(settings), "source": model.source,
            "data": data_digest(model.words), "n_bigrams": len(xs),
            "losses": [float(x) for x in losses], "final_loss": final, "data_loss": data_loss,
            "count_nll": nll_from_counts(model.N, model.P),
            "W": W.tolist(), "symbols": [model.itos[i] for i in range(len(model.itos))],
            "seconds": round(time.perf_counter() - started, 1)}


def write_reference_run() -> dict[str, Any]:
    run = {"fingerprint": fingerprint(), **train_reference()}
    RUN_PATH.parent.mkdir(parents=True, exist_ok=True)
    RUN_PATH.write_text(json.dumps(run, separators=(",", ":")) + "\n")
    return run


@functools.lru_cache(maxsize=1)
def reference_run() -> dict[str, Any]:
    """The page's run, as saved in assets/ when it was made on these names; else (a missing or
    unreadable file, or names.txt on disk instead of the SSA names) trained now, which takes
    tens of seconds."""
    try:
        saved = json.loads(RUN_PATH.read_text())
        if saved.get("data") == data_digest(chapter_names().words):
            return saved
        log.info("%s was made on other names: training the run now", RUN_PATH)
    except (OSError, ValueError):
        log.warning("%s is missing or unreadable (run `%s`): training it now", RUN_PATH, SCRIPT)
    return {"fingerprint": fingerprint(), **train_reference()}


def train_namespace(namespace: Any, steps: int, every: int) -> dict[str, Any]:
    """A neural bigram trained with `namespace`'s build_vocab, bigram_pairs and
    train_neural_bigram (lr, penalty and seed of the page's run) on every `every`-th of the
    chapter's names, and the NLL of the count model its bigram_counts, bigram_probs and
    mean_nll make of the same names. Plain data, for the sandbox's JSON."""
    names = chapter_names()
    words = list(names.words[::every])
    settings = RunSettings()
    stoi, _ = namespace["build_vocab"](words)
    xs, ys = namespace["bigram_pairs"](words, stoi)
    W, losses = namespace["train_neural_bigram"](
        xs, ys, len(stoi), steps, settings.lr, settings.regularization,
        torch.Generator().manual_seed(settings.seed))
    N = namespace["bigram_counts"](words, stoi)
    P = namespace["bigram_probs"](N, 1)
    count_nll = float(namespace["mean_nll"](words, P, stoi))
    return {"losses": [float(x) for x in losses], "W": torch.as_tensor(W).detach().tolist(),
            "count_nll": count_nll, "n_words": len(words), "n_bigrams": int(len(xs)),
            "steps": steps, "source": names.source}


def counted_loss(W: Float[Tensor, "v v"], N: Int[Tensor, "v v"], regularization: float
                 ) -> Float[Tensor, ""]:
    """neural_bigram_loss on all the bigrams that N counts, computed from the counts: the n
    examples hold only v * v distinct pairs, so the mean over examples is a count-weighted sum
    over the table (the same function of W, with the same gradient, in 729 terms instead of
    232 000)."""
    n = N.to(W.dtype)
    return -(n * W.log_softmax(1)).sum() / n.sum() + regularization * (W ** 2).mean()


@functools.lru_cache(maxsize=2)
def long_run(steps: int = 3000, settings: RunSettings = RunSettings()) -> dict[str, Any]:
    """The page's run continued to `steps` steps through counted_loss (a second where the
    reference's one-hot loss would take minutes): the loss per step, the data loss at the end."""
    N = count_model().N
    with one_thread():
        W = torch.randn((N.shape[0],) * 2, generator=torch.Generator().manual_seed(settings.seed),
                        requires_grad=True)
        losses = []
        for _ in range(steps):
            loss = counted_loss(W, N, settings.regularization)
            losses.append(loss.item())
            W.grad = None
            loss.backward()
            with torch.no_grad():
                W -= settings.lr * W.grad
        with torch.no_grad():
            data_loss = float(counted_loss(W, N, 0.0))
    return {"losses": losses, "data_loss": data_loss, "W": W.detach()}


@dataclass(frozen=True)
class RowFit:
    """How well W matches ln(N + 1) up to one constant per row."""

    offsets: Float[Tensor, "v"]  # c_i: the count-weighted mean of W[i] - ln(N[i] + 1)
    residual: Float[Tensor, "v v"]  # W - ln(N + 1) - c_i
    bands: tuple[tuple[int, int | None, int, float, float], ...]  # (from, to, how many,
    #                                                     largest |residual|, median |residual|)


COUNT_BANDS = ((1, 10), (10, 100), (100, 1000), (1000, None))


def row_fit(W: Float[Tensor, "v v"], N: Int[Tensor, "v v"]) -> RowFit:
    """W against the log of the add-one counts: the per-row constant that fits best where the
    data is (weighted by the counts), what is left, and how large that is for bigrams seen
    1-9, 10-99, 100-999 and 1000 or more times."""
    n = N.double()
    diff = W.double() - (n + 1).log()
    offsets = (diff * n).sum(1) / n.sum(1)
    residual = diff - offsets[:, None]
    bands = []
    for low, high in COUNT_BANDS:
        mask = (n >= low) & (n < (high if high is not None else math.inf))
        r = residual[mask].abs()
        bands.append((low, high, int(mask.sum()), float(r.max()), float(r.median())))
    return RowFit(offsets, residual, tuple(bands))


def run_row_fit(run: dict[str, Any]) -> RowFit:
    return row_fit(torch.tensor(run["W"]), count_model().N)


if __name__ == "__main__":
    saved = write_reference_run()
    print(f"{RUN_PATH.relative_to(ROOT)}: {saved['seconds']} s; loss {saved['losses'][0]:.4f} -> "
          f"{saved['final_loss']:.4f} (data {saved['data_loss']:.4f}; count model "
          f"{saved['count_nll']:.4f})")
