"""Figures for chapter 4.3's sections 0-3 (the loss at initialisation, saturated tanh, Kaiming init
and layers). Drawing only (Colab-safe: no Streamlit); the numbers come from
utils/experiments/makemore_activations/init.py (saved runs, cheap measurements at
initialisation) and utils/demos/makemore_activations/init.py (runs of the learner's code, as plain
data, so the same functions draw the reference and the learner)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from utils.caching import cache_data
from utils.experiments.makemore_activations import init as experiments
from utils.demos.makemore_activations_settings import gain_text
from utils.figures.stand_ins import yours_or_reference

MARGIN = {"l": 10, "r": 10, "t": 90, "b": 10}
COLOURS = {"standard": "#d62728", "output scaled": "#1f77b4", "hidden scaled too": "#2ca02c",
           "Kaiming W1": "#9467bd", "yours": "#ff7f0e"}
LABELS = {"standard": "standard normal (chapter 4.2)",
          "output scaled": "W2 × 0.01, b2 × 0",
          "hidden scaled too": "W2 × 0.01, b2 × 0; W1 × 0.2, b1 × 0.01",
          "Kaiming W1": "W2 × 0.01, b2 × 0; W1 × (5/3)/√30, b1 × 0.01"}


def _table(header: Sequence[str], columns: Sequence[Sequence[Any]], title: str,
           height: int) -> go.Figure:
    fig = go.Figure(go.Table(
        header={"values": [f"<b>{h}</b>" for h in header], "align": "center",
                "fill_color": "#e8eef7"},
        cells={"values": columns, "align": ["left"] + ["right"] * (len(columns) - 1),
               "height": 26}))
    fig.update_layout(title=title, height=height, margin=MARGIN)
    return fig


# ---------------------------------------------------------------------------------------------
# Section 1: the loss at initialisation


def reference_snapshot(name: str) -> dict:
    """The saved picture of the reference's starting point `name` before training (the same
    data the demo returns for a learner's start)."""
    return experiments.init_runs()["snapshots"][name]


def logits_figure(snapshots: Mapping[str, Mapping[str, Any]], title: str = "") -> go.Figure:
    """One training example's 27 logits (left) and softmax probabilities (right), one row per
    snapshot (each with its own logit scale), the target symbol marked."""
    first = next(iter(snapshots.values()))
    itos, target = first["itos"], first["target"]
    labels = list(snapshots)
    fig = make_subplots(rows=len(labels), cols=2, horizontal_spacing=0.08,
                        vertical_spacing=0.22 / len(labels),
                        subplot_titles=[t for label in labels for t in (
                            f"logits: {LABELS.get(label, label)}",
                            f"probabilities: p({itos[target]}) = "
                            f"{snapshots[label]['probs'][target]:.2g}")])
    for row, label in enumerate(labels, start=1):
        snap = snapshots[label]
        colour = COLOURS.get(label, COLOURS["yours"])
        fig.add_trace(go.Bar(x=itos, y=snap["logits"], marker_color=colour, showlegend=False,
                             hovertemplate="%{x}: logit %{y:.3g}<extra></extra>"), row, 1)
        fig.add_trace(go.Bar(x=itos, y=snap["probs"], marker_color=colour, showlegend=False,
                             hovertemplate="%{x}: p = %{y:.3g}<extra></extra>"), row, 2)
        for col in (1, 2):
            fig.add_vline(x=target, line_dash="dot", line_color="#555", row=row, col=col)
        fig.add_hline(y=1 / len(itos), line_dash="dash", line_color="#555", row=row, col=2,
                      annotation_text="1/27", annotation_position="top right")
        fig.update_yaxes(range=[0, 1.05], row=row, col=2)
    fig.update_layout(title=title or f"One training example at initialisation: the target is "
                                     f"{itos[target]!r} (dotted)",
                      height=120 + 250 * len(labels), margin=MARGIN, bargap=0.15)
    return fig


