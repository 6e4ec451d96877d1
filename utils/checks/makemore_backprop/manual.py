"""Checks for chapter 4.4's sections 0-2 (the forward pass in small steps, every gradient by hand)."""

from __future__ import annotations

__all__: list[str] = []  # test_<exercise> for each of: backward_loss_steps, backward_output_layer, backward_batchnorm_steps, backward_embedding
