"""Chapter 5.4's demo pieces: pick an engine (the reference, or the learner's own passed exercises
run in the sandbox, through utils.demo_widgets), get a graph or a training run from it, and
train the MLP with a progress bar."""

from __future__ import annotations

from typing import Any

import streamlit as st

from solutions import part4_backprop as reference
from utils.demos import part4_backprop as demos
from utils.demo_widgets import describe_learner_code, learner_demo

STEM = "part4_backprop"
REFERENCE, MINE = "the reference engine", "my engine (my passed exercises)"


def engine_choice(key: str) -> str:
    choice = st.radio("Run it with", (REFERENCE, MINE), horizontal=True, key=key)
    if choice == MINE:
        describe_learner_code(STEM)
    return choice


def demo_data(choice: str, demo: str, **args: Any) -> Any | None:
    """Chapter 5.4's demo data from the chosen engine; None (with a message shown) if it failed."""
    if choice == REFERENCE:
        return getattr(demos, demo)(vars(reference), **args)
    return learner_demo(STEM, demo, **args)


@st.cache_resource(show_spinner="Loading the digits…")
def training_arrays() -> tuple[str, tuple]:
    """MNIST when it is on disk (10 000 training and 2 000 test images: enough to train in a
    few seconds), else the offline digits; as float64 arrays (n, 28, 28) and int labels."""
    from utils.data import get_mnist

    data = get_mnist(allow_download=False)
    if data.source.startswith("MNIST"):
        data = data.subset(10_000, 2_000)
    return data.source, demos._as_arrays(data)


@st.cache_resource
def offline_test_images():
    """The test images the sandboxed training (which always uses the offline digits) predicts."""
    from utils.data import offline_digits

    return demos._as_arrays(offline_digits())[2]


def train_with_progress(choice: str, epochs: int, lr: float, batch_size: int) -> dict | None:
    """Train the MLP, with a progress bar on the reference engine (whose results are kept for
    the session, by settings) and a spinner on the learner's (it runs in the sandbox)."""
    if choice == MINE:
        data = demo_data(choice, "train_digits", epochs=epochs, lr=lr, batch_size=batch_size)
        try:
            return None if data is None else demos.validated_history(data, epochs)
        except ValueError as err:
            st.error(f"Your engine's training run can't be drawn: {err}.")
            return None
    runs = st.session_state.setdefault("bp_training_runs", {})
    key = (epochs, lr, batch_size)
    if key not in runs:
        _, arrays = training_arrays()
        bar = st.progress(0.0, text="Training…")

        def on_epoch(epoch: int, losses: list[float], accuracy: float) -> None:
            bar.progress((epoch + 1) / epochs, text=f"Epoch {epoch + 1}/{epochs}: mean loss "
                         f"{sum(losses) / len(losses):.3f}, validation accuracy "
                         f"{accuracy:.1%}")

        runs[key] = demos.train_on(vars(reference), *arrays, epochs=epochs, lr=lr,
                                   batch_size=batch_size, on_epoch=on_epoch)
    return runs[key]
