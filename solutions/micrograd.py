"""Reference solutions for chapter 3: micrograd, a scalar autograd engine and a small MLP on it.

The source of truth for `exercises/micrograd.py` and its notebooks (`python -m utils.codegen`);
the prose around each exercise is in `pages/micrograd/<n>_<key>.md`.

Conventions (those of Karpathy's micrograd, so his lecture reads alongside): a `Value` holds one
Python float in `.data` and its gradient in `.grad` (0.0 until `backward()` runs); `_children` are
the values it was computed from and `_op` a short label for the operation, for drawing the graph.
Each operation sets the new value's `_backward`, a closure that adds the output's gradient, times
the local derivative, into its inputs' `.grad`.
"""

import math
import random
from typing import Any, Callable

from utils.exercise_meta import exercise  # noqa: F401


@exercise(
    title="A derivative by nudging",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write `numerical_derivative(f, x, h=1e-6)`: `f` is a Python function of one float that
        returns a float, `x` a float and `h` a small positive float (the nudge). Return the
        slope of `f` over the step from `x` to `x + h`, the **forward difference**
        $$\frac{f(x + h) - f(x)}{h},$$
        as a float. Call `f` exactly at `x` and at `x + h` (not at `x - h`: that would be the
        central difference, a different estimate), and use the `h` you are given.
    """,
    hints=(
        r"""
            A derivative is "how much the output moves per unit the input moves". Move the input
            by `h`, see how far the output moved, and divide by `h`.
        """,
        r"""
            `(f(x + h) - f(x)) / h`.
        """,
    ),
)
def numerical_derivative(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """The forward difference (f(x + h) - f(x)) / h: the slope of f just right of x."""
    return (f(x + h) - f(x)) / h


@exercise(
    title="Partial derivatives by nudging one input at a time",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `numerical_gradient(f, inputs, h=1e-6)`: `f` takes several floats as separate
        arguments (`f(*inputs)`) and returns one float; `inputs` is a list of floats, the point
        where you want the slopes. Return a list of floats as long as `inputs`: element $i$ is
        the forward difference of `f` in input $i$ alone,
        $$\frac{f(x_0, \dots, x_i + h, \dots, x_{n-1}) - f(x_0, \dots, x_{n-1})}{h},$$
        with every other input held where it is. Use `numerical_derivative` (defined above):
        make a function of input $i$ only, and nudge that. Do not change the list `inputs`.
    """,
    hints=(
        r"""
            A partial derivative is an ordinary derivative of a function of one input: freeze
            all the others. So for each $i$, build a one-input function that puts its argument
            in slot $i$ of a copy of `inputs`, and hand it to `numerical_derivative`.
        """,
        r"""
            Inside a loop over `i`, `def along_i(v, i=i): xs = list(inputs); xs[i] = v; return
            f(*xs)`, then `numerical_derivative(along_i, inputs[i], h)`. The default `i=i` fixes
            `i` now: a closure would otherwise read the loop variable's last value.
        """,
    ),
)
def numerical_gradient(f: Callable[..., float], inputs: list[float],
                       h: float = 1e-6) -> list[float]:
    """The forward difference of f(*inputs) in each input, the others held fixed."""
    def along(i: int) -> Callable[[float], float]:
        def f_i(v: float) -> float:
            moved = list(inputs)
            moved[i] = v
            return f(*moved)
        return f_i

    return [numerical_derivative(along(i), x, h) for i, x in enumerate(inputs)]


