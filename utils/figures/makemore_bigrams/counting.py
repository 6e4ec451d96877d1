"""Figures for chapter 4.1's sections 1-3 (names, counting, sampling). Colab-safe: no Streamlit.

Each figure names the data it was drawn from (`source`), since the chapter's names are
makemore's names.txt where it is on disk and the offline SSA names elsewhere. The `your_*`
functions are the notebook's stand-ins for the page's buttons: they draw from the learner's own
functions in `namespace` (say `globals()`) that pass their checks, and from the reference's for
the rest (utils/figures/makemore_bigrams/yours.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from solutions import makemore_bigrams as reference
from utils.caching import cache_data
from utils.experiments.makemore_bigrams.counting import (chapter_names, learner_samples,
                                                         name_stats, reference_model, samples,
                                                         uniform_model)
from utils.figures.makemore_bigrams.yours import passing, whose

MARGIN = {"l": 10, "r": 10, "t": 60, "b": 10}


def short_source(source: str) -> str:
    return "names.txt" if source.startswith("names.txt") else "offline SSA names"


@cache_data(show_spinner=False)
def name_lengths() -> go.Figure:
    """How many names have each length."""
    stats = name_stats(chapter_names())
    fig = go.Figure(go.Bar(x=list(stats.lengths), y=list(stats.lengths.values()),
                           marker_color="#4c78a8",
                           hovertemplate="%{y} names of %{x} letters<extra></extra>"))
    fig.update_layout(title=f"Name lengths: {stats.count:,} names ({short_source(stats.source)})",
                      xaxis={"title": "letters", "dtick": 1}, yaxis_title="names",
                      height=320, margin=MARGIN)
    return fig


@cache_data(show_spinner=False)
def first_and_last_letters() -> go.Figure:
    """How many names start (left) and end (right) with each letter, alphabetically."""
    stats = name_stats(chapter_names())
    letters = [chr(ord("a") + i) for i in range(26)]
    fig = make_subplots(rows=1, cols=2, subplot_titles=("first letter", "last letter"),
                        shared_yaxes=True, horizontal_spacing=0.04)
    for col, counts, colour in ((1, stats.first_letters, "#4c78a8"),
                                (2, stats.last_letters, "#e45756")):
        fig.add_trace(go.Bar(x=letters, y=[counts.get(c, 0) for c in letters],
                             marker_color=colour, showlegend=False,
                             hovertemplate="%{y} names<extra>%{x}</extra>"), row=1, col=col)
    fig.update_yaxes(title_text="names", row=1, col=1)
    fig.update_layout(title=f"Where names start and end ({short_source(stats.source)})",
                      height=340, margin=MARGIN)
    return fig


def count_heatmap(N: Sequence[Sequence[int]] | Any, itos: Mapping[int, str],
                  title: str) -> go.Figure:
    """The count matrix as a grid, each cell labelled with its bigram and its count (Karpathy's
    picture of the table): row = first symbol, column = the symbol that follows."""
    rows = [[int(c) for c in row] for row in (N.tolist() if hasattr(N, "tolist") else N)]
    v = len(rows)
    symbols = [itos[i] for i in range(v)]
    text = [[f"{symbols[i]}{symbols[j]}<br>{rows[i][j]}" for j in range(v)] for i in range(v)]
    fig = go.Figure(go.Heatmap(
        z=rows, x=symbols, y=symbols, text=text, texttemplate="%{text}",
        textfont={"size": 8}, colorscale="Blues", showscale=False, xgap=1, ygap=1,
        hovertemplate="'%{y}' then '%{x}': %{z} times<extra></extra>"))
    size = max(420, 30 * v)
    fig.update_layout(title={"text": title, "y": 0.99, "yanchor": "top"}, width=size,
                      height=size + 70, margin={**MARGIN, "t": 100},
                      xaxis={"side": "top", "title": "next symbol", "dtick": 1,
                             "constrain": "domain"},
                      yaxis={"autorange": "reversed", "title": "symbol", "dtick": 1,
                             "scaleanchor": "x"})
    return fig


@cache_data(show_spinner=False)
def reference_heatmap() -> go.Figure:
    model = reference_model()
    return count_heatmap(model.N, model.itos, f"Bigram counts N, the reference's, on the "
                                               f"{short_source(model.source)}")


LONGEST_SHOWN = 36  # letters of a name a table cell shows in full


def _cell(name: str) -> str:
    if not name:
        return "''"
    if len(name) > LONGEST_SHOWN:
        return f"{name[:LONGEST_SHOWN - 6]}… ({len(name)} letters)"
    return name


def samples_table(columns: Mapping[str, Sequence[str]], title: str) -> go.Figure:
    """Names side by side, one column per model; an empty name shows as '', a very long one cut
    short with its length."""
    shown = {name: [_cell(w) for w in names] for name, names in columns.items()}
    n = max(len(names) for names in shown.values())
    fig = go.Figure(go.Table(
        header={"values": list(shown), "align": "left", "font": {"size": 13}},
        cells={"values": list(shown.values()), "align": "left", "font": {"size": 13,
                                                                        "family": "monospace"},
               "height": 24}))
    fig.update_layout(title=title, height=90 + 26 * n, margin=MARGIN)
    return fig


@cache_data(show_spinner=False)
def reference_samples(n: int = 15, seed: int = 2147483647) -> go.Figure:
    model = reference_model()
    return samples_table(
        {"bigram model (smoothing 1)": samples(reference.sample_names, model.P, model.itos, n,
                                               seed),
         "uniform model": samples(reference.sample_names, uniform_model(len(model.stoi)),
                                  model.itos, n, seed)},
        f"{n} names from each model, seed {seed} (reference code, {short_source(model.source)})")


def your_counts(namespace: Mapping[str, Any]) -> go.Figure:
    """Notebook: the heatmap of your bigram_counts (with your build_vocab) on the chapter's
    names; the reference's while your bigram_counts does not pass its check (a stub included)."""
    names = ("build_vocab", "bigram_counts")
    chosen, yours = passing(namespace, names)
    if "bigram_counts" not in yours:
        return reference_heatmap()
    words = list(chapter_names().words)
    stoi, itos = chosen["build_vocab"](words)
    N = chosen["bigram_counts"](words, stoi)
    title = ("Your bigram counts" if len(yours) == len(names) else
             f"Bigram counts from {whose(names, yours)}")
    return count_heatmap(N, itos, f"{title} on the {short_source(chapter_names().source)}")


