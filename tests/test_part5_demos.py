"""Chapter 5.5's demos: the saved demo models, the latent explorer, and training the learner's own
autoencoder in the sandbox."""

import numpy as np
import pytest
import torch as t
import torch.nn.functional as F

from tests.browser_site import open_page
from utils import registry, sources
from utils.answers import reference_file
from utils.data import offline_digits
from utils.pretrained import DEMO_MODELS, asset_path, load_demo_model, train_demo_model
from utils.demos.part5_vaes_gans import GRID_STEPS, validated_map
from utils.figures.part5_vaes_gans import grid_cell
from utils.runner import run_demo
from tests.app_charts import chart_specs

STEM = "part5_vaes_gans"


@pytest.mark.parametrize("kind", list(DEMO_MODELS))
def test_saved_pretrained_load_and_reconstruct_digits(kind):
    assert asset_path(kind).exists(), "run `python -m utils.pretrained` and commit assets/"
    model = load_demo_model(kind)
    images = offline_digits().test_images[:200]
    with t.no_grad():
        out = model(images)
        reconstruction = out[0] if isinstance(out, tuple) else out
    # Much better than drawing the average digit for every input.
    baseline = F.mse_loss(images.mean(0, keepdim=True).expand_as(images), images)
    assert F.mse_loss(reconstruction, images) < 0.6 * baseline


def test_demo_model_training_brings_the_loss_down():
    images = offline_digits().train_images[:256]
    losses = []
    train_demo_model("vae", images, epochs=3, on_epoch=lambda e, h: losses.append(h[-1][0]))
    assert losses[-1] < losses[0]


def test_grid_cell_maps_the_latent_plane_to_the_grid():
    grid = np.arange(GRID_STEPS * GRID_STEPS).reshape(GRID_STEPS, GRID_STEPS, 1, 1)
    assert grid_cell(grid, 2.5, -2.5, 2.5).item() == 0  # top left
    assert grid_cell(grid, 2.5, 2.5, -2.5).item() == GRID_STEPS ** 2 - 1  # bottom right
    assert grid_cell(grid, 2.5, 0.0, 0.0).item() == (GRID_STEPS ** 2) // 2
    assert grid_cell(grid, 2.5, 9.0, -9.0).item() == GRID_STEPS ** 2 - 1  # clamped


@pytest.mark.parametrize("kind", ["autoencoder", "vae"])
def test_the_learners_model_trains_in_the_sandbox(kind):
    result = run_demo(f"{STEM}.train_and_map", reference_file(STEM), {"kind": kind, "epochs": 3})
    assert result.status == "passed", result.message
    latent_map = validated_map(result.data)
    assert latent_map["losses"][-1] < latent_map["losses"][0]
    assert latent_map["grid"].shape == (GRID_STEPS, GRID_STEPS, 28, 28)


def test_an_unfinished_model_says_so():
    stub = sources.stub_source(registry.get(f"{STEM}.VAE"))
    result = run_demo(f"{STEM}.train_and_map", reference_file(STEM, {"VAE": stub}),
                      {"kind": "vae", "epochs": 1})
    assert result.status == "not_implemented", result.message


def test_autoencoder_page_explores_and_trains_the_learners_model():
    app = open_page(f"pages/{STEM}/1_autoencoders.md")
    assert not app.exception, [e.value for e in app.exception]
    charts = len(chart_specs(app))
    app.slider(key="p5_z1").set_value(1.5).run()
    app.radio(key="p5_explorer_kind").set_value("autoencoder").run()
    assert not app.exception and len(chart_specs(app)) == charts
    app.slider(key="p5_own_epochs").set_value(2).run()
    app.button(key="p5_train_own").click().run()
    assert not app.exception and not app.error, [e.value for e in app.exception or app.error]
    assert len(chart_specs(app)) >= charts + 3
    app.slider(key="p5_own_z1").set_value(2.0).run()
    assert not app.exception


