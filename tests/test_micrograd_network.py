"""Chapter 3, sections 5-6: the moons runs, the NumPy redrawing of a trained MLP, the saved
reference run, the "Train my MLP" demo and its figures."""

from __future__ import annotations

import random

import numpy as np
import pytest

from solutions import micrograd as solutions
from tests.wrong_answers import micrograd_network as wrong
from utils.demos.micrograd import network as demo
from utils.experiments.micrograd import network as experiments
from utils.figures.micrograd import network as figures

TINY = experiments.RunSettings(n_points=12, hidden=(4, 4), steps=4, every=2)


def test_the_moons_are_labelled_plus_and_minus_one():
    X, y = experiments.moons(100, 1337)
    assert X.shape == (100, 2) and set(np.unique(y)) == {-1.0, 1.0}
    assert (y == 1).sum() == 50


def test_numpy_forward_gives_the_mlps_own_scores():
    random.seed(3)
    model = solutions.MLP(2, [5, 3, 1])
    numbers = experiments.parameter_data(model)
    X, _ = experiments.moons(20, 0)
    own = [model([float(a), float(b)]).data for a, b in X]
    np.testing.assert_allclose(experiments.mlp_forward(numbers, 2, [5, 3, 1], X), own,
                               atol=1e-12)
    with pytest.raises(ValueError):
        experiments.mlp_forward(numbers[:-1], 2, [5, 3, 1], X)


def test_karpathys_network_has_337_parameters():
    assert len(solutions.MLP(2, [16, 16, 1]).parameters()) == 337


def test_a_run_records_every_step_and_its_snapshots():
    run = experiments.train_run(experiments.reference_functions(), TINY)
    assert len(run["loss"]) == len(run["accuracy"]) == TINY.steps + 1
    assert [step for step, _ in run["snapshots"]] == [0, 2, 4]
    assert all(len(numbers) == 4 * 3 + 4 * 5 + 5 for _, numbers in run["snapshots"])
    assert run["loss"][-1] < run["loss"][0]


def test_the_saved_reference_run_is_what_the_reference_trains():
    """Its first two steps again (the whole run takes minutes): same seed, same numbers."""
    saved = experiments.reference_run()
    settings = experiments.RunSettings(steps=2, every=1)
    fresh = experiments.train_run(experiments.reference_functions(), settings)
    assert saved["snapshots"][0][1] == pytest.approx(fresh["snapshots"][0][1])
    assert saved["loss"][:2] == pytest.approx(fresh["loss"][:2])
    assert saved["accuracy"][-1] == 1.0 and len(saved["loss"]) == 101
    assert saved["settings"]["hidden"] == [16, 16]


def test_the_demo_trains_the_learners_namespace_and_refuses_bad_settings():
    run = demo.train_mlp(experiments.reference_functions(), steps=3, hidden=4, n_points=12)
    assert demo.validated_run(run, 3) is run
    with pytest.raises(ValueError):
        demo.validated_run(run, 5)
    for bad in ({"steps": 0}, {"steps": 1000}, {"hidden": 16}, {"n_points": 5000},
                {"lr_start": -1.0}):
        with pytest.raises(ValueError):
            demo.train_mlp(experiments.reference_functions(), **{"steps": 3, **bad})


def test_the_demo_says_when_parameters_are_out_of_order():
    namespace = {**experiments.reference_functions(), "MLP": wrong.MLPLayersReversed}
    with pytest.raises(ValueError, match="order"):
        demo.train_mlp(namespace, steps=2, hidden=4, n_points=12)


def test_the_boundary_has_a_frame_per_snapshot_and_opens_on_the_last():
    run = experiments.train_run(experiments.reference_functions(), TINY)
    fig = figures.boundary_figure(run, "test, ").to_dict()
    assert [f["name"] for f in fig["frames"]] == ["0", "2", "4"]
    assert fig["layout"]["sliders"][0]["active"] == 2
    assert "step 4" in fig["layout"]["title"]["text"]
    loss = figures.loss_figure({"a": run, "b": run}).to_dict()
    assert len(loss["data"]) == 4


def test_the_notebooks_own_run_falls_back_to_the_reference_while_unwritten():
    def unwritten(*args, **kwargs):
        raise NotImplementedError()

    namespace = {**experiments.reference_functions(), "train_step": unwritten}
    fig = figures.your_training(namespace, steps=2, hidden=4, n_points=12)
    assert "reference" in fig.layout.title.text
