"""Chapter 2's figures for its digits sections (Colab-safe: no Streamlit).

The page draws the reference's measurements (`reference_baseline()`, `reference_sweep()`,
cached); the same drawing functions draw a learner's, from the sandbox (the widgets) or from the
notebook's own functions (`your_baseline(globals())`, `your_sweep(globals())`).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import torch as t
from plotly.subplots import make_subplots

from solutions import neural_network_basics as ref
from utils.caching import cache_data
from utils.demos.neural_network_basics.digits import checked_baseline, checked_sweep
from utils.experiments.neural_network_basics.digits import (Baseline, OneWeightSweep,
                                                            baseline_from_json, measure_baseline,
                                                            rms_baseline, saved_measurement,
                                                            sweep_from_json, sweep_one_weight,
                                                            threes_and_sevens)
from utils.plotting import message_figure

THREE, SEVEN = "#1f77b4", "#d62728"  # one colour per digit, in every figure


@cache_data(show_spinner=False)
def reference_baseline() -> Baseline:
    saved = saved_measurement("baseline")  # precomputed, when on the data loaded now
    if saved is not None:
        return baseline_from_json(saved)
    return measure_baseline(ref.mean_image, ref.mnist_distance, ref.is_three)


@cache_data(show_spinner=False)
def reference_sweep() -> OneWeightSweep:
    saved = saved_measurement("sweep")
    if saved is not None:
        return sweep_from_json(saved)
    return sweep_one_weight(ref.init_params, ref.linear1, ref.mnist_loss, ref.batch_accuracy)


def _grey(fig: go.Figure, image: t.Tensor, row: int, col: int) -> None:
    fig.add_trace(go.Heatmap(z=image, colorscale="gray", zmin=0, zmax=1, showscale=False,
                             hovertemplate="row %{y}, column %{x}: %{z:.2f}<extra></extra>"),
                  row=row, col=col)


def _signed(fig: go.Figure, image: t.Tensor, row: int, col: int,
            colorbar: dict | None = None) -> None:
    limit = max(float(image.abs().max()), 1e-6)
    fig.add_trace(go.Heatmap(z=image, colorscale="RdBu", zmin=-limit, zmax=limit,
                             colorbar={"x": 1.0, "len": 0.9, "thickness": 12, **(colorbar or {})},
                             hovertemplate="row %{y}, column %{x}: %{z:+.2f}<extra></extra>"),
                  row=row, col=col)


def _square_pixels(fig: go.Figure) -> None:
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(autorange="reversed", showticklabels=False, showgrid=False, zeroline=False)
    for trace in fig.data:
        if trace.type == "heatmap":
            fig.layout[f"yaxis{(trace.yaxis or 'y')[1:]}"].update(scaleanchor=trace.xaxis or "x",
                                                                  constrain="domain")


@cache_data(show_spinner=False)
def examples(per_digit: int = 6) -> go.Figure:
    """The first few training 3s and 7s, as the model sees them."""
    data = threes_and_sevens()
    threes = data.train_targets[:, 0] == 1
    images = list(data.train_images[threes][:per_digit]) + \
        list(data.train_images[~threes][:per_digit])
    fig = make_subplots(rows=2, cols=per_digit, horizontal_spacing=0.01, vertical_spacing=0.04)
    for i, image in enumerate(images):
        _grey(fig, image, i // per_digit + 1, i % per_digit + 1)
    _square_pixels(fig)
    return fig.update_layout(height=260, margin={"t": 30, "b": 10, "l": 10, "r": 10},
                             title=f"Training 3s (top) and 7s (bottom): {data.source}")


def mean_images(b: Baseline | None = None) -> go.Figure:
    """The mean training 3 and 7, and their difference on a diverging scale (blue where a 3
    has more ink on average, red where a 7 has)."""
    b = b or reference_baseline()
    fig = make_subplots(rows=1, cols=3, horizontal_spacing=0.06, subplot_titles=(
        "the ideal 3 (mean image)", "the ideal 7 (mean image)", "ideal 3 − ideal 7"))
    _grey(fig, b.mean3, 1, 1)
    _grey(fig, b.mean7, 1, 2)
    _signed(fig, b.mean3 - b.mean7, 1, 3)
    _square_pixels(fig)
    return fig.update_layout(height=300, margin={"t": 40, "b": 10, "l": 10, "r": 10})


def penalty_curves() -> go.Figure:
    """How much one pixel's difference d costs under each distance: |d| and d²."""
    d = t.linspace(-1, 1, 201)
    fig = go.Figure([
        go.Scatter(x=d, y=d.abs(), mode="lines", name="|d| (mean absolute difference, L1)"),
        go.Scatter(x=d, y=d ** 2, mode="lines", name="d² (mean squared error, L2)")])
    fig.update_layout(height=320, xaxis_title="difference d of one pixel from the ideal digit",
                      yaxis_title="cost of that pixel", legend={"x": 0.25, "y": 1.0},
                      margin={"t": 20})
    return fig


