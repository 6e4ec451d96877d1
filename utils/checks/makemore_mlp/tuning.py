"""Checks for chapter 4.2's sections 4-6 (learning rate, embeddings and samples, the trigram bonus).

Every check runs on a few fixed names and small seeded models, never the big dataset, and compares
with the reference solutions exactly (seeded draws, counts) or to float rounding (losses). Where a
result is wrong, the checks try the plausible slips (a learning rate of `e` instead of `10 ** e`,
`argmax` instead of a draw, one leading dot instead of two...) and name the one that matches.

A learner's function may call the chapter's other functions (`train_mlp`, `mlp_logits`,
`build_dataset`, `trigram_counts`, `trigram_nll`): while a check runs, those names are the
reference's, so each exercise is judged on its own.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import torch
import torch.nn.functional as F

from solutions import makemore_mlp as reference
from utils.checks.assertions import call, passed
from utils.checks.learner_names import reference_names

__all__ = ["test_lr_range_test", "test_sample_mlp", "test_trigram_counts", "test_trigram_nll",
           "test_tune_smoothing"]

# Names small enough to count by hand, with repeated trigrams, a one-letter name and a name that
# shares its start with another.
WORDS = ["emma", "ava", "anna", "eve", "bob", "abba", "a", "ellen"]
DEV_WORDS = ["ben", "eva", "ada", "nell", "bea"]
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
HELPERS = ("build_dataset", "mlp_logits", "train_mlp", "trigram_counts", "trigram_nll")


def _vocab(words: list[str]) -> tuple[dict[str, int], dict[int, str]]:
    return reference.build_vocab(words)


def _globals(fn: Any) -> dict | None:
    return getattr(fn, "__globals__", None)


def _floats(name: str, got: Any, n: int, what: str) -> list[float]:
    """A list of n numbers (a list, tuple or 1-D tensor of them), as floats."""
    if isinstance(got, torch.Tensor):
        if got.dim() != 1:
            raise AssertionError(f"{name}: {what} should give a list of {n} losses, got a tensor "
                                 f"of shape {tuple(got.shape)}.")
        got = got.tolist()
    if not isinstance(got, (list, tuple)):
        raise AssertionError(f"{name}: {what} should return a list of losses (floats), got "
                             f"{type(got).__name__}.")
    out = []
    for v in got:
        if isinstance(v, torch.Tensor) and v.numel() == 1:
            v = v.item()
        if not isinstance(v, (int, float)):
            raise AssertionError(f"{name}: {what} should return a list of floats, but an entry "
                                 f"is a {type(v).__name__}. Use loss.item().")
        out.append(float(v))
    if len(out) != n:
        raise AssertionError(f"{name}: {what} should return {n} losses (one per exponent), got "
                             f"{len(out)}.")
    return out


def _same(a: list[float], b: list[float], tol: float = 1e-4) -> bool:
    return len(a) == len(b) and all(math.isclose(x, y, rel_tol=tol, abs_tol=tol)
                                    for x, y in zip(a, b))


def _first_difference(got: list[float], expected: list[float]) -> str:
    for i, (g, e) in enumerate(zip(got, expected)):
        if not math.isclose(g, e, rel_tol=1e-4, abs_tol=1e-4):
            return f"step {i}: expected loss {e:.5f}, got {g:.5f}"
    return "no step differs"


# ---------------------------------------------------------------------------------------------
# Section 4: the range test


def _tiny_setup(seed: int, block_size: int = 3) -> tuple[dict, torch.Tensor, torch.Tensor]:
    stoi, _ = _vocab(WORDS)
    X, Y = reference.build_dataset(WORDS, block_size, stoi)
    params = reference.init_mlp(len(stoi), block_size, 3, 16, torch.Generator().manual_seed(seed))
    return {k: v.detach().clone() for k, v in params.items()}, X, Y


def _copy(params: dict) -> dict:
    return {k: v.detach().clone().requires_grad_() for k, v in params.items()}


def _range_variant(params: dict, X: torch.Tensor, Y: torch.Tensor, exps: torch.Tensor,
                   batch_size: int, seed: int, *, rate: Callable[[float, int], float],
                   after: bool = False, fresh: bool = False) -> list[float]:
    """The range test with one slip: the rate as a function of (exponent, step), the loss
    recorded after the update, or the parameters reset before each step."""
    generator = torch.Generator().manual_seed(seed)
    start = _copy(params)
    p = _copy(params)
    losses = []
    for i, e in enumerate(exps.tolist()):
        if fresh:
            p = _copy(start)
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        loss = F.cross_entropy(reference.mlp_logits(p, X[ix]), Y[ix])
        for q in p.values():
            q.grad = None
        loss.backward()
        with torch.no_grad():
            for q in p.values():
                q -= rate(e, i) * q.grad
            if after:
                loss = F.cross_entropy(reference.mlp_logits(p, X[ix]), Y[ix])
        losses.append(loss.item())
    return losses


def _range_slips(params: dict, X: torch.Tensor, Y: torch.Tensor, exps: torch.Tensor,
                 batch_size: int, seed: int) -> list[tuple[str, list[float]]]:
    k = len(exps)
    lo, hi = exps[0].item(), exps[-1].item()
    linear = torch.linspace(10 ** lo, 10 ** hi, k).tolist()
    return [
        ("step i should use the learning rate 10 ** exponents[i]; yours used the exponent "
         "itself (a negative rate climbs the loss)",
         _range_variant(params, X, Y, exps, batch_size, seed, rate=lambda e, i: e)),
        ("each loss must be the minibatch's loss before its update (as train_mlp records it); "
         "yours are computed after the update",
         _range_variant(params, X, Y, exps, batch_size, seed, rate=lambda e, i: 10 ** e,
                        after=True)),
        ("the steps must train one model: each step starts from the parameters the previous "
         "step left. Yours starts every step from the initial parameters (copies?)",
         _range_variant(params, X, Y, exps, batch_size, seed, rate=lambda e, i: 10 ** e,
                        fresh=True)),
        ("the rates must be 10 ** exponents, the exponents being the ones passed in; yours are "
         "evenly spaced between the first and last rate (linspace of rates, not of exponents)",
         _range_variant(params, X, Y, exps, batch_size, seed, rate=lambda e, i: linear[i])),
        ("use the exponents passed in, as they are: yours look like 10 ** torch.linspace(-3, 0, "
         f"{k}) whatever the argument",
         _range_variant(params, X, Y, torch.linspace(-3, 0, k), batch_size, seed,
                        rate=lambda e, i: 10 ** e)),
        ("the rates must grow along the exponents passed in; yours use e ** exponent "
         "(torch.exp) rather than 10 ** exponent",
         _range_variant(params, X, Y, exps, batch_size, seed, rate=lambda e, i: math.exp(e))),
    ]


def test_lr_range_test(lr_range_test: Callable) -> None:
    name = "lr_range_test"
    cases = [("torch.linspace(-3, 0, 30)", torch.linspace(-3, 0, 30), 32, 0),
             # Not a linspace, and a batch size other than the default: the exponents passed in
             # must be used as they are.
             ("12 exponents from -2.5 to 0.3, unevenly spaced, batch_size=8",
              torch.tensor([-2.5, -2.2, -2.1, -1.6, -1.5, -1.0, -0.9, -0.6, -0.4, -0.1, 0.1,
                            0.3]), 8, 1)]
    with reference_names(_globals(lr_range_test), reference, HELPERS):
        for what, exps, batch_size, seed in cases:
            params, X, Y = _tiny_setup(seed)
            mine, ref_params = _copy(params), _copy(params)
            expected = reference.lr_range_test(ref_params, X, Y, exps, batch_size,
                                               torch.Generator().manual_seed(100 + seed))
            kwargs = {} if batch_size == 32 else {"batch_size": batch_size}
            got = call(lr_range_test, mine, X, Y, exps.clone(),
                       generator=torch.Generator().manual_seed(100 + seed),
                       context=f"with exponents {what}", **kwargs)
            got = _floats(name, got, len(exps), f"lr_range_test with exponents {what}")
            if not _same(got, expected):
                for mistake, losses in _range_slips(params, X, Y, exps, batch_size, 100 + seed):
                    if _same(got, losses):
                        raise AssertionError(f"{name} (exponents {what}): {mistake}.")
                if math.isclose(got[0], expected[0], rel_tol=1e-4) and len(got) > 1 \
                        and not _same(got[1:2], expected[1:2]):
                    hint = ("The first loss is right and the second is not: check the rate "
                            "of each step and that you update the parameters in place.")
                elif not math.isclose(got[0], expected[0], rel_tol=1e-4):
                    hint = ("Even the first loss differs: draw each minibatch with "
                            "torch.randint(0, X.shape[0], (batch_size,), generator=generator), "
                            "one draw per step, and nothing else from the generator.")
                else:
                    hint = ""
                raise AssertionError(f"{name} (exponents {what}): the losses differ from the "
                                     f"reference's at {_first_difference(got, expected)}. "
                                     + hint)
            for key, value in ref_params.items():
                if not torch.allclose(mine[key].detach(), value.detach(), atol=1e-4, rtol=1e-4):
                    raise AssertionError(f"{name} (exponents {what}): the losses are right but "
                                         f"params[{key!r}] was not left as training leaves it. "
                                         "Update the parameters you were given, in place.")
    passed(f"test_{name}")


# ---------------------------------------------------------------------------------------------
# Section 5: sampling


def _sampling_params(vocab: int, block_size: int, seed: int) -> dict:
    """A small model whose names end after a few letters: standard normal draws, scaled, with
    the '.' logit raised so that every context ends a name with a fair chance."""
    g = torch.Generator().manual_seed(seed)
    n_embd, n_hidden = 3, 12
    params = {"C": torch.randn((vocab, n_embd), generator=g),
              "W1": torch.randn((block_size * n_embd, n_hidden), generator=g) * 0.5,
              "b1": torch.randn(n_hidden, generator=g) * 0.1,
              "W2": torch.randn((n_hidden, vocab), generator=g) * 0.5,
              "b2": torch.randn(vocab, generator=g) * 0.5}
    params["b2"][0] += 1.5
    return params


def _sample_slip(params: dict, n: int, seed: int, itos: dict[int, str], block_size: int,
                 slip: str) -> list[str]:
    """sample_mlp with one slip, for naming the learner's mistake."""
    g = torch.Generator().manual_seed(seed)
    names = []
    with torch.no_grad():
        for _ in range(n):
            context, chars = [0] * block_size, []
            for _ in range(60):  # the slips may never draw '.': stop them anyway
                logits = reference.mlp_logits(params, torch.tensor([context]))
                probs = F.softmax(logits, dim=0 if slip == "dim0" else 1)
                if slip == "argmax":
                    ix = int(probs.argmax())
                else:
                    ix = torch.multinomial(probs, 1, generator=g).item()
                if slip != "frozen":
                    context = context[1:] + [ix]
                if ix == 0:
                    if slip == "dots":
                        chars.append(itos[ix])
                    break
                chars.append(itos[ix])
            names.append("".join(chars))
    return names


