"""Wrong and right answers for chapter 4.2's sections 1-3 (contexts and splits, the model,
training). Each wrong answer is one plausible slip on top of the reference."""

from __future__ import annotations

import random

import torch
import torch.nn.functional as F

from solutions.makemore_mlp import mlp_logits

# --- build_dataset ----------------------------------------------------------------------------


def dataset_no_final_dot(words, block_size, stoi):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w:
            X.append(context)
            Y.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return torch.tensor(X, dtype=torch.int64).view(-1, block_size), torch.tensor(Y)


def dataset_not_padded(words, block_size, stoi):
    """Starts each name with the context of the previous one (the padding set once)."""
    X, Y = [], []
    context = [0] * block_size
    for w in words:
        for ch in w + ".":
            X.append(context)
            Y.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return torch.tensor(X, dtype=torch.int64).view(-1, block_size), torch.tensor(Y)


def dataset_not_slid(words, block_size, stoi):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            X.append(context)
            Y.append(stoi[ch])
    return torch.tensor(X, dtype=torch.int64).view(-1, block_size), torch.tensor(Y)


def dataset_aliased_rows(words, block_size, stoi):
    """Appends the same list each time and changes it in place."""
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        rows = []
        for ch in w + ".":
            rows.append(context)
            Y.append(stoi[ch])
            context.pop(0)
            context.append(stoi[ch])
        X.extend(rows)
    return torch.tensor(X, dtype=torch.int64).view(-1, block_size), torch.tensor(Y)


def dataset_targets_off_by_one(words, block_size, stoi):
    """The target is the context's last symbol, not the one after it."""
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            X.append(context)
            context = context[1:] + [stoi[ch]]
            Y.append(context[-2] if block_size > 1 else 0)
    return torch.tensor(X, dtype=torch.int64).view(-1, block_size), torch.tensor(Y)


def dataset_float_targets(words, block_size, stoi):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            X.append(context)
            Y.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return torch.tensor(X, dtype=torch.int64).view(-1, block_size), torch.tensor(Y,
                                                                               dtype=torch.float)


def dataset_empty_flat(words, block_size, stoi):
    """torch.tensor(X) without .view: an empty list gives shape (0,)."""
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            X.append(context)
            Y.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return torch.tensor(X, dtype=torch.int64), torch.tensor(Y, dtype=torch.int64)


def dataset_alphabet_indices(words, block_size, stoi):
    """Hard-codes a=1 ... z=26 instead of using stoi."""
    ix = {".": 0, **{chr(97 + i): i + 1 for i in range(26)}}
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            X.append(context)
            Y.append(ix[ch])
            context = context[1:] + [ix[ch]]
    return torch.tensor(X, dtype=torch.int64).view(-1, block_size), torch.tensor(Y)


def dataset_drops_oldest_wrong_end(words, block_size, stoi):
    """Slides the new symbol in at the front."""
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            X.append(context)
            Y.append(stoi[ch])
            context = [stoi[ch]] + context[:-1]
    return torch.tensor(X, dtype=torch.int64).view(-1, block_size), torch.tensor(Y)


def dataset_with_int32(words, block_size, stoi):
    X, Y = dataset_float_targets(words, block_size, stoi)
    return X.int(), Y.int()


def dataset_dtype_inferred(words, block_size, stoi):
    """Karpathy's `torch.tensor(X)`: int64 for any names, float32 for an empty list."""
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            X.append(context)
            Y.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return torch.tensor(X).view(-1, block_size), torch.tensor(Y)


def dataset_tensor_rows(words, block_size, stoi):
    """Right: builds each row as a tensor and stacks them."""
    rows, Y = [], []
    for w in words:
        context = torch.zeros(block_size, dtype=torch.long)
        for ch in w + ".":
            rows.append(context.clone())
            Y.append(stoi[ch])
            context = torch.cat([context[1:], torch.tensor([stoi[ch]])])
    X = torch.stack(rows) if rows else torch.zeros((0, block_size), dtype=torch.long)
    return X, torch.tensor(Y, dtype=torch.long)