def test_saved_demo_gan_draws_digit_like_images():
    from utils.pretrained import GAN_EPOCHS, load_demo_gan

    model, snapshots = load_demo_gan()
    assert snapshots.shape == (GAN_EPOCHS, 16, 28, 28) and snapshots.dtype == t.uint8
    with t.no_grad():
        samples = model.netG(t.randn(256, model.latent_dim_size))
    real = offline_digits().test_images * 2 - 1
    # Mostly dark background with bright strokes, like the real digits (a collapsed generator
    # gives a flat grey, mean ~0 and no spread).
    assert abs(samples.mean() - real.mean()) < 0.15
    assert samples.std() > 0.6 * real.std()


def test_the_learners_gan_trains_in_the_sandbox():
    from utils.demos.part5_vaes_gans import validated_samples

    result = run_demo(f"{STEM}.train_gan_samples", reference_file(STEM), {"epochs": 2})
    assert result.status == "passed", result.message
    samples = validated_samples(result.data)
    assert samples["snapshots"].shape == (2, 16, 28, 28)


def test_gan_page_walks_through_training_and_trains_the_learners_gan():
    app = open_page(f"pages/{STEM}/2_gans.md")
    assert not app.exception, [e.value for e in app.exception]
    charts = len(chart_specs(app))
    app.slider(key="p5_gan_epoch").set_value(1).run()
    app.slider(key="p5_gan_mix").set_value(0.9).run()
    assert not app.exception and len(chart_specs(app)) == charts
    app.slider(key="p5_gan_own_epochs").set_value(2).run()
    app.button(key="p5_gan_train_own").click().run()
    assert not app.exception and not app.error, [e.value for e in app.exception or app.error]
    assert len(chart_specs(app)) == charts + 2


def test_beta_sweep_shows_collapse_above_the_default_and_not_at_it():
    from utils.pretrained import SWEEP_BETAS, VAE_BETA, load_beta_sweep

    assert asset_path("beta_sweep").exists(), "run `python -m utils.pretrained beta_sweep`"
    sweep = load_beta_sweep()
    assert sweep["betas"] == list(SWEEP_BETAS) and VAE_BETA in SWEEP_BETAS
    kl = dict(zip(sweep["betas"], sweep["kl"]))
    error = dict(zip(sweep["betas"], sweep["reconstruction"]))
    # The default trains: the code carries information and beats the average digit.
    assert kl[VAE_BETA] > 0.5 and error[VAE_BETA] < 0.8 * sweep["mean_digit_error"]
    # The old default, 0.1, collapses: no information in the code, the average digit's error.
    assert kl[0.1] < 0.01 and abs(error[0.1] / sweep["mean_digit_error"] - 1) < 0.05
    assert sweep["shown"].shape == (len(SWEEP_BETAS), 8, 28, 28)


def test_a_missing_beta_sweep_is_computed_and_saved(tmp_path, monkeypatch):
    from utils import pretrained

    monkeypatch.setattr(pretrained, "ASSETS", tmp_path)
    quick = pretrained.run_beta_sweep
    monkeypatch.setattr(pretrained, "run_beta_sweep", lambda: quick(betas=(0.002,), epochs=1))
    sweep = pretrained.load_beta_sweep()
    assert (tmp_path / "beta_sweep.pt").exists()
    assert sweep["betas"] == [0.002] and len(sweep["kl"]) == 1
    assert pretrained.load_beta_sweep()["kl"] == sweep["kl"]


def test_the_notebooks_train_yours_cells_draw_the_learners_models():
    """In the notebook, "Train yours" trains the learner's own code in the kernel: with the
    reference it draws the model; with an exercise not done yet it says which, and goes on."""
    import plotly.graph_objects as go

    from solutions import part5_vaes_gans as reference
    from utils.figures.part5_vaes_gans import your_gan_samples, your_latent_map

    done = dict(vars(reference))
    latent_map = your_latent_map(done, kind="vae", epochs=1)
    assert {trace.type for trace in latent_map.data} == {"scatter", "heatmap"}
    samples = your_gan_samples(done, epochs=1)
    assert [trace.type for trace in samples.data] == ["heatmap", "scatter", "scatter"]

    unfinished = dict(done)
    exec(sources.stub_source(registry.get(f"{STEM}.DCGAN")), unfinished)
    figure = your_gan_samples(unfinished, epochs=1)
    assert isinstance(figure, go.Figure) and not figure.data
    assert "`DCGAN` is not done" in figure.layout.annotations[0].text
