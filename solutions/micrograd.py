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


# ----------------------------------------------------------------------------------------------
# Sections 5-6: a network of Values, and training it on two moons
#
# Parameter order, everywhere in this chapter: layer by layer, neuron by neuron, each neuron's
# weights (in input order) then its bias. The checks copy numbers between a learner's model and
# the reference in that order, and the figures read trained weights in it.
# ----------------------------------------------------------------------------------------------


@exercise(
    title="A module that can zero its gradients",
    difficulty=1, importance=5, minutes=(5, 10),
    task=r"""
        Write the base class `Module` that `Neuron`, `Layer` and `MLP` will extend. It has two
        methods:

        - `parameters()` returns the list of the module's parameters (its `Value`s that
          training changes). The base class has none: return an empty list. Subclasses
          override it.
        - `zero_grad()` sets the `.grad` of **every** value in `self.parameters()` to `0.0`,
          and changes nothing else (not `.data`, not the list). It returns nothing.

        `zero_grad` must call `self.parameters()`, so that in a subclass it reaches the
        subclass's parameters.
    """,
    hints=(
        r"""
            `backward()` adds into `.grad`; before the next backward pass each parameter's
            gradient has to start again from zero. Only the gradient: the data is what the
            model has learned.
        """,
        r"""
            `for p in self.parameters(): p.grad = 0.0`.
        """,
    ),
)
class Module:
    """What every part of a network shares: its parameters, and resetting their gradients."""

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to 0.0."""
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        """The values training changes; the base class has none."""
        return []


@exercise(
    title="A neuron",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write `Neuron(nin, nonlin=True)`, a subclass of `Module`, for a neuron with `nin`
        inputs.

        - `__init__`: `self.w`, a list of `nin` **different** `Value`s, each drawn with
          `random.uniform(-1, 1)` (Python's `random` module, one call per weight, in order), and
          `self.b`, the bias, `Value(0.0)`. Keep `nonlin` as `self.nonlin`.
        - `__call__(x)`: `x` is a list of `nin` inputs (Python floats or `Value`s). Return one
          `Value`: $\sum_i w_i x_i + b$, passed through `.relu()` when `self.nonlin` is true,
          and returned as it is (a linear neuron) when it is false.
        - `parameters()`: the list of the weights in order, then the bias: `nin + 1` values.
    """,
    hints=(
        r"""
            Build the sum out of `Value` operations (`*` and `+`) so that backpropagation can
            reach every weight and the bias. A list made with `[Value(...)] * nin` holds one
            value `nin` times: all the weights would be the same object.
        """,
        r"""
            `sum((wi * xi for wi, xi in zip(self.w, x)), self.b)` starts the sum at the bias.
            Then `act.relu() if self.nonlin else act`.
        """,
    ),
)
class Neuron(Module):
    """One neuron: relu(w . x + b), or w . x + b when nonlin is False."""

    def __init__(self, nin: int, nonlin: bool = True):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.nonlin = nonlin

    def __call__(self, x: list[Value | float]) -> Value:
        """x: nin inputs -> one Value."""
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self) -> list[Value]:
        """The weights in input order, then the bias."""
        return [*self.w, self.b]


@exercise(
    title="A layer of neurons",
    difficulty=1, importance=5, minutes=(5, 10),
    task=r"""
        Write `Layer(nin, nout, **kwargs)`, a subclass of `Module`: `nout` separate neurons,
        each `Neuron(nin, **kwargs)` (so `Layer(3, 2, nonlin=False)` is two linear neurons),
        kept in the list `self.neurons`.

        - `__call__(x)`: every neuron on the same input list `x`. Return the list of their
          `nout` outputs, except when the layer has **one** neuron: then return that single
          `Value`, not a list of one (Karpathy's convention: a network whose last layer has one
          neuron gives a score, not a list).
        - `parameters()`: the parameters of the first neuron, then the second's, and so on,
          as one flat list of `nout * (nin + 1)` values.
    """,
    hints=(
        r"""
            A layer adds no parameters of its own: it asks its neurons. The parameter list is
            flat: a list of `Value`s, not a list of lists.
        """,
        r"""
            `out = [n(x) for n in self.neurons]`, then `out[0] if len(out) == 1 else out`;
            `[p for n in self.neurons for p in n.parameters()]`.
        """,
    ),
)
class Layer(Module):
    """nout neurons that all see the same inputs."""

    def __init__(self, nin: int, nout: int, **kwargs):
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x: list[Value | float]) -> Value | list[Value]:
        """x: nin inputs -> a list of nout Values, or one Value when nout is 1."""
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        """Each neuron's parameters in turn, as one flat list."""
        return [p for n in self.neurons for p in n.parameters()]


