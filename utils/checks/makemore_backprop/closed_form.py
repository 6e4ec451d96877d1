"""Checks for chapter 4.4's sections 3-5: cross-entropy and batch norm backward in closed form,
and training with hand-written gradients.

The closed forms are compared with autograd's gradient of torch's own ops (`F.cross_entropy`,
`F.batch_norm` in training mode) on seeded inputs, float64 tightly and float32 within its
rounding; a short training run is compared step by step with the same model trained by
autograd from the same generator. None of the three may use autograd itself: each runs under a
watch that notices `.backward()`, `torch.autograd.grad` and any operation that records a graph.
Where a wrong answer has a recognisable signature (n times too large, the one-hot never
subtracted, the n - 1 variance, a missing term...) the message names the slip.

`train_manual` may call the chapter's other functions; while it is checked, those names in the
learner's module are the reference's, so a slip in one exercise is not blamed on another.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.overrides import TorchFunctionMode

from solutions import makemore_backprop as reference
from solutions.makemore_mlp import build_dataset
from utils.checks.assertions import assert_close, call, describe, passed
from utils.checks.learner_names import reference_names
from utils.checks.makemore_mlp.model import NAMES, STOI
from utils.checks.training_runs import first_difference, named_slip
from utils.experiments.makemore_backprop.closed_form import train_autograd

__all__ = ["test_cross_entropy_backward", "test_batchnorm_backward", "test_train_manual"]


class _AutogradWatch(TorchFunctionMode):
    """Notes `.backward()`, `torch.autograd.grad` and every operation that records a graph."""

    def __init__(self) -> None:
        super().__init__()
        self.backward = False
        self.graph = False

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if func in (Tensor.backward, torch.autograd.grad, torch.autograd.backward):
            self.backward = True
        out = func(*args, **(kwargs or {}))
        results = out if isinstance(out, (tuple, list)) else (out,)
        if any(isinstance(r, Tensor) and r.grad_fn is not None for r in results):
            self.graph = True
        return out


def _no_autograd(watch: _AutogradWatch, what: str) -> None:
    if watch.backward:
        raise AssertionError(f"{what}: it called .backward() or torch.autograd.grad. The point of "
                             "this exercise is to write the gradient yourself, without autograd.")
    if watch.graph:
        raise AssertionError(f"{what}: it recorded an autograd graph (some operation's result has "
                             "a grad_fn, e.g. a tensor made with requires_grad=True). Compute the "
                             "gradient from its formula, with no autograd involved.")


def _unchanged(before: dict[str, Tensor], after: dict[str, Tensor], what: str) -> None:
    for name, saved in before.items():
        now = after[name]
        if now.shape != saved.shape or not torch.equal(now, saved):
            raise AssertionError(f"{what}: it changed its input `{name}` in place. Work on new "
                                 "tensors (torch.softmax, x - mean, ... return new ones); the "
                                 "caller still needs its inputs.")


# ---------------------------------------------------------------------------------------------
# Section 3: cross-entropy


def _ce_autograd(logits: Tensor, targets: Tensor) -> Tensor:
    z = logits.detach().clone().requires_grad_()
    F.cross_entropy(z, targets).backward()
    return z.grad


def _ce_variants(logits: Tensor, targets: Tensor) -> dict[str, Tensor]:
    """What common slips give (float64), to name the one a wrong answer made."""
    z = logits.double()
    n, v = z.shape
    onehot = F.one_hot(targets, v).double()
    p = torch.softmax(z, 1)
    out = {
        f"That is n = {n} times the gradient: the loss is the *mean* over the rows, so divide "
        "by n.": p - onehot,
        "The one-hot of the targets is missing: subtract 1 at each row's target column.":
            p / n,
        "The softmax is taken over dim 0 (down the batch); each row's probabilities are over "
        "the classes, dim 1.": (torch.softmax(z, 0) - onehot) / n,
        f"That divides by the number of classes, v = {v}; the mean is over the n = {n} rows.":
            (p - onehot) / v,
        "The sign is flipped: it is softmax minus one-hot (the loss falls as the target's "
        "probability rises).": (onehot - p) / n,
        "That uses log-softmax; the gradient is the softmax itself minus the one-hot.":
            (torch.log_softmax(z, 1) - onehot) / n,
    }
    every_target = p.clone()
    every_target[:, targets] -= 1
    out["`d[:, targets] -= 1` subtracts at every row's target in every row; pick one entry per "
        "row with `d[torch.arange(n), targets]`."] = every_target / n
    return out


CE_CASES = (  # n, v, dtype, logit scale, seed
    (4, 5, torch.float64, 2.0, 0),
    (1, 6, torch.float64, 3.0, 1),  # one row: the mean is that row's loss
    (5, 5, torch.float64, 1.0, 2),  # square: a softmax over the wrong dim does not crash
    (32, 27, torch.float32, 2.0, 3),  # the chapter's minibatch
    (7, 3, torch.float32, 1.0, 4),
    (6, 8, torch.float32, 1000.0, 5),  # logits in the thousands: exp() overflows
    (3, 27, torch.float64, 50.0, 6),  # confident rows: probabilities near 0 and 1
)


def _ce_case(fn: Callable, n: int, v: int, dtype: torch.dtype, scale: float, seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    logits = (torch.randn((n, v), generator=gen, dtype=torch.float64) * scale).to(dtype)
    targets = torch.randint(0, v, (n,), generator=gen)
    given = f"logits of shape ({n}, {v}), {dtype}, entries up to about {scale * 3:g}"
    what = f"cross_entropy_backward on {given}"
    inputs = {"logits": logits.clone(), "targets": targets.clone()}
    watch = _AutogradWatch()
    with watch:
        got = call(fn, inputs["logits"], inputs["targets"], context=f"on {given}")
    _no_autograd(watch, what)
    _unchanged({"logits": logits, "targets": targets}, inputs, what)
    expected = _ce_autograd(logits, targets)
    if not isinstance(got, Tensor):
        raise AssertionError(f"{what}: should return a tensor, got {describe(got)}.")
    if tuple(got.shape) == (n, v) and got.is_floating_point():
        g64 = got.detach().double()
        if not torch.isfinite(g64).all() and torch.isfinite(expected).all():
            raise AssertionError(
                f"{what}: the result has inf or nan where the gradient is finite. exp() of a "
                f"logit this large overflows {dtype}; subtract each row's maximum first (the "
                "softmax does not change), as torch.softmax does inside.")
        tol = 1e-5 if dtype == torch.float32 else 1e-11
        if not torch.allclose(g64, expected.double(), atol=tol / n, rtol=1e-4):
            for hint, value in _ce_variants(logits, targets).items():
                if torch.allclose(g64, value, atol=tol / n, rtol=1e-4):
                    raise AssertionError(f"{what}: wrong gradient. {hint}")
    assert_close(got, expected, what, atol=(1e-5 if dtype == torch.float32 else 1e-11) / n,
                 rtol=1e-4, same_dtype=True)


def test_cross_entropy_backward(cross_entropy_backward: Callable) -> None:
    for case in CE_CASES:
        _ce_case(cross_entropy_backward, *case)
    passed("test_cross_entropy_backward")


# ---------------------------------------------------------------------------------------------
# Section 4: batch norm


def _bn_autograd(dout: Tensor, x: Tensor, gamma: Tensor, eps: float) -> Tensor:
    """dL/dx through torch's training-mode batch norm, for L = sum(dout * y)."""
    z = x.detach().clone().requires_grad_()
    y = F.batch_norm(z, None, None, weight=gamma.reshape(-1), bias=None, training=True, eps=eps)
    (y * dout).sum().backward()
    return z.grad


