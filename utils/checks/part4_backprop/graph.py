"""Checks for chapter 5.4's second section: the computational graph."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import torch as t

from solutions import part4_backprop as reference
from utils.checks.assertions import call, passed
from utils.checks.part4_backprop._common import assert_array, learner_env, tensor_like


def test_BackwardFuncLookup(BackwardFuncLookup: type) -> None:
    def back_a(*args):  # three distinct functions to register
        return "a"

    def back_b(*args):
        return "b"

    def back_c(*args):
        return "c"

    lookup = call(BackwardFuncLookup, context="creating a BackwardFuncLookup()")
    for func, position, back in ((np.log, 0, back_a), (np.multiply, 0, back_b),
                                 (np.multiply, 1, back_c)):
        call(lookup.add_back_func, func, position, back,
             context=f"in add_back_func({func.__name__}, {position}, ...)")
    for func, position, back in ((np.log, 0, back_a), (np.multiply, 0, back_b),
                                 (np.multiply, 1, back_c)):
        got = call(lookup.get_back_func, func, position,
                   context=f"in get_back_func({func.__name__}, {position})")
        if got is not back:
            raise AssertionError(
                f"BackwardFuncLookup: get_back_func(np.{func.__name__}, {position}) returned "
                f"{getattr(got, '__name__', got)!r}, not the function registered for that "
                "function and position. Key the table on both.")
    call(lookup.add_back_func, np.log, 0, back_c, context="registering np.log, 0 again")
    if call(lookup.get_back_func, np.log, 0, context="after registering again") is not back_c:
        raise AssertionError("BackwardFuncLookup: registering (np.log, 0) a second time should "
                             "replace the first backward function.")
    other = call(BackwardFuncLookup, context="creating a second BackwardFuncLookup()")
    try:
        leaked = other.get_back_func(np.multiply, 0)
    except NotImplementedError:
        raise
    except Exception:  # noqa: BLE001 - KeyError is asked for; any error for a missing entry will do
        pass
    else:
        if leaked is not None:
            raise AssertionError("BackwardFuncLookup: a new, empty lookup already knows "
                                 "np.multiply: two lookups share one table. Create the dict in "
                                 "__init__ (on self), not in the class body.")
        raise AssertionError("BackwardFuncLookup: get_back_func for a function that was never "
                             "registered returned None; raise KeyError, so that a forgotten "
                             "registration fails where it happens.")
    passed("test_BackwardFuncLookup")


def _assert_recipe(out: Any, func: Callable, args: tuple, kwargs: dict, parents: dict,
                   what: str) -> None:
    recipe = getattr(out, "recipe", None)
    if recipe is None:
        raise AssertionError(f"{what}: the output requires grad, so it needs a Recipe; its "
                             ".recipe is None.")
    if recipe.func is not func:
        raise AssertionError(f"{what}: recipe.func should be {getattr(func, '__name__', func)} "
                             f"(the NumPy function), got {recipe.func!r}.")
    if not isinstance(recipe.args, (tuple, list)) or len(recipe.args) != len(args):
        raise AssertionError(f"{what}: recipe.args should be a tuple of the {len(args)} "
                             f"argument values, got {recipe.args!r}.")
    for i, (got, expected) in enumerate(zip(recipe.args, args)):
        if hasattr(got, "recipe"):
            raise AssertionError(f"{what}: recipe.args[{i}] is a Tensor; store its array "
                                 "(the Tensor itself goes in parents).")
        if not np.array_equal(np.asarray(got), np.asarray(expected)):
            raise AssertionError(f"{what}: recipe.args[{i}] should be {expected!r}, got "
                                 f"{got!r}.")
    if recipe.kwargs != kwargs:
        raise AssertionError(f"{what}: recipe.kwargs should be {kwargs!r}, got "
                             f"{recipe.kwargs!r}.")
    if set(recipe.parents) != set(parents) or any(recipe.parents[k] is not v
                                                  for k, v in parents.items()):
        raise AssertionError(
            f"{what}: recipe.parents should map {sorted(parents)} (the positions of the Tensor "
            f"arguments) to those very Tensors; got keys {sorted(recipe.parents)}.")


def _assert_untracked(out: Any, what: str) -> None:
    if getattr(out, "requires_grad", None) is not False:
        raise AssertionError(f"{what}: the output should not require grad, got requires_grad="
                             f"{getattr(out, 'requires_grad', None)!r}.")
    if getattr(out, "recipe", None) is not None:
        raise AssertionError(f"{what}: an output that does not require grad needs no recipe "
                             "(backprop never goes through it); .recipe should be None.")


class _TrackingOff:
    """Switch off the learner's grad_mode (their own in a local file) for a block."""

    def __init__(self, env) -> None:
        self.mode = env["grad_mode"]

    def __enter__(self) -> None:
        self.was = self.mode.enabled
        self.mode.enabled = False

    def __exit__(self, *exc: Any) -> None:
        self.mode.enabled = self.was


