"""Checks for chapter 5.5 (VAEs & GANs). Use from a local file or notebook:

    from utils.checks import part5_vaes_gans as tests
    tests.test_Autoencoder(Autoencoder)

Architectures are compared with the reference for several sizes: state-dict keys and shapes,
then the reference's weights are loaded into your model and every layer's output is compared,
so a message can say which layer differs. The reparameterisation is checked by the statistics of
many samples and by where its gradients go; the KL term against the closed form and
torch.distributions; training steps by exact losses and parameters after seeded steps.
"""

from __future__ import annotations

import copy
import inspect
import math
from typing import Callable

import torch as t
import torch.nn.functional as F
from torch import Tensor, nn

from solutions import part5_vaes_gans as ref
from utils.checks.assertions import assert_close, assert_is_tensor, assert_shape, call, \
    forbidding, make_module, passed


def _images(n: int, seed: int) -> Tensor:
    return t.rand(n, 1, 28, 28, generator=t.Generator().manual_seed(seed))


def _same_parameters(model: nn.Module, reference: nn.Module, what: str) -> None:
    """Same state-dict keys with the same shapes; then load the reference's values."""
    got = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    expected = {k: tuple(v.shape) for k, v in reference.state_dict().items()}
    missing, extra = sorted(set(expected) - set(got)), sorted(set(got) - set(expected))
    if missing or extra:
        raise AssertionError(
            f"{what}: the layers don't match the reference's. Missing state-dict keys: "
            f"{missing or 'none'}; unexpected: {extra or 'none'}. Build the nn.Sequential with "
            "exactly the layers of the docstring, in that order (ReLU, Flatten and Unflatten "
            "count as layers: they take an index too).")
    for key, shape in expected.items():
        if got[key] != shape:
            raise AssertionError(f"{what}: `{key}` has shape {got[key]}, the reference's "
                                 f"{shape}. Check that layer's sizes.")
    model.load_state_dict(reference.state_dict())


def _same_layers(mine: nn.Module, theirs: nn.Module, x: Tensor, what: str) -> Tensor:
    """Run two nn.Sequentials side by side and name the first layer whose output differs."""
    if not isinstance(mine, nn.Sequential):
        out = call(mine, x, context=f"running {what}")
        assert_close(out, theirs(x), what)
        return out
    for i, (layer, expected_layer) in enumerate(zip(mine, theirs)):
        label = f"{what}, layer {i} ({type(layer).__name__})"
        got = call(layer, x, context=f"in {label}")
        x = expected_layer(x)
        assert_is_tensor(got, label)
        if tuple(got.shape) != tuple(x.shape):
            raise AssertionError(f"{label}: output shape {tuple(got.shape)}, expected "
                                 f"{tuple(x.shape)} (the reference's {type(expected_layer).__name__})."
                                 " Check kernel size, stride and padding.")
        assert_close(got, x, f"{label}, with the reference's weights loaded")
    return x


def _twin_optimizers(model: nn.Module, expected: nn.Module, lr: float,
                     betas: tuple[float, float] = (0.9, 0.999)) -> tuple:
    """Adam for the learner's copy and for the reference's, from the same starting point."""
    return (t.optim.Adam(model.parameters(), lr=lr, betas=betas),
            t.optim.Adam(expected.parameters(), lr=lr, betas=betas))


def _same_after_step(model: nn.Module, expected: nn.Module, what: str, prefix: str = "",
                     advice: str = "") -> None:
    for (name, p), q in zip(model.named_parameters(), expected.parameters()):
        assert_close(p, q, f"{what}: {prefix}{name} after the step{advice}", atol=1e-6)


_SIZES = ((5, 128), (2, 32), (3, 17))  # (latent_dim_size, hidden_dim_size)


def test_Autoencoder(Autoencoder: type) -> None:
    for latent, hidden in _SIZES:
        what = f"Autoencoder({latent}, {hidden})"
        t.manual_seed(0)
        expected = ref.Autoencoder(latent, hidden)
        model = make_module(Autoencoder, latent, hidden)
        for part in ("encoder", "decoder"):
            if not isinstance(getattr(model, part, None), nn.Module):
                raise AssertionError(f"{what}: needs an attribute `{part}` (an nn.Sequential).")
        _same_parameters(model, expected, what)
        x = _images(4, latent)
        with t.no_grad():
            z = _same_layers(model.encoder, expected.encoder, x, f"{what}.encoder")
            assert_shape(z, (4, latent), f"{what}.encoder on 4 images")
            _same_layers(model.decoder, expected.decoder, z, f"{what}.decoder")
            out = call(model, x, context=f"running {what} on 4 images")
            assert_close(out, expected(x), f"{what}(x), with the reference's weights loaded")
    passed("test_Autoencoder")


def test_ae_training_step(ae_training_step: Callable) -> None:
    t.manual_seed(1)
    model = ref.Autoencoder(3, 32)
    expected_model = copy.deepcopy(model)
    optimizer, expected_optimizer = _twin_optimizers(model, expected_model, lr=1e-3)
    img = _images(8, 1)
    losses = []
    for step in range(1, 4):
        what = f"ae_training_step, step {step} on a batch of 8 images (Adam, lr 1e-3)"
        got = call(ae_training_step, model, optimizer, img, context=f"in {what}")
        expected = ref.ae_training_step(expected_model, expected_optimizer, img)
        if not isinstance(got, float):
            raise AssertionError(f"{what}: return the loss as a Python float (loss.item()), "
                                 f"got {type(got).__name__}.")
        if not math.isclose(got, expected, rel_tol=1e-4):
            raise AssertionError(f"{what}: loss {got:.6g}, expected {expected:.6g} (the mean "
                                 "squared error between model(img) and img)."
                                 + (" Was it measured before this step's update?"
                                    if step > 1 else ""))
        _same_after_step(model, expected_model, what, "parameter ",
                         " (zero the gradients, backward, then step)")
        losses.append(got)
    for _ in range(30):
        losses.append(ae_training_step(model, optimizer, img))
    if not losses[-1] < 0.8 * losses[0]:
        raise AssertionError(f"ae_training_step: 33 steps on one batch should bring the loss "
                             f"down; it went from {losses[0]:.4g} to {losses[-1]:.4g}.")
    passed("test_ae_training_step")


def test_VAE(VAE: type) -> None:
    for latent, hidden in _SIZES[:2]:
        what = f"VAE({latent}, {hidden})"
        t.manual_seed(0)
        expected = ref.VAE(latent, hidden)
        model = make_module(VAE, latent, hidden)
        _same_parameters(model, expected, what)
        x = _images(4, latent)
        with t.no_grad():
            _same_layers(model.encoder, expected.encoder, x, f"{what}.encoder")
            _same_layers(model.decoder, expected.decoder, t.randn(4, latent), f"{what}.decoder")
        sample = call(model.sample_latent_vector, x, context=f"in {what}.sample_latent_vector")
        if not (isinstance(sample, tuple) and len(sample) == 3):
            raise AssertionError(f"{what}.sample_latent_vector should return (z, mu, logsigma).")
        z, mu, logsigma = sample
        _, expected_mu, expected_logsigma = expected.sample_latent_vector(x)
        for name, got, want in (("mu", mu, expected_mu), ("logsigma", logsigma,
                                                         expected_logsigma)):
            assert_close(got, want.detach(), f"{what}.sample_latent_vector: {name} (mu is the "
                         f"encoder's first {latent} outputs of each image, logsigma the last "
                         f"{latent})")
        assert_shape(z, (4, latent), f"{what}.sample_latent_vector: z")
        _check_reparameterisation(model, what, latent)
        t.manual_seed(5)
        out = call(model, x, context=f"running {what} on 4 images")
        if not (isinstance(out, tuple) and len(out) == 3):
            raise AssertionError(f"{what}(x) should return (reconstruction, mu, logsigma).")
        t.manual_seed(5)
        z, mu, logsigma = model.sample_latent_vector(x)
        assert_close(out[0], model.decoder(z), f"{what}(x): the reconstruction should be "
                     "decoder(z) for the z that sample_latent_vector draws")
        for index, name, value in ((1, "mu", mu), (2, "logsigma", logsigma)):
            assert_close(out[index], value.detach(), f"{what}(x): the {name} it returns (the "
                         "same as sample_latent_vector's)")
    passed("test_VAE")