def dataset_padded_strings(words, block_size, stoi):
    """Right: slices the padded string '...' + name + '.'."""
    X, Y = [], []
    for w in words:
        padded = "." * block_size + w + "."
        for i in range(len(w) + 1):
            X.append([stoi[c] for c in padded[i:i + block_size]])
            Y.append(stoi[padded[i + block_size]])
    return (torch.tensor(X, dtype=torch.int64).reshape(len(Y), block_size),
            torch.tensor(Y, dtype=torch.int64))


# --- split_words ------------------------------------------------------------------------------


def _cut(shuffled, fractions):
    n = len(shuffled)
    n1, n2 = int(fractions[0] * n), int((fractions[0] + fractions[1]) * n)
    return shuffled[:n1], shuffled[n1:n2], shuffled[n2:]


def split_no_shuffle(words, fractions=(0.8, 0.1, 0.1), seed=42):
    return _cut(list(words), fractions)


def split_global_shuffle_in_place(words, fractions=(0.8, 0.1, 0.1), seed=42):
    random.seed(seed)
    random.shuffle(words)
    return _cut(words, fractions)


def split_global_seed(words, fractions=(0.8, 0.1, 0.1), seed=42):
    """The same order as Random(seed), but it resets everyone's `random`."""
    shuffled = list(words)
    random.seed(seed)
    random.shuffle(shuffled)
    return _cut(shuffled, fractions)


def split_unseeded(words, fractions=(0.8, 0.1, 0.1), seed=42):
    shuffled = list(words)
    random.Random().shuffle(shuffled)
    return _cut(shuffled, fractions)


def split_off_by_one(words, fractions=(0.8, 0.1, 0.1), seed=42):
    shuffled = list(words)
    random.Random(seed).shuffle(shuffled)
    n = len(shuffled)
    n1, n2 = int(fractions[0] * n), int((fractions[0] + fractions[1]) * n)
    return shuffled[:n1 + 1], shuffled[n1 + 1:n2], shuffled[n2:]


def split_n2_from_n1(words, fractions=(0.8, 0.1, 0.1), seed=42):
    shuffled = list(words)
    random.Random(seed).shuffle(shuffled)
    n = len(shuffled)
    n1 = int(fractions[0] * n)
    n2 = n1 + int(fractions[1] * n)
    return shuffled[:n1], shuffled[n1:n2], shuffled[n2:]


def split_overlapping(words, fractions=(0.8, 0.1, 0.1), seed=42):
    shuffled = list(words)
    random.Random(seed).shuffle(shuffled)
    n = len(shuffled)
    n1, n2 = int(fractions[0] * n), int((fractions[0] + fractions[1]) * n)
    return shuffled[:n1], shuffled[n1 - 1:n2 - 1], shuffled[n2 - 1:]


def split_sample(words, fractions=(0.8, 0.1, 0.1), seed=42):
    """random.sample instead of shuffle: a valid shuffle, but not the one the task fixes."""
    shuffled = random.Random(seed).sample(list(words), len(words))
    return _cut(shuffled, fractions)


def split_round(words, fractions=(0.8, 0.1, 0.1), seed=42):
    shuffled = list(words)
    random.Random(seed).shuffle(shuffled)
    n = len(shuffled)
    n1, n2 = round(fractions[0] * n), round((fractions[0] + fractions[1]) * n)
    return shuffled[:n1], shuffled[n1:n2], shuffled[n2:]


def split_tuples(words, fractions=(0.8, 0.1, 0.1), seed=42):
    """Right: an explicit generator object, tuples out."""
    rng = random.Random(seed)
    shuffled = words[:]
    rng.shuffle(shuffled)
    n = len(words)
    n1 = int(fractions[0] * n)
    n2 = int((fractions[0] + fractions[1]) * n)
    return tuple(shuffled[:n1]), tuple(shuffled[n1:n2]), tuple(shuffled[n2:])


# --- init_mlp ---------------------------------------------------------------------------------


