"""Checks for chapter 2 (CNNs & ResNets). Use from a local file or notebook:

    from utils.checks import part2_cnns as tests
    tests.test_Linear(Linear)

Modules are checked on their parameters (names, shapes, initial distribution), against
torch.nn.functional on edge cases (stride and padding, non-square and non-contiguous inputs,
negative inputs for pooling) and seeded random inputs; the training loop on a seeded short run.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable

import torch as t
import torch.nn.functional as F
from torch import Tensor, nn

from solutions import part2_cnns as ref
from utils.checks.assertions import assert_close, assert_is_tensor, assert_shape, call, passed


def _make(cls: Callable, *args, **kwargs) -> nn.Module:
    what = f"{getattr(cls, '__name__', 'module')}({', '.join(map(repr, args))}" + \
        "".join(f", {k}={v!r}" for k, v in kwargs.items()) + ")"
    module = call(cls, *args, context=f"when building {what}", **kwargs)
    if not isinstance(module, nn.Module):
        raise AssertionError(f"{what} should be an nn.Module; got {type(module).__name__}. Does "
                             "the class inherit from nn.Module and call super().__init__()?")
    return module


def _param_shapes(module: nn.Module) -> dict[str, tuple[int, ...]]:
    return {name: tuple(p.shape) for name, p in module.named_parameters()}


def _assert_params(module: nn.Module, expected: dict[str, tuple[int, ...]], what: str) -> None:
    got = _param_shapes(module)
    if set(got) != set(expected):
        raise AssertionError(f"{what}: expected parameters named {sorted(expected)}, got "
                             f"{sorted(got) or 'none'}. Parameters must be nn.Parameter objects "
                             "assigned to attributes with these names.")
    for name, shape in expected.items():
        if got[name] != shape:
            raise AssertionError(f"{what}: parameter `{name}` should have shape {shape}, got "
                                 f"{got[name]}.")


def _assert_uniform(p: Tensor, bound: float, what: str) -> None:
    """A large parameter drawn from U(-bound, bound): inside the bounds, spread like it."""
    values = p.detach().flatten().double()
    if values.abs().max() > bound * (1 + 1e-6):
        raise AssertionError(f"{what}: initial values should lie in [-{bound:.4g}, {bound:.4g}]; "
                             f"the largest is {values.abs().max().item():.4g}.")
    expected_std = bound / math.sqrt(3)
    if not 0.85 * expected_std < values.std().item() < 1.15 * expected_std:
        raise AssertionError(f"{what}: initial values should be uniform on [-{bound:.4g}, "
                             f"{bound:.4g}] (standard deviation {expected_std:.4g}); yours have "
                             f"standard deviation {values.std().item():.4g}.")
    if abs(values.mean().item()) > 0.1 * bound:
        raise AssertionError(f"{what}: initial values should be centred on 0; their mean is "
                             f"{values.mean().item():.4g}.")


# ---------------------------------------------------------------------------------------------
# Modules


def test_ReLU(ReLU: Callable) -> None:
    relu = _make(ReLU)
    if list(relu.parameters()):
        raise AssertionError("ReLU should have no parameters.")
    gen = t.Generator().manual_seed(0)
    for shape in [(5,), (3, 4), (2, 3, 4, 5)]:
        x = t.randn(shape, generator=gen)
        x[..., 0] = 0.0
        before = x.clone()
        got = call(relu, x, context=f"on an input of shape {shape}")
        if not t.equal(x, before):
            raise AssertionError("ReLU changed its input tensor in place. Return a new tensor "
                                 "(e.g. t.maximum(x, t.tensor(0.0))) instead of overwriting x.")
        assert_close(got, F.relu(before), f"ReLU on an input of shape {shape}", atol=0, rtol=0)
    passed("test_ReLU")


def test_Linear(Linear: Callable) -> None:
    layer = _make(Linear, 10, 5)
    _assert_params(layer, {"weight": (5, 10), "bias": (5,)}, "Linear(10, 5)")
    no_bias = _make(Linear, 10, 5, bias=False)
    _assert_params(no_bias, {"weight": (5, 10)}, "Linear(10, 5, bias=False)")
    if getattr(no_bias, "bias", "missing") is not None:
        raise AssertionError("Linear(10, 5, bias=False) should set self.bias = None (as "
                             "nn.Linear does), so that code can test `layer.bias is None`.")

    t.manual_seed(0)
    big = _make(Linear, 400, 300)
    _assert_uniform(big.weight, 400 ** -0.5, "Linear(400, 300).weight")
    _assert_uniform(big.bias, 400 ** -0.5, "Linear(400, 300).bias")

    gen = t.Generator().manual_seed(1)
    for module, name in ((layer, "Linear(10, 5)"), (no_bias, "Linear(10, 5, bias=False)")):
        for shape in [(7, 10), (2, 3, 10), (10,)]:
            x = t.randn(shape, generator=gen)
            got = call(module, x, context=f"on {name} with an input of shape {shape}")
            expected = F.linear(x, module.weight, getattr(module, "bias", None))
            assert_close(got, expected, f"{name} on an input of shape {shape}", atol=1e-5)
    passed("test_Linear")


def test_Flatten(Flatten: Callable) -> None:
    gen = t.Generator().manual_seed(2)
    x = t.randn(2, 3, 4, 5, generator=gen)
    for start, end in [(1, -1), (0, -1), (1, 2), (-3, -2), (2, 2), (0, 0), (-2, -1)]:
        got = call(_make(Flatten, start, end), x, context=f"with start_dim={start}, end_dim={end}")
        expected = nn.Flatten(start, end)(x)
        what = f"Flatten({start}, {end}) on an input of shape (2, 3, 4, 5)"
        got = assert_is_tensor(got, what)
        assert_shape(got, tuple(expected.shape), what)
        assert_close(got, expected, what, atol=0, rtol=0)
    transposed = x.transpose(1, 3)  # not contiguous: view() cannot flatten it
    got = call(_make(Flatten), transposed, context="on a non-contiguous (transposed) input")
    assert_close(got, nn.Flatten()(transposed), "Flatten() on a non-contiguous input", atol=0,
                 rtol=0)
    passed("test_Flatten")


def test_SimpleMLP(SimpleMLP: Callable) -> None:
    mlp = _make(SimpleMLP)
    children = dict(mlp.named_children())
    for name in ("flatten", "linear1", "relu", "linear2"):
        if name not in children:
            raise AssertionError(f"SimpleMLP should have a submodule `{name}`; it has "
                                 f"{sorted(children) or 'none'}.")
    _assert_params(mlp, {"linear1.weight": (100, 784), "linear1.bias": (100,),
                         "linear2.weight": (10, 100), "linear2.bias": (10,)}, "SimpleMLP()")
    x = t.rand(5, 1, 28, 28, generator=t.Generator().manual_seed(3))
    got = call(mlp, x, context="on a batch of 5 images")
    what = "SimpleMLP() on a batch of shape (5, 1, 28, 28)"
    assert_shape(assert_is_tensor(got, what), (5, 10), what)
    expected = F.linear(F.relu(F.linear(x.flatten(1), mlp.linear1.weight, mlp.linear1.bias)),
                        mlp.linear2.weight, mlp.linear2.bias)
    assert_close(got, expected, what + " (compared with its own weights)", atol=1e-5)
    passed("test_SimpleMLP")


# ---------------------------------------------------------------------------------------------
# Training


class _TinyModel(nn.Module):
    """A model the learner's loop has never heard of: train() must use args.model_class."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(784, 10)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc(x.flatten(1))


