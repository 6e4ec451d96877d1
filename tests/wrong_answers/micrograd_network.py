"""Wrong and right answers for chapter 3's network sections (5: neurons, layers, an MLP; 6:
training on two moons). Each wrong answer is one plausible slip on top of the reference."""

from __future__ import annotations

import random

from solutions.micrograd import (MLP, Layer, Module, Neuron, Value, moons_loss, train_step)

# --- Module ---------------------------------------------------------------------------------


class ModuleZerosData(Module):
    def zero_grad(self):
        for p in self.parameters():
            p.data = 0.0


class ModuleGradNone(Module):
    def zero_grad(self):
        for p in self.parameters():
            p.grad = None


class ModuleZerosFirstOnly(Module):
    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0
            return


class ModuleNoParameters:
    """Forgot parameters() in the base class (and so zero_grad has nothing to call)."""

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0


class ModuleParametersNone(Module):
    def parameters(self):
        return None


# --- Neuron ---------------------------------------------------------------------------------


class NeuronNoBiasInParameters(Neuron):
    def parameters(self):
        return list(self.w)


class NeuronBiasFirst(Neuron):
    def parameters(self):
        return [self.b, *self.w]


class NeuronSharedWeight(Neuron):
    def __init__(self, nin, nonlin=True):
        self.w = [Value(random.uniform(-1, 1))] * nin
        self.b = Value(0.0)
        self.nonlin = nonlin


class NeuronAlwaysRelu(Neuron):
    def __call__(self, x):
        return sum((wi * xi for wi, xi in zip(self.w, x)), self.b).relu()


class NeuronTanh(Neuron):
    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh() if self.nonlin else act


class NeuronForgetsBias(Neuron):
    def __call__(self, x):
        act = sum(wi * xi for wi, xi in zip(self.w, x))
        return act.relu() if self.nonlin else act


class NeuronFloatsOut(Neuron):
    """Computes with the numbers, so no gradient reaches the weights."""

    def __call__(self, x):
        act = sum(wi.data * (xi.data if hasattr(xi, "data") else xi)
                  for wi, xi in zip(self.w, x)) + self.b.data
        return Value(max(act, 0.0) if self.nonlin else act)


_SHARED_WEIGHTS: list = []


class NeuronClassWeights(Neuron):
    """The weights live on the class: every neuron has the same ones."""

    def __init__(self, nin, nonlin=True):
        while len(_SHARED_WEIGHTS) < nin:
            _SHARED_WEIGHTS.append(Value(random.uniform(-1, 1)))
        self.w = _SHARED_WEIGHTS[:nin]
        self.b = Value(0.0)
        self.nonlin = nonlin


class NeuronWeightsTooWide(Neuron):
    def __init__(self, nin, nonlin=True):
        self.w = [Value(random.gauss(0, 3)) for _ in range(nin)]
        self.b = Value(0.0)
        self.nonlin = nonlin


# --- Layer ----------------------------------------------------------------------------------


class LayerAlwaysList(Layer):
    def __call__(self, x):
        return [n(x) for n in self.neurons]


class LayerSameNeuron(Layer):
    """One neuron repeated nout times: the same weights everywhere."""

    def __init__(self, nin, nout, **kwargs):
        self.neurons = [Neuron(nin, **kwargs)] * nout


class LayerDropsKwargs(Layer):
    def __init__(self, nin, nout, **kwargs):
        self.neurons = [Neuron(nin) for _ in range(nout)]


class LayerNestedParameters(Layer):
    def parameters(self):
        return [n.parameters() for n in self.neurons]


class LayerFirstNeuronOnly(Layer):
    def parameters(self):
        return self.neurons[0].parameters()


class LayerOneInputPerNeuron(Layer):
    def __call__(self, x):
        out = [n([xi]) for n, xi in zip(self.neurons, x)]
        return out[0] if len(out) == 1 else out


# --- MLP ------------------------------------------------------------------------------------


class MLPReluOnLast(MLP):
    def __init__(self, nin, nouts):
        sizes = [nin, *nouts]
        self.layers = [Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]


