"""Wrong and right answers for chapter 4.4's sections 3-5 (cross-entropy and batch norm backward
in closed form, training with hand-written gradients). Each wrong answer is one plausible slip on
top of the reference."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from solutions.makemore_backprop import batchnorm_backward, cross_entropy_backward, forward_pass

# --- cross_entropy_backward -------------------------------------------------------------------


def ce_no_mean(logits, targets):
    d = torch.softmax(logits, 1)
    d[torch.arange(logits.shape[0]), targets] -= 1
    return d


def ce_no_onehot(logits, targets):
    return torch.softmax(logits, 1) / logits.shape[0]


def ce_softmax_dim0(logits, targets):
    d = torch.softmax(logits, 0)
    d[torch.arange(logits.shape[0]), targets] -= 1
    return d / logits.shape[0]


def ce_in_place(logits, targets):
    """Exponentiates and normalises the caller's logits in place."""
    logits -= logits.max(1, keepdim=True).values
    logits.exp_()
    logits /= logits.sum(1, keepdim=True)
    logits[torch.arange(logits.shape[0]), targets] -= 1
    return logits / logits.shape[0]


def ce_naive_exp(logits, targets):
    counts = logits.exp()
    d = counts / counts.sum(1, keepdim=True)
    d[torch.arange(logits.shape[0]), targets] -= 1
    return d / logits.shape[0]


def ce_sign_flipped(logits, targets):
    return -cross_entropy_backward(logits, targets)


def ce_every_target_column(logits, targets):
    d = torch.softmax(logits, 1)
    d[:, targets] -= 1
    return d / logits.shape[0]


def ce_autograd(logits, targets):
    z = logits.detach().clone().requires_grad_()
    F.cross_entropy(z, targets).backward()
    return z.grad


def ce_autograd_grad(logits, targets):
    z = logits.detach().clone().requires_grad_()
    return torch.autograd.grad(F.cross_entropy(z, targets), z)[0]


def ce_float32_always(logits, targets):
    return cross_entropy_backward(logits.float(), targets)


def ce_divided_by_v(logits, targets):
    d = torch.softmax(logits, 1)
    d[torch.arange(logits.shape[0]), targets] -= 1
    return d / logits.shape[1]


def ce_log_softmax(logits, targets):
    d = torch.log_softmax(logits, 1)
    d[torch.arange(logits.shape[0]), targets] -= 1
    return d / logits.shape[0]


# Right answers


def ce_one_hot(logits, targets):
    n, v = logits.shape
    return (F.softmax(logits, dim=1) - F.one_hot(targets, v).to(logits.dtype)) / n


def ce_by_hand_stable(logits, targets):
    z = logits - logits.max(1, keepdim=True).values
    counts = z.exp()
    probs = counts / counts.sum(1, keepdim=True)
    onehot = torch.zeros_like(probs)
    onehot[range(len(targets)), targets.tolist()] = 1.0
    return (probs - onehot) / len(targets)


def ce_loop(logits, targets):
    out = torch.empty_like(logits)
    n = logits.shape[0]
    for i in range(n):
        p = torch.softmax(logits[i], 0)
        p[targets[i]] -= 1
        out[i] = p / n
    return out


# --- batchnorm_backward -----------------------------------------------------------------------


def _stats(x, eps, unbiased=False):
    n = x.shape[0]
    mean = x.mean(0, keepdim=True)
    var = ((x - mean) ** 2).sum(0, keepdim=True) / (n - 1 if unbiased else n)
    inv = (var + eps) ** -0.5
    return n, inv, (x - mean) * inv


def bn_unbiased(dout, x, gamma, eps=1e-5):
    """Karpathy's lecture formula (Bessel's correction in the forward pass too)."""
    n, inv, xhat = _stats(x, eps, unbiased=True)
    return gamma * inv / n * (n * dout - dout.sum(0) - n / (n - 1) * xhat * (dout * xhat).sum(0))


def bn_bessel_factor_only(dout, x, gamma, eps=1e-5):
    n, inv, xhat = _stats(x, eps)
    return gamma * inv / n * (n * dout - dout.sum(0) - n / (n - 1) * xhat * (dout * xhat).sum(0))


def bn_no_mean_term(dout, x, gamma, eps=1e-5):
    n, inv, xhat = _stats(x, eps)
    return gamma * inv / n * (n * dout - xhat * (dout * xhat).sum(0))


def bn_no_var_term(dout, x, gamma, eps=1e-5):
    n, inv, xhat = _stats(x, eps)
    return gamma * inv / n * (n * dout - dout.sum(0))


