"""Sandbox runs of the learner's code for chapter 4.3's section 5: "Diagnose my network" trains
Karpathy's deep network built with the learner's `BatchNorm1d` (and `Linear`) and measures it with
their `activation_stats`, `gradient_stats` and `update_ratios`, exactly as the page's saved runs
were made (utils/experiments/makemore_activations/batchnorm.py: `diagnose_run`), and returns the
run as plain data for utils/figures/makemore_activations/batchnorm.py.

Runs through `utils.runner.run_demo` on the learner's answers file (their passed exercises, the
reference for the rest, and the chapter's given `deep_network`, `deep_loss` and `Tanh`); the
names are loaded before the sandbox forks (chapter.toml's preload).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Mapping
from typing import Any

from solutions import makemore_activations as reference
from utils.checks.learner_names import reference_names
from utils.demos.makemore_activations_settings import DIAG_STEPS
from utils.experiments.makemore_activations.batchnorm import diagnose_run

__all__ = ["diagnose_network"]

# 1000 steps of the batch-norm network take about 2.5 s on one busy core here (the version
# without batch norm under 1 s): inside the demo limit of 30 s and the page's promise of 10 s.
MAX_STEPS = 1500


def diagnose_my_network(namespace: Mapping[str, Any], batchnorm: bool = True,
                        gain: float = 5 / 3, lr: float = 0.1, steps: int = DIAG_STEPS) -> dict:
    """The deep network made by `namespace`'s deep_network (with its BatchNorm1d, Linear and
    Tanh), trained `steps` steps at rate `lr` and measured with its stats functions."""
    steps, gain, lr, batchnorm = int(steps), float(gain), float(lr), bool(batchnorm)
    if not 10 <= steps <= MAX_STEPS or not 0.05 <= gain <= 20 or not 1e-5 <= lr <= 3:
        raise ValueError(f"steps must be 10-{MAX_STEPS}, gain in [0.05, 20], lr in "
                         "[1e-5, 3]")
    run = diagnose_run(namespace, batchnorm=batchnorm, gain=gain, lr=lr, steps=steps)
    return validated_run(run, steps)


def diagnose_network(namespace: Mapping[str, Any], **settings: Any) -> dict:
    """The demo the page runs in the sandbox (`run_demo("makemore_activations.
    diagnose_network", ...)`)."""
    return diagnose_my_network(namespace, **settings)


def _number_list(value: Any, what: str) -> None:
    if not isinstance(value, list) or not all(
            v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))
            for v in value):
        raise ValueError(f"{what} should be a list of numbers")


def validated_run(data: object, steps: int) -> dict:
    """A run that came back from the sandbox, checked before it is drawn."""
    if not isinstance(data, dict):
        raise ValueError("the run returned no data")
    ratios = data.get("ratios")
    if not isinstance(ratios, list) or len(ratios) != steps:
        raise ValueError(f"update_ratios should be called once per step: expected {steps} "
                         "lists of ratios")
    n_weights = len(data.get("end", {}).get("wgrad_shapes", []))
    for row in ratios:
        _number_list(row, "each step's update_ratios")
        if len(row) != n_weights:
            raise ValueError(f"your update_ratios returned {len(row)} ratios for {n_weights} "
                             "weight matrices: one per parameter passed in")
    for when in ("init", "end"):
        snap = data.get(when)
        if not isinstance(snap, dict):
            raise ValueError("the run has no statistics")
        n_tanh = len(snap.get("act_hist", []))
        for key, keys in (("act_stats", ("mean", "std", "saturated")),
                          ("grad_stats", ("mean", "std"))):
            stats = snap.get(key)
            fn = "activation_stats" if key == "act_stats" else "gradient_stats"
            if not isinstance(stats, list) or len(stats) != n_tanh:
                got = len(stats) if isinstance(stats, list) else repr(stats)
                raise ValueError(f"your {fn} should return one dict per Tanh layer "
                                 f"({n_tanh}), got {got}")
            for d in stats:
                if not isinstance(d, dict) or not all(
                        isinstance(d.get(k), (int, float)) for k in keys):
                    raise ValueError(f"each dict of your {fn} should hold the numbers "
                                     f"{list(keys)}")
                if not all(math.isfinite(d[k]) for k in keys):
                    raise ValueError(f"your {fn} gave a number that is not finite: the "
                                     "network's values blew up (try a smaller rate or gain)")
    _number_list(data.get("losses"), "the losses")
    return data


def with_fallbacks(namespace: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """For a notebook: the names a run uses, the learner's where written and the reference's
    where a stub still raises NotImplementedError. Returns them and the names stood in for.
    A stub class (BatchNorm1d, Linear) is replaced inside the learner's own globals for the
    run's length by `run_with_fallbacks`, since their `deep_network` looks it up there."""
    ns = dict(namespace)
    stood_in: set[str] = set()
    for name in ("deep_network", "deep_loss", "Tanh"):
        ns.setdefault(name, getattr(reference, name))
    for name in ("activation_stats", "gradient_stats", "update_ratios"):
        own = ns.get(name, getattr(reference, name))
        ns[name] = _or_reference(name, own, stood_in, ns["Tanh"])
    for name, probe in (("BatchNorm1d", (3,)), ("Linear", (2, 2))):
        try:
            ns.get(name, getattr(reference, name))(*probe)
        except NotImplementedError:
            stood_in.add(name)
    return ns, stood_in


def _or_reference(name: str, own: Any, stood_in: set[str], tanh: type) -> Any:
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return own(*args, **kwargs)
        except NotImplementedError:
            stood_in.add(name)
            # The reference picks tanh layers with its own Tanh; the notebook's network is
            # made of the notebook's Tanh, so the reference sees that class while it runs.
            saved, reference.Tanh = reference.Tanh, tanh
            try:
                return getattr(reference, name)(*args, **kwargs)
            finally:
                reference.Tanh = saved
    return run


@contextlib.contextmanager
def reference_classes(namespace: dict, names: set[str]) -> Iterator[None]:
    """While inside, the unwritten classes `names` in the learner's globals are the
    reference's (so their deep_network builds with them)."""
    with reference_names(namespace, reference, tuple(sorted(names & {"BatchNorm1d",
                                                                      "Linear"}))):
        yield