def _check_reparameterisation(model: nn.Module, what: str, latent: int) -> None:
    """z over many draws for one image: mean mu, standard deviation exp(logsigma); and
    gradients from z reach both halves of the encoder's last layer."""
    n = 4000
    x = _images(1, 99).expand(n, 1, 28, 28)
    last = [m for m in model.encoder.modules() if isinstance(m, nn.Linear)][-1]
    with t.no_grad():  # spread the sigmas out, so that exp(logsigma) and its look-alikes differ
        last.bias[latent:] += t.linspace(-0.7, 0.7, latent)
    t.manual_seed(3)
    model.zero_grad()
    z, mu, logsigma = model.sample_latent_vector(x)
    mean, std = z.detach().mean(0), z.detach().std(0)
    sigma = logsigma.detach()[0].exp()
    if not t.allclose(mean, mu.detach()[0], atol=5 * sigma.max().item() / math.sqrt(n)):
        raise AssertionError(f"{what}.sample_latent_vector: over {n} draws for one image, z "
                             f"should average to mu = {mu[0].tolist()}; got {mean.tolist()}.")
    if not t.allclose(std, sigma, rtol=0.05):
        raise AssertionError(f"{what}.sample_latent_vector: over {n} draws for one image, z's "
                             f"standard deviation should be sigma = exp(logsigma) = "
                             f"{sigma.tolist()}; got {std.tolist()}. z = mu + exp(logsigma) * "
                             "eps, with eps from t.randn_like(mu).")
    z.sum().backward()
    grad = last.weight.grad
    if grad is None:
        raise AssertionError(f"{what}.sample_latent_vector: no gradient reaches the encoder from "
                             "z. Build z from mu and logsigma with tensor operations.")
    for half, rows in (("mu", grad[:latent]), ("logsigma", grad[latent:])):
        if rows.abs().sum() == 0:
            raise AssertionError(f"{what}.sample_latent_vector: no gradient reaches {half} "
                                 "through z; don't detach it (the reparameterisation exists so "
                                 "that it does).")


def test_kl_divergence(kl_divergence: Callable) -> None:
    for mu, logsigma, expected, text in (
            (0.0, 0.0, 0.0, "mu = 0, sigma = 1 (the prior itself)"),
            (1.0, 0.0, 0.5, "mu = 1, sigma = 1"),
            (0.0, math.log(2), 1.5 - math.log(2), "mu = 0, sigma = 2")):
        what = f"kl_divergence with {text}"
        got = call(kl_divergence, t.tensor([[mu]]), t.tensor([[logsigma]]), context=what)
        got = assert_is_tensor(got, what)
        if got.dim() != 0:
            raise AssertionError(f"{what}: return a scalar (the mean), got shape "
                                 f"{tuple(got.shape)}.")
        assert_close(got, t.tensor(expected), f"{what}: KL should be {expected:.4g}")
    gen = t.Generator().manual_seed(4)
    mu = t.randn(6, 5, generator=gen, dtype=t.float64).requires_grad_()
    logsigma = (t.randn(6, 5, generator=gen, dtype=t.float64) * 0.5).requires_grad_()
    what = "kl_divergence on random mu, logsigma of shape (6, 5)"
    got = assert_is_tensor(call(kl_divergence, mu, logsigma, context=what), what)
    prior = t.distributions.Normal(t.zeros(6, 5, dtype=t.float64), 1.0)
    expected = t.distributions.kl_divergence(t.distributions.Normal(mu, logsigma.exp()),
                                             prior).mean()
    assert_close(got, expected.detach(), f"{what}, compared with torch.distributions (averaged "
                 "over the batch and the latent dimensions)")
    got.backward()
    n = mu.numel()
    assert_close(mu.grad, (mu / n).detach(), f"{what}: the gradient for mu")
    assert_close(logsigma.grad, ((t.exp(2 * logsigma) - 1) / n).detach(),
                 f"{what}: the gradient for logsigma")
    passed("test_kl_divergence")


def test_vae_training_step(vae_training_step: Callable) -> None:
    t.manual_seed(2)
    model = ref.VAE(3, 32)
    expected_model = copy.deepcopy(model)
    optimizer, expected_optimizer = _twin_optimizers(model, expected_model, lr=1e-3)
    img = _images(8, 2)
    default = inspect.signature(ref.vae_training_step).parameters["beta_kl"].default
    for step, beta in ((1, 0.1), (2, 0.5), (3, 0.5), (4, None)):
        given = {} if beta is None else {"beta_kl": beta}
        what = (f"vae_training_step, step {step} on a batch of 8 images with "
                f"{f'the default beta_kl ({default})' if beta is None else f'beta_kl={beta}'} "
                "(Adam, lr 1e-3)")
        t.manual_seed(10 + step)  # the same noise eps for yours and the reference
        got = call(vae_training_step, model, optimizer, img, context=f"in {what}", **given)
        t.manual_seed(10 + step)
        expected = ref.vae_training_step(expected_model, expected_optimizer, img, **given)
        if not (isinstance(got, tuple) and len(got) == 2 and
                all(isinstance(v, float) for v in got)):
            raise AssertionError(f"{what}: return (reconstruction loss, KL) as two floats, got "
                                 f"{got!r}.")
        for name, value, want in zip(("reconstruction loss", "KL divergence"), got, expected):
            if not math.isclose(value, want, rel_tol=1e-4, abs_tol=1e-7):
                raise AssertionError(f"{what}: {name} {value:.6g}, expected {want:.6g}. (The KL "
                                     "is reported without beta_kl; the loss minimised is "
                                     "MSE + beta_kl * KL.)")
        _same_after_step(model, expected_model, what, "parameter ", " (the loss is MSE + "
                         "beta_kl * KL; zero the gradients, backward, then step)")
    passed("test_vae_training_step")


