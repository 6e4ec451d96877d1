"""Reference solutions for chapter 1: plotting with Plotly.

The source of truth for `exercises/plotting_with_plotly.py` and its notebooks (`python -m
utils.codegen`); the prose around each exercise is in `pages/plotting_with_plotly/<n>_<key>.md`.
Every exercise returns a `plotly.graph_objects.Figure`. The checks read it as data (its traces and
layout), so any figure that holds the right traces and settings passes, whether it was built with
plotly.express or with graph_objects.

Conventions used throughout the chapter:
- Data arrive as torch tensors; Plotly accepts tensors, NumPy arrays and lists alike.
- Images and matrices are drawn with row 0 at the top, as a matrix is written.
"""

import math

import plotly.express as px  # noqa: F401 - for the learner: every exercise may use px instead
import plotly.graph_objects as go
import torch as t  # noqa: F401 - for the learner's own tensor work
from jaxtyping import Float
from plotly.subplots import make_subplots
from torch import Tensor

from utils.exercise_meta import exercise


@exercise(
    title="Several curves on one set of axes",
    difficulty=1, importance=5, minutes=(10, 15),
    task=r"""
        Write `line_plot(x, ys, title)` returning a `go.Figure` with one line trace per entry of
        the dict `ys`, in the dict's order. Trace $i$ draws `ys[key]` against `x` (the same `x`
        for every trace; it need not be `0, 1, 2, ...`) and is named `key`, so the legend says
        which curve is which. The figure's title is `title`.
    """,
    hints=(
        r"""
            Each key becomes one trace, and the legend shows a trace's `name`. A line is a
            scatter trace whose `mode` is `"lines"`.
        """,
        r"""
            Start from an empty `fig = go.Figure()`, then `fig.add_trace(go.Scatter(x=..., y=...,
            mode="lines", name=...))` once per key; `for key, y in ys.items()` keeps the order.
        """,
        r"""
            The title is a layout field: `fig.update_layout(title=title)`. Plotly takes tensors
            as they are, so no `.tolist()` is needed.
        """,
    ),
)
def line_plot(x: Float[Tensor, "n"], ys: dict[str, Float[Tensor, "n"]], title: str) -> go.Figure:
    """One line (a scatter trace drawn as lines) per key of `ys`, in order, named by its key,
    each with `x` as its x values; the layout's title is `title`."""
    fig = go.Figure()
    for name, y in ys.items():
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name))
    fig.update_layout(title=title)
    return fig


@exercise(
    title="Points that say what they are",
    difficulty=2, importance=3, minutes=(10, 20),
    task=r"""
        Write `labelled_scatter(points, labels)`: `points` is an `(n, 2)` tensor of 2-D points and
        `labels` a list of `n` strings. Return a figure with one scatter trace of markers, point
        $i$ at $x$ = `points[i, 0]`, $y$ = `points[i, 1]`, whose hover box shows point $i$'s label
        and both of its coordinates. Pass the labels as `customdata` and write a `hovertemplate`
        that uses `%{customdata}`, `%{x}` and `%{y}` (Plotly's `text` or `hovertext` with the
        default hover box, or `px.scatter(..., hover_name=...)`, are fine too).
    """,
    hints=(
        r"""
            `customdata` is a per-point store that Plotly does not draw; a `hovertemplate` is a
            string in which `%{...}` fields are replaced by the hovered point's values.
        """,
        r"""
            `go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers", customdata=labels,
            hovertemplate=...)`. In the template, `%{customdata}` is replaced by point $i$'s
            entry of `customdata`.
        """,
        r"""
            `"%{customdata}<br>x = %{x:.2f}<br>y = %{y:.2f}<extra></extra>"` shows three lines;
            `<extra></extra>` removes the second box, the one with the trace's name.
        """,
    ),
)
def labelled_scatter(points: Float[Tensor, "n 2"], labels: list[str]) -> go.Figure:
    """One scatter trace of markers at the points; hovering over point i shows labels[i] and its
    coordinates (labels passed as customdata, read by the hovertemplate)."""
    return go.Figure(go.Scatter(
        x=points[:, 0], y=points[:, 1], mode="markers", customdata=labels,
        hovertemplate="<b>%{customdata}</b><br>x = %{x:.3f}<br>y = %{y:.3f}<extra></extra>"))


