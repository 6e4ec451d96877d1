"""Checks for chapter 4.4's sections 1-2: every intermediate's gradient by hand, compared with
autograd's name by name.

Each stage is run on three seeded batches: the chapter's sizes in float64, other sizes (and,
for batch norm, another eps) in float64, and the chapter's sizes in float32. The true gradients
come from autograd in float64 (`autograd_gradients`), and each stage gets autograd's gradient
from upstream, so a slip in one stage can't spoil the next. A gradient passes when its largest
difference from autograd's is within 1e-6 (a float64 result) or 1e-4 (a float32 one) of the
size of the gradient (its largest entry, or the stage's upstream gradient's when it is ~0,
like dlogit_maxes). The first wrong name, in the order the stage computes them, is reported
with the rule that is usually the slip; names computed from it are listed after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import torch
from torch import Tensor

from solutions import makemore_backprop as reference
from utils.checks.assertions import LearnerCodeError, call, passed

__all__ = ["test_backward_loss_steps", "test_backward_output_layer",
           "test_backward_batchnorm_steps", "test_backward_embedding"]

REL_TOL = {torch.float64: 1e-6, torch.float32: 1e-4}

# The names each stage returns, in the order it computes them (the backward pass's order).
STAGE_NAMES = {
    "backward_loss_steps": ("logprobs", "probs", "counts_sum_inv", "counts_sum", "counts",
                            "norm_logits", "logit_maxes", "logits"),
    "backward_output_layer": ("h", "W2", "b2", "hpreact"),
    "backward_batchnorm_steps": ("bngain", "bnbias", "bnraw", "bnvar_inv", "bnvar", "bndiff2",
                                 "bndiff", "bnmeani", "hprebn"),
    "backward_embedding": ("embcat", "W1", "b1", "emb", "C"),
}

# The local rule behind each name: what a wrong value usually means.
RULES = {
    "logprobs": "loss = -logprobs[range(n), Yb].mean(): only the n picked entries reach the "
                "loss, each with -1/n (a mean divides by n); every other entry's gradient is 0.",
    "probs": "logprobs = probs.log(), and d/dx log x = 1/x: dprobs = dlogprobs / probs.",
    "counts_sum_inv": "probs = counts * counts_sum_inv broadcasts counts_sum_inv (n, 1) along "
                      "each row, so its gradient sums counts * dprobs over dim 1 (keepdim).",
    "counts_sum": "counts_sum_inv = counts_sum**-1, and d/dx x^-1 = -x^-2 (mind the minus): "
                  "dcounts_sum = -counts_sum**-2 * dcounts_sum_inv.",
    "counts": "counts is used twice, in probs and in counts_sum: did you add both paths? "
              "counts_sum_inv * dprobs, plus dcounts_sum broadcast along each row.",
    "norm_logits": "counts = norm_logits.exp(), and exp is its own derivative: "
                   "dnorm_logits = counts * dcounts.",
    "logit_maxes": "norm_logits = logits - logit_maxes broadcasts logit_maxes (n, 1) along each "
                   "row: dlogit_maxes = -dnorm_logits.sum(1, keepdim=True).",
    "logits": "logits is used twice, in norm_logits and in logit_maxes: dnorm_logits plus "
              "dlogit_maxes at each row's argmax (one_hot of logits.max(1).indices).",
    "h": "logits = h @ W2 + b2: dh = dlogits @ W2.T, the one product of those two with h's "
         "shape (n, hidden).",
    "W2": "logits = h @ W2 + b2: dW2 = h.T @ dlogits, (hidden, n) @ (n, vocab).",
    "b2": "b2 is added to every row, so db2 sums dlogits over the batch (dim 0): shape (vocab,).",
    "hpreact": "h = tanh(hpreact), and tanh' = 1 - tanh^2 = 1 - h**2 (the output h, not "
               "hpreact): dhpreact = (1 - h**2) * dh.",
    "bngain": "bngain (1, hidden) is broadcast over the batch: dbngain = (bnraw * dhpreact)"
              ".sum(0, keepdim=True), shape (1, hidden).",
    "bnbias": "bnbias (1, hidden) is broadcast over the batch: dbnbias = dhpreact.sum(0, "
              "keepdim=True).",
    "bnraw": "hpreact = bngain * bnraw + bnbias: dbnraw = bngain * dhpreact.",
    "bnvar_inv": "bnraw = bndiff * bnvar_inv broadcasts bnvar_inv (1, hidden) over the batch: "
                 "(bndiff * dbnraw).sum(0, keepdim=True).",
    "bnvar": "bnvar_inv = (bnvar + eps)**-0.5, whose derivative is -0.5 * (bnvar + eps)**-1.5 "
             "(with the eps you were given).",
    "bndiff2": "bnvar = bndiff2.sum(0, keepdim=True) / n: a sum hands its gradient to every "
               "term, so dbndiff2 is dbnvar / n repeated on every row, shape (n, hidden).",
    "bndiff": "bndiff is used twice, in bnraw and in bndiff2: did you add both paths? "
              "bnvar_inv * dbnraw + 2 * bndiff * dbndiff2.",
    "bnmeani": "bndiff = hprebn - bnmeani broadcasts bnmeani over the batch: dbnmeani = "
               "-dbndiff.sum(0, keepdim=True).",
    "hprebn": "hprebn is used twice, in bndiff and in bnmeani: did you add the mean's path? "
              "dbndiff + dbnmeani / n on every row.",
    "embcat": "hprebn = embcat @ W1 + b1: dembcat = dhprebn @ W1.T.",
    "W1": "hprebn = embcat @ W1 + b1: dW1 = embcat.T @ dhprebn, (block * n_embd, n) @ "
          "(n, hidden).",
    "b1": "b1 is added to every row: db1 = dhprebn.sum(0), shape (hidden,).",
    "emb": "embcat = emb.view(n, -1) only relabels the numbers: demb is dembcat viewed back "
           "to emb's shape (n, block, n_embd).",
    "C": "emb = C[Xb] reads row i of C once for every position of Xb holding i, and indices "
         "repeat: add every position's demb into its row (a loop with +=, index_add_, or a "
         "one-hot matrix product). dC[Xb] = demb keeps only one of the repeated writes.",
}


@dataclass(frozen=True)
class Case:
    """One seeded batch: the sizes, the dtype the stages see, and eps."""

    what: str
    n: int = 32
    vocab: int = 27
    block: int = 3
    n_embd: int = 10
    hidden: int = 64
    dtype: torch.dtype = torch.float64
    eps: float = 1e-5
    seed: int = 4


CASES = (
    Case("a float64 batch of 32 (vocab 27, block 3, n_embd 10, hidden 64)"),
    Case("a float64 batch of 7 (vocab 11, block 4, n_embd 5, hidden 13, eps 0.1)", n=7,
         vocab=11, block=4, n_embd=5, hidden=13, eps=0.1, seed=5),
    Case("a float32 batch of 32 (vocab 27, block 3, n_embd 10, hidden 64)",
         dtype=torch.float32),
)


@dataclass
class Batch:
    """What a stage is given (in the case's dtype) and autograd's answers (float64)."""

    case: Case
    Xb: Tensor
    Yb: Tensor
    cache: dict[str, Tensor]
    params: dict[str, Tensor]
    true: dict[str, Tensor]

    def given_cache(self) -> dict[str, Tensor]:
        """A fresh copy for each call: a learner's in-place change can't leak into the next."""
        return {k: v.to(self.case.dtype).clone() for k, v in self.cache.items()}

    def given_params(self) -> dict[str, Tensor]:
        return {k: v.to(self.case.dtype).clone() for k, v in self.params.items()}

    def upstream(self, name: str) -> Tensor:
        return self.true[name].to(self.case.dtype).clone()


_BATCHES: dict[Case, Batch] = {}


def batch(case: Case) -> Batch:
    """The case's batch and autograd's gradients, computed in float64 from parameters drawn in
    float32 (so the float32 case's inputs are exactly the float64 truth's, rounded)."""
    if case not in _BATCHES:
        generator = torch.Generator().manual_seed(case.seed)
        drawn = reference.init_params(case.vocab, case.block, case.n_embd, case.hidden,
                                      generator)
        params = {k: v.detach().to(case.dtype).double().requires_grad_()
                  for k, v in drawn.items()}
        Xb = torch.randint(0, case.vocab, (case.n, case.block), generator=generator)
        Yb = torch.randint(0, case.vocab, (case.n,), generator=generator)
        cache, true = reference.autograd_gradients(params, Xb, Yb, case.eps)
        _BATCHES[case] = Batch(case, Xb, Yb, cache,
                               {k: v.detach() for k, v in params.items()}, true)
    return _BATCHES[case]


def _scale(expected: Tensor, floor: float) -> float:
    return max(expected.abs().max().item(), floor)


def _pattern(got: Tensor, expected: Tensor, n: int) -> str:
    """A recognisable signature of a wrong value, if any."""
    nonzero = expected.abs() > 1e-3 * expected.abs().max()
    if not nonzero.any():
        return ""
    g, e = got[nonzero], expected[nonzero]
    if torch.allclose(g, -e, rtol=1e-3, atol=0):
        return " Your values have the opposite sign of autograd's."
    ratio = g / e
    factor = ratio.median().item()
    if abs(factor - 1) > 1e-2 and torch.allclose(ratio, torch.full_like(ratio, factor),
                                                  rtol=1e-3):
        extra = (f" (a factor of n = {n}: a mean divides by n)" if abs(factor - n) < 1e-3 * n
                 or abs(factor - 1 / n) < 1e-3 / n else
                 f" (n / (n - 1) with n = {n}: Bessel's correction, as in Karpathy's lecture; "
                 f"this chapter's bnvar divides by n, as torch's BatchNorm1d does in training)"
                 if n > 1 and abs(factor - n / (n - 1)) < 1e-4 else "")
        return f" Your values are all {factor:.4g} times autograd's{extra}."
    return ""


def _as_grads(got: Any, exercise: str, names: tuple[str, ...], what: str) -> dict[str, Any]:
    if not isinstance(got, dict):
        raise AssertionError(f"{exercise} on {what}: should return a dict of gradients by name "
                             f"({', '.join(repr(n) for n in names)}), got "
                             f"{type(got).__name__}.")
    missing = [name for name in names if name not in got]
    if missing:
        prefixed = [name for name in missing if f"d{name}" in got]
        hint = (f" Name each gradient after its tensor: {prefixed[0]!r}, not 'd{prefixed[0]}'."
                if prefixed else "")
        where = "params" if missing[0] in reference.PARAM_NAMES else "cache"
        raise AssertionError(
            f"{exercise} on {what}: the dict has no {', '.join(repr(n) for n in missing)} (the "
            f"gradient of the loss with respect to {where}[{missing[0]!r}]). It should hold "
            f"{', '.join(repr(n) for n in names)}; yours has "
            f"{', '.join(repr(k) for k in got) or 'nothing'}.{hint}")
    return got


def _problem(name: str, got: Any, expected: Tensor, floor: float, n: int) -> str | None:
    """Why `got` is not autograd's gradient of `name`, or None if it is."""
    if not isinstance(got, Tensor):
        return f"should be a tensor, got {type(got).__name__}."
    if tuple(got.shape) != tuple(expected.shape):
        return (f"should have the shape of {name}, {tuple(expected.shape)}; got "
                f"{tuple(got.shape)}.")
    if not got.is_floating_point():
        return f"should be a floating-point tensor, got {got.dtype}."
    got64 = got.detach().double()
    if not torch.isfinite(got64).all():
        return "has inf or nan in it (a division by zero, or an overflowing exp?)."
    diff = (got64 - expected).abs().max().item()
    tol = REL_TOL.get(got.dtype, REL_TOL[torch.float32]) * _scale(expected, floor)
    if diff <= tol:
        return None
    return (f"has the wrong values: its largest difference from autograd's is {diff:.3g} "
            f"(autograd's largest entry is {expected.abs().max().item():.3g})."
            + _pattern(got64, expected, n))


def _check_stage(exercise: str, run: Callable[[Batch], Any], upstream: str | None) -> None:
    """Run `run` (the learner's stage on a batch) on each case and compare its dict name by
    name; `upstream` names the gradient the stage is given (None: the loss itself)."""
    names = STAGE_NAMES[exercise]
    for case in CASES:
        b = batch(case)
        what = case.what
        try:
            got = run(b)
        except LearnerCodeError as err:
            hint = (" A matrix product whose shapes don't fit: pick each product's order so "
                    "that its result has the gradient's shape." if "cannot be multiplied" in
                    str(err) else "")
            hint += (" Mixing dtypes? Make new tensors in the cache's dtype (torch.zeros_like, "
                     "or dtype=...)." if "dtype" in str(err) or "Double" in str(err) else "")
            if not hint:
                raise
            raise LearnerCodeError(f"{err}.{hint}") from err.__cause__
        grads = _as_grads(got, exercise, names, what)
        floor = (1.0 / case.n if upstream is None else b.true[upstream].abs().max().item())
        problems = [(name, _problem(name, grads[name], b.true[name], floor, case.n))
                    for name in names]
        wrong = [(name, p) for name, p in problems if p is not None]
        if not wrong:
            continue
        name, problem = wrong[0]
        later = [w for w, _ in wrong[1:]]
        rest = (f" Also wrong after it: {', '.join(later)} (computed from it, they may come "
                f"right once it is)." if later else "")
        raise AssertionError(f"{exercise} on {what}: grads[{name!r}] {problem} "
                             f"{RULES[name]}{rest}")
    passed(f"test_{exercise}")


def test_backward_loss_steps(backward_loss_steps: Callable) -> None:
    _check_stage("backward_loss_steps",
                 lambda b: call(backward_loss_steps, b.given_cache(), b.Yb.clone(),
                                context=f"on {b.case.what}"), None)


def test_backward_output_layer(backward_output_layer: Callable) -> None:
    _check_stage("backward_output_layer",
                 lambda b: call(backward_output_layer, b.given_cache(), b.given_params(),
                                b.upstream("logits"), context=f"on {b.case.what}"), "logits")


def test_backward_batchnorm_steps(backward_batchnorm_steps: Callable) -> None:
    _check_stage("backward_batchnorm_steps",
                 lambda b: call(backward_batchnorm_steps, b.given_cache(), b.given_params(),
                                b.upstream("hpreact"), b.case.eps, context=f"on {b.case.what}"),
                 "hpreact")


def test_backward_embedding(backward_embedding: Callable) -> None:
    _check_stage("backward_embedding",
                 lambda b: call(backward_embedding, b.given_cache(), b.given_params(),
                                b.upstream("hprebn"), b.Xb.clone(), context=f"on {b.case.what}"),
                 "hprebn")
