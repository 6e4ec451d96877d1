"""Wrong and right answers for chapter 4.2's sections 4-6 (learning rate, embeddings and samples,
the trigram bonus). Each wrong answer is one plausible slip on top of the reference."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from solutions.makemore_mlp import (build_dataset, mlp_logits, train_mlp, trigram_counts,
                                    trigram_nll)

# --- lr_range_test ----------------------------------------------------------------------------


def range_rate_is_exponent(params, X, Y, exponents, batch_size=32, generator=None):
    return train_mlp(params, X, Y, len(exponents), batch_size,
                     lambda step: exponents[step].item(), generator)


def range_fresh_params(params, X, Y, exponents, batch_size=32, generator=None):
    start = {k: v.detach().clone() for k, v in params.items()}
    losses = []
    for e in exponents.tolist():
        copy = {k: v.clone().requires_grad_() for k, v in start.items()}
        losses += train_mlp(copy, X, Y, 1, batch_size, 10 ** e, generator)
    return losses


def range_loss_after_update(params, X, Y, exponents, batch_size=32, generator=None):
    losses = []
    for e in exponents.tolist():
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        loss = F.cross_entropy(mlp_logits(params, X[ix]), Y[ix])
        for p in params.values():
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params.values():
                p -= 10 ** e * p.grad
            losses.append(F.cross_entropy(mlp_logits(params, X[ix]), Y[ix]).item())
    return losses


def range_linear_rates(params, X, Y, exponents, batch_size=32, generator=None):
    rates = torch.linspace(10 ** exponents[0].item(), 10 ** exponents[-1].item(), len(exponents))
    return train_mlp(params, X, Y, len(exponents), batch_size,
                     lambda step: rates[step].item(), generator)


def range_own_linspace(params, X, Y, exponents, batch_size=32, generator=None):
    """Ignores the exponents passed in and makes Karpathy's own."""
    mine = torch.linspace(-3, 0, len(exponents))
    return train_mlp(params, X, Y, len(exponents), batch_size,
                     lambda step: 10 ** mine[step].item(), generator)


def range_natural_exp(params, X, Y, exponents, batch_size=32, generator=None):
    return train_mlp(params, X, Y, len(exponents), batch_size,
                     lambda step: exponents[step].exp().item(), generator)


def range_ignores_batch_size(params, X, Y, exponents, batch_size=32, generator=None):
    return train_mlp(params, X, Y, len(exponents), 32,
                     lambda step: 10 ** exponents[step].item(), generator)


def range_one_short(params, X, Y, exponents, batch_size=32, generator=None):
    """Drops the last step (an off-by-one in a hand-written loop)."""
    return train_mlp(params, X, Y, len(exponents), batch_size,
                     lambda step: 10 ** exponents[step].item(), generator)[:-1]


def range_copies_params(params, X, Y, exponents, batch_size=32, generator=None):
    """Trains a copy, so the caller's parameters are left as they were."""
    copy = {k: v.detach().clone().requires_grad_() for k, v in params.items()}
    return train_mlp(copy, X, Y, len(exponents), batch_size,
                     lambda step: 10 ** exponents[step].item(), generator)


def range_exponents_reversed(params, X, Y, exponents, batch_size=32, generator=None):
    return train_mlp(params, X, Y, len(exponents), batch_size,
                     lambda step: 10 ** exponents.flip(0)[step].item(), generator)


# --- sample_mlp -------------------------------------------------------------------------------


def _sampler(*, dim=1, argmax=False, slide=True, keep_dot=False, start=None, greedy_first=False):
    def sample_mlp(params, n, generator, itos, block_size=3):
        names = []
        with torch.no_grad():
            for _ in range(n):
                context = list(start) if start is not None else [0] * block_size
                chars = []
                while len(chars) < 50:
                    probs = F.softmax(mlp_logits(params, torch.tensor([context])), dim=dim)
                    if argmax:
                        ix = int(probs.argmax())
                    else:
                        ix = torch.multinomial(probs, 1, generator=generator).item()
                    if slide:
                        context = context[1:] + [ix]
                    if ix == 0:
                        if keep_dot:
                            chars.append(itos[ix])
                        break
                    chars.append(itos[ix])
                names.append("".join(chars))
        return names
    return sample_mlp