SAMPLE_SLIPS = {
    "argmax": "a sampled name is a draw from the model's probabilities "
              "(torch.multinomial(probs, 1, generator=generator)), not the most likely symbol: "
              "argmax gives the same name every time",
    "frozen": "after each draw, slide the new index into the context (drop its first entry, "
              "append ix): yours keeps predicting from the starting context",
    "dots": "the names should not include the final '.': stop when ix == 0 before appending",
    "dim0": "the softmax must be over the symbols, dim=1 of the (1, vocab) logits; over dim=0 "
            "every probability is 1 and the draws are uniform",
}


def test_sample_mlp(sample_mlp: Callable) -> None:
    name = "sample_mlp"
    with reference_names(_globals(sample_mlp), reference, HELPERS):
        for block_size, seed, n in ((3, 7, 12), (2, 11, 8), (4, 3, 6)):
            stoi, itos = _vocab(list(ALPHABET))
            params = _sampling_params(len(stoi), block_size, seed)
            expected = reference.sample_mlp(params, n, torch.Generator().manual_seed(seed), itos,
                                            block_size)
            args = (params, n, torch.Generator().manual_seed(seed), itos)
            what = f"{n} names, block_size={block_size}, generator seeded {seed}"
            got = call(sample_mlp, *args, context=f"drawing {what}",
                       **({} if block_size == 3 else {"block_size": block_size}))
            if not isinstance(got, list) or not all(isinstance(w, str) for w in got):
                raise AssertionError(f"{name}: should return a list of strings, got "
                                     f"{type(got).__name__}"
                                     + (f" of {type(got[0]).__name__}" if isinstance(got, list)
                                        and got else "") + ".")
            if len(got) != n:
                raise AssertionError(f"{name}: asked for {n} names ({what}), got {len(got)}.")
            if got == expected:
                continue
            for slip, message in SAMPLE_SLIPS.items():
                if got == _sample_slip(params, n, seed, itos, block_size, slip):
                    raise AssertionError(f"{name} ({what}): {message}.")
            if len(set(got)) == 1 and len(set(expected)) > 1:
                raise AssertionError(f"{name} ({what}): all your names are {got[0]!r}. Draw "
                                     "every symbol of every name from the one generator you "
                                     "were given; a new or reseeded generator per name repeats "
                                     "the same draws.")
            first = next(i for i, (a, b) in enumerate(zip(got, expected)) if a != b)
            raise AssertionError(
                f"{name} ({what}): name {first} should be {expected[first]!r}, got "
                f"{got[first]!r} (expected {expected[:4]}..., got {got[:4]}...). Start each "
                f"name from a context of block_size zeros, draw one index per step with "
                "torch.multinomial(probs, 1, generator=generator) from the softmax of the "
                "context's logits, and nothing else from the generator.")
    passed(f"test_{name}")


