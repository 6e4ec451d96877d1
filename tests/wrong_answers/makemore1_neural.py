"""Wrong and right answers for chapter 4.1's sections 4-5 (the likelihood, the neural bigram).
Each wrong answer is one plausible slip on top of the reference."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from solutions.makemore_bigrams import neural_bigram_loss

# --- mean_nll ----------------------------------------------------------------------------------


def _pairs(w: str, start: bool = True, end: bool = True) -> list[tuple[str, str]]:
    chs = (["."] if start else []) + list(w) + (["."] if end else [])
    return list(zip(chs, chs[1:]))


def nll_sum(words, P, stoi):
    return sum(-math.log(P[stoi[a], stoi[b]].item()) for w in words for a, b in _pairs(w))


def nll_mean_of_word_means(words, P, stoi):
    means = [sum(-math.log(P[stoi[a], stoi[b]].item()) for a, b in _pairs(w)) / (len(w) + 1)
             for w in words]
    return sum(means) / len(means)


def nll_divided_by_words(words, P, stoi):
    return nll_sum(words, P, stoi) / len(words)


def nll_no_end(words, P, stoi):
    terms = [-math.log(P[stoi[a], stoi[b]].item()) for w in words for a, b in _pairs(w, end=False)]
    return sum(terms) / len(terms)


def nll_no_start(words, P, stoi):
    terms = [-math.log(P[stoi[a], stoi[b]].item()) for w in words
             for a, b in _pairs(w, start=False)]
    return sum(terms) / len(terms)


def nll_no_wrap(words, P, stoi):
    terms = [-math.log(P[stoi[a], stoi[b]].item()) for w in words for a, b in zip(w, w[1:])]
    return sum(terms) / max(len(terms), 1)


def nll_log10(words, P, stoi):
    terms = [-math.log10(P[stoi[a], stoi[b]].item()) for w in words for a, b in _pairs(w)]
    return sum(terms) / len(terms)


def nll_log2(words, P, stoi):
    terms = [-math.log2(P[stoi[a], stoi[b]].item()) for w in words for a, b in _pairs(w)]
    return sum(terms) / len(terms)


def nll_positive_log_likelihood(words, P, stoi):
    terms = [math.log(P[stoi[a], stoi[b]].item()) for w in words for a, b in _pairs(w)]
    return sum(terms) / len(terms)


def nll_transposed(words, P, stoi):
    terms = [-math.log(P[stoi[b], stoi[a]].item()) for w in words for a, b in _pairs(w)]
    return sum(terms) / len(terms)


def nll_whole_matrix(words, P, stoi):
    return float(-P.log().mean())


def nll_ord_indices(words, P, stoi):
    """Indices from the alphabet instead of the vocabulary it was given."""
    def ix(c):
        return 0 if c == "." else ord(c) - ord("a") + 1
    terms = [-math.log(P[ix(a), ix(b)].item()) for w in words for a, b in _pairs(w)]
    return sum(terms) / len(terms)


def nll_list_of_terms(words, P, stoi):
    """Returns the per-bigram terms, not their mean."""
    return [-math.log(P[stoi[a], stoi[b]].item()) for w in words for a, b in _pairs(w)]


def nll_probability_not_log(words, P, stoi):
    """The mean probability, without the log."""
    terms = [P[stoi[a], stoi[b]].item() for w in words for a, b in _pairs(w)]
    return sum(terms) / len(terms)


# Right: vectorised in float32, returning a 0-d tensor; numpy in float64.


def nll_vectorised_tensor(words, P, stoi):
    xs = torch.tensor([stoi[a] for w in words for a, _ in _pairs(w)])
    ys = torch.tensor([stoi[b] for w in words for _, b in _pairs(w)])
    return -P[xs, ys].log().mean()


def nll_numpy(words, P, stoi):
    Pn = P.double().numpy()
    return float(np.mean([-np.log(Pn[stoi[a], stoi[b]]) for w in words for a, b in _pairs(w)]))


# --- bigram_pairs ------------------------------------------------------------------------------


def _walk(words, stoi, start=True, end=True):
    firsts, seconds = [], []
    for w in words:
        chs = (["."] if start else []) + list(w) + (["."] if end else [])
        firsts += [stoi[c] for c in chs[:-1]]
        seconds += [stoi[c] for c in chs[1:]]
    return firsts, seconds


def pairs_swapped(words, stoi):
    f, s = _walk(words, stoi)
    return torch.tensor(s), torch.tensor(f)


def pairs_no_end(words, stoi):
    f, s = _walk(words, stoi, end=False)
    return torch.tensor(f), torch.tensor(s)


def pairs_no_start(words, stoi):
    f, s = _walk(words, stoi, start=False)
    return torch.tensor(f), torch.tensor(s)


def pairs_lists(words, stoi):
    return _walk(words, stoi)


def pairs_int32(words, stoi):
    f, s = _walk(words, stoi)
    return torch.tensor(f, dtype=torch.int32), torch.tensor(s, dtype=torch.int32)


def pairs_float(words, stoi):
    f, s = _walk(words, stoi)
    return torch.tensor(f, dtype=torch.float32), torch.tensor(s, dtype=torch.float32)


def pairs_stacked(words, stoi):
    f, s = _walk(words, stoi)
    return torch.tensor([f, s]), torch.tensor(s)


def pairs_deduplicated(words, stoi):
    """Each distinct bigram once."""
    f, s = _walk(words, stoi)
    unique = sorted(set(zip(f, s)))
    return torch.tensor([a for a, _ in unique]), torch.tensor([b for _, b in unique])


def pairs_sorted(words, stoi):
    f, s = _walk(words, stoi)
    ordered = sorted(zip(f, s))
    return torch.tensor([a for a, _ in ordered]), torch.tensor([b for _, b in ordered])


def pairs_numpy(words, stoi):
    f, s = _walk(words, stoi)
    return np.array(f), np.array(s)


# --- neural_bigram_loss and fast_bigram_loss -------------------------------------------------


def _probs(W, xs):
    counts = (F.one_hot(xs, num_classes=W.shape[0]).float() @ W).exp()
    return counts / counts.sum(1, keepdim=True)


def loss_no_reg(W, xs, ys, regularization=0.01):
    return -_probs(W, xs)[torch.arange(len(ys)), ys].log().mean()


def loss_reg_sum(W, xs, ys, regularization=0.01):
    return loss_no_reg(W, xs, ys) + regularization * (W ** 2).sum()


def loss_reg_unsquared(W, xs, ys, regularization=0.01):
    return loss_no_reg(W, xs, ys) + regularization * W.mean()


def loss_nll_sum(W, xs, ys, regularization=0.01):
    return -_probs(W, xs)[torch.arange(len(ys)), ys].log().sum() + \
        regularization * (W ** 2).mean()


def loss_log10(W, xs, ys, regularization=0.01):
    return -_probs(W, xs)[torch.arange(len(ys)), ys].log10().mean() + \
        regularization * (W ** 2).mean()


def loss_positive(W, xs, ys, regularization=0.01):
    return _probs(W, xs)[torch.arange(len(ys)), ys].log().mean() + \
        regularization * (W ** 2).mean()


def loss_rows_by_ys(W, xs, ys, regularization=0.01):
    return neural_bigram_loss(W, ys, ys, regularization)


def loss_column_softmax(W, xs, ys, regularization=0.01):
    counts = (F.one_hot(xs, num_classes=W.shape[0]).float() @ W).exp()
    probs = counts / counts.sum(0, keepdim=True)
    return -probs[torch.arange(len(ys)), ys].log().mean() + regularization * (W ** 2).mean()


def loss_no_keepdim(W, xs, ys, regularization=0.01):
    counts = (F.one_hot(xs, num_classes=W.shape[0]).float() @ W).exp()
    probs = counts / counts.sum(1)
    return -probs[torch.arange(len(ys)), ys].log().mean() + regularization * (W ** 2).mean()


def loss_every_probability(W, xs, ys, regularization=0.01):
    return -_probs(W, xs).log().mean() + regularization * (W ** 2).mean()


def loss_item(W, xs, ys, regularization=0.01):
    return neural_bigram_loss(W, xs, ys, regularization).item()


def loss_detached(W, xs, ys, regularization=0.01):
    return neural_bigram_loss(W.detach(), xs, ys, regularization)


def loss_ignores_regularization_argument(W, xs, ys, regularization=0.01):
    return neural_bigram_loss(W, xs, ys, 0.01)


def loss_no_exp(W, xs, ys, regularization=0.01):
    logits = F.one_hot(xs, num_classes=W.shape[0]).float() @ W
    probs = logits / logits.sum(1, keepdim=True)
    return -probs[torch.arange(len(ys)), ys].log().mean() + regularization * (W ** 2).mean()


def loss_cross_entropy(W, xs, ys, regularization=0.01):
    return F.cross_entropy(F.one_hot(xs, num_classes=W.shape[0]).float() @ W, ys) + \
        regularization * (W ** 2).mean()


def loss_log_softmax(W, xs, ys, regularization=0.01):
    logits = F.one_hot(xs, num_classes=W.shape[0]).float() @ W
    return -logits.log_softmax(1)[torch.arange(len(ys)), ys].mean() + \
        regularization * (W ** 2).mean()


def fast_no_reg(W, xs, ys, regularization=0.01):
    return F.cross_entropy(W[xs], ys)


def fast_on_probabilities(W, xs, ys, regularization=0.01):
    return F.cross_entropy(W[xs].softmax(1), ys) + regularization * (W ** 2).mean()


def fast_rows_by_ys(W, xs, ys, regularization=0.01):
    return F.cross_entropy(W[ys], ys) + regularization * (W ** 2).mean()


def fast_columns(W, xs, ys, regularization=0.01):
    return F.cross_entropy(W[:, xs].T, ys) + regularization * (W ** 2).mean()


def fast_reg_sum(W, xs, ys, regularization=0.01):
    return F.cross_entropy(W[xs], ys) + regularization * (W ** 2).sum()


def fast_reduction_sum(W, xs, ys, regularization=0.01):
    return F.cross_entropy(W[xs], ys, reduction="sum") + regularization * (W ** 2).mean()


def fast_nll_loss_on_logits(W, xs, ys, regularization=0.01):
    return F.nll_loss(W[xs], ys) + regularization * (W ** 2).mean()


def fast_still_one_hot(W, xs, ys, regularization=0.01):
    return F.cross_entropy(F.one_hot(xs, W.shape[0]).float() @ W, ys) + \
        regularization * (W ** 2).mean()


def fast_eye_one_hot(W, xs, ys, regularization=0.01):
    """One-hot rows from the identity matrix instead of F.one_hot: still a product with W."""
    return F.cross_entropy(torch.eye(W.shape[0])[xs] @ W, ys) + regularization * (W ** 2).mean()


def fast_index_select(W, xs, ys, regularization=0.01):
    return F.cross_entropy(W.index_select(0, xs), ys) + regularization * W.pow(2).mean()


def fast_log_softmax_gather(W, xs, ys, regularization=0.01):
    logp = W[xs].log_softmax(1)
    return -logp.gather(1, ys[:, None]).mean() + regularization * (W ** 2).mean()


# --- train_neural_bigram -------------------------------------------------------------------------


def _train(xs, ys, vocab_size=27, steps=100, lr=50.0, regularization=0.01, generator=None, *,
           reset=True, sign=-1.0, record_after=False, draw=None):
    W = (draw or (lambda: torch.randn((vocab_size, vocab_size), generator=generator)))()
    W.requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = neural_bigram_loss(W, xs, ys, regularization)
        if not record_after:
            losses.append(loss.item())
        if reset:
            W.grad = None
        loss.backward()
        with torch.no_grad():
            W += sign * lr * W.grad
        if record_after:
            losses.append(neural_bigram_loss(W, xs, ys, regularization).item())
    return W.detach(), losses


def train_no_reset(xs, ys, vocab_size=27, steps=100, lr=50.0, regularization=0.01,
                   generator=None):
    return _train(xs, ys, vocab_size, steps, lr, regularization, generator, reset=False)


def train_ascends(xs, ys, vocab_size=27, steps=100, lr=50.0, regularization=0.01,
                  generator=None):
    return _train(xs, ys, vocab_size, steps, lr, regularization, generator, sign=1.0)


def train_records_after(xs, ys, vocab_size=27, steps=100, lr=50.0, regularization=0.01,
                        generator=None):
    return _train(xs, ys, vocab_size, steps, lr, regularization, generator, record_after=True)


def train_unseeded(xs, ys, vocab_size=27, steps=100, lr=50.0, regularization=0.01,
                   generator=None):
    return _train(xs, ys, vocab_size, steps, lr, regularization, generator,
                  draw=lambda: torch.randn((vocab_size, vocab_size)))


def train_zeros(xs, ys, vocab_size=27, steps=100, lr=50.0, regularization=0.01, generator=None):
    return _train(xs, ys, vocab_size, steps, lr, regularization, generator,
                  draw=lambda: torch.zeros((vocab_size, vocab_size)))


def train_fixed_lr(xs, ys, vocab_size=27, steps=100, lr=50.0, regularization=0.01,
                   generator=None):
    return _train(xs, ys, vocab_size, steps, 0.1, regularization, generator)


def train_ignores_regularization(xs, ys, vocab_size=27, steps=100, lr=50.0, regularization=0.01,
                                 generator=None):
    return _train(xs, ys, vocab_size, steps, lr, 0.0, generator)


def train_default_regularization(xs, ys, vocab_size=27, steps=100, lr=50.0,
                                 regularization=0.01, generator=None):
    """Calls neural_bigram_loss(W, xs, ys) without the regularization: its default 0.01."""
    return _train(xs, ys, vocab_size, steps, lr, 0.01, generator)


def train_one_step_short(xs, ys, vocab_size=27, steps=100, lr=50.0, regularization=0.01,
                         generator=None):
    return _train(xs, ys, vocab_size, steps - 1, lr, regularization, generator)


def train_returns_initial_W(xs, ys, vocab_size=27, steps=100, lr=50.0, regularization=0.01,
                            generator=None):
    W0 = torch.randn((vocab_size, vocab_size), generator=generator)
    W = W0.clone().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = neural_bigram_loss(W, xs, ys, regularization)
        losses.append(loss.item())
        W.grad = None
        loss.backward()
        with torch.no_grad():
            W -= lr * W.grad
    return W0, losses


def train_with_sgd(xs, ys, vocab_size=27, steps=100, lr=50.0, regularization=0.01,
                   generator=None):
    W = torch.randn((vocab_size, vocab_size), generator=generator, requires_grad=True)
    optimizer = torch.optim.SGD([W], lr=lr)
    losses = []
    for _ in range(steps):
        loss = neural_bigram_loss(W, xs, ys, regularization)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return W, losses


def train_data_update(xs, ys, vocab_size=27, steps=100, lr=50.0, regularization=0.01,
                      generator=None):
    W = torch.randn((vocab_size, vocab_size), generator=generator, requires_grad=True)
    losses = []
    for _ in range(steps):
        loss = neural_bigram_loss(W, xs, ys, regularization)
        losses.append(loss.item())
        if W.grad is not None:
            W.grad.zero_()
        loss.backward()
        W.data += -lr * W.grad
    return W.detach(), losses


WRONG_ANSWERS: list = [
    ("mean_nll", "sum instead of mean", nll_sum),
    ("mean_nll", "mean over words of each word's mean", nll_mean_of_word_means),
    ("mean_nll", "sum divided by the number of words", nll_divided_by_words),
    ("mean_nll", "missing the end bigram", nll_no_end),
    ("mean_nll", "missing the start bigram", nll_no_start),
    ("mean_nll", "names not wrapped in '.'", nll_no_wrap),
    ("mean_nll", "log10", nll_log10),
    ("mean_nll", "log2", nll_log2),
    ("mean_nll", "positive log-likelihood", nll_positive_log_likelihood),
    ("mean_nll", "P[b, a] instead of P[a, b]", nll_transposed),
    ("mean_nll", "mean of -log over the whole matrix", nll_whole_matrix),
    ("mean_nll", "indices from ord(c) instead of stoi", nll_ord_indices),
    ("mean_nll", "a list of the terms, not their mean", nll_list_of_terms),
    ("mean_nll", "mean probability, no log", nll_probability_not_log),
    ("bigram_pairs", "xs and ys swapped", pairs_swapped),
    ("bigram_pairs", "no end bigrams", pairs_no_end),
    ("bigram_pairs", "no start bigrams", pairs_no_start),
    ("bigram_pairs", "lists, not tensors", pairs_lists),
    ("bigram_pairs", "int32", pairs_int32),
    ("bigram_pairs", "float indices", pairs_float),
    ("bigram_pairs", "xs stacked with ys into 2-D", pairs_stacked),
    ("bigram_pairs", "each distinct bigram once", pairs_deduplicated),
    ("bigram_pairs", "sorted, not in word order", pairs_sorted),
    ("bigram_pairs", "numpy arrays", pairs_numpy),
    ("neural_bigram_loss", "no regularization term", loss_no_reg),
    ("neural_bigram_loss", "regularization on the sum of W^2", loss_reg_sum),
    ("neural_bigram_loss", "regularization on W, not W^2", loss_reg_unsquared),
    ("neural_bigram_loss", "sum of -log p, not the mean", loss_nll_sum),
    ("neural_bigram_loss", "log10", loss_log10),
    ("neural_bigram_loss", "positive log-likelihood", loss_positive),
    ("neural_bigram_loss", "rows picked by ys", loss_rows_by_ys),
    ("neural_bigram_loss", "softmax over columns", loss_column_softmax),
    ("neural_bigram_loss", "row sum without keepdim", loss_no_keepdim),
    ("neural_bigram_loss", "mean over every probability", loss_every_probability),
    ("neural_bigram_loss", "returns loss.item()", loss_item),
    ("neural_bigram_loss", "computed from W.detach()", loss_detached),
    ("neural_bigram_loss", "regularization argument ignored", loss_ignores_regularization_argument),
    ("neural_bigram_loss", "normalizes logits without exp", loss_no_exp),
    ("train_neural_bigram", "gradient never reset", train_no_reset),
    ("train_neural_bigram", "steps up the gradient", train_ascends),
    ("train_neural_bigram", "losses recorded after the update", train_records_after),
    ("train_neural_bigram", "W drawn without the generator", train_unseeded),
    ("train_neural_bigram", "W starts at zeros", train_zeros),
    ("train_neural_bigram", "lr ignored", train_fixed_lr),
    ("train_neural_bigram", "regularization not passed on", train_ignores_regularization),
    ("train_neural_bigram", "regularization left at the loss's default 0.01",
     train_default_regularization),
    ("train_neural_bigram", "one step short", train_one_step_short),
    ("train_neural_bigram", "returns the initial W", train_returns_initial_W),
    ("fast_bigram_loss", "no regularization term", fast_no_reg),
    ("fast_bigram_loss", "cross_entropy on probabilities", fast_on_probabilities),
    ("fast_bigram_loss", "W[ys] instead of W[xs]", fast_rows_by_ys),
    ("fast_bigram_loss", "columns W[:, xs] instead of rows", fast_columns),
    ("fast_bigram_loss", "regularization on the sum", fast_reg_sum),
    ("fast_bigram_loss", "reduction='sum'", fast_reduction_sum),
    ("fast_bigram_loss", "nll_loss on logits", fast_nll_loss_on_logits),
    ("fast_bigram_loss", "still builds one-hot vectors", fast_still_one_hot),
    ("fast_bigram_loss", "one-hot rows from torch.eye, times W", fast_eye_one_hot),
]
RIGHT_ANSWERS: list = [
    ("mean_nll", "vectorised, a 0-d float32 tensor", nll_vectorised_tensor),
    ("mean_nll", "numpy in float64", nll_numpy),
    ("neural_bigram_loss", "F.cross_entropy on the one-hot logits", loss_cross_entropy),
    ("neural_bigram_loss", "log_softmax", loss_log_softmax),
    ("fast_bigram_loss", "index_select and pow", fast_index_select),
    ("fast_bigram_loss", "log_softmax and gather", fast_log_softmax_gather),
    ("train_neural_bigram", "torch.optim.SGD, W not detached", train_with_sgd),
    ("train_neural_bigram", "W.data updates, grad.zero_()", train_data_update),
]
