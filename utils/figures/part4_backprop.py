"""Chapter 4's figures: computational graphs with forward values and gradients."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from solutions import part4_backprop as sol

# The graph of g = log(a * b * log(c)): node -> (x, y position, parents).
_LAYOUT = {"a": (0, 2, ()), "b": (0, 1, ()), "c": (0, 0, ()), "d = a·b": (1, 1.5, ("a", "b")),
           "e = log c": (1, 0, ("c",)), "f = d·e": (2, 0.75, ("d = a·b", "e = log c")),
           "g = log f": (3, 0.75, ("f = d·e",))}


def expression_values(a: float, b: float, c: float) -> dict[str, tuple[float, float, int]]:
    """For each node: (forward value, dg/dnode, its position in the backward pass)."""
    A, B, C = (np.array([v]) for v in (a, b, c))
    d, e = A * B, np.log(C)
    f = d * e
    g = np.log(f)
    dg = np.ones_like(g)
    df = sol.log_back(dg, g, f)
    dd, de = sol.multiply_back0(df, f, d, e), sol.multiply_back1(df, f, d, e)
    da, db = sol.multiply_back0(dd, d, A, B), sol.multiply_back1(dd, d, A, B)
    dc = sol.log_back(de, e, C)
    values = {"a": (A, da, 6), "b": (B, db, 5), "c": (C, dc, 4), "d = a·b": (d, dd, 2),
              "e = log c": (e, de, 3), "f = d·e": (f, df, 1), "g = log f": (g, dg, 0)}
    return {k: (float(v[0]), float(gr[0]), order) for k, (v, gr, order) in values.items()}


@st.cache_data
def expression_graph(a: float, b: float, c: float) -> go.Figure:
    """The graph, each node labelled with its value and its gradient; edges point forward, and
    the backward pass visits nodes in the numbered order."""
    values = expression_values(a, b, c)
    fig = go.Figure()
    for node, (x, y, parents) in _LAYOUT.items():
        for parent in parents:
            px_, py_, _ = _LAYOUT[parent]
            fig.add_annotation(x=x - 0.12, y=y, ax=px_ + 0.12, ay=py_, xref="x", yref="y",
                               axref="x", ayref="y", showarrow=True, arrowhead=2,
                               arrowcolor="#adb5bd", arrowwidth=2)
    xs = [pos[0] for pos in _LAYOUT.values()]
    ys = [pos[1] for pos in _LAYOUT.values()]
    labels = [f"<b>{node}</b><br>value {values[node][0]:.4g}<br>∂g/∂· = {values[node][1]:.4g}"
              f"<br>backward step {values[node][2]}" for node in _LAYOUT]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers+text", text=labels,
                             textposition="bottom center", hoverinfo="text",
                             marker={"size": 28, "color": [values[n][2] for n in _LAYOUT],
                                     "colorscale": "Oranges", "reversescale": True,
                                     "line": {"width": 1, "color": "#495057"}}))
    fig.update_layout(height=430, showlegend=False, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      xaxis={"visible": False, "range": [-0.4, 3.4]},
                      yaxis={"visible": False, "range": [-0.8, 2.4]})
    return fig
