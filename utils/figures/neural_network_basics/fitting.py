"""Chapter 2's figures for its fitting sections (Colab-safe: no Streamlit).

Section 5 (a bigger line of best fit): a line fitted by gradient descent against least squares,
polynomials of every degree (under- and overfitting), extrapolation, outliers under squared and
absolute error. Section 6 (weights transform space): a grid of lines and the two moons pushed
through a trained 2-wide network layer by layer, and one 2x2 matrix acting on the plane.

The runs live in utils/experiments/neural_network_basics/{fitting,warping}.py; here they are only
drawn. Functions named `drawn_with_*` take a learner's function (the notebook's live figures):
while it is not written, or raises, they return a figure that says so, so "Run all" goes on.
"""

from __future__ import annotations

import math
import traceback
from typing import Callable

import numpy as np
import plotly.graph_objects as go
import torch as t
from plotly.subplots import make_subplots
from torch import Tensor

from solutions import neural_network_basics as ref
from utils.demos.neural_network_basics_settings import MATRIX_PRESETS  # noqa: F401 - named here too
from utils.caching import cache_data
from utils.experiments.neural_network_basics import fitting as runs
from utils.experiments.neural_network_basics import warping
from utils.plotting import message_figure

DATA_COLOUR, FIT_COLOUR, BEST_COLOUR = "#495057", "#4c6ef5", "#d9480f"
HELD_COLOUR, MAE_COLOUR = "#2b8a3e", "#2b8a3e"
EXCESS_FLOOR = 1e-12  # float64 rounding: a converged line's excess loss is drawn here
CLASS_COLOURS = ("#c92a2a", "#1864ab")  # moon 0 (red), moon 1 (blue)
LINE_FAMILY_COLOURS = ("#adb5bd", "#ffa94d")  # the grid's horizontal and vertical lines


def _drawn_with(name: str, draw: Callable[[], go.Figure],
                fallback: Callable[[], go.Figure]) -> go.Figure:
    """`draw()` (which calls the learner's function). While that function is not written, the
    reference's figure, titled as such, so the notebook's prose has its picture; if it raises, a
    figure that says so, so that "Run all" goes on."""
    try:
        return draw()
    except NotImplementedError:
        fig = fallback()
        return fig.update_layout(title=f"{fig.layout.title.text} (your {name} is not written "
                                       "yet: run its cell, then this one)")
    except Exception as err:  # noqa: BLE001 - the learner's code: show it, don't stop the notebook
        traceback.print_exc()
        return message_figure(f"Your {name} raised {type(err).__name__}: {err}")


# --- section 5: a line by gradient descent ------------------------------------------------------

@cache_data(show_spinner=False)
def reference_path(lr: float) -> dict[str, list[float]]:
    return runs.saved_path(lr) or runs.fit_path(ref.fit_line, lr)