class MLPAllLinear(MLP):
    def __init__(self, nin, nouts):
        sizes = [nin, *nouts]
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=False) for i in range(len(nouts))]


class MLPZeroGradLastLayer(MLP):
    def zero_grad(self):
        for p in self.layers[-1].parameters():
            p.grad = 0.0


class MLPLastLayerParameters(MLP):
    def parameters(self):
        return self.layers[-1].parameters()


class MLPLayersReversed(MLP):
    def parameters(self):
        return [p for layer in reversed(self.layers) for p in layer.parameters()]


class MLPSkipsFirstLayerInput(MLP):
    """Every layer sees the network's input rather than the previous layer's output."""

    def __init__(self, nin, nouts):
        self.layers = [Layer(nin, n, nonlin=i != len(nouts) - 1) for i, n in enumerate(nouts)]

    def __call__(self, x):
        out = x
        for layer in self.layers:
            out = layer(x if layer is self.layers[0] else out)
        return out


class MLPNoModule:
    """Forgot to extend Module: no zero_grad."""

    def __init__(self, nin, nouts):
        self.inner = MLP(nin, nouts)

    def __call__(self, x):
        return self.inner(x)

    def parameters(self):
        return self.inner.parameters()


# --- moons_loss -----------------------------------------------------------------------------


def _scores(model, X):
    return [model([float(v) for v in row]) for row in X]


def loss_without_l2(model, X, y, alpha=1e-4):
    return moons_loss(model, X, y, 0.0)


def loss_plus_margin(model, X, y, alpha=1e-4):
    scores = _scores(model, X)
    data = sum((1 + float(yi) * s).relu() for yi, s in zip(y, scores)) * (1 / len(scores))
    _, accuracy = moons_loss(model, X, y, alpha)
    return data + alpha * sum(p * p for p in model.parameters()), accuracy


def loss_summed_not_mean(model, X, y, alpha=1e-4):
    scores = _scores(model, X)
    data = sum((1 - float(yi) * s).relu() for yi, s in zip(y, scores))
    _, accuracy = moons_loss(model, X, y, alpha)
    return data + alpha * sum(p * p for p in model.parameters()), accuracy


def loss_without_relu(model, X, y, alpha=1e-4):
    scores = _scores(model, X)
    data = sum(1 - float(yi) * s for yi, s in zip(y, scores)) * (1 / len(scores))
    _, accuracy = moons_loss(model, X, y, alpha)
    return data + alpha * sum(p * p for p in model.parameters()), accuracy


def loss_l1_penalty(model, X, y, alpha=1e-4):
    scores = _scores(model, X)
    data = sum((1 - float(yi) * s).relu() for yi, s in zip(y, scores)) * (1 / len(scores))
    _, accuracy = moons_loss(model, X, y, alpha)
    return data + alpha * sum(abs(p.data) for p in model.parameters()), accuracy


def accuracy_with_01_labels(model, X, y, alpha=1e-4):
    loss, _ = moons_loss(model, X, y, alpha)
    scores = _scores(model, X)
    return loss, sum((s.data > 0) == yi for yi, s in zip(y, scores)) / len(y)


def accuracy_as_count(model, X, y, alpha=1e-4):
    loss, _ = moons_loss(model, X, y, alpha)
    scores = _scores(model, X)
    return loss, float(sum((yi > 0) == (s.data > 0) for yi, s in zip(y, scores)))


def loss_as_float(model, X, y, alpha=1e-4):
    loss, accuracy = moons_loss(model, X, y, alpha)
    return loss.data, accuracy


def loss_detached_penalty(model, X, y, alpha=1e-4):
    """The penalty added as a number: its value is right but it sends no gradient."""
    scores = _scores(model, X)
    data = sum((1 - float(yi) * s).relu() for yi, s in zip(y, scores)) * (1 / len(scores))
    _, accuracy = moons_loss(model, X, y, alpha)
    return data + alpha * sum(p.data ** 2 for p in model.parameters()), accuracy


# --- train_step ------------------------------------------------------------------------------


