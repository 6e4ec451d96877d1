"""Reference solutions for chapter 5.2: modules, training, convolutions and ResNets.

The source of truth for `exercises/part2_cnns.py` and its notebooks (`python -m utils.codegen`).
Each exercise is the function or class marked `@exercise(...)`, whose arguments beside it are its
metadata (title, difficulty, time, task, hints); they are defined in the order a learner meets
them, and each is placed in its section's prose, `pages/part2_cnns/<n>_<key>.md`, by an
`{exercise} <name>` directive. In the generated files an exercise becomes a stub (for a class,
its methods' bodies raise NotImplementedError); everything else here (the dataclasses, the data
and `evaluate`) is given code, copied as it is, except names starting with "_".
"""

from dataclasses import dataclass, field
from typing import Callable

import einops
import numpy as np
import torch as t
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor, nn
from torch.utils.data import DataLoader, TensorDataset

from utils.data import get_mnist, load_resnet34_weights, offline_digits
from utils.exercise_meta import exercise


@exercise(
    title="ReLU",
    difficulty=1, importance=3, minutes=(5, 10),
    task=r"""
        Write the `forward` of `ReLU`: $\max(x, 0)$ elementwise, for any shape. Return a new
        tensor; don't change the input.
    """,
    hints=(
        r"""
            `t.maximum(x, t.tensor(0.0))` or `x.clamp(min=0)`. Avoid in-place versions such as
            `x.clamp_(0)` or `x[x < 0] = 0`: they overwrite the caller's tensor.
        """,
    ),
)
class ReLU(nn.Module):
    """max(x, 0), elementwise. No parameters."""

    def forward(self, x: Tensor) -> Tensor:
        return t.maximum(x, t.tensor(0.0))


@exercise(
    title="Linear",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `Linear(in_features, out_features, bias=True)`: parameters named `weight` of shape
        `(out_features, in_features)` and `bias` of shape `(out_features,)` (or `self.bias = None`
        when `bias=False`), both drawn uniformly from $[-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}}]$,
        and a `forward` computing $x W^\top + b$ for inputs of shape `(..., in_features)`.
    """,
    hints=(
        r"""
            Wrap tensors in `nn.Parameter(...)` and assign them to attributes: `nn.Module` then
            registers them under the attribute's name.
        """,
        r"""
            `t.empty(out_features, in_features).uniform_(-bound, bound)` with `bound = in_features ** -0.5`.
        """,
        r"""
            `x @ self.weight.T` works for any number of leading dimensions, as does
            `einops.einsum(x, self.weight, '... i, o i -> ... o')`.
        """,
    ),
)
class Linear(nn.Module):
    """y = x W^T + b, like nn.Linear.

    Parameters `weight` (out_features, in_features) and, if bias=True, `bias` (out_features,),
    both initialised uniformly in [-1/sqrt(in_features), 1/sqrt(in_features)]. With bias=False
    the attribute `bias` is None. Works on inputs of shape (..., in_features).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        bound = in_features ** -0.5
        self.weight = nn.Parameter(t.empty(out_features, in_features).uniform_(-bound, bound))
        self.bias = nn.Parameter(t.empty(out_features).uniform_(-bound, bound)) if bias else None

    def forward(self, x: Float[Tensor, "... in_features"]) -> Float[Tensor, "... out_features"]:
        out = einops.einsum(x, self.weight, "... i, o i -> ... o")
        return out if self.bias is None else out + self.bias

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, " \
               f"bias={self.bias is not None}"


