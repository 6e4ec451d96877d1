"""Wrong and right answers for chapter 6's sections 3-5 (forward mode, autodiff in any language).
Each wrong answer is one plausible slip on top of the reference."""

from __future__ import annotations

import math

from solutions import mini_projects as ref

# The spec's ops (the reference keeps these inside eval_graph, so learners don't see them given).
_BINARY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
           "div": lambda a, b: a / b}
_UNARY = {
    "neg": (lambda a: -a, lambda a: -1.0),
    "exp": (math.exp, math.exp),
    "log": (math.log, lambda a: 1.0 / a),
    "sin": (math.sin, math.cos),
    "tanh": (math.tanh, lambda a: 1.0 - math.tanh(a) ** 2),
    "relu": (lambda a: max(a, 0.0), lambda a: 1.0 if a > 0 else 0.0),
}


def _engine(*, accumulate: bool = True, sub_sign: float = -1.0, div_square: bool = True,
            unary_back: dict | None = None, pow_back=None, report_unused: bool = True,
            report_consts: bool = False, reverse: bool = True):
    """The reference engine with one rule changed (each keyword is one slip)."""
    backs = dict({name: back for name, (_, back) in _UNARY.items()}, **(unary_back or {}))

    def eval_graph(nodes, inputs):
        val = {}
        for node in nodes:
            op, args = node["op"], [val[a] for a in node.get("args", [])]
            if op == "input":
                val[node["id"]] = float(inputs[node["name"]])
            elif op == "const":
                val[node["id"]] = float(node["value"])
            elif op in _BINARY:
                val[node["id"]] = _BINARY[op](*args)
            elif op == "pow":
                val[node["id"]] = args[0] ** node["exponent"]
            else:
                val[node["id"]] = _UNARY[op][0](args[0])
        grad = {node["id"]: 0.0 for node in nodes}
        grad[nodes[-1]["id"]] = 1.0

        def add(key, amount):
            grad[key] = grad[key] + amount if accumulate else amount

        for node in (reversed(nodes) if reverse else nodes):
            op, ids, g = node["op"], node.get("args", []), grad[node["id"]]
            if op in ("input", "const"):
                continue
            if op == "add":
                add(ids[0], g)
                add(ids[1], g)
            elif op == "sub":
                add(ids[0], g)
                add(ids[1], sub_sign * g)
            elif op == "mul":
                add(ids[0], g * val[ids[1]])
                add(ids[1], g * val[ids[0]])
            elif op == "div":
                a, b = val[ids[0]], val[ids[1]]
                add(ids[0], g / b)
                add(ids[1], -g * a / (b ** 2 if div_square else b))
            elif op == "pow":
                k = node["exponent"]
                add(ids[0], g * (pow_back(val[ids[0]], k) if pow_back
                                 else k * val[ids[0]] ** (k - 1)))
            else:
                add(ids[0], g * backs[op](val[ids[0]]))
        gradients = {}
        for node in nodes:
            if node["op"] == "input" and (report_unused or grad[node["id"]] != 0.0):
                gradients[node["name"]] = gradients.get(node["name"], 0.0) + grad[node["id"]]
            if report_consts and node["op"] == "const":
                gradients[node["id"]] = grad[node["id"]]
        return val[nodes[-1]["id"]], gradients

    return eval_graph


def _tanh_value_squared(a: float) -> float:
    return 1.0 - a ** 2  # 1 - x² instead of 1 - tanh(x)²


WRONG_ANSWERS = [
    ("eval_graph", "overwrites a gradient instead of adding to it", _engine(accumulate=False)),
    ("eval_graph", "sub passes +g to its second input", _engine(sub_sign=1.0)),
    ("eval_graph", "div's second gradient -g·a/b instead of -g·a/b²", _engine(div_square=False)),
    ("eval_graph", "tanh's derivative as 1 - x² of its input",
     _engine(unary_back={"tanh": _tanh_value_squared})),
    ("eval_graph", "relu lets the gradient through below zero",
     _engine(unary_back={"relu": lambda a: 1.0})),
    ("eval_graph", "relu lets the gradient through at exactly zero (a >= 0)",
     _engine(unary_back={"relu": lambda a: 1.0 if a >= 0 else 0.0})),
    ("eval_graph", "log's derivative as log(x)", _engine(unary_back={"log": math.log})),
    ("eval_graph", "sin's derivative as -cos", _engine(unary_back={"sin": lambda a: -math.cos(a)})),
    ("eval_graph", "pow's derivative as k·x^k", _engine(pow_back=lambda x, k: k * x ** k)),
    ("eval_graph", "leaves out inputs whose gradient is 0", _engine(report_unused=False)),
    ("eval_graph", "reports the constants' gradients too", _engine(report_consts=True)),
    ("eval_graph", "walks the nodes forwards in the backward pass", _engine(reverse=False)),
]


