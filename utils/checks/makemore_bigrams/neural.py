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
from jaxtyping import Float
from torch import Tensor

from solutions import makemore_bigrams as reference
from utils.checks.variant_names import case_words
from utils.checks.assertions import call, describe, passed
from utils.checks.learner_names import reference_names

__all__ = ["test_mean_nll", "test_bigram_pairs", "test_neural_bigram_loss",
           "test_train_neural_bigram", "test_fast_bigram_loss"]

# Names with one to eight letters, a double letter, and every bigram kind (start, middle, end).
SHORT_WORDS = ["emma", "ava", "ann", "anna", "nem", "m"]
WORDS = ["emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia", "harper",
         "evelyn", "abigail", "emily", "elizabeth", "mila", "ella", "avery", "sofia", "camila",
         "aria", "scarlett", "victoria", "madison", "luna", "grace", "chloe", "penelope", "layla",
         "riley", "zoey", "nora", "lily", "eleanor", "hannah", "lillian", "addison", "aubrey",
         "ellie", "stella", "natalie", "zoe", "leah", "hazel", "violet", "aurora", "savannah",
         "audrey", "brooklyn", "bella", "claire", "skylar", "quinn", "jax", "kyle", "wyatt",
         "felix", "xavier", "jude", "dax"]


def _words() -> list[str]:
    """WORDS, or on the new specification as many rarer names (variant_names.case_words)."""
    return case_words(WORDS)


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
    words = _words()
    stoi = _vocab(words)[0]
    counts = reference.bigram_counts(words, stoi)
    cases.append((words[:20], stoi, reference.bigram_probs(counts, 1),
                  f"the first 20 of {len(words)} names, P = bigram_probs of all their counts"))
    cases.append((words, stoi, _random_probs(len(stoi), 2),
                  f"{len(words)} names with a random P over all 27 symbols"))
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


# ---------------------------------------------------------------------------------------------
# Section 5


def _pairs_of(words: list[str], stoi: dict[str, int], start: bool = True, end: bool = True
              ) -> tuple[list[int], list[int]]:
    flat = [x for p in _bigrams(words, start, end) for x in p]
    return [stoi[a] for a, _ in flat], [stoi[b] for _, b in flat]


def _index_tensor(got: Any, name: str, what: str) -> Tensor:
    if not isinstance(got, Tensor):
        raise AssertionError(f"bigram_pairs on {what}: {name} should be a tensor, got "
                             f"{describe(got)}.")
    if got.dtype != torch.int64:
        raise AssertionError(f"bigram_pairs on {what}: {name} should have dtype torch.int64 "
                             f"(what F.one_hot, indexing and F.cross_entropy's targets need), got "
                             f"{got.dtype}. Pass dtype=torch.int64 to torch.tensor.")
    if got.dim() != 1:
        raise AssertionError(f"bigram_pairs on {what}: {name} should be 1-D, one entry per "
                             f"bigram, got shape {tuple(got.shape)}.")
    return got


def test_bigram_pairs(bigram_pairs: Callable) -> None:
    names = _words()
    stoi_all = _vocab(names)[0]
    for words, stoi in ((["emma"], stoi_all), (SHORT_WORDS, _vocab(SHORT_WORDS)[0]),
                        (names, stoi_all)):
        what = f"{words}" if len(words) < 8 else f"{len(words)} names"
        got = call(bigram_pairs, list(words), dict(stoi), context=f"on {what}")
        if not isinstance(got, tuple) or len(got) != 2:
            raise AssertionError(f"bigram_pairs on {what}: should return a pair (xs, ys), got "
                                 f"{describe(got)}.")
        xs = _index_tensor(got[0], "xs", what)
        ys = _index_tensor(got[1], "ys", what)
        ex, ey = _pairs_of(words, stoi)
        if xs.tolist() == ex and ys.tolist() == ey:
            continue
        got_x, got_y = xs.tolist(), ys.tolist()
        hint = ""
        if got_x == ey and got_y == ex:
            hint = " xs and ys are swapped: xs holds the first symbol of each bigram."
        elif (got_x, got_y) == _pairs_of(words, stoi, end=False):
            hint = " The end bigrams (last letter, '.') are missing."
        elif (got_x, got_y) == _pairs_of(words, stoi, start=False):
            hint = " The start bigrams ('.', first letter) are missing."
        elif (got_x, got_y) == _pairs_of(words, stoi, False, False):
            hint = " The names are not wrapped in '.' at both ends."
        elif len(got_x) == len(ex) and sorted(zip(got_x, got_y)) == sorted(zip(ex, ey)):
            hint = " The right bigrams in another order: keep word order, left to right."
        elif len(got_x) != len(ex):
            hint = f" There should be {len(ex)} bigrams (a name of k letters has k + 1), got " \
                   f"{len(got_x)}."
        raise AssertionError(f"bigram_pairs on {what}: expected xs = {_short(ex)} and ys = "
                             f"{_short(ey)}, got xs = {_short(got_x)} and ys = "
                             f"{_short(got_y)}.{hint}")
    passed("test_bigram_pairs")


