"""Reference solutions for chapter 4.4: makemore, part 4 — becoming a backprop ninja.

The source of truth for `exercises/makemore_backprop.py` and its notebooks (`python -m
utils.codegen`); the prose around each exercise is in `pages/makemore_backprop/<n>_<key>.md`.

The model is chapter 4.3's MLP with one batch-norm layer: embedding, concatenation, Linear,
BatchNorm (batch statistics, biased variance), tanh, Linear, cross-entropy. `forward_pass` runs it
one small step at a time and keeps every intermediate under Karpathy's names, so each one's
gradient can be written by hand and compared with autograd's by name. A gradient is named after
the tensor it belongs to: `grads["probs"]` is dloss/dprobs, with the shape of `probs`.
"""

import torch
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor

from utils.exercise_meta import exercise  # noqa: F401

Params = dict[str, Tensor]
Cache = dict[str, Tensor]

# The intermediates of `forward_pass`, in the order the forward pass computes them.
FORWARD_NAMES = ("emb", "embcat", "hprebn", "bnmeani", "bndiff", "bndiff2", "bnvar", "bnvar_inv",
                 "bnraw", "hpreact", "h", "logits", "logit_maxes", "norm_logits", "counts",
                 "counts_sum", "counts_sum_inv", "probs", "logprobs", "loss")
PARAM_NAMES = ("C", "W1", "b1", "bngain", "bnbias", "W2", "b2")


# ==============================================================================================
# Sections 1-2: the forward pass in small steps, and every gradient by hand


def init_params(vocab_size: int = 27, block_size: int = 3, n_embd: int = 10, n_hidden: int = 64,
                generator: torch.Generator | None = None) -> Params:
    """The MLP's seven parameter tensors, drawn from `generator` in a fixed order, each a leaf
    that requires grad. Every one is random and small, none exactly zero or one: a gradient
    formula with a wrong term can't hide behind a zero bias or a unit gain."""
    fan_in = n_embd * block_size
    draws = {
        "C": torch.randn((vocab_size, n_embd), generator=generator),
        "W1": torch.randn((fan_in, n_hidden), generator=generator) * (5 / 3) / fan_in ** 0.5,
        "b1": torch.randn(n_hidden, generator=generator) * 0.1,
        "W2": torch.randn((n_hidden, vocab_size), generator=generator) * 0.1,
        "b2": torch.randn(vocab_size, generator=generator) * 0.1,
        "bngain": torch.randn((1, n_hidden), generator=generator) * 0.1 + 1.0,
        "bnbias": torch.randn((1, n_hidden), generator=generator) * 0.1,
    }
    return {name: draws[name].requires_grad_() for name in PARAM_NAMES}


def forward_pass(params: Params, Xb: Int[Tensor, "n block"], Yb: Int[Tensor, "n"],
                 eps: float = 1e-5) -> Cache:
    """The MLP's forward pass in small steps, each intermediate kept under its name (the
    dtype is the parameters')."""
    p = params
    n = Xb.shape[0]
    c: Cache = {}
    # Embedding and the first layer.
    c["emb"] = p["C"][Xb]                                     # (n, block, n_embd)
    c["embcat"] = c["emb"].view(n, -1)                        # (n, block * n_embd)
    c["hprebn"] = c["embcat"] @ p["W1"] + p["b1"]             # (n, hidden)
    # Batch norm with the batch's own statistics.
    c["bnmeani"] = c["hprebn"].sum(0, keepdim=True) / n       # (1, hidden)
    c["bndiff"] = c["hprebn"] - c["bnmeani"]                  # (n, hidden)
    c["bndiff2"] = c["bndiff"] ** 2                           # (n, hidden)
    c["bnvar"] = c["bndiff2"].sum(0, keepdim=True) / n        # (1, hidden): biased, as torch's
    c["bnvar_inv"] = (c["bnvar"] + eps) ** -0.5               # (1, hidden)   BatchNorm1d trains
    c["bnraw"] = c["bndiff"] * c["bnvar_inv"]                 # (n, hidden)
    c["hpreact"] = p["bngain"] * c["bnraw"] + p["bnbias"]     # (n, hidden)
    # The nonlinearity and the output layer.
    c["h"] = torch.tanh(c["hpreact"])                         # (n, hidden)
    c["logits"] = c["h"] @ p["W2"] + p["b2"]                  # (n, vocab)
    # Cross-entropy, one operation at a time.
    c["logit_maxes"] = c["logits"].max(1, keepdim=True).values  # (n, 1)
    c["norm_logits"] = c["logits"] - c["logit_maxes"]         # (n, vocab): exp can't overflow
    c["counts"] = c["norm_logits"].exp()                      # (n, vocab)
    c["counts_sum"] = c["counts"].sum(1, keepdim=True)        # (n, 1)
    c["counts_sum_inv"] = c["counts_sum"] ** -1               # (n, 1)
    c["probs"] = c["counts"] * c["counts_sum_inv"]            # (n, vocab)
    c["logprobs"] = c["probs"].log()                          # (n, vocab)
    c["loss"] = -c["logprobs"][torch.arange(n), Yb].mean()    # ()
    return c


