"""Figures for chapter 4.4's sections 3-5 (cross-entropy and batch norm backward in closed form,
training with hand-written gradients); Colab-safe, no Streamlit. The numbers come from
utils/experiments/makemore_backprop/closed_form.py: the saved side-by-side run and measurements,
or a run of the learner's code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import torch

from solutions import makemore_backprop as reference
from utils.caching import cache_data
from utils.experiments.makemore_backprop.closed_form import (BATCH_SIZE, SEED, measurements,
                                                             training_run)
from utils.experiments.makemore_mlp.model import names_split
from utils.figures.stand_ins import yours_or_reference

MARGIN = {"l": 10, "r": 10, "t": 60, "b": 10}
AUTOGRAD_COLOUR, MANUAL_COLOUR, OWN_COLOUR = "#1f77b4", "#ff7f0e", "#d62728"


def _table(header: Sequence[str], columns: Sequence[Sequence[Any]], title: str,
           height: int) -> go.Figure:
    fig = go.Figure(go.Table(
        header={"values": [f"<b>{h}</b>" for h in header], "align": "center",
                "fill_color": "#e8eef7"},
        cells={"values": columns, "align": "right", "height": 26}))
    fig.update_layout(title=title, height=height, margin=MARGIN)
    return fig


# --- section 3 --------------------------------------------------------------------------------


def dlogits_minibatch(seed: int = 0) -> dict:
    """A minibatch of 32 dev examples through the hand-trained model of section 5's run: the
    contexts and targets as text, the probabilities and n * dlogits."""
    data = names_split()
    params = training_run()["params"]
    ix = torch.randint(0, data.Xdev.shape[0], (BATCH_SIZE,),
                       generator=torch.Generator().manual_seed(seed))
    Xb, Yb = data.Xdev[ix], data.Ydev[ix]
    with torch.no_grad():
        cache = reference.forward_pass(params, Xb, Yb)
        dlogits = reference.cross_entropy_backward(cache["logits"], Yb)
    symbols = [data.itos[i] for i in range(len(data.itos))]
    contexts = ["".join(data.itos[int(i)] for i in x) for x in Xb]
    # numbered, so that two equal contexts stay two rows of the heatmap
    return {"rows": [f"{k}: {c} → {data.itos[int(y)]}" for k, (c, y) in
                     enumerate(zip(contexts, Yb))],
            "targets": Yb.tolist(), "symbols": symbols, "probs": cache["probs"].numpy(),
            "scaled": (dlogits * BATCH_SIZE).numpy(), "source": data.source}


@cache_data(show_spinner=False)
def dlogits_heatmap(seed: int = 0) -> go.Figure:
    """n * dlogits of a minibatch: red (negative) where a descent step pushes a logit up, blue
    where it pulls one down."""
    batch = dlogits_minibatch(seed)
    fig = go.Figure(go.Heatmap(
        z=batch["scaled"], x=batch["symbols"], y=batch["rows"], zmid=0, zmin=-1, zmax=1,
        colorscale="RdBu", colorbar={"title": "n · dL/dlogit"},
        hovertemplate="%{y}<br>symbol %{x}: %{z:.3f}<extra></extra>"))
    fig.update_layout(
        title="n · dL/dlogits on 32 dev contexts, after section 5's training run<br><sup>"
              "each row sums to 0: p − 1 at the target (red), p at every other symbol (blue)"
              f"<br>{batch['source']}</sup>",
        xaxis_title="next symbol", yaxis={"autorange": "reversed", "tickfont": {"size": 10}},
        height=740, margin={**MARGIN, "t": 90})
    return fig


@cache_data(show_spinner=False)
def dlogits_row(row: int = 0, seed: int = 0) -> go.Figure:
    """One row of n * dL/dlogits as bars, the target's marked: away from the target each bar is
    the model's probability itself, at the target it is p - 1."""
    batch = dlogits_minibatch(seed)
    target = batch["targets"][row]
    scaled = batch["scaled"][row]
    colours = [OWN_COLOUR if j == target else MANUAL_COLOUR for j in range(len(batch["symbols"]))]
    fig = go.Figure(go.Bar(x=batch["symbols"], y=scaled, marker_color=colours,
                           hovertemplate="%{x}: %{y:.3f}<extra></extra>"))
    context = batch["rows"][row].split(": ", 1)[1]
    fig.update_layout(
        title=f"Row {row} ({context}): n · dL/dlogits<br><sup>at the target, p − 1 = "
              f"{scaled[target]:.3f}; every other bar is that symbol's probability, together "
              f"{scaled.sum() - scaled[target]:.3f}</sup>",
        xaxis_title="next symbol", yaxis_title="n · dL/dlogit", height=360, margin=MARGIN)
    return fig