def line_fit(path: dict[str, list[float]], lr: float, shown_step: int | None = None,
             who: str = "the reference fit_line") -> go.Figure:
    """Left: the data, the least-squares line and the line after `shown_step` steps (the last
    by default). Right: how far the mean squared error after each number of steps is above the
    least-squares line's, on a log scale."""
    x, y = runs.line_data()
    best = runs.least_squares(x, y)
    best_loss = runs.mse(x, y, *best)
    steps = list(path["steps"])
    i = len(steps) - 1 if shown_step is None else steps.index(shown_step)
    slope, intercept = path["slopes"][i], path["intercepts"][i]
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12, subplot_titles=(
        f"the line after {steps[i]} steps",
        "mean squared error minus least squares' (log scale)"))
    fig.add_trace(go.Scatter(x=x, y=y, mode="markers", name="data",
                             marker={"color": DATA_COLOUR, "size": 6}), row=1, col=1)
    ends = np.array([0.0, 3.0])
    fig.add_trace(go.Scatter(x=ends, y=best[0] * ends + best[1], mode="lines",
                             name=f"least squares: {best[0]:.3f} x + {best[1]:.3f}",
                             line={"color": BEST_COLOUR, "dash": "dash"}), row=1, col=1)
    if math.isfinite(slope) and math.isfinite(intercept):
        fig.add_trace(go.Scatter(x=ends, y=slope * ends + intercept, mode="lines",
                                 name=f"gradient descent: {slope:.3f} x + {intercept:.3f}",
                                 line={"color": FIT_COLOUR, "width": 3}), row=1, col=1)
    # How far above the least-squares loss each line is: on a log scale a steady descent is a
    # straight line, and its slope shows how fast the learning rate converges.
    losses = np.array(path["losses"], dtype=float)
    finite = np.isfinite(losses) & (losses < 1e12)
    excess = np.maximum(losses - best_loss, EXCESS_FLOOR)
    fig.add_trace(go.Scatter(x=np.array(steps)[finite], y=excess[finite], mode="lines+markers",
                             name="loss above least squares'", showlegend=False,
                             marker={"size": 4}, line={"color": FIT_COLOUR}), row=1, col=2)
    if finite[i]:
        fig.add_trace(go.Scatter(x=[steps[i]], y=[excess[i]], mode="markers", showlegend=False,
                                 marker={"color": FIT_COLOUR, "size": 12, "symbol": "circle-open",
                                         "line": {"width": 3}}), row=1, col=2)
    fig.update_xaxes(title_text="x", row=1, col=1)
    fig.update_yaxes(title_text="y", range=[-1.5, 6.5], row=1, col=1)
    fig.update_xaxes(title_text="gradient steps", row=1, col=2)
    fig.update_yaxes(type="log", dtick=2, row=1, col=2)
    blown = "" if finite.all() else " (the loss blew up: the missing points are too big to draw)"
    fig.update_layout(title=f"{who}, lr = {lr:g}{blown}", height=420,
                      legend={"orientation": "h", "y": -0.2}, margin={"t": 70})
    return fig


@cache_data(show_spinner=False)
def reference_line_fit(lr: float, shown_step: int | None = None) -> go.Figure:
    """`line_fit` of the reference fit_line's descent at `lr`: the widget's figure until the
    learner draws their own, kept so that a rerun or a slider moved back does not draw it again."""
    return line_fit(reference_path(lr), lr, shown_step)


def drawn_with_fit_line(fit_line: Callable, lr: float = runs.DEFAULT_RATE) -> go.Figure:
    """The notebook's live figure: the learner's fit_line, run for every number of steps."""
    return _drawn_with("fit_line",
                       lambda: line_fit(runs.fit_path(fit_line, lr), lr, who="your fit_line"),
                       lambda: line_fit(reference_path(lr), lr))


# --- section 5: polynomials of every degree -----------------------------------------------------

