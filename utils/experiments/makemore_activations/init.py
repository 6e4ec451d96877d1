"""Runs and data for chapter 4.3's sections 0-3 (the loss at initialisation, saturated tanh,
Kaiming init and layers) (no drawing).

Two kinds of numbers:

- cheap ones, computed when a page asks (a minibatch at initialisation, a stack of random
  layers): `snapshot_batch` and `forward_parts` (which utils/demos/makemore_activations/init.py
  runs on the learner's parameters), `deep_stack_stats`;
- training runs of chapter 4.2's model from differently scaled starting points (200,000 steps
  each, about two minutes apiece on one core), computed once by

      python -m utils.experiments.makemore_activations.init

  into assets/makemore_activations/init_runs.pt (recomputed at first use if missing). Every run
  is chapter 4.2's reference run (Karpathy's seed, 200 units, minibatches of 32, rate 0.1 then
  0.01) with only the initial scales changed; "standard" is exactly 4.2's run.
"""

from __future__ import annotations

import functools
import math
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from jaxtyping import Float
from torch import Tensor

from solutions import makemore_activations as reference
from solutions import makemore_mlp as mlp
from utils.experiments.saved import saved_torch
from utils.experiments.makemore_mlp.model import (BATCH_SIZE, BLOCK_SIZE, DECAY_AT, N_EMBD,
                                                  N_HIDDEN, SEED, STEPS, names_split)
# (STACK_GAINS is read here by the figures and tests too.)
from utils.demos.makemore_activations_settings import (  # noqa: F401
    STACK_DEPTH, STACK_EXAMPLES, STACK_GAINS, STACK_SEED, STACK_WIDTH)
from utils.torch_threads import one_thread

ROOT = Path(__file__).resolve().parents[3]
RUNS_PATH = ROOT / "assets" / "makemore_activations" / "init_runs.pt"

FAN_IN = BLOCK_SIZE * N_EMBD  # 30 inputs to the hidden layer
KAIMING_W1 = reference.kaiming_std(FAN_IN, "tanh")  # (5/3) / sqrt(30) ≈ 0.304

# The starting points compared, each a set of scales for scaled_init_mlp (C stays standard).
# Karpathy's lecture walks the same path: the output layer first, then the hidden layer by hand,
# then by Kaiming's formula.
INITS: dict[str, dict[str, float]] = {
    "standard": {"w1_scale": 1.0, "b1_scale": 1.0, "w2_scale": 1.0, "b2_scale": 1.0},
    "output scaled": {"w1_scale": 1.0, "b1_scale": 1.0, "w2_scale": 0.01, "b2_scale": 0.0},
    "hidden scaled too": {"w1_scale": 0.2, "b1_scale": 0.01, "w2_scale": 0.01, "b2_scale": 0.0},
    "Kaiming W1": {"w1_scale": KAIMING_W1, "b1_scale": 0.01, "w2_scale": 0.01,
                   "b2_scale": 0.0},
}
LOG_EVERY = 100  # the saved curve keeps the mean of every LOG_EVERY minibatch losses
FIRST_STEPS = 3_000  # and every loss of the first FIRST_STEPS steps (the hockey stick)

SNAPSHOT_SEED = 42  # which training minibatch the pictures of one batch at init use
SNAPSHOT_BATCH = 32
SATURATED = 0.97


def run_settings() -> dict:
    """What the saved runs were computed with (a test compares them with these)."""
    return {"inits": INITS, "steps": STEPS, "decay_at": DECAY_AT, "batch_size": BATCH_SIZE,
            "seed": SEED, "block_size": BLOCK_SIZE, "n_embd": N_EMBD, "n_hidden": N_HIDDEN,
            "log_every": LOG_EVERY, "first_steps": FIRST_STEPS}


def init_params(name: str, generator: torch.Generator | None = None) -> dict[str, Tensor]:
    """The chapter's model at the starting point `name` of INITS, from Karpathy's seed."""
    if generator is None:
        generator = torch.Generator().manual_seed(SEED)
    vocab = len(names_split().stoi)
    return reference.scaled_init_mlp(vocab, BLOCK_SIZE, N_EMBD, N_HIDDEN, generator,
                                     **INITS[name])


def train_from(name: str, steps: int = STEPS) -> dict:
    """Chapter 4.2's reference run from the starting point `name`: its loss curve, its first
    losses step by step, its loss on every split at the start and at the end."""
    data = names_split()
    generator = torch.Generator().manual_seed(SEED)
    params = init_params(name, generator)
    splits = {"train": (data.Xtr, data.Ytr), "dev": (data.Xdev, data.Ydev),
              "test": (data.Xte, data.Yte)}
    started = time.perf_counter()
    with one_thread():
        initial = mlp.split_loss(params, data.Xtr, data.Ytr)
        losses = mlp.train_mlp(params, data.Xtr, data.Ytr, steps, BATCH_SIZE,
                               lambda step: 0.1 if step < DECAY_AT else 0.01, generator)
        final = {split: mlp.split_loss(params, *xy) for split, xy in splits.items()}
    every = LOG_EVERY if steps % LOG_EVERY == 0 else 1
    return {"name": name, "scales": INITS[name], "initial_train_loss": initial,
            "first_losses": torch.tensor(losses[:FIRST_STEPS]),
            "loss_curve": torch.tensor(losses).view(-1, every).mean(1),
            "split_losses": final, "steps": steps,
            "seconds": time.perf_counter() - started}


def compute_runs() -> dict:
    data = names_split()
    return {"source": data.source, "n_words": len(data.words), "settings": run_settings(),
            "runs": {name: train_from(name) for name in INITS},
            "at_init": {name: at_init_stats(name) for name in INITS},
            "snapshots": {name: reference_snapshot_of(name) for name in INITS}}


