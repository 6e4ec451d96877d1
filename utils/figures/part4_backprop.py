"""Chapter 5.4's figures, for its pages and its notebook: computational graphs with forward values
and gradients, the step size of finite differences, the variance through a stack of layers, and
training curves.

No Streamlit here (Colab has none): caching comes from utils.caching, and the pages' controls are
in pages/part4_backprop/widgets.py. `engine_graph` and `engine_training` draw with a notebook's
own engine (its `globals()`), falling back to the reference where it can't run yet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go

from solutions import part4_backprop as sol
from utils.caching import cache_data
from utils.demos import part4_backprop as demos
# The viewer lives in graph_view (chapter 3 draws with it too); the pages find it here.
from utils.figures.graph_view import computational_graph, validated_graph  # noqa: F401

_SECTIONS = Path(__file__).resolve().parents[2] / "pages" / "part4_backprop"


def _shown_code(section_file: str) -> str:
    """The first ```python block of a section's prose: code the page and the notebook show."""
    text = (_SECTIONS / section_file).read_text(encoding="utf-8")
    return re.search(r"^```python\n(.*?)^```", text, re.DOTALL | re.MULTILINE)[1]


# The gradcheck usage example of "Backward functions by hand"; tests/test_page_snippets.py runs it.
GRADCHECK_EXAMPLE = _shown_code("1_backward_by_hand.md")

# The graph of g = log(a * b * log(c)): node -> (x, y position, parents).
_LAYOUT = {"a": (0, 2, ()), "b": (0, 1, ()), "c": (0, 0, ()), "d = a·b": (1, 1.5, ("a", "b")),
           "e = log c": (1, 0, ("c",)), "f = d·e": (2, 0.75, ("d = a·b", "e = log c")),
           "g = log f": (3, 0.75, ("f = d·e",))}


def expression_values(a: float, b: float, c: float) -> dict[str, tuple[float, float, int]]:
    """For each node: (forward value, dg/dnode, its position in the backward pass)."""
    A, B, C = (np.array([v]) for v in (a, b, c))
    d, e = A * B, np.log(C)
    f = d * e
    g = np.log(f)
    dg = np.ones_like(g)
    df = sol.log_back(dg, g, f)
    dd, de = sol.multiply_back0(df, f, d, e), sol.multiply_back1(df, f, d, e)
    da, db = sol.multiply_back0(dd, d, A, B), sol.multiply_back1(dd, d, A, B)
    dc = sol.log_back(de, e, C)
    values = {"a": (A, da, 6), "b": (B, db, 5), "c": (C, dc, 4), "d = a·b": (d, dd, 2),
              "e = log c": (e, de, 3), "f = d·e": (f, df, 1), "g = log f": (g, dg, 0)}
    return {k: (float(v[0]), float(gr[0]), order) for k, (v, gr, order) in values.items()}


@cache_data
def expression_graph(a: float, b: float, c: float) -> go.Figure:
    """The graph, each node labelled with its value and its gradient; edges point forward, and
    the backward pass visits nodes in the numbered order."""
    values = expression_values(a, b, c)
    fig = go.Figure()
    for node, (x, y, parents) in _LAYOUT.items():
        for parent in parents:
            px_, py_, _ = _LAYOUT[parent]
            fig.add_annotation(x=x - 0.12, y=y, ax=px_ + 0.12, ay=py_, xref="x", yref="y",
                               axref="x", ayref="y", showarrow=True, arrowhead=2,
                               arrowcolor="#adb5bd", arrowwidth=2)
    xs = [pos[0] for pos in _LAYOUT.values()]
    ys = [pos[1] for pos in _LAYOUT.values()]
    labels = [f"<b>{node}</b><br>value {values[node][0]:.4g}<br>∂g/∂· = {values[node][1]:.4g}"
              f"<br>backward step {values[node][2]}" for node in _LAYOUT]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers+text", text=labels,
                             textposition="bottom center", hoverinfo="text",
                             marker={"size": 28, "color": [values[n][2] for n in _LAYOUT],
                                     "colorscale": "Oranges", "reversescale": True,
                                     "line": {"width": 1, "color": "#495057"}}))
    fig.update_layout(height=430, showlegend=False, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      xaxis={"visible": False, "range": [-0.4, 3.4]},
                      yaxis={"visible": False, "range": [-0.8, 2.4]})
    return fig


def engine_demo(engine: Mapping[str, Any], demo: str, **args: Any) -> tuple[Any, str]:
    """Run one of utils.demos.part4_backprop's demos on `engine` (in a notebook, `globals()`: the
    learner's functions). Where that engine can't run it yet (an exercise not done, a function
    not defined yet, an error), run it on the reference engine instead, so that a notebook's
    "Run all" goes on. Returns the demo's data and a line saying which engine made it."""
    try:
        return getattr(demos, demo)(engine, **args), "your engine"
    except demos.ExpressionError:
        raise  # the expression's fault, not the engine's: the message says what to change
    except NotImplementedError:
        why = "an exercise it needs is not done yet"
    except KeyError as err:
        why = f"{err.args[0]!r} is not defined yet"
    except Exception as err:  # noqa: BLE001 - any bug of the learner's: say it, draw the reference's
        why = f"it raised {type(err).__name__}: {str(err)[:120]}"
    return getattr(demos, demo)(vars(sol), **args), f"the reference engine (yours: {why})"


def engine_graph(engine: Mapping[str, Any], expression: str,
                 inputs: Mapping[str, str]) -> go.Figure:
    """The graph `engine` records for `expression` on `inputs` (as typed on the page: "1, 2, 3"
    or "1 2; 3 4"), drawn as computational_graph draws it, titled with the engine that drew it."""
    data, made_by = engine_demo(engine, "expression_graph", expression=expression,
                                inputs=dict(inputs))
    fig = computational_graph(data)
    fig.update_layout(title={"text": f"{expression}, drawn with {made_by}", "font": {"size": 14}},
                      margin={"t": 40})
    return fig


def engine_training(engine: Mapping[str, Any], epochs: int = 5, lr: float = 0.1,
                    batch_size: int = 32) -> go.Figure:
    """Train the MLP with `engine` on the offline digits (a second an epoch), and draw its
    training curves, titled with the engine, its last validation accuracy and the test accuracy
    measured once, after training."""
    history, made_by = engine_demo(engine, "train_digits", epochs=epochs, lr=lr,
                                   batch_size=batch_size)
    fig = training_curves(history)
    fig.update_layout(title={"text": f"Trained with {made_by}: validation accuracy "
                                     f"{history['val_accuracy'][-1]:.1%} after {epochs} epochs"
                                     f"<br>test accuracy, measured once at the end: "
                                     f"{history['test_accuracy']:.1%}",
                             "font": {"size": 14}}, margin={"t": 70}, height=370)
    return fig


def training_curves(history: dict) -> go.Figure:
    """Loss of every batch, and the validation accuracy after each epoch, on a shared epoch
    axis."""
    from plotly.subplots import make_subplots

    losses = [float(v) for v in history["batch_losses"]]
    per_epoch = max(int(history["batches_per_epoch"]), 1)
    accuracy = [float(v) for v in history["val_accuracy"]]
    fig = make_subplots(rows=1, cols=2, subplot_titles=("training loss (each batch)",
                                                        "validation accuracy (after each epoch)"))
    fig.add_trace(go.Scatter(x=[i / per_epoch for i in range(1, len(losses) + 1)], y=losses,
                             mode="lines", name="loss", line={"width": 1}), row=1, col=1)
    fig.add_trace(go.Scatter(x=list(range(1, len(accuracy) + 1)), y=accuracy,
                             mode="lines+markers", name="accuracy"), row=1, col=2)
    fig.update_xaxes(title_text="epoch")
    fig.update_yaxes(tickformat=".0%", range=[0, 1], row=1, col=2)
    fig.update_layout(height=330, showlegend=False, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def digit_predictions(images: np.ndarray, labels: list[int], predictions: list[int]) -> go.Figure:
    """Ten test digits, each titled with the model's guess (and the truth when it's wrong)."""
    from plotly.subplots import make_subplots

    titles = [f"{p}" if p == y else f"{p} (is {y})" for p, y in zip(predictions, labels)]
    fig = make_subplots(rows=1, cols=len(titles), subplot_titles=titles,
                        horizontal_spacing=0.01)
    for i, image in enumerate(images[:len(titles)]):
        fig.add_trace(go.Heatmap(z=image[::-1], colorscale="gray_r", showscale=False),
                      row=1, col=i + 1)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    fig.update_layout(height=160, margin={"l": 0, "r": 0, "t": 30, "b": 0})
    return fig


@cache_data
def linear_stack_variances(depth: int = 5, width: int = 256, seed: int = 0,
                           relu: bool = False, inputs: int = 500) -> list[float]:
    """The variance of the output of each of `depth` reference `Linear(width, width)` layers,
    fed `inputs` unit-variance inputs: with the uniform +-1/sqrt(in) initialisation, each layer
    multiplies it by about 1/3 whatever `width` is, and by about 1/6 with a ReLU between layers
    (`relu`). 500 inputs pin each variance to within a few per cent even at width 64, at a
    quarter of the cost of 2 000 (a second of CPU at width 1024, on the page's first view)."""
    np.random.seed(seed)
    x = sol.Tensor(np.random.default_rng(seed).standard_normal((inputs, width)))
    variances = []
    with sol.NoGrad():
        for layer in range(depth):
            if relu and layer:
                x = sol.relu(x)
            x = sol.Linear(width, width)(x)
            variances.append(float(x.array.var()))
    return variances


@cache_data
def linear_stack_figure(depth: int = 5, widths: tuple[int, ...] = (64, 256, 1024)) -> go.Figure:
    """The variance after each layer of a stack of reference `Linear`s, for several widths (the
    curves coincide: the initialisation fixes the width's effect) and with ReLUs at the middle
    width, against a division by 3 and by 6 a layer (the depth's effect, which nothing fixes)."""
    layers = list(range(1, depth + 1))
    fig = go.Figure()
    # The first layer sees the inputs themselves (no ReLU before it): both lines start at 1/3.
    for k, name in ((3, "÷3 a layer"), (6, "÷6 a layer after the first")):
        fig.add_trace(go.Scatter(x=layers, y=[k ** (1 - n) / 3 for n in layers], mode="lines",
                                 name=name, line={"dash": "dot", "color": "grey", "width": 1}))
    for width in widths:
        fig.add_trace(go.Scatter(x=layers, y=linear_stack_variances(depth, width),
                                 mode="lines+markers", name=f"width {width}"))
    middle = widths[len(widths) // 2]
    fig.add_trace(go.Scatter(x=layers, y=linear_stack_variances(depth, middle, relu=True),
                             mode="lines+markers", name=f"width {middle}, ReLU between",
                             line={"dash": "dash"}))
    fig.update_xaxes(title_text="layer", dtick=1)
    fig.update_yaxes(type="log", title_text="variance of the layer's output",
                     exponentformat="power")
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      title={"text": "Unit-variance inputs through a stack of Linear layers",
                             "font": {"size": 14}})
    return fig


def central_difference_error(h: float, dtype: type = np.float64, n: int = 200) -> float:
    """The largest error of the central difference of exp with step h, computed in `dtype`, at
    n points of [-1, 1] (exp is its own derivative, so the truth is known)."""
    x = np.linspace(-1, 1, n).astype(dtype)
    step = dtype(h)
    estimate = (_exp(x + step) - _exp(x - step)) / (2 * step)
    truth = np.exp(x.astype(np.longdouble))
    return float(np.abs(estimate.astype(np.longdouble) - truth).max())


def _exp(x: np.ndarray) -> np.ndarray:
    """exp of each element, rounded to x's dtype from a longer float: the same bits on every
    machine. (NumPy's own exp picks its vector code by the CPU, and its last bits, which the
    rounding error at a small step is made of, differed between two machines by up to 40%.)"""
    return np.exp(x.astype(np.longdouble)).astype(x.dtype)


@cache_data
def step_size_figure() -> go.Figure:
    """Error of the central difference against the step h, in float64 and float32: truncation
    error falls like h² to the right, rounding error grows like ε/h to the left."""
    from utils.gradcheck import DEFAULT_STEP

    steps = np.logspace(-12, -0.5, 47)
    fig = go.Figure()
    for dtype, name in ((np.float64, "float64"), (np.float32, "float32")):
        errors = [central_difference_error(h, dtype) for h in steps]
        fig.add_trace(go.Scatter(x=steps, y=errors, mode="lines+markers", name=name,
                                 marker={"size": 4}))
    fig.add_vline(x=DEFAULT_STEP, line_dash="dash", line_color="grey",
                  annotation_text=f"gradcheck's h = {DEFAULT_STEP:g}")
    fig.update_xaxes(type="log", title_text="step h", exponentformat="power", automargin=True,
                     range=[-12.3, 0])
    fig.update_yaxes(type="log", title_text="largest error", exponentformat="power",
                     automargin=True)
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      title={"text": "Central difference of exp on [−1, 1]: error against step",
                             "font": {"size": 14}},
                      legend={"x": 0.01, "y": 0.02, "yanchor": "bottom"})
    return fig
