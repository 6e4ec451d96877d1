"""Wrong and right answers for chapter 3's engine sections (1-4). Each wrong answer is a slip a
learner plausibly makes; its check must reject it with a message.

The wrong `Value`s are the reference class with one line changed (`_variant`), so each differs
from a right answer by exactly the mistake it is named after."""

from __future__ import annotations

import inspect
import math
from collections import deque
from typing import Callable

from solutions import micrograd as ref

# --- numerical_derivative ------------------------------------------------------------------


def derivative_central(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def derivative_backward_difference(f, x, h=1e-6):
    return (f(x) - f(x - h)) / h


def derivative_wrong_sign(f, x, h=1e-6):
    return (f(x) - f(x + h)) / h


def derivative_no_division(f, x, h=1e-6):
    return f(x + h) - f(x)


def derivative_fixed_step(f, x, h=1e-6):
    """Ignores the h it is given."""
    return (f(x + 1e-6) - f(x)) / 1e-6


# --- numerical_gradient --------------------------------------------------------------------


def gradient_nudges_all_inputs(f, inputs, h=1e-6):
    moved = [x + h for x in inputs]
    slope = (f(*moved) - f(*inputs)) / h
    return [slope] * len(inputs)


def gradient_mutates_inputs(f, inputs, h=1e-6):
    """Nudges the caller's list in place and never puts it back."""
    out = []
    for i in range(len(inputs)):
        before = f(*inputs)
        inputs[i] += h
        out.append((f(*inputs) - before) / h)
    return out


def gradient_late_binding(f, inputs, h=1e-6):
    """Closures that all read the loop variable's last value."""
    fns = []
    for i in range(len(inputs)):
        def along(v):
            xs = list(inputs)
            xs[i] = v
            return f(*xs)
        fns.append(along)
    return [ref.numerical_derivative(fn, x, h) for fn, x in zip(fns, inputs)]


def gradient_central(f, inputs, h=1e-6):
    out = []
    for i in range(len(inputs)):
        up, down = list(inputs), list(inputs)
        up[i] += h
        down[i] -= h
        out.append((f(*up) - f(*down)) / (2 * h))
    return out


# --- topological_order ---------------------------------------------------------------------


def order_preorder(root):
    """Writes a value down before its inputs."""
    order, seen = [], set()

    def visit(v):
        if v not in seen:
            seen.add(v)
            order.append(v)
            for child in v._prev:
                visit(child)

    visit(root)
    return order


def order_no_seen_set(root):
    """Visits a shared value once per path to it: duplicates."""
    order = []

    def visit(v):
        for child in v._prev:
            visit(child)
        order.append(v)

    visit(root)
    return order


def order_reversed_bfs(root):
    """Level by level from the root, reversed: wrong where paths differ in length."""
    order, seen, queue = [], {root}, deque([root])
    while queue:
        v = queue.popleft()
        order.append(v)
        for child in v._prev:
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return order[::-1]


def order_without_root(root):
    return ref.topological_order(root)[:-1]


def order_root_first(root):
    return ref.topological_order(root)[::-1]


def order_leaves_only(root):
    return [v for v in ref.topological_order(root) if not v._prev] + [root]


# --- Value ---------------------------------------------------------------------------------

_SOURCE = inspect.getsource(ref.Value)
_SOURCE = _SOURCE[_SOURCE.index("class Value"):]  # without the @exercise metadata


def _variant(name: str, *changes: tuple[str, str]) -> type:
    """The reference Value with each (old, new) text replaced once: one mistake."""
    source = _SOURCE
    for old, new in changes:
        assert source.count(old) == 1, f"{name}: {old!r} is not in the reference exactly once"
        source = source.replace(old, new)
    namespace = {"math": math, "topological_order": ref.topological_order,
                 "Callable": Callable, "__name__": "wrong_answers"}
    exec(compile("from __future__ import annotations\n" + source, f"<{name}>", "exec"),
         namespace)
    return namespace["Value"]


_REVERSED_BFS = '''        self.grad = 1.0
        seen, queue, order = {id(self)}, [self], []
        while queue:
            v = queue.pop(0)
            order.append(v)
            for child in v._prev:
                if id(child) not in seen:
                    seen.add(id(child))
                    queue.append(child)
        for v in order:
            v._backward()'''
_FORWARD_ORDER = '''        self.grad = 1.0
        for v in topological_order(self):
            v._backward()'''
_OLD_BACKWARD = '''        self.grad = 1.0
        for v in reversed(topological_order(self)):  # each passes its gradient on before its inputs
            v._backward()'''

ADD_OVERWRITES = _variant("add_overwrites", ("self.grad += out.grad  #", "self.grad = out.grad  #"),
                          ("other.grad += out.grad", "other.grad = out.grad"))
MUL_OVERWRITES = _variant("mul_overwrites",
                          ("self.grad += other.data", "self.grad = other.data"),
                          ("other.grad += self.data", "other.grad = self.data"))
MUL_SWAPPED = _variant("mul_swapped",
                       ("self.grad += other.data *", "self.grad += self.data *"),
                       ("other.grad += self.data *", "other.grad += other.data *"))
MUL_NO_OUT_GRAD = _variant("mul_no_out_grad",
                           ("self.grad += other.data * out.grad", "self.grad += other.data"),
                           ("other.grad += self.data * out.grad", "other.grad += self.data"))
TANH_USES_INPUT = _variant("tanh_uses_input",
                           ("(1 - out.data ** 2) * out.grad", "(1 - self.data ** 2) * out.grad"))
TANH_NO_SQUARE = _variant("tanh_no_square",
                          ("(1 - out.data ** 2) * out.grad", "(1 - out.data) * out.grad"))
RELU_AT_ZERO = _variant("relu_at_zero",
                        ("(out.data > 0) * out.grad", "(self.data >= 0) * out.grad"))
RELU_WRONG_SIDE = _variant("relu_wrong_side",
                           ("(out.data > 0) * out.grad", "(self.data < 0) * out.grad"))
RELU_PASSES_ALL = _variant("relu_passes_all", ("(out.data > 0) * out.grad", "out.grad"))
EXP_USES_INPUT = _variant("exp_uses_input",
                          ("self.grad += out.data * out.grad", "self.grad += self.data * out.grad"))
POW_NO_EXPONENT = _variant("pow_no_exponent",
                           ("exponent * self.data ** (exponent - 1) * out.grad",
                            "self.data ** (exponent - 1) * out.grad"))
POW_SAME_POWER = _variant("pow_same_power",
                          ("exponent * self.data ** (exponent - 1) * out.grad",
                           "exponent * self.data ** exponent * out.grad"))
RSUB_NOT_SWAPPED = _variant("rsub_not_swapped",
                            ("        return other + (-self)", "        return self - other"))
RTRUEDIV_NOT_SWAPPED = _variant("rtruediv_not_swapped",
                                ("        return other * self ** -1",
                                 "        return self / other"))
RTRUEDIV_INVERTS_NUMBER = _variant("rtruediv_inverts_number",
                                   ("        return other * self ** -1",
                                    "        return self * other ** -1"))
NEG_IS_IDENTITY = _variant("neg_is_identity",
                           ("        return self * -1", "        return self * 1"))
SUB_ADDS = _variant("sub_adds", ("        return self + (-other)", "        return self + other"))
BACKWARD_REVERSED_BFS = _variant("backward_reversed_bfs", (_OLD_BACKWARD, _REVERSED_BFS))
BACKWARD_WRONG_DIRECTION = _variant("backward_wrong_direction", (_OLD_BACKWARD, _FORWARD_ORDER))
BACKWARD_SEEDS_ZERO = _variant("backward_seeds_zero",
                               ("        self.grad = 1.0\n        for v in reversed",
                                "        self.grad = 0.0\n        for v in reversed"))
BACKWARD_NO_SEED = _variant("backward_no_seed",
                            ("        self.grad = 1.0\n        for v in reversed",
                             "        for v in reversed"))
PREV_LOST = _variant("prev_lost", ("self._prev = set(_children)", "self._prev = set()"))
DATA_NOT_FLOAT = _variant("data_not_float", ("self.data = float(data)", "self.data = data"))

WRONG_ANSWERS = [
    ("numerical_derivative", "central difference", derivative_central),
    ("numerical_derivative", "backward difference", derivative_backward_difference),
    ("numerical_derivative", "f(x) - f(x + h): wrong sign", derivative_wrong_sign),
    ("numerical_derivative", "forgot to divide by h", derivative_no_division),
    ("numerical_derivative", "ignores the h it is given", derivative_fixed_step),
    ("numerical_gradient", "nudges every input at once", gradient_nudges_all_inputs),
    ("numerical_gradient", "nudges the caller's list in place", gradient_mutates_inputs),
    ("numerical_gradient", "closures read the loop variable's last value", gradient_late_binding),
    ("numerical_gradient", "central difference", gradient_central),
    ("topological_order", "a value before its inputs (pre-order)", order_preorder),
    ("topological_order", "no visited set: shared values twice", order_no_seen_set),
    ("topological_order", "breadth-first order reversed", order_reversed_bfs),
    ("topological_order", "leaves out the root", order_without_root),
    ("topological_order", "root first (reversed)", order_root_first),
    ("topological_order", "only the leaves and the root", order_leaves_only),
    ("Value", "+ overwrites grads (= instead of +=)", ADD_OVERWRITES),
    ("Value", "* overwrites grads (= instead of +=)", MUL_OVERWRITES),
    ("Value", "* sends each operand its own value", MUL_SWAPPED),
    ("Value", "* forgets out.grad (no chain rule)", MUL_NO_OUT_GRAD),
    ("Value", "tanh' as 1 - x² of the input", TANH_USES_INPUT),
    ("Value", "tanh' as 1 - tanh (no square)", TANH_NO_SQUARE),
    ("Value", "relu passes the gradient at 0", RELU_AT_ZERO),
    ("Value", "relu gradient on the negative side", RELU_WRONG_SIDE),
    ("Value", "relu passes every gradient", RELU_PASSES_ALL),
    ("Value", "exp' as the input instead of e^x", EXP_USES_INPUT),
    ("Value", "** derivative missing the exponent", POW_NO_EXPONENT),
    ("Value", "** derivative keeps the power", POW_SAME_POWER),
    ("Value", "__rsub__ as self - other", RSUB_NOT_SWAPPED),
    ("Value", "__rtruediv__ as self / other", RTRUEDIV_NOT_SWAPPED),
    ("Value", "__rtruediv__ as self * other ** -1", RTRUEDIV_INVERTS_NUMBER),
    ("Value", "-v returns v", NEG_IS_IDENTITY),
    ("Value", "v - w adds w", SUB_ADDS),
    ("Value", "backward in breadth-first order", BACKWARD_REVERSED_BFS),
    ("Value", "backward from the leaves up (order not reversed)", BACKWARD_WRONG_DIRECTION),
    ("Value", "root's grad seeded 0", BACKWARD_SEEDS_ZERO),
    ("Value", "root's grad not seeded", BACKWARD_NO_SEED),
    ("Value", "_prev lost (children not stored)", PREV_LOST),
    ("Value", "data kept as an int", DATA_NOT_FLOAT),
]

# --- right answers -------------------------------------------------------------------------


def derivative_multiplied(f, x, h=1e-6):
    return (f(x + h) - f(x)) * (1 / h)


def gradient_with_lambdas(f, inputs, h=1e-6):
    base = f(*inputs)
    return [(f(*inputs[:i], x + h, *inputs[i + 1:]) - base) / h for i, x in enumerate(inputs)]


def order_recursive(root):
    """Karpathy's recursive depth-first search."""
    order, seen = [], set()

    def visit(v):
        if v not in seen:
            seen.add(v)
            for child in v._prev:
                visit(child)
            order.append(v)

    visit(root)
    return order


def order_kahn(root):
    """Kahn's algorithm: a value is ready once all of its inputs are written."""
    nodes, stack = {}, [root]
    while stack:
        v = stack.pop()
        if id(v) not in nodes:
            nodes[id(v)] = v
            stack.extend(v._prev)
    waiting = {k: len({id(c) for c in v._prev}) for k, v in nodes.items()}
    users = {k: [] for k in nodes}
    for k, v in nodes.items():
        for c in {id(c): c for c in v._prev}:
            users[c].append(k)
    ready = [k for k, n in waiting.items() if n == 0]
    order = []
    while ready:
        k = ready.pop()
        order.append(nodes[k])
        for u in users[k]:
            waiting[u] -= 1
            if waiting[u] == 0:
                ready.append(u)
    return order


class ValueOwnRsubAndDivision(ref.Value):
    """Division and the reflected forms written out with their own _backward closures."""

    def __truediv__(self, other):
        other = other if isinstance(other, ref.Value) else ref.Value(other)
        out = type(self)(self.data / other.data, (self, other), "/")

        def _backward():
            self.grad += out.grad / other.data
            other.grad += -self.data / other.data ** 2 * out.grad

        out._backward = _backward
        return out

    def __rsub__(self, other):
        return (-self) + other

    def __rtruediv__(self, other):
        return self ** -1 * other


TANH_FROM_EXP = _variant("tanh_from_exp", (
    '''        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward() -> None:
            self.grad += (1 - out.data ** 2) * out.grad

        out._backward = _backward
        return out''', '''        e = (2 * self).exp()
        return (e - 1) / (e + 1)'''))

RIGHT_ANSWERS = [
    ("numerical_derivative", "times 1 / h", derivative_multiplied),
    ("numerical_gradient", "slices instead of numerical_derivative", gradient_with_lambdas),
    ("topological_order", "recursive depth-first search", order_recursive),
    ("topological_order", "Kahn's algorithm", order_kahn),
    ("Value", "division and reflected forms with their own _backward", ValueOwnRsubAndDivision),
    ("Value", "tanh built from exp, + - /", TANH_FROM_EXP),
]
