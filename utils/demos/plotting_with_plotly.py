"""Chapter 1's live figures: the data each exercise's function is shown on, and the demo that
draws them with a learner's own functions.

The data are small and made here, from scikit-learn's 8x8 digits (shipped with the package, no
download): a linear classifier that tells 3s from 7s, trained by full-batch gradient descent
(its losses for line_plot, its weights for signed_heatmap and animate, its verdicts as titles
for image_grid), the digits' first two principal components (labelled_scatter) and the
activations of a deep tanh network (histograms_by_layer). `draw(fn, exercise, setting)` calls
an exercise's function on them; the page does so with the reference, the notebook with the
learner's function, and `figures_for` with the learner's passed code in the runner's sandbox.
Nothing here imports Streamlit.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Callable

import numpy as np
import plotly.graph_objects as go
import torch as t

from utils.data import sklearn_digits

from utils.demos.plotting_settings import (COLUMNS, DEFAULT_RATE, GAINS,  # noqa: F401
                                           GRID_IMAGES, HEATMAP_STEPS, LEARNING_RATES,
                                           POINT_COUNTS, RECORD_EVERY, SETTINGS,
                                           SNAPSHOT_EVERY, TRAIN_STEPS)


@functools.lru_cache(maxsize=1)
def threes_and_sevens() -> dict[str, t.Tensor]:
    """The 3s and 7s of scikit-learn's digits as (n, 8, 8) images in [0, 1], with targets 1 for
    a 7 and 0 for a 3, split 70/30 into train and validation with a fixed permutation."""
    pixels, labels = sklearn_digits()
    keep = (labels == 3) | (labels == 7)
    images = t.tensor(pixels[keep], dtype=t.float32) / 16
    targets = t.tensor(labels[keep] == 7, dtype=t.float32)
    order = t.randperm(len(images), generator=t.Generator().manual_seed(0))
    images, targets = images[order], targets[order]
    cut = int(0.7 * len(images))
    return {"train_x": images[:cut], "train_y": targets[:cut],
            "val_x": images[cut:], "val_y": targets[cut:]}


@functools.lru_cache(maxsize=len(LEARNING_RATES))
def train_classifier(lr: float) -> dict[str, t.Tensor]:
    """Logistic regression on the 64 pixels (weights start at 0), TRAIN_STEPS full-batch
    gradient steps at learning rate `lr`. Returns the steps at which losses were recorded, the
    mean train and validation cross-entropy there, and the weights as (8, 8) images every
    SNAPSHOT_EVERY steps (step 0 included)."""
    data = threes_and_sevens()
    x, y = data["train_x"].flatten(1), data["train_y"]
    vx, vy = data["val_x"].flatten(1), data["val_y"]
    w, b = t.zeros(64), t.zeros(())
    loss = t.nn.functional.binary_cross_entropy_with_logits
    steps, train, val, weights = [], [], [], []
    for step in range(TRAIN_STEPS + 1):
        logits = x @ w + b
        if step % RECORD_EVERY == 0:
            steps.append(step)
            train.append(float(loss(logits, y)))
            val.append(float(loss(vx @ w + b, vy)))
        if step % SNAPSHOT_EVERY == 0:
            weights.append(w.reshape(8, 8).clone())
        error = t.sigmoid(logits) - y  # the gradient of the mean cross-entropy w.r.t. the logits
        w = w - lr * (x.T @ error) / len(y)
        b = b - lr * error.mean()
    return {"steps": t.tensor(steps, dtype=t.float32), "train": t.tensor(train),
            "val": t.tensor(val), "weights": t.stack(weights), "bias": b}


def predicted_seven(lr: float, images: t.Tensor) -> t.Tensor:
    """The trained classifier's probability that each (8, 8) image is a 7."""
    run = train_classifier(lr)
    return t.sigmoid(images.flatten(1) @ run["weights"][-1].flatten() + run["bias"])


@functools.lru_cache(maxsize=1)
def digit_components() -> tuple[t.Tensor, list[str]]:
    """Every digit's first two principal components (the plane in which the 64 pixel values
    vary most), and a label per digit: which digit it is and its index."""
    pixels, labels = sklearn_digits()
    # (in float64, and each direction's sign fixed: an SVD may return either sign of a
    # direction, and two machines' LAPACK builds do differ, so the picture would mirror)
    x = t.tensor(pixels.reshape(len(pixels), -1), dtype=t.float64) / 16
    centred = x - x.mean(0)
    _, _, v = t.linalg.svd(centred, full_matrices=False)
    directions = v[:2]  # (2, 64)
    largest = directions.abs().argmax(dim=1, keepdim=True)
    directions = directions * directions.gather(1, largest).sign()  # its largest entry positive
    points = (centred @ directions.T).to(t.float32)
    return points, [f"a {int(d)} (digit #{i})" for i, d in enumerate(labels)]


@functools.lru_cache(maxsize=len(GAINS))
def tanh_activations(gain: float, layers: int = 5, width: int = 50, n: int = 200,
                     seed: int = 0) -> dict[str, t.Tensor]:
    """The outputs of each tanh layer of a deep network on random inputs, its weights drawn
    with standard deviation gain / sqrt(fan_in) (the gain the makemore chapter calls Kaiming's)."""
    gen = t.Generator().manual_seed(seed)
    h = t.randn(n, width, generator=gen)
    acts = {}
    for layer in range(1, layers + 1):
        w = t.randn(width, width, generator=gen) * gain / width ** 0.5
        h = t.tanh(h @ w)
        acts[f"layer {layer}"] = h
    return acts


