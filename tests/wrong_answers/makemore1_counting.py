"""Wrong and right answers for chapter 4.1's sections 1-3 (names, counting, sampling). Each wrong
answer is one plausible slip on top of the reference."""

from __future__ import annotations

import torch

from solutions.makemore_bigrams import bigram_counts, bigram_probs, build_vocab

# --- build_vocab ----------------------------------------------------------------------------


def vocab_dot_last(words):
    letters = sorted(set("".join(words)))
    stoi = {c: i for i, c in enumerate(letters)}
    stoi["."] = len(letters)
    return stoi, {i: c for c, i in stoi.items()}


def vocab_unsorted(words):
    letters = list(dict.fromkeys("".join(words)))  # order of first appearance
    stoi = {".": 0} | {c: i + 1 for i, c in enumerate(letters)}
    return stoi, {i: c for c, i in stoi.items()}


def vocab_letters_from_zero(words):
    letters = sorted(set("".join(words)))
    stoi = {c: i for i, c in enumerate(letters)}
    stoi["."] = 0
    return stoi, {i: c for c, i in stoi.items()}


def vocab_itos_not_inverse(words):
    letters = sorted(set("".join(words)))
    stoi = {".": 0} | {c: i + 1 for i, c in enumerate(letters)}
    return stoi, {i: c for i, c in enumerate(letters)}


def vocab_no_dot(words):
    letters = sorted(set("".join(words)))
    stoi = {c: i + 1 for i, c in enumerate(letters)}
    return stoi, {i: c for c, i in stoi.items()}


def vocab_whole_alphabet(words):
    stoi = {".": 0} | {chr(ord("a") + i): i + 1 for i in range(26)}
    return stoi, {i: c for c, i in stoi.items()}


def vocab_itos_list(words):
    letters = sorted(set("".join(words)))
    stoi = {".": 0} | {c: i + 1 for i, c in enumerate(letters)}
    return stoi, ["."] + letters


def vocab_sorts_input(words):
    words.sort()
    return build_vocab(words)


def vocab_swapped(words):
    stoi, itos = build_vocab(words)
    return itos, stoi


# --- bigram_counts --------------------------------------------------------------------------


def _loop_counts(words, stoi, wrap=(".", "."), dtype=torch.int64, size=None):
    v = size or len(stoi)
    N = torch.zeros((v, v), dtype=dtype)
    for w in words:
        chs = list(wrap[0]) + list(w) + list(wrap[1])
        for a, b in zip(chs, chs[1:]):
            N[stoi[a], stoi[b]] += 1
    return N


def counts_no_wrapping(words, stoi):
    return _loop_counts(words, stoi, wrap=("", ""))


def counts_only_start(words, stoi):
    return _loop_counts(words, stoi, wrap=(".", ""))


def counts_only_end(words, stoi):
    return _loop_counts(words, stoi, wrap=("", "."))


def counts_transposed(words, stoi):
    return bigram_counts(words, stoi).T


def counts_reset_per_word(words, stoi):
    v = len(stoi)
    N = torch.zeros((v, v), dtype=torch.int64)
    for w in words:
        N = torch.zeros((v, v), dtype=torch.int64)
        chs = ["."] + list(w) + ["."]
        for a, b in zip(chs, chs[1:]):
            N[stoi[a], stoi[b]] += 1
    return N


def counts_start_end_tokens(words, stoi):
    """<S> and <E> as two tokens, as in the lecture's first try: a (v+1, v+1) matrix."""
    table = dict(stoi)
    table["<S>"] = len(stoi)
    N = torch.zeros((len(stoi) + 1, len(stoi) + 1), dtype=torch.int64)
    for w in words:
        chs = ["<S>"] + list(w) + ["."]
        for a, b in zip(chs, chs[1:]):
            N[table[a], table[b]] += 1
    return N


def counts_float(words, stoi):
    return bigram_counts(words, stoi).float()


def counts_uint8(words, stoi):
    return _loop_counts(words, stoi, dtype=torch.uint8)


def counts_fixed_27(words, stoi):
    return _loop_counts(words, stoi, size=27)


