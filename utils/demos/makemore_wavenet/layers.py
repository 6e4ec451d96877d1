"""Sandbox runs of the learner's code for chapter 4.5's sections 2-3: their FlattenConsecutive on
a small labelled input, and their BatchNorm1d on made-up (N, T, C) batches beside
torch.nn.BatchNorm1d. Both need no data, so nothing has to be preloaded; both return plain data
for utils/figures/makemore_wavenet/layers.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import torch
from jaxtyping import Float
from torch import Tensor

from utils.demos.makemore_wavenet_settings import FLATTEN_NS

__all__ = ["flatten_demo", "batchnorm_demo"]

FLATTEN_T, FLATTEN_C = 8, 2
BN_SHAPE = (32, 4, 6)  # a minibatch of 32, four positions, six channels
BN_OFFSETS = (-3.0, -1.0, 1.0, 3.0)  # each position's own mean, as padded early positions have
BN_BATCHES, BN_SEED = 20, 0


def labelled_input() -> Float[Tensor, "1 8 2"]:
    """x[0, t, c] = 10 t + c: each entry says where it came from."""
    t = torch.arange(FLATTEN_T)[:, None] * 10
    c = torch.arange(FLATTEN_C)[None, :]
    return (t + c).float()[None]


def flatten_demo(namespace: Mapping[str, Any], n: int = 2) -> dict:
    """The learner's FlattenConsecutive(n) on the labelled (1, 8, 2) input."""
    n = int(n)
    if n not in FLATTEN_NS:
        raise ValueError(f"n must be one of {FLATTEN_NS}")
    out = namespace["FlattenConsecutive"](n)(labelled_input())
    if not isinstance(out, Tensor):
        raise ValueError(f"FlattenConsecutive({n}) returned a {type(out).__name__}, not a tensor")
    return {"n": n, "shape": list(out.shape), "values": out.detach().float().tolist()}


def made_up_batches() -> list[Tensor]:
    """BN_BATCHES batches of shape BN_SHAPE whose positions have different means."""
    g = torch.Generator().manual_seed(BN_SEED)
    offsets = torch.tensor(BN_OFFSETS)[None, :, None]
    return [torch.randn(BN_SHAPE, generator=g) + offsets for _ in range(BN_BATCHES)]


def batchnorm_demo(namespace: Mapping[str, Any]) -> dict:
    """The learner's BatchNorm1d(6) and torch's, trained on the same made-up batches: their
    running means and variances, and the learner's output's mean per position."""
    mine = namespace["BatchNorm1d"](BN_SHAPE[-1])
    theirs = torch.nn.BatchNorm1d(BN_SHAPE[-1])
    with torch.no_grad():
        for x in made_up_batches():
            out = mine(x)
            theirs(x.transpose(1, 2))
    if not isinstance(out, Tensor) or tuple(out.shape) != BN_SHAPE:
        raise ValueError(f"BatchNorm1d should return a tensor of shape {BN_SHAPE}")
    running = [getattr(mine, name, None) for name in ("running_mean", "running_var")]
    if not all(isinstance(r, Tensor) for r in running):
        raise ValueError("BatchNorm1d has no running_mean or running_var tensor")
    return {"shape": list(running[0].shape),
            "running_mean": running[0].detach().float().flatten().tolist(),
            "running_var": running[1].detach().float().flatten().tolist(),
            "torch_mean": theirs.running_mean.tolist(), "torch_var": theirs.running_var.tolist(),
            "out_mean_per_position": out.mean((0, 2)).tolist()}


def validated_flatten(data: object) -> dict:
    """A FlattenConsecutive run back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise ValueError("the run returned no values")
    shape = data.get("shape")
    if not isinstance(shape, list) or not all(isinstance(s, int) for s in shape):
        raise ValueError("the run returned no shape")
    if math.prod(shape) != FLATTEN_T * FLATTEN_C or len(shape) not in (2, 3) or shape[0] != 1:
        raise ValueError(f"the result has shape {tuple(shape)}: it should hold the 16 numbers of "
                         "the (1, 8, 2) input, as (1, T/n, 2n) or (1, 2n)")
    return data


def validated_batchnorm(data: object) -> dict:
    """A BatchNorm1d run back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no data")
    for key in ("running_mean", "running_var", "torch_mean", "torch_var",
                "out_mean_per_position"):
        values = data.get(key)
        if not isinstance(values, list) or not all(isinstance(v, (int, float)) for v in values):
            raise ValueError(f"{key} is not a list of numbers")
    shape = data.get("shape")
    if not isinstance(shape, list) or math.prod(shape) != len(data["running_mean"]):
        raise ValueError("running_mean's shape does not match its values")
    if shape not in ([BN_SHAPE[-1]], [BN_SHAPE[1], BN_SHAPE[-1]], [1, BN_SHAPE[1], BN_SHAPE[-1]],
                     [1, BN_SHAPE[-1]], [1, 1, BN_SHAPE[-1]]):
        raise ValueError(f"running_mean has shape {tuple(shape)}; it should be "
                         f"({BN_SHAPE[-1]},)")
    return data
