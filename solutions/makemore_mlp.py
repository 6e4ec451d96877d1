"""Reference solutions for chapter 4.2: makemore, part 2, an MLP language model (Bengio et al.
2003) of names.

The source of truth for `exercises/makemore_mlp.py` and its notebooks (`python -m
utils.codegen`); the prose around each exercise is in `pages/makemore_mlp/<n>_<key>.md`.

Conventions (Karpathy's, so his lecture reads alongside):
- The vocabulary is chapter 4.1's: '.' is 0, the letters in sorted order from 1 (27 symbols).
- A context is the `block_size` symbols before a position, padded with '.' (index 0) at the start
  of a name; the model predicts the next symbol from it. Each name gives len(name) + 1 examples,
  the last of which predicts '.'.
- The model's parameters live in a dict with the keys "C" (embedding table, (vocab, n_embd)),
  "W1", "b1" (hidden layer), "W2", "b2" (output layer), drawn from the generator in that order.
"""

import random
from typing import Callable

import torch
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor

# Chapter 4.1's reference vocabulary, for trying this chapter's functions on names:
# stoi, itos = build_vocab(words).
from solutions.makemore_bigrams import build_vocab  # noqa: F401
from utils.exercise_meta import exercise  # noqa: F401

Params = dict[str, Tensor]


# ----------------------------------------------------------------------------------------------
# Sections 1-3: the dataset, the model, training


