"""Chapter 4.4's demo for section 2: "Compare my gradients" runs the learner's four stage
functions on the section's batch in the sandbox, each given autograd's upstream gradient, and
returns, name by name, how their gradient compares with autograd's (Karpathy's `cmp`: exact,
approximate, largest difference) as plain data for utils/figures/makemore_backprop/manual.py.

The batch is read when this module is imported, which the code runner does before it forks a
sandboxed run (the sandbox can't read the assets folder).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch

from solutions import makemore_backprop as reference
from utils.demos.makemore_backprop_settings import STAGES  # (each: function, upstream, names)
from utils.experiments.makemore_backprop.manual import setup
from utils.torch_threads import one_thread

__all__ = ["compare_my_gradients"]

DTYPES = {"float32": torch.float32, "float64": torch.float64}
_SETUP = setup()  # at import: before the sandbox forks


def compare_my_gradients(namespace: Mapping[str, Any], dtype: str = "float32") -> dict:
    """The learner's gradients against autograd's on the section's batch in `dtype`: one row
    per name (stage, status, shapes, exact, approximate, largest difference) and one entry per
    stage that could not run (not written yet, or what it raised)."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {sorted(DTYPES)}")
    b = _SETUP
    with one_thread():
        params = b.params(DTYPES[dtype])
        cache, true = reference.autograd_gradients(params, b.Xb, b.Yb)
        detached = {k: v.detach() for k, v in params.items()}
        rows, stages = [], {}
        for stage, upstream, names in STAGES:
            args = _stage_args(stage, cache, detached, true, upstream, b)
            try:
                got = namespace[stage](*args)
            except NotImplementedError:
                stages[stage] = "not written yet"
                continue
            except Exception as err:  # noqa: BLE001 - the learner's code: reported, not raised
                stages[stage] = f"raised {type(err).__name__}: {err}"[:300]
                continue
            if not isinstance(got, dict):
                stages[stage] = f"returned {type(got).__name__}, not a dict"
                continue
            stages[stage] = "ran"
            rows.extend(_row(stage, name, got.get(name), true[name]) for name in names)
    return {"dtype": dtype, "rows": rows, "stages": stages, "source": b.source}


def _stage_args(stage: str, cache: dict, params: dict, true: dict, upstream: str | None,
                b: Any) -> tuple:
    fresh = {k: v.clone() for k, v in cache.items()}  # a learner's in-place edit stays theirs
    if stage == "backward_loss_steps":
        return fresh, b.Yb.clone()
    if stage == "backward_embedding":
        return fresh, dict(params), true[upstream].clone(), b.Xb.clone()
    return fresh, dict(params), true[upstream].clone()


def _row(stage: str, name: str, got: Any, expected: torch.Tensor) -> dict:
    row = {"stage": stage, "name": name, "shape": list(expected.shape), "your_shape": None,
           "exact": False, "approximate": False, "max_diff": None, "status": "ok"}
    if got is None:
        row["status"] = "missing"
        return row
    if not isinstance(got, torch.Tensor) or not got.is_floating_point():
        row["status"] = "not a float tensor"
        return row
    row["your_shape"] = list(got.shape)
    if tuple(got.shape) != tuple(expected.shape):
        row["status"] = "wrong shape"
        return row
    [compared] = reference.compare_gradients({name: got.detach()}, {name: expected})
    diff = compared["max_diff"]
    row.update(exact=compared["exact"], approximate=compared["approximate"],
               max_diff=diff if diff == diff and diff != float("inf") else None)
    if row["max_diff"] is None:
        row["status"] = "inf or nan"
    return row


def validated_comparison(data: object) -> dict:
    """A comparison that came back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list) or \
            not isinstance(data.get("stages"), dict):
        raise ValueError("the run returned no comparison")
    for row in data["rows"]:
        if not isinstance(row, dict) or not isinstance(row.get("name"), str) or \
                not isinstance(row.get("status"), str) or \
                not (row.get("max_diff") is None or isinstance(row["max_diff"], (int, float))):
            raise ValueError("a row of the comparison is malformed")
    return data
