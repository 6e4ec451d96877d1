"""The chapter's data and its reference run (no drawing).

`names_split()` is the chapter's data: the names (makemore's names.txt when the server has it,
else the offline SSA names), split 80/10/10 with the reference `split_words`, as datasets of
contexts. `reference_run()` is Karpathy's part-2 model trained by the reference solutions: block 3,
10-d embeddings, 200 tanh units, minibatches of 32, learning rate 0.1 then 0.01. Training takes
minutes on a busy CPU, so the result is computed once by

    python -m utils.experiments.makemore_mlp.model

and kept in assets/makemore_mlp/reference_run.pt (about 60 KB); it is retrained if missing. The
file records which names it was trained on, and the page says so. The other numbers sections 0-3
state (count models over longer contexts, overfitting with fewer names, steps per second) are
measured by

    python -m utils.experiments.makemore_mlp.model measurements

into assets/makemore_mlp/measurements.json (computed at first use if missing).
"""

from __future__ import annotations

import functools
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from jaxtyping import Int
from torch import Tensor

from solutions import makemore_mlp as reference
from utils.demos.makemore_mlp_settings import SEED  # Karpathy's generator seed
from utils.experiments.saved import saved_json, saved_torch
from utils.data import get_names
from utils.torch_threads import one_thread

ROOT = Path(__file__).resolve().parents[3]
REFERENCE_PATH = ROOT / "assets" / "makemore_mlp" / "reference_run.pt"

BLOCK_SIZE, N_EMBD, N_HIDDEN, BATCH_SIZE = 3, 10, 200, 32
STEPS, DECAY_AT = 200_000, 100_000  # learning rate 0.1 for the first DECAY_AT steps, then 0.01
LOG_EVERY = 100  # the loss curve keeps the mean of every LOG_EVERY minibatch losses


@dataclass(frozen=True)
class NameSplit:
    """The chapter's words, vocabulary and train/dev/test datasets of contexts."""

    words: tuple[str, ...]
    source: str
    stoi: dict[str, int]
    itos: dict[int, str]
    train_words: list[str]
    dev_words: list[str]
    test_words: list[str]
    block_size: int
    Xtr: Int[Tensor, "n_train block"]
    Ytr: Int[Tensor, "n_train"]
    Xdev: Int[Tensor, "n_dev block"]
    Ydev: Int[Tensor, "n_dev"]
    Xte: Int[Tensor, "n_test block"]
    Yte: Int[Tensor, "n_test"]


@functools.lru_cache(maxsize=4)
def names_split(block_size: int = BLOCK_SIZE, allow_download: bool = False) -> NameSplit:
    """The names, split 80/10/10 with seed 42, as datasets of `block_size` contexts."""
    names = get_names(allow_download=allow_download)
    words = list(names.words)
    stoi, itos = reference.build_vocab(words)
    train, dev, test = reference.split_words(words)
    Xtr, Ytr = reference.build_dataset(train, block_size, stoi)
    Xdev, Ydev = reference.build_dataset(dev, block_size, stoi)
    Xte, Yte = reference.build_dataset(test, block_size, stoi)
    return NameSplit(tuple(words), names.source, stoi, itos, train, dev, test, block_size,
                     Xtr, Ytr, Xdev, Ydev, Xte, Yte)


def train_seeded(n_embd: int, n_hidden: int, steps: int, decay_at: int, batch_size: int,
                 splits: tuple[str, ...] = ("train", "dev", "test"),
                 ) -> tuple[dict[str, Tensor], list[float], dict[str, float], float]:
    """A model drawn by the reference `init_mlp` from SEED and trained by its `train_mlp` on the
    train split, at rate 0.1 then 0.01 from step `decay_at`, on one thread: its parameters
    (detached), minibatch losses, the loss on each of `splits`, and the seconds it took."""
    data = names_split()
    generator = torch.Generator().manual_seed(SEED)
    params = reference.init_mlp(len(data.stoi), BLOCK_SIZE, n_embd, n_hidden, generator)
    started = time.perf_counter()
    datasets = {"train": (data.Xtr, data.Ytr), "dev": (data.Xdev, data.Ydev),
                "test": (data.Xte, data.Yte)}
    with one_thread():
        losses = reference.train_mlp(params, data.Xtr, data.Ytr, steps, batch_size,
                                     lambda step: 0.1 if step < decay_at else 0.01, generator)
        split_losses = {name: reference.split_loss(params, *datasets[name]) for name in splits}
    return ({k: v.detach().clone() for k, v in params.items()}, losses, split_losses,
            time.perf_counter() - started)