def _bn_variants(dout: Tensor, x: Tensor, gamma: Tensor, eps: float) -> dict[str, Tensor]:
    """What common slips give (float64), to name the one a wrong answer made."""
    dout, x, gamma = dout.double(), x.double(), gamma.double().reshape(1, -1)
    n = x.shape[0]
    mean = x.mean(0, keepdim=True)
    var = ((x - mean) ** 2).mean(0, keepdim=True)
    inv = (var + eps) ** -0.5
    xhat = (x - mean) * inv
    s1, s2 = dout.sum(0, keepdim=True), (dout * xhat).sum(0, keepdim=True)
    out: dict[str, Tensor] = {}
    var_u = ((x - mean) ** 2).sum(0, keepdim=True) / (n - 1)
    inv_u = (var_u + eps) ** -0.5
    xhat_u = (x - mean) * inv_u
    out["That is the gradient with the unbiased variance (sum / (n - 1), Karpathy's lecture). "
        "This batch norm, like nn.BatchNorm1d in training, divides by n: the result's third "
        "term then has no n / (n - 1)."] = \
        gamma * inv_u / n * (n * dout - s1 - n / (n - 1) * xhat_u * (dout * xhat_u).sum(0, True))
    out["x.var(0) (and x.std(0)) divide by n - 1 unless told otherwise: pass unbiased=False "
        "(or correction=0), or compute ((x - mean) ** 2).mean(0). This batch norm, like "
        "nn.BatchNorm1d in training, uses the biased variance."] = \
        gamma * inv_u / n * (n * dout - s1 - xhat_u * (dout * xhat_u).sum(0, True))
    out["The third term carries n / (n - 1): that factor belongs to the unbiased variance; with "
        "the biased one (divide by n) it is 1."] = \
        gamma * inv / n * (n * dout - s1 - n / (n - 1) * xhat * s2)
    out["The term through the mean is missing: -sum(dout) over the batch."] = \
        gamma * inv / n * (n * dout - xhat * s2)
    out["The term through the variance is missing: -xhat * sum(dout * xhat) over the batch."] = \
        gamma * inv / n * (n * dout - s1)
    out["The direct term is missing: n * dout, the path that does not go through the batch's "
        "statistics."] = gamma * inv / n * (-s1 - xhat * s2)
    out["gamma is missing: y = gamma * xhat + beta, so every path to x goes through gamma."] = \
        inv / n * (n * dout - s1 - xhat * s2)
    inv0 = var.clamp_min(1e-300) ** -0.5
    xhat0 = (x - mean) * inv0
    out["eps is missing: the forward pass divides by sqrt(var + eps), so inv_std is "
        "(var + eps) ** -0.5."] = \
        gamma * inv0 / n * (n * dout - s1 - xhat0 * (dout * xhat0).sum(0, keepdim=True))
    if eps != 1e-5:
        inv5 = (var + 1e-5) ** -0.5
        xhat5 = (x - mean) * inv5
        out[f"That is the gradient for eps = 1e-5, not the eps passed in ({eps:g}): use the "
            "argument."] = \
            gamma * inv5 / n * (n * dout - s1 - xhat5 * (dout * xhat5).sum(0, keepdim=True))
    inv_s = 1 / (var.sqrt() + eps)
    xhat_s = (x - mean) * inv_s
    out["That divides by sqrt(var) + eps; batch norm divides by sqrt(var + eps), eps inside "
        "the root."] = \
        gamma * inv_s / n * (n * dout - s1 - xhat_s * (dout * xhat_s).sum(0, keepdim=True))
    out["The variance term uses sum(dout) instead of sum(dout * xhat)."] = \
        gamma * inv / n * (n * dout - s1 - xhat * s1)
    out["The sign of the mean and variance terms is flipped: both are subtracted."] = \
        gamma * inv / n * (n * dout + s1 + xhat * s2)
    mean1 = x.mean(1, keepdim=True)
    var1 = ((x - mean1) ** 2).mean(1, keepdim=True)
    inv1 = (var1 + eps) ** -0.5
    xhat1 = (x - mean1) * inv1
    c = x.shape[1]
    out["The statistics are taken over dim 1 (each row's features, as layer norm does); batch "
        "norm averages each column over the batch, dim 0."] = \
        gamma * inv1 / c * (c * dout - dout.sum(1, keepdim=True)
                            - xhat1 * (dout * xhat1).sum(1, keepdim=True))
    out["A sum over the batch is laid out as a column ([:, None] or keepdim on the wrong dim): "
        "a (1, c) row must broadcast down the rows."] = \
        gamma * inv / n * (n * dout - s1.T - xhat * s2.T) if x.shape[0] == x.shape[1] \
        else torch.full_like(x, math.nan)
    return out


