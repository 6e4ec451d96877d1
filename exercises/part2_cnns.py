# %% [markdown]
# # Chapter 2: CNNs & ResNets — exercises
#
# Your own modules and a training loop with validation, then convolutions and a convolutional network that reads handwritten digits.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/part2_cnns.py
#
# or call one check yourself, e.g. `tests.test_ReLU(ReLU)`.
#
# This file is generated from `solutions/part2_cnns.py`; the prose, plots and hints are on the site. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/part2_cnns.ipynb


# %%
import sys
from pathlib import Path

# The checks live in the repository's `utils` package: import it from the folder above this file.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
try:
    import utils  # noqa: F401
except ImportError:
    sys.exit("This file needs the course's code: put it in the exercises/ folder of a clone of "
             "https://github.com/grokking-the-fundamentals/grokking-the-fundamentals and run it from there.")


# %%
from dataclasses import dataclass
from typing import Callable

import einops
import torch as t
import torch.nn.functional as F
from jaxtyping import Float
from torch import Tensor, nn
from torch.utils.data import DataLoader, TensorDataset

from utils.data import ImageSet, get_mnist

from utils.checks import part2_cnns as tests


# %% [markdown]
# ## Making your own modules


# %% [markdown]
# ### Exercise: `ReLU` — ReLU
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write the `forward` of `ReLU`: $\max(x, 0)$ elementwise, for any shape. Return a new tensor; don't change the input.
#
# Check it with `tests.test_ReLU(ReLU)`.


# %%
class ReLU(nn.Module):
    """max(x, 0), elementwise. No parameters."""

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Linear` — Linear
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `Linear(in_features, out_features, bias=True)`: parameters named `weight` of shape `(out_features, in_features)` and `bias` of shape `(out_features,)` (or `self.bias = None` when `bias=False`), both drawn uniformly from $[-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}}]$, and a `forward` computing $x W^\top + b$ for inputs of shape `(..., in_features)`.
#
# Check it with `tests.test_Linear(Linear)`.


# %%
class Linear(nn.Module):
    """y = x W^T + b, like nn.Linear.

    Parameters `weight` (out_features, in_features) and, if bias=True, `bias` (out_features,),
    both initialised uniformly in [-1/sqrt(in_features), 1/sqrt(in_features)]. With bias=False
    the attribute `bias` is None. Works on inputs of shape (..., in_features).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True):
        raise NotImplementedError()

    def forward(self, x: Float[Tensor, "... in_features"]) -> Float[Tensor, "... out_features"]:
        raise NotImplementedError()

    def extra_repr(self) -> str:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Flatten` — Flatten
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 10–15 minutes
#
# Write the `forward` of `Flatten(start_dim=1, end_dim=-1)`: merge the dimensions from `start_dim` to `end_dim` (both included; negative values count from the end) into one, as `nn.Flatten` does.
#
# Check it with `tests.test_Flatten(Flatten)`.


# %%
class Flatten(nn.Module):
    """Merge dimensions start_dim..end_dim (inclusive, negative values count from the end) into
    one, like nn.Flatten: (2, 3, 4, 5) with the defaults (1, -1) becomes (2, 60)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        raise NotImplementedError()

    def forward(self, input: Tensor) -> Tensor:
        raise NotImplementedError()

    def extra_repr(self) -> str:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `SimpleMLP` — A simple MLP
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `SimpleMLP`: `Flatten` -> `Linear(784, 100)` -> `ReLU` -> `Linear(100, 10)`, stored as attributes `flatten`, `linear1`, `relu`, `linear2`, and its `forward`.
#
# Check it with `tests.test_SimpleMLP(SimpleMLP)`.


# %%
class SimpleMLP(nn.Module):
    """Flatten -> Linear(784, 100) -> ReLU -> Linear(100, 10), as attributes named flatten,
    linear1, relu and linear2 (using your own modules above). Input (batch, 1, 28, 28), output
    logits (batch, 10)."""

    def __init__(self):
        raise NotImplementedError()

    def forward(self, x: Float[Tensor, "batch 1 28 28"]) -> Float[Tensor, "batch 10"]:
        raise NotImplementedError()


# %%
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


# %%
def get_training_data(args: SimpleMLPTrainingArgs) -> ImageSet:
    """Given: MNIST when available (see utils/data.py), else scikit-learn's digits at 28x28."""
    return get_mnist(allow_download=args.download)


# %%
def evaluate(model: nn.Module, loader: DataLoader) -> float:
    """Given: the fraction of examples whose highest logit is the right label."""
    model.eval()
    correct = total = 0
    with t.inference_mode():
        for images, labels in loader:
            correct += int((model(images).argmax(dim=-1) == labels).sum())
            total += len(labels)
    return correct / total


