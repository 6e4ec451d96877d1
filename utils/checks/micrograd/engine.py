"""Checks for chapter 3's engine sections (1-4): the numerical derivative, the topological order
and the `Value` class.

`Value` is checked against torch.autograd in float64: each operation alone first, so that a wrong
local derivative is named by its operator and input ("tanh at a=0.7: grad of a ..."), then values
used twice, then seeded random expressions built from every operation. While a check runs, the
helpers the learner's code calls by name (`numerical_derivative`, `topological_order`) are the
reference's, so each exercise is judged on its own.
"""

from __future__ import annotations

import math
import random
from typing import Any, Callable

import torch as t

from solutions import micrograd as reference
from utils.checks.assertions import call, passed
from utils.checks.learner_names import reference_names

__all__ = ["test_numerical_derivative", "test_numerical_gradient", "test_topological_order",
           "test_Value"]

TOLERANCE = 1e-9  # relative (and absolute near 0): float64 both sides, same formulas


def _close(got: float, expected: float) -> bool:
    return math.isclose(got, expected, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def _number(got: Any, what: str) -> float:
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        raise AssertionError(f"{what} should be a float; got {type(got).__name__} {got!r}.")
    return float(got)


# --- section 1 ---------------------------------------------------------------------------------

_ONE_INPUT = (("x ** 2", lambda x: x ** 2, 3.0, 0.1), ("x ** 2", lambda x: x ** 2, -1.5, 1e-3),
              ("exp(x)", math.exp, 0.5, 1e-4), ("sin(x)", math.sin, 1.0, 0.25),
              ("3x - 4", lambda x: 3 * x - 4, 2.0, 1e-6), ("x ** 3", lambda x: x ** 3, 2.0, 0.5))


def test_numerical_derivative(numerical_derivative: Callable) -> None:
    for text, f, x, h in _ONE_INPUT:
        got = _number(call(numerical_derivative, f, x, h, context=f"for f(x) = {text} at x={x}, "
                           f"h={h}"), f"numerical_derivative(f, {x}, {h}) for f(x) = {text}")
        expected = (f(x + h) - f(x)) / h
        if not _close(got, expected):
            central = (f(x + h) - f(x - h)) / (2 * h)
            why = " That is the central difference; the task asks for the forward one, " \
                  "(f(x + h) - f(x)) / h." if _close(got, central) else ""
            raise AssertionError(f"numerical_derivative for f(x) = {text} at x={x}, h={h}: got "
                                 f"{got:.10g}, expected (f(x + h) - f(x)) / h = "
                                 f"{expected:.10g}.{why}")
    passed("test_numerical_derivative")


_MANY_INPUTS = (("a * b + c", lambda a, b, c: a * b + c, [2.0, -3.0, 10.0], 1e-3),
                ("a ** 2 * b", lambda a, b: a ** 2 * b, [1.5, 4.0], 0.1),
                ("exp(a - b)", lambda a, b: math.exp(a - b), [0.3, 0.8], 1e-5),
                ("x", lambda x: x, [7.0], 1e-6))


def test_numerical_gradient(numerical_gradient: Callable) -> None:
    with reference_names(getattr(numerical_gradient, "__globals__", None), reference,
                            ("numerical_derivative",)):
        for text, f, inputs, h in _MANY_INPUTS:
            given = list(inputs)
            where = f"for f = {text} at {inputs}, h={h}"
            got = call(numerical_gradient, f, given, h, context=where)
            if given != inputs:
                raise AssertionError(f"numerical_gradient {where} changed the list `inputs` to "
                                     f"{given}: nudge a copy.")
            if not isinstance(got, (list, tuple)) or len(got) != len(inputs):
                raise AssertionError(f"numerical_gradient {where} should return a list of "
                                     f"{len(inputs)} floats, one per input; got {got!r}.")
            expected = reference.numerical_gradient(f, inputs, h)
            for i, (g, e) in enumerate(zip(got, expected)):
                g = _number(g, f"numerical_gradient {where}, element {i}")
                if not _close(g, e):
                    raise AssertionError(
                        f"numerical_gradient {where}: element {i} (the slope in input {i}) is "
                        f"{g:.10g}, expected {e:.10g}: nudge input {i} alone by h, hold the "
                        "others, and take the forward difference.")
    passed("test_numerical_gradient")


# --- section 3 ---------------------------------------------------------------------------------

def _reachable(root: Any) -> dict[int, Any]:
    found, stack = {}, [root]
    while stack:
        v = stack.pop()
        if id(v) not in found:
            found[id(v)] = v
            stack.extend(v._prev)
    return found


def _graphs() -> list[tuple[str, Any]]:
    """Small and larger graphs of reference Values, each with a description for messages."""
    V = reference.Value
    graphs = [("a leaf a on its own", V(1.0))]
    a, b = V(2.0), V(-3.0)
    graphs.append(("a * b + b (b used twice)", a * b + b))
    a = V(0.5)
    graphs.append(("(a.tanh().exp() * 2) + a (a reached by a short and a long path)",
                   (a.tanh().exp() * 2) + a))
    a, b, c = V(1.0), V(2.0), V(3.0)
    d = a * b
    e = d + c
    graphs.append(("d = a * b; e = d + c; (d * e) + (e * c).tanh()", (d * e) + (e * c).tanh()))
    x = V(0.1)
    chain = x
    for i in range(300):
        chain = chain + (x if i % 7 == 0 else i)
    graphs.append(("a chain of 300 additions, x added every 7th step", chain))
    rng = random.Random(3)
    leaves = [V(rng.uniform(-1, 1)) for _ in range(4)]
    nodes = list(leaves)
    for _ in range(40):
        u, w = rng.choice(nodes), rng.choice(nodes)
        nodes.append(u * w if rng.random() < 0.5 else u + w)
    graphs.append(("a random graph of 44 values where values are reused", sum(nodes[-5:])))
    return graphs


def test_topological_order(topological_order: Callable) -> None:
    for text, root in _graphs():
        where = f"topological_order on {text}"
        got = call(topological_order, root, context=f"on {text}")
        if not isinstance(got, list):
            raise AssertionError(f"{where} should return a list; got {type(got).__name__}.")
        reachable = _reachable(root)
        position: dict[int, int] = {}
        for i, v in enumerate(got):
            if id(v) not in reachable:
                raise AssertionError(f"{where}: element {i} ({v!r}) is not a value the root "
                                     "depends on.")
            if id(v) in position:
                raise AssertionError(f"{where}: {v!r} appears twice (at {position[id(v)]} and "
                                     f"{i}). Keep a set of the values already visited.")
            position[id(v)] = i
        missing = [v for k, v in reachable.items() if k not in position]
        if missing:
            raise AssertionError(f"{where}: {len(missing)} of the {len(reachable)} values are "
                                 f"missing, e.g. {missing[0]!r}"
                                 + (" (the root itself)." if missing[0] is root else "."))
        if got[-1] is not root:
            raise AssertionError(f"{where}: the root should be last (everything else comes "
                                 f"before it); the last element is {got[-1]!r}.")
        for i, v in enumerate(got):
            for child in v._prev:
                if position[id(child)] > i:
                    raise AssertionError(
                        f"{where}: {v!r} (at {i}, made by {v._op!r}) comes before its input "
                        f"{child!r} (at {position[id(child)]}). Write a value down only after "
                        "everything in its _prev.")
    passed("test_topological_order")


# --- section 4: Value ---------------------------------------------------------------------------

# Each operation alone, in the order the section builds them: (expression, inputs to try).
_OPERATIONS = (
    ("a + b", ((2.0, -3.0), (0.5, 0.25))), ("a * b", ((2.0, -3.0), (-0.5, 4.0))),
    ("a ** 2", ((3.0,), (-1.5,))), ("a ** 3", ((-2.0,),)), ("a ** -1", ((4.0,), (-0.5,))),
    ("a ** 0.5", ((2.25,),)), ("a ** -2.5", ((1.7,),)),
    ("a.exp()", ((0.0,), (1.3,), (-2.0,))), ("a.tanh()", ((0.7,), (-1.2,), (0.0,))),
    ("a.relu()", ((1.3,), (-0.7,), (0.0,))),
    ("-a", ((2.5,),)), ("a - b", ((2.0, 5.0),)), ("a / b", ((3.0, -4.0), (1.0, 0.5))),
    ("a + 2", ((1.5,),)), ("2 + a", ((1.5,),)), ("a - 2", ((1.5,),)), ("2 - a", ((1.5,),)),
    ("a * 3", ((1.5,),)), ("3 * a", ((1.5,),)), ("a / 4", ((1.5,),)), ("4 / a", ((1.5,),)),
)
# A value used twice, and values feeding two paths (`:=` names one, so it is the same Value in
# both places), some of different lengths: gradients must add up, in topological order.
_SHARED = (("a + a", (1.5,)), ("a * a", (-1.2,)), ("a * b + b", (2.0, -3.0)),
           ("(d := a * 2).tanh() + d ** 2", (0.4,)),
           ("(d := a * b) + d.tanh().exp()", (0.3, -0.8)),
           ("(d := a + b) * (e := d.exp()) - (e * c).tanh() / d", (0.5, -0.2, 0.7)),
           ("(d := a * b).exp() * d - a", (0.3, -0.8)))
_NAMES = ("a", "b", "c")


def _evaluate(expression: str, leaves: list[Any]) -> Any:
    # Our own expression strings only: no builtins, just the leaves.
    return eval(expression, {"__builtins__": {}}, dict(zip(_NAMES, leaves)))  # noqa: S307


def _torch_run(expression: str, inputs: tuple[float, ...]) -> tuple[float, list[float]]:
    leaves = [t.tensor(x, dtype=t.float64, requires_grad=True) for x in inputs]
    out = _evaluate(expression, leaves)
    out.backward()
    return out.item(), [0.0 if v.grad is None else v.grad.item() for v in leaves]


def _named_value(fn: Callable) -> Callable:
    """A check's closure named after the class it exercises, so that `call` reports a crash
    inside it as "Your `Value` raised ..." rather than by the closure's own name."""
    fn.__name__ = fn.__qualname__ = "Value"
    return fn


def _at(inputs: tuple[float, ...]) -> str:
    return ", ".join(f"{name}={x:g}" for name, x in zip(_NAMES, inputs))


def _compare(Value: type, expression: str, inputs: tuple[float, ...], advice: str = "") -> None:
    """Value and every input's gradient of `expression` with the learner's Value and torch."""
    where = f"{expression} at {_at(inputs)}"
    leaves = [call(Value, x, context=f"in Value({x})") for x in inputs]
    out = call(_named_value(lambda: _evaluate(expression, leaves)), context=f"computing {where}")
    if not hasattr(out, "data") or not hasattr(out, "backward"):
        raise AssertionError(f"Value: {where} should give a Value; got {type(out).__name__} "
                             f"{out!r}.")
    call(out.backward, context=f"in backward() of {where}")
    value, grads = _torch_run(expression, inputs)
    got = _number(out.data, f"Value: ({where}).data")
    if not _close(got, value):
        raise AssertionError(f"Value: {where}: data {got:.6g}, expected {value:.6g}.{advice}")
    for name, leaf, expected in zip(_NAMES, leaves, grads):
        g = _number(leaf.grad, f"Value: {name}.grad after backward() of {where}")
        if not _close(g, expected):
            raise AssertionError(f"Value: {where}: grad of {name} {g:.6g}, expected "
                                 f"{expected:.6g}.{advice}")


def _check_construction(Value: type) -> None:
    a = call(Value, 3, context="in Value(3)")
    if not isinstance(getattr(a, "data", None), float) or a.data != 3.0:
        raise AssertionError(f"Value: Value(3).data should be the float 3.0; got "
                             f"{getattr(a, 'data', 'no .data')!r}.")
    if getattr(a, "grad", None) != 0:
        raise AssertionError(f"Value: a new Value's .grad should start at 0.0; got "
                             f"{getattr(a, 'grad', 'no .grad')!r}.")
    b = call(Value, 2.0)
    s = call(_named_value(lambda: a + b), context="computing a + b")
    if set(getattr(s, "_prev", ())) != {a, b}:
        raise AssertionError("Value: (a + b)._prev should hold exactly a and b, the values it "
                             f"was computed from; got {getattr(s, '_prev', 'no _prev')!r}.")
    if len(getattr(a, "_prev", ())) != 0:
        raise AssertionError("Value: a leaf's _prev should be empty.")
    call(a.backward, context="in backward() of a leaf")
    if getattr(a, "grad", None) != 1.0:
        raise AssertionError(f"Value: after a.backward() on a leaf a, a.grad should be 1.0 "
                             f"(da/da); got {a.grad!r}. backward() starts from grad 1.0.")


def _wrap(x: str) -> str:
    return x if x in _NAMES else f"({x})"


def _random_expression(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.2:
        return rng.choice(_NAMES) if rng.random() < 0.85 else f"{rng.choice((0.5, 2, 3)):g}"
    kind = rng.random()
    x = _random_expression(rng, depth - 1)
    if kind < 0.25:
        return f"{_wrap(x)}.{rng.choice(('exp', 'tanh', 'relu'))}()"
    if kind < 0.35:
        return f"{_wrap(x)} ** {rng.choice((2, 3, -1))}"
    if kind < 0.4:
        return f"-{_wrap(x)}"
    op = rng.choice(("+", "-", "*", "/"))
    y = _random_expression(rng, depth - 1)
    return f"{_wrap(x)} {op} {_wrap(y)}"


def _random_cases(n: int, seed: int = 17) -> list[tuple[str, tuple[float, ...]]]:
    """Seeded random expressions of a, b, c (every operation, reflected ones included) whose
    values and gradients stay moderate, so float64 rounding can't matter."""
    rng = random.Random(seed)
    cases: list[tuple[str, tuple[float, ...]]] = []
    while len(cases) < n:
        expression = _random_expression(rng, 4)
        if sum(expression.count(name) for name in _NAMES) < 2:
            continue
        inputs = tuple(round(rng.uniform(-2, 2), 2) for _ in _NAMES)
        try:
            value, grads = _torch_run(expression, inputs)
        except (RuntimeError, ZeroDivisionError, AttributeError):  # a constant on its own
            continue
        if all(math.isfinite(v) and abs(v) < 1e3 for v in (value, *grads)):
            cases.append((expression, inputs))
    return cases


RANDOM_CASES = _random_cases(40)


def test_Value(Value: type) -> None:
    backward = getattr(Value, "backward", None)
    with reference_names(getattr(backward, "__globals__", None), reference,
                         ("topological_order",)):
        _check_construction(Value)
        for expression, tries in _OPERATIONS:
            for inputs in tries:
                _compare(Value, expression, inputs)
        for expression, inputs in _SHARED:
            _compare(Value, expression, inputs,
                     " A value used more than once must collect the gradient of every use: "
                     "`+=` in each _backward, and backward() in topological order.")
        for expression, inputs in RANDOM_CASES:
            _compare(Value, expression, inputs,
                     " (Each operation alone passed: look at backward()'s order, and at `+=`.)")
    passed("test_Value")
