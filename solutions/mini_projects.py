"""Reference solutions for chapter 6: mini-projects — a NumPy network, forward-mode autodiff,
autodiff in any language.

The source of truth for `exercises/mini_projects.py` and its notebooks (`python -m
utils.codegen`); the prose around each exercise is in `pages/mini_projects/<n>_<key>.md`.

Less guidance than the other chapters by design: each project is a checklist of chunks, and the
checks are as strict as ever.

Conventions:
- NumPy only for the network (float64 arrays); a layer has `forward(x)` (caching what its
  backward needs) and `backward(grad) -> dx` (storing its parameters' gradients as `dW`, `db`).
  No graph: the network calls the layers' backward in reverse order itself.
- Forward mode: a `Dual(real, dual)` carries a value and its derivative along one direction.
- The language-agnostic engine reads a computation as JSON: a list of nodes in topological order,
  each `{"id", "op", "args"}` (ops: "input" with "name", "const" with "value", "add", "sub",
  "mul", "div", "neg", "pow" with a number "exponent", "exp", "log", "sin", "tanh", "relu").
  The last node is the output.
"""

import math
from typing import Callable

import numpy as np
from jaxtyping import Float, Int

from utils.exercise_meta import exercise  # noqa: F401


# ==============================================================================================
# Sections 1-2: a neural network in NumPy


@exercise(
    title="A numerical gradient checker",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write `numerical_gradient(f, x, eps=1e-6)`: the gradient of the scalar function `f` at
        the float64 array `x` (any shape), by central differences, one entry at a time:
        $(f(x + \epsilon e_i) - f(x - \epsilon e_i)) / 2\epsilon$. Return a float64 NumPy array
        of `x`'s shape, and leave `x` as you found it (you may nudge it in place if you put
        each entry back).
    """,
    hints=(r"""Chunks: an output array of zeros; a loop over every index
              (`np.ndindex(x.shape)`); nudge up, evaluate, nudge down, evaluate, restore.""",),
)
def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray,
                       eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function of an array."""
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = f(x)
        flat[i] = old - eps
        down = f(x)
        flat[i] = old
        gflat[i] = (up - down) / (2 * eps)
    return grad


@exercise(
    title="A Dense layer",
    difficulty=2, importance=5, minutes=(15, 25),
    task=r"""
        Write the class `Dense(n_in, n_out, rng)` (`rng` a `np.random.Generator`): attributes
        `W`, shape (n_in, n_out), drawn as `rng.standard_normal((n_in, n_out)) * np.sqrt(2 /
        n_in)`, and `b`, zeros of shape (n_out,); `forward(x)` for x of shape (n, n_in) caches
        x and returns `x @ W + b`; `backward(grad)` for grad = dL/dout of shape (n, n_out)
        stores `dW` (n_in, n_out) and `db` (n_out,) for the last forward's x and returns dL/dx
        (n, n_in).
    """,
    hints=(r"""Chunks: draw, forward, then the three rules of the section's formula; check each
              against your `numerical_gradient` on a 3×2 layer before the page's check.""",),
)
class Dense:
    """y = x @ W + b, He-initialised for the ReLU after it."""

    def __init__(self, n_in: int, n_out: int, rng: np.random.Generator):
        self.W = rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)
        self.b = np.zeros(n_out)
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)

    def forward(self, x: Float[np.ndarray, "n n_in"]) -> Float[np.ndarray, "n n_out"]:
        self.x = x
        return x @ self.W + self.b

    def backward(self, grad: Float[np.ndarray, "n n_out"]) -> Float[np.ndarray, "n n_in"]:
        self.dW = self.x.T @ grad
        self.db = grad.sum(axis=0)
        return grad @ self.W.T


