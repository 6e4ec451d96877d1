"""Wrong and right answers for chapter 4.4's sections 1-2 (every gradient by hand). Each wrong
answer is one plausible slip on top of the reference, carried through to the names computed from
it, as a learner's code would.

Not here, because no check on values can see it: dlogits without the max path. The loss doesn't
depend on logit_maxes (the softmax ignores a shift), so dlogit_maxes is zero up to rounding and
so is what that path adds; section 2 says so in a question.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from solutions.makemore_backprop import (backward_batchnorm_steps, backward_embedding,
                                         backward_loss_steps, backward_output_layer)


# --- backward_loss_steps ----------------------------------------------------------------------


def _loss_steps_from(c, dlogprobs, *, dprobs_rule=None, counts_sum_sign=-1.0,
                     counts_sum_path=True, sum_logit_maxes=True):
    """The reference's steps from a given dlogprobs, with one rule swappable."""
    g = {"logprobs": dlogprobs}
    g["probs"] = dprobs_rule(g, c) if dprobs_rule else g["logprobs"] / c["probs"]
    g["counts_sum_inv"] = (c["counts"] * g["probs"]).sum(1, keepdim=True)
    g["counts_sum"] = counts_sum_sign * c["counts_sum"] ** -2 * g["counts_sum_inv"]
    g["counts"] = c["counts_sum_inv"] * g["probs"]
    if counts_sum_path:
        g["counts"] = g["counts"] + g["counts_sum"]
    g["norm_logits"] = c["counts"] * g["counts"]
    g["logit_maxes"] = (-g["norm_logits"].sum(1, keepdim=True) if sum_logit_maxes
                        else -g["norm_logits"])
    onehot = F.one_hot(c["logits"].max(1).indices, c["logits"].shape[1])
    g["logits"] = g["norm_logits"] + onehot * g["logit_maxes"]
    return g


def _dlogprobs(c, Yb, value):
    d = torch.zeros_like(c["logprobs"])
    d[torch.arange(Yb.shape[0]), Yb] = value
    return d


def loss_steps_no_mean(cache, Yb):
    """-1 at the targets: forgot that the loss is a mean over the batch."""
    return _loss_steps_from(cache, _dlogprobs(cache, Yb, -1.0))


def loss_steps_dprobs_times_probs(cache, Yb):
    return _loss_steps_from(cache, _dlogprobs(cache, Yb, -1.0 / Yb.shape[0]),
                            dprobs_rule=lambda g, c: g["logprobs"] * c["probs"])


def loss_steps_dlogprobs_positive(cache, Yb):
    """+1/n: forgot the minus of the negative log-likelihood."""
    return _loss_steps_from(cache, _dlogprobs(cache, Yb, 1.0 / Yb.shape[0]))


def loss_steps_counts_one_path(cache, Yb):
    """dcounts from probs only, without the counts_sum path."""
    return _loss_steps_from(cache, _dlogprobs(cache, Yb, -1.0 / Yb.shape[0]),
                            counts_sum_path=False)


def loss_steps_counts_sum_sign(cache, Yb):
    """d(x^-1)/dx taken as +x^-2."""
    return _loss_steps_from(cache, _dlogprobs(cache, Yb, -1.0 / Yb.shape[0]),
                            counts_sum_sign=1.0)


def loss_steps_logit_maxes_not_summed(cache, Yb):
    """dlogit_maxes left (n, vocab): the broadcast's gradient not summed over the row."""
    return _loss_steps_from(cache, _dlogprobs(cache, Yb, -1.0 / Yb.shape[0]),
                            sum_logit_maxes=False)


def loss_steps_counts_sum_inv_not_summed(cache, Yb):
    g = backward_loss_steps(cache, Yb)
    g["counts_sum_inv"] = cache["counts"] * g["probs"]
    return g


def loss_steps_prefixed_names(cache, Yb):
    """Keys named 'dlogprobs', ... as in Karpathy's variables."""
    return {f"d{k}": v for k, v in backward_loss_steps(cache, Yb).items()}


def loss_steps_missing_logits(cache, Yb):
    g = backward_loss_steps(cache, Yb)
    del g["logits"]
    return g


