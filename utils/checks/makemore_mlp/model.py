"""Checks for chapter 4.2's sections 1-3: contexts and splits, the model, training.

Everything here is exact: the datasets and splits are compared with the reference on small fixed
word lists, the model's functions with the reference on the same seeded parameters, and a short
training run step by step with the reference given the same generator. Where a wrong answer has a
recognisable signature (every row of a name equal, the loss n times too large, step 0 right and
step 1 wrong ...) the message names the slip.

`split_loss` and `train_mlp` call `mlp_logits`; while they are checked, the name `mlp_logits` in
the learner's module is the reference's, so a slip in one exercise is not blamed on another.
"""

from __future__ import annotations

import math
import random
from typing import Any, Callable

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.overrides import TorchFunctionMode

from solutions import makemore_mlp as reference
from utils.checks.assertions import assert_close, call, describe, passed
from utils.checks.learner_names import reference_names
from utils.checks.training_runs import first_difference, named_slip
from utils.checks.variant_names import case_words

__all__ = ["test_build_dataset", "test_split_words", "test_init_mlp", "test_mlp_logits",
           "test_split_loss", "test_train_mlp"]

LETTERS = "abcdefghijklmnopqrstuvwxyz"
STOI = {".": 0, **{ch: i + 1 for i, ch in enumerate(LETTERS)}}
NAMES = ["emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia", "harper",
         "evelyn", "abigail", "emily", "elizabeth", "mila", "ella", "avery", "sofia", "camila",
         "aria", "scarlett", "victoria", "madison", "luna", "grace", "chloe", "penelope", "layla",
         "riley", "zoey", "nora", "lily", "eleanor", "hannah", "lillian", "addison", "aubrey"]
KEYS = ("C", "W1", "b1", "W2", "b2")


def _names() -> list[str]:
    """NAMES, or on the new specification as many rarer names (variant_names.case_words)."""
    return case_words(NAMES)


def _context_text(row: list[int], itos: dict[int, str]) -> str:
    return "".join(itos.get(i, "?") for i in row)


# ---------------------------------------------------------------------------------------------
# Section 1: contexts and splits


def _as_dataset(got: Any, what: str, block_size: int) -> tuple[Tensor, Tensor]:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise AssertionError(f"build_dataset {what}: should return a pair (X, Y), got "
                             f"{describe(got)}.")
    X, Y = got
    for name, value in (("X", X), ("Y", Y)):
        if not isinstance(value, Tensor):
            raise AssertionError(f"build_dataset {what}: {name} should be a torch tensor, got "
                                 f"{type(value).__name__}.")
        if value.dtype != torch.int64:
            empty = (" With no names there are no integers for torch.tensor([]) to infer the "
                     "dtype from, so it makes float32: pass dtype=torch.int64 explicitly."
                     if value.numel() == 0 and value.dtype.is_floating_point else "")
            raise AssertionError(
                f"build_dataset {what}: {name} should have dtype torch.int64, got "
                f"{value.dtype}. Its entries are symbol indices: they index the embedding table "
                f"and F.cross_entropy wants int64 targets (torch.tensor(..., dtype=torch.int64))."
                + empty)
    if X.ndim != 2 or X.shape[1] != block_size:
        raise AssertionError(f"build_dataset {what}: X should have shape (n, {block_size}), one "
                             f"row of block_size indices per example; got {tuple(X.shape)}."
                             + (" An empty list of contexts still needs its second dimension: "
                                "`.view(-1, block_size)` or torch.zeros((0, block_size), ...)."
                                if X.numel() == 0 else ""))
    if Y.ndim != 1 or Y.shape[0] != X.shape[0]:
        raise AssertionError(f"build_dataset {what}: Y should have shape ({X.shape[0]},), one "
                             f"target per row of X; got {tuple(Y.shape)}.")
    return X, Y


