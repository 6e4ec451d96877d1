"""Checks for chapter 4.1's sections 1-3: the vocabulary, counting bigrams, probabilities and
sampling.

Every answer here is exact, so the checks compare with hand-worked values on small fixed word
lists and with the reference on seeded random ones, and name the usual slips (a '.' at the end of
the vocabulary, names not wrapped, a transposed count matrix, the `keepdim` broadcasting bug,
draws that do not come from the learner's generator) when they see them. None touches the big
dataset, so each runs in milliseconds.
"""

from __future__ import annotations

import random
import string
from typing import Any, Callable

import torch
from torch import Tensor

from solutions import makemore_bigrams as reference
from utils.checks import variants
from utils.checks.variant_names import case_words
from utils.checks.assertions import call, describe, passed

__all__ = ["test_build_vocab", "test_bigram_counts", "test_bigram_probs", "test_sample_names"]

FIXED = ["emma", "olivia", "ava"]


def _random_words(seed: int, n: int, letters: str = string.ascii_lowercase) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(letters) for _ in range(rng.randint(2, 8))) for _ in range(n)]


# ---------------------------------------------------------------------------------------------
# Section 1: the vocabulary


def _vocab(build_vocab: Callable, words: list[str]) -> tuple[dict, dict]:
    before = list(words)
    result = call(build_vocab, words, context=f"on {describe(words)}")
    if words != before:
        raise AssertionError(f"build_vocab changed the list it was given: {before!r} became "
                             f"{words!r}. Work on a copy (or on the joined string).")
    if not (isinstance(result, tuple) and len(result) == 2):
        raise AssertionError(f"build_vocab should return a tuple (stoi, itos), got "
                             f"{describe(result)}.")
    stoi, itos = result
    if isinstance(stoi, dict) and 0 in stoi and "." in getattr(itos, "keys", lambda: ())():
        raise AssertionError("build_vocab should return (stoi, itos) in that order: the first "
                             "dict maps symbols to integers, the second integers to symbols. "
                             "Yours are swapped.")
    if not isinstance(stoi, dict) or not isinstance(itos, dict):
        raise AssertionError(f"build_vocab should return two dicts (stoi, itos), got "
                             f"({type(stoi).__name__}, {type(itos).__name__}).")
    return stoi, itos


def _check_vocab(stoi: dict, itos: dict, words: list[str]) -> None:
    expected, _ = reference.build_vocab(list(words))
    where = f"on {describe(words)}"
    if "." not in stoi:
        raise AssertionError(f"build_vocab: '.' is missing from stoi {where}. The end token "
                             "'.' is part of the vocabulary, at index 0.")
    if stoi["."] != 0:
        last = len(expected) - 1
        hint = (" You put it last: it goes first, at 0, with the letters from 1."
                if stoi["."] == last else "")
        raise AssertionError(f"build_vocab: stoi['.'] should be 0 {where}, got "
                             f"{stoi['.']!r}.{hint}")
    if set(stoi) != set(expected):
        extra = sorted(set(stoi) - set(expected))
        missing = sorted(set(expected) - set(stoi))
        raise AssertionError(
            f"build_vocab: stoi should have the keys {sorted(expected)} {where}, got "
            f"{sorted(stoi)}" + (f"; {extra} do not occur in these names (only letters that "
                                 "occur get an index)" if extra else "")
            + (f"; missing {missing}" if missing else "") + ".")
    if stoi != expected:
        letters = sorted(c for c in stoi if c != ".")
        got = [stoi[c] for c in letters]
        want = [expected[c] for c in letters]
        if sorted(got) == [i - 1 for i in want]:
            raise AssertionError(f"build_vocab: the letters should be numbered from 1 ('.' has 0) "
                                 f"{where}; you numbered them from 0: "
                                 f"{dict(zip(letters, got))}.")
        if sorted(got) == want:
            raise AssertionError(f"build_vocab: the letters should get 1, 2, 3, ... in "
                                 f"alphabetical order {where}: expected {expected}, got {stoi}. "
                                 "A set has no order: sort the letters.")
        raise AssertionError(f"build_vocab: stoi {where} should be {expected}, got {stoi}.")
    inverse = {i: c for c, i in expected.items()}
    if itos != inverse:
        raise AssertionError(f"build_vocab: itos should be the inverse of stoi (itos[stoi[c]] == "
                             f"c) {where}: expected {inverse}, got {itos}.")


