"""Wrong and right answers for chapter 2's sections 3 (the training loop) and 4 (tabular data).
Each wrong answer is a slip a learner plausibly makes; its check must reject it with a message."""

import torch as t

from solutions import neural_network_basics as ref

# --- calc_grad -------------------------------------------------------------------------------


def calc_grad_no_backward(xb, yb, model):
    return ref.mnist_loss(model(xb), yb)


def calc_grad_swapped_arguments(xb, yb, model):
    ref.mnist_loss(yb, model(xb)).backward()


def calc_grad_mse(xb, yb, model):
    ((model(xb).sigmoid() - yb) ** 2).mean().backward()


def calc_grad_no_sigmoid(xb, yb, model):
    predictions = model(xb)
    t.where(yb == 1, 1 - predictions, predictions).mean().backward()


def calc_grad_sum(xb, yb, model):
    predictions = model(xb).sigmoid()
    t.where(yb == 1, 1 - predictions, predictions).sum().backward()


def calc_grad_sets_grads(xb, yb, model):
    """Overwrites .grad with this batch's gradient, as if the loop had zeroed it first."""
    loss = ref.mnist_loss(model(xb), yb)
    leaves = [n.variable for n in _leaves(loss.grad_fn)]
    for p, g in zip(leaves, t.autograd.grad(loss, leaves)):
        p.grad = g


def _leaves(fn, seen=None):
    seen = set() if seen is None else seen
    found = []
    for next_fn, _ in fn.next_functions if fn is not None else ():
        if next_fn is None or next_fn in seen:
            continue
        seen.add(next_fn)
        if hasattr(next_fn, "variable"):
            found.append(next_fn)
        else:
            found.extend(_leaves(next_fn, seen))
    return found


def calc_grad_accuracy_loss(xb, yb, model):
    ref.batch_accuracy(model(xb), yb).requires_grad_().backward()


# --- train_epoch -----------------------------------------------------------------------------


def epoch_no_zero_grad(model, lr, params, dl):
    for xb, yb in dl:
        ref.calc_grad(xb, yb, model)
        for p in params:
            p.data -= lr * p.grad


def epoch_zero_before_step(model, lr, params, dl):
    for xb, yb in dl:
        ref.calc_grad(xb, yb, model)
        for p in params:
            p.grad.zero_()
            p.data -= lr * p.grad


def epoch_plus_equals(model, lr, params, dl):
    for xb, yb in dl:
        ref.calc_grad(xb, yb, model)
        for p in params:
            p.data += lr * p.grad
            p.grad.zero_()


def epoch_tracked_update(model, lr, params, dl):
    """In place on a leaf that requires grad, outside no_grad: PyTorch refuses."""
    for xb, yb in dl:
        ref.calc_grad(xb, yb, model)
        for p in params:
            p -= lr * p.grad
            p.grad.zero_()


def epoch_rebinds(model, lr, params, dl):
    for xb, yb in dl:
        ref.calc_grad(xb, yb, model)
        for p in params:
            p = p - lr * p.grad  # noqa: PLW2901 - the mistake: only the name changes
            p.grad = None


def epoch_fixed_lr(model, lr, params, dl):
    for xb, yb in dl:
        ref.calc_grad(xb, yb, model)
        for p in params:
            p.data -= 1.0 * p.grad
            p.grad.zero_()


def epoch_one_step(model, lr, params, dl):
    """All batches' gradients summed, then one step per epoch."""
    for xb, yb in dl:
        ref.calc_grad(xb, yb, model)
    for p in params:
        p.data -= lr * p.grad
        p.grad.zero_()


def epoch_first_batch_only(model, lr, params, dl):
    xb, yb = next(iter(dl))
    ref.calc_grad(xb, yb, model)
    for p in params:
        p.data -= lr * p.grad
        p.grad.zero_()


def epoch_reads_dl_twice(model, lr, params, dl):
    """Counts the batches first: an iterator is then empty."""
    if sum(1 for _ in dl) == 0:
        return
    ref.train_epoch(model, lr, params, dl)


