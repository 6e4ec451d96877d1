"""Wrong and right answers for chapter 4.5's sections 4-5 (the hierarchical model, its shape
trace, training and evaluation). Each wrong answer is one plausible slip on top of the
reference."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from solutions.makemore_wavenet import (BatchNorm1d, Embedding, FlattenConsecutive, Linear,
                                        Sequential, Tanh, set_training)

# --- build_wavenet ----------------------------------------------------------------------------


def _build(vocab_size=27, n_embd=24, n_hidden=128, generator=None, *, bias=False, scale=0.1,
           merges=(2, 2, 2), tail=True, grad=True, order="layers"):
    if order == "output_first":
        last = Linear(n_hidden, vocab_size, generator=generator)
    layers = [Embedding(vocab_size, n_embd, generator=generator)]
    fan_in = n_embd
    for n in merges:
        fan_in *= n
        layers += [FlattenConsecutive(n), Linear(fan_in, n_hidden, bias=bias, generator=generator),
                   BatchNorm1d(n_hidden), Tanh()]
        fan_in = n_hidden
    if tail:
        layers.append(last if order == "output_first" else
                      Linear(n_hidden, vocab_size, generator=generator))
    with torch.no_grad():
        layers[-1].weight *= scale
    model = Sequential(layers)
    if grad:
        for p in model.parameters():
            p.requires_grad_()
    return model


def build_with_bias(vocab_size=27, n_embd=24, n_hidden=128, generator=None):
    return _build(vocab_size, n_embd, n_hidden, generator, bias=True)


def build_unscaled(vocab_size=27, n_embd=24, n_hidden=128, generator=None):
    return _build(vocab_size, n_embd, n_hidden, generator, scale=1.0)


def build_scaled_twice(vocab_size=27, n_embd=24, n_hidden=128, generator=None):
    return _build(vocab_size, n_embd, n_hidden, generator, scale=0.01)


def build_flatten_4_then_2(vocab_size=27, n_embd=24, n_hidden=128, generator=None):
    return _build(vocab_size, n_embd, n_hidden, generator, merges=(4, 2))


def build_flatten_all_at_once(vocab_size=27, n_embd=24, n_hidden=128, generator=None):
    """A flat MLP over the 8 positions: one FlattenConsecutive(8)."""
    return _build(vocab_size, n_embd, n_hidden, generator, merges=(8,))


def build_no_requires_grad(vocab_size=27, n_embd=24, n_hidden=128, generator=None):
    return _build(vocab_size, n_embd, n_hidden, generator, grad=False)


def build_output_layer_first(vocab_size=27, n_embd=24, n_hidden=128, generator=None):
    """Creates the output layer before the others: its weights come first from the generator."""
    return _build(vocab_size, n_embd, n_hidden, generator, order="output_first")


def build_global_generator(vocab_size=27, n_embd=24, n_hidden=128, generator=None):
    return _build(vocab_size, n_embd, n_hidden, None)


def build_scale_after_grad(vocab_size=27, n_embd=24, n_hidden=128, generator=None):
    """Scales the output weight after it requires grad, out of no_grad: no longer a leaf."""
    model = _build(vocab_size, n_embd, n_hidden, generator, scale=1.0)
    last = model.layers[-1]
    last.weight = last.weight * 0.1
    return model


# --- shape_trace ------------------------------------------------------------------------------


def trace_without_running(model, x):
    """Reads the outputs of whatever call came before."""
    return [(type(layer).__name__, tuple(layer.out.shape)) for layer in model.layers]


def trace_sizes(model, x):
    model(x)
    return [(type(layer).__name__, list(layer.out.shape)) for layer in model.layers]


def trace_class_objects(model, x):
    model(x)
    return [(type(layer), tuple(layer.out.shape)) for layer in model.layers]


def trace_hard_coded(model, x):
    B = x.shape[0]
    return [("Embedding", (B, 8, 24)), ("FlattenConsecutive", (B, 4, 48)), ("Linear", (B, 4, 128)),
            ("BatchNorm1d", (B, 4, 128)), ("Tanh", (B, 4, 128)),
            ("FlattenConsecutive", (B, 2, 256)), ("Linear", (B, 2, 128)),
            ("BatchNorm1d", (B, 2, 128)), ("Tanh", (B, 2, 128)), ("FlattenConsecutive", (B, 256)),
            ("Linear", (B, 128)), ("BatchNorm1d", (B, 128)), ("Tanh", (B, 128)),
            ("Linear", (B, 27))]


def trace_inputs(model, x):
    """Each layer's input shape instead of its output's."""
    out = []
    for layer in model.layers:
        out.append((type(layer).__name__, tuple(x.shape)))
        x = layer(x)
    return out


# --- train_wavenet ----------------------------------------------------------------------------


def _loop(model, X, Y, steps, batch_size, lr, generator, *, train_mode=True, reset=True,
          after=False, first_rate=False, fixed=False):
    if train_mode:
        set_training(model, True)
    params = model.parameters()
    losses, first = [], None
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        if fixed:
            first = ix if first is None else first
            ix = first
        loss = F.cross_entropy(model(X[ix]), Y[ix])
        if reset:
            for p in params:
                p.grad = None
        loss.backward()
        rate = lr(0 if first_rate else step) if callable(lr) else lr
        with torch.no_grad():
            for p in params:
                p -= rate * p.grad
            if after:
                loss = F.cross_entropy(model(X[ix]), Y[ix])
        losses.append(loss.item())
    return losses


def train_no_training_mode(model, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    return _loop(model, X, Y, steps, batch_size, lr, generator, train_mode=False)


def train_no_zero_grad(model, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    return _loop(model, X, Y, steps, batch_size, lr, generator, reset=False)


def train_loss_after_step(model, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    return _loop(model, X, Y, steps, batch_size, lr, generator, after=True)


def train_schedule_ignored(model, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    return _loop(model, X, Y, steps, batch_size, lr, generator, first_rate=True)


def train_same_batch(model, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    return _loop(model, X, Y, steps, batch_size, lr, generator, fixed=True)


def train_global_generator(model, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    return _loop(model, X, Y, steps, batch_size, lr, None)


def train_tensor_losses(model, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    set_training(model, True)
    params = model.parameters()
    losses = []
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        loss = F.cross_entropy(model(X[ix]), Y[ix])
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= (lr(step) if callable(lr) else lr) * p.grad
        losses.append(loss.detach())
    return losses


def train_new_tensors(model, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    """Replaces each parameter with a new tensor: the layers keep training the old ones."""
    set_training(model, True)
    params = model.parameters()
    losses = []
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        loss = F.cross_entropy(model(X[ix]), Y[ix])
        for p in params:
            p.grad = None
        loss.backward()
        rate = lr(step) if callable(lr) else lr
        params = [(p - rate * p.grad).detach().requires_grad_() for p in params]
        losses.append(loss.item())
    return losses


# --- evaluate_loss ----------------------------------------------------------------------------


def evaluate_batch_stats(model, X, Y):
    with torch.no_grad():
        return F.cross_entropy(model(X), Y).item()


def evaluate_with_graph(model, X, Y):
    set_training(model, False)
    return F.cross_entropy(model(X), Y).item()


def evaluate_restores_training(model, X, Y):
    set_training(model, False)
    with torch.no_grad():
        loss = F.cross_entropy(model(X), Y).item()
    set_training(model, True)
    return loss


def evaluate_tensor(model, X, Y):
    set_training(model, False)
    with torch.no_grad():
        return F.cross_entropy(model(X), Y)


def evaluate_sum(model, X, Y):
    set_training(model, False)
    with torch.no_grad():
        return F.cross_entropy(model(X), Y, reduction="sum").item()


# --- right answers ----------------------------------------------------------------------------


def build_bias_false_by_hand(vocab_size=27, n_embd=24, n_hidden=128, generator=None):
    """Unrolled, the output weight scaled before anything requires grad."""
    g = generator
    emb = Embedding(vocab_size, n_embd, generator=g)
    l1 = Linear(n_embd * 2, n_hidden, bias=False, generator=g)
    l2 = Linear(n_hidden * 2, n_hidden, bias=False, generator=g)
    l3 = Linear(n_hidden * 2, n_hidden, bias=False, generator=g)
    out = Linear(n_hidden, vocab_size, generator=g)
    out.weight = out.weight * 0.1
    model = Sequential([emb, FlattenConsecutive(2), l1, BatchNorm1d(n_hidden), Tanh(),
                        FlattenConsecutive(2), l2, BatchNorm1d(n_hidden), Tanh(),
                        FlattenConsecutive(2), l3, BatchNorm1d(n_hidden), Tanh(), out])
    for p in model.parameters():
        p.requires_grad = True
    return model


def trace_running_layer_by_layer(model, x):
    out = []
    for layer in model.layers:
        x = layer(x)
        out.append((layer.__class__.__name__, tuple(int(s) for s in x.shape)))
    return out


def train_zero_grad_and_data(model, X, Y, steps, batch_size=32, lr=0.1, generator=None):
    for layer in model.layers:
        if isinstance(layer, BatchNorm1d):
            layer.training = True
    losses = []
    for step in range(steps):
        ix = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        loss = F.cross_entropy(model(X[ix]), Y[ix])
        for p in model.parameters():
            if p.grad is not None:
                p.grad.zero_()
        loss.backward()
        for p in model.parameters():
            p.data += -(lr(step) if callable(lr) else lr) * p.grad
        losses.append(float(loss.detach()))
    return losses


def evaluate_inference_mode(model, X, Y):
    for layer in model.layers:
        if hasattr(layer, "training"):
            layer.training = False
    with torch.inference_mode():
        logits = model(X)
    return float(F.cross_entropy(logits, Y))


WRONG_ANSWERS = [
    ("build_wavenet", "Linear with a bias before batch norm", build_with_bias),
    ("build_wavenet", "output layer not scaled", build_unscaled),
    ("build_wavenet", "output layer scaled twice", build_scaled_twice),
    ("build_wavenet", "FlattenConsecutive(4) then (2)", build_flatten_4_then_2),
    ("build_wavenet", "one FlattenConsecutive(8): a flat MLP", build_flatten_all_at_once),
    ("build_wavenet", "parameters don't require grad", build_no_requires_grad),
    ("build_wavenet", "output layer created first", build_output_layer_first),
    ("build_wavenet", "generator not passed to the layers", build_global_generator),
    ("build_wavenet", "output weight scaled outside no_grad: not a leaf", build_scale_after_grad),
    ("shape_trace", "reads .out without running the model", trace_without_running),
    ("shape_trace", "shapes as lists", trace_sizes),
    ("shape_trace", "classes instead of their names", trace_class_objects),
    ("shape_trace", "hard-coded for the WaveNet", trace_hard_coded),
    ("shape_trace", "each layer's input shape", trace_inputs),
    ("train_wavenet", "training mode not set", train_no_training_mode),
    ("train_wavenet", "gradients never reset", train_no_zero_grad),
    ("train_wavenet", "loss recorded after the step", train_loss_after_step),
    ("train_wavenet", "lr schedule ignored after step 0", train_schedule_ignored),
    ("train_wavenet", "the same minibatch every step", train_same_batch),
    ("train_wavenet", "minibatches from the global generator", train_global_generator),
    ("train_wavenet", "losses as tensors", train_tensor_losses),
    ("train_wavenet", "new tensors instead of in-place updates", train_new_tensors),
    ("evaluate_loss", "batch statistics (training mode)", evaluate_batch_stats),
    ("evaluate_loss", "a graph recorded", evaluate_with_graph),
    ("evaluate_loss", "training mode restored afterwards", evaluate_restores_training),
    ("evaluate_loss", "a tensor returned", evaluate_tensor),
    ("evaluate_loss", "the sum, not the mean", evaluate_sum),
]

RIGHT_ANSWERS = [
    ("build_wavenet", "unrolled, scaled before requires_grad", build_bias_false_by_hand),
    ("shape_trace", "layer by layer, ints converted", trace_running_layer_by_layer),
    ("train_wavenet", "grad.zero_() and p.data updates", train_zero_grad_and_data),
    ("evaluate_loss", "inference_mode, float()", evaluate_inference_mode),
]
