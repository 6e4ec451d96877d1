"""Chapter 2's exercises, in the order a learner meets them."""

from functools import partial

from utils.registry import Chapter, Exercise

_ex = partial(Exercise, "part2_cnns")

EXERCISES = (
    _ex(
        "ReLU", "ReLU", section="modules", difficulty=1, importance=3, minutes=(5, 10),
        task=(
            "Write the `forward` of `ReLU`: $\\max(x, 0)$ elementwise, for any shape. Return a "
            "new tensor; don't change the input."
        ),
        hints=("`t.maximum(x, t.tensor(0.0))` or `x.clamp(min=0)`. Avoid in-place versions "
               "such as `x.clamp_(0)` or `x[x < 0] = 0`: they overwrite the caller's tensor.",),
    ),
    _ex(
        "Linear", "Linear", section="modules", difficulty=2, importance=4, minutes=(10, 15),
        task=(
            "Write `Linear(in_features, out_features, bias=True)`: parameters named `weight` of "
            "shape `(out_features, in_features)` and `bias` of shape `(out_features,)` (or "
            "`self.bias = None` when `bias=False`), both drawn uniformly from "
            "$[-1/\\sqrt{\\text{in}}, 1/\\sqrt{\\text{in}}]$, and a `forward` computing "
            "$x W^\\top + b$ for inputs of shape `(..., in_features)`."
        ),
        hints=(
            "Wrap tensors in `nn.Parameter(...)` and assign them to attributes: `nn.Module` then "
            "registers them under the attribute's name.",
            "`t.empty(out_features, in_features).uniform_(-bound, bound)` with "
            "`bound = in_features ** -0.5`.",
            "`x @ self.weight.T` works for any number of leading dimensions, as does "
            "`einops.einsum(x, self.weight, '... i, o i -> ... o')`.",
        ),
    ),
    _ex(
        "Flatten", "Flatten", section="modules", difficulty=2, importance=2, minutes=(10, 15),
        task=(
            "Write the `forward` of `Flatten(start_dim=1, end_dim=-1)`: merge the dimensions "
            "from `start_dim` to `end_dim` (both included; negative values count from the end) "
            "into one, as `nn.Flatten` does."
        ),
        hints=(
            "Turn negative dims into positive ones with `dim % input.ndim`.",
            "Build the new shape as `shape[:start] + (product,) + shape[end + 1:]` and use "
            "`reshape` (not `view`: the input may not be contiguous).",
        ),
    ),
    _ex(
        "SimpleMLP", "A simple MLP", section="modules", difficulty=2, importance=4,
        minutes=(10, 15),
        task=(
            "Write `SimpleMLP`: `Flatten` -> `Linear(784, 100)` -> `ReLU` -> `Linear(100, 10)`, "
            "stored as attributes `flatten`, `linear1`, `relu`, `linear2`, and its `forward`."
        ),
        hints=("Create the four submodules in `__init__` after `super().__init__()`, and chain "
               "them in `forward`.",),
    ),
    _ex(
        "train", "A training loop with validation", section="training", difficulty=3,
        importance=5, minutes=(20, 30),
        task=(
            "Write `train(args)`: seed with `t.manual_seed(args.seed)`, build "
            "`args.model_class()`, and train it with Adam and cross-entropy on shuffled batches "
            "of the training images from `get_training_data(args)`. After each epoch, measure "
            "the accuracy on the test images (no gradients). Return the list of every batch's "
            "loss (as Python floats), the list of accuracies (fractions in [0, 1]), and the model."
        ),
        hints=(
            "`DataLoader(TensorDataset(images, labels), batch_size=..., shuffle=True)` yields "
            "(images, labels) batches.",
            "The step: `loss = F.cross_entropy(model(images), labels)`, `optimizer.zero_grad()`, "
            "`loss.backward()`, `optimizer.step()`; keep `loss.item()`, not the tensor (which "
            "holds on to the whole graph).",
            "Accuracy over the whole test set: count correct predictions over all batches and "
            "divide by the number of test images (averaging per-batch accuracies is wrong when "
            "the last batch is smaller). The given `evaluate` does this.",
        ),
    ),
    _ex(
        "Conv2d", "Conv2d", section="convolutions", difficulty=2, importance=3, minutes=(10, 20),
        task=(
            "Write `Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0)` without "
            "bias: a parameter `weight` of shape `(out_channels, in_channels, kernel_size, "
            "kernel_size)`, uniform in $[-1/\\sqrt{k}, 1/\\sqrt{k}]$ with "
            "$k = \\text{in\\_channels} \\cdot \\text{kernel\\_size}^2$, and a `forward` that "
            "calls `F.conv2d` with the stride and padding."
        ),
        hints=("The fan-in of one output value is every input channel times every kernel "
               "position: `in_channels * kernel_size ** 2`.",),
    ),
    _ex(
        "MaxPool2d", "MaxPool2d", section="convolutions", difficulty=1, importance=3,
        minutes=(5, 10),
        task=(
            "Write `MaxPool2d(kernel_size, stride=None, padding=0)` using `F.max_pool2d`. When "
            "`stride` is None it equals `kernel_size`."
        ),
        hints=("Resolve the default in `forward` (or `__init__`): "
               "`stride = self.kernel_size if self.stride is None else self.stride`.",),
    ),
    _ex(
        "ConvNet", "A convolutional network", section="convolutions", difficulty=2,
        importance=4, minutes=(15, 20),
        task=(
            "Write `ConvNet` as its docstring lays out: two blocks of convolution, ReLU and 2x2 "
            "max pooling (32 then 64 channels, 3x3 kernels with padding 1), then flatten and two "
            "linear layers (3136 -> 128 -> 10), with the attribute names given."
        ),
        hints=(
            "Padding 1 keeps a 3x3 convolution's output the size of its input; each 2x2 pool "
            "halves it: 28 -> 14 -> 7. So the flattened size is 64 * 7 * 7 = 3136.",
        ),
    ),
)

CHAPTER = Chapter(
    stem="part2_cnns",
    number=2,
    title="CNNs & ResNets",
    blurb="Your own modules and a training loop with validation, then convolutions and a "
          "convolutional network that reads handwritten digits.",
    sections=(
        ("overview", "Overview"),
        ("modules", "Making your own modules"),
        ("training", "Training a network"),
        ("convolutions", "Convolutions"),
        ("understanding", "Check your understanding"),
    ),
    exercises=EXERCISES,
)
