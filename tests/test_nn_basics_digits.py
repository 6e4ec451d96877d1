"""Chapter 2's digits sections: the baseline and the one-weight sweep measure what the pages say,
the learner's own functions draw them in the sandbox, and what comes back is checked before it
is drawn."""

import pytest
import torch as t

from solutions import neural_network_basics as reference
from tests.browser_site import open_page
from utils import registry, sources
from utils.answers import reference_file
from utils.demos.neural_network_basics.digits import validated_baseline, validated_sweep
from utils.experiments.neural_network_basics.digits import (measure_baseline, rms_baseline,
                                                            sweep_one_weight, threes_and_sevens)
from utils.figures.neural_network_basics import digits as figures
from utils.runner import run_demo
from tests.app_charts import chart_specs

STEM = "neural_network_basics"


def _own(name: str, old: str, new: str) -> str:
    """The reference answer to `name` with one change: a learner's own version of it."""
    code = sources.solution_source(registry.get(f"{STEM}.{name}"))
    assert old in code
    return code.replace(old, new)


def test_the_baseline_is_far_better_than_chance_on_both_digits():
    b = measure_baseline(reference.mean_image, reference.mnist_distance, reference.is_three)
    data = threes_and_sevens()
    assert b.mean3.shape == b.mean7.shape == data.train_images.shape[1:]
    accuracy = b.accuracy()
    assert accuracy["3s"] > 0.85 and accuracy["7s"] > 0.85 and accuracy["overall"] > 0.9
    right, total = b.counts()["overall"]
    assert total == len(data.valid_images) and right == round(accuracy["overall"] * total)
    assert set(rms_baseline().accuracy()) == {"3s", "7s", "overall"}


def test_the_sweep_shows_a_staircase_and_a_smooth_loss():
    s = sweep_one_weight(reference.init_params, reference.linear1, reference.mnist_loss,
                         reference.batch_accuracy)
    # Accuracy moves only in whole images, and stays put around the starting value.
    assert t.allclose(s.accuracy * s.n_images, (s.accuracy * s.n_images).round(), atol=1e-4)
    middle = len(s.values) // 2
    assert s.accuracy[middle - 2:middle + 3].unique().numel() == 1
    # The loss changes between every two neighbouring values of the weight, and its slope at the
    # start (autograd's) agrees with the measured curve.
    assert (s.loss.diff().abs() > 0).all()
    step = float(s.values[1] - s.values[0])
    measured = float(s.loss[middle + 1] - s.loss[middle - 1]) / (2 * step)
    assert s.loss_slope == pytest.approx(measured, rel=0.05)


def test_the_learners_baseline_runs_in_the_sandbox():
    result = run_demo(f"{STEM}.digits_baseline", reference_file(STEM), {})
    assert result.status == "passed", result.message
    b = validated_baseline(result.data)
    assert b.accuracy() == figures.reference_baseline().accuracy()
    # A learner's own answer is what runs: a comparison the wrong way round gets every image
    # wrong that the reference gets right.
    reversed_ = _own("is_three", "<", ">")
    result = run_demo(f"{STEM}.digits_baseline", reference_file(STEM, {"is_three": reversed_}),
                      {})
    assert result.status == "passed", result.message
    theirs = validated_baseline(result.data).accuracy()["overall"]
    assert theirs == pytest.approx(1 - figures.reference_baseline().accuracy()["overall"],
                                   abs=0.02)


def test_a_learners_result_of_the_wrong_shape_is_named():
    squashed = _own("mnist_distance", ".mean((-1, -2))", ".mean()")
    result = run_demo(f"{STEM}.digits_baseline",
                      reference_file(STEM, {"mnist_distance": squashed}), {})
    assert result.status == "passed", result.message
    with pytest.raises(ValueError, match=r"mnist_distance\(valid images, mean3\) has shape \(\)"):
        validated_baseline(result.data)


def test_the_learners_sweep_runs_in_the_sandbox():
    result = run_demo(f"{STEM}.digits_one_weight", reference_file(STEM), {})
    assert result.status == "passed", result.message
    s = validated_sweep(result.data)
    assert t.allclose(s.loss, figures.reference_sweep().loss)


@pytest.mark.parametrize("data", [None, "x", {}, {"mean3": [[0.0]], "mean7": [[0.0]]},
                                  {"mean3": [[0.0]], "mean7": [[0.0]], "dist3": [0.1],
                                   "dist7": [0.2, 0.3], "said_three": [True],
                                   "is_three": [True], "source": "x"}])
def test_a_baseline_that_comes_back_is_checked(data):
    with pytest.raises(ValueError):
        validated_baseline(data)


@pytest.mark.parametrize("data", [None, [], {"values": [1.0]},
                                  {"pixel": 1, "start": 0.0, "values": [0.0, 1.0],
                                   "accuracy": [0.5], "loss": [0.1, 0.2], "loss_slope": 0.0,
                                   "n_images": 4}])
def test_a_sweep_that_comes_back_is_checked(data):
    with pytest.raises(ValueError):
        validated_sweep(data)


def test_the_notebooks_live_figures_say_not_yet_instead_of_raising():
    for fig in (figures.your_baseline({}), figures.your_sweep({})):
        assert "Not yet" in fig.layout.annotations[0].text
    fig = figures.your_baseline(vars(reference))
    assert "Your baseline" in fig.layout.title.text


@pytest.mark.parametrize("page, key", [("1_baseline", "nn_digits_baseline"),
                                       ("2_linear_model", "nn_digits_sweep")])
def test_the_button_draws_with_the_learners_code(page, key):
    app = open_page(f"pages/{STEM}/{page}.md", timeout=120)
    assert not app.exception, [e.value for e in app.exception]
    charts = len(chart_specs(app))
    app.button(key=f"{key}_run").click().run(timeout=120)
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    assert f"{key}_figure" in app.session_state
    assert len(chart_specs(app)) == charts
    assert any("You had passed none of" in c.value for c in app.caption)