@exercise(
    title="An order for the backward pass",
    difficulty=3, importance=5, minutes=(15, 25),
    task=r"""
        Write `topological_order(root)`: `root` is a `Value` (any object whose `_prev` attribute
        is a set or tuple of the values it was computed from; a leaf's is empty). Return a list
        of every value `root` depends on, `root` included, **each exactly once**, ordered so
        that every value comes **after all the values in its `_prev`**; `root` is therefore
        last. A value reached along several paths (say `b` in `a * b + b`) still appears once.
        Any order that obeys the rule is right: the check does not compare with one particular
        list. Graphs in the check are at most a few hundred values deep.
    """,
    hints=(
        r"""
            Depth-first search: before you may write a value down, write down everything it
            depends on. A set of the values already seen stops a shared value from being
            written twice.
        """,
        r"""
            `def visit(v)`: if `v` is not in `seen`, add it, `visit` each child in `v._prev`,
            then `order.append(v)` (after the children, not before). Call `visit(root)` and
            return `order`. Values are hashable by identity, so a set of them works.
        """,
        r"""
            Breadth-first order (level by level from the root, then reversed) looks right on a
            tree but breaks when a value is reached by two paths of different lengths: it can
            put a value before one of its inputs.
        """,
    ),
)
def topological_order(root: Any) -> list[Any]:
    """Every value root depends on (root too), once each, each after all of its _prev."""
    order: list[Any] = []  # Values, in a topological order
    seen: set[int] = set()
    # Iterative depth-first search, so a deep graph (a long sum) can't hit Python's recursion
    # limit. A (value, True) entry means "its inputs are done: write it down now".
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
        elif id(v) not in seen:
            seen.add(id(v))
            stack.append((v, True))
            stack.extend((child, False) for child in v._prev if id(child) not in seen)
    return order


