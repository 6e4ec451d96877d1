"""Reference solutions for chapter 4.1: makemore, part 1, bigram language models of names.

The source of truth for `exercises/makemore_bigrams.py` and its notebooks (`python -m
utils.codegen`); the prose around each exercise is in `pages/makemore_bigrams/<n>_<key>.md`.

Conventions (Karpathy's, so his lecture reads alongside):
- A name is a lowercase string of letters a-z. The vocabulary is '.' at index 0 (the token that
  marks both the start and the end of a name) and the letters that occur, in sorted order, from 1.
  With all 26 letters that is 27 symbols.
- A bigram is a pair (previous symbol, next symbol) inside a name wrapped in '.' at both ends:
  "emma" gives (., e), (e, m), (m, m), (m, a), (a, .).
- Row i of a count or probability matrix is "what follows symbol i"; rows of a probability matrix
  sum to 1.
"""

import torch
import torch.nn.functional as F  # noqa: F401 - the learner's own softmax and cross-entropy
from jaxtyping import Float, Int
from torch import Tensor

from utils.exercise_meta import exercise  # noqa: F401


# ----------------------------------------------------------------------------------------------
# Sections 1-3: the vocabulary, counting bigrams, sampling


@exercise(
    title="A vocabulary: characters to integers and back",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write `build_vocab(words)`. `words` is a list of lowercase names (strings of letters
        a-z). Return two dicts, `(stoi, itos)`:

        - `stoi` ("string to integer") maps each symbol to its index: `'.'` is `0`, and each
          letter that occurs somewhere in `words` gets `1, 2, 3, ...` in alphabetical order.
          Only letters that occur get an index: for `["bob", "abba"]` that is
          `{'.': 0, 'a': 1, 'b': 2, 'o': 3}`.
        - `itos` ("integer to string") is its inverse: `itos[stoi[c]] == c` for every symbol.

        With all 26 letters present, that is 27 symbols, `'.'` at 0 and `'z'` at 26. Do not
        change `words`.
    """,
    hints=(
        r"""
            First find the distinct letters: glue all the names into one string and make a set
            of it. A set has no order, so sort it before numbering.
        """,
        r"""
            `letters = sorted(set("".join(words)))`; then `stoi = {c: i + 1 for i, c in
            enumerate(letters)}` and `stoi['.'] = 0`; `itos = {i: c for c, i in stoi.items()}`.
        """,
    ),
)
def build_vocab(words: list[str]) -> tuple[dict[str, int], dict[int, str]]:
    """'.' -> 0, then the letters that occur in sorted order -> 1, 2, ...; and the inverse."""
    letters = sorted(set("".join(words)))
    stoi = {".": 0} | {c: i + 1 for i, c in enumerate(letters)}
    itos = {i: c for c, i in stoi.items()}
    return stoi, itos


@exercise(
    title="Counting bigrams",
    difficulty=1, importance=5, minutes=(10, 15),
    task=r"""
        Write `bigram_counts(words, stoi)`. `words` is a list of names and `stoi` a vocabulary
        from `build_vocab` (it may have fewer than 27 symbols, and your code must not assume
        that `'a'` is 1: look every symbol up in `stoi`).

        Wrap each name in `'.'` at both ends (`"ava"` becomes `".ava."`) and count every pair of
        neighbouring symbols: `"ava"` contributes `(., a)`, `(a, v)`, `(v, a)`, `(a, .)`.
        Return `N`, a tensor of shape `(v, v)` with `v = len(stoi)`, where `N[i, j]` is how many
        times symbol `j` follows symbol `i`, summed over all the names: row `i` is "what comes
        after symbol `i`".

        `N` must have an **integer dtype** wide enough for real counts: `torch.int64` or
        `torch.int32` (a float tensor is refused: counts are whole numbers, and `torch.zeros`
        without a `dtype` gives floats; `torch.uint8` is refused because it wraps around past
        255). For `["emma", "olivia", "ava"]`, `N.sum()` is 16: one bigram per letter of each
        name plus one.
    """,
    hints=(
        r"""
            Work one name at a time: put the dots around it, then walk along it looking at each
            symbol and the one after it. `zip(chs, chs[1:])` pairs each element of a list with
            the next.
        """,
        r"""
            `N = torch.zeros((len(stoi), len(stoi)), dtype=torch.int64)`, then for each name
            `chs = ['.'] + list(w) + ['.']` and for each `a, b in zip(chs, chs[1:])`:
            `N[stoi[a], stoi[b]] += 1`. Create `N` once, before the loop over names.
        """,
    ),
)
def bigram_counts(words: list[str], stoi: dict[str, int]) -> Int[Tensor, "v v"]:
    """N[i, j]: how often symbol j follows symbol i, over names wrapped in '.' at both ends."""
    v = len(stoi)
    firsts, seconds = [], []
    for w in words:
        chs = ["."] + list(w) + ["."]
        firsts += [stoi[c] for c in chs[:-1]]
        seconds += [stoi[c] for c in chs[1:]]
    # One bincount over flat pair indices instead of 228 000 single-element tensor updates.
    flat = torch.tensor(firsts, dtype=torch.int64) * v + torch.tensor(seconds, dtype=torch.int64)
    return torch.bincount(flat, minlength=v * v).view(v, v)


@exercise(
    title="From counts to probabilities, with smoothing",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write `bigram_probs(N, smoothing=1)`. `N` is a `(v, v)` integer count matrix from
        `bigram_counts`; `smoothing` is a whole number $\ge 0$.

        Add `smoothing` to **every** count (so no bigram gets probability 0), then divide each
        **row** by its own total, so that every row sums to 1:

        $$P[i, j] = \frac{N[i, j] + s}{\sum_k \left(N[i, k] + s\right)}.$$

        Return a floating-point tensor (`torch.float32` is what `.float()` gives) of shape
        `(v, v)`: row `i` is the distribution of the symbol that follows symbol `i`. Do not
        change `N` itself (no in-place `+=` on it). With `smoothing=0`, a row of `N` that is
        all zeros has no distribution (0 / 0): that case is not checked.
    """,
    hints=(
        r"""
            Convert to float before you divide: integer tensors divide with rounding or complain.
            A row's total is a sum over its columns, that is over `dim=1`. Then think about the
            shapes: the totals must line up with the rows, not with the columns.
        """,
        r"""
            `P = (N + smoothing).float()` makes a new tensor (so `N` is untouched), then
            `P / P.sum(1, keepdim=True)`: the totals have shape `(v, 1)` and stretch across each
            row. Without `keepdim` they have shape `(v,)`, which broadcasts as `(1, v)` and
            divides each *column* `j` by row `j`'s total: no error, just wrong numbers.
        """,
    ),
)
def bigram_probs(N: Int[Tensor, "v v"], smoothing: int = 1) -> Float[Tensor, "v v"]:
    """Add-`smoothing` counts, each row normalized to sum to 1."""
    P = (N + smoothing).float()
    return P / P.sum(1, keepdim=True)


