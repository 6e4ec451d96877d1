"""Checks for chapter 2's fitting sections: `fit_line` (section 5) and `layer_outputs` (section 6).

`fit_line` is checked twice over: step by step against gradient descent computed here in float64
(a few steps from (0, 0), where each usual slip gives a different path, so the message can name
it), then after many steps against the least-squares line it should reach. `layer_outputs` runs
on small `nn.Sequential`s (one that changes the width, one holding a Sequential) and must return
a plain list, one detached tensor per direct layer, leaving the grid as it was.
"""

from __future__ import annotations

import math
from typing import Callable

import torch as t
from torch import Tensor, nn

from utils.checks.assertions import assert_close, call, describe, passed

__all__ = ["test_fit_line", "test_layer_outputs"]


# --- fit_line ------------------------------------------------------------------------------------

def _descend(x: Tensor, y: Tensor, lr: float, steps: int, slip: str = "") -> tuple[float, float]:
    """Gradient descent on the mean squared error from (0, 0) in float64, or with one usual
    slip, so a wrong answer can be recognised by its path."""
    x, y = x.double(), y.double()
    n = len(x)
    a = b = 0.0
    sum_a = sum_b = 0.0  # gradients added up, for the slip of never zeroing them
    for _ in range(steps):
        r = a * x + b - y
        grad_a, grad_b = float(2 * (r * x).sum()) / n, float(2 * r.sum()) / n
        if slip == "sum":
            grad_a, grad_b = grad_a * n, grad_b * n
        elif slip == "half":
            grad_a, grad_b = grad_a / 2, grad_b / 2
        elif slip == "ascent":
            grad_a, grad_b = -grad_a, -grad_b
        elif slip == "no_intercept":
            grad_b = 0.0
        elif slip == "accumulate":
            sum_a, sum_b = sum_a + grad_a, sum_b + grad_b
            grad_a, grad_b = sum_a, sum_b
        a = a - lr * grad_a
        if slip == "sequential":  # b's gradient taken after a has already moved
            grad_b = float(2 * (a * x + b - y).sum()) / n
        b = b - lr * grad_b
    return a, b


SLIPS = {
    "sum": "Your line follows the gradient of the *sum* of squared errors, n times too big: the "
           "loss is the mean (divide by n, or use .mean()).",
    "half": "Your steps are half as long as they should be: the derivative of r² is 2r, so "
            "the gradient carries a factor 2.",
    "ascent": "Your line moves uphill: subtract lr times the gradient (a gradient sign error).",
    "no_intercept": "Your intercept never moves from 0: update b too, with "
                    "dL/db = (2/n) sum of the residuals.",
    "accumulate": "Your gradients pile up from step to step: zero them after each update "
                  "(a.grad.zero_(), or set a.grad = None), or each step adds all the earlier "
                  "gradients to this one.",
    "sequential": "You update b with a gradient computed after a has already moved: compute both "
                  "derivatives at the current (a, b) first, then update both.",
}


def _is_close(got: tuple[float, float], want: tuple[float, float], tol: float = 1e-4) -> bool:
    return all(math.isfinite(g) and math.isclose(g, w, rel_tol=tol, abs_tol=tol * 0.1)
               for g, w in zip(got, want))


def _diagnosis(got: tuple[float, float], x: Tensor, y: Tensor, lr: float, steps: int) -> str:
    right = _descend(x, y, lr, steps)
    if _is_close(got, right[::-1]):
        return " Slope and intercept are swapped: return (slope, intercept)."
    for slip, message in SLIPS.items():
        if _is_close(got, _descend(x, y, lr, steps, slip)):
            return " " + message
    if not all(math.isfinite(v) for v in got):
        return (" Your line blew up: is the gradient summed instead of averaged, or its sign "
                "wrong?")
    return ""


def _fit_data(n: int, low: float, high: float, slope: float, intercept: float,
              seed: int) -> tuple[Tensor, Tensor]:
    gen = t.Generator().manual_seed(seed)
    x = low + (high - low) * t.rand(n, generator=gen)
    return x, slope * x + intercept + 0.3 * t.randn(n, generator=gen)