def epoch_with_no_grad(model, lr, params, dl):
    for xb, yb in dl:
        ref.calc_grad(xb, yb, model)
        with t.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad.zero_()


def epoch_zero_first(model, lr, params, dl):
    """Clears the gradients at the start of each batch, as PyTorch loops often do: right, and
    the last batch's gradient stays in .grad."""
    for xb, yb in dl:
        for p in params:
            p.grad = None
        ref.calc_grad(xb, yb, model)
        with t.no_grad():
            for p in params:
                p -= lr * p.grad


def epoch_grad_none(model, lr, params, dl):
    for xb, yb in dl:
        ref.calc_grad(xb, yb, model)
        for p in params:
            p.data.sub_(lr * p.grad)
            p.grad = None


# --- BasicOptim ------------------------------------------------------------------------------


class OptimKeepsGenerator:
    """Stores the generator: the first step uses it up, later calls see nothing."""

    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def step(self):
        for p in self.params:
            p.data -= self.lr * p.grad

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class OptimForgetsLast:
    def __init__(self, params, lr):
        self.params, self.lr = list(params)[:-1], lr

    def step(self):
        for p in self.params:
            p.data -= self.lr * p.grad

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class OptimPlus(ref.BasicOptim):
    def step(self):
        for p in self.params:
            p.data += self.lr * p.grad


class OptimTracked(ref.BasicOptim):
    def step(self):
        for p in self.params:
            p.sub_(self.lr * p.grad)


class OptimFixedLr(ref.BasicOptim):
    def step(self):
        for p in self.params:
            p.data -= 0.1 * p.grad


class OptimZeroNone(ref.BasicOptim):
    """zero_() on every grad: fails on a parameter whose .grad is still None."""

    def zero_grad(self):
        for p in self.params:
            p.grad.zero_()


class OptimZeroWrongShape(ref.BasicOptim):
    def zero_grad(self):
        for p in self.params:
            p.grad = t.zeros(1)


class OptimZeroNothing(ref.BasicOptim):
    def zero_grad(self):
        for p in self.params:
            p.grad = p.grad


class OptimZeroFirstOnly(ref.BasicOptim):
    def zero_grad(self):
        self.params[0].grad = None


# --- simple_net ------------------------------------------------------------------------------


def net_relu_on_output(xb, w1, b1, w2, b2):
    return ((xb @ w1 + b1).clamp(min=0) @ w2 + b2).clamp(min=0)


def net_no_relu(xb, w1, b1, w2, b2):
    return (xb @ w1 + b1) @ w2 + b2


def net_sigmoid(xb, w1, b1, w2, b2):
    return (xb @ w1 + b1).sigmoid() @ w2 + b2


def net_min(xb, w1, b1, w2, b2):
    return (xb @ w1 + b1).clamp(max=0) @ w2 + b2


def net_detached(xb, w1, b1, w2, b2):
    return (xb @ w1.data + b1.data).clamp(min=0) @ w2.data + b2.data


def net_relu_before_bias(xb, w1, b1, w2, b2):
    return (xb @ w1).clamp(min=0) + b1 @ w2 + b2


def net_forgot_b2(xb, w1, b1, w2, b2):
    return (xb @ w1 + b1).clamp(min=0) @ w2


# --- one_hot ---------------------------------------------------------------------------------


def one_hot_sorted(values, levels):
    return ref.one_hot(values, sorted(levels, key=str))


def one_hot_long(values, levels):
    return ref.one_hot(values, levels).long()


def one_hot_torch(values, levels):
    """F.one_hot on the levels' indices: a missing value becomes -1, which it refuses."""
    codes = t.tensor([levels.index(v) if v in levels else -1 for v in values], dtype=t.long)
    return t.nn.functional.one_hot(codes, len(levels)).float()


def one_hot_missing_first(values, levels):
    return ref.one_hot([levels[0] if v not in levels else v for v in values], levels)


def one_hot_transposed(values, levels):
    return ref.one_hot(values, levels).T.contiguous()


def one_hot_codes(values, levels):
    return t.tensor([[float(levels.index(v)) if v in levels else 0.0] for v in values])


