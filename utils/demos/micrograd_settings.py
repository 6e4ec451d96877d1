"""Chapter 3's limits that both its widgets and its demos use: how long an expression may be, and
what training run a page may ask for.

Importing this module imports nothing of the chapter's (its engine, its NumPy forward pass, its
figures), so that the chapter's widgets can draw their controls, and their default state from
the charts kept for it (utils/first_view_charts.py), on a fresh server's first page before the
chapter's code is imported.
"""

from __future__ import annotations

MAX_EXPRESSION_CHARS = 160  # a typed expression of a, b, c
# What a page may ask for: the largest run takes about 15 s in the sandbox on a busy machine,
# inside the demo limit of 30 s (Karpathy's 100 points, [16, 16, 1], 100 steps take minutes).
MAX_STEPS = 60
HIDDEN_WIDTHS = (4, 8)
MAX_POINTS = 60
