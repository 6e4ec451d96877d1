"""The shared front of the pages' expression parsers (chapter 3's `Value` graphs, chapter 5.4's
`Tensor` graphs): an expression typed on a page is parsed with `ast` and checked against a
whitelist before anything runs; each chapter adds the names, calls and methods it allows.
"""

from __future__ import annotations

import ast


class ExpressionError(ValueError):
    """The expression can't be drawn; the message says why, for the learner."""


def parse_limited(text: str, max_chars: int) -> ast.Expression:
    """`text` parsed as one Python expression, or an ExpressionError saying why it can't be."""
    if len(text) > max_chars:
        raise ExpressionError(f"Keep the expression under {max_chars} characters.")
    try:
        return ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise ExpressionError(f"That is not a Python expression: {err.msg} (column "
                              f"{err.offset}).") from None


def check_operator(node: ast.AST, allowed: tuple[type, ...], which: str) -> bool:
    """True if `node` is an operator node (structure the caller need not look at further),
    after checking it: binary operators must be in `allowed` (`which` lists them for the
    message), and the only unary operator is minus. False for any other node."""
    if isinstance(node, (ast.Expression, ast.Load)):
        return True
    if isinstance(node, ast.operator):
        if type(node) not in allowed:
            raise ExpressionError(f"The operator {type(node).__name__} is not supported: use "
                                  f"{which}.")
        return True
    if isinstance(node, ast.unaryop):
        if not isinstance(node, ast.USub):
            raise ExpressionError("Only unary minus is supported.")
        return True
    return False
