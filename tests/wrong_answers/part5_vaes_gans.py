"""Plausible wrong answers to chapter 5's exercises: each must be rejected by its check."""

import einops
import torch as t
import torch.nn.functional as F
from torch import nn

from solutions import part5_vaes_gans as ref


class AutoencoderNoPadding(nn.Module):
    """Convolutions without padding: 28 -> 13 -> 5, so the Linear sizes can't match."""

    def __init__(self, latent_dim_size, hidden_dim_size):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 4, 2), nn.ReLU(), nn.Conv2d(16, 32, 4, 2), nn.ReLU(), nn.Flatten(),
            nn.Linear(32 * 5 * 5, hidden_dim_size), nn.ReLU(),
            nn.Linear(hidden_dim_size, latent_dim_size))
        self.decoder = ref.Autoencoder(latent_dim_size, hidden_dim_size).decoder

    def forward(self, x):
        return self.decoder(self.encoder(x))


class AutoencoderReluOnLatent(ref.Autoencoder):
    """A ReLU after the last encoder layer: the code can't go negative."""

    def __init__(self, latent_dim_size, hidden_dim_size):
        super().__init__(latent_dim_size, hidden_dim_size)
        self.encoder.append(nn.ReLU())


class AutoencoderSigmoidOut(ref.Autoencoder):
    def __init__(self, latent_dim_size, hidden_dim_size):
        super().__init__(latent_dim_size, hidden_dim_size)
        self.decoder.append(nn.Sigmoid())


class AutoencoderReluBeforeUnflatten(nn.Module):
    """ReLU and Unflatten swapped (the same state-dict keys, as neither has parameters), and a
    tanh at the end: the layer-by-layer comparison names the first layer that differs."""

    def __init__(self, latent_dim_size, hidden_dim_size):
        super().__init__()
        self.encoder = ref.Autoencoder(latent_dim_size, hidden_dim_size).encoder
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim_size, hidden_dim_size), nn.ReLU(),
            nn.Linear(hidden_dim_size, 32 * 7 * 7), nn.Unflatten(1, (32, 7, 7)), nn.ReLU(),
            nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(16, 1, 4, 2, 1),
            nn.Tanh())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def ae_step_sum(model, optimizer, img):
    loss = F.mse_loss(model(img), img, reduction="sum")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def ae_step_no_zero_grad(model, optimizer, img):
    loss = F.mse_loss(model(img), img)
    loss.backward()
    optimizer.step()
    return loss.item()


def ae_step_returns_tensor(model, optimizer, img):
    loss = F.mse_loss(model(img), img)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss


class VAESwappedHalves(ref.VAE):
    def sample_latent_vector(self, x):
        logsigma, mu = einops.rearrange(self.encoder(x), "b (n latent) -> n b latent", n=2)
        return mu + t.exp(logsigma) * t.randn_like(mu), mu, logsigma


class VAEInterleaved(ref.VAE):
    def sample_latent_vector(self, x):
        mu, logsigma = einops.rearrange(self.encoder(x), "b (latent n) -> n b latent", n=2)
        return mu + t.exp(logsigma) * t.randn_like(mu), mu, logsigma


class VAELogsigmaAsSigma(ref.VAE):
    def sample_latent_vector(self, x):
        mu, logsigma = einops.rearrange(self.encoder(x), "b (n latent) -> n b latent", n=2)
        return mu + logsigma * t.randn_like(mu), mu, logsigma


class VAENoNoise(ref.VAE):
    def sample_latent_vector(self, x):
        mu, logsigma = einops.rearrange(self.encoder(x), "b (n latent) -> n b latent", n=2)
        return mu, mu, logsigma


class VAESigmaDetached(ref.VAE):
    def sample_latent_vector(self, x):
        mu, logsigma = einops.rearrange(self.encoder(x), "b (n latent) -> n b latent", n=2)
        return mu + t.exp(logsigma).detach() * t.randn_like(mu), mu, logsigma


class VAEDecodesMu(ref.VAE):
    def forward(self, x):
        z, mu, logsigma = self.sample_latent_vector(x)
        return self.decoder(mu), mu, logsigma


def _kl(mu, logsigma, half=0.5, sign=1.0, reduce="mean", sigma_from=None):
    sigma_squared = t.exp(2 * logsigma) if sigma_from is None else sigma_from(logsigma)
    per_dim = sign * (half * (mu ** 2 + sigma_squared - 1) - logsigma)
    return per_dim.mean() if reduce == "mean" else per_dim.sum()


def vae_step_variant(model, optimizer, img, beta_kl=0.1, beta_on_reported=False,
                     ignore_beta=False):
    reconstruction, mu, logsigma = model(img)
    recon = F.mse_loss(reconstruction, img)
    kl = ref.kl_divergence(mu, logsigma)
    loss = recon + (kl if ignore_beta else beta_kl * kl)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return recon.item(), (beta_kl * kl).item() if beta_on_reported else kl.item()


WRONG_ANSWERS = [
    ("Autoencoder", "convolutions without padding", AutoencoderNoPadding),
    ("Autoencoder", "a ReLU on the latent code", AutoencoderReluOnLatent),
    ("Autoencoder", "a sigmoid at the end of the decoder", AutoencoderSigmoidOut),
    ("Autoencoder", "layers in another order, and a tanh", AutoencoderReluBeforeUnflatten),
    ("ae_training_step", "summed squared error", ae_step_sum),
    ("ae_training_step", "gradients never zeroed", ae_step_no_zero_grad),
    ("ae_training_step", "returns the loss tensor", ae_step_returns_tensor),
    ("VAE", "mu and logsigma swapped", VAESwappedHalves),
    ("VAE", "mu and logsigma interleaved", VAEInterleaved),
    ("VAE", "logsigma used as sigma", VAELogsigmaAsSigma),
    ("VAE", "no noise", VAENoNoise),
    ("VAE", "sigma detached", VAESigmaDetached),
    ("VAE", "decodes mu instead of z", VAEDecodesMu),
    ("kl_divergence", "sign flipped", lambda mu, ls: _kl(mu, ls, sign=-1.0)),
    ("kl_divergence", "the 1/2 missing", lambda mu, ls: _kl(mu, ls, half=1.0)),
    ("kl_divergence", "summed, not averaged", lambda mu, ls: _kl(mu, ls, reduce="sum")),
    ("kl_divergence", "sigma^2 taken as exp(logsigma)",
     lambda mu, ls: _kl(mu, ls, sigma_from=t.exp)),
    ("vae_training_step", "beta applied to the reported KL",
     lambda *a, **k: vae_step_variant(*a, **k, beta_on_reported=True)),
    ("vae_training_step", "beta ignored", lambda *a, **k: vae_step_variant(*a, **k,
                                                                          ignore_beta=True)),
]