def initial_logits() -> go.Figure:
    """The standard and the output-scaled start's logits and probabilities for one example."""
    snaps = {name: reference_snapshot(name) for name in ("standard", "output scaled")}
    p = {name: s["probs"][s["target"]] for name, s in snaps.items()}
    target = snaps["standard"]["itos"][snaps["standard"]["target"]]
    return logits_figure(snaps, f"One training example at initialisation, the target {target!r}"
                                f" (dotted)<br><sup>p({target}) = {p['standard']:.1e} with the "
                                f"standard start, {p['output scaled']:.3f} with W2 × 0.01; "
                                f"{snaps['standard']['source']}</sup>")


def _window_means(values: Sequence[float], every: int) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(values, dtype=float)
    n = len(values) // every
    return (np.arange(n) + 1) * every, values[:n * every].reshape(n, every).mean(1)


def hockey_stick(names: Sequence[str] = ("standard", "output scaled"), every: int = 20
                 ) -> go.Figure:
    """The first steps' minibatch loss (means of `every`) from each starting point, on a log
    scale, with ln 27 marked."""
    saved = experiments.init_runs()
    fig = go.Figure()
    for name in names:
        run = saved["runs"][name]
        x, y = _window_means(run["first_losses"].tolist(), every)
        fig.add_trace(go.Scatter(x=x, y=y, name=LABELS[name],
                                 line={"color": COLOURS[name], "width": 2}))
    # On a log axis, add_hline takes the line's height as data but its annotation would be
    # placed in log10 units: the label goes on separately, at log10(ln 27).
    fig.add_hline(y=math.log(27), line_dash="dash", line_color="#555")
    fig.add_annotation(x=1, xref="paper", y=math.log10(math.log(27)), yref="y",
                       text="ln 27 ≈ 3.30, a uniform guess", showarrow=False, xanchor="right",
                       yanchor="bottom")
    steps = len(saved["runs"][names[0]]["first_losses"])
    fig.update_layout(title=f"The first {steps:,} steps of chapter 4.2's training run from each "
                            f"start (means of {every} minibatch losses)<br><sup>"
                            f"{saved['source']}</sup>",
                      xaxis_title="step", yaxis_title="minibatch loss", yaxis_type="log",
                      height=380, margin=MARGIN, legend={"orientation": "h", "y": -0.25})
    return fig


def runs_table(names: Sequence[str] = tuple(experiments.INITS)) -> go.Figure:
    """Each starting point's loss before training and after chapter 4.2's 200,000 steps."""
    saved = experiments.init_runs()
    rows = [saved["runs"][name] for name in names]
    at_init = [saved["at_init"][name] for name in names]
    return _table(
        ["start", "train loss before training", "saturated tanh outputs at init",
         "train loss after", "dev loss after"],
        [[LABELS[n] for n in names], [f"{a['train_loss']:.2f}" for a in at_init],
         [f"{a['saturated_train']:.0%}" for a in at_init],
         [f"{r['split_losses']['train']:.4f}" for r in rows],
         [f"{r['split_losses']['dev']:.4f}" for r in rows]],
        f"Chapter 4.2's reference run ({saved['settings']['steps']:,} steps) from each start"
        f"<br><sup>{saved['source']}</sup>", 150 + 48 * len(names))


# ---------------------------------------------------------------------------------------------
# Section 2: saturated tanh units


def hidden_histograms(snapshots: Mapping[str, Mapping[str, Any]], title: str = "") -> go.Figure:
    """Histograms of the hidden layer's tanh outputs (top) and preactivations (bottom), one
    column per snapshot."""
    labels = list(snapshots)
    fig = make_subplots(rows=2, cols=len(labels), vertical_spacing=0.16,
                        subplot_titles=[f"h = tanh(...): {LABELS.get(k, k)}" for k in labels]
                        + [f"preactivations: {LABELS.get(k, k)}" for k in labels])
    for col, label in enumerate(labels, start=1):
        snap, colour = snapshots[label], COLOURS.get(label, COLOURS["yours"])
        h = np.asarray(snap["h"]).ravel()
        pre = np.asarray(snap["pre"]).ravel()
        fig.add_trace(go.Histogram(x=h, xbins={"start": -1, "end": 1, "size": 0.04},
                                   marker_color=colour, showlegend=False), 1, col)
        fig.add_trace(go.Histogram(x=pre, nbinsx=50, marker_color=colour, showlegend=False),
                      2, col)
    fig.update_layout(title=title, height=520, margin=MARGIN, bargap=0.02)
    return fig