def _recursive_engine(nodes, inputs):
    """Reverse mode by recursion over paths (exponential in general, fine on these graphs)."""
    by_id = {node["id"]: node for node in nodes}
    value, _ = ref.eval_graph(nodes, inputs)

    def forward(node_id):
        node = by_id[node_id]
        op, args = node["op"], [forward(a) for a in node.get("args", [])]
        if op == "input":
            return float(inputs[node["name"]])
        if op == "const":
            return float(node["value"])
        if op in _BINARY:
            return _BINARY[op](*args)
        if op == "pow":
            return args[0] ** node["exponent"]
        return _UNARY[op][0](args[0])

    def derivative(node_id, name):
        node = by_id[node_id]
        op, ids = node["op"], node.get("args", [])
        if op == "input":
            return 1.0 if node["name"] == name else 0.0
        if op == "const":
            return 0.0
        a = forward(ids[0])
        da = derivative(ids[0], name)
        if op in _BINARY:
            b, db = forward(ids[1]), derivative(ids[1], name)
            if op == "add":
                return da + db
            if op == "sub":
                return da - db
            if op == "mul":
                return da * b + a * db
            return (da * b - a * db) / b ** 2
        if op == "pow":
            k = node["exponent"]
            return k * a ** (k - 1) * da
        return _UNARY[op][1](a) * da

    names = [node["name"] for node in nodes if node["op"] == "input"]
    return value, {name: derivative(nodes[-1]["id"], name) for name in names}


def _engine_writes_into_nodes(nodes, inputs):
    """Keeps each node's value and gradient in the node dicts themselves."""
    value, gradients = ref.eval_graph(nodes, inputs)
    for node in nodes:
        node["grad"] = 0.0
    return value, gradients


def _engine_by_id(nodes, inputs):
    """Looks inputs up, and reports their gradients, by node id instead of by name."""
    renamed = [dict(node, name=node["id"]) if node["op"] == "input" else node for node in nodes]
    by_id = {node["id"]: inputs.get(node["id"], inputs.get(node.get("name"), 0.0))
             for node in nodes if node["op"] == "input"}
    return ref.eval_graph(renamed, by_id)


WRONG_ANSWERS += [
    ("eval_graph", "stores values and gradients in the nodes it was given",
     _engine_writes_into_nodes),
    ("eval_graph", "reports inputs by node id instead of by name", _engine_by_id),
]


RIGHT_ANSWERS = [
    ("eval_graph", "forward-mode derivatives by recursion, one input at a time", _recursive_engine),
]


class DualMulDuals(ref.Dual):
    def __mul__(self, other):
        o = ref.Dual.lift(other)
        return DualMulDuals(self.real * o.real, self.dual * o.dual)

    __rmul__ = __mul__


class DualDivSign(ref.Dual):
    def __truediv__(self, other):
        o = ref.Dual.lift(other)
        return ref.Dual(self.real / o.real, (self.real * o.dual - self.dual * o.real) / o.real ** 2)


class DualRsubBackwards(ref.Dual):
    def __rsub__(self, other):
        return self - other


class DualPowWrong(ref.Dual):
    def __pow__(self, k):
        return ref.Dual(self.real ** k, k * self.real ** k * self.dual)


class DualSinSign(ref.Dual):
    def sin(self):
        return ref.Dual(math.sin(self.real), -math.cos(self.real) * self.dual)


class DualNoReflected(ref.Dual):
    __radd__ = None


def jvp_per_input(f, x, v):
    """One pass per input (a Jacobian column each), then J @ v: right numbers, n passes."""
    n = len(x)
    columns = []
    for i in range(n):
        out = f([ref.Dual(xj, 1.0 if j == i else 0.0) for j, xj in enumerate(x)])
        columns.append(out)
    first = columns[0]
    if isinstance(first, ref.Dual):
        return first.real, sum(c.dual * vi for c, vi in zip(columns, v))
    return ([o.real for o in first],
            [sum(columns[i][k].dual * v[i] for i in range(n)) for k in range(len(first))])


def jvp_ones(f, x, v):
    out = f([ref.Dual(xi, 1.0) for xi in x])
    if isinstance(out, ref.Dual):
        return out.real, out.dual
    return [o.real for o in out], [o.dual for o in out]


def jvp_returns_duals(f, x, v):
    out = f([ref.Dual(xi, vi) for xi, vi in zip(x, v)])
    return out, out


WRONG_ANSWERS += [
    ("Dual", "(a + bε)(c + dε) with derivative bd", DualMulDuals),
    ("Dual", "the quotient rule's sign flipped", DualDivSign),
    ("Dual", "3 - a computed as a - 3", DualRsubBackwards),
    ("Dual", "d(a^k) = k·a^k", DualPowWrong),
    ("Dual", "d(sin a) = -cos a", DualSinSign),
    ("Dual", "no reflected addition (3 + a fails)", DualNoReflected),
    ("jvp", "one pass per input instead of one pass", jvp_per_input),
    ("jvp", "seeds every input with derivative 1, ignoring v", jvp_ones),
    ("jvp", "returns the Duals instead of floats", jvp_returns_duals),
]
