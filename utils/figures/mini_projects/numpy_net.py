"""Figures for chapter 6's sections 1-2 (the NumPy network): drawing only (Colab-safe: no
Streamlit). The runs come from utils/experiments/mini_projects/numpy_net.py (the reference's)
and utils/demos/mini_projects/numpy_net.py (the learner's, from the sandbox).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from utils.caching import cache_data
from utils.experiments.mini_projects import numpy_net as experiments


def digits_run_figure(run: Mapping[str, Any], yours: Mapping[str, Any] | None = None,
                      title: str | None = None) -> go.Figure:
    """Epoch losses (left) and the test set's confusion matrix (right) of a digits run; with
    `yours`, the learner's losses beside the reference's and their confusion matrix."""
    shown = yours if yours is not None else run
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.12,
                        subplot_titles=("mean minibatch loss per epoch",
                                        f"test confusion matrix ({shown['test_accuracy']:.1%} "
                                        "right)"))
    epochs = list(range(1, len(run["losses"]) + 1))
    fig.add_trace(go.Scatter(x=epochs, y=run["losses"], mode="lines+markers",
                             name="reference", line={"color": "#1f77b4"}), row=1, col=1)
    if yours is not None:
        fig.add_trace(go.Scatter(x=list(range(1, len(yours["losses"]) + 1)), y=yours["losses"],
                                 mode="lines+markers", name="yours",
                                 line={"color": "#d62728", "dash": "dash"}), row=1, col=1)
    fig.add_trace(go.Heatmap(z=shown["confusion"], x=list(range(10)), y=list(range(10)),
                             colorscale="Blues", showscale=False, texttemplate="%{z}",
                             hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>"),
                  row=1, col=2)
    fig.update_xaxes(title_text="epoch", row=1, col=1)
    # a few labelled values: plotly's default labels every digit of the decade, which overlap
    fig.update_yaxes(title_text="loss", type="log", tickvals=[0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2],
                     row=1, col=1)
    fig.update_xaxes(title_text="predicted digit", dtick=1, row=1, col=2)
    fig.update_yaxes(title_text="true digit", dtick=1, autorange="reversed", row=1, col=2)
    settings = run["settings"]
    fig.update_layout(height=420, legend={"x": 0.3, "y": 0.98},
                      title=title or (f"64 → {settings['hidden']} → ReLU → 10 on scikit-learn's "
                                      f"digits: {settings['epochs']} epochs, lr {settings['lr']}, "
                                      f"batches of {settings['batch_size']}"))
    return fig


@cache_data(show_spinner=False)
def reference_digits_figure() -> go.Figure:
    """The reference network's run, as the page shows it before the learner trains theirs."""
    return digits_run_figure(experiments.reference_run())


def your_digits_run(namespace: Mapping[str, Any]) -> go.Figure:
    """Notebook: train the project's network from the classes in `namespace` (e.g. globals())
    and draw it beside the reference's run; the reference's run alone while any of them is
    still a stub."""
    from solutions import mini_projects as reference

    names = ("Dense", "ReLU", "SoftmaxCrossEntropy", "Network")
    classes = {name: namespace.get(name, getattr(reference, name)) for name in names}
    try:
        yours = experiments.train_digits(classes)
    except NotImplementedError:
        return digits_run_figure(experiments.reference_run(),
                                 title="Not written yet: the reference network's run")
    return digits_run_figure(experiments.reference_run(), yours,
                             f"Your network: {yours['test_accuracy']:.1%} of the test digits right")
