"""Chapter 5.4's demos: expressions typed on the page are parsed safely and drawn from an engine
(the reference, or the learner's own run in the sandbox), and the MLP trains with the engine."""

from dataclasses import replace

import numpy as np
import pytest
import torch as t

from solutions import part4_backprop as reference
from tests.browser_site import open_page
from utils import registry, sources
from utils.answers import reference_file
from utils.demos import part4_backprop as demos
from utils.figures import part4_backprop as figures
from utils.runner import DEMO_LIMITS, run_demo
from tests.app_charts import chart_specs

STEM = "part4_backprop"


def test_graph_values_and_gradients_match_torch():
    data = demos.expression_graph(vars(reference), "log(a * b * log(c)) + relu(a).sum()",
                                  {"a": "1, 2, 3", "b": "2, 3, 1", "c": "10"})
    by_label = {n["label"]: n for n in data["nodes"]}
    a, b, c = (t.tensor(v, requires_grad=True) for v in ([1.0, 2, 3], [2.0, 3, 1], 10.0))
    (t.log(a * b * t.log(c)) + t.relu(a).sum()).sum().backward()
    for name, tensor in (("a", a), ("b", b), ("c", c)):
        got = np.array(eval(by_label[name]["grad"]), dtype=float)  # noqa: S307 - our own text
        np.testing.assert_allclose(got, tensor.grad.numpy(), rtol=2e-3)  # printed to 3-4 digits
    steps = sorted(n["step"] for n in data["nodes"])
    assert steps == list(range(len(data["nodes"])))
    assert figures.computational_graph(data).data


@pytest.mark.parametrize("text", ["__import__('os').system('true')", "a.__class__",
                                  "a ** 2", "log(a, base=2)", "[a for a in b]", "lambda: a",
                                  "open('x')", "a if b else c", "x" * 300, "log(a",
                                  "log + a", "a.log", "maximum(a, b, c)", "exp()"])
def test_expressions_outside_the_whitelist_are_refused(text):
    with pytest.raises(demos.ExpressionError):
        demos.parse_expression(text)


@pytest.mark.parametrize("texts", [{"a": "1, x"}, {"a": "1 2; 3"}, {"a": ", ".join(["1"] * 20)},
                                   {"a": ""}, {"a": "1, " * 10_000}])
def test_bad_inputs_say_what_is_wrong(texts):
    with pytest.raises(demos.ExpressionError, match="a:"):
        demos.parse_inputs(texts)


GRAPH_ARGS = {"expression": "a * a", "inputs": {"a": "1, 2", "b": "1", "c": "1"}}


def test_the_learners_engine_draws_the_graph_in_the_sandbox():
    result = run_demo(f"{STEM}.expression_graph", reference_file(STEM), GRAPH_ARGS)
    assert result.status == "passed", result.message
    grads = {n["label"]: n["grad"] for n in result.data["nodes"]}
    assert grads["a"] == "[2., 4.]"
    # A backprop that overwrites instead of adding shows its wrong gradient in the graph.
    overwriting = sources.solution_source(registry.get(f"{STEM}.backprop")).replace(
        "grads[parent] = grads[parent] + grad if parent in grads else grad",
        "grads[parent] = grad")
    result = run_demo(f"{STEM}.expression_graph",
                      reference_file(STEM, {"backprop": overwriting}), GRAPH_ARGS)
    assert result.status == "passed", result.message
    assert {n["label"]: n["grad"] for n in result.data["nodes"]}["a"] == "[1., 2.]"


@pytest.mark.parametrize("body, status", [("raise NotImplementedError()", "not_implemented"),
                                          ("while True:\n        pass", "timeout"),
                                          ("return 1 / 0", "error")])
def test_a_broken_engine_gets_a_clear_verdict(body, status):
    backprop = f"def backprop(end_node, end_grad=None):\n    {body}\n"
    result = run_demo(f"{STEM}.expression_graph", reference_file(STEM, {"backprop": backprop}),
                      GRAPH_ARGS, limits=replace(DEMO_LIMITS, wall_seconds=3, cpu_seconds=3))
    assert result.status == status, result.message
    assert result.message


def test_training_with_the_engine_reaches_85_percent_on_the_offline_digits():
    history = demos.train_digits(vars(reference), epochs=10)
    assert history["val_accuracy"][-1] >= 0.85 and history["test_accuracy"] >= 0.85
    assert len(history["batch_losses"]) == 10 * history["batches_per_epoch"]
    assert np.mean(history["batch_losses"][-10:]) < np.mean(history["batch_losses"][:10]) / 3


