"""Figures for chapter 6's sections 3-5 (forward mode, autodiff in any language): drawing only
(Colab-safe: no Streamlit)."""

from __future__ import annotations

import math
from typing import Callable

import plotly.graph_objects as go

from solutions.mini_projects import Dual
from utils.experiments.mini_projects.jacobians import jacobian_costs


def _f(x):
    """sin(x)·exp(x/3): works on floats and on Duals (Dual has .sin() and .exp())."""
    if isinstance(x, Dual):
        return x.sin() * (x / 3).exp()
    return math.sin(x) * math.exp(x / 3)


def tangent_figure(at: float = 1.0, f: Callable = _f,
                   text: str = "f(x) = sin(x)·exp(x/3)") -> go.Figure:
    """f and its tangent at `at`, the slope read from one evaluation on Dual(at, 1)."""
    d = f(Dual(at, 1.0))
    xs = [i / 50 for i in range(-150, 301)]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=xs, y=[f(x) for x in xs], mode="lines", name=text))
    near = [x for x in xs if abs(x - at) <= 1.2]
    fig.add_trace(go.Scatter(x=near, y=[d.real + d.dual * (x - at) for x in near], mode="lines",
                             name=f"tangent: slope {d.dual:.4f} from f(Dual({at:g}, 1))",
                             line={"dash": "dash"}))
    fig.add_trace(go.Scatter(x=[at], y=[d.real], mode="markers", marker={"size": 10},
                             name=f"f({at:g}) = {d.real:.4f}"))
    fig.update_layout(height=380, xaxis_title="x", yaxis_title="f(x)",
                      title="One pass of dual numbers gives the value and the slope")
    return fig


def jacobian_cost_figure() -> go.Figure:
    """Seconds for a whole Jacobian in forward and reverse mode, per shape, with pass counts."""
    costs = jacobian_costs()
    labels = [f"{r['n']} inputs → {r['m']} output{'s' if r['m'] > 1 else ''}"
              for r in costs["rows"]]
    fig = go.Figure()
    for mode, colour in (("forward", "#1f77b4"), ("reverse", "#d62728")):
        rows = costs["rows"]
        fig.add_trace(go.Bar(x=labels, y=[r[f"{mode}_seconds"] * 1e3 for r in rows],
                             name=f"{mode} mode", marker_color=colour,
                             text=[f"{r[f'{mode}_passes']} pass{'es' if r[f'{mode}_passes'] > 1 else ''}"
                                   for r in rows], textposition="outside"))
    # dtick=1: one label per power of ten (plotly's default also labels 2 and 5 of each decade,
    # which crowd each other on a 420-pixel axis spanning five decades)
    fig.update_yaxes(dtick=1)
    fig.update_layout(barmode="group", height=420, yaxis_type="log",
                      yaxis_title="milliseconds for the whole Jacobian (log scale)",
                      title=f"f(x) = tanh(Ax): the Jacobian by torch.func.jvp vs torch.func.vjp "
                            f"(median of {costs['repeats']}, {costs['machine']})")
    return fig


def engine_verdict_table(path: str = "engine_output.json") -> go.Figure:
    """Notebook: the verdict on an engine's output saved at `path`, one row per test-vector case
    (what it tests, right or what is wrong), as the page gives it; every case "not run yet"
    until the file exists."""
    from pathlib import Path

    from utils.checks.mini_projects.autodiff import engine_verdict
    from utils.experiments.mini_projects.autodiff import VECTORS_PATH, load_vectors

    cases = load_vectors()["cases"]
    rows = [(case["name"], case["about"], "not run yet") for case in cases]
    if not Path(path).exists():
        title = (f"Not yet: save your engine's output as {path} beside this notebook (your engine "
                 f"reads {VECTORS_PATH.relative_to(VECTORS_PATH.parents[2])})")
    else:
        try:
            found = engine_verdict(Path(path).read_text())
        except ValueError as err:
            title = f"{path} can't be read: {err}"
        else:
            rows = [(v.name, v.about, "right" if v.problem is None else v.problem) for v in found]
            right = sum(v.problem is None for v in found)
            title = f"{right} of {len(found)} cases are right"
    names, abouts, verdicts = zip(*rows)
    colours = ["#e8f5e9" if v == "right" else "#f5f5f5" if v == "not run yet" else "#ffebee"
               for v in verdicts]
    fig = go.Figure(go.Table(
        columnwidth=[1.2, 3, 4],
        header={"values": ["case", "what it tests", "verdict"], "align": "left"},
        cells={"values": [list(names), list(abouts), list(verdicts)], "align": "left",
               "fill_color": [colours] * 3}))
    fig.update_layout(title=title, height=min(1400, 120 + 28 * len(rows)),
                      margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig
