"""Checks for chapter 5.2 (CNNs & ResNets). Use from a local file or notebook:

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

import numpy as np
import torch as t
import torch.nn.functional as F
from torch import Tensor, nn

from solutions import part2_cnns as ref
from utils.checks.assertions import (assert_close, assert_is_tensor, assert_raises, assert_shape,
                                     call, forbidding, make_module, passed)


# The views of t.arange(20) that the size-and-stride puzzles ask for, as (description, target):
# the check's list (the task text in solutions/ states the same targets; a test keeps them equal).
PUZZLE_TARGETS = [
    ("the first row of `t.arange(20).reshape(4, 5)`", [0, 1, 2, 3, 4]),
    ("its first column", [0, 5, 10, 15]),
    ("the 4 x 5 matrix transposed",
     [[0, 5, 10, 15], [1, 6, 11, 16], [2, 7, 12, 17], [3, 8, 13, 18], [4, 9, 14, 19]]),
    ("every other element of the first row", [0, 2, 4]),
    ("the first element, three times", [0, 0, 0]),
    ("the diagonal of the top-left 4 x 4 block", [0, 6, 12, 18]),
    ("windows of 3 sliding along the first row", [[0, 1, 2], [1, 2, 3], [2, 3, 4]]),
    ("the first two rows, twice",
     [[[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]], [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]]),
]


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
    relu = make_module(ReLU)
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
    layer = make_module(Linear, 10, 5)
    _assert_params(layer, {"weight": (5, 10), "bias": (5,)}, "Linear(10, 5)")
    no_bias = make_module(Linear, 10, 5, bias=False)
    _assert_params(no_bias, {"weight": (5, 10)}, "Linear(10, 5, bias=False)")
    if getattr(no_bias, "bias", "missing") is not None:
        raise AssertionError("Linear(10, 5, bias=False) should set self.bias = None (as "
                             "nn.Linear does), so that code can test `layer.bias is None`.")

    t.manual_seed(0)
    big = make_module(Linear, 400, 300)
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
        got = call(make_module(Flatten, start, end), x, context=f"with start_dim={start}, end_dim={end}")
        expected = nn.Flatten(start, end)(x)
        what = f"Flatten({start}, {end}) on an input of shape (2, 3, 4, 5)"
        got = assert_is_tensor(got, what)
        assert_shape(got, tuple(expected.shape), what)
        assert_close(got, expected, what, atol=0, rtol=0)
    transposed = x.transpose(1, 3)  # not contiguous: view() cannot flatten it
    got = call(make_module(Flatten), transposed, context="on a non-contiguous (transposed) input")
    assert_close(got, nn.Flatten()(transposed), "Flatten() on a non-contiguous input", atol=0,
                 rtol=0)
    passed("test_Flatten")


def test_SimpleMLP(SimpleMLP: Callable) -> None:
    mlp = make_module(SimpleMLP)
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


class _ModeSpy(nn.Module):
    """A model train() has never heard of: records, for each forward call, whether it was in
    training mode and whether gradients were on, and its parameters when it was built."""

    calls: list[tuple[bool, bool]] = []
    built: list[list[Tensor]] = []

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(784, 10)
        self.drop = nn.Dropout(0.1)
        _ModeSpy.built.append([p.detach().clone() for p in self.parameters()])

    def forward(self, x: Tensor) -> Tensor:
        _ModeSpy.calls.append((self.training, t.is_grad_enabled()))
        return self.fc(self.drop(x.flatten(1)))


def _train_failure(message: str) -> AssertionError:
    return AssertionError(f"train(args): {message}")


def _check_modes_and_learning_rate(train: Callable, args) -> None:
    _ModeSpy.calls.clear()
    _ModeSpy.built.clear()
    result = call(train, replace(args, model_class=_ModeSpy),
                  context="with args.model_class set to another model")
    if not isinstance(result[2], _ModeSpy):
        raise _train_failure("should build args.model_class(); with another model_class it "
                             f"still returned a {type(result[2]).__name__}.")
    training = [mode for mode, grad in _ModeSpy.calls if grad]
    validating = [mode for mode, grad in _ModeSpy.calls if not grad]
    if not validating:
        raise _train_failure("the validation loop should run without gradients (under "
                             "t.inference_mode() or t.no_grad()).")
    if any(validating):
        raise _train_failure("call model.eval() before the validation loop: layers such as "
                             "dropout and batch norm behave differently when evaluating.")
    if not all(training):
        raise _train_failure("some training batches ran in eval mode: call model.train() at the "
                             "start of each epoch (the validation loop switched it to eval).")
    _ModeSpy.built.clear()
    frozen = call(train, replace(args, model_class=_ModeSpy, learning_rate=0.0, epochs=1),
                  context="with learning_rate=0")
    if any(not t.equal(p.detach(), q) for p, q in zip(frozen[2].parameters(),
                                                     _ModeSpy.built[-1])):
        raise _train_failure("with args.learning_rate = 0 the weights still changed: pass "
                             "lr=args.learning_rate to the optimizer.")


def test_train(train: Callable) -> None:
    args = ref.SimpleMLPTrainingArgs(epochs=2, batch_size=32, learning_rate=2e-3, seed=0,
                                     dataset="digits")
    data = ref.get_training_data(args)
    batches_per_epoch = math.ceil(len(data.train_images) / args.batch_size)
    result = call(train, args, context="on a 2-epoch run")
    if not (isinstance(result, tuple) and len(result) == 3):
        raise _train_failure("should return a tuple (losses, accuracies, model); got "
                             f"{type(result).__name__}.")
    losses, accuracies, model = result
    expected_steps = args.epochs * batches_per_epoch
    if len(losses) != expected_steps:
        with_val = args.epochs * math.ceil((len(data.train_images) + len(data.val_images))
                                           / args.batch_size)
        extra = (" That is the count for the training and validation images together: train on "
                 "data.train_images only, the validation images are held out."
                 if len(losses) == with_val else "")
        raise _train_failure(f"expected one loss per training batch: {args.epochs} epochs x "
                             f"{batches_per_epoch} batches of data.train_images = "
                             f"{expected_steps}; got {len(losses)}.{extra}")
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
    actual = ref.evaluate(model, _loader(data.val_images, data.val_labels))
    if abs(actual - accuracies[-1]) > 1e-6:
        if abs(ref.evaluate(model, _loader(data.test_images, data.test_labels))
               - accuracies[-1]) <= 1e-6:
            raise _train_failure(
                f"your last accuracy, {accuracies[-1]:.4f}, is the model's accuracy on the test "
                "images. Measure on the validation images (data.val_images, data.val_labels) "
                "after each epoch, and keep the test set for one measurement after training.")
        raise _train_failure(
            f"your last accuracy is {accuracies[-1]:.4f} but the returned model gets "
            f"{actual:.4f} on the {len(data.val_images)} validation images (data.val_images). "
            "Measure it on those, over all of them (not an average of per-batch accuracies, "
            "which weighs a small last batch too much).")
    if accuracies[-1] < 0.85:
        raise _train_failure(f"after 2 epochs the validation accuracy is {accuracies[-1]:.3f}; "
                             "a working loop reaches about 0.9. Check zero_grad, the loss and the "
                             "optimizer's learning rate.")
    first, last = sum(losses[:10]) / 10, sum(losses[-10:]) / 10
    if last >= first:
        raise _train_failure(f"the loss did not go down: {first:.3f} over the first 10 batches, "
                             f"{last:.3f} over the last 10.")
    again = call(train, args, context="a second time with the same args")
    if again[0] != losses:
        raise _train_failure("two runs with the same args gave different losses. Call "
                             "t.manual_seed(args.seed) first, before building the model and the "
                             "DataLoader, so that runs can be reproduced.")
    _check_modes_and_learning_rate(train, args)
    passed("test_train")


def _loader(images: Tensor, labels: Tensor) -> t.utils.data.DataLoader:
    return t.utils.data.DataLoader(t.utils.data.TensorDataset(images, labels), batch_size=512)


# ---------------------------------------------------------------------------------------------
# Convolutions


def test_Conv2d(Conv2d: Callable) -> None:
    t.manual_seed(0)
    conv = make_module(Conv2d, 16, 32, 5)
    _assert_params(conv, {"weight": (32, 16, 5, 5)}, "Conv2d(16, 32, 5)")
    _assert_uniform(conv.weight, (16 * 25) ** -0.5, "Conv2d(16, 32, 5).weight")
    gen = t.Generator().manual_seed(4)
    configs = [  # (in, out, kernel, stride, padding, input shape)
        (3, 8, 3, 1, 0, (2, 3, 9, 9)), (3, 8, 3, 2, 1, (2, 3, 11, 7)), (1, 4, 1, 1, 0, (1, 1, 5, 6)),
        (2, 5, 5, 3, 2, (3, 2, 13, 10)), (4, 2, 2, 2, 0, (1, 4, 8, 8)),
    ]
    for cin, cout, k, stride, padding, shape in configs:
        what = f"Conv2d({cin}, {cout}, {k}, stride={stride}, padding={padding})"
        module = make_module(Conv2d, cin, cout, k, stride=stride, padding=padding)
        _assert_params(module, {"weight": (cout, cin, k, k)}, what)
        x = t.randn(shape, generator=gen)
        expected = F.conv2d(x, module.weight, stride=stride, padding=padding)
        got = call(module, x, context=f"on {what} with an input of shape {shape}")
        assert_close(got, expected, f"{what} on an input of shape {shape}", atol=1e-4)
    x = t.randn(2, 9, 9, 3, generator=gen).permute(0, 3, 1, 2)  # non-contiguous
    module = make_module(Conv2d, 3, 4, 3, padding=1)
    assert_close(call(module, x, context="on a non-contiguous input"),
                 F.conv2d(x, module.weight, padding=1), "Conv2d on a non-contiguous input",
                 atol=1e-4)
    passed("test_Conv2d")


def test_MaxPool2d(MaxPool2d: Callable) -> None:
    gen = t.Generator().manual_seed(5)
    x = t.randn(2, 3, 11, 8, generator=gen) - 3.0  # mostly negative: padding must not win
    # (kernel_size, the keyword arguments given): the defaults are checked by leaving them out.
    configs = [(2, {}), (3, {"stride": 2}), (3, {"padding": 1}), (2, {"stride": None, "padding": 0}),
               (3, {"stride": 2, "padding": 1}), (3, {"stride": 1, "padding": 1}),
               (2, {"stride": 2, "padding": 1}), (4, {"stride": 3, "padding": 2})]
    for kernel, kwargs in configs:
        what = f"MaxPool2d({', '.join([str(kernel)] + [f'{k}={v}' for k, v in kwargs.items()])})"
        pool = make_module(MaxPool2d, kernel, **kwargs)
        if list(pool.parameters()):
            raise AssertionError(f"{what} should have no parameters.")
        stride = kwargs.get("stride")
        expected = F.max_pool2d(x, kernel, stride=stride if stride is not None else kernel,
                                padding=kwargs.get("padding", 0))
        got = call(pool, x, context=f"on {what}")
        assert_close(got, expected, f"{what} on a mostly negative input of shape (2, 3, 11, 8)"
                     " (when not given, stride is kernel_size and padding is 0)", atol=0, rtol=0)
    passed("test_MaxPool2d")


def test_ConvNet(ConvNet: Callable) -> None:
    net = make_module(ConvNet)
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


# ---------------------------------------------------------------------------------------------
# ResNets


def _bn_pair(BatchNorm2d: Callable, channels: int, momentum: float = 0.1,
             eps: float = 1e-5) -> tuple[nn.Module, nn.BatchNorm2d]:
    mine = make_module(BatchNorm2d, channels, eps=eps, momentum=momentum)
    theirs = nn.BatchNorm2d(channels, eps=eps, momentum=momentum)
    gen = t.Generator().manual_seed(7)
    with t.no_grad():  # non-trivial affine parameters, the same in both
        theirs.weight.copy_(t.rand(channels, generator=gen) + 0.5)
        theirs.bias.copy_(t.randn(channels, generator=gen))
        mine.weight.copy_(theirs.weight)
        mine.bias.copy_(theirs.bias)
    return mine, theirs


def test_BatchNorm2d(BatchNorm2d: Callable) -> None:
    bn = make_module(BatchNorm2d, 3)
    _assert_params(bn, {"weight": (3,), "bias": (3,)}, "BatchNorm2d(3)")
    buffers = dict(bn.named_buffers())
    for name, expected in (("running_mean", t.zeros(3)), ("running_var", t.ones(3)),
                           ("num_batches_tracked", t.tensor(0))):
        if name not in buffers:
            raise AssertionError(f"BatchNorm2d(3) should register a buffer `{name}` (with "
                                 f"self.register_buffer); it has {sorted(buffers) or 'none'}.")
        assert_close(buffers[name].double(), expected.double(),
                     f"BatchNorm2d(3).{name} before any batch", atol=0, rtol=0)
    if not t.equal(bn.weight.detach(), t.ones(3)) or not t.equal(bn.bias.detach(), t.zeros(3)):
        raise AssertionError("BatchNorm2d should start with weight = 1 and bias = 0.")

    gen = t.Generator().manual_seed(8)
    for momentum, eps in ((0.1, 1e-5), (0.6, 1e-3)):
        mine, theirs = _bn_pair(BatchNorm2d, 3, momentum, eps)
        label = f"BatchNorm2d(3, eps={eps}, momentum={momentum})"
        for step in range(3):
            x = (t.randn(4, 3, 5, 6, generator=gen) * 2 + 1).requires_grad_()
            got = call(mine.train(), x, context=f"in training mode on batch {step + 1}")
            leaking = [name for name, b in mine.named_buffers() if b.requires_grad]
            if leaking:
                raise AssertionError(f"{label}: the buffers {leaking} are part of the autograd "
                                     "graph after a training step. Update them under "
                                     "t.no_grad() (in place), so they stay plain tensors.")
            assert_close(got, theirs.train()(x), f"{label} in training mode, batch {step + 1}",
                         atol=1e-4)
        for name in ("running_mean", "running_var"):
            assert_close(getattr(mine, name), getattr(theirs, name),
                         f"{label}: {name} after 3 training batches", atol=1e-4)
        if mine.num_batches_tracked.dtype != t.long:
            raise AssertionError(f"{label}: num_batches_tracked should be an integer tensor "
                                 f"(torch.long), got {mine.num_batches_tracked.dtype}.")
        if int(mine.num_batches_tracked) != 3:
            raise AssertionError(f"{label}: num_batches_tracked should be 3 after 3 training "
                                 f"batches, got {int(mine.num_batches_tracked)}.")
        x = t.randn(2, 3, 4, 4, generator=gen)
        got = call(mine.eval(), x, context="in eval mode")
        assert_close(got, theirs.eval()(x), f"{label} in eval mode (uses the running "
                                             "statistics, not the batch's)", atol=1e-4)
        before = mine.running_mean.clone()
        call(mine.eval(), x, context="in eval mode")
        if not t.equal(before, mine.running_mean) or int(mine.num_batches_tracked) != 3:
            raise AssertionError(f"{label}: eval mode must not update the running statistics.")
    passed("test_BatchNorm2d")


def test_AveragePool(AveragePool: Callable) -> None:
    x = t.randn(2, 3, 5, 7, generator=t.Generator().manual_seed(9))
    got = call(make_module(AveragePool), x, context="on an input of shape (2, 3, 5, 7)")
    assert_close(got, x.mean(dim=(2, 3)), "AveragePool on an input of shape (2, 3, 5, 7)")
    passed("test_AveragePool")


def test_Sequential(Sequential: Callable) -> None:
    layers = [nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 2)]
    seq = make_module(Sequential, *layers)
    names = [name for name, _ in seq.named_children()]
    if names != ["0", "1", "2"]:
        raise AssertionError(f"Sequential should name its modules '0', '1', '2'; got {names}.")
    expected_params = ["0.weight", "0.bias", "2.weight", "2.bias"]
    if [name for name, _ in seq.named_parameters()] != expected_params:
        raise AssertionError(f"Sequential's parameters should be {expected_params}; got "
                             f"{[n for n, _ in seq.named_parameters()]}.")
    x = t.randn(3, 4, generator=t.Generator().manual_seed(10))
    assert_close(call(seq, x, context="on an input of shape (3, 4)"),
                 layers[2](layers[1](layers[0](x))), "Sequential(Linear, ReLU, Linear)")
    for index, expected in ((0, layers[0]), (2, layers[2]), (-1, layers[2]), (-3, layers[0])):
        got = call(seq.__getitem__, index, context=f"for seq[{index}]")
        if got is not expected:
            raise AssertionError(f"seq[{index}] should return the module at that position.")
    assert_raises(lambda: seq[3], IndexError, "Sequential: seq[3] on 3 modules, like a list,",
                  otherwise="It returned a module (wrapping around?).")
    if call(len, seq, context="for len(seq)") != 3:
        raise AssertionError("len(seq) should be the number of modules (3).")
    passed("test_Sequential")


def _assert_same_architecture(mine: nn.Module, reference: nn.Module, what: str) -> None:
    """Same state-dict keys and shapes, and the same output once given the same weights."""
    got_keys, expected_keys = list(mine.state_dict()), list(reference.state_dict())
    if got_keys != expected_keys:
        missing = [k for k in expected_keys if k not in got_keys][:4]
        extra = [k for k in got_keys if k not in expected_keys][:4]
        raise AssertionError(f"{what}: the state dict's keys differ from the expected ones "
                             f"(missing {missing or 'none'}, unexpected {extra or 'none'}; "
                             f"{len(got_keys)} keys vs {len(expected_keys)}).")
    for key, value in reference.state_dict().items():
        if mine.state_dict()[key].shape != value.shape:
            raise AssertionError(f"{what}: `{key}` has shape {tuple(mine.state_dict()[key].shape)}"
                                 f", expected {tuple(value.shape)}.")
    count = sum(p.numel() for p in mine.parameters())
    expected_count = sum(p.numel() for p in reference.parameters())
    if count != expected_count:
        raise AssertionError(f"{what}: {count:,} parameters, expected {expected_count:,}.")


def _same_outputs(mine: nn.Module, reference: nn.Module, x: Tensor, what: str) -> None:
    mine.load_state_dict(reference.state_dict())
    for mode in ("train", "eval"):
        getattr(mine, mode)()
        getattr(reference, mode)()
        got = call(mine, x, context=f"on {what} in {mode} mode")
        with t.no_grad():
            expected = reference(x)
        assert_close(got, expected, f"{what} in {mode} mode, with the expected weights loaded",
                     atol=1e-4)


def test_ResidualBlock(ResidualBlock: Callable) -> None:
    gen = t.Generator().manual_seed(11)
    for in_feats, out_feats, stride, shape in ((4, 4, 1, (2, 4, 8, 8)), (4, 6, 2, (2, 4, 9, 7)),
                                               (3, 5, 1, (1, 3, 6, 6))):
        what = f"ResidualBlock({in_feats}, {out_feats}, first_stride={stride})"
        mine = make_module(ResidualBlock, in_feats, out_feats, first_stride=stride)
        reference = ref.ResidualBlock(in_feats, out_feats, stride)
        _assert_same_architecture(mine, reference, what)
        _same_outputs(mine, reference, t.randn(shape, generator=gen), what)
    passed("test_ResidualBlock")


def test_BlockGroup(BlockGroup: Callable) -> None:
    gen = t.Generator().manual_seed(12)
    for n, in_feats, out_feats, stride in ((1, 4, 4, 1), (3, 4, 8, 2), (2, 5, 5, 1)):
        what = f"BlockGroup({n}, {in_feats}, {out_feats}, first_stride={stride})"
        mine = make_module(BlockGroup, n, in_feats, out_feats, first_stride=stride)
        reference = ref.BlockGroup(n, in_feats, out_feats, stride)
        _assert_same_architecture(mine, reference, what)
        _same_outputs(mine, reference, t.randn(2, in_feats, 8, 8, generator=gen), what)
    passed("test_BlockGroup")


def test_ResNet34(ResNet34: Callable) -> None:
    gen = t.Generator().manual_seed(13)
    small = dict(n_blocks_per_group=(1, 2), out_features_per_group=(8, 16),
                 first_strides_per_group=(1, 2), n_classes=5)
    what = "ResNet34 with two small groups (1 and 2 blocks of 8 and 16 features), 5 classes"
    mine = make_module(ResNet34, **small)
    reference = ref.ResNet34(**small)
    _assert_same_architecture(mine, reference, what)
    _same_outputs(mine, reference, t.randn(2, 3, 32, 32, generator=gen), what)

    full = make_module(ResNet34)
    reference = ref.ResNet34()
    _assert_same_architecture(full, reference, "ResNet34()")
    full.load_state_dict(reference.state_dict(), strict=True)  # torchvision's weights would too
    full.eval()
    reference.eval()
    x = t.randn(1, 3, 64, 64, generator=gen)
    with t.no_grad():
        expected = reference(x)
    assert_close(call(full, x, context="on a 64x64 image"), expected,
                 "ResNet34() in eval mode on a 64x64 image, with the expected weights", atol=1e-4)
    passed("test_ResNet34")


def test_copy_weights(copy_weights: Callable) -> None:
    # Same architecture, other names: the reference ResNet's tensors under a renamed wrapper.
    source = ref.ResidualBlock(4, 6, 2)
    target = nn.Sequential(nn.Conv2d(4, 6, 3, 2, 1, bias=False), nn.BatchNorm2d(6),
                           nn.Conv2d(6, 6, 3, 1, 1, bias=False), nn.BatchNorm2d(6),
                           nn.Conv2d(4, 6, 1, 2, bias=False), nn.BatchNorm2d(6))
    with t.no_grad():
        for p in source.parameters():
            p.copy_(t.randn_like(p))
    source.train()(t.randn(3, 4, 8, 8))  # running statistics away from their initial values
    result = call(copy_weights, target, source.state_dict(), context="on a renamed model")
    if result is not target:
        raise AssertionError("copy_weights should return the model it was given.")
    for (key, got), (their_key, expected) in zip(target.state_dict().items(),
                                                 source.state_dict().items()):
        if not t.equal(got, expected):
            raise AssertionError(f"copy_weights: `{key}` should hold the values of `{their_key}` "
                                 "(the entry at the same position).")
    wrong_shape = dict(source.state_dict())
    first = next(iter(wrong_shape))
    wrong_shape[first] = t.zeros(1, 2, 3)
    for bad, description in ((wrong_shape, "a tensor of the wrong shape"),
                             (dict(list(source.state_dict().items())[:-1]), "one entry missing")):
        assert_raises(lambda: copy_weights(nn.Sequential(*[m for m in target]), bad),
                      ValueError, f"copy_weights with {description}")
    passed("test_copy_weights")


def _photo(h: int, w: int, seed: int) -> np.ndarray:
    gen = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:h, 0:w]
    base = np.stack([np.sin(xs / 17.0 + c) * np.cos(ys / 23.0 - c) for c in range(3)], axis=-1)
    return ((base + 1) * 110 + gen.integers(0, 30, (h, w, 3))).clip(0, 255).astype(np.uint8)


def test_prepare_data(prepare_data: Callable) -> None:
    photos = [_photo(300, 451, 0), _photo(480, 320, 1), _photo(256, 256, 2)]
    got = assert_is_tensor(call(prepare_data, photos, context="on three photos"),
                           "prepare_data on three photos")
    expected = ref.prepare_data(photos)
    assert_shape(got, (3, 3, 224, 224), "prepare_data on photos of 300x451, 480x320, 256x256")
    # Loose enough for PIL's resampling instead of torch's; tight enough for any real mistake.
    error = (got.double() - expected.double()).abs()
    if error.mean() > 0.02 or error.max() > 0.5:
        per_image = [f"{e:.3f}" for e in error.mean(dim=(1, 2, 3)).tolist()]
        raise AssertionError(
            "prepare_data: the result differs from the expected preprocessing (mean absolute "
            f"difference per image {per_image}). Check: scale to [0, 1] before normalising, "
            "resize the *shorter* side to 256 keeping the aspect ratio, crop the centre, and "
            "normalise with IMAGENET_MEAN and IMAGENET_STD per channel, channels first.")
    passed("test_prepare_data")


def test_predict(predict: Callable) -> None:
    model = nn.Sequential(nn.Flatten(), nn.Linear(12, 7), nn.Dropout(0.9))
    model.train()
    x = t.randn(5, 3, 2, 2, generator=t.Generator().manual_seed(14))
    result = call(predict, model, x, context="on 5 images")
    if not (isinstance(result, tuple) and len(result) == 2):
        raise AssertionError("predict should return a tuple (probabilities, classes).")
    probabilities, classes = result
    probabilities = assert_is_tensor(probabilities, "predict's probabilities")
    classes = assert_is_tensor(classes, "predict's classes")
    if probabilities.requires_grad:
        raise AssertionError("predict's probabilities still require grad: compute them under "
                             "t.inference_mode() or t.no_grad().")
    if classes.dtype not in (t.int64, t.int32):
        raise AssertionError(f"predict's classes should be integer indices, got {classes.dtype}.")
    model.eval()
    with t.no_grad():
        expected = model(x).softmax(-1).max(-1)
    assert_close(probabilities, expected.values,
                 "predict's probabilities (the softmax over the classes, dim=-1, of the model's "
                 "logits in eval mode, so that dropout is off)", atol=1e-5)
    if classes.tolist() != expected.indices.tolist():
        raise AssertionError(f"predict's classes: expected {expected.indices.tolist()}, got "
                             f"{classes.tolist()}.")
    passed("test_predict")


def test_get_resnet_for_feature_extraction(get_resnet_for_feature_extraction: Callable) -> None:
    # Stand-in "ImageNet" weights, so the check works offline and knows what to look for.
    t.manual_seed(24)
    fake_weights = ref.ResNet34().state_dict()
    originals = {}
    targets = [vars(ref)] + ([get_resnet_for_feature_extraction.__globals__]
                             if hasattr(get_resnet_for_feature_extraction, "__globals__") else [])
    for namespace in targets:
        if "load_resnet34_weights" in namespace:
            originals[id(namespace)] = (namespace, namespace["load_resnet34_weights"])
            namespace["load_resnet34_weights"] = lambda *args, **kwargs: fake_weights
    try:
        model = call(get_resnet_for_feature_extraction, 10, context="with n_classes=10")
    finally:
        for namespace, original in originals.values():
            namespace["load_resnet34_weights"] = original
    what = "get_resnet_for_feature_extraction(10)"
    if not isinstance(model, nn.Module):
        raise AssertionError(f"{what} should return the model.")
    trainable = [name for name, p in model.named_parameters() if p.requires_grad]
    if sorted(trainable) != ["fc.bias", "fc.weight"]:
        raise AssertionError(f"{what}: only the new fc layer should be trainable; trainable "
                             f"parameters: {trainable[:6]}{' ...' if len(trainable) > 6 else ''}.")
    _assert_params(model.fc, {"weight": (10, 512), "bias": (10,)}, f"{what}.fc")
    count = sum(p.numel() for p in model.parameters())
    if count != 21_797_672 - 513_000 + 5_130:
        raise AssertionError(f"{what} should be a ResNet34 with a 10-class head "
                             f"({21_797_672 - 513_000 + 5_130:,} parameters); it has {count:,}.")
    for key in ("conv1.weight", "layer2.0.downsample.1.running_var", "layer4.2.bn2.weight"):
        if not t.equal(model.state_dict()[key], fake_weights[key]):
            raise AssertionError(f"{what}: `{key}` does not hold the weights that "
                                 "load_resnet34_weights() returned. Load them into the model "
                                 "(model.load_state_dict) before replacing fc.")
    passed("test_get_resnet_for_feature_extraction")


# ---------------------------------------------------------------------------------------------
# Bonus: convolutions from scratch

_PRODUCTS = {t.matmul: "matmul", t.Tensor.matmul: "Tensor.matmul", t.Tensor.__matmul__: "@",
             t.Tensor.__rmatmul__: "@", t.mm: "t.mm", t.mv: "t.mv", t.Tensor.mm: "Tensor.mm",
             t.Tensor.mv: "Tensor.mv", t.bmm: "t.bmm", t.tensordot: "t.tensordot",
             t.inner: "t.inner", t.dot: "t.dot", t.Tensor.dot: "Tensor.dot", F.linear: "F.linear",
             t.einsum: "t.einsum (einops.einsum too)", t.linalg.matmul: "t.linalg.matmul",
             t.addmm: "t.addmm", t.addmv: "t.addmv", t.linalg.multi_dot: "t.linalg.multi_dot",
             t.chain_matmul: "t.chain_matmul", t.linalg.vecdot: "t.linalg.vecdot"}
_TRACE = {t.trace: "t.trace", t.Tensor.trace: "Tensor.trace", t.diagonal: "t.diagonal",
          t.Tensor.diagonal: "Tensor.diagonal", t.diag: "t.diag", t.Tensor.diag: "Tensor.diag",
          t.linalg.diagonal: "t.linalg.diagonal", t.einsum: "t.einsum (einops.einsum too)"}
_CONVS = {F.conv1d: "F.conv1d / t.conv1d", F.conv2d: "F.conv2d / t.conv2d",
          t.convolution: "t.convolution", F.conv_transpose1d: "F.conv_transpose1d",
          F.conv_transpose2d: "F.conv_transpose2d", F.unfold: "F.unfold",
          t.Tensor.unfold: "Tensor.unfold"}
_PADS = {F.pad: "F.pad", t.constant_pad_nd: "t.constant_pad_nd"}
_POOLS = {F.max_pool2d: "F.max_pool2d", t.max_pool2d: "t.max_pool2d",
          F.max_pool2d_with_indices: "F.max_pool2d_with_indices", F.max_pool1d: "F.max_pool1d",
          F.max_pool3d: "F.max_pool3d", F.adaptive_max_pool2d: "F.adaptive_max_pool2d",
          **_CONVS}
_STRIDED = (t.Tensor.as_strided, t.as_strided)


def _checked(fn: Callable, banned: dict, name: str, *args, context: str,
             needs_as_strided: bool = True, **kwargs):
    """Call the learner's function with `banned` operations refused; unless told otherwise,
    it must also build a strided view (the point of these exercises)."""
    with forbidding(banned, name) as mode:
        result = call(fn, *args, context=context, **kwargs)
    if needs_as_strided and not any(f in mode.called for f in _STRIDED):
        raise AssertionError(f"{name} {context}: never called as_strided. This exercise is about "
                             "building the strided view yourself, not about finding another "
                             "function that does it.")
    return result


def test_as_strided_puzzles(as_strided_puzzles: Callable) -> None:
    answers = call(as_strided_puzzles, context="")
    if not isinstance(answers, (list, tuple)) or len(answers) != len(PUZZLE_TARGETS):
        raise AssertionError(f"as_strided_puzzles() should return a list of "
                             f"{len(PUZZLE_TARGETS)} (size, stride) pairs.")
    base = t.arange(20)
    for i, ((description, target), answer) in enumerate(zip(PUZZLE_TARGETS, answers), start=1):
        try:
            size, stride = answer
            got = base.as_strided(tuple(size), tuple(stride)).tolist()
        except Exception as err:  # noqa: BLE001 - a malformed answer is a failure
            raise AssertionError(f"as_strided_puzzles, puzzle {i} ({description}): "
                                 f"t.arange(20).as_strided{tuple(answer) if isinstance(answer, (list, tuple)) else answer} "
                                 f"failed: {err}") from err
        if got != target:
            raise AssertionError(f"as_strided_puzzles, puzzle {i} ({description}): size "
                                 f"{tuple(size)} and stride {tuple(stride)} give {got}, "
                                 f"expected {target}.")
    passed("test_as_strided_puzzles")


def _matrices(gen: t.Generator) -> list[tuple[str, Tensor]]:
    """Square matrices, contiguous and not, with and without a storage offset."""
    big = t.randn(7, 7, generator=gen)
    return [(f"a random {n} x {n} matrix", t.randn(n, n, generator=gen)) for n in (1, 3, 5)] + [
        ("a transposed (non-contiguous) matrix", big.T[:4, :4]),
        ("a view with a storage offset, big[2:, 1:6]", big[2:, 1:6]),
        ("the identity", t.eye(4)), ("zeros", t.zeros(3, 3))]


def test_as_strided_trace(as_strided_trace: Callable) -> None:
    gen = t.Generator().manual_seed(15)
    for description, mat in _matrices(gen):
        if mat.shape[0] != mat.shape[1]:
            continue
        got = _checked(as_strided_trace, _TRACE, "as_strided_trace", mat,
                       context=f"on {description}")
        assert_close(assert_is_tensor(got, f"as_strided_trace on {description}").reshape(()),
                     t.trace(mat), f"as_strided_trace on {description}", atol=1e-5)
    passed("test_as_strided_trace")


def test_as_strided_mv(as_strided_mv: Callable) -> None:
    gen = t.Generator().manual_seed(16)
    big = t.randn(8, 8, generator=gen)
    cases = [("a 3 x 4 matrix", t.randn(3, 4, generator=gen), t.randn(4, generator=gen)),
             ("a transposed matrix and a strided vector", big.T[:5, :3], big[0, ::2][:3]),
             ("a view with a storage offset", big[3:, 2:], big[1, 2:])]
    for description, mat, vec in cases:
        got = _checked(as_strided_mv, _PRODUCTS, "as_strided_mv", mat, vec,
                       context=f"on {description}")
        assert_close(got, mat @ vec, f"as_strided_mv on {description}", atol=1e-4)
    passed("test_as_strided_mv")


def test_as_strided_mm(as_strided_mm: Callable) -> None:
    gen = t.Generator().manual_seed(17)
    big = t.randn(9, 9, generator=gen)
    cases = [("(3, 4) @ (4, 2)", t.randn(3, 4, generator=gen), t.randn(4, 2, generator=gen)),
             ("non-contiguous inputs", big.T[:5, :3], big[::2, 1:4][:3]),
             ("views with storage offsets", big[2:6, 3:], big[3:, 1:3])]
    for description, a, b in cases:
        got = _checked(as_strided_mm, _PRODUCTS, "as_strided_mm", a, b,
                       context=f"on {description}")
        assert_close(got, a @ b, f"as_strided_mm on {description}", atol=1e-4)
    passed("test_as_strided_mm")


def test_conv1d_minimal_simple(conv1d_minimal_simple: Callable) -> None:
    gen = t.Generator().manual_seed(18)
    for w, kw in ((5, 3), (10, 1), (7, 7), (12, 4)):
        x, k = t.randn(w, generator=gen), t.randn(kw, generator=gen)
        got = _checked(conv1d_minimal_simple, _CONVS, "conv1d_minimal_simple", x, k,
                       context=f"on a signal of {w} and a kernel of {kw}")
        assert_close(got, F.conv1d(x[None, None], k[None, None])[0, 0],
                     f"conv1d_minimal_simple on a signal of {w} and a kernel of {kw}", atol=1e-4)
    passed("test_conv1d_minimal_simple")


def test_conv1d_minimal(conv1d_minimal: Callable) -> None:
    gen = t.Generator().manual_seed(19)
    for b, ic, oc, w, kw in ((2, 3, 4, 10, 3), (1, 1, 1, 5, 5), (3, 2, 5, 9, 2)):
        x, k = t.randn(b, ic, w, generator=gen), t.randn(oc, ic, kw, generator=gen)
        what = f"conv1d_minimal on x {tuple(x.shape)}, weights {tuple(k.shape)}"
        got = _checked(conv1d_minimal, _CONVS, "conv1d_minimal", x, k, context=f"on {what}")
        assert_close(got, F.conv1d(x, k), what, atol=1e-4)
    passed("test_conv1d_minimal")


def test_conv2d_minimal(conv2d_minimal: Callable) -> None:
    gen = t.Generator().manual_seed(20)
    for b, ic, oc, h, w, kh, kw in ((2, 3, 4, 9, 7, 3, 2), (1, 1, 2, 5, 5, 5, 5),
                                    (2, 2, 3, 12, 10, 1, 4)):
        x = t.randn(b, ic, h, w, generator=gen, dtype=t.float64)
        k = t.randn(oc, ic, kh, kw, generator=gen, dtype=t.float64)
        what = f"conv2d_minimal on x {tuple(x.shape)}, weights {tuple(k.shape)} (float64)"
        got = _checked(conv2d_minimal, _CONVS, "conv2d_minimal", x, k, context=f"on {what}")
        assert_close(got, F.conv2d(x, k), what, atol=1e-8, same_dtype=True)
    passed("test_conv2d_minimal")


def test_pad1d(pad1d: Callable) -> None:
    x = t.arange(1.0, 7.0, dtype=t.float64).reshape(1, 2, 3)
    for left, right, value in ((1, 2, 0.0), (0, 3, -1.5), (2, 0, 5.0), (0, 0, 9.0)):
        what = f"pad1d(x, left={left}, right={right}, pad_value={value}) on x of shape (1, 2, 3)"
        got = _checked(pad1d, _PADS, "pad1d", x, left, right, value, context=f"on {what}",
                       needs_as_strided=False)
        assert_close(got, F.pad(x, (left, right), value=value), what + " (float64)", atol=0,
                     rtol=0, same_dtype=True)
    passed("test_pad1d")


def test_pad2d(pad2d: Callable) -> None:
    x = t.arange(1.0, 13.0, dtype=t.float64).reshape(1, 2, 2, 3)
    for left, right, top, bottom, value in ((1, 2, 0, 1, 0.0), (0, 0, 2, 1, -3.0),
                                            (3, 1, 1, 2, 7.0)):
        what = (f"pad2d(x, left={left}, right={right}, top={top}, bottom={bottom}, "
                f"pad_value={value}) on x of shape (1, 2, 2, 3)")
        got = _checked(pad2d, _PADS, "pad2d", x, left, right, top, bottom, value,
                       context=f"on {what}", needs_as_strided=False)
        assert_close(got, F.pad(x, (left, right, top, bottom), value=value), what + " (float64)",
                     atol=0, rtol=0, same_dtype=True)
    passed("test_pad2d")


def test_conv1d(conv1d: Callable) -> None:
    gen = t.Generator().manual_seed(21)
    for b, ic, oc, w, kw, stride, padding in ((2, 3, 4, 10, 3, 1, 0), (2, 3, 4, 10, 3, 2, 1),
                                              (1, 2, 3, 9, 4, 3, 2), (3, 1, 2, 8, 8, 1, 3)):
        x, k = t.randn(b, ic, w, generator=gen), t.randn(oc, ic, kw, generator=gen)
        what = (f"conv1d(x {tuple(x.shape)}, weights {tuple(k.shape)}, stride={stride}, "
                f"padding={padding})")
        got = _checked(conv1d, _CONVS, "conv1d", x, k, stride=stride, padding=padding,
                       context=f"on {what}")
        assert_close(got, F.conv1d(x, k, stride=stride, padding=padding), what, atol=1e-4)
    passed("test_conv1d")


_CONV2D_CASES = [  # (x shape, weight shape, stride, padding)
    ((2, 3, 9, 9), (4, 3, 3, 3), 1, 0), ((2, 3, 11, 7), (4, 3, 3, 2), 2, 1),
    ((1, 2, 10, 13), (3, 2, 4, 3), (2, 3), (1, 2)), ((2, 1, 8, 8), (2, 1, 5, 5), (1, 2), 2),
    ((1, 3, 6, 9), (2, 3, 1, 1), 3, (0, 1)),
]


def test_conv2d(conv2d: Callable) -> None:
    gen = t.Generator().manual_seed(22)
    for x_shape, w_shape, stride, padding in _CONV2D_CASES:
        x = t.randn(x_shape, generator=gen, dtype=t.float64)
        k = t.randn(w_shape, generator=gen, dtype=t.float64)
        what = f"conv2d(x {x_shape}, weights {w_shape}, stride={stride}, padding={padding})"
        got = _checked(conv2d, _CONVS, "conv2d", x, k, stride=stride, padding=padding,
                       context=f"on {what}")
        assert_close(got, F.conv2d(x, k, stride=stride, padding=padding), what, atol=1e-8,
                     same_dtype=True)
    x = t.randn(2, 9, 9, 3, generator=gen, dtype=t.float64).permute(0, 3, 1, 2)
    k = t.randn(2, 3, 3, 3, generator=gen, dtype=t.float64)
    got = _checked(conv2d, _CONVS, "conv2d", x, k, stride=2, padding=1,
                   context="on a non-contiguous input")
    assert_close(got, F.conv2d(x, k, stride=2, padding=1), "conv2d on a non-contiguous input",
                 atol=1e-8)
    passed("test_conv2d")


def test_maxpool2d(maxpool2d: Callable) -> None:
    gen = t.Generator().manual_seed(23)
    x = t.randn(2, 3, 11, 9, generator=gen) - 4.0  # negative: a zero pad would win the max
    for kernel, stride, padding in ((2, None, 0), (3, 2, 1), ((3, 2), (2, 1), (1, 0)),
                                    (3, 1, 1), (4, 3, 2)):
        what = f"maxpool2d(x, kernel_size={kernel}, stride={stride}, padding={padding})"
        got = _checked(maxpool2d, _POOLS, "maxpool2d", x, kernel, stride=stride,
                       padding=padding, context=f"on {what}")
        expected = F.max_pool2d(x, kernel, stride=stride if stride is not None else kernel,
                                padding=padding)
        assert_close(got, expected, what + " on a negative input", atol=0, rtol=0)
    passed("test_maxpool2d")