@cache_data(show_spinner=False)
def polynomial_degree(degree: int) -> go.Figure:
    """Left: the training points, the held-out points and the least-squares polynomial of
    `degree`. Right: train and held-out mean squared error against degree (log scale)."""
    fits = runs.polynomial_fits()
    train, held = fits["train_err"], fits["held_err"]
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12, subplot_titles=(
        f"degree {degree}: train error {float(train[degree]):.3g}, held-out "
        f"{float(held[degree]):.3g}", "error against degree"))
    fig.add_trace(go.Scatter(x=fits["x_held"], y=fits["y_held"], mode="markers",
                             name="held-out points", marker={"color": HELD_COLOUR, "size": 4,
                                                             "opacity": 0.5}), row=1, col=1)
    fig.add_trace(go.Scatter(x=fits["x_train"], y=fits["y_train"], mode="markers",
                             name="training points", marker={"color": DATA_COLOUR, "size": 9}),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=fits["grid"], y=runs.curve(fits["grid"]), mode="lines",
                             name="the curve they come from",
                             line={"color": "#868e96", "dash": "dot"}), row=1, col=1)
    fig.add_trace(go.Scatter(x=fits["grid"], y=fits["curves"][degree], mode="lines",
                             name=f"polynomial of degree {degree}",
                             line={"color": FIT_COLOUR, "width": 3}), row=1, col=1)
    degrees = list(range(runs.MAX_DEGREE + 1))
    fig.add_trace(go.Scatter(x=degrees, y=train, mode="lines+markers", name="train error",
                             line={"color": DATA_COLOUR}), row=1, col=2)
    fig.add_trace(go.Scatter(x=degrees, y=held, mode="lines+markers", name="held-out error",
                             line={"color": HELD_COLOUR}), row=1, col=2)
    fig.add_vline(x=degree, line={"color": FIT_COLOUR, "width": 2}, row=1, col=2)
    fig.update_xaxes(title_text="x", row=1, col=1)
    fig.update_yaxes(title_text="y", range=[-2, 2], row=1, col=1)
    fig.update_xaxes(title_text="degree", dtick=1, row=1, col=2)
    # Exact interpolation leaves a train error near 1e-29: floor the axis where it still reads.
    fig.update_yaxes(title_text="mean squared error", type="log", dtick=1,
                     range=[-3, 3.5], row=1, col=2)
    fig.update_layout(height=430, legend={"orientation": "h", "y": -0.2}, margin={"t": 60})
    return fig


# --- section 5: extrapolation and outliers ------------------------------------------------------

@cache_data(show_spinner=False)
def extrapolation() -> go.Figure:
    """A polynomial and a small ReLU network fitted on [-1, 1], shown on [-2.5, 2.5]."""
    run = runs.extrapolation()
    fig = go.Figure()
    fig.add_vrect(x0=runs.EXTRA_TRAIN[0], x1=runs.EXTRA_TRAIN[1], fillcolor="#e9ecef",
                  line_width=0, layer="below", annotation_text="training range",
                  annotation_position="top left")
    fig.add_trace(go.Scatter(x=run["x"], y=run["y"], mode="markers", name="training points",
                             marker={"color": DATA_COLOUR, "size": 6}))
    fig.add_trace(go.Scatter(x=run["grid"], y=run["truth"], mode="lines", name="the truth: x²",
                             line={"color": "#868e96", "dash": "dot"}))
    fig.add_trace(go.Scatter(x=run["grid"], y=run["poly"], mode="lines",
                             name=f"polynomial of degree {runs.EXTRA_DEGREE}",
                             line={"color": BEST_COLOUR, "width": 3}))
    fig.add_trace(go.Scatter(x=run["grid"], y=run["relu"], mode="lines",
                             name=f"ReLU net 1-{runs.EXTRA_WIDTH}-{runs.EXTRA_WIDTH}-1",
                             line={"color": FIT_COLOUR, "width": 3}))
    fig.update_layout(height=420, xaxis_title="x", yaxis={"title": "y", "range": [-3, 8]},
                      title="Fitted on [-1, 1], asked about [-2.5, 2.5]", margin={"t": 60})
    return fig