# -- GANs -------------------------------------------------------------------------------------

_EDGES = t.tensor([-100.0, -20.0, -1.0, -1e-3, 0.0, 1e-3, 1.0, 20.0, 100.0])


def _activation(make: Callable, expected: Callable, what: str,
                gradient_at_zero: bool = True) -> None:
    """Values and gradients against torch's, on edge cases (huge inputs included) and random
    inputs of several shapes. Without gradient_at_zero, the gradient at exactly 0 (a kink, where
    any value between the two slopes is right) is not compared."""
    module = make_module(make)
    gen = t.Generator().manual_seed(6)
    for x in (_EDGES, t.randn(3, 4, generator=gen) * 5, t.randn(2, 3, 5, 5, generator=gen)):
        mine, theirs = x.clone().requires_grad_(), x.clone().requires_grad_()
        got = call(module, mine, context=f"{what} on an input of shape {tuple(x.shape)}")
        want = expected(theirs)
        label = (f"{what} on {x.tolist()}" if x.dim() == 1 else
                 f"{what} on random inputs of shape {tuple(x.shape)}")
        assert_close(got, want.detach(), label, atol=1e-6)
        if not got.requires_grad:
            raise AssertionError(f"{label}: the output has no gradient; use tensor operations.")
        got.sum().backward()
        want.sum().backward()
        if mine.grad is None or not t.isfinite(mine.grad).all():
            raise AssertionError(f"{label}: the gradient is missing or not finite "
                                 f"({mine.grad}); with large inputs, exp overflows: exponentiate "
                                 "only numbers <= 0.")
        compared = t.ones_like(x, dtype=t.bool) if gradient_at_zero else x != 0
        wrong = ~t.isclose(mine.grad, theirs.grad, atol=1e-6, rtol=1e-4) & compared
        if wrong.any():
            i = tuple(wrong.nonzero()[0].tolist())
            hint = (" At x = 0, abs() and sign() have gradient 0 in torch, which kills the "
                    "gradient there: split the cases with t.where on x >= 0 instead."
                    if x[i] == 0 else "")
            raise AssertionError(f"{label}: the gradient at x = {x[i].item():g} is "
                                 f"{mine.grad[i].item():.6g}, expected {theirs.grad[i].item():.6g}."
                                 f"{hint}")


def test_Tanh(Tanh: type) -> None:
    _activation(Tanh, t.tanh, "Tanh()")
    passed("test_Tanh")


def test_LeakyReLU(LeakyReLU: type) -> None:
    _activation(LeakyReLU, lambda x: t.nn.functional.leaky_relu(x, 0.01),
                "LeakyReLU() (default negative_slope 0.01)", gradient_at_zero=False)
    _activation(lambda: LeakyReLU(negative_slope=0.2),
                lambda x: t.nn.functional.leaky_relu(x, 0.2), "LeakyReLU(negative_slope=0.2)",
                gradient_at_zero=False)
    passed("test_LeakyReLU")


def test_Sigmoid(Sigmoid: type) -> None:
    _activation(Sigmoid, t.sigmoid, "Sigmoid()")
    passed("test_Sigmoid")


# (latent_dim_size, img_size, img_channels, hidden_channels); the first is the default.
_GAN_SIZES = ((100, 64, 3, [128, 256, 512]), (16, 28, 1, [8, 16]), (10, 32, 3, [4, 8, 16]))


def _gan_label(name: str, latent: int | None, size: int, channels: int, hidden: list) -> str:
    args = ([f"latent_dim_size={latent}"] if latent is not None else []) + \
        [f"img_size={size}", f"img_channels={channels}", f"hidden_channels={hidden}"]
    return f"{name}({', '.join(args)})"