def _by_digit(b: Baseline) -> list[tuple[str, str, t.Tensor]]:
    return [("validation 3s", THREE, b.is_three), ("validation 7s", SEVEN, ~b.is_three)]


def distances(b: Baseline | None = None) -> go.Figure:
    """Each validation image's distance to the ideal 3 against its distance to the ideal 7
    (above the diagonal: said to be a 3), and the histogram of their difference."""
    b = b or reference_baseline()
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12, subplot_titles=(
        "distance to each ideal digit", "distance to the 7 − distance to the 3"))
    top = float(t.cat([b.dist3, b.dist7]).max()) * 1.05
    low = float(t.cat([b.dist3, b.dist7]).min()) * 0.95
    fig.add_trace(go.Scatter(x=[low, top], y=[low, top], mode="lines", name="equal distance",
                             line={"color": "grey", "dash": "dot"}), row=1, col=1)
    margin = b.dist7 - b.dist3
    for name, colour, mask in _by_digit(b):
        wrong = mask & (b.said_three != b.is_three)
        fig.add_trace(go.Scatter(x=b.dist3[mask], y=b.dist7[mask], mode="markers", name=name,
                                 legendgroup=name, marker={"color": colour, "size": 6,
                                                           "opacity": 0.7},
                                 hovertemplate="to the 3: %{x:.3f}<br>to the 7: %{y:.3f}"
                                               "<extra></extra>"), row=1, col=1)
        if wrong.any():
            fig.add_trace(go.Scatter(x=b.dist3[wrong], y=b.dist7[wrong], mode="markers",
                                     name=f"{name}: misread", legendgroup=name,
                                     marker={"color": colour, "size": 13, "symbol": "x-open"}),
                          row=1, col=1)
        fig.add_trace(go.Histogram(x=margin[mask], name=name, legendgroup=name,
                                   showlegend=False, marker={"color": colour}, opacity=0.6,
                                   nbinsx=30), row=1, col=2)
    fig.add_vline(x=0, line={"color": "grey", "dash": "dot"}, row=1, col=2)
    fig.update_xaxes(title_text="distance to the ideal 3", range=[low, top], row=1, col=1)
    fig.update_yaxes(title_text="distance to the ideal 7", range=[low, top], row=1, col=1)
    fig.update_xaxes(title_text="> 0: said to be a 3", row=1, col=2)
    fig.update_yaxes(title_text="images", row=1, col=2)
    return fig.update_layout(height=400, barmode="overlay", margin={"t": 40},
                             legend={"orientation": "h", "y": -0.25})


def _accuracy_bars(fig: go.Figure, results: Mapping[str, Baseline], row: int | None = None,
                   col: int | None = None) -> None:
    for i, (name, b) in enumerate(results.items()):
        acc, counts = b.accuracy(), b.counts()
        fig.add_trace(go.Bar(
            x=list(acc), y=[100 * v for v in acc.values()], name=name,
            text=[f"{100 * v:.1f} % ({counts[k][0]}/{counts[k][1]})" for k, v in acc.items()],
            textposition="outside", marker={"color": ("#444", "#aaa", "#2ca02c")[i % 3]}),
            row=row, col=col)


def baseline_accuracy(b: Baseline | None = None) -> go.Figure:
    """The baseline's accuracy on the validation 3s, 7s and overall, with each distance."""
    b = b or reference_baseline()
    results = {"mean absolute difference (mnist_distance)": b,
               "root mean squared error": rms_baseline()}
    fig = go.Figure()
    _accuracy_bars(fig, results)
    low = min(min(r.accuracy().values()) for r in results.values())
    fig.update_layout(height=360, barmode="group", yaxis_title="accuracy (%)",
                      yaxis_range=[max(0, 100 * low - 15), 103], margin={"t": 50},
                      title=f"The baseline on the validation set: {b.source}",
                      legend={"orientation": "h", "y": -0.15})
    return fig