def _short(values: list[int], most: int = 12) -> str:
    text = ", ".join(str(v) for v in values[:most])
    return f"[{text}{', ...' if len(values) > most else ''}] ({len(values)} entries)"


def _loss_cases() -> list[tuple[Tensor, Tensor, Tensor, float, str]]:
    """(W, xs, ys, regularization, description): seeded weights on fixed names. The first has
    as many bigrams as symbols, where a missing keepdim broadcasts without an error."""
    g = torch.Generator().manual_seed(3)
    short = _vocab(SHORT_WORDS)[0]
    v = len(short)
    sx, sy = (torch.tensor(t)[:v] for t in _pairs_of(["emma", "m"], short))
    cases = [(torch.randn((v, v), generator=g), sx, sy, 0.0,
              f"{v} bigrams over {v} symbols, regularization=0.0")]
    words = _words()
    stoi = _vocab(words)[0]
    xs, ys = (torch.tensor(t) for t in _pairs_of(words[:12], stoi))
    cases.append((torch.randn((27, 27), generator=g) + 0.5, xs, ys, 0.1,
                  f"the {len(xs)} bigrams of 12 names, W = randn((27, 27)) + 0.5 seeded, "
                  "regularization=0.1"))
    cases.append((torch.randn((27, 27), generator=g) * 2, xs, ys, 0.01,
                  f"the same {len(xs)} bigrams, W = 2 * randn((27, 27)), regularization=0.01"))
    return cases


def _loss_variants(W: Tensor, xs: Tensor, ys: Tensor, reg: float) -> dict[str, float]:
    """What the usual slips give, in float64."""
    Wd = W.double()
    n, v = len(xs), W.shape[0]
    logits = Wd[xs]
    counts = logits.exp()
    rows = torch.arange(n)
    probs = counts / counts.sum(1, keepdim=True)
    pen = reg * (Wd ** 2).mean()
    nll = -probs[rows, ys].log().mean()
    out = {
        "right": float(nll + pen),
        "the data loss without the regularization term (add regularization * (W ** 2).mean())":
            float(nll),
        "regularization * (W ** 2).sum(), not .mean()": float(nll + reg * (Wd ** 2).sum()),
        "the penalty without squaring W (regularization * (W ** 2).mean())":
            float(nll + reg * Wd.mean()),
        "the sum of -ln p over the bigrams, not the mean": float(-probs[rows, ys].log().sum()
                                                                 + pen),
        "log base 10 instead of the natural log": float(nll / math.log(10) + pen),
        "a log-likelihood, not its negative": float(-nll + pen),
        "rows of W picked by ys instead of xs (the input is the first symbol)":
            float(-(Wd[ys].exp() / Wd[ys].exp().sum(1, keepdim=True))[rows, ys].log().mean()
                  + pen),
        "each column normalized instead of each row: sum over dim 1, the symbols, per row":
            float(-(counts / counts.sum(0, keepdim=True))[rows, ys].log().mean() + pen),
        "the mean of -ln over every probability, not only the labels'":
            float(-probs.log().mean() + pen),
        "F.cross_entropy of probabilities: it takes logits and applies the softmax itself":
            float(F.cross_entropy(probs, ys) + pen),
        "F.nll_loss of logits: it expects log-probabilities (F.cross_entropy takes logits)":
            float(F.nll_loss(logits, ys) + pen),
        "the columns W[:, xs] instead of the rows W[xs]":
            float(F.cross_entropy(Wd[:, xs].T, ys) + pen),
    }
    if reg != 0.01:
        out["the penalty with regularization=0.01 instead of the argument given"] = \
            float(nll + 0.01 * (Wd ** 2).mean())
    if n == v:
        out["a row total without keepdim=True: counts.sum(1) has shape (n,) and broadcasts "
            "as a row, dividing column j by row j's total"] = \
            float(-(counts / counts.sum(1))[rows, ys].log().mean() + pen)
    return out


def _scalar_loss(got: Any, name: str, what: str) -> Tensor:
    if not isinstance(got, Tensor):
        hint = " (.item() gives a float, and a float can't backpropagate)" \
            if isinstance(got, float) else ""
        raise AssertionError(f"{name} on {what}: should return a tensor{hint}, got "
                             f"{describe(got)}.")
    if got.numel() != 1:
        raise AssertionError(f"{name} on {what}: should return one number, a 0-d tensor (the "
                             f"mean), got shape {tuple(got.shape)}.")
    return got


