"""Reference solutions for chapter 2: modules, training, convolutions and ResNets.

The source of truth for `exercises/part2_cnns.py` and its notebook (`python -m utils.codegen`).
Classes named in the registry become stubs whose method bodies raise NotImplementedError; the
dataclasses and given helpers are copied as they are.
"""

from dataclasses import dataclass
from typing import Callable

import einops
import torch as t
import torch.nn.functional as F
from jaxtyping import Float
from torch import Tensor, nn
from torch.utils.data import DataLoader, TensorDataset

from utils.data import ImageSet, get_mnist


class ReLU(nn.Module):
    """max(x, 0), elementwise. No parameters."""

    def forward(self, x: Tensor) -> Tensor:
        return t.maximum(x, t.tensor(0.0))


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

    model_class: type[nn.Module] = SimpleMLP  # any module mapping (batch, 1, 28, 28) to 10 logits
    batch_size: int = 64
    epochs: int = 3
    learning_rate: float = 1e-3
    seed: int = 0
    # Download MNIST if it is not cached; else (or offline) train on the offline digits.
    download: bool = True
    # Called as progress(step, total_steps) after each batch, if given (the site draws a bar).
    progress: Callable[[int, int], None] | None = None


def get_training_data(args: SimpleMLPTrainingArgs) -> ImageSet:
    """Given: MNIST when available (see utils/data.py), else scikit-learn's digits at 28x28."""
    return get_mnist(allow_download=args.download)


def evaluate(model: nn.Module, loader: DataLoader) -> float:
    """Given: the fraction of examples whose highest logit is the right label."""
    model.eval()
    correct = total = 0
    with t.inference_mode():
        for images, labels in loader:
            correct += int((model(images).argmax(dim=-1) == labels).sum())
            total += len(labels)
    return correct / total


def train(args: SimpleMLPTrainingArgs) -> tuple[list[float], list[float], nn.Module]:
    """Train a fresh args.model_class() (a SimpleMLP by default) with Adam (lr = args.learning_rate) and cross-entropy on the training
    images of `get_training_data(args)`, in shuffled batches of args.batch_size, for args.epochs.

    After each epoch, run a validation loop: the fraction of test images whose highest logit is
    the right class, computed without gradients. Seed with t.manual_seed(args.seed) first.
    Returns (the loss of every training batch, the test accuracy after each epoch, the model).
    """
    t.manual_seed(args.seed)
    data = get_training_data(args)
    model = args.model_class()
    optimizer = t.optim.Adam(model.parameters(), lr=args.learning_rate)
    train_loader = DataLoader(TensorDataset(data.train_images, data.train_labels),
                              batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(TensorDataset(data.test_images, data.test_labels),
                             batch_size=512, shuffle=False)
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
        accuracies.append(evaluate(model, test_loader))
    return losses, accuracies, model


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
