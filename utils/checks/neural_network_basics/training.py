"""Checks for chapter 2's sections 3 (the training loop) and 4 (tabular data).

Each compares the learner's function with the reference on small seeded problems whose numbers
make the usual slips visible: gradients that pile up across batches (or are zeroed before their
step), a step with the wrong sign or learning rate, an optimizer that loses a parameter, a ReLU on
the output, a validation set scaled with its own statistics.

`calc_grad` and `train_epoch` call `mnist_loss` (and `train_epoch` calls `calc_grad`) by name,
from the learner's own file. While they are checked, those names point at the reference
solutions, so a `calc_grad` is judged on its own even while `mnist_loss` is unsolved or wrong.
"""

from __future__ import annotations

from typing import Any, Callable

import torch as t
from torch import Tensor

from solutions import neural_network_basics as reference
from utils.checks.assertions import (LearnerCodeError, assert_close, assert_is_tensor,
                                     assert_shape, call, passed)
from utils.checks.learner_names import reference_names

__all__ = ["test_calc_grad", "test_train_epoch", "test_BasicOptim", "test_simple_net",
           "test_one_hot", "test_standardize"]


def _call_update(fn: Callable, *args: Any, context: str) -> Any:
    """call(), with the fix named when PyTorch refused an in-place update of a parameter."""
    try:
        return call(fn, *args, context=context)
    except LearnerCodeError as err:
        if "leaf Variable that requires grad" in str(err):
            raise AssertionError(f"{err} A parameter is a leaf that requires grad, so autograd "
                                 "refuses to record an update of it: do the update under "
                                 "`with t.no_grad():`, or on `p.data`.") from err
        raise


def _linear_problem(seed: int, n: int = 12, d: int = 5) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """(xb, yb, weights, bias): a batch with both classes, and parameters that give it a mix of
    confident and unsure predictions (so the sigmoid's gradient is far from 0)."""
    gen = t.Generator().manual_seed(seed)
    xb = t.randn(n, d, generator=gen)
    yb = (t.arange(n) % 3 == 0).float()[:, None]
    weights = (t.randn(d, 1, generator=gen) * 0.5).requires_grad_()
    bias = (t.randn(1, generator=gen) * 0.5).requires_grad_()
    return xb, yb, weights, bias


def _copies(params: list[Tensor]) -> list[Tensor]:
    return [p.detach().clone().requires_grad_() for p in params]


def _grad_of(p: Tensor, what: str) -> Tensor:
    if p.grad is None:
        raise AssertionError(f"{what}: no gradient reached it (its .grad is None). Did you call "
                             "`loss.backward()` on the loss of the model's predictions?")
    return p.grad


# ---------------------------------------------------------------------------------------------
# Section 3


def test_calc_grad(calc_grad: Callable) -> None:
    """calc_grad adds the gradient of mnist_loss(model(xb), yb) to every parameter's .grad."""
    with reference_names(getattr(calc_grad, "__globals__", None), reference, ("mnist_loss",)):
        for seed in (0, 1):
            xb, yb, weights, bias = _linear_problem(seed)
            mine = _copies([weights, bias])
            theirs = _copies([weights, bias])
            reference.calc_grad(xb, yb, lambda x: reference.linear1(x, *mine))
            try:
                got = call(calc_grad, xb, yb, lambda x: reference.linear1(x, *theirs),
                           context=f"on a batch of {len(xb)} rows with a linear model")
            except LearnerCodeError as err:
                if "does not require grad" in str(err):
                    raise AssertionError(
                        f"{str(err).rstrip('.')}. The tensor backward() ran on was not "
                        "computed from the model's predictions: call "
                        "`mnist_loss(predictions, yb)`, predictions first "
                        "(swapped, the loss is a function of the targets alone), and don't "
                        "detach them.") from err
                raise
            if isinstance(got, Tensor) and got.requires_grad and theirs[0].grad is None:
                raise AssertionError("calc_grad: it returned the loss but no gradient reached "
                                     "the parameters. Call `loss.backward()` inside calc_grad.")
            for name, p, q in zip(("weights", "bias"), theirs, mine):
                assert_close(_grad_of(p, f"calc_grad: the {name}"), q.grad,
                             f"calc_grad: the gradient of the {name} (linear model, batch of "
                             f"{len(xb)}). Expected the gradient of mnist_loss(predictions, "
                             "targets), predictions first")

        # backward() adds to .grad; calc_grad must not reset or overwrite it.
        xb, yb, weights, bias = _linear_problem(2)
        theirs = _copies([weights, bias])
        earlier = [t.full_like(p, 0.25) for p in theirs]
        for p, g in zip(theirs, earlier):
            p.grad = g.clone()
        call(calc_grad, xb, yb, lambda x: reference.linear1(x, *theirs),
             context="when the parameters already hold a gradient")
        mine = _copies([weights, bias])
        reference.calc_grad(xb, yb, lambda x: reference.linear1(x, *mine))
        for name, p, q, g in zip(("weights", "bias"), theirs, mine, earlier):
            got = _grad_of(p, f"calc_grad: the {name}")
            if t.allclose(got, q.grad, atol=1e-6):
                raise AssertionError(f"calc_grad: the {name} held a gradient of 0.25 everywhere "
                                     "before the call, and afterwards hold only this batch's "
                                     "gradient. calc_grad must only call backward(), which adds "
                                     "to .grad; resetting is the training loop's job.")
            assert_close(got, g + q.grad, f"calc_grad: the {name}'s .grad after the call, when "
                         "it held 0.25 everywhere before (expected 0.25 + this batch's gradient)")

        # Any model: a two-layer net, so calc_grad must not assume a linear model's parameters.
        gen = t.Generator().manual_seed(3)
        xb = t.randn(10, 4, generator=gen)
        yb = (t.arange(10) % 2).float()[:, None]
        net = [t.randn(4, 6, generator=gen), t.randn(6, generator=gen),
               t.randn(6, 1, generator=gen), t.randn(1, generator=gen)]
        mine, theirs = _copies(net), _copies(net)
        reference.calc_grad(xb, yb, lambda x: reference.simple_net(x, *mine))
        call(calc_grad, xb, yb, lambda x: reference.simple_net(x, *theirs),
             context="with a two-layer net as the model")
        for i, (p, q) in enumerate(zip(theirs, mine)):
            assert_close(_grad_of(p, f"calc_grad: parameter {i} of a two-layer net"), q.grad,
                         f"calc_grad: the gradient of parameter {i} of a two-layer net")
    passed("test_calc_grad")


def _batches(seed: int, sizes: tuple[int, ...], d: int) -> list[tuple[Tensor, Tensor]]:
    gen = t.Generator().manual_seed(seed)
    return [(t.randn(n, d, generator=gen), (t.rand(n, 1, generator=gen) < 0.5).float())
            for n in sizes]


def _params_after(train_epoch: Callable, lr: float, params: list[Tensor],
                  dl: list[tuple[Tensor, Tensor]], context: str) -> list[Tensor]:
    theirs = _copies(params)
    _call_update(train_epoch, lambda x: reference.linear1(x, *theirs), lr, theirs, dl,
                 context=context)
    return theirs


def test_train_epoch(train_epoch: Callable) -> None:
    """One epoch of SGD: per batch, the gradient, a step of -lr * grad, then the grad zeroed."""
    with reference_names(getattr(train_epoch, "__globals__", None), reference,
                         ("mnist_loss", "calc_grad")):
        _, _, weights, bias = _linear_problem(4, d=3)
        start = [weights, bias]
        # One batch first: the step's direction and size show on their own.
        for lr, dl in ((0.5, _batches(5, (8,), 3)), (0.5, _batches(5, (8, 8, 5), 3)),
                       (3.0, _batches(5, (8, 8, 5), 3))):
            context = f"with lr={lr} on {len(dl)} batch{'es' if len(dl) > 1 else ''}"
            theirs = _params_after(train_epoch, lr, start, dl, context)
            mine = _copies(start)
            reference.train_epoch(lambda x: reference.linear1(x, *mine), lr, mine, dl)
            for name, p, q, p0 in zip(("weights", "bias"), theirs, mine, start):
                if not p.requires_grad or not p.is_leaf:
                    raise AssertionError(
                        f"train_epoch: after the epoch the {name} are no longer a leaf tensor "
                        "that requires grad: the update was recorded by autograd or replaced "
                        "the tensor. Update in place under `t.no_grad()` (or on `p.data`).")
                if t.allclose(p.detach(), p0.detach()):
                    raise AssertionError(
                        f"train_epoch ({context}): the {name} did not change. Update each "
                        "tensor in `params` in place (`p.data -= ...` or `p -= ...` under "
                        "no_grad); `p = p - ...` only rebinds the loop variable. And don't zero "
                        "a gradient between calc_grad and the step that uses it.")
                # The values decide: a loop that never zeroes passes one batch but not three
                # (the gradients pile up), while one that zeroes before each calc_grad, as
                # PyTorch loops often do, is right and keeps the last batch's gradient.
                _explain_epoch(p.detach(), q.detach(), p0, lr, dl, name)
        # A dl that is a generator can be read once: train_epoch must go through it once.
        dl = _batches(5, (8, 8, 5), 3)
        theirs = _params_after(train_epoch, 0.5, start, iter(dl), "when dl is an iterator")
        mine = _copies(start)
        reference.train_epoch(lambda x: reference.linear1(x, *mine), 0.5, mine, dl)
        for name, p, q in zip(("weights", "bias"), theirs, mine):
            assert_close(p.detach(), q.detach(), f"train_epoch: the {name} after an epoch over "
                         "an iterator of batches (loop over dl once, with `for xb, yb in dl`)")
    passed("test_train_epoch")


def _explain_epoch(got: Tensor, expected: Tensor, start: Tensor, lr: float,
                   dl: list[tuple[Tensor, Tensor]], name: str) -> None:
    """assert_close, with the mistake named when the result matches a known wrong loop."""
    if t.allclose(got, expected, atol=1e-5, rtol=1e-4):
        return
    moved, wanted = got - start.detach(), expected - start.detach()
    if t.allclose(moved, -wanted, atol=1e-5, rtol=1e-3):
        raise AssertionError(f"train_epoch: the {name} moved by exactly the opposite of the "
                             "right step: the update goes against the gradient, p - lr * grad "
                             "(did you write `+=`?).")
    ratio = float((moved * wanted).sum() / (wanted * wanted).sum())
    if abs(ratio - 1) > 0.05 and t.allclose(moved, ratio * wanted, atol=1e-5, rtol=1e-2):
        raise AssertionError(f"train_epoch: the {name} moved in the right direction but "
                             f"{ratio:.3g} times as far as expected with lr={lr}: use the `lr` "
                             "argument as the step size.")
    if len(dl) == 1:
        assert_close(got, expected, f"train_epoch: the {name} after an epoch of one batch "
                     f"(lr={lr}; expected p - lr * p.grad)")
    assert_close(got, expected, f"train_epoch: the {name} after one epoch (lr={lr}, "
                 f"{len(dl)} batches; one batch alone was right). Step after every batch, and "
                 "clear each gradient once its step has used it (after the step, or before the "
                 "next calc_grad): backward() adds to .grad, so without it the batches' "
                 "gradients pile up")


