"""Figures for chapter 4.2's sections 4-6 (learning rate, embeddings and samples, the trigram
bonus). Drawing only (Colab-safe: no Streamlit); the numbers come from
utils/experiments/makemore_mlp/tuning.py (saved runs) and utils/demos/makemore_mlp/tuning.py (the
learner's runs).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from utils.caching import cache_data
from utils.experiments.makemore_mlp import tuning as experiments
from utils.figures.stand_ins import yours_or_reference

VOWELS = set("aeiou")
COLOURS = {"vowel": "#d62728", "consonant": "#1f77b4", "dot": "#2ca02c"}


# ---------------------------------------------------------------------------------------------
# Section 4: the range test


def _finite(values: list[float]) -> list[float | None]:
    return [v if v is not None and math.isfinite(v) else None for v in values]


def lr_sweep_figure(sweep: Mapping[str, Any], yours: Mapping[str, Any] | None = None,
                    title: str | None = None) -> go.Figure:
    """Loss against the learning-rate exponent: each step's minibatch loss (dots), their running
    mean (line), and the valley of the running mean; the learner's sweep on top if given."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=sweep["exponents"], y=_finite(sweep["losses"]), mode="markers",
                             name="reference: minibatch loss", marker={"size": 3,
                                                                        "color": "#9ecae1"}))
    fig.add_trace(go.Scatter(x=sweep["exponents"], y=sweep["smoothed"], mode="lines",
                             name=f"reference: running mean of {2 * sweep['window'] + 1} steps",
                             line={"color": "#08519c", "width": 2}))
    if yours is not None:
        own = list(yours["losses"])
        fig.add_trace(go.Scatter(x=yours["exponents"], y=_finite(own), mode="markers",
                                 name="yours: minibatch loss",
                                 marker={"size": 3, "color": "#fdae6b"}))
        finite = [v if math.isfinite(v) else float("nan") for v in own]
        fig.add_trace(go.Scatter(x=yours["exponents"],
                                 y=_finite(experiments.running_mean(finite, sweep["window"])),
                                 mode="lines", name="yours: running mean",
                                 line={"color": "#d94801", "width": 3, "dash": "dot"}))
        # Redrawn on top: a correct range test hides the reference's line under its own.
        fig.add_trace(go.Scatter(x=sweep["exponents"], y=sweep["smoothed"], mode="lines",
                                 showlegend=False, hoverinfo="skip",
                                 line={"color": "#08519c", "width": 1}))
    valley = sweep["valley_exponent"]
    fig.add_vline(x=valley, line_dash="dash", line_color="#555",
                  annotation_text=f"valley: 10^{valley:.2f} ≈ {10 ** valley:.2f}",
                  annotation_position="top right")
    top = max(v for v in sweep["smoothed"]) * 1.3
    fig.update_layout(
        title=title or (f"Range test: one step per rate, {len(sweep['losses'])} steps, "
                        f"{sweep['n_embd']}-d embeddings, {sweep['n_hidden']} units"),
        xaxis_title="learning-rate exponent e (rate = 10^e)", yaxis_title="minibatch loss",
        yaxis_range=[0, top], height=420, legend={"orientation": "h", "y": -0.2},
        margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


@cache_data(show_spinner=False)
def reference_lr_sweep() -> go.Figure:
    """The saved range test on the chapter's data."""
    return lr_sweep_figure(experiments.tuning_results()["lr_sweep"])


def your_range_test(namespace: Mapping[str, Any], steps: int = 1000) -> go.Figure:
    """Notebook: run the range test with your own lr_range_test (from `namespace`, e.g.
    globals()) and draw it over the reference's."""
    from utils.demos.makemore_mlp.tuning import range_test

    sweep = experiments.tuning_results()["lr_sweep"]
    try:
        yours = range_test(namespace, steps=steps)
    except NotImplementedError:
        return lr_sweep_figure(sweep, title="lr_range_test is not written yet: the reference's "
                                            "range test")
    return lr_sweep_figure(sweep, yours, title="Your range test over the reference's")


# ---------------------------------------------------------------------------------------------
# Section 5: the embedding and samples


def _kind(symbol: str) -> str:
    return "dot" if symbol == "." else "vowel" if symbol in VOWELS else "consonant"


def embedding_figure(C: Any, itos: list[str], title: str) -> go.Figure:
    """Each symbol's row of a 2-d embedding table C, as a labelled point in the plane."""
    fig = go.Figure()
    for kind, label in (("vowel", "vowels a e i o u"), ("consonant", "consonants"),
                        ("dot", "'.' (start / end)")):
        idx = [i for i, s in enumerate(itos) if _kind(s) == kind]
        fig.add_trace(go.Scatter(
            x=[float(C[i][0]) for i in idx], y=[float(C[i][1]) for i in idx],
            mode="markers+text", text=[itos[i] for i in idx], name=label,
            textposition="middle center", textfont={"color": "white", "size": 13},
            marker={"size": 24, "color": COLOURS[kind]}))
    fig.update_layout(title=title, height=520, xaxis_title="C[:, 0]", yaxis_title="C[:, 1]",
                      yaxis={"scaleanchor": "x"}, legend={"orientation": "h", "y": -0.15},
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


@cache_data(show_spinner=False)
def reference_embedding() -> go.Figure:
    """The saved 2-d embedding model's table C."""
    run = experiments.embedding_run()
    return embedding_figure(run["params"]["C"].tolist(), run["itos"],
                            f"The 2-d embedding after {run['steps']:,} steps "
                            f"(dev loss {run['split_losses']['dev']:.3f})")


def samples_table(columns: Mapping[str, list[str]], title: str = "") -> go.Figure:
    """Names side by side, one column per model."""
    names = list(columns)
    fig = go.Figure(go.Table(
        header={"values": [f"<b>{k}</b>" for k in names], "align": "left",
                "fill_color": "#deebf7"},
        cells={"values": [columns[k] for k in names], "align": "left", "height": 24,
               "font": {"family": "monospace", "size": 14}}))
    rows = max(len(v) for v in columns.values())
    fig.update_layout(title=title or None, height=90 + 25 * rows,
                      margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10})
    return fig


@cache_data(show_spinner=False)
def reference_samples() -> go.Figure:
    """20 names from the reference MLP next to 20 from chapter 4.1's bigram model, same seed."""
    s = experiments.sample_comparison()
    return samples_table({"MLP (reference run)": s["mlp"], "bigram counts (chapter 4.1)":
                          s["bigram"]},
                         f"torch.Generator().manual_seed({s['seed']}) for each model")


def your_samples(namespace: Mapping[str, Any], n: int = 20, train_steps: int = 0) -> go.Figure:
    """Notebook: names drawn with your own sample_mlp (from `namespace`, e.g. globals()), from
    the reference run's parameters, or (train_steps > 0) from a model your init_mlp and
    train_mlp train first, next to the reference's. The reference stands in for whichever of
    init_mlp, train_mlp and split_loss you have not written yet, and the column says which."""
    from solutions import makemore_mlp as reference
    from utils.demos.makemore_mlp.tuning import sample_names

    saved = experiments.sample_comparison()["mlp"]  # one generator: the first n of them
    ref = saved[:n] if n <= len(saved) else None
    # The reference stands in for the model-building functions, never for sample_mlp itself.
    functions, stood_in = yours_or_reference(
        namespace, ("sample_mlp", "init_mlp", "train_mlp", "split_loss"), reference,
        always_yours=("sample_mlp",))
    try:
        yours = sample_names(functions, n=n, train_steps=train_steps)["names"]
    except NotImplementedError:
        return samples_table({"reference sample_mlp": saved},
                             "sample_mlp is not written yet: the reference's names")
    own = "yours, reference parameters" if train_steps == 0 else \
        f"yours, your model after {train_steps} steps"
    if stood_in:
        own += f" (the reference {', '.join(sorted(set(stood_in)))})"
    columns = {own: yours}
    if ref is not None:
        columns["reference"] = ref
    return samples_table(columns)


# ---------------------------------------------------------------------------------------------
# Section 6: the trigram bonus


def smoothing_figure(study: Mapping[str, Any]) -> go.Figure:
    """The trigram model's dev NLL against the smoothing (log axis), the chosen value, and the
    bigram model's dev NLL for scale."""
    fig = go.Figure(go.Scatter(x=study["smoothings"], y=study["dev_nll"], mode="lines+markers",
                               name="trigram counts, dev NLL", line={"color": "#08519c"}))
    fig.add_trace(go.Scatter(x=[study["chosen"]], y=[study["chosen_dev"]], mode="markers",
                             name=f"chosen: smoothing {study['chosen']:g}",
                             marker={"size": 14, "color": "#d62728", "symbol": "star"}))
    fig.add_hline(y=study["bigram"]["dev"], line_dash="dot", line_color="#555",
                  annotation_text=f"bigram counts, add-one: {study['bigram']['dev']:.3f}",
                  annotation_position="bottom right")
    low, high = min(study["dev_nll"]), max(max(study["dev_nll"]), study["bigram"]["dev"])
    fig.update_layout(title="Smoothing tuned on dev", xaxis_type="log",
                      xaxis_title="smoothing s (added to every count)",
                      yaxis_title="mean NLL on dev", height=400,
                      yaxis_range=[low - 0.03, high + 0.03],
                      legend={"orientation": "h", "y": -0.25},
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


@cache_data(show_spinner=False)
def reference_smoothing() -> go.Figure:
    """The saved smoothing sweep on the chapter's split."""
    return smoothing_figure(experiments.tuning_results()["trigram"])


# ---------------------------------------------------------------------------------------------
# Section 4: the decay, seen in the reference run


def decay_figure(run: Mapping[str, Any], around: int = 30_000) -> go.Figure:
    """The reference run's mean minibatch loss per `log_every` steps, `around` steps either side
    of its learning-rate decay."""
    every, at = run["log_every"], run["decay_at"]
    curve = run["loss_curve"].tolist() if hasattr(run["loss_curve"], "tolist") else \
        list(run["loss_curve"])
    lo, hi = max(0, (at - around) // every), min(len(curve), (at + around) // every)
    steps = [(i + 1) * every for i in range(lo, hi)]
    fig = go.Figure(go.Scatter(x=steps, y=curve[lo:hi], mode="lines",
                               name=f"mean minibatch loss per {every} steps",
                               line={"color": "#08519c", "width": 1}))
    fig.add_vline(x=at, line_dash="dash", line_color="#d62728",
                  annotation_text="rate 0.1 → 0.01", annotation_position="top right")
    fig.update_layout(title=f"The reference run around its decay at step {at:,}",
                      xaxis_title="step", yaxis_title="loss", height=360,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


@cache_data(show_spinner=False)
def reference_decay() -> go.Figure:
    """The saved reference run (section 3's) around its decay."""
    from utils.experiments.makemore_mlp.model import reference_run

    return decay_figure(reference_run())
