"""Widgets for chapter 6's sections 0-2: "Train my network on the digits", running the learner's
classes in the sandbox (utils/demos/mini_projects/numpy_net.py). Until it is pressed, on a fresh
server's first page, the reference's run is the chart kept for it (utils/first_view_charts.py),
so that the page need not import the chapter's code (torch). Session-state keys start with
"mini_net_".
"""

from __future__ import annotations

from types import ModuleType

import streamlit as st

from utils import charts, first_view_charts
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos.mini_projects_settings import EPOCHS

__all__ = ["my_digits_network"]

STEM = "mini_projects"
RUN_KEY = "mini_net_run"


def _figures() -> ModuleType:
    from utils.figures.mini_projects import numpy_net

    return numpy_net


def _validated_run(data: object, epochs: int) -> dict:
    from utils.demos.mini_projects.numpy_net import validated_run

    return validated_run(data, epochs)


def my_digits_network() -> None:
    """The learner's network trained on the digits, beside the reference's run."""
    describe_learner_code(STEM, uses=("Dense", "ReLU", "SoftmaxCrossEntropy", "Network"))
    epochs = EPOCHS
    if st.button("Train my network on the digits", type="primary", key="mini_net_train"):
        shown = validated_learner_demo(STEM, "train_my_network",
                                       lambda data: _validated_run(data, epochs),
                                       failure="Your run can't be drawn",
                                       spinner="Training your network in the sandbox…",
                                       epochs=epochs)
        if shown is not None:
            st.session_state[RUN_KEY] = shown
    yours = st.session_state.get(RUN_KEY)
    if yours is None:
        first_view_charts.chart(True, lambda: _figures().reference_digits_figure(),
                                key="mini_net_reference_chart")
        st.caption("The reference network's run. Press the button to train yours the same way.")
        return
    from utils.experiments.mini_projects import numpy_net as experiments

    charts.plotly_chart(_figures().digits_run_figure(experiments.reference_run(), yours,
                                                     "Your network beside the reference's"),
                        width="stretch", key="mini_net_chart")
    st.caption(f"Yours: {yours['test_accuracy']:.1%} of the test digits right "
               f"({yours['train_accuracy']:.1%} of the training ones), trained in "
               f"{yours['seconds']:.2f} s.")