def your_samples(namespace: Mapping[str, Any], n: int = 15,
                 seed: int = 2147483647) -> go.Figure:
    """Notebook: n names from your model (your build_vocab, bigram_counts, bigram_probs and
    sample_names) beside n from the uniform model; the reference's for any of them that does not
    pass its check yet (a stub included)."""
    names = ("build_vocab", "bigram_counts", "bigram_probs", "sample_names")
    chosen, yours = passing(namespace, names)
    if not yours:
        return reference_samples(n, seed)
    data = learner_samples(chosen, chapter_names().words, n, seed)
    return samples_table({"your bigram model": data["model"], "uniform model": data["uniform"]},
                         f"{n} names from {whose(names, yours)}, seed {seed} "
                         f"({short_source(chapter_names().source)})")


@cache_data(show_spinner=False)
def smoothing_row(symbol: str = "q", smoothings: tuple[int, ...] = (0, 1, 10, 100)) -> go.Figure:
    """One row of P (what follows `symbol`) for several smoothings: larger ones flatten it
    towards the uniform 1/v."""
    model = reference_model()
    row = model.stoi[symbol]
    symbols = [model.itos[i] for i in range(len(model.itos))]
    fig = go.Figure()
    for s in smoothings:
        P = reference.bigram_probs(model.N, s)
        fig.add_trace(go.Bar(x=symbols, y=P[row].tolist(), name=f"smoothing {s}",
                             hovertemplate=f"P('%{{x}}' after '{symbol}') = %{{y:.3f}}"
                                           f"<extra>smoothing {s}</extra>"))
    fig.add_hline(y=1 / len(symbols), line_dash="dot", line_color="grey",
                  annotation_text=f"uniform 1/{len(symbols)}", annotation_position="top right")
    total = int(model.N[row].sum())
    fig.update_layout(title=f"What follows '{symbol}' ({total} times in the "
                            f"{short_source(model.source)}), for several smoothings",
                      barmode="group", xaxis_title="next symbol",
                      yaxis_title=f"P[{symbol!r}, next]", height=360, margin=MARGIN,
                      legend={"orientation": "h", "y": -0.25})
    return fig
