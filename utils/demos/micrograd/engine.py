"""Chapter 3's demo for its engine sections: the graph a `Value` class records for an expression
typed (or picked) on the page, with every value's data and gradient after `backward()`.

`value_graph` runs in the sandbox on the learner's chapter (utils.runner.run_demo) and returns
plain data for utils.figures.graph_view. Expressions are parsed with `ast` and checked against a
short whitelist before anything runs, then evaluated with Python's own operators on the engine's
`Value`s, so `2 * a` exercises the learner's `__rmul__` exactly as their code would.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Mapping
from typing import Any

from utils.demos.micrograd_settings import MAX_EXPRESSION_CHARS
from utils.expressions import ExpressionError, check_operator, parse_limited

__all__ = ["value_graph"]

INPUT_NAMES = ("a", "b", "c")
METHODS = ("exp", "tanh", "relu")
MAX_NODES = 200
MAX_EXPONENT = 20  # a ** 1000 says nothing a graph can show, and overflows
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Pow: operator.pow}


def _number(node: ast.AST) -> float | None:
    """The value of a number literal, possibly negated (`-1`), else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and \
            not isinstance(node.value, bool):
        return float(node.value)
    return None


def parse_expression(text: str) -> ast.Expression:
    """Parse and validate: the names a, b, c; numbers; + - * / and unary minus; ** with a number
    exponent; the methods .exp(), .tanh(), .relu()."""
    tree = parse_limited(text, MAX_EXPRESSION_CHARS)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node in ast.walk(tree):
        if check_operator(node, tuple(_BINARY), "+ - * / and ** with a number exponent"):
            continue
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow):
                exponent = _number(node.right)
                if exponent is None:
                    raise ExpressionError("The exponent of ** must be a number, as in a ** 2 "
                                          "(Value supports number exponents only).")
                if abs(exponent) > MAX_EXPONENT:
                    raise ExpressionError(f"Keep exponents between -{MAX_EXPONENT} and "
                                          f"{MAX_EXPONENT}.")
        elif isinstance(node, ast.Name):
            if node.id not in INPUT_NAMES:
                raise ExpressionError(f"Unknown name {node.id!r}: use the inputs "
                                      f"{', '.join(INPUT_NAMES)}, numbers, and the methods "
                                      f"{', '.join(f'.{m}()' for m in METHODS)}.")
        elif isinstance(node, ast.Call):
            if node.args or node.keywords or not isinstance(node.func, ast.Attribute) or \
                    node.func.attr not in METHODS:
                raise ExpressionError("Calls allowed: the methods "
                                      f"{', '.join(f'.{m}()' for m in METHODS)}, with no "
                                      "arguments, as in (a * b).tanh().")
        elif isinstance(node, ast.Attribute):
            if node.attr not in METHODS or id(node) not in called:
                raise ExpressionError(f".{node.attr} is not supported: call one of "
                                      f"{', '.join(f'.{m}()' for m in METHODS)}.")
        elif _number(node) is None:
            raise ExpressionError(f"{type(node).__name__} is not supported in an expression "
                                  "here.")
    if not any(isinstance(node, ast.Name) for node in ast.walk(tree)):
        raise ExpressionError("Use at least one of the inputs a, b, c.")
    return tree


def parse_inputs(values: Mapping[str, Any]) -> dict[str, float]:
    """The inputs as finite floats, by name."""
    out = {}
    for name in INPUT_NAMES:
        try:
            out[name] = float(values[name])
        except (KeyError, TypeError, ValueError):
            raise ExpressionError(f"Give {name} a number.") from None
        if not math.isfinite(out[name]):
            raise ExpressionError(f"{name} must be a finite number.")
    return out


def _evaluate(node: ast.AST, leaves: dict[str, Any]) -> Any:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, leaves)
    if isinstance(node, ast.Name):
        return leaves[node.id]
    if (number := _number(node)) is not None:
        return number
    if isinstance(node, ast.UnaryOp):
        return -_evaluate(node.operand, leaves)
    if isinstance(node, ast.BinOp):
        left = _evaluate(node.left, leaves)
        if isinstance(node.op, ast.Pow) and isinstance(left, float):
            raise ExpressionError("Raise an expression of the inputs to a power, not a number "
                                  "(Value has no 2 ** a).")
        return _BINARY[type(node.op)](left, _evaluate(node.right, leaves))
    if isinstance(node, ast.Call):
        target = _evaluate(node.func.value, leaves)
        if isinstance(target, float):
            raise ExpressionError(f"Call .{node.func.attr}() on an expression of the inputs, "
                                  "not on a number.")
        return getattr(target, node.func.attr)()
    raise ExpressionError(f"{type(node).__name__} is not supported.")


def _text(x: Any) -> str:
    try:
        return f"{float(x):.4g}"
    except (TypeError, ValueError):
        return str(x)[:40]


def describe_graph(root: Any, names: Mapping[int, str] | None = None) -> dict:
    """Any Value graph (duck-typed: `.data`, `.grad`, `._prev`, `._op`) as utils.figures.graph_view
    draws it: nodes in topological order, inputs named by `names` (id -> name), constants by
    their value, other nodes by their `_op`; `step` is each node's place in the backward pass."""
    names = dict(names or {})
    order: list[Any] = []
    seen: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:  # depth-first, inputs before the values made from them
        v, done = stack.pop()
        if done:
            order.append(v)
        elif id(v) not in seen:
            seen.add(id(v))
            if len(seen) > MAX_NODES:
                raise ExpressionError(f"The graph has more than {MAX_NODES} values: draw a "
                                      "smaller expression.")
            stack.append((v, True))
            stack.extend((c, False) for c in _children(v) if id(c) not in seen)
    step = {id(v): i for i, v in enumerate(reversed(order))}
    nodes = []
    for v in order:
        children = _children(v)
        is_input = id(v) in names
        label = names.get(id(v)) or (str(getattr(v, "_op", "") or "")[:20] if children
                                     else _text(getattr(v, "data", "?")))
        nodes.append({"id": str(id(v)), "label": label or "?", "is_input": is_input,
                      "value": f"data {_text(getattr(v, 'data', '?'))}",
                      "grad": _text(getattr(v, "grad", None)),
                      "parents": [str(id(c)) for c in children], "step": step[id(v)]})
    return {"nodes": nodes}


def _children(v: Any) -> list[Any]:
    # Sorted by id would shuffle between runs; by data keeps the drawing stable for one graph.
    prev = list(getattr(v, "_prev", ()) or ())
    return sorted(prev, key=lambda c: (str(getattr(c, "_op", "")), _text(getattr(c, "data", 0))))


def value_graph(engine: Mapping[str, Any], expression: str, inputs: Mapping[str, Any],
                backward: bool = True) -> dict:
    """Evaluate `expression` with `engine["Value"]` on the inputs a, b, c, call `backward()` on
    the result (unless `backward` is False), and describe the graph it recorded."""
    tree = parse_expression(expression)
    Value = engine["Value"]
    leaves = {name: Value(x) for name, x in parse_inputs(inputs).items()}
    try:
        root = _evaluate(tree, leaves)
    except (OverflowError, ZeroDivisionError) as err:
        raise ExpressionError(f"{expression} can't be computed at these inputs: {err}.") from None
    if not hasattr(root, "_prev"):
        raise ExpressionError("The expression must use at least one of the inputs.")
    if backward:
        root.backward()
    used = {id(v): name for name, v in leaves.items()}
    return {"expression": expression, **describe_graph(root, used)}