@exercise(
    title="A heatmap centred on zero",
    difficulty=2, importance=5, minutes=(10, 20),
    task=r"""
        Write `signed_heatmap(M)` for a 2-D tensor `M` of signed numbers (weights, say). Return a
        figure with one heatmap whose cell in row $i$, column $j$ shows `M[i, j]`, with row 0 at
        the top (as a matrix is written; a `go.Heatmap` puts row 0 at the bottom unless the y
        axis is reversed, `px.imshow` reverses it for you). Colour it with a **diverging** colour
        scale (for example `"RdBu"`) whose middle colour is 0: either set the midpoint
        (`zmid=0`, or `color_continuous_midpoint=0` in `px.imshow`), or set a range symmetric
        about 0 that holds every value ($z_\text{min} = -z_\text{max}$ with
        $z_\text{max} \ge \max |M|$).
    """,
    hints=(
        r"""
            Two things decide that 0 is the neutral middle colour: a diverging scale, and where
            its middle sits (`zmid`, or a symmetric `zmin`/`zmax`). A third decides which way is
            up: a heatmap's y axis grows upwards unless you reverse it.
        """,
        r"""
            `go.Heatmap(z=M, colorscale="RdBu", zmid=0)`, then
            `fig.update_yaxes(autorange="reversed")` to put row 0 on top.
        """,
        r"""
            With plotly.express: `px.imshow(M, color_continuous_scale="RdBu",
            color_continuous_midpoint=0)` does all three.
        """,
    ),
)
def signed_heatmap(M: Float[Tensor, "r c"]) -> go.Figure:
    """A heatmap of M (row 0 at the top) with a diverging colour scale whose middle is 0."""
    fig = go.Figure(go.Heatmap(z=M, colorscale="RdBu", zmid=0))
    fig.update_yaxes(autorange="reversed")
    return fig