@functools.lru_cache(maxsize=1)
def init_runs() -> dict:
    """The saved runs (trained and saved first if the file is missing)."""
    return saved_torch(RUNS_PATH, compute_runs)


# --- cheap measurements at initialisation ------------------------------------------------------


def snapshot_batch() -> tuple[Tensor, Tensor]:
    """A fixed minibatch of SNAPSHOT_BATCH training contexts and targets."""
    data = names_split()
    ix = torch.randint(0, data.Xtr.shape[0], (SNAPSHOT_BATCH,),
                       generator=torch.Generator().manual_seed(SNAPSHOT_SEED))
    return data.Xtr[ix], data.Ytr[ix]


def forward_parts(params: dict[str, Tensor], X: Tensor
                  ) -> tuple[Float[Tensor, "n hidden"], Float[Tensor, "n hidden"],
                             Float[Tensor, "n vocab"]]:
    """The hidden layer's preactivations, its tanh outputs and the logits (no graph)."""
    with torch.no_grad():
        emb = params["C"][X]
        pre = emb.view(emb.shape[0], -1) @ params["W1"] + params["b1"]
        h = torch.tanh(pre)
        return pre, h, h @ params["W2"] + params["b2"]


def snapshot_of(params: dict[str, Tensor]) -> dict:
    """What the pages draw of a model before training (plain data): the logits and softmax of
    the first example of the fixed minibatch, the minibatch's preactivations and tanh outputs,
    and the losses on the minibatch and on the whole dev split (None if not finite)."""
    data = names_split()
    X, Y = snapshot_batch()
    params = {k: v.detach().float() for k, v in params.items()}
    with one_thread():
        pre, h, logits = forward_parts(params, X)
        dev_loss = F.cross_entropy(forward_parts(params, data.Xdev)[2], data.Ydev).item()
    return {"target": int(Y[0]), "itos": [data.itos[i] for i in range(len(data.itos))],
            "logits": logits[0].tolist(), "probs": F.softmax(logits[0], dim=0).tolist(),
            "batch_loss": F.cross_entropy(logits, Y).item(),
            "dev_loss": dev_loss if math.isfinite(dev_loss) else None,
            "pre": pre.tolist(), "h": h.tolist(), "source": data.source}


def reference_snapshot_of(name: str) -> dict:
    """snapshot_of the starting point `name`, measured with the reference solutions."""
    snap = snapshot_of(init_params(name))
    h = torch.tensor(snap["h"])
    # Kept as tensors in the saved file (a quarter of the size of lists of floats).
    return {**snap, "pre": torch.tensor(snap["pre"]), "h": h, "scales": INITS[name],
            "saturated": reference.saturation_fraction(h, SATURATED),
            "dead": int(reference.dead_units(h, SATURATED).sum())}


def at_init_stats(name: str) -> dict:
    """The model at the starting point `name`, before any step, on the whole training split: its
    loss, the median probability it gives the right symbol, its logits' std, the share of
    saturated tanh outputs and the units saturated on every training example."""
    data = names_split()
    params = init_params(name)
    with torch.no_grad(), one_thread():
        _, h, logits = forward_parts(params, data.Xtr)
        per_example = F.cross_entropy(logits, data.Ytr, reduction="none")
        return {"train_loss": per_example.mean().item(),
                "median_p_target": torch.exp(-per_example).median().item(),
                "logit_std": logits.std().item(),
                "saturated_train": reference.saturation_fraction(h, SATURATED),
                "dead_train": int(reference.dead_units(h, SATURATED).sum())}


# --- a deep stack of Linear + tanh layers ------------------------------------------------------

# (its width, depth, examples, seed and gains: from the settings)


def deep_stack_stats(gain: float, linear_cls=None, tanh_cls=None, width: int = STACK_WIDTH,
                     depth: int = STACK_DEPTH, n: int = STACK_EXAMPLES,
                     seed: int = STACK_SEED) -> dict:
    """`depth` Linear(width, width) + Tanh layers (bias-free, weights multiplied by `gain` on
    top of the layer's 1/sqrt(fan_in)) on `n` standard normal inputs: each tanh layer's output
    std, saturated fraction and values (for histograms)."""
    linear_cls = linear_cls or reference.Linear
    tanh_cls = tanh_cls or reference.Tanh
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn((n, width), generator=generator)
    layers = []
    for _ in range(depth):
        linear = linear_cls(width, width, bias=False, generator=generator)
        with torch.no_grad():
            linear.weight *= gain
        layers += [linear, tanh_cls()]
    with torch.no_grad():
        for layer in layers:
            x = layer(x)
    outs = [layer.out for layer in layers if isinstance(layer, tanh_cls)]
    return {"gain": gain, "std": [o.std().item() for o in outs],
            "mean": [o.mean().item() for o in outs],
            "saturated": [reference.saturation_fraction(o, SATURATED) for o in outs],
            "values": [o.flatten() for o in outs]}


def main() -> None:
    runs = compute_runs()
    RUNS_PATH.parent.mkdir(parents=True, exist_ok=True)
    torch.save(runs, RUNS_PATH)
    for name, run in runs["runs"].items():
        print(f"{name}: initial train {run['initial_train_loss']:.3f}, first minibatch "
              f"{run['first_losses'][0]:.3f}, " + ", ".join(
                  f"{k} {v:.4f}" for k, v in run["split_losses"].items())
              + f" ({run['seconds']:.0f} s)")
    print(f"uniform: {math.log(len(names_split().stoi)):.4f}")


if __name__ == "__main__":
    main()
