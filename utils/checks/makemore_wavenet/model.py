"""Checks for chapter 4.5's sections 4-5: the hierarchical model, its shape trace, training and
evaluation.

Everything is exact or float32-tight: the model is compared with the reference built from the same
seed, the trace with the reference's on small models, a short training run step by step with the
reference given the same generator, and the split loss on a model whose running statistics are
far from the statistics of the batch. While an exercise is checked, the layer classes and
`set_training` in the learner's module are the reference's, so a slip in sections 1-3 is not
blamed on sections 4-5.
"""

from __future__ import annotations

import copy
import math
from typing import Any, Callable

import torch
import torch.nn.functional as F
from torch import Tensor

from solutions import makemore_mlp as mlp
from solutions import makemore_wavenet as reference
from utils.checks.assertions import call, describe, passed
from utils.checks.learner_names import reference_names
from utils.checks.makemore_mlp.model import NAMES, STOI, _GradRecorder
from utils.checks.training_runs import first_difference, named_slip

__all__ = ["test_build_wavenet", "test_shape_trace", "test_train_wavenet", "test_evaluate_loss"]

LAYER_NAMES = ("Embedding", "Sequential", "FlattenConsecutive", "BatchNorm1d", "Linear", "Tanh",
               "set_training")
EXPECTED_TYPES = (["Embedding"] + ["FlattenConsecutive", "Linear", "BatchNorm1d", "Tanh"] * 3
                  + ["Linear"])


def _module_of(fn: Callable) -> dict | None:
    return getattr(fn, "__globals__", None)


def _contexts(n: int, vocab: int, seed: int, block: int = 8) -> Tensor:
    return torch.randint(0, vocab, (n, block), generator=torch.Generator().manual_seed(seed))


def _reference_model(sizes: tuple[int, int, int], seed: int) -> reference.Sequential:
    return reference.build_wavenet(*sizes, generator=torch.Generator().manual_seed(seed))


def _norms(model: Any) -> list[Any]:
    return [layer for layer in model.layers if type(layer).__name__ == "BatchNorm1d"]


# ---------------------------------------------------------------------------------------------
# Section 4: the model and its shape trace


def _build_case(build_wavenet: Callable, sizes: tuple[int, int, int] | None, seed: int) -> None:
    vocab, n_embd, n_hidden = sizes or (27, 24, 128)
    what = (f"build_wavenet({vocab}, {n_embd}, {n_hidden}, generator seeded with {seed})"
            if sizes else f"build_wavenet(generator=<seeded with {seed}>) (the defaults)")
    args = sizes or ()
    got = call(build_wavenet, *args, generator=torch.Generator().manual_seed(seed), context=what)
    expected = _reference_model((vocab, n_embd, n_hidden), seed)
    layers = getattr(got, "layers", None)
    if not callable(got) or not isinstance(layers, list) or not hasattr(got, "parameters"):
        raise AssertionError(f"{what}: should return a Sequential (called on X, with .layers and "
                             f".parameters()); got {describe(got)}.")
    names = [type(layer).__name__ for layer in layers]
    if names != EXPECTED_TYPES:
        hint = ""
        if names.count("FlattenConsecutive") != 3:
            hint = (" Merging pairs three times takes three FlattenConsecutive(2): 8 → 4 → 2 → "
                    "1 positions.")
        raise AssertionError(f"{what}: the layers should be, in order, {EXPECTED_TYPES}; got "
                             f"{names}.{hint}")
    for i in (2, 6, 10):
        if getattr(layers[i], "bias", None) is not None:
            raise AssertionError(
                f"{what}: layer {i} (a Linear before a BatchNorm1d) has a bias. Batch norm "
                "subtracts the mean of each channel, bias included, so the bias can't change "
                "the output and never gets a gradient: pass bias=False. With it the model has "
                f"{3 * n_hidden} parameters too many.")
    params = list(got.parameters())
    want = expected.parameters()
    n_got, n_want = sum(p.numel() for p in params), sum(p.numel() for p in want)
    shapes = [tuple(p.shape) for p in params]
    if shapes != [tuple(p.shape) for p in want]:
        raise AssertionError(f"{what}: parameters() should give tensors of shapes "
                             f"{[tuple(p.shape) for p in want]} ({n_want:,} numbers); got "
                             f"{shapes} ({n_got:,}).")
    X = _contexts(5, vocab, seed + 1)
    trace = [(type(layer).__name__, tuple(out.shape)) for layer, out in
             zip(expected.layers, _outputs(expected, X))]
    for i, (layer, (name, shape)) in enumerate(zip(layers, trace)):
        if name == "FlattenConsecutive" and getattr(layer, "n", 2) != 2:
            raise AssertionError(f"{what}: layer {i} should be FlattenConsecutive(2), got "
                                 f"FlattenConsecutive({layer.n}).")
    for i, (p, e) in enumerate(zip(params, want)):
        if not isinstance(p, Tensor):
            raise AssertionError(f"{what}: parameter {i} should be a tensor, got "
                                 f"{describe(p)}.")
        if torch.allclose(p.detach(), e.detach(), rtol=1e-5, atol=1e-7):
            continue
        hint = " The values should be drawn from `generator`, layer by layer, in order."
        if i == len(params) - 2 and torch.allclose(p.detach(), e.detach() * 10, rtol=1e-5,
                                                    atol=1e-6):
            hint = (" It is 10 times the expected weight: multiply the last layer's weight by 0.1,"
                    " so the first predictions are close to uniform and the first loss close to "
                    "ln(27) rather than a confident guess.")
        elif i == len(params) - 2 and torch.allclose(p.detach() * 10, e.detach(), rtol=1e-5,
                                                      atol=1e-6):
            hint = " It is scaled by 0.1 twice."
        raise AssertionError(f"{what}: parameter {i} (shape {tuple(p.shape)}) differs from the "
                             f"reference built from the same seed, by up to "
                             f"{(p.detach() - e.detach()).abs().max().item():.3g}.{hint}")
    for i, p in enumerate(params):
        if not p.requires_grad or not p.is_leaf:
            raise AssertionError(f"{what}: parameter {i} (shape {tuple(p.shape)}) should be a "
                                 "leaf tensor that requires grad (p.requires_grad_() after "
                                 "scaling), so that backward() fills its .grad.")
    logits = call(got, X, context=f"{what}, called on contexts of shape (5, 8)")
    if not isinstance(logits, Tensor) or tuple(logits.shape) != (5, vocab):
        raise AssertionError(f"{what}: called on contexts of shape (5, 8) it should give logits "
                             f"of shape (5, {vocab}); got {describe(logits)}.")
    expected_logits = expected(X).detach()
    if not torch.allclose(logits.detach(), expected_logits, rtol=1e-4, atol=1e-5):
        raise AssertionError(f"{what}: its logits on 5 contexts differ from the reference's by "
                             f"up to {(logits.detach() - expected_logits).abs().max().item():.3g}."
                             " Check the layers' order and sizes.")


def _outputs(model: Any, X: Tensor) -> list[Tensor]:
    model(X)
    return [layer.out for layer in model.layers]


def test_build_wavenet(build_wavenet: Callable) -> None:
    with reference_names(_module_of(build_wavenet), reference, LAYER_NAMES):
        _build_case(build_wavenet, None, 0)
        _build_case(build_wavenet, (7, 3, 5), 1)
        _build_case(build_wavenet, (27, 10, 16), 2)
        got = call(build_wavenet, generator=torch.Generator().manual_seed(3))
        n = sum(p.numel() for p in got.parameters())
        if n != 76_579:
            raise AssertionError(f"build_wavenet() should have 76,579 parameters, got {n:,}.")
    passed("test_build_wavenet")


class _Chain(reference.Sequential):
    """Another model for the trace: whatever the layers, the trace is theirs."""


