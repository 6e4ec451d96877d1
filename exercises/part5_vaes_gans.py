# %% [markdown]
# # Chapter 5.5: VAEs & GANs — exercises
#
# Autoencoders, VAEs and GANs on digits, with a latent space to explore, and transposed convolutions from scratch.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/part5_vaes_gans.py
#
# or one test per exercise with `pytest exercises/part5_vaes_gans.py`, or call one check yourself, e.g. `tests.test_Autoencoder(Autoencoder)`.
#
# This file is generated from `solutions/part5_vaes_gans.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/part5_vaes_gans_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/part5_vaes_gans.ipynb


# %%
import sys
from pathlib import Path

# The checks live in the repository's `utils` package: import it from the folder above this file.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
try:
    import utils  # noqa: F401
except ImportError:
    sys.exit("This file needs the course's code: put it in the exercises/ folder of a clone of "
             "https://github.com/grokking-the-fundamentals/grokking-the-fundamentals and run it from there.")


# %%
from typing import Callable

import einops
import torch as t
import torch.nn.functional as F
from jaxtyping import Float
from torch import Tensor, nn

Images = Float[Tensor, "batch 1 28 28"]

from utils.checks import part5_vaes_gans as tests


# %% [markdown]
# ## Autoencoders and VAEs
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part5_vaes_gans_autoencoders)


# %% [markdown]
# ### Exercise: `Autoencoder` — An autoencoder
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–25 minutes
#
# Write `Autoencoder(latent_dim_size, hidden_dim_size)`: an `encoder` that takes a $(1, 28, 28)$
# image down to `latent_dim_size` numbers with two strided convolutions and two linear
# layers, and a `decoder` that mirrors it with transposed convolutions. The docstring lists
# the layers, in order. Every Conv2d, Linear and ConvTranspose2d keeps its bias (PyTorch's
# default; the DCGAN's layers later in the chapter drop theirs).
#
# Check it with `tests.test_Autoencoder(Autoencoder)`.


# %%
class Autoencoder(nn.Module):
    """Compress a (1, 28, 28) image to `latent_dim_size` numbers, and decode it back.

    `encoder`, an nn.Sequential in exactly this order:
        Conv2d(1, 16, kernel_size=4, stride=2, padding=1), ReLU,
        Conv2d(16, 32, kernel_size=4, stride=2, padding=1), ReLU,
        Flatten, Linear(32 * 7 * 7, hidden_dim_size), ReLU, Linear(hidden_dim_size, latent_dim_size)
    `decoder`, an nn.Sequential mirroring it:
        Linear(latent_dim_size, hidden_dim_size), ReLU, Linear(hidden_dim_size, 32 * 7 * 7), ReLU,
        Unflatten(1, (32, 7, 7)),
        ConvTranspose2d(32, 16, kernel_size=4, stride=2, padding=1), ReLU,
        ConvTranspose2d(16, 1, kernel_size=4, stride=2, padding=1)
    Every Conv2d, Linear and ConvTranspose2d has its bias (PyTorch's default, bias=True).
    (The order fixes the state-dict keys, encoder.0.weight and so on, which the checks use to
    load the reference's weights into your model.)
    """

    def __init__(self, latent_dim_size: int, hidden_dim_size: int) -> None:
        raise NotImplementedError()

    def forward(self, x: Images) -> Images:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `ae_training_step` — Training the autoencoder
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `ae_training_step(model, optimizer, img)`: the mean squared error between the
# reconstruction and the images, then zero the gradients, backward, step; return the loss as
# a float. The target is the input itself: no labels.
#
# Check it with `tests.test_ae_training_step(ae_training_step)`.


# %%
def ae_training_step(model: Autoencoder, optimizer: t.optim.Optimizer, img: Images) -> float:
    """One step on a batch: the mean squared error between the reconstruction and the images,
    its gradients, and an optimizer step. Returns the loss as a float."""
    raise NotImplementedError()