@cache_data(show_spinner=False)
def outliers() -> go.Figure:
    """Left: a line's points with two outliers, and the MSE and MAE lines. Right: how hard each
    point pulls on the MSE line under each loss (the loss's derivative with respect to that
    point's prediction)."""
    fits = runs.outlier_fits()
    x, y, outlier = fits["x"], fits["y"], fits["outlier"]
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12, column_widths=[0.55, 0.45],
                        subplot_titles=("the fitted lines", "each point's pull on the MSE line"))
    fig.add_trace(go.Scatter(x=x[~outlier], y=y[~outlier], mode="markers", name="points",
                             marker={"color": DATA_COLOUR, "size": 7}), row=1, col=1)
    fig.add_trace(go.Scatter(x=x[outlier], y=y[outlier], mode="markers", name="outliers",
                             marker={"color": "#c92a2a", "size": 11, "symbol": "x"}),
                  row=1, col=1)
    ends = np.array([0.0, 3.0])
    styles = {"MSE": {"color": BEST_COLOUR, "width": 3},
              "MAE": {"color": MAE_COLOUR, "width": 3},
              "MSE without the outliers": {"color": "#868e96", "dash": "dot"}}
    for name, (slope, intercept) in fits["lines"].items():
        fig.add_trace(go.Scatter(x=ends, y=slope * ends + intercept, mode="lines",
                                 name=f"{name}: {slope:.2f} x + {intercept:.2f}",
                                 line=styles[name]), row=1, col=1)
    order = t.argsort(x)
    labels = [f"x={float(x[i]):.2f}{' (outlier)' if outlier[i] else ''}" for i in order]
    fig.add_trace(go.Bar(x=labels, y=fits["pull_mse"][order], name="under MSE: 2 r / n",
                         marker_color=BEST_COLOUR), row=1, col=2)
    fig.add_trace(go.Bar(x=labels, y=fits["pull_mae"][order], name="under MAE: sign(r) / n",
                         marker_color=MAE_COLOUR), row=1, col=2)
    fig.update_xaxes(title_text="x", row=1, col=1)
    fig.update_yaxes(title_text="y", row=1, col=1)
    fig.update_xaxes(title_text="points, by x", showticklabels=False, row=1, col=2)
    fig.update_yaxes(title_text="dL / d(prediction)", row=1, col=2)
    fig.update_layout(height=440, barmode="group", legend={"orientation": "h", "y": -0.2},
                      margin={"t": 60})
    return fig


# --- section 6: the plane after each layer -------------------------------------------------------

def _line_traces(points: Tensor, family: int) -> go.Scatter:
    """One family of the grid's lines as one trace, the lines separated by gaps."""
    per, lines = warping.POINTS_PER_LINE, warping.GRID_LINES
    block = points[family * per * lines:(family + 1) * per * lines].reshape(lines, per, 2)
    gaps = t.full((lines, 1, 2), float("nan"))
    xy = t.cat([block, gaps], dim=1).reshape(-1, 2)
    return go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="lines", hoverinfo="skip", showlegend=False,
                      line={"color": LINE_FAMILY_COLOURS[family], "width": 1.2})


def layers(warped: dict[str, list[Tensor]], model: t.nn.Sequential, title: str) -> go.Figure:
    """One panel per stage (the input, then each layer): the grid's lines and the moons where
    the network has moved them; the last hidden layer's panel also draws the line the last
    layer splits it along, and the title gains the accuracy read off the last stage drawn."""
    _, labels = warping.moons()
    stages = len(warped["grid"])
    cols = 3
    rows = math.ceil(stages / cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=warping.STAGES[:stages],
                        horizontal_spacing=0.06, vertical_spacing=0.1)
    for i in range(stages):
        row, col = i // cols + 1, i % cols + 1
        for family in (0, 1):
            fig.add_trace(_line_traces(warped["grid"][i], family), row=row, col=col)
        for label in (0, 1):
            pts = warped["points"][i][labels == label]
            fig.add_trace(go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="markers",
                                     name=f"moon {label}", showlegend=i == 0,
                                     legendgroup=f"moon {label}",
                                     marker={"color": CLASS_COLOURS[label], "size": 5}),
                          row=row, col=col)
        h = warped["points"][i]
        low, high = h.min(0).values, h.max(0).values
        pad = 0.15 * (high - low).clamp(min=1e-3)
        fig.update_xaxes(range=[float(low[0] - pad[0]), float(high[0] + pad[0])], row=row, col=col)
        fig.update_yaxes(range=[float(low[1] - pad[1]), float(high[1] + pad[1])], row=row, col=col)
    if stages == len(warping.STAGES):  # the split the last layer makes, in the plane it reads
        w, b = warping.boundary(model)
        h = warped["points"][-2]
        _add_boundary(fig, w, b, h, row=(stages - 2) // cols + 1, col=(stages - 2) % cols + 1)
        logits = warped["points"][-1]
        _add_boundary(fig, t.tensor([1.0, -1.0]), 0.0, logits, row=(stages - 1) // cols + 1,
                      col=(stages - 1) % cols + 1)
        correct = float((logits.argmax(1) == labels).float().mean())
        title = f"{title}: {correct:.0%} of the moons' points classified correctly"
    fig.update_layout(title=title, height=330 * rows + 80, margin={"t": 80},
                      legend={"orientation": "h", "y": -0.05})
    return fig


def _add_boundary(fig: go.Figure, w: Tensor, b: float, h: Tensor, row: int, col: int) -> None:
    """The line w . p + b = 0 across the box the points h fill."""
    low, high = h.min(0).values - 0.5, h.max(0).values + 0.5
    w0, w1 = float(w[0]), float(w[1])
    if abs(w1) >= abs(w0):
        xs = np.linspace(float(low[0]), float(high[0]), 2)
        ys = -(w0 * xs + b) / w1
    else:
        ys = np.linspace(float(low[1]), float(high[1]), 2)
        xs = -(w1 * ys + b) / w0
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="the last layer's split",
                             showlegend=False, line={"color": "#212529", "dash": "dash",
                                                     "width": 2}), row=row, col=col)


