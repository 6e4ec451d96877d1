"""Checks for chapter 4.5's sections 1-3: Embedding, Sequential, FlattenConsecutive and a
BatchNorm1d for (N, C) and (N, T, C).

Everything here is exact or float32-tight. Embedding is compared with the reference's draw from
the same seed; Sequential runs small recording layers whose order shows in the result;
FlattenConsecutive runs on labelled inputs (each entry's value encodes its batch row, position
and channel), so a wrong merge is reported as which positions ended up side by side;
BatchNorm1d is compared with `torch.nn.BatchNorm1d` (on `x.transpose(1, 2)` for 3-D inputs) in
training mode (outputs, running statistics after each batch, gradients) and in evaluation mode.
"""

from __future__ import annotations

from typing import Any, Callable

import torch
from torch import Tensor

from solutions import makemore_wavenet as reference
from utils.checks.assertions import assert_close, call, describe, passed

__all__ = ["test_Embedding", "test_Sequential", "test_FlattenConsecutive", "test_BatchNorm1d"]


def _tensor(got: Any, what: str) -> Tensor:
    if not isinstance(got, Tensor):
        raise AssertionError(f"{what} should be a torch tensor, got {describe(got)}.")
    return got


def _params_list(got: Any, what: str) -> list:
    if not isinstance(got, list):
        raise AssertionError(f"{what} should return a list of tensors, got {describe(got)}.")
    for p in got:
        if not isinstance(p, Tensor):
            raise AssertionError(f"{what} should hold tensors only (one flat list), but it holds "
                                 f"a {type(p).__name__}.")
    return got


def _same_objects(got: list, expected: list) -> bool:
    return len(got) == len(expected) and all(g is e for g, e in zip(got, expected))


def _kept_out(layer: Any, result: Tensor, name: str, what: str) -> None:
    out = getattr(layer, "out", None)
    if not isinstance(out, Tensor):
        raise AssertionError(f"{name} {what}: the layer should keep its result in `self.out` "
                             f"(the shape trace and the diagnostics read it); `out` is "
                             f"{describe(out)}.")
    if out is not result and not (out.shape == result.shape and torch.equal(out, result)):
        raise AssertionError(f"{name} {what}: `self.out` should be the tensor the call returns; "
                             f"it holds another one (shape {tuple(out.shape)}).")


# ---------------------------------------------------------------------------------------------
# Section 1: Embedding and Sequential


def _embedding_weight(Embedding: type, num: int, dim: int, seed: int) -> tuple[Any, Tensor]:
    what = f"Embedding({num}, {dim}, generator=torch.Generator().manual_seed({seed}))"
    generator = torch.Generator().manual_seed(seed)
    layer = call(Embedding, num, dim, generator=generator, context=f"when building {what}")
    weight = _tensor(getattr(layer, "weight", None), f"{what}.weight")
    expected = torch.randn((num, dim), generator=torch.Generator().manual_seed(seed))
    if tuple(weight.shape) != (num, dim):
        hint = (" Transposed: one row per symbol, so (num_embeddings, embedding_dim)."
                if tuple(weight.shape) == (dim, num) else "")
        raise AssertionError(f"{what}: weight should have shape {(num, dim)}, got "
                             f"{tuple(weight.shape)}.{hint}")
    if weight.dtype != torch.float32:
        raise AssertionError(f"{what}: weight should be float32 (torch.randn's default), got "
                             f"{weight.dtype}.")
    if not torch.equal(weight.detach(), expected):
        fresh = torch.Generator().manual_seed(seed)
        if torch.equal(generator.get_state(), fresh.get_state()):
            hint = (" The generator was not used: pass it to torch.randn(..., "
                    "generator=generator), so that a seed gives everyone the same table.")
        elif (weight >= 0).all() and (weight < 1).all():
            hint = " All of them are in [0, 1): torch.randn (standard normal), not torch.rand."
        elif torch.allclose(weight.detach() / expected, (weight.detach() / expected)[0, 0]):
            hint = (f" They are {(weight.detach() / expected)[0, 0].item():.4g} times the "
                    "reference's: leave the standard normal draw unscaled.")
        else:
            hint = (" Draw it with torch.randn((num_embeddings, embedding_dim), "
                    "generator=generator) and nothing from the generator before it.")
        raise AssertionError(f"{what}: weight differs from torch.randn(({num}, {dim}), "
                             f"generator=...) with that seed.{hint}")
    after = torch.Generator().manual_seed(seed)
    torch.randn((num, dim), generator=after)
    if not torch.equal(generator.get_state(), after.get_state()):
        raise AssertionError(f"{what}: the layer drew more from the generator than the one "
                             "(num_embeddings, embedding_dim) table; the layers after it in a "
                             "model would then get other numbers than the reference's.")
    return layer, weight


