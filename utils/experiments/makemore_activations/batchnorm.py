"""Runs and data for chapter 4.3's sections 4-5 (batch norm, the diagnostics). No drawing here.

Two measurements on Karpathy's deep network (solutions' `deep_network`: 10-d embeddings, a
context of 3, five tanh layers of 100 units) trained on the chapter's data (`names_split()`: the
offline SSA names on a server without names.txt, recorded in "source"), minibatches of 32,
plain SGD, one thread, the generator seeded with Karpathy's seed:

- `gain_sweep()`: section 4's figure, the dev loss after SWEEP_STEPS steps for a range of weight
  gains, with and without batch norm.
- `diagnostics()`: section 5's figures, one `diagnose_run` of DIAG_STEPS steps per case in
  CASES (healthy, and broken in one way each): per-layer histograms of the tanh outputs, of
  their gradients and of the weights' gradients at the last step, and the update-to-data ratio
  of every weight at every step.

Both are computed by

    python -m utils.experiments.makemore_activations.batchnorm

and kept in assets/makemore_activations/bn_runs.json; a missing file is computed at first use
(about a minute). tests/test_makemore3_batchnorm.py fails when the saved file no longer matches
what the code computes. The demo of section 5 (utils/demos/makemore_activations/batchnorm.py)
runs the same `diagnose_run` with the learner's functions.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from solutions import makemore_activations as reference
from utils.experiments.saved import saved_json
from utils.experiments.makemore_mlp.model import BATCH_SIZE, BLOCK_SIZE, SEED, names_split
from utils.demos.makemore_activations_settings import CASES, DIAG_STEPS, LR
from utils.torch_threads import one_thread

ROOT = Path(__file__).resolve().parents[3]
ASSETS = ROOT / "assets" / "makemore_activations"
RUNS_PATH = ASSETS / "bn_runs.json"
SCRIPT = "python -m utils.experiments.makemore_activations.batchnorm"

N_EMBD, N_HIDDEN, N_LAYERS = 10, 100, 5  # Karpathy's deep network
SWEEP_STEPS = 2000
SWEEP_GAINS = (0.1, 0.3, 0.5, 1.0, 5 / 3, 3.0, 5.0, 10.0)
BINS = 40
THRESHOLD = 0.97


def _histogram(values: Tensor, lo: float, hi: float) -> list[float]:
    """Densities of `values` in BINS equal bins over [lo, hi] (values outside are dropped)."""
    counts = torch.histc(values.detach().double().flatten(), BINS, lo, hi)
    width = (hi - lo) / BINS
    return (counts / (values.numel() * width)).tolist()


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _eval_loss(C: Tensor, layers: list, X: Tensor, Y: Tensor, loss_fn: Callable) -> float:
    """The loss in eval mode (batch norm uses its running statistics), without a graph."""
    modes = [(layer, layer.training) for layer in layers if hasattr(layer, "training")]
    try:
        for layer, _ in modes:
            layer.training = False
        with torch.no_grad():
            return float(loss_fn(C, layers, X, Y))
    finally:
        for layer, mode in modes:
            layer.training = mode


def calibrated_loss(C: Tensor, layers: list, Xcal: Tensor, X: Tensor, Y: Tensor) -> float:
    """The loss on (X, Y) after replacing every batch norm's running statistics by the mean
    and unbiased variance of its input over all of Xcal, layer by layer (the alternative to
    running statistics: calibrate once after training). The network is left as it was."""
    saved = [(layer, layer.running_mean, layer.running_var) for layer in layers
             if isinstance(layer, reference.BatchNorm1d)]
    try:
        with torch.no_grad():
            x = C[Xcal].view(Xcal.shape[0], -1)
            for layer in layers:
                if isinstance(layer, reference.BatchNorm1d):
                    layer.running_mean, layer.running_var = x.mean(0), x.var(0)
                    layer.training = False
                x = layer(x)
            return _eval_loss(C, layers, X, Y, reference.deep_loss)
    finally:
        for layer, mean, var in saved:
            layer.running_mean, layer.running_var, layer.training = mean, var, True


def diagnose_run(ns: dict[str, Any], *, batchnorm: bool, gain: float, lr: float, steps: int,
                 seed: int = SEED, record: bool = True) -> dict:
    """Train `ns["deep_network"]` (its Linear, BatchNorm1d and Tanh are whatever `ns` holds)
    with `ns["deep_loss"]` for `steps` SGD steps at rate `lr` on the chapter's training split,
    and, with `record`, measure it with `ns`'s activation_stats, gradient_stats and
    update_ratios: the update ratio of each weight matrix at every step, and at the first step
    ("init", before any update) and the last ("end") the stats and histograms of the tanh
    outputs, their gradients and the weights' gradients.
    Returns plain data (JSON)."""
    data = names_split()
    tanh = ns["Tanh"]
    generator = torch.Generator().manual_seed(seed)
    with one_thread():
        C, layers = ns["deep_network"](len(data.stoi), BLOCK_SIZE, N_EMBD, N_HIDDEN, N_LAYERS,
                                       generator, batchnorm=batchnorm, gain=gain)
        params = [C] + [p for layer in layers for p in layer.parameters()]
        weights = [layer.weight for layer in layers if hasattr(layer, "weight")]
        losses: list[float | None] = []
        ratios: list[list[float | None]] = []
        for _ in range(steps):
            ix = torch.randint(0, data.Xtr.shape[0], (BATCH_SIZE,), generator=generator)
            loss = ns["deep_loss"](C, layers, data.Xtr[ix], data.Ytr[ix])
            if record:
                for layer in layers:
                    if isinstance(layer, tanh):
                        layer.out.retain_grad()
            for p in params:
                p.grad = None
            loss.backward()
            losses.append(_finite(loss.item()))
            if record:
                ratios.append([_finite(float(r)) for r in ns["update_ratios"](weights, lr)])
                if not ratios[1:]:  # the network as initialised, before its first update
                    first = _snapshot(ns, layers, weights, tanh)
            with torch.no_grad():
                for p in params:
                    p -= lr * p.grad
        result: dict[str, Any] = {
            "settings": {"batchnorm": batchnorm, "gain": gain, "lr": lr, "steps": steps,
                         "seed": seed},
            "losses": losses, "source": data.source,
        }
        if record:  # before the dev loss's forward pass replaces every layer's .out
            result.update({"init": first, "end": _snapshot(ns, layers, weights, tanh),
                           "ratios": ratios})
        result["dev"] = _finite(_eval_loss(C, layers, data.Xdev, data.Ydev, ns["deep_loss"]))
    return result


def _snapshot(ns: dict[str, Any], layers: list, weights: list[Tensor], tanh: type) -> dict:
    """Histograms and stats of the last forward and backward pass: the tanh outputs, their
    gradients and the weights' gradients (the stats from `ns`'s stats functions)."""
    outs = [layer.out for layer in layers if isinstance(layer, tanh)]
    grad_edge = max(float(o.grad.abs().max()) for o in outs) or 1.0
    wgrad_edge = max(float(w.grad.abs().max()) for w in weights) or 1.0
    return {
        "act_stats": [{k: float(v) for k, v in d.items()}
                      for d in ns["activation_stats"](layers, THRESHOLD)],
        "act_hist": [_histogram(o, -1.0, 1.0) for o in outs],
        "grad_stats": [{k: float(v) for k, v in d.items()} for d in ns["gradient_stats"](layers)],
        "grad_hist": [_histogram(o.grad, -grad_edge, grad_edge) for o in outs],
        "grad_edge": grad_edge,
        "wgrad_shapes": [list(w.shape) for w in weights],
        "wgrad_ratio": [float(w.grad.std() / w.detach().std()) for w in weights],
        "wgrad_hist": [_histogram(w.grad, -wgrad_edge, wgrad_edge) for w in weights],
        "wgrad_edge": wgrad_edge,
    }


def reference_namespace() -> dict[str, Any]:
    """The names a run uses, from the reference solutions."""
    return {name: getattr(reference, name) for name in
            ("deep_network", "deep_loss", "Tanh", "activation_stats", "gradient_stats",
             "update_ratios")}


def diagnostics() -> dict:
    """Section 5: one recorded run of DIAG_STEPS steps per case, and for the healthy one the
    dev loss with batch-norm statistics calibrated on the whole training split instead."""
    ns = reference_namespace()
    runs = {name: {**diagnose_run(ns, batchnorm=c["batchnorm"], gain=c["gain"], lr=c["lr"],
                                  steps=DIAG_STEPS), "label": c["label"]}
            for name, c in CASES.items()}
    return runs


def calibration() -> dict:
    """Section 4: the healthy network after SWEEP_STEPS steps, its dev loss with the running
    statistics and with statistics calibrated on the whole training split."""
    data = names_split()
    generator = torch.Generator().manual_seed(SEED)
    with one_thread():
        C, layers = reference.deep_network(len(data.stoi), BLOCK_SIZE, N_EMBD, N_HIDDEN,
                                           N_LAYERS, generator)
        params = [C] + [p for layer in layers for p in layer.parameters()]
        for _ in range(SWEEP_STEPS):
            ix = torch.randint(0, data.Xtr.shape[0], (BATCH_SIZE,), generator=generator)
            loss = reference.deep_loss(C, layers, data.Xtr[ix], data.Ytr[ix])
            for p in params:
                p.grad = None
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p -= LR * p.grad
        running = _eval_loss(C, layers, data.Xdev, data.Ydev, reference.deep_loss)
        calibrated = calibrated_loss(C, layers, data.Xtr, data.Xdev, data.Ydev)
    return {"steps": SWEEP_STEPS, "dev_running": running, "dev_calibrated": calibrated,
            "n_params": sum(p.numel() for p in params), "source": data.source}


def gain_sweep() -> dict:
    """Section 4: the dev loss after SWEEP_STEPS steps at rate LR for each gain in SWEEP_GAINS,
    with and without batch norm (last layer scaled by 0.1 either way)."""
    ns = reference_namespace()
    out: dict[str, Any] = {"gains": list(SWEEP_GAINS), "steps": SWEEP_STEPS, "lr": LR}
    for key, bn in (("bn", True), ("no_bn", False)):
        runs = [diagnose_run(ns, batchnorm=bn, gain=g, lr=LR, steps=SWEEP_STEPS, record=False)
                for g in SWEEP_GAINS]
        out[key] = {"dev": [r["dev"] for r in runs],
                    "first": [r["losses"][0] for r in runs],
                    "last_100": [_mean_last(r["losses"], 100) for r in runs]}
        out["source"] = runs[0]["source"]
    return out


def _mean_last(losses: list[float | None], n: int) -> float | None:
    tail = losses[-n:]
    return None if any(v is None for v in tail) else sum(tail) / len(tail)


def compute_runs() -> dict:
    """What bn_runs.json holds, every float to 6 significant digits (a third of the size)."""
    return _rounded({"diagnostics": diagnostics(), "gain_sweep": gain_sweep(),
                     "calibration": calibration()})


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


@functools.lru_cache(maxsize=1)
def bn_runs() -> dict:
    """The saved runs (computed and saved first if the file is missing)."""
    return saved_json(RUNS_PATH, compute_runs, indent=None)


def main() -> None:
    runs = compute_runs()
    ASSETS.mkdir(parents=True, exist_ok=True)
    RUNS_PATH.write_text(json.dumps(runs))
    sweep = runs["gain_sweep"]
    print(f"on {sweep['source']}")
    for i, g in enumerate(sweep["gains"]):
        print(f"gain {g:.3g}: dev with BN {sweep['bn']['dev'][i]}, without "
              f"{sweep['no_bn']['dev'][i]}; first loss {sweep['bn']['first'][i]:.3f} / "
              f"{sweep['no_bn']['first'][i]:.3f}")
    for name, run in runs["diagnostics"].items():
        for when in ("init", "end"):
            snap = run[when]
            print(f"{name} {when}: saturated "
                  f"{[round(d['saturated'], 3) for d in snap['act_stats']]}, act std "
                  f"{[round(d['std'], 3) for d in snap['act_stats']]}, grad std "
                  f"{[float('%.2e' % d['std']) for d in snap['grad_stats']]}, grad:data "
                  f"{[round(r, 4) for r in snap['wgrad_ratio']]}")
        tail = torch.tensor(run["ratios"][-100:], dtype=torch.float64).mean(0)
        print(f"{name}: dev {run['dev']}, ratios (mean of the last 100 steps) "
              f"{[round(r, 2) for r in tail.tolist()]}")
    print("calibration:", runs["calibration"])


def page_numbers(runs: dict | None = None) -> dict[str, str]:
    """Every number sections 4 and 5 state, formatted as they state it (a test checks that the
    pages say exactly these)."""
    runs = runs if runs is not None else bn_runs()
    sweep, cal, diag = runs["gain_sweep"], runs["calibration"], runs["diagnostics"]
    pct = lambda v: f"{100 * v:.1f}%"  # noqa: E731

    def best(key: str, pick: Callable) -> tuple[str, str]:
        values = sweep[key]["dev"]
        i = values.index(pick(values))
        return f"{values[i]:.3f}", f"{sweep['gains'][i]:.3g}"

    def tail(case: str) -> list[float]:
        last = diag[case]["ratios"][-100:]
        return [sum(r[i] for r in last) / len(last) for i in range(len(last[0]))]

    def sat(case: str, when: str = "init") -> list[float]:
        return [d["saturated"] for d in diag[case][when]["act_stats"]]

    def std(case: str, key: str = "act_stats", when: str = "init") -> list[float]:
        return [d["std"] for d in diag[case][when][key]]

    healthy_grad = std("healthy", "grad_stats")
    biggain_grad = std("big_gain", "grad_stats")
    healthy_tail, biglr_tail = tail("healthy"), tail("big_lr")
    nobn_wr = diag["no_bn"]["init"]["wgrad_ratio"]
    numbers = {
        "gain_steps": f"{sweep['steps']:,}", "gain_lr": f"{sweep['lr']:g}",
        "dev_running": f"{cal['dev_running']:.3f}",
        "dev_calibrated": f"{cal['dev_calibrated']:.3f}",
        "bn_first": f"{sweep['bn']['first'][0]:.3f}",
        "steps": f"{DIAG_STEPS:,}",
        "healthy_std": _span(std("healthy"), "{:.2f}"),
        "healthy_sat": f"{pct(min(sat('healthy')))} to {pct(max(sat('healthy')))}",
        "healthy_grad_factor": f"{max(healthy_grad) / min(healthy_grad):.1f}",
        "healthy_ratio_lo": f"{min(healthy_tail[:-1]):.1f}",
        "healthy_ratio_hi": f"{max(healthy_tail[:-1]):.1f}",
        "healthy_ratio_last": f"{healthy_tail[-1]:.1f}",
        "healthy_dev": f"{diag['healthy']['dev']:.3f}",
        "nogain_std_first": f"{std('no_gain')[0]:.2f}",
        "nogain_std_last": f"{std('no_gain')[-1]:.2f}",
        "nogain_grad_first": _sci(std("no_gain", "grad_stats")[0]),
        "nogain_grad_last": _sci(std("no_gain", "grad_stats")[-1]),
        "biggain_sat_lo": pct(min(sat("big_gain"))), "biggain_sat_hi": pct(max(sat("big_gain"))),
        "biggain_grad_first": _sci(std("big_gain", "grad_stats")[0]),
        "biggain_grad_last": _sci(std("big_gain", "grad_stats")[-1]),
        "biggain_grad_factor": f"a factor of {max(biggain_grad) / min(biggain_grad):.1f}",
        "nogain_dev": f"{diag['no_gain']['dev']:.3f}",
        "biggain_dev": f"{diag['big_gain']['dev']:.3f}",
        "sweep_nobn_gain1": f"{sweep['no_bn']['dev'][SWEEP_GAINS.index(1.0)]:.3f}",
        "sweep_nobn_gain3": f"{sweep['no_bn']['dev'][SWEEP_GAINS.index(3.0)]:.3f}",
        "nobn_sat_lo": pct(min(sat("no_bn"))), "nobn_sat_hi": pct(max(sat("no_bn"))),
        "nobn_dev": f"{diag['no_bn']['dev']:.3f}",
        "nobn_w6_ratio": f"{nobn_wr[-1]:.1f}",
        "nobn_hidden_ratio": f"{max(nobn_wr[:-1]):.3f}",
        "nobn_w6_first": f"{diag['no_bn']['ratios'][0][-1]:.1f}",
        "nobn_w6_last": f"{tail('no_bn')[-1]:.1f}",
        "nobn_hidden_last": _span(tail("no_bn")[:-1], "{:.1f}"),
        "smalllr_ratio": f"{sum(tail('small_lr')[:-1]) / 5:.0f}",
        "smalllr_dev": f"{diag['small_lr']['dev']:.3f}",
        "biglr_ratio": f"{sum(biglr_tail[:-1]) / 5:.1f}",
        "biglr_ratio_last": f"{biglr_tail[-1]:.1f}",
        "biglr_sat_lo": pct(min(sat("big_lr", "end"))),
        "biglr_sat_hi": pct(max(sat("big_lr", "end"))),
        "biglr_dev": f"{diag['big_lr']['dev']:.3f}",
        "bnbiglr_ratio": f"{sum(tail('bn_big_lr')[:-1]) / 5:.0f}",
        "bnbiglr_dev": f"{diag['bn_big_lr']['dev']:.3f}",
    }
    for key, pick in (("nobn_best", min), ("nobn_worst", max)):
        numbers[key], numbers[key + "_gain"] = best("no_bn", pick)
    numbers["bn_best"], _ = best("bn", min)
    numbers["bn_worst"], _ = best("bn", max)
    return numbers


def _span(values: list[float], fmt: str) -> str:
    """"a to b", or just "a" when both ends read the same."""
    lo, hi = fmt.format(min(values)), fmt.format(max(values))
    return lo if lo == hi else f"{lo} to {hi}"


def _sci(value: float) -> str:
    """1.8e-04 as LaTeX: $1.8 \\times 10^{-4}$."""
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"${mantissa} \\times 10^{{{int(exponent)}}}$"


if __name__ == "__main__":
    main()