@exercise(
    title="Flatten",
    difficulty=2, importance=2, minutes=(10, 15),
    task=r"""
        Write the `forward` of `Flatten(start_dim=1, end_dim=-1)`: merge the dimensions from
        `start_dim` to `end_dim` (both included; negative values count from the end) into one, as
        `nn.Flatten` does.
    """,
    hints=(
        "Turn negative dims into positive ones with `dim % input.ndim`.",
        r"""
            Build the new shape as `shape[:start] + (product,) + shape[end + 1:]` and use `reshape`
            (not `view`: the input may not be contiguous).
        """,
    ),
)
class Flatten(nn.Module):
    """Merge dimensions start_dim..end_dim (inclusive, negative values count from the end) into
    one, like nn.Flatten: (2, 3, 4, 5) with the defaults (1, -1) becomes (2, 60)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:
        shape = input.shape
        start, end = self.start_dim % len(shape), self.end_dim % len(shape)
        merged = 1
        for size in shape[start:end + 1]:
            merged *= size
        return input.reshape(*shape[:start], merged, *shape[end + 1:])

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


@exercise(
    title="A simple MLP",
    difficulty=2, importance=4, minutes=(10, 15),
    task=r"""
        Write `SimpleMLP`: `Flatten` -> `Linear(784, 100)` -> `ReLU` -> `Linear(100, 10)`, stored
        as attributes `flatten`, `linear1`, `relu`, `linear2`, and its `forward`.
    """,
    hints=(
        r"""
            Create the four submodules in `__init__` after `super().__init__()`, and chain them in
            `forward`.
        """,
    ),
)
class SimpleMLP(nn.Module):
    """Flatten -> Linear(784, 100) -> ReLU -> Linear(100, 10), as attributes named flatten,
    linear1, relu and linear2 (using your own modules above). Input (batch, 1, 28, 28), output
    logits (batch, 10)."""

    def __init__(self):
        super().__init__()
        self.flatten = Flatten()
        self.linear1 = Linear(28 * 28, 100)
        self.relu = ReLU()
        self.linear2 = Linear(100, 10)

    def forward(self, x: Float[Tensor, "batch 1 28 28"]) -> Float[Tensor, "batch 10"]:
        return self.linear2(self.relu(self.linear1(self.flatten(x))))


@dataclass
class SimpleMLPTrainingArgs:
    """Given: the settings of a training run."""

    # Any module mapping (batch, 1, 28, 28) to 10 logits. The default is looked up each time
    # SimpleMLPTrainingArgs() is called, so it is whatever SimpleMLP is defined as by then.
    model_class: type[nn.Module] = field(default_factory=lambda: SimpleMLP)
    batch_size: int = 64
    epochs: int = 3
    learning_rate: float = 1e-3
    seed: int = 0
    # "mnist": MNIST (downloaded and cached if needed; the offline digits when that fails).
    # "digits": always scikit-learn's digits at 28 x 28 (small, fast, the same everywhere).
    dataset: str = "mnist"
    # Called as progress(step, total_steps) after each batch, if given (the site draws a bar).
    progress: Callable[[int, int], None] | None = None


@dataclass
class TrainingData:
    """Given: three disjoint sets of images, float32 in [0, 1] of shape (n, 1, 28, 28), with
    their labels (int64, shape (n,)).

    train: what the model learns from. val (validation): held out from the training images, to
    measure the model after each epoch and to choose settings with. test: kept aside for one
    final measurement, once training and every choice are done.
    """

    train_images: Float[Tensor, "n_train 1 28 28"]
    train_labels: Int[Tensor, "n_train"]
    val_images: Float[Tensor, "n_val 1 28 28"]
    val_labels: Int[Tensor, "n_val"]
    test_images: Float[Tensor, "n_test 1 28 28"]
    test_labels: Int[Tensor, "n_test"]
    source: str  # where the images come from, e.g. "MNIST"


VAL_FRACTION = 0.1  # of the training images, held out for validation


def get_training_data(args: SimpleMLPTrainingArgs) -> TrainingData:
    """Given: the images args.dataset names (see utils/data.py), with a validation set held out
    from the training images: a fixed random VAL_FRACTION of them, the same whatever args.seed."""
    images = offline_digits() if args.dataset == "digits" else get_mnist(allow_download=True)
    order = t.randperm(len(images.train_labels), generator=t.Generator().manual_seed(0))
    n_val = int(len(order) * VAL_FRACTION)
    val, train = order[:n_val], order[n_val:]
    return TrainingData(images.train_images[train], images.train_labels[train],
                        images.train_images[val], images.train_labels[val],
                        images.test_images, images.test_labels, images.source)


def evaluate(model: nn.Module, loader: DataLoader) -> float:
    """Given: switch the model to eval mode and return the fraction of the loader's examples
    whose highest logit is the right label, computed without gradients."""
    model.eval()
    correct = total = 0
    with t.inference_mode():
        for images, labels in loader:
            correct += int((model(images).argmax(dim=-1) == labels).sum())
            total += len(labels)
    return correct / total


@exercise(
    title="A training loop with validation",
    difficulty=3, importance=5, minutes=(20, 30),
    task=r"""
        Write `train(args)`. `get_training_data(args)` returns a `TrainingData` holding six
        tensors: `train_images`, `train_labels`, `val_images`, `val_labels`, `test_images` and
        `test_labels` (images of shape `(n, 1, 28, 28)`, labels of shape `(n,)`); the validation
        images are held out from the training images.

        Seed with `t.manual_seed(args.seed)`, build `args.model_class()`, and train it with Adam
        (`lr=args.learning_rate`) and cross-entropy on shuffled batches of `args.batch_size`
        training images, for `args.epochs` epochs. Call `model.train()` at the start of every
        epoch; at its end, measure the accuracy on the validation images with the given
        `evaluate(model, loader)`, which switches the model to eval mode and turns gradients off.
        Leave the test images alone.

        Return `(losses, accuracies, model)`: every training batch's loss as a Python float, one
        validation accuracy (a fraction in [0, 1]) per epoch, and the model.
    """,
    hints=(
        r"""
            `DataLoader(TensorDataset(images, labels), batch_size=..., shuffle=True)` yields
            (images, labels) batches.
        """,
        r"""
            The step: `loss = F.cross_entropy(model(images), labels)`, `optimizer.zero_grad()`,
            `loss.backward()`, `optimizer.step()`; keep `loss.item()`, not the tensor (which holds
            on to the whole graph).
        """,
        r"""
            `evaluate(model, DataLoader(TensorDataset(data.val_images, data.val_labels), batch_size=512))`
            counts correct predictions over all batches and divides by the number of images
            (averaging per-batch accuracies would be wrong when the last batch is smaller). It
            leaves the model in eval mode: hence `model.train()` each epoch.
        """,
    ),
)
def train(args: SimpleMLPTrainingArgs) -> tuple[list[float], list[float], nn.Module]:
    """Train a fresh args.model_class() (a SimpleMLP by default) with Adam
    (lr = args.learning_rate) and cross-entropy, on data.train_images and data.train_labels of
    data = get_training_data(args), in shuffled batches of args.batch_size, for args.epochs.
    Seed with t.manual_seed(args.seed) first.

    Each epoch: put the model in train mode (model.train()), train on every batch, then measure
    the validation accuracy on data.val_images and data.val_labels with the given `evaluate`
    (which puts the model in eval mode). Leave the test images alone.
    Returns (the loss of every training batch, the validation accuracy after each epoch, the
    model).
    """
    t.manual_seed(args.seed)
    data = get_training_data(args)
    model = args.model_class()
    optimizer = t.optim.Adam(model.parameters(), lr=args.learning_rate)
    train_loader = DataLoader(TensorDataset(data.train_images, data.train_labels),
                              batch_size=args.batch_size, shuffle=True)
    val_loader = DataLoader(TensorDataset(data.val_images, data.val_labels), batch_size=512)
    losses, accuracies = [], []
    total_steps, step = args.epochs * len(train_loader), 0
    for _ in range(args.epochs):
        model.train()
        for images, labels in train_loader:
            loss = F.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            step += 1
            if args.progress is not None:
                args.progress(step, total_steps)
        accuracies.append(evaluate(model, val_loader))
    return losses, accuracies, model


@exercise(
    title="Conv2d",
    difficulty=2, importance=3, minutes=(10, 20),
    task=r"""
        Write `Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0)` without bias: a
        parameter `weight` of shape `(out_channels, in_channels, kernel_size, kernel_size)`,
        uniform in $[-1/\sqrt{k}, 1/\sqrt{k}]$ with $k = \mathrm{in\_channels} \cdot \mathrm{kernel\_size}^2$,
        and a `forward` that calls `F.conv2d` with the stride and padding.
    """,
    hints=(
        r"""
            The fan-in of one output value is every input channel times every kernel position:
            `in_channels * kernel_size ** 2`.
        """,
    ),
)
class Conv2d(nn.Module):
    """A 2-D convolution without bias, like nn.Conv2d(..., bias=False), using F.conv2d.

    Parameter `weight` of shape (out_channels, in_channels, kernel_size, kernel_size), uniform in
    [-1/sqrt(fan_in), 1/sqrt(fan_in)] with fan_in = in_channels * kernel_size ** 2. `stride` and
    `padding` are ints, applied to both height and width.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 padding: int = 0):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        bound = (in_channels * kernel_size ** 2) ** -0.5
        self.weight = nn.Parameter(
            t.empty(out_channels, in_channels, kernel_size, kernel_size).uniform_(-bound, bound))

    def forward(self, x: Float[Tensor, "batch in_channels h w"]) -> \
            Float[Tensor, "batch out_channels oh ow"]:
        return F.conv2d(x, self.weight, stride=self.stride, padding=self.padding)

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}")


