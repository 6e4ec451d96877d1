"""Chapter 3's widget for section 6: the reference's training run on the moons (precomputed,
drawn at once), and "Train my MLP", which trains the learner's own MLP in the sandbox
(utils/demos/micrograd/network.py) with the settings picked here. Session-state keys start with
"mg_net_".

The chapter's demos and figures are imported only once the learner trains: until then the
widget draws its controls only, and needs none of the chapter's code.
"""

from __future__ import annotations

from types import ModuleType

import streamlit as st

from utils import charts
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos.micrograd_settings import HIDDEN_WIDTHS, MAX_STEPS

__all__ = ["train_mlp"]

STEM = "micrograd"
RATES = (0.1, 0.3, 1.0, 3.0)
OWN_KEY = "mg_net_own"


def _figures() -> ModuleType:
    from utils.figures.micrograd import network

    return network


def train_mlp() -> None:
    """The learner's run, once trained: its boundary, and its loss beside the reference's."""
    describe_learner_code(STEM)
    cols = st.columns(3)
    steps = cols[0].slider("steps", 10, MAX_STEPS, 40, step=5, key="mg_net_steps")
    hidden = cols[1].radio("hidden widths", HIDDEN_WIDTHS, index=1, horizontal=True,
                           key="mg_net_hidden", format_func=lambda h: f"[{h}, {h}, 1]")
    lr = cols[2].select_slider("starting learning rate", RATES, value=1.0, key="mg_net_lr")
    settings = {"steps": steps, "hidden": hidden, "n_points": 50, "lr_start": lr}
    st.caption(f"MLP(2, [{hidden}, {hidden}, 1]) on 50 moons, weights drawn after "
               f"random.seed(1337); the learning rate falls from {lr} towards {lr / 10:g}, as "
               "in the reference.")
    if st.button("Train my MLP", type="primary", key="mg_net_button"):
        from utils.demos.micrograd.network import validated_run

        shown = validated_learner_demo(STEM, "train_mlp", lambda data: validated_run(data, steps),
                                       failure="Your run can't be drawn",
                                       spinner="Training your MLP in the sandbox…", **settings)
        if shown is not None:
            st.session_state[OWN_KEY] = (settings, shown)
    kept = st.session_state.get(OWN_KEY)
    if kept is not None and kept[0] != settings:
        st.caption("Your last run used other settings: press the button to train with these.")
    if kept is None:
        st.info("Press **Train my MLP** to train your own network here (a smaller one than the "
                "reference: the scalar engine is slow).")
        return
    own = kept[1]
    figures = _figures()
    runs = {"reference MLP(2, [16, 16, 1]), 100 moons": figures.reference_run(),
            f"yours, MLP(2, [{kept[0]['hidden']}, {kept[0]['hidden']}, 1]), 50 moons": own}
    charts.plotly_chart(figures.boundary_figure(own, "yours, "), width="stretch",
                        key="mg_net_own_boundary")
    st.caption(f"Your run: final loss {own['loss'][-1]:.3f}, accuracy "
               f"{own['accuracy'][-1]:.0%}.")
    charts.plotly_chart(figures.loss_figure(runs), width="stretch", key="mg_net_loss")
