"""Chapter 2's widgets for its digits sections: the baseline (section 1) and the accuracy-versus-
loss sweep (section 2) drawn from the learner's own functions, run in the sandbox when they press
the button (utils/demos/neural_network_basics/digits.py). Until then, the reference's figure: on
a fresh server's first page, the one kept for it (utils/first_view_charts.py), so that the page
need not import the chapter's code (torch) to draw it. Session-state keys start with
"nn_digits_"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import streamlit as st

from utils import charts, first_view_charts, learner_state
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos.neural_network_basics_settings import BASELINE_NAMES, SWEEP_NAMES

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = ["your_baseline", "your_sweep"]

STEM = "neural_network_basics"


def your_baseline() -> None:
    """The baseline (ideal digits, distances, accuracy) built from the learner's mean_image,
    mnist_distance and is_three."""
    def draw(data: object) -> go.Figure:
        from utils.demos.neural_network_basics.digits import validated_baseline
        from utils.figures.neural_network_basics import digits as figures

        b = validated_baseline(data)
        right, total = b.counts()["overall"]
        return figures.baseline_dashboard(b, f"Your baseline: {right} of {total} validation "
                                             f"digits right ({b.source})")

    def reference() -> go.Figure:
        from utils.figures.neural_network_basics import digits as figures

        kept = figures.reference_baseline()
        right, total = kept.counts()["overall"]
        return figures.baseline_dashboard(kept, f"The reference baseline: {right} of {total} "
                                                f"validation digits right ({kept.source})")

    _live("baseline", "digits_baseline", BASELINE_NAMES, draw, reference)


def your_sweep() -> None:
    """Accuracy and loss as one weight moves, measured with the learner's init_params, linear1,
    mnist_loss and batch_accuracy."""
    def draw(data: object) -> go.Figure:
        from utils.demos.neural_network_basics.digits import validated_sweep
        from utils.figures.neural_network_basics import digits as figures

        return figures.one_weight(validated_sweep(data), "Measured with your code")

    def reference() -> go.Figure:
        from utils.figures.neural_network_basics import digits as figures

        return figures.one_weight(title="Measured with the reference solutions")

    _live("sweep", "digits_one_weight", SWEEP_NAMES, draw, reference)


def _live(name: str, demo: str, uses: tuple[str, ...], draw: Callable[[object], go.Figure],
          reference: Callable[[], go.Figure]) -> None:
    """A button that runs `demo` on the learner's code in the sandbox and keeps its figure for
    the session (with which of the functions it `uses` were theirs); the reference's figure
    until it is pressed (kept for a first view: `first_view_charts.served`)."""
    describe_learner_code(STEM, uses)
    kept = f"nn_digits_{name}_figure"
    if st.button("Draw it with my code", key=f"nn_digits_{name}_run", type="primary"):
        _, passed = learner_state.engine_file(STEM)
        fig = validated_learner_demo(STEM, demo, draw, failure="Your results can't be drawn",
                                     spinner="Running your functions in the sandbox…")
        if fig is not None:
            st.session_state[kept] = (fig, [n for n in uses if n in passed])
    if kept in st.session_state:
        fig, theirs = st.session_state[kept]
        charts.plotly_chart(fig, width="stretch", key=f"nn_digits_{name}_own")
        if theirs:
            st.caption(f"Drawn in the sandbox with your {', '.join(f'`{n}`' for n in theirs)} "
                       "(the reference for the others), as they were when you pressed the "
                       "button; press it again after changing an answer.")
        else:
            st.caption(f"You had passed none of {', '.join(f'`{n}`' for n in uses)} when you "
                       "pressed the button, so the reference solutions drew this, in the "
                       "sandbox where yours will run once they pass.")
    else:
        charts.plotly_chart(first_view_charts.served() or reference(), width="stretch",
                            key=f"nn_digits_{name}_reference")
        st.caption("Drawn by the reference solutions. Press the button to draw it with yours.")
