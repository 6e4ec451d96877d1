# %% [markdown]
# # Chapter 5.2: CNNs & ResNets — exercises
#
# Your own modules and a training loop with validation, then convolutions and a convolutional network that reads handwritten digits.
#
# Replace each `raise NotImplementedError()` with your answer. Then run every check:
#
#     python exercises/part2_cnns.py
#
# or one test per exercise with `pytest exercises/part2_cnns.py`, or call one check yourself, e.g. `tests.test_ReLU(ReLU)`.
#
# This file is generated from `solutions/part2_cnns.py`; the lessons, plots and hints are on the site: https://grokking-the-fundamentals.streamlit.app/part2_cnns_overview. Open in Colab: https://colab.research.google.com/github/grokking-the-fundamentals/grokking-the-fundamentals/blob/main/exercises/part2_cnns.ipynb


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

from utils.checks import part2_cnns as tests


# %% [markdown]
# ## Making your own modules
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part2_cnns_modules)


# %% [markdown]
# ### Exercise: `ReLU` — ReLU
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write the `forward` of `ReLU`: $\max(x, 0)$ elementwise, for any shape. Return a new
# tensor; don't change the input.
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
# Write `Linear(in_features, out_features, bias=True)`: parameters named `weight` of shape
# `(out_features, in_features)` and `bias` of shape `(out_features,)` (or `self.bias = None`
# when `bias=False`), both drawn uniformly from $[-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}}]$,
# and a `forward` computing $x W^\top + b$ for inputs of shape `(..., in_features)`.
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


# %% [markdown]
# ### Exercise: `Flatten` — Flatten
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 10–15 minutes
#
# Write the `forward` of `Flatten(start_dim=1, end_dim=-1)`: merge the dimensions from
# `start_dim` to `end_dim` (both included; negative values count from the end) into one, as
# `nn.Flatten` does.
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


# %% [markdown]
# ### Exercise: `SimpleMLP` — A simple MLP
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 10–15 minutes
#
# Write `SimpleMLP`: `Flatten` -> `Linear(784, 100)` -> `ReLU` -> `Linear(100, 10)`, stored
# as attributes `flatten`, `linear1`, `relu`, `linear2`, and its `forward`.
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


# %%
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


# %%
VAL_FRACTION = 0.1  # of the training images, held out for validation


# %%
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


# %%
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


# %% [markdown]
# ## Training a network
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part2_cnns_training)


# %% [markdown]
# ### Exercise: `train` — A training loop with validation
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵🔵 · 20–30 minutes
#
# Write `train(args)`. `get_training_data(args)` returns a `TrainingData` holding six
# tensors: `train_images`, `train_labels`, `val_images`, `val_labels`, `test_images` and
# `test_labels` (images of shape `(n, 1, 28, 28)`, labels of shape `(n,)`); the validation
# images are held out from the training images.
#
# Seed with `t.manual_seed(args.seed)`, build `args.model_class()`, and train it with Adam
# (`lr=args.learning_rate`) and cross-entropy on shuffled batches of `args.batch_size`
# training images, for `args.epochs` epochs. Call `model.train()` at the start of every
# epoch; at its end, measure the accuracy on the validation images with the given
# `evaluate(model, loader)`, which switches the model to eval mode and turns gradients off.
# Leave the test images alone.
#
# Return `(losses, accuracies, model)`: every training batch's loss as a Python float, one
# validation accuracy (a fraction in [0, 1]) per epoch, and the model.
#
# Check it with `tests.test_train(train)`.


# %%
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
    raise NotImplementedError()


# %% [markdown]
# ## Convolutions
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part2_cnns_convolutions)


# %% [markdown]
# ### Exercise: `Conv2d` — Conv2d
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–20 minutes
#
# Write `Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0)` without bias: a
# parameter `weight` of shape `(out_channels, in_channels, kernel_size, kernel_size)`,
# uniform in $[-1/\sqrt{k}, 1/\sqrt{k}]$ with $k = \mathrm{in\_channels} \cdot \mathrm{kernel\_size}^2$,
# and a `forward` that calls `F.conv2d` with the stride and padding.
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


# %% [markdown]
# ### Exercise: `MaxPool2d` — MaxPool2d
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write `MaxPool2d(kernel_size, stride=None, padding=0)` using `F.max_pool2d`. When `stride`
# is None it equals `kernel_size`.
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


