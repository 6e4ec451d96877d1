"""Widgets for chapter 4.3's sections 0-3 (the loss at initialisation, saturated tanh, Kaiming init
and layers): "Check my init" and "Look at my hidden layer" draw the model the learner's own
`scaled_init_mlp` makes, "Stack my Linear layers" runs a deep stack of their `Linear`, all in the
sandbox (utils/demos/makemore_activations/init.py). Until a button is pressed, on a fresh server's
first page, the reference's charts are the ones kept for them (utils/first_view_charts.py), so
that the page need not import the chapter's code (torch). Session-state keys start with
"mm3_init_".
"""

from __future__ import annotations

from types import ModuleType

import streamlit as st

from utils import charts, first_view_charts
from utils.demo_widgets import describe_learner_code, validated_learner_demo
from utils.demos import makemore_activations_settings as chapter_settings

__all__ = ["check_my_init", "my_saturation", "my_linear_stack"]

STEM = "makemore_activations"
OUTPUT_SCALES = (1.0, 0.1, 0.01, 0.001, 0.0)
HIDDEN_SCALES = (1.0, 0.5, 0.3, 0.2, 0.1, 0.01, 0.0)


def _figures() -> ModuleType:
    from utils.figures.makemore_activations import init

    return init


def _demos() -> ModuleType:
    from utils.demos.makemore_activations import init

    return init


def _snapshot(key: str, scales: dict[str, float], button: str) -> dict | None:
    """Run the snapshot demo when the button is pressed; the last one kept (with its scales)."""
    if st.button(button, type="primary", key=f"mm3_init_{key}_btn"):
        shown = validated_learner_demo(STEM, "init_snapshot",
                                       lambda data: _demos().validated_snapshot(data),
                                       failure="Your model can't be drawn",
                                       spinner="Drawing your model in the sandbox…", **scales)
        if shown is not None:
            st.session_state[f"mm3_init_{key}"] = (scales, shown)
    kept = st.session_state.get(f"mm3_init_{key}")
    if kept is not None and kept[0] != scales:
        st.caption("Your last drawing used other scales: press the button to draw these.")
    return None if kept is None else kept[1]


def _label(scales: dict[str, float]) -> str:
    return (f"yours: W1 × {scales['w1_scale']:g}, b1 × {scales['b1_scale']:g}, "
            f"W2 × {scales['w2_scale']:g}, b2 × {scales['b2_scale']:g}")


def check_my_init() -> None:
    """The learner's start: one example's logits and probabilities beside the standard start's,
    and its loss on the dev split before training."""
    describe_learner_code(STEM, uses=("scaled_init_mlp",))
    cols = st.columns(2)
    w2 = cols[0].select_slider("W2 scale", OUTPUT_SCALES, value=0.01, key="mm3_init_w2")
    b2 = cols[1].select_slider("b2 scale", OUTPUT_SCALES, value=0.0, key="mm3_init_b2")
    scales = {"w1_scale": 1.0, "b1_scale": 1.0, "w2_scale": float(w2), "b2_scale": float(b2)}
    st.caption("Your `scaled_init_mlp` draws the chapter's model from Karpathy's seed with these "
               "scales; nothing is trained. The figure shows the first example of a fixed "
               "training minibatch.")
    own = _snapshot("logits", scales, "Check my init")
    if own is None:
        st.info("Press **Check my init** to draw your own start beside the standard one.")
        # (The standard start alone: it does not depend on the scales.)
        first_view_charts.chart(True, lambda: _figures().initial_logits(),
                                key="mm3_init_logits_ref")
        return
    figures = _figures()
    standard = figures.reference_snapshot("standard")
    charts.plotly_chart(figures.logits_figure({"standard": standard, _label(scales): own},
                                              "Your start beside the standard one"),
                        width="stretch", key="mm3_init_logits_fig")
    loss = own["dev_loss"]
    text = "not finite" if loss is None else f"{loss:.3f}"
    st.caption(f"Loss on the dev split before training: {text} (a uniform guess: ln 27 ≈ "
               f"3.296; the standard start: {standard['dev_loss']:.2f}).")


def my_saturation() -> None:
    """The learner's start's hidden layer on a minibatch: white where saturated, with their
    saturation_fraction and dead_units."""
    describe_learner_code(STEM, uses=("scaled_init_mlp", "saturation_fraction", "dead_units"))
    cols = st.columns(2)
    w1 = cols[0].select_slider("W1 scale", HIDDEN_SCALES, value=0.2, key="mm3_init_w1")
    b1 = cols[1].select_slider("b1 scale", HIDDEN_SCALES, value=0.01, key="mm3_init_b1")
    scales = {"w1_scale": float(w1), "b1_scale": float(b1), "w2_scale": 0.01, "b2_scale": 0.0}
    own = _snapshot("hidden", scales, "Look at my hidden layer")
    if own is None:
        st.info("Press **Look at my hidden layer** to draw the hidden layer your own "
                "`scaled_init_mlp` makes with these scales.")
        return
    label = _label(scales)
    figures = _figures()
    charts.plotly_chart(figures.saturation_image({"standard": figures.reference_snapshot(
            "standard"), label: own}), width="stretch", key="mm3_init_hidden_img")
    charts.plotly_chart(figures.hidden_histograms({label: own}), width="stretch",
                        key="mm3_init_hidden_hist")
    st.caption(f"Your `saturation_fraction`: {own['saturated']:.1%} of this minibatch's tanh "
               f"outputs are above 0.97 in absolute value; your `dead_units`: {own['dead']} of "
               f"200 units are saturated on all 32 examples.")


def my_linear_stack() -> None:
    """A deep stack of the learner's Linear layers, its statistics over the reference's."""
    describe_learner_code(STEM, uses=("Linear",))
    gain = st.select_slider("gain", chapter_settings.STACK_GAINS, value=5 / 3, key="mm3_init_gain",
                            format_func=chapter_settings.gain_text)
    width = chapter_settings.STACK_WIDTH
    st.caption(f"{chapter_settings.STACK_DEPTH} layers `Linear({width}, {width}, bias=False)` "
               "built with your class, each weight multiplied by the gain, each followed by "
               "`Tanh`.")
    if st.button("Stack my Linear layers", type="primary", key="mm3_init_stack_btn"):
        shown = validated_learner_demo(STEM, "linear_stack",
                                       lambda data: _demos().validated_stack(data),
                                       failure="Your stack can't be drawn",
                                       spinner="Running your layers in the sandbox…",
                                       gain=float(gain))
        if shown is not None:
            st.session_state["mm3_init_stack"] = shown
    yours = st.session_state.get("mm3_init_stack")
    # (Until the learner's stack is drawn, the reference's stacks alone: they do not depend on
    # the gain chosen.)
    first_view_charts.chart(yours is None, lambda: _figures().stack_std_figure(
            [_figures().reference_stack(g) for g in chapter_settings.STACK_GAINS], yours),
            key="mm3_init_stack_fig")
    if yours is None:
        st.info("Press **Stack my Linear layers** to draw your own stack over the reference's.")
        return
    title = (f"Your stack, gain {chapter_settings.gain_text(yours['gain'])}: the tanh outputs "
             "of each layer")
    charts.plotly_chart(_figures().stack_histograms(yours, title), width="stretch",
                        key="mm3_init_stack_hist")