def _trace_case(shape_trace: Callable, model: Any, X: Tensor, what: str) -> None:
    for layer in [model, *model.layers]:
        layer.__dict__.pop("out", None)  # no output of an earlier call to read by mistake
    twin = copy.deepcopy(model)
    expected = [(type(layer).__name__, tuple(out.shape)) for layer, out in
                zip(twin.layers, _outputs(twin, X))]
    got = call(shape_trace, model, X, context=what)
    if not isinstance(got, list):
        raise AssertionError(f"shape_trace {what}: should return a list of (name, shape) pairs, "
                             f"got {describe(got)}.")
    if len(got) != len(expected):
        raise AssertionError(f"shape_trace {what}: should give one pair per layer, "
                             f"{len(expected)}; got {len(got)}.")
    for i, (g, e) in enumerate(zip(got, expected)):
        if not isinstance(g, tuple) or len(g) != 2:
            raise AssertionError(f"shape_trace {what}: entry {i} should be a pair (name, shape) "
                                 f"as a tuple, got {describe(g)}.")
        name, shape = g
        if not isinstance(name, str):
            raise AssertionError(f"shape_trace {what}: entry {i}'s name should be a str such as "
                                 f"{e[0]!r} (type(layer).__name__), got {describe(name)}.")
        if not isinstance(shape, tuple) or not all(type(s) is int for s in shape):
            raise AssertionError(f"shape_trace {what}: entry {i}'s shape should be a tuple of "
                                 f"Python ints such as {e[1]}, got {describe(shape)} "
                                 "(tuple(layer.out.shape)).")
        if (name, tuple(shape)) != e:
            stale = ""
            if name == e[0] and len(shape) == len(e[1]) and shape[0] != X.shape[0]:
                stale = (f" Its first dimension is not this input's batch of {X.shape[0]}: read "
                         "the outputs after calling model(x) on this x.")
            raise AssertionError(f"shape_trace {what}: entry {i} should be {e}, got "
                                 f"{(name, shape)}.{stale}")


def test_shape_trace(shape_trace: Callable) -> None:
    with reference_names(_module_of(shape_trace), reference, LAYER_NAMES):
        model = _reference_model((27, 24, 128), 0)
        _trace_case(shape_trace, model, _contexts(4, 27, 1), "on build_wavenet() and a batch "
                    "of 4 contexts")
        _trace_case(shape_trace, model, _contexts(3, 27, 2), "on the same model, then on a batch "
                    "of 3 contexts")
        gen = torch.Generator().manual_seed(4)
        chain = _Chain([reference.Embedding(11, 5, gen), reference.FlattenConsecutive(4),
                        reference.Linear(20, 6, generator=gen), reference.Tanh(),
                        reference.FlattenConsecutive(3), reference.Linear(18, 11, generator=gen)])
        _trace_case(shape_trace, chain, _contexts(2, 11, 5, block=12), "on another Sequential "
                    "(Embedding, FlattenConsecutive(4), Linear, Tanh, FlattenConsecutive(3), "
                    "Linear) and 2 contexts of 12")
    passed("test_shape_trace")


# ---------------------------------------------------------------------------------------------
# Section 5: training and evaluation


def _train(model: Any, X: Tensor, Y: Tensor, steps: int, batch_size: int,
           lr: float | Callable[[int], float], generator: torch.Generator,
           slip: str = "") -> list[float]:
    """The reference loop, or one with a known slip (to name the mistake a learner made)."""
    if slip != "eval_mode":
        reference.set_training(model, True)
    params = model.parameters()
    losses, fixed = [], None
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        if slip == "fixed":
            fixed = ix if fixed is None else fixed
            ix = fixed
        loss = F.cross_entropy(model(X[ix]), Y[ix])
        if slip != "no_reset":
            for p in params:
                p.grad = None
        loss.backward()
        rate = lr(step) if callable(lr) else lr
        if slip == "first_rate" and callable(lr):
            rate = lr(0)
        with torch.no_grad():
            for p in params:
                p -= rate * p.grad
        if slip == "after":
            with torch.no_grad():
                loss = F.cross_entropy(model(X[ix]), Y[ix])
        losses.append(loss.item())
    return losses


SLIPS = {
    "eval_mode": "the model stayed in evaluation mode: batch norm used its running statistics "
                 "instead of the minibatch's. Call set_training(model, True) before the loop",
    "no_reset": "the gradients pile up from step to step: set every p.grad to None (or zero it) "
                "before loss.backward()",
    "fixed": "every step trains on the same minibatch: draw a new ix at each step",
    "after": "each loss is measured after its update: record loss.item() of the loss you "
             "backpropagated, before changing the parameters",
    "first_rate": "every step used the rate of step 0: call lr(step) at each step",
}


