"""Chapter 4.2's widget for section 3: "Train my model" trains the chapter's MLP with the
learner's own init_mlp, train_mlp and split_loss in the sandbox (utils/demos/makemore_mlp/
model.py) and draws its loss against the reference run's first steps. Until then, on a fresh
server's first page, the reference's curve is the chart kept for it (utils/first_view_charts.py),
so that the page need not import the chapter's code (torch). Session-state keys start with
"mm2_train_".
"""

from __future__ import annotations

import streamlit as st

from types import ModuleType

from utils import charts, first_view_charts
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos.makemore_mlp_settings import MAX_STEPS, SEED

__all__ = ["train_my_model"]

STEM = "makemore_mlp"
RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
OWN_KEY = "mm2_train_own"
USES = ("init_mlp", "train_mlp", "split_loss")


def _figures() -> ModuleType:
    from utils.figures.makemore_mlp import model

    return model


def _validated_run(data: object, steps: int) -> dict:
    from utils.demos.makemore_mlp.model import validated_run

    return validated_run(data, steps)


def train_my_model() -> None:
    """Settings, the button, and the learner's run beside the reference's first steps."""
    describe_learner_code(STEM, USES)
    cols = st.columns(3)
    steps = cols[0].slider("steps", 500, MAX_STEPS, 3_000, step=500, key="mm2_train_steps")
    lr = cols[1].select_slider("learning rate", RATES, value=0.1, key="mm2_train_lr")
    seed = cols[2].number_input("seed", min_value=0, max_value=2 ** 31 - 1, value=SEED, step=1,
                                key="mm2_train_seed")
    settings = {"steps": int(steps), "seed": int(seed), "lr": float(lr)}
    st.caption(f"Block 3, 10-d embeddings, 200 tanh units, minibatches of 32, on the chapter's "
               f"training names; init_mlp and train_mlp share one generator seeded with "
               f"{int(seed)}. With seed {SEED} and rate 0.1 your run is the reference's first "
               f"{int(steps):,} steps, number for number.")
    if st.button("Train my model", type="primary", key="mm2_train_button"):
        shown = validated_learner_demo(STEM, "train_model",
                                       lambda data: _validated_run(data, settings["steps"]),
                                       failure="Your run can't be drawn",
                                       spinner="Training your model in the sandbox…", **settings)
        if shown is not None:
            st.session_state[OWN_KEY] = (settings, shown)
    kept = st.session_state.get(OWN_KEY)
    if kept is None:
        st.info("Press **Train my model** to train the MLP with your code (a few seconds).")
        # (The reference's curve alone: it does not depend on the settings.)
        first_view_charts.chart(True, lambda: _figures().training_figure(None),
                                key="mm2_train_ref")
        return
    figures = _figures()
    if kept[0] != settings:
        st.caption("Your last run used other settings: press the button to train with these.")
    own = kept[1]
    charts.plotly_chart(figures.training_figure(own), width="stretch", key="mm2_train_fig")
    train, dev = own["train"], own["dev"]
    if dev is None or train is None:
        st.warning("The loss is not finite: at this learning rate training diverged.")
    else:
        st.caption(f"After {kept[0]['steps']:,} steps at rate {kept[0]['lr']:g}: train loss "
                   f"{train:.4f}, dev loss {dev:.4f} (the reference reaches dev "
                   f"{figures.reference_run()['split_losses']['dev']:.4f} after 200,000 steps).")