# ---------------------------------------------------------------------------------------------
# Section 6 (bonus): the trigram model


def _counts_by_hand(words: list[str], stoi: dict[str, int], lead: str = "..",
                    end: str = ".") -> torch.Tensor:
    v = len(stoi)
    N = torch.zeros((v, v, v), dtype=torch.int64)
    for w in words:
        s = lead + w + end
        for a, b, c in zip(s, s[1:], s[2:]):
            N[stoi[a], stoi[b], stoi[c]] += 1
    return N


def _check_counts(name: str, got: Any, expected: torch.Tensor, words: list[str],
                  stoi: dict[str, int]) -> None:
    v = len(stoi)
    what = f"on {words[:4]}{'...' if len(words) > 4 else ''} ({v} symbols)"
    if not isinstance(got, torch.Tensor):
        raise AssertionError(f"{name}: should return a tensor, got {type(got).__name__}.")
    if tuple(got.shape) != (v, v, v):
        raise AssertionError(f"{name} {what}: the counts should have shape ({v}, {v}, {v}), "
                             f"one axis per symbol of the trigram, got {tuple(got.shape)}.")
    if got.dtype.is_floating_point or got.dtype == torch.bool or got.is_complex():
        raise AssertionError(f"{name} {what}: counts are whole numbers: return an integer "
                             f"tensor (int64 or int32), got dtype {got.dtype}.")
    if torch.equal(got.long(), expected):
        return
    got = got.long()
    if torch.equal(got, _counts_by_hand(words, stoi, ".")):
        raise AssertionError(f"{name} {what}: wrap each name with two leading dots, '..' + name "
                             "+ '.': with one, the first letter of each name is never counted "
                             "as following the context '..'.")
    if torch.equal(got, _counts_by_hand(words, stoi, "..", "")):
        raise AssertionError(f"{name} {what}: wrap each name as '..' + name + '.': the trigram "
                             "that ends a name (its last two letters, then '.') is missing.")
    if torch.equal(got, expected.permute(2, 0, 1)) or torch.equal(got, expected.permute(2, 1, 0)):
        raise AssertionError(f"{name} {what}: the axes are in the wrong order: N3[i, j, k] must "
                             "count how often k follows the pair (i, j), the next symbol last.")
    if got.sum() != expected.sum():
        raise AssertionError(f"{name} {what}: there are {expected.sum().item()} trigrams in "
                             f"these names ('..' + name + '.' gives len(name) + 1 each), your "
                             f"counts add up to {got.sum().item()}.")
    diff = (got != expected).nonzero()[0].tolist()
    itos = {i: s for s, i in stoi.items()}
    tri = "".join(itos[i] for i in diff)
    raise AssertionError(f"{name} {what}: N3{tuple(diff)}, the count of {tri!r}, should be "
                         f"{expected[tuple(diff)].item()}, got {got[tuple(diff)].item()}.")