# %%
def train_generative(model: nn.Module, step: Callable[..., float | tuple[float, float]],
                     images: Images, epochs: int = 10, batch_size: int = 128, lr: float = 1e-3,
                     seed: int = 0, on_epoch: Callable[[int, list], None] | None = None) -> list:
    """Train with Adam (betas 0.5, 0.999), shuffling each epoch; `step(model, optimizer, batch)`
    is ae_training_step or vae_training_step. Returns what each step returned."""
    t.manual_seed(seed)
    optimizer = t.optim.Adam(model.parameters(), lr=lr, betas=(0.5, 0.999))
    history = []
    for epoch in range(epochs):
        order = t.randperm(len(images))
        for start in range(0, len(images), batch_size):
            history.append(step(model, optimizer, images[order[start:start + batch_size]]))
        if on_epoch is not None:
            on_epoch(epoch, history)
    return history


# %% [markdown]
# ### Exercise: `VAE` — A variational autoencoder
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–25 minutes
#
# Write `VAE(latent_dim_size, hidden_dim_size)`: the encoder outputs $2 \times$
# `latent_dim_size` numbers, $\mu$ then $\log\sigma$; `sample_latent_vector(x)` returns $(z, \mu, \log\sigma)$
# with $z = \mu + \sigma \epsilon$, $\epsilon \sim N(0, 1)$; `forward(x)` returns
# (decoder(z), $\mu$, $\log\sigma$). The layers are the Autoencoder's, biases included; only
# the encoder's last Linear is twice as wide.
#
# Check it with `tests.test_VAE(VAE)`.


# %%
class VAE(nn.Module):
    """An autoencoder whose encoder gives a distribution over latent vectors, not one vector.

    `encoder`: the Autoencoder's, with a last Linear giving 2 * latent_dim_size numbers: the
    first latent_dim_size are the mean mu, the others log(sigma). `decoder`: the Autoencoder's.
    Biases as in the Autoencoder: every layer has one. (Build them from an Autoencoder: its
    encoder and decoder have exactly the layers you need.)
    """

    def __init__(self, latent_dim_size: int, hidden_dim_size: int) -> None:
        raise NotImplementedError()

    def sample_latent_vector(self, x: Images) -> tuple[Tensor, Tensor, Tensor]:
        """(z, mu, logsigma), each (batch, latent_dim_size): z = mu + sigma * eps with eps drawn
        from N(0, 1), so that gradients reach mu and logsigma through z (reparameterisation)."""
        raise NotImplementedError()

    def forward(self, x: Images) -> tuple[Images, Tensor, Tensor]:
        """(reconstruction, mu, logsigma)."""
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `kl_divergence` — The KL term
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 5–10 minutes
#
# Write `kl_divergence(mu, logsigma)`: $D_{KL}(N(\mu, \sigma^2) \,\|\, N(0, 1)) = \tfrac12(\mu^2 + \sigma^2 - 1) - \log\sigma$
# for each latent dimension, averaged over the batch and the dimensions.
#
# Check it with `tests.test_kl_divergence(kl_divergence)`.