@cache_data(show_spinner=False)
def reference_layers(step: int = warping.TRAIN_STEPS) -> go.Figure:
    model = warping.net_at(step)
    title = (f"after {step} training steps" if step < warping.TRAIN_STEPS else
             f"trained ({step} steps)")
    return layers(warping.warp(ref.layer_outputs, model), model, title)


def drawn_with_layer_outputs(layer_outputs: Callable) -> go.Figure:
    """The notebook's live figure: the trained network's layers, through the learner's
    layer_outputs."""
    def draw() -> go.Figure:
        model = warping.trained_moons_net().model
        warped = warping.validate_warp(
            {k: [h.tolist() for h in v] for k, v in warping.warp(layer_outputs, model).items()})
        return layers(warped, model, f"trained ({warping.TRAIN_STEPS} steps), through your "
                      "layer_outputs")
    return _drawn_with("layer_outputs", draw, lambda: go.Figure(reference_layers()))


# --- section 6: one matrix ------------------------------------------------------------------------


def describe_matrix(w: Tensor) -> str:
    """What a 2x2 matrix does to the plane, in words a learner can check on the figure."""
    det = float(t.linalg.det(w))
    if abs(det) < 1e-6:
        return "det W = 0: the whole plane lands on a line (or a point); no layer after this " \
               "one can tell apart two points it put in the same place"
    if t.equal(w, t.eye(2)):
        return "det W = 1: the identity, nothing moves"
    parts = [f"det W = {det:.2f}: areas are multiplied by {abs(det):.2f}"]
    if det < 0:
        parts.append("negative, so the plane is flipped over (a reflection)")
    if t.allclose(w.T @ w, t.eye(2), atol=0.02):
        if det > 0:
            angle = math.degrees(math.atan2(float(w[1, 0]), float(w[0, 0])))
            parts.append(f"a rotation by {angle:.0f}°: lengths and angles are kept")
        else:
            parts.append("lengths and angles are kept")
    elif float(w[0, 1]) == 0.0 and float(w[1, 0]) == 0.0:
        parts.append("a scaling along the axes")
    elif float(w[0, 0]) == float(w[1, 1]) == 1.0 and (float(w[0, 1]) == 0.0) != \
            (float(w[1, 0]) == 0.0):  # [[1, k], [0, 1]] or [[1, 0], [k, 1]], nothing else
        parts.append("a shear: one axis stays, the other slides along it")
    return "; ".join(parts)