def _example_at(words: list[str], row: int) -> tuple[str, int]:
    """Which word, and which position in it, row `row` of the dataset comes from."""
    for w in words:
        if row <= len(w):
            return w, row
        row -= len(w) + 1
    return "?", row


def _dataset_case(build_dataset: Callable, words: list[str], block_size: int,
                  stoi: dict[str, int]) -> None:
    itos = {i: ch for ch, i in stoi.items()}
    what = f"on {words!r} with block_size={block_size}"
    X, Y = _as_dataset(call(build_dataset, list(words), block_size, dict(stoi), context=what),
                       what, block_size)
    eX, eY = reference.build_dataset(words, block_size, stoi)
    n = eX.shape[0]
    if X.shape[0] != n:
        short = sum(len(w) for w in words)
        hint = (" That is one per letter: the final '.' after each name is an example too "
                "(loop over `w + '.'`)." if X.shape[0] == short else
                " Each name of length L gives L + 1 examples, the last one predicting '.'.")
        raise AssertionError(f"build_dataset {what}: should give {n} examples, got "
                             f"{X.shape[0]}.{hint}")
    if torch.equal(X, eX) and torch.equal(Y, eY):
        return
    bad = int(((X != eX).any(1) | (Y != eY)).nonzero()[0])
    word, pos = _example_at(words, bad)
    shown = (f"example {bad} (position {pos} of {word!r}) should be "
             f"{_context_text(eX[bad].tolist(), itos)!r} -> {itos[int(eY[bad])]!r} "
             f"(X row {eX[bad].tolist()}, Y {int(eY[bad])}), got X row {X[bad].tolist()}, "
             f"Y {int(Y[bad])}")
    hint = ""
    if stoi != STOI and all(ch in STOI for w in words for ch in w) and \
            all(torch.equal(a, b) for a, b in zip((X, Y), reference.build_dataset(words,
                                                                              block_size, STOI))):
        hint = (f" Those are the alphabet's numbers (a=1 ... z=26); this case's vocabulary is "
                f"stoi = {stoi}: look every symbol up in the stoi passed in.")
    elif torch.equal(X, eX):
        if n > 1 and torch.equal(Y[:-1], eY[1:]):
            hint = " Y is shifted by one: each target is the symbol after the context."
        elif torch.equal(Y, eX[:, -1]):
            hint = (" Each target is the context's last symbol: record the symbol the context "
                    "is followed by, then slide it in.")
        else:
            hint = " The contexts are right; the targets are not."
    elif (X == 0).all():
        hint = (" Every context is all '.': slide the context after each example "
                "(context = context[1:] + [ix]).")
    else:
        start = bad - pos
        rows = X[start:start + len(word) + 1]
        if len(rows) > 1 and (rows == rows[0]).all() and not (eX[start:start + len(word) + 1]
                                                              == eX[start]).all():
            hint = (" Every row of this name is the same: X holds the same list object several "
                    "times, changed in place afterwards. Append a copy, or build a new list "
                    "each step (context = context[1:] + [ix]).")
        elif pos == 0 and (X[bad] != 0).any():
            hint = " The first context of a name is block_size '.' symbols (index 0)."
    raise AssertionError(f"build_dataset {what}: {shown}.{hint}")


def test_build_dataset(build_dataset: Callable) -> None:
    small_vocab = {".": 0, "a": 1, "e": 2, "m": 3, "v": 4}  # not the alphabet's numbering
    _dataset_case(build_dataset, ["emma"], 3, STOI)
    _dataset_case(build_dataset, ["emma", "ava"], 3, small_vocab)
    _dataset_case(build_dataset, ["ava", "emma", "mava"], 2, small_vocab)
    names = _names()
    _dataset_case(build_dataset, names[:12], 3, STOI)
    _dataset_case(build_dataset, ["bo", "al"], 5, STOI)  # contexts longer than the names
    _dataset_case(build_dataset, names[:6], 8, STOI)
    # block_size 1: the pairs (previous symbol, next symbol) of chapter 4.1's bigrams.
    X, Y = _as_dataset(call(build_dataset, names[:5], 1, dict(STOI), context="with block_size=1"),
                       "with block_size=1", 1)
    pairs = [(STOI[a], STOI[b]) for w in names[:5] for a, b in zip("." + w, w + ".")]
    if list(zip(X[:, 0].tolist(), Y.tolist())) != pairs:
        raise AssertionError("build_dataset with block_size=1: the (context, target) pairs "
                             "should be the bigrams of '.' + name + '.', in order.")
    # No names: no examples, but the shapes still say what an example is.
    X, Y = _as_dataset(call(build_dataset, [], 3, dict(STOI), context="on an empty list"),
                       "on an empty list", 3)
    if X.shape[0] != 0:
        raise AssertionError(f"build_dataset on an empty list: should give no examples, got "
                             f"{X.shape[0]}.")
    words = ["emma", "ava"]
    call(build_dataset, words, 3, dict(STOI), context="on ['emma', 'ava']")
    if words != ["emma", "ava"]:
        raise AssertionError("build_dataset changed the list of words it was given.")
    passed("test_build_dataset")


def _numbered(n: int) -> list[str]:
    return [f"w{i:03d}" for i in range(n)]


def _sizes(n: int, fractions: tuple[float, float, float]) -> tuple[int, int, int]:
    n1, n2 = int(fractions[0] * n), int((fractions[0] + fractions[1]) * n)
    return n1, n2 - n1, n - n2


def _as_split(got: Any, what: str) -> tuple[list, list, list]:
    if not isinstance(got, (tuple, list)) or len(got) != 3 or \
            not all(isinstance(part, (list, tuple)) for part in got):
        raise AssertionError(f"split_words {what}: should return three lists (train, dev, test), "
                             f"got {describe(got)}.")
    return tuple(list(part) for part in got)  # type: ignore[return-value]


def test_split_words(split_words: Callable) -> None:
    cases = [(100, (0.8, 0.1, 0.1), 42), (10, (0.8, 0.1, 0.1), 42), (6, (0.8, 0.1, 0.1), 42),
             (16, (0.8, 0.1, 0.1), 7), (37, (0.5, 0.25, 0.25), 0), (1000, (0.8, 0.1, 0.1), 1)]
    for n, fractions, seed in cases:
        words = _numbered(n)
        given = list(words)
        random.seed(12345)
        state = random.getstate()
        what = f"on {n} words with fractions={fractions}, seed={seed}"
        train, dev, test = _as_split(call(split_words, given, fractions, seed, context=what),
                                     what)
        if given != words:
            raise AssertionError(f"split_words {what}: the list passed in was changed (it is "
                                 "now shuffled). Shuffle a copy: `shuffled = list(words)`.")
        if random.getstate() != state:
            raise AssertionError(f"split_words {what}: it changed the state of Python's global "
                                 "`random` module (random.seed or random.shuffle). Use a "
                                 "generator of its own, random.Random(seed), so that splitting "
                                 "neither depends on nor disturbs any other use of `random`.")
        sizes = (len(train), len(dev), len(test))
        expected = _sizes(n, fractions)
        if sizes != expected:
            n1 = int(fractions[0] * n)
            hint = ""
            if sizes[0] == expected[0] and sizes[1] == int(fractions[1] * n):
                hint = (f" The dev split has int({fractions[1]} * {n}) words; the cut is at "
                        f"n2 = int(({fractions[0]} + {fractions[1]}) * {n}), which is not always "
                        "n1 + int(f1 * n).")
            raise AssertionError(f"split_words {what}: the sizes should be {expected} (n1 = "
                                 f"int({fractions[0]} * {n}) = {n1}, n2 = int(({fractions[0]} + "
                                 f"{fractions[1]}) * {n}) = {n1 + expected[1]}), got {sizes}."
                                 + hint)
        together = train + dev + test
        if sorted(together) != sorted(words):
            raise AssertionError(f"split_words {what}: the three splits together should hold "
                                 "every word exactly once (no word lost, none repeated).")
        if train == words[:len(train)]:
            raise AssertionError(f"split_words {what}: train is the first {len(train)} words in "
                                 "their original order: shuffle before cutting (a list sorted "
                                 "alphabetically or by popularity would give splits that differ "
                                 "systematically).")
        again = _as_split(call(split_words, list(words), fractions, seed,
                               context=f"{what}, a second time"), what)
        if list(again) != [train, dev, test]:
            raise AssertionError(f"split_words {what}: two calls with the same seed gave "
                                 "different splits. Seed the shuffle: random.Random(seed).")
        if [train, dev, test] != list(reference.split_words(words, fractions, seed)):
            raise AssertionError(f"split_words {what}: the right sizes, but not the order of "
                                 "random.Random(seed).shuffle on a copy of the words. The task "
                                 "fixes the shuffle so that everyone's splits (and the chapter's "
                                 "numbers) are the same.")
    words = _numbered(50)
    a = _as_split(call(split_words, list(words), (0.8, 0.1, 0.1), 0, context="with seed 0"), "")
    b = _as_split(call(split_words, list(words), (0.8, 0.1, 0.1), 1, context="with seed 1"), "")
    if a[0] == b[0]:
        raise AssertionError("split_words: seeds 0 and 1 gave the same train split; the seed "
                             "should choose the shuffle.")
    default = _as_split(call(split_words, _numbered(30), context="with the default fractions "
                             "and seed"), "with the defaults")
    if list(default) != list(reference.split_words(_numbered(30))):
        raise AssertionError("split_words(words) with the default arguments should split 80/10/10 "
                             "with seed 42.")
    passed("test_split_words")


