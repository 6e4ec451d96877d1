"""Chapter 2's runs that never change, saved in assets/neural_network_basics/ so that a cold
server shows every page at once.

    python -m utils.experiments.neural_network_basics.precompute    # a few seconds

Four small JSON files, each with a fingerprint of what it was computed from (the experiment
modules' code and constants, the reference solutions' code, docstrings and comments left out,
and the data):

- `digits.json`: on the offline digits (what a fresh server has), the reference baseline under
  both distances, the one-weight sweep, and the training runs sections 3's figures draw (at the
  epochs slider's maximum: a shorter run is their first epochs);
- `tabular.json`: the breast-cancer runs section 4's figures and widget draw by default;
- `fitting.json`: the line descent at the default rate, the extrapolation fits, the MAE line;
- `warping.json`: the moons and the moons network's weights every SNAPSHOT_EVERY steps.

What a learner's controls ask for beyond these (another learning rate, the Titanic) is computed
when asked. A missing (or unreadable) file is computed at first use instead, so a page is never
wrong, only slower; a file whose fingerprint no longer matches fails
tests/test_nn_basics_assets.py. JSON keeps float32 values exactly.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np

from solutions import neural_network_basics as ref
from utils import data, toy_datasets
from utils.experiments.neural_network_basics import digits, fitting, tabular, training, warping
from utils.torch_threads import one_thread
from utils.experiments.neural_network_basics.training import Settings
from utils.experiments.saved import source_code
from utils.site_config import ROOT

log = logging.getLogger("gtf.neural_network_basics.precompute")

ASSETS = ROOT / "assets" / "neural_network_basics"
GROUPS = ("digits", "tabular", "fitting", "warping")
SCRIPT = "python -m utils.experiments.neural_network_basics.precompute"

# The digit runs section 3 draws: learning_rates() (lr 0.1, 1, 10), init_scales() (std 1.0 and
# 0.1) and linear_vs_net(), whose defaults are also the train_digits widget's. Saved at the
# widget's longest run, so its epochs slider needs no new run at these settings.
DIGIT_EPOCHS = 40
DIGIT_RUNS = (Settings(kind="linear", lr=0.1), Settings(kind="linear"),
              Settings(kind="linear", lr=10.0), Settings(kind="linear", std=1.0),
              Settings(kind="net"))
# Section 4's figures and the train_tabular widget's default: (kind, standardized columns).
TABULAR_DATASET = "breast_cancer"
TABULAR_RUNS = (("linear", False), ("linear", True), ("net", True))

# The reference solutions the saved runs call; their code is part of the fingerprint.
_SOLUTIONS = ("mean_image", "mnist_distance", "is_three", "init_params", "linear1", "mnist_loss",
              "batch_accuracy", "calc_grad", "train_epoch", "BasicOptim", "simple_net",
              "standardize", "fit_line")


def path(group: str) -> Path:
    return ASSETS / f"{group}.json"


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """What every saved file was computed from: the experiment modules (code and constants,
    this one included; toy_datasets makes the moons; the settings module holds the constants the
    widgets offer too), the reference solutions they call, and the data."""
    import sys

    from utils.demos import neural_network_basics_settings as settings

    digest = hashlib.sha256()
    for module in (digits, training, tabular, fitting, warping, toy_datasets, settings,
                   sys.modules[__name__]):
        digest.update(source_code(module).encode())
    for name in _SOLUTIONS:
        digest.update(source_code(getattr(ref, name)).encode())
    # The data as read (integers and the table's own decimals) and the code that prepares it, not
    # the prepared tensors: their last bits (bilinear scaling, log1p) differ between kinds of CPU,
    # and a fingerprint of them sent every server on another kind to compute every run again.
    for prepares in (data.offline_digits, data.sklearn_digits):
        digest.update(source_code(prepares).encode())
    for raw in (*data.sklearn_digits(), *tabular.breast_cancer_table()):
        digest.update(np.ascontiguousarray(raw).tobytes())
    return digest.hexdigest()[:16]


# --- what each file holds ------------------------------------------------------------------------

def _curves(settings: Settings, run: dict[str, list[float]], **extra: Any) -> dict[str, Any]:
    return {"settings": {**asdict(settings), **extra}, **run}


def compute_digits() -> dict[str, Any]:
    """On the offline digits, whatever is cached: a fresh server has no MNIST."""
    threes_sevens = digits.threes_and_sevens_from(data.offline_digits())
    baseline = digits.measure_baseline(ref.mean_image, ref.mnist_distance, ref.is_three,
                                       threes_sevens)
    sweep = digits.sweep_one_weight(ref.init_params, ref.linear1, ref.mnist_loss,
                                    ref.batch_accuracy, threes_sevens)
    fns = training.reference_functions()
    runs = []
    for settings in DIGIT_RUNS:
        settings = replace(settings, epochs=DIGIT_EPOCHS)
        runs.append(_curves(settings, training.train_and_measure(
            fns, threes_sevens.flat("train"), threes_sevens.flat("valid"), settings)))
    return {"source": threes_sevens.source, "baseline": digits.baseline_to_json(baseline),
            "rms_baseline": digits.baseline_to_json(digits.measure_rms_baseline(threes_sevens)),
            "sweep": digits.sweep_to_json(sweep), "runs": runs}


def tabular_settings(kind: str) -> Settings:
    """A tabular run's settings, as the figures and the widget train it."""
    from utils.demos.neural_network_basics.training import TABULAR_HIDDEN
    from utils.figures.neural_network_basics.training import TABULAR_EPOCHS

    return Settings(kind=kind, epochs=TABULAR_EPOCHS, hidden=TABULAR_HIDDEN)


