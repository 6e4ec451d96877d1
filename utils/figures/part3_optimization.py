"""Chapter 3's figures: loss landscapes, and optimizers racing across them.

Trajectories come from the reference optimizers (solutions/part3_optimization.py) through the
reference `opt_fn`; every function takes hashable arguments so st.cache_data can key on them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import partial

import plotly.graph_objects as go
import streamlit as st
import torch as t
from plotly.subplots import make_subplots

from solutions import part3_optimization as sol
from utils.site_config import ROOT


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
COLOURS = ("#d9480f", "#1c7ed6", "#2b8a3e", "#ae3ec9")
METRIC = sol.make_sweep_config()["metric"]["name"]  # the dev split's accuracy
BETA2_CHOICES = (0.5, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999)  # 1 - beta2 on a rough log scale


def format_number(value: float) -> str:
    """A slider's value as typed: 0.999, 1e-05, never rounded to 1.00."""
    return f"{value:g}"


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


@st.cache_data
def landscape_figure(name: str) -> go.Figure:
    """The landscape as a 3-D surface and as a heatmap, side by side."""
    landscape = LANDSCAPES[name]
    xs, ys, z = _grid(landscape, 80)
    fig = make_subplots(rows=1, cols=2, specs=[[{"type": "surface"}, {"type": "heatmap"}]],
                        column_widths=[0.55, 0.45])
    fig.add_trace(go.Surface(x=xs.numpy(), y=ys.numpy(), z=z.numpy(), colorscale="Viridis",
                             showscale=False), row=1, col=1)
    fig.add_trace(go.Heatmap(x=xs.numpy(), y=ys.numpy(), z=z.numpy(), colorscale="Viridis",
                             showscale=False), row=1, col=2)
    label = "log(loss - min)" if landscape.log_scale else "loss"
    fig.update_layout(height=400, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      title=f"{name} ({label})",
                      scene={"xaxis_title": "x", "yaxis_title": "y", "zaxis_title": label})
    return fig


@st.cache_data
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
        final = landscape.fn(path[-1, 0], path[-1, 1]).item()
        summary.append({"optimizer": label, "final x": round(path[-1, 0].item(), 4),
                        "final y": round(path[-1, 1].item(), 4), "final loss": round(final, 5)})
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


def sweep_with_progress(count: int, seed: int, bar) -> list[dict[str, object]]:
    """Run (or fetch from the cache) a local sweep of the chapter's config, moving `bar`."""
    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Sweep: run {done} of {total}")

    rows = _sweep(count, seed, progress)
    best = max(rows, key=lambda r: r[METRIC])
    bar.progress(1.0, text=f"Sweep done: best dev accuracy {best[METRIC]:.1%}")
    return rows


@st.cache_data(show_spinner=False)
def sweep_winner(rows: list[dict[str, object]]) -> tuple[dict[str, object], float]:
    """The sweep's winner on the dev split, and its accuracy on the test split (measured once,
    with the reference select_and_test)."""
    test_fn = partial(sol.train_digits_classifier, evaluate_on="test")
    return sol.select_and_test(rows, sol.make_sweep_config(), sol.SweepArgs(), test_fn)


@st.cache_resource(show_spinner=False)
def _sweep(count: int, seed: int, _progress=None) -> list[dict[str, object]]:
    return sol.run_sweep(sol.make_sweep_config(), sol.SweepArgs(), count, seed,
                         progress=_progress)


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


# ---------------------------------------------------------------------------------------------
# Why minibatches; a first learning rate