def baseline_dashboard(b: Baseline, title: str) -> go.Figure:
    """Everything the baseline section measures, in one figure: the ideal digits and their
    difference, the distances, and the accuracy."""
    fig = make_subplots(rows=2, cols=3, vertical_spacing=0.14, horizontal_spacing=0.08,
                        row_heights=[0.42, 0.58],
                        specs=[[{}, {}, {}], [{"colspan": 2}, None, {}]],
                        subplot_titles=("ideal 3", "ideal 7", "ideal 3 − ideal 7",
                                        "distance to each ideal digit (validation)",
                                        "accuracy (validation)"))
    _grey(fig, b.mean3, 1, 1)
    _grey(fig, b.mean7, 1, 2)
    _signed(fig, b.mean3 - b.mean7, 1, 3, colorbar={"len": 0.4, "y": 0.8})
    for trace in distances(b).data:
        if trace.type == "scatter":
            fig.add_trace(trace, row=2, col=1)
    _accuracy_bars(fig, {"accuracy": b}, row=2, col=3)
    fig.update_traces(showlegend=False, selector={"type": "bar"})
    for axis in ("xaxis", "xaxis2", "xaxis3"):
        fig.layout[axis].update(showticklabels=False, showgrid=False, zeroline=False)
    for axis, x in (("yaxis", "x"), ("yaxis2", "x2"), ("yaxis3", "x3")):
        fig.layout[axis].update(autorange="reversed", showticklabels=False, showgrid=False,
                                zeroline=False, scaleanchor=x, constrain="domain")
    fig.update_xaxes(title_text="to the ideal 3", row=2, col=1)
    fig.update_yaxes(title_text="to the ideal 7", row=2, col=1)
    fig.update_yaxes(range=[0, 115], title_text="%", row=2, col=3)
    return fig.update_layout(height=700, title=title, margin={"t": 80},
                             legend={"orientation": "h", "y": -0.12})


def sigmoid_curve() -> go.Figure:
    x = t.linspace(-6, 6, 241)
    fig = go.Figure(go.Scatter(x=x, y=t.sigmoid(x), mode="lines", name="σ(x)"))
    fig.add_hline(y=0.5, line={"color": "grey", "dash": "dot"})
    fig.add_vline(x=0, line={"color": "grey", "dash": "dot"})
    return fig.update_layout(height=280, xaxis_title="prediction x (a logit)",
                             yaxis_title="σ(x) = 1 / (1 + e^(−x))", margin={"t": 20})


def one_weight(s: OneWeightSweep | None = None, title: str | None = None) -> go.Figure:
    """Accuracy (steps) and the mnist loss (smooth) on one batch as one weight moves."""
    s = s or reference_sweep()
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=(f"accuracy on {s.n_images} training images",
                                        f"mnist loss on the same {s.n_images} images (its slope "
                                        f"at the initial value: {s.loss_slope:+.3f})"))
    fig.add_trace(go.Scatter(x=s.values, y=s.accuracy, mode="lines", name="batch_accuracy",
                             line={"shape": "hv", "color": "#2ca02c"}), row=1, col=1)
    fig.add_trace(go.Scatter(x=s.values, y=s.loss, mode="lines", name="mnist_loss",
                             line={"color": "#9467bd"}), row=2, col=1)
    for row in (1, 2):
        fig.add_vline(x=s.start, line={"color": "grey", "dash": "dot"}, row=row, col=1)
    fig.add_annotation(x=s.start, y=0.1, yref="y domain", text=" the weight's initial value",
                       showarrow=False, xanchor="left", yanchor="bottom", row=1, col=1)
    fig.update_yaxes(title_text="fraction right", row=1, col=1)
    fig.update_yaxes(title_text="loss", row=2, col=1)
    fig.update_xaxes(title_text=f"the weight of pixel {s.pixel} (row {s.pixel // 28}, column "
                                f"{s.pixel % 28}); the other 784 parameters stay put", row=2,
                     col=1)
    return fig.update_layout(height=480, showlegend=False, margin={"t": 60 if title else 30},
                             title=title)


def _not_yet(error: Exception, what: str) -> go.Figure:
    """A figure in place of a live one whose exercise is not written yet, or raised: it says
    which and what to do (printed too), and "Run all" goes on."""
    if isinstance(error, NotImplementedError):
        message = f"Not yet: write {what} above and run their cells, then run this one again."
        print(message)
    else:
        traceback.print_exc()
        message = (f"Your code raised {type(error).__name__}: {error}. The checks above say "
                   "more; fix it, then run this cell again.")
        print(message, file=sys.stderr)
    return message_figure(message, height=120)


def your_baseline(namespace: Mapping[str, Any]) -> go.Figure:
    """For the notebook: the baseline built from the functions in `namespace` (its globals())."""
    try:
        b = checked_baseline(namespace)
    except Exception as error:  # noqa: BLE001 - the learner's code: show it, don't stop
        return _not_yet(error, "mean_image, mnist_distance and is_three")
    right, total = b.counts()["overall"]
    return baseline_dashboard(b, f"Your baseline: {right} of {total} validation digits right "
                                 f"({b.source})")


def your_sweep(namespace: Mapping[str, Any]) -> go.Figure:
    """For the notebook: one weight moved, measured with the functions in `namespace`."""
    try:
        s = checked_sweep(namespace)
    except Exception as error:  # noqa: BLE001 - the learner's code: show it, don't stop
        return _not_yet(error, "init_params, linear1, mnist_loss and batch_accuracy")
    return one_weight(s, title="Measured with your functions")
