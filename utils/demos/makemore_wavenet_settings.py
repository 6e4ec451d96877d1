"""Chapter 4.5's settings that both its widgets and its runs use: the seed, the FlattenConsecutive
widths a page may ask for, and how long a learner's run may train.

Importing this module imports no torch, so that the chapter's widgets can draw their controls,
and their default state from the charts kept for it (utils/first_view_charts.py), on a fresh
server's first page before the chapter's code is imported.
"""

from __future__ import annotations

SEED = 42  # the reference run's generator seed (the model's parameters, then its minibatches)

# Section 2: the n a learner's FlattenConsecutive(n) may be run with on the (1, 8, 2) input.
FLATTEN_NS = (1, 2, 4, 8)

# Section 5: a step takes about 1.5 ms on one idle core here (200,000 in 305 s), but 2,000 steps
# and the dev loss took 9.6 s with both cores of the machine heavily loaded: 1,500 steps keep the
# page's promise of 10 s on a busy server (the demo limit is 30 s).
MAX_STEPS = 1_500