@exercise(
    title="MaxPool2d",
    difficulty=1, importance=3, minutes=(5, 10),
    task=r"""
        Write `MaxPool2d(kernel_size, stride=None, padding=0)` using `F.max_pool2d`. When `stride`
        is None it equals `kernel_size`.
    """,
    hints=(
        r"""
            Resolve the default in `forward` (or `__init__`): `stride = self.kernel_size if self.stride is None else self.stride`.
        """,
    ),
)
class MaxPool2d(nn.Module):
    """Max pooling like nn.MaxPool2d: windows of kernel_size, moved by stride (which defaults to
    kernel_size when None), over an input padded with -inf by `padding`. Uses F.max_pool2d."""

    def __init__(self, kernel_size: int, stride: int | None = None, padding: int = 0):
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding

    def forward(self, x: Float[Tensor, "batch channels h w"]) -> \
            Float[Tensor, "batch channels oh ow"]:
        stride = self.kernel_size if self.stride is None else self.stride
        return F.max_pool2d(x, kernel_size=self.kernel_size, stride=stride, padding=self.padding)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


@exercise(
    title="A convolutional network",
    difficulty=2, importance=4, minutes=(15, 20),
    task=r"""
        Write `ConvNet` as its docstring lays out: two blocks of convolution, ReLU and 2x2 max
        pooling (32 then 64 channels, 3x3 kernels with padding 1), then flatten and two linear
        layers (3136 -> 128 -> 10), with the attribute names given.
    """,
    hints=(
        r"""
            Padding 1 keeps a 3x3 convolution's output the size of its input; each 2x2 pool halves
            it: 28 -> 14 -> 7. So the flattened size is 64 * 7 * 7 = 3136.
        """,
    ),
)
class ConvNet(nn.Module):
    """Two convolution blocks and two linear layers, for 28x28 digits:
    conv1 (1 -> 32, 3x3, padding 1) -> ReLU -> 2x2 max pool ->
    conv2 (32 -> 64, 3x3, padding 1) -> ReLU -> 2x2 max pool ->
    Flatten -> fc1 (64 * 7 * 7 -> 128) -> ReLU -> fc2 (128 -> 10).
    Attribute names: conv1, relu1, pool1, conv2, relu2, pool2, flatten, fc1, relu3, fc2."""

    def __init__(self):
        super().__init__()
        self.conv1, self.relu1, self.pool1 = Conv2d(1, 32, 3, padding=1), ReLU(), MaxPool2d(2)
        self.conv2, self.relu2, self.pool2 = Conv2d(32, 64, 3, padding=1), ReLU(), MaxPool2d(2)
        self.flatten = Flatten()
        self.fc1, self.relu3, self.fc2 = Linear(64 * 7 * 7, 128), ReLU(), Linear(128, 10)

    def forward(self, x: Float[Tensor, "batch 1 28 28"]) -> Float[Tensor, "batch 10"]:
        x = self.pool1(self.relu1(self.conv1(x)))
        x = self.pool2(self.relu2(self.conv2(x)))
        return self.fc2(self.relu3(self.fc1(self.flatten(x))))


@exercise(
    title="Batch normalisation",
    difficulty=3, importance=4, minutes=(20, 30),
    task=r"""
        Write `BatchNorm2d(num_features, eps=1e-5, momentum=0.1)`: learnable `weight` and `bias`,
        buffers `running_mean`, `running_var` and `num_batches_tracked`, and a `forward` that
        normalises each channel with the batch's statistics while training (updating the running
        ones) and with the running statistics in eval mode:

        $$y = \frac{x - \mu}{\sqrt{\sigma^2 + \varepsilon}} \cdot \gamma + \beta$$
    """,
    hints=(
        r"""
            `self.register_buffer('running_mean', t.zeros(num_features))` makes a tensor part of
            the state dict (and move with `.to(device)`) without training it.
        """,
        r"""
            `self.training` says which mode you are in. Statistics are per channel: reduce over
            dims (0, 2, 3), and reshape to (1, C, 1, 1) to broadcast back.
        """,
        r"""
            Normalise with the biased variance (`unbiased=False`), but update `running_var` with
            the unbiased one: multiply by n / (n - 1), where n = batch x height x width. Update the
            buffers in place under `t.no_grad()`.
        """,
    ),
)
class BatchNorm2d(nn.Module):
    """Batch normalisation over the channels of (batch, channels, height, width), like
    nn.BatchNorm2d(num_features, eps, momentum).

    Parameters `weight` (ones) and `bias` (zeros), shape (num_features,). Buffers (saved in the
    state dict but not trained): `running_mean` (zeros), `running_var` (ones) and
    `num_batches_tracked` (a 0-d integer tensor, 0).

    In training mode, normalise each channel with the batch's mean and biased variance (over
    batch, height and width), and update the running statistics:
    running = (1 - momentum) * running + momentum * batch_statistic, where the variance used for
    the update is the unbiased one (divided by n - 1), as PyTorch does. In eval mode, normalise
    with the running statistics. Then scale by `weight` and shift by `bias`.
    """

    running_mean: Float[Tensor, "num_features"]
    running_var: Float[Tensor, "num_features"]
    num_batches_tracked: Tensor

    def __init__(self, num_features: int, eps: float = 1e-05, momentum: float = 0.1):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight = nn.Parameter(t.ones(num_features))
        self.bias = nn.Parameter(t.zeros(num_features))
        self.register_buffer("running_mean", t.zeros(num_features))
        self.register_buffer("running_var", t.ones(num_features))
        self.register_buffer("num_batches_tracked", t.tensor(0))

    def forward(self, x: Float[Tensor, "batch channels h w"]) -> Float[Tensor, "batch channels h w"]:
        if self.training:
            mean = x.mean(dim=(0, 2, 3))
            var = x.var(dim=(0, 2, 3), unbiased=False)
            n = x.numel() // x.shape[1]
            with t.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
                self.num_batches_tracked += 1
        else:
            mean, var = self.running_mean, self.running_var
        per_channel = lambda v: einops.rearrange(v, "c -> 1 c 1 1")  # noqa: E731
        x_hat = (x - per_channel(mean)) / t.sqrt(per_channel(var) + self.eps)
        return x_hat * per_channel(self.weight) + per_channel(self.bias)

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"


