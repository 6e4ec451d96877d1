# %% [markdown]
# # Chapter 4.4: makemore 4: becoming a backprop ninja — exercises
#
# Backpropagation by hand through a whole MLP with batch norm: every intermediate's gradient checked against autograd by name, cross-entropy and batch norm backward in closed form, and training with your own gradients.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/makemore_backprop.py
#
# or one test per exercise with `pytest exercises/makemore_backprop.py`, or call one check yourself, e.g. `tests.test_backward_loss_steps(backward_loss_steps)`.
#
# This file is generated from `solutions/makemore_backprop.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/makemore_backprop_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/makemore_backprop.ipynb


# %%
import sys
from pathlib import Path

# The checks live in the repository's `utils` package: import it from the folder above this file.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
try:
    import utils  # noqa: F401
except ImportError:
    sys.exit("This file needs the course's code: put it in the exercises/ folder of a clone of "
             "https://github.com/grokking-the-fundamentals/grokking-the-fundamentals and run it from there.")


# %%
import torch
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor

Params = dict[str, Tensor]
Cache = dict[str, Tensor]

# The intermediates of `forward_pass`, in the order the forward pass computes them.
FORWARD_NAMES = ("emb", "embcat", "hprebn", "bnmeani", "bndiff", "bndiff2", "bnvar", "bnvar_inv",
                 "bnraw", "hpreact", "h", "logits", "logit_maxes", "norm_logits", "counts",
                 "counts_sum", "counts_sum_inv", "probs", "logprobs", "loss")
PARAM_NAMES = ("C", "W1", "b1", "bngain", "bnbias", "W2", "b2")

# ==============================================================================================
# Sections 1-2: the forward pass in small steps, and every gradient by hand

from utils.checks import makemore_backprop as tests


# %%
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


# %%
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


# %%
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


# %%
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


# %% [markdown]
# ## Every gradient by hand
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_backprop_manual_backward)


# %% [markdown]
# ### Exercise: `backward_loss_steps` — Backward through the loss, step by step
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵🔵🔵🔵 · 30–45 minutes
#
# Write `backward_loss_steps(cache, Yb)`. `cache` is `forward_pass`'s dict for a batch
# of `n` examples and `Yb` its targets, shape `(n,)`. Return a dict with the gradient of
# the loss with respect to each of these eight intermediates, in the order you will
# compute them: `"logprobs"`, `"probs"`, `"counts_sum_inv"`, `"counts_sum"`,
# `"counts"`, `"norm_logits"`, `"logit_maxes"`, `"logits"`. Each gradient is named after
# its tensor and has **exactly that tensor's shape** (`grads["counts_sum"]` is `(n, 1)`,
# like `cache["counts_sum"]`) and dtype. Compute each from the cache and the gradients
# you already have, one line per name; no `.backward()`, no autograd.
#
# The check runs your function on a float64 batch, where it compares each name with
# autograd's to about $10^{-6}$ of its largest entry, and again on a float32 batch (about
# $10^{-4}$), so it must work in both dtypes: make new tensors with `torch.zeros_like` or
# the cache's dtype, not with a bare `torch.zeros(shape)`. It names the first gradient
# that is missing, has the wrong shape or the wrong values.
#
# Check it with `tests.test_backward_loss_steps(backward_loss_steps)`.