def test_graph_page_draws_typed_expressions_from_either_engine():
    app = open_page(f"pages/{STEM}/2_graph.md")
    charts = len(chart_specs(app))
    app.text_input(key="bp_expression").input("exp(a * b).sum() / c").run()
    assert not app.exception and len(chart_specs(app)) == charts
    app.text_input(key="bp_expression").input("a ** 2").run()
    assert any("not supported" in w.value for w in app.warning)
    app.text_input(key="bp_expression").input("maximum(a, b) * c").run()
    app.radio(key="bp_graph_engine").set_value(app.radio(key="bp_graph_engine").options[1]).run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    assert len(chart_specs(app)) == charts


def test_training_demo_trains_and_plots():
    app = open_page(f"pages/{STEM}/4_together.md")
    charts = len(chart_specs(app))
    app.button(key="bp_train").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert len(chart_specs(app)) == charts + 2
    assert float(app.metric[0].value.rstrip("%")) >= 85  # validation
    assert float(app.metric[1].value.rstrip("%")) >= 85  # test, once
    assert any("validation accuracy" in str(p.proto.text) for p in app.get("progress"))
    # The same with the learner's engine (nothing passed yet: the reference, in the sandbox).
    app.radio(key="bp_train_engine").set_value(app.radio(key="bp_train_engine").options[1]).run()
    assert not app.exception and not app.error, [e.value for e in app.exception or app.error]
    assert len(chart_specs(app)) == charts + 2
    assert float(app.metric[0].value.rstrip("%")) >= 85


@pytest.mark.parametrize("width", [64, 256, 1024])
def test_uniform_init_keeps_the_scale_across_widths_but_not_depths(width):
    # What the "Putting it together" page teaches about Linear's initialisation: each layer
    # multiplies the variance by about 1/3, whatever the width, so deep stacks shrink (the bias
    # adds 1/(3 width) per layer, so narrow stacks level off near that).
    variances = figures.linear_stack_variances(depth=4, width=width)
    ratios = np.array(variances[1:]) / np.array(variances[:-1])
    assert 0.3 < variances[0] < 0.4, variances
    assert ((0.25 < ratios) & (ratios < 0.5)).all(), variances
    assert variances[-1] < 0.03


def test_no_grad_in_one_thread_leaves_the_others_recording():
    # Streamlit runs each browser session in a thread of one process, all on the reference
    # engine: one learner's evaluation must not switch off another's graph.
    import threading

    recorded = {}

    def other_session():
        a = reference.Tensor(np.ones(3), requires_grad=True)
        recorded["other"] = (a * 2.0).recipe is not None

    with reference.NoGrad():
        thread = threading.Thread(target=other_session)
        thread.start()
        thread.join()
        a = reference.Tensor(np.ones(3), requires_grad=True)
        recorded["inside"] = (a * 2.0).recipe is not None
    assert recorded == {"other": True, "inside": False}


def test_gradchecks_step_sits_in_the_float64_valley_the_page_draws():
    from utils.gradcheck import DEFAULT_STEP

    error = figures.central_difference_error
    assert error(DEFAULT_STEP) < 1e-9
    assert error(DEFAULT_STEP) < min(error(1e-3), error(1e-7))  # truncation / rounding sides
    assert error(DEFAULT_STEP, np.float32) > 1e-3  # why gradcheck works in float64
    # The page: in float32 the best step still leaves "a few times 10^-5".
    assert 1e-5 < min(error(h, np.float32) for h in np.logspace(-4, -1, 13)) < 1e-4
    assert figures.step_size_figure().data


def _run_cell(code: str, namespace: dict):
    """A notebook cell's value: run its statements, then evaluate its last line."""
    *statements, last = code.strip().splitlines()
    exec("\n".join(statements), namespace)
    return eval(last, namespace)  # noqa: S307 - our own section sources


def test_the_notebooks_stand_ins_for_figures_and_widgets_draw():
    # Each {figure} and {widget} body is a notebook cell: it must draw, in a notebook whose
    # names are the reference solutions (a learner who has done every exercise).
    bodies = [d.body for s in registry.chapter(STEM).section_sources()
              for d in (*s.directives("figure"), *s.directives("widget")) if d.body.strip()]
    assert bodies
    for body in bodies:
        namespace = {**vars(reference), "figures": figures}
        figure = _run_cell(body, namespace)
        assert figure.data, body
        assert "reference engine" not in str(figure.layout.title.text), body


def test_an_unfinished_engine_draws_with_the_reference_and_says_why():
    def backprop(end_node, end_grad=None):
        raise NotImplementedError()

    engine = {**vars(reference), "backprop": backprop}
    figure = figures.engine_graph(engine, "a * a", {"a": "1, 2"})
    assert "the reference engine (yours: an exercise it needs is not done yet)" in \
        figure.layout.title.text
    # The graph is the reference's: a is used twice, so its gradient is 2a.
    assert "grad [2., 4.]" in " ".join(figure.data[0].text)
    with pytest.raises(demos.ExpressionError):  # the expression's fault: said, not covered up
        figures.engine_graph(engine, "a ** 2", {"a": "1"})
