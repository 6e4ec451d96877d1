"""Chapter 6's settings that both its widgets and its runs use: how the NumPy network is trained
on the digits.

Importing this module imports no torch, so that the chapter's widgets can draw their controls,
and their default state from the charts kept for it (utils/first_view_charts.py), on a fresh
server's first page before the chapter's code is imported.
"""

from __future__ import annotations

# Section 2: the network's hidden units, and how the reference and the learner's run train it
# (epochs, learning rate, minibatch size).
HIDDEN, EPOCHS, LR, BATCH_SIZE = 64, 20, 0.1, 32