sample_argmax = _sampler(argmax=True)
sample_no_slide = _sampler(slide=False)
sample_keeps_dot = _sampler(keep_dot=True)
sample_softmax_dim0 = _sampler(dim=0)
sample_fixed_block_three = _sampler(start=[0, 0, 0])


def sample_one_generator_per_name(params, n, generator, itos, block_size=3):
    """Reseeds a fresh generator for every name: all names come out the same."""
    names = []
    for _ in range(n):
        g = torch.Generator().manual_seed(2147483647)
        names += _sampler()(params, 1, g, itos, block_size)
    return names


def sample_prepends_context(params, n, generator, itos, block_size=3):
    """Slides the new symbol in at the front of the context."""
    names = []
    with torch.no_grad():
        for _ in range(n):
            context, chars = [0] * block_size, []
            while len(chars) < 50:
                probs = F.softmax(mlp_logits(params, torch.tensor([context])), dim=1)
                ix = torch.multinomial(probs, 1, generator=generator).item()
                context = [ix] + context[:-1]
                if ix == 0:
                    break
                chars.append(itos[ix])
            names.append("".join(chars))
    return names


# --- trigram_counts ---------------------------------------------------------------------------


def _counter(lead="..", end=".", order=(0, 1, 2), dtype=torch.int64):
    def trigram_counts(words, stoi):
        v = len(stoi)
        N = torch.zeros((v, v, v), dtype=dtype)
        for w in words:
            s = lead + w + end
            for a, b, c in zip(s, s[1:], s[2:]):
                idx = (stoi[a], stoi[b], stoi[c])
                N[tuple(idx[i] for i in order)] += 1
        return N
    return trigram_counts


counts_one_leading_dot = _counter(lead=".")
counts_no_end_dot = _counter(end="")
counts_next_symbol_first = _counter(order=(2, 0, 1))
counts_float = _counter(dtype=torch.float32)


def counts_fixed_27(words, stoi):
    """Assumes 27 symbols whatever the vocabulary."""
    X, Y = build_dataset(words, 2, stoi)
    flat = X[:, 0] * 27 * 27 + X[:, 1] * 27 + Y
    return torch.bincount(flat, minlength=27 ** 3).view(27, 27, 27)


def counts_bincount_no_minlength(words, stoi):
    v = len(stoi)
    X, Y = build_dataset(words, 2, stoi)
    flat = X[:, 0] * v * v + X[:, 1] * v + Y
    return torch.bincount(flat)


def counts_set_not_add(words, stoi):
    """N[...] = 1 marks a trigram as seen instead of counting it."""
    v = len(stoi)
    X, Y = build_dataset(words, 2, stoi)
    N = torch.zeros((v, v, v), dtype=torch.int64)
    N[X[:, 0], X[:, 1], Y] = 1
    return N


def counts_fancy_index_add(words, stoi):
    """`N[i, j, k] += 1` with index tensors: repeated trigrams are counted once."""
    v = len(stoi)
    X, Y = build_dataset(words, 2, stoi)
    N = torch.zeros((v, v, v), dtype=torch.int64)
    N[X[:, 0], X[:, 1], Y] += 1
    return N


# --- trigram_nll ------------------------------------------------------------------------------


def _nll(dim=2, smooth=True, reduce="mean", sign=-1.0, log=torch.log, block=2):
    def trigram_nll(words, N3, smoothing, stoi):
        P = (N3 + (smoothing if smooth else 0)).double()
        P = P / P.sum(dim, keepdim=True)
        X, Y = build_dataset(words, block, stoi)
        lp = log(P[X[:, -2], X[:, -1], Y])
        return (sign * (lp.mean() if reduce == "mean" else lp.sum())).item()
    return trigram_nll


nll_normalise_dim0 = _nll(dim=0)
nll_normalise_dim1 = _nll(dim=1)
nll_no_smoothing = _nll(smooth=False)
nll_sum = _nll(reduce="sum")
nll_positive = _nll(sign=1.0)
nll_log2 = _nll(log=torch.log2)


