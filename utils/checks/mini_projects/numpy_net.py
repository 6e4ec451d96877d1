"""Checks for chapter 6's sections 1-2 (the gradient checker, layers, the Network class).

Everything is float64 NumPy, so values are compared to 1e-9 (relative, and absolute near 0)
against the reference and, for the backward passes, against central differences too. A learner's
Network is judged with the reference's layers and loss (`reference_names`), so a slip in their
Dense can't fail their Network.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any, Callable

import numpy as np

from solutions import mini_projects as reference
from utils.checks.assertions import call, passed
from utils.checks.learner_names import reference_names

__all__ = ["test_numerical_gradient", "test_Dense", "test_ReLU", "test_SoftmaxCrossEntropy",
           "test_Network"]

TOL = 1e-9
LAYER_NAMES = ("Dense", "ReLU", "SoftmaxCrossEntropy")


def _array(got: Any, shape: tuple[int, ...], what: str) -> np.ndarray:
    if not isinstance(got, np.ndarray):
        raise AssertionError(f"{what} should be a NumPy array of shape {shape}; got "
                             f"{type(got).__name__}.")
    if got.shape != shape:
        hint = " (transposed?)" if got.shape == shape[::-1] and len(shape) == 2 else ""
        raise AssertionError(f"{what} has shape {got.shape}, expected {shape}{hint}.")
    return got


def _assert_close(got: Any, expected: np.ndarray, what: str, tol: float = TOL) -> None:
    got = _array(got, expected.shape, what)
    diff = np.abs(got.astype(np.float64) - expected)
    limit = tol * np.maximum(1.0, np.abs(expected))
    if not np.all(diff <= limit):
        worst = np.unravel_index(np.argmax(diff - limit), diff.shape)
        raise AssertionError(f"{what} is wrong: at index {tuple(int(i) for i in worst)} expected "
                             f"{expected[worst]:.10g}, got {got[worst]:.10g} (largest difference "
                             f"{diff.max():.3g}).")


# --- section 1 ---------------------------------------------------------------------------------

def _steep(x: np.ndarray) -> float:
    return float(np.exp(3 * x).sum())  # a large second derivative: forward differences show it


def _mixed(x: np.ndarray) -> float:
    return float((x ** 3).sum() + np.sin(x[0]).sum() * x[-1].sum())


def test_numerical_gradient(numerical_gradient: Callable) -> None:
    rng = np.random.default_rng(6)
    cases = (("sum(exp(3x))", _steep, rng.normal(size=(4,)), 1e-6),
             ("sum(x³) + sum(sin x[0])·sum(x[-1])", _mixed, rng.normal(size=(2, 3)), 1e-6),
             ("sum(x³) + sum(sin x[0])·sum(x[-1]) with eps = 1e-3", _mixed,
              rng.normal(size=(3, 2)), 1e-3))
    for text, f, x, eps in cases:
        given = x.copy()
        where = f"for f = {text} at an array of shape {x.shape}"
        got = call(numerical_gradient, f, given, eps, context=where)
        if not np.array_equal(given, x):
            change = float(np.abs(given - x).max())
            why = ("put each entry back after nudging it." if change > eps / 2 else
                   "adding and subtracting eps again does not give back the same float (x + ε "
                   "- 2ε + ε is rounded at every step); keep the old value and assign it back.")
            raise AssertionError(f"numerical_gradient {where} left x changed (largest change "
                                 f"{change:.3g}): {why}")
        expected = reference.numerical_gradient(f, x.copy(), eps)
        try:
            _assert_close(got, expected, f"numerical_gradient {where}", tol=1e-7)
        except AssertionError as err:
            forward = np.array([(f(x + eps * e.reshape(x.shape)) - f(x)) / eps
                                for e in np.eye(x.size)]).reshape(x.shape)
            if isinstance(got, np.ndarray) and got.shape == x.shape and \
                    np.allclose(got, forward, rtol=1e-9, atol=1e-9):
                raise AssertionError(f"numerical_gradient {where}: those are forward "
                                     "differences, (f(x + ε) - f(x)) / ε; the task asks for "
                                     "central ones, (f(x + ε) - f(x - ε)) / 2ε, whose error "
                                     "shrinks like ε² instead of ε.") from None
            raise err
    passed("test_numerical_gradient")


def _dense_case(Dense: Callable, seed: int = 3) -> tuple[Any, Any, np.ndarray, np.ndarray]:
    learner = call(Dense, 5, 3, np.random.default_rng(seed), context="building Dense(5, 3, rng)")
    ref = reference.Dense(5, 3, np.random.default_rng(seed))
    x = np.random.default_rng(seed + 100).normal(size=(4, 5))
    grad = np.random.default_rng(seed + 200).normal(size=(4, 3))
    return learner, ref, x, grad


def test_Dense(Dense: Callable) -> None:
    learner, ref, x, grad = _dense_case(Dense)
    _assert_close(getattr(learner, "W", None), ref.W,
                  "Dense(5, 3, rng).W (drawn as rng.standard_normal((5, 3)) * sqrt(2 / 5))")
    _assert_close(getattr(learner, "b", None), ref.b, "Dense(5, 3, rng).b (zeros)")
    # Other weights than the initial ones, so a forward that ignores b or W shows.
    learner.W, learner.b = ref.W + 0.5, np.arange(3.0) - 1.0
    ref.W, ref.b = learner.W.copy(), learner.b.copy()
    other = np.random.default_rng(9).normal(size=(2, 5))
    call(learner.forward, other, context="Dense.forward on a first batch")
    _assert_close(call(learner.forward, x, context="Dense.forward"), ref.forward(x),
                  "Dense.forward(x) (x @ W + b)")
    dx = call(learner.backward, grad, context="Dense.backward after forward(x)")
    expected_dx = ref.backward(grad)
    _assert_close(getattr(learner, "dW", None), ref.dW,
                  "Dense.dW after backward (for the last forward's x: cache it in forward)")
    _assert_close(getattr(learner, "db", None), ref.db, "Dense.db after backward (summed over "
                                                        "the batch)")
    _assert_close(dx, expected_dx, "the gradient Dense.backward returns (dL/dx = grad @ W.T)")
    # The same rules from central differences of L = sum(grad * forward(x)):
    numeric = reference.numerical_gradient(lambda v: float((grad * (v @ ref.W + ref.b)).sum()),
                                           x.copy(), 1e-6)
    _assert_close(dx, numeric, "Dense.backward's dL/dx against central differences", tol=1e-6)
    passed("test_Dense")


def test_ReLU(ReLU: Callable) -> None:
    layer = call(ReLU, context="building ReLU()")
    ref = reference.ReLU()
    x = np.array([[-2.0, -0.0, 0.0, 1e-12], [3.5, -1e-12, 0.25, -7.0]])
    grad = np.arange(8.0).reshape(2, 4) + 1.0
    call(layer.forward, -x, context="ReLU.forward on a first batch")
    _assert_close(call(layer.forward, x, context="ReLU.forward"), ref.forward(x),
                  "ReLU.forward(x) = max(x, 0)")
    _assert_close(call(layer.backward, grad, context="ReLU.backward"), ref.backward(grad),
                  "ReLU.backward(grad) (the gradient passes where the last forward's input was "
                  "> 0, and is 0 at exactly 0)")
    passed("test_ReLU")


def test_SoftmaxCrossEntropy(SoftmaxCrossEntropy: Callable) -> None:
    rng = np.random.default_rng(11)
    cases = (("random logits", rng.normal(size=(5, 4)) * 3, np.array([0, 3, 1, 1, 2])),
             ("logits near 1000 (exp overflows unless you subtract each row's max)",
              rng.normal(size=(3, 6)) + 1000.0, np.array([5, 0, 2])),
             ("one example", np.array([[2.0, -1.0, 0.5]]), np.array([1])))
    for text, logits, y in cases:
        loss = call(SoftmaxCrossEntropy, context="building SoftmaxCrossEntropy()")
        ref = reference.SoftmaxCrossEntropy()
        given = logits.copy()
        got = call(loss.forward, given, y, context=f"SoftmaxCrossEntropy.forward on {text}")
        if isinstance(got, np.ndarray) and got.size == 1:
            got = got.item()
        if isinstance(got, bool) or not isinstance(got, (float, np.floating)):
            raise AssertionError(f"SoftmaxCrossEntropy.forward on {text} should return the mean "
                                 f"loss as a float; got {type(got).__name__} {got!r:.60}.")
        expected = ref.forward(logits.copy(), y)
        if not np.isfinite(got) or abs(got - expected) > TOL * max(1.0, abs(expected)):
            summed = expected * len(y)
            why = (" That is the sum over the batch; return the mean."
                   if np.isfinite(got) and abs(got - summed) <= TOL * max(1, abs(summed)) else "")
            raise AssertionError(f"SoftmaxCrossEntropy.forward on {text}: expected {expected:.10g}"
                                 f", got {got!r}.{why}")
        if not np.array_equal(given, logits):
            raise AssertionError(f"SoftmaxCrossEntropy.forward on {text} changed the logits it "
                                 "was given: work on a copy.")
        _assert_close(call(loss.backward, context=f"SoftmaxCrossEntropy.backward on {text}"),
                      ref.backward(), f"SoftmaxCrossEntropy.backward() on {text} "
                      "((softmax - one-hot) / n)")
    passed("test_SoftmaxCrossEntropy")


# --- section 2 ---------------------------------------------------------------------------------

def _twin_networks(Network: Callable, seed: int) -> tuple[Any, Any]:
    """The learner's Network and the reference's, over identical reference layers."""
    def layers() -> list:
        rng = np.random.default_rng(seed)
        return [reference.Dense(6, 8, rng), reference.ReLU(), reference.Dense(8, 3, rng)]

    return call(Network, layers(), context="building Network(layers)"), reference.Network(layers())


def _toy_data(seed: int = 21, n: int = 45) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6))
    return X, (X[:, 0] + X[:, 1] > 0).astype(np.int64) + (X[:, 2] > 1).astype(np.int64)


def _dense_of(net: Any) -> list:
    return [layer for layer in net.layers if isinstance(layer, reference.Dense)]


def test_Network(Network: Callable) -> None:
    with reference_names(getattr(getattr(Network, "fit", None), "__globals__", None), reference,
                         LAYER_NAMES):
        _check_network(Network)
    passed("test_Network")


def _check_network(Network: Callable) -> None:
    X, y = _toy_data()
    net, ref = _twin_networks(Network, seed=1)
    _assert_close(call(net.forward, X, context="Network.forward"), ref.forward(X),
                  "Network.forward(X) (each layer's forward in order)")
    grad = np.random.default_rng(2).normal(size=(len(X), 3))
    _assert_close(call(net.backward, grad, context="Network.backward"), ref.backward(grad),
                  "Network.backward(grad) (the layers' backward in reverse order)")
    call(net.step, 0.1, context="Network.step(0.1)")
    ref.step(0.1)
    for i, (mine, theirs) in enumerate(zip(_dense_of(net), _dense_of(ref))):
        _assert_close(mine.W, theirs.W,
                      f"dense layer {i}'s W after Network.step(0.1) (W -= lr * dW)")
        _assert_close(mine.b, theirs.b,
                      f"dense layer {i}'s b after Network.step(0.1) (b -= lr * db)")

    net, ref = _twin_networks(Network, seed=4)
    got = call(net.fit, X, y, 3, 0.2, 8, np.random.default_rng(5),
               context="Network.fit(X, y, epochs=3, lr=0.2, batch_size=8, rng)")
    expected = ref.fit(X, y, 3, 0.2, 8, np.random.default_rng(5))
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        raise AssertionError("Network.fit(..., epochs=3, ...) should return a list of 3 epoch "
                             f"losses; got {got!r:.80}.")
    _assert_close(np.asarray(got, dtype=np.float64), np.asarray(expected),
                  "the epoch losses Network.fit returns (the mean minibatch loss of each epoch; "
                  "each "
                  "epoch's order from rng.permutation(len(X)), 45 examples in batches of 8, the "
                  "last one of 5)")
    for i, (mine, theirs) in enumerate(zip(_dense_of(net), _dense_of(ref))):
        _assert_close(mine.W, theirs.W, f"dense layer {i}'s W after Network.fit")
    _assert_close(call(net.predict, X, context="Network.predict"), ref.predict(X),
                  "Network.predict(X) (the index of each row's largest logit)")

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "net.npz")
        call(net.save, path, context="Network.save(path)")
        fresh, _ = _twin_networks(Network, seed=77)
        call(fresh.load, path, context="Network.load(path) on a network of the same shape")
        _assert_close(call(fresh.forward, X, context="the loaded network's forward"),
                      ref.forward(X), "the forward pass of a network that Network.load filled "
                      "from what Network.save wrote after fit")
        other = call(Network, [reference.Dense(6, 4, np.random.default_rng(0)), reference.ReLU(),
                               reference.Dense(4, 3, np.random.default_rng(0))],
                     context="building a network of another shape")
        try:
            other.load(path)
        except ValueError:
            pass
        except Exception as err:  # noqa: BLE001
            raise AssertionError("Network.load into a network of another shape should raise "
                                 f"ValueError; it raised {type(err).__name__}: {err}") from None
        else:
            raise AssertionError("Network.load into a network whose layers have other shapes "
                                 "should raise ValueError (saying which layer), not load.")
