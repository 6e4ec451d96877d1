"""What chapter 5.3's pages teach holds when measured (on the reference code)."""

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
    """The data-parallel answer in the check-your-understanding section."""
    single = _data_parallel(optimizer_class, kwargs, None)
    assert t.allclose(_data_parallel(optimizer_class, kwargs, "grads"), single, atol=1e-5)
    gap = (_data_parallel(optimizer_class, kwargs, "weights") - single).abs().max().item()
    assert (gap < 1e-5) == weights_match, gap


def test_minibatch_noise_shrinks_like_one_over_root_b():
    """The minibatch lesson: noise as predicted, halved by four times the batch."""
    from utils.experiments.part3_optimization import minibatch_gradient_noise

    noise = minibatch_gradient_noise((1, 4, 16, 1024), draws=100)
    for measured, predicted in zip(noise["measured"], noise["predicted"]):
        assert abs(measured / predicted - 1) < 0.1
    assert 0.45 < noise["measured"][1] / noise["measured"][0] < 0.55
    assert 0.45 < noise["measured"][2] / noise["measured"][1] < 0.55
    assert noise["measured"][3] < noise["measured"][2] / 8 / 2  # near B = N: far below 1/sqrt(B)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_range_test_suggestion_trains_and_its_minimum_does_not(optimizer):
    from solutions import part3_optimization as sol
    from utils.experiments.part3_optimization import suggested_lr

    lrs, losses = sol.lr_range_test(optimizer)
    assert lrs[0] == pytest.approx(1e-5) and max(losses) > 1.3 * min(losses)  # it blew up
    suggestion = suggested_lr(lrs, losses)
    lowest = suggestion * 10

    def dev_accuracy(lr):
        return sol.train_digits_classifier(sol.SweepArgs(optimizer=optimizer, epochs=3,
                                                         batch_size=8, learning_rate=lr))
    assert dev_accuracy(suggestion) > 0.85 > dev_accuracy(lowest)
    if optimizer == "sgd":  # the hyperparameter search section: above the sweep's range for plain SGD
        assert suggestion > sol.make_sweep_config()["parameters"]["learning_rate"]["max"]


def test_the_sweep_never_sees_the_test_split():
    from solutions import part3_optimization as sol

    splits = sol.digits_splits()
    sizes = {name: len(y) for name, (_, y) in splits.items()}
    assert sizes == {"train": 1077, "dev": 360, "test": 360}
    rows = {tuple(r.tolist()) for r in splits["test"][0]}
    assert not rows & {tuple(r.tolist()) for r in splits["dev"][0]}
    assert sol.make_sweep_config()["metric"]["name"] == "dev_accuracy"


def test_the_saved_minibatch_noise_is_current():
    """Stale after a change to the model, the data or the measurement: run
    `python -m utils.experiments.part3_optimization`."""
    import json

    from utils.experiments.part3_optimization import (NOISE_BATCH_SIZES, NOISE_PATH,
                                                      minibatch_gradient_noise)

    saved = json.loads(NOISE_PATH.read_text())
    fresh = minibatch_gradient_noise(NOISE_BATCH_SIZES)
    assert saved["batch size"] == fresh["batch size"] and saved["examples"] == fresh["examples"]
    for key in ("measured", "predicted"):
        assert saved[key] == pytest.approx(fresh[key], rel=1e-4), key
