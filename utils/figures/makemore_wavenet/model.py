"""Figures for chapter 4.5's sections 4-6 (the hierarchical model, training); Colab-safe, no
Streamlit. The numbers come from utils/experiments/makemore_wavenet/model.py (the saved reference
run and measurements), from the reference solutions, or from a run of the learner's code
(utils/demos/makemore_wavenet/model.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Callable

import numpy as np
import plotly.graph_objects as go

from utils.experiments.makemore_wavenet.model import (N_EMBD, N_HIDDEN, SEED, measurements,
                                                      reference_run)
from utils.figures.stand_ins import yours_or_reference
from utils.figures.training_curves import learner_run_figure, window_means

MARGIN = {"l": 10, "r": 10, "t": 60, "b": 10}
REFERENCE_COLOUR, OWN_COLOUR = "#1f77b4", "#d62728"
MEAN_OF = 100  # "Train my model" draws means of 100 steps


def _table(header: Sequence[str], columns: Sequence[Sequence[Any]], title: str,
           height: int, fill: Sequence[str] | None = None) -> go.Figure:
    cells: dict[str, Any] = {"values": columns, "align": "right", "height": 26}
    if fill is not None:
        cells["fill_color"] = [list(fill)] * len(columns)
    fig = go.Figure(go.Table(
        header={"values": [f"<b>{h}</b>" for h in header], "align": "center",
                "fill_color": "#e8eef7"},
        cells=cells))
    fig.update_layout(title=title, height=height, margin=MARGIN)
    return fig


def _fmt_shape(shape: Sequence[int]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ")"


def reference_trace() -> dict:
    """The reference build_wavenet(27, 24, 128) traced by the reference shape_trace on the shape
    trace's 4 contexts, in the form the "Trace my model" demo returns."""
    from solutions import makemore_wavenet as reference
    from utils.demos.makemore_wavenet.model import trace_model

    return trace_model(vars(reference))


def shape_trace_table(own: Mapping[str, Any] | None = None, title: str = "") -> go.Figure:
    """Each layer's output shape and parameter count on a batch of 4 contexts of 8 symbols: the
    reference's, or a traced run of the learner's code; rows that differ from the reference's
    are shaded."""
    ref = reference_trace()
    shown = own if own is not None else ref
    rows = shown["trace"]
    ref_rows = ref["trace"]
    differs = ["#fde0dd" if own is not None and (i >= len(ref_rows) or row != ref_rows[i])
               else "white" for i, row in enumerate(rows)]
    params = list(shown["params"])
    total = sum(params)
    who = title or ("your build_wavenet and shape_trace" if own is not None else
                    "the reference build_wavenet(27, 24, 128)")
    return _table(["#", "layer", "output shape", "parameters"],
                  [list(range(len(rows))), [r[0] for r in rows], [_fmt_shape(r[1]) for r in rows],
                   [f"{p:,}" for p in params]],
                  f"Shape trace of {who} on a batch of shape {_fmt_shape(shown['input'])}: "
                  f"{total:,} parameters", 27 * len(rows) + 130, differs)


def parameter_table() -> go.Figure:
    """Where the parameters are: the WaveNet of this chapter by level, and chapter 4.2's MLP."""
    from solutions import makemore_mlp as mlp
    from solutions import makemore_wavenet as reference

    model = reference.build_wavenet(27, N_EMBD, N_HIDDEN)
    layers = model.layers

    def count(items: Sequence[Any]) -> int:
        return sum(p.numel() for layer in items for p in layer.parameters())

    params = mlp.init_mlp()
    rows = [("WaveNet", "Embedding(27, 24)", count(layers[:1])),
            ("WaveNet", "level 1: Linear(48, 128), BatchNorm1d(128)", count(layers[1:5])),
            ("WaveNet", "level 2: Linear(256, 128), BatchNorm1d(128)", count(layers[5:9])),
            ("WaveNet", "level 3: Linear(256, 128), BatchNorm1d(128)", count(layers[9:13])),
            ("WaveNet", "output: Linear(128, 27)", count(layers[13:])),
            ("WaveNet", "<b>total</b>", count(layers)),
            ("MLP (4.2)", "C (27, 10)", params["C"].numel()),
            ("MLP (4.2)", "hidden: W1 (30, 200), b1", params["W1"].numel() + params["b1"].numel()),
            ("MLP (4.2)", "output: W2 (200, 27), b2", params["W2"].numel() + params["b2"].numel()),
            ("MLP (4.2)", "<b>total</b>", sum(p.numel() for p in params.values()))]
    return _table(["model", "part", "parameters"],
                  [[r[0] for r in rows], [r[1] for r in rows], [f"{r[2]:,}" for r in rows]],
                  "Parameters of this chapter's WaveNet and of chapter 4.2's MLP", 400)