BN_CASES = (  # n, c, dtype, gamma shape is (1, c), eps, seed
    (5, 5, torch.float64, False, 0.1, 2),  # square first: a wrong dim does not crash here
    (4, 3, torch.float64, False, 1e-5, 0),
    (32, 64, torch.float64, True, 1e-5, 1),  # the chapter's hidden layer
    (2, 6, torch.float64, True, 1e-5, 3),  # the smallest batch
    (8, 4, torch.float64, False, 1.0, 4),  # a large eps: forgetting it shows
    (16, 8, torch.float32, True, 1e-5, 5),
    (10, 7, torch.float32, False, 1e-3, 6),
)


def _bn_inputs(n: int, c: int, dtype: torch.dtype, row_gamma: bool, seed: int
               ) -> tuple[Tensor, Tensor, Tensor]:
    gen = torch.Generator().manual_seed(seed)
    scale = torch.rand((1, c), generator=gen, dtype=torch.float64) * 2 + 0.2
    offset = torch.randn((1, c), generator=gen, dtype=torch.float64) * 3
    x = torch.randn((n, c), generator=gen, dtype=torch.float64) * scale + offset
    dout = torch.randn((n, c), generator=gen, dtype=torch.float64)
    gamma = torch.randn(c, generator=gen, dtype=torch.float64) * 0.5 + 1.0
    gamma = gamma.view(1, c) if row_gamma else gamma
    return dout.to(dtype), x.to(dtype), gamma.to(dtype)


