"""Runs and data for chapter 4.3's sections 0-3 (the loss at initialisation, saturated tanh, Kaiming init and layers) (no drawing)."""

from __future__ import annotations