def loss_steps_numpy(cache, Yb):
    return {k: v.numpy() for k, v in backward_loss_steps(cache, Yb).items()}


# --- backward_output_layer --------------------------------------------------------------------


def output_dW2_wrong_order(cache, params, dlogits):
    """h @ dlogits: (n, hidden) @ (n, vocab) doesn't multiply."""
    g = backward_output_layer(cache, params, dlogits)
    g["W2"] = cache["h"] @ dlogits
    return g


def output_dh_not_transposed(cache, params, dlogits):
    g = backward_output_layer(cache, params, dlogits)
    g["h"] = dlogits @ params["W2"]
    return g


def output_db2_not_summed(cache, params, dlogits):
    g = backward_output_layer(cache, params, dlogits)
    g["b2"] = dlogits.clone()
    return g


def output_db2_keepdim(cache, params, dlogits):
    """(1, vocab): b2 is a vector of shape (vocab,)."""
    g = backward_output_layer(cache, params, dlogits)
    g["b2"] = dlogits.sum(0, keepdim=True)
    return g


def output_tanh_of_hpreact(cache, params, dlogits):
    """1 - hpreact**2: tanh's derivative written with its input instead of its output."""
    g = backward_output_layer(cache, params, dlogits)
    g["hpreact"] = (1.0 - cache["hpreact"] ** 2) * g["h"]
    return g


def output_tanh_no_square(cache, params, dlogits):
    g = backward_output_layer(cache, params, dlogits)
    g["hpreact"] = (1.0 - cache["h"]) * g["h"]
    return g


# --- backward_batchnorm_steps -----------------------------------------------------------------


def _bn_steps(c, params, dhpreact, eps, *, sum_gain=True, keepdim_gain=True, power=-1.5,
              bndiff2_path=True, mean_path=True, divide_bndiff2=True):
    n = dhpreact.shape[0]
    g = {}
    gain = c["bnraw"] * dhpreact
    g["bngain"] = gain.sum(0, keepdim=keepdim_gain) if sum_gain else gain
    g["bnbias"] = dhpreact.sum(0, keepdim=True)
    g["bnraw"] = params["bngain"] * dhpreact
    g["bnvar_inv"] = (c["bndiff"] * g["bnraw"]).sum(0, keepdim=True)
    g["bnvar"] = -0.5 * (c["bnvar"] + eps) ** power * g["bnvar_inv"]
    g["bndiff2"] = torch.ones_like(c["bndiff2"]) * g["bnvar"] / (n if divide_bndiff2 else 1)
    g["bndiff"] = c["bnvar_inv"] * g["bnraw"]
    if bndiff2_path:
        g["bndiff"] = g["bndiff"] + 2 * c["bndiff"] * g["bndiff2"]
    g["bnmeani"] = -g["bndiff"].sum(0, keepdim=True)
    g["hprebn"] = g["bndiff"] + (g["bnmeani"] / n if mean_path else 0.0)
    return g


def bn_gain_not_summed(cache, params, dhpreact, eps=1e-5):
    return _bn_steps(cache, params, dhpreact, eps, sum_gain=False)


def bn_gain_no_keepdim(cache, params, dhpreact, eps=1e-5):
    return _bn_steps(cache, params, dhpreact, eps, keepdim_gain=False)


def bn_bndiff_one_path(cache, params, dhpreact, eps=1e-5):
    """dbndiff from bnraw only, without the bndiff2 path."""
    return _bn_steps(cache, params, dhpreact, eps, bndiff2_path=False)


def bn_var_wrong_power(cache, params, dhpreact, eps=1e-5):
    """-0.5 * (bnvar + eps)**-0.5: the power not lowered by one."""
    return _bn_steps(cache, params, dhpreact, eps, power=-0.5)


def bn_no_mean_path(cache, params, dhprebn_upstream, eps=1e-5):
    """dhprebn = dbndiff: the path through bnmeani forgotten."""
    return _bn_steps(cache, params, dhprebn_upstream, eps, mean_path=False)


