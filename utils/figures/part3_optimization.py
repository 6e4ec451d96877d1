"""Chapter 5.3's figures: loss landscapes and optimizers racing across them, the minibatch
gradient's noise, a hyperparameter sweep and the learning-rate range test.

Trajectories come from the reference optimizers (solutions/part3_optimization.py) through the
reference `opt_fn`; the measurements behind the other figures are
utils/experiments/part3_optimization.py's. Cached functions take hashable arguments so the cache
can key on them. The module imports without Streamlit (utils.caching), so the chapter's notebook
draws the same figures in Colab: its figure cells call `figures.<function>(...)`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import plotly.graph_objects as go
import torch as t
from jaxtyping import Float
from plotly.subplots import make_subplots

from solutions import part3_optimization as sol
from utils.caching import cache_data
from utils.demos.part3_optimization_settings import LANDSCAPE_NAMES, OPTIMIZER_NAMES
from utils.experiments import part3_optimization as experiments


@dataclass(frozen=True)
class Landscape:
    name: str
    fn: object
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    start: tuple[float, float]
    log_scale: bool  # colour by log(loss - min) so a deep, narrow valley stays visible


LANDSCAPES = {
    "pathological curve": Landscape("pathological curve", sol.pathological_curve_loss,
                                    (-2.5, 2.5), (-2.5, 2.5), (2.5, 2.5), False),
    "three wells": Landscape("three wells", sol.neg_trimodal_func, (-2.5, 2.5), (-2.5, 2.5),
                             (0.2, 0.5), False),
    "Rosenbrock's banana": Landscape("Rosenbrock's banana", sol.rosenbrocks_banana_func,
                                     (-2.0, 2.0), (-1.0, 3.0), (-1.5, 2.5), True),
}
OPTIMIZERS = {"SGD": sol.SGD, "RMSprop": sol.RMSprop, "Adam": sol.Adam, "AdamW": sol.AdamW}
# (The widgets offer them by the names the settings give, which import no torch.)
assert (tuple(LANDSCAPES), tuple(OPTIMIZERS)) == (LANDSCAPE_NAMES, OPTIMIZER_NAMES), \
    "the settings name other landscapes or optimizers"
COLOURS = ("#d9480f", "#1c7ed6", "#2b8a3e", "#ae3ec9")
METRIC = experiments.METRIC  # the sweep's score: accuracy on the dev split


def _fmt(value: object) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_fmt(v) for v in value) + ")"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _grid(landscape: Landscape, n: int = 120) -> tuple[t.Tensor, t.Tensor, t.Tensor]:
    xs = t.linspace(*landscape.x_range, n)
    ys = t.linspace(*landscape.y_range, n)
    grid_y, grid_x = t.meshgrid(ys, xs, indexing="ij")
    z = landscape.fn(grid_x, grid_y)
    if landscape.log_scale:
        z = t.log(z - z.min() + 1e-3)
    return xs, ys, z


LandscapeView = Literal["both", "heatmap", "surface"]


@cache_data
def landscape_figure(name: str, view: LandscapeView = "both") -> go.Figure:
    """The landscape as a 3-D surface and as a heatmap: side by side ("both"), or one of them.

    The site shows the heatmap first and the surface in a tab of its own: a surface is drawn
    with WebGL, which costs a browser without a graphics card (software WebGL) about a second,
    while a heatmap costs a few milliseconds."""
    landscape = LANDSCAPES[name]
    xs, ys, z = _grid(landscape, 80)
    label = "log(loss - min)" if landscape.log_scale else "loss"
    alone = view != "both"  # one view fills the width: its colour bar says what the colours are
    colour = {"colorscale": "Viridis", "showscale": alone, "colorbar": {"title": {"text": label}}}
    surface = go.Surface(x=xs.numpy(), y=ys.numpy(), z=z.numpy(), **colour)
    heatmap = go.Heatmap(x=xs.numpy(), y=ys.numpy(), z=z.numpy(), **colour)
    if view == "both":
        fig = make_subplots(rows=1, cols=2, specs=[[{"type": "surface"}, {"type": "heatmap"}]],
                            column_widths=[0.55, 0.45])
        fig.add_trace(surface, row=1, col=1)
        fig.add_trace(heatmap, row=1, col=2)
    else:
        fig = go.Figure(surface if view == "surface" else heatmap)
        fig.update_xaxes(title_text="x")
        fig.update_yaxes(title_text="y")
    # The heatmap's axes (alone or beside the surface): room for the tick labels and titles that
    # the narrow margins would cut off.
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    fig.update_layout(height=400, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      title=f"{name} ({label})",
                      scene={"xaxis_title": "x", "yaxis_title": "y", "zaxis_title": label})
    return fig


@cache_data
def race_figure(name: str, runs: tuple[tuple[str, tuple[tuple[str, float], ...]], ...],
                n_iters: int) -> tuple[go.Figure, list[dict[str, object]]]:
    """Paths of several optimizers from the landscape's start, over its heatmap, and a summary.

    `runs` holds (optimizer name, keyword arguments as sorted (key, value) pairs)."""
    landscape = LANDSCAPES[name]
    xs, ys, z = _grid(landscape)
    fig = go.Figure(go.Heatmap(x=xs.numpy(), y=ys.numpy(), z=z.numpy(), colorscale="Greys",
                               reversescale=True, showscale=False, opacity=0.8))
    summary, paths = [], []
    for i, (optimizer, hyperparams) in enumerate(runs):
        xy = t.tensor(landscape.start, requires_grad=True)
        path = sol.opt_fn(landscape.fn, xy, OPTIMIZERS[optimizer], dict(hyperparams), n_iters)
        paths.append(path)
        label = f"{optimizer}(" + ", ".join(f"{k}={_fmt(v)}" for k, v in hyperparams) + ")"
        fig.add_trace(go.Scatter(x=path[:, 0].numpy(), y=path[:, 1].numpy(), name=label,
                                 mode="lines+markers", marker={"size": 4},
                                 line={"color": COLOURS[i % len(COLOURS)], "width": 2}))
        summary.append(_where_it_ended(landscape, path, label))
    fig.add_trace(go.Scatter(x=[landscape.start[0]], y=[landscape.start[1]], mode="markers",
                             name="start", marker={"size": 12, "color": "black",
                                                   "symbol": "x"}))
    fig.update_layout(height=520, margin={"l": 60, "r": 10, "t": 30, "b": 10},
                      xaxis={"range": _view(landscape.x_range, paths, 0), "title": "x",
                             "automargin": True},
                      yaxis={"range": _view(landscape.y_range, paths, 1), "title": "y",
                             "automargin": True},
                      legend={"orientation": "h", "y": -0.15})
    return fig, summary


def _where_it_ended(landscape: Landscape, path: Float[t.Tensor, "n_iters 2"],
                    label: str) -> dict[str, object]:
    """The race table's row for one path: where it ended, or the step at which it overflowed
    (a learning rate too large for the landscape throws it further each step: nan is no answer)."""
    # Row k is the position after k steps. The loss overflows first (at |x| ~ 1e9 on the banana),
    # the position a step or two later.
    losses = landscape.fn(path[:, 0], path[:, 1])
    overflowed = (~(path.isfinite().all(dim=1) & losses.isfinite())).nonzero()
    if len(overflowed):
        return {"optimizer": label, "final x": "—", "final y": "—",
                "final loss": f"diverged: overflowed at step {overflowed[0].item()}"}
    return {"optimizer": label, "final x": round(path[-1, 0].item(), 4),
            "final y": round(path[-1, 1].item(), 4), "final loss": round(losses[-1].item(), 5)}


def race(landscape: str, *runs: tuple[str, dict[str, object]], n_iters: int = 100) -> go.Figure:
    """race_figure's figure, with each run written as (optimizer name, its keyword arguments),
    e.g. `race("three wells", ("SGD", {"lr": 0.1}), ("Adam", {"lr": 0.1}))`: for a notebook."""
    hashable = tuple((name, tuple(sorted(kwargs.items()))) for name, kwargs in runs)
    return race_figure(landscape, hashable, n_iters)[0]


def _view(landscape_range: tuple[float, float], paths: list[t.Tensor], axis: int) -> list[float]:
    """The landscape's range, widened to show paths that leave it, up to 3 times its span each
    way (beyond that a path has diverged, and the summary table says where it ended)."""
    low, high = landscape_range
    span = high - low
    values = t.cat([p[:, axis] for p in paths]) if paths else t.zeros(0)
    values = values[values.isfinite() & (values > low - 3 * span) & (values < high + 3 * span)]
    if len(values):
        margin = 0.03 * span
        low = min(low, values.min().item() - margin)
        high = max(high, values.max().item() + margin)
    return [low, high]


def sweep_figures(rows: list[dict[str, object]]) -> tuple[go.Figure, go.Figure]:
    """A parallel-coordinates plot of every run, and dev accuracy against learning rate."""
    import plotly.express as px

    table = {key: [row[key] for row in rows] for key in rows[0]}
    table["log10 learning_rate"] = [math.log10(v) for v in table["learning_rate"]]
    table["optimizer (0 sgd, 1 adam)"] = [int(v == "adam") for v in table["optimizer"]]
    parallel = px.parallel_coordinates(
        table, dimensions=["log10 learning_rate", "batch_size", "epochs",
                           "optimizer (0 sgd, 1 adam)", METRIC],
        color=METRIC, color_continuous_scale="Viridis", range_color=[0, 1])
    parallel.update_layout(height=420, margin={"l": 60, "r": 40, "t": 40, "b": 20})
    scatter = px.scatter(table, x="learning_rate", y=METRIC, color="optimizer",
                         size=[4 + 3 * e for e in table["epochs"]], log_x=True,
                         hover_data=["batch_size", "epochs"])
    scatter.update_layout(height=380, yaxis_range=[0, 1],
                          margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return parallel, scatter


def sweep_accuracy_figure(count: int, seed: int = 0) -> go.Figure:
    """A sweep of `count` runs (experiments.sweep): dev accuracy against learning rate, as on
    the page, with the winner and its test accuracy (measured once) in the title."""
    rows = experiments.sweep(count, seed)
    _, scatter = sweep_figures(rows)
    best, test_accuracy = experiments.sweep_winner(rows)
    scatter.update_layout(
        title=f"Winner: run {best['run']} ({best['optimizer']}, learning rate "
              f"{best['learning_rate']:.2g}): dev {best[METRIC]:.1%}, test {test_accuracy:.1%}",
        margin={"t": 50})
    return scatter


# ---------------------------------------------------------------------------------------------
# Why minibatches; a first learning rate


@cache_data(show_spinner="Measuring minibatch gradients…")
def minibatch_noise_figure() -> go.Figure:
    """The minibatch gradient's noise against the batch size: measured (saved), predicted, and
    the 1/sqrt(B) that the prediction follows until B nears the data set's size."""
    noise = experiments.saved_minibatch_noise()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=noise["batch size"], y=noise["predicted"], mode="lines",
                             name="predicted from the per-example spread",
                             line={"color": COLOURS[1]}))
    fig.add_trace(go.Scatter(x=noise["batch size"], y=noise["measured"], mode="markers",
                             name="measured (200 random batches each)",
                             marker={"color": COLOURS[0], "size": 9}))
    fig.add_trace(go.Scatter(x=noise["batch size"],
                             y=[noise["predicted"][0] / math.sqrt(b) for b in noise["batch size"]],
                             mode="lines", name="1/√B", line={"color": "grey", "dash": "dot"}))
    fig.update_layout(height=380, margin={"l": 60, "r": 10, "t": 30, "b": 10},
                      xaxis={"type": "log", "title": "batch size B"},
                      yaxis={"type": "log", "title": "noise / full gradient", "automargin": True},
                      legend={"orientation": "h", "y": -0.25})
    return fig


