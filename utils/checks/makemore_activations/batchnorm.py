"""Checks for chapter 4.3's sections 4-5: BatchNorm1d and the three diagnostics.

`BatchNorm1d` is compared with `torch.nn.BatchNorm1d` on seeded float32 batches: its outputs,
its running statistics after each of several training batches, the gradients of a loss with
respect to the input, gamma and beta, and eval mode, with the default and with other `eps` and
`momentum`. Where a wrong answer has a recognisable signature (the unbiased variance used to
normalise, momentum the wrong way round, ...) the message names it.

The diagnostics are checked exactly (float32 rounding aside) on a seeded forward and backward
pass of a small stack of layers: the reference's Linear and BatchNorm1d, and the learner's own
`Tanh` class (the one their function's `isinstance` sees, in a notebook as in the page editor).
"""

from __future__ import annotations

import math
from typing import Any, Callable

import torch
import torch.nn.functional as F
from torch import Tensor

from solutions import makemore_activations as reference
from utils.checks.assertions import assert_close, call, describe, passed
from utils.checks.learner_names import learner_env

__all__ = ["test_BatchNorm1d", "test_activation_stats", "test_gradient_stats",
           "test_update_ratios"]

NAME = "BatchNorm1d"


# ---------------------------------------------------------------------------------------------
# BatchNorm1d


def _build(cls: type, dim: int, **kwargs: Any) -> Any:
    args = "".join(f", {k}={v}" for k, v in kwargs.items())
    return call(cls, dim, context=f"when building {NAME}({dim}{args})", **kwargs)


def _attribute(bn: Any, name: str, built: str) -> Any:
    if not hasattr(bn, name):
        raise AssertionError(f"{NAME}: {built} has no attribute `{name}`; __init__ should set "
                             f"self.{name}.")
    return getattr(bn, name)


def _check_fresh(cls: type) -> None:
    dim, built = 6, f"{NAME}(6)"
    bn = _build(cls, dim)
    if _attribute(bn, "training", built) is not True:
        raise AssertionError(f"{NAME}: {built}.training should start as True (a fresh layer "
                             f"trains), got {describe(bn.training)}.")
    for name, fill in (("gamma", 1.0), ("beta", 0.0), ("running_mean", 0.0),
                       ("running_var", 1.0)):
        value = _attribute(bn, name, built)
        if not isinstance(value, Tensor):
            raise AssertionError(f"{NAME}: {built}.{name} should be a tensor, got "
                                 f"{describe(value)}.")
        if tuple(value.shape) != (dim,):
            raise AssertionError(f"{NAME}: {built}.{name} should have shape ({dim},), one "
                                 f"number per feature; got {tuple(value.shape)}.")
        if not value.is_floating_point():
            raise AssertionError(f"{NAME}: {built}.{name} should be a float tensor, got "
                                 f"{value.dtype}.")
        if not torch.equal(value.detach().float(), torch.full((dim,), fill)):
            raise AssertionError(f"{NAME}: {built}.{name} should start as all {fill:g}s, got "
                                 f"{describe(value)}.")
    params = call(bn.parameters, context=f"on {built}")
    if not isinstance(params, (list, tuple)) or len(params) != 2 or \
            params[0] is not bn.gamma or params[1] is not bn.beta:
        raise AssertionError(f"{NAME}: parameters() should return [self.gamma, self.beta] (the "
                             f"tensors themselves, in that order), got {describe(params)}.")


def _batches(generator: torch.Generator, n: int, dim: int, count: int) -> list[Tensor]:
    """Batches with a different mean and spread per feature (and per batch), so that every
    statistic matters."""
    shift = torch.randn(dim, generator=generator) * 2
    scale = torch.rand(dim, generator=generator) * 3 + 0.2
    return [torch.randn(n, dim, generator=generator) * scale + shift +
            0.3 * torch.randn(dim, generator=generator) for _ in range(count)]


