"""Chapter 5.4's demos: the graph of an expression typed on the page, and an MLP trained with an
engine. Each takes `engine`, a namespace holding the chapter's names (the reference solutions'
module vars, or the learner's answers file executed in the sandbox), and returns JSON-able data.

Expressions are parsed with `ast` and evaluated node by node from a short whitelist (no eval),
so that typing one on the page runs nothing but the engine's own operations.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

import numpy as np

from utils.expressions import ExpressionError, check_operator, parse_limited

INPUT_NAMES = ("a", "b", "c")
MAX_EXPRESSION_CHARS = 200
MAX_INPUT_SIZE = 16
MAX_INPUT_CHARS = 200
FUNCTIONS = {"log": 1, "exp": 1, "relu": 1, "maximum": 2}  # by name, with their argument count
METHODS = ("log", "exp", "sum")  # callable as methods: a.log(), (a * b).sum()
_BINARY = {ast.Add: "__add__", ast.Sub: "__sub__", ast.Mult: "__mul__", ast.Div: "__truediv__",
           ast.MatMult: "__matmul__"}
_SYMBOL = {"add": "+", "subtract": "−", "multiply": "×", "true_divide": "÷", "matmul": "@",
           "negative": "−x", "sum_array": "sum", "maximum": "max"}


def parse_expression(text: str) -> ast.Expression:
    """Parse and validate: names a, b, c; numbers; + - * / @ and unary minus; log, exp, relu,
    maximum as functions; .log(), .exp(), .sum() as methods."""
    tree = parse_limited(text, MAX_EXPRESSION_CHARS)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node in ast.walk(tree):
        if check_operator(node, tuple(_BINARY), "+ - * / @"):
            continue
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            continue
        if isinstance(node, ast.Name):
            if node.id in FUNCTIONS and id(node) not in called:
                raise ExpressionError(f"{node.id} is a function: call it, as in {node.id}(a).")
            if node.id not in INPUT_NAMES and node.id not in FUNCTIONS:
                raise ExpressionError(f"Unknown name {node.id!r}: use the inputs "
                                      f"{', '.join(INPUT_NAMES)} and the functions "
                                      f"{', '.join(FUNCTIONS)}.")
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and \
                not isinstance(node.value, bool):
            continue
        if isinstance(node, ast.Call) and not node.keywords:
            func = node.func
            if isinstance(func, ast.Name) and func.id in FUNCTIONS:
                if len(node.args) != FUNCTIONS[func.id]:
                    raise ExpressionError(f"{func.id} takes {FUNCTIONS[func.id]} argument(s), "
                                          f"got {len(node.args)}.")
                continue
            if isinstance(func, ast.Attribute) and func.attr in METHODS and not node.args:
                continue
            raise ExpressionError("Calls allowed: log(x), exp(x), relu(x), maximum(x, y), and "
                                  "the methods .log(), .exp(), .sum().")
        if isinstance(node, ast.Attribute) and node.attr in METHODS and id(node) in called:
            continue
        raise ExpressionError(f"{type(node).__name__} is not supported in an expression here.")
    return tree


def parse_inputs(texts: Mapping[str, str]) -> dict[str, np.ndarray]:
    """'1, 2, 3' -> array([1., 2., 3.]); one number -> a 0-d array; '1 2; 3 4' -> 2x2."""
    inputs = {}
    for name, text in texts.items():
        if len(text) > MAX_INPUT_CHARS:
            raise ExpressionError(f"{name}: keep it under {MAX_INPUT_CHARS} characters.")
        try:
            rows = [[float(v) for v in row.replace(",", " ").split()]
                    for row in text.split(";") if row.strip()]
        except ValueError:
            raise ExpressionError(f"{name}: write numbers separated by commas (rows separated "
                                  "by ';').") from None
        if not rows or any(len(r) != len(rows[0]) for r in rows):
            raise ExpressionError(f"{name}: give at least one number, and rows of equal length.")
        array = np.array(rows if len(rows) > 1 else rows[0])
        if array.size > MAX_INPUT_SIZE:
            raise ExpressionError(f"{name}: at most {MAX_INPUT_SIZE} numbers.")
        inputs[name] = array.reshape(()) if array.size == 1 and len(rows) == 1 else array
    return inputs


def _evaluate(node: ast.AST, engine: Mapping[str, Any], leaves: dict[str, Any]) -> Any:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, engine, leaves)
    if isinstance(node, ast.Name):
        return leaves[node.id]
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.UnaryOp):
        return -_evaluate(node.operand, engine, leaves)
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, engine, leaves), _evaluate(node.right, engine, leaves)
        if not hasattr(left, "array") and not hasattr(right, "array"):
            return _PYTHON_BINARY[type(node.op)](left, right)
        method = _BINARY[type(node.op)]
        if hasattr(left, "array"):
            return getattr(left, method)(right)
        return getattr(right, method.replace("__", "__r", 1))(left)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            args = [_evaluate(a, engine, leaves) for a in node.args]
            return engine[node.func.id](*args)
        target = _evaluate(node.func.value, engine, leaves)
        return getattr(target, node.func.attr)()
    raise ExpressionError(f"{type(node).__name__} is not supported.")


_PYTHON_BINARY = {ast.Add: lambda x, y: x + y, ast.Sub: lambda x, y: x - y,
                  ast.Mult: lambda x, y: x * y, ast.Div: lambda x, y: x / y,
                  ast.MatMult: lambda x, y: x @ y}


def _summary(array: Any) -> str:
    array = np.asarray(array, dtype=float)
    if array.size == 1:
        return f"{array.item():.4g}"
    return np.array2string(array, precision=3, separator=", ", max_line_width=60,
                           suppress_small=True)


def _label(node: Any) -> str:
    name = getattr(node.recipe.func, "__name__", "op")
    return _SYMBOL.get(name, name)


def expression_graph(engine: Mapping[str, Any], expression: str,
                     inputs: Mapping[str, str]) -> dict:
    """Evaluate `expression` with `engine` on the inputs, backprop from its result, and describe
    the graph: each node with its label, value, gradient, parents and backward step."""
    tree = parse_expression(expression)
    Tensor = engine["Tensor"]
    leaves = {name: Tensor(value, requires_grad=True)
              for name, value in parse_inputs(inputs).items()}
    with np.errstate(all="ignore"):
        end = _evaluate(tree, engine, leaves)
        if not hasattr(end, "array"):
            raise ExpressionError("The expression must use at least one of the inputs.")
        end_grad = np.ones_like(end.array, dtype=float)
        engine["backprop"](end, Tensor(end_grad))
        grads = _all_gradients(engine, end, end_grad)

    def parents(node: Any) -> list:
        return list(node.recipe.parents.values()) if node.recipe else []

    order = engine["topological_sort"](end, parents)
    step = {id(node): i for i, node in enumerate(reversed(order))}
    names = {id(v): k for k, v in leaves.items()}
    nodes = []
    for node in order:
        is_input = id(node) in names
        grad = node.grad.array if is_input and node.grad is not None else grads.get(id(node))
        nodes.append({"id": str(id(node)), "label": names.get(id(node)) or _label(node),
                      "is_input": is_input, "shape": list(np.shape(node.array)),
                      "value": _summary(node.array),
                      "grad": None if grad is None else _summary(grad),
                      "parents": [str(id(p)) for p in parents(node)], "step": step[id(node)]})
    return {"expression": expression, "nodes": nodes}


def _all_gradients(engine: Mapping[str, Any], end: Any, end_grad: np.ndarray) -> dict[int, Any]:
    """The gradient reaching every node (backprop keeps only the leaves'), with the engine's
    topological sort and backward functions."""
    grads = {id(end): end_grad}

    def parents(node: Any) -> list:
        return list(node.recipe.parents.values()) if node.recipe else []

    for node in reversed(engine["topological_sort"](end, parents)):
        grad_out = grads.get(id(node))
        if grad_out is None or node.recipe is None:
            continue
        for position, parent in node.recipe.parents.items():
            back = engine["BACK_FUNCS"].get_back_func(node.recipe.func, position)
            grad = back(grad_out, node.array, *node.recipe.args, **node.recipe.kwargs)
            grads[id(parent)] = grads[id(parent)] + grad if id(parent) in grads else grad
    return grads


def train_digits(engine: Mapping[str, Any], epochs: int = 10, lr: float = 0.1,
                 batch_size: int = 32, seed: int = 0, on_epoch=None) -> dict:
    """Train the engine's MLP on the offline digits: batch losses, validation accuracy per epoch
    (on a tenth of the training images, held out), the test accuracy measured once at the end,
    and the predictions for the first 10 test images."""
    from utils.data import offline_digits

    data = offline_digits()
    return train_on(engine, *_as_arrays(data), epochs=epochs, lr=lr, batch_size=batch_size,
                    seed=seed, on_epoch=on_epoch)


def _as_arrays(data: Any) -> tuple[np.ndarray, ...]:
    """ImageSet tensors (n, 1, 28, 28) in [0, 1] -> float64 arrays (n, 28, 28), int labels."""
    return (data.train_images[:, 0].numpy().astype(np.float64), data.train_labels.numpy(),
            data.test_images[:, 0].numpy().astype(np.float64), data.test_labels.numpy())


def train_on(engine: Mapping[str, Any], train_images: np.ndarray, train_labels: np.ndarray,
             test_images: np.ndarray, test_labels: np.ndarray, epochs: int, lr: float,
             batch_size: int, seed: int = 0, on_epoch=None) -> dict:
    """The engine's train_mlp on the training arrays (it holds out its own validation images),
    then the test set, once."""
    history: dict[str, Any] = {"batch_losses": [], "val_accuracy": []}

    def record(epoch: int, losses: list[float], accuracy: float) -> None:
        history["batch_losses"] += [float(v) for v in losses]
        history["val_accuracy"].append(float(accuracy))
        history["batches_per_epoch"] = len(losses)
        if on_epoch is not None:
            on_epoch(epoch, losses, accuracy)

    with np.errstate(all="ignore"):
        model = engine["train_mlp"](train_images, train_labels, epochs=epochs, lr=lr,
                                    batch_size=batch_size, seed=seed, on_epoch=record)
        with engine["NoGrad"]():
            logits = model(engine["Tensor"](test_images)).array
    predictions = np.argmax(logits, axis=1)
    history["test_accuracy"] = float((predictions == test_labels).mean())
    history["predictions"] = [int(v) for v in predictions[:10]]
    history["labels"] = [int(v) for v in test_labels[:10]]
    return history


def validated_history(data: object, epochs: int) -> dict:
    """A training history that came back from the sandbox, checked before it is drawn."""
    def numbers(value: object, limit: int) -> bool:
        return isinstance(value, list) and len(value) <= limit and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)

    if not (isinstance(data, dict) and numbers(data.get("batch_losses"), 100_000)
            and numbers(data.get("val_accuracy"), epochs) and len(data["val_accuracy"])
            and numbers([data.get("test_accuracy")], 1)
            and numbers(data.get("predictions"), 10) and numbers(data.get("labels"), 10)
            and isinstance(data.get("batches_per_epoch"), int)):
        raise ValueError("the training run returned something other than a training history")
    return data