def _forward_cases(name: str, forward: Callable, env, numpy_func: Callable,
                   make_args: Callable[[type], list]) -> None:
    """Shared by log_forward, multiply_forward and wrap_forward_fn: values, requires_grad and
    the recipe, with arguments that do and don't require grad, and with tracking switched off."""
    Tensor = env["Tensor"]
    for requires in (True, False):
        args = make_args(Tensor, requires)
        arrays = tuple(a.array if isinstance(a, Tensor) else a for a in args)
        parents = {i: a for i, a in enumerate(args) if isinstance(a, Tensor)}
        shown = ", ".join(f"Tensor(shape {a.shape}, requires_grad={a.requires_grad})"
                          if isinstance(a, Tensor) else repr(a) for a in args)
        what = f"{name}({shown})"
        out = call(forward, *args, context=f"on {what}")
        assert_array(tensor_like(out, what), numpy_func(*arrays), f"{what}: the output's array")
        tracked = any(p.requires_grad for p in parents.values())
        if tracked:
            if out.requires_grad is not True:
                raise AssertionError(f"{what}: an argument requires grad, so the output should "
                                     f"too; got requires_grad={out.requires_grad!r}.")
            _assert_recipe(out, numpy_func, arrays, {}, parents, what)
        else:
            _assert_untracked(out, what)
    with _TrackingOff(env):
        args = make_args(Tensor, True)
        out = call(forward, *args, context="with grad_mode.enabled = False")
        _assert_untracked(out, f"{name} with grad_mode.enabled = False (as inside NoGrad)")


def test_log_forward(log_forward: Callable) -> None:
    env = learner_env(log_forward)
    x_values = np.array([1.0, math.e, math.e ** 2])
    _forward_cases("log_forward", log_forward, env, np.log,
                   lambda Tensor, requires: [Tensor(x_values, requires_grad=requires)])
    chain_values = np.array([math.e, math.e ** 2, math.e ** 3])
    x = env["Tensor"](chain_values, requires_grad=True)
    first = call(log_forward, x, context="on x = [e, e^2, e^3]")
    second = call(log_forward, first, context="on log_forward(x)")
    assert_array(tensor_like(second, "log_forward(log_forward(x))"), np.log([1.0, 2.0, 3.0]),
                 "log_forward(log_forward(x)) for x = [e, e^2, e^3]")
    _assert_recipe(second, np.log, (first.array,), {}, {0: first},
                   "log_forward(log_forward(x)): the outer output")
    passed("test_log_forward")


