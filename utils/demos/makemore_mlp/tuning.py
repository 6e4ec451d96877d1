"""Sandbox runs of the learner's code for chapter 4.2's sections 4-5: the learning-rate range test
with their `lr_range_test`, and names drawn with their `sample_mlp` (from the reference run's
parameters, or from a model their own `init_mlp` and `train_mlp` train here first).

Each runs through `utils.runner.run_demo` on the learner's namespace (their passed exercises, the
reference for the rest) and returns plain data for utils/figures/makemore_mlp/tuning.py. The
sandbox cannot read files: the chapter's data and the reference run are loaded before runs fork
(chapter.toml's preload: `names_split` and `reference_run`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import torch

from utils.experiments.makemore_mlp.model import BLOCK_SIZE, SEED, names_split, reference_run
from utils.experiments.makemore_mlp.tuning import (SAMPLE_SEED, SWEEP_BATCH, SWEEP_EMBD,
                                                   SWEEP_HIDDEN, SWEEP_HI, SWEEP_LO,
                                                   SWEEP_STEPS)
from utils.demos.makemore_mlp_settings import TRAIN_STEPS
from utils.torch_threads import one_thread

__all__ = ["range_test", "sample_names"]

# What a page may ask for. The range test's 1000 steps of the small model take about a second
# (the steps a learner's model may train first: TRAIN_STEPS, from the settings).
MAX_SWEEP_STEPS = 2000
MAX_NAMES = 40
MAX_NAME_CHARS = 60  # longer "names" are cut here: an unfinished model may rarely draw '.'


def range_test(namespace: Mapping[str, Any], steps: int = SWEEP_STEPS, lo: float = SWEEP_LO,
               hi: float = SWEEP_HI) -> dict:
    """The learner's lr_range_test on the chapter's training contexts: a fresh small model
    (2-d embeddings, 100 units) drawn by the reference init from Karpathy's seed, as the
    page's reference sweep, and the exponents linspace(lo, hi, steps)."""
    steps, lo, hi = int(steps), float(lo), float(hi)
    if not 10 <= steps <= MAX_SWEEP_STEPS or not -6.0 <= lo < hi <= 1.0:
        raise ValueError("steps must be 10 to 2000 and the exponents run from lo to hi, "
                         "-6 <= lo < hi <= 1")
    from solutions import makemore_mlp as reference  # the same start as the reference sweep

    data = names_split()
    generator = torch.Generator().manual_seed(SEED)
    params = reference.init_mlp(len(data.stoi), BLOCK_SIZE, SWEEP_EMBD, SWEEP_HIDDEN, generator)
    exponents = torch.linspace(lo, hi, steps)
    with one_thread():
        losses = namespace["lr_range_test"](params, data.Xtr, data.Ytr, exponents, SWEEP_BATCH,
                                            generator)
    if isinstance(losses, torch.Tensor):
        losses = losses.tolist()
    losses = [float(v.item() if isinstance(v, torch.Tensor) else v) for v in losses]
    return validated_range_test({"exponents": exponents.tolist(), "losses": losses,
                                 "source": data.source}, steps)


def validated_range_test(data: object, steps: int) -> dict:
    """A range test that came back from the sandbox, checked before it is drawn. Infinite or
    NaN losses are kept (a rate that blows the model up is what the test looks for)."""
    if not isinstance(data, dict):
        raise ValueError("the range test returned no data")
    exponents, losses = data.get("exponents"), data.get("losses")
    if not isinstance(losses, list) or not isinstance(exponents, list) or \
            len(exponents) != steps:
        raise ValueError("the range test returned no list of losses")
    if len(losses) != steps:
        raise ValueError(f"your lr_range_test returned {len(losses)} losses for {steps} "
                         "exponents: it should return one loss per exponent")
    if not all(isinstance(v, (int, float)) for v in losses):
        raise ValueError("your lr_range_test should return numbers (floats)")
    if not any(math.isfinite(v) for v in losses):
        raise ValueError("every loss of your range test is infinite or NaN")
    return data


def sample_names(namespace: Mapping[str, Any], n: int = 20, seed: int = SAMPLE_SEED,
                 train_steps: int = 0) -> dict:
    """n names drawn with the learner's sample_mlp from a generator seeded `seed`: from the
    reference run's parameters (train_steps=0), or from a 10-d, 200-unit model made by their
    init_mlp and trained for train_steps steps by their train_mlp (rate 0.1, batches of 32)."""
    n, seed, train_steps = int(n), int(seed), int(train_steps)
    if not 1 <= n <= MAX_NAMES or train_steps not in TRAIN_STEPS:
        raise ValueError(f"n must be 1 to {MAX_NAMES} and train_steps one of {TRAIN_STEPS}")
    data = names_split()
    result: dict[str, Any] = {"seed": seed, "train_steps": train_steps, "source": data.source}
    with one_thread():
        if train_steps == 0:
            run = reference_run()
            params = {k: v.clone() for k, v in run["params"].items()}
            block_size = run["block_size"]
        else:
            generator = torch.Generator().manual_seed(SEED)
            params = namespace["init_mlp"](len(data.stoi), BLOCK_SIZE, 10, 200, generator)
            block_size = BLOCK_SIZE
            losses = namespace["train_mlp"](params, data.Xtr, data.Ytr, train_steps, 32, 0.1,
                                            generator)
            result["train_loss_last_100"] = float(sum(losses[-100:]) / len(losses[-100:]))
            result["dev_loss"] = namespace["split_loss"](params, data.Xdev, data.Ydev)
        names = namespace["sample_mlp"](params, n, torch.Generator().manual_seed(seed),
                                        data.itos, block_size)
    result["names"] = names
    return validated_samples(result, n)


def validated_samples(data: object, n: int) -> dict:
    """Names that came back from the sandbox, checked (and very long ones cut) before they are
    shown."""
    if not isinstance(data, dict) or not isinstance(data.get("names"), list):
        raise ValueError("the sampling returned no list of names")
    names = data["names"]
    if len(names) != n:
        raise ValueError(f"your sample_mlp returned {len(names)} names when asked for {n}")
    if not all(isinstance(w, str) for w in names):
        raise ValueError("your sample_mlp should return strings")
    data["names"] = [w if len(w) <= MAX_NAME_CHARS else w[:MAX_NAME_CHARS] + "…" for w in names]
    return data
