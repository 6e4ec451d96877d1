"""The chapter's reference run (no drawing).

`reference_run()` is Karpathy's part-5 model trained by the reference solutions on chapter 4.2's
names and splits with contexts of 8 symbols: 24-d embeddings, 128 hidden units per level, three
levels of pairwise merging, minibatches of 32, learning rate 0.1 then 0.01 for the last quarter.
Training takes minutes on a CPU, so it is computed once by

    python -m utils.experiments.makemore_wavenet.model

and kept in assets/makemore_wavenet/reference_run.pt; it is retrained if missing. What the pages
state beside it (the losses of chapters 4.1 and 4.2's models on the same split, names sampled from
the trained model) is in assets/makemore_wavenet/measurements.json, from

    python -m utils.experiments.makemore_wavenet.model measurements

The file records which names it was trained on, and the page says so.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from pathlib import Path

import torch
from jaxtyping import Int
from torch import Tensor

from solutions import makemore_wavenet as reference
from utils.experiments.saved import saved_json, saved_torch
from utils.experiments.makemore_mlp.model import names_split
from utils.demos.makemore_wavenet_settings import SEED
from utils.torch_threads import one_thread

ROOT = Path(__file__).resolve().parents[3]
REFERENCE_PATH = ROOT / "assets" / "makemore_wavenet" / "reference_run.pt"
MEASUREMENTS_PATH = ROOT / "assets" / "makemore_wavenet" / "measurements.json"

BLOCK_SIZE, N_EMBD, N_HIDDEN, BATCH_SIZE = 8, 24, 128, 32
STEPS, DECAY_AT = 200_000, 150_000  # learning rate 0.1 for the first DECAY_AT steps, then 0.01
LOG_EVERY = 1000  # the loss curve keeps the mean of every LOG_EVERY minibatch losses
FIRST_STEPS = 5000  # ... and every loss of the first FIRST_STEPS, for "Train my model" to compare


def train_reference(steps: int = STEPS) -> dict:
    """Karpathy's part-5 run with the reference solutions; the dict that reference_run keeps."""
    data = names_split(BLOCK_SIZE)
    torch.manual_seed(SEED)  # nothing should draw from the global generator; pin it anyway
    generator = torch.Generator().manual_seed(SEED)
    model = reference.build_wavenet(len(data.stoi), N_EMBD, N_HIDDEN, generator)
    started = time.perf_counter()
    with one_thread():
        losses = reference.train_wavenet(model, data.Xtr, data.Ytr, steps, batch_size=BATCH_SIZE,
                                         lr=lambda step: 0.1 if step < DECAY_AT else 0.01,
                                         generator=generator)
        split_losses = {name: reference.evaluate_loss(model, X, Y) for name, X, Y in
                        (("train", data.Xtr, data.Ytr), ("dev", data.Xdev, data.Ydev),
                         ("test", data.Xte, data.Yte))}
    seconds = time.perf_counter() - started
    log_every = LOG_EVERY if steps % LOG_EVERY == 0 else 1
    return {
        "state": [p.detach().clone() for p in model.parameters()],
        "running": [(layer.running_mean.clone(), layer.running_var.clone())
                    for layer in model.layers if isinstance(layer, reference.BatchNorm1d)],
        "loss_curve": torch.tensor(losses).view(-1, log_every).mean(1),
        "log_every": log_every,
        "first_loss": losses[0],
        "first_losses": torch.tensor(losses[:FIRST_STEPS]),
        "split_losses": split_losses,
        "steps": steps, "decay_at": DECAY_AT, "batch_size": BATCH_SIZE, "seed": SEED,
        "block_size": BLOCK_SIZE, "n_embd": N_EMBD, "n_hidden": N_HIDDEN,
        "n_params": sum(p.numel() for p in model.parameters()),
        "source": data.source, "n_words": len(data.words),
        "seconds": seconds,
    }