def test_build_vocab(build_vocab: Callable) -> None:
    # Hand-worked: 'bob', 'abba' have the letters a, b, o.
    words = ["bob", "abba"]
    stoi, itos = _vocab(build_vocab, words)
    _check_vocab(stoi, itos, words)
    # Letters whose order in the names is not alphabetical, and a smaller vocabulary.
    for words in (["zoe", "max", "ida"], FIXED, _random_words(0, 40),
                  _random_words(1, 12, "qwxyzbca")):
        stoi, itos = _vocab(build_vocab, words)
        _check_vocab(stoi, itos, words)
    full = _random_words(2, 300) + [string.ascii_lowercase]
    stoi, itos = _vocab(build_vocab, full)
    _check_vocab(stoi, itos, full)
    if len(stoi) != 27 or itos[26] != "z":
        raise AssertionError(f"build_vocab: with all 26 letters, stoi should have 27 entries and "
                             f"itos[26] should be 'z'; got {len(stoi)} and {itos.get(26)!r}.")
    passed("test_build_vocab")


# ---------------------------------------------------------------------------------------------
# Section 2: counting


def _counts(bigram_counts: Callable, words: list[str], stoi: dict, what: str) -> Tensor:
    words_before, stoi_before = list(words), dict(stoi)
    N = call(bigram_counts, words, stoi, context=f"on {what}")
    if words != words_before or stoi != stoi_before:
        raise AssertionError(f"bigram_counts changed its inputs ({what}): leave words and stoi "
                             "as they are.")
    v = len(stoi)
    if not isinstance(N, Tensor):
        raise AssertionError(f"bigram_counts should return a torch tensor, got {describe(N)} "
                             f"({what}).")
    if N.shape != (v, v):
        hint = ""
        if N.shape == (v + 1, v + 1):
            hint = (" One row and column too many: do you use separate start and end tokens? "
                    "This chapter uses '.' (index 0) for both.")
        elif N.dim() == 2 and N.shape[0] == N.shape[1]:
            hint = f" Use v = len(stoi) ({v} here), not a fixed 27."
        raise AssertionError(f"bigram_counts should return shape ({v}, {v}) (v = len(stoi)) "
                             f"{what}, got {tuple(N.shape)}.{hint}")
    if N.dtype in (torch.uint8, torch.int8):
        raise AssertionError(f"bigram_counts returned {N.dtype} counts ({what}): that type only "
                             "goes up to 255 (or 127) and then wraps around, and the real "
                             "counts go into the thousands. Use torch.int64 (or torch.int32).")
    if N.dtype.is_floating_point or N.dtype.is_complex or N.dtype == torch.bool:
        raise AssertionError(f"bigram_counts should return an integer tensor (torch.int64 or "
                             f"torch.int32), got {N.dtype} ({what}). Counts are whole numbers: "
                             "create N with torch.zeros((v, v), dtype=torch.int64).")
    return N


def _compare_counts(N: Tensor, expected: Tensor, itos: dict, what: str) -> None:
    got = N.to(torch.int64)
    if torch.equal(got, expected):
        return
    if torch.equal(got, expected.T):
        raise AssertionError(f"bigram_counts: N is transposed ({what}): N[i, j] should count "
                             "symbol j following symbol i (row = first symbol, column = the "
                             "next), you counted N[j, i].")
    row0, col0 = got[0].sum().item(), got[:, 0].sum().item()
    if row0 == 0 and col0 == 0 and expected[0].sum() > 0:
        raise AssertionError(f"bigram_counts: nothing follows or precedes '.' ({what}): wrap each "
                             "name in '.' at both ends before counting, '.emma.' not 'emma'.")
    if row0 == 0 and expected[0].sum() > 0:
        raise AssertionError(f"bigram_counts: row 0 is empty ({what}), so no name starts: put a "
                             "'.' before each name too, not only after it.")
    if col0 == 0 and expected[:, 0].sum() > 0:
        raise AssertionError(f"bigram_counts: column 0 is empty ({what}), so no name ends: put "
                             "a '.' after each name too, not only before it.")
    if got.sum() < expected.sum():
        hint = ""
        if got.max() <= 1 < expected.max():
            hint = " Each bigram should add 1 to its cell (+= 1), not set it to 1."
        elif got.sum() > 0:
            hint = (" Are the counts of every name kept? Create N once, before the loop over "
                    "names, and count every pair of each wrapped name, the last one too.")
        raise AssertionError(f"bigram_counts: your counts add up to {got.sum().item()}, expected "
                             f"{expected.sum().item()} ({what}).{hint}")
    wrong = (got != expected).nonzero().tolist()
    listed = ", ".join(f"N[{i}, {j}] ('{itos[i]}{itos[j]}') = {got[i, j].item()}, expected "
                       f"{expected[i, j].item()}" for i, j in wrong[:4])
    raise AssertionError(f"bigram_counts: {len(wrong)} wrong counts ({what}): {listed}.")