# %% [markdown]
# ### Exercise: `ConvNet` — A convolutional network
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 15–20 minutes
#
# Write `ConvNet` as its docstring lays out: two blocks of convolution, ReLU and 2x2 max
# pooling (32 then 64 channels, 3x3 kernels with padding 1), then flatten and two linear
# layers (3136 -> 128 -> 10), with the attribute names given.
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


# %% [markdown]
# ## ResNets
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part2_cnns_resnets)


# %% [markdown]
# ### Exercise: `BatchNorm2d` — Batch normalisation
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 20–30 minutes
#
# Write `BatchNorm2d(num_features, eps=1e-5, momentum=0.1)`: learnable `weight` and `bias`,
# buffers `running_mean`, `running_var` and `num_batches_tracked`, and a `forward` that
# normalises each channel with the batch's statistics while training (updating the running
# ones) and with the running statistics in eval mode:
#
# $$y = \frac{x - \mu}{\sqrt{\sigma^2 + \varepsilon}} \cdot \gamma + \beta$$
#
# Check it with `tests.test_BatchNorm2d(BatchNorm2d)`.


# %%
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
        raise NotImplementedError()

    def forward(self, x: Float[Tensor, "batch channels h w"]) -> Float[Tensor, "batch channels h w"]:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `AveragePool` — Average pooling
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 5–10 minutes
#
# Write `AveragePool`: the mean over height and width, `(b, c, h, w) -> (b, c)`.
#
# Check it with `tests.test_AveragePool(AveragePool)`.


# %%
class AveragePool(nn.Module):
    """The mean over height and width: (batch, channels, h, w) -> (batch, channels)."""

    def forward(self, x: Float[Tensor, "batch channels h w"]) -> Float[Tensor, "batch channels"]:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `Sequential` — Sequential
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write `Sequential(*modules)`: register each module under the name `'0'`, `'1'`, ..., apply
# them in order in `forward`, and support `seq[i]` (negative `i` too) and `len(seq)`.
#
# Check it with `tests.test_Sequential(Sequential)`.


# %%
class Sequential(nn.Module):
    """Apply modules one after the other, like nn.Sequential. Registers them as submodules
    named "0", "1", ..., so that their parameters are named "0.weight", "1.weight", ...
    Indexing (`seq[i]`, negative i included) returns the i-th module; an index out of range
    raises IndexError."""

    def __init__(self, *modules: nn.Module):
        raise NotImplementedError()

    def __getitem__(self, index: int) -> nn.Module:
        raise NotImplementedError()

    def __len__(self) -> int:
        raise NotImplementedError()

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `ResidualBlock` — A residual block
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵🔵⚪ · 20–30 minutes
#
# Write `ResidualBlock(in_feats, out_feats, first_stride=1)` with torchvision's attribute
# names (`conv1`, `bn1`, `relu`, `conv2`, `bn2`, `downsample`), as its docstring lays out:
# $\text{ReLU}(\text{left}(x) + \text{right}(x))$.
#
# Check it with `tests.test_ResidualBlock(ResidualBlock)`.


# %%
class ResidualBlock(nn.Module):
    """A ResNet basic block, with torchvision's attribute names.

    Left branch: conv1 (3x3, stride first_stride, padding 1) -> bn1 -> relu -> conv2 (3x3,
    padding 1) -> bn2. Right branch (`downsample`): the identity (downsample = None) when
    first_stride == 1 and in_feats == out_feats, else Sequential(Conv2d 1x1 with stride
    first_stride, BatchNorm2d). Output: relu(left + right). All convolutions without bias.
    """

    def __init__(self, in_feats: int, out_feats: int, first_stride: int = 1):
        raise NotImplementedError()

    def forward(self, x: Float[Tensor, "batch in_feats h w"]) -> \
            Float[Tensor, "batch out_feats oh ow"]:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `BlockGroup` — A group of blocks
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write `BlockGroup(n_blocks, in_feats, out_feats, first_stride=1)`, a `Sequential` of
# residual blocks where only the first changes the features and the stride.
#
# Check it with `tests.test_BlockGroup(BlockGroup)`.


# %%
class BlockGroup(Sequential):
    """n_blocks ResidualBlocks in a row (a Sequential, so they are named "0", "1", ...). Only the
    first changes the number of features and uses first_stride; the others keep out_feats and
    stride 1."""

    def __init__(self, n_blocks: int, in_feats: int, out_feats: int, first_stride: int = 1):
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `ResNet34` — ResNet34
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵🔵🔵⚪ · 30–45 minutes
#
# Write `ResNet34`, with torchvision's attribute names as its docstring lists, for any number
# of block groups. With the defaults it has 21,797,672 parameters and its state dict has the
# same keys as torchvision's `resnet34`, so the ImageNet weights load with `strict=True`.
#
# Check it with `tests.test_ResNet34(ResNet34)`.