def one_hot_no_rows(values, levels):
    return t.tensor([[float(v == level) for level in levels] for v in values])


# --- standardize -----------------------------------------------------------------------------


def _safe(std):
    return t.where(std == 0, t.ones_like(std), std)


def standardize_own_stats(train, valid):
    return ((train - train.mean(0)) / _safe(train.std(0)),
            (valid - valid.mean(0)) / _safe(valid.std(0)))


def standardize_pooled(train, valid):
    both = t.cat([train, valid])
    mean, std = both.mean(0), _safe(both.std(0))
    return (train - mean) / std, (valid - mean) / std


def standardize_rows(train, valid):
    return ((train - train.mean(1, keepdim=True)) / _safe(train.std(1, keepdim=True)),
            (valid - valid.mean(1, keepdim=True)) / _safe(valid.std(1, keepdim=True)))


def standardize_no_guard(train, valid):
    mean, std = train.mean(0), train.std(0)
    return (train - mean) / std, (valid - mean) / std


def standardize_epsilon(train, valid):
    """A tiny number in place of a zero std: finite, but a constant column's valid values blow
    up."""
    mean, std = train.mean(0), train.std(0).clamp(min=1e-8)
    return (train - mean) / std, (valid - mean) / std


def standardize_variance(train, valid):
    mean, var = train.mean(0), _safe(train.var(0))
    return (train - mean) / var, (valid - mean) / var


def standardize_min_max(train, valid):
    low, high = train.min(0).values, train.max(0).values
    span = _safe(high - low)
    return (train - low) / span, (valid - low) / span


def standardize_in_place(train, valid):
    mean, std = train.mean(0), _safe(train.std(0))
    train -= mean
    train /= std
    valid -= mean
    valid /= std
    return train, valid


def standardize_centre_only(train, valid):
    mean = train.mean(0)
    return train - mean, valid - mean


def standardize_float32(train, valid):
    scaled = ref.standardize(train, valid)
    return scaled[0].float(), scaled[1].float()


WRONG_ANSWERS = [
    ("calc_grad", "no backward", calc_grad_no_backward),
    ("calc_grad", "mnist_loss(targets, predictions)", calc_grad_swapped_arguments),
    ("calc_grad", "a squared-error loss", calc_grad_mse),
    ("calc_grad", "forgot the sigmoid", calc_grad_no_sigmoid),
    ("calc_grad", "sum instead of mean", calc_grad_sum),
    ("calc_grad", "overwrites .grad instead of adding", calc_grad_sets_grads),
    ("calc_grad", "accuracy as the loss", calc_grad_accuracy_loss),
    ("train_epoch", "forgot to zero the gradients", epoch_no_zero_grad),
    ("train_epoch", "zeroes before stepping", epoch_zero_before_step),
    ("train_epoch", "+= instead of -=", epoch_plus_equals),
    ("train_epoch", "in-place update outside no_grad", epoch_tracked_update),
    ("train_epoch", "p = p - lr * grad rebinds the name", epoch_rebinds),
    ("train_epoch", "lr fixed at 1", epoch_fixed_lr),
    ("train_epoch", "one step per epoch", epoch_one_step),
    ("train_epoch", "first batch only", epoch_first_batch_only),
    ("train_epoch", "reads dl twice", epoch_reads_dl_twice),
    ("BasicOptim", "keeps the generator", OptimKeepsGenerator),
    ("BasicOptim", "forgets the last parameter", OptimForgetsLast),
    ("BasicOptim", "+= in step", OptimPlus),
    ("BasicOptim", "step recorded by autograd", OptimTracked),
    ("BasicOptim", "lr fixed at 0.1", OptimFixedLr),
    ("BasicOptim", "zero_grad fails on a None grad", OptimZeroNone),
    ("BasicOptim", "zero_grad to zeros of the wrong shape", OptimZeroWrongShape),
    ("BasicOptim", "zero_grad does nothing", OptimZeroNothing),
    ("BasicOptim", "zero_grad on the first parameter only", OptimZeroFirstOnly),
    ("simple_net", "ReLU on the output too", net_relu_on_output),
    ("simple_net", "no ReLU", net_no_relu),
    ("simple_net", "sigmoid instead of ReLU", net_sigmoid),
    ("simple_net", "min instead of max", net_min),
    ("simple_net", "forward on .data", net_detached),
    ("simple_net", "ReLU before the bias", net_relu_before_bias),
    ("simple_net", "forgot b2", net_forgot_b2),
    ("one_hot", "columns sorted", one_hot_sorted),
    ("one_hot", "int64 instead of float32", one_hot_long),
    ("one_hot", "F.one_hot with -1 for a missing value", one_hot_torch),
    ("one_hot", "a missing value counted as the first level", one_hot_missing_first),
    ("one_hot", "levels as rows", one_hot_transposed),
    ("one_hot", "the level's index as one number", one_hot_codes),
    ("one_hot", "no shape for zero rows", one_hot_no_rows),
    ("standardize", "valid scaled with its own statistics", standardize_own_stats),
    ("standardize", "statistics of train and valid pooled", standardize_pooled),
    ("standardize", "statistics per row", standardize_rows),
    ("standardize", "no guard for a constant column", standardize_no_guard),
    ("standardize", "an epsilon instead of 1 for a constant column", standardize_epsilon),
    ("standardize", "divides by the variance", standardize_variance),
    ("standardize", "min-max scaling", standardize_min_max),
    ("standardize", "changes its inputs", standardize_in_place),
    ("standardize", "centres without scaling", standardize_centre_only),
    ("standardize", "float64 in, float32 out", standardize_float32),
]