@exercise(
    title="Average pooling",
    difficulty=1, importance=2, minutes=(5, 10),
    task="Write `AveragePool`: the mean over height and width, `(b, c, h, w) -> (b, c)`.",
    hints=(
        r"""
            Each channel of each image becomes one number, the average of its h x w values: which
            dimensions of `(batch, channels, h, w)` does that reduce?
        """,
        "`x.mean(dim=(2, 3))`.",
    ),
)
class AveragePool(nn.Module):
    """The mean over height and width: (batch, channels, h, w) -> (batch, channels)."""

    def forward(self, x: Float[Tensor, "batch channels h w"]) -> Float[Tensor, "batch channels"]:
        return x.mean(dim=(2, 3))


@exercise(
    title="Sequential",
    difficulty=2, importance=3, minutes=(10, 15),
    task=r"""
        Write `Sequential(*modules)`: register each module under the name `'0'`, `'1'`, ..., apply
        them in order in `forward`, and support `seq[i]` (negative `i` too) and `len(seq)`.
    """,
    hints=(
        r"""
            `self.add_module(str(i), module)` registers a submodule under a name that is not a
            valid attribute name. They are kept, in order, in `self._modules`.
        """,
    ),
)
class Sequential(nn.Module):
    """Apply modules one after the other, like nn.Sequential. Registers them as submodules
    named "0", "1", ..., so that their parameters are named "0.weight", "1.weight", ...
    Indexing (`seq[i]`, negative i included) returns the i-th module; an index out of range
    raises IndexError."""

    def __init__(self, *modules: nn.Module):
        super().__init__()
        for index, module in enumerate(modules):
            self.add_module(str(index), module)

    def __getitem__(self, index: int) -> nn.Module:
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range for {len(self)} modules")
        return self._modules[str(index % len(self))]

    def __len__(self) -> int:
        return len(self._modules)

    def forward(self, x: Tensor) -> Tensor:
        for module in self._modules.values():
            x = module(x)
        return x


@exercise(
    title="A residual block",
    difficulty=3, importance=4, minutes=(20, 30),
    task=r"""
        Write `ResidualBlock(in_feats, out_feats, first_stride=1)` with torchvision's attribute
        names (`conv1`, `bn1`, `relu`, `conv2`, `bn2`, `downsample`), as its docstring lays out:
        $\text{ReLU}(\text{left}(x) + \text{right}(x))$.
    """,
    hints=(
        r"""
            The right branch must produce the left branch's shape: when the stride or the number of
            features changes, a 1x1 convolution with the same stride (and a batch norm) does it;
            otherwise it is the identity, stored as `self.downsample = None`.
        """,
        r"""
            Use your Conv2d (no bias): a convolution's bias would be wasted before a batch norm,
            whose subtraction of each channel's mean removes any constant the convolution adds;
            the batch norm's own shift $\beta$ (its `bias`) takes the bias's place.
        """,
    ),
)
class ResidualBlock(nn.Module):
    """A ResNet basic block, with torchvision's attribute names.

    Left branch: conv1 (3x3, stride first_stride, padding 1) -> bn1 -> relu -> conv2 (3x3,
    padding 1) -> bn2. Right branch (`downsample`): the identity (downsample = None) when
    first_stride == 1 and in_feats == out_feats, else Sequential(Conv2d 1x1 with stride
    first_stride, BatchNorm2d). Output: relu(left + right). All convolutions without bias.
    """

    def __init__(self, in_feats: int, out_feats: int, first_stride: int = 1):
        super().__init__()
        self.conv1 = Conv2d(in_feats, out_feats, 3, stride=first_stride, padding=1)
        self.bn1 = BatchNorm2d(out_feats)
        self.relu = ReLU()
        self.conv2 = Conv2d(out_feats, out_feats, 3, stride=1, padding=1)
        self.bn2 = BatchNorm2d(out_feats)
        if first_stride != 1 or in_feats != out_feats:
            self.downsample = Sequential(Conv2d(in_feats, out_feats, 1, stride=first_stride),
                                         BatchNorm2d(out_feats))
        else:
            self.downsample = None

    def forward(self, x: Float[Tensor, "batch in_feats h w"]) -> \
            Float[Tensor, "batch out_feats oh ow"]:
        left = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        right = x if self.downsample is None else self.downsample(x)
        return self.relu(left + right)


@exercise(
    title="A group of blocks",
    difficulty=2, importance=3, minutes=(10, 15),
    task=r"""
        Write `BlockGroup(n_blocks, in_feats, out_feats, first_stride=1)`, a `Sequential` of
        residual blocks where only the first changes the features and the stride.
    """,
    hints=(
        r"""
            Build the list of blocks, then call `super().__init__(*blocks)`: the blocks are then
            named '0', '1', ... as torchvision names them.
        """,
    ),
)
class BlockGroup(Sequential):
    """n_blocks ResidualBlocks in a row (a Sequential, so they are named "0", "1", ...). Only the
    first changes the number of features and uses first_stride; the others keep out_feats and
    stride 1."""

    def __init__(self, n_blocks: int, in_feats: int, out_feats: int, first_stride: int = 1):
        blocks = [ResidualBlock(in_feats, out_feats, first_stride)]
        blocks += [ResidualBlock(out_feats, out_feats) for _ in range(n_blocks - 1)]
        super().__init__(*blocks)