def comparison_table() -> go.Figure:
    """Train, dev and test loss of chapters 4.1, 4.2 and 4.5's models on the same split."""
    saved = measurements()
    rows = saved["comparison"]
    return _table(["model", "context", "parameters", "train", "dev", "test"],
                  [[r["model"] for r in rows], [r["context"] for r in rows],
                   [f"{r['parameters']:,}" for r in rows],
                   *[[f"{r[k]:.4f}" for r in rows] for k in ("train", "dev", "test")]],
                  f"Mean negative log-likelihood per symbol on the same 80/10/10 split<br><sup>"
                  f"{saved['source']}</sup>", 220)


def samples_table() -> go.Figure:
    """Names drawn from the reference run's model by sample_wavenet."""
    saved = measurements()
    names = saved["samples"]
    columns = [names[i::4] for i in range(4)]
    fig = _table(["", "", "", ""], columns,
                 f"{len(names)} names from the trained WaveNet (sample_wavenet, generator seeded "
                 f"with {saved['sample_seed']})", 250)
    fig.update_traces(cells={"align": "center"}, header={"height": 4})
    return fig


def reference_loss_curve() -> go.Figure:
    """log10 of the reference run's minibatch loss (means of 1000 steps) against the step, with
    the learning-rate decay marked and the final split losses in the title."""
    run = reference_run()
    every = int(run["log_every"])
    curve = run["loss_curve"].numpy()
    steps = (np.arange(len(curve)) + 1) * every
    losses = run["split_losses"]
    fig = go.Figure(go.Scatter(x=steps, y=np.log10(curve),
                               name=f"mean of {every:,} minibatch losses",
                               line={"color": REFERENCE_COLOUR}))
    fig.add_vline(x=run["decay_at"], line_dash="dash", line_color="grey",
                  annotation_text="learning rate 0.1 → 0.01", annotation_position="top left")
    fig.update_layout(
        title=f"The reference run: {run['steps']:,} steps of {run['batch_size']}; train "
              f"{losses['train']:.4f}, dev {losses['dev']:.4f}, test {losses['test']:.4f}"
              f"<br><sup>{run['source']}</sup>",
        xaxis_title="step", yaxis_title="log10(loss)", height=380, margin=MARGIN)
    return fig


def training_figure(own: Mapping[str, Any] | None = None, title: str = "") -> go.Figure:
    """The reference run's first steps (means of 100) and, if given, a run of the learner's code:
    its loss per step (faint) and its means of 100, with its dev loss in the title."""
    run = reference_run()
    steps = len(own["losses"]) if own is not None else 1_500
    x, means = window_means(run["first_losses"][:steps].tolist(), MEAN_OF)
    return learner_run_figure(x, means, f"reference (seed {run['seed']}, lr 0.1), means of 100",
                              own, title, MEAN_OF)


def _yours_or_reference(namespace: Mapping[str, Any], names: Sequence[str]
                        ) -> tuple[dict[str, Callable], list[str]]:
    """The learner's functions, the reference's standing in for stubs (utils/figures/stand_ins)."""
    from solutions import makemore_wavenet as reference

    return yours_or_reference(namespace, names, reference)


def your_trace(namespace: Mapping[str, Any]) -> go.Figure:
    """Notebook: the shape trace of your build_wavenet by your shape_trace (from `namespace`,
    e.g. globals(); the reference stands in for either while it is unwritten)."""
    from utils.demos.makemore_wavenet.model import trace_model, validated_trace

    names = ("build_wavenet", "shape_trace")
    functions, stood_in = _yours_or_reference(namespace, names)
    own = validated_trace(trace_model(functions))
    if set(stood_in) == set(names):
        return shape_trace_table(None, "the reference (yours are not written yet)")
    title = "your build_wavenet and shape_trace"
    if stood_in:
        title += f" (the reference {', '.join(sorted(set(stood_in)))})"
    return shape_trace_table(own, title)


def your_training(namespace: Mapping[str, Any], steps: int = 1_000, seed: int = SEED,
                  lr: float = 0.1) -> go.Figure:
    """Notebook: train the chapter's WaveNet with your own build_wavenet, train_wavenet and
    evaluate_loss (from `namespace`, e.g. globals(); the reference stands in for any still
    unwritten) and draw its loss against the reference's first steps."""
    from utils.demos.makemore_wavenet.model import train_model

    names = ("build_wavenet", "train_wavenet", "evaluate_loss")
    functions, stood_in = _yours_or_reference(namespace, names)
    own = train_model(functions, steps, seed, lr)
    if set(stood_in) == set(names):
        return training_figure(None, "Not written yet: the reference run's first steps")
    title = "yours: dev loss " + (f"{own['dev']:.3f}" if own["dev"] is not None else
                                  "not finite (diverged)")
    if stood_in:
        title += f" (the reference {', '.join(sorted(set(stood_in)))})"
    return training_figure(own, title)