@exercise(
    title="ReLU",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write the class `ReLU()`: `forward(x)` returns max(x, 0) elementwise and caches where
        x > 0; `backward(grad)` returns grad where the last forward's input was > 0 and 0
        elsewhere (also at exactly 0).
    """,
    hints=(r"""Chunks: a boolean mask in forward; multiply by it in both directions.""",),
)
class ReLU:
    """max(x, 0), passing gradient only where the input was positive."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.mask = x > 0
        return x * self.mask

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad * self.mask


@exercise(
    title="Softmax cross-entropy",
    difficulty=2, importance=5, minutes=(15, 25),
    task=r"""
        Write the class `SoftmaxCrossEntropy()`: `forward(logits, y)`, with float64 logits
        (n, k) and integer labels y (n,), returns the mean cross-entropy of softmax(logits)
        against y as a Python float, finite even for logits in the thousands, without changing
        `logits`; `backward()` returns dL/dlogits of the last forward,
        $(\operatorname{softmax}(z) - \text{onehot}(y)) / n$, shape (n, k).
    """,
    hints=(r"""Chunks: subtract each row's max; log-softmax; pick each row's label; mean. Keep
              the probabilities and labels for backward.""",),
)
class SoftmaxCrossEntropy:
    """Mean cross-entropy of softmax(logits) against integer labels, and its closed-form gradient."""

    def forward(self, logits: Float[np.ndarray, "n k"], y: Int[np.ndarray, "n"]) -> float:
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probs, self.y = np.exp(log_probs), y
        return float(-log_probs[np.arange(len(y)), y].mean())

    def backward(self) -> Float[np.ndarray, "n k"]:
        grad = self.probs.copy()
        grad[np.arange(len(self.y)), self.y] -= 1
        return grad / len(self.y)


@exercise(
    title="A Network that fits, predicts, saves and loads",
    difficulty=3, importance=5, minutes=(30, 45),
    task=r"""
        Write `Network(layers)`, keeping the list as `self.layers` and a
        `SoftmaxCrossEntropy()` as its loss, with `forward(x)`, `backward(grad)` (the layers'
        backward in reverse order, returning the last gradient), `step(lr)` (plain SGD on every
        Dense layer's `W` and `b`), `fit(X, y, epochs, lr, batch_size, rng)` (each epoch a fresh
        order `rng.permutation(len(X))`, walked in minibatches of `batch_size`, the last one
        possibly smaller; returns a list with each epoch's mean minibatch loss),
        `predict(X)` (each row's class index), `save(path)` and `load(path)` (an .npz file with
        every Dense layer's `W` and `b`; loading into a network whose layers have other shapes
        raises ValueError).
    """,
    hints=(r"""Chunks: forward/backward/step; one epoch of fit; predict; save/load with
              `np.savez(path, **arrays)` and `np.load(path)`, comparing shapes before copying.""",),
)
class Network:
    """A stack of layers trained with minibatch SGD on softmax cross-entropy."""

    def __init__(self, layers: list):
        self.layers = layers
        self.loss = SoftmaxCrossEntropy()

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad: np.ndarray) -> np.ndarray:
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def dense_layers(self) -> list[Dense]:
        return [layer for layer in self.layers if isinstance(layer, Dense)]

    def step(self, lr: float) -> None:
        for layer in self.dense_layers():
            layer.W -= lr * layer.dW
            layer.b -= lr * layer.db

    def fit(self, X: np.ndarray, y: np.ndarray, epochs: int, lr: float, batch_size: int,
            rng: np.random.Generator) -> list[float]:
        history = []
        for _ in range(epochs):
            order = rng.permutation(len(X))
            losses = []
            for start in range(0, len(X), batch_size):
                ix = order[start:start + batch_size]
                losses.append(self.loss.forward(self.forward(X[ix]), y[ix]))
                self.backward(self.loss.backward())
                self.step(lr)
            history.append(float(np.mean(losses)))
        return history

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.forward(X).argmax(axis=1)

    def save(self, path: str) -> None:
        arrays = {}
        for i, layer in enumerate(self.dense_layers()):
            arrays[f"W{i}"], arrays[f"b{i}"] = layer.W, layer.b
        np.savez(path, **arrays)

    def load(self, path: str) -> None:
        with np.load(path) as saved:
            layers = self.dense_layers()
            if len(saved.files) != 2 * len(layers):
                raise ValueError(f"{path} holds {len(saved.files) // 2} dense layers; this "
                                 f"network has {len(layers)}")
            for i, layer in enumerate(layers):
                for name in ("W", "b"):
                    value = saved[f"{name}{i}"]
                    if value.shape != getattr(layer, name).shape:
                        raise ValueError(f"layer {i}'s {name}: file has shape {value.shape}, "
                                         f"the network {getattr(layer, name).shape}")
                    setattr(layer, name, value.copy())


# ==============================================================================================
# Section 3: forward mode


@exercise(
    title="Dual numbers",
    difficulty=3, importance=4, minutes=(20, 30),
    task=r"""
        Write the class `Dual(real, dual)` with float attributes `real` and `dual`: `+ - * /`
        with another Dual or a number on either side, `-u`, `u ** k` for a number k, and the
        methods `sin()` and `exp()`, each returning a new Dual by the section's table.
    """,
    hints=(r"""Chunks: lift a plain number to `Dual(number, 0.0)`; the four operators and their
              reflected forms; `__neg__` and `__pow__`; `sin` and `exp` with `math`.""",),
)
class Dual:
    """a + b·ε with ε² = 0: a value and its derivative along one direction."""

    def __init__(self, real: float, dual: float = 0.0):
        self.real, self.dual = float(real), float(dual)

    @staticmethod
    def lift(x: "Dual | float") -> "Dual":
        return x if isinstance(x, Dual) else Dual(x, 0.0)

    def __add__(self, other):
        o = Dual.lift(other)
        return Dual(self.real + o.real, self.dual + o.dual)

    __radd__ = __add__

    def __neg__(self):
        return Dual(-self.real, -self.dual)

    def __sub__(self, other):
        return self + (-Dual.lift(other))

    def __rsub__(self, other):
        return Dual.lift(other) - self

    def __mul__(self, other):
        o = Dual.lift(other)
        return Dual(self.real * o.real, self.real * o.dual + self.dual * o.real)

    __rmul__ = __mul__

    def __truediv__(self, other):
        o = Dual.lift(other)
        return Dual(self.real / o.real, (self.dual * o.real - self.real * o.dual) / o.real ** 2)

    def __rtruediv__(self, other):
        return Dual.lift(other) / self

    def __pow__(self, k: float):
        return Dual(self.real ** k, k * self.real ** (k - 1) * self.dual)

    def sin(self) -> "Dual":
        return Dual(math.sin(self.real), math.cos(self.real) * self.dual)

    def exp(self) -> "Dual":
        e = math.exp(self.real)
        return Dual(e, e * self.dual)

    def __repr__(self) -> str:
        return f"Dual({self.real!r}, {self.dual!r})"


