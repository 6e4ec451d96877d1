"""Reference solutions for chapter 4: an autograd engine on NumPy.

The source of truth for `exercises/part4_backprop.py` and its notebook (`python -m utils.codegen`).
The engine uses NumPy only; torch appears only in the checks, to compare with torch.autograd.

A backward function for an operation out = f(x, y, ...) has the signature
back(grad_out, out, x, y, ...) and returns dL/d(its argument), given grad_out = dL/d(out).
"""

import numpy as np

Arr = np.ndarray


def log_back(grad_out: Arr, out: Arr, x: Arr) -> Arr:
    """Backward of out = np.log(x): dL/dx = dL/dout * dout/dx = grad_out / x."""
    return grad_out / x


def unbroadcast(broadcasted: Arr, original: Arr) -> Arr:
    """Sum a gradient that has the broadcast shape back to the shape of `original`.

    Broadcasting may have (1) added dimensions at the front and (2) stretched dimensions of
    size 1. Each copy contributed to the output, so their gradients add up: sum over the added
    dimensions (removing them), then over the stretched ones (keeping them, with size 1).
    """
    added = broadcasted.ndim - original.ndim
    summed = broadcasted.sum(axis=tuple(range(added))) if added else broadcasted
    stretched = tuple(i for i, size in enumerate(original.shape)
                      if size == 1 and summed.shape[i] != 1)
    return summed.sum(axis=stretched, keepdims=True) if stretched else summed


def multiply_back0(grad_out: Arr, out: Arr, x: Arr, y: Arr | float) -> Arr:
    """Backward of out = x * y with respect to x. y may be a number or an array that
    broadcasts with x; the result has x's shape."""
    return unbroadcast(np.asarray(y) * grad_out, x)


def multiply_back1(grad_out: Arr, out: Arr, x: Arr | float, y: Arr) -> Arr:
    """Backward of out = x * y with respect to y. x may be a number or an array that
    broadcasts with y; the result has y's shape."""
    return unbroadcast(np.asarray(x) * grad_out, y)


def forward_and_back(a: Arr, b: Arr, c: Arr) -> tuple[Arr, Arr, Arr]:
    """For g = log(a * b * log(c)), computed as d = a * b, e = log(c), f = d * e, g = log(f):
    return (dg/da, dg/db, dg/dc), where g's gradient with respect to itself is all ones.

    Use the backward functions above, from g back to the inputs, one step at a time.
    """
    d = a * b
    e = np.log(c)
    f = d * e
    g = np.log(f)

    dg_df = log_back(np.ones_like(g), g, f)
    dg_dd = multiply_back0(dg_df, f, d, e)
    dg_de = multiply_back1(dg_df, f, d, e)
    dg_da = multiply_back0(dg_dd, d, a, b)
    dg_db = multiply_back1(dg_dd, d, a, b)
    dg_dc = log_back(dg_de, e, c)
    return dg_da, dg_db, dg_dc