@cache_data(show_spinner="Running the range test…")
def lr_range_figure(optimizer: str) -> go.Figure:
    """The range test's smoothed loss against the learning rate for "sgd" or "adam", with the
    lowest point and a tenth of it marked; each mark's legend entry gives the dev accuracy that
    3 epochs from scratch reach at that rate (experiments.range_test)."""
    found = experiments.range_test(optimizer)
    lrs, losses = found["lrs"], found["losses"]
    fig = go.Figure(go.Scatter(x=lrs, y=losses, mode="lines", name="smoothed loss",
                               line={"color": COLOURS[1], "width": 2}))
    span = [min(losses), max(losses)]
    for which, label, colour in (("lowest", "lowest loss", COLOURS[0]),
                                 ("suggested", "a tenth of it", COLOURS[2])):
        fig.add_trace(go.Scatter(
            x=[found[which]] * 2, y=span, mode="lines", line={"color": colour, "dash": "dash"},
            name=f"{label}: lr {found[which]:.2g} (3 epochs from scratch: "
                 f"{found[f'accuracy at {which}']:.0%} dev accuracy)"))
    fig.update_layout(height=400, margin={"l": 60, "r": 10, "t": 30, "b": 10},
                      xaxis={"type": "log", "title": "learning rate (rising every step)"},
                      yaxis={"title": "training loss (smoothed)", "automargin": True},
                      legend={"orientation": "h", "y": -0.25})
    return fig
