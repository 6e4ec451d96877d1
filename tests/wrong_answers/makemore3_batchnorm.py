"""Wrong and right answers for chapter 4.3's sections 4-5 (BatchNorm1d, the diagnostics). Each
wrong answer is one plausible slip on top of the reference."""

from __future__ import annotations

import math

import torch

from solutions.makemore_activations import BatchNorm1d, Tanh

# --- BatchNorm1d ------------------------------------------------------------------------------


class _Variant(BatchNorm1d):
    """The reference's layer with one knob per slip (each subclass below turns one on)."""

    norm_unbiased = False      # normalise with the unbiased variance
    running_biased = False     # keep the biased variance in running_var
    momentum_flipped = False   # new = momentum * old + (1 - momentum) * batch
    update_in_eval = False     # move the running statistics in eval mode too
    eval_batch_stats = False   # eval mode uses the batch's statistics
    keep_graph = False         # running statistics computed with the graph
    eps_outside = False        # sqrt(var) + eps
    swap_affine = False        # beta * x_hat + gamma

    def __call__(self, x):
        mean = x.mean(0)
        var = x.var(0, unbiased=self.norm_unbiased)
        if self.training or self.update_in_eval:
            new = 1 - self.momentum if self.momentum_flipped else self.momentum
            batch_var = x.var(0, unbiased=not self.running_biased)
            if self.keep_graph:
                self._update(mean, batch_var, new)
            else:
                with torch.no_grad():
                    self._update(mean, batch_var, new)
        if not self.training and not self.eval_batch_stats:
            mean, var = self.running_mean, self.running_var
        std = var.sqrt() + self.eps if self.eps_outside else torch.sqrt(var + self.eps)
        x_hat = (x - mean) / std
        if self.swap_affine:
            self.out = self.beta * x_hat + self.gamma
        else:
            self.out = self.gamma * x_hat + self.beta
        return self.out

    def _update(self, mean, var, new):
        self.running_mean = (1 - new) * self.running_mean + new * mean
        self.running_var = (1 - new) * self.running_var + new * var


class BNUnbiasedNormalise(_Variant):
    norm_unbiased = True


class BNBiasedRunningVar(_Variant):
    running_biased = True


class BNMomentumFlipped(_Variant):
    momentum_flipped = True


class BNUpdatesInEval(_Variant):
    update_in_eval = True


class BNEvalBatchStats(_Variant):
    eval_batch_stats = True


class BNGraphConnected(_Variant):
    keep_graph = True


class BNEpsOutside(_Variant):
    eps_outside = True


class BNSwapped(_Variant):
    swap_affine = True


class BNStatsOverDim1(BatchNorm1d):
    def __call__(self, x):
        mean, var = x.mean(1, keepdim=True), x.var(1, keepdim=True, unbiased=False)
        if self.training:
            with torch.no_grad():
                self.running_mean = 0.9 * self.running_mean + 0.1 * x.mean(0)
                self.running_var = 0.9 * self.running_var + 0.1 * x.var(0)
        else:
            mean, var = self.running_mean, self.running_var
        self.out = self.gamma * (x - mean) / torch.sqrt(var + self.eps) + self.beta
        return self.out


class BNEpsIgnored(BatchNorm1d):
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        super().__init__(dim, 1e-5, momentum)


class BNMomentumIgnored(BatchNorm1d):
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        super().__init__(dim, eps, 0.1)


class BNNoOut(BatchNorm1d):
    def __call__(self, x):
        out = super().__call__(x)
        del self.out
        return out


class BNAllNoGrad(BatchNorm1d):
    def __call__(self, x):
        with torch.no_grad():
            return super().__call__(x)


class BNParametersSwapped(BatchNorm1d):
    def parameters(self):
        return [self.beta, self.gamma]


class BNRunningVarZeros(BatchNorm1d):
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        super().__init__(dim, eps, momentum)
        self.running_var = torch.zeros(dim)


class BNStartsInEval(BatchNorm1d):
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        super().__init__(dim, eps, momentum)
        self.training = False


class BNRunningIsBatch(BatchNorm1d):
    """The running statistics replaced by the last batch's (momentum 1)."""

    def __call__(self, x):
        out = super().__call__(x)
        if self.training:
            self.running_mean, self.running_var = x.detach().mean(0), x.detach().var(0)
        return out


# Right: other correct ways.