def _train_hint(x: Tensor, got: Tensor, gamma: Tensor, beta: Tensor, eps: float) -> str:
    """Name the slip when the training output matches a known wrong formula."""
    x, got, gamma, beta = (t.detach().double() for t in (x, got, gamma, beta))
    mean, var_b, var_u = x.mean(0), x.var(0, unbiased=False), x.var(0)
    candidates = {
        "You normalised with the unbiased variance (divided by N - 1): the batch is normalised "
        "with the biased one, x.var(0, unbiased=False).":
            gamma * (x - mean) / (var_u + eps).sqrt() + beta,
        "eps is outside the square root: it should be sqrt(var + eps).":
            gamma * (x - mean) / (var_b.sqrt() + eps) + beta,
        "gamma and beta are swapped: gamma scales, beta shifts.":
            beta * (x - mean) / (var_b + eps).sqrt() + gamma,
        "Those are the statistics of each row (dim 1): each feature's statistics are over the "
        "batch, dim 0.":
            gamma * (x - x.mean(1, keepdim=True)) / (x.var(1, unbiased=False, keepdim=True)
                                                     + eps).sqrt() + beta,
    }
    for hint, value in candidates.items():
        if value.shape == got.shape and \
                torch.allclose(got, value, atol=1e-4, rtol=1e-4):
            return " " + hint
    return ""


def _running_hint(got_mean: Tensor, got_var: Tensor, before: tuple[Tensor, Tensor], x: Tensor,
                  momentum: float) -> str:
    m0, v0 = (t.double() for t in before)
    x = x.detach().double()
    mean, var_b, var_u = x.mean(0), x.var(0, unbiased=False), x.var(0)
    gm, gv = got_mean.detach().double(), got_var.detach().double()

    def close(a: Tensor, b: Tensor) -> bool:
        return a.shape == b.shape and torch.allclose(a, b, atol=1e-5, rtol=1e-4)
    if close(gm, momentum * m0 + (1 - momentum) * mean):
        return (f" The weights are the wrong way round: the new batch gets weight momentum "
                f"({momentum:g}) and the running value 1 - momentum.")
    if close(gv, (1 - momentum) * v0 + momentum * var_b):
        return (" running_var used the biased batch variance: torch keeps the unbiased one "
                "(x.var(0), divided by N - 1) in running_var.")
    if momentum != 0.1 and close(gm, 0.9 * m0 + 0.1 * mean):
        return (f" That is momentum 0.1, not the momentum = {momentum:g} passed in: use "
                "self.momentum.")
    if close(gm, m0) and close(gv, v0):
        return " The running statistics did not change: update them in training mode."
    if close(gm, mean):
        return " running_mean is the batch mean: mix it in with momentum instead."
    return ""


