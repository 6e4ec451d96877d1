"""Chapter 5.3's settings that both its widgets and its figures use: the landscapes and
optimizers a learner may choose, and the optimizer race's defaults.

Importing this module imports no torch, so that the chapter's widgets can draw their controls,
and their default state from the charts kept for it (utils/first_view_charts.py), on a fresh
server's first page before the chapter's code is imported.
"""

from __future__ import annotations

# The figures' LANDSCAPES and OPTIMIZERS, by name, in this order (the first landscape is the
# widgets' default).
LANDSCAPE_NAMES = ("pathological curve", "three wells", "Rosenbrock's banana")
OPTIMIZER_NAMES = ("SGD", "RMSprop", "Adam", "AdamW")

# The optimizer race: its steps, and its three optimizers with their learning rates.
RACE_STEPS = 100
RACE_OPTIMIZERS = (("SGD", 0.02), ("Adam", 0.1), ("RMSprop", 0.02))


def default_hyperparameters(optimizer: str, lr: float) -> dict[str, object]:
    """What the race's sliders start at for `optimizer`: `lr`, and the momentum or betas it
    takes (SGD with PyTorch's usual 0.9 momentum, RMSprop without, Adam's betas)."""
    params: dict[str, object] = {"lr": lr}
    if optimizer in ("SGD", "RMSprop"):
        params["momentum"] = 0.9 if optimizer == "SGD" else 0.0
    if optimizer in ("Adam", "AdamW"):
        params["betas"] = (0.9, 0.999)
    return params