def cross_entropy_timing_table() -> go.Figure:
    """Loss and dlogits three ways, microseconds per call, on this site's machine."""
    saved = measurements()
    rows = saved["cross_entropy_timings"]
    return _table(
        ["minibatch", "atoms, autograd", "F.cross_entropy, autograd",
         "closed form (cross_entropy_backward)"],
        [[f"{r['n']:,} × {r['v']}" for r in rows],
         [f"{r['atoms_autograd_us']:,.0f} µs" for r in rows],
         [f"{r['fused_autograd_us']:,.0f} µs" for r in rows],
         [f"{r['closed_form_us']:,.0f} µs" for r in rows]],
        "The loss and its gradient with respect to the logits, one thread (a timing: it "
        "depends on the machine and its load)", 190)


def stability_table() -> go.Figure:
    """Loss and dlogits of one float32 row whose target's probability underflows."""
    case = measurements()["stability"]

    def fmt(values: Sequence[Any]) -> str:
        return "[" + ", ".join(v if isinstance(v, str) else f"{v:.4g}" for v in values) + "]"

    return _table(
        ["way", "loss", "dL/dlogits"],
        [["atoms (probs, then log), autograd", "F.cross_entropy, autograd",
          "closed form (cross_entropy_backward)"],
         [f"{case['atoms_loss']:.4g}", f"{case['fused_loss']:.4f}", "(not computed)"],
         [fmt(case["atoms_grad"]), fmt(case["fused_grad"]), fmt(case["closed_grad"])]],
        f"logits {fmt(case['logits'])}, target {case['target']}, float32", 190)


# --- section 4 --------------------------------------------------------------------------------


def batchnorm_table() -> go.Figure:
    """Three ways to dL/dhprebn, each against float64 autograd of torch's batch norm."""
    saved = measurements()["batchnorm"]
    rows = saved["rows"]
    return _table(
        ["dtype", "way", "largest |difference| from float64 autograd of F.batch_norm",
         "largest |difference| from the closed form"],
        [[r["dtype"] for r in rows], [r["way"] for r in rows],
         [f"{r['max_abs_diff']:.1e}" for r in rows],
         [f"{r['max_abs_diff_from_closed']:.1e}" for r in rows]],
        f"dL/dhprebn on a minibatch of {saved['shape'][0]} × {saved['shape'][1]} (the freshly "
        f"drawn model's first), largest |gradient| {saved['max_abs_grad']:.1e}<br><sup>"
        f"{measurements()['source']}</sup>", 330)


# --- section 5 --------------------------------------------------------------------------------


def training_curves() -> go.Figure:
    """Means of 100 minibatch losses of the hand-written and the autograd run."""
    run = training_run()
    every = run["settings"]["log_every"]
    x = (np.arange(len(run["manual_curve"])) + 1) * every
    dev = run["split_losses"]
    fig = go.Figure([
        go.Scatter(x=x, y=run["autograd_curve"].numpy(), name="autograd (loss.backward())",
                   line={"color": AUTOGRAD_COLOUR, "width": 5}, opacity=0.5),
        go.Scatter(x=x, y=run["manual_curve"].numpy(), name="train_manual (hand-written gradients)",
                   line={"color": MANUAL_COLOUR, "width": 2, "dash": "dash"})])
    fig.update_layout(
        title=f"{run['settings']['steps']:,} steps of {run['settings']['batch_size']} at rate "
              f"{run['settings']['lr']}, both from seed {run['settings']['seed']}: dev loss "
              f"{dev['manual']['dev']:.4f} by hand, {dev['autograd']['dev']:.4f} by autograd"
              f"<br><sup>{run['source']}</sup>",
        xaxis_title="step", yaxis_title="mean of 100 minibatch losses", yaxis_type="log",
        height=380, margin=MARGIN, legend={"orientation": "h", "y": -0.25})
    return fig


def parameter_difference() -> go.Figure:
    """The largest difference between any parameter of the two runs, after every 100 steps."""
    run = training_run()
    every = run["settings"]["log_every"]
    diff = run["param_diff"].numpy()
    fig = go.Figure(go.Scatter(x=(np.arange(len(diff)) + 1) * every, y=diff,
                               line={"color": MANUAL_COLOUR},
                               name="max |θ_manual − θ_autograd|"))
    fig.update_layout(
        title="The largest difference between the two runs' parameters (all seven tensors)",
        xaxis_title="step", yaxis_title="max |θ_manual − θ_autograd|", yaxis_type="log",
        height=340, margin=MARGIN)
    return fig


