"""Check a backward function against finite differences. For learners and for the checks.

    from utils.gradcheck import gradcheck
    gradcheck(np.log, log_back, np.array([1.0, 2.0, 3.0]))          # one argument
    gradcheck(np.multiply, multiply_back0, x, y, argnum=0)          # d/dx of x * y

A backward function has the signature back(grad_out, out, *inputs) and returns the gradient of
the loss with respect to inputs[argnum], given grad_out, the gradient with respect to `out`.
gradcheck builds a random grad_out, estimates that gradient with central differences in float64,

    d/dx_i  sum(grad_out * f(x)) ~= (sum(grad_out * f(x + h e_i)) - sum(grad_out * f(x - h e_i))) / 2h,

and compares. It raises AssertionError naming the worst element and both values.

The step h trades two errors: the Taylor terms the difference leaves out shrink like h^2, while
rounding each value of f (relative precision eps) costs about eps / h. Their sum is smallest
near h = eps^(1/3): about 1e-5 in float64 (eps ~ 2e-16), where the estimate is good to about
1e-10. In float32 (eps ~ 1e-7) the best h is near 5e-3 and the estimate is good only to about
1e-4, which is why the inputs are converted to float64 first.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

DEFAULT_STEP = 1e-5  # near eps ** (1 / 3) for float64: see above


def numerical_gradient(forward: Callable[..., np.ndarray], inputs: list[Any], argnum: int,
                       grad_out: np.ndarray, h: float = DEFAULT_STEP) -> np.ndarray:
    """Central-difference estimate of d/d inputs[argnum] of sum(grad_out * forward(*inputs))."""
    x = np.array(inputs[argnum], dtype=np.float64)
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        values = []
        for sign in (1.0, -1.0):
            shifted = x.copy()
            shifted[index] += sign * h
            args = list(inputs)
            args[argnum] = shifted
            values.append(float(np.sum(grad_out * forward(*args))))
        gradient[index] = (values[0] - values[1]) / (2 * h)
    return gradient


def gradcheck(forward: Callable[..., np.ndarray], backward: Callable[..., Any], *inputs: Any,
              argnum: int = 0, seed: int = 0, atol: float = 1e-5, rtol: float = 1e-4,
              name: str | None = None, h: float = DEFAULT_STEP) -> float:
    """Compare backward(grad_out, out, *inputs) with finite differences of forward.

    Returns the largest absolute error; raises AssertionError if any element is off by more
    than atol + rtol * |expected|, or if the shape is wrong.
    """
    inputs = [np.array(v, dtype=np.float64) if isinstance(v, (np.ndarray, list)) else v
              for v in inputs]
    out = np.asarray(forward(*inputs), dtype=np.float64)
    grad_out = np.random.default_rng(seed).standard_normal(out.shape)
    expected = numerical_gradient(forward, inputs, argnum, grad_out, h)
    label = name or getattr(backward, "__name__", "backward")
    got = backward(grad_out, out, *inputs)
    got = np.asarray(got, dtype=np.float64)
    if got.shape != expected.shape:
        raise AssertionError(f"{label}: the gradient for argument {argnum} should have that "
                             f"argument's shape {expected.shape}, got {got.shape}. (If the "
                             "forward broadcast it, sum the gradient back: unbroadcast.)")
    error = np.abs(got - expected)
    tolerance = atol + rtol * np.abs(expected)
    if (error > tolerance).any():
        worst = tuple(int(i) for i in np.unravel_index(np.argmax(error - tolerance), error.shape))
        where = f"at index {worst}" if got.ndim else ""
        raise AssertionError(
            f"{label}: gradient for argument {argnum} is wrong {where}: finite differences give "
            f"{expected[worst]:.6g}, your backward gives {got[worst]:.6g} (largest error "
            f"{error.max():.3g}; inputs with shapes {[np.shape(v) for v in inputs]}).")
    return float(error.max())
