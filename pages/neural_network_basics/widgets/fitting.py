"""Chapter 2's widgets for its fitting sections (5: a bigger line of best fit, 6: weights transform
space). Sliders pick among precomputed runs (cached figures), so moving one redraws at once; a
toggle swaps the reference solution for the learner's own `fit_line` or `layer_outputs`, run in
the sandbox once per version of their code and kept for the session. Session-state keys start
with "nnfit_".

The controls come from torch-free settings; the chapter's runs and figures are imported only when
a widget computes. In its default state, on a fresh server's first page, a widget draws the chart
kept for it (utils/first_view_charts.py) instead, so that page need not import torch.
"""

from __future__ import annotations

import hashlib
from types import ModuleType
from typing import Any, Callable

import streamlit as st

from utils import charts, first_view_charts, learner_state
from utils.demo_widgets import validated_learner_demo
from utils.demos import neural_network_basics_settings as settings

__all__ = ["line_descent", "polynomial_degrees", "warped_plane", "drag_the_weights"]

STEM = "neural_network_basics"
FIRST_DEGREE = 1  # the polynomial the slider starts at


def _figures() -> ModuleType:
    from utils.figures.neural_network_basics import fitting

    return fitting


def _demos() -> ModuleType:
    from utils.demos.neural_network_basics import fitting

    return fitting


def line_descent() -> None:
    """The line gradient descent reaches, at the chosen learning rate and number of steps."""
    left, right = st.columns(2)
    lr = left.select_slider("Learning rate", options=list(settings.LEARNING_RATES),
                            value=settings.DEFAULT_RATE, key="nnfit_line_lr")
    shown = right.select_slider("Steps taken", options=list(settings.STEP_COUNTS),
                                value=settings.STEP_COUNTS[-1], key="nnfit_line_step")
    if st.toggle("Draw with my `fit_line`", key="nnfit_line_own"):
        kept = _own("fit_line", "fit_line_paths", {}, lambda data: _demos().validated_paths(data))
        if kept is not None:
            paths, theirs = kept
            who = "your fit_line" if theirs else "the reference fit_line (yours has not passed)"
            charts.plotly_chart(_figures().line_fit(paths[lr], lr, shown, who=who),
                                width="stretch", key="nnfit_line_own_chart")
            _caption("fit_line", theirs, "run for every number of steps on the slider, at every "
                     "learning rate, in one run")
            return
    at_default = (lr, shown) == (settings.DEFAULT_RATE, settings.STEP_COUNTS[-1])
    first_view_charts.chart(at_default, lambda: _figures().reference_line_fit(lr, shown),
                            key="nnfit_line_chart")


def polynomial_degrees() -> None:
    """The least-squares polynomial of the chosen degree, and every degree's two errors."""
    degree = st.slider("Degree of the polynomial", 0, settings.MAX_DEGREE, FIRST_DEGREE,
                       key="nnfit_degree")
    first_view_charts.chart(degree == FIRST_DEGREE,
                            lambda: _figures().polynomial_degree(degree), key="nnfit_degree_chart")


def warped_plane() -> None:
    """The plane after each layer of the moons network, at the chosen point of its training."""
    steps = list(settings.SNAPSHOT_STEPS)
    step = st.select_slider("Training steps so far", options=steps, value=steps[-1],
                            key="nnfit_warp_step")
    if st.toggle("Draw with my `layer_outputs`", key="nnfit_warp_own"):
        kept = _own("layer_outputs", "warped_layers", {"step": step},
                    lambda data: _demos().validated_warp(data))
        if kept is not None:
            warped, theirs = kept
            title = f"after {step} training steps, " + \
                ("through your layer_outputs" if theirs else "through the reference "
                 "layer_outputs (yours has not passed)")
            from utils.experiments.neural_network_basics import warping

            charts.plotly_chart(_figures().layers(warped, warping.net_at(step), title),
                                key="nnfit_warp_own_chart")
            _caption("layer_outputs", theirs, "called on the grid and the moons together")
            return
    first_view_charts.chart(step == steps[-1], lambda: _figures().reference_layers(step),
                            key="nnfit_warp_chart")


def _apply_preset() -> None:
    values = settings.MATRIX_PRESETS[st.session_state["nnfit_matrix_preset"]]
    for key, value in zip(("w11", "w12", "w21", "w22"), values):
        st.session_state[f"nnfit_{key}"] = value
    st.session_state["nnfit_b1"] = st.session_state["nnfit_b2"] = 0.0


def drag_the_weights() -> None:
    """One Linear(2, 2) layer's weights and bias on sliders, the plane it makes, and tanh after."""
    presets = list(settings.MATRIX_PRESETS)
    st.selectbox("Start from", presets, index=presets.index(settings.FIRST_PRESET),
                 key="nnfit_matrix_preset", on_change=_apply_preset)
    left, right = st.columns([1, 2])
    with left:
        defaults = dict(zip(("w11", "w12", "w21", "w22"),
                            settings.MATRIX_PRESETS[settings.FIRST_PRESET]))
        values = {}
        for key, label in (("w11", "W₁₁"), ("w12", "W₁₂"), ("w21", "W₂₁"), ("w22", "W₂₂"),
                           ("b1", "b₁"), ("b2", "b₂")):
            if f"nnfit_{key}" not in st.session_state:
                st.session_state[f"nnfit_{key}"] = defaults.get(key, 0.0)
            values[key] = st.slider(label, -2.0, 2.0, step=0.05, key=f"nnfit_{key}")
        squash = st.checkbox("then tanh", key="nnfit_matrix_tanh")
    at_default = not squash and values == {**defaults, "b1": 0.0, "b2": 0.0}
    with right:
        first_view_charts.chart(at_default, lambda: _figures().matrix(**values, squash=squash),
                                key="nnfit_matrix_chart")



def _own(exercise: str, demo: str, args: dict[str, Any],
         validate: Callable[[object], Any]) -> tuple[Any, bool] | None:
    """A demo's validated data for the learner's current code (from the session, else one
    sandbox run), and whether `exercise` in it is theirs; None if the run failed."""
    code, theirs = learner_state.engine_file(STEM)
    # Keyed by the code and by whose it is: pasting the reference makes it theirs.
    digest = hashlib.sha256(f"{sorted(theirs)}\n{demo}\n{sorted(args.items())}\n{code}"
                            .encode()).hexdigest()
    kept_key = f"nnfit_own_{demo}"
    kept = st.session_state.get(kept_key, {})
    if digest in kept:
        return kept[digest], exercise in theirs
    value = validated_learner_demo(STEM, demo, validate,
                                   failure=f"Your `{exercise}`'s results can't be drawn",
                                   spinner=f"Running your `{exercise}` in the sandbox…", **args)
    if value is None:
        return None
    kept[digest] = value
    st.session_state[kept_key] = kept
    return value, exercise in theirs


def _caption(exercise: str, theirs: bool, how: str) -> None:
    if theirs:
        st.caption(f"Drawn from your `{exercise}` in the sandbox, {how}.")
    else:
        st.caption(f"You have not passed `{exercise}` yet, so the reference solution ran, in the "
                   "sandbox where your code will run once it passes.")
