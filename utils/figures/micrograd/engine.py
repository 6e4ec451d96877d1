"""Chapter 3's figures for its engine sections (Colab-safe: no Streamlit): the error of a numerical
derivative against its step, and expression graphs recorded by a `Value` class, drawn with the
viewer chapter 5.4 uses (utils.figures.graph_view)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from solutions import micrograd as sol
from utils.caching import cache_data
from utils.demos.micrograd import engine as demos
from utils.figures.graph_view import computational_graph

# The running example of section 1: f(x) = 3x² - 4x + 5, whose slope at x = 3 is 6x - 4 = 14.
EXAMPLE_X = 3.0
EXAMPLE_SLOPE = 14.0


def example_f(x: Any) -> Any:
    return 3 * x ** 2 - 4 * x + 5


def forward_difference_errors(steps: np.ndarray, dtype: type = np.float64) -> np.ndarray:
    """|(f(x + h) - f(x)) / h - f'(x)| for the example at x = 3, computed in `dtype`."""
    x = dtype(EXAMPLE_X)
    errors = []
    for h in steps:
        step = dtype(h)
        estimate = (example_f(x + step) - example_f(x)) / step
        errors.append(abs(float(estimate) - EXAMPLE_SLOPE))
    return np.array(errors)


@cache_data
def derivative_error_figure() -> go.Figure:
    """Error of the forward difference against the step h, in float64 and float32: to the right
    the step is too coarse (error 3h for this quadratic), to the left rounding takes over."""
    steps = np.logspace(-16, 0, 65)
    fig = go.Figure()
    with np.errstate(all="ignore"):
        for dtype, name in ((np.float64, "float64 (Python's float)"), (np.float32, "float32")):
            errors = forward_difference_errors(steps, dtype)
            # An error of exactly 0 (lucky rounding) has no place on a log axis: leave a gap.
            shown = np.where(errors > 0, errors, np.nan)
            fig.add_trace(go.Scatter(x=steps, y=shown, mode="lines+markers", name=name,
                                     marker={"size": 4}, connectgaps=False))
    fig.add_trace(go.Scatter(x=steps, y=3 * steps, mode="lines", name="3h (the step's own error)",
                             line={"dash": "dot", "color": "grey"}))
    fig.update_xaxes(type="log", title_text="step h", exponentformat="power")
    fig.update_yaxes(type="log", title_text="|estimate − 14|", exponentformat="power",
                     range=[-12, 3])
    fig.update_layout(height=380, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      title={"text": "Forward difference of 3x² − 4x + 5 at x = 3: error "
                                     "against step", "font": {"size": 14}},
                      legend={"x": 0.99, "xanchor": "right", "y": 0.99})
    return fig


def graph_figure(data: dict, title: str | None = None) -> go.Figure:
    """A graph description (utils.demos.micrograd.engine.describe_graph) drawn, titled."""
    fig = computational_graph(data)
    if title:
        fig.update_layout(title={"text": title, "font": {"size": 14}}, margin={"t": 40})
    return fig


def draw(root: Any, **names: Any) -> go.Figure:
    """Draw the graph behind any Value `root` you built, with each value's data and grad as they
    are now. Name the inputs to label them: `draw(L, a=a, b=b)`."""
    data = demos.describe_graph(root, {id(v): name for name, v in names.items()})
    return graph_figure(data)


@cache_data
def expression_graph(expression: str, a: float = 2.0, b: float = -3.0, c: float = 10.0,
                     backward: bool = True) -> go.Figure:
    """The reference Value's graph of `expression`, after backward() (or before, with every
    grad still 0)."""
    data = demos.value_graph(vars(sol), expression, {"a": a, "b": b, "c": c}, backward=backward)
    used = [f"{name} = {x:g}" for name, x in (("a", a), ("b", b), ("c", c))
            if name in {n["label"] for n in data["nodes"] if n["is_input"]}]
    return graph_figure(data, f"{expression} at {', '.join(used)}"
                              + ("" if backward else ", before backward()"))


def engine_graph(namespace: Mapping[str, Any], expression: str,
                 inputs: Mapping[str, float]) -> go.Figure:
    """The graph the `Value` in `namespace` (in a notebook, `globals()`: yours) records for
    `expression`, after backward(); where yours can't run yet, the reference's, saying why."""
    try:
        data, made_by = demos.value_graph(namespace, expression, inputs), "your Value"
    except demos.ExpressionError:
        raise  # the expression's fault: its message says what to change
    except NotImplementedError:
        made_by = "the reference Value (yours is not written yet)"
    except Exception as err:  # noqa: BLE001 - any bug of the learner's: name it, draw the reference
        made_by = f"the reference Value (yours raised {type(err).__name__}: {str(err)[:80]})"
    if made_by != "your Value":
        data = demos.value_graph(vars(sol), expression, inputs)
    return graph_figure(data, f"{expression}, drawn with {made_by}")
