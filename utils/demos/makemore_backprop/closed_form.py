"""Chapter 4.4's demo for section 5: train the chapter's model with the learner's own
`train_manual` (which calls their `cross_entropy_backward` and `batchnorm_backward`; the
reference stands in for whatever they have not passed) on chapter 4.2's training names in the
sandbox, and return the run as plain data for utils/figures/makemore_backprop/closed_form.py.
Runs through `utils.runner.run_demo`; the names are loaded before the sandbox forks (the
chapter's runner preload calls `names_split()`), so a run spends its time training.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import torch

from solutions import makemore_backprop as reference
from utils.demos.training_runs import check_losses, check_split_losses, finite_or_none
from utils.experiments.makemore_backprop.closed_form import (BATCH_SIZE, HEAD_STEPS, N_EMBD,
                                                             N_HIDDEN, SEED, split_losses)
from utils.experiments.makemore_mlp.model import names_split
from utils.torch_threads import one_thread

__all__ = ["train_with_my_gradients"]

MAX_STEPS = HEAD_STEPS  # (about 2,000 steps a second: see the settings)
MAX_RATE = 10.0


def train_with_my_gradients(namespace: Mapping[str, Any], steps: int = 2_000, seed: int = SEED,
                            lr: float = 0.1) -> dict:
    """The chapter's model (init_params: block 3, 10-d embeddings, 64 units with batch norm)
    drawn from a generator seeded with `seed`, trained by the learner's train_manual for `steps`
    minibatches of 32 at rate `lr` with the same generator; its train and dev loss (batch norm
    calibrated on the training split)."""
    steps, seed, lr = int(steps), int(seed), float(lr)
    if not 1 <= steps <= MAX_STEPS or not 0 < lr <= MAX_RATE or not 0 <= seed < 2 ** 63:
        raise ValueError(f"steps must be 1-{MAX_STEPS}, lr in (0, {MAX_RATE}], seed >= 0")
    data = names_split()
    generator = torch.Generator().manual_seed(seed)
    init_params = namespace.get("init_params", reference.init_params)
    with one_thread():
        params = init_params(len(data.stoi), data.block_size, N_EMBD, N_HIDDEN, generator)
        losses = namespace["train_manual"](params, data.Xtr, data.Ytr, steps, lr, BATCH_SIZE,
                                           generator)
        used_autograd = any(p.grad is not None for p in params.values())
        finite = all(torch.isfinite(p).all() for p in params.values())
        split = split_losses(params) if finite else {"train": math.nan, "dev": math.nan}
    return {"losses": [finite_or_none(v) for v in losses], "train": finite_or_none(split["train"]),
            "dev": finite_or_none(split["dev"]), "used_autograd": bool(used_autograd),
            "settings": {"steps": steps, "seed": seed, "lr": lr}, "source": data.source}


def validated_run(data: object, steps: int) -> dict:
    """A run that came back from the sandbox, checked before it is drawn."""
    return check_split_losses(check_losses(data, steps, "train_manual"), ('train', 'dev'),
                              "your run")
