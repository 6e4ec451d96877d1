"""Runs and data for chapter 4.2's sections 4-6 (learning rate, embeddings and samples, the
trigram bonus). No drawing here.

Three measurements, all on the chapter's data (`names_split()`: the offline SSA names on a server
without names.txt, which the saved files record in "source"):

- `lr_sweep()`: the learning-rate range test of section 4 with the reference solutions, on the
  small model Karpathy ran it on (block 3, 2-d embeddings, 100 tanh units) from his seed: 1000
  steps, one per exponent in linspace(-3, 0, 1000). Half a second.
- `embedding_run()`: section 5's model with **2-d** embeddings (100 tanh units), trained long
  enough for the letters to settle, so that its embedding table C can be drawn as points in the
  plane. About a minute on a busy CPU.
- `trigram_study()`: section 6's bonus, the trigram count model against the bigram count model on
  the train/dev split, the smoothing swept on dev, and the test NLL of the chosen value.
- `compute_samples()`: section 5's names from the reference run and from the bigram model.

The three are computed once by

    python -m utils.experiments.makemore_mlp.tuning

and kept in assets/makemore_mlp/ (tuning.json and embedding_2d.pt); a missing file is computed
at first use. tests/test_makemore2_tuning.py fails when a saved file no longer matches what the
code computes.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import torch

from solutions import makemore_bigrams as bigrams
from solutions import makemore_mlp as reference
from utils.experiments.saved import saved_json, saved_torch
from utils.experiments.makemore_mlp.model import (BLOCK_SIZE, SEED, names_split, reference_run,
                                              train_seeded)
from utils.demos.makemore_mlp_settings import (N_SAMPLES, SAMPLE_SEED, SWEEP_HI, SWEEP_LO,
                                                SWEEP_STEPS)
from utils.torch_threads import one_thread

ROOT = Path(__file__).resolve().parents[3]
ASSETS = ROOT / "assets" / "makemore_mlp"
TUNING_PATH = ASSETS / "tuning.json"
EMBEDDING_PATH = ASSETS / "embedding_2d.pt"
SCRIPT = "python -m utils.experiments.makemore_mlp.tuning"

# Section 4: the range test, on section 5's small model (Karpathy's, when he ran it).
SWEEP_BATCH = 32  # (its steps and exponents: SWEEP_STEPS, SWEEP_LO, SWEEP_HI, from the settings)
SWEEP_EMBD, SWEEP_HIDDEN = 2, 100
SMOOTH = 25  # the running mean (figure and valley) averages 2 * SMOOTH + 1 neighbouring steps

# Section 5: the 2-d embedding model (Karpathy draws C of a model with 2-d embeddings).
EMB_EMBD, EMB_HIDDEN, EMB_STEPS, EMB_DECAY_AT, EMB_BATCH = 2, 100, 60_000, 40_000, 32
EMB_LOG_EVERY = 100

# Section 6: smoothing values tried on dev (a log grid; 1 is chapter 4.1's add-one).
SMOOTHINGS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def exponents(steps: int = SWEEP_STEPS) -> torch.Tensor:
    """The range test's learning-rate exponents: steps values evenly from SWEEP_LO to SWEEP_HI."""
    return torch.linspace(SWEEP_LO, SWEEP_HI, steps)


def running_mean(values: list[float], half: int = SMOOTH) -> list[float]:
    """The mean of each value and up to `half` values on either side: centred, so that the
    smoothed curve's valley sits at the exponent where the losses are lowest, not after it."""
    t = torch.tensor(values, dtype=torch.float64)
    c = torch.cat([torch.zeros(1, dtype=torch.float64), t.cumsum(0)])
    idx = torch.arange(len(values))
    lo, hi = (idx - half).clamp(min=0), (idx + half + 1).clamp(max=len(values))
    return ((c[hi] - c[lo]) / (hi - lo)).tolist()


def lr_sweep() -> dict:
    """Section 4's range test with the reference solutions on the chapter's model and data."""
    data = names_split()
    generator = torch.Generator().manual_seed(SEED)
    params = reference.init_mlp(len(data.stoi), BLOCK_SIZE, SWEEP_EMBD, SWEEP_HIDDEN, generator)
    exps = exponents()
    with one_thread():
        losses = reference.lr_range_test(params, data.Xtr, data.Ytr, exps, SWEEP_BATCH,
                                         generator)
    smooth = running_mean(losses)
    best = min(range(len(smooth)), key=smooth.__getitem__)
    return {"exponents": exps.tolist(), "losses": losses, "smoothed": smooth,
            "valley_exponent": exps[best].item(), "valley_loss": smooth[best],
            "n_embd": SWEEP_EMBD, "n_hidden": SWEEP_HIDDEN, "block_size": BLOCK_SIZE,
            "batch_size": SWEEP_BATCH, "seed": SEED, "window": SMOOTH, "source": data.source}


