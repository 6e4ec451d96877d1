"""Reference solutions for chapter 5: autoencoders, variational autoencoders and GANs.

The source of truth for `exercises/part5_vaes_gans.py` and its notebook (`python -m
utils.codegen`). Images are MNIST-sized, (batch, 1, 28, 28) with values in [0, 1]; on a machine
without MNIST, chapter 2's data layer gives the offline digits in the same format.
"""

from typing import Callable

import einops
import torch as t
import torch.nn.functional as F
from jaxtyping import Float
from torch import Tensor, nn

Images = Float[Tensor, "batch 1 28 28"]


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
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=4, stride=2, padding=1), nn.ReLU(),  # 28 -> 14
            nn.Conv2d(16, 32, kernel_size=4, stride=2, padding=1), nn.ReLU(),  # 14 -> 7
            nn.Flatten(),
            nn.Linear(32 * 7 * 7, hidden_dim_size), nn.ReLU(),
            nn.Linear(hidden_dim_size, latent_dim_size),
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim_size, hidden_dim_size), nn.ReLU(),
            nn.Linear(hidden_dim_size, 32 * 7 * 7), nn.ReLU(),
            nn.Unflatten(1, (32, 7, 7)),
            nn.ConvTranspose2d(32, 16, kernel_size=4, stride=2, padding=1), nn.ReLU(),  # 7 -> 14
            nn.ConvTranspose2d(16, 1, kernel_size=4, stride=2, padding=1),  # 14 -> 28
        )

    def forward(self, x: Images) -> Images:
        return self.decoder(self.encoder(x))


def ae_training_step(model: Autoencoder, optimizer: t.optim.Optimizer, img: Images) -> float:
    """One step on a batch: the mean squared error between the reconstruction and the images,
    its gradients, and an optimizer step. Returns the loss as a float."""
    loss = F.mse_loss(model(img), img)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


class VAE(nn.Module):
    """An autoencoder whose encoder gives a distribution over latent vectors, not one vector.

    `encoder`: the Autoencoder's, with a last Linear giving 2 * latent_dim_size numbers: the
    first latent_dim_size are the mean mu, the others log(sigma). `decoder`: the Autoencoder's.
    (Build them from an Autoencoder: its encoder and decoder have exactly the layers you need.)
    """

    def __init__(self, latent_dim_size: int, hidden_dim_size: int) -> None:
        super().__init__()
        self.encoder = Autoencoder(2 * latent_dim_size, hidden_dim_size).encoder
        self.decoder = Autoencoder(latent_dim_size, hidden_dim_size).decoder

    def sample_latent_vector(self, x: Images) -> tuple[Tensor, Tensor, Tensor]:
        """(z, mu, logsigma), each (batch, latent_dim_size): z = mu + sigma * eps with eps drawn
        from N(0, 1), so that gradients reach mu and logsigma through z (reparameterisation)."""
        mu, logsigma = einops.rearrange(self.encoder(x), "b (n latent) -> n b latent", n=2)
        z = mu + t.exp(logsigma) * t.randn_like(mu)
        return z, mu, logsigma

    def forward(self, x: Images) -> tuple[Images, Tensor, Tensor]:
        """(reconstruction, mu, logsigma)."""
        z, mu, logsigma = self.sample_latent_vector(x)
        return self.decoder(z), mu, logsigma


def kl_divergence(mu: Tensor, logsigma: Tensor) -> Tensor:
    """KL(N(mu, sigma^2) || N(0, 1)) per latent dimension, averaged over the batch and the
    dimensions: a scalar. Per dimension it is (mu^2 + sigma^2 - 1) / 2 - log(sigma)."""
    return (0.5 * (mu ** 2 + t.exp(2 * logsigma) - 1) - logsigma).mean()


def vae_training_step(model: VAE, optimizer: t.optim.Optimizer, img: Images,
                      beta_kl: float = 0.1) -> tuple[float, float]:
    """One step on the loss MSE(reconstruction, img) + beta_kl * kl_divergence(mu, logsigma).
    Returns (reconstruction loss, KL divergence) as floats, the KL without beta_kl."""
    reconstruction, mu, logsigma = model(img)
    reconstruction_loss = F.mse_loss(reconstruction, img)
    kl = kl_divergence(mu, logsigma)
    loss = reconstruction_loss + beta_kl * kl
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return reconstruction_loss.item(), kl.item()


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
