"""Checks for chapter 5.4's section "More forward and backward functions".

Each backward function gets a hand-worked case whose expected numbers are written out below,
then `three_ways` (finite differences and torch.autograd) on seeded random inputs, with the
broadcasting shapes, dims and indices the engine will meet. Backward functions are called the
way backprop calls them: back(grad_out, out, *args, **kwargs), with sum's dim and keepdim as
keywords.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import torch as t

from solutions import part4_backprop as reference
from utils.checks.assertions import call, passed
from utils.checks.part4_backprop._common import assert_array, learner_env, three_ways
from utils.gradcheck import gradcheck

Arr = np.ndarray
Case = tuple[list, int]  # (inputs, argnum), as three_ways takes them


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------


def _expect(got: Any, expected: Any, what: str, hint: str = "") -> None:
    """assert_array, with a shape message of our own (assert_array's guesses at keepdims,
    which is rarely the problem here) and a hint about the likely mistake."""
    expected = np.asarray(expected, dtype=np.float64)
    if isinstance(got, np.ndarray) and got.shape != expected.shape:
        raise AssertionError(f"{what}: the result should have shape {expected.shape}, got "
                             f"{got.shape}." + (f" {hint}" if hint else ""))
    try:
        assert_array(got, expected, what)
    except AssertionError as err:
        raise AssertionError(f"{err}" + (f" {hint}" if hint else "")) from None


def _bind(back: Callable, name: str, *extra: Any, **keywords: Any) -> Callable:
    """`back` with its trailing non-array arguments fixed (a shape, axes, an index, dim=...):
    three_ways and gradcheck then perturb only the array, and the label lists only its shape."""

    def bound(grad_out: Arr, out: Arr, *inputs: Any) -> Any:
        return back(grad_out, out, *inputs, *extra, **keywords)

    bound.__name__ = name  # so that call() names the learner's function in an error
    return bound


def _show(value: Any) -> str:
    """An array, number or index as a learner would type it, for messages."""
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, slice):
        parts = ["" if v is None else str(v) for v in (value.start, value.stop)]
        return ":".join(parts) + (f":{value.step}" if value.step is not None else "")
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()})"
    if hasattr(value, "array") and isinstance(value.array, np.ndarray):  # an engine Tensor
        return f"Tensor({value.array.tolist()})"
    return repr(value)


def _numbers(value: Any) -> str:
    """Numbers or nested lists of them, written short: [[1, 2.5], [0, -1]]."""
    if isinstance(value, (list, np.ndarray)):
        return "[" + ", ".join(_numbers(v) for v in list(value)) + "]"
    return f"{float(value):g}"


def _torch_binary(op: Callable) -> Callable:
    """A torch forward that accepts a plain number on either side (torch.maximum does not)."""

    def forward(a: Any, b: Any) -> t.Tensor:
        as_tensor = [v if isinstance(v, t.Tensor) else t.tensor(v, dtype=t.float64)
                     for v in (a, b)]
        return op(*as_tensor)

    return forward


# Shapes that broadcast together, each side in turn the one that is stretched. A plain number
# as the other argument is added by _binary_cases.
_BROADCAST_PAIRS = [((3,), (3,)), ((2, 3), (3,)), ((3,), (2, 3)), ((4, 1), (1, 5)),
                    ((2, 3, 4), (3, 1)), ((3, 1), (2, 3, 4))]


def _binary_cases(rng: np.random.Generator, argnum: int,
                  make_y: Callable[[tuple], Arr] | None = None) -> list[Case]:
    """Random (x, y) pairs for an elementwise binary operation, for the gradient of argument
    `argnum`; make_y draws y (division needs it away from 0). The last case replaces the other
    argument with a float, as in `x - 1.5` or `2.0 / y`."""
    make_x = rng.standard_normal
    make_y = make_y or rng.standard_normal
    cases = [([make_x(sx), make_y(sy)], argnum) for sx, sy in _BROADCAST_PAIRS]
    number = 1.5
    cases.append(([make_x((2, 3)), number] if argnum == 0 else [number, make_y((2, 3))], argnum))
    return cases


def _away_from_zero(rng: np.random.Generator) -> Callable[[tuple], Arr]:
    return lambda shape: rng.choice([-1.0, 1.0], shape) * rng.uniform(0.5, 2.0, shape)


# ----------------------------------------------------------------------------------------------
# Unary operations
# ----------------------------------------------------------------------------------------------


def test_negative_back(negative_back: Callable) -> None:
    x = np.array([5.0, -6.0, 7.0])
    grad_out = np.array([1.0, -2.0, 3.0])
    got = call(negative_back, grad_out, -x, x, context="on x = [5, -6, 7]")
    _expect(got, [-1.0, 2.0, -3.0], "negative_back with x = [5, -6, 7], grad_out = [1, -2, 3]",
            "out = -x, so each gradient only changes sign.")
    rng = np.random.default_rng(10)
    three_ways(negative_back, "negative_back", np.negative, t.neg,
               [([rng.standard_normal((4,))], 0), ([rng.standard_normal((2, 3))], 0)])
    passed("test_negative_back")


def test_exp_back(exp_back: Callable) -> None:
    x = np.array([0.0, 1.0, math.log(2.0)])
    got = call(exp_back, np.array([1.0, 1.0, 3.0]), np.exp(x), x,
               context="on x = [0, 1, ln 2]")
    _expect(got, [1.0, math.e, 6.0], "exp_back with x = [0, 1, ln 2], grad_out = [1, 1, 3]",
            "The derivative of exp(x) is exp(x) itself, which the forward already computed: "
            "it is `out`.")
    rng = np.random.default_rng(11)
    three_ways(exp_back, "exp_back", np.exp, t.exp,
               [([rng.standard_normal((4,))], 0), ([rng.uniform(-2, 2, (2, 3))], 0)])
    passed("test_exp_back")


# ----------------------------------------------------------------------------------------------
# Operations that move elements: reshape, permute, expand, sum, indexing
# ----------------------------------------------------------------------------------------------


_RESHAPES = [((2, 3), (3, 2)), ((2, 3, 4), (6, 4)), ((2, 3, 4), (4, -1)), ((6,), (2, 3)),
             ((2, 3), (-1,)), ((1, 4), (2, 2, 1))]


def test_reshape_back(reshape_back: Callable) -> None:
    x = np.zeros((2, 3))
    grad_out = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    got = call(reshape_back, grad_out, x.reshape(3, 2), x, (3, 2),
               context="on x of shape (2, 3), new_shape = (3, 2)")
    _expect(got, [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]],
            "reshape_back with x of shape (2, 3), new_shape = (3, 2), grad_out = "
            "[[0, 1], [2, 3], [4, 5]]",
            "Reshaping keeps the elements in the same (row-major) order, so the gradient is "
            "grad_out reshaped to x's shape; a transpose would reorder them.")
    rng = np.random.default_rng(12)
    for shape, new_shape in _RESHAPES:
        three_ways(_bind(reshape_back, "reshape_back", new_shape),
                   f"reshape_back (new_shape={new_shape})",
                   lambda x, s=new_shape: np.reshape(x, s),
                   lambda x, s=new_shape: x.reshape(s),
                   [([rng.standard_normal(shape)], 0)])
    passed("test_reshape_back")


_INVERSES = {  # axes -> the axes that undo them
    (2, 0, 1): (1, 2, 0), (1, 2, 0): (2, 0, 1), (1, 0): (1, 0), (0, 1, 2): (0, 1, 2),
    (0, 2, 1): (0, 2, 1), (3, 0, 2, 1): (1, 3, 2, 0), (0,): (0,),
    (-1, 0, 1): (1, 2, 0), (0, -1, -2): (0, 2, 1), (-2, -1, -4, -3): (2, 3, 0, 1),
}


def test_invert_transposition(invert_transposition: Callable) -> None:
    for axes, expected in _INVERSES.items():
        got = call(invert_transposition, axes, context=f"on axes = {axes}")
        if not isinstance(got, (tuple, list, np.ndarray)):
            raise AssertionError(f"invert_transposition{axes}: return a tuple of ints, got "
                                 f"{type(got).__name__} ({got!r}).")
        got = tuple(int(a) for a in got)
        if got != expected:
            negative = any(a < 0 for a in axes)
            raise AssertionError(
                f"invert_transposition{axes}: expected {expected}, got {got}. "
                + ("Negative axes count from the end: -1 is the last axis (axis % len(axes))."
                   if negative else
                   f"Axis {axes[0]} of x became axis 0 of the output, so the inverse must send "
                   f"axis 0 back to position {axes[0]}: result[{axes[0]}] == 0."))
    # Random permutations, some axes negative: undoing must give back the original array.
    rng = np.random.default_rng(13)
    for n in (3, 4, 5):
        axes = tuple(int(a) - n if rng.random() < 0.3 else int(a) for a in rng.permutation(n))
        x = np.arange(math.factorial(n + 1)).reshape(range(2, n + 2))
        got = call(invert_transposition, axes, context=f"on axes = {axes}")
        try:
            undone = np.transpose(np.transpose(x, axes), tuple(got))
        except Exception as err:  # noqa: BLE001 - not a valid permutation: say so below
            raise AssertionError(f"invert_transposition{axes} returned {got!r}, which "
                                 f"np.transpose rejects ({err}).") from None
        if undone.shape != x.shape or not np.array_equal(undone, x):
            raise AssertionError(f"invert_transposition{axes} returned {tuple(got)}, but "
                                 f"transposing by {axes} and then by it does not give back the "
                                 f"original array (of shape {x.shape}; got shape "
                                 f"{undone.shape}).")
    passed("test_invert_transposition")


_PERMUTES = [((2, 3, 4), (2, 0, 1)), ((2, 3, 4), (1, 2, 0)), ((2, 3, 4), (-1, 0, 1)),
             ((2, 3, 4), (0, -1, -2)), ((3, 4), (1, 0)), ((2, 3, 4, 5), (0, 3, 1, 2))]


def test_permute_back(permute_back: Callable) -> None:
    # A 3-cycle, which is not its own inverse: permuting by the same axes again is wrong.
    x = np.zeros((2, 1, 3))
    grad_out = np.array([[[0.0], [1.0]], [[2.0], [3.0]], [[4.0], [5.0]]])  # shape (3, 2, 1)
    got = call(permute_back, grad_out, np.transpose(x, (2, 0, 1)), x, (2, 0, 1),
               context="on x of shape (2, 1, 3), axes = (2, 0, 1)")
    _expect(got, [[[0.0, 2.0, 4.0]], [[1.0, 3.0, 5.0]]],
            "permute_back with x of shape (2, 1, 3), axes = (2, 0, 1), grad_out = "
            "[[[0], [1]], [[2], [3]], [[4], [5]]]",
            "Permute grad_out by the inverse permutation (invert_transposition(axes)); the same "
            "axes again only undo permutations that are their own inverse, like swapping two.")
    rng = np.random.default_rng(14)
    for shape, axes in _PERMUTES:
        three_ways(_bind(permute_back, "permute_back", axes), f"permute_back (axes={axes})",
                   lambda x, a=axes: np.transpose(x, a), lambda x, a=axes: x.permute(*a),
                   [([rng.standard_normal(shape)], 0)])
    passed("test_permute_back")


_EXPANDS = [((3,), (2, 3)), ((2, 1), (2, 4)), ((2, 1), (-1, 4)), ((1, 3, 1), (2, 4, -1, 5)),
            ((), (3, 2)), ((1,), (3, 1, 4)), ((2, 3), (2, 3))]


def test_expand_back(expand_back: Callable) -> None:
    grad_out = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    hand_cases = [  # (x's shape, new_shape, expected)
        ((2, 1), (-1, 3), [[6.0], [15.0]]),  # a size-1 dimension stretched to 3; -1 keeps 2
        ((3,), (2, 3), [5.0, 7.0, 9.0]),  # a new leading dimension
    ]
    for shape, new_shape, expected in hand_cases:
        x = np.zeros(shape)
        got = call(expand_back, grad_out, reference.expand_array(x, new_shape), x, new_shape,
                   context=f"on x of shape {shape}, new_shape = {new_shape}")
        _expect(got, expected, f"expand_back with x of shape {shape}, new_shape = {new_shape}, "
                f"grad_out = [[1, 2, 3], [4, 5, 6]]",
                "Every copy of an element contributed to the output: add up their gradients "
                "(unbroadcast to x's shape).")
    rng = np.random.default_rng(15)
    for shape, new_shape in _EXPANDS:
        three_ways(_bind(expand_back, "expand_back", new_shape),
                   f"expand_back (new_shape={new_shape})",
                   lambda x, s=new_shape: reference.expand_array(x, s),
                   lambda x, s=new_shape: x.expand(*s),
                   [([rng.standard_normal(shape)], 0)])
    passed("test_expand_back")


_SUMS = [  # (x's shape, dim, keepdim)
    ((2, 3, 4), None, False), ((2, 3, 4), None, True), ((2, 3, 4), 1, False),
    ((2, 3, 4), -1, False), ((2, 3, 4), -1, True), ((2, 3, 4), (0, 2), False),
    ((2, 3, 4), (2, 0), False), ((2, 3, 4), (-1, 0), True), ((2, 3, 4), (-3, -1), False),
    ((5,), 0, False), ((5,), -1, True),
]


def _torch_sum(x: t.Tensor, dim: int | tuple | None, keepdim: bool) -> t.Tensor:
    return x.sum(dim=dim, keepdim=keepdim)


def test_sum_back(sum_back: Callable) -> None:
    x = np.zeros((2, 3))
    hand_cases = [  # (dim, keepdim, grad_out, expected)
        (1, False, np.array([10.0, 20.0]), [[10.0] * 3, [20.0] * 3]),
        (-1, False, np.array([10.0, 20.0]), [[10.0] * 3, [20.0] * 3]),
        (0, True, np.array([[1.0, 2.0, 3.0]]), [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]),
        (0, False, np.array([1.0, 2.0, 3.0]), [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]),
        (None, False, np.array(5.0), [[5.0] * 3, [5.0] * 3]),
        ((0, 1), False, np.array(5.0), [[5.0] * 3, [5.0] * 3]),
    ]
    for dim, keepdim, grad_out, expected in hand_cases:
        what = f"sum_back with x of shape (2, 3), dim={dim!r}, keepdim={keepdim}"
        got = call(sum_back, grad_out, reference.sum_array(x, dim, keepdim), x, dim=dim,
                   keepdim=keepdim, context=f"on x of shape (2, 3), dim={dim!r}, "
                   f"keepdim={keepdim} (passed as keywords, as Tensor.sum does)")
        _expect(got, expected, f"{what}, grad_out = {grad_out.tolist()}",
                "Each element of x gets the gradient of the sum it went into. Without keepdim, "
                "grad_out lacks the summed dimensions: put them back with size 1 (negative dims "
                "count from the end), then broadcast to x's shape.")
    rng = np.random.default_rng(16)
    for shape, dim, keepdim in _SUMS:
        three_ways(_bind(sum_back, "sum_back", dim=dim, keepdim=keepdim),
                   f"sum_back (dim={dim!r}, keepdim={keepdim})",
                   lambda x, d=dim, k=keepdim: np.asarray(reference.sum_array(x, d, k)),
                   lambda x, d=dim, k=keepdim: _torch_sum(x, d, k),
                   [([rng.standard_normal(shape)], 0)])
    passed("test_sum_back")


def _same_index_part(got: Any, given: Any) -> bool:
    """Whether `got` is `given` left as it was: an int stays an int (not a 0-d array), a slice a
    slice, None None, an array an equal array."""
    if given is None:
        return got is None
    if isinstance(given, np.ndarray):
        return isinstance(got, np.ndarray) and got.dtype == given.dtype and \
            np.array_equal(got, given)
    return type(got) is type(given) and got == given


def test_coerce_index(coerce_index: Callable) -> None:
    Tensor = learner_env(coerce_index)["Tensor"]
    picks = np.array([2, 0, 2])
    # Things NumPy already understands must come back as they were.
    for index in (3, -1, slice(1, 3), slice(None, None, 2), None, picks,
                  (1, slice(None)), (picks, picks, None)):
        got = call(coerce_index, index, context=f"on index {_show(index)}")
        if isinstance(index, tuple):
            parts_ok = isinstance(got, tuple) and len(got) == len(index) and \
                all(_same_index_part(g, i) for g, i in zip(got, index))
        else:
            parts_ok = _same_index_part(got, index)
        if not parts_ok:
            raise AssertionError(f"coerce_index({_show(index)}) should return its argument "
                                 f"unchanged (it holds no Tensor), got {got!r}.")
    # Tensors become their arrays, alone or inside a tuple; the rest of the tuple stays as is.
    cases = [
        (Tensor(picks), picks),
        (Tensor(np.array(1)), np.array(1)),
        ((np.arange(3), Tensor(picks)), (np.arange(3), picks)),
        ((Tensor(picks), slice(None), 2), (picks, slice(None), 2)),
        ((Tensor(picks), Tensor(np.array([0, 1, 1]))), (picks, np.array([0, 1, 1]))),
    ]
    for index, expected in cases:
        got = call(coerce_index, index, context=f"on index {_show(index)}")
        what = f"coerce_index({_show(index)})"
        if isinstance(expected, tuple):
            if not isinstance(got, tuple):
                raise AssertionError(f"{what} should return a tuple (NumPy reads a tuple as one "
                                     f"index per dimension), got {type(got).__name__}: {got!r}.")
            if len(got) != len(expected):
                raise AssertionError(f"{what} should return a tuple of {len(expected)} parts, "
                                     f"got {len(got)}: {got!r}.")
            for position, (g, e) in enumerate(zip(got, expected)):
                if not _same_index_part(g, e):
                    raise AssertionError(
                        f"{what}: part {position} of the tuple should be {_show(e)}, got "
                        f"{g!r}. Replace each Tensor inside a tuple by its .array, and leave "
                        "the other parts alone.")
        elif not _same_index_part(got, expected):
            raise AssertionError(f"{what} should return the Tensor's array {_show(expected)}, "
                                 f"got {got!r}.")
    passed("test_coerce_index")


def _getitem_cases(Tensor: type) -> list[tuple[tuple, Any]]:
    """(x's shape, index) for random inputs. Tensors reach getitem_back only inside tuples, as
    in x[np.arange(n), labels] (the forward unwraps a Tensor passed as the index itself), but a
    Tensor alone is accepted too."""
    picks = np.array([2, 0, 2])
    return [
        ((5,), np.array([0, 2, 0, 0, 4])),  # repeated integer indices
        ((3, 4), 1), ((3, 4), -1), ((3, 4), slice(1, None)), ((3, 4), (slice(None), 2)),
        ((3, 4), (np.array([0, 2, 2]), np.array([1, 1, 3]))),
        ((4,), np.array([[0, 1], [1, 3]])),
        ((2, 3, 4), (slice(None), picks, slice(1, 3))),
        ((2, 3), (np.arange(2), Tensor(np.array([2, 0])))),
        ((3,), Tensor(picks)),
    ]


def _plain_index(index: Any, Tensor: type) -> Any:
    """The index with the learner's Tensors replaced by arrays, for NumPy (the reference's
    coerce_index only knows the reference's Tensor class)."""
    if isinstance(index, tuple):
        return tuple(_plain_index(i, Tensor) for i in index)
    return index.array if isinstance(index, Tensor) else index


def _torch_index(index: Any) -> Any:
    if isinstance(index, tuple):
        return tuple(_torch_index(i) for i in index)
    return t.from_numpy(index) if isinstance(index, np.ndarray) else index


def test_getitem_back(getitem_back: Callable) -> None:
    Tensor = learner_env(getitem_back)["Tensor"]
    hand_cases = [  # (x, index, grad_out, expected, hint)
        (np.zeros(5), np.array([0, 2, 0, 0]), np.array([1.0, 2.0, 3.0, 4.0]),
         [8.0, 0.0, 2.0, 0.0, 0.0],
         "Element 0 was picked three times, so it gets 1 + 3 + 4: `grad[index] += grad_out` "
         "keeps only one of them, np.add.at adds them all."),
        (np.zeros((2, 3)), 1, np.array([1.0, 2.0, 3.0]), [[0.0] * 3, [1.0, 2.0, 3.0]], ""),
        (np.zeros(4), slice(1, 3), np.array([5.0, 6.0]), [0.0, 5.0, 6.0, 0.0], ""),
        (np.zeros((2, 3)), (np.arange(2), Tensor(np.array([2, 0]))), np.array([1.0, 2.0]),
         [[0.0, 0.0, 1.0], [2.0, 0.0, 0.0]],
         "An index may hold Tensors inside a tuple: coerce_index turns them into arrays."),
        (np.arange(5), np.array([1, 1]), np.array([0.25, 0.5]), [0.0, 0.75, 0.0, 0.0, 0.0],
         "x holds integers here, but its gradient must not: make the gradient array float."),
    ]
    for x, index, grad_out, expected, hint in hand_cases:
        what = (f"getitem_back with x of shape {x.shape}"
                + (" (integers)" if x.dtype.kind == "i" else "")
                + f", index {_show(index)}, grad_out = {grad_out.tolist()}")
        plain = _plain_index(index, Tensor)
        got = call(getitem_back, grad_out, x[plain], x, index,
                   context=f"on x of shape {x.shape}, index {_show(index)}")
        _expect(got, expected, what, hint)
    rng = np.random.default_rng(17)
    for shape, index in _getitem_cases(Tensor):
        plain = _plain_index(index, Tensor)
        three_ways(_bind(getitem_back, "getitem_back", index),
                   f"getitem_back (index {_show(index)})",
                   lambda x, i=plain: np.asarray(x[i]),
                   lambda x, i=_torch_index(plain): x[i],
                   [([rng.standard_normal(shape)], 0)])
    passed("test_getitem_back")


# ----------------------------------------------------------------------------------------------
# Binary elementwise operations
# ----------------------------------------------------------------------------------------------


_COLUMN_TIMES_ROW = "x of shape (2, 1), y of shape (3,), grad_out = [[1, 2, 3], [4, 5, 6]]"
_GRAD_2x3 = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
_UNBROADCAST_HINT = ("x was broadcast to the output's shape: sum the gradient back to x's shape "
                     "(unbroadcast).")


def test_subtract_back0(subtract_back0: Callable) -> None:
    x, y = np.array([[1.0], [2.0]]), np.array([1.0, 2.0, 3.0])
    got = call(subtract_back0, _GRAD_2x3, x - y, x, y, context=f"on {_COLUMN_TIMES_ROW}")
    _expect(got, [[6.0], [15.0]], f"subtract_back0 with {_COLUMN_TIMES_ROW}", _UNBROADCAST_HINT)
    x = np.array([1.0, 2.0, 3.0])
    got = call(subtract_back0, np.array([1.0, 2.0, 3.0]), x - 5.0, x, 5.0,
               context="with y = 5.0 (a float)")
    _expect(got, [1.0, 2.0, 3.0], "subtract_back0 with y = 5.0 (a float), grad_out = [1, 2, 3]",
            "d(x - y)/dx = 1: the gradient passes through unchanged.")
    three_ways(subtract_back0, "subtract_back0", np.subtract, _torch_binary(t.sub),
               _binary_cases(np.random.default_rng(18), 0))
    passed("test_subtract_back0")


def test_subtract_back1(subtract_back1: Callable) -> None:
    x, y = np.array([[1.0], [2.0]]), np.array([1.0, 2.0, 3.0])
    got = call(subtract_back1, _GRAD_2x3, x - y, x, y, context=f"on {_COLUMN_TIMES_ROW}")
    _expect(got, [-5.0, -7.0, -9.0], f"subtract_back1 with {_COLUMN_TIMES_ROW}",
            "d(x - y)/dy = -1, and y was broadcast: negate, then unbroadcast to y's shape.")
    y = np.array([[1.0], [2.0]])
    got = call(subtract_back1, np.array([[3.0], [4.0]]), 5.0 - y, 5.0, y,
               context="with x = 5.0 (a float)")
    _expect(got, [[-3.0], [-4.0]], "subtract_back1 with x = 5.0 (a float), y of shape (2, 1), "
            "grad_out = [[3], [4]]", "d(x - y)/dy = -1.")
    three_ways(subtract_back1, "subtract_back1", np.subtract, _torch_binary(t.sub),
               _binary_cases(np.random.default_rng(19), 1))
    passed("test_subtract_back1")


def test_true_divide_back0(true_divide_back0: Callable) -> None:
    x, y = np.array([3.0, -1.0]), np.array([2.0, 4.0])
    got = call(true_divide_back0, np.array([3.0, 2.0]), x / y, x, y,
               context="on x = [3, -1], y = [2, 4]")
    _expect(got, [1.5, 0.5], "true_divide_back0 with x = [3, -1], y = [2, 4], grad_out = "
            "[3, 2]", "d(x / y)/dx = 1 / y.")
    x, y = np.array([[1.0], [2.0]]), np.array([1.0, 2.0, 4.0])
    got = call(true_divide_back0, np.ones((2, 3)), x / y, x, y,
               context="on x of shape (2, 1), y of shape (3,)")
    _expect(got, [[1.75], [1.75]], "true_divide_back0 with x of shape (2, 1), y = [1, 2, 4], "
            "grad_out = 1", _UNBROADCAST_HINT)
    x = np.array([1.0, 2.0, 3.0])
    got = call(true_divide_back0, np.array([1.0, 2.0, 3.0]), x / 4.0, x, 4.0,
               context="with y = 4.0 (a float)")
    _expect(got, [0.25, 0.5, 0.75], "true_divide_back0 with y = 4.0 (a float), grad_out = "
            "[1, 2, 3]")
    rng = np.random.default_rng(20)
    three_ways(true_divide_back0, "true_divide_back0", np.true_divide, _torch_binary(t.div),
               _binary_cases(rng, 0, _away_from_zero(rng)))
    passed("test_true_divide_back0")


def test_true_divide_back1(true_divide_back1: Callable) -> None:
    hint = "d(x / y)/dy = -x / y**2: mind the minus sign and the square."
    x, y = np.array([6.0, 1.0]), np.array([2.0, 4.0])
    got = call(true_divide_back1, np.ones(2), x / y, x, y, context="on x = [6, 1], y = [2, 4]")
    _expect(got, [-1.5, -0.0625], "true_divide_back1 with x = [6, 1], y = [2, 4], grad_out = 1",
            hint)
    y = np.array([1.0, 2.0])
    got = call(true_divide_back1, np.array([1.0, 3.0]), 2.0 / y, 2.0, y,
               context="with x = 2.0 (a float)")
    _expect(got, [-2.0, -1.5], "true_divide_back1 with x = 2.0 (a float), y = [1, 2], "
            "grad_out = [1, 3]", hint)
    x, y = np.array([[1.0], [3.0]]), np.array([1.0, 2.0, 4.0])
    got = call(true_divide_back1, np.ones((2, 3)), x / y, x, y,
               context="on x of shape (2, 1), y of shape (3,)")
    _expect(got, [-4.0, -1.0, -0.25], "true_divide_back1 with x = [[1], [3]], y = [1, 2, 4], "
            "grad_out = 1", "y was broadcast: sum the gradient back to y's shape (unbroadcast).")
    rng = np.random.default_rng(21)
    three_ways(true_divide_back1, "true_divide_back1", np.true_divide, _torch_binary(t.div),
               _binary_cases(rng, 1, _away_from_zero(rng)))
    passed("test_true_divide_back1")


# Ties are checked only here, by hand: at x == y maximum has no derivative, so finite
# differences and torch cannot settle them; the random inputs of three_ways never tie.
_TIE_HINT = ("Where x == y the gradient is split, half to each argument; elsewhere it all goes "
             "to the larger one.")


def _check_maximum_by_hand(back: Callable, name: str, argnum: int,
                           cases: list[tuple[Any, Any, Arr, list]]) -> None:
    for x, y, grad_out, expected in cases:
        what = (f"{name} with x = {_numbers(x)}, y = {_numbers(y)}, "
                f"grad_out = {_numbers(grad_out)}")
        got = call(back, grad_out, np.maximum(x, y), x, y,
                   context=f"on x = {_numbers(x)}, y = {_numbers(y)}")
        hints = [_TIE_HINT] if np.any(np.equal(x, y)) else []
        if np.shape((x, y)[argnum]) != np.shape(grad_out):
            hints.append(f"{'xy'[argnum]} was broadcast to the output's shape: sum its gradient "
                         "back to its shape (unbroadcast).")
        _expect(got, expected, what, " ".join(hints))


def test_maximum_back0(maximum_back0: Callable) -> None:
    _check_maximum_by_hand(maximum_back0, "maximum_back0", 0, [
        (np.array([1.0, 3.0, 2.0]), np.array([2.0, 1.0, 2.0]), np.array([10.0, 20.0, 30.0]),
         [0.0, 20.0, 15.0]),
        (np.array([-1.0, 0.0, 2.0]), 0.0, np.ones(3), [0.0, 0.5, 1.0]),
        (np.array([[1.0], [2.0]]), np.array([1.0, 2.0, 3.0]), np.ones((2, 3)), [[0.5], [1.5]]),
    ])
    three_ways(maximum_back0, "maximum_back0", np.maximum, _torch_binary(t.maximum),
               _binary_cases(np.random.default_rng(22), 0))
    passed("test_maximum_back0")


def test_maximum_back1(maximum_back1: Callable) -> None:
    _check_maximum_by_hand(maximum_back1, "maximum_back1", 1, [
        (np.array([1.0, 3.0, 2.0]), np.array([2.0, 1.0, 2.0]), np.array([10.0, 20.0, 30.0]),
         [10.0, 0.0, 15.0]),
        (0.0, np.array([-1.0, 0.0, 2.0]), np.ones(3), [0.0, 0.5, 1.0]),
        (np.array([[1.0], [2.0]]), np.array([1.0, 2.0, 3.0]), np.ones((2, 3)),
         [0.5, 1.5, 2.0]),
    ])
    three_ways(maximum_back1, "maximum_back1", np.maximum, _torch_binary(t.maximum),
               _binary_cases(np.random.default_rng(23), 1))
    passed("test_maximum_back1")


# ----------------------------------------------------------------------------------------------
# relu, a forward function on Tensors
# ----------------------------------------------------------------------------------------------


def _relu_output(relu: Callable, Tensor: type, x: Any, what: str) -> Any:
    out = call(relu, x, context=f"on {what}")
    if not isinstance(out, Tensor):
        raise AssertionError(f"relu on {what} should return a Tensor, got "
                             f"{type(out).__name__}.")
    return out


def _relu_grad(relu: Callable, env: Any, values: Arr, grad_out: Arr, what: str) -> Any:
    """x.grad after backprop from relu(x) with the given gradient, through the learner's
    engine."""
    Tensor = env["Tensor"]
    x = Tensor(values.copy(), requires_grad=True)
    out = _relu_output(relu, Tensor, x, what)
    if not (out.requires_grad and out.recipe is not None):
        raise AssertionError(
            f"relu on {what}: the output should require grad and have a recipe, since x "
            "requires grad; otherwise backprop cannot reach x. Build relu from tracked "
            "operations on Tensors (such as maximum), not on .array.")
    call(env["backprop"], out, Tensor(grad_out), context=f"while backpropagating from relu "
         f"on {what}")
    if x.grad is None:
        raise AssertionError(f"relu on {what}: after backprop, x.grad is still None.")
    return x.grad.array


def test_relu(relu: Callable) -> None:
    env = learner_env(relu)
    Tensor, grad_mode = env["Tensor"], env["grad_mode"]
    values = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    what = "Tensor([-2, -0.5, 0, 0.5, 3], requires_grad=True)"
    x = Tensor(values.copy(), requires_grad=True)
    out = _relu_output(relu, Tensor, x, what)
    _expect(out.array, [0.0, 0.0, 0.0, 0.5, 3.0], f"relu({what}).array")
    if not np.array_equal(x.array, values):
        raise AssertionError(f"relu changed its input: x.array became {x.array.tolist()}. "
                             "Return a new Tensor and leave x as it was.")
    got = _relu_grad(relu, env, values, np.array([1.0, 2.0, 3.0, 4.0, 5.0]), what)
    _expect(got, [0.0, 0.0, 1.5, 4.0, 5.0], f"x.grad after backprop from relu(x), x = "
            "[-2, -0.5, 0, 0.5, 3], with gradient [1, 2, 3, 4, 5] for relu(x)",
            "At exactly 0, relu is max(x, 0) with a tie, whose gradient is split: x gets half.")

    # Without gradients to track, relu computes values and records nothing.
    for requires_grad, tracking in ((False, True), (True, False)):
        case = (f"Tensor([-2, -0.5, 0, 0.5, 3], requires_grad={requires_grad})"
                + ("" if tracking else " inside NoGrad (grad_mode.enabled False)"))
        was = grad_mode.enabled
        grad_mode.enabled = tracking
        try:
            out = _relu_output(relu, Tensor, Tensor(values.copy(), requires_grad=requires_grad),
                               case)
        finally:
            grad_mode.enabled = was
        _expect(out.array, [0.0, 0.0, 0.0, 0.5, 3.0], f"relu({case}).array")
        if out.requires_grad:
            raise AssertionError(f"relu on {case}: the output should not require grad, "
                                 "since there is no gradient to track.")

    # Random values (never exactly 0): finite differences and torch.autograd.
    rng = np.random.default_rng(24)
    values = rng.standard_normal((3, 4))
    what = "a random Tensor of shape (3, 4)"
    gradcheck(lambda v: np.asarray(_relu_output(relu, Tensor, Tensor(v), what).array),
              lambda g, o, v: _relu_grad(relu, env, v, g, what), values,
              name="relu (through backprop, on a random (3, 4) tensor)")
    grad_out = rng.standard_normal((3, 4))
    expected = t.tensor(values, requires_grad=True)
    (t.relu(expected) * t.tensor(grad_out)).sum().backward()
    _expect(_relu_grad(relu, env, values, grad_out, what), expected.grad.numpy(),
            "x.grad after backprop from relu(x) on a random (3, 4) tensor, compared with "
            "torch.autograd")
    passed("test_relu")


# ----------------------------------------------------------------------------------------------
# 2-D matrix multiplication
# ----------------------------------------------------------------------------------------------


_MATMUL_SHAPES = [((2, 3), (3, 4)), ((3, 3), (3, 3)), ((1, 4), (4, 1)), ((4, 2), (2, 1))]
_X_2x3 = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
_Y_3x1 = np.array([[1.0], [0.0], [-1.0]])
_MATMUL_CASE = "x = [[1, 2, 3], [4, 5, 6]], y = [[1], [0], [-1]], grad_out = [[1], [2]]"
_SQUARE_CASE = "x = [[1, 2], [3, 4]], y = [[0, 1], [2, 0]], grad_out = [[1, 0], [0, 2]]"
_SQUARE = (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.0, 1.0], [2.0, 0.0]]),
           np.array([[1.0, 0.0], [0.0, 2.0]]))