def trigram_study() -> dict:
    """Section 6: trigram vs bigram count models on train and dev, the smoothing swept on dev,
    and the test NLL of the value chosen on dev (the only time test is touched)."""
    data = names_split()
    stoi, train, dev, test = data.stoi, data.train_words, data.dev_words, data.test_words
    P2 = bigrams.bigram_probs(bigrams.bigram_counts(train, stoi), 1)
    N3 = reference.trigram_counts(train, stoi)
    dev_nll = reference.tune_smoothing(train, dev, stoi, list(SMOOTHINGS))
    chosen = min(SMOOTHINGS, key=lambda s: dev_nll[s])
    return {
        "bigram": {"train": bigrams.mean_nll(train, P2, stoi), "dev": bigrams.mean_nll(dev, P2, stoi)},
        "trigram_add_one": {"train": reference.trigram_nll(train, N3, 1.0, stoi),
                            "dev": dev_nll[1.0]},
        "smoothings": list(SMOOTHINGS), "dev_nll": [dev_nll[s] for s in SMOOTHINGS],
        "chosen": chosen, "chosen_train": reference.trigram_nll(train, N3, chosen, stoi),
        "chosen_dev": dev_nll[chosen], "chosen_test": reference.trigram_nll(test, N3, chosen, stoi),
        "unseen_dev_contexts": _unseen_contexts(N3, dev, stoi),
        "n_train_words": len(train), "n_dev_words": len(dev), "n_test_words": len(test),
        "source": data.source,
    }


def _unseen_contexts(N3: torch.Tensor, words: list[str], stoi: dict[str, int]) -> float:
    """The fraction of the words' trigrams whose two-symbol context never occurs in N3."""
    X, _ = reference.build_dataset(words, 2, stoi)
    return (N3.sum(2)[X[:, 0], X[:, 1]] == 0).double().mean().item()


def train_embedding_model(steps: int = EMB_STEPS) -> dict:
    """Section 5's model with 2-d embeddings, trained with the reference solutions."""
    data = names_split()
    params, losses, split_losses, seconds = train_seeded(EMB_EMBD, EMB_HIDDEN, steps,
                                                         EMB_DECAY_AT, EMB_BATCH,
                                                         ("train", "dev"))
    every = EMB_LOG_EVERY if steps % EMB_LOG_EVERY == 0 else 1
    return {"params": params,
            "loss_curve": torch.tensor(losses).view(-1, every).mean(1), "log_every": every,
            "first_losses": torch.tensor(losses[:20]), "split_losses": split_losses,
            "steps": steps, "decay_at": EMB_DECAY_AT, "n_embd": EMB_EMBD,
            "n_hidden": EMB_HIDDEN, "block_size": BLOCK_SIZE, "batch_size": EMB_BATCH,
            "seed": SEED, "source": data.source, "itos": [data.itos[i] for i in range(len(data.itos))],
            "seconds": seconds}


@functools.lru_cache(maxsize=1)
def embedding_run() -> dict:
    """The saved 2-d embedding model (trained and saved first if the file is missing)."""
    return saved_torch(EMBEDDING_PATH, train_embedding_model)


def compute_tuning() -> dict:
    """What tuning.json holds: the range test, the trigram study and section 5's samples."""
    return {"lr_sweep": lr_sweep(), "trigram": trigram_study(), "samples": compute_samples()}


@functools.lru_cache(maxsize=1)
def tuning_results() -> dict:
    """The saved range test, trigram study and samples (computed and saved first if the file
    is missing)."""
    return saved_json(TUNING_PATH, compute_tuning, indent=None)


def compute_samples(n: int = N_SAMPLES) -> dict:
    """n names from the reference MLP (section 3's run) and n from chapter 4.1's count bigram
    model (add-one smoothing, counted on all the names), each from a generator seeded with
    SAMPLE_SEED."""
    data = names_split()
    run = reference_run()
    mlp = reference.sample_mlp(run["params"], n, torch.Generator().manual_seed(SAMPLE_SEED),
                               data.itos, run["block_size"])
    P = bigrams.bigram_probs(bigrams.bigram_counts(list(data.words), data.stoi), 1)
    bigram = bigrams.sample_names(P, n, torch.Generator().manual_seed(SAMPLE_SEED), data.itos)
    train = set(data.train_words)
    return {"mlp": mlp, "bigram": bigram, "seed": SAMPLE_SEED, "source": data.source,
            "mlp_in_train": sum(w in train for w in mlp),
            "bigram_in_train": sum(w in train for w in bigram),
            "mlp_dev_loss": run["split_losses"]["dev"]}


def sample_comparison() -> dict:
    """The saved samples of section 5 (loading the chapter's data to draw them again would take
    seconds on a cold server)."""
    return tuning_results()["samples"]


def main() -> None:
    results = compute_tuning()
    ASSETS.mkdir(parents=True, exist_ok=True)
    TUNING_PATH.write_text(json.dumps(results))
    sweep, tri = results["lr_sweep"], results["trigram"]
    print(f"range test on {sweep['source']}: valley at 10^{sweep['valley_exponent']:.2f} "
          f"(running-mean loss {sweep['valley_loss']:.3f})")
    print(f"bigram train/dev {tri['bigram']['train']:.4f}/{tri['bigram']['dev']:.4f}; trigram "
          f"add-one {tri['trigram_add_one']['train']:.4f}/{tri['trigram_add_one']['dev']:.4f}; "
          f"chosen smoothing {tri['chosen']}: train {tri['chosen_train']:.4f} dev "
          f"{tri['chosen_dev']:.4f} test {tri['chosen_test']:.4f}")
    run = train_embedding_model()
    torch.save(run, EMBEDDING_PATH)
    print(f"2-d embedding model: {run['steps']} steps in {run['seconds']:.0f} s, "
          + ", ".join(f"{k} {v:.4f}" for k, v in run["split_losses"].items())
          + f" (uniform {math.log(len(run['itos'])):.4f})")


if __name__ == "__main__":
    main()
