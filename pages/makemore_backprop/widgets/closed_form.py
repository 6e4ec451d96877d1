"""Chapter 4.4's widget for section 5: "Train with my gradients" trains the chapter's model with
the learner's own train_manual (and through it their cross_entropy_backward and
batchnorm_backward) in the sandbox (utils/demos/makemore_backprop/closed_form.py) and draws its
losses over autograd's run from the same seed. Until then, on a fresh server's first page,
autograd's run is the chart kept for it (utils/first_view_charts.py), so that the page need not
import the chapter's code (torch). Session-state keys start with "mm4_manual_".
"""

from __future__ import annotations

from types import ModuleType

import streamlit as st

from utils import charts, first_view_charts, learner_state
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos.makemore_backprop_settings import HEAD_STEPS as MAX_STEPS, SEED

__all__ = ["train_with_my_gradients"]

STEM = "makemore_backprop"
RATES = (0.01, 0.03, 0.1, 0.3, 1.0)
OWN_KEY = "mm4_manual_own"
USES = ("train_manual", "cross_entropy_backward", "batchnorm_backward")


def _figures() -> ModuleType:
    from utils.figures.makemore_backprop import closed_form

    return closed_form


def _validated_run(data: object, steps: int) -> dict:
    from utils.demos.makemore_backprop.closed_form import validated_run

    return validated_run(data, steps)


def train_with_my_gradients() -> None:
    """Settings, the button, and the learner's run over autograd's."""
    describe_learner_code(STEM, USES)
    cols = st.columns(3)
    steps = cols[0].slider("steps", 500, MAX_STEPS, 2_000, step=500, key="mm4_manual_steps")
    lr = cols[1].select_slider("learning rate", RATES, value=0.1, key="mm4_manual_lr")
    seed = cols[2].number_input("seed", min_value=0, max_value=2 ** 31 - 1, value=SEED, step=1,
                                key="mm4_manual_seed")
    settings = {"steps": int(steps), "seed": int(seed), "lr": float(lr)}
    st.caption(f"init_params() (block 3, 10-d embeddings, 64 units with batch norm), minibatches "
               f"of 32 on chapter 4.2's training names, one generator seeded with {int(seed)}. "
               f"With seed {SEED} and rate 0.1 your losses should lie on autograd's, step for "
               "step.")
    if st.button("Train with my gradients", type="primary", key="mm4_manual_button"):
        shown = validated_learner_demo(STEM, "train_with_my_gradients",
                                       lambda data: _validated_run(data, settings["steps"]),
                                       failure="Your run can't be drawn",
                                       spinner="Training with your gradients in the sandbox…",
                                       **settings)
        if shown is not None:
            _, passed = learner_state.engine_file(STEM)
            who = "yours" if "train_manual" in passed else "the reference train_manual"
            st.session_state[OWN_KEY] = (settings, shown, who)
    kept = st.session_state.get(OWN_KEY)
    if kept is None:
        st.info("Press **Train with my gradients** to train the model with your code (a few "
                "seconds).")
        # (Autograd's run alone: it does not depend on the settings.)
        first_view_charts.chart(True, lambda: _figures().manual_training_figure(None),
                                key="mm4_manual_ref")
        return
    figures = _figures()
    if kept[0] != settings:
        st.caption("Your last run used other settings: press the button to train with these.")
    own = kept[1]
    charts.plotly_chart(figures.manual_training_figure(own, figures.run_title(own, kept[2])),
                        width="stretch", key="mm4_manual_fig")
    if own.get("used_autograd"):
        st.warning("Your train_manual filled the parameters' .grad: it called .backward() "
                   "somewhere. The exercise is to train without it.")
    if own["dev"] is None:
        st.warning("The loss is not finite: at this learning rate training diverged.")
