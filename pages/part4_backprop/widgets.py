"""Chapter 4's page-only pieces: one function per {widget} directive in its sections."""

import streamlit as st

from utils.demos.part4_backprop import ExpressionError, parse_expression, parse_inputs
from utils.engine_view import (demo_data, engine_choice, MINE, offline_test_images,
                               train_with_progress, training_arrays)
from utils.figures import part4_backprop as figures
from utils.navigation import section_page
from utils.widgets import compute_button

STEM = "part4_backprop"


def backward_by_hand_1() -> None:
    st.code(figures.GRADCHECK_EXAMPLE, language="python")


def backward_by_hand_2() -> None:
    cols = st.columns(3)
    a = cols[0].slider("a", 0.2, 3.0, 1.0, 0.1, key="bp_a")
    b = cols[1].slider("b", 0.2, 3.0, 2.0, 0.1, key="bp_b")
    c = cols[2].slider("c", 1.5, 20.0, 10.0, 0.5, key="bp_c")
    st.plotly_chart(figures.expression_graph(a, b, c), width="stretch", theme=None)


def graph_1() -> None:
    expression = st.text_input("Expression", "log(a * b * log(c))", key="bp_expression",
                               max_chars=200)
    cols = st.columns(3)
    texts = {name: cols[i].text_input(name, default, key=f"bp_input_{name}", max_chars=200)
             for i, (name, default) in enumerate((("a", "1, 2, 3"), ("b", "2, 3, 1"),
                                                  ("c", "10")))}
    choice = engine_choice("bp_graph_engine")
    try:
        parse_expression(expression)
        parse_inputs(texts)
    except ExpressionError as err:
        st.warning(str(err))
    else:
        try:
            data = demo_data(choice, "expression_graph", expression=expression, inputs=texts)
        except Exception as err:  # noqa: BLE001 - e.g. shapes that do not match for @
            st.warning(f"The engine could not evaluate that: {err}")
            data = None
        if data is not None:
            st.plotly_chart(figures.computational_graph(data), width="stretch", theme=None)


def together_1() -> None:
    variances = " → ".join(f"{v:.2g}" for v in figures.linear_stack_variances())
    st.markdown(
        rf"""
    That makes the scale independent of the **width**, not of the **depth**: every layer multiplies
    the variance by about $\frac13$, and by about $\frac16$ with a ReLU after it (which sets the
    negative half of its inputs to zero). Five 256-wide layers of this `Linear`, fed
    unit-variance inputs, give variances {variances}. This chapter's MLP has three layers and
    trains fine; deeper ReLU networks start from **Kaiming (He) initialisation**, standard
    deviation $\text{{gain}} / \sqrt{{\text{{fan\_in}}}}$ with gain $\sqrt2$ for ReLU, which keeps
    the variance the same from layer to layer. Chapter 2's *Making your own modules* page has the
    whole story, with a live figure.
    """
    )
    st.page_link(section_page("part2_cnns", "modules"), label="Chapter 2: how big the initial "
                 "weights should be", icon="📏")


def together_2() -> None:
    source, (_, _, test_images, _) = training_arrays()
    st.markdown(
        f"Train it. Data: **{source}**. With *my engine*, everything you have passed in this "
        "chapter is yours (the rest is the reference), trained on the offline digits in the "
        "sandbox."
    )
    cols = st.columns(3)
    epochs = cols[0].slider("epochs", 1, 20, 10, key="bp_epochs")
    lr = cols[1].select_slider("learning rate", (0.01, 0.03, 0.1, 0.3), 0.1, key="bp_lr")
    batch_size = cols[2].select_slider("batch size", (16, 32, 64, 128), 32, key="bp_batch")
    choice = engine_choice("bp_train_engine")
    if compute_button("Train the MLP", key="bp_train"):
        history = train_with_progress(choice, epochs, lr, batch_size)
        if history is not None:
            accuracy = history["epoch_accuracy"][-1]
            st.metric("test accuracy after the last epoch", f"{accuracy:.1%}")
            st.plotly_chart(figures.training_curves(history), width="stretch")
            shown = offline_test_images() if choice == MINE else test_images
            st.plotly_chart(figures.digit_predictions(shown, history["labels"],
                                                      history["predictions"]),
                            width="stretch", theme=None)