@exercise(
    title="A multi-layer perceptron",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write `MLP(nin, nouts)`, a subclass of `Module`. `nouts` is a list of layer widths:
        `MLP(2, [16, 16, 1])` has a layer of 16 neurons that sees the 2 inputs, then one of 16
        that sees those 16 outputs, then one neuron.

        - `__init__`: `self.layers`, a list of `Layer`s, layer $i$ mapping `sizes[i]` inputs
          to `sizes[i + 1]` outputs, where `sizes = [nin] + nouts`. Every layer but the
          **last** uses ReLU neurons; the last is linear (`nonlin=False`), so the network can
          output negative scores.
        - `__call__(x)`: feed `x` through the layers in order, each layer's output being the
          next one's input; return the last layer's output (one `Value` when the last width is
          1).
        - `parameters()`: the first layer's parameters, then the second's, and so on (one flat
          list). `MLP(2, [16, 16, 1])` has $16 \cdot 3 + 16 \cdot 17 + 1 \cdot 17 = 337$.

        `zero_grad()` comes from `Module`.
    """,
    hints=(
        r"""
            Widths in, widths out: the layer after a layer of 16 neurons has 16 inputs. Pair
            each size with the next one.
        """,
        r"""
            `Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1) for i in
            range(len(nouts))`; the forward pass is `for layer in self.layers: x = layer(x)`.
        """,
    ),
)
class MLP(Module):
    """Layers in sequence: ReLU after each but the last, whose output is a raw score."""

    def __init__(self, nin: int, nouts: list[int]):
        sizes = [nin, *nouts]
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1)
                       for i in range(len(nouts))]

    def __call__(self, x: list[Value | float]) -> Value | list[Value]:
        """x: nin inputs -> the last layer's output."""
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        """Each layer's parameters in turn, as one flat list."""
        return [p for layer in self.layers for p in layer.parameters()]


@exercise(
    title="The max-margin loss on the moons",
    difficulty=3, importance=5, minutes=(15, 20),
    task=r"""
        Write `moons_loss(model, X, y, alpha=1e-4) -> tuple[Value, float]`. `model` is an `MLP`
        with 2 inputs and one output (a score); `X` holds `n` points, a NumPy array of shape
        `(n, 2)` (or a list of pairs); `y` holds their `n` labels, each `-1` or `+1`.

        - Score every point: `model([float(a), float(b)])` for each row `(a, b)` of `X` (plain
          floats, or `Value`s made from them).
        - The data loss is the mean over the points of the hinge
          $\max(0,\ 1 - y_i s_i)$, written with `Value` operations (`(1 - yi * si).relu()`).
        - Add the L2 penalty $\alpha \sum_p p^2$ over all of `model.parameters()`.
        - Return `(loss, accuracy)`: `loss` is that sum as one `Value` (so that
          `loss.backward()` reaches every parameter); `accuracy` is a Python float, the
          fraction of points where the sign agrees: a score $s_i > 0$ predicts $+1$, any
          other score $-1$.
    """,
    hints=(
        r"""
            $y_i s_i$ is positive when the point is on its own side; the hinge charges nothing
            once it is there by a margin of at least 1, and more the further it is on the wrong
            side. Accuracy only reads the scores' `.data`: no gradient needed.
        """,
        r"""
            `scores = [model([float(v) for v in row]) for row in X]`;
            `sum((1 - float(yi) * s).relu() for yi, s in zip(y, scores)) * (1 / len(scores))`;
            `alpha * sum(p * p for p in model.parameters())`;
            `sum((yi > 0) == (s.data > 0) for yi, s in zip(y, scores)) / len(y)`.
        """,
    ),
)
def moons_loss(model: MLP, X, y, alpha: float = 1e-4) -> tuple[Value, float]:
    """(mean hinge loss + alpha * sum of squared parameters, as a Value; sign accuracy)."""
    scores = [model([float(v) for v in row]) for row in X]
    margins = [(1 - float(yi) * s).relu() for yi, s in zip(y, scores)]
    data_loss = sum(margins) * (1.0 / len(margins))
    penalty = alpha * sum(p * p for p in model.parameters())
    accuracy = sum((float(yi) > 0) == (s.data > 0) for yi, s in zip(y, scores)) / len(scores)
    return data_loss + penalty, float(accuracy)


@exercise(
    title="One step of gradient descent",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write `train_step(model, X, y, lr, alpha=1e-4) -> tuple[float, float]`: one step of
        gradient descent on `moons_loss(model, X, y, alpha)` (defined above: use it).

        1. Compute the loss and accuracy.
        2. Set every parameter's gradient to zero (`model.zero_grad()`): the parameters may
           still hold the gradient of an earlier step.
        3. Backpropagate from the loss.
        4. Move every parameter against its gradient: `p.data` becomes
           `p.data - lr * p.grad`.

        Return `(loss, accuracy)` as two Python floats, both measured **before** the update.
    """,
    hints=(
        r"""
            Without step 2, `backward()` adds this step's gradient to the last one's, and each
            step moves by the sum of all the gradients so far.
        """,
        r"""
            Change `p.data` in place; `p = p - lr * p.grad` only builds a new `Value` and leaves
            the model's parameter as it was. Return `loss.data`, not the `Value`.
        """,
    ),
)
def train_step(model: MLP, X, y, lr: float, alpha: float = 1e-4) -> tuple[float, float]:
    """Zero the gradients, backpropagate moons_loss, step every parameter by -lr * grad;
    (loss, accuracy) before the step."""
    loss, accuracy = moons_loss(model, X, y, alpha)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data, accuracy


@exercise(
    title="Training with a decaying learning rate",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `train_moons(model, X, y, steps=100, lr_start=1.0, lr_end=0.1, alpha=1e-4)
        -> list[tuple[float, float]]`: `steps` calls of `train_step` (defined above: use it),
        where step $k = 0, 1, \dots, \mathrm{steps} - 1$ uses the learning rate
        $$\mathrm{lr}_k = \mathrm{lr\_start} + (\mathrm{lr\_end} - \mathrm{lr\_start})
        \frac{k}{\mathrm{steps}},$$
        a straight line from `lr_start` towards `lr_end` (with the defaults, $1 - 0.9k/100$,
        Karpathy's schedule). Return the list of the `steps` pairs `(loss, accuracy)` that
        `train_step` returned, in order.

        The check first compares your losses with the reference's on a 6-step run, then
        trains `MLP(2, [8, 8, 1])` on 24 moons for 25 steps with your function and expects
        at least 80 % of them right (the reference gets 87.5 %, in about 3 seconds).
    """,
    hints=(
        r"""
            Large steps early cover ground fast; smaller ones later settle into a minimum
            instead of bouncing around it. The learning rate depends only on the step number.
        """,
        r"""
            `[train_step(model, X, y, lr_start + (lr_end - lr_start) * k / steps, alpha) for k
            in range(steps)]`.
        """,
    ),
)
def train_moons(model: MLP, X, y, steps: int = 100, lr_start: float = 1.0, lr_end: float = 0.1,
                alpha: float = 1e-4) -> list[tuple[float, float]]:
    """Train model with train_step for `steps` steps, the learning rate falling linearly from
    lr_start towards lr_end; the (loss, accuracy) of every step."""
    return [train_step(model, X, y, lr_start + (lr_end - lr_start) * k / steps, alpha)
            for k in range(steps)]