def _bn_case(fn: Callable, n: int, c: int, dtype: torch.dtype, row_gamma: bool, eps: float,
             seed: int, pass_eps: bool = True) -> None:
    dout, x, gamma = _bn_inputs(n, c, dtype, row_gamma, seed)
    given = (f"x of shape ({n}, {c}), {dtype}, gamma of shape {tuple(gamma.shape)}, "
             + (f"eps={eps:g}" if pass_eps else "eps left at its default"))
    what = f"batchnorm_backward with {given}"
    inputs = {"dout": dout.clone(), "x": x.clone(), "gamma": gamma.clone()}
    args = (inputs["dout"], inputs["x"], inputs["gamma"]) + ((eps,) if pass_eps else ())
    watch = _AutogradWatch()
    with watch:
        got = call(fn, *args, context=f"with {given}")
    _no_autograd(watch, what)
    _unchanged({"dout": dout, "x": x, "gamma": gamma}, inputs, what)
    expected = _bn_autograd(dout.double(), x.double(), gamma.double(), eps)
    if not isinstance(got, Tensor):
        raise AssertionError(f"{what}: should return a tensor, got {describe(got)}.")
    # float32 loses digits where the three terms nearly cancel: measure against the scale.
    size = expected.abs().max().item()
    atol, rtol = (2e-5 * size, 1e-4) if dtype == torch.float32 else (1e-10 * size, 1e-8)
    if tuple(got.shape) == (n, c) and got.is_floating_point():
        g64 = got.detach().double()
        if not torch.allclose(g64, expected, atol=atol, rtol=rtol):
            for hint, value in _bn_variants(dout, x, gamma, eps).items():
                if torch.allclose(g64, value, atol=atol, rtol=rtol):
                    raise AssertionError(f"{what}: wrong gradient. {hint}")
    elif isinstance(got, Tensor) and tuple(got.shape) in ((c, c), (n, n), (c, n)):
        raise AssertionError(f"{what}: should have x's shape ({n}, {c}), got "
                             f"{tuple(got.shape)}: a sum over the batch broadcast as a column "
                             "((c, 1) or (n, 1)) against an (n, c) tensor? Keep the batch's "
                             "sums and statistics as (1, c) rows: .sum(0, keepdim=True).")
    assert_close(got, expected.to(dtype), what, atol=atol, rtol=rtol, same_dtype=True)


def test_batchnorm_backward(batchnorm_backward: Callable) -> None:
    for case in BN_CASES:
        _bn_case(batchnorm_backward, *case)
    _bn_case(batchnorm_backward, 6, 5, torch.float64, True, 1e-5, 7, pass_eps=False)
    passed("test_batchnorm_backward")


# ---------------------------------------------------------------------------------------------
# Section 5: training with hand-written gradients