def step_without_zero_grad(model, X, y, lr, alpha=1e-4):
    loss, accuracy = moons_loss(model, X, y, alpha)
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data, accuracy


def step_uphill(model, X, y, lr, alpha=1e-4):
    loss, accuracy = moons_loss(model, X, y, alpha)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data += lr * p.grad
    return loss.data, accuracy


def step_rebinds_name(model, X, y, lr, alpha=1e-4):
    loss, accuracy = moons_loss(model, X, y, alpha)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p = p - lr * p.grad  # noqa: PLW2901 - the slip this answer stands for
    return loss.data, accuracy


def step_zero_grad_after_backward(model, X, y, lr, alpha=1e-4):
    loss, accuracy = moons_loss(model, X, y, alpha)
    loss.backward()
    model.zero_grad()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data, accuracy


def step_returns_loss_after(model, X, y, lr, alpha=1e-4):
    train_step(model, X, y, lr, alpha)
    loss, accuracy = moons_loss(model, X, y, alpha)
    return loss.data, accuracy


def step_returns_value(model, X, y, lr, alpha=1e-4):
    loss, accuracy = moons_loss(model, X, y, alpha)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss, accuracy


# --- train_moons -----------------------------------------------------------------------------


def train_constant_lr(model, X, y, steps=100, lr_start=1.0, lr_end=0.1, alpha=1e-4):
    return [train_step(model, X, y, lr_start, alpha) for _ in range(steps)]


def train_lr_to_end_exactly(model, X, y, steps=100, lr_start=1.0, lr_end=0.1, alpha=1e-4):
    return [train_step(model, X, y, lr_start + (lr_end - lr_start) * k / (steps - 1), alpha)
            for k in range(steps)]


def train_one_step_short(model, X, y, steps=100, lr_start=1.0, lr_end=0.1, alpha=1e-4):
    return [train_step(model, X, y, lr_start + (lr_end - lr_start) * k / steps, alpha)
            for k in range(steps - 1)]


def train_returns_last_only(model, X, y, steps=100, lr_start=1.0, lr_end=0.1, alpha=1e-4):
    for k in range(steps):
        last = train_step(model, X, y, lr_start + (lr_end - lr_start) * k / steps, alpha)
    return last


def train_drops_alpha(model, X, y, steps=100, lr_start=1.0, lr_end=0.1, alpha=1e-4):
    return [train_step(model, X, y, lr_start + (lr_end - lr_start) * k / steps)
            for k in range(steps)]


