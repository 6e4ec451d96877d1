"""Chapter 4.4's settings that both its widgets and its runs use: the seed, how long a learner's
run may train, and the four stages of section 2's backward pass.

Importing this module imports no torch, so that the chapter's widgets can draw their controls,
and their default state from the charts kept for it (utils/first_view_charts.py), on a fresh
server's first page before the chapter's code is imported.
"""

from __future__ import annotations

SEED = 2147483647  # Karpathy's generator seed

# Section 5: the longest run the page's button trains (the saved runs keep their first HEAD_STEPS
# losses to draw beside it). About 2,000 hand-written steps a second on one busy core here: 5,000
# steps and the two split losses take a few seconds, inside the page's promise of 10 s.
HEAD_STEPS = 5_000

# Section 2: each stage of the backward pass: its function, the upstream gradient it is given,
# and the names it returns.
STAGES = (
    ("backward_loss_steps", None, ("logprobs", "probs", "counts_sum_inv", "counts_sum", "counts",
                                   "norm_logits", "logit_maxes", "logits")),
    ("backward_output_layer", "logits", ("h", "W2", "b2", "hpreact")),
    ("backward_batchnorm_steps", "hpreact", ("bngain", "bnbias", "bnraw", "bnvar_inv", "bnvar",
                                             "bndiff2", "bndiff", "bnmeani", "hprebn")),
    ("backward_embedding", "hprebn", ("embcat", "W1", "b1", "emb", "C")),
)