def _train_case(train_wavenet: Callable, sizes: tuple[int, int, int], steps: int,
                batch_size: int, lr: Any, seed: int, lr_text: str) -> None:
    X, Y = mlp.build_dataset(NAMES, 8, STOI)
    model = _reference_model(sizes, seed)
    reference.set_training(model, False)  # as evaluate_loss leaves it
    start = copy.deepcopy(model)
    ids = [id(p) for p in model.parameters()]
    what = (f"{steps} steps, batch_size={batch_size}, lr={lr_text}, on {len(NAMES)} names "
            f"(contexts of 8), build_wavenet{sizes} left in evaluation mode, generator seeded "
            f"with {seed}")
    got = call(train_wavenet, model, X, Y, steps, batch_size, lr,
               torch.Generator().manual_seed(seed), context=what)
    twin = copy.deepcopy(start)
    expected = _train(twin, X, Y, steps, batch_size, lr, torch.Generator().manual_seed(seed))
    if not isinstance(got, (list, tuple)) or len(got) != steps:
        raise AssertionError(f"train_wavenet ({what}): should return a list of {steps} losses, "
                             f"one per step; got {describe(got)}.")
    if not all(isinstance(v, float) for v in got):
        kinds = sorted({type(v).__name__ for v in got})
        raise AssertionError(f"train_wavenet ({what}): the losses should be Python floats "
                             f"(loss.item()), got {', '.join(kinds)}.")
    params = model.parameters()
    if [id(p) for p in params] != ids:
        raise AssertionError(f"train_wavenet ({what}): the model's parameters are new tensors "
                             "after training. Update them in place (p -= rate * p.grad inside "
                             "torch.no_grad()), so the layers keep training the same tensors.")
    for i, p in enumerate(params):
        if not p.requires_grad or not p.is_leaf:
            raise AssertionError(f"train_wavenet ({what}): after training, parameter {i} is no "
                                 "longer a leaf that requires grad; update it in place under "
                                 "torch.no_grad().")
    step = first_difference(got, expected)
    if step is not None:
        g, e = got[step], expected[step]
        hint = named_slip(got, SLIPS, lambda slip: _train(
            copy.deepcopy(start), X, Y, steps, batch_size, lr,
            torch.Generator().manual_seed(seed), slip))
        if not hint and step == 0:
            hint = (" The first loss is the loss of the first minibatch, in training mode, before "
                    "any update: draw it with torch.randint(0, X.shape[0], (batch_size,), "
                    "generator=generator), and nothing else from the generator before.")
        elif not hint:
            hint = (" The first steps agree, so the minibatches are right; check the update "
                    "(p -= rate * p.grad for every parameter, rate = lr(step) when lr is "
                    "callable).")
        raise AssertionError(f"train_wavenet ({what}): loss {step} should be {e:.6f}, got "
                             f"{g:.6f}.{hint}")
    for i, (p, e) in enumerate(zip(params, twin.parameters())):
        diff = (p.detach() - e.detach()).abs().max().item()
        if diff > 1e-4:
            raise AssertionError(f"train_wavenet ({what}): parameter {i} after training differs "
                                 f"from the reference's by up to {diff:.3g}.")
    if not all(layer.training for layer in _norms(model)):
        raise AssertionError(f"train_wavenet ({what}): the batch norm layers should be in "
                             "training mode during and after training (set_training(model, "
                             "True)).")


def test_train_wavenet(train_wavenet: Callable) -> None:
    with reference_names(_module_of(train_wavenet), reference, LAYER_NAMES):
        _train_case(train_wavenet, (27, 4, 8), 10, 8, 0.1, 0, "0.1")
        _train_case(train_wavenet, (27, 6, 12), 12, 16,
                    lambda step: 0.5 if step < 4 else 0.05, 1,
                    "0.5 for steps 0-3, then 0.05 (a function of the step)")
        calls: list[int] = []

        def rate(step: int) -> float:
            calls.append(step)
            return 0.1

        X, Y = mlp.build_dataset(NAMES[:5], 8, STOI)
        call(train_wavenet, _reference_model((27, 3, 4), 3), X, Y, 4, 4, rate,
             torch.Generator().manual_seed(3), context="with a learning-rate function")
        if sorted(set(calls)) != [0, 1, 2, 3]:
            raise AssertionError(f"train_wavenet: over 4 steps, lr(step) should be called with "
                                 f"the steps 0, 1, 2, 3; it was called with {calls}.")
    passed("test_train_wavenet")