def autograd_gradients(params: Params, Xb: Int[Tensor, "n block"], Yb: Int[Tensor, "n"],
                       eps: float = 1e-5) -> tuple[Cache, dict[str, Tensor]]:
    """`forward_pass` with every intermediate's gradient kept, then `loss.backward()`: the
    cache (detached) and autograd's gradient of the loss for every intermediate and parameter,
    by name. The parameters must require grad; their `.grad` is left as it was."""
    before = {name: p.grad for name, p in params.items()}
    cache = forward_pass(params, Xb, Yb, eps)
    for tensor in cache.values():
        tensor.retain_grad()  # autograd keeps only the leaves' gradients unless asked
    cache["loss"].backward()
    grads = {name: cache[name].grad for name in FORWARD_NAMES if name != "loss"}
    grads.update({name: p.grad for name, p in params.items()})
    for name, p in params.items():
        p.grad = before[name]
    return {name: t.detach() for name, t in cache.items()}, grads


def compare_gradients(mine: dict[str, Tensor], autograd: dict[str, Tensor]) -> list[dict]:
    """One row per name of `mine`: is it bit for bit autograd's gradient, equal up to rounding
    (`torch.allclose`), and the largest absolute difference (None when the shapes differ)."""
    rows = []
    for name, dt in mine.items():
        t = autograd[name]
        same_shape = tuple(dt.shape) == tuple(t.shape)
        rows.append({
            "name": name, "shape": tuple(t.shape), "your_shape": tuple(dt.shape),
            "exact": same_shape and bool((dt == t).all()),
            "approximate": same_shape and torch.allclose(dt.to(t.dtype), t),
            "max_diff": (dt.to(t.dtype) - t).abs().max().item() if same_shape else None,
        })
    return rows


