"""Runs and measurements for chapter 4.4's sections 3-5 (no drawing).

`training_run()` is the chapter's model (`init_params()`: block 3, 10-d embeddings, 64 tanh units
with batch norm) trained twice from the same seed on chapter 4.2's training names: once by
`train_manual` (hand-written gradients) and once by autograd, in chunks of LOG_EVERY steps, with
the largest difference between the two sets of parameters after each chunk. It takes about half
a minute, so it is computed once by

    python -m utils.experiments.makemore_backprop.closed_form

and kept in assets/makemore_backprop/closed_training.pt (computed at first use if missing). The
same command writes assets/makemore_backprop/closed_measurements.json: timings of the
cross-entropy's backward pass (atoms vs fused vs closed form, on this machine), a numerical
stability case, and the batch norm's backward three ways against float64 autograd.
"""

from __future__ import annotations

import functools
import json
import statistics
import time
from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor

from solutions import makemore_backprop as reference
from utils.demos.makemore_backprop_settings import HEAD_STEPS, SEED  # the seed: Karpathy's
from utils.experiments.saved import saved_json, saved_torch
from utils.experiments.makemore_mlp.model import names_split
from utils.torch_threads import one_thread

ROOT = Path(__file__).resolve().parents[3]
TRAINING_PATH = ROOT / "assets" / "makemore_backprop" / "closed_training.pt"
MEASUREMENTS_PATH = ROOT / "assets" / "makemore_backprop" / "closed_measurements.json"

STEPS, LR, BATCH_SIZE, LOG_EVERY = 20_000, 0.1, 32, 100
N_EMBD, N_HIDDEN = 10, 64  # init_params' defaults, the sizes of Karpathy's lecture 4
EPS = 1e-5


def train_autograd(params: dict[str, Tensor], X: Int[Tensor, "N block"], Y: Int[Tensor, "N"],
                   steps: int, lr: float, batch_size: int,
                   generator: torch.Generator) -> list[float]:
    """`train_manual`'s loop with autograd's gradients (the parameters require grad)."""
    losses = []
    for _ in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        cache = reference.forward_pass(params, X[ix], Y[ix])
        for p in params.values():
            p.grad = None
        cache["loss"].backward()
        with torch.no_grad():
            for p in params.values():
                p -= lr * p.grad
        losses.append(cache["loss"].item())
    return losses


def split_losses(params: dict[str, Tensor]) -> dict[str, float]:
    """Train and dev loss with the batch norm's statistics calibrated on the whole training
    split (as Karpathy does after training), not on the split being measured."""
    data = names_split()
    p = {k: v.detach() for k, v in params.items()}
    with torch.no_grad():
        hprebn = p["C"][data.Xtr].view(data.Xtr.shape[0], -1) @ p["W1"] + p["b1"]
        mean = hprebn.mean(0, keepdim=True)
        var = hprebn.var(0, keepdim=True, unbiased=False)
        out = {}
        for name, X, Y in (("train", data.Xtr, data.Ytr), ("dev", data.Xdev, data.Ydev)):
            pre = p["C"][X].view(X.shape[0], -1) @ p["W1"] + p["b1"]
            h = torch.tanh(p["bngain"] * (pre - mean) * (var + EPS) ** -0.5 + p["bnbias"])
            out[name] = F.cross_entropy(h @ p["W2"] + p["b2"], Y).item()
    return out


def _fresh_params() -> tuple[dict[str, Tensor], torch.Generator]:
    data = names_split()
    generator = torch.Generator().manual_seed(SEED)
    return reference.init_params(len(data.stoi), data.block_size, N_EMBD, N_HIDDEN,
                                 generator), generator


def compare_runs(steps: int = STEPS) -> dict:
    """The chapter's model trained by train_manual and by autograd from the same seed, side by
    side; what training_run keeps."""
    data = names_split()
    manual, gen_m = _fresh_params()
    manual = {k: v.detach() for k, v in manual.items()}
    auto, gen_a = _fresh_params()
    losses_m: list[float] = []
    losses_a: list[float] = []
    param_diff, seconds = [], {"manual": 0.0, "autograd": 0.0}
    with one_thread():
        for start in range(0, steps, LOG_EVERY):
            chunk = min(LOG_EVERY, steps - start)
            began = time.perf_counter()
            losses_m += reference.train_manual(manual, data.Xtr, data.Ytr, chunk, LR,
                                               BATCH_SIZE, gen_m)
            seconds["manual"] += time.perf_counter() - began
            began = time.perf_counter()
            losses_a += train_autograd(auto, data.Xtr, data.Ytr, chunk, LR, BATCH_SIZE, gen_a)
            seconds["autograd"] += time.perf_counter() - began
            param_diff.append(max((manual[k] - auto[k].detach()).abs().max().item()
                                  for k in manual))
    m, a = torch.tensor(losses_m), torch.tensor(losses_a)
    usable = steps - steps % LOG_EVERY
    return {
        "manual_curve": m[:usable].view(-1, LOG_EVERY).mean(1),
        "autograd_curve": a[:usable].view(-1, LOG_EVERY).mean(1),
        # every step's loss at the start, for a learner's short run to be compared with
        "autograd_head": a[:HEAD_STEPS].clone(), "manual_head": m[:HEAD_STEPS].clone(),
        "max_loss_diff": (m - a).abs().max().item(),
        "param_diff": torch.tensor(param_diff),  # after every LOG_EVERY steps
        "split_losses": {"manual": split_losses(manual), "autograd": split_losses(auto)},
        "params": {k: v.clone() for k, v in manual.items()},  # the hand-trained model
        "seconds": seconds,
        "settings": training_settings() | {"steps": steps},
        "source": data.source, "n_words": len(data.words),
    }