def load_model(run: dict) -> reference.Sequential:
    """The trained model of a run, in evaluation mode."""
    model = reference.build_wavenet(27, run["n_embd"], run["n_hidden"])
    with torch.no_grad():
        for p, saved in zip(model.parameters(), run["state"]):
            p.copy_(saved)
    norms = [layer for layer in model.layers if isinstance(layer, reference.BatchNorm1d)]
    for layer, (mean, var) in zip(norms, run["running"]):
        layer.running_mean, layer.running_var = mean.clone(), var.clone()
    reference.set_training(model, False)
    return model


@functools.lru_cache(maxsize=1)
def reference_run() -> dict:
    """The committed reference run (trained and saved first if the file is missing)."""
    return saved_torch(REFERENCE_PATH, train_reference)


SAMPLE_SEED, N_SAMPLES = 2147483647 + 10, 20  # Karpathy's seed + 10, as his lecture samples


def trace_batch() -> Int[Tensor, "4 8"]:
    """The 4 contexts the shape trace runs on: the first 4 of the training split."""
    return names_split(BLOCK_SIZE).Xtr[:4]


def comparison() -> list[dict]:
    """Train/dev/test losses and sizes of the three models of chapters 4.1, 4.2 and 4.5 on the
    same names and the same 80/10/10 split: 4.1's bigram counts (add-one smoothing, counted on
    the training names), 4.2's reference MLP (saved run) and this chapter's reference run."""
    from solutions import makemore_bigrams as bigrams
    from utils.experiments.makemore_mlp.model import reference_run as mlp_run

    data = names_split(BLOCK_SIZE)
    P = bigrams.bigram_probs(bigrams.bigram_counts(data.train_words, data.stoi), 1)
    mlp, run = mlp_run(), reference_run()
    return [
        {"model": "bigram counts (4.1)", "context": 1, "parameters": P.numel(),
         **{name: bigrams.mean_nll(words, P, data.stoi) for name, words in
            (("train", data.train_words), ("dev", data.dev_words), ("test", data.test_words))}},
        {"model": "MLP (4.2)", "context": mlp["block_size"],
         "parameters": sum(p.numel() for p in mlp["params"].values()), **mlp["split_losses"]},
        {"model": "WaveNet (4.5)", "context": run["block_size"], "parameters": run["n_params"],
         **run["split_losses"]},
    ]


def samples(n: int = N_SAMPLES, seed: int = SAMPLE_SEED) -> list[str]:
    """n names drawn from the reference run's model by the given sampler."""
    data = names_split(BLOCK_SIZE)
    itos = {i: ch for ch, i in data.stoi.items()}
    with one_thread():  # one context at a time: threads would only wait for each other
        return reference.sample_wavenet(load_model(reference_run()), n,
                                        torch.Generator().manual_seed(seed), itos, BLOCK_SIZE)


def compute_measurements() -> dict:
    """What the pages state besides the run: the three chapters' losses, the WaveNet's names."""
    with one_thread():
        return {"source": names_split(BLOCK_SIZE).source, "comparison": comparison(),
                "samples": samples(), "sample_seed": SAMPLE_SEED}


@functools.lru_cache(maxsize=1)
def measurements() -> dict:
    """The saved measurements (computed and saved first if the file is missing)."""
    return saved_json(MEASUREMENTS_PATH, compute_measurements)


def preload() -> None:
    """What the code runner loads before it forks runs: the names as contexts of 8 and the
    reference run (the demos and figures of sections 4-5 use both)."""
    names_split(BLOCK_SIZE)
    reference_run()


def main() -> None:
    if sys.argv[1:] == ["measurements"]:
        MEASUREMENTS_PATH.write_text(json.dumps(compute_measurements(), indent=1))
        print(f"wrote {MEASUREMENTS_PATH}")
        return
    run = train_reference()
    REFERENCE_PATH.parent.mkdir(parents=True, exist_ok=True)
    torch.save(run, REFERENCE_PATH)
    print(f"{run['steps']} steps in {run['seconds']:.0f} s on {run['source']}: "
          + ", ".join(f"{k} {v:.4f}" for k, v in run["split_losses"].items()))


if __name__ == "__main__":
    main()
