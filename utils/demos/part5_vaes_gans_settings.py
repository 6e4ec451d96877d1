"""Chapter 5.5's settings that both its widgets and its models use: the kinds of demo model, and
how many epochs the demo GAN is trained (one snapshot of its samples per epoch).

Importing this module imports no torch, so that the chapter's widgets can draw their controls,
and their default state from the charts kept for it (utils/first_view_charts.py), on a fresh
server's first page before the chapter's code is imported.
"""

from __future__ import annotations

KINDS = {"autoencoder": "Autoencoder", "vae": "VAE"}  # the demo models, as the pages name them
GAN_EPOCHS = 30  # the demo GAN's training (utils/pretrained.py), one snapshot per epoch
