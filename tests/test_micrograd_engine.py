"""Chapter 3's engine sections: what the pages state is what the engine computes, expressions
typed on the page are parsed safely, and the graph is drawn from the learner's own `Value` (in the
sandbox, or a notebook's globals)."""

import math

import numpy as np
import pytest
import torch as t

from solutions import micrograd as reference
from utils import registry, sources
from utils.answers import reference_file
from utils.demos.micrograd import engine as demos
from utils.figures.graph_view import validated_graph
from utils.figures.micrograd import engine as figures
from utils.runner import run_demo

STEM = "micrograd"
INPUTS = {"a": 2.0, "b": -3.0, "c": 10.0}


def _by_label(data: dict) -> dict:
    return {n["label"]: n for n in data["nodes"]}


def test_graph_values_and_gradients_match_torch():
    expression = "(a * b + c).tanh() + 2 / a - a ** 2 + (b * c).relu() + (a - 1).exp()"
    data = demos.value_graph(vars(reference), expression, {"a": 0.5, "b": -0.3, "c": 0.2})
    a, b, c = (t.tensor(v, dtype=t.float64, requires_grad=True) for v in (0.5, -0.3, 0.2))
    out = (a * b + c).tanh() + 2 / a - a ** 2 + (b * c).relu() + (a - 1).exp()
    out.backward()
    nodes = _by_label(data)
    for name, leaf in (("a", a), ("b", b), ("c", c)):
        assert math.isclose(float(nodes[name]["grad"]), leaf.grad.item(), rel_tol=1e-3)
    assert validated_graph(data)  # parents first, steps numbered
    assert sorted(n["step"] for n in data["nodes"]) == list(range(len(data["nodes"])))
    assert data["nodes"][-1]["step"] == 0 and data["nodes"][-1]["grad"] == "1"


def test_the_by_hand_example_of_section_3():
    data = demos.value_graph(vars(reference), "(a * b + c) * (-0.5)", INPUTS)
    nodes = _by_label(data)
    assert data["nodes"][-1]["value"] == "data -2"
    assert (nodes["a"]["grad"], nodes["b"]["grad"], nodes["c"]["grad"]) == ("1.5", "-1", "-0.5")
    assert nodes["-0.5"]["grad"] == "4"  # the constant f: dL/df = d = 4


def test_a_value_used_three_times_collects_every_use():
    assert _by_label(demos.value_graph(vars(reference), "a * a + a", INPUTS))["a"]["grad"] == "5"


def test_tanh_from_exp_gives_the_same_gradient():
    one = _by_label(demos.value_graph(vars(reference), "a.tanh()", {**INPUTS, "a": 0.7}))
    many = demos.value_graph(vars(reference), "((2 * a).exp() - 1) / ((2 * a).exp() + 1)",
                             {**INPUTS, "a": 0.7})
    assert one["a"]["grad"] == _by_label(many)["a"]["grad"]
    # The page: twelve values more than a and its tanh, eight of them operations.
    assert (len(one), len(many["nodes"])) == (2, 13)
    assert sum(1 for n in many["nodes"] if n["parents"]) == 8


def test_the_derivative_numbers_section_1_states():
    f = figures.example_f
    assert f(3.0) == 20
    assert round((f(3.001) - f(3.0)) / 0.001, 9) == 14.003
    assert round((f(3 + 1e-15) - f(3.0)) / 1e-15, 2) == 10.66
    steps = np.logspace(-16, 0, 65)
    errors = figures.forward_difference_errors(steps)
    assert 1e-9 <= steps[np.argmin(errors)] <= 1e-7  # "near 1e-8"
    float32 = figures.forward_difference_errors(steps, np.float32)
    assert steps[np.argmin(float32)] > 1e-5  # the trade-off comes much sooner
    assert np.float32(3) + np.float32(1e-7) == np.float32(3)  # 3 + h rounds to 3 below 1e-7
    assert np.float32(3) + np.float32(3e-7) != np.float32(3)
    assert figures.forward_difference_errors(np.array([1e-8]), np.float32)[0] == 14
    assert figures.derivative_error_figure().data


@pytest.mark.parametrize("text", ["__import__('os').system('true')", "a.__class__", "a ** b",
                                  "2 ** a", "a @ b", "a.exp(2)", "exp(a)", "[a for a in b]",
                                  "lambda: a", "a if b else c", "x" * 300, "(a", "a.tanh",
                                  "d + 1", "3 + 4", "a ** 1000", "(2).exp() + a", "a // b"])
def test_expressions_outside_the_whitelist_are_refused(text):
    with pytest.raises(demos.ExpressionError):
        demos.value_graph(vars(reference), text, INPUTS)


@pytest.mark.parametrize("inputs", [{"a": "x", "b": 1, "c": 1}, {"a": float("nan"), "b": 1,
                                                                  "c": 1}, {"b": 1, "c": 1}])
def test_bad_inputs_say_which(inputs):
    with pytest.raises(demos.ExpressionError, match="a"):
        demos.parse_inputs(inputs)


def test_division_by_zero_is_explained():
    with pytest.raises(demos.ExpressionError, match="can't be computed"):
        demos.value_graph(vars(reference), "1 / (a - a)", INPUTS)


def test_a_notebook_draws_with_its_own_value_or_says_why_not():
    fig = figures.engine_graph(vars(reference), "a * b", INPUTS)
    assert "your Value" in fig.layout.title.text

    class Stub:
        def __init__(self, data, _children=(), _op=""):
            raise NotImplementedError()

    fig = figures.engine_graph({"Value": Stub}, "a * b", INPUTS)
    assert "reference Value (yours is not written yet)" in fig.layout.title.text
    with pytest.raises(demos.ExpressionError):
        figures.engine_graph({"Value": Stub}, "a ** b", INPUTS)


def test_draw_names_the_inputs_of_any_value():
    a, b = reference.Value(2.0), reference.Value(-3.0)
    L = (a * b).tanh()
    L.backward()
    labels = [n["label"] for n in demos.describe_graph(L, {id(a): "a", id(b): "b"})["nodes"]]
    assert sorted(labels) == ["*", "a", "b", "tanh"]
    assert figures.draw(L, a=a, b=b).data


GRAPH_ARGS = {"expression": "a * a + a", "inputs": INPUTS}


def test_the_learners_value_draws_the_graph_in_the_sandbox():
    result = run_demo(f"{STEM}.value_graph", reference_file(STEM), GRAPH_ARGS)
    assert result.status == "passed", result.message
    assert _by_label(result.data)["a"]["grad"] == "5"
    # A Value that overwrites instead of adding shows its wrong gradient in the graph.
    overwriting = sources.solution_source(registry.get(f"{STEM}.Value")).replace(
        "self.grad += out.grad  #", "self.grad = out.grad  #").replace(
        "other.grad += out.grad", "other.grad = out.grad")
    result = run_demo(f"{STEM}.value_graph", reference_file(STEM, {"Value": overwriting}),
                      {"expression": "a + a", "inputs": INPUTS})
    assert result.status == "passed", result.message
    assert _by_label(result.data)["a"]["grad"] == "1"  # not 2
