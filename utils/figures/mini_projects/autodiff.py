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
    fig.update_layout(barmode="group", height=420, yaxis_type="log",
                      yaxis_title="milliseconds for the whole Jacobian (log scale)",
                      title=f"f(x) = tanh(Ax): the Jacobian by torch.func.jvp vs torch.func.vjp "
                            f"(median of {costs['repeats']}, {costs['machine']})")
    return fig
