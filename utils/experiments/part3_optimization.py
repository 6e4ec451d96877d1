"""Chapter 5.3's measurements: what its figures show, computed with the reference solutions.

- the minibatch gradient's noise against the batch size, for the digits MLP at its initial
  weights (seconds to measure, so it is saved in assets/part3_optimization/; rewrite it with
  `python -m utils.experiments.part3_optimization`);
- a local hyperparameter sweep of the chapter's config, and its winner measured once on the test
  split (a second or so per run);
- the learning-rate range test, and what training from scratch reaches at the rate it suggests
  and at the rate where its loss was lowest (a few seconds).

Everything is seeded and cached, and imports without Streamlit (utils.caching), so a notebook in
Colab runs the same code as the site. utils/figures/part3_optimization.py draws the results.
"""

from __future__ import annotations

import json
import math
from functools import partial
from typing import Callable

import torch as t

from solutions import part3_optimization as sol
from utils.caching import cache_data, cache_run
from utils.site_config import ROOT

METRIC = sol.make_sweep_config()["metric"]["name"]  # the dev split's accuracy


# ---------------------------------------------------------------------------------------------
# Why minibatches


def minibatch_gradient_noise(batch_sizes: tuple[int, ...], draws: int = 200,
                             seed: int = 0) -> dict[str, list[float]]:
    """How far a minibatch gradient lands from the full-batch gradient, relative to the full
    gradient's length, for the digits MLP at its initial weights: measured over `draws` random
    batches of each size (without replacement), and predicted from the per-example gradients'
    spread, sqrt(trace(cov) / B * (N - B) / (N - 1))."""
    from torch.func import functional_call, grad, vmap

    x, y = sol.digits_splits()["train"]
    n = len(y)
    t.manual_seed(seed)
    model = sol.digits_mlp()
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss_one(p: dict, xi: t.Tensor, yi: t.Tensor) -> t.Tensor:
        return t.nn.functional.cross_entropy(functional_call(model, p, (xi[None],)), yi[None])

    per_example = vmap(grad(loss_one), in_dims=(None, 0, 0))(params, x, y)
    grads = t.cat([g.reshape(n, -1) for g in per_example.values()], dim=1)
    full = grads.mean(0)
    deviations = grads - full
    gram = deviations @ deviations.T  # |mean of a batch's deviations|^2 from sums of its entries
    spread = gram.diagonal().mean().item()  # trace of the per-example covariance
    generator = t.Generator().manual_seed(seed)
    measured, predicted = [], []
    for b in batch_sizes:
        chosen = t.stack([t.randperm(n, generator=generator)[:b] for _ in range(draws)])
        masks = t.zeros(draws, n).scatter_(1, chosen, 1.0)
        errors = ((masks @ gram) * masks).sum(1) / b ** 2  # |g_batch - g|^2 for each draw
        measured.append(errors.mean().sqrt().item() / full.norm().item())
        predicted.append(math.sqrt(spread / b * (n - b) / (n - 1)) / full.norm().item())
    return {"batch size": list(batch_sizes), "measured": measured, "predicted": predicted,
            "examples": n}


# The measurement takes seconds and never changes (seeded, reference model, offline digits), so it
# is saved: `python -m utils.experiments.part3_optimization` writes it again, a missing file is
# measured at first use, and a test fails when the saved one no longer matches.
NOISE_PATH = ROOT / "assets" / "part3_optimization" / "minibatch_noise.json"
NOISE_BATCH_SIZES = tuple(2 ** k for k in range(11))  # 1 .. 1024 of the 1077 training digits


def saved_minibatch_noise() -> dict[str, list[float]]:
    try:
        return json.loads(NOISE_PATH.read_text())
    except (OSError, ValueError):
        return minibatch_gradient_noise(NOISE_BATCH_SIZES)


# ---------------------------------------------------------------------------------------------
# A sweep, and its winner on the test split


@cache_run  # not st.cache_resource: a cache hit would replay the progress bar (an error)
def sweep(count: int, seed: int, _progress: Callable[[int, int], None] | None = None
          ) -> list[dict[str, object]]:
    """`count` runs of the chapter's sweep config (reference run_sweep), one row each: the sampled
    values and the dev accuracy. `_progress(done, total)` is called after each run."""
    return sol.run_sweep(sol.make_sweep_config(), sol.SweepArgs(), count, seed,
                         progress=_progress)


@cache_data(show_spinner=False)
def sweep_winner(rows: list[dict[str, object]]) -> tuple[dict[str, object], float]:
    """The sweep's winner on the dev split, and its accuracy on the test split (measured once,
    with the reference select_and_test)."""
    test_fn = partial(sol.train_digits_classifier, evaluate_on="test")
    return sol.select_and_test(rows, sol.make_sweep_config(), sol.SweepArgs(), test_fn)


# ---------------------------------------------------------------------------------------------
# A first learning rate: the range test


def suggested_lr(lrs: list[float], losses: list[float]) -> float:
    """A tenth of the learning rate where the smoothed loss was lowest."""
    return lrs[min(range(len(losses)), key=losses.__getitem__)] / 10


@cache_data(show_spinner="Running the range test…")
def range_test(optimizer: str) -> dict[str, object]:
    """The reference range test for "sgd" or "adam" ("lrs", "losses": the smoothed loss at each
    step), the learning rate it suggests and the one where the loss was lowest ("suggested",
    "lowest"), and the dev accuracy that training from scratch for 3 epochs (batch size 8, as in
    the test) reaches at each ("accuracy at suggested", "accuracy at lowest")."""
    lrs, losses = sol.lr_range_test(optimizer)
    result: dict[str, object] = {"lrs": lrs, "losses": losses,
                                 "suggested": suggested_lr(lrs, losses),
                                 "lowest": lrs[min(range(len(losses)), key=losses.__getitem__)]}
    for which in ("suggested", "lowest"):
        result[f"accuracy at {which}"] = sol.train_digits_classifier(sol.SweepArgs(
            optimizer=optimizer, epochs=3, batch_size=8, learning_rate=result[which]))
    return result


if __name__ == "__main__":
    NOISE_PATH.parent.mkdir(parents=True, exist_ok=True)
    NOISE_PATH.write_text(json.dumps(minibatch_gradient_noise(NOISE_BATCH_SIZES), indent=1) + "\n")
    print(f"wrote {NOISE_PATH}")
