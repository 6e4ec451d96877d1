"""The expression-graph viewer shared by chapter 3 (micrograd's scalar `Value`) and chapter 5.4
(the NumPy tensor engine): any graph, described as plain data, drawn with each node's value and
gradient and its step in the backward pass.

A description is `{"nodes": [...]}`, the nodes in topological order (inputs first), each a dict
with `id` (str), `parents` (ids of nodes listed earlier), `step` (int: 0 for the output, counting
up in backward order), `label`, `value`, `grad` (text, or None) and optionally `is_input`.
Descriptions may come back from the sandbox, so `validated_graph` checks them before drawing.
"""

from __future__ import annotations

import plotly.graph_objects as go


def _layers(nodes: list[dict]) -> dict[str, int]:
    """Column of each node: inputs at 0, every other node one right of its furthest parent."""
    column: dict[str, int] = {}
    for node in nodes:  # topological order: parents come first
        column[node["id"]] = 1 + max((column[p] for p in node["parents"] if p in column),
                                     default=-1)
    return column


def validated_graph(data: object) -> list[dict]:
    """The nodes of a graph description, checked (it may come from the sandbox)."""
    nodes = data.get("nodes") if isinstance(data, dict) else None
    if not isinstance(nodes, list) or not 0 < len(nodes) <= 300:
        raise ValueError("the graph description has no nodes (or too many)")
    ids = set()
    for node in nodes:
        if not isinstance(node, dict) or not isinstance(node.get("id"), str) or \
                not isinstance(node.get("parents"), list) or \
                not all(isinstance(p, str) and p in ids for p in node["parents"]) or \
                not isinstance(node.get("step"), int):
            raise ValueError("a node of the graph description is malformed")
        for key in ("label", "value"):
            node[key] = str(node.get(key, ""))[:200]
        node["grad"] = None if node.get("grad") is None else str(node["grad"])[:200]
        ids.add(node["id"])
    return nodes


def computational_graph(data: dict) -> go.Figure:
    """Any expression's graph: inputs on the left, each operation right of its inputs, labelled
    with its value and gradient; darker nodes are visited earlier by backprop (step 0 = output)."""
    nodes = validated_graph(data)
    column = _layers(nodes)
    rows: dict[int, int] = {}
    position = {}
    for node in nodes:
        c = column[node["id"]]
        position[node["id"]] = (c, -rows.get(c, 0))
        rows[c] = rows.get(c, 0) + 1
    fig = go.Figure()
    for node in nodes:
        x, y = position[node["id"]]
        for parent in node["parents"]:
            px_, py_ = position[parent]
            fig.add_annotation(x=x - 0.1, y=y, ax=px_ + 0.1, ay=py_, xref="x", yref="y",
                               axref="x", ayref="y", showarrow=True, arrowhead=2,
                               arrowcolor="#adb5bd", arrowwidth=2)
    labels = [f"<b>{n['label']}</b><br>{n['value']}<br>grad {n['grad'] or '—'}<br>"
              f"step {n['step']}" for n in nodes]
    fig.add_trace(go.Scatter(
        x=[position[n["id"]][0] for n in nodes], y=[position[n["id"]][1] for n in nodes],
        mode="markers+text", text=labels, textposition="bottom center", hoverinfo="text",
        marker={"size": 26, "color": [n["step"] for n in nodes], "colorscale": "Oranges",
                "reversescale": True, "symbol": ["square" if n.get("is_input") else "circle"
                                                 for n in nodes],
                "line": {"width": 1, "color": "#495057"}}))
    depth = max(rows.values())
    fig.update_layout(height=180 + 130 * depth, showlegend=False,
                      margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      xaxis={"visible": False, "range": [-0.5, max(column.values()) + 0.5]},
                      yaxis={"visible": False, "range": [-depth + 0.2, 0.6]})
    return fig
