"""Chapter 2's demos for its fitting sections: the learner's `fit_line` run at every learning rate
the page offers, and the learner's `layer_outputs` on the trained moons network. They run in the
sandbox (utils.runner.run_demo) on the learner's chapter and return plain data (JSON), which the
page checks with the `validated_*` functions before drawing it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from utils.experiments.neural_network_basics import fitting as runs
from utils.experiments.neural_network_basics import warping

__all__ = ["fit_line_paths", "validated_paths", "warped_layers", "validated_warp"]

DECIMALS = 4  # the warped points are drawn, not computed with: 4 decimals keep the report small


def fit_line_paths(engine: Mapping[str, Any]) -> dict[str, dict[str, list[float]]]:
    """`fit_line` from the learner's chapter run for each number of steps the page draws, at
    each learning rate it offers (keyed by the rate written as text)."""
    return {str(lr): runs.fit_path(engine["fit_line"], lr) for lr in runs.LEARNING_RATES}


def validated_paths(data: object) -> dict[float, dict[str, list[float]]]:
    """The paths that came back from the sandbox, checked: one per rate, a number per step
    count (inf and nan allowed: a run that blew up is drawn as such)."""
    if not isinstance(data, dict) or set(data) != {str(lr) for lr in runs.LEARNING_RATES}:
        raise ValueError("the run returned no fitted lines")
    out = {}
    for lr in runs.LEARNING_RATES:
        path = data[str(lr)]
        if not isinstance(path, dict) or list(path.get("steps", [])) != list(runs.STEP_COUNTS):
            raise ValueError(f"the fitted lines at lr={lr} are not at the expected steps")
        clean = {"steps": list(runs.STEP_COUNTS)}
        for key in ("slopes", "intercepts", "losses"):
            values = path.get(key)
            if not isinstance(values, list) or len(values) != len(runs.STEP_COUNTS) or \
                    not all(isinstance(v, (int, float)) for v in values):
                raise ValueError(f"the fitted lines' {key} at lr={lr} are not numbers")
            clean[key] = [float(v) for v in values]
        clean["losses"] = [v if math.isfinite(v) else math.inf for v in clean["losses"]]
        out[lr] = clean
    return out


def warped_layers(engine: Mapping[str, Any], step: int = warping.TRAIN_STEPS) -> dict:
    """The grid and the moons after each layer of the moons network (its weights at training
    step `step`), through the learner's `layer_outputs`."""
    if step not in dict(warping.trained_moons_net().snapshots):
        raise ValueError(f"no weights were kept at step {step}")
    warped = warping.warp(engine["layer_outputs"], warping.net_at(step))
    return {key: [h.detach().float().round(decimals=DECIMALS).tolist() for h in stages]
            for key, stages in warped.items()}


validated_warp = warping.validate_warp