def test_bigram_counts(bigram_counts: Callable) -> None:
    stoi, itos = reference.build_vocab(FIXED)
    N = _counts(bigram_counts, list(FIXED), stoi, f"{FIXED}")
    _compare_counts(N, reference.bigram_counts(FIXED, stoi), itos, f"{FIXED}")
    # A vocabulary with the letters in another order: look symbols up, don't compute them.
    shuffled = sorted(stoi, key=lambda c: (c != ".", -ord(c)))
    stoi_rev = {c: i for i, c in enumerate(shuffled)}
    itos_rev = {i: c for c, i in stoi_rev.items()}
    N = _counts(bigram_counts, list(FIXED), stoi_rev,
                f"{FIXED} with stoi {stoi_rev} (letters in reverse order)")
    _compare_counts(N, reference.bigram_counts(FIXED, stoi_rev), itos_rev,
                    f"{FIXED} with the letters numbered in reverse order (use stoi[c], not a "
                    "formula like ord(c) - 96)")
    # Seeded random names with the full alphabet (on the new specification, 200 rarer names).
    words = case_words(_random_words(3, 200), seed=3)
    what = "200 random names" if variants.current() is None else "200 rarer names"
    stoi, itos = reference.build_vocab(words)
    N = _counts(bigram_counts, words, stoi, what)
    _compare_counts(N, reference.bigram_counts(words, stoi), itos, what)
    # Counts past 255: a uint8 tensor would wrap around.
    words = ["ab"] * 300
    stoi, itos = reference.build_vocab(words)
    N = _counts(bigram_counts, words, stoi, "300 copies of 'ab'")
    if N[0, 1] != 300:
        raise AssertionError(f"bigram_counts: on 300 copies of 'ab', N[0, 1] ('.a') should be "
                             f"300, got {N[0, 1].item()} (dtype {N.dtype}: too narrow, counts "
                             "wrap around; use torch.int64).")
    _compare_counts(N, reference.bigram_counts(words, stoi), itos, "300 copies of 'ab'")
    passed("test_bigram_counts")


# ---------------------------------------------------------------------------------------------
# Section 3: probabilities and sampling


def _random_counts(seed: int, v: int = 6, dtype: torch.dtype = torch.int64) -> Tensor:
    """Counts with very different row and column totals, so that normalizing by the wrong ones
    shows, and with one all-zero row (a symbol never seen)."""
    g = torch.Generator().manual_seed(seed)
    N = torch.randint(0, 20, (v, v), generator=g) * torch.arange(1, v + 1).view(v, 1)
    N[v - 2] = 0
    return N.to(dtype)