def test_multiply_forward(multiply_forward: Callable) -> None:
    env = learner_env(multiply_forward)
    rng = np.random.default_rng(10)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3,))
    cases = [
        lambda T, r: [T(a, requires_grad=r), T(b, requires_grad=r)],
        lambda T, r: [T(a, requires_grad=r), 2.5],
        lambda T, r: [-1.5, T(b, requires_grad=r)],
        lambda T, r: [T(a, requires_grad=r), T(b, requires_grad=False)],
        lambda T, r: [T(a, requires_grad=False), T(b, requires_grad=r)],
    ]
    for make_args in cases:
        _forward_cases("multiply_forward", multiply_forward, env, np.multiply, make_args)
    passed("test_multiply_forward")


def _three_args(x, y, z, scale=1.0):
    return (x * y + z) * scale


def test_wrap_forward_fn(wrap_forward_fn: Callable) -> None:
    env = learner_env(wrap_forward_fn)
    Tensor = env["Tensor"]
    rng = np.random.default_rng(11)
    a, b = rng.uniform(0.5, 2, (2, 3)), rng.uniform(0.5, 2, (3,))
    log = call(wrap_forward_fn, np.log, context="wrap_forward_fn(np.log)")
    multiply = call(wrap_forward_fn, np.multiply, context="wrap_forward_fn(np.multiply)")
    _forward_cases("wrap_forward_fn(np.log)", log, env, np.log,
                   lambda T, r: [T(a, requires_grad=r)])
    for make_args in (lambda T, r: [T(a, requires_grad=r), T(b, requires_grad=r)],
                      lambda T, r: [3.0, T(b, requires_grad=r)],
                      lambda T, r: [T(a, requires_grad=r), T(b, requires_grad=False)]):
        _forward_cases("wrap_forward_fn(np.multiply)", multiply, env, np.multiply, make_args)
    # Three arguments, one of them a number, and a keyword argument.
    wrapped = call(wrap_forward_fn, _three_args, context="wrapping a three-argument function")
    x, z = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    what = "wrap_forward_fn(f) for f(x, y, z, scale) called as f(x, 2.0, z, scale=3.0)"
    out = call(wrapped, x, 2.0, z, scale=3.0, context=f"on {what}")
    assert_array(tensor_like(out, what), _three_args(a, 2.0, b, 3.0), f"{what}: the value")
    _assert_recipe(out, _three_args, (a, 2.0, b), {"scale": 3.0}, {0: x, 2: z}, what)
    # The engine's sum is wrap_forward_fn(sum_array), called with keywords.
    tensor_sum = call(wrap_forward_fn, reference.sum_array, context="wrap_forward_fn(sum_array)")
    what = "wrap_forward_fn(sum_array) called as f(x, dim=1, keepdim=True)"
    out = call(tensor_sum, x, dim=1, keepdim=True, context=f"on {what}")
    assert_array(tensor_like(out, what), a.sum(axis=1, keepdims=True), f"{what}: the value")
    _assert_recipe(out, reference.sum_array, (a,), {"dim": 1, "keepdim": True}, {0: x}, what)
    # Not differentiable: never tracked.
    eq = call(wrap_forward_fn, np.equal, is_differentiable=False,
              context="wrap_forward_fn(np.equal, is_differentiable=False)")
    what = "wrap_forward_fn(np.equal, is_differentiable=False) on Tensors that require grad"
    out = call(eq, Tensor(a, requires_grad=True), Tensor(a, requires_grad=True),
               context=f"on {what}")
    assert_array(tensor_like(out, what), np.ones_like(a), f"{what}: the value")
    _assert_untracked(out, what)
    passed("test_wrap_forward_fn")