def test_Embedding(Embedding: type) -> None:
    for num, dim, seed in ((27, 10, 0), (5, 3, 42), (27, 24, 7), (1, 4, 3)):
        layer, weight = _embedding_weight(Embedding, num, dim, seed)
        name = f"Embedding({num}, {dim})"
        g = torch.Generator().manual_seed(seed + 1)
        for shape in ((6,), (4, 3), (2, 2, 8), (1, 8)):
            ix = torch.randint(0, num, shape, generator=g)
            what = f"on indices of shape {shape}"
            out = _tensor(call(layer, ix, context=what), f"{name} {what}: the result")
            expected_shape = shape + (dim,)
            if tuple(out.shape) != expected_shape:
                hint = (" The indices were flattened: the result should keep their shape and "
                        "add the embedding dimension." if out.ndim == 2 and len(shape) > 1
                        else "")
                raise AssertionError(f"{name} {what}: the result should have shape "
                                     f"{expected_shape} (the indices' shape + (embedding_dim,)), "
                                     f"got {tuple(out.shape)}.{hint}")
            assert_close(out, weight.detach()[ix], f"{name} {what}: the result (out[...] should "
                         "be weight[ix[...]])", atol=1e-6, rtol=1e-6)
            _kept_out(layer, out, name, what)
        params = _params_list(call(layer.parameters, context="calling parameters()"),
                              f"{name}.parameters()")
        if not _same_objects(params, [weight]):
            raise AssertionError(f"{name}.parameters() should be [self.weight], the weight tensor "
                                 f"itself (training updates it in place); got a list of "
                                 f"{len(params)} tensor(s) that is not that.")
    # Gradients reach the rows that were looked up, once per lookup.
    layer, weight = _embedding_weight(Embedding, 6, 3, 11)
    weight.requires_grad_()
    ix = torch.tensor([[0, 2, 2], [5, 2, 0]])
    out = _tensor(call(layer, ix, context="on a weight that requires grad"), "the result")
    if not out.requires_grad:
        raise AssertionError("Embedding: with a weight that requires grad, the result should "
                             "require grad too (the lookup must stay in the graph; no .detach(), "
                             "no torch.tensor(...) copies).")
    out.sum().backward()
    counts = torch.bincount(ix.flatten(), minlength=6).float()
    assert_close(weight.grad, counts[:, None].expand(6, 3), "Embedding: weight.grad after "
                 "out.sum().backward() (each row should get 1 per time it was looked up)")
    passed("test_Embedding")


class _Affine:
    """A layer that records its call and computes x * scale + shift, with parameters [scale,
    shift] (or none): the order of the layers shows in the result."""

    def __init__(self, name: str, scale: float, shift: float, log: list[str],
                 n_params: int = 2):
        self.name, self.log = name, log
        self.scale, self.shift = torch.tensor(scale), torch.tensor(shift)
        self.extra = [torch.full((2,), float(i)) for i in range(max(0, n_params - 2))]
        self.n_params = n_params

    def __call__(self, x: Tensor) -> Tensor:
        self.log.append(self.name)
        self.out = x * self.scale + self.shift
        return self.out

    def parameters(self) -> list[Tensor]:
        return [self.scale, self.shift, *self.extra][:self.n_params]


def test_Sequential(Sequential: type) -> None:
    log: list[str] = []
    layers = [_Affine("A", 2.0, 1.0, log), _Affine("B", 1.0, 0.0, log, n_params=0),
              _Affine("C", 3.0, -4.0, log, n_params=4)]
    model = call(Sequential, list(layers), context="when building Sequential([A, B, C])")
    kept = getattr(model, "layers", None)
    if not isinstance(kept, (list, tuple)) or not _same_objects(list(kept), layers):
        raise AssertionError("Sequential([A, B, C]): keep the layers as `self.layers`, in order "
                             f"(other code walks it); `layers` is {describe(kept)}.")
    x = torch.tensor([0.0, 1.0, -2.5])
    what = "Sequential([A, B, C]) with A: x*2 + 1, B: x, C: x*3 - 4, on [0, 1, -2.5]"
    out = _tensor(call(model, x.clone(), context=what), f"{what}: the result")
    if log != ["A", "B", "C"]:
        raise AssertionError(f"{what}: the layers should be called once each, in list order "
                             f"A, B, C; they were called in the order {log}.")
    expected = (x * 2 + 1) * 3 - 4
    if out.shape == expected.shape and torch.allclose(out, x * 2 + 1):
        raise AssertionError(f"{what}: the result is A's output: each layer must get the "
                             "previous layer's output (x = layer(x)), and the call return the "
                             "last one.")
    if out.shape == expected.shape and torch.allclose(out, x * 3 - 4):
        raise AssertionError(f"{what}: the result is C applied to the model's input: each layer "
                             "must get the previous layer's output (x = layer(x)).")
    assert_close(out, expected, f"{what}: the result ((x*2 + 1)*3 - 4)", atol=1e-6)
    _kept_out(model, out, "Sequential", "on [0, 1, -2.5]")
    params = call(model.parameters, context="calling parameters()")
    expected_params = [p for layer in layers for p in layer.parameters()]
    if isinstance(params, list) and params and all(isinstance(p, list) for p in params):
        raise AssertionError("Sequential.parameters() returned a list of lists (one per layer): "
                             "it should be one flat list of tensors, A's, then C's.")
    params = _params_list(params, "Sequential.parameters()")
    if not _same_objects(params, expected_params):
        hint = ""
        if len(params) != len(expected_params):
            hint = (f" A has 2 parameters, B none, C 4: there should be 6, got {len(params)}.")
        elif all(any(p is q for q in expected_params) for p in params):
            hint = " The right tensors in another order: layer by layer, in each layer's order."
        else:
            hint = (" They should be the layers' tensors themselves (no copies), so an update "
                    "to them trains the model.")
        raise AssertionError(f"Sequential([A, B, C]).parameters() should be A's parameters then "
                             f"C's (B has none), as one flat list.{hint}")
    # An empty model is the identity.
    empty = call(Sequential, [], context="when building Sequential([])")
    x = torch.randn(3, 2, generator=torch.Generator().manual_seed(0))
    got = _tensor(call(empty, x, context="Sequential([]) on a (3, 2) tensor"),
                  "Sequential([]): the result")
    if got.shape != x.shape or not torch.equal(got, x):
        raise AssertionError("Sequential([]) should return its input unchanged: with no layers "
                             "there is nothing to apply.")
    if call(empty.parameters, context="Sequential([]).parameters()") != []:
        raise AssertionError("Sequential([]).parameters() should be [].")
    # The chapter's own layers, in a short model.
    g = torch.Generator().manual_seed(5)
    real = [reference.Embedding(27, 4, generator=g), reference.FlattenConsecutive(2),
            reference.Linear(8, 6, generator=g), reference.Tanh()]
    model = call(Sequential, real, context="on [Embedding, FlattenConsecutive(2), Linear, Tanh]")
    ix = torch.randint(0, 27, (5, 4), generator=g)
    got = _tensor(call(model, ix, context="on contexts of shape (5, 4)"), "the result")
    expected = torch.tanh(real[0].weight[ix].view(5, 2, 8) @ real[2].weight + real[2].bias)
    assert_close(got, expected, "Sequential([Embedding(27, 4), FlattenConsecutive(2), "
                 "Linear(8, 6), Tanh()]) on contexts of shape (5, 4)", atol=1e-6)
    passed("test_Sequential")


# ---------------------------------------------------------------------------------------------
# Section 2: FlattenConsecutive


def _labelled(B: int, T: int, C: int) -> Tensor:
    """x[b, t, c] = 10000 b + 100 t + c (exact in float32 for the sizes used here)."""
    b = torch.arange(B)[:, None, None] * 10000
    t = torch.arange(T)[None, :, None] * 100
    c = torch.arange(C)[None, None, :]
    return (b + t + c).float()


def _label(v: float) -> str:
    v = int(round(v))
    return f"x[{v // 10000}, {v % 10000 // 100}, {v % 100}]"


def _positions(vector: Tensor, C: int) -> str:
    """Which input positions a merged vector's entries came from, chunk by chunk."""
    chunks = vector.view(-1, C) if vector.numel() % C == 0 else vector.view(1, -1)
    parts = []
    for chunk in chunks.tolist():
        parts.append("[" + ", ".join(_label(v) for v in chunk[:4])
                     + (", ..." if len(chunk) > 4 else "") + "]")
    return " ".join(parts)


def _flatten_case(FlattenConsecutive: type, B: int, T: int, C: int, n: int) -> None:
    name = f"FlattenConsecutive({n})"
    what = f"on x of shape ({B}, {T}, {C})"
    layer = call(FlattenConsecutive, n, context=f"when building {name}")
    x = _labelled(B, T, C)
    out = _tensor(call(layer, x.clone(), context=what), f"{name} {what}: the result")
    expected = reference.FlattenConsecutive(n)(x.clone())
    if tuple(out.shape) != tuple(expected.shape):
        hint = ""
        if T // n == 1 and tuple(out.shape) == (B, 1, C * n):
            hint = (f" Here T // n = 1: drop that middle dimension, so the result is ({B}, "
                    f"{C * n}) (x.squeeze(1)).")
        elif B == 1 and tuple(out.shape) == tuple(expected.shape[1:]):
            hint = (" The batch dimension is gone: with one example, x.squeeze() removes it "
                    "too. Squeeze dimension 1 only, x.squeeze(1).")
        elif T // n > 1 and out.ndim == 2:
            hint = (f" T // n = {T // n} positions remain: keep them as a dimension; only when "
                    "one position remains is it dropped.")
        raise AssertionError(f"{name} {what}: the result should have shape "
                             f"{tuple(expected.shape)}, got {tuple(out.shape)}.{hint}")
    if out.dtype != x.dtype:
        raise AssertionError(f"{name} {what}: the result should keep the input's dtype "
                             f"({x.dtype}), got {out.dtype}.")
    if not torch.equal(out, expected):
        flat_out, flat_exp = out.reshape(B, -1, C * n), expected.reshape(B, -1, C * n)
        wrong = (flat_out != flat_exp).any(-1).nonzero()[0].tolist()
        b, j = wrong
        where = f"out[{b}, {j}]" if expected.ndim == 3 else f"out[{b}]"
        merged = ", ".join(f"x[{b}, {j * n + k}]" for k in range(n))
        raise AssertionError(
            f"{name} {what}: {where} should be {merged} side by side, chunk by chunk "
            f"{_positions(flat_exp[b, j], C)}; yours holds {_positions(flat_out[b, j], C)}. "
            "Merge n consecutive positions whole: in memory they are already next to each "
            "other, so a view does it; a transpose or a split into n groups first mixes other "
            "numbers together.")
    _kept_out(layer, out, name, what)
    params = call(layer.parameters, context="calling parameters()")
    if params != []:
        raise AssertionError(f"{name}.parameters() should be [] (merging positions learns "
                             f"nothing), got {describe(params)}.")


def test_FlattenConsecutive(FlattenConsecutive: type) -> None:
    cases = ((2, 8, 3, 2), (2, 8, 3, 4), (3, 8, 2, 1), (4, 4, 5, 2), (2, 6, 3, 3),
             (1, 8, 2, 2), (3, 8, 2, 8), (1, 2, 5, 2), (5, 1, 4, 1), (2, 4, 24, 2))
    for B, T, C, n in cases:
        _flatten_case(FlattenConsecutive, B, T, C, n)
    # Real numbers, and a gradient back to every input entry.
    x = torch.randn(4, 8, 6, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    x.requires_grad_()
    layer = call(FlattenConsecutive, 2, context="when building FlattenConsecutive(2)")
    out = _tensor(call(layer, x, context="on a float64 (4, 8, 6) tensor"), "the result")
    assert_close(out, x.detach().view(4, 4, 12), "FlattenConsecutive(2) on a float64 (4, 8, 6) "
                 "tensor", atol=0, rtol=0, same_dtype=True)
    if not out.requires_grad:
        raise AssertionError("FlattenConsecutive(2): on an input that requires grad, the result "
                             "should too: keep it in the graph (no .detach(), no new tensor).")
    passed("test_FlattenConsecutive")


# ---------------------------------------------------------------------------------------------
# Section 3: BatchNorm1d over (N, C) and (N, T, C)


def _torch_bn(bn: torch.nn.BatchNorm1d, x: Tensor) -> Tensor:
    return bn(x) if x.ndim == 2 else bn(x.transpose(1, 2)).transpose(1, 2)


def _stat(layer: Any, attr: str, name: str, dim: int, when: str, x_shape: tuple) -> Tensor:
    got = _tensor(getattr(layer, attr, None), f"{name}: `{attr}` {when}")
    if tuple(got.shape) != (dim,):
        T = x_shape[1] if len(x_shape) == 3 else None
        hint = ""
        if T is not None and tuple(got.shape) in ((T, dim), (1, T, dim)):
            hint = (f" That is one statistic per position and channel: the mean was taken over "
                    f"dim 0 only, so each of the {T} positions is normalised on its own. Reduce "
                    "over dims 0 and 1 (every dim but the last).")
        elif tuple(got.shape) in ((1, dim), (1, 1, dim)):
            hint = (" keepdim=True leaves the size-1 dimensions in place; the running "
                    "statistics must stay (dim,), so that the same layer works on (N, dim) and "
                    "(N, T, dim) inputs.")
        raise AssertionError(f"{name}: `{attr}` {when} should have shape ({dim},), got "
                             f"{tuple(got.shape)}.{hint}")
    return got


def _bn_case(BatchNorm1d: type, shape: tuple[int, ...], seed: int, eps: float | None = None,
             momentum: float | None = None, offsets: bool = False) -> None:
    dim = shape[-1]
    kwargs = {k: v for k, v in (("eps", eps), ("momentum", momentum)) if v is not None}
    args = ", ".join([str(dim)] + [f"{k}={v}" for k, v in kwargs.items()])
    name = f"BatchNorm1d({args}) on inputs of shape {shape}"
    layer = call(BatchNorm1d, dim, context=f"when building BatchNorm1d({args})", **kwargs)
    torch_bn = torch.nn.BatchNorm1d(dim, **kwargs)
    if getattr(layer, "training", None) is not True:
        raise AssertionError(f"{name}: `training` should start True, got "
                             f"{describe(getattr(layer, 'training', None))}.")
    for attr, value in (("gamma", 1.0), ("beta", 0.0), ("running_mean", 0.0),
                        ("running_var", 1.0)):
        got = _stat(layer, attr, name, dim, "at the start", shape)
        if not torch.equal(got.detach(), torch.full((dim,), value)):
            raise AssertionError(f"{name}: `{attr}` should start as {value:g} everywhere, got "
                                 f"{describe(got)}.")
    g = torch.Generator().manual_seed(seed)
    gamma = (1 + 0.5 * torch.randn(dim, generator=g))
    beta = 0.3 * torch.randn(dim, generator=g)
    layer.gamma, layer.beta = gamma.clone().requires_grad_(), beta.clone().requires_grad_()
    with torch.no_grad():
        torch_bn.weight.copy_(gamma)
        torch_bn.bias.copy_(beta)
    params = call(layer.parameters, context="calling parameters()")
    if not (isinstance(params, list) and _same_objects(params, [layer.gamma, layer.beta])):
        raise AssertionError(f"{name}: parameters() should be [self.gamma, self.beta], the "
                             f"tensors themselves; got {describe(params)}.")
    for step in range(3):
        x = 2.0 * torch.randn(shape, generator=g) + 0.5
        if offsets and len(shape) == 3:  # positions with very different means, as early '.'s give
            x = x + 3.0 * torch.arange(shape[1]).float()[None, :, None]
        w = torch.randn(shape, generator=g)  # a random weighting, so no gradient is zero by luck
        when = f"in training mode, batch {step + 1}"
        mine_x, torch_x = x.clone().requires_grad_(), x.clone().requires_grad_()
        out = _tensor(call(layer, mine_x, context=when), f"{name} {when}: the result")
        expected = _torch_bn(torch_bn, torch_x)
        mean = _stat(layer, "running_mean", name, dim, f"after batch {step + 1}", shape)
        var = _stat(layer, "running_var", name, dim, f"after batch {step + 1}", shape)
        if mean.requires_grad or var.requires_grad:
            raise AssertionError(f"{name} {when}: the running statistics carry a graph back to "
                                 "the input (requires_grad is True): update them inside `with "
                                 "torch.no_grad():`, or every batch's graph stays alive through "
                                 "them.")
        if (dim > 1 and not torch.allclose(out.detach(), expected.detach(), atol=1e-4, rtol=1e-4)
                and torch.allclose(mean, mean[:1].expand(dim), atol=1e-6)):
            raise AssertionError(f"{name} {when}: the output differs from torch's, and every "
                                 "channel got the same running mean: the statistics were taken "
                                 "over every dimension, the channels too. Reduce over every dim "
                                 "but the last: (0,) for a 2-D input, (0, 1) for a 3-D one "
                                 "(tuple(range(x.ndim - 1))).")
        assert_close(out, expected.detach(), f"{name} {when}: the output", atol=1e-4, rtol=1e-4)
        _kept_out(layer, out, name, when)
        m = torch_bn.momentum
        if step == 0 and torch.allclose(mean, (1 - m) / m * torch_bn.running_mean, atol=1e-5):
            raise AssertionError(f"{name}: running_mean after batch 1 differs from torch's: the "
                                 f"momentum is used the wrong way round. With momentum {m}, "
                                 "running = (1 - momentum) * running + momentum * batch_mean: "
                                 "the new batch gets the small weight.")
        assert_close(mean, torch_bn.running_mean, f"{name}: running_mean after batch {step + 1} "
                     "(torch.nn.BatchNorm1d's, momentum " f"{torch_bn.momentum})", atol=1e-5)
        if not torch.allclose(var, torch_bn.running_var, atol=1e-5, rtol=1e-4):
            dims = tuple(range(x.ndim - 1))
            m, n = x.numel() // dim, shape[0]
            before = (torch_bn.running_var - torch_bn.momentum * x.var(dims)) / (1 - torch_bn.momentum)
            count_n = ((1 - torch_bn.momentum) * before
                       + torch_bn.momentum * x.var(dims, unbiased=False) * n / max(n - 1, 1))
            biased = ((1 - torch_bn.momentum) * before
                      + torch_bn.momentum * x.var(dims, unbiased=False))
            hint = ""
            if step == 0 and len(shape) == 3 and torch.allclose(var, count_n, atol=1e-5):
                hint = (f" The unbiased correction divided by N - 1 = {n - 1}, but each "
                        f"channel's variance here is over N·T = {m} values: use m / (m - 1) "
                        f"with m = {m}.")
            elif step == 0 and torch.allclose(var, biased, atol=1e-5):
                hint = (" That is the biased variance: torch keeps the unbiased one (divided by "
                        "m - 1) in running_var, though it normalises with the biased one.")
            if hint:
                raise AssertionError(f"{name}: running_var after batch 1 differs from "
                                     f"torch.nn.BatchNorm1d's.{hint}")
            assert_close(var, torch_bn.running_var, f"{name}: running_var after batch "
                         f"{step + 1} (torch.nn.BatchNorm1d's)", atol=1e-5)
        (out * w).sum().backward()
        (expected * w).sum().backward()
        if mine_x.grad is None:
            raise AssertionError(f"{name} {when}: no gradient reached the input: the output "
                                 "must stay in the graph.")
        if not torch.allclose(mine_x.grad, torch_x.grad, atol=1e-4, rtol=1e-3):
            raise AssertionError(
                f"{name} {when}: the gradient with respect to the input differs from torch's "
                f"(largest difference {(mine_x.grad - torch_x.grad).abs().max().item():.3g}), "
                "though the output may be right. The batch mean and variance depend on x: "
                "compute them from x inside the graph (not under torch.no_grad(), not "
                ".detach()ed); only the running statistics' update goes under no_grad.")
        for mine, theirs, pname in ((layer.gamma, torch_bn.weight, "gamma"),
                                    (layer.beta, torch_bn.bias, "beta")):
            if mine.grad is None:
                raise AssertionError(f"{name} {when}: {pname} got no gradient: the output must "
                                     f"be gamma * x_hat + beta with this layer's own `{pname}`.")
            assert_close(mine.grad, theirs.grad, f"{name} {when}: the gradient of {pname}",
                         atol=1e-4, rtol=1e-3)
            mine.grad, theirs.grad = None, None
    # Evaluation mode: the running statistics, and nothing changes.
    layer.training = False
    torch_bn.eval()
    saved = (layer.running_mean.clone(), layer.running_var.clone())
    for rows in (shape[0], 1):
        x = 2.0 * torch.randn((rows, *shape[1:]), generator=g) + 0.5
        when = f"in evaluation mode, on a batch of {rows}"
        out = _tensor(call(layer, x.clone(), context=when), f"{name} {when}: the result")
        with torch.no_grad():
            expected = _torch_bn(torch_bn, x)
        if not torch.equal(layer.running_mean, saved[0]) or \
                not torch.equal(layer.running_var, saved[1]):
            raise AssertionError(f"{name} {when}: the running statistics changed; in evaluation "
                                 "mode they are only read.")
        assert_close(out, expected, f"{name} {when}: the output (normalised with running_mean "
                     "and running_var, not the batch's statistics)", atol=1e-4, rtol=1e-4)


def test_BatchNorm1d(BatchNorm1d: type) -> None:
    _bn_case(BatchNorm1d, (8, 5), 0)
    _bn_case(BatchNorm1d, (6, 4, 3), 1, offsets=True)
    _bn_case(BatchNorm1d, (4, 2, 6), 2, eps=0.1, momentum=0.3)
    _bn_case(BatchNorm1d, (3, 1, 4), 3)
    _bn_case(BatchNorm1d, (16, 4, 8), 4, offsets=True)
    # One layer, both shapes: the statistics must not depend on which came first.
    layer = call(BatchNorm1d, 4, context="when building BatchNorm1d(4)")
    torch_bn = torch.nn.BatchNorm1d(4)
    g = torch.Generator().manual_seed(9)
    for shape in ((5, 3, 4), (7, 4)):
        x = torch.randn(shape, generator=g)
        out = _tensor(call(layer, x, context=f"on {shape} after a 3-D batch"), "the result")
        assert_close(out, _torch_bn(torch_bn, x).detach(), f"BatchNorm1d(4) on a batch of shape "
                     f"{shape} after a (5, 3, 4) batch: the output", atol=1e-4, rtol=1e-4)
    assert_close(_stat(layer, "running_mean", "BatchNorm1d(4)", 4, "after a 3-D then a 2-D batch",
                       (7, 4)), torch_bn.running_mean, "BatchNorm1d(4): running_mean after a "
                 "(5, 3, 4) and a (7, 4) batch", atol=1e-5)
    passed("test_BatchNorm1d")
