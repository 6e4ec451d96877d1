"""The chapter's data and its reference run (no drawing).

`names_split()` is the chapter's data: the names (makemore's names.txt when the server has it,
else the offline SSA names), split 80/10/10 with the reference `split_words`, as datasets of
contexts. `reference_run()` is Karpathy's part-2 model trained by the reference solutions: block 3,
10-d embeddings, 200 tanh units, minibatches of 32, learning rate 0.1 then 0.01. Training takes
minutes on a busy CPU, so the result is computed once by

    python -m utils.experiments.makemore_mlp.model

and kept in assets/makemore_mlp/reference_run.pt (about 60 KB); it is retrained if missing. The
file records which names it was trained on, and the page says so.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from jaxtyping import Int
from torch import Tensor

from solutions import makemore_mlp as reference
from utils.data import get_names
from utils.torch_threads import one_thread

ROOT = Path(__file__).resolve().parents[3]
REFERENCE_PATH = ROOT / "assets" / "makemore_mlp" / "reference_run.pt"

BLOCK_SIZE, N_EMBD, N_HIDDEN, BATCH_SIZE = 3, 10, 200, 32
STEPS, DECAY_AT = 200_000, 100_000  # learning rate 0.1 for the first DECAY_AT steps, then 0.01
SEED = 2147483647  # Karpathy's generator seed
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


def learning_rate(step: int) -> float:
    return 0.1 if step < DECAY_AT else 0.01


def train_reference(steps: int = STEPS) -> dict:
    """Karpathy's part-2 run with the reference solutions; the dict that reference_run keeps."""
    data = names_split()
    generator = torch.Generator().manual_seed(SEED)
    params = reference.init_mlp(len(data.stoi), BLOCK_SIZE, N_EMBD, N_HIDDEN, generator)
    started = time.perf_counter()
    with one_thread():
        losses = reference.train_mlp(params, data.Xtr, data.Ytr, steps, BATCH_SIZE,
                                     learning_rate, generator)
        split_losses = {name: reference.split_loss(params, X, Y) for name, X, Y in
                        (("train", data.Xtr, data.Ytr), ("dev", data.Xdev, data.Ydev),
                         ("test", data.Xte, data.Yte))}
    curve = torch.tensor(losses).view(-1, LOG_EVERY).mean(1) if steps % LOG_EVERY == 0 \
        else torch.tensor(losses)
    return {
        "params": {k: v.detach().clone() for k, v in params.items()},
        "loss_curve": curve,  # mean minibatch loss per LOG_EVERY steps
        "log_every": LOG_EVERY if steps % LOG_EVERY == 0 else 1,
        "first_loss": losses[0],
        "split_losses": split_losses,
        "steps": steps, "decay_at": DECAY_AT, "batch_size": BATCH_SIZE, "seed": SEED,
        "block_size": BLOCK_SIZE, "n_embd": N_EMBD, "n_hidden": N_HIDDEN,
        "source": data.source, "n_words": len(data.words),
        "seconds": time.perf_counter() - started,
    }


@functools.lru_cache(maxsize=1)
def reference_run() -> dict:
    """The committed reference run (trained and saved first if the file is missing)."""
    if not REFERENCE_PATH.exists():
        run = train_reference()
        REFERENCE_PATH.parent.mkdir(parents=True, exist_ok=True)
        torch.save(run, REFERENCE_PATH)
    return torch.load(REFERENCE_PATH, weights_only=True)


def main() -> None:
    run = train_reference()
    REFERENCE_PATH.parent.mkdir(parents=True, exist_ok=True)
    torch.save(run, REFERENCE_PATH)
    print(f"{run['steps']} steps in {run['seconds']:.0f} s on {run['source']}: first loss "
          f"{run['first_loss']:.2f}, " + ", ".join(f"{k} {v:.4f}" for k, v in
                                                  run["split_losses"].items())
          + f" (uniform: {math.log(len(names_split().stoi)):.4f})")


if __name__ == "__main__":
    main()