class _Node:
    """A graph node for the topological sort checks; children are what it depends on.

    Like a Tensor, it compares elementwise: `a == b` gives an object that is always truthy, so
    `node in some_list` is True for any non-empty list. A sort that must work on Tensors keeps
    ids (or identity-based sets and dicts), as these nodes require.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.children: list[_Node] = []

    def __repr__(self) -> str:
        return f"Node({self.name})"

    def __eq__(self, other: object) -> object:
        return _Elementwise()

    __hash__ = object.__hash__


class _Elementwise:
    """Stands for a Tensor of comparisons: truthy, whatever it holds."""


class _Children:
    """get_children for the checks, which stops a sort that goes round a cycle forever."""

    def __init__(self, what: str) -> None:
        self.what, self.calls = what, 0

    def __call__(self, node: _Node) -> list[_Node]:
        self.calls += 1
        if self.calls > 10_000:
            raise AssertionError(f"topological_sort on {self.what}: called get_children more "
                                 "than 10 000 times on a graph of a few nodes; it is going round "
                                 "a cycle. Track the nodes on the current path.")
        return node.children


def _graph(edges: str) -> dict[str, _Node]:
    """'a>b a>c b>d' -> nodes a..d where a has children b and c, b has child d."""
    nodes: dict[str, _Node] = {}
    for edge in edges.split():
        parent, child = edge.split(">")
        for name in (parent, child):
            nodes.setdefault(name, _Node(name))
        nodes[parent].children.append(nodes[child])
    return nodes


def _reachable(start: _Node) -> set[int]:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if id(node) not in seen:
            seen.add(id(node))
            todo.extend(node.children)
    return seen


_SORT_CASES = {  # name: (edges, start)
    "a chain a > b > c > d": ("a>b b>c c>d", "a"),
    "a branch: a depends on b and c": ("a>b a>c", "a"),
    "a diamond: b and c both depend on d": ("a>b a>c b>d c>d", "a"),
    "paths that rejoin at different depths": ("a>b a>e b>c c>d e>d a>d", "a"),
    "a sort that starts in the middle": ("a>b b>c c>d", "b"),
}


def test_topological_sort(topological_sort: Callable) -> None:
    for description, (edges, start) in _SORT_CASES.items():
        nodes = _graph(edges)
        what = f"topological_sort on {description} (edges {edges.replace(' ', ', ')})"
        order = call(topological_sort, nodes[start], _Children(what), context=f"on {what}")
        order = list(order)
        ids = [id(n) for n in order]
        if len(set(ids)) != len(ids):
            raise AssertionError(f"{what}: a node appears twice in {order}: list each node once, "
                                 "even when two paths reach it.")
        if set(ids) != _reachable(nodes[start]):
            raise AssertionError(f"{what}: expected exactly the nodes reachable from "
                                 f"{nodes[start]}, got {order}.")
        position = {id(n): i for i, n in enumerate(order)}
        for node in order:
            for child in node.children:
                if position[id(child)] > position[id(node)]:
                    raise AssertionError(
                        f"{what}: got {order}, where {child} comes after {node}, which depends on "
                        "it. Each node must come after all of its children (the start node last).")
    single = _Node("alone")
    if list(call(topological_sort, single, lambda n: [], context="on a single node")) != [single]:
        raise AssertionError("topological_sort of a node without children should be [node].")
    for description, edges, start in (("a cycle a > b > c > a", "a>b b>c c>a", "a"),
                                      ("a node that depends on itself", "a>b b>b", "a")):
        nodes = _graph(edges)
        try:
            order = topological_sort(nodes[start], _Children(description))
        except AssertionError:
            raise
        except RecursionError:
            raise AssertionError(f"topological_sort on {description}: went round the cycle until "
                                 "Python's recursion limit. Track the nodes on the current path "
                                 "and raise ValueError when you meet one again.") from None
        except NotImplementedError:
            raise
        except Exception:  # noqa: BLE001 - ValueError is asked for; any clear error will do
            continue
        raise AssertionError(f"topological_sort on {description}: should raise ValueError (no "
                             f"order exists), returned {order}.")
    passed("test_topological_sort")


class _Graph:
    """Builds graphs with the learner's own Tensor and Recipe classes (their given copies in a
    local file), without their forward functions: backprop is checked on its own."""

    def __init__(self, env) -> None:
        self.Tensor, self.Recipe = env["Tensor"], env["Recipe"]

    def leaf(self, values, requires_grad: bool = True):
        return self.Tensor(np.array(values, dtype=float), requires_grad=requires_grad)

    def op(self, func: Callable, *args):
        arrays = tuple(a.array if isinstance(a, self.Tensor) else a for a in args)
        parents = {i: a for i, a in enumerate(args) if isinstance(a, self.Tensor)}
        out = self.Tensor(func(*arrays))
        out.requires_grad = any(p.requires_grad for p in parents.values())
        if out.requires_grad:
            out.recipe = self.Recipe(func, arrays, {}, parents)
        return out


def _add_sharing(x, y):
    """x + y, whose backward functions (registered by the check) hand back grad_out itself."""
    return np.add(x, y)


def _total(x):
    """x.sum(), whose backward function returns a read-only broadcast view of grad_out."""
    return np.sum(x)


def _register_sharing_functions(lookup) -> None:
    # Backward functions may return an array they were given, or a view of one: legitimate (add's
    # gradient passes through unchanged), and the reason backprop must add with `a + b`, never
    # `a += b`, which would change arrays that other nodes still use.
    lookup.add_back_func(_add_sharing, 0, lambda grad_out, out, x, y: grad_out)
    lookup.add_back_func(_add_sharing, 1, lambda grad_out, out, x, y: grad_out)
    lookup.add_back_func(_total, 0, lambda grad_out, out, x: np.broadcast_to(grad_out, x.shape))


def _grad_of(leaf, name: str, what: str) -> np.ndarray | None:
    grad = getattr(leaf, "grad", None)
    if grad is None:
        return None
    return tensor_like(grad, f"{what}: {name}.grad")


def _expect_grads(backprop: Callable, end, expected: dict[str, tuple[Any, Any]], what: str,
                  end_grad=None) -> None:
    what = f"backprop on {what}"
    args = (end,) if end_grad is None else (end, end_grad)
    kept = None if end_grad is None else end_grad.array.copy()
    call(backprop, *args, context=f"on {what}")
    if kept is not None and not np.array_equal(end_grad.array, kept):
        raise AssertionError(f"{what}: backprop changed end_grad's array; add gradients with "
                             "`a + b`, not in place.")
    for name, (leaf, grad) in expected.items():
        got = _grad_of(leaf, name, what)
        if grad is None:
            if got is not None:
                raise AssertionError(f"{what}: {name}.grad should stay None ({name} does not "
                                     f"require grad, or is not a leaf), got {got}.")
            continue
        if got is None:
            raise AssertionError(f"{what}: {name}.grad is None; expected {np.asarray(grad)}.")
        assert_array(got, np.asarray(grad, dtype=float), f"{what}: {name}.grad")


def test_backprop(backprop: Callable) -> None:
    env = learner_env(backprop)
    g = _Graph(env)

    def log(x):
        return g.op(np.log, x)

    def mul(x, y):
        return g.op(np.multiply, x, y)

    e = math.e
    a = g.leaf([e, e ** e])
    _expect_grads(backprop, log(log(a)), {"a": (a, [1 / e, 1 / (e ** e * e)])},
                  "a chain, c = log(log(a)) with a = [e, e^e]")

    a, b = g.leaf([1.0, 2.0, 3.0]), g.leaf([4.0, 5.0, 6.0])
    _expect_grads(backprop, mul(a, b), {"a": (a, [4, 5, 6]), "b": (b, [1, 2, 3])},
                  "a branch, c = a * b with a = [1, 2, 3], b = [4, 5, 6]")

    a = g.leaf([1.0, 2.0, 3.0])
    _expect_grads(backprop, mul(a, a), {"a": (a, [2, 4, 6])},
                  "a shared parent, c = a * a with a = [1, 2, 3] (both factors are a: add "
                  "their gradients, don't overwrite)")

    a = g.leaf([1.0, 2.0, 4.0])
    inner = log(a)
    _expect_grads(backprop, mul(inner, a),
                  {"a": (a, 1 + np.log([1.0, 2.0, 4.0])), "log(a)": (inner, None)},
                  "a diamond, d = log(a) * a with a = [1, 2, 4]: a is reached twice")

    a, b = g.leaf([1.0, 2.0]), g.leaf([3.0, 4.0], requires_grad=False)
    _expect_grads(backprop, mul(a, b), {"a": (a, [3, 4]), "b": (b, None)},
                  "c = a * b where b has requires_grad=False")

    a = g.leaf([1.0, -2.0])
    _expect_grads(backprop, mul(mul(a, 2.0), 3.0), {"a": (a, [6, 6])},
                  "c = (a * 2.0) * 3.0, with plain numbers")

    a, b = g.leaf([1.0, 2.0, 3.0]), g.leaf([4.0, 5.0, 6.0])
    _expect_grads(backprop, mul(a, b), {"a": (a, [4, 10, 18]), "b": (b, [1, 4, 9])},
                  "c = a * b with end_grad = [1, 2, 3] (not all ones)",
                  end_grad=g.Tensor(np.array([1.0, 2.0, 3.0])))

    a, b = g.leaf([1.0, 2.0]), g.leaf([3.0, 5.0])
    call(backprop, mul(a, b), context="on a first backprop")
    _expect_grads(backprop, log(a), {"a": (a, [3 + 1, 5 + 0.5])},
                  "a second backprop into a leaf that already has a gradient from the first "
                  "(c1 = a * b, then c2 = log(a)): gradients add up, as in torch")

    call(_register_sharing_functions, env["BACK_FUNCS"],
         context="registering two test functions in BACK_FUNCS")
    a, b = g.leaf([1.0, 2.0]), g.leaf([5.0, 7.0])
    _expect_grads(backprop, g.op(_add_sharing, g.op(_add_sharing, a, b), a),
                  {"a": (a, [2, 2]), "b": (b, [1, 1])},
                  "L = (a + b) + a, where add's backward returns grad_out itself (the same "
                  "array for both parents)", end_grad=g.Tensor(np.ones(2)))
    a = g.leaf([1.0, 2.0, 3.0])
    _expect_grads(backprop, g.op(_add_sharing, g.op(_total, a), g.op(_total, a)),
                  {"a": (a, [2, 2, 2])},
                  "L = a.sum() + a.sum(), where sum's backward returns a read-only broadcast "
                  "view")

    # Random shapes that broadcast, against torch.autograd.
    rng = np.random.default_rng(12)
    x_value, y_value = rng.uniform(0.5, 2, (2, 3)), rng.uniform(0.5, 2, (3,))
    x, y = g.leaf(x_value), g.leaf(y_value)
    xy = mul(x, y)
    z = mul(log(mul(xy, 3.0)), mul(xy, x))
    end_grad = rng.standard_normal((2, 3))
    call(backprop, z, g.Tensor(end_grad), context="on the random graph")
    tx, ty = (t.tensor(v, requires_grad=True) for v in (x_value, y_value))
    txy = tx * ty
    (t.log(txy * 3.0) * (txy * tx) * t.tensor(end_grad)).sum().backward()
    for name, leaf, expected in (("x", x, tx.grad), ("y", y, ty.grad)):
        got = _grad_of(leaf, name, "z = log(3xy) * (xy * x)")
        if got is None:
            raise AssertionError(f"backprop on z = log(3xy) * (xy * x): {name}.grad is None.")
        assert_array(got, expected.numpy(), f"backprop on z = log(3xy) * (xy * x) with x "
                     f"(2, 3), y (3,), compared with torch.autograd: {name}.grad")
    for name, node in (("x * y", xy), ("z", z)):
        if getattr(node, "grad", None) is not None:
            raise AssertionError(f"backprop on z = log(3xy) * (xy * x): the intermediate node "
                                 f"{name} got a .grad; only leaves keep gradients.")
    passed("test_backprop")