def bn_no_direct_term(dout, x, gamma, eps=1e-5):
    n, inv, xhat = _stats(x, eps)
    return gamma * inv / n * (-dout.sum(0) - xhat * (dout * xhat).sum(0))


def bn_no_gamma(dout, x, gamma, eps=1e-5):
    n, inv, xhat = _stats(x, eps)
    return inv / n * (n * dout - dout.sum(0) - xhat * (dout * xhat).sum(0))


def bn_no_eps(dout, x, gamma, eps=1e-5):
    return batchnorm_backward(dout, x, gamma, 0.0)


def bn_default_eps_ignored(dout, x, gamma, eps=1e-5):
    return batchnorm_backward(dout, x, gamma)


def bn_column_sums(dout, x, gamma, eps=1e-5):
    """The batch's sums laid out as a column: a crash, or silently wrong when n == c."""
    n, inv, xhat = _stats(x, eps)
    s1 = dout.sum(0)[:, None]
    s2 = (dout * xhat).sum(0)[:, None]
    return gamma * inv / n * (n * dout - s1 - xhat * s2)


def bn_over_features(dout, x, gamma, eps=1e-5):
    """Layer norm's statistics (over dim 1) instead of the batch's."""
    c = x.shape[1]
    mean = x.mean(1, keepdim=True)
    inv = (((x - mean) ** 2).mean(1, keepdim=True) + eps) ** -0.5
    xhat = (x - mean) * inv
    return gamma * inv / c * (c * dout - dout.sum(1, keepdim=True)
                              - xhat * (dout * xhat).sum(1, keepdim=True))


def bn_sum_dout_twice(dout, x, gamma, eps=1e-5):
    n, inv, xhat = _stats(x, eps)
    return gamma * inv / n * (n * dout - dout.sum(0) - xhat * dout.sum(0))


def bn_in_place(dout, x, gamma, eps=1e-5):
    """Centres the caller's x in place."""
    n = x.shape[0]
    x -= x.mean(0, keepdim=True)
    inv = ((x ** 2).mean(0, keepdim=True) + eps) ** -0.5
    xhat = x * inv
    return gamma * inv / n * (n * dout - dout.sum(0) - xhat * (dout * xhat).sum(0))


def bn_autograd(dout, x, gamma, eps=1e-5):
    z = x.detach().clone().requires_grad_()
    y = F.batch_norm(z, None, None, gamma.reshape(-1), None, training=True, eps=eps)
    (y * dout).sum().backward()
    return z.grad


def bn_std_without_eps_inside(dout, x, gamma, eps=1e-5):
    """1 / (std + eps) instead of 1 / sqrt(var + eps)."""
    n = x.shape[0]
    mean = x.mean(0, keepdim=True)
    inv = 1 / (((x - mean) ** 2).mean(0, keepdim=True).sqrt() + eps)
    xhat = (x - mean) * inv
    return gamma * inv / n * (n * dout - dout.sum(0) - xhat * (dout * xhat).sum(0))


def bn_torch_var_default(dout, x, gamma, eps=1e-5):
    """x.var(0) left at its default, which is the unbiased variance (n - 1)."""
    n = x.shape[0]
    inv = (x.var(0, keepdim=True) + eps) ** -0.5
    xhat = (x - x.mean(0, keepdim=True)) * inv
    return gamma * inv / n * (n * dout - dout.sum(0) - xhat * (dout * xhat).sum(0))


# Right answers


