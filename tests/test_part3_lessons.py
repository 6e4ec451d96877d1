"""What chapter 3's pages teach holds when measured (on the reference code)."""

import copy

import pytest
import torch as t
from torch import nn


def _data_parallel(optimizer_class, kwargs, average, ranks=4, steps=5):
    """Weights after `steps` steps: one process on the whole batch (average=None), or `ranks`
    copies on shards that average their gradients ("grads") or their weights ("weights")."""
    t.manual_seed(0)
    x = t.randn(64, 2)
    y = (x[:, 0] > 0).long()
    start = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
    n = 1 if average is None else ranks
    models = [copy.deepcopy(start) for _ in range(n)]
    optimizers = [optimizer_class(m.parameters(), **kwargs) for m in models]
    for _ in range(steps):
        for rank, (model, optimizer) in enumerate(zip(models, optimizers)):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x[rank::n]), y[rank::n]).backward()
        if average == "grads":
            for ps in zip(*(m.parameters() for m in models)):
                mean = sum(p.grad for p in ps) / n
                for p in ps:
                    p.grad = mean.clone()
        for optimizer in optimizers:
            optimizer.step()
        if average == "weights":
            with t.no_grad():
                for ps in zip(*(m.parameters() for m in models)):
                    mean = sum(ps) / n
                    for p in ps:
                        p.copy_(mean)
    return t.cat([p.detach().flatten() for p in models[0].parameters()])


@pytest.mark.parametrize("optimizer_class, kwargs, weights_match", [
    (t.optim.SGD, dict(lr=0.1), True),
    (t.optim.SGD, dict(lr=0.1, momentum=0.9, weight_decay=0.01), True),  # state, but linear
    (t.optim.Adam, dict(lr=0.01), False),
    (t.optim.RMSprop, dict(lr=0.01), False),
])
def test_averaging_weights_matches_big_batch_only_for_linear_updates(optimizer_class, kwargs,
                                                                     weights_match):
    """The data-parallel answer on the understanding page."""
    single = _data_parallel(optimizer_class, kwargs, None)
    assert t.allclose(_data_parallel(optimizer_class, kwargs, "grads"), single, atol=1e-5)
    gap = (_data_parallel(optimizer_class, kwargs, "weights") - single).abs().max().item()
    assert (gap < 1e-5) == weights_match, gap
