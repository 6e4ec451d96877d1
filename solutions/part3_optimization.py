"""Reference solutions for chapter 3: optimizers from scratch, loss landscapes, sweeps.

The source of truth for `exercises/part3_optimization.py` and its notebook
(`python -m utils.codegen`). Each optimizer follows torch.optim's update rule exactly (with
nesterov, dampening, centering, amsgrad and maximize left out), so the checks can compare them
with torch step by step.
"""

from typing import Callable, Iterable

import torch as t
from jaxtyping import Float
from torch import Tensor


def pathological_curve_loss(x: Tensor, y: Tensor) -> Tensor:
    """Given: a long, nearly flat valley in x that drops off steeply in y."""
    return t.tanh(x) ** 2 + 0.01 * t.abs(x) + t.sigmoid(y)


def neg_trimodal_func(x: Tensor, y: Tensor) -> Tensor:
    """Given: three Gaussian wells of different depths, so there are three local minima."""
    wells = [(1.0, 0.0, 1.0), (-1.2, 1.0, 0.8), (-0.4, -1.3, 0.6)]  # (centre x, centre y, depth)
    return -sum(depth * t.exp(-((x - cx) ** 2 + (y - cy) ** 2)) for cx, cy, depth in wells)


def rosenbrocks_banana_func(x: Tensor, y: Tensor, a: float = 1.0, b: float = 100.0) -> Tensor:
    """Given: Rosenbrock's banana, a curved valley with its minimum (1 + 0) at (a, a**2)."""
    return (a - x) ** 2 + b * (y - x ** 2) ** 2 + 1


def opt_fn_with_sgd(fn: Callable, xy: Float[Tensor, "2"], lr: float = 0.001,
                    momentum: float = 0.98, n_iters: int = 100) -> Float[Tensor, "n_iters 2"]:
    """Minimise fn(x, y) from xy (a tensor with requires_grad=True) with torch.optim.SGD.

    Returns the (x, y) positions *before* each of the n_iters steps: row 0 is the start.
    """
    positions = t.zeros((n_iters, 2))
    optimizer = t.optim.SGD([xy], lr=lr, momentum=momentum)
    for i in range(n_iters):
        positions[i] = xy.detach()
        fn(xy[0], xy[1]).backward()
        optimizer.step()
        optimizer.zero_grad()
    return positions


class SGD:
    """Stochastic gradient descent with momentum and weight decay, as torch.optim.SGD.

    Each step, for each parameter p with a gradient g:
        g = g + weight_decay * p
        b = momentum * b + g   (b starts at 0, one buffer per parameter; skipped if momentum == 0)
        p = p - lr * b         (or p - lr * g without momentum)
    Parameters whose .grad is None are skipped. zero_grad() sets every .grad to None.
    """

    def __init__(self, params: Iterable[t.nn.Parameter], lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0):
        self.params = list(params)  # a generator would be used up after one pass
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self.buffers = [t.zeros_like(p) for p in self.params]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @t.inference_mode()
    def step(self) -> None:
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad + self.weight_decay * p if self.weight_decay else p.grad
            if self.momentum:
                self.buffers[i] = self.momentum * self.buffers[i] + g
                g = self.buffers[i]
            p -= self.lr * g

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay})"


class RMSprop:
    """RMSprop, as torch.optim.RMSprop (centered=False).

    For each parameter p with gradient g:
        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g**2              (v starts at 0)
        with momentum: b = momentum * b + g / (sqrt(v) + eps); p = p - lr * b
        without:       p = p - lr * g / (sqrt(v) + eps)
    """

    def __init__(self, params: Iterable[t.nn.Parameter], lr: float = 0.01, alpha: float = 0.99,
                 eps: float = 1e-08, weight_decay: float = 0.0, momentum: float = 0.0):
        self.params = list(params)
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.weight_decay, self.momentum = weight_decay, momentum
        self.square_avgs = [t.zeros_like(p) for p in self.params]
        self.buffers = [t.zeros_like(p) for p in self.params]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @t.inference_mode()
    def step(self) -> None:
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad + self.weight_decay * p if self.weight_decay else p.grad
            self.square_avgs[i] = self.alpha * self.square_avgs[i] + (1 - self.alpha) * g ** 2
            step = g / (self.square_avgs[i].sqrt() + self.eps)
            if self.momentum:
                self.buffers[i] = self.momentum * self.buffers[i] + step
                step = self.buffers[i]
            p -= self.lr * step

    def __repr__(self) -> str:
        return (f"RMSprop(lr={self.lr}, alpha={self.alpha}, eps={self.eps}, "
                f"weight_decay={self.weight_decay}, momentum={self.momentum})")


class Adam:
    """Adam, as torch.optim.Adam (amsgrad=False), with L2 weight decay added to the gradient.

    Step number s counts from 1. For each parameter p with gradient g:
        g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g          v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**s)               v_hat = v / (1 - beta2**s)
        p = p - lr * m_hat / (sqrt(v_hat) + eps)
    """

    def __init__(self, params: Iterable[t.nn.Parameter], lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-08,
                 weight_decay: float = 0.0):
        self.params = list(params)
        self.lr, (self.beta1, self.beta2), self.eps = lr, betas, eps
        self.weight_decay = weight_decay
        self.m = [t.zeros_like(p) for p in self.params]
        self.v = [t.zeros_like(p) for p in self.params]
        self.steps = 0

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @t.inference_mode()
    def step(self) -> None:
        self.steps += 1
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad + self.weight_decay * p if self.weight_decay else p.grad
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g ** 2
            m_hat = self.m[i] / (1 - self.beta1 ** self.steps)
            v_hat = self.v[i] / (1 - self.beta2 ** self.steps)
            p -= self.lr * m_hat / (v_hat.sqrt() + self.eps)

    def __repr__(self) -> str:
        return (f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps}, "
                f"weight_decay={self.weight_decay})")


class AdamW(Adam):
    """AdamW, as torch.optim.AdamW: Adam with *decoupled* weight decay.

    Instead of adding weight_decay * p to the gradient, shrink the parameter directly before
    the Adam update: p = p - lr * weight_decay * p; the gradient itself stays as it is.
    Note torch's default weight_decay for AdamW is 0.01.
    """

    def __init__(self, params: Iterable[t.nn.Parameter], lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-08,
                 weight_decay: float = 0.01):
        super().__init__(params, lr, betas, eps, weight_decay=0.0)
        self.decoupled_weight_decay = weight_decay

    @t.inference_mode()
    def step(self) -> None:
        for p in self.params:
            if p.grad is not None:
                p -= self.lr * self.decoupled_weight_decay * p
        super().step()

    def __repr__(self) -> str:
        return (f"AdamW(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps}, "
                f"weight_decay={self.decoupled_weight_decay})")


def opt_fn(fn: Callable, xy: Float[Tensor, "2"], optimizer_class: type,
           optimizer_hyperparams: dict, n_iters: int = 100) -> Float[Tensor, "n_iters 2"]:
    """Like opt_fn_with_sgd, for any optimizer class (yours or torch's) built as
    optimizer_class([xy], **optimizer_hyperparams). Returns the positions before each step."""
    positions = t.zeros((n_iters, 2))
    optimizer = optimizer_class([xy], **optimizer_hyperparams)
    for i in range(n_iters):
        positions[i] = xy.detach()
        fn(xy[0], xy[1]).backward()
        optimizer.step()
        optimizer.zero_grad()
    return positions