def saturation_image(snapshots: Mapping[str, Mapping[str, Any]], title: str = "",
                     threshold: float = experiments.SATURATED) -> go.Figure:
    """Karpathy's picture: one row per example, one column per hidden unit, white where
    |h| > threshold (the unit is in tanh's flat tail and passes almost no gradient)."""
    labels = list(snapshots)
    fig = make_subplots(rows=len(labels), cols=1, vertical_spacing=0.2 / len(labels),
                        subplot_titles=[
                            f"{LABELS.get(k, k)}: {_share(snapshots[k]['h'], threshold):.0%} "
                            f"saturated" for k in labels])
    for row, label in enumerate(labels, start=1):
        white = (np.abs(np.asarray(snapshots[label]["h"])) > threshold).astype(float)
        fig.add_trace(go.Heatmap(z=white, zmin=0, zmax=1, showscale=False,
                                 colorscale=[[0, "black"], [1, "white"]],
                                 hovertemplate="example %{y}, unit %{x}<extra></extra>"),
                      row, 1)
        fig.update_yaxes(title_text="example", autorange="reversed", row=row, col=1)
    for row in range(1, len(labels)):  # the units are the same in every row: label the last
        fig.update_xaxes(showticklabels=False, row=row, col=1)
    fig.update_xaxes(title_text="hidden unit", row=len(labels), col=1)
    fig.update_layout(title=title or f"|h| > {threshold} (white) on a minibatch of 32 at "
                                     "initialisation", height=230 * len(labels) + 80,
                      margin=MARGIN)
    return fig


def _share(h: Any, threshold: float) -> float:
    return float((np.abs(np.asarray(h)) > threshold).mean())


def reference_saturation_image() -> go.Figure:
    return saturation_image({name: reference_snapshot(name)
                             for name in ("standard", "hidden scaled too")})


def reference_hidden_histograms() -> go.Figure:
    return hidden_histograms({name: reference_snapshot(name)
                              for name in ("standard", "hidden scaled too")},
                             "The hidden layer on a minibatch of 32 at initialisation")


# ---------------------------------------------------------------------------------------------
# Section 3: Kaiming initialisation and layers


@cache_data(show_spinner=False)
def reference_stack(gain: float) -> dict:
    from solutions import makemore_activations as reference
    from utils.demos.makemore_activations.init import linear_stack

    return linear_stack(vars(reference), gain)


def stack_std_figure(stacks: Sequence[Mapping[str, Any]], yours: Mapping[str, Any] | None = None
                     ) -> go.Figure:
    """Each tanh layer's output std (left) and saturated share (right) through the deep stack,
    one line per gain; the learner's stack dashed on top."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                        subplot_titles=("std of each tanh layer's output",
                                        "share saturated (|out| > 0.97)"))
    palette = ["#1f77b4", "#2ca02c", "#9467bd", "#d62728", "#8c564b"]
    runs = [(s, f"gain {gain_text(s['gain'])}", palette[i % len(palette)], "solid")
            for i, s in enumerate(stacks)]
    if yours is not None:
        runs.append((yours, f"your Linear, gain {gain_text(yours['gain'])}", COLOURS["yours"],
                     "dash"))
    for stack, name, colour, dash in runs:
        layers = list(range(1, len(stack["std"]) + 1))
        line = {"color": colour, "dash": dash, "width": 3 if dash == "dash" else 2}
        fig.add_trace(go.Scatter(x=layers, y=stack["std"], name=name, line=line,
                                 legendgroup=name), 1, 1)
        fig.add_trace(go.Scatter(x=layers, y=stack["saturated"], name=name, line=line,
                                 legendgroup=name, showlegend=False), 1, 2)
    settings = stacks[0]["settings"] if stacks else yours["settings"]
    fig.update_xaxes(title_text="tanh layer", dtick=1)
    fig.update_yaxes(rangemode="tozero")
    fig.update_layout(title=f"{settings['depth']} layers of Linear({settings['width']}, "
                            f"{settings['width']}) + Tanh on {settings['examples']:,} standard "
                            "normal inputs, weights × gain",
                      height=380, margin=MARGIN, legend={"orientation": "h", "y": -0.25})
    return fig


def stack_histograms(stack: Mapping[str, Any], title: str = "") -> go.Figure:
    """The distribution of each tanh layer's outputs through the stack (one line per layer)."""
    bins = len(stack["histograms"][0])
    centres = -1 + (np.arange(bins) + 0.5) * 2 / bins
    fig = go.Figure()
    depth = len(stack["histograms"])
    for i, hist in enumerate(stack["histograms"], start=1):
        fig.add_trace(go.Scatter(x=centres, y=hist, name=f"layer {i}", mode="lines",
                                 line={"color": f"rgba(31, 119, 180, {0.25 + 0.75 * i / depth})"}))
    fig.update_layout(title=title or f"Gain {gain_text(stack['gain'])}: the tanh outputs of "
                                     "each layer",
                      xaxis_title="tanh output", yaxis_title="share of outputs", height=340,
                      margin=MARGIN)
    return fig


