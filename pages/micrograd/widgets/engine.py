"""Chapter 3's widgets for its engine sections (1-4): "draw my graph". The learner types or picks
an expression of a, b, c and sets the inputs; the graph the reference `Value` records is drawn at
once, and a toggle runs the same expression on their own `Value` in the sandbox (once per version
of their code and expression, kept for the session). Session-state keys start with "mge_".

The chapter's engine, demos and figures are imported only when the widget computes: at its
defaults, on a fresh server's first page, it draws the graph kept for it
(utils/first_view_charts.py).
"""

from __future__ import annotations

import hashlib
from types import ModuleType
from typing import TYPE_CHECKING

import streamlit as st

from utils import charts, first_view_charts, learner_state
from utils.demo_widgets import validated_learner_demo
from utils.demos.micrograd_settings import MAX_EXPRESSION_CHARS
from utils.expressions import ExpressionError

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = ["draw_my_graph"]

STEM = "micrograd"
# Picks that show the section's points: reuse, two paths, reflected forms, tanh from exp.
EXAMPLES = {
    "a neuron: (a * b + c).tanh()": "(a * b + c).tanh()",
    "a used twice: a * a + a": "a * a + a",
    "reflected forms: 1 - 2 / a + 3 * b": "1 - 2 / a + 3 * b",
    "tanh from exp: ((2 * a).exp() - 1) / ((2 * a).exp() + 1)":
        "((2 * a).exp() - 1) / ((2 * a).exp() + 1)",
    "relu and a power: (a * b).relu() + c ** 2": "(a * b).relu() + c ** 2",
}


DEFAULT_EXPRESSION = next(iter(EXAMPLES.values()))
DEFAULT_INPUTS = {"a": 2.0, "b": -3.0, "c": 6.5}


def _demos() -> ModuleType:
    from utils.demos.micrograd import engine

    return engine


def _figures() -> ModuleType:
    from utils.figures.micrograd import engine

    return engine


def _reference_graph(expression: str, inputs: dict[str, float]) -> go.Figure:
    from solutions import micrograd as sol

    data = _demos().value_graph(vars(sol), expression, inputs)
    return _figures().graph_figure(data, f"{expression}, drawn with the reference Value")


def _pick() -> None:
    st.session_state["mge_expression"] = EXAMPLES[st.session_state["mge_example"]]


def draw_my_graph() -> None:
    """An expression's graph with every value's data and grad after backward()."""
    st.selectbox("Pick an example", list(EXAMPLES), key="mge_example", on_change=_pick)
    if "mge_expression" not in st.session_state:
        st.session_state["mge_expression"] = DEFAULT_EXPRESSION
    expression = st.text_input("…or type an expression of a, b, c (+ - * /, ** with a number, "
                               ".exp() .tanh() .relu())", key="mge_expression",
                               max_chars=MAX_EXPRESSION_CHARS)
    cols = st.columns(3)
    inputs = {name: cols[i].number_input(name, value=default, step=0.5, key=f"mge_{name}")
              for i, (name, default) in enumerate(DEFAULT_INPUTS.items())}
    try:
        _demos().parse_expression(expression)
        _demos().parse_inputs(inputs)
    except ExpressionError as err:
        st.warning(str(err))
        return
    if st.toggle("Draw it with my `Value`", key="mge_own"):
        _draw_own(expression, inputs)
        return
    try:
        first_view_charts.chart(expression == DEFAULT_EXPRESSION and inputs == DEFAULT_INPUTS,
                                lambda: _reference_graph(expression, inputs), theme=None,
                                key="mge_chart")
    except ExpressionError as err:
        st.warning(str(err))
        return
    st.caption("Squares are the inputs a, b, c; each circle is a value an operation made, "
               "labelled by its `_op`. Darker nodes are visited earlier by `backward()` (step 0 "
               "is the output).")


def _draw_own(expression: str, inputs: dict[str, float]) -> None:
    code, theirs = learner_state.engine_file(STEM)
    digest = hashlib.sha256(f"{sorted(theirs)}\n{expression}\n{sorted(inputs.items())}\n{code}"
                            .encode()).hexdigest()
    kept = st.session_state.setdefault("mge_own_graphs", {})
    if digest not in kept:
        def checked(data: dict) -> dict:
            from utils.figures.graph_view import validated_graph

            validated_graph(data)
            return data

        data = validated_learner_demo(STEM, "value_graph", checked,
                                      failure="Your `Value`'s graph can't be drawn",
                                      spinner="Running your `Value` in the sandbox…",
                                      expression=expression, inputs=inputs)
        if data is None:
            return
        kept[digest] = data
    who = "your Value" if "Value" in theirs else "the reference Value (yours has not passed)"
    charts.plotly_chart(_figures().graph_figure(kept[digest], f"{expression}, drawn with {who}"),
                        width="stretch", theme=None, key="mge_own_chart")
    if "Value" not in theirs:
        st.caption("You have not passed `Value` yet, so the reference ran, in the sandbox "
                   "where your code will run once it passes.")