# %%
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
        raise NotImplementedError()

    def forward(self, x: Float[Tensor, "batch 3 h w"]) -> Float[Tensor, "batch n_classes"]:
        raise NotImplementedError()


# %% [markdown]
# ### Exercise: `copy_weights` — Copying weights by position
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write `copy_weights(my_model, pretrained)`: load the i-th tensor of the state dict
# `pretrained` into the i-th entry of `my_model.state_dict()`, whatever the names, and raise
# a `ValueError` that names both keys when the counts or shapes differ.
#
# Check it with `tests.test_copy_weights(copy_weights)`.


# %%
def copy_weights(my_model: nn.Module, pretrained: dict[str, Tensor]) -> nn.Module:
    """Load the tensors of `pretrained` (a state dict, e.g. torchvision's) into `my_model`,
    matching them by position rather than by name: the i-th entry of my_model.state_dict() gets
    the i-th tensor of `pretrained`. Raise a ValueError naming both keys if the counts or any
    shapes differ. Returns my_model.
    """
    raise NotImplementedError()


# %%
IMAGENET_MEAN = (0.485, 0.456, 0.406)


# %%
IMAGENET_STD = (0.229, 0.224, 0.225)


# %% [markdown]
# ### Exercise: `prepare_data` — Preparing images for ImageNet models
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 10–15 minutes
#
# Write `prepare_data(images)`: turn a list of `(h, w, 3)` uint8 photos into a `(n, 3, 224, 224)`
# batch the way ImageNet models expect: scale to [0, 1], resize the shorter side to 256, crop
# the centre 224 x 224, normalise each channel.
#
# Check it with `tests.test_prepare_data(prepare_data)`.


# %%
def prepare_data(images: list[np.ndarray]) -> Float[Tensor, "n 3 224 224"]:
    """ImageNet preprocessing of RGB images given as (height, width, 3) uint8 arrays.

    For each image: scale to [0, 1]; resize so the shorter side is 256 pixels, keeping the
    aspect ratio (F.interpolate, bilinear, antialias=True, sizes rounded down); crop the central
    224 x 224; normalise each channel with IMAGENET_MEAN and IMAGENET_STD. Stack into a batch.
    """
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `predict` — Predicting
#
# Difficulty 🔴⚪⚪⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 5–10 minutes
#
# Write `predict(model, images)`: with the model in eval mode and no gradients, return a
# tuple `(probabilities, classes)`, in that order: first each image's highest probability
# (softmax of the logits; floats of shape `(n,)`), then the class that probability belongs to
# (integer indices of shape `(n,)`).
#
# Check it with `tests.test_predict(predict)`.