def test_BasicOptim(BasicOptim: Callable) -> None:
    """step moves every parameter by -lr * grad without tracking; zero_grad resets every grad."""
    gen = t.Generator().manual_seed(6)
    shapes = ((4, 3), (3,), (3, 1), (1,))
    start = [t.randn(s, generator=gen).requires_grad_() for s in shapes]
    grads = [t.randn(s, generator=gen) for s in shapes]
    for lr in (0.3, 2.0):
        params = _copies(start)
        optimizer = call(BasicOptim, (p for p in params), lr,
                         context=f"BasicOptim(a generator of {len(params)} parameters, lr={lr})")
        for p, g in zip(params, grads):
            p.grad = g.clone()
        _call_update(optimizer.step, context="in BasicOptim.step, on the first step")
        for i, (p, p0, g) in enumerate(zip(params, start, grads)):
            if not p.is_leaf or p.grad_fn is not None or not p.requires_grad:
                raise AssertionError(
                    f"BasicOptim.step: parameter {i} is no longer a leaf that requires grad: "
                    "the step was recorded by autograd. Update `p.data` or work under "
                    "`t.no_grad()`.")
            if t.equal(p.detach(), p0.detach()):
                raise AssertionError(
                    f"BasicOptim.step (lr={lr}): parameter {i} of {len(params)} (shape "
                    f"{tuple(p.shape)}) did not change. Every parameter passed in must be "
                    "stepped; if `params` is a generator, keep it as a list in __init__ (a "
                    "generator can be read only once).")
            assert_close(p.detach(), p0.detach() - lr * g,
                         f"BasicOptim.step (lr={lr}): parameter {i} (expected p - lr * p.grad)")
        before = [p.detach().clone() for p in params]
        for p in params:
            if p.grad is None:
                p.grad = t.zeros_like(p)
        for p, g in zip(params, grads):
            p.grad.copy_(g)
        call(optimizer.step, context="in BasicOptim.step, on a second step")
        if all(t.equal(p.detach(), b) for p, b in zip(params, before)):
            raise AssertionError(
                f"BasicOptim.step (lr={lr}), called a second time, moved no parameter (the first "
                "call did). The parameters were passed as a generator, which the first step used "
                "up: keep them as a list in __init__ (`list(params)`).")
        for i, (p, b, g) in enumerate(zip(params, before, grads)):
            assert_close(p.detach(), b - lr * g, f"BasicOptim.step (lr={lr}), called a second "
                         f"time: parameter {i} (each step moves by -lr * grad again)")
        call(optimizer.zero_grad, context="in BasicOptim.zero_grad, after two steps")
        for i, p in enumerate(params):
            _assert_zeroed(p, i)

    # zero_grad before any parameter has a gradient (a model not used yet) must not fail.
    params = _copies(start)
    params[0].grad = t.ones_like(params[0])
    optimizer = call(BasicOptim, params, 0.1, context="BasicOptim(a list of parameters, lr=0.1)")
    call(optimizer.zero_grad,
         context="in BasicOptim.zero_grad, when some parameters' .grad is still None (not "
                 "used by a backward yet)")
    for i, p in enumerate(params):
        _assert_zeroed(p, i)
    passed("test_BasicOptim")


def _assert_zeroed(p: Tensor, i: int) -> None:
    if p.grad is None:
        return
    if p.grad.shape != p.shape:
        raise AssertionError(f"BasicOptim.zero_grad: parameter {i} has shape {tuple(p.shape)} but "
                             f"its .grad became shape {tuple(p.grad.shape)}. Reset to None, or "
                             "to zeros of the parameter's shape (`t.zeros_like(p)`).")
    if not t.all(p.grad == 0):
        raise AssertionError(f"BasicOptim.zero_grad: parameter {i}'s .grad is not zero after "
                             "zero_grad (reset every parameter's gradient, to None or zeros).")


