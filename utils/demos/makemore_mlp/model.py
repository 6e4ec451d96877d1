"""Chapter 4.2's demo for section 3: train the chapter's MLP with the learner's own `init_mlp`,
`train_mlp` and `split_loss` (the reference for whatever they have not passed) on the chapter's
names in the sandbox, and return the run as plain data for utils/figures/makemore_mlp/model.py.
Runs through `utils.runner.run_demo`; the names are loaded before the sandbox forks (the chapter's
runner preload), so a run spends its time training.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch

from utils.demos.training_runs import check_losses, check_split_losses, finite_or_none
from utils.experiments.makemore_mlp.model import (BATCH_SIZE, BLOCK_SIZE, N_EMBD, N_HIDDEN, SEED,
                                                  names_split)
from utils.demos.makemore_mlp_settings import MAX_STEPS
from utils.torch_threads import one_thread

__all__ = ["train_model"]

MAX_RATE = 10.0


def train_model(namespace: Mapping[str, Any], steps: int = 3_000, seed: int = SEED,
                lr: float = 0.1) -> dict:
    """The chapter's MLP (block 3, 10-d embeddings, 200 tanh units) made by the learner's
    init_mlp from a generator seeded with `seed`, trained by their train_mlp for `steps`
    minibatches of 32 at rate `lr` with the same generator, then measured by their split_loss
    on the train and dev splits."""
    steps, seed, lr = int(steps), int(seed), float(lr)
    if not 1 <= steps <= MAX_STEPS or not 0 < lr <= MAX_RATE or not 0 <= seed < 2 ** 63:
        raise ValueError(f"steps must be 1-{MAX_STEPS}, lr in (0, {MAX_RATE}], seed >= 0")
    data = names_split()
    generator = torch.Generator().manual_seed(seed)
    with one_thread():
        params = namespace["init_mlp"](len(data.stoi), BLOCK_SIZE, N_EMBD, N_HIDDEN, generator)
        losses = namespace["train_mlp"](params, data.Xtr, data.Ytr, steps, BATCH_SIZE, lr,
                                        generator)
        train = namespace["split_loss"](params, data.Xtr, data.Ytr)
        dev = namespace["split_loss"](params, data.Xdev, data.Ydev)
    return {"losses": [finite_or_none(v) for v in losses], "train": finite_or_none(train), "dev": finite_or_none(dev),
            "settings": {"steps": steps, "seed": seed, "lr": lr}, "source": data.source}


def validated_run(data: object, steps: int) -> dict:
    """A run that came back from the sandbox, checked before it is drawn."""
    return check_split_losses(check_losses(data, steps, "train_mlp"), ('train', 'dev'),
                              "split_loss")