@exercise(
    title="A grid of images with titles",
    difficulty=3, importance=4, minutes=(15, 25),
    task=r"""
        Write `image_grid(images, labels, cols)`: `images` is an `(n, h, w)` tensor and `labels`
        a list of `n` strings. Return a figure with one subplot per image, laid out in rows of
        `cols` subplots (image $i$ in row $\lfloor i / \text{cols} \rfloor$, column
        $i \bmod \text{cols}$, counting from the top left; the last row may be part empty). Each
        subplot shows its image as a heatmap, row 0 at the top, under the title `labels[i]`.
    """,
    hints=(
        r"""
            `make_subplots(rows=math.ceil(n / cols), cols=cols, subplot_titles=labels)` makes
            the grid and the titles in one go; `fig.add_trace(trace, row=..., col=...)` counts rows
            and columns from 1.
        """,
        r"""
            `fig.update_yaxes(autorange="reversed")` reverses every subplot's y axis at once.
            `showscale=False` on each heatmap hides the colour bars.
        """,
        r"""
            With plotly.express, `px.imshow(images, facet_col=0, facet_col_wrap=cols)` makes the
            grid, but titles its subplots "facet_col=0", ...; change them with
            `fig.for_each_annotation(...)`, mapping the number in each title to its label.
        """,
    ),
)
def image_grid(images: Float[Tensor, "n h w"], labels: list[str], cols: int) -> go.Figure:
    """One heatmap subplot per image (row 0 of each image at the top), `cols` subplots per row,
    filled row by row from the top left; subplot i is titled labels[i]."""
    n = len(images)
    fig = make_subplots(rows=math.ceil(n / cols), cols=cols, subplot_titles=list(labels))
    for i, image in enumerate(images):
        fig.add_trace(go.Heatmap(z=image, colorscale="gray", showscale=False),
                      row=i // cols + 1, col=i % cols + 1)
    fig.update_yaxes(autorange="reversed", showticklabels=False)
    fig.update_xaxes(showticklabels=False)
    return fig


@exercise(
    title="One histogram per layer",
    difficulty=2, importance=4, minutes=(10, 20),
    task=r"""
        Write `histograms_by_layer(acts)`: `acts` maps a layer's name to a tensor of that layer's
        activations (any shape). Return a figure with one histogram trace per layer, in the
        dict's order, named by the layer's name, counting every value of its tensor. Either put
        them all on one set of axes, drawn over each other (`barmode="overlay"`) and see-through
        (`opacity` below 1, so no layer hides another), or give each layer a subplot of its own.
    """,
    hints=(
        r"""
            A histogram bins a flat list of values: a `(200, 50)` tensor must become 10 000
            numbers first. Overlaid histograms need to be see-through and drawn over each other,
            not side by side.
        """,
        r"""
            `go.Histogram(x=a.flatten(), name=name, opacity=0.6)` per layer, then
            `fig.update_layout(barmode="overlay")`: the default mode puts the bars of different
            traces side by side, which is hard to read.
        """,
    ),
)
def histograms_by_layer(acts: dict[str, Tensor]) -> go.Figure:
    """One histogram trace per layer, in order, named by the layer, of all its values (the
    tensor flattened); overlaid on one set of axes with each trace see-through, or one subplot
    per layer."""
    fig = go.Figure()
    for name, values in acts.items():
        fig.add_trace(go.Histogram(x=values.flatten(), name=name, opacity=0.6))
    fig.update_layout(barmode="overlay")
    return fig


@exercise(
    title="An animation with a slider",
    difficulty=3, importance=3, minutes=(20, 30),
    task=r"""
        Write `animate(frames)`: `frames` is a `(t, h, w)` tensor, one image per time step. Return
        a figure that shows `frames[0]` as a heatmap and has one animation frame per time step,
        in order (frame $k$'s heatmap shows `frames[k]`), and a slider whose step $k$ jumps to
        frame $k$. Fix the colour range to hold every value of the whole clip (`zmin` at most
        `frames.min()`, `zmax` at least `frames.max()`, as Python numbers: `float(...)`), so a
        colour means the same number in every frame. A play button is welcome, but not checked.
    """,
    hints=(
        r"""
            A frame holds only what changes (here the heatmap's `z`) and has a name; a slider step
            names the frame it jumps to. The colour range belongs to the figure's own heatmap,
            which every frame then updates.
        """,
        r"""
            `go.Figure(data=[go.Heatmap(z=frames[0], zmin=lo, zmax=hi)], frames=[go.Frame(
            data=[go.Heatmap(z=frames[k])], name=str(k)) for k in range(len(frames))])`.
        """,
        r"""
            A slider is a layout field: `fig.update_layout(sliders=[{"steps": steps}])`, where
            step $k$ is `{"method": "animate", "label": str(k), "args": [[str(k)], {"mode":
            "immediate", "frame": {"duration": 0, "redraw": True}}]}`: "animate to the frame
            named str(k)".
        """,
        r"""
            `px.imshow(frames, animation_frame=0, range_color=[lo, hi])` builds the frames, the
            slider and a play button for you.
        """,
    ),
)
def animate(frames: Float[Tensor, "t h w"]) -> go.Figure:
    """frames[0] as a heatmap, one animation frame per time step (in order), a slider whose step
    k animates to frame k; the colour range is the whole clip's. (This one also names frame k
    str(k) and adds a play button; neither is required.)"""
    lo, hi = float(frames.min()), float(frames.max())
    names = [str(k) for k in range(len(frames))]
    fig = go.Figure(
        data=[go.Heatmap(z=frames[0], zmin=lo, zmax=hi)],
        frames=[go.Frame(data=[go.Heatmap(z=frame)], name=name)
                for frame, name in zip(frames, names)],
    )
    jump = {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
            "transition": {"duration": 0}}
    play = {"frame": {"duration": 150, "redraw": True}, "fromcurrent": True,
            "transition": {"duration": 0}}
    fig.update_layout(
        sliders=[{"steps": [{"method": "animate", "label": name, "args": [[name], jump]}
                            for name in names],
                  "currentvalue": {"prefix": "frame "}}],
        updatemenus=[{"type": "buttons", "showactive": False,
                      "buttons": [{"label": "Play", "method": "animate", "args": [None, play]}]}],
    )
    fig.update_yaxes(autorange="reversed")
    return fig
