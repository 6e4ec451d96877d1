"""Chapter 4.5, sections 4-6: the saved reference run and measurements (current: what the code
gives now), what the pages state about them, the "Trace my model" and "Train my model" demos and
the figures."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from solutions import makemore_wavenet as solutions
from utils.demos.makemore_wavenet import model as demo
from utils.experiments.makemore_wavenet import model as experiments
from utils.figures.makemore_wavenet import model as figures

STALE = ("what chapter 4.5's saved runs were computed from has changed: run `python -m "
         "utils.experiments.makemore_wavenet.model` (the reference run) or `... model "
         "measurements` and commit assets/makemore_wavenet/")
REFERENCE_NAMESPACE = vars(solutions)
MLP_DEV = 2.1367  # chapter 4.2's reference MLP on the offline names, as the pages state


def test_the_chapters_model_has_76579_parameters_and_a_calm_start():
    model = solutions.build_wavenet(generator=torch.Generator().manual_seed(0))
    assert sum(p.numel() for p in model.parameters()) == 76_579
    X = torch.randint(0, 27, (256, 8), generator=torch.Generator().manual_seed(1))
    loss = torch.nn.functional.cross_entropy(model(X), torch.zeros(256, dtype=torch.long))
    assert abs(loss.item() - math.log(27)) < 0.1


def test_the_saved_reference_run_matches_the_modules_settings():
    run = experiments.reference_run()
    assert (run["steps"], run["decay_at"], run["batch_size"], run["seed"], run["block_size"],
            run["n_embd"], run["n_hidden"], run["log_every"]) == \
        (experiments.STEPS, experiments.DECAY_AT, experiments.BATCH_SIZE, experiments.SEED,
         experiments.BLOCK_SIZE, experiments.N_EMBD, experiments.N_HIDDEN,
         experiments.LOG_EVERY), STALE
    assert run["loss_curve"].shape == (experiments.STEPS // experiments.LOG_EVERY,)
    assert run["first_losses"].shape == (experiments.FIRST_STEPS,), STALE
    assert run["n_params"] == 76_579
    shapes = [tuple(p.shape) for p in solutions.build_wavenet().parameters()]
    assert [tuple(p.shape) for p in run["state"]] == shapes
    assert [tuple(m.shape) for pair in run["running"] for m in pair] == [(128,)] * 6
    data = experiments.names_split(experiments.BLOCK_SIZE)
    if data.source == run["source"]:
        assert run["n_words"] == len(data.words)


def test_the_saved_reference_run_is_what_the_reference_trains():
    """Its first 1,000 steps again (the whole run takes minutes), and its split losses from its
    saved parameters and running statistics."""
    run = experiments.reference_run()
    data = experiments.names_split(experiments.BLOCK_SIZE)
    if data.source != run["source"]:
        pytest.skip("the names loaded here are not the ones the reference run was trained on")
    fresh = experiments.train_reference(steps=1_000)
    assert fresh["first_loss"] == pytest.approx(run["first_loss"], rel=1e-5), STALE
    np.testing.assert_allclose(fresh["first_losses"].numpy(), run["first_losses"][:1000].numpy(),
                               rtol=1e-4, err_msg=STALE)
    np.testing.assert_allclose(fresh["loss_curve"].numpy(), run["loss_curve"][:1].numpy(),
                               rtol=1e-4, err_msg=STALE)
    np.testing.assert_allclose(run["first_losses"].view(-1, 1000).mean(1).numpy(),
                               run["loss_curve"][:experiments.FIRST_STEPS // 1000].numpy(),
                               rtol=1e-5, err_msg=STALE)
    model = experiments.load_model(run)
    for name, X, Y in (("train", data.Xtr, data.Ytr), ("dev", data.Xdev, data.Ydev),
                       ("test", data.Xte, data.Yte)):
        assert solutions.evaluate_loss(model, X, Y) == \
            pytest.approx(run["split_losses"][name], rel=1e-5), STALE


def test_the_saved_measurements_are_current():
    saved = json.loads(experiments.MEASUREMENTS_PATH.read_text())
    data = experiments.names_split(experiments.BLOCK_SIZE)
    if data.source != saved["source"]:
        pytest.skip("the names loaded here are not the ones the measurements were made on")
    fresh = experiments.compute_measurements()
    assert fresh["samples"] == saved["samples"], STALE
    assert [r["model"] for r in fresh["comparison"]] == [r["model"] for r in saved["comparison"]]
    for new, old in zip(fresh["comparison"], saved["comparison"]):
        for key, value in old.items():
            assert new[key] == (pytest.approx(value, rel=1e-6) if isinstance(value, float)
                                else value), (STALE, old["model"], key)


def test_what_the_pages_say_about_the_numbers_holds():
    """Sections 4-6 read these off the saved numbers."""
    run = experiments.reference_run()
    rows = {r["model"]: r for r in experiments.measurements()["comparison"]}
    wavenet, mlp, bigram = rows["WaveNet (4.5)"], rows["MLP (4.2)"], rows["bigram counts (4.1)"]
    assert round(wavenet["dev"], 4) == 1.9588 and round(wavenet["train"], 4) == 1.7424
    assert round(wavenet["test"], 4) == 1.9566 and round(bigram["dev"], 4) == 2.4281
    assert round(mlp["dev"], 4) == MLP_DEV and mlp["parameters"] == 11_897
    assert wavenet["dev"] < mlp["dev"] < bigram["dev"]  # the requirement
    assert round(wavenet["dev"] - wavenet["train"], 3) == 0.216
    assert round(mlp["dev"] - mlp["train"], 3) == 0.055
    assert round(wavenet["parameters"] / mlp["parameters"], 1) == 6.4
    assert round(run["first_loss"], 3) == 3.308 and round(run["seconds"]) == 305
    curve = run["loss_curve"]
    assert round(curve[0].item(), 3) == 2.388
    decay = run["decay_at"] // run["log_every"]
    assert round(curve[decay - 1].item(), 3) == 1.859
    assert round(curve[decay:decay + 10].mean().item(), 3) == 1.799


def test_a_missing_measurements_file_is_computed_at_first_use(tmp_path, monkeypatch):
    monkeypatch.setattr(experiments, "MEASUREMENTS_PATH", tmp_path / "m.json")
    monkeypatch.setattr(experiments, "compute_measurements", lambda: {"made": True})
    experiments.measurements.cache_clear()
    try:
        assert experiments.measurements() == {"made": True}
        assert json.loads((tmp_path / "m.json").read_text()) == {"made": True}
    finally:
        experiments.measurements.cache_clear()


def test_the_sampler_is_seeded_and_stops_at_the_end_token():
    model = experiments.load_model(experiments.reference_run())
    itos = {i: ch for ch, i in experiments.names_split(8).stoi.items()}
    first = solutions.sample_wavenet(model, 5, torch.Generator().manual_seed(3), itos)
    again = solutions.sample_wavenet(model, 5, torch.Generator().manual_seed(3), itos)
    assert first == again and len(first) == 5
    assert all(name and "." not in name for name in first)


def test_the_trace_demo_is_the_reference_trace():
    data = demo.validated_trace(demo.trace_model(REFERENCE_NAMESPACE))
    assert data["input"] == [4, 8]
    assert data["trace"][0] == ["Embedding", [4, 8, 24]] and data["trace"][-1] == ["Linear",
                                                                                  [4, 27]]
    assert [row[1] for row in data["trace"][9:]] == [[4, 256], [4, 128], [4, 128], [4, 128],
                                                      [4, 27]]
    assert sum(data["params"]) == 76_579
    json.dumps(data, allow_nan=False)  # what the sandbox sends back
    with pytest.raises(ValueError):
        demo.validated_trace({"trace": [["Embedding", [4, 8, 24]]], "params": [648, 0]})
    with pytest.raises(ValueError):
        demo.validated_trace({"trace": [["Embedding", "(4, 8, 24)"]], "params": [648]})


def test_the_trace_table_shades_the_rows_that_differ():
    ref = figures.reference_trace()
    own = json.loads(json.dumps(ref))
    own["trace"][1][1] = [4, 2, 96]
    table = figures.shape_trace_table(own).to_dict()["data"][0]
    assert table["cells"]["values"][2][1] == "(4, 2, 96)"
    fills = table["cells"]["fill"]["color"][0]
    assert fills[1] != "white" and fills.count("white") == len(fills) - 1
    default = figures.shape_trace_table().to_dict()
    assert "76,579 parameters" in default["layout"]["title"]["text"]
    assert set(default["data"][0]["cells"]["fill"]["color"][0]) == {"white"}


def test_the_training_demo_with_the_reference_seed_is_the_reference_runs_start():
    run = demo.train_model(REFERENCE_NAMESPACE, steps=200)
    assert demo.validated_run(run, 200) is run
    np.testing.assert_allclose(run["losses"],
                               experiments.reference_run()["first_losses"][:200].numpy(),
                               rtol=1e-4)
    assert run["dev"] < run["losses"][0]
    with pytest.raises(ValueError):
        demo.validated_run(run, 300)


def test_the_training_demo_refuses_bad_settings_and_reports_a_diverged_run():
    for bad in ({"steps": 0}, {"steps": demo.MAX_STEPS + 1}, {"lr": 0.0}, {"lr": 100.0},
                {"seed": -1}):
        with pytest.raises(ValueError):
            demo.train_model(REFERENCE_NAMESPACE, **{"steps": 5, **bad})

    def exploding(model, X, Y, steps, batch_size=32, lr=0.1, generator=None):
        return [float("nan")] * steps

    namespace = {**REFERENCE_NAMESPACE, "train_wavenet": exploding,
                 "evaluate_loss": lambda model, X, Y: float("inf")}
    run = demo.validated_run(demo.train_model(namespace, steps=3), 3)
    assert run["losses"] == [None] * 3 and run["dev"] is None
    json.dumps(run, allow_nan=False)


def test_the_figures_draw_the_saved_numbers():
    run = experiments.reference_run()
    figure = figures.reference_loss_curve()
    assert len(figure.data[0].x) == len(run["loss_curve"])
    curve = figure.to_dict()
    assert curve["layout"]["shapes"][0]["x0"] == run["decay_at"]
    assert f"dev {run['split_losses']['dev']:.4f}" in curve["layout"]["title"]["text"]
    table = figures.comparison_table().to_dict()["data"][0]["cells"]["values"]
    assert table[0] == ["bigram counts (4.1)", "MLP (4.2)", "WaveNet (4.5)"]
    assert table[2] == ["729", "11,897", "76,579"] and table[4][1] == f"{MLP_DEV:.4f}"
    params = figures.parameter_table().to_dict()["data"][0]["cells"]["values"]
    assert params[2][5] == "76,579" and params[2][-1] == "11,897"
    names = figures.samples_table().to_dict()["data"][0]["cells"]["values"]
    assert sorted(sum(names, [])) == sorted(experiments.measurements()["samples"])


def test_the_training_figure_draws_a_run_against_the_reference():
    own = demo.train_model(REFERENCE_NAMESPACE, steps=300, seed=1)
    fig = figures.training_figure(own)
    assert len(fig.data) == 3 and len(fig.data[0].x) == 3 and len(fig.data[1].x) == 300
    assert f"{own['dev']:.3f}" in fig.layout.title.text
    alone = figures.training_figure(None)
    assert len(alone.data) == 1 and len(alone.data[0].x) == 15


def test_the_notebooks_own_runs_fall_back_to_the_reference_while_unwritten():
    def unwritten(*args, **kwargs):
        raise NotImplementedError()

    every = {name: unwritten for name in ("build_wavenet", "train_wavenet", "evaluate_loss")}
    fig = figures.your_training({**REFERENCE_NAMESPACE, **every}, steps=100)
    assert "Not written yet" in fig.layout.title.text
    fig = figures.your_training({**REFERENCE_NAMESPACE, "evaluate_loss": unwritten}, steps=100)
    assert "reference evaluate_loss" in fig.layout.title.text and len(fig.data) == 3
    fig = figures.your_trace({**REFERENCE_NAMESPACE, "shape_trace": unwritten,
                              "build_wavenet": unwritten})
    assert "not written yet" in fig.layout.title.text
    fig = figures.your_trace({**REFERENCE_NAMESPACE, "shape_trace": unwritten})
    assert "reference shape_trace" in fig.layout.title.text