def train_reference(steps: int = STEPS) -> dict:
    """Karpathy's part-2 run with the reference solutions; the dict that reference_run keeps."""
    data = names_split()
    params, losses, split_losses, seconds = train_seeded(N_EMBD, N_HIDDEN, steps, DECAY_AT,
                                                         BATCH_SIZE)
    curve = torch.tensor(losses).view(-1, LOG_EVERY).mean(1) if steps % LOG_EVERY == 0 \
        else torch.tensor(losses)
    return {
        "params": params,
        "loss_curve": curve,  # mean minibatch loss per LOG_EVERY steps
        "log_every": LOG_EVERY if steps % LOG_EVERY == 0 else 1,
        "first_loss": losses[0],
        "split_losses": split_losses,
        "steps": steps, "decay_at": DECAY_AT, "batch_size": BATCH_SIZE, "seed": SEED,
        "block_size": BLOCK_SIZE, "n_embd": N_EMBD, "n_hidden": N_HIDDEN,
        "source": data.source, "n_words": len(data.words),
        "seconds": seconds,
    }


@functools.lru_cache(maxsize=1)
def reference_run() -> dict:
    """The committed reference run (trained and saved first if the file is missing)."""
    return saved_torch(REFERENCE_PATH, train_reference)


# --- sections 0-3's measurements (assets/makemore_mlp/measurements.json) ----------------------

MEASUREMENTS_PATH = ROOT / "assets" / "makemore_mlp" / "measurements.json"
CONTEXT_LENGTHS = (1, 2, 3, 4, 5)
COUNT_SMOOTHING = 0.1  # add-0.1: add-1 drowns the thin counts of long contexts
OVERFIT_TRAIN_WORDS = (1_000, 25_600)  # the first n training names (25,600 is all of them)
OVERFIT_HIDDEN = (20, 200)
OVERFIT_STEPS, OVERFIT_DECAY_AT, OVERFIT_SEED = 30_000, 20_000, 1


def _context_codes(X: Int[Tensor, "n k"], vocab: int) -> Int[Tensor, "n"]:
    """Each context as one integer (base `vocab`), so contexts can be counted with unique()."""
    weights = vocab ** torch.arange(X.shape[1] - 1, -1, -1)
    return (X * weights).sum(1)


def count_model_row(k: int, smoothing: float = COUNT_SMOOTHING) -> dict:
    """What a count table over k-symbol contexts holds and how well it does: contexts possible
    and seen in the training names, dev examples whose context training saw fewer than 10 times,
    and the add-`smoothing` model's mean NLL on train and dev."""
    data = names_split()
    v = len(data.stoi)
    Xtr, Ytr = reference.build_dataset(data.train_words, k, data.stoi)
    Xdev, Ydev = reference.build_dataset(data.dev_words, k, data.stoi)
    ctx_tr, ctx_dev = _context_codes(Xtr, v), _context_codes(Xdev, v)
    keys, inverse = torch.unique(torch.cat([ctx_tr, ctx_dev]), return_inverse=True)
    inv_tr, inv_dev = inverse[:len(ctx_tr)], inverse[len(ctx_tr):]
    counts = torch.zeros(len(keys), v, dtype=torch.float64)
    counts.index_put_((inv_tr, Ytr), torch.ones(len(Ytr), dtype=torch.float64), accumulate=True)
    row_totals = counts.sum(1)
    logp = ((counts + smoothing) / (row_totals + smoothing * v)[:, None]).log()
    return {"k": k, "possible": v ** k, "table_entries": v ** (k + 1),
            "seen_in_train": int((row_totals > 0).sum()),
            "dev_rare_fraction": float((row_totals[inv_dev] < 10).double().mean()),
            "train_nll": float(-logp[inv_tr, Ytr].mean()),
            "dev_nll": float(-logp[inv_dev, Ydev].mean())}


