"""Wrong and right answers for chapter 4.1's sections 4-5 (the likelihood, the neural bigram).
Each wrong answer is one plausible slip on top of the reference."""

from __future__ import annotations

import math

import numpy as np
import torch

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
]
RIGHT_ANSWERS: list = [
    ("mean_nll", "vectorised, a 0-d float32 tensor", nll_vectorised_tensor),
    ("mean_nll", "numpy in float64", nll_numpy),
]