def _manual_with_slip(params: dict[str, Tensor], X: Tensor, Y: Tensor, steps: int, lr: float,
                      batch_size: int, generator: torch.Generator, slip: str) -> list[float]:
    """The reference loop with one known slip (to name the mistake a learner made)."""
    p, losses = params, []
    with torch.no_grad():
        for _ in range(steps):
            if slip == "two_draws":
                Xb = X[torch.randint(0, X.shape[0], (batch_size,), generator=generator)]
                Yb = Y[torch.randint(0, X.shape[0], (batch_size,), generator=generator)]
            else:
                ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
                Xb, Yb = X[ix], Y[ix]
            c = reference.forward_pass(p, Xb, Yb)
            dlogits = reference.cross_entropy_backward(c["logits"], Yb)
            g = {"W2": c["h"].T @ dlogits, "b2": dlogits.sum(0)}
            dhpreact = (1.0 - c["h"] ** 2) * (dlogits @ p["W2"].T)
            g["bngain"] = (c["bnraw"] * dhpreact).sum(0, keepdim=True)
            g["bnbias"] = dhpreact.sum(0, keepdim=True)
            if slip == "unbiased":
                x, n = c["hprebn"], c["hprebn"].shape[0]
                mean = x.mean(0, keepdim=True)
                inv = (((x - mean) ** 2).sum(0, keepdim=True) / (n - 1) + 1e-5) ** -0.5
                xhat = (x - mean) * inv
                dhprebn = p["bngain"] * inv / n * (
                    n * dhpreact - dhpreact.sum(0, keepdim=True)
                    - n / (n - 1) * xhat * (dhpreact * xhat).sum(0, keepdim=True))
            else:
                dhprebn = reference.batchnorm_backward(dhpreact, c["hprebn"], p["bngain"])
            g["W1"] = c["embcat"].T @ dhprebn
            g["b1"] = dhprebn.sum(0)
            demb = (dhprebn @ p["W1"].T).view(c["emb"].shape)
            g["C"] = torch.zeros_like(p["C"])
            if slip == "assign":
                g["C"][Xb] = demb
            else:
                g["C"].index_add_(0, Xb.reshape(-1), demb.reshape(-1, demb.shape[-1]))
            for name, tensor in p.items():
                if slip == "no_bn_update" and name in ("bngain", "bnbias"):
                    continue
                tensor -= (-lr if slip == "ascent" else lr) * g[name]
            if slip == "after":
                c = reference.forward_pass(p, Xb, Yb)
            losses.append(c["loss"].item())
    return losses


TRAIN_SLIPS = {
    "ascent": "the parameters moved up the gradient: the update is p -= lr * grad",
    "two_draws": "the inputs and the targets come from two different draws; draw one ix per "
                 "step and take X[ix] and Y[ix]",
    "assign": "dC was filled by assignment (dC[Xb] = demb), which keeps one gradient per "
              "embedding row when the minibatch uses that symbol several times; add them up "
              "(dC.index_add_(0, Xb.view(-1), demb.view(-1, n_embd)) or a loop with +=)",
    "unbiased": "the batch norm's gradient used the unbiased variance (n - 1); forward_pass "
                "divides by n, so the closed form must too",
    "no_bn_update": "bngain and bnbias never changed: they are parameters too, with gradients "
                    "(bnraw * dhpreact).sum(0, keepdim=True) and dhpreact.sum(0, keepdim=True)",
    "after": "each loss was measured after its update: record the forward pass's loss first",
}

TRAIN_CASES = (  # (vocab, block, embd, hidden), number of names, steps, batch, lr, seed
    ((27, 3, 4, 16), 20, 12, 8, 0.1, 0),
    ((27, 3, 10, 64), 36, 10, 32, 0.1, 1),  # the chapter's model and minibatch
    ((27, 2, 3, 10), 36, 15, 16, 0.5, 2),
)