def counts_ord_formula(words, stoi):
    v = len(stoi)
    N = torch.zeros((v, v), dtype=torch.int64)
    index = {".": 0} | {chr(ord("a") + i): i + 1 for i in range(26)}
    order = sorted(stoi, key=stoi.get)
    for w in words:
        chs = ["."] + list(w) + ["."]
        for a, b in zip(chs, chs[1:]):
            N[order.index(a) if index[a] >= v else index[a],
              order.index(b) if index[b] >= v else index[b]] += 1
    return N


def counts_skips_last_pair(words, stoi):
    v = len(stoi)
    N = torch.zeros((v, v), dtype=torch.int64)
    for w in words:
        chs = ["."] + list(w) + ["."]
        for a, b in zip(chs[:-1], chs[1:-1]):
            N[stoi[a], stoi[b]] += 1
    return N


def counts_set_not_add(words, stoi):
    v = len(stoi)
    N = torch.zeros((v, v), dtype=torch.int64)
    for w in words:
        chs = ["."] + list(w) + ["."]
        for a, b in zip(chs, chs[1:]):
            N[stoi[a], stoi[b]] = 1
    return N


# --- bigram_probs ---------------------------------------------------------------------------


def probs_no_keepdim(N, smoothing=1):
    P = (N + smoothing).float()
    return P / P.sum(1)


def probs_dim0(N, smoothing=1):
    P = (N + smoothing).float()
    return P / P.sum(0, keepdim=True)


def probs_global(N, smoothing=1):
    P = (N + smoothing).float()
    return P / P.sum()


def probs_no_smoothing(N, smoothing=1):
    P = N.float()
    return P / P.sum(1, keepdim=True)


def probs_smoothing_after(N, smoothing=1):
    P = N.float()
    return P / P.sum(1, keepdim=True) + smoothing


def probs_int_division(N, smoothing=1):
    P = N + smoothing
    return P // P.sum(1, keepdim=True)


def probs_in_place(N, smoothing=1):
    N += smoothing
    P = N.float()
    return P / P.sum(1, keepdim=True)


def probs_always_one(N, smoothing=1):
    P = (N + 1).float()
    return P / P.sum(1, keepdim=True)


def probs_smoothing_zero_default(N, smoothing=0):
    P = (N + smoothing).float()
    return P / P.sum(1, keepdim=True)


def probs_only_zeros_smoothed(N, smoothing=1):
    P = torch.where(N == 0, smoothing, N).float()
    return P / P.sum(1, keepdim=True)


# --- sample_names ---------------------------------------------------------------------------


def _draw(P, ix, generator, replacement=True):
    return torch.multinomial(P[ix], 1, replacement=replacement, generator=generator).item()


def sample_random_start(P, n, generator, itos):
    names = []
    for _ in range(n):
        ix = torch.randint(1, P.shape[0], (1,), generator=generator).item()
        chars = [itos[ix]]
        while True:
            ix = _draw(P, ix, generator)
            if ix == 0:
                break
            chars.append(itos[ix])
        names.append("".join(chars))
    return names


def sample_never_stops(P, n, generator, itos):
    names = []
    for _ in range(n):
        chars, ix = [], 0
        while True:
            ix = _draw(P, ix, generator)
            chars.append(itos[ix])
        names.append("".join(chars))
    return names


def sample_keeps_dot(P, n, generator, itos):
    names = []
    for _ in range(n):
        chars, ix = [], 0
        while True:
            ix = _draw(P, ix, generator)
            chars.append(itos[ix])
            if ix == 0:
                break
        names.append("".join(chars))
    return names


def sample_new_generator_per_name(P, n, generator, itos):
    seed = generator.initial_seed()
    names = []
    for _ in range(n):
        g = torch.Generator().manual_seed(seed)
        chars, ix = [], 0
        while True:
            ix = _draw(P, ix, g)
            if ix == 0:
                break
            chars.append(itos[ix])
        names.append("".join(chars))
    return names


def sample_global_rng(P, n, generator, itos):
    names = []
    for _ in range(n):
        chars, ix = [], 0
        while True:
            ix = torch.multinomial(P[ix], 1, replacement=True).item()
            if ix == 0:
                break
            chars.append(itos[ix])
        names.append("".join(chars))
    return names


def sample_argmax(P, n, generator, itos):
    names = []
    for _ in range(n):
        chars, ix = [], 0
        while True:
            ix = P[ix].argmax().item()
            if ix == 0:
                break
            chars.append(itos[ix])
        names.append("".join(chars))
    return names


