"""Chapter 4.2, sections 0-3: the chapter's data split, the saved reference run and measurements
(current: what the code gives now), the "Train my model" demo and the figures."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from solutions import makemore_mlp as solutions
from utils.demos.makemore_mlp import model as demo
from utils.experiments.makemore_mlp import model as experiments
from utils.figures.makemore_mlp import model as figures

STALE = ("what chapter 4.2's saved runs were computed from has changed: run `python -m "
         "utils.experiments.makemore_mlp.model` (the reference run) or `... model measurements` "
         "and commit assets/makemore_mlp/")
REFERENCE_NAMESPACE = vars(solutions)


def test_the_split_is_80_10_10_of_names_and_covers_them():
    data = experiments.names_split()
    n = len(data.words)
    assert (len(data.train_words), len(data.dev_words)) == (int(0.8 * n), int(0.9 * n) -
                                                            int(0.8 * n))
    assert sorted(data.train_words + data.dev_words + data.test_words) == sorted(data.words)
    assert data.Xtr.shape == (sum(len(w) + 1 for w in data.train_words), 3)
    assert data.Xtr.dtype == data.Ytr.dtype == torch.int64


def test_the_chapters_model_has_11897_parameters():
    assert sum(p.numel() for p in solutions.init_mlp().values()) == 11_897


def test_the_saved_reference_run_matches_the_modules_settings():
    run = experiments.reference_run()
    assert (run["steps"], run["decay_at"], run["batch_size"], run["seed"], run["block_size"],
            run["n_embd"], run["n_hidden"], run["log_every"]) == \
        (experiments.STEPS, experiments.DECAY_AT, experiments.BATCH_SIZE, experiments.SEED,
         experiments.BLOCK_SIZE, experiments.N_EMBD, experiments.N_HIDDEN,
         experiments.LOG_EVERY), STALE
    assert run["loss_curve"].shape == (experiments.STEPS // experiments.LOG_EVERY,)
    assert {k: tuple(v.shape) for k, v in run["params"].items()} == \
        {"C": (27, 10), "W1": (30, 200), "b1": (200,), "W2": (200, 27), "b2": (27,)}
    data = experiments.names_split()
    if data.source == run["source"]:  # the asset was made from the names loaded here
        assert run["n_words"] == len(data.words)


def test_the_saved_reference_run_is_what_the_reference_trains():
    """Its first 1,000 steps again (the whole run takes minutes), and its split losses from its
    saved parameters."""
    run = experiments.reference_run()
    data = experiments.names_split()
    if data.source != run["source"]:
        pytest.skip("the names loaded here are not the ones the reference run was trained on")
    fresh = experiments.train_reference(steps=1_000)
    assert fresh["first_loss"] == pytest.approx(run["first_loss"], rel=1e-5), STALE
    # Minibatch losses after hundreds of steps agree only up to how the CPU rounds: another kind
    # of CPU (other vector kernels for matmul, tanh and exp) drifted by up to 5e-4 relative by the
    # last of these ten points, under 1e-4 over the first five. Another learning rate, batch size
    # or seed misses by far more (these losses vary by 0.1-0.5).
    np.testing.assert_allclose(fresh["loss_curve"][:5].numpy(), run["loss_curve"][:5].numpy(),
                               rtol=1e-4, err_msg=STALE)
    np.testing.assert_allclose(fresh["loss_curve"].numpy(), run["loss_curve"][:10].numpy(),
                               rtol=5e-3, err_msg=STALE)
    for name, X, Y in (("train", data.Xtr, data.Ytr), ("dev", data.Xdev, data.Ydev),
                       ("test", data.Xte, data.Yte)):
        assert solutions.split_loss(run["params"], X, Y) == \
            pytest.approx(run["split_losses"][name], rel=1e-5), STALE
    assert run["split_losses"]["train"] < run["split_losses"]["dev"] < 2.3 < math.log(27)


def test_the_saved_measurements_are_current():
    saved = json.loads(experiments.MEASUREMENTS_PATH.read_text())
    assert saved["settings"] == experiments.measurement_settings(), STALE
    data = experiments.names_split()
    if data.source != saved["source"]:
        pytest.skip("the names loaded here are not the ones the measurements were made on")
    for row in saved["count_models"]:
        fresh = experiments.count_model_row(row["k"])
        assert fresh.keys() == row.keys()
        for key, value in row.items():
            assert fresh[key] == pytest.approx(value, rel=1e-9), (STALE, row["k"], key)
    cheapest = next(r for r in saved["overfitting"] if r["n_hidden"] == 20 and
                    r["n_train_words"] == 1_000)
    fresh = experiments.overfit_run(1_000, 20)
    for key, value in cheapest.items():
        assert fresh[key] == pytest.approx(value, rel=1e-4), (STALE, key)
    assert [(r["n_train_words"], r["n_hidden"]) for r in saved["overfitting"]] == \
        [(n, h) for n in experiments.OVERFIT_TRAIN_WORDS for h in experiments.OVERFIT_HIDDEN]


def test_what_the_pages_say_about_the_measurements_holds():
    """The prose reads these off the saved numbers: the count models' dev loss is best at three
    symbols of context, and 1,000 names overfit the 200-unit model."""
    saved = experiments.measurements()
    dev = [r["dev_nll"] for r in saved["count_models"]]
    train = [r["train_nll"] for r in saved["count_models"]]
    assert int(np.argmin(dev)) == 2 and dev[3] < dev[4]
    # Sections 0, 3 and 6: the table over three symbols beats the reference MLP on dev.
    assert round(dev[2], 3) == 2.084 < round(experiments.reference_run()["split_losses"]["dev"], 3) == 2.137
    assert all(a > b for a, b in zip(train, train[1:]))
    rows = {(r["n_train_words"], r["n_hidden"]): r for r in saved["overfitting"]}
    assert rows[1_000, 200]["dev"] - rows[1_000, 200]["train"] > 1.0
    assert all(rows[25_600, h]["dev"] - rows[25_600, h]["train"] < 0.04 for h in (20, 200))


def test_a_missing_measurements_file_is_computed_at_first_use(tmp_path, monkeypatch):
    monkeypatch.setattr(experiments, "MEASUREMENTS_PATH", tmp_path / "m.json")
    monkeypatch.setattr(experiments, "compute_measurements", lambda: {"made": True})
    experiments.measurements.cache_clear()
    try:
        assert experiments.measurements() == {"made": True}
        assert json.loads((tmp_path / "m.json").read_text()) == {"made": True}
    finally:
        experiments.measurements.cache_clear()


def test_the_demo_with_the_reference_seed_is_the_reference_runs_start():
    run = demo.train_model(REFERENCE_NAMESPACE, steps=200)
    assert demo.validated_run(run, 200) is run
    means = np.array(run["losses"]).reshape(2, 100).mean(1)
    np.testing.assert_allclose(means, experiments.reference_run()["loss_curve"][:2].numpy(),
                               rtol=1e-4)
    assert run["dev"] < run["losses"][0]
    with pytest.raises(ValueError):
        demo.validated_run(run, 300)


def test_the_demo_refuses_bad_settings_and_reports_a_diverged_run():
    for bad in ({"steps": 0}, {"steps": demo.MAX_STEPS + 1}, {"lr": 0.0}, {"lr": 100.0},
                {"seed": -1}):
        with pytest.raises(ValueError):
            demo.train_model(REFERENCE_NAMESPACE, **{"steps": 5, **bad})

    def exploding(params, X, Y, steps, batch_size=32, lr=0.1, generator=None):
        return [float("nan")] * steps

    namespace = {**REFERENCE_NAMESPACE, "train_mlp": exploding,
                 "split_loss": lambda params, X, Y: float("inf")}
    run = demo.validated_run(demo.train_model(namespace, steps=3), 3)
    assert run["losses"] == [None] * 3 and run["dev"] is None
    json.dumps(run, allow_nan=False)  # what the sandbox sends back


def test_the_figures_draw_the_saved_numbers():
    figure = figures.reference_loss_curve()
    curve = figure.to_dict()
    run = experiments.reference_run()
    assert len(figure.data[0].x) == len(run["loss_curve"])
    assert curve["layout"]["shapes"][0]["x0"] == run["decay_at"]
    assert f"dev {run['split_losses']['dev']:.4f}" in curve["layout"]["title"]["text"]
    table = figures.count_model_table().to_dict()
    assert table["data"][0]["cells"]["values"][1][2] == "19,683"
    assert "SSA" in table["layout"]["title"]["text"] or "names.txt" in \
        table["layout"]["title"]["text"]
    assert len(figures.overfitting_table().to_dict()["data"][0]["cells"]["values"][0]) == 4
    assert figures.speed_table().to_dict()["data"][0]["cells"]["values"][0][0] == "32"
    split = figures.split_table().to_dict()["data"][0]["cells"]["values"]
    assert split[0] == ["train", "dev", "test"]


def test_the_training_figure_draws_a_run_against_the_reference():
    own = demo.train_model(REFERENCE_NAMESPACE, steps=300, seed=1)
    fig = figures.training_figure(own)
    assert len(fig.data) == 3 and len(fig.data[0].x) == 3 and len(fig.data[1].x) == 300
    assert f"{own['dev']:.3f}" in fig.layout.title.text
    alone = figures.training_figure(None)
    assert len(alone.data) == 1 and len(alone.data[0].x) == 50


def test_the_notebooks_own_run_falls_back_to_the_reference_while_unwritten():
    def unwritten(*args, **kwargs):
        raise NotImplementedError()

    every = {name: unwritten for name in ("init_mlp", "train_mlp", "split_loss")}
    fig = figures.your_training({**REFERENCE_NAMESPACE, **every}, steps=100)
    assert "Not written yet" in fig.layout.title.text
    fig = figures.your_training({**REFERENCE_NAMESPACE, "split_loss": unwritten}, steps=100)
    assert fig.layout.title.text.startswith("yours") and "reference split_loss" in \
        fig.layout.title.text and len(fig.data) == 3
    fig = figures.your_training(REFERENCE_NAMESPACE, steps=100)
    assert fig.layout.title.text.startswith("yours") and "reference" not in \
        fig.layout.title.text
