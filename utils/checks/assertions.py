"""Assertions that explain themselves to a learner.

Every check in utils/checks/ goes through these, so that a wrong answer always says what was
passed in, what was expected and what came back, and names shape and dtype problems as such
("you returned (3, 4) but we expected (4, 3): transposed?") instead of printing two tensors.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator

import numpy as np
import torch as t
from torch import Tensor
from torch.overrides import TorchFunctionMode

MAX_LISTED = 5  # how many mismatching positions a message lists


_QUIET = {"on": False}  # a plain flag, not per thread: some checks run ranks as threads


def passed(check_name: str) -> None:
    """The one success line each check prints (not inside `quiet_success()`)."""
    if not _QUIET["on"]:
        print(f"✓ {check_name} passed")


@contextlib.contextmanager
def quiet_success() -> Iterator[None]:
    """Checks called in here print no success line: a caller that reports the verdict itself
    (the page editor, the local summary) keeps stdout for what the learner's code printed."""
    before, _QUIET["on"] = _QUIET["on"], True
    try:
        yield
    finally:
        _QUIET["on"] = before


def describe(value: Any) -> str:
    """A short description of a value for messages: tensors by shape and dtype, others by repr."""
    if isinstance(value, Tensor):
        if value.numel() <= 6:
            return f"tensor({value.tolist()}, dtype={value.dtype})"
        return f"tensor of shape {tuple(value.shape)}, dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _callable_name(fn: Callable) -> str:
    """How to name a callable in a message: `Linear` for a module instance (nn.Module hides
    __qualname__), `Sequential.__getitem__` for a method, `train` for a function."""
    if not isinstance(fn, type) and not hasattr(fn, "__code__") and \
            not hasattr(fn, "__func__") and hasattr(type(fn), "forward"):
        return type(fn).__name__
    name = getattr(fn, "__qualname__", "") or getattr(fn, "__name__", "") or type(fn).__name__
    if "<locals>" in name:  # a function defined inside another: its own name reads better
        name = getattr(fn, "__name__", name)
    return name


class ForbiddenOperation(AssertionError):
    """The learner's function used an operation the exercise asks them to build themselves."""


class _Forbid(TorchFunctionMode):
    def __init__(self, banned: dict[Callable, str], exercise: str, how: str):
        super().__init__()
        self.banned, self.exercise, self.how = banned, exercise, how
        self.called: set[Callable] = set()

    def __enter__(self) -> "_Forbid":
        super().__enter__()
        return self

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.called.add(func)
        if func in self.banned:
            raise ForbiddenOperation(
                f"{self.exercise} used {self.banned[func]}, which this exercise asks you to "
                f"build yourself ({self.how}).")
        return func(*args, **(kwargs or {}))


def forbidding(banned: dict[Callable, str], exercise: str,
               how: str = "from as_strided, elementwise operations and sums") -> _Forbid:
    """A context in which calling any of `banned` (torch functions or Tensor methods) fails the
    check with a message naming the operation and saying what to build it from."""
    return _Forbid(banned, exercise, how)


class LearnerCodeError(Exception):
    """The learner's function raised while a check was calling it (reported as an error)."""


def call(fn: Callable, *args: Any, context: str = "", **kwargs: Any) -> Any:
    """Call the learner's function; if it crashes, say on which input (the traceback is kept).

    NotImplementedError passes through untouched, so that an unfinished stub is reported as such.
    """
    try:
        return fn(*args, **kwargs)
    except (NotImplementedError, ForbiddenOperation):
        raise
    except Exception as err:  # an `assert` in the learner's own code lands here too  # noqa: BLE001 - we re-raise with the input that caused it
        where = f" {context}" if context else ""
        name = _callable_name(fn)
        raise LearnerCodeError(f"Your `{name}` raised {type(err).__name__}{where}: {err}") from err


def make_module(cls: Callable, *args: Any, **kwargs: Any) -> "t.nn.Module":
    """cls(*args, **kwargs), which must be an nn.Module; errors say which call failed."""
    what = f"{getattr(cls, '__name__', 'module')}({', '.join(map(repr, args))}" + \
        "".join(f", {k}={v!r}" for k, v in kwargs.items()) + ")"
    module = call(cls, *args, context=f"when building {what}", **kwargs)
    if not isinstance(module, t.nn.Module):
        raise AssertionError(f"{what} should be an nn.Module; got {type(module).__name__}. Does "
                             "the class inherit from nn.Module and call super().__init__()?")
    return module


def assert_raises(make: Callable[[], Any], error: type[Exception], what: str,
                  must_mention: str | None = None, otherwise: str = "") -> None:
    """`make()` must raise `error` with a message (naming `must_mention`, if given).

    Raising another kind of exception, or nothing, fails with a message saying so; `otherwise`
    is appended when nothing was raised (a hint about the likely mistake)."""
    kind = error.__name__
    try:
        make()
    except error as err:
        if not str(err):
            raise AssertionError(f"{what}: the {kind} should say what is wrong.") from err
        if must_mention is not None and must_mention not in str(err):
            raise AssertionError(f"{what}: the {kind} should name {must_mention!r}; it says "
                                 f"{str(err)!r}.") from err
    except NotImplementedError:
        raise
    except Exception as err:  # noqa: BLE001 - the wrong kind of error is a failure
        raise AssertionError(f"{what} should raise {kind}, not {type(err).__name__}: "
                             f"{err}") from err
    else:
        raise AssertionError(f"{what} should raise {kind}.{' ' + otherwise if otherwise else ''}")


def assert_is_tensor(got: Any, what: str) -> Tensor:
    if not isinstance(got, Tensor):
        raise AssertionError(f"{what}: expected a torch.Tensor, got {type(got).__name__} "
                             f"({describe(got)}).")
    return got


