"""Checks for chapter 5.4's last section: modules, the loss, no-grad, SGD and the training loop."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import torch as t

from solutions import part4_backprop as reference
from utils.checks.assertions import call, passed
from utils.checks.part4_backprop._common import assert_array, learner_env, tensor_like


def test_Parameter(Parameter: type) -> None:
    env = learner_env(Parameter)
    values = np.array([1.0, -2.0, 3.0])
    p = call(Parameter, env["Tensor"](values), context="on Parameter(Tensor([1, -2, 3]))")
    assert_array(tensor_like(p, "Parameter(Tensor(...))"), values, "Parameter(Tensor([1, -2, 3]))")
    if not isinstance(p, env["Tensor"]):
        raise AssertionError("Parameter: a Parameter should be a Tensor (subclass Tensor), so "
                             "that every operation works on it.")
    if p.requires_grad is not True:
        raise AssertionError("Parameter: parameters require grad by default; got "
                             f"requires_grad={p.requires_grad!r}.")
    if p.grad is not None or p.recipe is not None or not p.is_leaf:
        raise AssertionError("Parameter: a new parameter is a leaf with no gradient and no "
                             "recipe (call Tensor's __init__).")
    frozen = call(Parameter, env["Tensor"](values), requires_grad=False,
                  context="with requires_grad=False")
    if frozen.requires_grad is not False:
        raise AssertionError("Parameter(tensor, requires_grad=False) should not require grad.")
    passed("test_Parameter")


def _example_modules(Module: type, Parameter: type, Tensor: type) -> tuple[type, type]:
    def param(value: float):
        return Parameter(Tensor(np.array([value])))

    class Leafy(Module):
        def __init__(self, value: float) -> None:
            super().__init__()
            self.v = param(value)

    class Inner(Module):
        def __init__(self, scale: float) -> None:
            super().__init__()
            self.w = param(scale)
            self.sub = Leafy(scale + 1)
            self.b = param(-scale)

        def forward(self, x):
            return x * 2

    class Outer(Module):
        def __init__(self) -> None:
            super().__init__()
            self.first = param(1.0)
            self.inner = Inner(2.0)
            self.not_a_parameter = Tensor(np.array([9.0]))
            self.count = 3
            self.second = param(3.0)
            self.deep = Deep()

        def forward(self, x, y=0):
            return x + y + 1

    class Deep(Module):
        def __init__(self) -> None:
            super().__init__()
            self.nested = Inner(5.0)
            self.z = param(0.5)

    return Inner, Outer


def _names(params, labels: dict[int, str]) -> list[str]:
    return [labels[id(p)] if id(p) in labels else f"an unknown {type(p).__name__}"
            for p in params]


def test_Module(Module: type) -> None:
    env = learner_env(Module)
    Inner, Outer = _example_modules(Module, env["Parameter"], env["Tensor"])
    model = call(Outer, context="creating a Module subclass with parameters and submodules")
    labels = {id(model.first): "first", id(model.second): "second",
              id(model.inner.w): "inner.w", id(model.inner.b): "inner.b",
              id(model.inner.sub.v): "inner.sub.v", id(model.deep.z): "deep.z",
              id(model.deep.nested.w): "deep.nested.w", id(model.deep.nested.b): "deep.nested.b",
              id(model.deep.nested.sub.v): "deep.nested.sub.v"}
    setup = ("for a module that assigns, in order: first (Parameter), inner (a Module: w, then "
             "a submodule sub with v, then b), a plain Tensor, an int, second (Parameter), deep "
             "(a Module: a submodule nested like inner, then z)")
    if model.count != 3 or not hasattr(model, "not_a_parameter"):
        raise AssertionError(f"Module {setup}: ordinary attributes must still be set "
                             "(end __setattr__ with super().__setattr__(name, value)).")
    modules = list(call(model.modules, context="calling modules()"))
    if [id(m) for m in modules] != [id(model.inner), id(model.deep)]:
        raise AssertionError(f"Module {setup}: modules() should give [inner, deep] (the direct "
                             f"submodules, in order), got {len(modules)} modules.")
    expected_own = ["first", "second"]
    own = _names(call(model.parameters, recurse=False, context="parameters(recurse=False)"),
                 labels)
    if own != expected_own:
        raise AssertionError(f"Module {setup}: parameters(recurse=False) should give "
                             f"{expected_own}, got {own}.")
    expected_all = ["first", "second", "inner.w", "inner.b", "inner.sub.v", "deep.z",
                    "deep.nested.w", "deep.nested.b", "deep.nested.sub.v"]
    for attempt in ("the first", "a second"):
        got = _names(call(model.parameters, context="parameters()"), labels)
        if got != expected_all:
            raise AssertionError(f"Module {setup}: {attempt} call of parameters() should give "
                                 f"{expected_all} (own parameters, then each submodule's, depth "
                                 f"first), got {got}.")
    other = call(Inner, 7.0, context="creating a second module")
    if len(list(other.parameters())) != 3:
        raise AssertionError("Module: a second instance sees another instance's parameters: "
                             "create _parameters and _modules in __init__ (on self), not in the "
                             "class body.")
    if call(model, 1.0, y=2.0, context="calling the module") != 4.0:
        raise AssertionError("Module: calling a module, model(x, y=...), should return "
                             "model.forward(x, y=...).")
    passed("test_Module")


def test_Linear(Linear: type) -> None:
    env = learner_env(Linear)
    np.random.seed(0)
    layer = call(Linear, 3, 4, context="creating Linear(3, 4)")
    weight, bias = getattr(layer, "weight", None), getattr(layer, "bias", None)
    for name, param, shape in (("weight", weight, (4, 3)), ("bias", bias, (4,))):
        array = tensor_like(param, f"Linear(3, 4).{name}")
        if array.shape != shape:
            raise AssertionError(f"Linear(3, 4).{name} should have shape {shape}, got "
                                 f"{array.shape}.")
        if not isinstance(param, env["Parameter"]):
            raise AssertionError(f"Linear(3, 4).{name} should be a Parameter, got "
                                 f"{type(param).__name__}.")
    params = list(layer.parameters())
    if sorted(id(p) for p in params) != sorted((id(weight), id(bias))):
        raise AssertionError("Linear(3, 4).parameters() should give weight and bias: assign "
                             "both as attributes of the module.")
    big_layer = call(Linear, 100, 300, context="creating Linear(100, 300)")
    bound = 1 / math.sqrt(100)
    for name, values in (("weight", big_layer.weight.array), ("bias", big_layer.bias.array)):
        if np.abs(values).max() > bound + 1e-12 or np.abs(values).max() < 0.9 * bound or \
                abs(values.mean()) > 0.1 * bound:
            raise AssertionError(
                f"Linear(100, 300).{name} should be uniform in [-{bound:.3g}, {bound:.3g}] "
                f"(1/sqrt(in_features)); got values from {values.min():.3g} to "
                f"{values.max():.3g}, mean {values.mean():.3g}.")
    rng = np.random.default_rng(20)
    x_value = rng.standard_normal((5, 3))
    x = env["Tensor"](x_value)
    out = call(layer, x, context="on an input of shape (5, 3)")
    assert_array(tensor_like(out, "Linear(3, 4)(x)"), x_value @ weight.array.T + bias.array,
                 "Linear(3, 4) on x of shape (5, 3): x @ weight.T + bias")
    call(out.sum().backward, context="backpropagating through Linear")
    for name, param, expected in (("weight", weight, np.ones((5, 4)).T @ x_value),
                                  ("bias", bias, np.full(4, 5.0))):
        if param.grad is None:
            raise AssertionError(f"Linear: after out.sum().backward(), {name}.grad is None; the "
                                 "forward must use Tensor operations on the Parameters.")
        assert_array(param.grad.array, expected, f"Linear(3, 4): {name}.grad after "
                     "out.sum().backward()")
    no_bias = call(Linear, 3, 4, bias=False, context="creating Linear(3, 4, bias=False)")
    if getattr(no_bias, "bias", "missing") is not None or len(list(no_bias.parameters())) != 1:
        raise AssertionError("Linear(3, 4, bias=False) should have bias None and one parameter.")
    assert_array(tensor_like(call(no_bias, x, context="without bias"), "Linear(bias=False)(x)"),
                 x_value @ no_bias.weight.array.T, "Linear(3, 4, bias=False) on x")
    passed("test_Linear")


def test_cross_entropy(cross_entropy: Callable) -> None:
    env = learner_env(cross_entropy)
    Tensor = env["Tensor"]
    inf = float("inf")
    logits = Tensor(np.array([[-inf, -inf, -inf, 0.0], [0.5, 0.5, 0.5, 0.5],
                              [-inf, -inf, -inf, 0.0]]))
    labels = Tensor(np.array([3, 0, 1]))
    what = ("cross_entropy on logits [[-inf, -inf, -inf, 0], [0.5] * 4, [-inf, -inf, -inf, 0]] "
            "with labels [3, 0, 1]")
    with np.errstate(all="ignore"):
        got = call(cross_entropy, logits, labels, context=f"on {what}")
    assert_array(tensor_like(got, what), np.array([0.0, math.log(4), inf]), what)
    big = Tensor(np.array([[1000.0, 0.0], [0.0, 1000.0]]))
    what = "cross_entropy on logits [[1000, 0], [0, 1000]] with labels [0, 0]"
    with np.errstate(all="ignore"):
        got = call(cross_entropy, big, Tensor(np.array([0, 0])), context=f"on {what}")
    assert_array(tensor_like(got, what), np.array([0.0, 1000.0]),
                 f"{what} (exp(1000) overflows: subtract each row's maximum first)")
    rows = Tensor(np.array([[1000.0, 999.0], [0.0, -1.0]]))
    what = "cross_entropy on logits [[1000, 999], [0, -1]] with labels [0, 0]"
    with np.errstate(all="ignore"):
        got = call(cross_entropy, rows, Tensor(np.array([0, 0])), context=f"on {what}")
    assert_array(tensor_like(got, what), np.full(2, math.log1p(math.exp(-1))),
                 f"{what} (subtract each row's own maximum: one maximum for the whole batch "
                 "still underflows the rows far below it)")
    rng = np.random.default_rng(21)
    values, classes = rng.standard_normal((6, 5)) * 3, rng.integers(0, 5, 6)
    logits = Tensor(values, requires_grad=True)
    what = "cross_entropy on random logits (6, 5)"
    out = call(cross_entropy, logits, Tensor(classes), context=f"on {what}")
    tl = t.tensor(values, requires_grad=True)
    expected = t.nn.functional.cross_entropy(tl, t.tensor(classes), reduction="none")
    assert_array(tensor_like(out, what), expected.detach().numpy(),
                 f"{what}, compared with torch's cross_entropy(reduction='none')")
    if not out.requires_grad:
        raise AssertionError(f"{what}: the loss should require grad when the logits do: build "
                             "it from Tensor operations only.")
    weights = rng.standard_normal(6)
    call(out.backward, Tensor(weights), context="backpropagating through cross_entropy")
    expected.backward(t.tensor(weights))
    if logits.grad is None:
        raise AssertionError(f"{what}: after backward, logits.grad is None.")
    assert_array(logits.grad.array, tl.grad.numpy(),
                 f"{what}: the gradient for the logits, compared with torch.autograd")
    passed("test_cross_entropy")


def test_NoGrad(NoGrad: type) -> None:
    mode = learner_env(NoGrad)["grad_mode"]
    original = mode.enabled
    try:
        mode.enabled = True
        manager = call(NoGrad, context="creating NoGrad()")
        if mode.enabled is not True:
            raise AssertionError("NoGrad: creating NoGrad() already switched tracking off; do "
                                 "it in __enter__, when the block starts.")
        with manager:
            if mode.enabled is not False:
                raise AssertionError("NoGrad: inside `with NoGrad():`, grad_mode.enabled should "
                                     "be False.")
            with NoGrad():
                pass
            if mode.enabled is not False:
                raise AssertionError("NoGrad: after a nested `with NoGrad():` ends, tracking "
                                     "must still be off in the outer block: restore the value "
                                     "from before, don't set True.")
        if mode.enabled is not True:
            raise AssertionError("NoGrad: after the block, grad_mode.enabled should be True "
                                 "again.")
        try:
            with NoGrad():
                raise KeyError("raised inside the block")
        except KeyError:
            pass
        else:
            raise AssertionError("NoGrad: an exception raised inside the block disappeared: "
                                 "__exit__ must not return True.")
        if mode.enabled is not True:
            raise AssertionError("NoGrad: after an exception inside the block, tracking should "
                                 "be back on.")
        a = reference.Tensor(np.ones(2), requires_grad=True)
        with NoGrad():
            untracked = reference.multiply(a, 2.0) if mode is reference.grad_mode else None
        if untracked is not None and untracked.requires_grad:
            raise AssertionError("NoGrad: a multiplication inside the block still required grad.")
    finally:
        mode.enabled = original
    passed("test_NoGrad")


def test_SGD(SGD: type) -> None:
    env = learner_env(SGD)
    Parameter, Tensor = env["Parameter"], env["Tensor"]
    start = [np.array([1.0, 2.0]), np.array([[3.0, -1.0]]), np.array([5.0])]
    params = [Parameter(Tensor(v.copy())) for v in start]
    grads = [np.array([0.5, -1.0]), np.array([[2.0, 0.0]]), None]
    optimizer = call(SGD, (p for p in params), lr=0.1,
                     context="creating SGD from a generator of parameters, lr=0.1")
    for step in (1, 2):
        for p, g in zip(params, grads):
            p.grad = None if g is None else Tensor(g)
        call(optimizer.step, context=f"in step {step}")
        for i, (p, v, g) in enumerate(zip(params, start, grads)):
            expected = v - 0.1 * step * (0 if g is None else g)
            what = (f"SGD(lr=0.1): parameter {i} after {step} step(s)"
                    + (" (it has no gradient: leave it as it is)" if g is None else ""))
            if step == 2 and not np.allclose(p.array, expected) and np.allclose(
                    p.array, v - 0.1 * (0 if g is None else g)):
                raise AssertionError(f"{what}: the second step changed nothing. Keep "
                                     "list(params): a generator is empty after one pass.")
            assert_array(tensor_like(p, what), expected, what)
    for i, p in enumerate(params):
        if not p.is_leaf or p.recipe is not None or not p.requires_grad:
            raise AssertionError(f"SGD: after step(), parameter {i} should still be a leaf that "
                                 "requires grad: update .array, without recording a recipe.")
    call(optimizer.zero_grad, context="in zero_grad")
    for i, p in enumerate(params):
        if p.grad is not None and np.any(p.grad.array):
            raise AssertionError(f"SGD: after zero_grad(), parameter {i} still has a non-zero "
                                 "gradient.")
    passed("test_SGD")


def _copy_model(source, target) -> None:
    for a, b in zip(source.parameters(), target.parameters()):
        b.array = a.array.copy()


def test_train_epoch(train_epoch: Callable) -> None:
    env = learner_env(train_epoch)
    rng = np.random.default_rng(22)
    images, labels = rng.random((10, 28, 28)), rng.integers(0, 10, 10)
    np.random.seed(0)
    model = env["MLP"]()
    expected_model = reference.MLP()
    _copy_model(model, expected_model)
    expected = reference.train_epoch(expected_model, reference.SGD(
        expected_model.parameters(), lr=0.5), images, labels, 4)
    what = "train_epoch on 10 images in batches of 4 (SGD, lr=0.5)"
    losses = call(train_epoch, model, env["SGD"](model.parameters(), lr=0.5), images, labels, 4,
                  context=f"on {what}")
    if not isinstance(losses, list) or len(losses) != len(expected):
        raise AssertionError(f"{what}: expected a list of {len(expected)} batch losses (the last "
                             f"batch has 2 images), got {losses!r}.")
    if not all(isinstance(v, float) for v in losses):
        raise AssertionError(f"{what}: the losses should be Python floats (loss.item()), got "
                             f"{[type(v).__name__ for v in losses]}.")
    for i, (got, want) in enumerate(zip(losses, expected)):
        if not math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9):
            hint = (" The loss looks summed over the batch, not averaged." if
                    math.isclose(got, want * (4 if i < 2 else 2), rel_tol=1e-4) else
                    " Did you zero the gradients before each backward pass, and step after it?")
            raise AssertionError(f"{what}: the loss of batch {i} should be {want:.6f} (the mean "
                                 f"cross-entropy), got {got:.6f}.{hint}")
    for (name, param), want in zip(_named(model), expected_model.parameters()):
        assert_array(param.array, want.array, f"{what}: {name} after the epoch")
    passed("test_train_epoch")


def _named(model) -> list[tuple[str, Any]]:
    """The MLP's parameters with names such as "linear1.weight", taken from the reference MLP's
    layers (a learner's Module may keep its registries under other names)."""
    layout = reference.MLP()
    names = [f"{layer}.{name}" for layer, module in layout._modules.items()
             for name in module._parameters]
    return list(zip(names, model.parameters()))