def test_Generator(Generator: type) -> None:
    for i, (latent, size, channels, hidden) in enumerate(_GAN_SIZES):
        what = _gan_label("Generator", latent, size, channels, hidden)
        t.manual_seed(0)
        expected = ref.Generator(latent, size, channels, hidden)
        model = make_module(Generator) if i == 0 else \
            make_module(Generator, latent, size, channels, hidden)
        if i == 0:
            what += " (the defaults)"
        _same_parameters(model, expected, what)
        noise = t.randn(3, latent, generator=t.Generator().manual_seed(i))
        with t.no_grad():
            hidden_input = _same_layers(model.project_and_reshape, expected.project_and_reshape,
                                        noise, f"{what}.project_and_reshape")
            out = _same_layers(model.hidden_layers, expected.hidden_layers, hidden_input,
                               f"{what}.hidden_layers")
        assert_shape(out, (3, channels, size, size), f"{what} on 3 noise vectors")
    passed("test_Generator")


def test_Discriminator(Discriminator: type) -> None:
    for i, (_, size, channels, hidden) in enumerate(_GAN_SIZES):
        what = _gan_label("Discriminator", None, size, channels, hidden)
        t.manual_seed(0)
        expected = ref.Discriminator(size, channels, hidden)
        model = make_module(Discriminator) if i == 0 else \
            make_module(Discriminator, size, channels, hidden)
        _same_parameters(model, expected, what)
        x = t.rand(3, channels, size, size, generator=t.Generator().manual_seed(i)) * 2 - 1
        with t.no_grad():
            features = _same_layers(model.hidden_layers, expected.hidden_layers, x,
                                    f"{what}.hidden_layers")
            _same_layers(model.classifier, expected.classifier, features, f"{what}.classifier")
            out = call(model, x, context=f"running {what}")
        assert_shape(out, (3,), f"{what} on 3 images: one probability per image")
        assert_close(out, expected(x), f"{what} on 3 images")
    passed("test_Discriminator")


def _assert_normal(values: Tensor, mean: float, std: float, what: str,
                   spread: float = 0.1) -> None:
    """Mean within 4 standard errors; standard deviation within `spread` (relative)."""
    values = values.detach().double().flatten()
    got_mean, got_std = values.mean().item(), values.std().item()
    if abs(got_mean - mean) > 4 * std / math.sqrt(values.numel()) + 1e-4 or \
            not (1 - spread) * std < got_std < (1 + spread) * std:
        raise AssertionError(f"{what}: should be drawn from N({mean}, {std}^2); its "
                             f"{values.numel()} values have mean {got_mean:.4g} and standard "
                             f"deviation {got_std:.4g}.")


def _layers_to_initialise() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(64, 64, 4), nn.Sequential(nn.ConvTranspose2d(64, 32, 4, bias=False),
                                            nn.BatchNorm2d(4000)),
        nn.Linear(300, 200), nn.ReLU(), nn.BatchNorm2d(3000))


def test_initialize_weights(initialize_weights: Callable) -> None:
    t.manual_seed(0)
    model = _layers_to_initialise()
    with t.no_grad():  # BatchNorm's bias starts at 0: make every bias visibly non-zero first
        for module in model.modules():
            if getattr(module, "bias", None) is not None:
                module.bias.fill_(0.5)
    result = call(initialize_weights, model, context="on a model with every layer type")
    if result is not None and result is not model:
        raise AssertionError("initialize_weights should change the model in place (and return "
                             "None).")
    for name, module in model.named_modules():
        label = f"initialize_weights: {type(module).__name__} `{name}`"
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            _assert_normal(module.weight, 0.0, 0.02, f"{label}.weight")
        elif isinstance(module, nn.BatchNorm2d):
            _assert_normal(module.weight, 1.0, 0.02, f"{label}.weight")
        else:
            continue
        if module.bias is not None and module.bias.abs().max() != 0:
            raise AssertionError(f"{label}.bias should be all zeros.")
    passed("test_initialize_weights")


