"""Widgets for chapter 4.1's sections 4-5 (the likelihood, the neural bigram). Session-state
keys start with "mm1_nn_"."""

from __future__ import annotations

import streamlit as st

from utils.figures.makemore_bigrams import neural as figures

__all__ = ["score_name"]


def score_name() -> None:
    """Any name typed here, scored bigram by bigram by the reference count model."""
    cols = st.columns([2, 1])
    name = cols[0].text_input("a name", "emma", max_chars=30, key="mm1_nn_name")
    smoothing = cols[1].radio("smoothing", (1, 0), horizontal=True, key="mm1_nn_smoothing",
                              format_func=lambda s: f"add {s}")
    try:
        fig = figures.name_nll_figure(name, smoothing)
    except ValueError as err:
        st.error(f"Can't score {name!r}: {err}.")
        return
    st.plotly_chart(fig, width="stretch", key="mm1_nn_name_chart")
