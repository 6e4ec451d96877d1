"""Chapter 1's page-only pieces: one function per {widget} directive in its sections.

Each is a control that changes a figure an exercise's function built: a slider over the
function's input (a learning rate, a number of columns, a gain), and a toggle that swaps the
reference solution for the learner's own code. The learner's figures are made in the sandbox
(utils/demos/plotting_with_plotly.py), all settings of the slider in one run, and kept for the
session, so moving the slider afterwards costs no run. Session-state keys start with "pp_".
"""

from __future__ import annotations

import hashlib
from types import ModuleType
from typing import Any, Callable

import streamlit as st

from utils import charts, first_view_charts, learner_state
from utils.demo_widgets import validated_learner_demo
from utils.demos.plotting_settings import SETTINGS

# The chapter's demos and figures import torch: each widget imports them only when it computes.
# A widget's default state, on a fresh server's first page, is drawn from the chart kept for it
# (utils/first_view_charts.py), so that page imports no torch (chapter.toml says so; a test
# checks it).

STEM = "plotting_with_plotly"


def training_curves() -> None:
    _live("line_plot", "Learning rate", lambda lr: f"{lr:g}")


def digit_map() -> None:
    _live("labelled_scatter", "Digits shown", str)


def weight_heatmap() -> None:
    _live("signed_heatmap", "Weights after gradient step", str)


def digit_grid() -> None:
    _live("image_grid", "cols", str)


def layer_histograms() -> None:
    _live("histograms_by_layer", "Gain of the weights",
          lambda g: "5/3" if abs(g - 5 / 3) < 1e-9 else f"{g:g}")


def weight_animation() -> None:
    _live("animate", "Learning rate of the training run", lambda lr: f"{lr:g}")


def _live(exercise: str, label: str, fmt: Callable[[Any], str]) -> None:
    options, default = SETTINGS[exercise]
    setting = st.select_slider(label, options=list(options), value=default, format_func=fmt,
                               key=f"pp_{exercise}_setting")
    own = st.toggle(f"Draw with my `{exercise}`", key=f"pp_{exercise}_own")
    if own:
        kept = _own_figures(exercise, list(options))
        if kept is not None:
            figs, theirs = kept
            charts.plotly_chart(figs[list(options).index(setting)], width="stretch",
                                key=f"pp_{exercise}_own_chart")
            if theirs:
                st.caption(f"Drawn by your `{exercise}` in the sandbox, once for each position "
                           f"of the slider ({len(options)} figures, made in one run); moving the "
                           "slider now picks one of them.")
            else:
                st.caption(f"You have not passed `{exercise}` yet, so the reference solution drew "
                           "this, in the sandbox where your code will run once it passes.")
            return
    first_view_charts.chart(setting == default, lambda: _figures().reference(exercise, setting),
                            key=f"pp_{exercise}_chart")
    st.caption(f"Drawn by the reference solution's `{exercise}`.")


def _figures() -> ModuleType:
    from utils.figures import plotting_with_plotly

    return plotting_with_plotly


def _own_figures(exercise: str, options: list) -> tuple[list, bool] | None:
    """The learner's figures at every setting, from the session or from one sandbox run."""
    code, theirs = learner_state.engine_file(STEM)
    # Keyed by the code and by whose it is: a learner who pastes the reference solution runs the
    # same file as one who has passed nothing, but their figures are now theirs.
    digest = hashlib.sha256(f"{sorted(theirs)}\n{code}".encode()).hexdigest()
    kept_key = f"pp_{exercise}_own_figures"
    kept = st.session_state.get(kept_key)
    if kept is not None and kept[0] == digest:
        return kept[1], kept[2]
    from utils.demos import plotting_with_plotly as demos

    figs = validated_learner_demo(STEM, "figures_for",
                                  lambda data: demos.validated_figures(data, len(options)),
                                  failure="Your figures can't be drawn",
                                  spinner=f"Drawing with your `{exercise}` in the sandbox…",
                                  exercise=exercise, settings=options)
    if figs is None:
        return None
    st.session_state[kept_key] = (digest, figs, exercise in theirs)
    return figs, exercise in theirs


