"""Checks for chapter 4.3's sections 0-3 (the loss at initialisation, saturated tanh, Kaiming init
and layers).

Everything here is exact or float32-tight: the initial loss and Kaiming's standard deviation
against closed forms, the scaled parameters and the Linear layer's weights against the reference
drawn from the same seed (and the generator's state afterwards), the saturation measures on
crafted tensors whose entries sit on, just above and just below the threshold. Where a wrong answer
has a recognisable signature (log10, the gain of another nonlinearity, the transposed weight ...)
the message names the slip.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import torch
from torch import Tensor

from solutions import makemore_activations as reference
from solutions import makemore_mlp as mlp
from utils.checks.assertions import (assert_close, assert_raises, assert_tensors_equal_bool,
                                     call, describe, passed)

__all__ = ["test_uniform_loss", "test_scaled_init_mlp", "test_saturation_fraction",
           "test_dead_units", "test_kaiming_std", "test_Linear"]

KEYS = ("C", "W1", "b1", "W2", "b2")


def _as_float(got: Any, what: str) -> float:
    """A Python number (a float, or an int where the value is whole), or a failure naming it."""
    if isinstance(got, Tensor):
        raise AssertionError(f"{what}: should return a Python float, got a tensor "
                             f"({describe(got)}). Use .item() (or math, not torch).")
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        raise AssertionError(f"{what}: should return a Python float, got {describe(got)}.")
    return float(got)


# ---------------------------------------------------------------------------------------------
# Section 1: the loss at initialisation


def test_uniform_loss(uniform_loss: Callable) -> None:
    for v in (27, 2, 10, 100, 1, 50_257):
        what = f"uniform_loss({v})"
        got = _as_float(call(uniform_loss, v, context=f"with vocab_size={v}"), what)
        expected = math.log(v)
        if math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-9):  # float32 is fine too
            continue
        hint = ""
        if v > 1 and math.isclose(got, math.log10(v), rel_tol=1e-5):
            hint = (" That is log10: cross-entropy (and F.cross_entropy) uses the natural "
                    "logarithm, math.log.")
        elif v > 1 and math.isclose(got, math.log2(v), rel_tol=1e-6):
            hint = " That is log2 (bits): the loss here is in nats, the natural logarithm."
        elif v > 1 and math.isclose(got, -expected, rel_tol=1e-6):
            hint = (" The sign is flipped: that is ln(1/v), the log-probability. The loss is "
                    "minus it.")
        elif math.isclose(got, 1 / v, rel_tol=1e-6):
            hint = " That is the probability 1/v itself; the loss is -ln of it."
        raise AssertionError(f"{what}: should be ln({v}) = {expected:.6f}, got {got:.6g}.{hint}")
    passed("test_uniform_loss")


def _params_of(got: Any, what: str) -> dict[str, Tensor]:
    if not isinstance(got, dict):
        raise AssertionError(f"scaled_init_mlp {what}: should return a dict of tensors, got "
                             f"{type(got).__name__}.")
    if set(got) != set(KEYS):
        raise AssertionError(f"scaled_init_mlp {what}: the dict's keys should be {list(KEYS)}, "
                             f"got {sorted(got)}.")
    for key in KEYS:
        if not isinstance(got[key], Tensor):
            raise AssertionError(f"scaled_init_mlp {what}: {key} should be a tensor, got "
                                 f"{type(got[key]).__name__}.")
    return got


SCALE_CASES = (
    ((27, 3, 10, 200), 2147483647, {"w1_scale": 0.2, "b1_scale": 0.01, "w2_scale": 0.01,
                                    "b2_scale": 0.0}),
    ((5, 2, 3, 4), 0, {"w1_scale": 0.5, "b1_scale": 2.0, "w2_scale": 0.1, "b2_scale": 0.3}),
    ((7, 1, 2, 6), 3, {"w1_scale": 0.0, "b1_scale": 0.0, "w2_scale": 1.0, "b2_scale": 0.0}),
    ((27, 3, 10, 200), 11, {"w1_scale": 1.0, "b1_scale": 1.0, "w2_scale": 1.0,
                            "b2_scale": 1.0}),
    ((9, 4, 2, 8), 5, {"w1_scale": -1.5, "b1_scale": 0.25, "w2_scale": 0.0, "b2_scale": 4.0}),
)


def test_scaled_init_mlp(scaled_init_mlp: Callable) -> None:
    for sizes, seed, scales in SCALE_CASES:
        vocab, block, embd, hidden = sizes
        what = (f"with vocab_size={vocab}, block_size={block}, n_embd={embd}, "
                f"n_hidden={hidden}, " + ", ".join(f"{k}={v:g}" for k, v in scales.items()))
        generator = torch.Generator().manual_seed(seed)
        got = _params_of(call(scaled_init_mlp, *sizes, generator, context=what, **scales), what)
        ref_generator = torch.Generator().manual_seed(seed)
        expected = reference.scaled_init_mlp(*sizes, ref_generator, **scales)
        drawn = mlp.init_mlp(*sizes, torch.Generator().manual_seed(seed))
        factor = {"C": 1.0, "W1": scales["w1_scale"], "b1": scales["b1_scale"],
                  "W2": scales["w2_scale"], "b2": scales["b2_scale"]}
        for key in KEYS:
            g, e = got[key], expected[key]
            if tuple(g.shape) != tuple(e.shape):
                raise AssertionError(f"scaled_init_mlp {what}: {key} should have shape "
                                     f"{tuple(e.shape)} (init_mlp's), got {tuple(g.shape)}.")
            if g.dtype != torch.float32:
                raise AssertionError(f"scaled_init_mlp {what}: {key} should be float32, got "
                                     f"{g.dtype}.")
            if not g.requires_grad:
                raise AssertionError(f"scaled_init_mlp {what}: {key} does not require "
                                     "gradients; training needs its .grad "
                                     "(call .requires_grad_() on it).")
            if not g.is_leaf:
                raise AssertionError(
                    f"scaled_init_mlp {what}: {key} is not a leaf tensor: it is the result of "
                    "multiplying a tensor that already required gradients, so backward() "
                    "would leave its .grad empty (and training would not move it). Scale in "
                    "place under torch.no_grad() (p.mul_(scale)), or scale a detached copy "
                    "and call .requires_grad_() on the result.")
        for key in KEYS:
            g, e = got[key].detach(), expected[key].detach()
            if torch.allclose(g, e, rtol=1e-6, atol=0.0):
                continue
            hint = " Draw with init_mlp's order and shapes, then multiply by the scale."
            raw = drawn[key].detach()
            if factor[key] != 1.0 and torch.equal(g, raw):
                hint = f" It is the unscaled draw: multiply {key} by its scale {factor[key]:g}."
            elif key == "C" and torch.allclose(g, raw * scales["w1_scale"], rtol=1e-6):
                hint = " C is not scaled: only W1, b1, W2 and b2 are."
            elif factor[key] == 0.0 and (g != 0).any():
                hint = (" A scale of 0 must give zeros (`if scale:` skips the multiplication "
                        "when the scale is 0).")
            elif key != "C" and not torch.equal(got["C"].detach(), drawn["C"].detach()):
                hint = (" C already differs from init_mlp's draw: draw from the generator you "
                        "were given, C first, then W1, b1, W2, b2.")
            else:
                hint = (" The earlier tensors are right, so this one was drawn out of order, "
                        "or something else was drawn from the generator before it: every tensor "
                        "must be drawn, in init_mlp's order, even one whose scale is 0.")
            diff = (g.double() - e.double()).abs().max().item()
            raise AssertionError(f"scaled_init_mlp {what}, generator seeded with {seed}: {key} "
                                 f"differs from the reference (largest difference {diff:.3g})."
                                 + hint)
        after, ref_after = torch.randn(4, generator=generator), torch.randn(4, generator=
                                                                            ref_generator)
        if not torch.equal(after, ref_after):
            raise AssertionError(
                f"scaled_init_mlp {what}: the values are right, but the generator was left in "
                "another state than init_mlp leaves it: draw every tensor exactly once, in "
                "init_mlp's order (also those whose scale is 0), and nothing else.")
        ptrs = {got[k].data_ptr() for k in KEYS}
        if len(ptrs) != len(KEYS):
            raise AssertionError(f"scaled_init_mlp {what}: two parameters share memory; each "
                                 "must be a tensor of its own.")
    default = _params_of(call(scaled_init_mlp, generator=torch.Generator().manual_seed(1),
                              context="with the default sizes and scales"),
                         "with the defaults")
    expected = mlp.init_mlp(generator=torch.Generator().manual_seed(1))
    if any(not torch.equal(default[k].detach(), expected[k].detach()) for k in KEYS):
        raise AssertionError("scaled_init_mlp(generator=...) with the default sizes (27, 3, 10, "
                             "200) and every scale 1.0 should give exactly init_mlp's "
                             "parameters.")
    passed("test_scaled_init_mlp")


# ---------------------------------------------------------------------------------------------
# Section 2: saturated tanh units

# Entries on a threshold, just inside and just outside it, at both ends of tanh's range. The rows
# are examples, the columns units: column 0 is saturated on every row through +1, column 1 through
# -1 and +1 mixed, column 2 sits exactly on the threshold 0.75 everywhere (0.75 is exact in float32
# and float64, so "strictly greater" means the same in both; 0.97 is not, so no entry is near it),
# column 3 is saturated on all but one row, column 4 never; n (5) differs from hidden (6) so a
# reduction over the wrong dim shows in the shape.
CRAFTED = torch.tensor([
    [0.99, -0.98, 0.75, 0.99, 0.10, -0.98],
    [0.975, 0.999, -0.75, -0.99, -0.50, 0.98],
    [0.98, -0.99, 0.75, 0.96, 0.00, -0.99],
    [1.00, -1.00, -0.75, 0.99, 0.90, 0.985],
    [0.999, 0.98, 0.75, -0.999, -0.875, 0.99],
])


def _saturation_cases() -> list[tuple[str, Tensor, float]]:
    g = torch.Generator().manual_seed(0)
    wide = torch.tanh(torch.randn((64, 30), generator=g) * 3.0)
    calm = torch.tanh(torch.randn((32, 200), generator=g) * 0.5)
    hot = torch.tanh(torch.randn((40, 12), generator=g) * 8.0)
    return [("a crafted (5, 6) tensor", CRAFTED, 0.97),
            ("the crafted tensor with threshold 0.75 (column 2 sits on it)", CRAFTED, 0.75),
            ("the crafted tensor with threshold 0.5", CRAFTED, 0.5),
            ("tanh(3 * randn(64, 30))", wide, 0.97),
            ("tanh(0.5 * randn(32, 200))", calm, 0.97),
            ("tanh(8 * randn(40, 12)) with threshold 0.99", hot, 0.99)]


def _saturation_hint(got: float, h: Tensor, threshold: float) -> str:
    variants = {
        "Entries exactly at the threshold count as saturated here: use > (strictly greater), "
        "not >=.": (h.abs() >= threshold).float().mean().item(),
        "Only the positive end is counted: saturation is near +1 *or* -1, so compare h.abs().":
            (h > threshold).float().mean().item(),
        "That is the fraction that is *not* saturated.":
            (h.abs() <= threshold).float().mean().item(),
        "That is a count of entries; return the fraction (the mean), not the sum.":
            float((h.abs() > threshold).sum().item()),
    }
    for hint, value in variants.items():
        if math.isclose(got, value, rel_tol=1e-6, abs_tol=1e-9):
            return " " + hint
    return ""


def test_saturation_fraction(saturation_fraction: Callable) -> None:
    for what, h, threshold in _saturation_cases():
        given = h.clone()  # a copy: a learner's in-place op must not change the next case
        got = call(saturation_fraction, given, threshold, context=f"on {what}")
        if isinstance(got, Tensor) and got.numel() > 1:
            raise AssertionError(f"saturation_fraction on {what}: should return one number for "
                                 f"the whole tensor, got a tensor of shape {tuple(got.shape)}: "
                                 "a mean over one dimension only? Take the mean over every "
                                 "entry.")
        got = _as_float(got, f"saturation_fraction on {what}")
        expected = reference.saturation_fraction(h, threshold)
        if not math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-9):
            raise AssertionError(f"saturation_fraction on {what} (threshold {threshold}): should "
                                 f"be {expected:.6g} (entries with |h| > {threshold}), got "
                                 f"{got:.6g}." + _saturation_hint(got, h, threshold))
        if not torch.equal(h, given):
            raise AssertionError(f"saturation_fraction on {what}: it changed the tensor it was "
                                 "given (an in-place abs_?); it should only read it.")
    got = _as_float(call(saturation_fraction, CRAFTED.clone(), context="with the default threshold"),
                    "saturation_fraction(h)")
    if not math.isclose(got, reference.saturation_fraction(CRAFTED), rel_tol=1e-6):
        raise AssertionError(f"saturation_fraction(h) should use threshold=0.97 by default; on "
                             f"the crafted tensor it gave {got:.6g}, expected "
                             f"{reference.saturation_fraction(CRAFTED):.6g}.")
    passed("test_saturation_fraction")


def _dead_hint(got: Tensor, h: Tensor, threshold: float) -> str:
    variants = {
        "Entries exactly at the threshold count as saturated here: use > (strictly greater), "
        "not >=.": (h.abs() >= threshold).all(0),
        "Only the positive end is counted: a unit stuck near -1 is as dead as one near +1, so "
        "compare h.abs().": (h > threshold).all(0),
        "That marks units saturated on *any* example; a dead unit is saturated on every "
        "example (.all, not .any).": (h.abs() > threshold).any(0),
    }
    for hint, value in variants.items():
        if torch.equal(got, value):
            return " " + hint
    return ""


def test_dead_units(dead_units: Callable) -> None:
    for what, h, threshold in _saturation_cases():
        given = h.clone()
        got = call(dead_units, given, threshold, context=f"on {what}")
        expected = reference.dead_units(h, threshold)
        name = f"dead_units on {what} (threshold {threshold})"
        if isinstance(got, Tensor) and tuple(got.shape) == (h.shape[0],) and \
                h.shape[0] != h.shape[1]:
            raise AssertionError(f"{name}: should have shape ({h.shape[1]},), one entry per "
                                 f"unit (column), got ({h.shape[0]},), one per example (row): "
                                 "reduce over dim 0, the examples.")
        if isinstance(got, Tensor) and got.dtype != torch.bool and \
                tuple(got.shape) == tuple(expected.shape):
            raise AssertionError(f"{name}: should be a torch.bool tensor (True for a dead unit), "
                                 f"got dtype {got.dtype}. `.all(dim=0)` of a comparison gives "
                                 "booleans.")
        if isinstance(got, Tensor) and got.dtype == torch.bool and \
                tuple(got.shape) == tuple(expected.shape) and not torch.equal(got, expected):
            hint = _dead_hint(got, h, threshold)
            if hint:
                raise AssertionError(f"{name}: wrong units marked dead.{hint}")
        assert_tensors_equal_bool(got, expected, name, index_name="unit")
        if not torch.equal(h, given):
            raise AssertionError(f"dead_units on {what}: it changed the tensor it was given; it "
                                 "should only read it.")
    passed("test_dead_units")


# ---------------------------------------------------------------------------------------------
# Section 3: Kaiming initialisation and layers

GAINS = {"linear": 1.0, "tanh": 5 / 3, "relu": math.sqrt(2.0)}


def _kaiming_hint(got: float, fan_in: int, nonlinearity: str) -> str:
    gain = GAINS[nonlinearity]
    for other, other_gain in GAINS.items():
        if other != nonlinearity and other_gain != gain and \
                math.isclose(got, other_gain / math.sqrt(fan_in), rel_tol=1e-9):
            return f" That is the gain of {other!r} ({other_gain:.6g}), not of {nonlinearity!r}."
    variants = {
        "That is gain * sqrt(fan_in): divide by sqrt(fan_in).": gain * math.sqrt(fan_in),
        "That is gain / fan_in: divide by the square root of fan_in.": gain / fan_in,
        "That is the variance gain² / fan_in; the standard deviation is its square root.":
            gain ** 2 / fan_in,
        f"The gain is missing: multiply 1/sqrt(fan_in) by the gain of {nonlinearity!r}.":
            1 / math.sqrt(fan_in),
        "The ReLU gain is sqrt(2), not 2 (2 is its gain squared, the factor on the variance).":
            2 / math.sqrt(fan_in),
    }
    for hint, value in variants.items():
        if value != gain / math.sqrt(fan_in) and math.isclose(got, value, rel_tol=1e-9):
            return " " + hint
    return ""


def test_kaiming_std(kaiming_std: Callable) -> None:
    for fan_in in (30, 1, 100, 200, 7, 4096):
        for nonlinearity, gain in GAINS.items():
            what = f"kaiming_std({fan_in}, {nonlinearity!r})"
            got = _as_float(call(kaiming_std, fan_in, nonlinearity, context=f"as {what}"), what)
            expected = gain / math.sqrt(fan_in)
            if not math.isclose(got, expected, rel_tol=1e-6):  # float32 arithmetic is fine
                raise AssertionError(f"{what}: should be {gain:.6g} / sqrt({fan_in}) = "
                                     f"{expected:.8g}, got {got:.8g}."
                                     + _kaiming_hint(got, fan_in, nonlinearity))
    for name in ("sigmoid", "gelu", "leaky_relu"):
        assert_raises(lambda name=name: kaiming_std(30, name), ValueError,
                      f"kaiming_std(30, {name!r})", must_mention=name,
                      otherwise="Only 'linear', 'tanh' and 'relu' have a gain here; any other "
                                "name is a mistake the caller should hear about.")
    passed("test_kaiming_std")


LINEAR_CASES = ((30, 200, True, 0), (200, 27, True, 1), (10, 10, False, 2), (1, 5, True, 3),
                (64, 3, False, 4))


def _make_linear(Linear: Callable, fan_in: int, fan_out: int, bias: bool,
                 generator: torch.Generator | None, what: str) -> Any:
    return call(Linear, fan_in, fan_out, bias=bias, generator=generator,
                context=f"when building {what}")


def test_Linear(Linear: Callable) -> None:
    for fan_in, fan_out, bias, seed in LINEAR_CASES:
        what = f"Linear({fan_in}, {fan_out}, bias={bias}, generator seeded with {seed})"
        generator = torch.Generator().manual_seed(seed)
        layer = _make_linear(Linear, fan_in, fan_out, bias, generator, what)
        ref_generator = torch.Generator().manual_seed(seed)
        ref = reference.Linear(fan_in, fan_out, bias=bias, generator=ref_generator)
        weight = getattr(layer, "weight", None)
        if not isinstance(weight, Tensor):
            raise AssertionError(f"{what}: .weight should be a tensor, got {describe(weight)}.")
        if tuple(weight.shape) != (fan_in, fan_out):
            hint = (" That is torch.nn.Linear's (out, in) layout; here the layer computes "
                    "x @ weight, so the weight is (fan_in, fan_out)."
                    if tuple(weight.shape) == (fan_out, fan_in) else "")
            raise AssertionError(f"{what}: .weight should have shape ({fan_in}, {fan_out}), got "
                                 f"{tuple(weight.shape)}.{hint}")
        if weight.dtype != torch.float32:
            raise AssertionError(f"{what}: .weight should be float32, got {weight.dtype}.")
        if not weight.is_leaf:
            raise AssertionError(f"{what}: .weight is not a leaf tensor (it was computed from a "
                                 "tensor that requires gradients), so training would never "
                                 "fill its .grad. Draw and scale it without requires_grad.")
        w, e = weight.detach(), ref.weight
        if not torch.allclose(w, e, rtol=1e-5, atol=1e-7):
            raw = torch.randn((fan_in, fan_out), generator=torch.Generator().manual_seed(seed))
            hint = (" Draw it with torch.randn((fan_in, fan_out), generator=generator) and "
                    "divide by sqrt(fan_in).")
            if torch.equal(w, raw) and fan_in > 1:
                hint = (" It is the unscaled standard normal draw: divide by sqrt(fan_in), so "
                        "each output (a sum of fan_in terms) starts with a std near 1.")
            elif fan_in > 1 and torch.allclose(w, raw / fan_in, rtol=1e-5):
                hint = " It is divided by fan_in: divide by sqrt(fan_in) (fan_in ** 0.5)."
            elif torch.allclose(w, raw / math.sqrt(fan_out), rtol=1e-5) and fan_in != fan_out:
                hint = (" It is divided by sqrt(fan_out): the scale comes from fan_in, the "
                        "number of inputs each output sums.")
            elif torch.allclose(w, raw * math.sqrt(fan_in), rtol=1e-5) and fan_in > 1:
                hint = " It is multiplied by sqrt(fan_in): divide instead."
            raise AssertionError(f"{what}: .weight differs from the reference's draw (largest "
                                 f"difference {(w - e).abs().max().item():.3g}).{hint}")
        b = getattr(layer, "bias", "missing")
        if isinstance(b, str):
            raise AssertionError(f"{what}: the layer has no .bias attribute; it should be a "
                                 f"tensor of zeros, or None when bias=False.")
        if not bias and b is not None:
            raise AssertionError(f"{what}: with bias=False, .bias should be None, got "
                                 f"{describe(b)}.")
        if bias:
            if not isinstance(b, Tensor):
                raise AssertionError(f"{what}: .bias should be a tensor, got {describe(b)}.")
            if tuple(b.shape) != (fan_out,):
                raise AssertionError(f"{what}: .bias should have shape ({fan_out},), one per "
                                     f"output, got {tuple(b.shape)}.")
            if not torch.equal(b.detach(), torch.zeros(fan_out)):
                hint = (" It is all ones." if torch.equal(b.detach(), torch.ones(fan_out))
                        else "")
                raise AssertionError(f"{what}: .bias should start at zeros (torch.zeros(fan_out))"
                                     f", got {describe(b.detach())}.{hint}")
            if b.dtype != torch.float32:
                raise AssertionError(f"{what}: .bias should be float32, got {b.dtype}.")
        if not torch.equal(torch.randn(4, generator=generator),
                           torch.randn(4, generator=ref_generator)):
            raise AssertionError(f"{what}: the weight is right, but the generator was used for "
                                 "something else too (a random bias?): draw only the weight "
                                 "from it.")
        _check_parameters(layer, bias, what)
        _check_call(layer, fan_in, fan_out, seed, what)
    # generator=None: the global generator, so torch.manual_seed makes it reproducible (inside
    # fork_rng, so the learner's own global random state is left as it was).
    with torch.random.fork_rng():
        torch.manual_seed(7)
        layer = _make_linear(Linear, 6, 4, True, None, "Linear(6, 4) with generator=None")
        torch.manual_seed(7)
        expected = torch.randn((6, 4)) / math.sqrt(6)
    if not torch.allclose(layer.weight.detach(), expected, rtol=1e-5, atol=1e-7):
        raise AssertionError("Linear(6, 4) with generator=None: the weight should come from "
                             "torch's global generator (torch.randn(..., generator=None)).")
    default = call(Linear, 3, 2, context="when building Linear(3, 2)")
    if not isinstance(getattr(default, "bias", None), Tensor):
        raise AssertionError("Linear(3, 2): bias should default to True (a zero bias tensor).")
    passed("test_Linear")


def _check_parameters(layer: Any, bias: bool, what: str) -> None:
    params = call(layer.parameters, context=f"calling parameters() of {what}")
    if not isinstance(params, list):
        raise AssertionError(f"{what}: parameters() should return a list, got "
                             f"{type(params).__name__}.")
    expected = [layer.weight, layer.bias] if bias else [layer.weight]
    names = ["weight", "bias"] if bias else ["weight"]
    if len(params) != len(expected):
        extra = (" Without a bias the list is just [weight]: leave None out."
                 if not bias and any(p is None for p in params) else "")
        raise AssertionError(f"{what}: parameters() should return {len(expected)} tensor(s) "
                             f"({', '.join(names)}), got {len(params)}.{extra}")
    for i, (p, e, name) in enumerate(zip(params, expected, names)):
        if p is not e:
            swapped = bias and params[0] is layer.bias and params[1] is layer.weight
            hint = (" The order is [weight, bias]." if swapped else
                    " Return the layer's own tensors (not copies): an optimizer updates them "
                    "in place, and the layer must see the change.")
            raise AssertionError(f"{what}: parameters()[{i}] should be the layer's {name} "
                                 f"itself.{hint}")


def _check_call(layer: Any, fan_in: int, fan_out: int, seed: int, what: str) -> None:
    g = torch.Generator().manual_seed(seed + 100)
    x = torch.randn((5, fan_in), generator=g)
    got = call(layer, x, context=f"when calling {what} on x of shape (5, {fan_in})")
    expected = x @ layer.weight.detach()
    if layer.bias is not None:
        # A bias that is not zero, so that a forgotten bias shows.
        with torch.no_grad():
            layer.bias += torch.arange(fan_out, dtype=torch.float32) + 1.0
        got = call(layer, x, context=f"when calling {what} on x of shape (5, {fan_in})")
        expected = x @ layer.weight.detach() + layer.bias.detach()
    name = f"{what} called on x of shape (5, {fan_in})"
    if isinstance(got, Tensor) and tuple(got.shape) == (5, fan_out) and layer.bias is not None \
            and torch.allclose(got.detach(), x @ layer.weight.detach(), rtol=1e-4, atol=1e-5) \
            and not torch.allclose(got.detach(), expected, rtol=1e-4, atol=1e-5):
        raise AssertionError(f"{name}: the bias is not added (x @ weight + bias).")
    assert_close(got, expected, name, atol=1e-5, rtol=1e-4)
    out = getattr(layer, "out", None)
    if out is None:
        raise AssertionError(f"{name}: the layer should keep its output in self.out (the "
                             "diagnostics of section 5 read it).")
    if out is not got:
        raise AssertionError(f"{name}: self.out should be the very tensor the call returns "
                             "(`self.out = ...; return self.out`), not a copy: "
                             "layer.out.retain_grad() only gets a gradient on the tensor the next "
                             "layer used.")
    # Gradients must flow through the call when the weights require them.
    w = layer.weight
    w.requires_grad_(True)
    try:
        y = call(layer, x, context=f"when calling {what} with a weight that requires grad")
        if not isinstance(y, Tensor) or not y.requires_grad:
            raise AssertionError(f"{name}: with a weight that requires gradients the output "
                                 "carries no graph (computed under no_grad, or from .data?).")
    finally:
        w.requires_grad_(False)