# %%
def predict(model: nn.Module, images: Float[Tensor, "n 3 h w"]) -> \
        tuple[Float[Tensor, "n"], Int[Tensor, "n"]]:
    """The model's top class for each image and its probability, in eval mode, without
    gradients: (probabilities, classes)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `get_resnet_for_feature_extraction` — Bonus: feature extraction
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵🔵⚪⚪ · 15–20 minutes · bonus
#
# Write `get_resnet_for_feature_extraction(n_classes)`: a `ResNet34` loaded with the ImageNet
# weights (via `load_resnet34_weights()`, which returns None offline), every parameter
# frozen, and a fresh trainable `fc` with `n_classes` outputs.
#
# Check it with `tests.test_get_resnet_for_feature_extraction(get_resnet_for_feature_extraction)`.


# %%
def get_resnet_for_feature_extraction(n_classes: int) -> ResNet34:
    """A ResNet34 with the ImageNet weights (when `load_resnet34_weights` can get them), every
    parameter frozen (requires_grad False), and a new, trainable `fc` layer with n_classes
    outputs in place of the old one."""
    raise NotImplementedError()


# %%
IntOrPair = int | tuple[int, int]


# %%
def force_pair(v: IntOrPair) -> tuple[int, int]:
    """Given: an int becomes (v, v); a pair stays as it is."""
    if isinstance(v, int):
        return (v, v)
    if isinstance(v, tuple) and len(v) == 2:
        return (int(v[0]), int(v[1]))
    raise ValueError(f"expected an int or a pair of ints, got {v!r}")


# %% [markdown]
# ## Bonus: convolutions from scratch
#
# [Read this section on the site](https://grokking-the-fundamentals.streamlit.app/part2_cnns_from_scratch)


# %% [markdown]
# ### Exercise: `as_strided_puzzles` — Size and stride puzzles
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 20–30 minutes · bonus
#
# Return a list with one `(size, stride)` pair per view below, in order, such that
# `t.arange(20).as_strided(size, stride)` gives that view. The 4 x 5 matrix they mention is
# `t.arange(20).reshape(4, 5)`, which reads the same memory:
#
# 1. the first row of `t.arange(20).reshape(4, 5)`: `[0, 1, 2, 3, 4]`
# 2. its first column: `[0, 5, 10, 15]`
# 3. the 4 x 5 matrix transposed: `[[0, 5, 10, 15], [1, 6, 11, 16], [2, 7, 12, 17], [3, 8, 13, 18], [4, 9, 14, 19]]`
# 4. every other element of the first row: `[0, 2, 4]`
# 5. the first element, three times: `[0, 0, 0]`
# 6. the diagonal of the top-left 4 x 4 block: `[0, 6, 12, 18]`
# 7. windows of 3 sliding along the first row: `[[0, 1, 2], [1, 2, 3], [2, 3, 4]]`
# 8. the first two rows, twice: `[[[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]], [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]]`
#
# Check it with `tests.test_as_strided_puzzles(as_strided_puzzles)`.


# %%
def as_strided_puzzles() -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """A (size, stride) pair for each view of `t.arange(20)` the task lists, in order:
    `t.arange(20).as_strided(size, stride)` must give that view."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `as_strided_trace` — Trace with as_strided
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 10–15 minutes · bonus
#
# Write `as_strided_trace(mat)` without `t.trace` or `t.diagonal`: a strided view of the
# diagonal, summed. It must work on non-contiguous views too.
#
# Check it with `tests.test_as_strided_trace(as_strided_trace)`.


# %%
def as_strided_trace(mat: Float[Tensor, "i j"]) -> Float[Tensor, ""]:
    """The trace of a square matrix, via a strided view of its diagonal (no t.trace or
    t.diagonal). The matrix may be a non-contiguous view with a storage offset."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `as_strided_mv` — Matrix-vector product with as_strided
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 15–20 minutes · bonus
#
# Write `as_strided_mv(mat, vec)` without `@`, matmul or einsum: view `vec` as a matrix of
# `mat`'s shape (every row the same memory), multiply, sum over columns.
#
# Check it with `tests.test_as_strided_mv(as_strided_mv)`.


# %%
def as_strided_mv(mat: Float[Tensor, "i j"], vec: Float[Tensor, "j"]) -> Float[Tensor, "i"]:
    """Matrix times vector without matmul: view `vec` as an (i, j) matrix whose rows all read
    the same memory (stride 0), multiply elementwise, sum over j."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `as_strided_mm` — Matrix product with as_strided
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵⚪⚪⚪ · 15–20 minutes · bonus
#
# Write `as_strided_mm(a, b)` without `@`, matmul or einsum: view both as `(i, j, k)` tensors
# with stride 0 along the dimension each lacks, multiply, sum over j.
#
# Check it with `tests.test_as_strided_mm(as_strided_mm)`.


# %%
def as_strided_mm(a: Float[Tensor, "i j"], b: Float[Tensor, "j k"]) -> Float[Tensor, "i k"]:
    """Matrix product without matmul: view both as (i, j, k) tensors with stride 0 along the
    missing dimension, multiply elementwise, sum over j."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `conv1d_minimal_simple` — A first 1-D convolution
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵⚪⚪⚪ · 15–20 minutes · bonus
#
# Write `conv1d_minimal_simple(x, weights)` for one signal and one kernel, no padding, stride
# 1, without `F.conv1d` or `unfold`: a strided view of the sliding windows, then a weighted
# sum.
#
# Check it with `tests.test_conv1d_minimal_simple(conv1d_minimal_simple)`.


# %%
def conv1d_minimal_simple(x: Float[Tensor, "w"], weights: Float[Tensor, "kw"]) -> \
        Float[Tensor, "ow"]:
    """1-D cross-correlation of one signal with one kernel, no padding, stride 1:
    out[i] = sum_k x[i + k] * weights[k], for i in range(w - kw + 1)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `conv1d_minimal` — Batched, multi-channel 1-D convolution
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵⚪⚪⚪ · 20–25 minutes · bonus
#
# Write `conv1d_minimal(x, weights)` for a batch and several channels, no padding, stride 1.
#
# Check it with `tests.test_conv1d_minimal(conv1d_minimal)`.


