"""Widgets for chapter 4.5's sections 2-3: the learner's FlattenConsecutive on a labelled input
and their BatchNorm1d's running mean beside torch's, each run in the sandbox
(utils/demos/makemore_wavenet/layers.py). Until a button is pressed, on a fresh server's first
page, the reference's charts at the defaults (n = 2) are the ones kept for them
(utils/first_view_charts.py), so that the page need not import the chapter's code (torch).
Session-state keys start with "mm5_layers_".
"""

from __future__ import annotations

from types import ModuleType

import streamlit as st

from utils import charts, first_view_charts, learner_state
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos.makemore_wavenet_settings import FLATTEN_NS

__all__ = ["my_flatten", "my_batchnorm"]

STEM = "makemore_wavenet"
FLATTEN_KEY, BATCHNORM_KEY = "mm5_layers_flatten_own", "mm5_layers_batchnorm_own"
DEFAULT_N = 2


def _figures() -> ModuleType:
    from utils.figures.makemore_wavenet import layers

    return layers


def _demos() -> ModuleType:
    from utils.demos.makemore_wavenet import layers

    return layers


def _whose(name: str) -> str:
    """How the figure names the layer the sandbox ran: the learner's once they have passed it."""
    return "yours" if name in learner_state.engine_file(STEM)[1] else "the reference"


def my_flatten() -> None:
    """Pick n, run the learner's FlattenConsecutive(n) on the labelled (1, 8, 2) input."""
    describe_learner_code(STEM, ("FlattenConsecutive",))
    n = st.select_slider("n", FLATTEN_NS, value=DEFAULT_N, key="mm5_layers_flatten_n")
    if st.button("Run my FlattenConsecutive", type="primary", key="mm5_layers_flatten_button"):
        shown = validated_learner_demo(STEM, "flatten_demo",
                                       lambda data: _demos().validated_flatten(data),
                                       failure="Your result can't be drawn", n=int(n))
        if shown is not None:
            st.session_state[FLATTEN_KEY] = shown
    kept = st.session_state.get(FLATTEN_KEY)
    if kept is None or kept["n"] != n:
        if kept is not None:
            st.caption("Your last run used another n: press the button to run this one.")
        first_view_charts.chart(kept is None and n == DEFAULT_N,
                                lambda: _figures().flatten_figure(None, int(n)),
                                key="mm5_layers_flatten_ref")
        return
    charts.plotly_chart(_figures().flatten_figure(kept, whose=_whose("FlattenConsecutive")),
                        width="stretch", key="mm5_layers_flatten_fig")


def my_batchnorm() -> None:
    """Run the learner's BatchNorm1d on made-up (32, 4, 6) batches beside torch's."""
    describe_learner_code(STEM, ("BatchNorm1d",))
    if st.button("Run my BatchNorm1d", type="primary", key="mm5_layers_batchnorm_button"):
        shown = validated_learner_demo(STEM, "batchnorm_demo",
                                       lambda data: _demos().validated_batchnorm(data),
                                       failure="Your run can't be drawn")
        if shown is not None:
            st.session_state[BATCHNORM_KEY] = shown
    kept = st.session_state.get(BATCHNORM_KEY)
    if kept is None:
        first_view_charts.chart(True, lambda: _figures().batchnorm_demo_figure(None),
                                key="mm5_layers_batchnorm_ref")
        return
    charts.plotly_chart(_figures().batchnorm_demo_figure(kept, whose=_whose("BatchNorm1d")),
                        width="stretch", key="mm5_layers_batchnorm_fig")
    if kept["shape"] != [6]:
        st.warning(f"Your running_mean has shape {tuple(kept['shape'])}, not (6,): see the "
                   "section above for why.")