def test_simple_net(simple_net: Callable) -> None:
    """Linear, ReLU, linear, with gradients reaching all four parameters."""
    gen = t.Generator().manual_seed(7)
    for n, d, h in ((6, 4, 5), (9, 7, 3)):
        xb = t.randn(n, d, generator=gen)
        start = [t.randn(d, h, generator=gen), t.randn(h, generator=gen),
                 t.randn(h, 1, generator=gen), t.randn(1, generator=gen) - 2.0]
        theirs, mine = _copies(start), _copies(start)
        what = f"simple_net on xb of shape {(n, d)} with {h} hidden units"
        got = assert_is_tensor(call(simple_net, xb, *theirs, context=f"on xb of shape {(n, d)}"),
                               what)
        expected = reference.simple_net(xb, *mine)
        assert_shape(got, (n, 1), what)
        if (expected < 0).any() and (got.detach() >= 0).all() and \
                t.allclose(got.detach(), expected.detach().clamp(min=0), atol=1e-5):
            raise AssertionError(f"{what}: every output is >= 0, as if the ReLU were applied to "
                                 "the output too. The ReLU goes between the two layers only: "
                                 "the output is a raw score that can be negative.")
        linear = (xb @ start[0] + start[1]) @ start[2] + start[3]
        if not t.allclose(linear, expected.detach(), atol=1e-4) and \
                t.allclose(got.detach(), linear, atol=1e-5):
            raise AssertionError(f"{what}: your output is the two linear layers with no ReLU "
                                 "between them, which is one linear model. Apply the ReLU to "
                                 "the hidden layer, `(xb @ w1 + b1).relu()`, before `@ w2`.")
        assert_close(got, expected, f"{what}: the output (ReLU(xb @ w1 + b1) @ w2 + b2)")
        if not got.requires_grad:
            raise AssertionError(f"{what}: the output does not require grad, so no gradient can "
                                 "reach w1, b1, w2, b2. Don't use .data, .detach() or no_grad "
                                 "in the forward pass.")
        got.sum().backward()
        expected.sum().backward()
        for name, p, q in zip(("w1", "b1", "w2", "b2"), theirs, mine):
            assert_close(_grad_of(p, f"{what}: {name}"), q.grad,
                         f"{what}: the gradient reaching {name}")
    passed("test_simple_net")


# ---------------------------------------------------------------------------------------------
# Section 4


