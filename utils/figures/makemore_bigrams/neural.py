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
                  annotation_position="top right")
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


# --- Section 5 ---------------------------------------------------------------------------------

REFERENCE = "#4c78a8"
YOURS = "#e45756"
COUNT = "#54a24b"


def _last_step_note(fig: go.Figure, losses: list[float], count_nll: float, color: str,
                    offset_px: int) -> None:
    last = len(losses) - 1
    fig.add_annotation(x=last, y=losses[-1], ax=-90, ay=offset_px, showarrow=True,
                       arrowcolor=color, font_color=color,
                       text=f"step {last}: {losses[-1]:.4f}, {losses[-1] - count_nll:+.4f} from "
                            "its count model (the loss includes the penalty)")


def training_figure(own: dict | None = None) -> go.Figure:
    """The loss at every step of the page's reference run, with the count model's NLL on the
    same names as a horizontal line; and a learner's run (utils/demos) when given."""
    run = experiments.reference_run()
    s = run["settings"]
    fig = go.Figure(go.Scatter(
        x=list(range(len(run["losses"]))), y=run["losses"], mode="lines", line_color=REFERENCE,
        name=f"reference: all {run['n_bigrams']:,} bigrams, lr {s['lr']:g}",
        hovertemplate="step %{x}<br>loss %{y:.4f}<extra></extra>"))
    fig.add_hline(y=run["count_nll"], line_color=COUNT, line_dash="dash",
                  annotation_text=f"count model (add-one): {run['count_nll']:.4f}",
                  annotation_position="top right")
    if own is not None:
        fig.add_trace(go.Scatter(
            x=list(range(len(own["losses"]))), y=own["losses"], mode="lines", line_color=YOURS,
            name=f"yours: {own['n_bigrams']:,} bigrams of {own['n_words']:,} names",
            hovertemplate="step %{x}<br>loss %{y:.4f}<extra></extra>"))
        fig.add_hline(y=own["count_nll"], line_color=YOURS, line_dash="dot",
                      annotation_text=f"your count model on those names: "
                                      f"{own['count_nll']:.4f}",
                      annotation_position="bottom right")
    # The curves end within a few hundredths of their count models, too close to see at this
    # scale: the last step's loss and its gap are written beside it.
    _last_step_note(fig, run["losses"], run["count_nll"], REFERENCE, -45)
    if own is not None:
        _last_step_note(fig, own["losses"], own["count_nll"], YOURS, 45)
    fig.update_layout(
        title=f"Training the neural bigram by gradient descent ({_short(run['source'])}, "
              f"regularization {s['regularization']:g})",
        xaxis_title="step", yaxis_title="loss (mean NLL + penalty)", height=420,
        yaxis_range=[2.3, 4.0], legend={"x": 0.45, "y": 0.95},
        margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig


def _labels(run: dict) -> list[str]:
    return list(run["symbols"])


def weights_figure() -> go.Figure:
    """The trained W beside ln(N + 1) with each row moved by its constant c_i (the fit in
    experiments.row_fit): the same picture if W is the log of the counts up to one constant per
    row."""
    import torch
    from plotly.subplots import make_subplots

    run = experiments.reference_run()
    fit = experiments.run_row_fit(run)
    W = torch.tensor(run["W"])
    N = experiments.count_model().N
    shifted = ((N.double() + 1).log() + fit.offsets[:, None]).tolist()
    labels = _labels(run)
    fig = make_subplots(1, 2, horizontal_spacing=0.08,
                        subplot_titles=("trained W (the logits)",
                                        "ln(N + 1), each row moved by its constant"))
    low = min(float(W.min()), min(map(min, shifted)))
    high = max(float(W.max()), max(map(max, shifted)))
    for col, z, what in ((1, W.tolist(), "W"), (2, shifted, "ln(N+1) + c")):
        fig.add_trace(go.Heatmap(
            z=z, x=labels, y=labels, coloraxis="coloraxis", name=what,
            customdata=N.tolist(),
            hovertemplate=f"%{{y}} → %{{x}}<br>{what} = %{{z:.2f}}<br>count %{{customdata}}"
                          "<extra></extra>"), 1, col)
    fig.update_yaxes(autorange="reversed", title_text="previous symbol", col=1)
    fig.update_yaxes(autorange="reversed", col=2)
    fig.update_xaxes(title_text="next symbol", tickmode="array", tickvals=labels)
    fig.update_yaxes(tickmode="array", tickvals=labels)
    fig.update_layout(coloraxis={"colorscale": "Viridis", "cmin": low, "cmax": high},
                      title=f"After {len(run['losses'])} steps ({_short(run['source'])})",
                      height=460, margin={"l": 10, "r": 10, "t": 80, "b": 10})
    return fig


def weights_scatter() -> go.Figure:
    """Every entry of W against ln(N + 1) + c_i, coloured by how often the bigram occurs: on the
    diagonal where the data says a lot, off it where it says little."""
    import torch

    run = experiments.reference_run()
    fit = experiments.run_row_fit(run)
    W = torch.tensor(run["W"], dtype=torch.float64)
    N = experiments.count_model().N
    target = (N.double() + 1).log() + fit.offsets[:, None]
    labels = _labels(run)
    fig = go.Figure()
    bands = ((0, 1, "never seen", "#bab0ac"),) + tuple(
        (low, high if high is not None else math.inf,
         f"seen {low}-{high - 1} times" if high is not None else f"seen {low}+ times", colour)
        for (low, high), colour in zip(experiments.COUNT_BANDS,
                                       ("#f58518", "#eeca3b", "#72b7b2", "#4c78a8")))
    for low, high, name, colour in bands:
        mask = (N >= low) & (N < high)
        idx = mask.nonzero().tolist()
        fig.add_trace(go.Scatter(
            x=[float(target[i, j]) for i, j in idx], y=[float(W[i, j]) for i, j in idx],
            mode="markers", name=f"{name} ({len(idx)})", marker={"color": colour, "size": 6},
            text=[f"{labels[i]} → {labels[j]}: count {int(N[i, j])}" for i, j in idx],
            hovertemplate="%{text}<br>ln(N+1) + c = %{x:.2f}<br>W = %{y:.2f}<extra></extra>"))
    low = float(min(target.min(), W.min()))
    high = float(max(target.max(), W.max()))
    fig.add_trace(go.Scatter(x=[low, high], y=[low, high], mode="lines", name="W = ln(N+1) + c",
                             line={"color": "black", "dash": "dot", "width": 1}))
    fig.update_layout(title="Each weight against the log of its count, moved by its row's "
                            "constant", xaxis_title="ln(N + 1) + c_row",
                      yaxis_title="trained W", height=460,
                      margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig


def your_training(namespace: dict, steps: int = 100) -> go.Figure:
    """Notebook: train the neural bigram with your own build_vocab, bigram_pairs and
    train_neural_bigram (from `namespace`, e.g. globals()) on every 4th name, as the page's
    "Train my model" does, and draw its loss beside the reference run. Until your
    train_neural_bigram passes its check, the reference run alone; any other function that does
    not pass yet is the reference's (neural_bigram_loss too, inside your training loop)."""
    from solutions import makemore_bigrams as reference
    from utils.checks.learner_names import reference_names
    from utils.demos.makemore_bigrams.neural import EVERY
    from utils.figures.makemore_bigrams.yours import passing

    names = ("build_vocab", "bigram_pairs", "neural_bigram_loss", "train_neural_bigram",
             "bigram_counts", "bigram_probs", "mean_nll")
    chosen, yours = passing(namespace, names)
    if "train_neural_bigram" not in yours:
        fig = training_figure()
        fig.update_layout(title="Your train_neural_bigram is not written yet or does not pass "
                                "its check: the reference run")
        return fig
    train = chosen["train_neural_bigram"]
    stand_ins = () if "neural_bigram_loss" in yours else ("neural_bigram_loss",)
    with reference_names(getattr(train, "__globals__", None), reference, stand_ins):
        own = experiments.train_namespace(chosen, steps, EVERY)
    return training_figure(own)
