"""Chapter 5.5's demo on a learner's own code: train their Autoencoder or VAE (with their training
step) on the offline digits, then map its latent plane. Runs in the sandbox through
`utils.runner.run_demo`; returns plain data for utils/figures/part5_vaes_gans.py.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch as t

from utils.data import offline_digits
from utils.pretrained import (BATCH, GAN_CONFIG, HIDDEN, LATENT, VAE_BETA, gan_fixed_noise,
                               to_uint8)

GRID_STEPS, GRID_EXTENT = 11, 2.5
N_POINTS = 500


def latent_grid(decoder: t.nn.Module, steps: int = GRID_STEPS,
                extent: float = GRID_EXTENT) -> np.ndarray:
    """Decoded images (steps, steps, 28, 28) in [0, 1] over a square of the latent plane; row 0
    is the top (largest z2)."""
    values = np.linspace(-extent, extent, steps)
    z = t.tensor([[a, b] for b in values[::-1] for a in values], dtype=t.float32)
    with t.no_grad():
        return decoder(z).clamp(0, 1)[:, 0].reshape(steps, steps, 28, 28).numpy()


def train_and_map(engine: Mapping[str, Any], kind: str, epochs: int = 10, seed: int = 0) -> dict:
    """Train engine's Autoencoder or VAE (latent 2, hidden 64) and describe its latent plane."""
    data = offline_digits()
    t.manual_seed(seed)
    if kind == "vae":
        model = engine["VAE"](LATENT, HIDDEN)
        step = functools.partial(engine["vae_training_step"], beta_kl=VAE_BETA)
    else:
        model = engine["Autoencoder"](LATENT, HIDDEN)
        step = engine["ae_training_step"]
    history = engine["train_generative"](model, step, data.train_images, epochs=epochs,
                                         batch_size=BATCH, seed=seed)
    images, labels = data.test_images[:N_POINTS], data.test_labels[:N_POINTS]
    with t.no_grad():
        points = (model.sample_latent_vector(images)[1] if kind == "vae"
                  else model.encoder(images))
    grid = latent_grid(model.decoder)
    losses = [float(h[0] if isinstance(h, tuple) else h) for h in history]
    return {"kind": kind, "losses": losses, "points": points.tolist(), "labels": labels.tolist(),
            "grid": (grid * 255).round().astype(np.uint8).reshape(GRID_STEPS ** 2, -1).tolist(),
            "extent": GRID_EXTENT}


def validated_map(data: object) -> dict:
    """A latent map that came back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no latent map")
    grid = np.asarray(data.get("grid"), dtype=float)
    points = np.asarray(data.get("points"), dtype=float)
    labels = np.asarray(data.get("labels"), dtype=int)
    losses = np.asarray(data.get("losses"), dtype=float)
    if grid.shape != (GRID_STEPS ** 2, 784) or points.ndim != 2 or points.shape[1] != 2 or \
            not 0 < len(points) <= N_POINTS or labels.shape != (len(points),) or \
            losses.ndim != 1 or not len(losses):
        raise ValueError("the latent map has the wrong shapes (is the latent space 2-D?)")
    return {"losses": losses, "points": points, "labels": labels,
            "grid": (grid / 255).reshape(GRID_STEPS, GRID_STEPS, 28, 28),
            "extent": GRID_EXTENT}


def train_gan_samples(engine: Mapping[str, Any], epochs: int = 8, seed: int = 0) -> dict:
    """Train the learner's DCGAN (with their steps, through the given train_gan) on the offline
    digits; the generator's images for a fixed noise batch after each epoch, and the losses."""
    t.manual_seed(seed)
    model = engine["DCGAN"](**GAN_CONFIG)
    snapshots: list[list[int]] = []

    def keep(epoch: int, history: list, samples: t.Tensor) -> None:
        snapshots.append(to_uint8(samples).flatten().tolist())

    history = engine["train_gan"](model, offline_digits().train_images * 2 - 1, epochs=epochs,
                                  seed=seed, fixed_noise=gan_fixed_noise(seed), on_epoch=keep)
    return {"snapshots": snapshots, "losses": [[float(d), float(g)] for d, g in history]}


def validated_samples(data: object) -> dict:
    """GAN snapshots that came back from the sandbox, checked before they are drawn."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no samples")
    snapshots = np.asarray(data.get("snapshots"), dtype=float)
    losses = np.asarray(data.get("losses"), dtype=float)
    if snapshots.ndim != 2 or snapshots.shape[1] % 784 or not len(snapshots) or \
            losses.ndim != 2 or losses.shape[1] != 2:
        raise ValueError("the samples have the wrong shapes (are the images 28x28?)")
    return {"snapshots": snapshots.reshape(len(snapshots), -1, 28, 28), "losses": losses}