def bn_bndiff2_not_divided(cache, params, dhpreact, eps=1e-5):
    """dbndiff2 = dbnvar on every row, without the 1/n of the mean."""
    return _bn_steps(cache, params, dhpreact, eps, divide_bndiff2=False)


def bn_bessel(cache, params, dhpreact, eps=1e-5):
    """1/(n-1) in dbndiff2, as in Karpathy's lecture (this chapter's bnvar divides by n)."""
    g = backward_batchnorm_steps(cache, params, dhpreact, eps)
    n = dhpreact.shape[0]
    g["bndiff2"] = g["bndiff2"] * n / (n - 1)
    g["bndiff"] = cache["bnvar_inv"] * g["bnraw"] + 2 * cache["bndiff"] * g["bndiff2"]
    g["bnmeani"] = -g["bndiff"].sum(0, keepdim=True)
    g["hprebn"] = g["bndiff"] + g["bnmeani"] / n
    return g


def bn_eps_hard_coded(cache, params, dhpreact, eps=1e-5):
    """Ignores the eps it is given."""
    return backward_batchnorm_steps(cache, params, dhpreact, 1e-5)


def bn_bnvar_inv_not_summed(cache, params, dhpreact, eps=1e-5):
    g = backward_batchnorm_steps(cache, params, dhpreact, eps)
    g["bnvar_inv"] = cache["bndiff"] * g["bnraw"]
    return g


# --- backward_embedding -----------------------------------------------------------------------


def _embedding_with_dC(cache, params, dhprebn, Xb, make_dC):
    g = backward_embedding(cache, params, dhprebn, Xb)
    g["C"] = make_dC(torch.zeros_like(params["C"]), g["emb"], Xb)
    return g


def embedding_dC_assigned(cache, params, dhprebn, Xb):
    """dC[Xb] = demb: a repeated index keeps one write."""
    def assign(dC, demb, Xb):
        dC[Xb] = demb
        return dC
    return _embedding_with_dC(cache, params, dhprebn, Xb, assign)


def embedding_dC_plus_equals_indexed(cache, params, dhprebn, Xb):
    """dC[Xb] += demb: the same, as += on an index reads once and writes once."""
    def add(dC, demb, Xb):
        dC[Xb] += demb
        return dC
    return _embedding_with_dC(cache, params, dhprebn, Xb, add)


def embedding_demb_not_reshaped(cache, params, dhprebn, Xb):
    g = backward_embedding(cache, params, dhprebn, Xb)
    g["emb"] = g["embcat"]
    return g


def embedding_db1_keepdim(cache, params, dhprebn, Xb):
    g = backward_embedding(cache, params, dhprebn, Xb)
    g["b1"] = dhprebn.sum(0, keepdim=True)
    return g


def embedding_dW1_transposed(cache, params, dhprebn, Xb):
    """(dhprebn.T @ embcat): W1's gradient transposed, (hidden, block * n_embd)."""
    g = backward_embedding(cache, params, dhprebn, Xb)
    g["W1"] = dhprebn.T @ cache["embcat"]
    return g


def embedding_one_hot_float32(cache, params, dhprebn, Xb):
    """A one-hot matrix made with .float(): crashes on a float64 batch."""
    g = backward_embedding(cache, params, dhprebn, Xb)
    vocab, n_embd = params["C"].shape
    onehot = F.one_hot(Xb.view(-1), vocab).float()
    g["C"] = onehot.T @ g["emb"].view(-1, n_embd)
    return g