def _check_training(cls: type, n: int, dim: int, eps: float | None, momentum: float | None,
                    seed: int) -> tuple[Any, torch.nn.BatchNorm1d, Tensor]:
    kwargs = {k: v for k, v in (("eps", eps), ("momentum", momentum)) if v is not None}
    built = f"{NAME}({dim}{''.join(f', {k}={v}' for k, v in kwargs.items())})"
    generator = torch.Generator().manual_seed(seed)
    bn = _build(cls, dim, **kwargs)
    ref = torch.nn.BatchNorm1d(dim, **kwargs)
    gamma = torch.rand(dim, generator=generator) + 0.5
    beta = torch.randn(dim, generator=generator)
    bn.gamma, bn.beta = gamma.clone().requires_grad_(), beta.clone().requires_grad_()
    with torch.no_grad():
        ref.weight.copy_(gamma)
        ref.bias.copy_(beta)
    used_eps = ref.eps
    batches = _batches(generator, n, dim, 3)
    for i, batch in enumerate(batches):
        what = f"{built} in training mode, batch {i + 1} of shape {tuple(batch.shape)}"
        x, x_ref = batch.clone().requires_grad_(), batch.clone().requires_grad_()
        before = (torch.as_tensor(bn.running_mean).detach().clone(),
                  torch.as_tensor(bn.running_var).detach().clone())
        out = call(bn, x, context=f"on {what}")
        expected = ref(x_ref)
        try:
            assert_close(out, expected, f"{NAME}: the output on {what}", atol=1e-5, rtol=1e-4)
        except AssertionError as err:
            hint = _train_hint(batch, out, gamma, beta, used_eps) if isinstance(out, Tensor) \
                else ""
            if not hint and isinstance(out, Tensor) and out.shape == expected.shape:
                evals = ((batch - before[0]) / (before[1] + used_eps).sqrt() * gamma + beta)
                if torch.allclose(out.detach(), evals, atol=1e-4, rtol=1e-4):
                    hint = (" That is the input normalised with the running statistics: in "
                            "training mode use the batch's mean and variance.")
            if eps is not None and isinstance(out, Tensor) and out.shape == batch.shape:
                b = batch.double()
                default = gamma.double() * (b - b.mean(0)) / (b.var(0, unbiased=False)
                                                              + 1e-5).sqrt() + beta.double()
                if torch.allclose(out.detach().double(), default, atol=1e-4, rtol=1e-4):
                    hint = f" That uses eps = 1e-5, not the eps = {eps} passed in: use self.eps."
            raise AssertionError(f"{err}{hint}") from None
        if getattr(bn, "out", None) is not out:
            raise AssertionError(f"{NAME}: keep the output in self.out before returning it "
                                 f"({what}): the diagnostics read it.")
        for name in ("running_mean", "running_var"):
            value = getattr(bn, name)
            if isinstance(value, Tensor) and value.requires_grad:
                raise AssertionError(
                    f"{NAME}: after {what}, self.{name} requires grad: it is computed from the "
                    "batch's graph. The running statistics are buffers, not part of the model: "
                    "update them inside `with torch.no_grad():` (or from detached statistics), "
                    "or every batch's graph stays alive through them.")
        try:
            assert_close(bn.running_mean, ref.running_mean,
                         f"{NAME}: running_mean after {what}", atol=1e-5, rtol=1e-4)
            assert_close(bn.running_var, ref.running_var,
                         f"{NAME}: running_var after {what}", atol=1e-5, rtol=1e-4)
        except AssertionError as err:
            hint = _running_hint(torch.as_tensor(bn.running_mean), torch.as_tensor(
                bn.running_var), before, batch, ref.momentum)
            raise AssertionError(f"{err}{hint}") from None
        if not out.requires_grad:
            raise AssertionError(f"{NAME}: the output of {what} does not require grad, so no "
                                 "gradient reaches x, gamma or beta: only the running "
                                 "statistics' update belongs under torch.no_grad().")
        weights = torch.randn(n, dim, generator=generator)
        (out * weights).sum().backward()
        (expected * weights).sum().backward()
        for label, got, want in (("x", x.grad, x_ref.grad),
                                 ("gamma", bn.gamma.grad, ref.weight.grad),
                                 ("beta", bn.beta.grad, ref.bias.grad)):
            if got is None:
                raise AssertionError(f"{NAME}: after {what} and a backward pass, {label}.grad is "
                                     f"None: the output must keep its graph to {label} (no "
                                     f"detach or no_grad around the normalisation).")
            assert_close(got, want, f"{NAME}: the gradient of a loss with respect to {label} "
                                    f"on {what}", atol=1e-4, rtol=1e-4)
        bn.gamma.grad = bn.beta.grad = None
        ref.zero_grad()
    return bn, ref, gamma