def test_DCGAN(DCGAN: type) -> None:
    latent, size, channels, hidden = 16, 28, 1, [32, 64]
    what = _gan_label("DCGAN", latent, size, channels, hidden)
    t.manual_seed(0)
    model = make_module(DCGAN, latent, size, channels, hidden)
    for name, reference in (("netG", ref.Generator(latent, size, channels, hidden)),
                            ("netD", ref.Discriminator(size, channels, hidden))):
        part = getattr(model, name, None)
        if not isinstance(part, nn.Module):
            raise AssertionError(f"{what}: needs an attribute `{name}`.")
        _same_parameters(copy.deepcopy(part), reference, f"{what}.{name}")
    if getattr(model, "latent_dim_size", None) != latent:
        raise AssertionError(f"{what}: keep latent_dim_size as an attribute (the training loop "
                             "draws noise of that size).")
    default = make_module(DCGAN)
    if getattr(default, "latent_dim_size", None) != 100:
        raise AssertionError("DCGAN(): latent_dim_size should default to 100.")
    _same_parameters(copy.deepcopy(default.netG), ref.Generator(), "DCGAN().netG (the defaults: "
                     "latent 100, 64 x 64 images, 3 channels, hidden channels [128, 256, 512])")
    batchnorm = []
    for name, module in model.named_modules():
        label = f"{what}.{name}.weight (call initialize_weights on the whole model)"
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            _assert_normal(module.weight, 0.0, 0.02, label)
        elif isinstance(module, nn.BatchNorm2d):
            batchnorm.append(module.weight.detach().flatten())
    # A few dozen values per layer: pooled, their spread tells N(1, 0.02^2) from torch's
    # default, all ones.
    weights = t.cat(batchnorm)
    if t.all(weights == 1):
        raise AssertionError(f"{what}: every BatchNorm2d weight is still exactly 1, torch's "
                             "default: it was never initialised. Call initialize_weights on the "
                             "whole model, after building netG and netD.")
    _assert_normal(weights, 1.0, 0.02, f"{what}: the BatchNorm2d weights, all "
                   f"{weights.numel()} of them together (call initialize_weights on the whole "
                   "model)", spread=0.3)
    passed("test_DCGAN")


def _gan_fixture(seed: int) -> tuple[nn.Module, nn.Module, Tensor, Tensor]:
    t.manual_seed(seed)
    model = ref.DCGAN(16, 28, 1, [8, 16])
    img_real = _images(8, seed) * 2 - 1
    noise = t.randn(8, 16, generator=t.Generator().manual_seed(seed))
    return model, copy.deepcopy(model), img_real, noise


def _unchanged(before: list[Tensor], module: nn.Module, what: str) -> None:
    for (name, p), q in zip(module.named_parameters(), before):
        if not t.equal(p.detach(), q):
            raise AssertionError(f"{what}: parameter {name} changed; this step must leave it "
                                 "alone.")


def test_training_step_discriminator(training_step_discriminator: Callable) -> None:
    model, expected_model, img_real, noise = _gan_fixture(7)
    optimizer, expected_optimizer = _twin_optimizers(model.netD, expected_model.netD, lr=2e-4,
                                                     betas=(0.5, 0.999))
    generator_before = [p.detach().clone() for p in model.netG.parameters()]
    for step in (1, 2):
        what = (f"training_step_discriminator, step {step} (8 real images, 8 fakes straight from "
                "netG, with their graph)")
        img_fake = model.netG(noise)
        # As in train_gan, the generator's step leaves gradients in netD: a step that doesn't
        # zero them first would use them.
        (-t.log(model.netD(model.netG(noise))).mean()).backward()
        model.netG.zero_grad(set_to_none=True)
        got = call(training_step_discriminator, model, optimizer, img_real, img_fake,
                   context=f"in {what}")
        _unchanged(generator_before, model.netG, "training_step_discriminator: netG")
        expected = ref.training_step_discriminator(expected_model, expected_optimizer, img_real,
                                                   expected_model.netG(noise))
        if not isinstance(got, float):
            raise AssertionError(f"{what}: return the loss as a float, got {type(got).__name__}.")
        if not math.isclose(got, expected, rel_tol=1e-4):
            raise AssertionError(f"{what}: loss {got:.6g}, expected {expected:.6g}: "
                                 "-(log D(real) + log(1 - D(fake))), averaged over the batch, "
                                 "with D run on the real and the fake batch separately.")
        _same_after_step(model.netD, expected_model.netD, what, "netD.")
        grads = [p.grad for p in model.netG.parameters() if p.grad is not None]
        if any(g.abs().sum() > 0 for g in grads):
            raise AssertionError(f"{what}: the generator received gradients from the "
                                 "discriminator's loss; detach the fake images in this step.")
    _unchanged(generator_before, model.netG, "training_step_discriminator: netG")
    passed("test_training_step_discriminator")


