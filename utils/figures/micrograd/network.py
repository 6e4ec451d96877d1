"""Chapter 3's figures for its network sections (Colab-safe: no Streamlit).

A training run (utils/experiments/micrograd/network.py) is drawn as the decision boundary at its
parameter snapshots, with a Plotly slider over the steps (so it works in a notebook too), and as
its loss and accuracy per step. The boundary is the sign of the MLP's score on a grid of points,
computed from the snapshot's numbers by a NumPy forward pass of the same network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.colors
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from utils.caching import cache_data
from utils.experiments.micrograd.network import (RunSettings, mlp_forward, moons, reference_run,
                                                 train_run)

GRID = 40  # points per side of the boundary's grid
EXTENT = ((-1.6, 2.6), (-1.1, 1.6))  # x and y range: the moons with a margin
CLIP = 2.0  # scores beyond +-CLIP get the end colours: the sign is what matters
LABEL_COLOURS = {-1.0: "#b2182b", 1.0: "#2166ac"}


def _grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs = np.linspace(*EXTENT[0], GRID)
    ys = np.linspace(*EXTENT[1], GRID)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.stack([gx.ravel(), gy.ravel()], axis=1)


def _scores(numbers: list[float], sizes: list[int]) -> np.ndarray:
    _, _, points = _grid()
    return mlp_forward(numbers, 2, sizes, points).reshape(GRID, GRID)


def moons_traces(X: np.ndarray, y: np.ndarray) -> list[go.Scatter]:
    return [go.Scatter(x=X[y == label, 0], y=X[y == label, 1], mode="markers",
                       name=f"y = {label:+.0f}",
                       marker={"color": colour, "size": 7, "line": {"color": "white",
                                                                    "width": 1}})
            for label, colour in LABEL_COLOURS.items()]


def moons_figure(n: int = 100, seed: int = 1337) -> go.Figure:
    """The two moons the chapter trains on."""
    X, y = moons(n, seed)
    fig = go.Figure(moons_traces(X, y))
    fig.update_layout(title=f"{n} points of make_moons(noise=0.1, random_state={seed})",
                      height=380, xaxis_title="x₁", yaxis_title="x₂",
                      yaxis={"scaleanchor": "x"}, margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def hinge_figure() -> go.Figure:
    """The max-margin loss of one point against its margin y * score."""
    m = np.linspace(-2, 3, 201)
    fig = go.Figure([go.Scatter(x=m, y=np.maximum(0, 1 - m), name="relu(1 − y·s)"),
                     go.Scatter(x=m, y=(m <= 0).astype(float), name="misclassified (0/1)",
                                line={"dash": "dot"})])
    fig.update_layout(title="The hinge: zero once a point is on its side by a margin of 1",
                      xaxis_title="y · score", yaxis_title="loss of one point", height=320,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def _faded(colorscale: str, white: float) -> list[list]:
    """The Plotly colorscale mixed with `white` parts of white: how it looks at opacity
    1 - white over a white page, while the lines drawn with it stay fully opaque."""
    faded = []
    for at, colour in plotly.colors.get_colorscale(colorscale):
        r, g, b = plotly.colors.unlabel_rgb(colour)
        faded.append([at, "rgb({:.0f},{:.0f},{:.0f})".format(
            *(c * (1 - white) + 255 * white for c in (r, g, b)))])
    return faded


def _contour(z: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> list[go.Contour]:
    """The score as colours (clipped at +-CLIP by the colour range) and its zero line, one
    trace, so that the grid's scores are sent once per frame (as float32: far finer than the two
    decimals the hover shows)."""
    return [go.Contour(x=xs, y=ys, z=z.astype(np.float32), colorscale=_faded("RdBu", 0.25),
                       zmin=-CLIP, zmax=CLIP, contours_coloring="heatmap",
                       contours={"start": 0, "end": 0, "size": 1},
                       line={"color": "black", "width": 2.5},
                       colorbar={"title": "score", "len": 0.8}, name="score",
                       hovertemplate="x₁ %{x:.2f}<br>x₂ %{y:.2f}<br>score %{z:.2f}"
                                     "<extra></extra>")]


def boundary_figure(run: Mapping[str, Any], title: str = "") -> go.Figure:
    """The decision boundary at each snapshot of `run`, with a slider over the steps (it opens
    at the last one), and the moons on top."""
    settings = run["settings"]
    sizes = [*settings["hidden"], 1]
    X, y = moons(settings["n_points"], settings["seed"])
    xs, ys, _ = _grid()
    frames, last_scores = [], None
    for step, numbers in run["snapshots"]:
        acc = run["accuracy"][min(step, len(run["accuracy"]) - 1)]
        last_scores = _scores(numbers, sizes).astype(np.float32)
        # A frame holds only what changes: Plotly merges it into the trace (the grid's points,
        # colours and line are the trace's, sent once).
        frames.append(go.Frame(data=[go.Contour(z=last_scores)], traces=[0], name=str(step),
                               layout={"title": {"text": f"{title}step {step}: accuracy "
                                                         f"{acc:.0%}"}}))
    last = frames[-1]
    fig = go.Figure(data=[*_contour(last_scores, xs, ys), *moons_traces(X, y)], frames=frames)
    fig.update_layout(
        title=last.layout.title.text, height=480, xaxis_title="x₁", yaxis_title="x₂",
        xaxis={"range": EXTENT[0], "constrain": "domain"},
        yaxis={"range": EXTENT[1], "scaleanchor": "x", "constrain": "domain"},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.0, "yanchor": "bottom"},
        sliders=[{"active": len(frames) - 1, "currentvalue": {"prefix": "step "},
                  "pad": {"t": 40},
                  "steps": [{"label": f.name, "method": "animate",
                             "args": [[f.name], {"mode": "immediate",
                                                 "frame": {"duration": 0, "redraw": True},
                                                 "transition": {"duration": 0}}]}
                            for f in frames]}])
    return fig


def loss_figure(runs: Mapping[str, Mapping[str, Any]]) -> go.Figure:
    """Loss (left) and training accuracy (right) per step, one line per run."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("loss (hinge + L2)", "accuracy"))
    palette = ["#1f77b4", "#d62728", "#2ca02c"]
    for i, (name, run) in enumerate(runs.items()):
        line = {"color": palette[i % len(palette)], "dash": "solid" if i == 0 else "dash"}
        steps = list(range(len(run["loss"])))
        fig.add_trace(go.Scatter(x=steps, y=run["loss"], name=name, legendgroup=name,
                                 line=line), row=1, col=1)
        fig.add_trace(go.Scatter(x=steps, y=run["accuracy"], name=name, legendgroup=name,
                                 showlegend=False, line=line), row=1, col=2)
    fig.update_xaxes(title_text="step")
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=2)
    fig.update_layout(height=340, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"orientation": "h", "y": -0.3})
    return fig


@cache_data(show_spinner=False)
def reference_boundary() -> go.Figure:
    return boundary_figure(reference_run(), "reference, ")


def reference_loss() -> go.Figure:
    return loss_figure({"reference MLP(2, [16, 16, 1])": reference_run()})


def your_training(namespace: Mapping[str, Any], steps: int = 40, hidden: int = 8,
                  n_points: int = 50, lr_start: float = 1.0) -> go.Figure:
    """Notebook: train an MLP(2, [hidden, hidden, 1]) with your own MLP, moons_loss and
    train_step (from `namespace`, e.g. globals()) and draw its boundary; the loss figure is
    `loss_figure({...})`."""
    settings = RunSettings(n_points=n_points, hidden=(hidden, hidden), steps=steps,
                           lr_start=lr_start, lr_end=lr_start / 10, every=max(1, steps // 10))
    try:
        run = train_run(namespace, settings)
    except NotImplementedError:  # an exercise still a stub: show what it will look like
        return boundary_figure(reference_run(), "not written yet, so the reference: ")
    return boundary_figure(run, "yours, ")