def test_trigram_counts(trigram_counts: Callable) -> None:
    name = "trigram_counts"
    with reference_names(_globals(trigram_counts), reference, HELPERS):
        for words, stoi in ((WORDS, _vocab(WORDS)[0]), (["ab"], _vocab(["ab"])[0]),
                            (WORDS + DEV_WORDS, _vocab(list(ALPHABET))[0])):
            expected = _counts_by_hand(words, stoi)
            got = call(trigram_counts, list(words), dict(stoi), context=f"on {words[:4]}")
            _check_counts(name, got, expected, words, stoi)
    passed(f"test_{name}")


def _nll(words: list[str], N3: torch.Tensor, smoothing: float, stoi: dict[str, int], *,
         dim: int = 2, lead: str = "..", reduce: str = "mean", log=torch.log,
         keepdim: bool = True) -> float:
    P = (N3 + smoothing).double()
    P = P / P.sum(dim, keepdim=keepdim)
    total, count = 0.0, 0
    for w in words:
        s = lead + w + "."
        for a, b, c in zip(s, s[1:], s[2:]):
            total -= log(P[stoi[a], stoi[b], stoi[c]]).item()
            count += 1
    return total / count if reduce == "mean" else total


def _nll_value(name: str, got: Any, what: str) -> float:
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        got = got.item()
    if not isinstance(got, (int, float)):
        raise AssertionError(f"{name} {what}: should return one number (a float), got "
                             f"{type(got).__name__}.")
    return float(got)