@exercise(
    title="Backward through the loss, step by step",
    difficulty=4, importance=5, minutes=(30, 45),
    task=r"""
        Write `backward_loss_steps(cache, Yb)`. `cache` is `forward_pass`'s dict for a batch
        of `n` examples and `Yb` its targets, shape `(n,)`. Return a dict with the gradient of
        the loss with respect to each of these eight intermediates, in the order you will
        compute them: `"logprobs"`, `"probs"`, `"counts_sum_inv"`, `"counts_sum"`,
        `"counts"`, `"norm_logits"`, `"logit_maxes"`, `"logits"`. Each gradient is named after
        its tensor and has **exactly that tensor's shape** (`grads["counts_sum"]` is `(n, 1)`,
        like `cache["counts_sum"]`) and dtype. Compute each from the cache and the gradients
        you already have, one line per name; no `.backward()`, no autograd.

        The check runs your function on a float64 batch, where it compares each name with
        autograd's to about $10^{-6}$ of its largest entry, and again on a float32 batch (about
        $10^{-4}$), so it must work in both dtypes: make new tensors with `torch.zeros_like` or
        the cache's dtype, not with a bare `torch.zeros(shape)`. It names the first gradient
        that is missing, has the wrong shape or the wrong values.
    """,
    hints=(
        r"""
            Walk `forward_pass` from the bottom up. For each line `out = f(a, b)` you already
            have `d(out)`; the local derivative of `f` turns it into `d(a)` and `d(b)`. The
            loss is minus the mean of `n` entries of `logprobs`: each of those gets $-1/n$, every
            other entry 0.
        """,
        r"""
            Two of these tensors are read twice in the forward pass: `counts` (by `counts_sum`
            and by `probs`) and `logits` (by `logit_maxes` and by `norm_logits`). Their
            gradient is the sum of both paths' contributions. A `(n, 1)` tensor broadcast
            across a row (`counts_sum_inv`, `logit_maxes`) gets its gradient summed over
            `dim=1` with `keepdim=True`.
        """,
        r"""
            `dprobs = dlogprobs / probs`; `dcounts_sum_inv = (counts * dprobs).sum(1,
            keepdim=True)`; `dcounts_sum = -counts_sum**-2 * dcounts_sum_inv`; `dcounts =
            counts_sum_inv * dprobs + dcounts_sum` (broadcast back over the row);
            `dnorm_logits = counts * dcounts`; `dlogit_maxes = -dnorm_logits.sum(1,
            keepdim=True)`; `dlogits = dnorm_logits + F.one_hot(logits.max(1).indices, vocab) *
            dlogit_maxes`.
        """,
    ),
)
def backward_loss_steps(cache: Cache, Yb: Int[Tensor, "n"]) -> dict[str, Tensor]:
    """dloss/d(each intermediate from logprobs back to logits), by hand, each of its tensor's
    shape: {"logprobs": ..., "probs": ..., ..., "logits": ...}."""
    c = cache
    n = Yb.shape[0]
    g: dict[str, Tensor] = {}
    g["logprobs"] = torch.zeros_like(c["logprobs"])
    g["logprobs"][torch.arange(n), Yb] = -1.0 / n
    g["probs"] = g["logprobs"] / c["probs"]
    g["counts_sum_inv"] = (c["counts"] * g["probs"]).sum(1, keepdim=True)
    g["counts_sum"] = -c["counts_sum"] ** -2 * g["counts_sum_inv"]
    g["counts"] = c["counts_sum_inv"] * g["probs"] + torch.ones_like(c["counts"]) * g["counts_sum"]
    g["norm_logits"] = c["counts"] * g["counts"]
    g["logit_maxes"] = -g["norm_logits"].sum(1, keepdim=True)
    g["logits"] = g["norm_logits"].clone()
    g["logits"] += F.one_hot(c["logits"].max(1).indices, c["logits"].shape[1]) * g["logit_maxes"]
    return g