# %% [markdown]
# ## Training a network


# %% [markdown]
# ### Exercise: `train` — A training loop with validation
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 20–30 minutes
#
# Write `train(args)`: seed with `t.manual_seed(args.seed)`, build `args.model_class()`, and train it with Adam and cross-entropy on shuffled batches of the training images from `get_training_data(args)`. After each epoch, measure the accuracy on the test images (no gradients). Return the list of every batch's loss (as Python floats), the list of accuracies (fractions in [0, 1]), and the model.
#
# Check it with `tests.test_train(train)`.


# %%
def train(args: SimpleMLPTrainingArgs) -> tuple[list[float], list[float], nn.Module]:
    """Train a fresh args.model_class() (a SimpleMLP by default) with Adam (lr = args.learning_rate) and cross-entropy on the training
    images of `get_training_data(args)`, in shuffled batches of args.batch_size, for args.epochs.

    After each epoch, run a validation loop: the fraction of test images whose highest logit is
    the right class, computed without gradients. Seed with t.manual_seed(args.seed) first.
    Returns (the loss of every training batch, the test accuracy after each epoch, the model).
    """
    raise NotImplementedError()


# %% [markdown]
# ## Convolutions


# %% [markdown]
# ### Exercise: `Conv2d` — Conv2d
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–20 minutes
#
# Write `Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0)` without bias: a parameter `weight` of shape `(out_channels, in_channels, kernel_size, kernel_size)`, uniform in $[-1/\sqrt{k}, 1/\sqrt{k}]$ with $k = \text{in\_channels} \cdot \text{kernel\_size}^2$, and a `forward` that calls `F.conv2d` with the stride and padding.
#
# Check it with `tests.test_Conv2d(Conv2d)`.


# %%
class Conv2d(nn.Module):
    """A 2-D convolution without bias, like nn.Conv2d(..., bias=False), using F.conv2d.

    Parameter `weight` of shape (out_channels, in_channels, kernel_size, kernel_size), uniform in
    [-1/sqrt(fan_in), 1/sqrt(fan_in)] with fan_in = in_channels * kernel_size ** 2. `stride` and
    `padding` are ints, applied to both height and width.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 padding: int = 0):
        raise NotImplementedError()

    def forward(self, x: Float[Tensor, "batch in_channels h w"]) -> \
            Float[Tensor, "batch out_channels oh ow"]:
        raise NotImplementedError()

    def extra_repr(self) -> str:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `MaxPool2d` — MaxPool2d
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write `MaxPool2d(kernel_size, stride=None, padding=0)` using `F.max_pool2d`. When `stride` is None it equals `kernel_size`.
#
# Check it with `tests.test_MaxPool2d(MaxPool2d)`.


# %%
class MaxPool2d(nn.Module):
    """Max pooling like nn.MaxPool2d: windows of kernel_size, moved by stride (which defaults to
    kernel_size when None), over an input padded with -inf by `padding`. Uses F.max_pool2d."""

    def __init__(self, kernel_size: int, stride: int | None = None, padding: int = 0):
        raise NotImplementedError()

    def forward(self, x: Float[Tensor, "batch channels h w"]) -> \
            Float[Tensor, "batch channels oh ow"]:
        raise NotImplementedError()

    def extra_repr(self) -> str:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `ConvNet` — A convolutional network
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–20 minutes
#
# Write `ConvNet` as its docstring lays out: two blocks of convolution, ReLU and 2x2 max pooling (32 then 64 channels, 3x3 kernels with padding 1), then flatten and two linear layers (3136 -> 128 -> 10), with the attribute names given.
#
# Check it with `tests.test_ConvNet(ConvNet)`.


# %%
class ConvNet(nn.Module):
    """Two convolution blocks and two linear layers, for 28x28 digits:
    conv1 (1 -> 32, 3x3, padding 1) -> ReLU -> 2x2 max pool ->
    conv2 (32 -> 64, 3x3, padding 1) -> ReLU -> 2x2 max pool ->
    Flatten -> fc1 (64 * 7 * 7 -> 128) -> ReLU -> fc2 (128 -> 10).
    Attribute names: conv1, relu1, pool1, conv2, relu2, pool2, flatten, fc1, relu3, fc2."""

    def __init__(self):
        raise NotImplementedError()

    def forward(self, x: Float[Tensor, "batch 1 28 28"]) -> Float[Tensor, "batch 10"]:
        raise NotImplementedError()


# %%
if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "part2_cnns")