WRONG_ANSWERS = [
    ("backward_loss_steps", "dlogprobs -1 at the targets, without /n", loss_steps_no_mean),
    ("backward_loss_steps", "dprobs = dlogprobs * probs", loss_steps_dprobs_times_probs),
    ("backward_loss_steps", "dlogprobs +1/n (the minus forgotten)",
     loss_steps_dlogprobs_positive),
    ("backward_loss_steps", "dcounts without the counts_sum path", loss_steps_counts_one_path),
    ("backward_loss_steps", "dcounts_sum with the wrong sign", loss_steps_counts_sum_sign),
    ("backward_loss_steps", "dlogit_maxes not summed, (n, vocab)",
     loss_steps_logit_maxes_not_summed),
    ("backward_loss_steps", "dcounts_sum_inv not summed", loss_steps_counts_sum_inv_not_summed),
    ("backward_loss_steps", "keys named 'dlogprobs', ...", loss_steps_prefixed_names),
    ("backward_loss_steps", "no 'logits' in the dict", loss_steps_missing_logits),
    ("backward_loss_steps", "NumPy arrays instead of tensors", loss_steps_numpy),
    ("backward_output_layer", "dW2 = h @ dlogits", output_dW2_wrong_order),
    ("backward_output_layer", "dh = dlogits @ W2 (not transposed)", output_dh_not_transposed),
    ("backward_output_layer", "db2 not summed over the batch", output_db2_not_summed),
    ("backward_output_layer", "db2 with keepdim, (1, vocab)", output_db2_keepdim),
    ("backward_output_layer", "dhpreact with 1 - hpreact**2", output_tanh_of_hpreact),
    ("backward_output_layer", "dhpreact with 1 - h", output_tanh_no_square),
    ("backward_batchnorm_steps", "dbngain not summed over the batch", bn_gain_not_summed),
    ("backward_batchnorm_steps", "dbngain summed without keepdim", bn_gain_no_keepdim),
    ("backward_batchnorm_steps", "dbndiff without the bndiff2 path", bn_bndiff_one_path),
    ("backward_batchnorm_steps", "dbnvar with the power -0.5", bn_var_wrong_power),
    ("backward_batchnorm_steps", "dhprebn without the mean path", bn_no_mean_path),
    ("backward_batchnorm_steps", "dbndiff2 without the 1/n", bn_bndiff2_not_divided),
    ("backward_batchnorm_steps", "dbndiff2 with Bessel's 1/(n-1)", bn_bessel),
    ("backward_batchnorm_steps", "eps hard-coded to 1e-5", bn_eps_hard_coded),
    ("backward_batchnorm_steps", "dbnvar_inv not summed", bn_bnvar_inv_not_summed),
    ("backward_embedding", "dC[Xb] = demb (repeated indices overwrite)", embedding_dC_assigned),
    ("backward_embedding", "dC[Xb] += demb (repeated indices add once)",
     embedding_dC_plus_equals_indexed),
    ("backward_embedding", "demb not viewed back to (n, block, n_embd)",
     embedding_demb_not_reshaped),
    ("backward_embedding", "db1 with keepdim, (1, hidden)", embedding_db1_keepdim),
    ("backward_embedding", "dW1 transposed", embedding_dW1_transposed),
    ("backward_embedding", "a float32 one-hot matrix in a float64 batch",
     embedding_one_hot_float32),
]


# --- right answers ----------------------------------------------------------------------------


def loss_steps_karpathy_style(cache, Yb):
    """One variable per line, dcounts_sum from counts_sum_inv, the max path by indexing."""
    c = cache
    n = Yb.shape[0]
    dlogprobs = torch.zeros_like(c["logprobs"])
    dlogprobs[range(n), Yb] = -1.0 / n
    dprobs = (1.0 / c["probs"]) * dlogprobs
    dcounts_sum_inv = (c["counts"] * dprobs).sum(1, keepdim=True)
    dcounts = c["counts_sum_inv"] * dprobs
    dcounts_sum = -(c["counts_sum_inv"] ** 2) * dcounts_sum_inv
    dcounts += torch.ones_like(c["counts"]) * dcounts_sum
    dnorm_logits = c["norm_logits"].exp() * dcounts
    dlogits = dnorm_logits.clone()
    dlogit_maxes = (-dnorm_logits).sum(1, keepdim=True)
    dlogits[range(n), c["logits"].argmax(1)] += dlogit_maxes.view(-1)
    return {"logprobs": dlogprobs, "probs": dprobs, "counts_sum_inv": dcounts_sum_inv,
            "counts_sum": dcounts_sum, "counts": dcounts, "norm_logits": dnorm_logits,
            "logit_maxes": dlogit_maxes, "logits": dlogits}


def loss_steps_float32_zeros(cache, Yb):
    """dlogprobs made with a bare torch.zeros (float32 in a float64 batch): float32 precision."""
    d = torch.zeros(cache["logprobs"].shape)
    d[torch.arange(Yb.shape[0]), Yb] = -1.0 / Yb.shape[0]
    return _loss_steps_from(cache, d)