def matrix(w11: float, w12: float, w21: float, w22: float, b1: float = 0.0, b2: float = 0.0,
           squash: bool = False) -> go.Figure:
    """The grid and the moons under p -> W p + b (then tanh, with `squash`), with W = [[w11,
    w12], [w21, w22]]: where the unit square and the two basis vectors land, and the original
    grid faintly behind."""
    w = t.tensor([[w11, w12], [w21, w22]], dtype=t.float32)
    b = t.tensor([b1, b2], dtype=t.float32)
    layer = t.nn.Linear(2, 2)
    with t.no_grad():
        layer.weight.copy_(w)
        layer.bias.copy_(b)
    model = t.nn.Sequential(layer, t.nn.Tanh()) if squash else t.nn.Sequential(layer)
    grid = warping.grid_lines(extent=2.0, lines=9)
    x, labels = warping.moons()
    with t.no_grad():
        moved_grid, moved_points = model(grid), model(x)
        square = model(t.tensor([[0.0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]))
        origin, e1, e2 = model(t.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    fig = go.Figure()
    per, lines = warping.POINTS_PER_LINE, 9
    for family in (0, 1):  # the grid before, faintly
        block = grid[family * per * lines:(family + 1) * per * lines].reshape(lines, per, 2)
        xy = t.cat([block, t.full((lines, 1, 2), float("nan"))], dim=1).reshape(-1, 2)
        fig.add_trace(go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="lines", hoverinfo="skip",
                                 showlegend=False, line={"color": "#f1f3f5", "width": 1}))
    for family in (0, 1):
        block = moved_grid[family * per * lines:(family + 1) * per * lines].reshape(lines, per, 2)
        xy = t.cat([block, t.full((lines, 1, 2), float("nan"))], dim=1).reshape(-1, 2)
        fig.add_trace(go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="lines", hoverinfo="skip",
                                 name=("horizontal lines", "vertical lines")[family],
                                 line={"color": LINE_FAMILY_COLOURS[family], "width": 1.5}))
    fig.add_trace(go.Scatter(x=square[:, 0], y=square[:, 1], mode="lines", fill="toself",
                             name="the unit square's image", line={"color": "#7048e8"},
                             fillcolor="rgba(112, 72, 232, 0.25)"))
    for label in (0, 1):
        pts = moved_points[labels == label]
        fig.add_trace(go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", name=f"moon {label}",
                                 marker={"color": CLASS_COLOURS[label], "size": 4,
                                         "opacity": 0.7}))
    for end, name, colour in ((e1, "where (1, 0) lands", "#c92a2a"),
                              (e2, "where (0, 1) lands", "#2b8a3e")):
        fig.add_annotation(x=float(end[0]), y=float(end[1]), ax=float(origin[0]),
                           ay=float(origin[1]), xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=3, arrowwidth=3, arrowcolor=colour, text="")
        fig.add_trace(go.Scatter(x=[float(end[0])], y=[float(end[1])], mode="markers",
                                 name=name, marker={"color": colour, "size": 8}))
    # Fixed axes show a stretch as a stretch; they widen only when the grid would leave them.
    reach = float(t.cat([moved_grid, square]).abs().max())
    limit = 1.3 if squash else max(4.5, 1.1 * reach)
    fig.update_xaxes(range=[-limit, limit], zeroline=True)
    fig.update_yaxes(range=[-limit, limit], scaleanchor="x", zeroline=True)
    # One clause a line: the plot sits in two thirds of the page, too narrow for one long line.
    what = describe_matrix(w).split("; ")
    if squash:
        what = [f"before the tanh, {what[0]}", *what[1:],
                "then tanh squeezes every point into the square"]
    fig.update_layout(title={"text": f"W = [[{w11:g}, {w12:g}], [{w21:g}, {w22:g}]]"
                             + (f", b = ({b1:g}, {b2:g})" if b1 or b2 else "")
                             + (", then tanh" if squash else "")
                             + "".join(f"<br><sup>{clause}</sup>" for clause in what)},
                      height=560 + 16 * (len(what) - 1), margin={"t": 74 + 16 * len(what)},
                      legend={"orientation": "v"})
    return fig