@exercise(
    title="ResNet34",
    difficulty=4, importance=4, minutes=(30, 45),
    task=r"""
        Write `ResNet34`, with torchvision's attribute names as its docstring lists, for any number
        of block groups. With the defaults it has 21,797,672 parameters and its state dict has the
        same keys as torchvision's `resnet34`, so the ImageNet weights load with `strict=True`.
    """,
    hints=(
        r"""
            Name the groups `layer1`, `layer2`, ... with `setattr(self, f'layer{i}', ...)`, and
            keep track of each group's input features: 64, then the previous group's output.
        """,
        r"""
            The stem: conv1 (3 -> 64, kernel 7, stride 2, padding 3), bn1, relu, maxpool (kernel 3,
            stride 2, padding 1). The head: AveragePool then Linear.
        """,
    ),
)
class ResNet34(nn.Module):
    """ResNet34 with torchvision's parameter names, so that its ImageNet weights load directly.

    conv1 (3 -> 64, 7x7, stride 2, padding 3) -> bn1 -> relu -> maxpool (3, stride 2, padding 1)
    -> layer1 ... layerN, one BlockGroup per entry of the three lists -> avgpool (AveragePool)
    -> fc (Linear to n_classes). With the defaults: 21,797,672 parameters.
    """

    def __init__(
        self,
        n_blocks_per_group: tuple[int, ...] = (3, 4, 6, 3),
        out_features_per_group: tuple[int, ...] = (64, 128, 256, 512),
        first_strides_per_group: tuple[int, ...] = (1, 2, 2, 2),
        n_classes: int = 1000,
    ):
        super().__init__()
        self.n_groups = len(n_blocks_per_group)
        self.conv1 = Conv2d(3, 64, 7, stride=2, padding=3)
        self.bn1 = BatchNorm2d(64)
        self.relu = ReLU()
        self.maxpool = MaxPool2d(3, stride=2, padding=1)
        in_feats = 64
        for i, (n_blocks, out_feats, stride) in enumerate(
                zip(n_blocks_per_group, out_features_per_group, first_strides_per_group), start=1):
            setattr(self, f"layer{i}", BlockGroup(n_blocks, in_feats, out_feats, stride))
            in_feats = out_feats
        self.avgpool = AveragePool()
        self.fc = Linear(in_feats, n_classes)

    def forward(self, x: Float[Tensor, "batch 3 h w"]) -> Float[Tensor, "batch n_classes"]:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for i in range(1, self.n_groups + 1):
            x = getattr(self, f"layer{i}")(x)
        return self.fc(self.avgpool(x))


@exercise(
    title="Copying weights by position",
    difficulty=2, importance=3, minutes=(10, 15),
    task=r"""
        Write `copy_weights(my_model, pretrained)`: load the i-th tensor of the state dict
        `pretrained` into the i-th entry of `my_model.state_dict()`, whatever the names, and raise
        a `ValueError` that names both keys when the counts or shapes differ.
    """,
    hints=(
        r"""
            `zip(my_model.state_dict().items(), pretrained.items())` pairs them up; build a dict
            with your keys and their tensors and pass it to `my_model.load_state_dict`.
        """,
    ),
)
def copy_weights(my_model: nn.Module, pretrained: dict[str, Tensor]) -> nn.Module:
    """Load the tensors of `pretrained` (a state dict, e.g. torchvision's) into `my_model`,
    matching them by position rather than by name: the i-th entry of my_model.state_dict() gets
    the i-th tensor of `pretrained`. Raise a ValueError naming both keys if the counts or any
    shapes differ. Returns my_model.
    """
    mine = my_model.state_dict()
    if len(mine) != len(pretrained):
        raise ValueError(f"my_model has {len(mine)} state-dict entries, pretrained has "
                         f"{len(pretrained)}")
    renamed = {}
    for (my_key, my_value), (their_key, their_value) in zip(mine.items(), pretrained.items()):
        if my_value.shape != their_value.shape:
            raise ValueError(f"shape mismatch: {my_key} {tuple(my_value.shape)} vs {their_key} "
                             f"{tuple(their_value.shape)}")
        renamed[my_key] = their_value
    my_model.load_state_dict(renamed)
    return my_model


IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@exercise(
    title="Preparing images for ImageNet models",
    difficulty=2, importance=3, minutes=(10, 15),
    task=r"""
        Write `prepare_data(images)`: turn a list of `(h, w, 3)` uint8 photos into a `(n, 3, 224, 224)`
        batch the way ImageNet models expect: scale to [0, 1], resize the shorter side to 256, crop
        the centre 224 x 224, normalise each channel.
    """,
    hints=(
        r"""
            `t.from_numpy(image).permute(2, 0, 1)` gives channels first; `F.interpolate(x[None], size=(h2, w2), mode='bilinear', antialias=True)`
            resizes.
        """,
        "Normalise with `(x - mean[:, None, None]) / std[:, None, None]`.",
    ),
)
def prepare_data(images: list[np.ndarray]) -> Float[Tensor, "n 3 224 224"]:
    """ImageNet preprocessing of RGB images given as (height, width, 3) uint8 arrays.

    For each image: scale to [0, 1]; resize so the shorter side is 256 pixels, keeping the
    aspect ratio (F.interpolate, bilinear, antialias=True, sizes rounded down); crop the central
    224 x 224; normalise each channel with IMAGENET_MEAN and IMAGENET_STD. Stack into a batch.
    """
    mean = t.tensor(IMAGENET_MEAN)[:, None, None]
    std = t.tensor(IMAGENET_STD)[:, None, None]
    batch = []
    for image in images:
        x = t.from_numpy(np.array(image)).permute(2, 0, 1).float() / 255.0  # a writable copy
        h, w = x.shape[1:]
        scale = 256 / min(h, w)
        size = (max(256, int(h * scale)), max(256, int(w * scale)))
        x = F.interpolate(x[None], size=size, mode="bilinear", antialias=True,
                          align_corners=False)[0]
        top, left = (size[0] - 224) // 2, (size[1] - 224) // 2
        batch.append((x[:, top:top + 224, left:left + 224] - mean) / std)
    return t.stack(batch)