ONE_HOT_CASES = (
    # (what, values, levels): levels deliberately not in sorted order, values with gaps
    ("ports with a missing one", ["S", "C", None, "Q", "S"], ["S", "C", "Q"]),
    ("passenger classes as numbers", [3.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
    ("a value that is not a level", ["male", "female", "unknown"], ["female", "male"]),
    ("one level", ["x", "x"], ["x"]),
    ("no rows", [], ["a", "b"]),
)


def test_one_hot(one_hot: Callable) -> None:
    """One column per level in the given order, 1.0 where the row has that level, zeros where
    its value is missing or unknown; float32."""
    for what, values, levels in ONE_HOT_CASES:
        context = f"one_hot({values!r}, {levels!r}) ({what})"
        got = assert_is_tensor(call(one_hot, list(values), list(levels), context=f"on {what}"),
                               context)
        expected = reference.one_hot(values, levels)
        assert_shape(got, tuple(expected.shape), context)
        if got.dtype != t.float32:
            raise AssertionError(f"{context}: expected float32 (the model multiplies these by "
                                 f"float weights), got {got.dtype}. Convert with .float().")
        if len(values) and len(levels) > 1:
            resorted = reference.one_hot(values, sorted(levels, key=str))
            if not t.equal(resorted, expected) and t.equal(got, resorted):
                raise AssertionError(f"{context}: the columns are in sorted order; keep the "
                                     "order of `levels`, so column j means levels[j].")
        for i, value in enumerate(values):
            if value not in levels and got[i].any():
                raise AssertionError(f"{context}: row {i} has the value {value!r}, which is "
                                     f"not a level, so its row must be all zeros; got "
                                     f"{got[i].tolist()}.")
        assert_close(got, expected, context)
    passed("test_one_hot")


def test_standardize(standardize: Callable) -> None:
    """Both sets scaled with the training columns' mean and std; a constant column divided by 1."""
    gen = t.Generator().manual_seed(8)
    # Columns on very different scales, and a validation set that is shifted: scaling it with its
    # own (or the pooled) statistics gives visibly different numbers.
    scales = t.tensor([1.0, 50.0, 0.01, 3.0])
    train = t.randn(30, 4, generator=gen) * scales + t.tensor([0.0, 200.0, 1.0, -5.0])
    valid = t.randn(10, 4, generator=gen) * scales * 2 + t.tensor([3.0, 260.0, 1.05, 0.0])
    _check_standardize(standardize, train, valid, "columns on very different scales")
    constant = train.clone()
    constant[:, 2] = 7.0  # a one-hot column that never fires in train, say
    _check_standardize(standardize, constant, valid, "a column that is constant (7.0) in train")
    double = (train.double(), valid.double())
    _check_standardize(standardize, *double, "float64 columns")
    passed("test_standardize")


def _check_standardize(standardize: Callable, train: Tensor, valid: Tensor, case: str) -> None:
    given = (train.clone(), valid.clone())
    got = call(standardize, train, valid, context=f"on {case}")
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise AssertionError(f"standardize ({case}): expected a tuple (train_scaled, "
                             f"valid_scaled), got {type(got).__name__}.")
    if not (t.equal(train, given[0]) and t.equal(valid, given[1])):
        raise AssertionError(f"standardize ({case}): the tensors passed in were changed. Build "
                             "new tensors (`(train - mean) / std`), not `train -= mean`.")
    mean = train.mean(0)
    candidates = {}
    for unbiased in (True, False):
        std = train.std(0, unbiased=unbiased)
        std = t.where(std == 0, t.ones_like(std), std)
        candidates[unbiased] = ((train - mean) / std, (valid - mean) / std)
    for i, (name, data) in enumerate((("train", train), ("valid", valid))):
        part = assert_is_tensor(got[i], f"standardize ({case}): the scaled {name}")
        assert_shape(part, tuple(data.shape), f"standardize ({case}): the scaled {name}")
        if part.isnan().any() or part.isinf().any():
            raise AssertionError(f"standardize ({case}): the scaled {name} holds NaN or inf. A "
                                 "column with standard deviation 0 in train must be divided by 1.")
    _explain_valid(got[1], train, valid, case)
    constant = train.std(0) == 0
    if constant.any():
        centred = (valid - train.mean(0))[:, constant]
        mine = got[1].detach().to(valid.dtype)[:, constant]
        if not t.allclose(mine, centred, atol=1e-4):
            raise AssertionError(f"standardize ({case}): in a column that is constant in train, "
                                 f"valid should be only centred (x - mean, divided by 1); got "
                                 f"values up to {float(mine.abs().max()):.3g} instead of up to "
                                 f"{float(centred.abs().max()):.3g}. Replace a standard "
                                 "deviation of exactly 0 by 1, not by a tiny number.")
    for i, (name, data) in enumerate((("train", train), ("valid", valid))):
        part = got[i]
        expected = min(candidates.values(),
                       key=lambda pair: float((pair[i] - part.detach().to(pair[i].dtype))
                                              .abs().max()))[i]
        assert_close(part, expected, f"standardize ({case}): the scaled {name} (each column "
                     "minus train's column mean, divided by train's column std)", atol=1e-4,
                     same_dtype=True)


def _explain_valid(got: Tensor, train: Tensor, valid: Tensor, case: str) -> None:
    """Name the mistake when the validation set was scaled with the wrong statistics."""
    def scaled(stats_from: Tensor) -> Tensor:
        std = stats_from.std(0)
        return (valid - stats_from.mean(0)) / t.where(std == 0, t.ones_like(std), std)

    got = got.detach().to(valid.dtype)
    if t.allclose(got, scaled(valid), atol=1e-4):
        raise AssertionError(f"standardize ({case}): valid was scaled with its own mean and std. "
                             "Use train's: the validation set stands for new data, whose "
                             "statistics the model never gets to see.")
    if t.allclose(got, scaled(t.cat([train, valid])), atol=1e-4):
        raise AssertionError(f"standardize ({case}): the mean and std came from train and valid "
                             "together. Measure them on train only: anything computed from the "
                             "validation rows leaks them into the model's inputs.")