def _draw(shapes, generator):
    return {k: torch.randn(s, generator=generator).requires_grad_() for k, s in shapes.items()}


def init_w1_without_block(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None):
    return _draw({"C": (vocab_size, n_embd), "W1": (n_embd, n_hidden), "b1": (n_hidden,),
                  "W2": (n_hidden, vocab_size), "b2": (vocab_size,)}, generator)


def init_wrong_order(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None):
    p = _draw({"C": (vocab_size, n_embd), "W2": (n_hidden, vocab_size), "b2": (vocab_size,),
               "W1": (block_size * n_embd, n_hidden), "b1": (n_hidden,)}, generator)
    return {k: p[k] for k in ("C", "W1", "b1", "W2", "b2")}


def init_no_grad(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None):
    shapes = {"C": (vocab_size, n_embd), "W1": (block_size * n_embd, n_hidden),
              "b1": (n_hidden,), "W2": (n_hidden, vocab_size), "b2": (vocab_size,)}
    return {k: torch.randn(s, generator=generator) for k, s in shapes.items()}


def init_not_leaf(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None):
    shapes = {"C": (vocab_size, n_embd), "W1": (block_size * n_embd, n_hidden),
              "b1": (n_hidden,), "W2": (n_hidden, vocab_size), "b2": (vocab_size,)}
    return {k: torch.randn(s, generator=generator, requires_grad=True) * 1.0
            for k, s in shapes.items()}


def init_ignores_generator(vocab_size=27, block_size=3, n_embd=10, n_hidden=200,
                           generator=None):
    return init_no_grad_fixed(vocab_size, block_size, n_embd, n_hidden, None)


def init_no_grad_fixed(vocab_size, block_size, n_embd, n_hidden, generator):
    shapes = {"C": (vocab_size, n_embd), "W1": (block_size * n_embd, n_hidden),
              "b1": (n_hidden,), "W2": (n_hidden, vocab_size), "b2": (vocab_size,)}
    return _draw(shapes, generator)


def init_uniform(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None):
    shapes = {"C": (vocab_size, n_embd), "W1": (block_size * n_embd, n_hidden),
              "b1": (n_hidden,), "W2": (n_hidden, vocab_size), "b2": (vocab_size,)}
    return {k: torch.rand(s, generator=generator).requires_grad_() for k, s in shapes.items()}


def init_w2_transposed(vocab_size=27, block_size=3, n_embd=10, n_hidden=200, generator=None):
    return _draw({"C": (vocab_size, n_embd), "W1": (block_size * n_embd, n_hidden),
                  "b1": (n_hidden,), "W2": (vocab_size, n_hidden), "b2": (vocab_size,)},
                 generator)


def init_requires_grad_kwarg(vocab_size=27, block_size=3, n_embd=10, n_hidden=200,
                             generator=None):
    """Right: requires_grad=True in randn itself, one draw per line."""
    C = torch.randn((vocab_size, n_embd), generator=generator, requires_grad=True)
    W1 = torch.randn((block_size * n_embd, n_hidden), generator=generator, requires_grad=True)
    b1 = torch.randn(n_hidden, generator=generator, requires_grad=True)
    W2 = torch.randn((n_hidden, vocab_size), generator=generator, requires_grad=True)
    b2 = torch.randn(vocab_size, generator=generator, requires_grad=True)
    return {"C": C, "W1": W1, "b1": b1, "W2": W2, "b2": b2}


# --- mlp_logits -------------------------------------------------------------------------------


def logits_transposed_view(params, X):
    emb = params["C"][X]
    flat = emb.transpose(1, 2).reshape(emb.shape[0], -1)
    return torch.tanh(flat @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]


def logits_no_tanh(params, X):
    emb = params["C"][X]
    h = emb.view(emb.shape[0], -1) @ params["W1"] + params["b1"]
    return h @ params["W2"] + params["b2"]