def compute_tabular() -> dict[str, Any]:
    task = tabular.tabular_task(TABULAR_DATASET)
    fns = training.reference_functions()
    runs = []
    for kind, scale in TABULAR_RUNS:
        train_x, valid_x = ref.standardize(task.train_x, task.valid_x) if scale else \
            (task.train_x, task.valid_x)
        settings = tabular_settings(kind)
        runs.append(_curves(settings, training.train_and_measure(
            fns, (train_x, task.train_y), (valid_x, task.valid_y), settings),
            dataset=TABULAR_DATASET, scale=scale))
    return {"runs": runs}


def compute_fitting() -> dict[str, Any]:
    x, y, _ = fitting.outlier_data()
    extrapolation = fitting.fit_extrapolation()
    return {"line_paths": {str(fitting.DEFAULT_RATE): fitting.fit_path(ref.fit_line,
                                                                       fitting.DEFAULT_RATE)},
            "extrapolation": {key: value.tolist() for key, value in extrapolation.items()},
            "mae_line": list(fitting.least_absolute(x, y))}


def compute_warping() -> dict[str, Any]:
    x, y = warping.make_standard_moons()
    trained = warping.train_moons_net(x, y)
    return {"moons": {"points": x.tolist(), "labels": y.tolist()},
            "snapshots": [[step, {k: v.tolist() for k, v in state.items()}]
                          for step, state in trained.snapshots],
            "accuracy": trained.accuracy}


COMPUTE: dict[str, Callable[[], dict[str, Any]]] = {
    "digits": compute_digits, "tabular": compute_tabular, "fitting": compute_fitting,
    "warping": compute_warping}


def compute(group: str) -> dict[str, Any]:
    """A file's contents, computed now (seeded: the same numbers every time)."""
    with one_thread():
        return {"fingerprint": fingerprint(), **COMPUTE[group]()}


@functools.cache
def load(group: str) -> dict[str, Any]:
    """A saved file's contents; when it is missing or unreadable, computed now instead."""
    try:
        return json.loads(path(group).read_text())
    except (OSError, ValueError):
        log.warning("%s is missing or unreadable (run `%s`): computing it now", path(group),
                    SCRIPT)
        return compute(group)


def main() -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    for group in GROUPS:
        started = time.perf_counter()
        path(group).write_text(json.dumps(compute(group), separators=(",", ":")) + "\n")
        print(f"{path(group).relative_to(ROOT)}: {path(group).stat().st_size / 1024:.0f} KB in "
              f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