class BNDetachInPlace(BatchNorm1d):
    """Detached statistics and in-place lerp_ on the buffers; the variance by hand."""

    def __call__(self, x):
        if self.training:
            mean = x.mean(0, keepdim=True)
            var = ((x - mean) ** 2).mean(0, keepdim=True)
            n = x.shape[0]
            self.running_mean.lerp_(mean.detach().squeeze(0), self.momentum)
            self.running_var.lerp_(var.detach().squeeze(0) * n / (n - 1), self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        self.out = (x - mean) * torch.rsqrt(var + self.eps) * self.gamma + self.beta
        return self.out


class BNVarMean(BatchNorm1d):
    """torch.var_mean, the unbiased variance from the biased one, float64 inside."""

    def __call__(self, x):
        if self.training:
            var, mean = torch.var_mean(x.double(), dim=0, correction=0)
            with torch.no_grad():
                n = x.shape[0]
                m = self.momentum
                self.running_mean = ((1 - m) * self.running_mean.double() + m * mean).float()
                self.running_var = ((1 - m) * self.running_var.double()
                                    + m * var * n / (n - 1)).float()
        else:
            mean, var = self.running_mean.double(), self.running_var.double()
        x_hat = (x.double() - mean) / (var + self.eps).sqrt()
        self.out = (self.gamma * x_hat + self.beta).float()
        return self.out


# --- activation_stats -------------------------------------------------------------------------


def act_all_layers(layers, threshold=0.97):
    return [{"mean": l.out.mean().item(), "std": l.out.std().item(),
             "saturated": (l.out.abs() > threshold).float().mean().item()} for l in layers]


def act_biased_std(layers, threshold=0.97):
    return [{"mean": l.out.mean().item(), "std": l.out.std(unbiased=False).item(),
             "saturated": (l.out.abs() > threshold).float().mean().item()}
            for l in layers if isinstance(l, Tanh)]


def act_fixed_threshold(layers, threshold=0.97):
    return [{"mean": l.out.mean().item(), "std": l.out.std().item(),
             "saturated": (l.out.abs() > 0.97).float().mean().item()}
            for l in layers if isinstance(l, Tanh)]


def act_no_abs(layers, threshold=0.97):
    return [{"mean": l.out.mean().item(), "std": l.out.std().item(),
             "saturated": (l.out > threshold).float().mean().item()}
            for l in layers if isinstance(l, Tanh)]


def act_count(layers, threshold=0.97):
    return [{"mean": l.out.mean().item(), "std": l.out.std().item(),
             "saturated": float((l.out.abs() > threshold).sum().item())}
            for l in layers if isinstance(l, Tanh)]


def act_tensors(layers, threshold=0.97):
    return [{"mean": l.out.mean(), "std": l.out.std(),
             "saturated": (l.out.abs() > threshold).float().mean()}
            for l in layers if isinstance(l, Tanh)]


def act_mean_abs(layers, threshold=0.97):
    return [{"mean": l.out.abs().mean().item(), "std": l.out.std().item(),
             "saturated": (l.out.abs() > threshold).float().mean().item()}
            for l in layers if isinstance(l, Tanh)]


def act_per_unit_std(layers, threshold=0.97):
    """The std of each unit over the batch, averaged."""
    return [{"mean": l.out.mean().item(), "std": l.out.std(0).mean().item(),
             "saturated": (l.out.abs() > threshold).float().mean().item()}
            for l in layers if isinstance(l, Tanh)]


def act_loop_float64(layers, threshold=0.97):
    stats = []
    for layer in layers:
        if type(layer).__name__ != "Tanh":
            continue
        out = layer.out.detach().double().flatten()
        n = out.numel()
        mean = out.sum().item() / n
        var = ((out - mean) ** 2).sum().item() / (n - 1)
        sat = sum(1 for v in out.tolist() if abs(v) > threshold) / n
        stats.append({"mean": mean, "std": math.sqrt(var), "saturated": sat})
    return stats


# --- gradient_stats ---------------------------------------------------------------------------


def grad_of_output(layers):
    return [{"mean": l.out.mean().item(), "std": l.out.std().item()}
            for l in layers if isinstance(l, Tanh)]


def grad_abs(layers):
    return [{"mean": l.out.grad.abs().mean().item(), "std": l.out.grad.std().item()}
            for l in layers if isinstance(l, Tanh)]


def grad_biased_std(layers):
    return [{"mean": l.out.grad.mean().item(), "std": l.out.grad.std(unbiased=False).item()}
            for l in layers if isinstance(l, Tanh)]


def grad_all_layers(layers):
    return [{"mean": l.out.grad.mean().item(), "std": l.out.grad.std().item()}
            for l in layers if l.out.grad is not None]


def grad_tensors(layers):
    return [{"mean": l.out.grad.mean(), "std": l.out.grad.std()}
            for l in layers if isinstance(l, Tanh)]


def grad_float64(layers):
    return [{"mean": float(l.out.grad.double().mean()), "std": float(l.out.grad.double().std())}
            for l in layers if isinstance(l, Tanh)]


# --- update_ratios ----------------------------------------------------------------------------


def ratios_no_lr(parameters, lr):
    return [(p.grad.std() / p.data.std()).log10().item() for p in parameters]


def ratios_natural_log(parameters, lr):
    return [((lr * p.grad).std() / p.data.std()).log().item() for p in parameters]


def ratios_inverted(parameters, lr):
    return [(p.data.std() / (lr * p.grad).std()).log10().item() for p in parameters]


def ratios_grad_denominator(parameters, lr):
    return [((lr * p.grad).std() / p.grad.std()).log10().item() for p in parameters]


def ratios_no_log(parameters, lr):
    return [((lr * p.grad).std() / p.data.std()).item() for p in parameters]


def ratios_tensors(parameters, lr):
    return [((lr * p.grad).std() / p.data.std()).log10() for p in parameters]


def ratios_mean_abs(parameters, lr):
    return [((lr * p.grad).abs().mean() / p.data.abs().mean()).log10().item()
            for p in parameters]


def ratios_math(parameters, lr):
    return [math.log10(lr) + math.log10(p.grad.std().item()) - math.log10(p.detach().std().item())
            for p in parameters]


def ratios_tensor_then_list(parameters, lr):
    return torch.stack([((lr * p.grad).std() / p.data.std()).log10()
                        for p in parameters]).tolist()


WRONG_ANSWERS = [
    ("BatchNorm1d", "unbiased variance to normalise", BNUnbiasedNormalise),
    ("BatchNorm1d", "biased variance in running_var", BNBiasedRunningVar),
    ("BatchNorm1d", "momentum the wrong way round", BNMomentumFlipped),
    ("BatchNorm1d", "running stats updated in eval mode", BNUpdatesInEval),
    ("BatchNorm1d", "eval mode uses the batch statistics", BNEvalBatchStats),
    ("BatchNorm1d", "running stats keep the graph", BNGraphConnected),
    ("BatchNorm1d", "eps outside the sqrt", BNEpsOutside),
    ("BatchNorm1d", "gamma and beta swapped", BNSwapped),
    ("BatchNorm1d", "statistics over dim 1", BNStatsOverDim1),
    ("BatchNorm1d", "eps argument ignored", BNEpsIgnored),
    ("BatchNorm1d", "momentum argument ignored", BNMomentumIgnored),
    ("BatchNorm1d", "output not kept in self.out", BNNoOut),
    ("BatchNorm1d", "everything under no_grad", BNAllNoGrad),
    ("BatchNorm1d", "parameters() as [beta, gamma]", BNParametersSwapped),
    ("BatchNorm1d", "running_var starts at zeros", BNRunningVarZeros),
    ("BatchNorm1d", "starts in eval mode", BNStartsInEval),
    ("BatchNorm1d", "running stats are the last batch's", BNRunningIsBatch),
    ("activation_stats", "Linear and BatchNorm1d layers included", act_all_layers),
    ("activation_stats", "biased std", act_biased_std),
    ("activation_stats", "threshold argument ignored", act_fixed_threshold),
    ("activation_stats", "one tail only (no abs)", act_no_abs),
    ("activation_stats", "a count, not a fraction", act_count),
    ("activation_stats", "tensors, not floats", act_tensors),
    ("activation_stats", "mean of |out|", act_mean_abs),
    ("activation_stats", "std per unit, averaged", act_per_unit_std),
    ("gradient_stats", "stats of the output, not its gradient", grad_of_output),
    ("gradient_stats", "mean of |grad|", grad_abs),
    ("gradient_stats", "biased std", grad_biased_std),
    ("gradient_stats", "every layer with a gradient", grad_all_layers),
    ("gradient_stats", "tensors, not floats", grad_tensors),
    ("update_ratios", "without the learning rate", ratios_no_lr),
    ("update_ratios", "natural log", ratios_natural_log),
    ("update_ratios", "ratio inverted", ratios_inverted),
    ("update_ratios", "divided by the gradient's std", ratios_grad_denominator),
    ("update_ratios", "no log", ratios_no_log),
    ("update_ratios", "tensors, not floats", ratios_tensors),
    ("update_ratios", "mean |.| instead of std", ratios_mean_abs),
]

RIGHT_ANSWERS = [
    ("BatchNorm1d", "detached stats, lerp_ in place, rsqrt", BNDetachInPlace),
    ("BatchNorm1d", "var_mean in float64", BNVarMean),
    ("activation_stats", "a loop in float64, Tanh by class name", act_loop_float64),
    ("gradient_stats", "float64", grad_float64),
    ("update_ratios", "sum of logs with math", ratios_math),
    ("update_ratios", "stacked, then tolist", ratios_tensor_then_list),
]