def training_settings() -> dict:
    """What the saved run was computed with (a test compares them with these)."""
    return {"seed": SEED, "steps": STEPS, "lr": LR, "batch_size": BATCH_SIZE,
            "log_every": LOG_EVERY, "head_steps": HEAD_STEPS, "n_embd": N_EMBD,
            "n_hidden": N_HIDDEN, "block_size": 3}


@functools.lru_cache(maxsize=1)
def training_run() -> dict:
    """The saved side-by-side run (computed and saved first if the file is missing)."""
    return saved_torch(TRAINING_PATH, compare_runs)


# --- section 3: the cross-entropy's backward pass, three ways ---------------------------------


def chain_loss(logits: Float[Tensor, "n v"], targets: Int[Tensor, "n"]) -> Tensor:
    """The loss in forward_pass's atoms, from the logits on."""
    n = logits.shape[0]
    norm = logits - logits.max(1, keepdim=True).values
    counts = norm.exp()
    probs = counts * counts.sum(1, keepdim=True) ** -1
    return -probs.log()[torch.arange(n), targets].mean()


def _grad_of(loss_fn: Callable, logits: Tensor, targets: Tensor) -> Tensor:
    z = logits.detach().clone().requires_grad_()
    loss_fn(z, targets).backward()
    return z.grad


def _closed(logits: Tensor, targets: Tensor) -> Tensor:
    with torch.no_grad():
        F.cross_entropy(logits, targets)  # the loss itself, which training reports too
        return reference.cross_entropy_backward(logits, targets)


def _microseconds(fn: Callable[[], object], repeats: int = 7, budget_s: float = 0.3) -> float:
    """Median time of one call, in microseconds (a timing: machine and load dependent)."""
    fn()
    calls = 1
    began = time.perf_counter()
    while time.perf_counter() - began < 0.02:
        fn()
        calls += 1
    per_round = max(1, int(calls * budget_s / repeats / 0.02))
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        for _ in range(per_round):
            fn()
        times.append((time.perf_counter() - began) / per_round)
    return statistics.median(times) * 1e6


def cross_entropy_timings(batch_sizes: tuple[int, ...] = (32, 4096), v: int = 27) -> list[dict]:
    """Loss and dloss/dlogits: through the atoms with autograd, through F.cross_entropy with
    autograd, and by the closed form (loss under no_grad + cross_entropy_backward)."""
    rows = []
    with one_thread():
        for n in batch_sizes:
            gen = torch.Generator().manual_seed(n)
            logits = torch.randn((n, v), generator=gen)
            targets = torch.randint(0, v, (n,), generator=gen)
            rows.append({
                "n": n, "v": v,
                "atoms_autograd_us": _microseconds(lambda: _grad_of(chain_loss, logits, targets)),
                "fused_autograd_us": _microseconds(
                    lambda: _grad_of(F.cross_entropy, logits, targets)),
                "closed_form_us": _microseconds(lambda: _closed(logits, targets)),
            })
    return rows


def stability_case() -> dict:
    """A float32 row whose target logit is 120 below the largest: its probability underflows
    to 0, and the atoms' log and division turn that into inf and nan."""
    logits = torch.tensor([[0.0, 2.0, -118.0, 1.0]])
    targets = torch.tensor([2])
    atoms = _grad_of(chain_loss, logits, targets)
    fused = _grad_of(F.cross_entropy, logits, targets)
    closed = reference.cross_entropy_backward(logits, targets)
    with torch.no_grad():
        return {"logits": logits[0].tolist(), "target": 2,
                "atoms_loss": float(chain_loss(logits, targets)),
                "fused_loss": float(F.cross_entropy(logits, targets)),
                "atoms_grad": [repr(v) for v in atoms[0].tolist()],
                "fused_grad": fused[0].tolist(), "closed_grad": closed[0].tolist()}


# --- section 4: batch norm's backward, three ways ---------------------------------------------


