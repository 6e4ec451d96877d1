"""Chapter 5.4's interactive pieces, one function per `{widget}` directive in its section sources
(pages/part4_backprop/<n>_<key>.md), drawn by utils/section_view.py.

Each directive's body is the notebook's static stand-in for the widget (a figure with fixed
arguments, or drawn with the learner's own engine). The session-state keys (`bp_*`) keep the
learner's settings across reruns, and tests/test_part4_demos.py drives the widgets by them.

Nothing here imports torch (the engine is NumPy's), and the figures module is imported only
when a widget computes: at its defaults, on a fresh server's first page, a widget draws the
charts and texts kept for it (utils/first_view_charts.py): the training demo's caption names its
data, which utils.data (torch) loads.
"""

from types import ModuleType

import streamlit as st

from utils import charts, first_view_charts, page_icons
from utils.demos.part4_backprop import ExpressionError, parse_expression, parse_inputs
from utils.engine_view import (demo_data, engine_choice, MINE, offline_test_images, REFERENCE,
                               train_with_progress, training_arrays)
from utils.navigation import section_page
from utils.widgets import compute_button


EXPRESSION_DEFAULTS = {"expression": "log(a * b * log(c))", "a": "1, 2, 3", "b": "2, 3, 1",
                       "c": "10"}


def _figures() -> ModuleType:
    from utils.figures import part4_backprop

    return part4_backprop


def backprop_by_hand_graph() -> None:
    """The graph of g = log(a·b·log c) with every value and gradient, for the sliders' a, b, c."""
    cols = st.columns(3)
    a = cols[0].slider("a", 0.2, 3.0, 1.0, 0.1, key="bp_a")
    b = cols[1].slider("b", 0.2, 3.0, 2.0, 0.1, key="bp_b")
    c = cols[2].slider("c", 1.5, 20.0, 10.0, 0.5, key="bp_c")
    first_view_charts.chart((a, b, c) == (1.0, 2.0, 10.0),
                            lambda: _figures().expression_graph(a, b, c), theme=None,
                            key="bp_hand_chart")


def typed_expression_graph() -> None:
    """The graph an engine (the reference, or the learner's in the sandbox) records for a typed
    expression, with backprop's gradients and steps."""
    expression = st.text_input("Expression", EXPRESSION_DEFAULTS["expression"],
                               key="bp_expression", max_chars=200)
    cols = st.columns(3)
    texts = {name: cols[i].text_input(name, EXPRESSION_DEFAULTS[name], key=f"bp_input_{name}",
                                      max_chars=200)
             for i, name in enumerate(("a", "b", "c"))}
    choice = engine_choice("bp_graph_engine")
    at_default = choice == REFERENCE and {"expression": expression, **texts} == EXPRESSION_DEFAULTS
    kept = first_view_charts.served() if at_default else None
    if kept is not None:  # the reference engine's graph of the default expression, as kept
        charts.plotly_chart(kept, theme=None, key="bp_graph_chart")
        return
    try:
        parse_expression(expression)
        parse_inputs(texts)
    except ExpressionError as err:
        st.warning(str(err))
        return
    try:
        data = demo_data(choice, "expression_graph", expression=expression, inputs=texts)
    except Exception as err:  # noqa: BLE001 - e.g. shapes that do not match for @
        st.warning(f"The engine could not evaluate that: {err}")
        return
    if data is not None:
        charts.plotly_chart(_figures().computational_graph(data), width="stretch", theme=None,
                            key="bp_graph_chart")


def init_variance_by_depth() -> None:
    """How the variance shrinks through a stack of Linear layers, and where chapter 5.2 goes on."""
    first_view_charts.chart(True, lambda: _figures().linear_stack_figure(), key="bp_stack_chart")
    st.page_link(section_page("part2_cnns", "modules"), label="Chapter 5.2: how big the initial "
                 "weights should be", icon=page_icons.SEE_ALSO)


def train_mlp_demo() -> None:
    """Train the MLP with the chosen engine and settings: its curves, accuracy and predictions."""
    st.caption(first_view_charts.text(0, True, lambda: f"Data: **{training_arrays()[0]}**."))
    cols = st.columns(3)
    epochs = cols[0].slider("epochs", 1, 20, 10, key="bp_epochs")
    lr = cols[1].select_slider("learning rate", (0.01, 0.03, 0.1, 0.3), 0.1, key="bp_lr")
    batch_size = cols[2].select_slider("batch size", (16, 32, 64, 128), 32, key="bp_batch")
    choice = engine_choice("bp_train_engine")
    if compute_button("Train the MLP", key="bp_train"):
        history = train_with_progress(choice, epochs, lr, batch_size)
        if history is not None:
            cols = st.columns(2)
            cols[0].metric("validation accuracy after the last epoch",
                           f"{history['val_accuracy'][-1]:.1%}")
            cols[1].metric("test accuracy, measured once after training",
                           f"{history['test_accuracy']:.1%}")
            figures = _figures()
            charts.plotly_chart(figures.training_curves(history), width="stretch")
            shown = offline_test_images() if choice == MINE else training_arrays()[1][2]
            charts.plotly_chart(figures.digit_predictions(shown, history["labels"],
                                                          history["predictions"]),
                                width="stretch", theme=None)