@exercise(
    title="Sampling names from the model",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `sample_names(P, n, generator, itos)`: draw `n` names from the bigram model `P`
        (a `(v, v)` float tensor whose rows sum to 1, as `bigram_probs` returns), using the
        `torch.Generator` `generator` for every random draw.

        Each name starts at `'.'` (index `0`). Repeat: draw the next index from the row of the
        current one with exactly

        `ix = torch.multinomial(P[ix], 1, replacement=True, generator=generator).item()`

        If `ix` is `0` (the end token), the name is finished; otherwise append `itos[ix]` and
        draw again from row `ix`. Return the list of the `n` names as strings, without the
        dots, in the order drawn. A name may be empty (`''`) if the first draw is already `0`.

        Make no other random draws, and don't create a new generator: the check draws from the
        same seed with the reference and expects the very same names.
    """,
    hints=(
        r"""
            Two loops: one over the `n` names, and inside it a loop that draws one symbol at a
            time from the row of the symbol just drawn, until it draws the end token.
        """,
        r"""
            For each name: `chars, ix = [], 0`, then `while True:` draw `ix` as above;
            `if ix == 0: break`; else `chars.append(itos[ix])`. After the loop,
            `names.append("".join(chars))`.
        """,
    ),
)
def sample_names(P: Float[Tensor, "v v"], n: int, generator: torch.Generator,
                 itos: dict[int, str]) -> list[str]:
    """n names drawn symbol by symbol from the rows of P, from '.' until '.' again."""
    names = []
    for _ in range(n):
        chars, ix = [], 0
        while True:
            ix = torch.multinomial(P[ix], 1, replacement=True, generator=generator).item()
            if ix == 0:
                break
            chars.append(itos[ix])
        names.append("".join(chars))
    return names


# ----------------------------------------------------------------------------------------------
# Sections 4-5: the likelihood, the neural bigram


@exercise(
    title="How good is the model? The mean negative log-likelihood",
    difficulty=2, importance=5, minutes=(10, 15),
    task=r"""
        Write `mean_nll(words, P, stoi)`: `words` is a list of lowercase names, `P` a `(v, v)`
        float tensor of bigram probabilities (row `i` is the distribution of what follows
        symbol `i`), `stoi` the vocabulary. Wrap each name in `'.'` at both ends, as in
        `bigram_counts`, and for every bigram `(a, b)` of every name take
        $-\ln P[\mathrm{stoi}[a], \mathrm{stoi}[b]]$ (the natural logarithm). Return the
        **mean over all bigrams** (not over names) as a Python `float`.

        A name of $k$ letters has $k + 1$ bigrams, the start `('.', first letter)` and the end
        `(last letter, '.')` included. If some bigram has probability 0, its term is
        $+\infty$ and so is the mean (`torch.log(torch.tensor(0.0))` is `-inf`).
    """,
    hints=(
        r"""
            The likelihood of the names is the product of the probabilities the model gives
            their bigrams. Its logarithm is the sum of the logs; the loss is the negative of that
            sum divided by how many bigrams there are.
        """,
        r"""
            Keep two running numbers over the same double loop as `bigram_counts`: the total of
            $-\ln p$ and the number of bigrams. `P[i, j]` is a 0-d tensor: `torch.log(P[i,
            j]).item()` makes it a float.
        """,
        r"""
            `total -= torch.log(P[stoi[a], stoi[b]]).item()` and `count += 1` for each bigram;
            return `total / count`.
        """,
    ),
)
def mean_nll(words: list[str], P: Float[Tensor, "v v"], stoi: dict[str, int]) -> float:
    """The average of -log P[a, b] over all bigrams of the names."""
    total, count = 0.0, 0
    for w in words:
        chs = ["."] + list(w) + ["."]
        for a, b in zip(chs, chs[1:]):
            total -= torch.log(P[stoi[a], stoi[b]]).item()
            count += 1
    return total / count


@exercise(
    title="The bigrams as a training set",
    difficulty=1, importance=4, minutes=(5, 10),
    task=r"""
        Write `bigram_pairs(words, stoi)`: turn the names into a training set for a network.
        Return two 1-D tensors `(xs, ys)` of dtype `torch.int64` and the same length, one entry
        per bigram of the names (each wrapped in `'.'` at both ends), in word order and, inside
        a word, from left to right: `xs[k]` is the index of bigram `k`'s first symbol (the
        input) and `ys[k]` the index of its second (the label to predict).

        For `["emma"]` with the 27-symbol vocabulary that is `xs = tensor([0, 5, 13, 13, 1])`
        and `ys = tensor([5, 13, 13, 1, 0])`.
    """,
    hints=(
        r"""
            The same walk over the bigrams as in `bigram_counts`; instead of counting each one,
            remember its two indices in two lists.
        """,
        r"""
            `torch.tensor(firsts, dtype=torch.int64)`: indices must be `int64` for `F.one_hot`,
            for indexing and for `F.cross_entropy`'s targets.
        """,
    ),
)
def bigram_pairs(words: list[str], stoi: dict[str, int]) -> tuple[Int[Tensor, "n"],
                                                                   Int[Tensor, "n"]]:
    """(first symbol, next symbol) indices of every bigram, in order."""
    firsts, seconds = [], []
    for w in words:
        chs = ["."] + list(w) + ["."]
        firsts += [stoi[c] for c in chs[:-1]]
        seconds += [stoi[c] for c in chs[1:]]
    return torch.tensor(firsts, dtype=torch.int64), torch.tensor(seconds, dtype=torch.int64)


@exercise(
    title="The neural bigram's loss",
    difficulty=2, importance=5, minutes=(15, 20),
    task=r"""
        Write `neural_bigram_loss(W, xs, ys, regularization=0.01)`: `W` is a `(v, v)` float
        weight matrix, `xs` and `ys` are the `(n,)` int64 pairs from `bigram_pairs`. Compute,
        step by step:

        1. the one-hot inputs `F.one_hot(xs, num_classes=v).float()`, shape `(n, v)`;
        2. the logits: the matrix product of those with `W` (`@`), shape `(n, v)`;
        3. the probabilities, a softmax over each row: exponentiate (the "counts") and divide
           each row by its own sum;
        4. the data loss: the mean over the `n` bigrams of $-\ln$ of the probability row `k`
           gives to `ys[k]`;
        5. the loss: the data loss plus `regularization * (W ** 2).mean()`.

        Return the loss as a 0-d float tensor that `loss.backward()` can differentiate with
        respect to `W` (no `.item()`, no `torch.no_grad()` on the way). Don't modify `W`.
    """,
    hints=(
        r"""
            Row `k` of `one_hot(xs) @ W` is row `xs[k]` of `W`: the logits of what follows
            symbol `xs[k]`. Exponentiating makes them positive, like counts, and dividing by the
            row's sum makes each row a probability distribution.
        """,
        r"""
            `counts.sum(1, keepdim=True)` has shape `(n, 1)` and divides each row by its own
            total. Without `keepdim` the shape is `(n,)`, which broadcasts along the other axis.
        """,
        r"""
            `probs[torch.arange(n), ys]` picks one probability per row: the one of its label.
            Then `-... .log().mean()`, and add the penalty.
        """,
    ),
)
def neural_bigram_loss(W: Float[Tensor, "v v"], xs: Int[Tensor, "n"], ys: Int[Tensor, "n"],
                       regularization: float = 0.01) -> Float[Tensor, ""]:
    """Mean NLL of ys under softmax(one_hot(xs) @ W), plus regularization * mean(W^2)."""
    logits = F.one_hot(xs, num_classes=W.shape[0]).float() @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdim=True)
    nll = -probs[torch.arange(len(ys)), ys].log().mean()
    return nll + regularization * (W ** 2).mean()


@exercise(
    title="Training the neural bigram by gradient descent",
    difficulty=2, importance=5, minutes=(15, 20),
    task=r"""
        Write `train_neural_bigram(xs, ys, vocab_size=27, steps=100, lr=50.0,
        regularization=0.01, generator=None)`: full-batch gradient descent on
        `neural_bigram_loss`.

        - Start from `W = torch.randn((vocab_size, vocab_size), generator=generator,
          requires_grad=True)`, and make no other random draws.
        - At each of the `steps` steps: compute `loss = neural_bigram_loss(W, xs, ys,
          regularization)` on all the pairs, record `loss.item()`, reset `W`'s gradient,
          backpropagate, and update `W -= lr * W.grad` inside `torch.no_grad()`.

        Return `(W, losses)`: the trained weights (`W.detach()`) and the list of the `steps`
        losses as Python floats, each measured *before* its step's update.
    """,
    hints=(
        r"""
            This is chapter 2's training loop with one parameter tensor: predict and measure the
            loss, get the gradient, step against it, and clear the gradient so that the next
            step does not add to it.
        """,
        r"""
            `W.grad = None` before `loss.backward()`: PyTorch *adds* each backward pass's gradient
            into `W.grad`. The update must not be part of the graph, hence `with
            torch.no_grad(): W -= lr * W.grad`.
        """,
    ),
)
def train_neural_bigram(xs: Int[Tensor, "n"], ys: Int[Tensor, "n"], vocab_size: int = 27,
                        steps: int = 100, lr: float = 50.0, regularization: float = 0.01,
                        generator: torch.Generator | None = None,
                        ) -> tuple[Float[Tensor, "v v"], list[float]]:
    """Full-batch gradient descent on neural_bigram_loss from random normal weights."""
    W = torch.randn((vocab_size, vocab_size), generator=generator, requires_grad=True)
    losses = []
    for _ in range(steps):
        loss = neural_bigram_loss(W, xs, ys, regularization)
        losses.append(loss.item())
        W.grad = None
        loss.backward()
        with torch.no_grad():
            W -= lr * W.grad
    return W.detach(), losses


@exercise(
    title="Bonus: index instead of one-hot, and F.cross_entropy",
    difficulty=2, importance=3, minutes=(10, 15), bonus=True,
    task=r"""
        Write `fast_bigram_loss(W, xs, ys, regularization=0.01)`: the same value and gradient
        as `neural_bigram_loss` (to about $10^{-6}$), without building one-hot vectors (the
        check forbids `F.one_hot` and any matrix product with `W`). Two observations from
        Karpathy's exercises for this lecture:

        - A one-hot row times `W` just picks a row of `W`, so the logits are `W[xs]`, shape
          `(n, v)`, with no matrix product.
        - `F.cross_entropy(logits, targets)` takes **logits** (not probabilities) and computes
          the mean of $-\ln \mathrm{softmax}$ at the targets in one call, in a numerically safe
          way.

        Return that plus the same `regularization * (W ** 2).mean()`, a 0-d tensor that
        backpropagates to `W`.
    """,
    hints=(
        r"""
            `F.one_hot(xs, v).float() @ W` and `W[xs]` are the same `(n, v)` matrix; indexing
            copies `n` rows instead of multiplying by `n * v` numbers that are almost all 0.
        """,
        r"""
            `F.cross_entropy` applies the softmax itself: give it `W[xs]`, not probabilities,
            and `ys` as the targets.
        """,
    ),
)
def fast_bigram_loss(W: Float[Tensor, "v v"], xs: Int[Tensor, "n"], ys: Int[Tensor, "n"],
                     regularization: float = 0.01) -> Float[Tensor, ""]:
    """neural_bigram_loss by row indexing and F.cross_entropy."""
    return F.cross_entropy(W[xs], ys) + regularization * (W ** 2).mean()