def test_training_step_generator(training_step_generator: Callable) -> None:
    model, expected_model, _, noise = _gan_fixture(8)
    optimizer, expected_optimizer = _twin_optimizers(model.netG, expected_model.netG, lr=1e-3,
                                                     betas=(0.5, 0.999))
    discriminator_before = [p.detach().clone() for p in model.netD.parameters()]
    for step in (1, 2):
        what = f"training_step_generator, step {step} (8 fakes from netG, with their graph)"
        got = call(training_step_generator, model, optimizer, model.netG(noise),
                   context=f"in {what}")
        expected = ref.training_step_generator(expected_model, expected_optimizer,
                                               expected_model.netG(noise))
        if not isinstance(got, float):
            raise AssertionError(f"{what}: return the loss as a float, got {type(got).__name__}.")
        if not math.isclose(got, expected, rel_tol=1e-4):
            hint = (" That is the saturating form, log(1 - D(fake)); minimise -log D(fake) "
                    "instead." if got < 0 else "")
            raise AssertionError(f"{what}: loss {got:.6g}, expected {expected:.6g}: -log D(fake) "
                                 f"averaged over the batch.{hint}")
        _same_after_step(model.netG, expected_model.netG, what, "netG.", " (don't detach the "
                         "fakes here: the gradient must reach the generator)")
    _unchanged(discriminator_before, model.netD, "training_step_generator: netD")
    passed("test_training_step_generator")


# -- Bonus: transposed convolutions from scratch ----------------------------------------------

_TRANSPOSED = {F.conv_transpose1d: "F.conv_transpose1d", F.conv_transpose2d: "F.conv_transpose2d",
               t.conv_transpose1d: "torch.conv_transpose1d",
               t.conv_transpose2d: "torch.conv_transpose2d"}
_HOW = "from padding, flipping the kernel and an ordinary convolution"


def _against_torch(fn: Callable, name: str, cases: list[tuple[tuple, dict, str]],
                   expected: Callable) -> None:
    for args, kwargs, text in cases:
        what = f"{name} on {text}"
        with forbidding(_TRANSPOSED, name, _HOW):
            got = call(fn, *args, context=f"on {what}", **kwargs)
        assert_close(got, expected(*args, **kwargs), f"{what}, compared with torch", atol=1e-4)


def _random(*shape: int, seed: int) -> Tensor:
    return t.randn(*shape, generator=t.Generator().manual_seed(seed))


def test_conv_transpose1d_minimal(conv_transpose1d_minimal: Callable) -> None:
    cases = [((_random(1, 1, 3, seed=1), _random(1, 1, 2, seed=2)), {},
              "one channel: x (1, 1, 3), weights (1, 1, 2)"),
             ((_random(2, 3, 5, seed=3), _random(3, 4, 3, seed=4)), {},
              "x (2, 3, 5), weights (3, 4, 3): in/out channels differ"),
             ((_random(1, 2, 1, seed=5), _random(2, 1, 4, seed=6)), {},
              "a single input position, kernel wider than the input")]
    x = t.tensor([[[1.0, 2.0]]])
    w = t.tensor([[[1.0, 10.0, 100.0]]])
    got = call(conv_transpose1d_minimal, x, w, context="on x = [1, 2], weights = [1, 10, 100]")
    assert_close(got, t.tensor([[[1.0, 12.0, 120.0, 200.0]]]),
                 "conv_transpose1d_minimal on x = [1, 2], weights = [1, 10, 100] (each input "
                 "adds weights * its value, shifted by its position)")
    _against_torch(conv_transpose1d_minimal, "conv_transpose1d_minimal", cases,
                   lambda x, w: F.conv_transpose1d(x, w))
    passed("test_conv_transpose1d_minimal")


def test_fractional_stride_1d(fractional_stride_1d: Callable) -> None:
    x = t.tensor([[[1.0, 2.0, 3.0]]])
    for stride, expected in ((1, [1.0, 2.0, 3.0]), (2, [1.0, 0, 2.0, 0, 3.0]),
                             (3, [1.0, 0, 0, 2.0, 0, 0, 3.0])):
        what = f"fractional_stride_1d([1, 2, 3], stride={stride})"
        got = call(fractional_stride_1d, x, stride, context=f"on {what}")
        assert_close(got, t.tensor([[expected]]), what)
    what = "fractional_stride_1d([1, 2, 3]) with the default stride (1)"
    assert_close(call(fractional_stride_1d, x, context=f"on {what}"), x, what)
    x = _random(2, 3, 4, seed=7)
    got = call(fractional_stride_1d, x, 2, context="on x of shape (2, 3, 4), stride 2")
    assert_shape(got, (2, 3, 7), "fractional_stride_1d on x (2, 3, 4), stride 2")
    assert_close(got[..., ::2], x, "fractional_stride_1d on x (2, 3, 4), stride 2: every "
                 "other element is x")
    passed("test_fractional_stride_1d")