def training_time_table() -> go.Figure:
    """How long each of the two saved runs took (one thread, this machine, its load then)."""
    run = training_run()
    steps = run["settings"]["steps"]
    seconds = run["seconds"]
    ways = (("train_manual (hand-written gradients)", seconds["manual"]),
            ("the same loop with loss.backward()", seconds["autograd"]))
    return _table(["run", "seconds", "milliseconds per step"],
                  [[w[0] for w in ways], [f"{w[1]:.1f}" for w in ways],
                   [f"{1000 * w[1] / steps:.2f}" for w in ways]],
                  f"The two runs' {steps:,} steps, one thread on this site's machine (a timing: "
                  "it depends on the machine and its load)", 190)


def _means(values: Sequence[float | None], every: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Mean over each full window of `every` steps, at the window's last step."""
    v = np.array([np.nan if x is None else x for x in values], dtype=float)
    n = len(v) // every
    return (np.arange(n) + 1) * every, v[:n * every].reshape(n, every).mean(1)


def manual_training_figure(own: Mapping[str, Any] | None = None, title: str = "") -> go.Figure:
    """Autograd's run's first steps and, if given, a run of the learner's train_manual over it:
    every step's loss (faint) and the means of 100 (bold)."""
    run = training_run()
    steps = len(own["losses"]) if own is not None else 2_000
    head = run["autograd_head"][:steps].numpy()
    fig = go.Figure(go.Scatter(x=np.arange(1, len(head) + 1), y=head,
                               name=f"autograd (seed {SEED}, lr 0.1), each step",
                               line={"color": AUTOGRAD_COLOUR, "width": 3}, opacity=0.3))
    x, means = _means(head.tolist())
    fig.add_trace(go.Scatter(x=x, y=means, name="autograd, means of 100",
                             line={"color": AUTOGRAD_COLOUR, "width": 5}, opacity=0.6))
    if own is not None:
        losses = [np.nan if v is None else v for v in own["losses"]]
        fig.add_trace(go.Scatter(x=np.arange(1, len(losses) + 1), y=losses,
                                 name="your train_manual, each step",
                                 line={"color": OWN_COLOUR, "width": 1}, opacity=0.5))
        x, means = _means(own["losses"])
        fig.add_trace(go.Scatter(x=x, y=means, name="yours, means of 100",
                                 line={"color": OWN_COLOUR, "width": 2, "dash": "dash"}))
    fig.update_layout(title=title or "Autograd's run, step by step",
                      xaxis_title="step", yaxis_title="minibatch loss", yaxis_type="log",
                      height=400, margin=MARGIN, legend={"orientation": "h", "y": -0.25})
    return fig


def largest_loss_difference(own: Mapping[str, Any]) -> float | None:
    """The largest |your loss - autograd's| over the steps of a run with the saved settings
    (None where a loss is not finite)."""
    losses = own["losses"]
    head = training_run()["autograd_head"][:len(losses)].tolist()
    if any(v is None for v in losses):
        return None
    return max(abs(a - b) for a, b in zip(losses, head))


def your_manual_training(namespace: Mapping[str, Any], steps: int = 2_000, seed: int = SEED,
                         lr: float = 0.1) -> go.Figure:
    """Notebook: train the chapter's model with your own train_manual (from `namespace`, e.g.
    globals(); the reference stands in while it is unwritten) and draw it over autograd's run."""
    from utils.demos.makemore_backprop.closed_form import train_with_my_gradients

    functions, stood_in = yours_or_reference(namespace, ("train_manual",), reference)
    own = train_with_my_gradients({**namespace, **functions}, steps, seed, lr)
    if stood_in:
        return manual_training_figure(own, "train_manual not written yet: the reference's run "
                                      "over autograd's")
    return manual_training_figure(own, run_title(own))


def run_title(own: Mapping[str, Any], who: str = "yours") -> str:
    """The run's dev loss and, with the saved settings, how far its losses are from autograd's;
    `who` names whose train_manual ran."""
    dev = own["dev"]
    text = f"{who}: dev loss " + (f"{dev:.4f}" if dev is not None else "not finite (diverged)")
    settings = own["settings"]
    if settings["seed"] == SEED and settings["lr"] == 0.1:
        diff = largest_loss_difference(own)
        text += (f"; largest difference from autograd's losses {diff:.1e}" if diff is not None
                 else "")
    return text