# ---------------------------------------------------------------------------------------------
# Section 2: the model


def _params_of(got: Any, what: str) -> dict[str, Tensor]:
    if not isinstance(got, dict):
        raise AssertionError(f"init_mlp {what}: should return a dict of tensors, got "
                             f"{type(got).__name__}.")
    if set(got) != set(KEYS):
        raise AssertionError(f"init_mlp {what}: the dict's keys should be {list(KEYS)}, got "
                             f"{sorted(got)}.")
    return got


def test_init_mlp(init_mlp: Callable) -> None:
    for sizes, seed in (((27, 3, 10, 200), 2147483647), ((5, 2, 3, 4), 0), ((7, 1, 2, 6), 3),
                        ((27, 4, 2, 8), 11)):
        vocab, block, embd, hidden = sizes
        what = (f"with vocab_size={vocab}, block_size={block}, n_embd={embd}, "
                f"n_hidden={hidden}")
        got = _params_of(call(init_mlp, *sizes, torch.Generator().manual_seed(seed),
                              context=what), what)
        expected = reference.init_mlp(*sizes, torch.Generator().manual_seed(seed))
        for key in KEYS:
            g, e = got[key], expected[key]
            if not isinstance(g, Tensor):
                raise AssertionError(f"init_mlp {what}: {key} should be a tensor, got "
                                     f"{type(g).__name__}.")
            if tuple(g.shape) != tuple(e.shape):
                hint = ""
                if key == "W1" and tuple(g.shape) == (embd, hidden):
                    hint = (" The hidden layer sees the block_size embeddings side by side: its "
                            "input width is block_size * n_embd.")
                elif tuple(g.shape) == tuple(reversed(e.shape)):
                    hint = " Transposed: the layer computes x @ W, so W is (inputs, outputs)."
                raise AssertionError(f"init_mlp {what}: {key} should have shape "
                                     f"{tuple(e.shape)}, got {tuple(g.shape)}.{hint}")
            if g.dtype != torch.float32:
                raise AssertionError(f"init_mlp {what}: {key} should be float32, got {g.dtype}.")
            if not g.requires_grad:
                raise AssertionError(f"init_mlp {what}: {key} does not require gradients; "
                                     "training needs its .grad (call .requires_grad_()).")
            if not g.is_leaf:
                raise AssertionError(
                    f"init_mlp {what}: {key} is not a leaf tensor: it is the result of an "
                    "operation on a tensor that requires gradients (say randn(..., "
                    "requires_grad=True) * 0.1), so backward() leaves its .grad empty. Draw "
                    "it, and call .requires_grad_() last.")
        for key in KEYS:
            if not torch.equal(got[key].detach(), expected[key].detach()):
                drawn = [got[k].detach().flatten() for k in KEYS]
                first = torch.randn(expected["C"].numel(),
                                    generator=torch.Generator().manual_seed(seed))
                hint = (" C is right, so the later tensors were drawn in another order: C, "
                        "W1, b1, W2, b2." if torch.equal(drawn[0], first) else
                        " Draw each with torch.randn(shape, generator=generator), C first, "
                        "then W1, b1, W2, b2 (the same seed then gives the same numbers).")
                if (got[key].detach() >= 0).all():
                    hint = " All of them are >= 0: torch.randn (standard normal), not rand."
                raise AssertionError(f"init_mlp {what}, generator seeded with {seed}: {key} "
                                     f"differs from the reference's draw.{hint}")
        ptrs = {got[k].data_ptr() for k in KEYS}
        if len(ptrs) != len(KEYS):
            raise AssertionError(f"init_mlp {what}: two parameters share memory; each must be a "
                                 "tensor of its own.")
    total = sum(t.numel() for t in reference.init_mlp().values())
    default = _params_of(call(init_mlp, context="with the default arguments"),
                         "with the defaults")
    if sum(t.numel() for t in default.values()) != total:
        raise AssertionError(f"init_mlp(): the default sizes (27, 3, 10, 200) give {total} "
                             "parameters; yours has "
                             f"{sum(t.numel() for t in default.values())}.")
    passed("test_init_mlp")