def sample_uniform(P, n, generator, itos):
    U = torch.ones_like(P) / P.shape[0]
    names = []
    for _ in range(n):
        chars, ix = [], 0
        while True:
            ix = _draw(U, ix, generator)
            if ix == 0:
                break
            chars.append(itos[ix])
        names.append("".join(chars))
    return names


def sample_transposed(P, n, generator, itos):
    names = []
    for _ in range(n):
        chars, ix = [], 0
        while True:
            ix = torch.multinomial(P[:, ix], 1, replacement=True, generator=generator).item()
            if ix == 0:
                break
            chars.append(itos[ix])
        names.append("".join(chars))
    return names


def sample_stays_on_first_row(P, n, generator, itos):
    names = []
    for _ in range(n):
        chars = []
        while True:
            ix = _draw(P, 0, generator)
            if ix == 0:
                break
            chars.append(itos[ix])
        names.append("".join(chars))
    return names


def sample_extra_draw(P, n, generator, itos):
    torch.rand(1, generator=generator)  # an unneeded draw: shifts every name after it
    return [name for name in _reference_sample(P, n, generator, itos)]


def sample_one_name_short(P, n, generator, itos):
    return _reference_sample(P, n - 1, generator, itos) if n > 0 else []


def _reference_sample(P, n, generator, itos):
    from solutions.makemore_bigrams import sample_names
    return sample_names(P, n, generator, itos)


# --- right answers --------------------------------------------------------------------------


def counts_loop_int32(words, stoi):
    return _loop_counts(words, stoi, dtype=torch.int32)


def counts_index_put(words, stoi):
    v = len(stoi)
    N = torch.zeros((v, v), dtype=torch.int64)
    for w in words:
        chs = ["."] + list(w) + ["."]
        ix = torch.tensor([stoi[c] for c in chs])
        N.index_put_((ix[:-1], ix[1:]), torch.ones(len(chs) - 1, dtype=torch.int64),
                     accumulate=True)
    return N


def counts_dict_then_tensor(words, stoi):
    from collections import Counter
    pairs = Counter()
    for w in words:
        chs = "." + w + "."
        pairs.update(zip(chs, chs[1:]))
    N = torch.zeros((len(stoi), len(stoi)), dtype=torch.long)
    for (a, b), c in pairs.items():
        N[stoi[a], stoi[b]] = c
    return N


def counts_bincount_default_dtype(words, stoi):
    v = len(stoi)
    firsts, seconds = [], []
    for w in words:
        chs = "." + w + "."
        firsts += [stoi[c] for c in chs[:-1]]
        seconds += [stoi[c] for c in chs[1:]]
    flat = torch.tensor(firsts) * v + torch.tensor(seconds)
    return torch.bincount(flat, minlength=v * v).reshape(v, v)


def sample_renormalizes_the_row(P, n, generator, itos):
    names = []
    for _ in range(n):
        chars, ix = [], 0
        while True:
            p = P[ix] / P[ix].sum()
            ix = torch.multinomial(p, 1, replacement=True, generator=generator).item()
            if ix == 0:
                break
            chars.append(itos[ix])
        names.append("".join(chars))
    return names


def vocab_loops(words):
    seen = set()
    for w in words:
        for c in w:
            seen.add(c)
    stoi = {".": 0}
    for i, c in enumerate(sorted(seen)):
        stoi[c] = i + 1
    itos = {}
    for c, i in stoi.items():
        itos[i] = c
    return stoi, itos


def probs_float64(N, smoothing=1):
    P = (N + smoothing).double()
    return P / P.sum(dim=1, keepdim=True)


def probs_true_division_then_float(N, smoothing=1):
    P = N + smoothing
    return (P / P.sum(1, keepdim=True)).float()


def probs_normalize_transpose(N, smoothing=1):
    P = (N + smoothing).float()
    return (P.T / P.sum(1)).T


def sample_without_replacement(P, n, generator, itos):
    """replacement=False draws the same index as replacement=True when only one is drawn."""
    names = []
    for _ in range(n):
        chars, ix = [], 0
        while True:
            ix = _draw(P, ix, generator, replacement=False)
            if ix == 0:
                break
            chars.append(itos[ix])
        names.append("".join(chars))
    return names


