"""Helpers the chapter 5.4 checks share: array comparison with messages, torch.autograd as a
second opinion, the three-way check of a backward function, and the learner's engine."""

from __future__ import annotations

from collections import ChainMap
from typing import Any, Callable

import numpy as np
import torch as t

from solutions import part4_backprop as reference
from utils.checks.assertions import call
from utils.checks.learner_names import learner_env as names_seen_by
from utils.gradcheck import gradcheck


def assert_array(got, expected: np.ndarray, what: str, atol: float = 1e-6) -> None:
    if not isinstance(got, np.ndarray) and not np.isscalar(got):
        raise AssertionError(f"{what}: expected a NumPy array, got {type(got).__name__}.")
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(f"{what}: expected an array of numbers, got "
                             f"{np.asarray(got, dtype=object)!r}.") from None
    if got.shape != expected.shape:
        raise AssertionError(f"{what}: wrong shape. Expected {expected.shape}, got {got.shape}."
                             + (" Did you forget keepdims=True for the stretched dimensions?"
                                if got.size == expected.size else ""))
    with np.errstate(invalid="ignore"):  # inf - inf: equal infinities count as no error
        error = np.where(got == expected, 0.0, np.abs(got - expected))
    error = np.where(np.isnan(error), np.inf, error)
    tolerance = np.where(np.isfinite(expected), atol + 1e-5 * np.abs(expected), 0.0)
    if (error > tolerance).any():
        worst = tuple(int(i) for i in np.unravel_index(np.argmax(error), error.shape)) \
            if got.ndim else ()
        raise AssertionError(f"{what}: wrong value{f' at {worst}' if worst else ''}: expected "
                             f"{expected[worst]:.6g}, got {got[worst]:.6g}.")


def torch_grad(forward: Callable, inputs: list, argnum: int, grad_out: np.ndarray) -> np.ndarray:
    """torch.autograd's gradient of sum(grad_out * forward(inputs)) for inputs[argnum]."""
    tensors = [t.tensor(v, dtype=t.float64, requires_grad=(i == argnum))
               if isinstance(v, np.ndarray) else v for i, v in enumerate(inputs)]
    out = forward(*tensors)
    (out * t.tensor(grad_out)).sum().backward()
    return tensors[argnum].grad.numpy()


def three_ways(back: Callable, name: str, numpy_forward: Callable, torch_forward: Callable,
                cases: list[tuple[list, int]]) -> None:
    """Finite differences and torch.autograd on each (inputs, argnum) case."""
    rng = np.random.default_rng(0)
    for inputs, argnum in cases:
        shapes = [np.shape(v) for v in inputs]
        label = f"{name} with inputs of shapes {shapes}"
        try:
            gradcheck(numpy_forward, back, *inputs, argnum=argnum, name=label)
        except AssertionError:
            raise
        except NotImplementedError:
            raise
        except Exception as err:  # noqa: BLE001
            raise AssertionError(f"{label}: raised {type(err).__name__}: {err}") from err
        out = numpy_forward(*inputs)
        grad_out = rng.standard_normal(np.shape(out))
        got = call(back, grad_out, out, *inputs, context=f"on {label}")
        assert_array(got, torch_grad(torch_forward, inputs, argnum, grad_out),
                      f"{label}, compared with torch.autograd")


def learner_env(obj: Any) -> ChainMap:
    """The names the learner's object sees (its module's globals: their Tensor, grad_mode,
    backprop...), falling back to the reference engine's. In the page's editor those globals
    are the reference's anyway; in a local file or notebook they are the learner's own."""
    return names_seen_by(obj, reference)


def tensor_like(value: Any, what: str) -> np.ndarray:
    """The array of a Tensor the learner returned, or a message saying it isn't one."""
    if not hasattr(value, "array") or not isinstance(value.array, np.ndarray):
        raise AssertionError(f"{what}: expected a Tensor (with a NumPy `.array`), got "
                             f"{type(value).__name__}.")
    return value.array
