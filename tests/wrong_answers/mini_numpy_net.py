"""Wrong and right answers for chapter 6's sections 0-2 (the gradient checker, layers, the Network
class). Each wrong answer is one plausible slip on top of the reference."""

from __future__ import annotations

import numpy as np

from solutions import mini_projects as ref


def forward_differences(f, x, eps=1e-6):
    grad = np.zeros_like(x, dtype=np.float64)
    base = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        grad[i] = (f(x) - base) / eps
        x[i] = old
    return grad


def never_restores(f, x, eps=1e-6):
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        x[i] += eps
        up = f(x)
        x[i] -= 2 * eps
        grad[i] = (up - f(x)) / (2 * eps)
    return grad


def restores_by_arithmetic(f, x, eps=1e-6):
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        x[i] += eps
        up = f(x)
        x[i] -= 2 * eps
        down = f(x)
        x[i] += eps  # rounding: not always the old value again
        grad[i] = (up - down) / (2 * eps)
    return grad


def fixed_step(f, x, eps=1e-6):
    return ref.numerical_gradient(f, x, 1e-6)


def returns_a_list(f, x, eps=1e-6):
    return ref.numerical_gradient(f, x, eps).tolist()


class DenseUnscaled(ref.Dense):
    def __init__(self, n_in, n_out, rng):
        super().__init__(n_in, n_out, rng)
        self.W = self.W / np.sqrt(2.0 / n_in)


class DenseBatchBias(ref.Dense):
    def backward(self, grad):
        dx = super().backward(grad)
        self.db = grad  # forgot to sum over the batch
        return dx


class DenseTransposedDW(ref.Dense):
    def backward(self, grad):
        dx = super().backward(grad)
        self.dW = grad.T @ self.x
        return dx


class DenseFirstBatch(ref.Dense):
    def forward(self, x):
        if not hasattr(self, "x"):
            self.x = x  # caches only the first batch it sees
        return x @ self.W + self.b


class DenseNoBias(ref.Dense):
    def forward(self, x):
        self.x = x
        return x @ self.W


class ReLUAtZero(ref.ReLU):
    def forward(self, x):
        self.mask = x >= 0
        return x * (x > 0)


class ReLUMaskOnly(ref.ReLU):
    def backward(self, grad):
        return self.mask.astype(np.float64)


class CrossEntropyOverflows(ref.SoftmaxCrossEntropy):
    def forward(self, logits, y):
        with np.errstate(all="ignore"):
            e = np.exp(logits)
            self.probs, self.y = e / e.sum(axis=1, keepdims=True), y
            return float(-np.log(self.probs[np.arange(len(y)), y]).mean())


class CrossEntropySum(ref.SoftmaxCrossEntropy):
    def forward(self, logits, y):
        return super().forward(logits, y) * len(y)


class CrossEntropyNoMean(ref.SoftmaxCrossEntropy):
    def backward(self):
        return super().backward() * len(self.y)


class CrossEntropyNoOneHot(ref.SoftmaxCrossEntropy):
    def backward(self):
        return self.probs / len(self.y)


class NetworkBackwardForwards(ref.Network):
    def backward(self, grad):
        for layer in self.layers:  # the layers in forward order
            try:
                grad = layer.backward(grad)
            except ValueError:
                pass
        return grad


class NetworkAscends(ref.Network):
    def step(self, lr):
        super().step(-lr)


class NetworkNoShuffle(ref.Network):
    def fit(self, X, y, epochs, lr, batch_size, rng):
        history = []
        for _ in range(epochs):
            losses = []
            for start in range(0, len(X), batch_size):
                losses.append(self.loss.forward(self.forward(X[start:start + batch_size]),
                                                y[start:start + batch_size]))
                self.backward(self.loss.backward())
                self.step(lr)
            history.append(float(np.mean(losses)))
        return history


class NetworkDropsLastBatch(ref.Network):
    def fit(self, X, y, epochs, lr, batch_size, rng):
        history = []
        for _ in range(epochs):
            order = rng.permutation(len(X))
            losses = []
            for start in range(0, len(X) - batch_size + 1, batch_size):
                ix = order[start:start + batch_size]
                losses.append(self.loss.forward(self.forward(X[ix]), y[ix]))
                self.backward(self.loss.backward())
                self.step(lr)
            history.append(float(np.mean(losses)))
        return history


class NetworkSavesWeightsOnly(ref.Network):
    def save(self, path):
        np.savez(path, **{f"W{i}": layer.W for i, layer in enumerate(self.dense_layers())},
                 **{f"b{i}": np.zeros_like(layer.b) for i, layer in enumerate(self.dense_layers())})


class NetworkLoadsAnything(ref.Network):
    def load(self, path):
        with np.load(path) as saved:
            for i, layer in enumerate(self.dense_layers()):
                layer.W, layer.b = saved[f"W{i}"].copy(), saved[f"b{i}"].copy()


WRONG_ANSWERS = [
    ("numerical_gradient", "forward differences instead of central ones", forward_differences),
    ("numerical_gradient", "never puts x back after nudging it", never_restores),
    ("numerical_gradient", "puts x back by adding eps again, off by rounding",
     restores_by_arithmetic),
    ("numerical_gradient", "ignores eps", fixed_step),
    ("numerical_gradient", "returns a list, not an array", returns_a_list),
    ("Dense", "W not scaled by sqrt(2 / n_in)", DenseUnscaled),
    ("Dense", "db not summed over the batch", DenseBatchBias),
    ("Dense", "dW = grad.T @ x (transposed)", DenseTransposedDW),
    ("Dense", "caches only the first batch's x", DenseFirstBatch),
    ("Dense", "forward without the bias", DenseNoBias),
    ("ReLU", "passes the gradient at exactly 0", ReLUAtZero),
    ("ReLU", "backward returns the mask, not grad times the mask", ReLUMaskOnly),
    ("SoftmaxCrossEntropy", "exp of raw logits: overflows near 1000", CrossEntropyOverflows),
    ("SoftmaxCrossEntropy", "sums the loss over the batch", CrossEntropySum),
    ("SoftmaxCrossEntropy", "backward not divided by n", CrossEntropyNoMean),
    ("SoftmaxCrossEntropy", "backward forgets the one-hot", CrossEntropyNoOneHot),
    ("Network", "backward through the layers in forward order", NetworkBackwardForwards),
    ("Network", "step adds lr * grad", NetworkAscends),
    ("Network", "fit never shuffles", NetworkNoShuffle),
    ("Network", "fit drops the last, smaller batch", NetworkDropsLastBatch),
    ("Network", "save keeps only the weights", NetworkSavesWeightsOnly),
    ("Network", "load takes any shape without a ValueError", NetworkLoadsAnything),
]


def numerical_gradient_flat(f, x, eps=1e-6):
    grad = np.empty(x.size)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = eps
        grad[i] = (f(x + e.reshape(x.shape)) - f(x - e.reshape(x.shape))) / (2 * eps)
    return grad.reshape(x.shape)


class CrossEntropyLogSumExp(ref.SoftmaxCrossEntropy):
    def forward(self, logits, y):
        m = logits.max(axis=1, keepdims=True)
        lse = m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
        self.probs, self.y = np.exp(logits - lse), y
        return float((lse[:, 0] - logits[np.arange(len(y)), y]).mean())


RIGHT_ANSWERS = [
    ("numerical_gradient", "nudges copies instead of x itself", numerical_gradient_flat),
    ("SoftmaxCrossEntropy", "log-sum-exp form", CrossEntropyLogSumExp),
]