def _trained_model(sizes: tuple[int, int, int], seed: int) -> reference.Sequential:
    """A model whose running statistics are far from any batch's: shifted and scaled."""
    model = _reference_model(sizes, seed)
    gen = torch.Generator().manual_seed(seed + 10)
    for layer in _norms(model):
        dim = layer.running_mean.shape[0]
        layer.running_mean = torch.randn(dim, generator=gen) * 0.5
        layer.running_var = torch.rand(dim, generator=gen) * 3 + 0.2
        layer.gamma.data += torch.randn(dim, generator=gen) * 0.3
        layer.beta.data += torch.randn(dim, generator=gen) * 0.3
    reference.set_training(model, True)  # as train_wavenet leaves it
    return model


def test_evaluate_loss(evaluate_loss: Callable) -> None:
    with reference_names(_module_of(evaluate_loss), reference, LAYER_NAMES):
        for sizes, n, seed in (((27, 24, 128), 40, 0), ((7, 3, 5), 9, 1)):
            model = _trained_model(sizes, seed)
            X = _contexts(n, sizes[0], seed + 20)
            Y = torch.randint(0, sizes[0], (n,), generator=torch.Generator().manual_seed(seed))
            running = [(layer.running_mean.clone(), layer.running_var.clone())
                       for layer in _norms(model)]
            twin = copy.deepcopy(model)
            expected = reference.evaluate_loss(twin, X, Y)
            reference.set_training(twin, True)
            with torch.no_grad():
                batch_stats = F.cross_entropy(twin(X), Y).item()
            what = (f"on {n} contexts, build_wavenet{sizes} in training mode with running "
                    "statistics unlike this batch's")
            recorder = _GradRecorder()
            with recorder:
                got = call(evaluate_loss, model, X, Y, context=what)
            if isinstance(got, Tensor):
                raise AssertionError(f"evaluate_loss {what}: should return a Python float, got a "
                                     "tensor. Use .item().")
            if not isinstance(got, float):
                raise AssertionError(f"evaluate_loss {what}: should return a Python float, got "
                                     f"{type(got).__name__}.")
            if not math.isclose(got, expected, rel_tol=1e-5, abs_tol=1e-5):
                hint = ""
                if math.isclose(got, expected * n, rel_tol=1e-5):
                    hint = f" That is {n} times the mean: the sum of the losses, not their mean."
                if math.isclose(got, batch_stats, rel_tol=1e-5, abs_tol=1e-5):
                    hint = (" That is the loss with the batch's own statistics: batch norm was "
                            "still in training mode. Call set_training(model, False) first, so "
                            "it uses its running mean and variance.")
                raise AssertionError(f"evaluate_loss {what}: should be {expected:.6f}, got "
                                     f"{got:.6f}.{hint}")
            if recorder.recorded:
                raise AssertionError(f"evaluate_loss {what}: the value is right, but the forward "
                                     "pass recorded a graph nobody uses (on the training split "
                                     "that is gigabytes). Compute it inside torch.no_grad().")
            if any(p.grad is not None for p in model.parameters()):
                raise AssertionError(f"evaluate_loss {what}: it filled the parameters' .grad; "
                                     "measuring a loss must not backpropagate.")
            for i, (layer, (mean, var)) in enumerate(zip(_norms(model), running)):
                if layer.training:
                    raise AssertionError(f"evaluate_loss {what}: batch norm layer {i} is still "
                                         "in training mode afterwards; leave the model in "
                                         "evaluation mode.")
                if not (torch.equal(layer.running_mean, mean)
                        and torch.equal(layer.running_var, var)):
                    raise AssertionError(f"evaluate_loss {what}: batch norm layer {i}'s running "
                                         "statistics changed: evaluating must not update them.")
    passed("test_evaluate_loss")