@exercise(
    title="Contexts and targets",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write `build_dataset(words, block_size, stoi)`. For each name, start with a context of
        `block_size` zeros (the index of `'.'`); for each symbol of the name followed by `'.'`,
        record the current context as one row of `X` and the symbol's index as the matching
        entry of `Y`, then slide the context one step (drop its first entry, append the
        symbol's index). Return `(X, Y)`: `X` an int64 tensor of shape `(n, block_size)`, `Y`
        an int64 tensor of shape `(n,)`, in word order. Look every symbol up in the `stoi` you
        are given (the checks use small vocabularies of their own), leave `words` unchanged,
        and for an empty list return `X` of shape `(0, block_size)` and `Y` of shape `(0,)`.
    """,
    hints=(
        r"""
            "emma" with `block_size=3` gives the rows `...→e`, `..e→m`, `.em→m`, `emm→a`,
            `mma→.`: five examples for four letters. Keep the context as a Python list and
            build the tensors once at the end.
        """,
        r"""
            Append a *new* list to `X` at each step: `context = context[1:] + [ix]` makes one.
            Changing the context in place (`pop`, `append`) after appending it would change
            every row that holds that same list.
        """,
        r"""
            `context = [0] * block_size`; `for ch in w + '.': ix = stoi[ch]; X.append(context);
            Y.append(ix); context = context[1:] + [ix]`. Then
            `torch.tensor(X, dtype=torch.int64).view(-1, block_size)`.
        """,
    ),
)
def build_dataset(words: list[str], block_size: int, stoi: dict[str, int],
                  ) -> tuple[Int[Tensor, "n block"], Int[Tensor, "n"]]:
    """Every (context of block_size previous symbols, next symbol) pair of the names."""
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    return (torch.tensor(X, dtype=torch.int64).view(-1, block_size),
            torch.tensor(Y, dtype=torch.int64))


@exercise(
    title="Train, dev and test splits",
    difficulty=1, importance=5, minutes=(5, 10),
    task=r"""
        Write `split_words(words, fractions=(0.8, 0.1, 0.1), seed=42)`. Shuffle a copy of
        `words` with `random.Random(seed).shuffle(...)` (leave `words` as it is), then cut it:
        with `n = len(words)`, `n1 = int(fractions[0] * n)` and `n2 = int((fractions[0] +
        fractions[1]) * n)`, return the three lists `(shuffled[:n1], shuffled[n1:n2],
        shuffled[n2:])`: train, dev and test. (Compute `n2` from the summed fractions as
        written: `n1 + int(fractions[1] * n)` is sometimes one less.)
    """,
    hints=(
        r"""
            `random.Random(seed)` is a generator of its own, so the split does not depend on (or
            disturb) anything else that uses `random`.
        """,
        r"""
            `shuffled = list(words); random.Random(seed).shuffle(shuffled)`.
        """,
    ),
)
def split_words(words: list[str], fractions: tuple[float, float, float] = (0.8, 0.1, 0.1),
                seed: int = 42) -> tuple[list[str], list[str], list[str]]:
    """A seeded shuffle of the words cut into train, dev and test (the same cuts as Karpathy's
    `random.seed(42); random.shuffle(words)` with n1 = int(0.8 n), n2 = int(0.9 n))."""
    shuffled = list(words)
    random.Random(seed).shuffle(shuffled)
    n = len(shuffled)
    n1, n2 = int(fractions[0] * n), int((fractions[0] + fractions[1]) * n)
    return shuffled[:n1], shuffled[n1:n2], shuffled[n2:]


@exercise(
    title="The model's parameters",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write `init_mlp(vocab_size=27, block_size=3, n_embd=10, n_hidden=200,
        generator=None)`. Return a dict of five tensors drawn with `torch.randn(shape,
        generator=generator)` **in this order**: `"C"` `(vocab_size, n_embd)`, `"W1"`
        `(block_size * n_embd, n_hidden)`, `"b1"` `(n_hidden,)`, `"W2"` `(n_hidden,
        vocab_size)`, `"b2"` `(vocab_size,)`. Each must be a float32 leaf tensor that requires
        gradients. (The order of the draws matters: the same seed then gives everyone the same
        numbers.)
    """,
    hints=(
        r"""
            The hidden layer sees the `block_size` embeddings side by side, so its input width is
            `block_size * n_embd`.
        """,
        r"""
            `{"C": torch.randn((vocab_size, n_embd), generator=generator), ...}`, then
            `p.requires_grad_()` for each value.
        """,
    ),
)
def init_mlp(vocab_size: int = 27, block_size: int = 3, n_embd: int = 10, n_hidden: int = 200,
             generator: torch.Generator | None = None) -> Params:
    """Standard normal parameters for embedding -> tanh hidden layer -> logits."""
    shapes = {"C": (vocab_size, n_embd), "W1": (block_size * n_embd, n_hidden),
              "b1": (n_hidden,), "W2": (n_hidden, vocab_size), "b2": (vocab_size,)}
    return {name: torch.randn(shape, generator=generator).requires_grad_()
            for name, shape in shapes.items()}


@exercise(
    title="The forward pass: embed, concatenate, tanh, logits",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write `mlp_logits(params, X)`: `X` is an int64 tensor of contexts, shape `(n,
        block_size)`. Look up each symbol's embedding in `params["C"]` (shape `(n, block_size,
        n_embd)`), lay each row's embeddings side by side (`(n, block_size * n_embd)`), apply
        the hidden layer and `tanh`, then the output layer. Return the logits, shape `(n,
        vocab_size)` (no softmax). The sizes come from the parameters' shapes: do not assume
        `block_size = 3` or `n_embd = 10`.
    """,
    hints=(
        r"""
            Indexing a tensor with an integer tensor looks up rows: `params["C"][X]` has shape
            `(n, block_size, n_embd)`. Each example's embeddings must end up side by side in
            context order: position 0's `n_embd` numbers, then position 1's, ...
        """,
        r"""
            `emb.view(emb.shape[0], -1)` concatenates the embeddings; `h = torch.tanh(... @ W1 +
            b1)`; `h @ W2 + b2`.
        """,
    ),
)
def mlp_logits(params: Params, X: Int[Tensor, "n block"]) -> Float[Tensor, "n vocab"]:
    """Embedding lookup, concatenation, tanh hidden layer, output logits."""
    emb = params["C"][X]
    h = torch.tanh(emb.view(emb.shape[0], -1) @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


@exercise(
    title="The loss on a whole split",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write `split_loss(params, X, Y)`: the mean cross-entropy of the model's logits
        (`mlp_logits(params, X)`) on all of `X` against the targets `Y`, as a Python float,
        computed without recording gradients. It must stay finite for large logits.
    """,
    hints=(
        r"""
            Measuring a loss needs no backward pass, so there is no reason to keep the graph
            of the forward pass. `F.cross_entropy(logits, Y)` is the mean negative
            log-likelihood of a softmax, computed stably from the logits.
        """,
        r"""
            `with torch.no_grad(): return F.cross_entropy(mlp_logits(params, X), Y).item()`.
        """,
    ),
)
def split_loss(params: Params, X: Int[Tensor, "n block"], Y: Int[Tensor, "n"]) -> float:
    """Mean cross-entropy over the whole split, without a graph."""
    with torch.no_grad():
        return F.cross_entropy(mlp_logits(params, X), Y).item()


@exercise(
    title="Training with minibatches",
    difficulty=2, importance=5, minutes=(15, 20),
    task=r"""
        Write `train_mlp(params, X, Y, steps, batch_size=32, lr=0.1, generator=None)`. At each
        of `steps` steps: draw a minibatch `ix = torch.randint(0, X.shape[0], (batch_size,),
        generator=generator)`, compute the cross-entropy of `mlp_logits(params, X[ix])` against
        `Y[ix]`, set every parameter's `.grad` to `None`, backpropagate, and move each parameter
        by `-rate * grad` in place without recording the update. `lr` is a float, or a function
        of the step number (0, 1, ...) that returns the rate for that step. Return the list of
        the `steps` minibatch losses as floats, each computed before its update. Draw
        nothing else from the generator. The tensors in `params` must stay the same objects
        (the caller keeps using them), so update them in place.
    """,
    hints=(
        r"""
            One step is: sample, forward, reset, backward, update. The update must not itself
            be recorded in the graph (wrap it in `torch.no_grad()`), and
            `rate = lr(step) if callable(lr) else lr`.
        """,
        r"""
            `for p in params.values(): p.grad = None`, then `loss.backward()`, then `with
            torch.no_grad(): for p in params.values(): p -= rate * p.grad`.
        """,
    ),
)
def train_mlp(params: Params, X: Int[Tensor, "n block"], Y: Int[Tensor, "n"], steps: int,
              batch_size: int = 32, lr: float | Callable[[int], float] = 0.1,
              generator: torch.Generator | None = None) -> list[float]:
    """Minibatch SGD on the cross-entropy; the parameters are updated in place."""
    losses = []
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        loss = F.cross_entropy(mlp_logits(params, X[ix]), Y[ix])
        losses.append(loss.item())
        for p in params.values():
            p.grad = None
        loss.backward()
        rate = lr(step) if callable(lr) else lr
        with torch.no_grad():
            for p in params.values():
                p -= rate * p.grad
    return losses


# ----------------------------------------------------------------------------------------------
# Sections 4-6: the learning rate, embeddings and samples, the trigram bonus


@exercise(
    title="A learning-rate range test",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `lr_range_test(params, X, Y, exponents, batch_size=32, generator=None)`.
        `exponents` is a 1-D float tensor of `k` learning-rate exponents, such as
        `torch.linspace(-3, 0, 1000)`. Train the model in `params` for `k` steps, step `i`
        with the learning rate $10^{\text{exponents}[i]}$: each step draws a minibatch and
        updates the parameters in place exactly as `train_mlp` does (one `torch.randint` per
        step from `generator`, the loss before the update, `-rate * grad`). The steps train one
        model: each starts where the previous one left the parameters. Return the `k`
        minibatch losses as a list of floats, in step order.
    """,
    hints=(
        r"""
            This is training with a learning rate that changes every step, and `train_mlp`
            already accepts a rate that is a function of the step number.
        """,
        r"""
            Step `i`'s rate is `10 ** exponents[i].item()`; pass `len(exponents)` as the number
            of steps and a `lambda step: ...` as `lr`.
        """,
    ),
)
def lr_range_test(params: Params, X: Int[Tensor, "n block"], Y: Int[Tensor, "n"],
                  exponents: Float[Tensor, "k"], batch_size: int = 32,
                  generator: torch.Generator | None = None) -> list[float]:
    """One minibatch step per learning rate 10**e, e in exponents; the loss at each."""
    return train_mlp(params, X, Y, len(exponents), batch_size,
                     lambda step: 10 ** exponents[step].item(), generator)


@exercise(
    title="Sampling names from the MLP",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `sample_mlp(params, n, generator, itos, block_size=3)`: draw `n` names from the
        model. Each name starts from a context of `block_size` zeros (`'.'`). Repeat: compute
        the logits of the context (`mlp_logits` on a batch of one row, shape `(1,
        block_size)`), turn them into probabilities with a softmax over the symbols, draw one
        index `ix` with `torch.multinomial(probs, 1, generator=generator)`, and slide `ix` into
        the context (drop its first entry, append `ix`). Stop when `ix == 0` (`'.'`, which is
        not part of the name); otherwise append `itos[ix]` to the name. Return the `n` names as
        a list of strings, in the order drawn. Draw nothing else from `generator`, so that your
        names match the reference's exactly.
    """,
    hints=(
        r"""
            It is chapter 4.1's `sample_names` with another source of probabilities: the row
            of `P` for the last symbol becomes the softmax of the model's logits for the last
            `block_size` symbols.
        """,
        r"""
            Keep the context as a Python list; `torch.tensor([context])` is the `(1,
            block_size)` batch, and `F.softmax(logits, dim=1)` normalises over the symbols.
            Sampling needs no gradients: wrap the loop in `with torch.no_grad():`.
        """,
    ),
)
def sample_mlp(params: Params, n: int, generator: torch.Generator, itos: dict[int, str],
               block_size: int = 3) -> list[str]:
    """n names, each drawn symbol by symbol from the model's softmax, until '.'."""
    names = []
    with torch.no_grad():
        for _ in range(n):
            context, chars = [0] * block_size, []
            while True:
                probs = F.softmax(mlp_logits(params, torch.tensor([context])), dim=1)
                ix = torch.multinomial(probs, 1, generator=generator).item()
                context = context[1:] + [ix]
                if ix == 0:
                    break
                chars.append(itos[ix])
            names.append("".join(chars))
    return names


@exercise(
    title="Bonus: a trigram count model",
    difficulty=2, importance=3, minutes=(10, 15), bonus=True,
    task=r"""
        Write `trigram_counts(words, stoi)`: wrap each name as `'..' + name + '.'` and count
        every run of three neighbouring symbols. Return an integer tensor `N3` of shape `(v, v,
        v)`, `v = len(stoi)`, where `N3[i, j, k]` is how often symbol `k` follows the pair `i,
        j`. "emma" gives five trigrams: `..e`, `.em`, `emm`, `mma`, `ma.`. Two leading dots give
        the first letter a context of its own, `'..'`, so a trigram model makes one prediction
        per symbol of `name + '.'`, as many as the bigram model: their losses compare.
    """,
    hints=(
        r"""
            A trigram is a context of two symbols and the symbol after it: `build_dataset`
            with `block_size=2` lists exactly those, with the two-dot padding.
        """,
        r"""
            Either loop and add 1 at `N3[i, j, k]` (beware: `N3[I, J, K] += 1` with index
            tensors counts a repeated trigram only once), or turn each triple into one number
            `(i * v + j) * v + k`, count those with `torch.bincount(..., minlength=v ** 3)` and
            `.view(v, v, v)`.
        """,
    ),
)
def trigram_counts(words: list[str], stoi: dict[str, int]) -> Int[Tensor, "v v v"]:
    """N3[i, j, k]: how often k follows the pair (i, j), names wrapped as '..name.'."""
    v = len(stoi)
    X, Y = build_dataset(words, 2, stoi)
    flat = X[:, 0] * v * v + X[:, 1] * v + Y
    return torch.bincount(flat, minlength=v ** 3).view(v, v, v)


@exercise(
    title="Bonus: the trigram model's loss",
    difficulty=2, importance=3, minutes=(10, 15), bonus=True,
    task=r"""
        Write `trigram_nll(words, N3, smoothing, stoi)`. Turn the counts into probabilities with
        add-`smoothing`, $P[i, j, k] = (N_3[i, j, k] + s) / \sum_{k'} (N_3[i, j, k'] + s)$, so
        that each `P[i, j, :]` sums to 1. Return, as a float, the mean of $-\ln P[i, j, k]$
        over every trigram of `words`, each name wrapped as `'..' + name + '.'`. `smoothing` may
        be any positive number, not only a whole one.
    """,
    hints=(
        r"""
            Chapter 4.1's `bigram_probs` and `mean_nll` with one more axis: normalise along the
            last axis, the one of the next symbol.
        """,
        r"""
            `P = (N3 + smoothing).double()`, divided by `P.sum(2, keepdim=True)`. With `X, Y =
            build_dataset(words, 2, stoi)`, the trigrams' probabilities are `P[X[:, 0], X[:,
            1], Y]`.
        """,
    ),
)
def trigram_nll(words: list[str], N3: Int[Tensor, "v v v"], smoothing: float,
                stoi: dict[str, int]) -> float:
    """Mean -log P[i, j, k] of the words' trigrams under add-smoothing probabilities."""
    P = (N3 + smoothing).double()
    P = P / P.sum(2, keepdim=True)
    X, Y = build_dataset(words, 2, stoi)
    return -P[X[:, 0], X[:, 1], Y].log().mean().item()


@exercise(
    title="Bonus: tune the smoothing on the dev split",
    difficulty=2, importance=4, minutes=(10, 15), bonus=True,
    task=r"""
        Write `tune_smoothing(train_words, dev_words, stoi, candidates)`: count trigrams on
        `train_words` only, and return a dict that maps each smoothing value `s` of the list
        `candidates` (the values themselves as keys) to the trigram model's mean NLL on
        `dev_words` with smoothing `s`, as a float.
    """,
    hints=(
        r"""
            The model is fitted on train and judged on dev: the dev names must not be counted.
            The counts do not depend on the smoothing, so count once, before the loop.
        """,
        r"""
            `N3 = trigram_counts(train_words, stoi)`, then `trigram_nll(dev_words, N3, s,
            stoi)` for each `s`.
        """,
    ),
)
def tune_smoothing(train_words: list[str], dev_words: list[str], stoi: dict[str, int],
                   candidates: list[float]) -> dict[float, float]:
    """Dev NLL of the trigram model counted on train, for each smoothing value."""
    N3 = trigram_counts(train_words, stoi)
    return {s: trigram_nll(dev_words, N3, s, stoi) for s in candidates}