def _check_eval(bn: Any, ref: torch.nn.BatchNorm1d, n: int, dim: int, seed: int) -> None:
    built = f"{NAME}({dim})"
    generator = torch.Generator().manual_seed(seed)
    x = _batches(generator, n, dim, 1)[0]
    bn.training = False
    ref.eval()
    before = (bn.running_mean.clone(), bn.running_var.clone())
    what = f"{built} in eval mode (training = False) after three training batches, on a batch of " \
        f"shape {tuple(x.shape)}"
    with torch.no_grad():
        out = call(bn, x, context=f"on {what}")
        expected = ref(x)
    try:
        assert_close(out, expected, f"{NAME}: the output of {what}", atol=1e-5, rtol=1e-4)
    except AssertionError as err:
        hint = ""
        if isinstance(out, Tensor) and out.shape == expected.shape:
            batch = (x - x.mean(0)) / (x.var(0, unbiased=False) + ref.eps).sqrt() * \
                ref.weight.detach() + ref.bias.detach()
            if torch.allclose(out, batch, atol=1e-4, rtol=1e-4):
                hint = (" That is normalised with the batch's own statistics: in eval mode use "
                        "running_mean and running_var.")
            elif not (torch.equal(torch.as_tensor(bn.running_mean), before[0]) and
                      torch.equal(torch.as_tensor(bn.running_var), before[1])):
                hint = (" And the call changed running_mean or running_var: eval mode only "
                        "reads them (update them only when self.training is True).")
        raise AssertionError(f"{err}{hint}") from None
    if not (torch.equal(torch.as_tensor(bn.running_mean), before[0]) and
            torch.equal(torch.as_tensor(bn.running_var), before[1])):
        raise AssertionError(f"{NAME}: {what} changed running_mean or running_var: eval mode "
                             "only reads them (update them only when self.training is True).")
    # One example at a time must work in eval mode: that is how a model is used after training.
    one = call(bn, x[:1], context=f"on {built} in eval mode with a batch of one example")
    assert_close(one, expected[:1], f"{NAME}: the output of {built} in eval mode on a single "
                                    "example", atol=1e-5, rtol=1e-4)


def test_BatchNorm1d(BatchNorm1d: type) -> None:
    _check_fresh(BatchNorm1d)
    bn, ref, _ = _check_training(BatchNorm1d, 16, 5, None, None, seed=0)
    _check_eval(bn, ref, 16, 5, seed=1)
    _check_training(BatchNorm1d, 32, 7, 0.5, 0.3, seed=2)  # eps and momentum passed in
    _check_training(BatchNorm1d, 8, 3, 1e-3, None, seed=3)
    bn, ref, _ = _check_training(BatchNorm1d, 4, 9, None, 0.5, seed=4)  # N < dim
    _check_eval(bn, ref, 6, 9, seed=5)
    passed("test_BatchNorm1d")


# ---------------------------------------------------------------------------------------------
# The diagnostics


def _stack(obj: Callable, seed: int = 0) -> tuple[list, type, list[Tensor]]:
    """A seeded small stack, run forward and backward: Linear -> BatchNorm1d -> Tanh ->
    Linear -> Tanh (saturating: a large gain) -> Linear -> Tanh -> Linear (logits), with every
    layer's output gradient retained. Returns the layers, the Tanh class used, and the
    parameters (with their gradients)."""
    tanh = learner_env(obj, reference).get("Tanh", reference.Tanh)
    generator = torch.Generator().manual_seed(seed)
    Lin, BN = reference.Linear, reference.BatchNorm1d
    layers = [Lin(6, 12, bias=False, generator=generator), BN(12), tanh(),
              Lin(12, 10, generator=generator), tanh(), Lin(10, 8, generator=generator), tanh(),
              Lin(8, 5, generator=generator)]
    with torch.no_grad():
        layers[3].weight *= 4.0  # saturates the second tanh layer
        layers[3].bias += torch.randn(10, generator=generator) * 0.5
        layers[5].bias += torch.randn(8, generator=generator) * 0.2
        layers[7].bias += torch.randn(5, generator=generator) * 0.1
        layers[1].gamma = torch.rand(12, generator=generator) + 0.5  # so no parameter is
        layers[1].beta = torch.randn(12, generator=generator) * 0.1  # constant (std 0)
    params = [p.requires_grad_() for layer in layers for p in layer.parameters()]
    x = torch.randn(20, 6, generator=generator) * 2
    y = torch.randint(0, 5, (20,), generator=generator)
    h = x
    for layer in layers:
        h = layer(h)
    for layer in layers:  # every layer's, as Karpathy does: only the Tanh ones are asked for
        layer.out.retain_grad()
    F.cross_entropy(h, y).backward()
    return layers, tanh, params