# %%
def kl_divergence(mu: Tensor, logsigma: Tensor) -> Tensor:
    """KL(N(mu, sigma^2) || N(0, 1)) per latent dimension, averaged over the batch and the
    dimensions: a scalar. Per dimension it is (mu^2 + sigma^2 - 1) / 2 - log(sigma)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `vae_training_step` — Training the VAE
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `vae_training_step(model, optimizer, img, beta_kl=0.002)`: minimise $\text{MSE}(\hat x, x) + \beta \cdot D_{KL}$
# and return the reconstruction loss and the KL (without $\beta$) as floats. The default
# $\beta$ is small on purpose: both terms are means (the error over 784 pixels, the KL over
# the latent dimensions), and on our digits from about $\beta = 0.01$ the KL term wins and
# every image gets the same code (posterior collapse, shown below).
#
# Check it with `tests.test_vae_training_step(vae_training_step)`.


# %%
def vae_training_step(model: VAE, optimizer: t.optim.Optimizer, img: Images,
                      beta_kl: float = 0.002) -> tuple[float, float]:
    """One step on the loss MSE(reconstruction, img) + beta_kl * kl_divergence(mu, logsigma).
    Returns (reconstruction loss, KL divergence) as floats, the KL without beta_kl.

    beta_kl is small because both terms are means: the MSE over 784 pixels, the KL over a few
    latent dimensions. On digits with a 2-D latent space, from about 0.01 up the KL term wins
    and every image gets the same code (posterior collapse)."""
    raise NotImplementedError()


# %% [markdown]
# ## GANs
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part5_vaes_gans_gans)


# %% [markdown]
# ### Exercise: `Tanh` — Tanh
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 5–10 minutes
#
# Write `Tanh`: $\tanh x = \frac{e^x - e^{-x}}{e^x + e^{-x}}$, with values and gradients that
# stay finite for inputs like $\pm 100$.
#
# Check it with `tests.test_Tanh(Tanh)`.


# %%
class Tanh(nn.Module):
    """tanh(x) elementwise, in (-1, 1); finite, with finite gradients, for any input (+-100
    included)."""

    def forward(self, x: Tensor) -> Tensor:
        # (1 - e^-2x) / (1 + e^-2x) for x >= 0 and its mirror image below: each branch only
        # exponentiates numbers <= 0, so nothing overflows. The clamps keep the branch that
        # torch.where discards finite as well: its gradient is multiplied by 0, and 0 * inf is NaN.
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `LeakyReLU` — LeakyReLU
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 3–5 minutes
#
# Write `LeakyReLU(negative_slope=0.01)`: $x$ for $x > 0$, `negative_slope` $\cdot\, x$
# otherwise.
#
# Check it with `tests.test_LeakyReLU(LeakyReLU)`.


# %%
class LeakyReLU(nn.Module):
    """x where x > 0, negative_slope * x elsewhere."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        raise NotImplementedError()

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Sigmoid` — Sigmoid
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 5–10 minutes
#
# Write `Sigmoid`: $\sigma(x) = 1 / (1 + e^{-x})$, finite with finite gradients for any
# input.
#
# Check it with `tests.test_Sigmoid(Sigmoid)`.


# %%
class Sigmoid(nn.Module):
    """1 / (1 + e^-x) elementwise, in (0, 1); finite, with finite gradients, for any input."""

    def forward(self, x: Tensor) -> Tensor:
        # e^-x overflows for very negative x (and then the gradient is inf / inf): as in Tanh,
        # each branch only exponentiates numbers <= 0.
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Generator` — The generator
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵🔵🔵⚪ · 25–40 minutes
#
# Write the DCGAN `Generator`: project the noise to a small stack of feature maps, then
# double the size with one transposed convolution per hidden layer, down to `img_channels`
# and a Tanh. The docstring gives every layer.
#
# Check it with `tests.test_Generator(Generator)`.


