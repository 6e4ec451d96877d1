"""Sandbox runs of the learner's code for chapter 4.5's sections 4-5: the shape trace of their
model, and a short training run of it beside the reference run's first steps. Both return plain
data for utils/figures/makemore_wavenet/model.py. They run through `utils.runner.run_demo`; the
names (contexts of 8) and the reference run are loaded before the sandbox forks (the chapter's
runner preload), so a run spends its time on the learner's code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch

from utils.demos.training_runs import check_losses, check_split_losses, finite_or_none
from utils.experiments.makemore_wavenet.model import (BATCH_SIZE, BLOCK_SIZE, N_EMBD, N_HIDDEN,
                                                      SEED, names_split, trace_batch)
from utils.demos.makemore_wavenet_settings import MAX_STEPS  # (why 1,500: see there)
from utils.torch_threads import one_thread

__all__ = ["trace_model", "train_model"]

MAX_RATE = 10.0


def trace_model(namespace: Mapping[str, Any], seed: int = SEED) -> dict:
    """The learner's build_wavenet(27, 24, 128) from a generator seeded with `seed`, traced by
    their shape_trace on the first 4 training contexts; with each layer's parameter count."""
    seed = int(seed)
    if not 0 <= seed < 2 ** 63:
        raise ValueError("seed must be >= 0")
    data = names_split(BLOCK_SIZE)
    with one_thread():
        model = namespace["build_wavenet"](len(data.stoi), N_EMBD, N_HIDDEN,
                                           torch.Generator().manual_seed(seed))
        trace = namespace["shape_trace"](model, trace_batch())
        layers = list(getattr(model, "layers", []))
        params = [sum(int(p.numel()) for p in layer.parameters()) for layer in layers]
    return {"trace": [[str(name), [int(s) for s in shape]] for name, shape in trace],
            "params": params, "input": list(trace_batch().shape)}


def validated_trace(data: object) -> dict:
    """A trace that came back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict) or not isinstance(data.get("trace"), list):
        raise ValueError("the run returned no trace")
    for entry in data["trace"]:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
                and isinstance(entry[1], list) and all(isinstance(s, int) for s in entry[1])):
            raise ValueError("shape_trace should give (name, shape) pairs")
    if len(data.get("params", [])) != len(data["trace"]):
        raise ValueError(f"shape_trace gave {len(data['trace'])} pairs for a model of "
                         f"{len(data.get('params', []))} layers")
    return data


def train_model(namespace: Mapping[str, Any], steps: int = 1_000, seed: int = SEED,
                lr: float = 0.1) -> dict:
    """The chapter's WaveNet made by the learner's build_wavenet from a generator seeded with
    `seed`, trained by their train_wavenet for `steps` minibatches of 32 at rate `lr` with the
    same generator, then measured by their evaluate_loss on the dev split."""
    steps, seed, lr = int(steps), int(seed), float(lr)
    if not 1 <= steps <= MAX_STEPS or not 0 < lr <= MAX_RATE or not 0 <= seed < 2 ** 63:
        raise ValueError(f"steps must be 1-{MAX_STEPS}, lr in (0, {MAX_RATE}], seed >= 0")
    data = names_split(BLOCK_SIZE)
    generator = torch.Generator().manual_seed(seed)
    with one_thread():
        model = namespace["build_wavenet"](len(data.stoi), N_EMBD, N_HIDDEN, generator)
        losses = namespace["train_wavenet"](model, data.Xtr, data.Ytr, steps, BATCH_SIZE, lr,
                                            generator)
        dev = namespace["evaluate_loss"](model, data.Xdev, data.Ydev)
    return {"losses": [finite_or_none(v) for v in losses], "dev": finite_or_none(dev),
            "settings": {"steps": steps, "seed": seed, "lr": lr}, "source": data.source}


def validated_run(data: object, steps: int) -> dict:
    """A run that came back from the sandbox, checked before it is drawn."""
    return check_split_losses(check_losses(data, steps, "train_wavenet"), ('dev',),
                              "evaluate_loss")