@exercise(
    title="Backward through the output layer and tanh",
    difficulty=2, importance=5, minutes=(10, 20),
    task=r"""
        Write `backward_output_layer(cache, params, dlogits)`. `dlogits` is the gradient of the
        loss with respect to `cache["logits"]`, shape `(n, vocab)` (the check gives you
        autograd's, so a slip in the previous exercise can't spoil this one). Return a dict
        with the gradients with respect to `"h"` `(n, hidden)`, `"W2"` `(hidden, vocab)`,
        `"b2"` `(vocab,)` and `"hpreact"` `(n, hidden)`: each of its tensor's shape, from
        `logits = h @ W2 + b2` and `h = tanh(hpreact)`. Float64 and float32, as before.
    """,
    hints=(
        r"""
            Let the shapes pick the matrix products: `dh` must be `(n, hidden)` and is built
            from `dlogits` `(n, vocab)` and `W2` `(hidden, vocab)`; `dW2` must be `(hidden,
            vocab)` and is built from `h` `(n, hidden)` and `dlogits`. `b2` is added to every
            row, so its gradient sums `dlogits` over the batch.
        """,
        r"""
            $\frac{d}{dx}\tanh x = 1 - \tanh^2 x$, and `cache["h"]` already holds $\tanh x$:
            `dhpreact = (1 - h**2) * dh`.
        """,
        r"""
            `dh = dlogits @ W2.T`, `dW2 = h.T @ dlogits`, `db2 = dlogits.sum(0)`.
        """,
    ),
)
def backward_output_layer(cache: Cache, params: Params,
                          dlogits: Float[Tensor, "n vocab"]) -> dict[str, Tensor]:
    """dloss/dh, dW2, db2 and dhpreact, by hand, from dloss/dlogits:
    {"h": ..., "W2": ..., "b2": ..., "hpreact": ...}."""
    g: dict[str, Tensor] = {}
    g["h"] = dlogits @ params["W2"].T
    g["W2"] = cache["h"].T @ dlogits
    g["b2"] = dlogits.sum(0)
    g["hpreact"] = (1.0 - cache["h"] ** 2) * g["h"]
    return g


@exercise(
    title="Backward through batch norm, step by step",
    difficulty=4, importance=5, minutes=(30, 45),
    task=r"""
        Write `backward_batchnorm_steps(cache, params, dhpreact, eps=1e-5)`. `dhpreact` is the
        gradient with respect to `cache["hpreact"]`, shape `(n, hidden)` (autograd's, in the
        check). Return a dict with the gradients with respect to, in order, `"bngain"`,
        `"bnbias"`, `"bnraw"`, `"bnvar_inv"`, `"bnvar"`, `"bndiff2"`, `"bndiff"`, `"bnmeani"`
        and `"hprebn"`, each of its tensor's shape: the parameters `bngain` and `bnbias` and
        the batch statistics are `(1, hidden)`, the rest `(n, hidden)`. `eps` is the one
        `forward_pass` used (the check also tries another): use it wherever it appears.
    """,
    hints=(
        r"""
            Every `(1, hidden)` tensor is broadcast over the batch in the forward pass, so its
            gradient sums the `(n, hidden)` contributions over `dim=0`, `keepdim=True`. And the
            reverse: `bnvar` and `bnmeani` are sums over the batch (divided by `n`), so every
            row gets the same share of their gradient.
        """,
        r"""
            `bndiff` is read twice (by `bndiff2` and by `bnraw`) and `hprebn` twice (by
            `bnmeani` and by `bndiff`): add both paths. For `bnvar_inv = (bnvar + eps)**-0.5`
            the local derivative is $-\tfrac12(\text{bnvar} + \epsilon)^{-3/2}$.
        """,
        r"""
            `dbnraw = bngain * dhpreact`; `dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True)`;
            `dbndiff2 = torch.ones_like(bndiff2) / n * dbnvar`; `dbndiff = bnvar_inv * dbnraw +
            2 * bndiff * dbndiff2`; `dbnmeani = -dbndiff.sum(0, keepdim=True)`; `dhprebn =
            dbndiff + dbnmeani / n` (broadcast).
        """,
    ),
)
def backward_batchnorm_steps(cache: Cache, params: Params, dhpreact: Float[Tensor, "n hidden"],
                             eps: float = 1e-5) -> dict[str, Tensor]:
    """dloss/d(each batch-norm intermediate and parameter), by hand, from dloss/dhpreact:
    {"bngain": ..., "bnbias": ..., "bnraw": ..., ..., "hprebn": ...}."""
    c = cache
    n = dhpreact.shape[0]
    g: dict[str, Tensor] = {}
    g["bngain"] = (c["bnraw"] * dhpreact).sum(0, keepdim=True)
    g["bnbias"] = dhpreact.sum(0, keepdim=True)
    g["bnraw"] = params["bngain"] * dhpreact
    g["bnvar_inv"] = (c["bndiff"] * g["bnraw"]).sum(0, keepdim=True)
    g["bnvar"] = -0.5 * (c["bnvar"] + eps) ** -1.5 * g["bnvar_inv"]
    g["bndiff2"] = torch.ones_like(c["bndiff2"]) / n * g["bnvar"]
    g["bndiff"] = c["bnvar_inv"] * g["bnraw"] + 2 * c["bndiff"] * g["bndiff2"]
    g["bnmeani"] = -g["bndiff"].sum(0, keepdim=True)
    g["hprebn"] = g["bndiff"].clone() + torch.ones_like(c["hprebn"]) / n * g["bnmeani"]
    return g


