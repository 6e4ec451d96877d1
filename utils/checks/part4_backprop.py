"""Checks for chapter 4 (backprop). Use from a local file or notebook:

    from utils.checks import part4_backprop as tests
    tests.test_log_back(log_back)

Every backward function is checked three ways: literal values on hand-worked cases; a central
finite-difference gradient check in float64 on seeded random inputs (utils.gradcheck, which you
can call yourself); and a comparison with torch.autograd on the same inputs, broadcasting shapes
included. Messages say which gradient is wrong, on which input, and by how much.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import torch as t

from utils.checks.assertions import call, passed
from utils.gradcheck import gradcheck


def _assert_array(got, expected: np.ndarray, what: str, atol: float = 1e-6) -> None:
    if not isinstance(got, np.ndarray) and not np.isscalar(got):
        raise AssertionError(f"{what}: expected a NumPy array, got {type(got).__name__}.")
    got = np.asarray(got, dtype=np.float64)
    if got.shape != expected.shape:
        raise AssertionError(f"{what}: wrong shape. Expected {expected.shape}, got {got.shape}."
                             + (" Did you forget keepdims=True for the stretched dimensions?"
                                if got.size == expected.size else ""))
    error = np.abs(got - expected)
    if (error > atol + 1e-5 * np.abs(expected)).any():
        worst = tuple(int(i) for i in np.unravel_index(np.argmax(error), error.shape)) \
            if got.ndim else ()
        raise AssertionError(f"{what}: wrong value{f' at {worst}' if worst else ''}: expected "
                             f"{expected[worst]:.6g}, got {got[worst]:.6g}.")


def _torch_grad(forward: Callable, inputs: list, argnum: int, grad_out: np.ndarray) -> np.ndarray:
    """torch.autograd's gradient of sum(grad_out * forward(inputs)) for inputs[argnum]."""
    tensors = [t.tensor(v, dtype=t.float64, requires_grad=(i == argnum))
               if isinstance(v, np.ndarray) else v for i, v in enumerate(inputs)]
    out = forward(*tensors)
    (out * t.tensor(grad_out)).sum().backward()
    return tensors[argnum].grad.numpy()


def _three_ways(back: Callable, name: str, numpy_forward: Callable, torch_forward: Callable,
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
        _assert_array(got, _torch_grad(torch_forward, inputs, argnum, grad_out),
                      f"{label}, compared with torch.autograd")


def test_log_back(log_back: Callable) -> None:
    x = np.array([1.0, math.e, math.e ** math.e])
    got = call(log_back, np.ones(3), np.log(x), x, context="on x = [1, e, e^e]")
    _assert_array(got, np.array([1.0, 1 / math.e, math.e ** -math.e]),
                  "log_back with grad_out = 1 and x = [1, e, e^e]")
    rng = np.random.default_rng(1)
    _three_ways(log_back, "log_back", np.log, t.log,
                [([rng.uniform(0.5, 3, (4,))], 0), ([rng.uniform(0.1, 2, (2, 3))], 0)])
    passed("test_log_back")


_UNBROADCAST_CASES = [  # (broadcast shape, original shape)
    ((2, 3, 4), (3, 1)), ((2, 3, 4), (4,)), ((2, 3, 4), (2, 1, 1)), ((2, 3, 4), (1, 3, 1)),
    ((2, 3, 4), (2, 3, 4)), ((5,), (1,)), ((3, 4), ()), ((2, 1, 4), (1, 1, 4)),
]


def test_unbroadcast(unbroadcast: Callable) -> None:
    for big, small in _UNBROADCAST_CASES:
        original = np.zeros(small)
        what = f"unbroadcast from shape {big} to shape {small}"
        got = call(unbroadcast, np.ones(big), original, context=f"on {what}")
        copies = int(np.prod(big)) // max(int(np.prod(small)), 1)
        _assert_array(got, np.full(small, float(copies)), f"{what}, of all ones (each element "
                      f"of the original was copied {copies} times)")
    rng = np.random.default_rng(2)
    for big, small in _UNBROADCAST_CASES[:5]:
        grad = rng.standard_normal(big)
        what = f"unbroadcast from shape {big} to shape {small}, on random values"
        got = call(unbroadcast, grad, np.zeros(small), context=f"on {what}")
        x = t.zeros(small, dtype=t.float64, requires_grad=True)
        (x.expand(big) * t.tensor(grad)).sum().backward()
        _assert_array(got, x.grad.numpy(), what + " (compared with torch.autograd)")
    passed("test_unbroadcast")


def _multiply_cases(rng: np.random.Generator, argnum: int) -> list[tuple[list, int]]:
    a = rng.standard_normal
    return [([a((3,)), a((3,))], argnum), ([a((2, 3)), a((3,))], argnum),
            ([a((4, 1)), a((1, 5))], argnum), ([a((2, 3, 4)), a((3, 1))], argnum)]


def test_multiply_back0(multiply_back0: Callable) -> None:
    x = np.array([1.0, 2.0, 3.0])
    got = call(multiply_back0, np.ones(3), x * 5, x, 5.0, context="with y a number")
    _assert_array(got, np.full(3, 5.0), "multiply_back0 with y = 5.0 (a float), grad_out = 1")
    _three_ways(multiply_back0, "multiply_back0", np.multiply, t.mul,
                _multiply_cases(np.random.default_rng(3), 0))
    passed("test_multiply_back0")


def test_multiply_back1(multiply_back1: Callable) -> None:
    y = np.array([[1.0], [2.0]])
    got = call(multiply_back1, np.ones((2, 1)), 4.0 * y, 4.0, y, context="with x a number")
    _assert_array(got, np.full((2, 1), 4.0), "multiply_back1 with x = 4.0 (a float), y of "
                  "shape (2, 1), grad_out = 1")
    _three_ways(multiply_back1, "multiply_back1", np.multiply, t.mul,
                _multiply_cases(np.random.default_rng(4), 1))
    passed("test_multiply_back1")


def test_forward_and_back(forward_and_back: Callable) -> None:
    rng = np.random.default_rng(5)
    cases = [(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 1.0]), np.array([10.0])),
             (rng.uniform(0.5, 2, (2, 3)), rng.uniform(0.5, 2, (3,)), rng.uniform(2, 5, (2, 1)))]
    for a, b, c in cases:
        what = f"forward_and_back on a, b, c of shapes {a.shape}, {b.shape}, {c.shape}"
        got = call(forward_and_back, a, b, c, context=f"on {what}")
        if not (isinstance(got, tuple) and len(got) == 3):
            raise AssertionError(f"{what}: return a tuple (dg/da, dg/db, dg/dc).")
        tensors = [t.tensor(v, dtype=t.float64, requires_grad=True) for v in (a, b, c)]
        ta, tb, tc = tensors
        t.log(ta * tb * t.log(tc)).sum().backward()
        for name, value, tensor in zip(("dg/da", "dg/db", "dg/dc"), got, tensors):
            _assert_array(value, tensor.grad.numpy(), f"{what}: {name}")
    passed("test_forward_and_back")