def _check_loss(name: str, fn: Callable, reference_fn: Callable) -> None:
    for W0, xs, ys, reg, what in _loss_cases():
        W = W0.clone().requires_grad_(True)
        got = _scalar_loss(call(fn, W, xs.clone(), ys.clone(), reg, context=f"on {what}"),
                           name, what)
        if not torch.equal(W.detach(), W0):
            raise AssertionError(f"{name} changed W on {what}: compute from it, don't modify "
                                 "it.")
        variants = _loss_variants(W0, xs, ys, reg)
        expected = variants.pop("right")
        value = float(got.detach())
        if not _close(value, expected):
            slip = next((k for k, v in variants.items() if _close(value, v)), None)
            raise AssertionError(f"{name} on {what}: expected {expected:.6f}, got {value:.6f}."
                                 + (f" That is {slip}." if slip else ""))
        if not got.requires_grad:
            raise AssertionError(f"{name} on {what}: the loss has the right value but doesn't "
                                 "track gradients back to W. Build it from W with tensor "
                                 "operations, not under torch.no_grad() and not from .item() "
                                 "or .detach().")
        call(got.backward, context=f"calling backward() on the loss, on {what}")
        W_ref = W0.clone().requires_grad_(True)
        reference_fn(W_ref, xs, ys, reg).backward()
        if W.grad is None or not torch.allclose(W.grad, W_ref.grad, rtol=1e-4, atol=1e-6):
            raise AssertionError(f"{name} on {what}: after loss.backward(), W.grad differs from "
                                 "the reference's gradient"
                                 + (" (it is None)" if W.grad is None else
                                    f" by up to {float((W.grad - W_ref.grad).abs().max()):.3g}")
                                 + ".")
    # The default regularization is 0.01.
    W0, xs, ys, _, what = _loss_cases()[1]
    what = what.replace("regularization=0.1", "no regularization argument")
    got = _scalar_loss(call(fn, W0.clone(), xs, ys, context="with the default regularization"),
                       name, what)
    expected = _loss_variants(W0, xs, ys, 0.01)["right"]
    if not _close(float(got.detach()), expected):
        raise AssertionError(f"{name} on {what} without a regularization argument should use "
                             f"the default regularization=0.01: expected {expected:.6f}, got "
                             f"{float(got.detach()):.6f}.")


def test_neural_bigram_loss(neural_bigram_loss: Callable) -> None:
    _check_loss("neural_bigram_loss", neural_bigram_loss, reference.neural_bigram_loss)
    passed("test_neural_bigram_loss")


def test_fast_bigram_loss(fast_bigram_loss: Callable) -> None:
    from utils.checks.assertions import forbidding

    # A one-hot matrix built by hand (torch.eye(v)[xs], or zeros with 1s put in) still needs a
    # matrix product with W, which picking rows does not.
    product = "a matrix product with W (a one-hot row times W)"
    with forbidding({F.one_hot: "F.one_hot", torch.matmul: product, torch.mm: product,
                     Tensor.__matmul__: product, Tensor.matmul: product, Tensor.mm: product},
                    "fast_bigram_loss", "pick the rows of W with W[xs] instead"):
        # The reference's gradient from its fast version: F.one_hot is forbidden in here.
        _check_loss("fast_bigram_loss", fast_bigram_loss, reference.fast_bigram_loss)
    passed("test_fast_bigram_loss")


# A short seeded run on the bigrams of the fixed names: the reference's losses and weights,
# compared to float32 rounding.
TRAIN_SEED = 2147483647


def _train_case(words: list[str], stoi: dict[str, int]) -> tuple[Tensor, Tensor]:
    return tuple(torch.tensor(t) for t in _pairs_of(words, stoi))  # type: ignore[return-value]


def test_train_neural_bigram(train_neural_bigram: Callable) -> None:
    namespace = getattr(train_neural_bigram, "__globals__", None)
    words = _words()
    stoi = _vocab(words)[0]
    xs, ys = _train_case(words, stoi)
    short = _vocab(SHORT_WORDS)[0]
    sx, sy = _train_case(SHORT_WORDS, short)
    cases = [
        ((xs, ys), {"steps": 8, "generator": torch.Generator().manual_seed(TRAIN_SEED)},
         f"8 steps on the {len(xs)} bigrams of {len(words)} names, lr=50, regularization=0.01"),
        ((sx, sy), {"vocab_size": len(short), "steps": 5, "lr": 10.0, "regularization": 0.2,
                    "generator": torch.Generator().manual_seed(1)},
         f"5 steps on {len(sx)} bigrams over {len(short)} symbols, lr=10, regularization=0.2"),
    ]
    # Judged with the reference loss, so that a slip in neural_bigram_loss is that check's.
    with reference_names(namespace, reference, ("neural_bigram_loss",)):
        for args, kwargs, what in cases:
            got = call(train_neural_bigram, *args, context=f"on {what}", **kwargs)
            ref_kwargs = {**kwargs, "generator": torch.Generator().manual_seed(
                kwargs["generator"].initial_seed())}
            W_ref, ref_losses = reference.train_neural_bigram(*args, **ref_kwargs)
            _compare_run(got, args, W_ref, ref_losses, kwargs, what)
    passed("test_train_neural_bigram")


