"""Figures for chapter 4.2's sections 0-3 (why contexts, the model, training); Colab-safe, no
Streamlit. The numbers come from utils/experiments/makemore_mlp/model.py: the saved reference
run and measurements, or a run of the learner's code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from utils.caching import cache_data
from utils.experiments.makemore_mlp.model import (OVERFIT_STEPS, SEED, measurements,
                                                  names_split, reference_run)
from utils.figures.stand_ins import yours_or_reference
from utils.figures.training_curves import learner_run_figure

MARGIN = {"l": 10, "r": 10, "t": 60, "b": 10}
REFERENCE_COLOUR, OWN_COLOUR = "#1f77b4", "#d62728"


def _table(header: Sequence[str], columns: Sequence[Sequence[Any]], title: str,
           height: int) -> go.Figure:
    fig = go.Figure(go.Table(
        header={"values": [f"<b>{h}</b>" for h in header], "align": "center",
                "fill_color": "#e8eef7"},
        cells={"values": columns, "align": "right", "height": 26}))
    fig.update_layout(title=title, height=height, margin=MARGIN)
    return fig


def count_model_table() -> go.Figure:
    """Count tables over longer contexts: how big, how thinly filled, how well they do."""
    saved = measurements()
    rows = saved["count_models"]
    return _table(
        ["context length k", "possible contexts 27^k", "counts in the table 27^(k+1)",
         "contexts seen in train", "dev examples whose context train saw < 10 times",
         "train NLL", "dev NLL"],
        [[r["k"] for r in rows], [f"{r['possible']:,}" for r in rows],
         [f"{r['table_entries']:,}" for r in rows], [f"{r['seen_in_train']:,}" for r in rows],
         [f"{r['dev_rare_fraction']:.1%}" for r in rows], [f"{r['train_nll']:.3f}" for r in rows],
         [f"{r['dev_nll']:.3f}" for r in rows]],
        f"Count models with add-0.1 smoothing, trained on the train split<br><sup>"
        f"{saved['source']}</sup>", 330)


@cache_data(show_spinner=False)
def split_table() -> go.Figure:
    """Names and examples (block_size 3) in each split of the chapter's names."""
    data = names_split()
    parts = (("train", data.train_words, data.Xtr), ("dev", data.dev_words, data.Xdev),
             ("test", data.test_words, data.Xte))
    return _table(["split", "names", "share", "examples (contexts of 3)"],
                  [[p[0] for p in parts], [f"{len(p[1]):,}" for p in parts],
                   [f"{len(p[1]) / len(data.words):.0%}" for p in parts],
                   [f"{p[2].shape[0]:,}" for p in parts]],
                  f"split_words(words) and build_dataset(..., 3, stoi)<br><sup>{data.source}, "
                  f"{len(data.words):,} names</sup>", 220)


def overfitting_table() -> go.Figure:
    """The MLP's train and dev loss with fewer names and fewer hidden units."""
    saved = measurements()
    rows = saved["overfitting"]
    return _table(
        ["training names", "training examples", "hidden units", "parameters", "train loss",
         "dev loss", "dev − train"],
        [[f"{r['n_train_words']:,}" for r in rows], [f"{r['n_examples']:,}" for r in rows],
         [r["n_hidden"] for r in rows], [f"{r['n_params']:,}" for r in rows],
         [f"{r['train']:.3f}" for r in rows], [f"{r['dev']:.3f}" for r in rows],
         [f"{r['dev'] - r['train']:+.3f}" for r in rows]],
        f"The same MLP on fewer names and with fewer units ({OVERFIT_STEPS:,} steps each)<br><sup>"
        f"{saved['source']}</sup>", 260)


def speed_table() -> go.Figure:
    """Training steps per second with minibatches of 32 and with the whole training split."""
    saved = measurements()
    speed = saved["steps_per_second"]
    n = next(r["n_examples"] for r in saved["overfitting"] if r["n_train_words"] == 25_600)
    rows = (("32", speed["32"]), (f"{n:,} (all of train)", speed["full"]))
    return _table(["examples per step", "steps per second", "examples per second"],
                  [[r[0] for r in rows], [f"{r[1]:,.1f}" for r in rows],
                   [f"{r[1] * (32 if i == 0 else n):,.0f}" for i, r in enumerate(rows)]],
                  "Training the chapter's MLP on one core (a timing: it depends on the machine "
                  f"and its load)<br><sup>{saved['source']}</sup>", 200)


def reference_loss_curve() -> go.Figure:
    """log10 of the reference run's minibatch loss (means of 100 steps) against the step, with
    the learning-rate decay marked and the final split losses in the title."""
    run = reference_run()
    every = int(run["log_every"])
    curve = run["loss_curve"].numpy()
    steps = (np.arange(len(curve)) + 1) * every
    losses = run["split_losses"]
    fig = go.Figure(go.Scatter(x=steps, y=np.log10(curve), name="mean of 100 minibatch losses",
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
    """The reference run's first steps (means of 100) and, if given, a run of the learner's
    code: its loss per step (faint) and its means of 100, with its train and dev loss."""
    run = reference_run()
    every = int(run["log_every"])
    steps = len(own["losses"]) if own is not None else 5_000
    shown = max(1, steps // every)
    return learner_run_figure((np.arange(shown) + 1) * every, run["loss_curve"][:shown].numpy(),
                              "reference (seed 2147483647, lr 0.1), means of 100", own, title,
                              every)


def your_training(namespace: Mapping[str, Any], steps: int = 3_000, seed: int = SEED,
                  lr: float = 0.1) -> go.Figure:
    """Notebook: train the chapter's MLP with your own init_mlp, train_mlp and split_loss (from
    `namespace`, e.g. globals(); the reference stands in for any still unwritten) and draw its
    loss against the reference's first steps."""
    from solutions import makemore_mlp as reference
    from utils.demos.makemore_mlp.model import train_model

    names = ("init_mlp", "train_mlp", "split_loss")
    functions, stood_in = yours_or_reference(namespace, names, reference)
    own = train_model(functions, steps, seed, lr)
    if set(stood_in) == set(names):
        return training_figure(None, "Not written yet: the reference run's first steps")
    title = "yours: dev loss " + (f"{own['dev']:.3f}" if own["dev"] is not None else
                                  "not finite (diverged)")
    if stood_in:
        title += f" (the reference {', '.join(sorted(set(stood_in)))})"
    return training_figure(own, title)
