# %% [markdown]
# # Chapter 5: VAEs & GANs — exercises
#
# Autoencoders and variational autoencoders on digits, with a latent space to explore.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/part5_vaes_gans.py
#
# or call one check yourself, e.g. `tests.test_Autoencoder(Autoencoder)`.
#
# This file is generated from `solutions/part5_vaes_gans.py`; the prose, plots and hints are on the site. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/part5_vaes_gans.ipynb


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


# %% [markdown]
# ### Exercise: `Autoencoder` — An autoencoder
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–25 minutes
#
# Write `Autoencoder(latent_dim_size, hidden_dim_size)`: an `encoder` that takes a $(1, 28, 28)$ image down to `latent_dim_size` numbers with two strided convolutions and two linear layers, and a `decoder` that mirrors it with transposed convolutions. The docstring lists the layers, in order.
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
# Write `ae_training_step(model, optimizer, img)`: the mean squared error between the reconstruction and the images, then zero the gradients, backward, step; return the loss as a float. The target is the input itself: no labels.
#
# Check it with `tests.test_ae_training_step(ae_training_step)`.


# %%
def ae_training_step(model: Autoencoder, optimizer: t.optim.Optimizer, img: Images) -> float:
    """One step on a batch: the mean squared error between the reconstruction and the images,
    its gradients, and an optimizer step. Returns the loss as a float."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `VAE` — A variational autoencoder
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–25 minutes
#
# Write `VAE(latent_dim_size, hidden_dim_size)`: the encoder outputs $2 \times$ `latent_dim_size` numbers, $\mu$ then $\log\sigma$; `sample_latent_vector(x)` returns $(z, \mu, \log\sigma)$ with $z = \mu + \sigma \epsilon$, $\epsilon \sim N(0, 1)$; `forward(x)` returns (decoder(z), $\mu$, $\log\sigma$).
#
# Check it with `tests.test_VAE(VAE)`.


# %%
class VAE(nn.Module):
    """An autoencoder whose encoder gives a distribution over latent vectors, not one vector.

    `encoder`: the Autoencoder's, with a last Linear giving 2 * latent_dim_size numbers: the
    first latent_dim_size are the mean mu, the others log(sigma). `decoder`: the Autoencoder's.
    (Build them from an Autoencoder: its encoder and decoder have exactly the layers you need.)
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
# Write `kl_divergence(mu, logsigma)`: $D_{KL}(N(\mu, \sigma^2) \,\|\, N(0, 1)) = \tfrac12(\mu^2 + \sigma^2 - 1) - \log\sigma$ for each latent dimension, averaged over the batch and the dimensions.
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
# Write `vae_training_step(model, optimizer, img, beta_kl=0.1)`: minimise $\text{MSE}(\hat x, x) + \beta \cdot D_{KL}$ and return the reconstruction loss and the KL (without $\beta$) as floats.
#
# Check it with `tests.test_vae_training_step(vae_training_step)`.


# %%
def vae_training_step(model: VAE, optimizer: t.optim.Optimizer, img: Images,
                      beta_kl: float = 0.1) -> tuple[float, float]:
    """One step on the loss MSE(reconstruction, img) + beta_kl * kl_divergence(mu, logsigma).
    Returns (reconstruction loss, KL divergence) as floats, the KL without beta_kl."""
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


# %%
if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "part5_vaes_gans")