@exercise(
    title="Predicting",
    difficulty=1, importance=3, minutes=(5, 10),
    task=r"""
        Write `predict(model, images)`: with the model in eval mode and no gradients, return a
        tuple `(probabilities, classes)`, in that order: first each image's highest probability
        (softmax of the logits; floats of shape `(n,)`), then the class that probability belongs to
        (integer indices of shape `(n,)`).
    """,
    hints=(
        "`probabilities.max(dim=-1)` returns `(values, indices)`.",
    ),
)
def predict(model: nn.Module, images: Float[Tensor, "n 3 h w"]) -> \
        tuple[Float[Tensor, "n"], Int[Tensor, "n"]]:
    """The model's top class for each image and its probability, in eval mode, without
    gradients: (probabilities, classes)."""
    model.eval()
    with t.inference_mode():
        probabilities = model(images).softmax(dim=-1)
    best = probabilities.max(dim=-1)
    return best.values, best.indices


@exercise(
    title="Bonus: feature extraction",
    difficulty=3, importance=3, minutes=(15, 20),
    task=r"""
        Write `get_resnet_for_feature_extraction(n_classes)`: a `ResNet34` loaded with the ImageNet
        weights (via `load_resnet34_weights()`, which returns None offline), every parameter
        frozen, and a fresh trainable `fc` with `n_classes` outputs.
    """,
    hints=(
        r"""
            `model.requires_grad_(False)` freezes everything; a new `Linear` assigned to `model.fc`
            afterwards is trainable.
        """,
    ),
    bonus=True,
)
def get_resnet_for_feature_extraction(n_classes: int) -> ResNet34:
    """A ResNet34 with the ImageNet weights (when `load_resnet34_weights` can get them), every
    parameter frozen (requires_grad False), and a new, trainable `fc` layer with n_classes
    outputs in place of the old one."""
    model = ResNet34()
    weights = load_resnet34_weights()
    if weights is not None:
        model.load_state_dict(weights)
    model.requires_grad_(False)
    model.fc = Linear(model.fc.in_features, n_classes)
    return model


# ---------------------------------------------------------------------------------------------
# Bonus: convolutions from scratch, with as_strided

IntOrPair = int | tuple[int, int]


def force_pair(v: IntOrPair) -> tuple[int, int]:
    """Given: an int becomes (v, v); a pair stays as it is."""
    if isinstance(v, int):
        return (v, v)
    if isinstance(v, tuple) and len(v) == 2:
        return (int(v[0]), int(v[1]))
    raise ValueError(f"expected an int or a pair of ints, got {v!r}")


@exercise(
    title="Size and stride puzzles",
    difficulty=3, importance=2, minutes=(20, 30),
    task=r"""
        Return a list with one `(size, stride)` pair per view below, in order, such that
        `t.arange(20).as_strided(size, stride)` gives that view. The 4 x 5 matrix they mention is
        `t.arange(20).reshape(4, 5)`, which reads the same memory:

        1. the first row of `t.arange(20).reshape(4, 5)`: `[0, 1, 2, 3, 4]`
        2. its first column: `[0, 5, 10, 15]`
        3. the 4 x 5 matrix transposed: `[[0, 5, 10, 15], [1, 6, 11, 16], [2, 7, 12, 17], [3, 8, 13, 18], [4, 9, 14, 19]]`
        4. every other element of the first row: `[0, 2, 4]`
        5. the first element, three times: `[0, 0, 0]`
        6. the diagonal of the top-left 4 x 4 block: `[0, 6, 12, 18]`
        7. windows of 3 sliding along the first row: `[[0, 1, 2], [1, 2, 3], [2, 3, 4]]`
        8. the first two rows, twice: `[[[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]], [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]]`
    """,
    hints=(
        r"""
            Stride i says how many elements of storage to skip to move one step along dimension i.
            `t.arange(20).reshape(4, 5)` has stride (5, 1).
        """,
        r"""
            A stride of 0 repeats the same element; a stride that is the sum of two others moves
            diagonally.
        """,
    ),
    bonus=True,
)
def as_strided_puzzles() -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """A (size, stride) pair for each view of `t.arange(20)` the task lists, in order:
    `t.arange(20).as_strided(size, stride)` must give that view."""
    return [
        ((5,), (1,)),  # the first row of the 4 x 5 matrix
        ((4,), (5,)),  # its first column
        ((5, 4), (1, 5)),  # the matrix transposed
        ((3,), (2,)),  # every other element of the first row
        ((3,), (0,)),  # the first element three times
        ((4,), (6,)),  # the diagonal of the top-left 4 x 4 block
        ((3, 3), (1, 1)),  # windows of 3 sliding along the first row
        ((2, 2, 5), (0, 5, 1)),  # the first two rows, twice
    ]


@exercise(
    title="Trace with as_strided",
    difficulty=2, importance=2, minutes=(10, 15),
    task=r"""
        Write `as_strided_trace(mat)` without `t.trace` or `t.diagonal`: a strided view of the
        diagonal, summed. It must work on non-contiguous views too.
    """,
    hints=(
        r"""
            A view's stride says how far in storage one step along a dimension moves. The diagonal
            is a 1-D view of `min(mat.shape)` elements: how far apart in storage are `mat[i, i]`
            and `mat[i + 1, i + 1]`, in terms of `mat.stride()`?
        """,
        r"""
            Moving one step down the diagonal moves one row and one column: the stride is
            `mat.stride(0) + mat.stride(1)`. `mat.as_strided` keeps `mat`'s storage offset.
        """,
    ),
    bonus=True,
)
def as_strided_trace(mat: Float[Tensor, "i j"]) -> Float[Tensor, ""]:
    """The trace of a square matrix, via a strided view of its diagonal (no t.trace or
    t.diagonal). The matrix may be a non-contiguous view with a storage offset."""
    stride = mat.stride()
    diagonal = mat.as_strided((min(mat.shape),), (stride[0] + stride[1],))
    return diagonal.sum()