def _train_case(fn: Callable, sizes: tuple[int, int, int, int], n_names: int, steps: int,
                batch_size: int, lr: float, seed: int) -> None:
    X, Y = build_dataset(NAMES[:n_names], sizes[1], STOI)
    params = reference.init_params(*sizes, generator=torch.Generator().manual_seed(seed))
    start = {k: v.detach().clone() for k, v in params.items()}
    ids = {k: id(v) for k, v in params.items()}
    given = (f"{steps} steps, batch_size={batch_size}, lr={lr}, on {n_names} names, "
             f"block_size={sizes[1]}, n_embd={sizes[2]}, n_hidden={sizes[3]}, generator seeded "
             f"with {seed}")
    what = f"train_manual ({given})"
    watch = _AutogradWatch()
    with watch:
        got = call(fn, params, X.clone(), Y.clone(), steps, lr, batch_size,
                   torch.Generator().manual_seed(seed), context=f"({given})")
    if watch.backward or any(p.grad is not None for p in params.values()):
        raise AssertionError(f"{what}: it called .backward() (the parameters' .grad is filled). "
                             "Here every gradient comes from your own formulas: "
                             "cross_entropy_backward, batchnorm_backward and the layers' rules.")
    if watch.graph:
        raise AssertionError(f"{what}: its forward pass recorded an autograd graph (the "
                             "parameters require grad, so every operation on them builds one), "
                             "which nothing uses. Run each step inside `with torch.no_grad():`.")
    twin = {k: v.clone().requires_grad_() for k, v in start.items()}
    expected = train_autograd(twin, X, Y, steps, lr, batch_size,
                             torch.Generator().manual_seed(seed))
    if not isinstance(got, (list, tuple)) or len(got) != steps:
        raise AssertionError(f"{what}: should return a list of {steps} losses, one per step; "
                             f"got {describe(got)}.")
    if not all(isinstance(v, float) for v in got):
        kinds = sorted({type(v).__name__ for v in got})
        raise AssertionError(f"{what}: the losses should be Python floats (loss.item()), got "
                             f"{', '.join(kinds)}.")
    for k in reference.PARAM_NAMES:
        if id(params[k]) != ids[k]:
            raise AssertionError(f"{what}: params[{k!r}] is a new tensor after training. Update "
                                 "the parameters in place (`p -= lr * grad`), so the caller's "
                                 "tensors are the trained ones.")
    if all(torch.equal(params[k].detach(), start[k]) for k in reference.PARAM_NAMES):
        raise AssertionError(f"{what}: the parameters did not change: update each one in place, "
                             "p -= lr * grad.")
    step = first_difference(got, expected)
    if step is not None:
        g, e = got[step], expected[step]
        hint = named_slip(got, TRAIN_SLIPS, lambda slip: _manual_with_slip(
            {k: v.clone() for k, v in start.items()}, X, Y, steps, lr, batch_size,
            torch.Generator().manual_seed(seed), slip))
        if not hint and step == 0:
            hint = (" The first loss is the loss of the first minibatch before any update: draw "
                    "it with torch.randint(0, X.shape[0], (batch_size,), generator=generator), "
                    "and nothing else from the generator.")
        elif not hint:
            hint = (" The first step agrees, so the minibatch is right; some gradient is not. "
                    "Check each one against autograd as in section 2, or look at which "
                    "parameter differs below.")
            for k in reference.PARAM_NAMES:
                diff = (params[k].detach() - twin[k].detach()).abs().max().item()
                if diff > 1e-4:
                    hint += f" After training, params[{k!r}] differs by up to {diff:.2g}."
                    break
        raise AssertionError(f"{what}: loss {step} should be {e:.6f} (autograd's run from the "
                             f"same generator), got {g:.6f}.{hint}")
    for k in reference.PARAM_NAMES:
        assert_close(params[k].detach(), twin[k].detach(),
                     f"{what}: params[{k!r}] after training, against autograd's run",
                     atol=1e-5, rtol=1e-4)


def _chapter_names() -> tuple[str, ...]:
    """The chapter's functions a learner's train_manual may call (not train_manual itself)."""
    return tuple(name for name, value in vars(reference).items()
                 if callable(value) and getattr(value, "__module__", None) == reference.__name__
                 and name != "train_manual" and not name.startswith("_"))


def test_train_manual(train_manual: Callable) -> None:
    namespace: Any = getattr(train_manual, "__globals__", None)
    with reference_names(namespace, reference, _chapter_names()):
        for case in TRAIN_CASES:
            _train_case(train_manual, *case)
    passed("test_train_manual")