# --- other right answers ---------------------------------------------------------------------


def calc_grad_returns_loss(xb, yb, model):
    loss = ref.mnist_loss(model(xb), yb)
    loss.backward()
    return loss


class OptimZeroes(ref.BasicOptim):
    """no_grad updates; zero_grad to zeros, skipping the None ones."""

    def step(self):
        with t.no_grad():
            for p in self.params:
                p -= self.lr * p.grad

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()


def net_relu_max(xb, w1, b1, w2, b2):
    return (xb @ w1 + b1).max(t.tensor(0.0)) @ w2 + b2


def net_where(xb, w1, b1, w2, b2):
    hidden = xb @ w1 + b1
    return t.where(hidden > 0, hidden, t.zeros_like(hidden)) @ w2 + b2


def one_hot_comprehension(values, levels):
    return t.tensor([[float(v == level) for level in levels] for v in values],
                    dtype=t.float32).reshape(len(values), len(levels))


def one_hot_torch_masked(values, levels):
    codes = t.tensor([levels.index(v) if v in levels else len(levels) for v in values],
                     dtype=t.long)
    return t.nn.functional.one_hot(codes, len(levels) + 1)[:, :len(levels)].float()


def standardize_biased(train, valid):
    mean, std = train.mean(0), train.std(0, unbiased=False)
    std[std == 0] = 1
    return (train - mean) / std, (valid - mean) / std


def standardize_keepdim(train, valid):
    mean = train.mean(dim=0, keepdim=True)
    std = _safe(train.std(dim=0, keepdim=True))
    return [(train - mean) / std, (valid - mean) / std]


RIGHT_ANSWERS = [
    ("calc_grad", "returns the loss too", calc_grad_returns_loss),
    ("train_epoch", "updates under no_grad", epoch_with_no_grad),
    ("train_epoch", "sub_ on .data, grads set to None", epoch_grad_none),
    ("train_epoch", "gradients cleared before each calc_grad", epoch_zero_first),
    ("BasicOptim", "no_grad step, zeroing zero_grad", OptimZeroes),
    ("simple_net", "max with a tensor 0", net_relu_max),
    ("simple_net", "t.where", net_where),
    ("one_hot", "a comprehension, reshaped", one_hot_comprehension),
    ("one_hot", "F.one_hot with an extra column for missing, dropped", one_hot_torch_masked),
    ("standardize", "the n version of the std", standardize_biased),
    ("standardize", "keepdim statistics, a list", standardize_keepdim),
]
