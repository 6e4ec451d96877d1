"""Figures for chapter 4.5's sections 0-3 (the hierarchy, FlattenConsecutive, batch norm over
(N, T, C)); Colab-safe, no Streamlit. The batch norm numbers come from
utils/experiments/makemore_wavenet/layers.py; the live ones from a run of the learner's code
(utils/demos/makemore_wavenet/layers.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from utils.demos.makemore_wavenet.layers import (BN_BATCHES, BN_OFFSETS, BN_SHAPE, FLATTEN_C,
                                                 FLATTEN_T, labelled_input)
from utils.experiments.makemore_wavenet.layers import batchnorm_measurements

MARGIN = {"l": 10, "r": 10, "t": 70, "b": 10}
NODE, EDGE, OUTPUT = "#1f77b4", "#9aa5b1", "#d62728"
POSITION_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                    "#e377c2", "#7f7f7f"]


# ---------------------------------------------------------------------------------------------
# Section 0: one layer against a tree


def _edges(fig: go.Figure, pairs: Sequence[tuple[tuple[float, float], tuple[float, float]]],
           col: int) -> None:
    xs, ys = [], []
    for (x0, y0), (x1, y1) in pairs:
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": EDGE, "width": 1.5},
                             hoverinfo="skip", showlegend=False), row=1, col=col)


def _nodes(fig: go.Figure, xs: Sequence[float], ys: Sequence[float], texts: Sequence[str],
           hovers: Sequence[str], col: int, colour: str = NODE, size: int = 30) -> None:
    fig.add_trace(go.Scatter(x=list(xs), y=list(ys), mode="markers+text", text=list(texts),
                             textfont={"color": "white", "size": 13},
                             marker={"size": size, "color": colour}, hovertext=list(hovers),
                             hoverinfo="text", showlegend=False), row=1, col=col)


def hierarchy_tree(context: str = ".isabell", target: str = "a") -> go.Figure:
    """Left: chapter 4.2's MLP widened to 8 symbols, one hidden layer that sees them all at once.
    Right: the hierarchy, pairs, then pairs of pairs, then the whole context."""
    if len(context) != 8:
        raise ValueError("the context must be 8 symbols long")
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.06, subplot_titles=(
        "One hidden layer sees all 8 at once", "A tree: pairs, pairs of pairs, the whole"))
    xs = np.arange(8, dtype=float)
    symbols = [f"position {i}: {c!r}" for i, c in enumerate(context)]
    nodes: list[tuple] = []  # drawn after every edge, so that lines stay under the circles
    # Left: 8 symbols -> one layer -> output.
    hidden = np.linspace(0.5, 6.5, 5)
    _edges(fig, [((x, 0), (h, 2)) for x in xs for h in hidden]
           + [((h, 2), (3.5, 3)) for h in hidden], 1)
    nodes += [(xs, [0] * 8, list(context), symbols, 1),
              (hidden, [2] * 5, [""] * 5,
               ["one tanh layer: every unit reads all 8 embeddings"] * 5, 1, NODE, 18),
              ([3.5], [3], [target], [f"predicts the next symbol ({target!r})"], 1, OUTPUT)]
    # Right: 8 -> 4 -> 2 -> 1 -> output.
    level = list(zip(xs, [0.0] * 8))
    nodes.append((xs, [0] * 8, list(context), symbols, 2))
    spans = [context[i:i + 1] for i in range(8)]
    edges = []
    for depth in (1, 2, 3):
        merged = [((level[2 * i][0] + level[2 * i + 1][0]) / 2, float(depth))
                  for i in range(len(level) // 2)]
        edges += [(level[2 * i + k], merged[i]) for i in range(len(merged)) for k in (0, 1)]
        spans = [spans[2 * i] + spans[2 * i + 1] for i in range(len(merged))]
        nodes.append(([m[0] for m in merged], [m[1] for m in merged], [""] * len(merged),
                      [f"level {depth}: merges {s!r} ({len(s)} symbols)" for s in spans], 2,
                      NODE, 22))
        level = merged
    _edges(fig, edges + [(level[0], (level[0][0], 4.0))], 2)
    nodes.append(([level[0][0]], [4.0], [target], [f"predicts the next symbol ({target!r})"], 2,
                  OUTPUT))
    for node in nodes:
        _nodes(fig, *node)
    for col in (1, 2):
        fig.update_xaxes(visible=False, range=[-0.6, 7.6], row=1, col=col)
        fig.update_yaxes(visible=False, range=[-0.6, 4.5], row=1, col=col)
    fig.update_layout(title=f"Predicting the symbol after the context {context!r}",
                      height=380, margin=MARGIN, plot_bgcolor="white")
    return fig


# ---------------------------------------------------------------------------------------------
# Section 2: which positions FlattenConsecutive merges


def _grid(values: np.ndarray) -> tuple[np.ndarray, list[list[str]]]:
    """Colour by source position (value // 10) and label 't,c' for labelled values."""
    ints = np.rint(values).astype(int)
    return ints // 10, [[f"x[{v // 10},{v % 10}]" for v in row] for row in ints]


def flatten_figure(own: Mapping[str, Any] | None = None, n: int = 2,
                   whose: str = "yours") -> go.Figure:
    """The labelled (1, 8, 2) input x[0, t, c] = 10 t + c as a grid (rows: positions, columns:
    channels) beside FlattenConsecutive(n)'s output: the reference's, or a learner's run."""
    x = labelled_input()[0].numpy()
    if own is None:
        from solutions.makemore_wavenet import FlattenConsecutive
        out = FlattenConsecutive(n)(labelled_input())
        values, shape, whose = out.numpy(), tuple(out.shape), "the reference"
    else:
        n = int(own["n"])
        values, shape = np.array(own["values"], dtype=float), tuple(own["shape"])
    rows = values.reshape(-1, values.shape[-1]) if values.ndim > 1 else values[None]
    fig = make_subplots(rows=1, cols=2, column_widths=[0.3, 0.7], horizontal_spacing=0.08,
                        subplot_titles=(f"x: shape (1, {FLATTEN_T}, {FLATTEN_C})",
                                        f"{whose}: shape {shape}"))
    fig.update_annotations(yshift=34)  # above the channel numbers
    colorscale = [[i / 7, c] for i, c in enumerate(POSITION_COLOURS)]
    for col, grid in ((1, x), (2, rows)):
        z, text = _grid(grid)
        fig.add_trace(go.Heatmap(z=z, text=text, texttemplate="%{text}", zmin=0, zmax=7,
                                 colorscale=colorscale, showscale=False, xgap=2, ygap=2,
                                 hovertemplate="row %{y}, column %{x}: %{text}<extra></extra>"),
                      row=1, col=col)
        fig.update_yaxes(autorange="reversed", title="position" if col == 1 else
                         "new position", dtick=1, row=1, col=col)
        fig.update_xaxes(dtick=1, side="top", row=1, col=col)
    fig.update_layout(title=f"FlattenConsecutive({n}): x[t,c] says where each number came from, "
                      "the colour its position in x", height=440,
                      margin={**MARGIN, "t": 115})
    return fig


# ---------------------------------------------------------------------------------------------
# Section 3: batch norm's statistics, per position (the bug) or per channel (the fix)


def batchnorm_counts_table() -> go.Figure:
    """Each batch norm layer of the chapter's model: its input, and the shape of its running
    mean and the number of values behind each statistic, with the bug and with the fix."""
    saved = batchnorm_measurements()
    bug, fix = saved["runs"]["bug"], saved["runs"]["fix"]
    rows = []
    for level, (shape, bug_shape, fix_shape) in enumerate(zip(
            fix["input_shapes"], bug["running_mean_shapes"], fix["running_mean_shapes"]), 1):
        per_bug = shape[0]
        per_fix = int(np.prod(shape[:-1]))
        rows.append((level, shape, bug_shape, per_bug, fix_shape, per_fix))
    header = ["level", "input to batch norm", "bug: running_mean", "bug: values per statistic",
              "fix: running_mean", "fix: values per statistic"]
    columns = [[r[0] for r in rows], [str(tuple(r[1])) for r in rows],
               [str(tuple(r[2])) for r in rows], [r[3] for r in rows],
               [str(tuple(r[4])) for r in rows], [r[5] for r in rows]]
    fig = go.Figure(go.Table(
        header={"values": [f"<b>{h}</b>" for h in header], "align": "center",
                "fill_color": "#e8eef7"},
        cells={"values": columns, "align": "right", "height": 26}))
    fig.update_layout(title=f"Batch norm in the chapter's model, minibatches of "
                      f"{saved['batch_size']} (shapes measured on a forward pass)<br><sup>"
                      f"{saved['source']}</sup>", height=230, margin=MARGIN)
    return fig


def batchnorm_running_mean() -> go.Figure:
    """The first batch norm layer's running mean after training, for its first channels: one
    row per position with the bug, one row for all positions with the fix."""
    saved = batchnorm_measurements()
    bug = saved["runs"]["bug"]["first_running_mean"].numpy()
    fix = saved["runs"]["fix"]["first_running_mean"].numpy()
    z = np.vstack([bug, fix[None]])
    labels = [f"bug: position {t}" for t in range(bug.shape[0])] + ["fix: every position"]
    limit = float(np.abs(z).max())
    fig = go.Figure(go.Heatmap(z=z, y=labels, x=list(range(z.shape[1])), zmid=0, zmin=-limit,
                               zmax=limit, colorscale="RdBu", xgap=1, ygap=3,
                               colorbar={"title": "running<br>mean"},
                               hovertemplate="%{y}, channel %{x}: %{z:.3f}<extra></extra>"))
    runs = saved["runs"]
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        title=f"Level 1's running_mean after {saved['steps']:,} training steps (first "
              f"{saved['shown_channels']} of {saved['n_hidden']} channels)<br><sup>dev loss "
              f"{runs['bug']['dev_loss']:.3f} with the bug, {runs['fix']['dev_loss']:.3f} with "
              f"the fix; {saved['source']}</sup>",
        xaxis_title="channel", height=330, margin=MARGIN)
    return fig