def _probs_message(P: Tensor, N: Tensor, s: int, what: str) -> str:
    """Why P is not the row-normalized N + s: the slips we can recognise."""
    Nf = N.double()
    smoothed = Nf + s
    P = P.double()
    ones = torch.ones(N.shape[0], dtype=torch.float64)

    def near(a: Tensor, b: Tensor) -> bool:
        return a.shape == b.shape and bool(torch.allclose(a, b, atol=1e-5, equal_nan=True))

    rows, cols = P.sum(1), P.sum(0)
    if near(P, smoothed / smoothed.sum(1)):
        return (f"bigram_probs ({what}): each column j was divided by the total of row j, so the "
                "rows don't sum to 1. That is the keepdim bug: P.sum(1) has shape (v,), which "
                "broadcasts as a row (1, v) across the columns. Use P.sum(1, keepdim=True), "
                "shape (v, 1), so each row is divided by its own total.")
    if near(cols, ones) and not near(rows, ones):
        return (f"bigram_probs ({what}): your columns sum to 1, not your rows (row sums "
                f"{_fmt(rows)}). Normalize over dim=1 (each row's total), not dim=0.")
    if near(P.sum(), torch.tensor(1.0, dtype=torch.float64)) and not near(rows, ones):
        return (f"bigram_probs ({what}): the whole matrix sums to 1, but each ROW should: divide "
                "each row by its own total, not everything by the grand total.")
    if s > 0 and near(P, Nf / Nf.sum(1, keepdim=True) + s):
        return (f"bigram_probs ({what}): smoothing was added after normalizing, so the rows sum "
                f"to more than 1 ({_fmt(rows)}). Add it to the counts first, then normalize.")
    if s > 0 and near(P, Nf / Nf.sum(1, keepdim=True)):
        return (f"bigram_probs ({what}): no smoothing was added. Add `smoothing` "
                "to every count before normalizing.")
    if s > 0 and near(P, (Nf + 1) / (Nf + 1).sum(1, keepdim=True)):
        return (f"bigram_probs ({what}): you added 1, not `smoothing`.")
    if near(P, torch.div(smoothed, smoothed.sum(1, keepdim=True), rounding_mode="floor")):
        return (f"bigram_probs ({what}): integer division rounds every probability down to 0. "
                "Convert to float before dividing.")
    if not near(rows, ones):
        return (f"bigram_probs ({what}): each row should sum to 1, yours sum to {_fmt(rows)}.")
    expected = smoothed / smoothed.sum(1, keepdim=True)
    i, j = [int(k) for k in ((P - expected).abs() > 1e-5).nonzero()[0]]
    return (f"bigram_probs ({what}): P[{i}, {j}] should be (N[{i}, {j}] + {s}) / (row {i}'s "
            f"total) = {expected[i, j]:.6f}, got {P[i, j]:.6f}.")


def _fmt(values: Tensor) -> str:
    listed = ", ".join(f"{v:.3g}" for v in values.tolist()[:6])
    return f"[{listed}{', ...' if len(values) > 6 else ''}]"


def test_bigram_probs(bigram_probs: Callable) -> None:
    cases = [(_random_counts(0), 1), (_random_counts(1, 7, torch.int32), 3),
             (_random_counts(2), 0), (reference.bigram_counts(FIXED, reference.build_vocab(
                 FIXED)[0]), 1)]
    for N, s in cases:
        if s == 0:
            N = N + torch.eye(N.shape[0], dtype=N.dtype)  # no all-zero row: 0 / 0 is not checked
        what = f"a {N.shape[0]}x{N.shape[1]} {N.dtype} count matrix, smoothing={s}"
        kept = N.clone()
        P = call(bigram_probs, N, s, context=f"on {what}")
        if not torch.equal(N, kept):
            raise AssertionError(f"bigram_probs changed its input N ({what}): `N += smoothing` "
                                 "or an in-place `/=` on N modifies the caller's counts. Make a "
                                 "new tensor: P = (N + smoothing).float().")
        if not isinstance(P, Tensor):
            raise AssertionError(f"bigram_probs should return a tensor, got {describe(P)}.")
        if P.shape != N.shape:
            raise AssertionError(f"bigram_probs should return shape {tuple(N.shape)} ({what}), "
                                 f"got {tuple(P.shape)}.")
        if not P.dtype.is_floating_point:
            hint = " (integer division: every probability rounds to 0)" \
                if P.sum() == 0 else ""
            raise AssertionError(f"bigram_probs should return floats ({what}), got {P.dtype}"
                                 f"{hint}. Convert with .float() before dividing.")
        expected = reference.bigram_probs(N, s).double()
        if not torch.allclose(P.double(), expected, atol=1e-6):
            raise AssertionError(_probs_message(P, N, s, what))
    # The default is add-one smoothing.
    N = _random_counts(5)
    P = call(bigram_probs, N, context="with the default smoothing")
    if not (isinstance(P, Tensor) and torch.allclose(P.double(),
                                                     reference.bigram_probs(N).double(),
                                                     atol=1e-6)):
        raise AssertionError("bigram_probs(N) without a smoothing argument should smooth by 1 "
                             "(the default in the signature, smoothing=1).")
    passed("test_bigram_probs")


class _CountingItos(dict):
    """itos that notices a name which never ends (a loop that does not stop at '.')."""

    LIMIT = 20_000

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lookups = 0

    def __getitem__(self, key: Any) -> Any:
        self.lookups += 1
        if self.lookups > self.LIMIT:
            raise AssertionError(f"more than {self.LIMIT} symbols looked up for a few names: "
                                 "your loop does not stop. Stop a name when the draw is 0, the "
                                 "'.' end token.")
        return super().__getitem__(key)


