"""Chapter 2's demos for its digits sections: the learner's own functions run in the sandbox on
the 3s and 7s, and what they measure sent back as plain numbers for the page to draw.

`digits_baseline` builds the pixel-similarity baseline from their mean_image, mnist_distance and
is_three (section 1); `digits_one_weight` moves one weight of their linear model and measures
their batch_accuracy and mnist_loss along the way (section 2). The page checks what comes back
(`validated_baseline`, `validated_sweep`) before it draws anything. Nothing here imports
Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch as t
from torch import Tensor

from utils.demos.neural_network_basics_settings import BASELINE_NAMES, SWEEP_NAMES  # noqa: F401 - named here too
from utils.experiments.neural_network_basics.digits import (Baseline, OneWeightSweep,
                                                            measure_baseline, sweep_one_weight,
                                                            threes_and_sevens)

__all__ = ["digits_baseline", "digits_one_weight"]


def _functions(engine: Mapping[str, Any], names: tuple[str, ...]) -> list:
    missing = [name for name in names if not callable(engine.get(name))]
    if missing:
        raise NotImplementedError(f"no function named {', '.join(missing)} yet")
    return [engine[name] for name in names]


class UnusableResult(ValueError):
    """A learner's function returned something the figures cannot draw (named in the message)."""


def _as_tensor(value: Any, shape: tuple[int, ...], what: str, boolean: bool = False) -> Tensor:
    """A learner's result, checked for the shape (and kind) the figures need."""
    if not isinstance(value, Tensor):
        raise UnusableResult(f"{what} should be a tensor, not {type(value).__name__}")
    if tuple(value.shape) != shape:
        raise UnusableResult(f"{what} has shape {tuple(value.shape)}; the figures need {shape}")
    if boolean and value.dtype != t.bool:
        raise UnusableResult(f"{what} should be booleans, not {value.dtype}")
    return value.detach()


def checked_baseline(engine: Mapping[str, Any]) -> Baseline:
    """The baseline from the three functions in `engine` (a learner's namespace), with their
    results' shapes checked, so a wrong one is named rather than drawn."""
    data = threes_and_sevens()
    b = measure_baseline(*_functions(engine, BASELINE_NAMES), data)
    h, w = data.train_images.shape[1:]
    n = len(data.valid_images)
    return Baseline(mean3=_as_tensor(b.mean3, (h, w), "mean_image of the training 3s"),
                    mean7=_as_tensor(b.mean7, (h, w), "mean_image of the training 7s"),
                    dist3=_as_tensor(b.dist3, (n,), "mnist_distance(valid images, mean3)"),
                    dist7=_as_tensor(b.dist7, (n,), "mnist_distance(valid images, mean7)"),
                    said_three=_as_tensor(b.said_three, (n,), "is_three(valid images, ...)",
                                          boolean=True),
                    is_three=b.is_three, source=b.source)


def digits_baseline(engine: Mapping[str, Any]) -> dict:
    """Run in the sandbox: the learner's baseline, as lists of numbers (or what is wrong with
    it, which the page shows: the run itself went fine)."""
    try:
        b = checked_baseline(engine)
    except UnusableResult as err:
        return {"error": str(err)}
    return {"mean3": b.mean3.tolist(), "mean7": b.mean7.tolist(), "dist3": b.dist3.tolist(),
            "dist7": b.dist7.tolist(), "said_three": b.said_three.tolist(),
            "is_three": b.is_three.tolist(), "source": b.source}


def validated_baseline(data: object) -> Baseline:
    """A baseline that came back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no baseline")
    if isinstance(data.get("error"), str):
        raise ValueError(data["error"][:300])
    try:
        mean3 = t.tensor(data["mean3"], dtype=t.float32)
        mean7 = t.tensor(data["mean7"], dtype=t.float32)
        dist3 = t.tensor(data["dist3"], dtype=t.float32)
        dist7 = t.tensor(data["dist7"], dtype=t.float32)
        said = t.tensor(data["said_three"], dtype=t.bool)
        truth = t.tensor(data["is_three"], dtype=t.bool)
        source = str(data["source"])
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"the baseline's numbers are malformed ({err})") from err
    n = len(truth)
    if mean3.ndim != 2 or mean3.shape != mean7.shape or not n or \
            any(v.shape != (n,) for v in (dist3, dist7, said)):
        raise ValueError("the baseline's numbers have the wrong shapes")
    return Baseline(mean3, mean7, dist3, dist7, said, truth, source)


def checked_sweep(engine: Mapping[str, Any]) -> OneWeightSweep:
    return sweep_one_weight(*_functions(engine, SWEEP_NAMES))


def digits_one_weight(engine: Mapping[str, Any]) -> dict:
    """Run in the sandbox: accuracy and loss as one weight of the learner's model moves."""
    s = checked_sweep(engine)
    return {"pixel": s.pixel, "start": s.start, "values": s.values.tolist(),
            "accuracy": s.accuracy.tolist(), "loss": s.loss.tolist(),
            "loss_slope": s.loss_slope, "n_images": s.n_images}


def validated_sweep(data: object) -> OneWeightSweep:
    """A sweep that came back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no measurements")
    try:
        values = t.tensor(data["values"], dtype=t.float32)
        accuracy = t.tensor(data["accuracy"], dtype=t.float32)
        loss = t.tensor(data["loss"], dtype=t.float32)
        sweep = OneWeightSweep(pixel=int(data["pixel"]), start=float(data["start"]),
                               values=values, accuracy=accuracy, loss=loss,
                               loss_slope=float(data["loss_slope"]),
                               n_images=int(data["n_images"]))
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"the measurements are malformed ({err})") from err
    if values.ndim != 1 or accuracy.shape != values.shape or loss.shape != values.shape:
        raise ValueError("the measurements have the wrong shapes")
    return sweep