def nll_one_leading_dot(words, N3, smoothing, stoi):
    P = (N3 + smoothing).double()
    P = P / P.sum(2, keepdim=True)
    total, count = 0.0, 0
    for w in words:
        s = "." + w + "."
        for a, b, c in zip(s, s[1:], s[2:]):
            total -= P[stoi[a], stoi[b], stoi[c]].log().item()
            count += 1
    return total / count


def nll_no_keepdim(words, N3, smoothing, stoi):
    """P.sum(2) without keepdim broadcasts over the wrong axis."""
    P = (N3 + smoothing).double()
    P = P / P.sum(2)
    X, Y = build_dataset(words, 2, stoi)
    return -P[X[:, 0], X[:, 1], Y].log().mean().item()


# --- tune_smoothing ---------------------------------------------------------------------------


def tune_counts_train_and_dev(train_words, dev_words, stoi, candidates):
    N3 = trigram_counts(train_words + dev_words, stoi)
    return {s: trigram_nll(dev_words, N3, s, stoi) for s in candidates}


def tune_measures_on_train(train_words, dev_words, stoi, candidates):
    N3 = trigram_counts(train_words, stoi)
    return {s: trigram_nll(train_words, N3, s, stoi) for s in candidates}


def tune_counts_on_dev(train_words, dev_words, stoi, candidates):
    N3 = trigram_counts(dev_words, stoi)
    return {s: trigram_nll(dev_words, N3, s, stoi) for s in candidates}


def tune_returns_list(train_words, dev_words, stoi, candidates):
    N3 = trigram_counts(train_words, stoi)
    return [trigram_nll(dev_words, N3, s, stoi) for s in candidates]


def tune_string_keys(train_words, dev_words, stoi, candidates):
    N3 = trigram_counts(train_words, stoi)
    return {str(s): trigram_nll(dev_words, N3, s, stoi) for s in candidates}


def tune_returns_best_only(train_words, dev_words, stoi, candidates):
    N3 = trigram_counts(train_words, stoi)
    scores = {s: trigram_nll(dev_words, N3, s, stoi) for s in candidates}
    best = min(scores, key=scores.get)
    return {best: scores[best]}


WRONG_ANSWERS = [
    ("lr_range_test", "uses the exponent as the learning rate", range_rate_is_exponent),
    ("lr_range_test", "starts every step from fresh parameters", range_fresh_params),
    ("lr_range_test", "records the loss after the update", range_loss_after_update),
    ("lr_range_test", "spaces the rates linearly", range_linear_rates),
    ("lr_range_test", "ignores the exponents passed in", range_own_linspace),
    ("lr_range_test", "uses e ** exponent", range_natural_exp),
    ("lr_range_test", "ignores batch_size", range_ignores_batch_size),
    ("lr_range_test", "returns one loss too few", range_one_short),
    ("lr_range_test", "trains a copy of the parameters", range_copies_params),
    ("lr_range_test", "walks the exponents backwards", range_exponents_reversed),
    ("sample_mlp", "takes the argmax", sample_argmax),
    ("sample_mlp", "never slides the context", sample_no_slide),
    ("sample_mlp", "keeps the final '.'", sample_keeps_dot),
    ("sample_mlp", "softmax over dim 0", sample_softmax_dim0),
    ("sample_mlp", "always starts from three dots", sample_fixed_block_three),
    ("sample_mlp", "reseeds a generator per name", sample_one_generator_per_name),
    ("sample_mlp", "slides the new symbol in at the front", sample_prepends_context),
    ("trigram_counts", "one leading dot", counts_one_leading_dot),
    ("trigram_counts", "no closing dot", counts_no_end_dot),
    ("trigram_counts", "next symbol on the first axis", counts_next_symbol_first),
    ("trigram_counts", "float counts", counts_float),
    ("trigram_counts", "assumes 27 symbols", counts_fixed_27),
    ("trigram_counts", "bincount without minlength", counts_bincount_no_minlength),
    ("trigram_counts", "marks instead of counting", counts_set_not_add),
    ("trigram_counts", "fancy-index += counts repeats once", counts_fancy_index_add),
    ("trigram_nll", "normalises over dim 0", nll_normalise_dim0),
    ("trigram_nll", "normalises over dim 1", nll_normalise_dim1),
    ("trigram_nll", "forgets the smoothing", nll_no_smoothing),
    ("trigram_nll", "sums instead of averaging", nll_sum),
    ("trigram_nll", "positive log-likelihood", nll_positive),
    ("trigram_nll", "log2", nll_log2),
    ("trigram_nll", "one leading dot", nll_one_leading_dot),
    ("trigram_nll", "sum without keepdim", nll_no_keepdim),
    ("tune_smoothing", "counts on train and dev", tune_counts_train_and_dev),
    ("tune_smoothing", "measures on train", tune_measures_on_train),
    ("tune_smoothing", "counts on dev", tune_counts_on_dev),
    ("tune_smoothing", "returns a list", tune_returns_list),
    ("tune_smoothing", "string keys", tune_string_keys),
    ("tune_smoothing", "returns only the best", tune_returns_best_only),
]