def _sample(sample_names: Callable, P: Tensor, n: int, seed: int, itos: dict, what: str
            ) -> tuple[list, torch.Generator]:
    g = torch.Generator().manual_seed(seed)
    P_before = P.clone()
    names = call(sample_names, P, n, g, _CountingItos(itos), context=f"on {what}")
    if not torch.equal(P, P_before):
        raise AssertionError(f"sample_names changed P ({what}); it should only read it.")
    if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
        raise AssertionError(f"sample_names should return a list of strings ({what}), got "
                             f"{describe(names)}.")
    return names, g


def _check_samples(sample_names: Callable, P: Tensor, n: int, seed: int, itos: dict,
                   what: str) -> None:
    names, g = _sample(sample_names, P, n, seed, itos, what)
    g_ref = torch.Generator().manual_seed(seed)
    expected = reference.sample_names(P, n, g_ref, itos)
    if names == expected:
        if not torch.equal(g.get_state(), g_ref.get_state()):
            raise AssertionError(f"sample_names ({what}) returned the right names but drew more "
                                 "from the generator than the reference: make no other random "
                                 "draws with it.")
        return
    if len(names) != n:
        raise AssertionError(f"sample_names should return {n} names ({what}), got {len(names)}.")
    if any("." in x for x in names):
        raise AssertionError(f"sample_names ({what}): your names contain '.', e.g. "
                             f"{next(x for x in names if '.' in x)!r}. The '.' that ends a name "
                             "is not part of it: stop before appending it.")
    if torch.equal(g.get_state(), torch.Generator().manual_seed(seed).get_state()):
        raise AssertionError(f"sample_names ({what}) never drew from the generator it was given. "
                             "Pass generator=generator to every torch.multinomial call, so a "
                             "seed gives the same names.")
    if n > 2 and len(set(names)) == 1 and len(set(expected)) > 1:
        raise AssertionError(f"sample_names ({what}) returned the same name {n} times: "
                             f"{names[0]!r}. Keep drawing from the one generator you were given "
                             "(a new generator or argmax repeats the same draws).")
    first = next(k for k, (a, b) in enumerate(zip(names, expected)) if a != b) \
        if any(a != b for a, b in zip(names, expected)) else len(expected)
    raise AssertionError(
        f"sample_names ({what}) drew other names than the reference with the same seed: "
        f"expected {expected[:6]}, got {names[:6]} (first difference at name {first}). Start "
        "each name at index 0, draw each symbol with torch.multinomial(P[ix], 1, "
        "replacement=True, generator=generator) from the row of the previous symbol, and make "
        "no other random draws.")


def test_sample_names(sample_names: Callable) -> None:
    words = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "ella"]
    stoi, itos = reference.build_vocab(words)
    N = reference.bigram_counts(words, stoi)
    sharp = reference.bigram_probs(N, 0)  # every reachable row has a successor, so no NaN
    _check_samples(sample_names, sharp, 8, 0, itos,
                   "the unsmoothed model of 8 names, seed 0")
    _check_samples(sample_names, reference.bigram_probs(N, 1), 12, 2147483647, itos,
                   "the add-one model of 8 names, seed 2147483647")
    _check_samples(sample_names, sharp.double(), 5, 7, itos,
                   "the unsmoothed model in float64, seed 7")
    names, _ = _sample(sample_names, sharp, 0, 1, itos, "n=0")
    if names != []:
        raise AssertionError(f"sample_names with n=0 should return [], got {names!r}.")
    # One certain path: '.' -> 'b' -> 'o' -> '.' always gives "bo".
    certain = torch.zeros(4, 4)
    certain[0, 1] = certain[1, 2] = certain[2, 0] = 1.0
    certain[3, 0] = 1.0
    names, _ = _sample(sample_names, certain, 3, 5, {0: ".", 1: "b", 2: "o", 3: "x"},
                       "a model where '.' -> 'b' -> 'o' -> '.' is certain")
    if names != ["bo"] * 3:
        raise AssertionError("sample_names: in a model where '.' is always followed by 'b', 'b' "
                             "by 'o' and 'o' by '.', every name is 'bo'; got "
                             f"{names!r}.")
    passed("test_sample_names")

