"""Chapter 1's figures, for its pages and its notebook (no Streamlit import: they draw in Colab).

Most of the chapter's figures are the exercises' own: `draw(fn, exercise, setting)` (from
utils/demos/plotting_with_plotly.py) calls an exercise's function on the page's data. The
notebook calls it through `drawn_by` with the learner's function (a note instead of an error
while it is not written); the page calls `reference(...)`, cached, or shows the learner's
figures made in the sandbox (pages/plotting_with_plotly/widgets.py). The rest are
the figures the prose needs that no exercise builds.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from solutions import plotting_with_plotly as ref
from utils.caching import cache_data
from utils.demos.plotting_with_plotly import (DEFAULT_RATE, SETTINGS, draw, inputs,  # noqa: F401
                                               train_classifier)
from utils.plotting import message_figure


@cache_data(show_spinner=False)
def reference(exercise: str, setting: float) -> go.Figure:
    """The reference solution's figure at one setting of the page's control."""
    return draw(getattr(ref, exercise), exercise, setting)


def drawn_by(fn: Callable, exercise: str, setting: Any) -> go.Figure:
    """The notebook's live figure: `fn` (the learner's function) on the page's data. While it is
    not written yet, or raises, the figure says so instead, so that "Run all" goes on."""
    try:
        return draw(fn, exercise, setting)
    except NotImplementedError:
        return message_figure(f"Not yet: write {exercise} above, run its cell, then this one.")
    except Exception as err:  # noqa: BLE001 - the learner's code: show it, don't stop the notebook
        traceback.print_exc()
        return message_figure(f"Your {exercise} raised {type(err).__name__}: {err}")


def tiny_figure() -> go.Figure:
    """The smallest useful figure: one trace, one layout field (its dict is shown in the text)."""
    fig = go.Figure(go.Scatter(x=[0, 1, 2], y=[3.0, 1.5, 2.0], mode="lines", name="loss"))
    fig.update_layout(title="A tiny figure", height=300)
    return fig


@cache_data(show_spinner=False)
def sequential_vs_diverging() -> go.Figure:
    """The 3-vs-7 classifier's final weights twice: on a sequential scale fitted to their range,
    and on a diverging scale centred on 0."""
    weights = train_classifier(DEFAULT_RATE)["weights"][-1]
    limit = float(weights.abs().max())
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.2, subplot_titles=(
        "sequential (Viridis), fitted to min..max", "diverging (RdBu), centred on 0"))
    fig.add_trace(go.Heatmap(z=weights, colorscale="Viridis",
                             colorbar={"x": 0.4, "len": 0.9}), row=1, col=1)
    fig.add_trace(go.Heatmap(z=weights, colorscale="RdBu", zmin=-limit, zmax=limit,
                             colorbar={"x": 1.0, "len": 0.9}), row=1, col=2)
    fig.update_yaxes(autorange="reversed", scaleanchor="x")
    fig.update_yaxes(scaleanchor="x2", row=1, col=2)
    fig.update_layout(height=380, margin={"t": 60})
    return fig