@exercise(
    title="Backward through the first layer and the embedding",
    difficulty=3, importance=5, minutes=(15, 25),
    task=r"""
        Write `backward_embedding(cache, params, dhprebn, Xb)`. `dhprebn` is the gradient with
        respect to `cache["hprebn"]`, shape `(n, hidden)` (autograd's, in the check), and `Xb`
        the batch's contexts, int64 `(n, block)`. Return a dict with the gradients with respect
        to `"embcat"` `(n, block * n_embd)`, `"W1"` `(block * n_embd, hidden)`, `"b1"`
        `(hidden,)`, `"emb"` `(n, block, n_embd)` and `"C"` `(vocab, n_embd)`, from `hprebn = embcat @ W1 + b1`, `embcat = emb.view(n, -1)`
        and `emb = C[Xb]`. The same symbol appears many times in a batch: row `C[i]` gets
        the sum of the gradients of every position of `Xb` that holds `i` (and zeros for a
        symbol the batch never uses).
    """,
    hints=(
        r"""
            The first layer is the output layer's rules again. `view` only relabels the
            numbers, so its backward is a `view` back to `emb`'s shape.
        """,
        r"""
            Indexing copies rows forward, so backward it adds them back: start from
            `torch.zeros_like(C)` and, for every example `k` and position `j`, add
            `demb[k, j]` into row `Xb[k, j]`. `dC[Xb] = demb` (or `dC[Xb] += demb`) is not the
            same: with a repeated index, only one of the writes survives.
        """,
        r"""
            Two loops over `k` and `j` work; so does `dC.index_add_(0, Xb.view(-1),
            demb.view(-1, n_embd))`, or the one-hot matrix `onehot =
            F.one_hot(Xb.view(-1), vocab).to(demb.dtype)`, `(n * block, vocab)`, in
            `onehot.T @ demb.view(-1, n_embd)`.
        """,
    ),
)
def backward_embedding(cache: Cache, params: Params, dhprebn: Float[Tensor, "n hidden"],
                       Xb: Int[Tensor, "n block"]) -> dict[str, Tensor]:
    """dloss/dembcat, dW1, db1, demb and dC, by hand, from dloss/dhprebn:
    {"embcat": ..., "W1": ..., "b1": ..., "emb": ..., "C": ...}."""
    g: dict[str, Tensor] = {}
    g["embcat"] = dhprebn @ params["W1"].T
    g["W1"] = cache["embcat"].T @ dhprebn
    g["b1"] = dhprebn.sum(0)
    g["emb"] = g["embcat"].view(cache["emb"].shape)
    g["C"] = torch.zeros_like(params["C"])
    g["C"].index_add_(0, Xb.reshape(-1), g["emb"].reshape(-1, g["emb"].shape[-1]))
    return g


# ==============================================================================================
# Sections 3-5: cross-entropy and batch norm in closed form, training with your own gradients


