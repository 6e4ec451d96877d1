"""Widgets for chapter 4.1's sections 2-3: "Draw my counts" (the learner's count matrix on the
chapter's names) and "Sample from my model" (names from their model and from the uniform one,
with a seed picked here). Both run the learner's code in the sandbox
(utils/demos/makemore_bigrams/counting.py); until the button is pressed they show the
reference's: on a fresh server's first page, in their default state, the chart kept for it
(utils/first_view_charts.py), so that the page need not import the chapter's code (torch).
Session-state keys start with "mm1_count_".
"""

from __future__ import annotations

import streamlit as st

from types import ModuleType

from utils import charts, first_view_charts
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos.makemore_bigrams_settings import MAX_SAMPLES, MAX_SEED

__all__ = ["draw_my_counts", "sample_my_model"]

STEM = "makemore_bigrams"
COUNTS_KEY = "mm1_count_own_counts"
SAMPLES_KEY = "mm1_count_own_samples"
FIRST_SEED, FIRST_COUNT = 2147483647, 15  # the seed box's and the slider's values as it opens


def _figures() -> ModuleType:
    from utils.figures.makemore_bigrams import counting

    return counting


def _demos() -> ModuleType:
    from utils.demos.makemore_bigrams import counting

    return counting


def draw_my_counts() -> None:
    """The reference's heatmap, or the learner's once they press the button."""
    describe_learner_code(STEM, uses=("build_vocab", "bigram_counts"))
    if st.button("Draw my counts", type="primary", key="mm1_count_button"):
        shown = validated_learner_demo(STEM, "draw_counts",
                                       lambda data: _demos().validated_counts(data),
                                       failure="Your counts can't be drawn",
                                       spinner="Counting with your code in the sandbox…")
        if shown is not None:
            st.session_state[COUNTS_KEY] = shown
    own = st.session_state.get(COUNTS_KEY)
    if own is None:
        first_view_charts.chart(True, lambda: _figures().reference_heatmap(),
                                key="mm1_count_reference_heatmap")
        return
    figures = _figures()
    N, itos, source = own
    total = sum(map(sum, N))
    charts.plotly_chart(figures.count_heatmap(N, itos, "Your bigram counts on the "
                                              f"{figures.short_source(source)}"),
                        key="mm1_count_own_heatmap")
    st.caption(f"Your counts add up to {total:,} bigrams over {len(N)} symbols.")


def sample_my_model() -> None:
    """Names from the learner's model and from the uniform model, side by side."""
    describe_learner_code(STEM, uses=("build_vocab", "bigram_counts", "bigram_probs",
                                      "sample_names"))
    cols = st.columns(2)
    seed = int(cols[0].number_input("seed", min_value=0, max_value=MAX_SEED,
                                    value=FIRST_SEED, step=1, key="mm1_count_seed"))
    n = int(cols[1].slider("names", 5, MAX_SAMPLES, FIRST_COUNT, key="mm1_count_n"))
    if st.button("Sample from my model", type="primary", key="mm1_count_sample_button"):
        shown = validated_learner_demo(STEM, "sample_my_model",
                                       lambda data: _demos().validated_samples(data, n),
                                       failure="Your names can't be shown",
                                       spinner="Sampling from your model in the sandbox…", n=n,
                                       seed=seed)
        if shown is not None:
            st.session_state[SAMPLES_KEY] = ((n, seed), shown)
    kept = st.session_state.get(SAMPLES_KEY)
    if kept is None or kept[0] != (n, seed):
        if kept is not None:
            st.caption("Your last names used another seed or count: press the button to draw "
                       "these.")
        first_view_charts.chart((seed, n) == (FIRST_SEED, FIRST_COUNT),
                                lambda: _figures().reference_samples(n, seed),
                                key="mm1_count_reference_samples")
        return
    figures = _figures()
    data = kept[1]
    source = figures.short_source(data.get("source", ""))
    charts.plotly_chart(figures.samples_table(
        {"your bigram model": data["model"], "uniform model": data["uniform"]},
        f"{n} names from your code, seed {seed} ({source})"), key="mm1_count_own_samples")