def _train_failure(message: str) -> AssertionError:
    return AssertionError(f"train(args): {message}")


def test_train(train: Callable) -> None:
    args = ref.SimpleMLPTrainingArgs(epochs=2, batch_size=32, learning_rate=2e-3, seed=0,
                                     download=False)
    data = ref.get_training_data(args)
    batches_per_epoch = math.ceil(len(data.train_images) / args.batch_size)
    result = call(train, args, context="on a 2-epoch run")
    if not (isinstance(result, tuple) and len(result) == 3):
        raise _train_failure("should return a tuple (losses, accuracies, model); got "
                             f"{type(result).__name__}.")
    losses, accuracies, model = result
    expected_steps = args.epochs * batches_per_epoch
    if len(losses) != expected_steps:
        raise _train_failure(f"expected one loss per training batch: {args.epochs} epochs x "
                             f"{batches_per_epoch} batches = {expected_steps}; got {len(losses)}.")
    if not all(isinstance(loss, float) for loss in losses):
        kinds = sorted({type(loss).__name__ for loss in losses})
        raise _train_failure(f"the losses should be Python floats (use loss.item()); got {kinds}."
                             " Keeping the loss tensors keeps every batch's graph in memory.")
    if len(accuracies) != args.epochs:
        raise _train_failure(f"expected one accuracy per epoch ({args.epochs}); got "
                             f"{len(accuracies)}.")
    if any(a > 1.0 for a in accuracies):
        raise _train_failure(f"accuracies should be fractions in [0, 1], got {accuracies} "
                             "(percentages?).")
    if not isinstance(model, nn.Module) or type(model).__name__ != "SimpleMLP":
        raise _train_failure("the returned model should be the SimpleMLP you trained (built "
                             f"from args.model_class), got {type(model).__name__}.")
    loader = t.utils.data.DataLoader(t.utils.data.TensorDataset(data.test_images,
                                                                data.test_labels), batch_size=512)
    actual = ref.evaluate(model, loader)
    if abs(actual - accuracies[-1]) > 1e-6:
        raise _train_failure(
            f"your last accuracy is {accuracies[-1]:.4f} but the returned model gets "
            f"{actual:.4f} on the {len(data.test_images)} test images. Measure the accuracy on "
            "the test set, over all its images (not an average of per-batch accuracies, which "
            "weighs a small last batch too much).")
    if accuracies[-1] < 0.85:
        raise _train_failure(f"after 2 epochs the test accuracy is {accuracies[-1]:.3f}; a "
                             "working loop reaches about 0.9. Check zero_grad, the loss and the "
                             "optimizer's learning rate.")
    first, last = sum(losses[:10]) / 10, sum(losses[-10:]) / 10
    if last >= first:
        raise _train_failure(f"the loss did not go down: {first:.3f} over the first 10 batches, "
                             f"{last:.3f} over the last 10.")
    tiny = call(train, replace(args, model_class=_TinyModel, epochs=1),
                context="with args.model_class set to another model")
    if not isinstance(tiny[2], _TinyModel):
        raise _train_failure("should build args.model_class(); with another model_class it "
                             f"still returned a {type(tiny[2]).__name__}.")
    passed("test_train")