@exercise(
    title="Cross-entropy backward in one line",
    difficulty=3, importance=5, minutes=(15, 25),
    task=r"""
        Write `cross_entropy_backward(logits, targets)`: the gradient of the mean cross-entropy
        `F.cross_entropy(logits, targets)` with respect to `logits`, in closed form. `logits` is
        a float tensor of shape `(n, v)` (float32 or float64, `n` may be 1), `targets` an int64
        tensor of shape `(n,)` of class indices. Return a new tensor of the shape and dtype of
        `logits`: row $i$ is the softmax of row $i$, minus 1 at column `targets[i]`, all divided
        by `n`. Don't change `logits`, and don't use autograd (no `.backward()`, no
        `torch.autograd.grad`): the point is to write the gradient yourself. It must stay
        finite for logits in the thousands.
    """,
    hints=(
        r"""
            The derivation above gives, for every row $i$ and column $j$,
            $\partial L / \partial z_{ij} = (p_{ij} - [j = y_i]) / n$, where $p_i$ is the softmax
            of row $i$. So: probabilities, then subtract one per row, then divide.
        """,
        r"""
            `torch.softmax(logits, dim=1)` normalises each row (over the classes, dim 1) and
            subtracts each row's maximum inside, so it never overflows. It returns a new
            tensor, which you may then change in place.
        """,
        r"""
            `d = torch.softmax(logits, dim=1)`; `d[torch.arange(n), targets] -= 1`; `return d /
            n`. (Or subtract `torch.nn.functional.one_hot(targets, v)`.)
        """,
    ),
)
def cross_entropy_backward(logits: Float[Tensor, "n v"],
                           targets: Int[Tensor, "n"]) -> Float[Tensor, "n v"]:
    """dL/dlogits of L = F.cross_entropy(logits, targets): (softmax(logits) - onehot) / n."""
    n = logits.shape[0]
    d = torch.softmax(logits, dim=1)
    d[torch.arange(n), targets] -= 1
    return d / n


@exercise(
    title="Batch norm backward in one expression",
    difficulty=4, importance=5, minutes=(30, 45),
    task=r"""
        Write `batchnorm_backward(dout, x, gamma, eps=1e-5)`. The forward pass is training-mode
        batch norm over the batch (dim 0) of `x`, shape `(n, c)` with `n >= 2`:
        $\mu = \frac1n\sum_i x_i$, $\sigma^2 = \frac1n\sum_i (x_i - \mu)^2$ (the biased variance,
        as `nn.BatchNorm1d` trains), $\hat x = (x - \mu)/\sqrt{\sigma^2 + \epsilon}$,
        $y = \gamma\hat x + \beta$. `dout` (shape `(n, c)`) is $\partial L/\partial y$; `gamma`
        has shape `(c,)` or `(1, c)`. Return $\partial L/\partial x$, shape `(n, c)`, in the
        dtype of `x`, from the closed form derived above (recompute $\mu$, $\sigma^2$ and $\hat x$
        from `x`; no autograd, and leave the inputs unchanged).
    """,
    hints=(
        r"""
            Compute `mean`, `var` (divide by `n`, not `n - 1`), `inv_std = (var + eps) ** -0.5`
            and `xhat` per column, with `keepdim=True` so they broadcast over the rows.
        """,
        r"""
            The result has three terms, one per path from $x_i$ to the loss: the direct one
            ($n\,dy_i$), the one through the mean ($-\sum_j dy_j$) and the one through the
            variance ($-\hat x_i \sum_j dy_j \hat x_j$), all times $\gamma\sigma^{-1}/n$.
        """,
        r"""
            `gamma * inv_std / n * (n * dout - dout.sum(0, keepdim=True) - xhat * (dout *
            xhat).sum(0, keepdim=True))`.
        """,
    ),
)
def batchnorm_backward(dout: Float[Tensor, "n c"], x: Float[Tensor, "n c"],
                       gamma: Float[Tensor, "c"], eps: float = 1e-5) -> Float[Tensor, "n c"]:
    """dL/dx of training-mode batch norm, batch statistics with the biased variance."""
    n = x.shape[0]
    mean = x.mean(0, keepdim=True)
    var = ((x - mean) ** 2).mean(0, keepdim=True)
    inv_std = (var + eps) ** -0.5
    xhat = (x - mean) * inv_std
    return gamma * inv_std / n * (n * dout - dout.sum(0, keepdim=True)
                                  - xhat * (dout * xhat).sum(0, keepdim=True))


