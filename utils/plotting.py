"""Plotly helpers shared by pages, figures and learners' own notebooks."""

from __future__ import annotations

import re
import textwrap
from typing import Sequence

import numpy as np
import plotly.colors
import plotly.graph_objects as go
import torch as t
from jaxtyping import Float
from plotly.subplots import make_subplots
from torch import Tensor

RAY_COLOUR = "#4c6ef5"
OBJECT_COLOUR = "#d9480f"


def lines_3d(
    groups: Sequence[tuple[Float[Tensor, "n 2 3"], str, str]],
    title: str = "",
    height: int = 480,
) -> go.Figure:
    """Draw groups of 3-D segments: each group is (segments, colour, legend name).

    A ray (origin, direction) is drawn as the segment from O to O + D.
    """
    fig = go.Figure()
    for segments, colour, name in groups:
        xs, ys, zs = [], [], []
        for start, end in segments.tolist():
            for coords, a, b in ((xs, start[0], end[0]), (ys, start[1], end[1]),
                                 (zs, start[2], end[2])):
                coords.extend([a, b, None])  # None breaks the line between segments
        fig.add_trace(go.Scatter3d(x=xs, y=ys, z=zs, mode="lines", name=name,
                                   line={"color": colour, "width": 4}))
    fig.update_layout(title=title, height=height, margin={"l": 0, "r": 0, "t": 40, "b": 0},
                      scene={"xaxis_title": "x", "yaxis_title": "y", "zaxis_title": "z",
                             "aspectmode": "data", "camera": {"up": {"x": 0, "y": 1, "z": 0}}})
    return fig


def lines_2d(
    groups: Sequence[tuple[Float[Tensor, "n 2 3"], str, str]],
    title: str = "",
    height: int = 420,
    pad: float = 0.05,
) -> go.Figure:
    """Draw groups of segments in the (x, y) plane (z is ignored): each group is (segments,
    colour, legend name), one trace per group. The axes show every segment whole, with `pad`
    (a fraction of each range) to spare."""
    fig = go.Figure()
    points = t.cat([segments.reshape(-1, 3) for segments, _, _ in groups])
    for segments, colour, name in groups:
        xs, ys = [], []
        for (x0, y0, _), (x1, y1, _) in segments.tolist():
            xs.extend([x0, x1, None])  # None breaks the line between segments
            ys.extend([y0, y1, None])
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=name,
                                 line={"color": colour, "width": 3}))
    ranges = []
    for axis in (0, 1):
        low, high = points[:, axis].min().item(), points[:, axis].max().item()
        margin = pad * max(high - low, 1e-6)
        ranges.append([low - margin, high + margin])
    fig.update_layout(title=title, height=height, margin={"l": 60, "r": 10, "t": 40, "b": 50},
                      xaxis={"title": "x", "range": ranges[0], "automargin": True},
                      yaxis={"title": "y", "range": ranges[1], "automargin": True})
    return fig


def rays_as_segments(rays: Float[Tensor, "n 2 3"]) -> Float[Tensor, "n 2 3"]:
    """(origin, direction) pairs to (origin, origin + direction) pairs, for `lines_3d`."""
    return t.stack([rays[:, 0], rays[:, 0] + rays[:, 1]], dim=1)


def _streamlit_safe(colorscale: str) -> list[list]:
    """The named colour scale as a list, with any colour Streamlit reserves dodged.

    Streamlit's front end swaps the colours "#000001" ... "#0000NN" for its theme's colours,
    even in figures drawn with theme=None; Magma and Inferno start at "#000004", which it turns
    light purple."""
    scale = plotly.colors.get_colorscale(colorscale)
    return [[position, "#000000" if re.fullmatch(r"#0000(?!00)\d\d", colour) else colour]
            for position, colour in scale]


def image_panels(
    images: Sequence[np.ndarray],
    titles: Sequence[str],
    colorscales: Sequence[str] | None = None,
    height: int = 380,
    value_range: tuple[float, float] | None = None,
) -> go.Figure:
    """Side-by-side heatmaps with y pointing up (row 0 at the bottom), equal aspect ratio.

    With `value_range`, every panel maps those values to the ends of its colour scale (so an
    all-zero image is drawn in the scale's first colour, not its middle one)."""
    colorscales = colorscales or ["Viridis"] * len(images)
    fig = make_subplots(rows=1, cols=len(images), subplot_titles=list(titles),
                        horizontal_spacing=0.06)
    low, high = value_range or (None, None)
    for i, (image, scale) in enumerate(zip(images, colorscales), start=1):
        fig.add_trace(go.Heatmap(z=image, colorscale=_streamlit_safe(scale), showscale=False,
                                 zmin=low, zmax=high,
                                 hovertemplate="row %{y}, col %{x}: %{z:.3f}<extra></extra>"),
                      row=1, col=i)
        fig.update_xaxes(showticklabels=False, scaleanchor=f"y{i if i > 1 else ''}", row=1, col=i)
        fig.update_yaxes(showticklabels=False, row=1, col=i)
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def depth_image(distances: Float[Tensor, "h w"]) -> np.ndarray:
    """Distances to an image where near is bright and misses (inf) are dark."""
    d = distances.numpy().astype(float)
    hit = np.isfinite(d)
    out = np.full(d.shape, np.nan)
    if hit.any():
        near, far = d[hit].min(), d[hit].max()
        out[hit] = 1.0 - 0.8 * (d[hit] - near) / max(far - near, 1e-9)
    return np.nan_to_num(out, nan=0.0)


def message_figure(text: str, height: int = 160) -> go.Figure:
    """A figure that only says something, in place of one that cannot be drawn yet (in a
    notebook: the learner's function is not written, or raised), so that "Run all" goes on."""
    fig = go.Figure()
    fig.add_annotation(text="<br>".join(textwrap.wrap(text, 90)), showarrow=False,
                       font={"size": 15}, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(height=height, xaxis={"visible": False}, yaxis={"visible": False},
                      margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig
