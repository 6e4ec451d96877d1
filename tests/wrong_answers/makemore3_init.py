"""Wrong and right answers for chapter 4.3's sections 0-3 (the loss at initialisation, saturated
tanh, Kaiming init and layers). Each wrong answer is one plausible slip on top of the reference."""

from __future__ import annotations

import math

import torch

from solutions.makemore_activations import Linear as _Linear
from solutions.makemore_mlp import init_mlp

# --- uniform_loss -----------------------------------------------------------------------------


def uniform_log10(vocab_size):
    return math.log10(vocab_size)


def uniform_negative(vocab_size):
    return math.log(1 / vocab_size)


def uniform_probability(vocab_size):
    return 1 / vocab_size


def uniform_tensor(vocab_size):
    return torch.tensor(float(vocab_size)).log()


def uniform_log2(vocab_size):
    return math.log2(vocab_size)


def uniform_right_cross_entropy(vocab_size):
    """Right: the cross-entropy of all-equal logits, measured."""
    import torch.nn.functional as F
    logits = torch.zeros((1, vocab_size), dtype=torch.float64)
    return F.cross_entropy(logits, torch.tensor([0])).item()


def uniform_right_minus_log(vocab_size):
    return -math.log(1 / vocab_size)


def uniform_right_float32(vocab_size):
    """Right: computed in float32 with torch, returned with .item()."""
    return -torch.log(torch.tensor(1.0) / vocab_size).item()


# --- scaled_init_mlp --------------------------------------------------------------------------

SHAPES = ("C", "W1", "b1", "W2", "b2")


def _shapes(vocab_size, block_size, n_embd, n_hidden):
    return {"C": (vocab_size, n_embd), "W1": (block_size * n_embd, n_hidden),
            "b1": (n_hidden,), "W2": (n_hidden, vocab_size), "b2": (vocab_size,)}


def _scales(w1_scale, b1_scale, w2_scale, b2_scale):
    return {"C": 1.0, "W1": w1_scale, "b1": b1_scale, "W2": w2_scale, "b2": b2_scale}


def scaled_non_leaf(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None, *,
                    w1_scale=1.0, b1_scale=1.0, w2_scale=1.0, b2_scale=1.0):
    params = init_mlp(vocab_size, block_size, n_embd, n_hidden, generator)
    scales = _scales(w1_scale, b1_scale, w2_scale, b2_scale)
    return {k: p * scales[k] for k, p in params.items()}


def scaled_skips_zero(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None, *,
                      w1_scale=1.0, b1_scale=1.0, w2_scale=1.0, b2_scale=1.0):
    """`if scale:` leaves a tensor whose scale is 0 unscaled."""
    params = init_mlp(vocab_size, block_size, n_embd, n_hidden, generator)
    scales = _scales(w1_scale, b1_scale, w2_scale, b2_scale)
    with torch.no_grad():
        for k, p in params.items():
            if scales[k]:
                p.mul_(scales[k])
    return params


def scaled_zeros_not_drawn(vocab_size=27, block_size=3, n_embd=10, n_hidden=200,
                           generator=None, *, w1_scale=1.0, b1_scale=1.0, w2_scale=1.0,
                           b2_scale=1.0):
    """A tensor whose scale is 0 is made with torch.zeros, so it is never drawn."""
    scales = _scales(w1_scale, b1_scale, w2_scale, b2_scale)
    out = {}
    for k, shape in _shapes(vocab_size, block_size, n_embd, n_hidden).items():
        if scales[k] == 0:
            out[k] = torch.zeros(shape)
        else:
            out[k] = torch.randn(shape, generator=generator) * scales[k]
        out[k].requires_grad_()
    return out


def scaled_output_first(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None, *,
                        w1_scale=1.0, b1_scale=1.0, w2_scale=1.0, b2_scale=1.0):
    """Draws the output layer before the hidden layer."""
    scales = _scales(w1_scale, b1_scale, w2_scale, b2_scale)
    shapes = _shapes(vocab_size, block_size, n_embd, n_hidden)
    out = {}
    for k in ("C", "W2", "b2", "W1", "b1"):
        out[k] = (torch.randn(shapes[k], generator=generator) * scales[k]).requires_grad_()
    return {k: out[k] for k in SHAPES}