def test_conv_transpose1d(conv_transpose1d: Callable) -> None:
    x, w = _random(2, 3, 5, seed=8), _random(3, 2, 3, seed=9)
    cases = [((x, w), {}, "stride 1, padding 0")]
    cases += [((x, w), {"stride": s, "padding": p}, f"x (2, 3, 5), weights (3, 2, 3), stride "
               f"{s}, padding {p}") for s, p in ((2, 0), (1, 1), (2, 1), (3, 2), (2, 2))]
    _against_torch(conv_transpose1d, "conv_transpose1d", cases,
                   lambda x, w, stride=1, padding=0: F.conv_transpose1d(x, w, stride=stride,
                                                                        padding=padding))
    passed("test_conv_transpose1d")


def test_fractional_stride_2d(fractional_stride_2d: Callable) -> None:
    x = t.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    what = "fractional_stride_2d([[1, 2], [3, 4]], stride_h=2, stride_w=3)"
    got = call(fractional_stride_2d, x, 2, 3, context=f"on {what}")
    assert_close(got, t.tensor([[[[1.0, 0, 0, 2.0], [0, 0, 0, 0], [3.0, 0, 0, 4.0]]]]), what)
    x = _random(2, 3, 4, 5, seed=10)
    got = call(fractional_stride_2d, x, 1, 2, context="on x (2, 3, 4, 5), strides (1, 2)")
    assert_shape(got, (2, 3, 4, 9), "fractional_stride_2d on x (2, 3, 4, 5), strides (1, 2)")
    passed("test_fractional_stride_2d")


_CONV2D_CASES = ((1, 0), (2, 1), ((2, 3), (1, 0)), ((1, 2), 1), (2, (0, 1)), (3, 2))


def test_conv_transpose2d(conv_transpose2d: Callable) -> None:
    x, w = _random(2, 3, 5, 6, seed=11), _random(3, 4, 3, 2, seed=12)
    cases = [((x, w), {"stride": s, "padding": p}, f"x (2, 3, 5, 6), a non-square kernel "
              f"(3, 4, 3, 2), stride {s}, padding {p}") for s, p in _CONV2D_CASES]
    cases.append(((x, w), {}, "x (2, 3, 5, 6), kernel (3, 4, 3, 2), the default stride and "
                  "padding (1 and 0)"))
    _against_torch(conv_transpose2d, "conv_transpose2d", cases,
                   lambda x, w, stride=1, padding=0: F.conv_transpose2d(x, w, stride=stride,
                                                                        padding=padding))
    passed("test_conv_transpose2d")


def test_ConvTranspose2d(ConvTranspose2d: type) -> None:
    t.manual_seed(0)
    layer = make_module(ConvTranspose2d, 3, 4, (3, 2), stride=2, padding=1)
    names = {name: tuple(p.shape) for name, p in layer.named_parameters()}
    if names != {"weight": (3, 4, 3, 2)}:
        raise AssertionError(f"ConvTranspose2d(3, 4, (3, 2)): expected one parameter `weight` of "
                             f"shape (in, out, kh, kw) = (3, 4, 3, 2) and no bias, got {names}.")
    big = make_module(ConvTranspose2d, 64, 32, 4).weight.detach()
    bound = 1 / math.sqrt(32 * 4 * 4)
    spread = big.std().item() / (bound / math.sqrt(3))  # a uniform's std is bound / sqrt(3)
    if big.abs().max() > bound * (1 + 1e-6) or not 0.85 < spread < 1.15:
        raise AssertionError(f"ConvTranspose2d(64, 32, 4).weight should be uniform in "
                             f"+-1/sqrt(out_channels * kh * kw) = +-{bound:.4g}; its values "
                             f"reach {big.abs().max().item():.4g} with standard deviation "
                             f"{big.std().item():.4g}.")
    x = _random(2, 3, 5, 6, seed=13)
    with forbidding(_TRANSPOSED, "ConvTranspose2d", _HOW):
        got = call(layer, x, context="running ConvTranspose2d(3, 4, (3, 2), stride=2, padding=1)")
    assert_close(got, F.conv_transpose2d(x, layer.weight, stride=2, padding=1),
                 "ConvTranspose2d(3, 4, (3, 2), stride=2, padding=1) on x (2, 3, 5, 6), with its "
                 "own weight", atol=1e-4)
    plain = make_module(ConvTranspose2d, 3, 4, 3)
    with forbidding(_TRANSPOSED, "ConvTranspose2d", _HOW):
        got = call(plain, x, context="running ConvTranspose2d(3, 4, 3)")
    assert_close(got, F.conv_transpose2d(x, plain.weight),
                 "ConvTranspose2d(3, 4, 3) (the default stride 1 and padding 0, an int kernel "
                 "size) on x (2, 3, 5, 6)", atol=1e-4)
    passed("test_ConvTranspose2d")
