"""Checks for chapter 4.1's sections 4-5 (the likelihood, the neural bigram).

Every check runs on small fixed word lists and seeded tensors, never on the chapter's 32 000
names, so that it is fast and its numbers are exact. A wrong value is compared with the values
the usual slips would give (a sum instead of a mean, log10, a missing end bigram, ...) so that
the message can name the slip.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor

from solutions import makemore_bigrams as reference
from utils.checks.assertions import call, describe, passed
from utils.checks.learner_names import reference_names

__all__ = ["test_mean_nll"]

# Names with one to eight letters, a double letter, and every bigram kind (start, middle, end).
SHORT_WORDS = ["emma", "ava", "ann", "anna", "nem", "m"]
WORDS = ["emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia", "harper",
         "evelyn", "abigail", "emily", "elizabeth", "mila", "ella", "avery", "sofia", "camila",
         "aria", "scarlett", "victoria", "madison", "luna", "grace", "chloe", "penelope", "layla",
         "riley", "zoey", "nora", "lily", "eleanor", "hannah", "lillian", "addison", "aubrey",
         "ellie", "stella", "natalie", "zoe", "leah", "hazel", "violet", "aurora", "savannah",
         "audrey", "brooklyn", "bella", "claire", "skylar", "quinn", "jax", "kyle", "wyatt",
         "felix", "xavier", "jude", "dax"]


def _vocab(words: list[str]) -> tuple[dict[str, int], dict[int, str]]:
    return reference.build_vocab(words)


def _random_probs(v: int, seed: int) -> Float[Tensor, "v v"]:
    """A (v, v) row-stochastic float32 matrix with no symmetry, so that P and P.T differ."""
    g = torch.Generator().manual_seed(seed)
    return torch.softmax(torch.randn((v, v), generator=g) * 1.5, dim=1)


def _bigrams(words: list[str], start: bool = True, end: bool = True) -> list[list[tuple[str, str]]]:
    out = []
    for w in words:
        chs = (["."] if start else []) + list(w) + (["."] if end else [])
        out.append(list(zip(chs, chs[1:])))
    return out


def _nll_variants(words: list[str], P: Tensor, stoi: dict[str, int]) -> dict[str, float]:
    """The right value (float64) and what each usual slip gives instead."""
    Pd = P.double()

    def terms(pairs, M=Pd, log=torch.log):
        return [-float(log(M[stoi[a], stoi[b]])) for a, b in pairs]

    per_word = [terms(p) for p in _bigrams(words)]
    flat = [x for t in per_word for x in t]
    mean = sum(flat) / len(flat)
    variants = {
        "right": mean,
        "the sum over all bigrams, not their mean (divide by the number of bigrams)": sum(flat),
        "the mean over names of each name's mean (average over all bigrams at once instead: "
        "a long name has more bigrams and counts for more)":
            sum(sum(t) / len(t) for t in per_word) / len(per_word),
        "the sum divided by the number of names, not of bigrams": sum(flat) / len(words),
        "a log-likelihood, not its negative: the loss is -ln p, which is >= 0": -mean,
        "log base 10: use the natural logarithm (torch.log), the one the softmax and the "
        "cross-entropy use": mean / math.log(10),
        "log base 2: use the natural logarithm (torch.log)": mean / math.log(2),
    }
    for what, start, end in (("without the end bigram (last letter, '.')", True, False),
                             ("without the start bigram ('.', first letter)", False, True),
                             ("without wrapping the names in '.' (no start and end bigrams)",
                              False, False)):
        pairs = [x for p in _bigrams(words, start, end) for x in p]
        if pairs:
            t = terms(pairs)
            variants[what] = sum(t) / len(t)
    t = [x for p in _bigrams(words) for x in terms(p, Pd.T)]
    variants["P[b, a] instead of P[a, b]: row a is what follows a"] = sum(t) / len(t)
    variants["the mean of -ln P over the whole matrix, not over the names' bigrams"] = \
        float(-Pd.log().mean())
    return variants


def _as_number(got: Any, what: str) -> float:
    if isinstance(got, bool) or not isinstance(got, (int, float, Tensor)) and \
            not hasattr(got, "__float__"):
        raise AssertionError(f"mean_nll on {what}: should return a float, got {describe(got)}.")
    if isinstance(got, Tensor) and got.numel() != 1:
        raise AssertionError(f"mean_nll {what}: should return one number (the mean over all "
                             f"bigrams), got a tensor of shape {tuple(got.shape)}.")
    return float(got)


def _close(a: float, b: float, rel: float = 1e-5) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-7)


def test_mean_nll(mean_nll: Callable) -> None:
    v_short = len(_vocab(SHORT_WORDS)[0])
    cases = [
        (SHORT_WORDS, _vocab(SHORT_WORDS)[0], _random_probs(v_short, 0),
         f"{SHORT_WORDS} with a random row-stochastic P over their {v_short} symbols"),
        (["m"], _vocab(SHORT_WORDS)[0], _random_probs(v_short, 1), "['m'] alone"),
    ]
    stoi = _vocab(WORDS)[0]
    counts = reference.bigram_counts(WORDS, stoi)
    cases.append((WORDS[:20], stoi, reference.bigram_probs(counts, 1),
                  f"the first 20 of {len(WORDS)} names, P = bigram_probs of all their counts"))
    cases.append((WORDS, stoi, _random_probs(len(stoi), 2),
                  f"{len(WORDS)} names with a random P over all 27 symbols"))
    for words, stoi, P, what in cases:
        before = P.clone()
        got = _as_number(call(mean_nll, list(words), P, dict(stoi), context=f"on {what}"), what)
        if not torch.equal(P, before):
            raise AssertionError(f"mean_nll changed P on {what}: compute from it, don't modify "
                                 "it in place.")
        variants = _nll_variants(words, P, stoi)
        expected = variants.pop("right")
        if _close(got, expected):
            continue
        slip = next((name for name, value in variants.items() if _close(got, value)), None)
        why = f" That is {slip}." if slip else ""
        raise AssertionError(f"mean_nll on {what}: expected {expected:.6f} (the mean of -ln "
                             f"P[a, b] over all bigrams of the names wrapped in '.'), got "
                             f"{got:.6f}.{why}")
    passed("test_mean_nll")