def sample_join_indices(P, n, generator, itos):
    names = []
    for _ in range(n):
        out = []
        ix = 0
        while True:
            ix = int(torch.multinomial(P[ix], num_samples=1, replacement=True,
                                       generator=generator))
            if ix == 0:
                break
            out.append(ix)
        names.append("".join(itos[i] for i in out))
    return names


WRONG_ANSWERS = [
    ("build_vocab", "'.' at the end instead of at 0", vocab_dot_last),
    ("build_vocab", "letters in order of appearance, not sorted", vocab_unsorted),
    ("build_vocab", "letters numbered from 0, clashing with '.'", vocab_letters_from_zero),
    ("build_vocab", "itos without '.', shifted by one", vocab_itos_not_inverse),
    ("build_vocab", "'.' missing", vocab_no_dot),
    ("build_vocab", "all 26 letters whether they occur or not", vocab_whole_alphabet),
    ("build_vocab", "itos a list, not a dict", vocab_itos_list),
    ("build_vocab", "sorts the caller's list in place", vocab_sorts_input),
    ("build_vocab", "returns (itos, stoi)", vocab_swapped),
    ("bigram_counts", "names not wrapped in '.'", counts_no_wrapping),
    ("bigram_counts", "only the start '.'", counts_only_start),
    ("bigram_counts", "only the end '.'", counts_only_end),
    ("bigram_counts", "transposed: N[j, i]", counts_transposed),
    ("bigram_counts", "counts reset for every word", counts_reset_per_word),
    ("bigram_counts", "separate start token: shape (v+1, v+1)", counts_start_end_tokens),
    ("bigram_counts", "float counts", counts_float),
    ("bigram_counts", "uint8 counts that wrap past 255", counts_uint8),
    ("bigram_counts", "a fixed 27x27 matrix", counts_fixed_27),
    ("bigram_counts", "indices from a formula, not stoi", counts_ord_formula),
    ("bigram_counts", "the last pair of each name skipped", counts_skips_last_pair),
    ("bigram_counts", "= 1 instead of += 1", counts_set_not_add),
    ("bigram_probs", "sum(1) without keepdim", probs_no_keepdim),
    ("bigram_probs", "normalized over dim 0", probs_dim0),
    ("bigram_probs", "normalized by the grand total", probs_global),
    ("bigram_probs", "no smoothing", probs_no_smoothing),
    ("bigram_probs", "smoothing added after normalizing", probs_smoothing_after),
    ("bigram_probs", "integer division", probs_int_division),
    ("bigram_probs", "N modified in place", probs_in_place),
    ("bigram_probs", "always adds 1", probs_always_one),
    ("bigram_probs", "default smoothing 0", probs_smoothing_zero_default),
    ("bigram_probs", "only zero counts smoothed", probs_only_zeros_smoothed),
    ("sample_names", "starts from a random row", sample_random_start),
    ("sample_names", "never stops at '.'", sample_never_stops),
    ("sample_names", "keeps the final '.'", sample_keeps_dot),
    ("sample_names", "a new generator for each name", sample_new_generator_per_name),
    ("sample_names", "the global generator", sample_global_rng),
    ("sample_names", "argmax instead of sampling", sample_argmax),
    ("sample_names", "the uniform model", sample_uniform),
    ("sample_names", "draws from column ix, not row ix", sample_transposed),
    ("sample_names", "every draw from row 0", sample_stays_on_first_row),
    ("sample_names", "one extra draw from the generator", sample_extra_draw),
    ("sample_names", "one name short", sample_one_name_short),
]

RIGHT_ANSWERS = [
    ("build_vocab", "plain loops", vocab_loops),
    ("bigram_counts", "a loop into int32", counts_loop_int32),
    ("bigram_counts", "index_put_ with accumulate", counts_index_put),
    ("bigram_counts", "a Counter of pairs, then a tensor", counts_dict_then_tensor),
    ("bigram_counts", "one bincount of flat pair indices", counts_bincount_default_dtype),
    ("bigram_probs", "float64", probs_float64),
    ("bigram_probs", "true division of integers, then float", probs_true_division_then_float),
    ("bigram_probs", "transpose, divide, transpose back", probs_normalize_transpose),
    ("sample_names", "replacement=False (the same draw for one sample)",
     sample_without_replacement),
    ("sample_names", "indices joined at the end", sample_join_indices),
    ("sample_names", "each row divided by its sum again", sample_renormalizes_the_row),
]