# %%
class Generator(nn.Module):
    """Noise (batch, latent_dim_size) -> images (batch, img_channels, img_size, img_size) in
    (-1, 1), DCGAN style. With n = len(hidden_channels) and s = img_size // 2**n:

    `project_and_reshape`, an nn.Sequential: Linear(latent_dim_size, hidden_channels[-1] * s * s,
        bias=False), Unflatten(1, (hidden_channels[-1], s, s)), BatchNorm2d(hidden_channels[-1]),
        ReLU.
    `hidden_layers`, an nn.Sequential of n blocks, from hidden_channels[-1] channels down to
        hidden_channels[0] and then img_channels, each doubling the size: ConvTranspose2d(c_in,
        c_out, kernel_size=4, stride=2, padding=1, bias=False), then BatchNorm2d(c_out) and ReLU,
        except the last block, which ends in Tanh instead (and has no BatchNorm). Each block is
        itself an nn.Sequential.
    """

    def __init__(self, latent_dim_size: int = 100, img_size: int = 64, img_channels: int = 3,
                 hidden_channels: list[int] = [128, 256, 512]) -> None:  # noqa: B006
        raise NotImplementedError()

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Discriminator` — The discriminator
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–25 minutes
#
# Write the DCGAN `Discriminator`: one strided convolution per hidden layer, each halving the
# size, then a linear layer and a Sigmoid: the probability that each image is real, shape
# (batch,).
#
# Check it with `tests.test_Discriminator(Discriminator)`.


# %%
class Discriminator(nn.Module):
    """Images (batch, img_channels, img_size, img_size) -> the probability that each is real,
    shape (batch,). The mirror image of the Generator:

    `hidden_layers`, an nn.Sequential of n blocks from img_channels up to hidden_channels[0],
        ..., hidden_channels[-1] channels, each halving the size: Conv2d(c_in, c_out,
        kernel_size=4, stride=2, padding=1, bias=False), then BatchNorm2d(c_out) (except in the
        first block), then LeakyReLU(0.2). Each block is itself an nn.Sequential.
    `classifier`, an nn.Sequential: Flatten, Linear(hidden_channels[-1] * s * s, 1, bias=False),
        Sigmoid.
    """

    def __init__(self, img_size: int = 64, img_channels: int = 3,
                 hidden_channels: list[int] = [128, 256, 512]) -> None:  # noqa: B006
        raise NotImplementedError()

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `initialize_weights` — Initialising the weights
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 5–10 minutes
#
# Write `initialize_weights(model)`: every Conv2d, ConvTranspose2d and Linear weight from
# $N(0, 0.02^2)$, every BatchNorm2d weight from $N(1, 0.02^2)$, every bias of these zero; in
# place.
#
# Check it with `tests.test_initialize_weights(initialize_weights)`.


# %%
def initialize_weights(model: nn.Module) -> None:
    """DCGAN's initialisation, in place, for every submodule: the weights of Conv2d,
    ConvTranspose2d and Linear from N(0, 0.02); BatchNorm2d's weight from N(1, 0.02); every bias
    (of any of these) set to 0."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `DCGAN` — Both networks
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 3–5 minutes
#
# Write `DCGAN`: `netG` and `netD` for the same sizes, keep `latent_dim_size`, and initialise
# everything with `initialize_weights`.
#
# Check it with `tests.test_DCGAN(DCGAN)`.


# %%
class DCGAN(nn.Module):
    """A generator `netG` and a discriminator `netD` for the same image size, channels and
    hidden channels, both initialised with initialize_weights."""
    netG: Generator
    netD: Discriminator

    def __init__(self, latent_dim_size: int = 100, img_size: int = 64, img_channels: int = 3,
                 hidden_channels: list[int] = [128, 256, 512]) -> None:  # noqa: B006
        raise NotImplementedError()


# %%
def train_gan(model: DCGAN, images: Tensor, epochs: int = 10, batch_size: int = 32,
              lr_generator: float = 1e-3, lr_discriminator: float = 2e-4, seed: int = 0,
              fixed_noise: Tensor | None = None,
              on_epoch: Callable[[int, list, Tensor | None], None] | None = None) -> list:
    """Train both networks with their own Adam (betas 0.5, 0.999) on images in [-1, 1], a
    discriminator step then a generator step per batch. Returns (loss D, loss G) per batch;
    on_epoch(epoch, history, samples) gets the generator's images for fixed_noise.

    The generator's rate is above DCGAN's usual 2e-4: on a small dataset with DCGAN's
    initialisation, at 2e-4 the discriminator wins at once and the generator's output shrinks
    to a flat grey it never recovers from (measured: both at 1e-3 trains too)."""
    t.manual_seed(seed)
    optimizer_d = t.optim.Adam(model.netD.parameters(), lr=lr_discriminator, betas=(0.5, 0.999))
    optimizer_g = t.optim.Adam(model.netG.parameters(), lr=lr_generator, betas=(0.5, 0.999))
    history = []
    for epoch in range(epochs):
        model.train()
        order = t.randperm(len(images))
        for start in range(0, len(images), batch_size):
            img_real = images[order[start:start + batch_size]]
            noise = t.randn(len(img_real), model.latent_dim_size)
            img_fake = model.netG(noise)
            loss_d = training_step_discriminator(model, optimizer_d, img_real, img_fake.detach())
            loss_g = training_step_generator(model, optimizer_g, img_fake)
            history.append((loss_d, loss_g))
        if on_epoch is not None:
            samples = None
            if fixed_noise is not None:
                model.eval()
                with t.no_grad():
                    samples = model.netG(fixed_noise)
            on_epoch(epoch, history, samples)
    return history


# %% [markdown]
# ### Exercise: `training_step_discriminator` — The discriminator's step
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `training_step_discriminator(model, optimizer, img_real, img_fake)`: one step on
# $-\big(\log D(x) + \log(1 - D(G(z)))\big)$, averaged over the batch, that leaves the
# generator untouched. Run `model.netD` on the real batch and on the fake batch separately,
# in two calls: its BatchNorm layers normalise over the batch they are given, so one
# concatenated batch gives other outputs.
#
# Check it with `tests.test_training_step_discriminator(training_step_discriminator)`.


# %%
def training_step_discriminator(model: DCGAN, optimizer: t.optim.Optimizer, img_real: Tensor,
                                img_fake: Tensor) -> float:
    """One step of the discriminator on -(log D(real) + log(1 - D(fake))), averaged over the
    batch. img_fake may come straight from the generator: this step must not send gradients into
    the generator (detach it). Returns the loss as a float."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `training_step_generator` — The generator's step
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–15 minutes
#
# Write `training_step_generator(model, optimizer, img_fake)`: one step on $-\log D(G(z))$,
# averaged over the batch (not the saturating $\log(1 - D(G(z)))$).
#
# Check it with `tests.test_training_step_generator(training_step_generator)`.


# %%
def training_step_generator(model: DCGAN, optimizer: t.optim.Optimizer,
                            img_fake: Tensor) -> float:
    """One step of the generator on -log D(fake), averaged over the batch (the non-saturating
    loss: strong gradients while the discriminator still wins easily). img_fake = netG(noise),
    with its graph. Only the generator is updated. Returns the loss as a float."""
    raise NotImplementedError()


# %%
IntOrPair = int | tuple[int, int]


# %%
def force_pair(v: IntOrPair) -> tuple[int, int]:
    """2 -> (2, 2); (1, 2) stays (1, 2)."""
    return (v, v) if isinstance(v, int) else tuple(v)


# %% [markdown]
# ## Bonus: transposed convolutions from scratch
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part5_vaes_gans_transposed)


# %% [markdown]
# ### Exercise: `conv_transpose1d_minimal` — Transposed convolution, the simplest case
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 15–20 minutes · bonus
#
# Write `conv_transpose1d_minimal(x, weights)` for stride 1 and no padding, with weights of
# shape (in, out, kw): output width $w + k_w - 1$. Use `F.conv1d`, not `F.conv_transpose1d`.
#
# Check it with `tests.test_conv_transpose1d_minimal(conv_transpose1d_minimal)`.


# %%
def conv_transpose1d_minimal(x: Float[Tensor, "b ic w"],
                             weights: Float[Tensor, "ic oc kw"]) -> Float[Tensor, "b oc ow"]:
    """Transposed convolution with stride 1 and no padding: width w in, w + kw - 1 out. Each input element
    adds weights * its value to kw consecutive outputs; equivalently, an ordinary convolution
    (F.conv1d) of x padded by kw - 1 on both sides, with the kernel flipped and its channel
    dimensions swapped."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `fractional_stride_1d` — Spacing the input out
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 5–10 minutes · bonus
#
# Write `fractional_stride_1d(x, stride)`: `stride - 1` zeros between neighbouring elements
# of the last dimension, giving width $(w - 1) \cdot \text{stride} + 1$.
#
# Check it with `tests.test_fractional_stride_1d(fractional_stride_1d)`.


# %%
def fractional_stride_1d(x: Float[Tensor, "b ic w"], stride: int = 1) -> Float[Tensor, "b ic ow"]:
    """stride - 1 zeros between neighbouring elements of the last dimension:
    ow = (w - 1) * stride + 1. With stride 1, x itself."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `conv_transpose1d` — Transposed convolution with stride and padding
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵⚪⚪⚪ · 15–25 minutes · bonus
#
# Write `conv_transpose1d(x, weights, stride=1, padding=0)` like `F.conv_transpose1d`: output
# width $(w - 1) \cdot \text{stride} - 2 \cdot \text{padding} + k_w$.
#
# Check it with `tests.test_conv_transpose1d(conv_transpose1d)`.


# %%
def conv_transpose1d(x: Float[Tensor, "b ic w"], weights: Float[Tensor, "ic oc kw"],
                     stride: int = 1, padding: int = 0) -> Float[Tensor, "b oc ow"]:
    """Like F.conv_transpose1d: ow = (w - 1) * stride - 2 * padding + kw. Space the input out
    (fractional_stride_1d), pad by kw - 1 - padding, flip and swap the kernel, convolve."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `fractional_stride_2d` — Spacing out in 2-D
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵⚪⚪⚪⚪ · 5–10 minutes · bonus
#
# Write `fractional_stride_2d(x, stride_h, stride_w)`: the same along both of the last two
# dimensions.
#
# Check it with `tests.test_fractional_stride_2d(fractional_stride_2d)`.


# %%
def fractional_stride_2d(x: Float[Tensor, "b ic h w"], stride_h: int,
                         stride_w: int) -> Float[Tensor, "b ic oh ow"]:
    """fractional_stride_1d along both of the last two dimensions."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `conv_transpose2d` — Transposed convolution in 2-D
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 10–20 minutes · bonus
#
# Write `conv_transpose2d(x, weights, stride=1, padding=0)` like `F.conv_transpose2d` without
# bias; stride and padding an int or an (h, w) pair, kernels need not be square.
#
# Check it with `tests.test_conv_transpose2d(conv_transpose2d)`.


# %%
def conv_transpose2d(x: Float[Tensor, "b ic h w"], weights: Float[Tensor, "ic oc kh kw"],
                     stride: IntOrPair = 1, padding: IntOrPair = 0) -> Float[Tensor, "b oc oh ow"]:
    """Like F.conv_transpose2d (no bias); stride and padding an int or an (h, w) pair."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `ConvTranspose2d` — The module
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 10–15 minutes · bonus
#
# Write `ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0)`: a
# `weight` of shape (in, out, kh, kw), uniform in $\pm 1/\sqrt{\text{out} \cdot k_h k_w}$,
# and a forward that calls your `conv_transpose2d`.
#
# Check it with `tests.test_ConvTranspose2d(ConvTranspose2d)`.


# %%
class ConvTranspose2d(nn.Module):
    """Like nn.ConvTranspose2d without bias, using conv_transpose2d. `weight` has shape
    (in_channels, out_channels, kh, kw), uniform in +-1/sqrt(out_channels * kh * kw) (torch's
    default for this layer)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntOrPair,
                 stride: IntOrPair = 1, padding: IntOrPair = 0) -> None:
        raise NotImplementedError()

    def forward(self, x: Float[Tensor, "b ic h w"]) -> Float[Tensor, "b oc oh ow"]:
        raise NotImplementedError()


# %%
# `pytest exercises/part5_vaes_gans.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("part5_vaes_gans", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "part5_vaes_gans")