@exercise(
    title="Matrix-vector product with as_strided",
    difficulty=3, importance=2, minutes=(15, 20),
    task=r"""
        Write `as_strided_mv(mat, vec)` without `@`, matmul or einsum: view `vec` as a matrix of
        `mat`'s shape (every row the same memory), multiply, sum over columns.
    """,
    hints=(
        r"""
            You want a tensor of `mat`'s shape whose every row is `vec`. Moving down to the next
            row should then not move in storage at all, and moving along a row should move as
            `vec` itself does. Which strides say that?
        """,
        r"""
            A stride of 0 along the rows: `vec.as_strided(mat.shape, (0, vec.stride(0)))`. Use the
            vector's own stride: it may not be 1.
        """,
    ),
    bonus=True,
)
def as_strided_mv(mat: Float[Tensor, "i j"], vec: Float[Tensor, "j"]) -> Float[Tensor, "i"]:
    """Matrix times vector without matmul: view `vec` as an (i, j) matrix whose rows all read
    the same memory (stride 0), multiply elementwise, sum over j."""
    rows = vec.as_strided(mat.shape, (0, vec.stride(0)))
    return (mat * rows).sum(dim=1)


@exercise(
    title="Matrix product with as_strided",
    difficulty=4, importance=2, minutes=(15, 20),
    task=r"""
        Write `as_strided_mm(a, b)` without `@`, matmul or einsum: view both as `(i, j, k)` tensors
        with stride 0 along the dimension each lacks, multiply, sum over j.
    """,
    hints=(
        r"""
            $C_{ik} = \sum_j A_{ij} B_{jk}$ is a sum over $j$ of a 3-D tensor indexed
            $(i, j, k)$. `a` has no $k$ index and `b` no $i$ index, so view each as `(i, j, k)`
            repeating along the dimension it lacks (stride 0), while its own two dimensions keep
            the strides they already have.
        """,
        r"""
            `a3 = a.as_strided((i, j, k), (a.stride(0), a.stride(1), 0))`; b3 similarly with stride
            0 in front.
        """,
    ),
    bonus=True,
)
def as_strided_mm(a: Float[Tensor, "i j"], b: Float[Tensor, "j k"]) -> Float[Tensor, "i k"]:
    """Matrix product without matmul: view both as (i, j, k) tensors with stride 0 along the
    missing dimension, multiply elementwise, sum over j."""
    i, j = a.shape
    k = b.shape[1]
    a3 = a.as_strided((i, j, k), (a.stride(0), a.stride(1), 0))
    b3 = b.as_strided((i, j, k), (0, b.stride(0), b.stride(1)))
    return (a3 * b3).sum(dim=1)


@exercise(
    title="A first 1-D convolution",
    difficulty=4, importance=2, minutes=(15, 20),
    task=r"""
        Write `conv1d_minimal_simple(x, weights)` for one signal and one kernel, no padding, stride
        1, without `F.conv1d` or `unfold`: a strided view of the sliding windows, then a weighted
        sum.
    """,
    hints=(
        r"""
            The windows: shape `(w - kw + 1, kw)` and stride `(s, s)` where `s = x.stride(0)`: each
            window starts one step after the last, and steps one element at a time.
        """,
    ),
    bonus=True,
)
def conv1d_minimal_simple(x: Float[Tensor, "w"], weights: Float[Tensor, "kw"]) -> \
        Float[Tensor, "ow"]:
    """1-D cross-correlation of one signal with one kernel, no padding, stride 1:
    out[i] = sum_k x[i + k] * weights[k], for i in range(w - kw + 1)."""
    (w,), (kw,) = x.shape, weights.shape
    windows = x.as_strided((w - kw + 1, kw), (x.stride(0), x.stride(0)))
    return einops.einsum(windows, weights, "ow kw, kw -> ow")


@exercise(
    title="Batched, multi-channel 1-D convolution",
    difficulty=4, importance=2, minutes=(20, 25),
    task=r"""
        Write `conv1d_minimal(x, weights)` for a batch and several channels, no padding, stride 1.
    """,
    hints=(
        r"""
            Windows of shape `(b, ic, ow, kw)` with strides `(s_b, s_ic, s_w, s_w)`, then
            `einops.einsum(windows, weights, 'b ic ow kw, oc ic kw -> b oc ow')`.
        """,
    ),
    bonus=True,
)
def conv1d_minimal(x: Float[Tensor, "b ic w"], weights: Float[Tensor, "oc ic kw"]) -> \
        Float[Tensor, "b oc ow"]:
    """Batched, multi-channel 1-D convolution (like F.conv1d with no padding and stride 1)."""
    b, ic, w = x.shape
    kw = weights.shape[2]
    s_b, s_ic, s_w = x.stride()
    windows = x.as_strided((b, ic, w - kw + 1, kw), (s_b, s_ic, s_w, s_w))
    return einops.einsum(windows, weights, "b ic ow kw, oc ic kw -> b oc ow")


@exercise(
    title="2-D convolution",
    difficulty=4, importance=2, minutes=(20, 25),
    task="Write `conv2d_minimal(x, weights)`: the 2-D version, no padding, stride 1.",
    hints=(
        r"""
            Windows of shape `(b, ic, oh, ow, kh, kw)`: the height and width strides each appear
            twice.
        """,
    ),
    bonus=True,
)
def conv2d_minimal(x: Float[Tensor, "b ic h w"], weights: Float[Tensor, "oc ic kh kw"]) -> \
        Float[Tensor, "b oc oh ow"]:
    """2-D convolution (like F.conv2d with no padding and stride 1)."""
    b, ic, h, w = x.shape
    kh, kw = weights.shape[2:]
    s_b, s_ic, s_h, s_w = x.stride()
    windows = x.as_strided((b, ic, h - kh + 1, w - kw + 1, kh, kw),
                           (s_b, s_ic, s_h, s_w, s_h, s_w))
    return einops.einsum(windows, weights, "b ic oh ow kh kw, oc ic kh kw -> b oc oh ow")