def batchnorm_demo_figure(own: Mapping[str, Any] | None = None,
                          whose: str = "yours") -> go.Figure:
    """Running means of a BatchNorm1d(6) after made-up (32, 4, 6) batches whose positions have
    means -3, -1, 1, 3: torch's (on x.transpose(1, 2)) and the reference's or the learner's."""
    if own is None:
        from solutions import makemore_wavenet as reference
        from utils.demos.makemore_wavenet.layers import batchnorm_demo
        own, whose = batchnorm_demo(vars(reference)), "the reference"
    channels = list(range(BN_SHAPE[-1]))
    fig = go.Figure(go.Scatter(x=channels, y=own["torch_mean"], mode="markers",
                               name="torch.nn.BatchNorm1d: shape (6,)",
                               marker={"size": 16, "color": "#9aa5b1", "symbol": "diamond"}))
    values = np.array(own["running_mean"], dtype=float)
    if own["shape"] == [BN_SHAPE[-1]]:
        fig.add_trace(go.Scatter(x=channels, y=values, mode="markers", name=whose,
                                 marker={"size": 12, "color": OUTPUT, "symbol": "x"}))
    else:  # one row per position (the bug), or keepdim's extra dims
        rows = values.reshape(-1, BN_SHAPE[-1])
        for t, row in enumerate(rows):
            fig.add_trace(go.Scatter(x=channels, y=row, mode="markers",
                                     name=f"{whose}, row {t} of {tuple(own['shape'])}",
                                     marker={"size": 10, "color": POSITION_COLOURS[t % 8]}))
    for t, offset in enumerate(BN_OFFSETS):  # what each position's inputs average to
        fig.add_hline(y=offset, line_dash="dot", line_color=POSITION_COLOURS[t % 8],
                      opacity=0.6, annotation_text=f"position {t}'s mean",
                      annotation_position="right")
    fig.update_layout(
        title=f"running_mean after {BN_BATCHES} batches of shape {BN_SHAPE}<br><sup>positions "
              f"with means {', '.join(f'{o:g}' for o in BN_OFFSETS)}; {whose}: shape "
              f"{tuple(own['shape'])}</sup>",
        xaxis_title="channel", yaxis_title="running mean", height=380,
        margin={**MARGIN, "r": 110},
        legend={"orientation": "h", "y": -0.2})
    return fig


