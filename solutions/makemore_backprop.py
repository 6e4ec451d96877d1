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
# (helper MANUAL's region) Sections 1-2: the forward pass in atoms, and every gradient by hand


def init_params(vocab_size: int = 27, block_size: int = 3, n_embd: int = 10, n_hidden: int = 64,
                generator: torch.Generator | None = None) -> Params:
    """Small random parameters, none of them exactly zero or one, so that a gradient written
    with a wrong term can't hide behind a zero bias or a unit gain."""
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
    """The MLP's forward pass in small steps; every intermediate, under its name."""
    p = params
    n = Xb.shape[0]
    c: Cache = {}
    c["emb"] = p["C"][Xb]
    c["embcat"] = c["emb"].view(n, -1)
    c["hprebn"] = c["embcat"] @ p["W1"] + p["b1"]
    c["bnmeani"] = c["hprebn"].sum(0, keepdim=True) / n
    c["bndiff"] = c["hprebn"] - c["bnmeani"]
    c["bndiff2"] = c["bndiff"] ** 2
    c["bnvar"] = c["bndiff2"].sum(0, keepdim=True) / n  # biased, as torch's BatchNorm trains
    c["bnvar_inv"] = (c["bnvar"] + eps) ** -0.5
    c["bnraw"] = c["bndiff"] * c["bnvar_inv"]
    c["hpreact"] = p["bngain"] * c["bnraw"] + p["bnbias"]
    c["h"] = torch.tanh(c["hpreact"])
    c["logits"] = c["h"] @ p["W2"] + p["b2"]
    c["logit_maxes"] = c["logits"].max(1, keepdim=True).values
    c["norm_logits"] = c["logits"] - c["logit_maxes"]  # subtracting the max keeps exp finite
    c["counts"] = c["norm_logits"].exp()
    c["counts_sum"] = c["counts"].sum(1, keepdim=True)
    c["counts_sum_inv"] = c["counts_sum"] ** -1
    c["probs"] = c["counts"] * c["counts_sum_inv"]
    c["logprobs"] = c["probs"].log()
    c["loss"] = -c["logprobs"][torch.arange(n), Yb].mean()
    return c


@exercise(
    title="Backward through the loss, step by step",
    difficulty=4, importance=5, minutes=(30, 45),
    task=r"""
        Write `backward_loss_steps(cache, Yb)`: a dict with the gradient of the loss with
        respect to each of "logprobs", "probs", "counts_sum_inv", "counts_sum", "counts",
        "norm_logits", "logit_maxes" and "logits" (each of the intermediate's shape), going
        backwards one step at a time through `forward_pass`'s operations.
    """,
    hints=(
        r"""Only the `n` picked entries of `logprobs` reach the loss, each with weight $-1/n$.""",
        r"""A tensor used twice (`counts`, `logits`) gets the sum of both paths' gradients.""",
    ),
)
def backward_loss_steps(cache: Cache, Yb: Int[Tensor, "n"]) -> dict[str, Tensor]:
    """dloss/d(each intermediate from logits to logprobs), by hand."""
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
    g["logits"] += torch.nn.functional.one_hot(c["logits"].max(1).indices,
                                               c["logits"].shape[1]) * g["logit_maxes"]
    return g


@exercise(
    title="Backward through the output layer and tanh",
    difficulty=3, importance=5, minutes=(15, 20),
    task=r"""
        Write `backward_output_layer(cache, params, dlogits)`: a dict with the gradients of the
        loss with respect to "h", "W2", "b2" and "hpreact", given `dlogits`.
    """,
    hints=(r"""For $y = hW + b$: $dh = dy\,W^\top$, $dW = h^\top dy$, $db = \sum_i dy_i$.
              And $\tanh' = 1 - \tanh^2$.""",),
)
def backward_output_layer(cache: Cache, params: Params,
                          dlogits: Float[Tensor, "n vocab"]) -> dict[str, Tensor]:
    """dloss/dh, dW2, db2 and dhpreact, by hand."""
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
        Write `backward_batchnorm_steps(cache, params, dhpreact, eps=1e-5)`: a dict with the
        gradients of the loss with respect to "bngain", "bnbias", "bnraw", "bnvar_inv", "bnvar",
        "bndiff2", "bndiff", "bnmeani" and "hprebn", going backwards one step at a time.
    """,
    hints=(
        r"""A (1, hidden) tensor broadcast over the batch gets its gradient summed over dim 0.""",
        r"""`bndiff` is used twice (for `bndiff2` and `bnraw`), `hprebn` twice (for `bnmeani`
            and `bndiff`).""",
    ),
)
def backward_batchnorm_steps(cache: Cache, params: Params, dhpreact: Float[Tensor, "n hidden"],
                             eps: float = 1e-5) -> dict[str, Tensor]:
    """dloss/d(each batch-norm intermediate), by hand."""
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
        Write `backward_embedding(cache, params, dhprebn, Xb)`: a dict with the gradients of
        the loss with respect to "embcat", "W1", "b1", "emb" and "C".
    """,
    hints=(r"""`emb = C[Xb]`: each row of C gets the sum of the gradients of every position
              that looked it up; `index_add_` or a loop does it.""",),
)
def backward_embedding(cache: Cache, params: Params, dhprebn: Float[Tensor, "n hidden"],
                       Xb: Int[Tensor, "n block"]) -> dict[str, Tensor]:
    """dloss/dembcat, dW1, db1, demb and dC, by hand."""
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