@exercise(
    title="Jacobian-vector products",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `jvp(f, x, v)`: `x` and `v` are lists of floats of the same length, and `f` takes
        a list of Duals and returns a Dual or a list of Duals. Call `f` once and return the
        pair `(f(x), J v)`: two floats for a Dual output, two lists of floats for a list.
    """,
    hints=(r"""Chunks: seed input i as `Dual(x[i], v[i])`; one call; read `.real` and `.dual`.""",),
)
def jvp(f: Callable, x: list[float], v: list[float]):
    """f(x) and its directional derivative along v, from one pass of dual numbers."""
    out = f([Dual(xi, vi) for xi, vi in zip(x, v)])
    if isinstance(out, Dual):
        return out.real, out.dual
    return [o.real for o in out], [o.dual for o in out]


# ==============================================================================================
# Section 4: autodiff in any language (the same engine in Python, checked here; in another
# language, checked by pasting its JSON output on the page)

@exercise(
    title="A reverse-mode engine for a JSON graph",
    difficulty=3, importance=4, minutes=(30, 45),
    task=r"""
        Write `eval_graph(nodes, inputs)` by the section's specification: `nodes` is a list of
        node dicts in topological order, `inputs` maps each input's name to a float. Return
        `(value, gradients)`: the last node's value as a float, and a dict from every input's
        name to d(output)/d(input) (0.0 for an input the output doesn't use), by one forward
        pass and one reverse pass. Don't change `nodes`.
    """,
    hints=(r"""Chunks: the section's checklist, steps 2-4, in Python.""",),
)
def eval_graph(nodes: list[dict], inputs: dict[str, float]) -> tuple[float, dict[str, float]]:
    """Value and input gradients of the spec's computation graph."""
    binary = {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b,
    }
    unary = {
        "neg": (lambda a: -a, lambda a: -1.0),
        "exp": (math.exp, math.exp),
        "log": (math.log, lambda a: 1.0 / a),
        "sin": (math.sin, math.cos),
        "tanh": (math.tanh, lambda a: 1.0 - math.tanh(a) ** 2),
        "relu": (lambda a: max(a, 0.0), lambda a: 1.0 if a > 0 else 0.0),
    }
    val: dict[str, float] = {}
    for node in nodes:
        op, args = node["op"], [val[a] for a in node.get("args", [])]
        if op == "input":
            val[node["id"]] = float(inputs[node["name"]])
        elif op == "const":
            val[node["id"]] = float(node["value"])
        elif op in binary:
            val[node["id"]] = binary[op](*args)
        elif op == "pow":
            val[node["id"]] = args[0] ** node["exponent"]
        else:
            val[node["id"]] = unary[op][0](args[0])
    grad = {node["id"]: 0.0 for node in nodes}
    grad[nodes[-1]["id"]] = 1.0
    for node in reversed(nodes):
        op, ids, g = node["op"], node.get("args", []), grad[node["id"]]
        if op in ("input", "const"):
            continue
        if op == "add":
            grad[ids[0]] += g
            grad[ids[1]] += g
        elif op == "sub":
            grad[ids[0]] += g
            grad[ids[1]] -= g
        elif op == "mul":
            grad[ids[0]] += g * val[ids[1]]
            grad[ids[1]] += g * val[ids[0]]
        elif op == "div":
            a, b = val[ids[0]], val[ids[1]]
            grad[ids[0]] += g / b
            grad[ids[1]] -= g * a / b ** 2
        elif op == "pow":
            k = node["exponent"]
            grad[ids[0]] += g * k * val[ids[0]] ** (k - 1)
        else:
            grad[ids[0]] += g * unary[op][1](val[ids[0]])
    gradients = {node["name"]: 0.0 for node in nodes if node["op"] == "input"}
    for node in nodes:
        if node["op"] == "input":
            gradients[node["name"]] += grad[node["id"]]
    return val[nodes[-1]["id"]], gradients
