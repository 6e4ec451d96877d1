"""Chapter 4.4, sections 3-6: the saved side-by-side training run and measurements (current:
what the code gives now), what the pages say about them, the "Train with my gradients" demo and
the figures."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from solutions import makemore_backprop as solutions
from utils.demos.makemore_backprop import closed_form as demo
from utils.experiments.makemore_backprop import closed_form as experiments
from utils.experiments.makemore_mlp.model import names_split
from utils.figures.makemore_backprop import closed_form as figures

STALE = ("what chapter 4.4's saved runs were computed from has changed: run `python -m "
         "utils.experiments.makemore_backprop.closed_form` and commit assets/makemore_backprop/")
REFERENCE_NAMESPACE = vars(solutions)


def _same_names(saved_source: str) -> None:
    if names_split().source != saved_source:
        pytest.skip("the names loaded here are not the ones the saved run was made on")


def test_the_saved_run_matches_the_modules_settings():
    run = experiments.training_run()
    assert run["settings"] == experiments.training_settings(), STALE
    steps, every = experiments.STEPS, experiments.LOG_EVERY
    assert run["manual_curve"].shape == run["autograd_curve"].shape == (steps // every,)
    assert run["param_diff"].shape == (steps // every,)
    assert run["autograd_head"].shape == (experiments.HEAD_STEPS,)
    assert set(run["params"]) == set(solutions.PARAM_NAMES)


def test_the_saved_run_is_what_the_code_trains():
    """Its first 300 steps again (the whole run takes half a minute): the same losses, both
    ways, and the same parameter differences' order of magnitude."""
    run = experiments.training_run()
    _same_names(run["source"])
    fresh = experiments.compare_runs(steps=300)
    np.testing.assert_allclose(fresh["autograd_head"].numpy(), run["autograd_head"][:300].numpy(),
                               rtol=1e-5, err_msg=STALE)
    np.testing.assert_allclose(fresh["manual_head"].numpy(), run["manual_head"][:300].numpy(),
                               rtol=1e-5, err_msg=STALE)
    np.testing.assert_allclose(fresh["manual_curve"].numpy(), run["manual_curve"][:3].numpy(),
                               rtol=1e-5, err_msg=STALE)
    assert fresh["param_diff"].max() < 1e-5


def test_the_saved_measurements_are_current():
    saved = json.loads(experiments.MEASUREMENTS_PATH.read_text())
    assert saved["settings"] == experiments.training_settings(), STALE
    _same_names(saved["source"])
    fresh = experiments.batchnorm_comparison()
    assert fresh["shape"] == saved["batchnorm"]["shape"]
    assert fresh["max_abs_grad"] == pytest.approx(saved["batchnorm"]["max_abs_grad"], rel=1e-6)
    assert fresh["bessel_max_rel_diff"] == pytest.approx(
        saved["batchnorm"]["bessel_max_rel_diff"], rel=1e-6), STALE
    assert experiments.stability_case() == saved["stability"] or \
        json.loads(json.dumps(experiments.stability_case())) == saved["stability"], STALE
    assert [r["n"] for r in saved["cross_entropy_timings"]] == [32, 4096]


def test_what_the_pages_say_about_the_numbers_holds():
    run = experiments.training_run()
    saved = experiments.measurements()
    # Section 5: the two runs agree to four decimals on dev, every loss within 2e-6, the
    # parameters within a few millionths, and the hand-written run took less time.
    dev = run["split_losses"]
    assert round(dev["manual"]["dev"], 4) == round(dev["autograd"]["dev"], 4)
    assert run["max_loss_diff"] < 2e-6
    assert 1e-7 < run["param_diff"][0] < 1e-6 and 1e-6 < run["param_diff"][-1] < 1e-5
    assert run["seconds"]["manual"] < run["seconds"]["autograd"]
    # Section 3: the atoms were several times slower than both fused ways, at both sizes.
    for row in saved["cross_entropy_timings"]:
        assert row["atoms_autograd_us"] > 2 * max(row["fused_autograd_us"], row["closed_form_us"])
        assert 1 / 3 < row["closed_form_us"] / row["fused_autograd_us"] < 3  # "the same order"
    case = saved["stability"]
    assert math.isinf(case["atoms_loss"]) and all(v == "nan" for v in case["atoms_grad"])
    assert math.isfinite(case["fused_loss"]) and case["closed_grad"][2] == -1.0
    # Section 3's bar chart: row 2 is "ame → c", c at 0.018, the model's favourite r.
    batch = figures.dlogits_minibatch()
    assert batch["rows"][2] == "2: ame → c"
    probs = batch["probs"][2]
    assert round(float(probs[batch["targets"][2]]), 3) == 0.018
    assert batch["symbols"][int(probs.argmax())] == "r"
    # Section 4: float32 differences are rounding only; the n - 1 formula is off by 1.6 %.
    bn = saved["batchnorm"]
    for row in bn["rows"]:
        limit = 1e-5 if row["dtype"] == "float32" else 1e-12
        assert row["max_abs_diff"] < limit * bn["max_abs_grad"]
    assert round(100 * bn["bessel_max_rel_diff"], 1) == 1.6


