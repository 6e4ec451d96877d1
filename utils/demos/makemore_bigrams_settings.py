"""Chapter 4.1's settings that both its widgets and its demos use: how many names and which seeds
a page may ask for, and the learner's training runs.

Importing this module imports no torch, so that the chapter's widgets can draw their controls,
and their default state from the charts kept for it (utils/first_view_charts.py), on a fresh
server's first page before the chapter's code is imported.
"""

from __future__ import annotations

MAX_SAMPLES = 50  # names a page may ask for at once
MAX_SEED = 2**53 - 1  # the largest whole number a browser number box holds exactly

# What a page may ask for. One full-batch step on all 232 000 bigrams of the SSA names takes about
# 0.2 s on one idle core, and a learner's run must fit in about 10 s on a busy server: so the
# learner's model trains on every 4th name (58 045 bigrams of the SSA names). Measured in the
# sandbox at load 6 on 2 cores with the reference solutions: 100 steps in 5.5 s (25 steps on
# all the names took 12 s).
STEPS = (25, 50, 100)
EVERY = 4