# %%
def conv1d_minimal(x: Float[Tensor, "b ic w"], weights: Float[Tensor, "oc ic kw"]) -> \
        Float[Tensor, "b oc ow"]:
    """Batched, multi-channel 1-D convolution (like F.conv1d with no padding and stride 1)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `conv2d_minimal` — 2-D convolution
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵⚪⚪⚪ · 20–25 minutes · bonus
#
# Write `conv2d_minimal(x, weights)`: the 2-D version, no padding, stride 1.
#
# Check it with `tests.test_conv2d_minimal(conv2d_minimal)`.


# %%
def conv2d_minimal(x: Float[Tensor, "b ic h w"], weights: Float[Tensor, "oc ic kh kw"]) -> \
        Float[Tensor, "b oc oh ow"]:
    """2-D convolution (like F.conv2d with no padding and stride 1)."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `pad1d` — Padding in 1-D
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 5–10 minutes · bonus
#
# Write `pad1d(x, left, right, pad_value)` without `F.pad`: a new tensor filled with
# `pad_value`, with `x` copied into the middle.
#
# Check it with `tests.test_pad1d(pad1d)`.


# %%
def pad1d(x: Float[Tensor, "b ic w"], left: int, right: int, pad_value: float) -> \
        Float[Tensor, "b ic padded_w"]:
    """x with `left` and `right` extra positions of pad_value on its last dimension."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `pad2d` — Padding in 2-D
#
# Difficulty 🔴🔴⚪⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 5–10 minutes · bonus
#
# Write `pad2d(x, left, right, top, bottom, pad_value)` without `F.pad`.
#
# Check it with `tests.test_pad2d(pad2d)`.


# %%
def pad2d(x: Float[Tensor, "b ic h w"], left: int, right: int, top: int, bottom: int,
          pad_value: float) -> Float[Tensor, "b ic padded_h padded_w"]:
    """x with pad_value added on each side of its last two dimensions."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `conv1d` — 1-D convolution with stride and padding
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵⚪⚪⚪ · 20–25 minutes · bonus
#
# Write `conv1d(x, weights, stride=1, padding=0)`, as `F.conv1d` (no bias).
#
# Check it with `tests.test_conv1d(conv1d)`.


# %%
def conv1d(x: Float[Tensor, "b ic w"], weights: Float[Tensor, "oc ic kw"], stride: int = 1,
           padding: int = 0) -> Float[Tensor, "b oc ow"]:
    """Like F.conv1d (no bias): zero padding on both sides, then windows `stride` apart."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `conv2d` — 2-D convolution with stride and padding
#
# Difficulty 🔴🔴🔴🔴⚪ · Importance 🔵🔵⚪⚪⚪ · 20–25 minutes · bonus
#
# Write `conv2d(x, weights, stride=1, padding=0)`, as `F.conv2d` (no bias); stride and
# padding may be ints or `(height, width)` pairs (use `force_pair`).
#
# Check it with `tests.test_conv2d(conv2d)`.


# %%
def conv2d(x: Float[Tensor, "b ic h w"], weights: Float[Tensor, "oc ic kh kw"],
           stride: IntOrPair = 1, padding: IntOrPair = 0) -> Float[Tensor, "b oc oh ow"]:
    """Like F.conv2d (no bias); stride and padding are ints or (height, width) pairs."""
    raise NotImplementedError()


# %% [markdown]
# ### Exercise: `maxpool2d` — Max pooling from scratch
#
# Difficulty 🔴🔴🔴⚪⚪ · Importance 🔵🔵⚪⚪⚪ · 10–15 minutes · bonus
#
# Write `maxpool2d(x, kernel_size, stride=None, padding=0)`, as `F.max_pool2d`: pad with
# $-\infty$, take strided windows, keep each window's maximum.
#
# Check it with `tests.test_maxpool2d(maxpool2d)`.


# %%
def maxpool2d(x: Float[Tensor, "b ic h w"], kernel_size: IntOrPair,
              stride: IntOrPair | None = None, padding: IntOrPair = 0) -> \
        Float[Tensor, "b ic oh ow"]:
    """Like F.max_pool2d: pad with -inf, take strided windows, keep each window's maximum.
    stride defaults to kernel_size."""
    raise NotImplementedError()


# %%
# `pytest exercises/part2_cnns.py`: one test per exercise (those not done yet are skipped).
from utils.local import pytest_tests

globals().update(pytest_tests("part2_cnns", globals()))

if __name__ == "__main__":
    from utils.local import check_all

    check_all(globals(), "part2_cnns")
