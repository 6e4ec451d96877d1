"""Sandbox runs of the learner's code for chapter 4.3's sections 0-3: the model their own
`scaled_init_mlp` draws, looked at before any training step (its logits, its hidden layer, its
loss, measured with their `saturation_fraction` and `dead_units`), and a deep stack of their own
`Linear` layers with `Tanh` between them.

Each runs through `utils.runner.run_demo` on the learner's namespace (their passed exercises, the
reference for the rest) and returns plain data (lists, floats) for
utils/figures/makemore_activations/init.py. The sandbox cannot read files: the chapter's names are
loaded before runs fork (chapter.toml's preload: `names_split`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import torch

from utils.experiments.makemore_activations.init import (SATURATED, STACK_DEPTH, STACK_EXAMPLES,
                                                         STACK_SEED, STACK_WIDTH, snapshot_of)
from utils.experiments.makemore_mlp.model import BLOCK_SIZE, N_EMBD, N_HIDDEN, SEED, names_split
from utils.torch_threads import one_thread

__all__ = ["init_snapshot", "linear_stack"]

MAX_SCALE = 10.0  # what a page may ask for: scales in [0, MAX_SCALE], gains in (0, MAX_GAIN]
MAX_GAIN = 10.0
HIST_BINS = 40  # histograms of tanh outputs over [-1, 1]


def _float(value: Any, what: str) -> float:
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise ValueError(f"{what} should be one number, got a tensor of shape "
                             f"{tuple(value.shape)}")
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} should be a number, got {type(value).__name__}")
    return float(value)


def init_snapshot(namespace: Mapping[str, Any], w1_scale: float = 1.0, b1_scale: float = 1.0,
                  w2_scale: float = 1.0, b2_scale: float = 1.0) -> dict:
    """The chapter's model drawn by the learner's scaled_init_mlp from Karpathy's seed with these
    scales, before training: the logits and softmax of the first example of a fixed training
    minibatch, the minibatch's hidden layer (preactivations and tanh outputs), its saturated
    fraction and dead units by the learner's functions, and the loss on the whole dev split."""
    scales = {"w1_scale": float(w1_scale), "b1_scale": float(b1_scale),
              "w2_scale": float(w2_scale), "b2_scale": float(b2_scale)}
    if not all(0.0 <= v <= MAX_SCALE for v in scales.values()):
        raise ValueError(f"every scale must be between 0 and {MAX_SCALE:g}")
    with one_thread():
        params = namespace["scaled_init_mlp"](len(names_split().stoi), BLOCK_SIZE, N_EMBD,
                                              N_HIDDEN, torch.Generator().manual_seed(SEED),
                                              **scales)
        if not isinstance(params, dict) or not all(
                isinstance(params.get(k), torch.Tensor) for k in ("C", "W1", "b1", "W2", "b2")):
            raise ValueError("scaled_init_mlp should return a dict of the five tensors C, W1, "
                             "b1, W2, b2")
        snap = snapshot_of(params)
        h = torch.tensor(snap["h"])
        saturated = _float(namespace["saturation_fraction"](h.clone(), SATURATED),
                           "saturation_fraction")
        dead = namespace["dead_units"](h.clone(), SATURATED)
    if not isinstance(dead, torch.Tensor) or tuple(dead.shape) != (N_HIDDEN,):
        raise ValueError(f"dead_units should return a tensor of shape ({N_HIDDEN},)")
    return validated_snapshot({**snap, "scales": scales, "saturated": saturated,
                               "dead": int(dead.bool().sum())})


def validated_snapshot(data: object) -> dict:
    """A snapshot that came back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no data")
    for key in ("logits", "probs", "pre", "h"):
        if not isinstance(data.get(key), list):
            raise ValueError(f"the run returned no {key}")
    if len(data["logits"]) != len(data["probs"]) or len(data["h"]) != len(data["pre"]):
        raise ValueError("the run's logits or hidden layer have the wrong size")
    if not isinstance(data.get("saturated"), (int, float)) or not 0 <= data["saturated"] <= 1:
        raise ValueError("saturation_fraction should give a fraction between 0 and 1")
    return data


def linear_stack(namespace: Mapping[str, Any], gain: float = 5 / 3) -> dict:
    """STACK_DEPTH of the learner's Linear(STACK_WIDTH, STACK_WIDTH, bias=False) layers, each
    followed by Tanh, weights multiplied by `gain`, on STACK_EXAMPLES standard normal inputs:
    per tanh layer, its output's std, saturated fraction and histogram over [-1, 1]."""
    from utils.experiments.makemore_activations.init import deep_stack_stats

    gain = float(gain)
    if not 0.0 < gain <= MAX_GAIN:
        raise ValueError(f"the gain must be in (0, {MAX_GAIN:g}]")
    with one_thread():
        stats = deep_stack_stats(gain, namespace["Linear"], namespace["Tanh"])
    return validated_stack({"gain": gain, "std": stats["std"], "saturated": stats["saturated"],
                            "histograms": [histogram(v) for v in stats["values"]],
                            "settings": {"width": STACK_WIDTH, "depth": STACK_DEPTH,
                                         "examples": STACK_EXAMPLES, "seed": STACK_SEED}})


def histogram(values: torch.Tensor, bins: int = HIST_BINS) -> list[float]:
    """The share of `values` in each of `bins` equal bins over [-1, 1]."""
    counts = torch.histc(values.float().clamp(-1, 1), bins=bins, min=-1.0, max=1.0)
    return (counts / max(values.numel(), 1)).tolist()


def validated_stack(data: object) -> dict:
    """A stack's statistics that came back from the sandbox, checked before they are drawn."""
    if not isinstance(data, dict) or not isinstance(data.get("std"), list):
        raise ValueError("the run returned no statistics")
    if len(data["std"]) != STACK_DEPTH or len(data.get("histograms", [])) != STACK_DEPTH:
        raise ValueError(f"expected {STACK_DEPTH} tanh layers' statistics")
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in data["std"]):
        raise ValueError("a layer's standard deviation is not a finite number")
    return data