@exercise(
    title="Training with your own gradients",
    difficulty=3, importance=4, minutes=(20, 30),
    task=r"""
        Write `train_manual(params, X, Y, steps, lr, batch_size, generator)`: minibatch
        gradient descent on the chapter's model, with every gradient written by hand. `params`
        is a dict from `init_params` (keys `"C"`, `"W1"`, `"b1"`, `"bngain"`, `"bnbias"`,
        `"W2"`, `"b2"`), `X` int64 contexts `(N, block_size)`, `Y` int64 targets `(N,)`. At
        each of `steps` steps: draw `ix = torch.randint(0, X.shape[0], (batch_size,),
        generator=generator)` (one draw per step, nothing else from the generator), run
        `forward_pass(params, X[ix], Y[ix])`, compute the gradient of the loss for all seven
        parameters from the cache with `cross_entropy_backward`, `batchnorm_backward` and the
        layers' rules of section 2, and move each parameter by `-lr * grad` in place. Never
        call `.backward()` and record no graph: run the whole step inside `torch.no_grad()`.
        Return the list of the `steps` minibatch losses (Python floats, each before its
        update).
    """,
    hints=(
        r"""
            Go down the network from the loss: `dlogits` (closed form), then the output layer
            ($dh = dz\,W_2^\top$, $dW_2 = h^\top dz$, $db_2 = \sum_i dz_i$), tanh
            ($dh_{pre} = (1 - h^2)\,dh$), the batch norm's gain and bias (sums over the batch),
            `dhprebn` (closed form), the first layer, and the embedding.
        """,
        r"""
            `gamma` here is `params["bngain"]`, `x` is `cache["hprebn"]`. `dbngain =
            (cache["bnraw"] * dhpreact).sum(0, keepdim=True)`, `dbnbias = dhpreact.sum(0,
            keepdim=True)`.
        """,
        r"""
            `demb = dembcat.view(emb.shape)`, and a row of `C` used several times in the batch
            gets the sum of their gradients: `dC = torch.zeros_like(C); dC.index_add_(0,
            Xb.view(-1), demb.view(-1, n_embd))`. (`dC[Xb] = demb` keeps only one of them.)
        """,
    ),
)
def train_manual(params: Params, X: Int[Tensor, "N block"], Y: Int[Tensor, "N"], steps: int,
                 lr: float, batch_size: int, generator: torch.Generator) -> list[float]:
    """Minibatch SGD with hand-written gradients (no autograd); the minibatch losses."""
    p = params
    losses = []
    with torch.no_grad():
        for _ in range(steps):
            ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
            Xb, Yb = X[ix], Y[ix]
            c = forward_pass(p, Xb, Yb)
            g: dict[str, Tensor] = {}
            dlogits = cross_entropy_backward(c["logits"], Yb)
            g["W2"] = c["h"].T @ dlogits
            g["b2"] = dlogits.sum(0)
            dhpreact = (1.0 - c["h"] ** 2) * (dlogits @ p["W2"].T)
            g["bngain"] = (c["bnraw"] * dhpreact).sum(0, keepdim=True)
            g["bnbias"] = dhpreact.sum(0, keepdim=True)
            dhprebn = batchnorm_backward(dhpreact, c["hprebn"], p["bngain"])
            g["W1"] = c["embcat"].T @ dhprebn
            g["b1"] = dhprebn.sum(0)
            demb = (dhprebn @ p["W1"].T).view(c["emb"].shape)
            g["C"] = torch.zeros_like(p["C"])
            g["C"].index_add_(0, Xb.reshape(-1), demb.reshape(-1, demb.shape[-1]))
            for name, tensor in p.items():
                tensor -= lr * g[name]
            losses.append(c["loss"].item())
    return losses