def _call_fit(fit_line: Callable, x: Tensor, y: Tensor, lr: float, steps: int,
              where: str) -> tuple[float, float]:
    x_in, y_in = x.clone(), y.clone()
    got = call(fit_line, x_in, y_in, lr, steps, context=where)
    if not t.equal(x_in, x) or not t.equal(y_in, y) or x_in.requires_grad or y_in.requires_grad:
        raise AssertionError(f"fit_line changed its inputs {where}: leave x and y as they are "
                             "(the parameters are a and b, not the data).")
    if not isinstance(got, tuple) or len(got) != 2:
        raise AssertionError(f"fit_line {where} should return a tuple (slope, intercept); got "
                             f"{describe(got)}.")
    for name, value in zip(("slope", "intercept"), got):
        if isinstance(value, Tensor):
            raise AssertionError(f"fit_line {where} returned the {name} as a tensor "
                                 f"({describe(value)}); return Python floats, e.g. a.item().")
        if not isinstance(value, float):
            raise AssertionError(f"fit_line {where} returned the {name} as "
                                 f"{type(value).__name__} ({describe(value)}); return a Python "
                                 "float.")
    return got


def _fmt(pair: tuple[float, float]) -> str:
    return f"(slope {pair[0]:.6g}, intercept {pair[1]:.6g})"


def test_fit_line(fit_line: Callable) -> None:
    x, y = _fit_data(8, -1.0, 2.0, 1.7, -0.6, seed=0)
    where = "with steps=0"
    got = _call_fit(fit_line, x, y, 0.05, 0, where)
    if got != (0.0, 0.0):
        raise AssertionError(f"fit_line {where} returned {_fmt(got)}; expected (0.0, 0.0), the "
                             "starting point. Start from a = 0 and b = 0, not from random values.")
    for lr, steps in ((0.05, 1), (0.05, 2), (0.1, 5), (0.3, 3)):
        where = f"on 8 points with lr={lr}, steps={steps}"
        got = _call_fit(fit_line, x, y, lr, steps, where)
        want = _descend(x, y, lr, steps)
        if not _is_close(got, want):
            raise AssertionError(f"fit_line {where} returned {_fmt(got)}; gradient descent from "
                                 f"(0, 0) gives {_fmt(want)}." + _diagnosis(got, x, y, lr, steps))
    again = _call_fit(fit_line, x, y, 0.1, 5, "called a second time with lr=0.1, steps=5")
    if again != _call_fit(fit_line, x, y, 0.1, 5, "called a third time with lr=0.1, steps=5"):
        raise AssertionError("fit_line gave two different answers to the same call: does it "
                             "start from random values?")
    for n, low, high, slope, intercept, lr, steps, seed in (
            (50, 0.0, 3.0, 1.5, 0.5, 0.1, 1500, 1),
            (30, -2.0, 2.0, -0.8, 2.0, 0.2, 400, 2)):
        x, y = _fit_data(n, low, high, slope, intercept, seed)
        where = f"on {n} points with x in [{low:g}, {high:g}], lr={lr}, steps={steps}"
        got = _call_fit(fit_line, x, y, lr, steps, where)
        design = t.stack([x, t.ones_like(x)], dim=1).double()
        best = tuple(t.linalg.lstsq(design, y.double()[:, None]).solution.ravel().tolist())
        if not _is_close(got, best, tol=1e-3):
            raise AssertionError(f"fit_line {where} returned {_fmt(got)}; after that many steps "
                                 f"it should have reached the least-squares line {_fmt(best)}."
                                 + _diagnosis(got, x, y, lr, steps))
    passed("test_fit_line")


# --- layer_outputs -------------------------------------------------------------------------------

