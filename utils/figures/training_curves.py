"""The "Train my model" figure that chapters 4.2 and 4.5 share: the reference run's first steps
as means over windows, and a learner's run on top (each step faint, its window means dashed,
its dev loss in the title). Drawing only (Colab-safe)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

REFERENCE_COLOUR, OWN_COLOUR = "#1f77b4", "#d62728"
MARGIN = {"l": 10, "r": 10, "t": 60, "b": 10}


def window_means(losses: Sequence[float | None], every: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean loss over each full window of `every` steps, at the window's last step (+1)."""
    values = np.array([np.nan if v is None else v for v in losses], dtype=float)
    n = len(values) // every
    if n == 0:
        return np.arange(1, len(values) + 1), values
    return (np.arange(n) + 1) * every, values[:n * every].reshape(n, every).mean(1)


def learner_run_figure(ref_x: Sequence[float], ref_means: Sequence[float], ref_name: str,
                       own: Mapping[str, Any] | None, title: str, every: int) -> go.Figure:
    """The reference's window means and, if given, the learner's run drawn over them."""
    fig = go.Figure(go.Scatter(x=ref_x, y=ref_means, name=ref_name,
                               line={"color": REFERENCE_COLOUR, "width": 3}))
    if own is not None:
        losses = [np.nan if v is None else v for v in own["losses"]]
        fig.add_trace(go.Scatter(x=np.arange(1, len(losses) + 1), y=losses, name="yours, each "
                                 "step", line={"color": OWN_COLOUR, "width": 1}, opacity=0.25))
        x, means = window_means(own["losses"], every)
        fig.add_trace(go.Scatter(x=x, y=means, name=f"yours, means of {every}",
                                 line={"color": OWN_COLOUR, "dash": "dash", "width": 2}))
        dev = own.get("dev")
        title = title or ("yours: dev loss " + (f"{dev:.3f}" if dev is not None else
                                                "not finite (diverged)"))
    fig.update_layout(title=title or "The reference run's first steps",
                      xaxis_title="step", yaxis_title="minibatch loss", yaxis_type="log",
                      height=380, margin=MARGIN, legend={"orientation": "h", "y": -0.25})
    return fig
