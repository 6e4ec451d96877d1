"""Checks for chapter 5.4's first section: backward functions by hand."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import torch as t

from utils.checks.assertions import call, passed
from utils.checks.part4_backprop._common import assert_array, three_ways


def test_log_back(log_back: Callable) -> None:
    x = np.array([1.0, math.e, math.e ** math.e])
    got = call(log_back, np.ones(3), np.log(x), x, context="on x = [1, e, e^e]")
    assert_array(got, np.array([1.0, 1 / math.e, math.e ** -math.e]),
                  "log_back with grad_out = 1 and x = [1, e, e^e]")
    rng = np.random.default_rng(1)
    three_ways(log_back, "log_back", np.log, t.log,
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
        assert_array(got, np.full(small, float(copies)), f"{what}, of all ones (each element "
                      f"of the original was copied {copies} times)")
    rng = np.random.default_rng(2)
    for big, small in _UNBROADCAST_CASES[:5]:
        grad = rng.standard_normal(big)
        what = f"unbroadcast from shape {big} to shape {small}, on random values"
        got = call(unbroadcast, grad, np.zeros(small), context=f"on {what}")
        x = t.zeros(small, dtype=t.float64, requires_grad=True)
        (x.expand(big) * t.tensor(grad)).sum().backward()
        assert_array(got, x.grad.numpy(), what + " (compared with torch.autograd)")
    passed("test_unbroadcast")


def _multiply_cases(rng: np.random.Generator, argnum: int) -> list[tuple[list, int]]:
    a = rng.standard_normal
    return [([a((3,)), a((3,))], argnum), ([a((2, 3)), a((3,))], argnum),
            ([a((4, 1)), a((1, 5))], argnum), ([a((2, 3, 4)), a((3, 1))], argnum)]


def test_multiply_back0(multiply_back0: Callable) -> None:
    x = np.array([1.0, 2.0, 3.0])
    got = call(multiply_back0, np.ones(3), x * 5, x, 5.0, context="with y a number")
    assert_array(got, np.full(3, 5.0), "multiply_back0 with y = 5.0 (a float), grad_out = 1")
    three_ways(multiply_back0, "multiply_back0", np.multiply, t.mul,
                _multiply_cases(np.random.default_rng(3), 0))
    passed("test_multiply_back0")


def test_multiply_back1(multiply_back1: Callable) -> None:
    y = np.array([[1.0], [2.0]])
    got = call(multiply_back1, np.ones((2, 1)), 4.0 * y, 4.0, y, context="with x a number")
    assert_array(got, np.full((2, 1), 4.0), "multiply_back1 with x = 4.0 (a float), y of "
                  "shape (2, 1), grad_out = 1")
    three_ways(multiply_back1, "multiply_back1", np.multiply, t.mul,
                _multiply_cases(np.random.default_rng(4), 1))
    passed("test_multiply_back1")


def test_forward_and_back(forward_and_back: Callable) -> None:
    rng = np.random.default_rng(5)
    cases = [(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 1.0]), np.array([10.0])),
             (rng.uniform(0.5, 2, (2, 3)), rng.uniform(0.5, 2, (3,)), rng.uniform(2, 5, (2, 1)))]
    for a, b, c in cases:
        what = f"forward_and_back on a, b, c of shapes {a.shape}, {b.shape}, {c.shape}"
        got = call(forward_and_back, a, b, c, context=f"on {what}")
        if not (isinstance(got, (tuple, list)) and len(got) == 3):
            raise AssertionError(f"{what}: return a tuple (dg/da, dg/db, dg/dc).")
        tensors = [t.tensor(v, dtype=t.float64, requires_grad=True) for v in (a, b, c)]
        ta, tb, tc = tensors
        t.log(ta * tb * t.log(tc)).sum().backward()
        for name, value, tensor in zip(("dg/da", "dg/db", "dg/dc"), got, tensors):
            assert_array(value, tensor.grad.numpy(), f"{what}: {name}")
    passed("test_forward_and_back")