@exercise(
    title="The engine: Value",
    difficulty=4, importance=5, minutes=(45, 90),
    task=r"""
        Write the class `Value(data, _children=(), _op='')`, one scalar of a computation graph:

        - `__init__`: store `data` as a float in `.data`; `.grad = 0.0`; `._prev =
          set(_children)`, the values it was computed from; `._op`, the operation's label
          (used only for drawing, any short string); `._backward`, a function of no arguments
          that does nothing for a leaf.
        - `+`, `*`: with another `Value` or a plain number (wrap a number in a `Value` first).
          Each returns a new `Value` whose `_prev` holds both operands and whose `_backward`
          **adds** (`+=`) the output's `.grad` times the local derivative into each operand's
          `.grad`.
        - `**` with a number exponent (int or float, not a `Value`): $d(x^k)/dx = k x^{k-1}$.
        - `exp()`, `tanh()`, `relu()` (with $\mathrm{relu}(x) = \max(x, 0)$, and gradient 0 at
          $x \le 0$, 1 at $x > 0$).
        - `-v`, `v - w`, `v / w` (division by a `Value` or a number), and the reflected forms
          where the number comes first: `2 + v`, `2 - v`, `2 * v`, `2 / v`. These may be built
          from the operations above.
        - `backward()`: set this value's `.grad` to 1.0, then call `_backward` of every value it
          depends on, itself first and each value only after every value computed from it, in
          the reverse of `topological_order(self)` (defined above: use it).

        A value used several times (`a * a`, `a + a`, or one that feeds two paths) must
        collect the gradient of every use. Each value's `.data` and `.grad` must match
        PyTorch's (float64) on the same expression; the check tries each operation alone
        first, then random expressions built from all of them.
    """,
    hints=(
        r"""
            Each operation does two jobs: compute the output's `.data` now, and leave behind a
            `_backward` closure that knows the local derivative. Closures see `self`, `other`
            and `out` from the method that made them, and `out.grad` is read only when
            `backward()` finally calls them.
        """,
        r"""
            `__add__`: `other = other if isinstance(other, Value) else Value(other)`;
            `out = Value(self.data + other.data, (self, other), '+')`; in `_backward`,
            `self.grad += out.grad` and `other.grad += out.grad`; then `out._backward =
            _backward` and `return out`. `__mul__` is the same shape, with `other.data *
            out.grad` flowing to `self` and `self.data * out.grad` to `other`.
        """,
        r"""
            `__pow__(k)`: `self.grad += k * self.data ** (k - 1) * out.grad`. `exp`: the
            derivative of $e^x$ is $e^x$, which is `out.data`. `tanh`: $1 - \tanh^2 x$, that is
            `1 - out.data ** 2` (the output squared, not the input). `relu`: `(out.data > 0) *
            out.grad`.
        """,
        r"""
            The rest need no `_backward` of their own: `-v` is `v * -1`; `v - w` is `v + (-w)`;
            `v / w` is `v * w ** -1`; `__radd__` and `__rmul__` just swap (`self + other`);
            `__rsub__(other)` is `other - self`, that is `other + (-self)`, **not** `self -
            other`; `__rtruediv__(other)` is `other * self ** -1`.
        """,
        r"""
            `backward()`: `self.grad = 1.0`, then `for v in reversed(topological_order(self)):
            v._backward()`. If you use `=` instead of `+=` in a `_backward`, `(a + a)` gives
            `a.grad == 1` instead of 2: the second use overwrites the first.
        """,
    ),
)
class Value:
    """One scalar in a computation graph: its value, its gradient, and how it was made."""

    def __init__(self, data: float, _children: tuple["Value", ...] = (), _op: str = ""):
        """A value holding `data` (as a float), made by `_op` from `_children`; grad 0.0."""
        self.data = float(data)
        self.grad = 0.0
        self._backward: Callable[[], None] = lambda: None  # a leaf passes nothing on
        self._prev = set(_children)
        self._op = _op

    def __repr__(self) -> str:
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

    # --- operations: the forward value now, the local derivative for later -------------------

    def __add__(self, other: "Value | float") -> "Value":
        """self + other (a Value or a number); d/dself = d/dother = 1."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            self.grad += out.grad  # += not =: a value used twice collects both contributions
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: "Value | float") -> "Value":
        """self * other (a Value or a number); d/dself = other, d/dother = self."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent: float) -> "Value":
        """self ** exponent, for a number exponent k; d/dself = k * self ** (k - 1)."""
        assert isinstance(exponent, (int, float)), "only number exponents"
        out = Value(self.data ** exponent, (self,), f"**{exponent:g}")

        def _backward() -> None:
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self) -> "Value":
        """e ** self; its derivative is itself."""
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward() -> None:
            self.grad += out.data * out.grad  # d/dx e^x = e^x, already computed

        out._backward = _backward
        return out

    def tanh(self) -> "Value":
        """tanh(self); its derivative is 1 - tanh(self) ** 2."""
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward() -> None:
            self.grad += (1 - out.data ** 2) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> "Value":
        """max(self, 0); its derivative is 1 where self > 0, else 0."""
        out = Value(max(self.data, 0.0), (self,), "ReLU")

        def _backward() -> None:
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    # --- the rest, from the operations above ------------------------------------------------

    def __neg__(self) -> "Value":
        """-self."""
        return self * -1

    def __sub__(self, other: "Value | float") -> "Value":
        """self - other."""
        return self + (-other)

    def __truediv__(self, other: "Value | float") -> "Value":
        """self / other."""
        return self * other ** -1

    def __radd__(self, other: float) -> "Value":
        """other + self, for a number other (2 + v)."""
        return self + other

    def __rsub__(self, other: float) -> "Value":
        """other - self, for a number other (2 - v)."""
        return other + (-self)

    def __rmul__(self, other: float) -> "Value":
        """other * self, for a number other (2 * v)."""
        return self * other

    def __rtruediv__(self, other: float) -> "Value":
        """other / self, for a number other (2 / v)."""
        return other * self ** -1

    # --- backpropagation ------------------------------------------------------------------

    def backward(self) -> None:
        """Fill in `.grad` of every value this one depends on: d(self)/d(that value)."""
        self.grad = 1.0
        for v in reversed(topological_order(self)):  # each passes its gradient on before its inputs
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
            Pair weights with inputs with `zip(self.w, x)` and multiply each pair. Python's
            `sum` takes a starting value as its second argument: start it at `self.b` and the
            total is a `Value` that already includes the bias. Apply `.relu()` only when
            `self.nonlin` is true.
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
            Call every neuron on the same `x` and collect the results in a list; if that list
            has length 1, hand back its only element. For `parameters()`, a comprehension with
            two `for`s (over the neurons, then over each neuron's parameters) gives one flat
            list.
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
            `zip(sizes[:-1], sizes[1:])` gives each layer's (inputs, outputs); only the layer at
            index `len(nouts) - 1` gets `nonlin=False`. The forward pass is `for layer in
            self.layers: x = layer(x)`.
        """,
    ),
)
class MLP(Module):
    """Layers in sequence: ReLU after each but the last, whose output is a raw score."""

    def __init__(self, nin: int, nouts: list[int]):
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        # Consecutive widths pair up: a layer's fan-in is the width of the layer before it.
        self.layers = [Layer(fan_in, width, nonlin=k < last)
                       for k, (fan_in, width) in enumerate(zip(sizes[:-1], sizes[1:]))]

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
        $$
        \mathrm{lr}_k = \mathrm{lr\_start} + (\mathrm{lr\_end} - \mathrm{lr\_start})
        \frac{k}{\mathrm{steps}},
        $$
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
