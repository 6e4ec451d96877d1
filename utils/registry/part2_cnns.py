"""Chapter 2's exercises, in the order a learner meets them."""

from functools import partial

from utils.registry import Chapter, Exercise

_ex = partial(Exercise, "part2_cnns")

# The views of t.arange(20) that the size-and-stride puzzles ask for, as (description, target):
# the one list behind the task text and the check.
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

_PUZZLE_LIST = "\n".join(f"{i}. {description}: `{target}`"
                         for i, (description, target) in enumerate(PUZZLE_TARGETS, start=1))

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
            "Write `train(args)`. `get_training_data(args)` returns a `TrainingData` holding six "
            "tensors: `train_images`, `train_labels`, `val_images`, `val_labels`, `test_images` "
            "and `test_labels` (images of shape `(n, 1, 28, 28)`, labels of shape `(n,)`); the "
            "validation images are held out from the training images.\n\n"
            "Seed with `t.manual_seed(args.seed)`, build `args.model_class()`, and train it with "
            "Adam (`lr=args.learning_rate`) and cross-entropy on shuffled batches of "
            "`args.batch_size` training images, for `args.epochs` epochs. Call `model.train()` at "
            "the start of every epoch; at its end, measure the accuracy on the validation images "
            "with the given `evaluate(model, loader)`, which switches the model to eval mode and "
            "turns gradients off. Leave the test images alone.\n\n"
            "Return `(losses, accuracies, model)`: every training batch's loss as a Python "
            "float, one validation accuracy (a fraction in [0, 1]) per epoch, and the model."
        ),
        hints=(
            "`DataLoader(TensorDataset(images, labels), batch_size=..., shuffle=True)` yields "
            "(images, labels) batches.",
            "The step: `loss = F.cross_entropy(model(images), labels)`, `optimizer.zero_grad()`, "
            "`loss.backward()`, `optimizer.step()`; keep `loss.item()`, not the tensor (which "
            "holds on to the whole graph).",
            "`evaluate(model, DataLoader(TensorDataset(data.val_images, data.val_labels), "
            "batch_size=512))` counts correct predictions over all batches and divides by the "
            "number of images (averaging per-batch accuracies would be wrong when the last batch "
            "is smaller). It leaves the model in eval mode: hence `model.train()` each epoch.",
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
    _ex(
        "BatchNorm2d", "Batch normalisation", section="resnets", difficulty=3, importance=4,
        minutes=(20, 30),
        task=(
            "Write `BatchNorm2d(num_features, eps=1e-5, momentum=0.1)`: learnable `weight` and "
            "`bias`, buffers `running_mean`, `running_var` and `num_batches_tracked`, and a "
            "`forward` that normalises each channel with the batch's statistics while training "
            "(updating the running ones) and with the running statistics in eval mode:\n\n"
            r"$$y = \frac{x - \mu}{\sqrt{\sigma^2 + \varepsilon}} \cdot \gamma + \beta$$"
        ),
        hints=(
            "`self.register_buffer('running_mean', t.zeros(num_features))` makes a tensor part of "
            "the state dict (and move with `.to(device)`) without training it.",
            "`self.training` says which mode you are in. Statistics are per channel: reduce over "
            "dims (0, 2, 3), and reshape to (1, C, 1, 1) to broadcast back.",
            "Normalise with the biased variance (`unbiased=False`), but update `running_var` with "
            "the unbiased one: multiply by n / (n - 1), where n = batch x height x width. Update "
            "the buffers in place under `t.no_grad()`.",
        ),
    ),
    _ex(
        "AveragePool", "Average pooling", section="resnets", difficulty=1, importance=2,
        minutes=(5, 10),
        task="Write `AveragePool`: the mean over height and width, `(b, c, h, w) -> (b, c)`.",
        hints=("`x.mean(dim=(2, 3))`.",),
    ),
    _ex(
        "Sequential", "Sequential", section="resnets", difficulty=2, importance=3,
        minutes=(10, 15),
        task=(
            "Write `Sequential(*modules)`: register each module under the name `'0'`, `'1'`, ..., "
            "apply them in order in `forward`, and support `seq[i]` (negative `i` too) and "
            "`len(seq)`."
        ),
        hints=(
            "`self.add_module(str(i), module)` registers a submodule under a name that is not a "
            "valid attribute name. They are kept, in order, in `self._modules`.",
        ),
    ),
    _ex(
        "ResidualBlock", "A residual block", section="resnets", difficulty=3, importance=4,
        minutes=(20, 30),
        task=(
            "Write `ResidualBlock(in_feats, out_feats, first_stride=1)` with torchvision's "
            "attribute names (`conv1`, `bn1`, `relu`, `conv2`, `bn2`, `downsample`), as its "
            r"docstring lays out: $\text{ReLU}(\text{left}(x) + \text{right}(x))$."
        ),
        hints=(
            "The right branch must produce the left branch's shape: when the stride or the "
            "number of features changes, a 1x1 convolution with the same stride (and a batch "
            "norm) does it; otherwise it is the identity, stored as `self.downsample = None`.",
            "Use your Conv2d (no bias): batch norm's `bias` would cancel a convolution's bias "
            "anyway, since it subtracts the mean.",
        ),
    ),
    _ex(
        "BlockGroup", "A group of blocks", section="resnets", difficulty=2, importance=3,
        minutes=(10, 15),
        task=(
            "Write `BlockGroup(n_blocks, in_feats, out_feats, first_stride=1)`, a `Sequential` "
            "of residual blocks where only the first changes the features and the stride."
        ),
        hints=("Build the list of blocks, then call `super().__init__(*blocks)`: the blocks are "
               "then named '0', '1', ... as torchvision names them.",),
    ),
    _ex(
        "ResNet34", "ResNet34", section="resnets", difficulty=4, importance=4, minutes=(30, 45),
        task=(
            "Write `ResNet34`, with torchvision's attribute names as its docstring lists, for any "
            "number of block groups. With the defaults it has 21,797,672 parameters and its state "
            "dict has the same keys as torchvision's `resnet34`, so the ImageNet weights load "
            "with `strict=True`."
        ),
        hints=(
            "Name the groups `layer1`, `layer2`, ... with `setattr(self, f'layer{i}', ...)`, and "
            "keep track of each group's input features: 64, then the previous group's output.",
            "The stem: conv1 (3 -> 64, kernel 7, stride 2, padding 3), bn1, relu, maxpool "
            "(kernel 3, stride 2, padding 1). The head: AveragePool then Linear.",
        ),
    ),
    _ex(
        "copy_weights", "Copying weights by position", section="resnets", difficulty=2,
        importance=3, minutes=(10, 15),
        task=(
            "Write `copy_weights(my_model, pretrained)`: load the i-th tensor of the state dict "
            "`pretrained` into the i-th entry of `my_model.state_dict()`, whatever the names, and "
            "raise a `ValueError` that names both keys when the counts or shapes differ."
        ),
        hints=("`zip(my_model.state_dict().items(), pretrained.items())` pairs them up; build a "
               "dict with your keys and their tensors and pass it to `my_model.load_state_dict`.",),
    ),
    _ex(
        "prepare_data", "Preparing images for ImageNet models", section="resnets", difficulty=2,
        importance=3, minutes=(10, 15),
        task=(
            "Write `prepare_data(images)`: turn a list of `(h, w, 3)` uint8 photos into a "
            "`(n, 3, 224, 224)` batch the way ImageNet models expect: scale to [0, 1], resize the "
            "shorter side to 256, crop the centre 224 x 224, normalise each channel."
        ),
        hints=(
            "`t.from_numpy(image).permute(2, 0, 1)` gives channels first; "
            "`F.interpolate(x[None], size=(h2, w2), mode='bilinear', antialias=True)` resizes.",
            "Normalise with `(x - mean[:, None, None]) / std[:, None, None]`.",
        ),
    ),
    _ex(
        "predict", "Predicting", section="resnets", difficulty=1, importance=3, minutes=(5, 10),
        task=(
            "Write `predict(model, images)`: with the model in eval mode and no gradients, "
            "return a tuple `(probabilities, classes)`, in that order: first each image's "
            "highest probability (softmax of the logits; floats of shape `(n,)`), then the "
            "class that probability belongs to (integer indices of shape `(n,)`)."
        ),
        hints=("`probabilities.max(dim=-1)` returns `(values, indices)`.",),
    ),
    _ex(
        "get_resnet_for_feature_extraction", "Bonus: feature extraction", section="resnets",
        difficulty=3, importance=3, minutes=(15, 20), bonus=True,
        task=(
            "Write `get_resnet_for_feature_extraction(n_classes)`: a `ResNet34` loaded with the "
            "ImageNet weights (via `load_resnet34_weights()`, which returns None offline), every "
            "parameter frozen, and a fresh trainable `fc` with `n_classes` outputs."
        ),
        hints=("`model.requires_grad_(False)` freezes everything; a new `Linear` assigned to "
               "`model.fc` afterwards is trainable.",),
    ),
    _ex(
        "as_strided_puzzles", "Size and stride puzzles", section="from_scratch", difficulty=3,
        importance=2, minutes=(20, 30), bonus=True,
        task=(
            "Return a list with one `(size, stride)` pair per view below, in order, such that "
            "`t.arange(20).as_strided(size, stride)` gives that view. The 4 x 5 matrix they "
            "mention is `t.arange(20).reshape(4, 5)`, which reads the same memory:\n\n"
            + _PUZZLE_LIST
        ),
        hints=(
            "Stride i says how many elements of storage to skip to move one step along "
            "dimension i. `t.arange(20).reshape(4, 5)` has stride (5, 1).",
            "A stride of 0 repeats the same element; a stride that is the sum of two others "
            "moves diagonally.",
        ),
    ),
    _ex(
        "as_strided_trace", "Trace with as_strided", section="from_scratch", difficulty=2,
        importance=2, minutes=(10, 15), bonus=True,
        task=("Write `as_strided_trace(mat)` without `t.trace` or `t.diagonal`: a strided view "
              "of the diagonal, summed. It must work on non-contiguous views too."),
        hints=("Moving one step down the diagonal moves one row and one column: the stride is "
               "`mat.stride(0) + mat.stride(1)`. `mat.as_strided` keeps `mat`'s storage offset.",),
    ),
    _ex(
        "as_strided_mv", "Matrix-vector product with as_strided", section="from_scratch",
        difficulty=3, importance=2, minutes=(15, 20), bonus=True,
        task=("Write `as_strided_mv(mat, vec)` without `@`, matmul or einsum: view `vec` as a "
              "matrix of `mat`'s shape (every row the same memory), multiply, sum over columns."),
        hints=("A stride of 0 along the rows: `vec.as_strided(mat.shape, (0, vec.stride(0)))`. "
               "Use the vector's own stride: it may not be 1.",),
    ),
    _ex(
        "as_strided_mm", "Matrix product with as_strided", section="from_scratch", difficulty=4,
        importance=2, minutes=(15, 20), bonus=True,
        task=("Write `as_strided_mm(a, b)` without `@`, matmul or einsum: view both as `(i, j, k)` "
              "tensors with stride 0 along the dimension each lacks, multiply, sum over j."),
        hints=("`a3 = a.as_strided((i, j, k), (a.stride(0), a.stride(1), 0))`; b3 similarly with "
               "stride 0 in front.",),
    ),
    _ex(
        "conv1d_minimal_simple", "A first 1-D convolution", section="from_scratch", difficulty=4,
        importance=2, minutes=(15, 20), bonus=True,
        task=("Write `conv1d_minimal_simple(x, weights)` for one signal and one kernel, no "
              "padding, stride 1, without `F.conv1d` or `unfold`: a strided view of the sliding "
              "windows, then a weighted sum."),
        hints=("The windows: shape `(w - kw + 1, kw)` and stride `(s, s)` where `s = x.stride(0)`: "
               "each window starts one step after the last, and steps one element at a time.",),
    ),
    _ex(
        "conv1d_minimal", "Batched, multi-channel 1-D convolution", section="from_scratch",
        difficulty=4, importance=2, minutes=(20, 25), bonus=True,
        task=("Write `conv1d_minimal(x, weights)` for a batch and several channels, no padding, "
              "stride 1."),
        hints=("Windows of shape `(b, ic, ow, kw)` with strides `(s_b, s_ic, s_w, s_w)`, then "
               "`einops.einsum(windows, weights, 'b ic ow kw, oc ic kw -> b oc ow')`.",),
    ),
    _ex(
        "conv2d_minimal", "2-D convolution", section="from_scratch", difficulty=4, importance=2,
        minutes=(20, 25), bonus=True,
        task="Write `conv2d_minimal(x, weights)`: the 2-D version, no padding, stride 1.",
        hints=("Windows of shape `(b, ic, oh, ow, kh, kw)`: the height and width strides each "
               "appear twice.",),
    ),
    _ex(
        "pad1d", "Padding in 1-D", section="from_scratch", difficulty=2, importance=2,
        minutes=(5, 10), bonus=True,
        task=("Write `pad1d(x, left, right, pad_value)` without `F.pad`: a new tensor filled with "
              "`pad_value`, with `x` copied into the middle."),
        hints=("`x.new_full(shape, pad_value)` makes a tensor of the same dtype and device; then "
               "assign `out[..., left:left + w] = x`.",),
    ),
    _ex(
        "pad2d", "Padding in 2-D", section="from_scratch", difficulty=2, importance=2,
        minutes=(5, 10), bonus=True,
        task="Write `pad2d(x, left, right, top, bottom, pad_value)` without `F.pad`.",
        hints=("The same as pad1d on the last two dimensions: left and right pad the width, top "
               "and bottom the height.",),
    ),
    _ex(
        "conv1d", "1-D convolution with stride and padding", section="from_scratch",
        difficulty=4, importance=2, minutes=(20, 25), bonus=True,
        task="Write `conv1d(x, weights, stride=1, padding=0)`, as `F.conv1d` (no bias).",
        hints=("Pad first (with zeros). The output width is `(w_padded - kw) // stride + 1`; "
               "consecutive windows now start `stride` elements apart.",),
    ),
    _ex(
        "conv2d", "2-D convolution with stride and padding", section="from_scratch",
        difficulty=4, importance=2, minutes=(20, 25), bonus=True,
        task=("Write `conv2d(x, weights, stride=1, padding=0)`, as `F.conv2d` (no bias); stride "
              "and padding may be ints or `(height, width)` pairs (use `force_pair`)."),
        hints=("Padding `(pad_h, pad_w)` adds pad_w columns on the left and right, pad_h rows on "
               "top and bottom.",),
    ),
    _ex(
        "maxpool2d", "Max pooling from scratch", section="from_scratch", difficulty=3,
        importance=2, minutes=(10, 15), bonus=True,
        task=("Write `maxpool2d(x, kernel_size, stride=None, padding=0)`, as `F.max_pool2d`: pad "
              "with $-\\infty$, take strided windows, keep each window's maximum."),
        hints=("The same windows as conv2d, then `.amax(dim=(-1, -2))`.",),
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
        ("resnets", "ResNets"),
        ("from_scratch", "Bonus: convolutions from scratch"),
        ("understanding", "Check your understanding"),
    ),
    exercises=EXERCISES,
)