WRONG_ANSWERS = [
    ("Module", "zero_grad sets the data to 0, not the gradient", ModuleZerosData),
    ("Module", "zero_grad sets the gradient to None", ModuleGradNone),
    ("Module", "zero_grad returns after the first parameter", ModuleZerosFirstOnly),
    ("Module", "no parameters() in the base class", ModuleNoParameters),
    ("Module", "parameters() returns None", ModuleParametersNone),
    ("Neuron", "the bias left out of parameters()", NeuronNoBiasInParameters),
    ("Neuron", "bias listed before the weights", NeuronBiasFirst),
    ("Neuron", "one weight Value repeated nin times", NeuronSharedWeight),
    ("Neuron", "weights shared by every neuron", NeuronClassWeights),
    ("Neuron", "ReLU even when nonlin=False", NeuronAlwaysRelu),
    ("Neuron", "tanh instead of ReLU", NeuronTanh),
    ("Neuron", "the bias forgotten in the sum", NeuronForgetsBias),
    ("Neuron", "computes with .data: no gradient", NeuronFloatsOut),
    ("Neuron", "weights not uniform in [-1, 1]", NeuronWeightsTooWide),
    ("Layer", "always returns a list", LayerAlwaysList),
    ("Layer", "one neuron repeated: weights shared across neurons", LayerSameNeuron),
    ("Layer", "nonlin=False not passed on to the neurons", LayerDropsKwargs),
    ("Layer", "parameters() as a list of lists", LayerNestedParameters),
    ("Layer", "parameters() of the first neuron only", LayerFirstNeuronOnly),
    ("Layer", "each neuron sees one input", LayerOneInputPerNeuron),
    ("MLP", "ReLU on the last layer", MLPReluOnLast),
    ("MLP", "no ReLU anywhere", MLPAllLinear),
    ("MLP", "zero_grad zeros only the last layer", MLPZeroGradLastLayer),
    ("MLP", "parameters() of the last layer only", MLPLastLayerParameters),
    ("MLP", "parameters() last layer first", MLPLayersReversed),
    ("MLP", "every layer fed the network's input", MLPSkipsFirstLayerInput),
    ("MLP", "not a Module: no zero_grad", MLPNoModule),
    ("moons_loss", "no L2 term", loss_without_l2),
    ("moons_loss", "relu(1 + y * score)", loss_plus_margin),
    ("moons_loss", "hinge summed, not averaged", loss_summed_not_mean),
    ("moons_loss", "no relu: 1 - y * score", loss_without_relu),
    ("moons_loss", "L1 penalty as a number", loss_l1_penalty),
    ("moons_loss", "accuracy compares score > 0 with y as if y were 0/1", accuracy_with_01_labels),
    ("moons_loss", "accuracy as a count", accuracy_as_count),
    ("moons_loss", "loss returned as a float", loss_as_float),
    ("moons_loss", "penalty computed on .data: no gradient", loss_detached_penalty),
    ("train_step", "forgot zero_grad", step_without_zero_grad),
    ("train_step", "steps uphill (+=)", step_uphill),
    ("train_step", "p = p - lr * p.grad rebinds a name", step_rebinds_name),
    ("train_step", "zero_grad between backward and the update", step_zero_grad_after_backward),
    ("train_step", "loss measured after the update", step_returns_loss_after),
    ("train_step", "returns the loss Value", step_returns_value),
    ("train_moons", "constant learning rate", train_constant_lr),
    ("train_moons", "k / (steps - 1)", train_lr_to_end_exactly),
    ("train_moons", "one step short", train_one_step_short),
    ("train_moons", "returns only the last pair", train_returns_last_only),
    ("train_moons", "alpha not passed on", train_drops_alpha),
]


# --- other right answers ---------------------------------------------------------------------


class NeuronLoop(Module):
    """A plain loop and Value(0) as the start; the bias as a list attribute."""

    def __init__(self, nin, nonlin=True):
        self.w = []
        for _ in range(nin):
            self.w.append(Value(random.uniform(-1, 1)))
        self.b = Value(0.0)
        self.nonlin = nonlin

    def __call__(self, x):
        total = Value(0.0)
        for wi, xi in zip(self.w, x):
            total = total + wi * xi
        total = total + self.b
        return total.relu() if self.nonlin else total

    def parameters(self):
        return self.w + [self.b]


class MLPZip(MLP):
    def __init__(self, nin, nouts):
        sizes = [nin] + list(nouts)
        last = len(nouts) - 1
        self.layers = [Layer(a, b, nonlin=(i < last))
                       for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))]


def loss_wrapped_values(model, X, y, alpha=1e-4):
    inputs = [[Value(float(v)) for v in row] for row in X]
    scores = [model(x) for x in inputs]
    data = sum((1 + -float(yi) * s).relu() for yi, s in zip(y, scores)) / len(scores)
    penalty = alpha * sum((p ** 2 for p in model.parameters()), Value(0.0))
    correct = [(yi > 0) == (s.data > 0) for yi, s in zip(y, scores)]
    return data + penalty, sum(correct) / len(correct)


def step_zero_grad_first(model, X, y, lr, alpha=1e-4):
    model.zero_grad()
    loss, accuracy = moons_loss(model, X, y, alpha)
    loss.backward()
    for p in model.parameters():
        p.data += -lr * p.grad
    return float(loss.data), float(accuracy)


RIGHT_ANSWERS = [
    ("Neuron", "a plain loop", NeuronLoop),
    ("MLP", "sizes paired with zip", MLPZip),
    ("moons_loss", "inputs wrapped in Values, division by n", loss_wrapped_values),
    ("train_step", "zero_grad before the forward pass", step_zero_grad_first),
]