def _as_dicts(got: Any, name: str, n: int, keys: tuple[str, ...], what: str) -> list[dict]:
    if not isinstance(got, (list, tuple)):
        raise AssertionError(f"{name} {what}: should return a list of dicts, one per Tanh layer; "
                             f"got {describe(got)}.")
    if len(got) != n:
        hint = (" Are you including the Linear and BatchNorm1d layers? Only the Tanh layers' "
                "outputs are asked for." if len(got) > n else "")
        raise AssertionError(f"{name} {what}: the stack has {n} Tanh layers among "
                             f"{len(got) if len(got) > n else 'its'} layers, so the list should "
                             f"hold {n} dicts; got {len(got)}.{hint}")
    for i, d in enumerate(got):
        if not isinstance(d, dict) or set(d) != set(keys):
            raise AssertionError(f"{name} {what}: entry {i} should be a dict with the keys "
                                 f"{list(keys)}; got {describe(d)}.")
        for key in keys:
            if not isinstance(d[key], float):
                raise AssertionError(f"{name} {what}: entry {i}[{key!r}] should be a Python "
                                     f"float (use .item()); got {describe(d[key])}.")
    return list(got)


def _compare(name: str, got: list[dict], expected: list[dict], what: str,
             hints: Callable[[int, str, float], str]) -> None:
    for i, (g, e) in enumerate(zip(got, expected)):
        for key, want in e.items():
            if not math.isclose(g[key], want, rel_tol=1e-5, abs_tol=1e-7):
                raise AssertionError(f"{name} {what}: Tanh layer {i}'s {key!r} should be "
                                     f"{want:.7g}, got {g[key]:.7g}.{hints(i, key, g[key])}")


def test_activation_stats(activation_stats: Callable) -> None:
    layers, tanh, _ = _stack(activation_stats)
    outs = [layer.out.detach().double() for layer in layers if isinstance(layer, tanh)]
    for threshold in (0.97, 0.5):
        what = f"with threshold={threshold} on a stack of 8 layers (3 of them Tanh)"
        got = call(activation_stats, layers, threshold, context=what)
        got = _as_dicts(got, "activation_stats", len(outs), ("mean", "std", "saturated"), what)
        expected = [{"mean": o.mean().item(), "std": o.std().item(),
                     "saturated": (o.abs() > threshold).double().mean().item()} for o in outs]

        def hint(i: int, key: str, value: float, threshold: float = threshold) -> str:
            o = outs[i]
            if key == "std" and math.isclose(value, o.std(unbiased=False).item(), rel_tol=1e-5):
                return " That is the biased std: use torch's default, .std()."
            if key == "saturated" and math.isclose(
                    value, (o.abs() > 0.97).double().mean().item(), rel_tol=1e-6):
                return " That is the share above 0.97: use the threshold passed in."
            if key == "saturated" and math.isclose(
                    value, (o > threshold).double().mean().item(), rel_tol=1e-6):
                return " Count both tails: |out| > threshold (abs)."
            if key == "saturated" and math.isclose(
                    value, (o.abs() > threshold).double().sum().item(), rel_tol=1e-6):
                return " That is a count: the fraction is its mean."
            if key in ("mean", "std") and math.isclose(
                    value, getattr(o.abs(), key)().item(), rel_tol=1e-5):
                return f" That is the {key} of |out|: take it of the outputs themselves."
            return ""
        _compare("activation_stats", got, expected, what, hint)
    default = call(activation_stats, layers, context="with the default threshold")
    default = _as_dicts(default, "activation_stats", len(outs), ("mean", "std", "saturated"),
                        "with the default threshold")
    want = (outs[1].abs() > 0.97).double().mean().item()
    if not math.isclose(default[1]["saturated"], want, rel_tol=1e-6):
        raise AssertionError(f"activation_stats with the default threshold: Tanh layer 1's "
                             f"'saturated' should be {want:.6g} (threshold 0.97), got "
                             f"{default[1]['saturated']:.6g}.")
    passed("test_activation_stats")