def scaled_c_too(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None, *,
                 w1_scale=1.0, b1_scale=1.0, w2_scale=1.0, b2_scale=1.0):
    """Scales the embedding table with W1's scale."""
    params = init_mlp(vocab_size, block_size, n_embd, n_hidden, generator)
    scales = {**_scales(w1_scale, b1_scale, w2_scale, b2_scale), "C": w1_scale}
    with torch.no_grad():
        for k, p in params.items():
            p.mul_(scales[k])
    return params


def scaled_weights_only(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None, *,
                        w1_scale=1.0, b1_scale=1.0, w2_scale=1.0, b2_scale=1.0):
    """Forgets the biases' scales."""
    params = init_mlp(vocab_size, block_size, n_embd, n_hidden, generator)
    with torch.no_grad():
        params["W1"].mul_(w1_scale)
        params["W2"].mul_(w2_scale)
    return params


def scaled_fresh_generator(vocab_size=27, block_size=3, n_embd=10, n_hidden=200,
                           generator=None, *, w1_scale=1.0, b1_scale=1.0, w2_scale=1.0,
                           b2_scale=1.0):
    """Seeds a generator of its own instead of using the one passed in."""
    params = init_mlp(vocab_size, block_size, n_embd, n_hidden,
                      torch.Generator().manual_seed(2147483647))
    scales = _scales(w1_scale, b1_scale, w2_scale, b2_scale)
    with torch.no_grad():
        for k, p in params.items():
            p.mul_(scales[k])
    return params


def scaled_no_grad(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None, *,
                   w1_scale=1.0, b1_scale=1.0, w2_scale=1.0, b2_scale=1.0):
    scales = _scales(w1_scale, b1_scale, w2_scale, b2_scale)
    return {k: torch.randn(shape, generator=generator) * scales[k]
            for k, shape in _shapes(vocab_size, block_size, n_embd, n_hidden).items()}


def scaled_draws_extra(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None, *,
                       w1_scale=1.0, b1_scale=1.0, w2_scale=1.0, b2_scale=1.0):
    """Right numbers, but a spare draw afterwards (say a test of the generator)."""
    params = scaled_skips_zero(vocab_size, block_size, n_embd, n_hidden, generator,
                               w1_scale=1.0, b1_scale=1.0, w2_scale=1.0, b2_scale=1.0)
    scales = _scales(w1_scale, b1_scale, w2_scale, b2_scale)
    with torch.no_grad():
        for k, p in params.items():
            p.mul_(scales[k])
    torch.randn(1, generator=generator)
    return params


def scaled_right_fresh_draws(vocab_size=27, block_size=3, n_embd=10, n_hidden=200,
                             generator=None, *, w1_scale=1.0, b1_scale=1.0, w2_scale=1.0,
                             b2_scale=1.0):
    """Right: drawn by hand in init_mlp's order, scaled, then made to require grad."""
    scales = _scales(w1_scale, b1_scale, w2_scale, b2_scale)
    return {k: (torch.randn(shape, generator=generator) * scales[k]).requires_grad_()
            for k, shape in _shapes(vocab_size, block_size, n_embd, n_hidden).items()}


def scaled_right_detached(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None,
                          *, w1_scale=1.0, b1_scale=1.0, w2_scale=1.0, b2_scale=1.0):
    """Right: init_mlp, then a detached, scaled copy of each that requires grad."""
    params = init_mlp(vocab_size, block_size, n_embd, n_hidden, generator)
    scales = _scales(w1_scale, b1_scale, w2_scale, b2_scale)
    return {k: (p.detach() * scales[k]).requires_grad_() for k, p in params.items()}


# --- saturation_fraction ----------------------------------------------------------------------


def saturation_at_least(h, threshold=0.97):
    return (h.abs() >= threshold).float().mean().item()


def saturation_no_abs(h, threshold=0.97):
    return (h > threshold).float().mean().item()


def saturation_count(h, threshold=0.97):
    return (h.abs() > threshold).sum().item()


def saturation_per_unit(h, threshold=0.97):
    return (h.abs() > threshold).float().mean(0)


def saturation_tensor(h, threshold=0.97):
    return (h.abs() > threshold).float().mean()


def saturation_fixed_threshold(h, threshold=0.97):
    return (h.abs() > 0.97).float().mean().item()


def saturation_in_place(h, threshold=0.97):
    return (h.abs_() > threshold).float().mean().item()


def saturation_right_loop(h, threshold=0.97):
    """Right: a plain loop over the entries, in Python floats."""
    values = h.flatten().tolist()
    return sum(abs(v) > threshold for v in values) / len(values)


def saturation_right_float64(h, threshold=0.97):
    """Right: counted in float64, the threshold as a tensor of h's dtype."""
    limit = torch.tensor(threshold, dtype=h.dtype)
    return (h.abs() > limit).double().sum().item() / h.numel()


# --- dead_units -------------------------------------------------------------------------------


def dead_any(h, threshold=0.97):
    return (h.abs() > threshold).any(dim=0)


def dead_wrong_dim(h, threshold=0.97):
    return (h.abs() > threshold).all(dim=1)


def dead_at_least(h, threshold=0.97):
    return (h.abs() >= threshold).all(dim=0)


def dead_no_abs(h, threshold=0.97):
    return (h > threshold).all(dim=0)


def dead_float(h, threshold=0.97):
    return (h.abs() > threshold).float().min(dim=0).values


def dead_indices(h, threshold=0.97):
    return (h.abs() > threshold).all(dim=0).nonzero().flatten()


def dead_right_min(h, threshold=0.97):
    """Right: a unit is dead when even its smallest |h| is above the threshold."""
    return h.abs().min(dim=0).values > threshold


# --- kaiming_std ------------------------------------------------------------------------------


def kaiming_tanh_gain_for_relu(fan_in, nonlinearity):
    gains = {"linear": 1.0, "tanh": 5 / 3, "relu": 5 / 3}
    if nonlinearity not in gains:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}")
    return gains[nonlinearity] / math.sqrt(fan_in)


def kaiming_times_sqrt(fan_in, nonlinearity):
    gains = {"linear": 1.0, "tanh": 5 / 3, "relu": math.sqrt(2)}
    if nonlinearity not in gains:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}")
    return gains[nonlinearity] * math.sqrt(fan_in)


def kaiming_over_fan_in(fan_in, nonlinearity):
    gains = {"linear": 1.0, "tanh": 5 / 3, "relu": math.sqrt(2)}
    if nonlinearity not in gains:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}")
    return gains[nonlinearity] / fan_in


def kaiming_relu_gain_two(fan_in, nonlinearity):
    gains = {"linear": 1.0, "tanh": 5 / 3, "relu": 2.0}
    if nonlinearity not in gains:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}")
    return gains[nonlinearity] / math.sqrt(fan_in)


def kaiming_fan_out(fan_in, nonlinearity):
    """Divides by sqrt of a fan_out it assumes to be 27 (the chapter's vocabulary)."""
    gains = {"linear": 1.0, "tanh": 5 / 3, "relu": math.sqrt(2)}
    if nonlinearity not in gains:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}")
    return gains[nonlinearity] / math.sqrt(27)


def kaiming_key_error(fan_in, nonlinearity):
    gains = {"linear": 1.0, "tanh": 5 / 3, "relu": math.sqrt(2)}
    return gains[nonlinearity] / math.sqrt(fan_in)


def kaiming_default_gain(fan_in, nonlinearity):
    gains = {"tanh": 5 / 3, "relu": math.sqrt(2)}
    return gains.get(nonlinearity, 1.0) / math.sqrt(fan_in)


def kaiming_variance(fan_in, nonlinearity):
    gains = {"linear": 1.0, "tanh": 5 / 3, "relu": math.sqrt(2)}
    if nonlinearity not in gains:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}")
    return gains[nonlinearity] ** 2 / fan_in


def kaiming_silent_error(fan_in, nonlinearity):
    gains = {"linear": 1.0, "tanh": 5 / 3, "relu": math.sqrt(2)}
    if nonlinearity not in gains:
        raise ValueError("unknown nonlinearity")
    return gains[nonlinearity] / math.sqrt(fan_in)


def kaiming_right_torch(fan_in, nonlinearity):
    """Right: torch's own gains, with the unknown names refused first."""
    if nonlinearity not in ("linear", "tanh", "relu"):
        raise ValueError(f"no gain for {nonlinearity}")
    return torch.nn.init.calculate_gain(nonlinearity) / math.sqrt(fan_in)


def kaiming_right_power(fan_in, nonlinearity):
    """Right: relu as sqrt(2 / fan_in), the others with fan_in ** -0.5."""
    if nonlinearity == "relu":
        return math.sqrt(2 / fan_in)
    if nonlinearity == "tanh":
        return 5 / 3 * fan_in ** -0.5
    if nonlinearity == "linear":
        return fan_in ** -0.5
    raise ValueError(f"{nonlinearity} is not linear, tanh or relu")


def kaiming_right_float32(fan_in, nonlinearity):
    """Right: computed in float32 with torch, returned with .item()."""
    gains = {"linear": 1.0, "tanh": 5 / 3, "relu": 2 ** 0.5}
    if nonlinearity not in gains:
        raise ValueError(f"unknown nonlinearity: {nonlinearity}")
    return (gains[nonlinearity] / torch.tensor(float(fan_in)).sqrt()).item()


# --- Linear -----------------------------------------------------------------------------------


class LinearTransposed(_Linear):
    """torch.nn.Linear's (out, in) weight, used as x @ W.T."""

    def __init__(self, fan_in, fan_out, bias=True, generator=None):
        self.weight = torch.randn((fan_out, fan_in), generator=generator) / fan_in ** 0.5
        self.bias = torch.zeros(fan_out) if bias else None

    def __call__(self, x):
        self.out = x @ self.weight.T
        if self.bias is not None:
            self.out = self.out + self.bias
        return self.out


class LinearBiasOnes(_Linear):
    def __init__(self, fan_in, fan_out, bias=True, generator=None):
        super().__init__(fan_in, fan_out, bias, generator)
        if bias:
            self.bias = torch.ones(fan_out)


class LinearUnscaled(_Linear):
    def __init__(self, fan_in, fan_out, bias=True, generator=None):
        super().__init__(fan_in, fan_out, bias, generator)
        self.weight = self.weight * fan_in ** 0.5


class LinearOverFanIn(_Linear):
    def __init__(self, fan_in, fan_out, bias=True, generator=None):
        super().__init__(fan_in, fan_out, bias, generator)
        self.weight = self.weight / fan_in ** 0.5


class LinearFanOut(_Linear):
    def __init__(self, fan_in, fan_out, bias=True, generator=None):
        self.weight = torch.randn((fan_in, fan_out), generator=generator) / fan_out ** 0.5
        self.bias = torch.zeros(fan_out) if bias else None


class LinearRandomBias(_Linear):
    """Draws a small random bias from the generator as well."""

    def __init__(self, fan_in, fan_out, bias=True, generator=None):
        super().__init__(fan_in, fan_out, bias, generator)
        if bias:
            self.bias = torch.randn(fan_out, generator=generator) * 0.0


class LinearNoOut(_Linear):
    def __call__(self, x):
        y = x @ self.weight
        return y if self.bias is None else y + self.bias


class LinearOutCopy(_Linear):
    def __call__(self, x):
        super().__call__(x)
        return self.out.clone()


class LinearNoBiasAdded(_Linear):
    def __call__(self, x):
        self.out = x @ self.weight
        return self.out


class LinearParamsSwapped(_Linear):
    def parameters(self):
        return [self.bias, self.weight] if self.bias is not None else [self.weight]


class LinearParamsWithNone(_Linear):
    def parameters(self):
        return [self.weight, self.bias]


class LinearParamsCopies(_Linear):
    def parameters(self):
        return [p.clone() for p in super().parameters()]


class LinearBiasIgnored(_Linear):
    """Always makes a bias, even with bias=False."""

    def __init__(self, fan_in, fan_out, bias=True, generator=None):
        super().__init__(fan_in, fan_out, True, generator)


class LinearNonLeaf(_Linear):
    def __init__(self, fan_in, fan_out, bias=True, generator=None):
        self.weight = torch.randn((fan_in, fan_out), generator=generator,
                                  requires_grad=True) / fan_in ** 0.5
        self.bias = torch.zeros(fan_out) if bias else None


class LinearNoGrad(_Linear):
    def __call__(self, x):
        with torch.no_grad():
            return super().__call__(x)


class LinearRightRequiresGrad(_Linear):
    """Right: parameters that require gradients from the start, bias added with torch.addmm."""

    def __init__(self, fan_in, fan_out, bias=True, generator=None):
        w = torch.randn((fan_in, fan_out), generator=generator) * (1 / math.sqrt(fan_in))
        self.weight = w.requires_grad_()
        self.bias = torch.zeros(fan_out, requires_grad=True) if bias else None

    def __call__(self, x):
        self.out = torch.addmm(self.bias, x, self.weight) if self.bias is not None \
            else x @ self.weight
        return self.out


WRONG_ANSWERS = [
    ("uniform_loss", "log10", uniform_log10),
    ("uniform_loss", "log2", uniform_log2),
    ("uniform_loss", "ln(1/v), sign flipped", uniform_negative),
    ("uniform_loss", "the probability 1/v", uniform_probability),
    ("uniform_loss", "a tensor, not a float", uniform_tensor),
    ("scaled_init_mlp", "scaled tensors are not leaves", scaled_non_leaf),
    ("scaled_init_mlp", "`if scale:` skips a scale of 0", scaled_skips_zero),
    ("scaled_init_mlp", "zero-scale tensors not drawn", scaled_zeros_not_drawn),
    ("scaled_init_mlp", "output layer drawn first", scaled_output_first),
    ("scaled_init_mlp", "C scaled too", scaled_c_too),
    ("scaled_init_mlp", "biases not scaled", scaled_weights_only),
    ("scaled_init_mlp", "a generator of its own", scaled_fresh_generator),
    ("scaled_init_mlp", "no requires_grad", scaled_no_grad),
    ("scaled_init_mlp", "an extra draw afterwards", scaled_draws_extra),
    ("saturation_fraction", ">= instead of >", saturation_at_least),
    ("saturation_fraction", "no abs", saturation_no_abs),
    ("saturation_fraction", "a count, not a fraction", saturation_count),
    ("saturation_fraction", "mean over one dim", saturation_per_unit),
    ("saturation_fraction", "a tensor, not a float", saturation_tensor),
    ("saturation_fraction", "threshold ignored", saturation_fixed_threshold),
    ("saturation_fraction", "abs_ in place", saturation_in_place),
    ("dead_units", "any instead of all", dead_any),
    ("dead_units", "all over the wrong dim", dead_wrong_dim),
    ("dead_units", ">= instead of >", dead_at_least),
    ("dead_units", "no abs", dead_no_abs),
    ("dead_units", "float tensor", dead_float),
    ("dead_units", "indices of the dead units", dead_indices),
    ("kaiming_std", "tanh's gain for relu", kaiming_tanh_gain_for_relu),
    ("kaiming_std", "times sqrt(fan_in)", kaiming_times_sqrt),
    ("kaiming_std", "divided by fan_in", kaiming_over_fan_in),
    ("kaiming_std", "relu gain 2", kaiming_relu_gain_two),
    ("kaiming_std", "fan_out instead of fan_in", kaiming_fan_out),
    ("kaiming_std", "KeyError for an unknown name", kaiming_key_error),
    ("kaiming_std", "gain 1 for an unknown name", kaiming_default_gain),
    ("kaiming_std", "the variance", kaiming_variance),
    ("kaiming_std", "error message without the name", kaiming_silent_error),
    ("Linear", "weight (fan_out, fan_in)", LinearTransposed),
    ("Linear", "bias ones", LinearBiasOnes),
    ("Linear", "weight not scaled", LinearUnscaled),
    ("Linear", "weight divided by fan_in", LinearOverFanIn),
    ("Linear", "scaled by fan_out", LinearFanOut),
    ("Linear", "bias drawn from the generator", LinearRandomBias),
    ("Linear", "no .out", LinearNoOut),
    ("Linear", "returns a copy of .out", LinearOutCopy),
    ("Linear", "bias not added", LinearNoBiasAdded),
    ("Linear", "parameters [bias, weight]", LinearParamsSwapped),
    ("Linear", "parameters include None", LinearParamsWithNone),
    ("Linear", "parameters are copies", LinearParamsCopies),
    ("Linear", "bias=False ignored", LinearBiasIgnored),
    ("Linear", "weight not a leaf", LinearNonLeaf),
    ("Linear", "forward under no_grad", LinearNoGrad),
]

RIGHT_ANSWERS = [
    ("uniform_loss", "F.cross_entropy of equal logits", uniform_right_cross_entropy),
    ("uniform_loss", "-log(1/v)", uniform_right_minus_log),
    ("uniform_loss", "float32 with torch", uniform_right_float32),
    ("scaled_init_mlp", "drawn by hand, scaled, requires_grad_", scaled_right_fresh_draws),
    ("scaled_init_mlp", "detached scaled copies", scaled_right_detached),
    ("saturation_fraction", "a Python loop", saturation_right_loop),
    ("saturation_fraction", "counted in float64", saturation_right_float64),
    ("dead_units", "min over the examples", dead_right_min),
    ("kaiming_std", "torch.nn.init.calculate_gain", kaiming_right_torch),
    ("kaiming_std", "sqrt(2 / fan_in) and fan_in ** -0.5", kaiming_right_power),
    ("kaiming_std", "float32 with torch", kaiming_right_float32),
    ("Linear", "requires grad from the start, addmm", LinearRightRequiresGrad),
]