def batchnorm_bug_figure() -> go.Figure:
    """The same made-up batches through chapter 4.3's batch norm as it stands, statistics over dim
    0 only: one running mean per position, where torch keeps one per channel."""
    from utils.demos.makemore_wavenet.layers import batchnorm_demo
    from utils.experiments.makemore_wavenet.layers import PerPositionBatchNorm1d

    return batchnorm_demo_figure(batchnorm_demo({"BatchNorm1d": PerPositionBatchNorm1d}),
                                 "statistics over dim 0 only")


def your_flatten(namespace: Mapping[str, Any], n: int = 2) -> go.Figure:
    """Notebook: your FlattenConsecutive(n) (from `namespace`, e.g. globals()) on the labelled
    input, beside it."""
    from utils.demos.makemore_wavenet.layers import flatten_demo, validated_flatten

    try:
        return flatten_figure(validated_flatten(flatten_demo(namespace, n)))
    except NotImplementedError:
        return flatten_figure(None, n)


def your_batchnorm(namespace: Mapping[str, Any]) -> go.Figure:
    """Notebook: your BatchNorm1d's running mean (from `namespace`, e.g. globals()) beside
    torch's."""
    from utils.demos.makemore_wavenet.layers import batchnorm_demo, validated_batchnorm

    try:
        return batchnorm_demo_figure(validated_batchnorm(batchnorm_demo(namespace)))
    except NotImplementedError:
        return batchnorm_demo_figure(None)
