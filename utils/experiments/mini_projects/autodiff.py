"""The test vectors of section 4's language-agnostic autodiff spec (no drawing).

Each case is a computation graph in the spec's JSON form (a list of nodes in topological order;
the last is the output), the inputs, and the output's value and gradients as the reference
`eval_graph` computes them in float64. Hand-written cases cover every op and the ways engines go
wrong (a node used twice, an input used twice, an unused input, relu below zero); seeded random
graphs cover the rest. Written once by

    python -m utils.experiments.mini_projects.autodiff

into assets/mini_projects/autodiff_vectors.json (committed, so a learner can download it from
the page or the repository; written again if missing). tests/test_mini_autodiff.py checks every
case against torch.autograd and fails when the file is stale.
"""

from __future__ import annotations

import functools
import json
import random
from pathlib import Path

from solutions.mini_projects import eval_graph

ROOT = Path(__file__).resolve().parents[3]
VECTORS_PATH = ROOT / "assets" / "mini_projects" / "autodiff_vectors.json"
SPEC_VERSION = 1
OPS = ("input", "const", "add", "sub", "mul", "div", "neg", "pow", "exp", "log", "sin",
       "tanh", "relu")
N_RANDOM, RANDOM_SEED = 24, 20261130


def _node(id_: str, op: str, *args: str, **extra) -> dict:
    node = {"id": id_, "op": op}
    if args:
        node["args"] = list(args)
    node.update(extra)
    return node


def _x(name: str = "x") -> dict:
    return _node(name, "input", name=name)


def hand_written_cases() -> list[dict]:
    """Small graphs, one idea each: (name, what it tests, nodes, inputs)."""
    cases = [
        ("add", "a sum: both inputs get the output's gradient",
         [_x(), _x("y"), _node("s", "add", "x", "y")], {"x": 1.5, "y": -2.0}),
        ("sub", "a difference: the second input's gradient is negated",
         [_x(), _x("y"), _node("d", "sub", "x", "y")], {"x": 1.5, "y": -2.0}),
        ("mul", "a product: each input's gradient is the other input",
         [_x(), _x("y"), _node("p", "mul", "x", "y")], {"x": 3.0, "y": -0.5}),
        ("div", "a quotient: d(x/y)/dy = -x/y²",
         [_x(), _x("y"), _node("q", "div", "x", "y")], {"x": 2.0, "y": 4.0}),
        ("neg", "negation", [_x(), _node("n", "neg", "x")], {"x": 0.75}),
        ("pow_int", "an integer power", [_x(), _node("p", "pow", "x", exponent=3)],
         {"x": -1.3}),
        ("pow_fraction", "a fractional power (a square root)",
         [_x(), _node("p", "pow", "x", exponent=0.5)], {"x": 2.25}),
        ("pow_negative", "a negative power", [_x(), _node("p", "pow", "x", exponent=-2)],
         {"x": 0.8}),
        ("exp", "exp is its own derivative", [_x(), _node("e", "exp", "x")], {"x": 0.3}),
        ("log", "log's derivative is 1/x", [_x(), _node("l", "log", "x")], {"x": 2.5}),
        ("sin", "sin's derivative is cos", [_x(), _node("s", "sin", "x")], {"x": 1.1}),
        ("tanh", "tanh's derivative is 1 - tanh²", [_x(), _node("t", "tanh", "x")],
         {"x": -0.4}),
        ("relu_positive", "relu passes the gradient where its input is positive",
         [_x(), _node("r", "relu", "x")], {"x": 0.6}),
        ("relu_negative", "relu blocks the gradient where its input is negative",
         [_x(), _node("r", "relu", "x")], {"x": -0.6}),
        ("relu_at_zero", "relu(x·y) at y = 0: its input is exactly 0, where relu's derivative "
         "is 0, so y's gradient is 0 (not x)",
         [_x(), _x("y"), _node("p", "mul", "x", "y"), _node("r", "relu", "p")],
         {"x": 1.5, "y": 0.0}),
        ("const", "a constant: no gradient flows to it, and it's no input",
         [_x(), _node("c", "const", value=2.5), _node("p", "mul", "c", "x")], {"x": 4.0}),
        ("input_used_twice", "x * x: an input used twice gets both paths' gradients",
         [_x(), _node("sq", "mul", "x", "x")], {"x": -3.0}),
        ("node_used_twice", "a node feeding two later nodes accumulates both gradients",
         [_x(), _node("a", "exp", "x"), _node("b", "sin", "a"), _node("c", "mul", "a", "b")],
         {"x": 0.2}),
        ("unused_input", "an input the output doesn't use has gradient 0",
         [_x(), _x("y"), _node("t", "tanh", "x")], {"x": 0.5, "y": 7.0}),
        ("output_is_input", "the output can be an input itself: its gradient is 1",
         [_x()], {"x": 1.25}),
        ("diamond", "two paths from x meet again: (x + 1)(x - 1)",
         [_x(), _node("one", "const", value=1.0), _node("a", "add", "x", "one"),
          _node("b", "sub", "x", "one"), _node("c", "mul", "a", "b")], {"x": 2.0}),
        ("neuron", "a tanh neuron: tanh(w1·x1 + w2·x2 + b)",
         [_x("x1"), _x("x2"), _x("w1"), _x("w2"), _x("b"), _node("a", "mul", "w1", "x1"),
          _node("c", "mul", "w2", "x2"), _node("s", "add", "a", "c"), _node("z", "add", "s", "b"),
          _node("o", "tanh", "z")],
         {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}),
        ("softplus", "log(1 + exp(x)), whose gradient is the sigmoid",
         [_x(), _node("e", "exp", "x"), _node("one", "const", value=1.0),
          _node("s", "add", "one", "e"), _node("l", "log", "s")], {"x": -0.7}),
        ("input_id_is_not_its_name", "inputs whose ids (u, v) are not their names (x, y): "
         "values are looked up and gradients reported by name, x·y + sin(x)",
         [_node("u", "input", name="x"), _node("v", "input", name="y"),
          _node("p", "mul", "u", "v"), _node("s", "sin", "u"), _node("o", "add", "p", "s")],
         {"x": 0.5, "y": -2.0}),
    ]
    return [{"name": name, "about": about, "nodes": nodes, "inputs": inputs}
            for name, about, nodes, inputs in cases]