# ---------------------------------------------------------------------------------------------
# Convolutions


def test_Conv2d(Conv2d: Callable) -> None:
    t.manual_seed(0)
    conv = _make(Conv2d, 16, 32, 5)
    _assert_params(conv, {"weight": (32, 16, 5, 5)}, "Conv2d(16, 32, 5)")
    _assert_uniform(conv.weight, (16 * 25) ** -0.5, "Conv2d(16, 32, 5).weight")
    gen = t.Generator().manual_seed(4)
    configs = [  # (in, out, kernel, stride, padding, input shape)
        (3, 8, 3, 1, 0, (2, 3, 9, 9)), (3, 8, 3, 2, 1, (2, 3, 11, 7)), (1, 4, 1, 1, 0, (1, 1, 5, 6)),
        (2, 5, 5, 3, 2, (3, 2, 13, 10)), (4, 2, 2, 2, 0, (1, 4, 8, 8)),
    ]
    for cin, cout, k, stride, padding, shape in configs:
        what = f"Conv2d({cin}, {cout}, {k}, stride={stride}, padding={padding})"
        module = _make(Conv2d, cin, cout, k, stride=stride, padding=padding)
        _assert_params(module, {"weight": (cout, cin, k, k)}, what)
        x = t.randn(shape, generator=gen)
        expected = F.conv2d(x, module.weight, stride=stride, padding=padding)
        got = call(module, x, context=f"on {what} with an input of shape {shape}")
        assert_close(got, expected, f"{what} on an input of shape {shape}", atol=1e-4)
    x = t.randn(2, 9, 9, 3, generator=gen).permute(0, 3, 1, 2)  # non-contiguous
    module = _make(Conv2d, 3, 4, 3, padding=1)
    assert_close(call(module, x, context="on a non-contiguous input"),
                 F.conv2d(x, module.weight, padding=1), "Conv2d on a non-contiguous input",
                 atol=1e-4)
    passed("test_Conv2d")


def test_MaxPool2d(MaxPool2d: Callable) -> None:
    gen = t.Generator().manual_seed(5)
    x = t.randn(2, 3, 11, 8, generator=gen) - 3.0  # mostly negative: padding must not win
    for kernel, stride, padding in [(2, None, 0), (3, 2, 1), (3, 1, 1), (2, 2, 1), (4, 3, 2)]:
        what = f"MaxPool2d({kernel}, stride={stride}, padding={padding})"
        pool = _make(MaxPool2d, kernel, stride=stride, padding=padding)
        if list(pool.parameters()):
            raise AssertionError(f"{what} should have no parameters.")
        expected = F.max_pool2d(x, kernel, stride=stride if stride is not None else kernel,
                                padding=padding)
        got = call(pool, x, context=f"on {what}")
        assert_close(got, expected, f"{what} on a mostly negative input of shape (2, 3, 11, 8)",
                     atol=0, rtol=0)
    passed("test_MaxPool2d")


def test_ConvNet(ConvNet: Callable) -> None:
    net = _make(ConvNet)
    expected = {"conv1.weight": (32, 1, 3, 3), "conv2.weight": (64, 32, 3, 3),
                "fc1.weight": (128, 3136), "fc1.bias": (128,), "fc2.weight": (10, 128),
                "fc2.bias": (10,)}
    _assert_params(net, expected, "ConvNet()")
    count = sum(p.numel() for p in net.parameters())
    if count != 421_546:
        raise AssertionError(f"ConvNet should have 421,546 parameters; yours has {count:,}.")
    x = t.rand(4, 1, 28, 28, generator=t.Generator().manual_seed(6))
    got = call(net, x, context="on a batch of 4 images")
    what = "ConvNet() on a batch of shape (4, 1, 28, 28)"
    assert_shape(assert_is_tensor(got, what), (4, 10), what)
    h = F.max_pool2d(F.relu(F.conv2d(x, net.conv1.weight, padding=1)), 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, net.conv2.weight, padding=1)), 2)
    h = F.linear(F.relu(F.linear(h.flatten(1), net.fc1.weight, net.fc1.bias)), net.fc2.weight,
                 net.fc2.bias)
    assert_close(got, h, what + " (compared with its own weights)", atol=1e-4)
    passed("test_ConvNet")