def test_gradient_stats(gradient_stats: Callable) -> None:
    layers, tanh, _ = _stack(gradient_stats, seed=1)
    outs = [layer.out for layer in layers if isinstance(layer, tanh)]
    grads = [o.grad.double() for o in outs]
    what = "after a backward pass through a stack of 8 layers (3 of them Tanh)"
    got = call(gradient_stats, layers, context=what)
    got = _as_dicts(got, "gradient_stats", len(grads), ("mean", "std"), what)
    expected = [{"mean": g.mean().item(), "std": g.std().item()} for g in grads]

    def hint(i: int, key: str, value: float) -> str:
        o = outs[i].detach().double()
        if math.isclose(value, getattr(o, key)().item(), rel_tol=1e-5):
            return (f" That is the {key} of the layer's output: the gradient is in "
                    "layer.out.grad.")
        if key == "std" and math.isclose(value, grads[i].std(unbiased=False).item(),
                                         rel_tol=1e-5):
            return " That is the biased std: use torch's default, .std()."
        if math.isclose(value, getattr(grads[i].abs(), key)().item(), rel_tol=1e-5):
            return f" That is the {key} of |grad|: take it of the gradient itself."
        return ""
    _compare("gradient_stats", got, expected, what, hint)
    passed("test_gradient_stats")


def test_update_ratios(update_ratios: Callable) -> None:
    layers, _, params = _stack(update_ratios, seed=2)
    for lr in (0.1, 0.003):
        what = f"with lr={lr} for the {len(params)} parameters of a small stack"
        got = call(update_ratios, params, lr, context=what)
        if isinstance(got, Tensor):
            got = got.tolist()
        if not isinstance(got, (list, tuple)) or len(got) != len(params):
            raise AssertionError(f"update_ratios {what}: should return a list of "
                                 f"{len(params)} floats, one per parameter; got "
                                 f"{describe(got)}.")
        for i, (value, p) in enumerate(zip(got, params)):
            if not isinstance(value, float):
                raise AssertionError(f"update_ratios {what}: entry {i} should be a Python "
                                     f"float (use .item()); got {describe(value)}.")
            g, d = p.grad.double(), p.detach().double()
            want = math.log10(lr * g.std().item() / d.std().item())
            if abs(value - want) <= 1e-5:
                continue
            shape = tuple(p.shape)
            guesses = {
                "the std of the gradient without the learning rate":
                    math.log10(g.std().item() / d.std().item()),
                "the natural log: use log10": math.log(lr * g.std().item() / d.std().item()),
                "the ratio upside down: std(update) / std(data), not std(data) / std(update)":
                    -want,
                "divided by the gradient's std, not the data's: the denominator is std(p.data)":
                    math.log10(lr * g.std().item() / g.std().item()),
                "not on a log scale: return log10 of the ratio":
                    lr * g.std().item() / d.std().item(),
                "the biased std": math.log10(lr * g.std(unbiased=False).item() /
                                             d.std(unbiased=False).item())
                if p.numel() > 1 else float("nan"),
            }
            hint = next((f" That is {k}." for k, v in guesses.items()
                         if math.isfinite(v) and abs(value - v) <= 1e-5), "")
            raise AssertionError(f"update_ratios {what}: entry {i} (shape {shape}) should be "
                                 f"log10(std(lr * grad) / std(data)) = {want:.6f}, got "
                                 f"{value!r}.{hint}")
    passed("test_update_ratios")
