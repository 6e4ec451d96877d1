"""Widgets for chapter 4.1's sections 4-5 (the likelihood, the neural bigram). In its default
state, on a fresh server's first page, each draws the chart kept for it
(utils/first_view_charts.py), so that the page need not import the chapter's code (torch).
Session-state keys start with "mm1_nn_"."""

from __future__ import annotations

import streamlit as st

from types import ModuleType

from utils import first_view_charts
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos.makemore_bigrams_settings import EVERY, STEPS

__all__ = ["score_name", "train_my_bigram"]

STEM = "makemore_bigrams"
OWN_KEY = "mm1_nn_own"
USES = ("build_vocab", "bigram_pairs", "neural_bigram_loss", "train_neural_bigram",
        "bigram_counts", "bigram_probs", "mean_nll")
FIRST_NAME, FIRST_SMOOTHING = "emma", 1  # what the name box and the radio start at
SMOOTHINGS = (1, 0)


def _figures() -> ModuleType:
    from utils.figures.makemore_bigrams import neural

    return neural


def score_name() -> None:
    """Any name typed here, scored bigram by bigram by the reference count model."""
    cols = st.columns([2, 1])
    name = cols[0].text_input("a name", FIRST_NAME, max_chars=30, key="mm1_nn_name")
    smoothing = cols[1].radio("smoothing", SMOOTHINGS, index=SMOOTHINGS.index(FIRST_SMOOTHING),
                              horizontal=True, key="mm1_nn_smoothing",
                              format_func=lambda s: f"add {s}")
    try:
        first_view_charts.chart((name, smoothing) == (FIRST_NAME, FIRST_SMOOTHING),
                                lambda: _figures().name_nll_figure(name, smoothing),
                                key="mm1_nn_name_chart")
    except ValueError as err:
        st.error(f"Can't score {name!r}: {err}.")


def train_my_bigram() -> None:
    """The reference run, and the learner's own neural bigram trained in the sandbox."""
    describe_learner_code(STEM, USES)
    steps = st.radio("steps", STEPS, index=len(STEPS) - 1, horizontal=True, key="mm1_nn_steps")
    st.caption(f"Your model trains on every {EVERY}th name (a quarter of the bigrams, so that "
               "it fits in the sandbox's time), full batch, lr 50, regularization 0.01, W drawn "
               "from the same seed as the reference's.")
    if st.button("Train my model", type="primary", key="mm1_nn_button"):
        shown = validated_learner_demo(STEM, "train_my_bigram",
                                       lambda data: _validated_run(data, steps),
                                       failure="Your run can't be drawn",
                                       spinner="Training your bigram in the sandbox…",
                                       steps=steps)
        if shown is not None:
            st.session_state[OWN_KEY] = (steps, shown)
    kept = st.session_state.get(OWN_KEY)
    own = kept[1] if kept is not None else None
    if kept is not None and kept[0] != steps:
        st.caption("Your last run took another number of steps: press the button to train "
                   "with this one.")
    first_view_charts.chart(own is None, lambda: _figures().training_figure(own),
                            key="mm1_nn_training")
    if own is not None:
        st.caption(f"Your run: loss {own['losses'][0]:.4f} at the start, "
                   f"{own['losses'][-1]:.4f} at step {len(own['losses']) - 1}; your count "
                   f"model's NLL on the same {own['n_words']:,} names is "
                   f"{own['count_nll']:.4f}.")


def _validated_run(data: object, steps: int) -> dict:
    from utils.demos.makemore_bigrams.neural import validated_run

    return validated_run(data, steps)