def logits_relu(params, X):
    emb = params["C"][X]
    h = torch.relu(emb.view(emb.shape[0], -1) @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def logits_no_b1(params, X):
    emb = params["C"][X]
    h = torch.tanh(emb.view(emb.shape[0], -1) @ params["W1"])
    return h @ params["W2"] + params["b2"]


def logits_no_b2(params, X):
    emb = params["C"][X]
    h = torch.tanh(emb.view(emb.shape[0], -1) @ params["W1"] + params["b1"])
    return h @ params["W2"]


def logits_w1_transposed(params, X):
    emb = params["C"][X]
    h = torch.tanh(emb.view(emb.shape[0], -1) @ params["W1"].T + params["b1"])
    return h @ params["W2"] + params["b2"]


def logits_softmax(params, X):
    return F.softmax(mlp_logits(params, X), dim=1)


def logits_fixed_block(params, X):
    """Hard-codes block_size 3 and n_embd 10."""
    emb = params["C"][X]
    h = torch.tanh(emb.view(-1, 30) @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def logits_first_symbol_only(params, X):
    emb = params["C"][X[:, 0]]
    W1 = params["W1"][:emb.shape[1]]
    return torch.tanh(emb @ W1 + params["b1"]) @ params["W2"] + params["b2"]


def logits_detached(params, X):
    with torch.no_grad():
        return mlp_logits(params, X)


def logits_cat(params, X):
    """Right: torch.cat of the block's embeddings."""
    emb = params["C"][X]
    flat = torch.cat(torch.unbind(emb, 1), dim=1)
    return torch.tanh(flat @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]


def logits_one_hot(params, X):
    """Right: one-hot rows times C."""
    C = params["C"]
    emb = F.one_hot(X, C.shape[0]).float() @ C
    h = torch.tanh(emb.flatten(1) @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def logits_reshape_minus_one(params, X):
    """Right: reshape with the width computed."""
    C, W1 = params["C"], params["W1"]
    emb = C[X].reshape(-1, W1.shape[0])
    return torch.tanh(emb @ W1 + params["b1"]) @ params["W2"] + params["b2"]


# --- split_loss -------------------------------------------------------------------------------


def loss_sum(params, X, Y):
    with torch.no_grad():
        return F.cross_entropy(mlp_logits(params, X), Y, reduction="sum").item()


def loss_tensor_with_grad(params, X, Y):
    return F.cross_entropy(mlp_logits(params, X), Y)


def loss_tensor_no_grad(params, X, Y):
    with torch.no_grad():
        return F.cross_entropy(mlp_logits(params, X), Y)


def loss_softmax_first(params, X, Y):
    with torch.no_grad():
        return F.cross_entropy(F.softmax(mlp_logits(params, X), dim=1), Y).item()


def loss_with_graph(params, X, Y):
    return F.cross_entropy(mlp_logits(params, X), Y).item()


def loss_naive_exp(params, X, Y):
    with torch.no_grad():
        counts = mlp_logits(params, X).exp()
        probs = counts / counts.sum(1, keepdim=True)
        return -probs[torch.arange(len(Y)), Y].log().mean().item()


def loss_backward(params, X, Y):
    loss = F.cross_entropy(mlp_logits(params, X), Y)
    loss.backward()
    return loss.item()


def loss_stable_by_hand(params, X, Y):
    """Right: log-softmax by hand with the maximum subtracted."""
    with torch.no_grad():
        logits = mlp_logits(params, X)
        logits = logits - logits.max(1, keepdim=True).values
        logp = logits - logits.exp().sum(1, keepdim=True).log()
        return float(-logp[torch.arange(len(Y)), Y].mean())


def loss_detached_params(params, X, Y):
    """Right: detached parameters instead of no_grad."""
    detached = {k: v.detach() for k, v in params.items()}
    return F.cross_entropy(mlp_logits(detached, X), Y).item()


# --- train_mlp --------------------------------------------------------------------------------


def _loop(params, X, Y, steps, batch_size, lr, generator, *, reset=True, fixed=False,
          after=False, use_generator=True, call_lr=True, in_place=True):
    losses, ix = [], None
    for step in range(steps):
        if ix is None or not fixed:
            ix = torch.randint(0, X.shape[0], (batch_size,),
                               generator=generator if use_generator else None)
        loss = F.cross_entropy(mlp_logits(params, X[ix]), Y[ix])
        if not after:
            losses.append(loss.item())
        if reset:
            for p in params.values():
                p.grad = None
        loss.backward()
        rate = (lr(step) if call_lr else lr(0)) if callable(lr) else lr
        with torch.no_grad():
            for k, p in params.items():
                if in_place:
                    p -= rate * p.grad
                else:
                    params[k] = (p - rate * p.grad).requires_grad_()
        if after:
            with torch.no_grad():
                losses.append(F.cross_entropy(mlp_logits(params, X[ix]), Y[ix]).item())
    return losses


def train_no_grad_reset(params, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    return _loop(params, X, Y, steps, batch_size, lr, generator, reset=False)


def train_fixed_batch(params, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    return _loop(params, X, Y, steps, batch_size, lr, generator, fixed=True)


def train_loss_after_update(params, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    return _loop(params, X, Y, steps, batch_size, lr, generator, after=True)


def train_without_generator(params, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    return _loop(params, X, Y, steps, batch_size, lr, generator, use_generator=False)


def train_first_rate_only(params, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    return _loop(params, X, Y, steps, batch_size, lr, generator, call_lr=False)


def train_replaces_params(params, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    return _loop(params, X, Y, steps, batch_size, lr, generator, in_place=False)


def train_callable_ignored(params, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    rate = lr if not callable(lr) else 0.1
    return _loop(params, X, Y, steps, batch_size, rate, generator)


def train_gradient_ascent(params, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    rate = (lambda s: -lr(s)) if callable(lr) else -lr
    return _loop(params, X, Y, steps, batch_size, rate, generator)


def train_update_with_graph(params, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    """`p.data = p - rate * p.grad` outside no_grad (works, but the check compares)... and
    `p = p - ...` rebinds only the loop variable: nothing learns."""
    losses = []
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        loss = F.cross_entropy(mlp_logits(params, X[ix]), Y[ix])
        losses.append(loss.item())
        for p in params.values():
            p.grad = None
        loss.backward()
        rate = lr(step) if callable(lr) else lr
        for p in params.values():
            p = p - rate * p.grad  # noqa: PLW2901 - the slip: rebinds the loop variable only
    return losses


def train_tensor_losses(params, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    losses = []
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        loss = F.cross_entropy(mlp_logits(params, X[ix]), Y[ix])
        losses.append(loss.detach())
        for p in params.values():
            p.grad = None
        loss.backward()
        rate = lr(step) if callable(lr) else lr
        with torch.no_grad():
            for p in params.values():
                p -= rate * p.grad
    return losses


def train_data_update(params, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    """Right: Karpathy's `p.data += -lr * p.grad` and zero_() of existing gradients."""
    losses = []
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        loss = F.cross_entropy(mlp_logits(params, X[ix]), Y[ix])
        for p in params.values():
            if p.grad is not None:
                p.grad.zero_()
        loss.backward()
        rate = lr(step) if callable(lr) else lr
        for p in params.values():
            p.data += -rate * p.grad
        losses.append(loss.item())
    return losses


WRONG_ANSWERS = [
    ("build_dataset", "no final '.' example", dataset_no_final_dot),
    ("build_dataset", "context not padded again for each name", dataset_not_padded),
    ("build_dataset", "context never slid", dataset_not_slid),
    ("build_dataset", "rows alias one list changed in place", dataset_aliased_rows),
    ("build_dataset", "targets off by one", dataset_targets_off_by_one),
    ("build_dataset", "Y as float", dataset_float_targets),
    ("build_dataset", "empty list gives shape (0,)", dataset_empty_flat),
    ("build_dataset", "hard-coded a=1..z=26 instead of stoi", dataset_alphabet_indices),
    ("build_dataset", "new symbol slid in at the front", dataset_drops_oldest_wrong_end),
    ("build_dataset", "int32 tensors", dataset_with_int32),
    ("build_dataset", "dtype left to torch.tensor: float32 when empty", dataset_dtype_inferred),
    ("split_words", "no shuffle", split_no_shuffle),
    ("split_words", "global random.shuffle of the input", split_global_shuffle_in_place),
    ("split_words", "reseeds the global random module", split_global_seed),
    ("split_words", "unseeded shuffle", split_unseeded),
    ("split_words", "off-by-one cut", split_off_by_one),
    ("split_words", "n2 = n1 + int(f1 * n)", split_n2_from_n1),
    ("split_words", "overlapping splits", split_overlapping),
    ("split_words", "random.sample: another order", split_sample),
    ("split_words", "round instead of int", split_round),
    ("init_mlp", "W1 without block_size", init_w1_without_block),
    ("init_mlp", "draws in another order", init_wrong_order),
    ("init_mlp", "no requires_grad", init_no_grad),
    ("init_mlp", "not leaves", init_not_leaf),
    ("init_mlp", "generator ignored", init_ignores_generator),
    ("init_mlp", "torch.rand instead of randn", init_uniform),
    ("init_mlp", "W2 transposed", init_w2_transposed),
    ("mlp_logits", "transpose before view", logits_transposed_view),
    ("mlp_logits", "no tanh", logits_no_tanh),
    ("mlp_logits", "relu instead of tanh", logits_relu),
    ("mlp_logits", "no b1", logits_no_b1),
    ("mlp_logits", "no b2", logits_no_b2),
    ("mlp_logits", "W1.T", logits_w1_transposed),
    ("mlp_logits", "softmax of the logits", logits_softmax),
    ("mlp_logits", "hard-coded view(-1, 30)", logits_fixed_block),
    ("mlp_logits", "first symbol of the context only", logits_first_symbol_only),
    ("mlp_logits", "computed without a graph", logits_detached),
    ("split_loss", "sum reduction", loss_sum),
    ("split_loss", "tensor with grad", loss_tensor_with_grad),
    ("split_loss", "tensor without grad", loss_tensor_no_grad),
    ("split_loss", "softmax before cross_entropy", loss_softmax_first),
    ("split_loss", "records a graph", loss_with_graph),
    ("split_loss", "naive exp overflows", loss_naive_exp),
    ("split_loss", "backpropagates", loss_backward),
    ("train_mlp", "no gradient reset", train_no_grad_reset),
    ("train_mlp", "the same minibatch every step", train_fixed_batch),
    ("train_mlp", "loss recorded after the update", train_loss_after_update),
    ("train_mlp", "ix drawn without the generator", train_without_generator),
    ("train_mlp", "lr(0) at every step", train_first_rate_only),
    ("train_mlp", "parameters replaced, not updated in place", train_replaces_params),
    ("train_mlp", "callable lr ignored", train_callable_ignored),
    ("train_mlp", "gradient ascent", train_gradient_ascent),
    ("train_mlp", "update rebinds the loop variable", train_update_with_graph),
    ("train_mlp", "losses as tensors", train_tensor_losses),
]

RIGHT_ANSWERS = [
    ("build_dataset", "rows as tensors, stacked", dataset_tensor_rows),
    ("build_dataset", "slices of a padded string", dataset_padded_strings),
    ("split_words", "an explicit Random object, tuples out", split_tuples),
    ("init_mlp", "requires_grad=True in randn", init_requires_grad_kwarg),
    ("mlp_logits", "torch.cat of the embeddings", logits_cat),
    ("mlp_logits", "one-hot @ C", logits_one_hot),
    ("mlp_logits", "reshape to W1's width", logits_reshape_minus_one),
    ("split_loss", "stable log-softmax by hand", loss_stable_by_hand),
    ("split_loss", "detached parameters", loss_detached_params),
    ("train_mlp", "p.data += -lr * grad, grad.zero_()", train_data_update),
]
