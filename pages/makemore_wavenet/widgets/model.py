"""Chapter 4.5's widgets for sections 4-5: "Trace my model" draws the shape trace of the learner's
build_wavenet by their shape_trace, and "Train my model" trains it with their train_wavenet and
evaluate_loss, both in the sandbox (utils/demos/makemore_wavenet/model.py). Until a button is
pressed, on a fresh server's first page, the reference's charts are the ones kept for them
(utils/first_view_charts.py), so that the page need not import the chapter's code (torch).
Session-state keys start with "mm5_model_".
"""

from __future__ import annotations

from types import ModuleType

import streamlit as st

from utils import charts, first_view_charts, learner_state
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos.makemore_wavenet_settings import MAX_STEPS, SEED

__all__ = ["trace_my_model", "train_my_model"]

STEM = "makemore_wavenet"
RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
TRACE_KEY, TRAIN_KEY = "mm5_model_trace_own", "mm5_model_train_own"


def _figures() -> ModuleType:
    from utils.figures.makemore_wavenet import model

    return model


def _demos() -> ModuleType:
    from utils.demos.makemore_wavenet import model

    return model


def _whose(uses: tuple[str, ...]) -> str:
    """Whose functions the sandbox ran, as the figure's title names them: the learner's once
    they have passed them, the reference's otherwise (as describe_learner_code says above)."""
    own = learner_state.engine_file(STEM)[1]
    theirs = [name for name in uses if name in own]
    rest = [name for name in uses if name not in own]
    if not theirs:
        return f"the reference {' and '.join(rest)}"
    return f"your {' and '.join(theirs)}" + (f" and the reference {' and '.join(rest)}"
                                             if rest else "")


def trace_my_model() -> None:
    """The button, and the trace of the learner's model (the reference's until pressed)."""
    describe_learner_code(STEM, ("build_wavenet", "shape_trace"))
    if st.button("Trace my model", type="primary", key="mm5_model_trace_button"):
        shown = validated_learner_demo(STEM, "trace_model",
                                       lambda data: _demos().validated_trace(data),
                                       failure="Your trace can't be drawn",
                                       spinner="Tracing your model in the sandbox…")
        if shown is not None:  # whose code ran is named as of the press
            st.session_state[TRACE_KEY] = {**shown, "whose": _whose(("build_wavenet",
                                                                     "shape_trace"))}
    own = st.session_state.get(TRACE_KEY)
    if own is None:
        st.caption("The reference's trace; press **Trace my model** to see yours.")
    title = own.get("whose", "") if own is not None else ""
    first_view_charts.chart(own is None, lambda: _figures().shape_trace_table(own, title),
                            key="mm5_model_trace_fig")


def train_my_model() -> None:
    """Settings, the button, and the learner's run beside the reference's first steps."""
    describe_learner_code(STEM, ("build_wavenet", "train_wavenet", "evaluate_loss"))
    cols = st.columns(3)
    steps = cols[0].slider("steps", 100, MAX_STEPS, 1_000, step=100, key="mm5_model_steps")
    lr = cols[1].select_slider("learning rate", RATES, value=0.1, key="mm5_model_lr")
    seed = cols[2].number_input("seed", min_value=0, max_value=2 ** 31 - 1, value=SEED, step=1,
                                key="mm5_model_seed")
    settings = {"steps": int(steps), "seed": int(seed), "lr": float(lr)}
    st.caption(f"Contexts of 8, 24-d embeddings, 128 units per level, minibatches of 32, on the "
               f"chapter's training names; build_wavenet and train_wavenet share one generator "
               f"seeded with {int(seed)}. With seed {SEED} and rate 0.1 your run is the "
               f"reference's first {int(steps):,} steps, number for number.")
    if st.button("Train my model", type="primary", key="mm5_model_train_button"):
        shown = validated_learner_demo(STEM, "train_model",
                                       lambda data: _demos().validated_run(data, settings["steps"]),
                                       failure="Your run can't be drawn",
                                       spinner="Training your model in the sandbox…", **settings)
        if shown is not None:  # whose code ran is named as of the press
            whose = _whose(("build_wavenet", "train_wavenet", "evaluate_loss"))
            st.session_state[TRAIN_KEY] = (settings, {**shown, "whose": whose})
    kept = st.session_state.get(TRAIN_KEY)
    if kept is None:
        st.info("Press **Train my model** to train the WaveNet with your code (a few seconds).")
        # (The reference's curve alone: it does not depend on the settings.)
        first_view_charts.chart(True, lambda: _figures().training_figure(None),
                                key="mm5_model_ref")
        return
    figures = _figures()
    if kept[0] != settings:
        st.caption("Your last run used other settings: press the button to train with these.")
    own = kept[1]
    dev = "not finite (diverged)" if own["dev"] is None else f"{own['dev']:.3f}"
    title = f"{own.get('whose', 'yours')}: dev loss {dev}"
    charts.plotly_chart(figures.training_figure(own, title), width="stretch",
                        key="mm5_model_train_fig")
    if own["dev"] is None:
        st.warning("The loss is not finite: at this learning rate training diverged.")
    else:
        st.caption(f"After {kept[0]['steps']:,} steps at rate {kept[0]['lr']:g}: dev loss "
                   f"{own['dev']:.4f} (the reference reaches "
                   f"{figures.reference_run()['split_losses']['dev']:.4f} after 200,000 steps).")
