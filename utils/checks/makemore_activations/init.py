"""Checks for chapter 4.3's sections 0-3 (the loss at initialisation, saturated tanh, Kaiming init and layers)."""

from __future__ import annotations

__all__: list[str] = []  # test_<exercise> for each of: uniform_loss, scaled_init_mlp, saturation_fraction, dead_units, kaiming_std, Linear