def reference_stack_std() -> go.Figure:
    return stack_std_figure([reference_stack(g) for g in experiments.STACK_GAINS])


def reference_stack_histograms(gain: float) -> go.Figure:
    return stack_histograms(reference_stack(gain))


# ---------------------------------------------------------------------------------------------
# The notebook's stand-ins for the page's buttons


def _yours_or_reference(namespace: Mapping[str, Any], names: Sequence[str]
                        ) -> tuple[dict[str, Callable], list[str]]:
    """The learner's functions from `namespace`, each falling back to the reference while it
    still raises NotImplementedError; and the list the fallbacks are noted in."""
    from solutions import makemore_activations as reference

    functions, stood_in = yours_or_reference(namespace, names, reference)
    return {**vars(reference), **functions}, stood_in


def your_init(namespace: Mapping[str, Any], w1_scale: float = 1.0, b1_scale: float = 1.0,
              w2_scale: float = 0.01, b2_scale: float = 0.0, show: str = "logits") -> go.Figure:
    """Notebook: your scaled_init_mlp's start (scales as given) beside the standard one: its
    logits for one example (show="logits") or its hidden layer (show="saturation")."""
    from utils.demos.makemore_activations.init import init_snapshot

    ns, stood_in = _yours_or_reference(namespace, ("scaled_init_mlp", "saturation_fraction",
                                                   "dead_units"))
    own = init_snapshot(ns, w1_scale, b1_scale, w2_scale, b2_scale)
    who = "the reference" if "scaled_init_mlp" in stood_in else "yours"
    label = f"{who}: W1 × {w1_scale:g}, b1 × {b1_scale:g}, W2 × {w2_scale:g}, b2 × {b2_scale:g}"
    snaps = {"standard": reference_snapshot("standard"), label: own}
    loss = f"dev loss at init {own['dev_loss']:.2f}" if own["dev_loss"] is not None else \
        "dev loss at init not finite"
    if show == "saturation":
        return saturation_image(snaps, f"{label}: {loss}, {own['saturated']:.0%} saturated, "
                                       f"{own['dead']} dead units in the minibatch")
    return logits_figure(snaps, f"{label}: {loss}")


def your_stack(namespace: Mapping[str, Any], gain: float = 5 / 3) -> go.Figure:
    """Notebook: the deep stack built from your Linear (with Tanh), over the reference's."""
    from utils.demos.makemore_activations.init import linear_stack

    ns, stood_in = _yours_or_reference(namespace, ("Linear",))
    try:
        own = linear_stack(ns, gain)
    except NotImplementedError:
        own = None
    if own is None or stood_in:
        own = None
    return stack_std_figure([reference_stack(g) for g in experiments.STACK_GAINS], own)
