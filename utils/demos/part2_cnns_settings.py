"""Chapter 5.2's settings that both its widgets and its experiments use: the widths and
nonlinearities the initialisation figure offers.

Importing this module imports no torch, so that the chapter's widgets can draw their controls,
and their default state from the charts kept for it (utils/first_view_charts.py), on a fresh
server's first page before the chapter's code is imported.
"""

from __future__ import annotations

# Section 1: the stacks whose activations' spread the initialisation figure draws: their width,
# and the nonlinearity between their layers (the experiments' NONLINEARITIES, in this order).
INIT_WIDTHS = (64, 256, 512)
INIT_DEFAULT_WIDTH = 256
NONLINEARITY_NAMES = ("ReLU", "tanh", "none")
