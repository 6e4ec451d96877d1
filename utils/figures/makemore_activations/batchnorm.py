"""Figures for chapter 4.3's sections 4-5 (batch norm, the diagnostics). Drawing only
(Colab-safe: no Streamlit); the numbers come from utils/experiments/makemore_activations/
batchnorm.py (saved runs) and utils/demos/makemore_activations/batchnorm.py (the learner's run).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from utils.caching import cache_data
from utils.experiments.makemore_activations import batchnorm as experiments

LAYER_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")
KINDS = {"activations": "tanh outputs", "gradients": "gradients at the tanh outputs",
         "weight gradients": "weight gradients", "update ratios": "update-to-data ratio"}
WHEN = {"init": "at initialisation", "end": "after {steps:,} steps"}


# ---------------------------------------------------------------------------------------------
# Section 4: sensitivity to the initial scale


@cache_data(show_spinner=False)
def gain_sweep_figure() -> go.Figure:
    """The dev loss after the sweep's steps against the gain of every hidden weight, with and
    without batch norm (log x axis), Kaiming's 5/3 marked."""
    sweep = experiments.bn_runs()["gain_sweep"]
    fig = go.Figure()
    for key, name, colour in (("bn", "with batch norm", "#1f77b4"),
                              ("no_bn", "without batch norm", "#d62728")):
        fig.add_trace(go.Scatter(x=sweep["gains"], y=sweep[key]["dev"], mode="lines+markers",
                                 name=name, line={"color": colour}))
    devs = [v for key in ("bn", "no_bn") for v in sweep[key]["dev"] if v is not None]
    lowest, highest = min(devs), max(devs)
    fig.add_vline(x=5 / 3, line={"dash": "dot", "color": "grey"},
                  annotation_text="Kaiming's 5/3", annotation_position="top")
    fig.update_layout(title=f"Dev loss after {sweep['steps']:,} steps at rate {sweep['lr']:g}, "
                            "by the scale of the initial weights",
                      xaxis={"title": "gain (every hidden weight × gain / √fan_in)",
                             "type": "log", "range": [math.log10(min(sweep["gains"])) - 0.1,
                                                      math.log10(max(sweep["gains"])) + 0.1]},
                      yaxis={"title": "dev loss",
                             "range": [lowest - 0.05, highest + 0.05]},
                      height=440, margin={"t": 60},
                      legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": 1.06})
    return fig


# ---------------------------------------------------------------------------------------------
# Section 5: the diagnostics


def _centres(lo: float, hi: float, bins: int) -> list[float]:
    width = (hi - lo) / bins
    return [lo + width * (i + 0.5) for i in range(bins)]


def _add_histograms(fig: go.Figure, snap: Mapping[str, Any], kind: str, col: int,
                    legend: bool) -> None:
    if kind == "activations":
        hists, lo, hi = snap["act_hist"], -1.0, 1.0
        labels = [f"layer {i + 1}: mean {d['mean']:+.2f}, std {d['std']:.2f}, saturated "
                  f"{100 * d['saturated']:.1f}%" for i, d in enumerate(snap["act_stats"])]
    elif kind == "gradients":
        edge = snap["grad_edge"]
        hists, lo, hi = snap["grad_hist"], -edge, edge
        labels = [f"layer {i + 1}: mean {d['mean']:+.1e}, std {d['std']:.1e}"
                  for i, d in enumerate(snap["grad_stats"])]
    else:
        edge = snap["wgrad_edge"]
        hists, lo, hi = snap["wgrad_hist"], -edge, edge
        labels = [f"W{i + 1} {tuple(s)}: grad:data {r:.1e}" for i, (s, r) in
                  enumerate(zip(snap["wgrad_shapes"], snap["wgrad_ratio"]))]
    x = _centres(lo, hi, len(hists[0]))
    for i, (h, label) in enumerate(zip(hists, labels)):
        fig.add_trace(go.Scatter(x=x, y=h, mode="lines", name=label, legendgroup=f"c{col}",
                                 legendgrouptitle_text=None, showlegend=True,
                                 line={"color": LAYER_COLOURS[i % len(LAYER_COLOURS)]}),
                      row=1, col=col)


def _add_ratios(fig: go.Figure, run: Mapping[str, Any], col: int) -> None:
    ratios = run["ratios"]
    steps = list(range(len(ratios)))
    shapes = run["end"]["wgrad_shapes"]
    for i, shape in enumerate(shapes):
        fig.add_trace(go.Scatter(x=steps, y=[r[i] for r in ratios], mode="lines",
                                 name=f"W{i + 1} {tuple(shape)}", legendgroup=f"c{col}",
                                 line={"color": LAYER_COLOURS[i % len(LAYER_COLOURS)],
                                       "width": 1}),
                      row=1, col=col)
    fig.add_hline(y=-3, line={"dash": "dash", "color": "black"}, row=1, col=col,
                  annotation_text="-3", annotation_position="bottom right")


def diagnostics_figure(runs: Mapping[str, Mapping[str, Any]], kind: str,
                       when: str = "end") -> go.Figure:
    """Runs side by side (title -> run of `experiments.diagnose_run`), one panel each: per-layer
    histograms of `kind` ("activations", "gradients", "weight gradients") `when` ("init" or
    "end"), or the update-to-data ratio of every weight over the steps ("update ratios")."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {list(KINDS)}, got {kind!r}")
    titles = list(runs)
    # One y scale for the ratios, so that -5 and -2 look as far apart in both panels.
    # The tanh outputs' histograms too (both on [-1, 1]): a panel's density next to the other's.
    fig = make_subplots(rows=1, cols=len(titles), subplot_titles=titles,
                        horizontal_spacing=0.08,
                        shared_yaxes=kind in ("update ratios", "activations"))
    for col, title in enumerate(titles, start=1):
        run = runs[title]
        if kind == "update ratios":
            _add_ratios(fig, run, col)
            fig.update_xaxes(title_text="step", row=1, col=col)
            fig.update_yaxes(title_text="log10(std(lr·grad) / std(data))" if col == 1 else None,
                             row=1, col=col)
        else:
            _add_histograms(fig, run[when], kind, col, legend=True)
            fig.update_xaxes(title_text="value", row=1, col=col)
            # From 0: a y axis cut at 0.3 made the healthy tanh outputs' mild U look like a
            # network piled up at ±1.
            fig.update_yaxes(title_text="density" if col == 1 else None, rangemode="tozero",
                             row=1, col=col)
    steps = next(iter(runs.values()))["settings"]["steps"]
    what = KINDS[kind] + ("" if kind == "update ratios" else
                          " " + WHEN[when].format(steps=steps))
    fig.update_layout(title=what[0].upper() + what[1:], height=470,
                      margin={"t": 80, "b": 40},
                      legend={"orientation": "h", "y": -0.22, "font": {"size": 10},
                              "groupclick": "toggleitem"})
    for annotation in fig.layout.annotations[:len(titles)]:
        annotation.font = {"size": 12}
    return fig


@cache_data(show_spinner=False)
def case_figure(left: str, right: str, kind: str, when: str = "end") -> go.Figure:
    """Two of the saved cases (keys of experiments.CASES) side by side."""
    saved = experiments.bn_runs()["diagnostics"]
    return diagnostics_figure({saved[left]["label"]: saved[left],
                               saved[right]["label"]: saved[right]}, kind, when)


def ratio_table(cases: tuple[str, ...] = tuple(experiments.CASES)) -> go.Figure:
    """Per saved case: the dev loss and the mean update ratio of each weight over the last
    100 steps."""
    saved = experiments.bn_runs()["diagnostics"]
    rows = []
    for case in cases:
        run = saved[case]
        tail = run["ratios"][-100:]
        means = [sum(r[i] for r in tail) / len(tail) for i in range(len(tail[0]))]
        rows.append((run["label"], f"{run['dev']:.3f}", ", ".join(f"{m:.2f}" for m in means)))
    cols = list(zip(*rows))
    return go.Figure(go.Table(
        header={"values": ["network", f"dev loss after {experiments.DIAG_STEPS:,} steps",
                           "update ratio W1 … W6 (mean of the last 100 steps)"],
                "align": "left"},
        cells={"values": cols, "align": "left"}),
        layout={"height": 60 + 24 * len(rows), "margin": {"t": 10, "b": 10, "l": 10, "r": 10}})


def your_diagnostics(namespace: Mapping[str, Any], kind: str = "activations",
                     when: str = "end", **settings: Any) -> go.Figure:
    """Notebook: run the deep network with your own BatchNorm1d, activation_stats,
    gradient_stats and update_ratios (from `namespace`, e.g. globals(); the reference stands in
    for any still unwritten) and draw `kind` next to the saved healthy run."""
    from utils.demos.makemore_activations.batchnorm import (diagnose_my_network,
                                                             reference_classes, with_fallbacks)

    ns, stood_in = with_fallbacks(namespace)
    with reference_classes(namespace, stood_in):
        own = diagnose_my_network(ns, **settings)
    title = "yours" + (f" (the reference {', '.join(sorted(stood_in))})" if stood_in else "")
    healthy = experiments.bn_runs()["diagnostics"]["healthy"]
    return diagnostics_figure({title: own, "reference: " + healthy["label"]: healthy}, kind,
                              when)