def _seeded_params(sizes: tuple[int, int, int, int], seed: int, scale: float = 0.5
                   ) -> dict[str, Tensor]:
    """Parameters small enough that tanh is not saturated (so tanh, relu and no tanh differ)."""
    params = reference.init_mlp(*sizes, torch.Generator().manual_seed(seed))
    with torch.no_grad():
        return {k: (v * scale).requires_grad_() for k, v in params.items()}


def _contexts(n: int, block: int, vocab: int, seed: int) -> Tensor:
    return torch.randint(0, vocab, (n, block), generator=torch.Generator().manual_seed(seed))


def _variants(p: dict[str, Tensor], X: Tensor) -> dict[str, Tensor]:
    """What common slips give, to name the one a wrong answer made."""
    emb = p["C"][X]
    flat = emb.view(emb.shape[0], -1)
    pre = flat @ p["W1"] + p["b1"]
    out: dict[str, Tensor] = {}
    if emb.shape[1] > 1:
        swapped = emb.transpose(1, 2).reshape(emb.shape[0], -1)
        out["The embeddings are interleaved, not side by side: emb.transpose(1, 2) (or "
            "permute) before flattening mixes the positions. `emb.view(n, -1)` keeps each "
            "symbol's n_embd numbers together, in context order."] = \
            torch.tanh(swapped @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    out["No tanh: the hidden layer must be h = tanh(emb_flat @ W1 + b1)."] = \
        pre @ p["W2"] + p["b2"]
    out["That is relu; the hidden layer here is tanh."] = torch.relu(pre) @ p["W2"] + p["b2"]
    out["b1 is missing from the hidden layer."] = \
        torch.tanh(flat @ p["W1"]) @ p["W2"] + p["b2"]
    out["b2 is missing from the output layer."] = torch.tanh(pre) @ p["W2"]
    out["Those are probabilities: return the logits, before any softmax."] = \
        F.softmax(torch.tanh(pre) @ p["W2"] + p["b2"], dim=1)
    return out


def test_mlp_logits(mlp_logits: Callable) -> None:
    for sizes, n, seed in (((5, 2, 3, 4), 6, 0), ((27, 3, 10, 200), 16, 1),
                           ((27, 3, 10, 200), 1, 2), ((7, 1, 4, 5), 5, 3), ((9, 5, 2, 6), 4, 4)):
        vocab, block, embd, hidden = sizes
        params = _seeded_params(sizes, seed)
        before = {k: v.detach().clone() for k, v in params.items()}
        X = _contexts(n, block, vocab, seed)
        what = (f"on {n} context(s) of block_size={block}, vocab_size={vocab}, n_embd={embd}, "
                f"n_hidden={hidden}")
        got = call(mlp_logits, params, X.clone(), context=what)
        expected = reference.mlp_logits(params, X)
        if isinstance(got, Tensor) and tuple(got.shape) == tuple(expected.shape) and \
                not torch.allclose(got.detach().float(), expected.detach(), atol=1e-5):
            for hint, value in _variants(params, X).items():
                if torch.allclose(got.detach().float(), value.detach(), atol=1e-5):
                    raise AssertionError(f"mlp_logits {what}: wrong logits. {hint}")
        assert_close(got, expected.detach(), f"mlp_logits {what}", atol=1e-5, rtol=1e-4)
        for k, v in params.items():
            if not torch.equal(v.detach(), before[k]):
                raise AssertionError(f"mlp_logits {what}: it changed params[{k!r}]; the forward "
                                     "pass only reads the parameters.")
        if not got.requires_grad:
            raise AssertionError(f"mlp_logits {what}: the logits carry no graph back to the "
                                 "parameters (computed under no_grad, or from .detach()/.data?); "
                                 "training needs to backpropagate through them.")
        weights = torch.randn(expected.shape, generator=torch.Generator().manual_seed(seed))
        grads = torch.autograd.grad((got * weights).sum(), [params[k] for k in KEYS],
                                    allow_unused=True)
        ref_grads = torch.autograd.grad((expected * weights).sum(), [params[k] for k in KEYS])
        for k, g, e in zip(KEYS, grads, ref_grads):
            if g is None:
                raise AssertionError(f"mlp_logits {what}: the logits do not depend on "
                                     f"params[{k!r}] (no gradient reaches it).")
            assert_close(g, e, f"mlp_logits {what}: the gradient of params[{k!r}]", atol=1e-4)
    passed("test_mlp_logits")


class _GradRecorder(TorchFunctionMode):
    """Notes whether any operation recorded a node of an autograd graph."""

    def __init__(self) -> None:
        super().__init__()
        self.recorded = False

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        results = out if isinstance(out, (tuple, list)) else (out,)
        if any(isinstance(r, Tensor) and r.grad_fn is not None for r in results):
            self.recorded = True
        return out


def test_split_loss(split_loss: Callable) -> None:
    with reference_names(getattr(split_loss, "__globals__", None), reference, ("mlp_logits",)):
        _check_split_loss(split_loss)
    passed("test_split_loss")


def _check_split_loss(split_loss: Callable) -> None:
    for sizes, n, seed, scale in (((27, 3, 10, 200), 50, 0, 1.0), ((5, 2, 3, 4), 7, 1, 0.5),
                                  ((27, 3, 10, 30), 20, 2, 30.0)):
        vocab, block = sizes[0], sizes[1]
        params = _seeded_params(sizes, seed, scale)
        X = _contexts(n, block, vocab, seed)
        Y = torch.randint(0, vocab, (n,), generator=torch.Generator().manual_seed(seed + 100))
        what = (f"on {n} examples (vocab_size={vocab}, block_size={block}, parameters "
                f"randn * {scale:g})")
        recorder = _GradRecorder()
        with recorder:
            got = call(split_loss, params, X, Y, context=what)
        logits = reference.mlp_logits(params, X).detach()
        expected = F.cross_entropy(logits, Y).item()
        if isinstance(got, Tensor):
            raise AssertionError(f"split_loss {what}: should return a Python float, got a "
                                 f"tensor{' that carries a graph' if got.requires_grad else ''}"
                                 ". Use .item().")
        if not isinstance(got, float):
            raise AssertionError(f"split_loss {what}: should return a Python float, got "
                                 f"{type(got).__name__}.")
        if not math.isfinite(got):
            raise AssertionError(
                f"split_loss {what}: the loss is {got}, expected {expected:.6g}. The largest "
                f"logit here is {logits.max().item():.0f}: exp() of that overflows float32 "
                "(inf / inf = nan). F.cross_entropy works from the logits with the maximum "
                "subtracted, so it never overflows.")
        if not math.isclose(got, expected, rel_tol=1e-5, abs_tol=1e-5):
            hint = ""
            if math.isclose(got, expected * n, rel_tol=1e-5):
                hint = f" That is {n} times the mean: the sum, not the mean, of the losses."
            elif math.isclose(got, F.cross_entropy(F.softmax(logits, 1), Y).item(), rel_tol=1e-5):
                hint = (" F.cross_entropy takes the logits and applies log-softmax itself; a "
                        "softmax before it squashes them a second time.")
            raise AssertionError(f"split_loss {what}: should be {expected:.6g} (mean "
                                 f"cross-entropy of the logits against Y), got {got:.6g}.{hint}")
        if recorder.recorded:
            raise AssertionError(f"split_loss {what}: the value is right, but the forward pass "
                                 "recorded a graph for backpropagation that nobody uses (on the "
                                 "whole training split that is hundreds of MB). Compute it "
                                 "inside `with torch.no_grad():`.")
        if any(p.grad is not None for p in params.values()):
            raise AssertionError(f"split_loss {what}: it filled the parameters' .grad; measuring "
                                 "the loss must not backpropagate.")


# ---------------------------------------------------------------------------------------------
# Section 3: training


def _train(params: dict[str, Tensor], X: Tensor, Y: Tensor, steps: int, batch_size: int,
           lr: float | Callable[[int], float], generator: torch.Generator,
           slip: str = "") -> list[float]:
    """The reference loop, or one with a known slip (to name the mistake a learner made)."""
    losses, fixed = [], None
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        if slip == "fixed":
            fixed = ix if fixed is None else fixed
            ix = fixed
        loss = F.cross_entropy(reference.mlp_logits(params, X[ix]), Y[ix])
        if slip != "no_reset":
            for p in params.values():
                p.grad = None
        loss.backward()
        rate = lr(step) if callable(lr) else lr
        if slip == "first_rate" and callable(lr):
            rate = lr(0)
        with torch.no_grad():
            for p in params.values():
                p -= rate * p.grad
        if slip == "after":
            with torch.no_grad():
                loss = F.cross_entropy(reference.mlp_logits(params, X[ix]), Y[ix])
        losses.append(loss.item())
    return losses


SLIPS = {
    "no_reset": "the gradients pile up from step to step: set every p.grad to None (or zero "
                "it) before loss.backward()",
    "fixed": "every step trains on the same minibatch: draw a new ix at each step",
    "after": "each loss is measured after its update: record loss.item() before changing the "
             "parameters",
    "first_rate": "every step used the rate of step 0: call lr(step) at each step",
}


def _train_case(train_mlp: Callable, sizes: tuple[int, int, int, int], words: list[str],
                steps: int, batch_size: int, lr: Any, seed: int, lr_text: str) -> None:
    X, Y = reference.build_dataset(words, sizes[1], STOI)
    params = _seeded_params(sizes, seed, 1.0)
    start = {k: v.detach().clone() for k, v in params.items()}
    ids = {k: id(v) for k, v in params.items()}
    what = (f"{steps} steps, batch_size={batch_size}, lr={lr_text}, on {len(words)} names "
            f"(block_size={sizes[1]}, n_embd={sizes[2]}, n_hidden={sizes[3]}), generator seeded "
            f"with {seed}")
    got = call(train_mlp, params, X, Y, steps, batch_size, lr,
               torch.Generator().manual_seed(seed), context=what)
    twin = {k: v.clone().requires_grad_() for k, v in start.items()}
    expected = _train(twin, X, Y, steps, batch_size, lr, torch.Generator().manual_seed(seed))
    if not isinstance(got, (list, tuple)) or len(got) != steps:
        raise AssertionError(f"train_mlp ({what}): should return a list of {steps} losses, one "
                             f"per step; got {describe(got)}.")
    if not all(isinstance(v, float) for v in got):
        kinds = sorted({type(v).__name__ for v in got})
        raise AssertionError(f"train_mlp ({what}): the losses should be Python floats "
                             f"(loss.item()), got {', '.join(kinds)}.")
    for k in KEYS:
        if id(params[k]) != ids[k]:
            raise AssertionError(
                f"train_mlp ({what}): params[{k!r}] is a new tensor after training. Update the "
                "parameters in place (`p -= rate * p.grad` inside torch.no_grad()), so that "
                "they stay the leaf tensors whose .grad backward() fills.")
        if not params[k].requires_grad or not params[k].is_leaf:
            raise AssertionError(f"train_mlp ({what}): after training params[{k!r}] is no longer "
                                 "a leaf that requires grad; update it in place under "
                                 "torch.no_grad().")
    if all(torch.equal(params[k].detach(), start[k]) for k in KEYS):
        raise AssertionError(f"train_mlp ({what}): the parameters did not change: update each one "
                             "in place, p -= rate * p.grad.")
    step = first_difference(got, expected)
    if step is not None:
        g, e = got[step], expected[step]
        hint = named_slip(got, SLIPS, lambda slip: _train(
            {k: v.clone().requires_grad_() for k, v in start.items()}, X, Y, steps, batch_size,
            lr, torch.Generator().manual_seed(seed), slip))
        if not hint and step == 0:
            hint = (" The first loss is the loss of the first minibatch before any update: draw "
                    "it with torch.randint(0, X.shape[0], (batch_size,), generator=generator), "
                    "passing the generator, and nothing else from it before.")
        elif not hint:
            hint = (" The first steps agree, so the minibatches are right; check the update "
                    "(p -= rate * p.grad, every parameter, rate = lr(step) when lr is callable).")
        raise AssertionError(f"train_mlp ({what}): loss {step} should be {e:.6f}, got {g:.6f}."
                             + hint)
    for k in KEYS:
        assert_close(params[k].detach(), twin[k].detach(),
                     f"train_mlp ({what}): params[{k!r}] after training", atol=1e-5)


def test_train_mlp(train_mlp: Callable) -> None:
    with reference_names(getattr(train_mlp, "__globals__", None), reference, ("mlp_logits",)):
        names = _names()
        _train_case(train_mlp, (27, 3, 4, 16), names[:20], 12, 8, 0.1, 0, "0.1")
        _train_case(train_mlp, (27, 2, 3, 10), names, 15, 16, lambda step: 0.5 if step < 5 else
                    0.05, 1, "0.5 for steps 0-4, then 0.05 (a function of the step)")
        _train_case(train_mlp, (27, 3, 10, 50), names, 10, 32, 0.05, 2, "0.05")
        calls: list[int] = []

        def rate(step: int) -> float:
            calls.append(step)
            return 0.1

        X, Y = reference.build_dataset(NAMES[:5], 3, STOI)
        call(train_mlp, _seeded_params((27, 3, 2, 4), 3), X, Y, 4, 4, rate,
             torch.Generator().manual_seed(3), context="with a learning-rate function")
        if sorted(set(calls)) != [0, 1, 2, 3]:
            raise AssertionError(f"train_mlp: over 4 steps, lr(step) should be called with the "
                                 f"steps 0, 1, 2, 3; it was called with {calls}.")
    passed("test_train_mlp")