def _compare_run(got: Any, args: tuple[Tensor, Tensor], W_ref: Tensor, ref_losses: list[float],
                 kwargs: dict, what: str) -> None:
    name = "train_neural_bigram"
    if not isinstance(got, tuple) or len(got) != 2:
        raise AssertionError(f"{name} on {what}: should return a pair (W, losses), got "
                             f"{describe(got)}.")
    W, losses = got
    if not isinstance(W, Tensor) or tuple(W.shape) != tuple(W_ref.shape):
        raise AssertionError(f"{name} on {what}: W should be a tensor of shape "
                             f"{tuple(W_ref.shape)}, got {describe(W)}.")
    if isinstance(losses, Tensor):
        losses = losses.tolist()
    if not isinstance(losses, (list, tuple)) or len(losses) != len(ref_losses):
        raise AssertionError(f"{name} on {what}: losses should be a list of {len(ref_losses)} "
                             f"floats, one per step, got {describe(losses)}.")
    try:
        losses = [float(x) for x in losses]
    except (TypeError, ValueError, RuntimeError):
        raise AssertionError(f"{name} on {what}: losses should hold numbers (loss.item()), got "
                             f"{describe(losses)}.") from None
    if not _close(losses[0], ref_losses[0], 1e-5):
        W0 = torch.randn(tuple(W_ref.shape), generator=torch.Generator().manual_seed(
            kwargs["generator"].initial_seed()))
        xs, ys = args
        given = kwargs.get("regularization", 0.01)
        # Not passing regularization on: the penalty is dropped, or neural_bigram_loss's own
        # default 0.01 is used whatever the caller asked for.
        for other, which in ((0.0, "the loss without the penalty"),
                             (0.01, "the loss with neural_bigram_loss's default "
                                    "regularization=0.01")):
            if given != other and _close(
                    losses[0], float(reference.neural_bigram_loss(W0, xs, ys, other)), 1e-5):
                raise AssertionError(
                    f"{name} on {what}: the first loss should be {ref_losses[0]:.5f}, got "
                    f"{losses[0]:.5f}, {which} instead of regularization={given}: pass "
                    "regularization on to neural_bigram_loss(W, xs, ys, regularization).")
        if _close(losses[0], math.log(W_ref.shape[0]), 1e-5):
            raise AssertionError(f"{name} on {what}: the first loss should be "
                                 f"{ref_losses[0]:.5f}, got {losses[0]:.5f} = ln "
                                 f"{W_ref.shape[0]}, the loss of W = 0. Start from "
                                 "torch.randn((vocab_size, vocab_size), generator=generator).")
        raise AssertionError(
            f"{name} on {what}: the first loss should be {ref_losses[0]:.5f} (the loss of the "
            f"initial W), got {losses[0]:.5f}. Draw W with torch.randn((vocab_size, vocab_size), "
            "generator=generator, requires_grad=True) and no other random draws, and record "
            "each loss before its update.")
    for k in range(1, len(losses)):
        if _close(losses[k], ref_losses[k], 1e-4):
            continue
        hint = ""
        if losses[k] > losses[k - 1] and ref_losses[k] < ref_losses[k - 1]:
            hint = " The loss went up: step against the gradient, W -= lr * W.grad."
        elif k == 1 and len(ref_losses) > 2 and _close(losses[k], ref_losses[2], 1e-4):
            hint = " That is step 2's loss: record each loss before its update."
        else:
            hint = (" Reset the gradient (W.grad = None) before each backward(): gradients "
                    "add up; and use lr and regularization as given.")
        raise AssertionError(f"{name} on {what}: loss {k} should be {ref_losses[k]:.5f}, got "
                             f"{losses[k]:.5f}.{hint}")
    W = W.detach()
    if not torch.allclose(W, W_ref, rtol=1e-4, atol=1e-4):
        raise AssertionError(f"{name} on {what}: the losses are right but the returned W differs "
                             f"from the reference's by up to {float((W - W_ref).abs().max()):.3g}"
                             ". Return W after the last update.")