def _models() -> list[tuple[str, nn.Sequential]]:
    t.manual_seed(0)
    return [
        ("Linear(2, 2) -> Tanh -> Linear(2, 2)",
         nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 2))),
        ("Linear(2, 3) -> ReLU -> Linear(3, 2) -> Tanh",
         nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2), nn.Tanh())),
        ("Linear(2, 4) -> Sequential(Tanh, Linear(4, 2)) -> Sigmoid",
         nn.Sequential(nn.Linear(2, 4), nn.Sequential(nn.Tanh(), nn.Linear(4, 2)), nn.Sigmoid())),
        ("Linear(2, 2) alone", nn.Sequential(nn.Linear(2, 2))),
    ]


def _expected_outputs(model: nn.Sequential, grid: Tensor) -> list[Tensor]:
    outputs, h = [], grid
    with t.no_grad():
        for layer in model:
            h = layer(h)
            outputs.append(h)
    return outputs


def _count_hint(got: list, want: list[Tensor], grid: Tensor) -> str:
    if len(got) == len(want) + 1 and isinstance(got[0], Tensor) and \
            got[0].shape == grid.shape and t.allclose(got[0].float(), grid):
        return (" Its first entry is the input grid itself: leave the input out, the list "
                "starts with the first layer's output.")
    if len(got) == 1 and len(want) > 1:
        return " Only one entry: keep every layer's output, not just the last."
    if len(got) > len(want):
        return (" More entries than layers: did you walk into sub-modules (model.modules(), or "
                "the layers inside a nested Sequential)? Each direct entry of the model, as "
                "`for layer in model` gives them, is one layer.")
    return ""


def _on_grid(layer: nn.Module, grid: Tensor, got: Tensor) -> bool:
    """Whether `got` is `layer` applied straight to the grid (when the layer can take it)."""
    try:
        with t.no_grad():
            direct = layer(grid)
    except RuntimeError:
        return False
    return direct.shape == got.shape and t.allclose(got.float(), direct)


def test_layer_outputs(layer_outputs: Callable) -> None:
    gen = t.Generator().manual_seed(1)
    for name, model in _models():
        grid = t.randn(7, 2, generator=gen)
        before = grid.clone()
        want = _expected_outputs(model, before)
        where = f"for the model {name}"
        got = call(layer_outputs, model, grid, context=where)
        if not t.equal(grid, before) or grid.requires_grad:
            raise AssertionError(f"layer_outputs changed the grid {where}: leave it as it was "
                                 "(start from it, but don't write into it or set its "
                                 "requires_grad).")
        if not isinstance(got, list):
            kind = (f"a stacked tensor ({describe(got)})" if isinstance(got, Tensor) else
                    f"a tuple of {len(got)}" if isinstance(got, tuple) else describe(got))
            raise AssertionError(f"layer_outputs {where} should return a list of tensors, one "
                                 f"per layer; got {kind}. Return a list: `[...]`, or "
                                 "`list(...)`.")
        if len(got) != len(want):
            entries = "1 entry" if len(got) == 1 else f"{len(got)} entries"
            raise AssertionError(f"layer_outputs {where} returned {entries}; expected "
                                 f"{len(want)}, one per layer of the model."
                                 + _count_hint(got, want, before))
        for i, (g, w) in enumerate(zip(got, want)):
            what = f"layer_outputs {where}, entry {i} (the output of layer {i}, " \
                   f"{type(model[i]).__name__})"
            if isinstance(g, Tensor) and g.shape == w.shape and not t.allclose(g.float(), w) \
                    and any(t.allclose(g.float(), v) for v in want if v.shape == g.shape):
                raise AssertionError(f"{what} holds another layer's output: keep the outputs "
                                     "in the order of the layers.")
            if i > 0 and isinstance(g, Tensor) and _on_grid(model[i], before, g):
                raise AssertionError(f"{what} is layer {i} applied to the grid itself: each "
                                     "layer takes the previous layer's output.")
            assert_close(g, w, what)
            if g.requires_grad:
                raise AssertionError(f"{what} tracks gradients (requires_grad=True): compute "
                                     "the outputs inside `with torch.no_grad():`.")
    passed("test_layer_outputs")