# --- right answers ----------------------------------------------------------------------------


def range_own_loop(params, X, Y, exponents, batch_size=32, generator=None):
    """Its own loop, rates from torch.pow, losses kept as one-element tensors."""
    rates = torch.pow(10.0, exponents)
    losses = []
    for rate in rates:
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        emb = params["C"][X[ix]]
        h = torch.tanh(emb.view(-1, params["W1"].shape[0]) @ params["W1"] + params["b1"])
        loss = F.cross_entropy(h @ params["W2"] + params["b2"], Y[ix])
        for p in params.values():
            p.grad = None
        loss.backward()
        for p in params.values():
            p.data += -rate.item() * p.grad
        losses.append(loss.detach())
    return losses


def range_returns_tensor(params, X, Y, exponents, batch_size=32, generator=None):
    return torch.tensor(train_mlp(params, X, Y, len(exponents), batch_size,
                                  lambda step: 10 ** exponents[step].item(), generator))


def sample_one_d_multinomial(params, n, generator, itos, block_size=3):
    """Draws from the 1-D row, normalises with exp / sum, builds the name as a list."""
    out = []
    for _ in range(n):
        context, name = [0] * block_size, []
        while True:
            logits = mlp_logits(params, torch.tensor([context])).detach()[0]
            counts = logits.exp()
            ix = int(torch.multinomial(counts / counts.sum(), 1, replacement=True,
                                       generator=generator))
            if ix == 0:
                break
            name.append(itos[ix])
            context = context[1:] + [ix]
        out.append("".join(name))
    return out


def counts_loops_int32(words, stoi):
    v = len(stoi)
    N = torch.zeros((v, v, v), dtype=torch.int32)
    for w in words:
        chs = [".", "."] + list(w) + ["."]
        for a, b, c in zip(chs, chs[1:], chs[2:]):
            N[stoi[a], stoi[b], stoi[c]] += 1
    return N


def counts_index_put_accumulate(words, stoi):
    v = len(stoi)
    X, Y = build_dataset(words, 2, stoi)
    N = torch.zeros((v, v, v), dtype=torch.int64)
    N.index_put_((X[:, 0], X[:, 1], Y), torch.ones_like(Y), accumulate=True)
    return N


def nll_float32_tensor(words, N3, smoothing, stoi):
    """float32 probabilities, a 0-d tensor returned: equal to rounding."""
    P = (N3 + smoothing).float()
    P /= P.sum(-1, keepdim=True)
    X, Y = build_dataset(words, 2, stoi)
    return F.nll_loss(P[X[:, 0], X[:, 1]].log(), Y)


def tune_loops(train_words, dev_words, stoi, candidates):
    scores = {}
    N3 = trigram_counts(train_words, stoi)
    for s in candidates:
        scores[s] = float(trigram_nll(dev_words, N3, s, stoi))
    return scores


RIGHT_ANSWERS = [
    ("lr_range_test", "own loop, tensor losses", range_own_loop),
    ("lr_range_test", "returns a 1-D tensor", range_returns_tensor),
    ("sample_mlp", "1-D multinomial, exp / sum", sample_one_d_multinomial),
    ("trigram_counts", "loops, int32", counts_loops_int32),
    ("trigram_counts", "index_put_ with accumulate", counts_index_put_accumulate),
    ("trigram_nll", "float32, nll_loss, tensor result", nll_float32_tensor),
    ("tune_smoothing", "a loop", tune_loops),
]