def bn_torch_var(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    xhat = (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + eps)
    dxhat = dout * gamma
    return (n * dxhat - dxhat.sum(0) - xhat * (dxhat * xhat).sum(0)) / (
        n * torch.sqrt(x.var(0, unbiased=False) + eps))


def bn_step_by_step(dout, x, gamma, eps=1e-5):
    """Back through the atoms of the forward pass, one at a time."""
    n = x.shape[0]
    mean = x.sum(0, keepdim=True) / n
    diff = x - mean
    var = (diff ** 2).sum(0, keepdim=True) / n
    var_inv = (var + eps) ** -0.5
    draw = gamma * dout
    dvar_inv = (diff * draw).sum(0, keepdim=True)
    dvar = -0.5 * (var + eps) ** -1.5 * dvar_inv
    ddiff = var_inv * draw + 2 * diff * dvar / n
    dmean = -ddiff.sum(0, keepdim=True)
    return ddiff + dmean / n


# --- train_manual -----------------------------------------------------------------------------


def _grads(p, c, Xb, Yb, unbiased=False, assign=False):
    dlogits = cross_entropy_backward(c["logits"], Yb)
    g = {"W2": c["h"].T @ dlogits, "b2": dlogits.sum(0)}
    dhpreact = (1.0 - c["h"] ** 2) * (dlogits @ p["W2"].T)
    g["bngain"] = (c["bnraw"] * dhpreact).sum(0, keepdim=True)
    g["bnbias"] = dhpreact.sum(0, keepdim=True)
    if unbiased:
        dhprebn = bn_unbiased(dhpreact, c["hprebn"], p["bngain"])
    else:
        dhprebn = batchnorm_backward(dhpreact, c["hprebn"], p["bngain"])
    g["W1"] = c["embcat"].T @ dhprebn
    g["b1"] = dhprebn.sum(0)
    demb = (dhprebn @ p["W1"].T).view(c["emb"].shape)
    g["C"] = torch.zeros_like(p["C"])
    if assign:
        g["C"][Xb] = demb
    else:
        g["C"].index_add_(0, Xb.view(-1), demb.view(-1, demb.shape[-1]))
    return g


def _train(params, X, Y, steps, lr, batch_size, generator, sign=1.0, unbiased=False,
           assign=False, draw=None, skip=()):
    losses = []
    with torch.no_grad():
        for _ in range(steps):
            if draw is None:
                ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
                Xb, Yb = X[ix], Y[ix]
            else:
                Xb, Yb = draw(X, Y, batch_size, generator)
            c = forward_pass(params, Xb, Yb)
            g = _grads(params, c, Xb, Yb, unbiased, assign)
            for name, p in params.items():
                if name not in skip:
                    p -= sign * lr * g[name]
            losses.append(c["loss"].item())
    return losses


def train_gradient_ascent(params, X, Y, steps, lr, batch_size, generator):
    return _train(params, X, Y, steps, lr, batch_size, generator, sign=-1.0)


def train_two_draws(params, X, Y, steps, lr, batch_size, generator):
    def draw(X, Y, b, gen):
        return (X[torch.randint(0, X.shape[0], (b,), generator=gen)],
                Y[torch.randint(0, X.shape[0], (b,), generator=gen)])
    return _train(params, X, Y, steps, lr, batch_size, generator, draw=draw)


def train_without_generator(params, X, Y, steps, lr, batch_size, generator):
    def draw(X, Y, b, gen):
        ix = torch.randint(0, X.shape[0], (b,))
        return X[ix], Y[ix]
    return _train(params, X, Y, steps, lr, batch_size, generator, draw=draw)


def train_dC_assigned(params, X, Y, steps, lr, batch_size, generator):
    return _train(params, X, Y, steps, lr, batch_size, generator, assign=True)


def train_unbiased_bn(params, X, Y, steps, lr, batch_size, generator):
    return _train(params, X, Y, steps, lr, batch_size, generator, unbiased=True)


def train_bn_params_frozen(params, X, Y, steps, lr, batch_size, generator):
    return _train(params, X, Y, steps, lr, batch_size, generator, skip=("bngain", "bnbias"))


def train_with_backward(params, X, Y, steps, lr, batch_size, generator):
    losses = []
    for _ in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        c = forward_pass(params, X[ix], Y[ix])
        for p in params.values():
            p.grad = None
        c["loss"].backward()
        with torch.no_grad():
            for p in params.values():
                p -= lr * p.grad
        losses.append(c["loss"].item())
    return losses


def train_graph_recorded(params, X, Y, steps, lr, batch_size, generator):
    """Hand-written gradients, but the forward pass outside no_grad (a graph every step)."""
    losses = []
    for _ in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        c = forward_pass(params, X[ix], Y[ix])
        c = {k: v.detach() for k, v in c.items()}
        g = _grads({k: v.detach() for k, v in params.items()}, c, X[ix], Y[ix])
        for name, p in params.items():
            p.data -= lr * g[name]
        losses.append(c["loss"].item())
    return losses


def train_loss_tensors(params, X, Y, steps, lr, batch_size, generator):
    return [torch.tensor(v) for v in _train(params, X, Y, steps, lr, batch_size, generator)]


def train_params_replaced(params, X, Y, steps, lr, batch_size, generator):
    losses = []
    with torch.no_grad():
        for _ in range(steps):
            ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
            c = forward_pass(params, X[ix], Y[ix])
            g = _grads(params, c, X[ix], Y[ix])
            for name in list(params):
                params[name] = params[name] - lr * g[name]
            losses.append(c["loss"].item())
    return losses


# Right answers


def train_requires_grad_off(params, X, Y, steps, lr, batch_size, generator):
    """Switches autograd off on the parameters instead of using no_grad."""
    for p in params.values():
        p.requires_grad_(False)
    return _train(params, X, Y, steps, lr, batch_size, generator)


def train_loop_dC(params, X, Y, steps, lr, batch_size, generator):
    """Karpathy's loop over the minibatch for dC, and p.data updates."""
    losses = []
    with torch.no_grad():
        for _ in range(steps):
            ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
            Xb, Yb = X[ix], Y[ix]
            c = forward_pass(params, Xb, Yb)
            g = _grads(params, c, Xb, Yb)
            demb = ((batchnorm_backward(
                (1.0 - c["h"] ** 2) * (cross_entropy_backward(c["logits"], Yb) @ params["W2"].T),
                c["hprebn"], params["bngain"])) @ params["W1"].T).view(c["emb"].shape)
            dC = torch.zeros_like(params["C"])
            for k in range(Xb.shape[0]):
                for j in range(Xb.shape[1]):
                    dC[Xb[k, j]] += demb[k, j]
            g["C"] = dC
            for name, p in params.items():
                p.data += -lr * g[name]
            losses.append(float(c["loss"]))
    return losses


WRONG_ANSWERS = [
    ("cross_entropy_backward", "no division by n", ce_no_mean),
    ("cross_entropy_backward", "one-hot not subtracted", ce_no_onehot),
    ("cross_entropy_backward", "softmax over dim 0", ce_softmax_dim0),
    ("cross_entropy_backward", "logits changed in place", ce_in_place),
    ("cross_entropy_backward", "naive exp overflows", ce_naive_exp),
    ("cross_entropy_backward", "sign flipped", ce_sign_flipped),
    ("cross_entropy_backward", "d[:, targets] -= 1", ce_every_target_column),
    ("cross_entropy_backward", "autograd's .backward()", ce_autograd),
    ("cross_entropy_backward", "torch.autograd.grad", ce_autograd_grad),
    ("cross_entropy_backward", "float32 for float64 logits", ce_float32_always),
    ("cross_entropy_backward", "divided by v", ce_divided_by_v),
    ("cross_entropy_backward", "log-softmax", ce_log_softmax),
    ("batchnorm_backward", "unbiased variance (Karpathy's n - 1)", bn_unbiased),
    ("batchnorm_backward", "n / (n - 1) on the biased variance", bn_bessel_factor_only),
    ("batchnorm_backward", "term through the mean missing", bn_no_mean_term),
    ("batchnorm_backward", "term through the variance missing", bn_no_var_term),
    ("batchnorm_backward", "direct term missing", bn_no_direct_term),
    ("batchnorm_backward", "gamma missing", bn_no_gamma),
    ("batchnorm_backward", "eps ignored", bn_no_eps),
    ("batchnorm_backward", "eps argument ignored (default used)", bn_default_eps_ignored),
    ("batchnorm_backward", "sums as a column", bn_column_sums),
    ("batchnorm_backward", "statistics over dim 1", bn_over_features),
    ("batchnorm_backward", "sum(dout) in the variance term", bn_sum_dout_twice),
    ("batchnorm_backward", "x centred in place", bn_in_place),
    ("batchnorm_backward", "autograd", bn_autograd),
    ("batchnorm_backward", "1 / (std + eps)", bn_std_without_eps_inside),
    ("batchnorm_backward", "x.var(0) at its default (unbiased)", bn_torch_var_default),
    ("train_manual", "gradient ascent (+lr)", train_gradient_ascent),
    ("train_manual", "X and Y from two draws", train_two_draws),
    ("train_manual", "minibatch drawn without the generator", train_without_generator),
    ("train_manual", "dC[Xb] = demb", train_dC_assigned),
    ("train_manual", "unbiased batch norm", train_unbiased_bn),
    ("train_manual", "bngain and bnbias not updated", train_bn_params_frozen),
    ("train_manual", "loss.backward()", train_with_backward),
    ("train_manual", "forward pass records a graph", train_graph_recorded),
    ("train_manual", "losses as tensors", train_loss_tensors),
    ("train_manual", "parameters replaced, not updated in place", train_params_replaced),
]

RIGHT_ANSWERS = [
    ("cross_entropy_backward", "F.one_hot", ce_one_hot),
    ("cross_entropy_backward", "stable softmax by hand", ce_by_hand_stable),
    ("cross_entropy_backward", "row by row", ce_loop),
    ("batchnorm_backward", "torch.var(unbiased=False), gamma first", bn_torch_var),
    ("batchnorm_backward", "back through the atoms", bn_step_by_step),
    ("train_manual", "requires_grad switched off", train_requires_grad_off),
    ("train_manual", "dC by a loop, p.data updates", train_loop_dC),
]