def _bn_steps(dout: Tensor, x: Tensor, gamma: Tensor, eps: float) -> Tensor:
    """Back through forward_pass's batch-norm atoms one at a time (section 2's way)."""
    n = x.shape[0]
    mean = x.sum(0, keepdim=True) / n
    diff = x - mean
    var = (diff ** 2).sum(0, keepdim=True) / n
    var_inv = (var + eps) ** -0.5
    draw = gamma * dout
    dvar_inv = (diff * draw).sum(0, keepdim=True)
    dvar = -0.5 * (var + eps) ** -1.5 * dvar_inv
    ddiff = var_inv * draw + 2 * diff * torch.ones_like(diff) / n * dvar
    return ddiff - ddiff.sum(0, keepdim=True) / n


def _bn_atoms_autograd(dout: Tensor, x: Tensor, gamma: Tensor, eps: float) -> Tensor:
    z = x.detach().clone().requires_grad_()
    n = z.shape[0]
    diff = z - z.sum(0, keepdim=True) / n
    raw = diff * ((diff ** 2).sum(0, keepdim=True) / n + eps) ** -0.5
    ((gamma * raw) * dout).sum().backward()
    return z.grad


def _bn_truth(dout: Tensor, x: Tensor, gamma: Tensor, eps: float) -> Tensor:
    z = x.detach().double().clone().requires_grad_()
    y = F.batch_norm(z, None, None, gamma.double().reshape(-1), None, training=True, eps=eps)
    (y * dout.double()).sum().backward()
    return z.grad


def _unbiased_closed_form(dout: Tensor, x: Tensor, gamma: Tensor, eps: float) -> Tensor:
    """Karpathy's lecture's closed form: the variance with Bessel's correction, n - 1."""
    n = x.shape[0]
    mean = x.mean(0, keepdim=True)
    inv = (((x - mean) ** 2).sum(0, keepdim=True) / (n - 1) + eps) ** -0.5
    xhat = (x - mean) * inv
    return gamma * inv / n * (n * dout - dout.sum(0, keepdim=True)
                              - n / (n - 1) * xhat * (dout * xhat).sum(0, keepdim=True))


def batchnorm_minibatch() -> tuple[Tensor, Tensor, Tensor]:
    """dhpreact, hprebn and bngain of the freshly drawn chapter model on its first minibatch:
    the batch norm's real input and upstream gradient, float32."""
    data = names_split()
    params, generator = _fresh_params()
    ix = torch.randint(0, data.Xtr.shape[0], (BATCH_SIZE,), generator=generator)
    cache = reference.forward_pass(params, data.Xtr[ix], data.Ytr[ix])
    hpreact = cache["hpreact"]
    dhpreact, = torch.autograd.grad(cache["loss"], hpreact)
    return dhpreact.detach(), cache["hprebn"].detach(), params["bngain"].detach()


def batchnorm_comparison() -> dict:
    """Each way's largest difference from float64 autograd of torch's batch norm, in float32
    and float64, on the chapter model's first minibatch."""
    dout, x, gamma = batchnorm_minibatch()
    truth = _bn_truth(dout, x, gamma, EPS)
    rows = []
    for dtype in (torch.float32, torch.float64):
        d, xx, g = dout.to(dtype), x.to(dtype), gamma.to(dtype)
        ways = {"closed form (batchnorm_backward)": reference.batchnorm_backward(d, xx, g, EPS),
                "step by step by hand (section 2)": _bn_steps(d, xx, g, EPS),
                "autograd through the atoms": _bn_atoms_autograd(d, xx, g, EPS)}
        closed = ways["closed form (batchnorm_backward)"].double()
        for name, value in ways.items():
            rows.append({"dtype": str(dtype).removeprefix("torch."), "way": name,
                         "max_abs_diff": (value.double() - truth).abs().max().item(),
                         "max_abs_diff_from_closed": (value.double() - closed).abs().max().item()})
    unbiased = _unbiased_closed_form(dout.double(), x.double(), gamma.double(), EPS)
    return {"shape": list(x.shape), "max_abs_grad": truth.abs().max().item(), "rows": rows,
            "bessel_max_abs_diff": (unbiased - truth).abs().max().item(),
            "bessel_max_rel_diff": ((unbiased - truth).abs().max() / truth.abs().max()).item()}


def compute_measurements() -> dict:
    data = names_split()
    return {"source": data.source, "settings": training_settings(),
            "cross_entropy_timings": cross_entropy_timings(),
            "stability": stability_case(), "batchnorm": batchnorm_comparison()}


@functools.lru_cache(maxsize=1)
def measurements() -> dict:
    """The saved measurements (computed and saved first if the file is missing)."""
    return saved_json(MEASUREMENTS_PATH, compute_measurements)


def main() -> None:
    MEASUREMENTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    MEASUREMENTS_PATH.write_text(json.dumps(compute_measurements(), indent=1))
    print(MEASUREMENTS_PATH.read_text())
    run = compare_runs()
    torch.save(run, TRAINING_PATH)
    print(f"{run['settings']['steps']} steps on {run['source']}: max loss difference "
          f"{run['max_loss_diff']:.3g}, final parameter difference {run['param_diff'][-1]:.3g}, "
          f"split losses {run['split_losses']}, seconds {run['seconds']}")


if __name__ == "__main__":
    main()
