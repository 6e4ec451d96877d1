# %% [markdown]
# # Chapter 1: Plotting with Plotly — exercises
#
# Build the figures the rest of the course draws: training curves, weight heatmaps, image grids, per-layer histograms and animations, each a Plotly figure you can read as data.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/plotting_with_plotly.py
#
# or one test per exercise with `pytest exercises/plotting_with_plotly.py`, or call one check yourself, e.g. `tests.test_line_plot(line_plot)`.
#
# This file is generated from `solutions/plotting_with_plotly.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/plotting_with_plotly_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/plotting_with_plotly.ipynb


# %%
import sys
from pathlib import Path

# The checks live in the repository's `utils` package: import it from the folder above this file.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
try:
    import utils  # noqa: F401
except ImportError:
    sys.exit("This file needs the course's code: put it in the exercises/ folder of a clone of "
             "https://github.com/grokking-the-fundamentals/grokking-the-fundamentals and run it from there.")


# %%
import math

import plotly.express as px  # noqa: F401 - for the learner: every exercise may use px instead
import plotly.graph_objects as go
import torch as t  # noqa: F401 - for the learner's own tensor work
from jaxtyping import Float
from plotly.subplots import make_subplots
from torch import Tensor

from utils.checks import plotting_with_plotly as tests


# %% [markdown]
# ## Figures, traces and layout
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/plotting_with_plotly_figures)


# %% [markdown]
# ### Exercise: `line_plot` — Several curves on one set of axes
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `line_plot(x, ys, title)` returning a `go.Figure` with one line trace per entry of
# the dict `ys`, in the dict's order. Trace $i$ draws `ys[key]` against `x` (the same `x`
# for every trace; it need not be `0, 1, 2, ...`) and is named `key`, so the legend says
# which curve is which. The figure's title is `title`.
#
# Check it with `tests.test_line_plot(line_plot)`.


# %%
def line_plot(x: Float[Tensor, "n"], ys: dict[str, Float[Tensor, "n"]], title: str) -> go.Figure:
    """One line (a scatter trace drawn as lines) per key of `ys`, in order, named by its key,
    each with `x` as its x values; the layout's title is `title`."""
    raise NotImplementedError()


# %% [markdown]
# ## Hover text
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/plotting_with_plotly_hover)


# %% [markdown]
# ### Exercise: `labelled_scatter` — Points that say what they are
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–20 minutes
#
# Write `labelled_scatter(points, labels)`: `points` is an `(n, 2)` tensor of 2-D points and
# `labels` a list of `n` strings. Return a figure with one scatter trace of markers, point
# $i$ at $x$ = `points[i, 0]`, $y$ = `points[i, 1]`, whose hover box shows point $i$'s label
# and both of its coordinates. Pass the labels as `customdata` and write a `hovertemplate`
# that uses `%{customdata}`, `%{x}` and `%{y}` (Plotly's `text` or `hovertext` with the
# default hover box, or `px.scatter(..., hover_name=...)`, are fine too).
#
# Check it with `tests.test_labelled_scatter(labelled_scatter)`.


# %%
def labelled_scatter(points: Float[Tensor, "n 2"], labels: list[str]) -> go.Figure:
    """One scatter trace of markers at the points; hovering over point i shows labels[i] and its
    coordinates (labels passed as customdata, read by the hovertemplate)."""
    raise NotImplementedError()


# %% [markdown]
# ## Heatmaps of signed numbers
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/plotting_with_plotly_heatmaps)


# %% [markdown]
# ### Exercise: `signed_heatmap` — A heatmap centred on zero
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–20 minutes
#
# Write `signed_heatmap(M)` for a 2-D tensor `M` of signed numbers (weights, say). Return a
# figure with one heatmap whose cell in row $i$, column $j$ shows `M[i, j]`, with row 0 at
# the top (as a matrix is written; a `go.Heatmap` puts row 0 at the bottom unless the y
# axis is reversed, `px.imshow` reverses it for you). Colour it with a **diverging** colour
# scale (for example `"RdBu"`) whose middle colour is 0: either set the midpoint
# (`zmid=0`, or `color_continuous_midpoint=0` in `px.imshow`), or set a range symmetric
# about 0 that holds every value ($z_\text{min} = -z_\text{max}$ with
# $z_\text{max} \ge \max |M|$).
#
# Check it with `tests.test_signed_heatmap(signed_heatmap)`.


# %%
def signed_heatmap(M: Float[Tensor, "r c"]) -> go.Figure:
    """A heatmap of M (row 0 at the top) with a diverging colour scale whose middle is 0."""
    raise NotImplementedError()


# %% [markdown]
# ## Subplots
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/plotting_with_plotly_subplots)


# %% [markdown]
# ### Exercise: `image_grid` — A grid of images with titles
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–25 minutes
#
# Write `image_grid(images, labels, cols)`: `images` is an `(n, h, w)` tensor and `labels`
# a list of `n` strings. Return a figure with one subplot per image, laid out in rows of
# `cols` subplots (image $i$ in row $\lfloor i / \text{cols} \rfloor$, column
# $i \bmod \text{cols}$, counting from the top left; the last row may be part empty). Each
# subplot shows its image as a heatmap, row 0 at the top, under the title `labels[i]`.
#
# Check it with `tests.test_image_grid(image_grid)`.


# %%
def image_grid(images: Float[Tensor, "n h w"], labels: list[str], cols: int) -> go.Figure:
    """One heatmap subplot per image (row 0 of each image at the top), `cols` subplots per row,
    filled row by row from the top left; subplot i is titled labels[i]."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `histograms_by_layer` — One histogram per layer
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–20 minutes
#
# Write `histograms_by_layer(acts)`: `acts` maps a layer's name to a tensor of that layer's
# activations (any shape). Return a figure with one histogram trace per layer, in the
# dict's order, named by the layer's name, counting every value of its tensor. Either put
# them all on one set of axes, drawn over each other (`barmode="overlay"`) and see-through
# (`opacity` below 1, so no layer hides another), or give each layer a subplot of its own.
#
# Check it with `tests.test_histograms_by_layer(histograms_by_layer)`.


# %%
def histograms_by_layer(acts: dict[str, Tensor]) -> go.Figure:
    """One histogram trace per layer, in order, named by the layer, of all its values (the
    tensor flattened); overlaid on one set of axes with each trace see-through, or one subplot
    per layer."""
    raise NotImplementedError()


# %% [markdown]
# ## Animations
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/plotting_with_plotly_animations)


# %% [markdown]
# ### Exercise: `animate` — An animation with a slider
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 20–30 minutes
#
# Write `animate(frames)`: `frames` is a `(t, h, w)` tensor, one image per time step. Return
# a figure that shows `frames[0]` as a heatmap and has one animation frame per time step,
# in order (frame $k$'s heatmap shows `frames[k]`), and a slider whose step $k$ jumps to
# frame $k$. Fix the colour range to hold every value of the whole clip (`zmin` at most
# `frames.min()`, `zmax` at least `frames.max()`, as Python numbers: `float(...)`), so a
# colour means the same number in every frame. A play button is welcome, but not checked.
#
# Check it with `tests.test_animate(animate)`.


# %%
def animate(frames: Float[Tensor, "t h w"]) -> go.Figure:
    """frames[0] as a heatmap, one animation frame per time step (in order), a slider whose step
    k animates to frame k; the colour range is the whole clip's. (This one also names frame k
    str(k) and adds a play button; neither is required.)"""
    raise NotImplementedError()


# %%
# `pytest exercises/plotting_with_plotly.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("plotting_with_plotly", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "plotting_with_plotly")
