"""The numbers chapter 5.5's pages state, measured: sigmoids, logs and losses in torch, and the demo
models and the beta sweep in assets/. If a torch release or a retrained model changes one, the
page is wrong and this says so."""

import torch as t
import torch.nn.functional as F

from solutions.part5_vaes_gans import Sigmoid


def _grad(loss_of_logit, a: float) -> tuple[float, float]:
    logit = t.tensor([a], requires_grad=True)
    loss = loss_of_logit(logit)
    loss.backward()
    return loss.item(), logit.grad.item()


def test_the_saturating_loss_vanishes_through_the_logit_not_through_d():
    # As a function of D, log(1 - D) has slope -1 near D = 0 ...
    d = t.tensor([1e-3], requires_grad=True)
    t.log(1 - d).backward()
    assert abs(d.grad.item() + 1) < 2e-3
    # ... but through the logit a its gradient is -sigma(a) = -D, while -log D's is -(1 - D).
    a = -6.9  # D = sigma(a) ~ 0.001
    _, saturating = _grad(lambda x: t.log(1 - t.sigmoid(x)).sum(), a)
    _, non_saturating = _grad(lambda x: -t.log(t.sigmoid(x)).sum(), a)
    D = t.sigmoid(t.tensor(a)).item()
    assert abs(saturating + D) < 1e-6 and abs(non_saturating + (1 - D)) < 1e-6
    assert 900 < non_saturating / saturating < 1100  # "a thousandth of the gradient"


def test_a_safe_sigmoid_still_rounds_to_one_and_its_log_is_infinite():
    for sigmoid in (t.sigmoid, Sigmoid()):
        assert sigmoid(t.tensor(16.0)).item() < 1  # "above about 17"
        assert sigmoid(t.tensor(17.0)).item() == 1.0
        assert t.log(1 - sigmoid(t.tensor(17.0))).item() == float("-inf")
        assert t.log(sigmoid(t.tensor(-104.0))).item() == float("-inf")  # "below about -104"
    assert Sigmoid()(t.tensor(-100.0)).item() > 0
    assert t.sigmoid(t.tensor(-88.0)).item() > 0 and t.sigmoid(t.tensor(-90.0)).item() == 0
    loss, grad = _grad(lambda x: -t.log(1 - t.sigmoid(x)).sum(), 30.0)
    assert loss == float("inf") and grad != grad  # NaN


def test_logsigmoid_gives_the_logs_finitely():
    a = t.tensor([-1e30, -100.0, -17.0, 0.0, 17.0, 100.0, 1e30])
    assert t.isfinite(F.logsigmoid(a)).all() and t.isfinite(F.logsigmoid(-a)).all()
    middle = t.tensor([-5.0, 0.0, 5.0])
    assert t.allclose(F.logsigmoid(-middle), t.log(1 - t.sigmoid(middle)))


def test_bceloss_clamps_at_100_and_loses_the_gradient_while_logits_keep_it():
    target = t.tensor([0.0])
    loss, grad = _grad(lambda x: F.binary_cross_entropy(t.sigmoid(x), target), 30.0)
    assert loss == 100.0 and grad == 0.0
    loss, grad = _grad(lambda x: F.binary_cross_entropy_with_logits(x, target), 30.0)
    assert loss == 30.0 and grad == 1.0


def _section(name: str) -> str:
    from utils.site_config import ROOT

    return (ROOT / "pages" / "part5_vaes_gans" / name).read_text()


def test_the_autoencoder_page_states_the_demo_models_and_the_beta_sweep_as_they_are():
    """The section's prose writes out the demo models' training and the beta sweep's results
    (one text for page and notebook); a retrained model or a regenerated sweep that changes one
    of them must change the prose too."""
    from utils.figures.part5_vaes_gans import first_collapsed_beta
    from utils.pretrained import DEMO_MODELS, VAE_BETA, load_beta_sweep, trained_on

    text = " ".join(_section("1_autoencoders.md").split())
    epochs = {default_epochs for _, _, default_epochs in DEMO_MODELS.values()}
    assert len(epochs) == 1
    sweep = load_beta_sweep()
    for stated in [
        f"trained on {trained_on()} by `python -m utils.pretrained` ({epochs.pop()} epochs, "
        "seed 0)",
        f"(about {sweep['mean_digit_error']:.3f} for a model that draws the average digit",
        f"about ${196 * VAE_BETA:.1f}$ for the default $\\beta = {VAE_BETA}$",
        f"trained {sweep['epochs']} epochs on {sweep['data']} for each of {len(sweep['betas'])} "
        f"values of $\\beta$ (seed {sweep['seed']};",
        f"From $\\beta = {first_collapsed_beta():g}$ on, the KL is about 0",
        f"the error falls, to about {min(sweep['reconstruction']):.3f};",
        f"The demo VAE uses the default, $\\beta = {VAE_BETA}$.",
    ]:
        assert stated in text, stated


def test_the_gan_page_states_the_demo_gan_as_it_is():
    from utils.pretrained import GAN_CONFIG, GAN_EPOCHS, trained_on

    text = " ".join(_section("2_gans.md").split())
    size, channels, noise = (GAN_CONFIG["img_size"], GAN_CONFIG["hidden_channels"],
                             GAN_CONFIG["latent_dim_size"])
    stated = (f"The demo DCGAN (${size} \\times {size}$, hidden channels {channels}, a "
              f"{noise}-number noise) trained for {GAN_EPOCHS} epochs on {trained_on()} with "
              "`train_gan`")
    assert stated in text