def test_trigram_nll(trigram_nll: Callable) -> None:
    name = "trigram_nll"
    stoi, _ = _vocab(list(ALPHABET))
    N3 = _counts_by_hand(WORDS, stoi)
    with reference_names(_globals(trigram_nll), reference, HELPERS):
        for words, smoothing in ((WORDS, 1), (WORDS, 0.5), (DEV_WORDS, 1), (DEV_WORDS, 0.01),
                                 (["a"], 3)):
            expected = _nll(words, N3, smoothing, stoi)
            what = f"on {words[:3]}{'...' if len(words) > 3 else ''}, smoothing={smoothing}"
            got = _nll_value(name, call(trigram_nll, list(words), N3.clone(), smoothing,
                                        dict(stoi), context=what), what)
            if math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-6):
                continue
            slips = [
                (_nll(words, N3, smoothing, stoi, dim=0), "normalise over the last axis: each "
                 "(i, j) row P[i, j, :] must sum to 1 (P / P.sum(2, keepdim=True))"),
                (_nll(words, N3, smoothing, stoi, dim=1), "normalise over the last axis: each "
                 "(i, j) row P[i, j, :] must sum to 1 (P / P.sum(2, keepdim=True))"),
                (_nll(words, N3, smoothing, stoi, keepdim=False), "divide by "
                 "P.sum(2, keepdim=True): without keepdim the sums have shape (v, v), which "
                 "broadcasts as (1, v, v), so P[i, j, k] is divided by the sum of row (j, k) "
                 "instead of its own row (i, j)"),
                (_nll(words, N3, 0, stoi), "add the smoothing to the counts before "
                 "normalising"),
                (_nll(words, N3, smoothing, stoi, reduce="sum"), "return the mean over the "
                 "trigrams, not the sum"),
                (-_nll(words, N3, smoothing, stoi), "the negative log-likelihood is minus the "
                 "mean log-probability: yours has the wrong sign"),
                (_nll(words, N3, smoothing, stoi, log=torch.log2), "use the natural log "
                 "(torch.log), not log2"),
                (_nll(words, N3, smoothing, stoi, lead="."), "wrap each name as '..' + name + "
                 "'.' (two leading dots), as the counts were"),
            ]
            for value, mistake in slips:
                if math.isfinite(value) and math.isclose(got, value, rel_tol=1e-6, abs_tol=1e-6):
                    raise AssertionError(f"{name} {what}: {mistake}. Expected {expected:.6f}, "
                                         f"got {got:.6f}.")
            raise AssertionError(f"{name} {what}: expected a mean NLL of {expected:.6f}, got "
                                 f"{got:.6f}.")
    passed(f"test_{name}")


