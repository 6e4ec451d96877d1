"""Plausible wrong answers to chapter 5.4's exercises: each must be rejected by its check."""

import numpy as np

from solutions import part4_backprop as ref


def unbroadcast_no_keepdims(broadcasted, original):
    added = broadcasted.ndim - original.ndim
    summed = broadcasted.sum(axis=tuple(range(added)))
    stretched = tuple(i for i, n in enumerate(original.shape) if n == 1 and summed.shape[i] != 1)
    return summed.sum(axis=stretched) if stretched else summed


def unbroadcast_prepended_only(broadcasted, original):
    return broadcasted.sum(axis=tuple(range(broadcasted.ndim - original.ndim)))


def unbroadcast_from_the_wrong_end(broadcasted, original):
    added = broadcasted.ndim - original.ndim
    summed = broadcasted.sum(axis=tuple(range(original.ndim, broadcasted.ndim))) if added else \
        broadcasted
    stretched = tuple(i for i, n in enumerate(original.shape) if n == 1 and summed.shape[i] != 1)
    return summed.sum(axis=stretched, keepdims=True) if stretched else summed


def forward_and_back_without_log_factor(a, b, c):
    d, e = a * b, np.log(c)
    f = d * e
    ones = np.ones_like(f)  # forgot dg/df = 1/f
    dd, de = ref.multiply_back0(ones, f, d, e), ref.multiply_back1(ones, f, d, e)
    return ref.multiply_back0(dd, d, a, b), ref.multiply_back1(dd, d, a, b), \
        ref.log_back(de, e, c)


def forward_and_back_no_unbroadcast(a, b, c):
    d, e = a * b, np.log(c)
    f = d * e
    g = np.log(f)
    df = ref.log_back(np.ones_like(g), g, f)
    dd, de = df * e, df * d
    return dd * b, dd * a, de / c


WRONG_ANSWERS = [
    ("log_back", "grad_out * x", lambda grad_out, out, x: grad_out * x),
    ("log_back", "grad_out ignored", lambda grad_out, out, x: 1 / x),
    ("log_back", "divides by out instead of x", lambda grad_out, out, x: grad_out / out),
    ("unbroadcast", "stretched dimensions not kept", unbroadcast_no_keepdims),
    ("unbroadcast", "only the added dimensions summed", unbroadcast_prepended_only),
    ("unbroadcast", "added dimensions taken from the end", unbroadcast_from_the_wrong_end),
    ("multiply_back0", "no unbroadcast", lambda grad_out, out, x, y: np.asarray(y) * grad_out),
    ("multiply_back0", "multiplies by x", lambda grad_out, out, x, y: ref.unbroadcast(
        x * grad_out, x)),
    ("multiply_back1", "no unbroadcast", lambda grad_out, out, x, y: np.asarray(x) * grad_out),
    ("multiply_back1", "multiplies by y", lambda grad_out, out, x, y: ref.unbroadcast(
        y * grad_out, y)),
    ("forward_and_back", "dg/df = 1/f forgotten", forward_and_back_without_log_factor),
    ("forward_and_back", "gradients not unbroadcast", forward_and_back_no_unbroadcast),
]

from tests.wrong_answers.part4_backprop_engine import (  # noqa: E402
    RIGHT_ANSWERS as _ENGINE_RIGHT, WRONG_ANSWERS as _ENGINE_WRONG)
from tests.wrong_answers.part4_backprop_functions import (  # noqa: E402
    RIGHT_ANSWERS as _FUNCTIONS_RIGHT, WRONG_ANSWERS as _FUNCTIONS_WRONG)

WRONG_ANSWERS += _ENGINE_WRONG + _FUNCTIONS_WRONG
RIGHT_ANSWERS = _FUNCTIONS_RIGHT + _ENGINE_RIGHT