def inputs(exercise: str, setting: Any) -> tuple:
    """The arguments the page passes to an exercise's function at one setting of its control."""
    if exercise == "line_plot":
        run = train_classifier(float(setting))
        return (run["steps"], {"train": run["train"], "validation": run["val"]},
                f"3s vs 7s, learning rate {setting:g}")
    if exercise == "labelled_scatter":
        points, labels = digit_components()
        return points[:int(setting)], labels[:int(setting)]
    if exercise == "signed_heatmap":
        return (train_classifier(DEFAULT_RATE)["weights"][int(setting) // SNAPSHOT_EVERY],)
    if exercise == "image_grid":
        data = threes_and_sevens()
        images = data["val_x"][:GRID_IMAGES]
        truth = ["7" if y else "3" for y in data["val_y"][:GRID_IMAGES].tolist()]
        p = predicted_seven(DEFAULT_RATE, images).tolist()
        return images, [f"a {d}, p(7) = {q:.2f}" for d, q in zip(truth, p)], int(setting)
    if exercise == "histograms_by_layer":
        return (tanh_activations(float(setting)),)
    if exercise == "animate":
        return (train_classifier(float(setting))["weights"],)
    raise KeyError(f"no live figure for {exercise!r}")


def finish(fig: go.Figure, exercise: str) -> go.Figure:
    """What the page adds to any answer's figure: axis titles and a height (layout fields set
    after the fact, as the chapter teaches)."""
    if exercise == "line_plot":
        fig.update_layout(xaxis_title="gradient step", yaxis_title="mean cross-entropy")
    elif exercise == "labelled_scatter":
        fig.update_layout(xaxis_title="first principal component",
                          yaxis_title="second principal component")
    elif exercise == "histograms_by_layer":
        fig.update_layout(xaxis_title="tanh output")
    if exercise == "animate":  # the frames are signed weights: colour them as section 3 says
        _diverging_about_zero(fig)
    height = {"animate": 520, "signed_heatmap": 420}.get(exercise, 400)
    if exercise in ("image_grid", "animate", "signed_heatmap"):
        for trace in fig.data:  # square pixels: each y axis keeps its x axis's scale
            y_axis = fig.layout[f"yaxis{(trace.yaxis or 'y')[1:]}"]
            y_axis.update(scaleanchor=trace.xaxis or "x", constrain="domain")
    if exercise == "image_grid":
        rows = len({fig.layout[f"yaxis{(tr.yaxis or 'y')[1:]}"].domain for tr in fig.data})
        height = 70 + 170 * rows
    return fig.update_layout(height=height, margin={"t": 60})


def _diverging_about_zero(fig: go.Figure) -> None:
    """Recolour an animation's heatmap with a diverging scale whose middle is 0, widening its
    fixed range to be symmetric (a go.Heatmap's zmin/zmax, or px.imshow's colour axis)."""
    for trace in fig.data:
        if trace.type == "heatmap" and not trace.coloraxis:
            ends = (trace.zmin, trace.zmax)
            if None in ends:
                trace.update(colorscale="RdBu", zmid=0)
            else:
                m = max(abs(float(end)) for end in ends)
                trace.update(colorscale="RdBu", zmin=-m, zmax=m)
    axis = fig.layout.coloraxis
    if any(trace.coloraxis for trace in fig.data):
        if axis.cmin is None or axis.cmax is None:
            axis.update(colorscale="RdBu", cmid=0)
        else:
            m = max(abs(float(axis.cmin)), abs(float(axis.cmax)))
            axis.update(colorscale="RdBu", cmin=-m, cmax=m)


def draw(fn: Callable, exercise: str, setting: Any) -> go.Figure:
    """`fn` (an exercise's function, a learner's or the reference) on the page's data."""
    fig = fn(*inputs(exercise, setting))
    if not isinstance(fig, go.Figure):
        raise TypeError(f"{exercise} returned {type(fig).__name__}, not a go.Figure")
    return finish(fig, exercise)


MAX_FIGURE_CHARS = 3_000_000


def figures_for(engine: Mapping[str, Any], exercise: str, settings: list) -> list[str]:
    """Run in the sandbox on the learner's chapter: their `exercise` drawn at each setting, as
    Plotly JSON (the page checks each before drawing it)."""
    if exercise not in SETTINGS:
        raise KeyError(f"no live figure for {exercise!r}")
    out = []
    for setting in settings:
        if setting not in SETTINGS[exercise][0]:
            raise ValueError(f"{setting!r} is not a setting of {exercise}'s figure")
        text = draw(engine[exercise], exercise, setting).to_json()
        if len(text) > MAX_FIGURE_CHARS:
            raise ValueError(f"your {exercise} figure is too big to send to the page")
        out.append(text)
    return out


def validated_figures(data: object, count: int) -> list[go.Figure]:
    """Figures that came back from the sandbox, checked (Plotly validates every field) before
    they are drawn."""
    import plotly.io as pio

    if not isinstance(data, list) or len(data) != count or \
            not all(isinstance(text, str) and len(text) <= MAX_FIGURE_CHARS for text in data):
        raise ValueError("the run returned no figures")
    return [pio.from_json(text) for text in data]