def test_tune_smoothing(tune_smoothing: Callable) -> None:
    name = "tune_smoothing"
    stoi, _ = _vocab(list(ALPHABET))
    candidates = [0.01, 0.1, 1.0, 10.0]
    on_train = _counts_by_hand(WORDS, stoi)
    expected = {s: _nll(DEV_WORDS, on_train, s, stoi) for s in candidates}
    with reference_names(_globals(tune_smoothing), reference, HELPERS):
        what = f"train {WORDS[:3]}..., dev {DEV_WORDS[:3]}..., candidates {candidates}"
        got = call(tune_smoothing, list(WORDS), list(DEV_WORDS), dict(stoi), list(candidates),
                   context=f"with {what}")
    if not isinstance(got, dict):
        raise AssertionError(f"{name}: should return a dict from each smoothing value to its "
                             f"dev NLL, got {type(got).__name__}.")
    if set(got.keys()) != set(candidates):
        raise AssertionError(f"{name} ({what}): the keys should be the candidates themselves, "
                             f"{candidates}, got {list(got.keys())}.")
    values = {s: _nll_value(name, got[s], f"(smoothing {s})") for s in candidates}
    if all(math.isclose(values[s], expected[s], rel_tol=1e-6, abs_tol=1e-6) for s in candidates):
        passed(f"test_{name}")
        return
    both = _counts_by_hand(WORDS + DEV_WORDS, stoi)
    slips = [
        ({s: _nll(DEV_WORDS, both, s, stoi) for s in candidates},
         "count the trigrams on train_words only: counting dev too lets the model see the "
         "answers it is graded on, and its dev NLL comes out too low"),
        ({s: _nll(WORDS, on_train, s, stoi) for s in candidates},
         "measure the NLL on dev_words: on the training names it always prefers the least "
         "smoothing, which is the point of a dev split"),
        ({s: _nll(WORDS, both, s, stoi) for s in candidates},
         "count on train_words and measure on dev_words, not the other way round"),
        ({s: _nll(DEV_WORDS, _counts_by_hand(DEV_WORDS, stoi), s, stoi) for s in candidates},
         "count on train_words and measure on dev_words, not the other way round"),
    ]
    for values_slip, mistake in slips:
        if all(math.isclose(values[s], values_slip[s], rel_tol=1e-6, abs_tol=1e-6)
               for s in candidates):
            raise AssertionError(f"{name} ({what}): {mistake}.")
    wrong = next(s for s in candidates
                 if not math.isclose(values[s], expected[s], rel_tol=1e-6, abs_tol=1e-6))
    raise AssertionError(f"{name} ({what}): with smoothing {wrong} the dev NLL should be "
                         f"{expected[wrong]:.6f}, got {values[wrong]:.6f}.")