@exercise(
    title="Padding in 1-D",
    difficulty=2, importance=2, minutes=(5, 10),
    task=r"""
        Write `pad1d(x, left, right, pad_value)` without `F.pad`: a new tensor filled with
        `pad_value`, with `x` copied into the middle.
    """,
    hints=(
        r"""
            `x.new_full(shape, pad_value)` makes a tensor of the same dtype and device; then assign
            `out[..., left:left + w] = x`.
        """,
    ),
    bonus=True,
)
def pad1d(x: Float[Tensor, "b ic w"], left: int, right: int, pad_value: float) -> \
        Float[Tensor, "b ic padded_w"]:
    """x with `left` and `right` extra positions of pad_value on its last dimension."""
    b, ic, w = x.shape
    out = x.new_full((b, ic, left + w + right), pad_value)
    out[..., left:left + w] = x
    return out


@exercise(
    title="Padding in 2-D",
    difficulty=2, importance=2, minutes=(5, 10),
    task="Write `pad2d(x, left, right, top, bottom, pad_value)` without `F.pad`.",
    hints=(
        r"""
            The same as pad1d on the last two dimensions: left and right pad the width, top and
            bottom the height.
        """,
    ),
    bonus=True,
)
def pad2d(x: Float[Tensor, "b ic h w"], left: int, right: int, top: int, bottom: int,
          pad_value: float) -> Float[Tensor, "b ic padded_h padded_w"]:
    """x with pad_value added on each side of its last two dimensions."""
    b, ic, h, w = x.shape
    out = x.new_full((b, ic, top + h + bottom, left + w + right), pad_value)
    out[..., top:top + h, left:left + w] = x
    return out


@exercise(
    title="1-D convolution with stride and padding",
    difficulty=4, importance=2, minutes=(20, 25),
    task="Write `conv1d(x, weights, stride=1, padding=0)`, as `F.conv1d` (no bias).",
    hints=(
        r"""
            Pad first (with zeros). The output width is `(w_padded - kw) // stride + 1`;
            consecutive windows now start `stride` elements apart.
        """,
    ),
    bonus=True,
)
def conv1d(x: Float[Tensor, "b ic w"], weights: Float[Tensor, "oc ic kw"], stride: int = 1,
           padding: int = 0) -> Float[Tensor, "b oc ow"]:
    """Like F.conv1d (no bias): zero padding on both sides, then windows `stride` apart."""
    x = pad1d(x, padding, padding, 0.0)
    b, ic, w = x.shape
    kw = weights.shape[2]
    s_b, s_ic, s_w = x.stride()
    out_w = (w - kw) // stride + 1
    windows = x.as_strided((b, ic, out_w, kw), (s_b, s_ic, s_w * stride, s_w))
    return einops.einsum(windows, weights, "b ic ow kw, oc ic kw -> b oc ow")


@exercise(
    title="2-D convolution with stride and padding",
    difficulty=4, importance=2, minutes=(20, 25),
    task=r"""
        Write `conv2d(x, weights, stride=1, padding=0)`, as `F.conv2d` (no bias); stride and
        padding may be ints or `(height, width)` pairs (use `force_pair`).
    """,
    hints=(
        r"""
            Padding `(pad_h, pad_w)` adds pad_w columns on the left and right, pad_h rows on top
            and bottom.
        """,
    ),
    bonus=True,
)
def conv2d(x: Float[Tensor, "b ic h w"], weights: Float[Tensor, "oc ic kh kw"],
           stride: IntOrPair = 1, padding: IntOrPair = 0) -> Float[Tensor, "b oc oh ow"]:
    """Like F.conv2d (no bias); stride and padding are ints or (height, width) pairs."""
    (stride_h, stride_w), (pad_h, pad_w) = force_pair(stride), force_pair(padding)
    x = pad2d(x, pad_w, pad_w, pad_h, pad_h, 0.0)
    b, ic, h, w = x.shape
    kh, kw = weights.shape[2:]
    s_b, s_ic, s_h, s_w = x.stride()
    out_h, out_w = (h - kh) // stride_h + 1, (w - kw) // stride_w + 1
    windows = x.as_strided((b, ic, out_h, out_w, kh, kw),
                           (s_b, s_ic, s_h * stride_h, s_w * stride_w, s_h, s_w))
    return einops.einsum(windows, weights, "b ic oh ow kh kw, oc ic kh kw -> b oc oh ow")


@exercise(
    title="Max pooling from scratch",
    difficulty=3, importance=2, minutes=(10, 15),
    task=r"""
        Write `maxpool2d(x, kernel_size, stride=None, padding=0)`, as `F.max_pool2d`: pad with
        $-\infty$, take strided windows, keep each window's maximum.
    """,
    hints=(
        "The same windows as conv2d, then `.amax(dim=(-1, -2))`.",
    ),
    bonus=True,
)
def maxpool2d(x: Float[Tensor, "b ic h w"], kernel_size: IntOrPair,
              stride: IntOrPair | None = None, padding: IntOrPair = 0) -> \
        Float[Tensor, "b ic oh ow"]:
    """Like F.max_pool2d: pad with -inf, take strided windows, keep each window's maximum.
    stride defaults to kernel_size."""
    (kh, kw) = force_pair(kernel_size)
    (stride_h, stride_w) = force_pair(stride if stride is not None else kernel_size)
    (pad_h, pad_w) = force_pair(padding)
    x = pad2d(x, pad_w, pad_w, pad_h, pad_h, float("-inf"))
    b, ic, h, w = x.shape
    s_b, s_ic, s_h, s_w = x.stride()
    out_h, out_w = (h - kh) // stride_h + 1, (w - kw) // stride_w + 1
    windows = x.as_strided((b, ic, out_h, out_w, kh, kw),
                           (s_b, s_ic, s_h * stride_h, s_w * stride_w, s_h, s_w))
    return windows.amax(dim=(-1, -2))