def _shape_hint(got: tuple[int, ...], expected: tuple[int, ...]) -> str:
    if sorted(got) == sorted(expected) and got != expected:
        return " The same sizes in another order: are two dimensions swapped?"
    if len(got) == len(expected) + 1 and 1 in got:
        return " There is an extra dimension of size 1: a missing squeeze, or keepdim=True?"
    if len(got) + 1 == len(expected):
        return " One dimension is missing: did a reduction (sum/any/min) run over a wrong axis?"
    if len(got) == len(expected) + 1:
        return " One dimension too many: did you forget to reduce over one axis?"
    return ""


def assert_shape(got: Tensor, expected: tuple[int, ...], what: str) -> None:
    got_shape, expected = tuple(got.shape), tuple(expected)
    if got_shape != expected:
        raise AssertionError(f"{what}: wrong shape. Expected {expected}, got {got_shape}."
                             + _shape_hint(got_shape, expected))


def assert_bool_like(got: Any, what: str) -> bool:
    """Accept a Python bool or a one-element bool tensor; return it as a Python bool."""
    if isinstance(got, (bool, np.bool_)):
        return bool(got)
    if isinstance(got, Tensor) and got.numel() == 1 and got.dtype == t.bool:
        return bool(got)
    raise AssertionError(f"{what}: expected a bool (True/False), got {describe(got)}. Return a "
                         "Python bool, e.g. `bool(condition)`.")


def _positions(mask: Tensor, limit: int = MAX_LISTED) -> list[tuple[int, ...]]:
    idx = mask.nonzero()[:limit]
    return [tuple(int(i) for i in row) for row in idx]


def assert_tensors_equal_bool(got: Any, expected: Tensor, what: str,
                              index_name: str = "index") -> None:
    """Compare boolean tensors and list the positions that differ."""
    got = assert_is_tensor(got, what)
    assert_shape(got, tuple(expected.shape), what)
    if got.dtype != t.bool:
        raise AssertionError(f"{what}: expected dtype torch.bool, got {got.dtype}. "
                             "Comparisons like `u >= 0` give booleans; combine them with & and |.")
    wrong = got != expected
    if wrong.any():
        n = int(wrong.sum())
        listed = ", ".join(
            f"{index_name} {p[0] if len(p) == 1 else p}: expected {bool(expected[p])}, "
            f"got {bool(got[p])}" for p in _positions(wrong))
        raise AssertionError(f"{what}: {n} of {expected.numel()} values are wrong ({listed}"
                             f"{', ...' if n > MAX_LISTED else ''}).")


def assert_close(got: Any, expected: Tensor, what: str, atol: float = 1e-5,
                 rtol: float = 1e-4, same_dtype: bool = False) -> None:
    """Compare float tensors (inf must match inf) and explain the first differences.

    With same_dtype, the dtype must match too (for functions that should preserve their
    input's dtype, e.g. float64 in, float64 out)."""
    got = assert_is_tensor(got, what)
    assert_shape(got, tuple(expected.shape), what)
    if same_dtype and got.dtype != expected.dtype:
        raise AssertionError(f"{what}: wrong dtype. Expected {expected.dtype} (the input's), got "
                             f"{got.dtype}. Create new tensors with the input's dtype, e.g. "
                             "x.new_full(...) or dtype=x.dtype.")
    if not got.is_floating_point():
        raise AssertionError(f"{what}: expected a floating-point tensor ({expected.dtype}), got "
                             f"{got.dtype}.")
    got64, exp64 = got.detach().double(), expected.detach().double()
    if got64.isnan().any() and not exp64.isnan().any():
        raise AssertionError(f"{what}: your result contains NaN at {_positions(got64.isnan())}. "
                             "A 0/0 or inf - inf somewhere?")
    same_inf = t.isinf(got64) & t.isinf(exp64) & (t.sign(got64) == t.sign(exp64))
    close = t.isclose(got64, exp64, atol=atol, rtol=rtol, equal_nan=True) | same_inf
    if not close.all():
        wrong = ~close
        n = int(wrong.sum())
        listed = "; ".join(f"at {p[0] if len(p) == 1 else p} expected {exp64[p].item():.6g}, got "
                           f"{got64[p].item():.6g}" for p in _positions(wrong))
        hint = _value_hint(got64, exp64)
        raise AssertionError(f"{what}: {n} of {expected.numel()} values differ ({listed}"
                             f"{'; ...' if n > MAX_LISTED else ''}).{hint}")


def _value_hint(got: Tensor, expected: Tensor) -> str:
    """Name a few common patterns behind wrong values."""
    finite = t.isfinite(got) & t.isfinite(expected)
    if (t.isinf(expected) & t.isfinite(got)).any():
        return " Some positions should be inf (nothing hit) but you returned a finite number."
    if (t.isfinite(expected) & t.isinf(got)).any():
        return " Some positions should be finite but you returned inf."
    if finite.any():
        g, e = got[finite], expected[finite]
        if t.allclose(g, -e, atol=1e-5):
            return " Your values have the opposite sign."
        if g.shape == e.shape and g.ndim >= 2 and g.shape[-1] == g.shape[-2] and \
                t.allclose(g.transpose(-1, -2), e, atol=1e-5):
            return " Your result is the transpose of the expected one."
        nz = e.abs() > 1e-6
        if nz.all():  # a constant factor only makes sense where nothing is expected to be 0
            ratio = g / e
            factor = ratio[0].item()
            if t.allclose(ratio, ratio[0].expand_as(ratio), rtol=1e-3) and \
                    abs(factor) > 1e-6 and abs(factor - 1) > 1e-3:
                return f" Your values are all {factor:.4g} times the expected ones."
    return ""