def random_case(rng: random.Random, index: int) -> dict:
    """A random graph over 2-3 inputs whose every op stays inside its domain: logs and
    fractional powers only of exp(...) (positive), divisions only by exp(...) + 0.5."""
    names = ["x", "y", "z"][:rng.randint(2, 3)]
    nodes = [_x(name) for name in names]
    inputs = {name: round(rng.uniform(-1.5, 1.5), 3) for name in names}
    ids = list(names)
    for i in range(rng.randint(5, 12)):
        new = f"n{i}"
        op = rng.choice(("add", "sub", "mul", "div", "neg", "pow", "exp", "log", "sin",
                         "tanh", "relu", "const"))
        a, b = rng.choice(ids), rng.choice(ids)
        if op == "const":
            nodes.append(_node(new, "const", value=round(rng.uniform(-2, 2), 3)))
        elif op in ("add", "sub", "mul"):
            nodes.append(_node(new, op, a, b))
        elif op in ("div", "log"):
            nodes.append(_node(f"{new}e", "exp", b if op == "div" else a))
            if op == "div":
                nodes.append(_node(f"{new}h", "const", value=0.5))
                nodes.append(_node(f"{new}d", "add", f"{new}e", f"{new}h"))
                nodes.append(_node(new, "div", a, f"{new}d"))
            else:
                nodes.append(_node(new, "log", f"{new}e"))
        elif op == "pow":
            exponent = rng.choice((2, 3, -1, 0.5, 1.5))
            if float(exponent).is_integer() and exponent > 0:
                nodes.append(_node(new, "pow", a, exponent=exponent))
            else:
                nodes.append(_node(f"{new}e", "exp", a))
                nodes.append(_node(new, "pow", f"{new}e", exponent=exponent))
        else:
            nodes.append(_node(new, op, a))
        ids.append(new)
    # the output combines the last node with an input so that every graph reaches the inputs
    nodes.append(_node("out", "add", ids[-1], rng.choice(names)))
    return {"name": f"random_{index:02d}", "about": "a seeded random graph", "nodes": nodes,
            "inputs": inputs}


def build_vectors() -> dict:
    """The spec's test vectors: every case with its expected value and gradients."""
    rng = random.Random(RANDOM_SEED)
    cases = hand_written_cases() + [random_case(rng, i) for i in range(N_RANDOM)]
    for case in cases:
        value, gradients = eval_graph(case["nodes"], case["inputs"])
        case["expected"] = {"value": value, "gradients": gradients}
    return {"spec_version": SPEC_VERSION, "ops": list(OPS), "cases": cases}


@functools.lru_cache(maxsize=1)
def load_vectors() -> dict:
    """The committed test vectors (written first if the file is missing)."""
    if not VECTORS_PATH.exists():
        write_vectors()
    return json.loads(VECTORS_PATH.read_text())


def write_vectors() -> None:
    VECTORS_PATH.parent.mkdir(parents=True, exist_ok=True)
    VECTORS_PATH.write_text(json.dumps(build_vectors(), indent=1) + "\n")


def main() -> None:
    write_vectors()
    cases = json.loads(VECTORS_PATH.read_text())["cases"]
    print(f"wrote {len(cases)} cases to {VECTORS_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