def overfit_run(n_train_words: int, n_hidden: int) -> dict:
    """The chapter's MLP with `n_hidden` units trained on the first `n_train_words` training
    names (OVERFIT_STEPS minibatch steps, rate 0.1 then 0.01): its loss on those names and on
    the whole dev split."""
    data = names_split()
    X, Y = reference.build_dataset(data.train_words[:n_train_words], BLOCK_SIZE, data.stoi)
    generator = torch.Generator().manual_seed(OVERFIT_SEED)
    params = reference.init_mlp(len(data.stoi), BLOCK_SIZE, N_EMBD, n_hidden, generator)
    with one_thread():
        reference.train_mlp(params, X, Y, OVERFIT_STEPS, BATCH_SIZE,
                            lambda step: 0.1 if step < OVERFIT_DECAY_AT else 0.01, generator)
        return {"n_train_words": n_train_words, "n_hidden": n_hidden,
                "n_examples": int(X.shape[0]),
                "n_params": sum(p.numel() for p in params.values()),
                "train": reference.split_loss(params, X, Y),
                "dev": reference.split_loss(params, data.Xdev, data.Ydev)}


def steps_per_second(batch_size: int | None, seconds: float = 2.0) -> float:
    """Training steps per second on the chapter's training split (None: the whole split), on
    one thread (a timing: it depends on the machine and what else it is doing)."""
    data = names_split()
    size = batch_size or data.Xtr.shape[0]
    params = reference.init_mlp(len(data.stoi), BLOCK_SIZE, N_EMBD, N_HIDDEN,
                                torch.Generator().manual_seed(0))
    steps, started = 0, time.perf_counter()
    with one_thread():
        while time.perf_counter() - started < seconds or steps < 2:
            reference.train_mlp(params, data.Xtr, data.Ytr, 1, size, 0.1)
            steps += 1
    return steps / (time.perf_counter() - started)


def measurement_settings() -> dict:
    """What the saved measurements were computed with (a test compares them with these)."""
    return {"context_lengths": list(CONTEXT_LENGTHS), "count_smoothing": COUNT_SMOOTHING,
            "overfit_train_words": list(OVERFIT_TRAIN_WORDS),
            "overfit_hidden": list(OVERFIT_HIDDEN), "overfit_steps": OVERFIT_STEPS,
            "overfit_decay_at": OVERFIT_DECAY_AT, "overfit_seed": OVERFIT_SEED,
            "block_size": BLOCK_SIZE, "n_embd": N_EMBD, "batch_size": BATCH_SIZE}


def compute_measurements() -> dict:
    data = names_split()
    return {"source": data.source, "n_words": len(data.words), "settings": measurement_settings(),
            "count_models": [count_model_row(k) for k in CONTEXT_LENGTHS],
            "overfitting": [overfit_run(n, h) for n in OVERFIT_TRAIN_WORDS
                            for h in OVERFIT_HIDDEN],
            "steps_per_second": {"32": steps_per_second(32),
                                 "full": steps_per_second(None, 10.0)}}


@functools.lru_cache(maxsize=1)
def measurements() -> dict:
    """The saved measurements (computed and saved first if the file is missing)."""
    return saved_json(MEASUREMENTS_PATH, compute_measurements)


def main() -> None:
    import sys

    if sys.argv[1:] == ["measurements"]:
        MEASUREMENTS_PATH.parent.mkdir(parents=True, exist_ok=True)
        MEASUREMENTS_PATH.write_text(json.dumps(compute_measurements(), indent=1))
        print(MEASUREMENTS_PATH.read_text())
        return
    run = train_reference()
    REFERENCE_PATH.parent.mkdir(parents=True, exist_ok=True)
    torch.save(run, REFERENCE_PATH)
    print(f"{run['steps']} steps in {run['seconds']:.0f} s on {run['source']}: first loss "
          f"{run['first_loss']:.2f}, " + ", ".join(f"{k} {v:.4f}" for k, v in
                                                  run["split_losses"].items())
          + f" (uniform: {math.log(len(names_split().stoi)):.4f})")


if __name__ == "__main__":
    main()
