"""Plausible wrong answers to chapter 2's exercises: each must be rejected by its check."""

import torch as t
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from solutions import part2_cnns as ref


class ReLUInPlace(nn.Module):
    def forward(self, x):
        return x.clamp_(min=0)


class LeakyByMistake(nn.Module):
    def forward(self, x):
        return t.where(x > 0, x, 0.01 * x)


class LinearTransposed(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.weight = nn.Parameter(t.rand(in_features, out_features) * 2 - 1)
        self.bias = nn.Parameter(t.zeros(out_features)) if bias else None

    def forward(self, x):
        return x @ self.weight + (0 if self.bias is None else self.bias)


class LinearNormalInit(ref.Linear):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__(in_features, out_features, bias)
        nn.init.normal_(self.weight)


class LinearOneOverN(ref.Linear):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__(in_features, out_features, bias)
        nn.init.uniform_(self.weight, -1 / in_features, 1 / in_features)


class LinearForgetsBias(ref.Linear):
    def forward(self, x):
        return x @ self.weight.T


class LinearNoBiasAttribute(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        bound = in_features ** -0.5
        self.weight = nn.Parameter(t.empty(out_features, in_features).uniform_(-bound, bound))
        if bias:
            self.bias = nn.Parameter(t.empty(out_features).uniform_(-bound, bound))

    def forward(self, x):
        return F.linear(x, self.weight, getattr(self, "bias", None))


class LinearBiasAlways(ref.Linear):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__(in_features, out_features, True)


class FlattenWithView(ref.Flatten):
    def forward(self, input):
        return input.view(*input.shape[:self.start_dim], -1)


class FlattenIgnoresEnd(ref.Flatten):
    def forward(self, input):
        return input.reshape(*input.shape[:self.start_dim % input.ndim], -1)


class FlattenEndExclusive(ref.Flatten):
    def forward(self, input):
        start, end = self.start_dim % input.ndim, self.end_dim % input.ndim
        merged = 1
        for size in input.shape[start:end]:
            merged *= size
        return input.reshape(*input.shape[:start], merged, *input.shape[end:])


class MLPWide(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten, self.relu = ref.Flatten(), ref.ReLU()
        self.linear1, self.linear2 = ref.Linear(784, 128), ref.Linear(128, 10)

    def forward(self, x):
        return self.linear2(self.relu(self.linear1(self.flatten(x))))


class MLPNoReLU(ref.SimpleMLP):
    def forward(self, x):
        return self.linear2(self.linear1(self.flatten(x)))


def _loop(args, *, accuracy_on="test", per_batch_mean=False, percent=False, keep_tensors=False,
          zero_grad=True, model_class=None):
    t.manual_seed(args.seed)
    data = ref.get_training_data(args)
    model = (model_class or args.model_class)()
    opt = t.optim.Adam(model.parameters(), lr=args.learning_rate)
    loader = DataLoader(TensorDataset(data.train_images, data.train_labels),
                        batch_size=args.batch_size, shuffle=True)
    images_eval, labels_eval = (data.test_images, data.test_labels) if accuracy_on == "test" else \
        (data.train_images, data.train_labels)
    eval_loader = DataLoader(TensorDataset(images_eval, labels_eval), batch_size=100)
    losses, accs = [], []
    for _ in range(args.epochs):
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            if zero_grad:
                opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss if keep_tensors else loss.item())
        with t.no_grad():
            if per_batch_mean:
                acc = sum(float((model(x).argmax(-1) == y).float().mean()) for x, y in eval_loader)
                acc /= len(eval_loader)
            else:
                acc = ref.evaluate(model, eval_loader)
        accs.append(acc * 100 if percent else acc)
    return losses, accs, model


WRONG_ANSWERS = [
    ("ReLU", "clamps the input in place", ReLUInPlace),
    ("ReLU", "leaks negative values", LeakyByMistake),
    ("Linear", "weight stored as (in, out)", LinearTransposed),
    ("Linear", "standard normal initialisation", LinearNormalInit),
    ("Linear", "bound 1/in instead of 1/sqrt(in)", LinearOneOverN),
    ("Linear", "bias never added", LinearForgetsBias),
    ("Linear", "no bias attribute when bias=False", LinearNoBiasAttribute),
    ("Linear", "bias created even when bias=False", LinearBiasAlways),
    ("Flatten", "view() fails on non-contiguous input", FlattenWithView),
    ("Flatten", "end_dim ignored", FlattenIgnoresEnd),
    ("Flatten", "end_dim treated as exclusive", FlattenEndExclusive),
    ("SimpleMLP", "128 hidden units", MLPWide),
    ("SimpleMLP", "no ReLU", MLPNoReLU),
    ("train", "accuracy on the training set", lambda a: _loop(a, accuracy_on="train")),
    ("train", "mean of per-batch accuracies", lambda a: _loop(a, per_batch_mean=True)),
    ("train", "accuracy in percent", lambda a: _loop(a, percent=True)),
    ("train", "loss tensors kept", lambda a: _loop(a, keep_tensors=True)),
    ("train", "SimpleMLP hard-coded", lambda a: _loop(a, model_class=ref.SimpleMLP)),
    ("train", "no optimizer.zero_grad()", lambda a: _loop(a, zero_grad=False)),
    ("Conv2d", "padding ignored", type("ConvNoPad", (ref.Conv2d,), {
        "forward": lambda self, x: F.conv2d(x, self.weight, stride=self.stride)})),
    ("Conv2d", "stride ignored", type("ConvNoStride", (ref.Conv2d,), {
        "forward": lambda self, x: F.conv2d(x, self.weight, padding=self.padding)})),
    ("Conv2d", "bound 1/sqrt(in_channels)", type("ConvInit", (ref.Conv2d,), {
        "__init__": lambda self, i, o, k, stride=1, padding=0: (
            ref.Conv2d.__init__(self, i, o, k, stride, padding),
            nn.init.uniform_(self.weight, -i ** -0.5, i ** -0.5))[0]})),
    ("Conv2d", "with a bias", type("ConvBias", (ref.Conv2d,), {
        "__init__": lambda self, i, o, k, stride=1, padding=0: (
            ref.Conv2d.__init__(self, i, o, k, stride, padding),
            setattr(self, "bias", nn.Parameter(t.zeros(o))))[0],
        "forward": lambda self, x: F.conv2d(x, self.weight, self.bias, self.stride,
                                            self.padding)})),
    ("MaxPool2d", "stride defaults to 1", type("PoolStride1", (ref.MaxPool2d,), {
        "forward": lambda self, x: F.max_pool2d(x, self.kernel_size, self.stride or 1,
                                                self.padding)})),
    ("MaxPool2d", "pads with zeros", type("PoolZeroPad", (ref.MaxPool2d,), {
        "forward": lambda self, x: F.max_pool2d(
            F.pad(x, [self.padding] * 4), self.kernel_size, self.stride or self.kernel_size)})),
    ("ConvNet", "nn.Conv2d with its default bias", type("ConvNetBias", (ref.ConvNet,), {
        "__init__": lambda self: (ref.ConvNet.__init__(self), setattr(
            self, "conv1", nn.Conv2d(1, 32, 3, padding=1)))[0]})),
    ("ConvNet", "no second pooling (fc1 sized for 14x14)", type("ConvNetOnePool", (nn.Module,), {
        "__init__": lambda self: (nn.Module.__init__(self), [setattr(self, k, v) for k, v in {
            "conv1": ref.Conv2d(1, 32, 3, padding=1), "conv2": ref.Conv2d(32, 64, 3, padding=1),
            "fc1": ref.Linear(64 * 14 * 14, 128), "fc2": ref.Linear(128, 10)}.items()])[0],
        "forward": lambda self, x: self.fc2(F.relu(self.fc1(F.max_pool2d(F.relu(self.conv2(
            F.relu(self.conv1(x)))), 2).flatten(1))))})),
]


class ReLUTimesMask(nn.Module):
    def forward(self, x):
        return x * (x > 0)


RIGHT_ANSWERS = [
    ("ReLU", "x * (x > 0)", ReLUTimesMask),
    ("ReLU", "torch's own", nn.ReLU),
    ("Flatten", "torch's own", nn.Flatten),
    ("MaxPool2d", "torch's own", nn.MaxPool2d),
]
