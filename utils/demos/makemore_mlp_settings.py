"""Chapter 4.2's settings that both its widgets and its runs use: the seeds, the range test's
exponents, how long a learner's run may train.

Importing this module imports no torch, so that the chapter's widgets can draw their controls,
and their default state from the charts kept for it (utils/first_view_charts.py), on a fresh
server's first page before the chapter's code is imported.
"""

from __future__ import annotations

SEED = 2147483647  # Karpathy's generator seed
SAMPLE_SEED = SEED + 10  # Karpathy's sampling generator
N_SAMPLES = 20  # names sampled from each model

# Section 3: about 2,000 steps a second on one busy core here: 5,000 steps and the two split
# losses take about 3 s, well inside the demo limit of 30 s (and the page's promise of 10 s).
MAX_STEPS = 5_000

# Section 4: the range test, on section 5's small model (Karpathy's, when he ran it): its steps
# and the exponents its learning rates span, 10 ** linspace(SWEEP_LO, SWEEP_HI, SWEEP_STEPS).
SWEEP_STEPS, SWEEP_LO, SWEEP_HI = 1000, -3.0, 0.0

# Section 5: how long a learner's model trains before they sample from it (0: sample from the
# reference run's parameters); TRAIN_STEPS[-1] steps take a few seconds on a busy machine,
# inside the demo limit of 30 s.
TRAIN_STEPS = (0, 2000, 5000, 10_000)