def loss_steps_one_hot_targets(cache, Yb):
    """dlogprobs as a one-hot matrix times -1/n: float32 (the default dtype) in a float64 batch."""
    n, vocab = cache["logprobs"].shape
    return _loss_steps_from(cache, F.one_hot(Yb, vocab) * (-1.0 / n))


def loss_steps_max_path_via_eq(cache, Yb):
    """The max path as a mask (logits == logit_maxes) instead of one_hot."""
    g = backward_loss_steps(cache, Yb)
    mask = (cache["logits"] == cache["logit_maxes"]).to(cache["logits"].dtype)
    g["logits"] = g["norm_logits"] + mask * g["logit_maxes"]
    return g


def output_layer_h_times_h(cache, params, dlogits):
    g = backward_output_layer(cache, params, dlogits)
    g["hpreact"] = g["h"] - cache["h"] * cache["h"] * g["h"]
    g["b2"] = dlogits.sum(0, keepdim=True).view(-1)
    return g


def bn_steps_via_bnvar_inv_cubed(cache, params, dhpreact, eps=1e-5):
    """-0.5 * bnvar_inv**3 for the power -1.5, and expand for the broadcasts."""
    c = cache
    n = dhpreact.shape[0]
    g = backward_batchnorm_steps(cache, params, dhpreact, eps)
    g["bnvar"] = -0.5 * c["bnvar_inv"] ** 3 * g["bnvar_inv"]
    g["bndiff2"] = (g["bnvar"] / n).expand_as(c["bndiff2"])
    g["bndiff"] = c["bnvar_inv"] * g["bnraw"] + 2 * c["bndiff"] * g["bndiff2"]
    g["bnmeani"] = -g["bndiff"].sum(0, keepdim=True)
    g["hprebn"] = g["bndiff"] + g["bnmeani"].expand_as(c["hprebn"]) / n
    return g


def embedding_dC_loop(cache, params, dhprebn, Xb):
    g = backward_embedding(cache, params, dhprebn, Xb)
    dC = torch.zeros_like(params["C"])
    for k in range(Xb.shape[0]):
        for j in range(Xb.shape[1]):
            dC[Xb[k, j]] += g["emb"][k, j]
    g["C"] = dC
    return g


def embedding_dC_one_hot(cache, params, dhprebn, Xb):
    g = backward_embedding(cache, params, dhprebn, Xb)
    vocab, n_embd = params["C"].shape
    onehot = F.one_hot(Xb.view(-1), vocab).to(g["emb"].dtype)
    g["C"] = onehot.T @ g["emb"].view(-1, n_embd)
    g["emb"] = g["embcat"].reshape(Xb.shape[0], Xb.shape[1], n_embd)
    return g


def embedding_dC_index_put(cache, params, dhprebn, Xb):
    g = backward_embedding(cache, params, dhprebn, Xb)
    g["C"] = torch.zeros_like(params["C"]).index_put_((Xb,), g["emb"], accumulate=True)
    return g


RIGHT_ANSWERS = [
    ("backward_loss_steps", "one variable per line, the max path by indexing",
     loss_steps_karpathy_style),
    ("backward_loss_steps", "dlogprobs from a float32 torch.zeros", loss_steps_float32_zeros),
    ("backward_loss_steps", "the max path as a mask", loss_steps_max_path_via_eq),
    ("backward_loss_steps", "dlogprobs from F.one_hot(Yb) * (-1/n)", loss_steps_one_hot_targets),
    ("backward_output_layer", "dh - h*h*dh, db2 via view", output_layer_h_times_h),
    ("backward_batchnorm_steps", "bnvar_inv cubed, expand", bn_steps_via_bnvar_inv_cubed),
    ("backward_embedding", "dC by a loop over the batch", embedding_dC_loop),
    ("backward_embedding", "dC by a one-hot matrix product", embedding_dC_one_hot),
    ("backward_embedding", "dC by index_put_ with accumulate", embedding_dC_index_put),
]