def _matmul_cases(rng: np.random.Generator, argnum: int) -> list[Case]:
    return [([rng.standard_normal(sx), rng.standard_normal(sy)], argnum)
            for sx, sy in _MATMUL_SHAPES]


def test_matmul2d_back0(matmul2d_back0: Callable) -> None:
    hint = "out[i, k] = sum_j x[i, j] * y[j, k], so dL/dx[i, j] = sum_k grad_out[i, k] * y[j, k]."
    got = call(matmul2d_back0, np.array([[1.0], [2.0]]), _X_2x3 @ _Y_3x1, _X_2x3, _Y_3x1,
               context="on x of shape (2, 3), y of shape (3, 1)")
    _expect(got, [[1.0, 0.0, -1.0], [2.0, 0.0, -2.0]], f"matmul2d_back0 with {_MATMUL_CASE}",
            hint)
    x, y, grad_out = _SQUARE
    got = call(matmul2d_back0, grad_out, x @ y, x, y, context="on 2x2 matrices")
    _expect(got, [[0.0, 2.0], [2.0, 0.0]], f"matmul2d_back0 with {_SQUARE_CASE}", hint)
    three_ways(matmul2d_back0, "matmul2d_back0", np.matmul, t.matmul,
               _matmul_cases(np.random.default_rng(25), 0))
    passed("test_matmul2d_back0")


def test_matmul2d_back1(matmul2d_back1: Callable) -> None:
    hint = "out[i, k] = sum_j x[i, j] * y[j, k], so dL/dy[j, k] = sum_i x[i, j] * grad_out[i, k]."
    got = call(matmul2d_back1, np.array([[1.0], [2.0]]), _X_2x3 @ _Y_3x1, _X_2x3, _Y_3x1,
               context="on x of shape (2, 3), y of shape (3, 1)")
    _expect(got, [[9.0], [12.0], [15.0]], f"matmul2d_back1 with {_MATMUL_CASE}", hint)
    x, y, grad_out = _SQUARE
    got = call(matmul2d_back1, grad_out, x @ y, x, y, context="on 2x2 matrices")
    _expect(got, [[1.0, 6.0], [2.0, 8.0]], f"matmul2d_back1 with {_SQUARE_CASE}", hint)
    three_ways(matmul2d_back1, "matmul2d_back1", np.matmul, t.matmul,
               _matmul_cases(np.random.default_rng(26), 1))
    passed("test_matmul2d_back1")