def test_each_row_of_the_heatmap_sums_to_zero():
    batch = figures.dlogits_minibatch()
    assert np.abs(batch["scaled"].sum(1)).max() < 1e-5
    assert len(set(batch["rows"])) == 32  # numbered rows: equal contexts are not merged
    fig = figures.dlogits_heatmap().to_dict()
    assert fig["data"][0]["zmid"] == 0 and len(fig["data"][0]["y"]) == 32


def test_a_missing_run_file_is_computed_at_first_use(tmp_path, monkeypatch):
    monkeypatch.setattr(experiments, "TRAINING_PATH", tmp_path / "run.pt")
    monkeypatch.setattr(experiments, "compare_runs", lambda: {"made": torch.tensor([1.0])})
    experiments.training_run.cache_clear()
    try:
        assert experiments.training_run()["made"].tolist() == [1.0]
        assert (tmp_path / "run.pt").exists()
    finally:
        experiments.training_run.cache_clear()


def test_the_demo_with_the_reference_seed_is_autograds_run():
    run = demo.train_with_my_gradients(REFERENCE_NAMESPACE, steps=200)
    assert demo.validated_run(run, 200) is run
    np.testing.assert_allclose(run["losses"], experiments.training_run()["autograd_head"][:200],
                               rtol=1e-5)
    assert figures.largest_loss_difference(run) < 1e-5
    assert run["dev"] < run["losses"][0] and run["used_autograd"] is False
    with pytest.raises(ValueError):
        demo.validated_run(run, 300)


def test_the_demo_refuses_bad_settings_and_reports_autograd_and_divergence():
    for bad in ({"steps": 0}, {"steps": demo.MAX_STEPS + 1}, {"lr": 0.0}, {"lr": 100.0},
                {"seed": -1}):
        with pytest.raises(ValueError):
            demo.train_with_my_gradients(REFERENCE_NAMESPACE, **{"steps": 5, **bad})

    def exploding(params, X, Y, steps, lr, batch_size, generator):
        with torch.no_grad():
            for p in params.values():
                p.fill_(float("nan"))
        return [float("nan")] * steps

    run = demo.validated_run(demo.train_with_my_gradients(
        {**REFERENCE_NAMESPACE, "train_manual": exploding}, steps=3), 3)
    assert run["losses"] == [None] * 3 and run["dev"] is None
    json.dumps(run, allow_nan=False)  # what the sandbox sends back
    assert "diverged" in figures.run_title(run)

    def with_backward(params, X, Y, steps, lr, batch_size, generator):
        from tests.wrong_answers.makemore4_closed_form import train_with_backward
        return train_with_backward(params, X, Y, steps, lr, batch_size, generator)

    run = demo.train_with_my_gradients({**REFERENCE_NAMESPACE, "train_manual": with_backward},
                                       steps=3)
    assert run["used_autograd"] is True


def test_the_figures_draw_the_saved_numbers():
    run = experiments.training_run()
    curves = figures.training_curves()
    assert len(curves.data) == 2 and len(curves.data[0].x) == len(run["manual_curve"])
    assert f"{run['split_losses']['manual']['dev']:.4f}" in curves.layout.title.text
    assert len(figures.parameter_difference().data[0].y) == len(run["param_diff"])
    table = figures.batchnorm_table().to_dict()["data"][0]["cells"]["values"]
    assert table[0] == ["float32"] * 3 + ["float64"] * 3
    assert figures.cross_entropy_timing_table().to_dict()["data"][0]["cells"]["values"][0][0] \
        == "32 × 27"
    stability = figures.stability_table().to_dict()["data"][0]["cells"]["values"]
    assert "nan" in stability[2][0] and "-1" in stability[2][2]
    assert "seconds" in figures.training_time_table().to_dict()["data"][0]["header"]["values"][1]
    row = figures.dlogits_row(2).to_dict()
    assert len(row["data"]) == 1 and "(ame → c)" in row["layout"]["title"]["text"]


def test_the_notebooks_own_run_falls_back_to_the_reference_while_unwritten():
    def unwritten(*args, **kwargs):
        raise NotImplementedError()

    fig = figures.your_manual_training({**REFERENCE_NAMESPACE, "train_manual": unwritten},
                                       steps=100)
    assert "not written yet" in fig.layout.title.text and len(fig.data) == 4
    fig = figures.your_manual_training(REFERENCE_NAMESPACE, steps=100)
    assert fig.layout.title.text.startswith("yours") and "largest difference" in \
        fig.layout.title.text
    alone = figures.manual_training_figure(None)
    assert len(alone.data) == 2 and len(alone.data[0].x) == 2_000 and len(alone.data[1].x) == 20


def test_the_run_title_names_whose_train_manual_ran():
    run = demo.train_with_my_gradients(REFERENCE_NAMESPACE, steps=100)
    assert figures.run_title(run).startswith("yours: ")
    assert figures.run_title(run, "the reference train_manual").startswith(
        "the reference train_manual: ")