def minibatch_gradient_noise(batch_sizes: tuple[int, ...], draws: int = 200,
                             seed: int = 0) -> dict[str, list[float]]:
    """How far a minibatch gradient lands from the full-batch gradient, relative to the full
    gradient's length, for the digits MLP at its initial weights: measured over `draws` random
    batches of each size (without replacement), and predicted from the per-example gradients'
    spread, sqrt(trace(cov) / B * (N - B) / (N - 1))."""
    from torch.func import functional_call, grad, vmap

    x, y = sol.digits_splits()["train"]
    n = len(y)
    t.manual_seed(seed)
    model = sol.digits_mlp()
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss_one(p: dict, xi: t.Tensor, yi: t.Tensor) -> t.Tensor:
        return t.nn.functional.cross_entropy(functional_call(model, p, (xi[None],)), yi[None])

    per_example = vmap(grad(loss_one), in_dims=(None, 0, 0))(params, x, y)
    grads = t.cat([g.reshape(n, -1) for g in per_example.values()], dim=1)
    full = grads.mean(0)
    deviations = grads - full
    gram = deviations @ deviations.T  # |mean of a batch's deviations|^2 from sums of its entries
    spread = gram.diagonal().mean().item()  # trace of the per-example covariance
    generator = t.Generator().manual_seed(seed)
    measured, predicted = [], []
    for b in batch_sizes:
        chosen = t.stack([t.randperm(n, generator=generator)[:b] for _ in range(draws)])
        masks = t.zeros(draws, n).scatter_(1, chosen, 1.0)
        errors = ((masks @ gram) * masks).sum(1) / b ** 2  # |g_batch - g|^2 for each draw
        measured.append(errors.mean().sqrt().item() / full.norm().item())
        predicted.append(math.sqrt(spread / b * (n - b) / (n - 1)) / full.norm().item())
    return {"batch size": list(batch_sizes), "measured": measured, "predicted": predicted,
            "examples": n}


# The noise figure's measurement takes seconds and never changes (seeded, reference model, offline
# digits), so it is saved: `python -m utils.figures.part3_optimization` writes it again, a missing
# file is measured at first use, and a test fails when the saved one no longer matches.
NOISE_PATH = ROOT / "assets" / "part3_optimization" / "minibatch_noise.json"
NOISE_BATCH_SIZES = tuple(2 ** k for k in range(11))  # 1 .. 1024 of the 1077 training digits


def saved_minibatch_noise() -> dict[str, list[float]]:
    try:
        return json.loads(NOISE_PATH.read_text())
    except (OSError, ValueError):
        return minibatch_gradient_noise(NOISE_BATCH_SIZES)


@st.cache_data(show_spinner="Measuring minibatch gradients…")
def minibatch_noise_figure() -> tuple[go.Figure, dict[str, list[float]]]:
    noise = saved_minibatch_noise()
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
    return fig, noise


def suggested_lr(lrs: list[float], losses: list[float]) -> float:
    """A tenth of the learning rate where the smoothed loss was lowest."""
    return lrs[min(range(len(losses)), key=losses.__getitem__)] / 10


@st.cache_data(show_spinner="Running the range test…")
def lr_range_figure(optimizer: str) -> tuple[go.Figure, dict[str, float]]:
    """The range test's loss against learning rate, and what training from scratch for 3 epochs
    (batch size 8, as in the test) reaches on the dev split at the suggested learning rate and
    at the one where the loss was lowest: {"suggested", "lowest", "accuracy at suggested",
    "accuracy at lowest"}."""
    lrs, losses = sol.lr_range_test(optimizer)
    lowest = min(range(len(losses)), key=losses.__getitem__)
    suggestion = suggested_lr(lrs, losses)
    result = {"suggested": suggestion, "lowest": lrs[lowest]}
    for which in ("suggested", "lowest"):
        result[f"accuracy at {which}"] = sol.train_digits_classifier(sol.SweepArgs(
            optimizer=optimizer, epochs=3, batch_size=8, learning_rate=result[which]))
    fig = go.Figure(go.Scatter(x=lrs, y=losses, mode="lines", name="smoothed loss",
                               line={"color": COLOURS[1], "width": 2}))
    span = [min(losses), max(losses)]
    fig.add_trace(go.Scatter(x=[lrs[lowest]] * 2, y=span, mode="lines",
                             name=f"lowest loss: lr {lrs[lowest]:.2g}",
                             line={"color": COLOURS[0], "dash": "dash"}))
    fig.add_trace(go.Scatter(x=[suggestion] * 2, y=span, mode="lines",
                             name=f"a tenth of it: lr {suggestion:.2g}",
                             line={"color": COLOURS[2], "dash": "dash"}))
    fig.update_layout(height=400, margin={"l": 60, "r": 10, "t": 30, "b": 10},
                      xaxis={"type": "log", "title": "learning rate (rising every step)"},
                      yaxis={"title": "training loss (smoothed)", "automargin": True},
                      legend={"orientation": "h", "y": -0.25})
    return fig, result


if __name__ == "__main__":
    NOISE_PATH.parent.mkdir(parents=True, exist_ok=True)
    NOISE_PATH.write_text(json.dumps(minibatch_gradient_noise(NOISE_BATCH_SIZES), indent=1) + "\n")
    print(f"wrote {NOISE_PATH}")