# %%
def backward_loss_steps(cache: Cache, Yb: Int[Tensor, "n"]) -> dict[str, Tensor]:
    """dloss/d(each intermediate from logprobs back to logits), by hand, each of its tensor's
    shape: {"logprobs": ..., "probs": ..., ..., "logits": ...}."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `backward_output_layer` — Backward through the output layer and tanh
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 10–20 minutes
#
# Write `backward_output_layer(cache, params, dlogits)`. `dlogits` is the gradient of the
# loss with respect to `cache["logits"]`, shape `(n, vocab)` (the check gives you
# autograd's, so a slip in the previous exercise can't spoil this one). Return a dict
# with the gradients with respect to `"h"` `(n, hidden)`, `"W2"` `(hidden, vocab)`,
# `"b2"` `(vocab,)` and `"hpreact"` `(n, hidden)`: each of its tensor's shape, from
# `logits = h @ W2 + b2` and `h = tanh(hpreact)`. Float64 and float32, as before.
#
# Check it with `tests.test_backward_output_layer(backward_output_layer)`.


# %%
def backward_output_layer(cache: Cache, params: Params,
                          dlogits: Float[Tensor, "n vocab"]) -> dict[str, Tensor]:
    """dloss/dh, dW2, db2 and dhpreact, by hand, from dloss/dlogits:
    {"h": ..., "W2": ..., "b2": ..., "hpreact": ...}."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `backward_batchnorm_steps` — Backward through batch norm, step by step
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵🔵🔵🔵 · 30–45 minutes
#
# Write `backward_batchnorm_steps(cache, params, dhpreact, eps=1e-5)`. `dhpreact` is the
# gradient with respect to `cache["hpreact"]`, shape `(n, hidden)` (autograd's, in the
# check). Return a dict with the gradients with respect to, in order, `"bngain"`,
# `"bnbias"`, `"bnraw"`, `"bnvar_inv"`, `"bnvar"`, `"bndiff2"`, `"bndiff"`, `"bnmeani"`
# and `"hprebn"`, each of its tensor's shape: the parameters `bngain` and `bnbias` and
# the batch statistics are `(1, hidden)`, the rest `(n, hidden)`. `eps` is the one
# `forward_pass` used (the check also tries another): use it wherever it appears.
#
# Check it with `tests.test_backward_batchnorm_steps(backward_batchnorm_steps)`.


