"""Chapter 4.3's settings that both its widgets and its runs use: the deep stack of section 3,
the diagnostic runs of section 5 and what a learner's run may ask for.

Importing this module imports no torch, so that the chapter's widgets can draw their controls,
and their default state from the charts kept for it (utils/first_view_charts.py), on a fresh
server's first page before the chapter's code is imported.
"""

from __future__ import annotations

from typing import Any

# Section 3: a deep stack of Linear(STACK_WIDTH, STACK_WIDTH, bias=False) + tanh layers, run on
# STACK_EXAMPLES random inputs from STACK_SEED, at each of STACK_GAINS.
STACK_WIDTH, STACK_DEPTH, STACK_EXAMPLES, STACK_SEED = 100, 10, 1000, 0
STACK_GAINS = (0.5, 1.0, 5 / 3, 3.0)

# Sections 4-5: Karpathy's deep network trained at rate LR; the diagnostics are taken after
# DIAG_STEPS steps.
LR = 0.1
DIAG_STEPS = 1000

# Section 5's cases: what changes from the healthy network, and what a page calls it.
CASES: dict[str, dict[str, Any]] = {
    "healthy": {"batchnorm": True, "gain": 5 / 3, "lr": LR,
                "label": "healthy: batch norm, gain 5/3, rate 0.1"},
    "no_bn": {"batchnorm": False, "gain": 5 / 3, "lr": LR,
              "label": "no batch norm, gain 5/3 (set by hand), rate 0.1"},
    "no_gain": {"batchnorm": False, "gain": 1.0, "lr": LR,
                "label": "no batch norm, no gain (1), rate 0.1"},
    "big_gain": {"batchnorm": False, "gain": 3.0, "lr": LR,
                 "label": "no batch norm, gain 3, rate 0.1"},
    "small_lr": {"batchnorm": True, "gain": 5 / 3, "lr": 0.001,
                 "label": "batch norm, rate 0.001 (too small)"},
    "big_lr": {"batchnorm": False, "gain": 5 / 3, "lr": 1.0,
               "label": "no batch norm, rate 1.0 (too large)"},
    "bn_big_lr": {"batchnorm": True, "gain": 5 / 3, "lr": 1.0,
                  "label": "batch norm, rate 1.0"},
}

# Section 5's "Diagnose my network": what the learner may choose, and the code it runs of theirs.
GAINS = (0.5, 1.0, 5 / 3, 3.0)
RATES = (0.001, 0.01, 0.1, 1.0)
USES = ("Linear", "BatchNorm1d", "activation_stats", "gradient_stats", "update_ratios")


def gain_text(gain: float) -> str:
    """A gain as the pages write it: 5/3 as a fraction, others as numbers."""
    return "5/3" if abs(gain - 5 / 3) < 1e-9 else f"{gain:g}"
