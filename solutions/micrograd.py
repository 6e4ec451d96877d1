"""Reference solutions for chapter 3: micrograd, a scalar autograd engine and a small MLP on it.

The source of truth for `exercises/micrograd.py` and its notebooks (`python -m utils.codegen`);
the prose around each exercise is in `pages/micrograd/<n>_<key>.md`.

Conventions (those of Karpathy's micrograd, so his lecture reads alongside): a `Value` holds one
Python float in `.data` and its gradient in `.grad` (0.0 until `backward()` runs); `_children` are
the values it was computed from and `_op` a short label for the operation, for drawing the graph.
Each operation sets the new value's `_backward`, a closure that adds the output's gradient, times
the local derivative, into its inputs' `.grad`.
"""

from __future__ import annotations

import math
import random

from utils.exercise_meta import exercise  # noqa: F401


class Value:
    """One scalar in a computation graph: its value, its gradient, and how it was made."""

    def __init__(self, data: float, _children: tuple["Value", ...] = (), _op: str = ""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None  # a leaf has nothing to pass its gradient on to
        self._prev = set(_children)
        self._op = _op

    def __repr__(self) -> str:
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

    # --- operations: the forward value now, the local derivative for later -------------------

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            self.grad += out.grad  # += not =: a value used twice collects both contributions
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent: float) -> Value:
        assert isinstance(exponent, (int, float)), "only number exponents"
        out = Value(self.data ** exponent, (self,), f"**{exponent:g}")

        def _backward() -> None:
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self) -> Value:
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward() -> None:
            self.grad += out.data * out.grad  # d/dx e^x = e^x, already computed

        out._backward = _backward
        return out

    def tanh(self) -> Value:
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward() -> None:
            self.grad += (1 - out.data ** 2) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> Value:
        out = Value(max(self.data, 0.0), (self,), "ReLU")

        def _backward() -> None:
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    # --- the rest, from the operations above ------------------------------------------------

    def __neg__(self) -> Value:
        return self * -1

    def __sub__(self, other: Value | float) -> Value:
        return self + (-other)

    def __truediv__(self, other: Value | float) -> Value:
        return self * other ** -1

    def __radd__(self, other: float) -> Value:  # 2 + v
        return self + other

    def __rsub__(self, other: float) -> Value:  # 2 - v
        return other + (-self)

    def __rmul__(self, other: float) -> Value:  # 2 * v
        return self * other

    def __rtruediv__(self, other: float) -> Value:  # 2 / v
        return other * self ** -1

    # --- backpropagation ------------------------------------------------------------------

    def backward(self) -> None:
        """Fill in `.grad` of every value this one depends on: d(self)/d(that value)."""
        order: list[Value] = []
        visited: set[int] = set()

        def visit(v: Value) -> None:
            if id(v) not in visited:
                visited.add(id(v))
                for child in v._prev:
                    visit(child)
                order.append(v)  # after everything it depends on

        visit(self)
        self.grad = 1.0
        for v in reversed(order):  # each value passes its gradient on before its inputs do
            v._backward()


class Module:
    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        return []


class Neuron(Module):
    def __init__(self, nin: int, nonlin: bool = True):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.nonlin = nonlin

    def __call__(self, x: list[Value | float]) -> Value:
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]


class Layer(Module):
    def __init__(self, nin: int, nout: int, **kwargs):
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x: list[Value | float]) -> Value | list[Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]


class MLP(Module):
    def __init__(self, nin: int, nouts: list[int]):
        sizes = [nin, *nouts]
        # Every layer but the last is followed by a ReLU; the last gives a raw score.
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1)
                       for i in range(len(nouts))]

    def __call__(self, x: list[Value | float]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]