# %%
def backward_batchnorm_steps(cache: Cache, params: Params, dhpreact: Float[Tensor, "n hidden"],
                             eps: float = 1e-5) -> dict[str, Tensor]:
    """dloss/d(each batch-norm intermediate and parameter), by hand, from dloss/dhpreact:
    {"bngain": ..., "bnbias": ..., "bnraw": ..., ..., "hprebn": ...}."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `backward_embedding` — Backward through the first layer and the embedding
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 15–25 minutes
#
# Write `backward_embedding(cache, params, dhprebn, Xb)`. `dhprebn` is the gradient with
# respect to `cache["hprebn"]`, shape `(n, hidden)` (autograd's, in the check), and `Xb`
# the batch's contexts, int64 `(n, block)`. Return a dict with the gradients with respect
# to `"embcat"` `(n, block * n_embd)`, `"W1"` `(block * n_embd, hidden)`, `"b1"`
# `(hidden,)`, `"emb"` `(n, block, n_embd)` and `"C"` `(vocab, n_embd)`, from `hprebn = embcat @ W1 + b1`, `embcat = emb.view(n, -1)`
# and `emb = C[Xb]`. The same symbol appears many times in a batch: row `C[i]` gets
# the sum of the gradients of every position of `Xb` that holds `i` (and zeros for a
# symbol the batch never uses).
#
# Check it with `tests.test_backward_embedding(backward_embedding)`.


# %%
def backward_embedding(cache: Cache, params: Params, dhprebn: Float[Tensor, "n hidden"],
                       Xb: Int[Tensor, "n block"]) -> dict[str, Tensor]:
    """dloss/dembcat, dW1, db1, demb and dC, by hand, from dloss/dhprebn:
    {"embcat": ..., "W1": ..., "b1": ..., "emb": ..., "C": ...}."""
    raise NotImplementedError()


# %% [markdown]
# ## Cross-entropy backward in one line
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_backprop_cross_entropy)


# %% [markdown]
# ### Exercise: `cross_entropy_backward` — Cross-entropy backward in one line
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 15–25 minutes
#
# Write `cross_entropy_backward(logits, targets)`: the gradient of the mean cross-entropy
# `F.cross_entropy(logits, targets)` with respect to `logits`, in closed form. `logits` is
# a float tensor of shape `(n, v)` (float32 or float64, `n` may be 1), `targets` an int64
# tensor of shape `(n,)` of class indices. Return a new tensor of the shape and dtype of
# `logits`: row $i$ is the softmax of row $i$, minus 1 at column `targets[i]`, all divided
# by `n`. Don't change `logits`, and don't use autograd (no `.backward()`, no
# `torch.autograd.grad`): the point is to write the gradient yourself. It must stay
# finite for logits in the thousands.
#
# Check it with `tests.test_cross_entropy_backward(cross_entropy_backward)`.


# %%
def cross_entropy_backward(logits: Float[Tensor, "n v"],
                           targets: Int[Tensor, "n"]) -> Float[Tensor, "n v"]:
    """dL/dlogits of L = F.cross_entropy(logits, targets): (softmax(logits) - onehot) / n."""
    raise NotImplementedError()


# %% [markdown]
# ## Batch norm backward in one expression
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_backprop_batchnorm)


# %% [markdown]
# ### Exercise: `batchnorm_backward` — Batch norm backward in one expression
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵🔵🔵🔵 · 30–45 minutes
#
# Write `batchnorm_backward(dout, x, gamma, eps=1e-5)`. The forward pass is training-mode
# batch norm over the batch (dim 0) of `x`, shape `(n, c)` with `n >= 2`:
# $\mu = \frac1n\sum_i x_i$, $\sigma^2 = \frac1n\sum_i (x_i - \mu)^2$ (the biased variance,
# as `nn.BatchNorm1d` trains), $\hat x = (x - \mu)/\sqrt{\sigma^2 + \epsilon}$,
# $y = \gamma\hat x + \beta$. `dout` (shape `(n, c)`) is $\partial L/\partial y$; `gamma`
# has shape `(c,)` or `(1, c)`. Return $\partial L/\partial x$, shape `(n, c)`, in the
# dtype of `x`, from the closed form derived above (recompute $\mu$, $\sigma^2$ and $\hat x$
# from `x`; no autograd, and leave the inputs unchanged).
#
# Check it with `tests.test_batchnorm_backward(batchnorm_backward)`.


# %%
def batchnorm_backward(dout: Float[Tensor, "n c"], x: Float[Tensor, "n c"],
                       gamma: Float[Tensor, "c"], eps: float = 1e-5) -> Float[Tensor, "n c"]:
    """dL/dx of training-mode batch norm, batch statistics with the biased variance."""
    raise NotImplementedError()


# %% [markdown]
# ## Training with your own gradients
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/makemore_backprop_training)


# %% [markdown]
# ### Exercise: `train_manual` — Training with your own gradients
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 20–30 minutes
#
# Write `train_manual(params, X, Y, steps, lr, batch_size, generator)`: minibatch
# gradient descent on the chapter's model, with every gradient written by hand. `params`
# is a dict from `init_params` (keys `"C"`, `"W1"`, `"b1"`, `"bngain"`, `"bnbias"`,
# `"W2"`, `"b2"`), `X` int64 contexts `(N, block_size)`, `Y` int64 targets `(N,)`. At
# each of `steps` steps: draw `ix = torch.randint(0, X.shape[0], (batch_size,),
# generator=generator)` (one draw per step, nothing else from the generator), run
# `forward_pass(params, X[ix], Y[ix])`, compute the gradient of the loss for all seven
# parameters from the cache with `cross_entropy_backward`, `batchnorm_backward` and the
# layers' rules of section 2, and move each parameter by `-lr * grad` in place. Never
# call `.backward()` and record no graph: run the whole step inside `torch.no_grad()`.
# Return the list of the `steps` minibatch losses (Python floats, each before its
# update).
#
# Check it with `tests.test_train_manual(train_manual)`.


# %%
def train_manual(params: Params, X: Int[Tensor, "N block"], Y: Int[Tensor, "N"], steps: int,
                 lr: float, batch_size: int, generator: torch.Generator) -> list[float]:
    """Minibatch SGD with hand-written gradients (no autograd); the minibatch losses."""
    raise NotImplementedError()


# %%
# `pytest exercises/makemore_backprop.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("makemore_backprop", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "makemore_backprop")
