"""Figures for chapter 4.1's sections 4-5 (the likelihood, the neural bigram); drawing only
(Colab-safe: no Streamlit). What they draw is measured in utils/experiments/makemore_bigrams/."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from utils.experiments.makemore_bigrams import neural as experiments

BAR = "#4c78a8"
INFINITE = "#d62728"
MEAN = "#f58518"


def _short(source: str) -> str:
    """A data source's name short enough for a figure title."""
    return "the offline SSA names" if "SSA" in source else source


# --- Section 4 ---------------------------------------------------------------------------------


def name_nll_figure(name: str = "emma", smoothing: int = 1) -> go.Figure:
    """One name's bigrams and the -ln p the count model (add-`smoothing`) gives each, with their
    mean; a bigram of probability 0 is drawn as a red bar marked ∞."""
    model = experiments.count_model(smoothing)
    word = experiments.check_name(name, model.stoi)
    scores = experiments.name_scores(word, model)
    finite = [s.nll for s in scores if math.isfinite(s.nll)]
    top = max(finite + [experiments.uniform_nll(len(model.stoi))]) * 1.25
    mean = sum(s.nll for s in scores) / len(scores)
    fig = go.Figure(go.Bar(
        x=[f"{s.bigram[0]} → {s.bigram[1]}" for s in scores],
        y=[s.nll if math.isfinite(s.nll) else top for s in scores],
        marker_color=[BAR if math.isfinite(s.nll) else INFINITE for s in scores],
        text=[f"p = {s.p:.3g}" if s.p > 0 else "p = 0: ∞" for s in scores],
        textposition="outside",
        customdata=[[s.count, s.p] for s in scores],
        hovertemplate="%{x}<br>seen %{customdata[0]} times<br>p = %{customdata[1]:.4g}"
                      "<extra></extra>",
        name="−ln p"))
    fig.add_hline(y=experiments.uniform_nll(len(model.stoi)), line_dash="dot",
                  line_color="grey", annotation_text="uniform model: ln 27",
                  annotation_position="top left")
    if math.isfinite(mean):
        fig.add_hline(y=mean, line_color=MEAN, annotation_text=f"mean {mean:.3f}",
                      annotation_position="bottom right")
    log_likelihood = -sum(s.nll for s in scores)
    likelihood = (f"likelihood {math.exp(log_likelihood):.3g}" if math.isfinite(log_likelihood)
                  else "likelihood 0")
    fig.update_layout(
        title=f"'{word}' under the count model (smoothing {smoothing}) of {_short(model.source)}"
              f": {likelihood}, mean NLL {mean:.3f}",
        yaxis_title="−ln p (nats)", xaxis_title="bigram", height=400, showlegend=False,
        yaxis_range=[0, top * 1.12], margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig


def smoothing_figure() -> go.Figure:
    """Mean NLL against the amount of add-s smoothing, on the names counted and on held-out
    names (s = 0 is off the log axis: the caption says what it gives)."""
    sweep = experiments.smoothing_sweep()
    shown = [i for i, s in enumerate(sweep.smoothings) if s > 0]
    xs = [sweep.smoothings[i] for i in shown]
    fig = go.Figure()
    for values, label, dash in ((sweep.train, f"the {sweep.n_train:,} names counted", "solid"),
                                (sweep.held_out, f"{sweep.n_held_out:,} held-out names", "dash")):
        fig.add_trace(go.Scatter(x=xs, y=[values[i] for i in shown], mode="lines+markers",
                                 name=label, line_dash=dash,
                                 hovertemplate="smoothing %{x}<br>mean NLL %{y:.4f}"
                                               "<extra></extra>"))
    zero = sweep.smoothings.index(0) if 0 in sweep.smoothings else None
    if zero is not None:
        held = sweep.held_out[zero]
        fig.add_annotation(
            x=0, y=1, xref="paper", yref="paper", xanchor="left", yanchor="top",
            showarrow=False, align="left",
            text=f"smoothing 0: {sweep.train[zero]:.4f} on the names counted, "
                 f"{'∞' if math.isinf(held) else f'{held:.4f}'} on the held-out names")
    fig.update_layout(
        title=f"Mean NLL of the count model against add-s smoothing ({_short(sweep.source)})",
        xaxis_title="smoothing s added to every count (log scale)", xaxis_type="log",
        yaxis_title="mean NLL (nats per bigram)", height=420,
        legend={"x": 0.02, "y": 0.85}, margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig
